"""generate-vqa checks duplicate questions across the panels of one figure, not only within one image."""

from __future__ import annotations

import pytest

from fixtures.factories import pair_record, png
from fixtures.scripted_llm import QUESTIONS, ScriptedLLM
from mmskin_build.store import Dataset
from mmskin_build.vqa.client import RetryPolicy
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

CAPTION = "Psoriasis. Erythematous scaly plaques on the elbows of a 45-year-old man."


def _write_panels(root, figures: list[str]) -> None:
    """One pair per entry of `figures` (its figure id), all with the same caption, each image distinct."""
    dataset = Dataset.create_or_open(root)
    writer = dataset.writer("pairs")
    for index, figure in enumerate(figures):
        writer.add(
            pair_record(
                index, png((index * 40, 90, 120), (32, 32)), CAPTION, figure_id=figure, panel_letter="AB"[index]
            )
        )
    dataset.commit(writer.close())


@pytest.mark.parametrize(("figures", "accepted"), [(["fig1", "fig1"], 2), (["fig1", "fig2"], 4)])
def test_the_second_panel_asking_the_same_questions_is_rejected(tmp_path, figures, accepted):
    server = ScriptedLLM([])  # every answer: the same two questions, grounded in the caption
    try:
        _write_panels(tmp_path / "ds", figures)
        config = VqaConfig(llm_urls=(server.url,), model="scripted", per_image=len(QUESTIONS),
                           retry=RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02, timeout_s=10))  # fmt: skip
        summary = run_generate_vqa(tmp_path / "ds", config)
    finally:
        server.close()
    assert summary.counts["generated"] == 4
    assert summary.accepted == accepted and summary.counts["rejected:duplicate-question"] == 4 - accepted

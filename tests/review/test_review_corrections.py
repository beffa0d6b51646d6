"""Corrections as data: appended under the lock, applied by curate, generate-vqa and export."""

from __future__ import annotations

import threading

import pytest
from typer.testing import CliRunner

from fixtures.factories import Item, encode, photo, write_dataset
from mmskin_build.cli import app
from mmskin_build.curation.stage import CurateConfig, run_curate
from mmskin_build.review.corrections import (
    CorrectionError,
    Corrections,
    append_corrections,
    new_correction,
    normalise_value,
)
from mmskin_build.store import Dataset
from mmskin_build.training import TrainingInputError
from mmskin_build.training.samples import build_samples
from mmskin_build.validate import problems
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

CAPTION = "Figure 2 Psoriasis in a 40-year-old man: forearm (A), legs (B) and chest (C)."


def _items() -> list[Item]:
    items = [
        Item(encode(photo(10 + k)), CAPTION, "fig-panels", panel_letter=letter, panel_index=k, subcaption=sub)
        for k, (letter, sub) in enumerate([("A", "legs (B)"), ("B", "and chest (C)"), ("C", None)])
    ]
    items += [
        Item(
            encode(photo(20 + i)),
            f"Figure {3 + i} Erythematous plaques of psoriasis on the elbow of a woman.",
            f"fig{i}",
        )
        for i in range(6)
    ]
    return items


@pytest.fixture
def dataset(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, _items())
    run_curate(root)
    return root


def _ids(root):
    rows = Dataset.open(root).read_table("images", columns=["image_id", "figure_id", "panel_letter"]).to_pylist()
    return {r["panel_letter"] or r["image_id"]: r for r in rows}


def _pairs(root):
    return {r["image_id"]: r for r in Dataset.open(root).read_table("pairs").to_pylist()}


def test_values_are_checked_and_normalised():
    assert normalise_value("image", "modality", " Dermoscopy ") == "dermoscopy"
    assert normalise_value("image", "fitzpatrick", "type iv") == "IV"
    assert normalise_value("image", "body_sites", "Face, neck, face") == "face, neck"
    assert normalise_value("image", "age", "") is None
    for target, field, value in [
        ("image", "modality", "xray"),
        ("image", "age", "forty"),
        ("figure", "modality", "x"),
        ("image", "body_sites", "elbowz"),
        ("qa", "status", "maybe"),
        ("image", "age", "9-3"),
    ]:
        with pytest.raises(CorrectionError):
            normalise_value(target, field, value)


def test_curate_applies_corrections_and_records_them(dataset):
    ids = _ids(dataset)
    a, b, c = ids["A"], ids["B"], ids["C"]
    whole = next(r for k, r in ids.items() if k not in "ABC")
    rows = [
        # Move panel B's sub-caption to panel A (where "legs" belonged), give B its own.
        new_correction("image", a["image_id"], a["figure_id"], "subcaption", "legs (B)", "forearm", "ann"),
        new_correction("image", b["image_id"], b["figure_id"], "subcaption", "and chest (C)", "legs", "ann"),
        new_correction("image", c["image_id"], c["figure_id"], "status", None, "rejected", "ann", reason="blurred"),
        new_correction(
            "figure",
            whole["figure_id"],
            whole["figure_id"],
            "caption",
            None,
            "Figure 9 Plaque psoriasis on the knee of a 70-year-old woman.",
            "bob",
        ),
        new_correction("image", whole["image_id"], whole["figure_id"], "modality", "clinical", "dermoscopy", "bob"),
        new_correction("image", whole["image_id"], whole["figure_id"], "sex", "female", "male", "bob"),
        new_correction("image", whole["image_id"], whole["figure_id"], "body_sites", None, "knee, elbow", "bob"),
    ]
    assert append_corrections(dataset, rows) == len(rows)
    summary = run_curate(dataset)
    pairs = _pairs(dataset)
    assert pairs[a["image_id"]]["subcaption"] == "forearm" and pairs[a["image_id"]]["caption"].endswith("forearm")
    assert pairs[b["image_id"]]["subcaption"] == "legs"
    assert c["image_id"] not in pairs
    fixed = pairs[whole["image_id"]]
    assert fixed["caption"] == "Plaque psoriasis on the knee of a 70-year-old woman."
    assert fixed["caption_raw"].startswith("Figure 3") or fixed["caption_raw"].startswith("Figure ")
    assert "knee" not in fixed["caption_raw"]  # caption_raw stays what extract found
    assert fixed["modality"] == "dermoscopy" and fixed["sex"] == "male" and fixed["age_min_years"] == 70
    assert fixed["body_sites"] == ["knee", "elbow"]
    dropped = {r["image_id"]: r for r in Dataset.open(dataset).read_table("dropped").to_pylist()}
    assert dropped[c["image_id"]]["reason"] == "rejected-in-review" and "blurred" in dropped[c["image_id"]]["detail"]
    qa = {(r["image_id"], r["field"]): r for r in Dataset.open(dataset).read_table("demographics").to_pylist()}
    assert (
        qa[(whole["image_id"], "sex")]["answer"] == "Male."
        and qa[(whole["image_id"], "sex")]["evidence_source"] == "review"
    )
    assert qa[(whole["image_id"], "body_site")]["answer"] == "The knee and elbow."
    run = Dataset.open(dataset).manifest.runs[-1]
    assert run.counts["dropped_rejected-in-review"] == 1 and run.counts["corrections_applied"] == len(rows)
    assert summary.corrections_orphaned == [] and not list(problems(dataset))


def test_orphans_are_reported_and_the_table_is_append_only(dataset):
    ghost = new_correction("figure", "0" * 16, "0" * 16, "status", None, "rejected", "ann")
    append_corrections(dataset, [ghost])
    result = CliRunner().invoke(app, ["curate", str(dataset)])
    assert result.exit_code == 0 and "1 correction(s) whose target is gone" in result.stdout
    assert run_curate(dataset).corrections_orphaned == [ghost.correction_id]
    # The last decision wins, but every decision stays in the table.
    ids = _ids(dataset)
    a = ids["A"]
    for status in ("rejected", "approved"):
        append_corrections(
            dataset, [new_correction("image", a["image_id"], a["figure_id"], "status", None, status, "x")]
        )
    loaded = Corrections.load(Dataset.open(dataset))
    assert loaded.rows == 3 and loaded.rejected("image", a["image_id"]) is None


def test_concurrent_appends_and_a_stage_commit_lose_nothing(dataset):
    ids = _ids(dataset)
    a = ids["A"]

    def save(n):
        for i in range(n):
            append_corrections(
                dataset,
                [
                    new_correction(
                        "image",
                        a["image_id"],
                        a["figure_id"],
                        "subcaption",
                        None,
                        f"text {threading.get_ident()} {i}",
                        "t",
                    )
                ],
            )

    threads = [threading.Thread(target=save, args=(20,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    run_curate(dataset)  # rewrites the manifest while the saves go on
    for thread in threads:
        thread.join()
    ds = Dataset.open(dataset)
    assert ds.rows("corrections") == 60 and len(ds.read_table("corrections")) == 60
    assert len(ds.manifest.tables["corrections"].shards) <= 33  # folded as it grows
    assert not list(problems(dataset))


def test_generate_vqa_and_export_apply_qa_and_rejections(dataset, tmp_path):
    run_generate_vqa(dataset, VqaConfig(backend="rules"))
    vqa = Dataset.open(dataset).read_table("vqa").to_pylist()
    assert len(vqa) >= 4
    first, second = vqa[0], vqa[1]
    pairs = _pairs(dataset)
    figure_of = {k: v["figure_id"] for k, v in pairs.items()}
    append_corrections(
        dataset,
        [
            new_correction(
                "qa", first["qa_id"], figure_of[first["image_id"]], "status", None, "rejected", "ann", "wrong"
            ),
            new_correction(
                "qa", second["qa_id"], figure_of[second["image_id"]], "answer", second["answer"], "Edited.", "ann"
            ),
        ],
    )
    # Export right away (no re-run): the rejected item is gone and the edit is there.
    samples = {s.sample_id: s for split in ("train", "val", "test") for s in _samples(dataset, split)}
    assert first["qa_id"] not in samples and samples[second["qa_id"]].answer == "Edited."
    summary = run_generate_vqa(dataset, VqaConfig(backend="rules"))
    rows = {r["qa_id"]: r for r in Dataset.open(dataset).read_table("vqa").to_pylist()}
    assert first["qa_id"] not in rows and rows[second["qa_id"]]["answer"] == "Edited."
    assert summary.counts["rejected:review"] == 1
    # An edited caption changes the cache key, so its QA are asked for again (new ids).
    target = first["image_id"]
    append_corrections(
        dataset,
        [
            new_correction(
                "figure",
                figure_of[target],
                figure_of[target],
                "caption",
                None,
                "Figure 8 Pustules of acne vulgaris on the face of a boy.",
                "ann",
            )
        ],
    )
    run_curate(dataset)
    run_generate_vqa(dataset, VqaConfig(backend="rules"))
    after = [r for r in Dataset.open(dataset).read_table("vqa").to_pylist() if r["image_id"] == target]
    assert after and all(r["cache_key"] != first["cache_key"] for r in after)
    assert any("acne vulgaris" in r["answer"].lower() for r in after)


def _samples(root, split):
    try:
        return build_samples(root, split, ("captions", "vqa", "demographics"))
    except TrainingInputError as exc:  # a split without samples
        assert "has no sample" in str(exc)
        return []


def test_re_extraction_keeps_corrections_attached(shared_pdfs, tmp_path):
    pdf = shared_pdfs / "meddiag_A_case_of_dengue_fever_presenting_with_acute_urticaria.pdf"
    root = tmp_path / "ds"
    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(pdf), "-o", str(root)]).exit_code == 0
    panel = next(r for r in _ids(root).values() if r["panel_letter"] == "B")
    append_corrections(
        root, [new_correction("image", panel["image_id"], panel["figure_id"], "subcaption", None, "legs", "a")]
    )
    result = runner.invoke(app, ["extract", str(pdf), "-o", str(root), "--force"])
    assert result.exit_code == 0, result.output
    summary = run_curate(root, CurateConfig(no_modality=True))
    assert summary.corrections_orphaned == []
    assert _pairs(root)[panel["image_id"]]["subcaption"] == "legs"


def test_corrections_go_out_and_come_in_as_a_sheet(dataset, tmp_path):
    ids = _ids(dataset)
    a = ids["A"]
    append_corrections(
        dataset, [new_correction("image", a["image_id"], a["figure_id"], "modality", None, "other", "ann")]
    )
    runner = CliRunner()
    sheet = tmp_path / "out.csv"
    result = runner.invoke(app, ["review", str(dataset), "--export-csv", str(sheet)])
    assert result.exit_code == 0 and "1 corrections written" in result.stdout
    assert "other" in sheet.read_text() and sheet.read_text().startswith("correction_id,target,target_id")
    decisions = tmp_path / "in.csv"
    decisions.write_text(
        f"target,target_id,field,new_value,reason\nimage,{ids['B']['image_id']},status,rejected,blurred\n"
        f"figure,{a['figure_id']},caption,Figure 2 Wheals on the forearm.,\n"
    )
    result = runner.invoke(app, ["review", str(dataset), "--import-csv", str(decisions), "--reviewer", "offline"])
    assert result.exit_code == 0, result.output
    loaded = Corrections.load(Dataset.open(dataset))
    assert loaded.rows == 3 and loaded.rejected("image", ids["B"]["image_id"]).reviewer == "offline"
    decisions.write_text(f"target,target_id,field,new_value\nimage,{a['image_id']},modality,xray\n")
    result = runner.invoke(app, ["review", str(dataset), "--import-csv", str(decisions)])
    assert result.exit_code == 2 and f"{decisions}, line 2: modality 'xray'" in result.output
    decisions.write_text(f"target,target_id,field,new_value\nfigure,{a['figure_id']},modality,other\n")
    result = runner.invoke(app, ["review", str(dataset), "--import-csv", str(decisions)])
    assert result.exit_code == 2 and "line 2: a figure has no correctable field 'modality'" in result.output
    assert Corrections.load(Dataset.open(dataset)).rows == 3  # all or nothing

"""`export --format hf`: `datasets.load_dataset(DIR)` reads the splits with decoded images; the card is complete."""

from __future__ import annotations

import datasets
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.review.corrections import append_corrections, new_correction
from mmskin_build.store import Dataset
from mmskin_build.training.export_hf import HUB_SPLIT, LICENCE_PLACEHOLDER
from mmskin_build.training.samples import build_samples


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    work = tmp_path_factory.mktemp("hf")
    root = work / "ds"
    for args in (
        ["make-sample", str(work / "book")],
        ["extract", str(work / "book" / "sample-textbook.pdf"), "-o", str(root)],
        ["classify", str(root)],
        ["curate", str(root), "--split-ratios", "0.6,0.2,0.2"],
        ["generate-vqa", str(root), "--backend", "rules"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    vqa = Dataset.open(root).read_table("vqa").to_pylist()
    rejected = vqa[0]
    append_corrections(root, [new_correction("qa", rejected["qa_id"], "f", "status", None, "rejected", "ann")])
    out = work / "hf"
    result = CliRunner().invoke(app, ["export", str(root), "--format", "hf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return root, out, rejected["qa_id"]


def test_load_dataset_reads_every_split_with_decoded_images(exported, tmp_path):
    root, out, rejected = exported
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    expected = {hub: build_samples(root, split) for split, hub in HUB_SPLIT.items()}
    assert set(loaded) == set(expected)
    for split, samples in expected.items():
        rows = loaded[split]
        assert rows.num_rows == len(samples) > 0
        assert [r["id"] for r in rows] == [s.sample_id for s in samples]
        row = rows[0]
        assert isinstance(row["image"], Image.Image) and min(row["image"].size) >= 128
        assert row["messages"][0] == {"role": "user", "content": row["question"]}
        assert row["messages"][1] == {"role": "assistant", "content": row["answer"]}
    assert rejected not in {r["id"] for split in loaded.values() for r in split}


def test_card_front_matter_and_provenance(exported):
    root, out, _ = exported
    text = (out / "README.md").read_text()
    _, front, body = text.split("---\n", 2)
    card = yaml.safe_load(front)
    assert card["license"] == "other" and card["license_name"] == LICENCE_PLACEHOLDER
    files = {entry["split"]: entry["path"] for entry in card["configs"][0]["data_files"]}
    assert files == {hub: f"data/{hub}-00000-of-00001.parquet" for hub in ("train", "validation", "test")}
    assert all((out / path).is_file() for path in files.values())
    features = {f["name"]: f for f in card["dataset_info"]["features"]}
    assert features["image"]["dtype"] == "image" and [s["name"] for s in features["messages"]["list"]] == [
        "role",
        "content",
    ]
    splits = {s["name"]: s["num_examples"] for s in card["dataset_info"]["splits"]}
    assert splits == {hub: len(build_samples(root, split)) for split, hub in HUB_SPLIT.items()}
    dataset = Dataset.open(root)
    assert "mmskin-build 0.1.0" in body and "1 reviewer corrections" in body
    assert dataset.manifest.inputs and all(item.sha256 in body for item in dataset.manifest.inputs.values())
    assert "## Curate options" in body and '"min_side"' in body

"""Each export read the way its consumer reads it."""

import json

import datasets
import pytest
from PIL import Image

from fixtures.tiny_dataset import build_dataset, write_classification_csv
from mmskin_build.training import TrainingInputError
from mmskin_build.training.export import run_export


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build_dataset(tmp_path_factory.mktemp("ds") / "ds", n_train=4, n_test=2)


def test_llava_json(dataset, tmp_path):
    summary = run_export(dataset, "llava", tmp_path)
    assert summary.samples == {"train": 12, "test": 6}
    records = json.loads((tmp_path / "train.json").read_text())
    assert len(records) == 12 and len({r["id"] for r in records}) == 12
    for record in records:
        human, gpt = record["conversations"]
        assert (human["from"], gpt["from"]) == ("human", "gpt")
        assert human["value"].startswith("<image>\n") and human["value"].count("<image>") == 1
        assert "<image>" not in gpt["value"]
        with Image.open(tmp_path / record["image"]) as img:  # LLaVA opens image_folder / image
            assert img.size[1] == 30
    assert len(list((tmp_path / "images").iterdir())) == 6  # one file per image, shared by its samples


@pytest.mark.parametrize("fmt, embed", [("sharegpt", False), ("messages", True)])
def test_parquet_reads_with_datasets(dataset, tmp_path, fmt, embed):
    run_export(dataset, fmt, tmp_path, embed_images=embed)
    loaded = datasets.load_dataset("parquet", data_files={"train": str(tmp_path / "train.parquet")}, split="train")
    assert loaded.num_rows == 12
    key, text = ("messages", "content") if fmt == "messages" else ("conversations", "value")
    for row in loaded:
        tags = sum(turn[text].count("<image>") for turn in row[key])
        assert tags == len(row["images"]) == 1  # LLaMA-Factory's check
        image = row["images"][0]
        if embed:
            assert isinstance(image, Image.Image) and image.size[1] == 30
        else:
            assert (tmp_path / image).is_file()
    info = json.loads((tmp_path / "dataset_info.json").read_text())
    entry = info["mmskin_train"]
    assert entry["file_name"] == "train.parquet"
    assert set(entry["columns"].values()) <= set(loaded.column_names)


def test_messages_without_tags_feed_trl(dataset, tmp_path):
    from trl.data_utils import prepare_multimodal_messages

    run_export(dataset, "messages", tmp_path, embed_images=True, image_tags=False)
    row = datasets.load_dataset("parquet", data_files=str(tmp_path / "test.parquet"), split="train")[0]
    assert all("<image>" not in turn["content"] for turn in row["messages"])
    prepared = prepare_multimodal_messages(row["messages"], row["images"])
    assert [item["type"] for item in prepared[0]["content"]] == ["image", "text"]
    assert prepared[0]["content"][0]["image"] is not None


def test_classification_mix_and_bad_options(dataset, tmp_path):
    csv = write_classification_csv(tmp_path / "cls")
    summary = run_export(dataset, "sharegpt", tmp_path / "out", ("vqa", "classification"), csv)
    assert summary.samples == {"train": 4 + 3, "test": 2 + 3}
    with pytest.raises(TrainingInputError, match="llava references image files"):
        run_export(dataset, "llava", tmp_path / "x", embed_images=True)
    with pytest.raises(TrainingInputError, match="--format csv"):
        run_export(dataset, "csv", tmp_path / "x")

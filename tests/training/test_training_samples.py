"""Samples from tables, the bad-input checks that run before training, and the metrics. No model needed."""

import pytest

from fixtures.factories import png
from fixtures.tiny_dataset import build_dataset, write_classification_csv
from mmskin_build.training import TrainingInputError
from mmskin_build.training.metrics import chosen_label, closed_set_accuracy, text_metrics, token_recall
from mmskin_build.training.samples import CAPTION_PROMPTS, build_samples, image_sizes, parse_mix


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build_dataset(tmp_path_factory.mktemp("ds") / "ds", n_train=8, n_test=4)


def test_samples_per_source_and_split(dataset):
    train = build_samples(dataset, "train", ("captions", "vqa", "demographics"))
    assert [s.source for s in train].count("captions") == 8
    assert [s.source for s in train].count("vqa") == 8
    assert [s.source for s in train].count("demographics") == 8
    assert {s.split for s in train} == {"train"}
    captions = [s for s in train if s.source == "captions"]
    assert all(s.question in CAPTION_PROMPTS for s in captions)
    assert captions[0].answer.startswith("a red plaque")
    assert build_samples(dataset, "train") == train  # stable: same prompts, same order
    assert len(build_samples(dataset, "test", ("vqa",))) == 4


def test_messages_forms(dataset):
    sample = build_samples(dataset, "train", ("vqa",))[0]
    structured = sample.messages()
    assert structured[0]["content"][0] == {"type": "image"}
    assert structured[1]["content"][0]["text"] == sample.answer
    tagged = sample.messages("<image>")
    assert tagged[0]["content"] == f"<image>\n{sample.question}"
    assert sample.messages("")[0]["content"] == sample.question


def test_dataset_without_vqa_is_refused(tmp_path):
    root = build_dataset(tmp_path / "ds", n_train=2, n_test=0, vqa=False)
    with pytest.raises(TrainingInputError, match="no 'vqa' table.*generate-vqa"):
        build_samples(root, "train", ("captions", "vqa"))


def test_empty_split_is_refused(dataset):
    with pytest.raises(TrainingInputError, match="'val' split has no sample"):
        build_samples(dataset, "val")


def test_unknown_mix_is_refused():
    with pytest.raises(TrainingInputError, match="unknown source"):
        parse_mix("captions,pictures")


def test_qa_row_without_its_image_is_refused(tmp_path):
    root = build_dataset(tmp_path / "ds", n_train=2, n_test=0, drop_pair=1)
    with pytest.raises(TrainingInputError, match="refers to image img0001"):
        build_samples(root, "train", ("vqa",))


def test_broken_image_bytes_are_named(tmp_path):
    root = build_dataset(tmp_path / "ds", n_train=2, n_test=0, broken_image=1)
    samples = build_samples(root, "train", ("captions",))
    with pytest.raises(TrainingInputError, match="1 image\\(s\\) missing or unreadable: img0001"):
        image_sizes(samples)


def test_classification_csv(tmp_path):
    csv = write_classification_csv(tmp_path / "cls", n=6)
    train = build_samples(tmp_path / "unused", "train", ("classification",), csv)
    test = build_samples(tmp_path / "unused", "test", ("classification",), csv)
    assert len(train) == 3 and len(test) == 3
    assert train[0].choices == ("melanoma", "nevus", "psoriasis")
    assert "melanoma, nevus, psoriasis" in train[0].question
    assert image_sizes(train)[train[0].image_id] == (30, 40)
    (tmp_path / "cls" / "c1.png").unlink()
    with pytest.raises(TrainingInputError, match="line 3: image file .*c1.png does not exist"):
        build_samples(tmp_path / "unused", "train", ("classification",), csv)
    with pytest.raises(TrainingInputError, match="needs --classification"):
        build_samples(tmp_path / "unused", "train", ("classification",))


def test_text_metrics_bounds():
    same = text_metrics(["a red scaly plaque on the arm"], ["a red scaly plaque on the arm"])
    assert same == pytest.approx({"bleu1": 1, "bleu2": 1, "bleu3": 1, "bleu4": 1, "rouge_l": 1, "recall": 1})
    none = text_metrics(["blue"], ["a red scaly plaque"])
    assert none["recall"] == 0 and none["rouge_l"] == 0 and none["bleu1"] == 0
    partial = text_metrics(["a red plaque"], ["a red scaly plaque on the arm"])
    assert 0 < partial["bleu4"] < partial["bleu1"] < 1
    assert token_recall("red plaque", "a red scaly plaque") == 0.5


def test_closed_set_accuracy():
    choices = ("melanoma", "nevus", "psoriasis")
    assert chosen_label("Melanoma.", choices) == "melanoma"
    assert chosen_label("this looks like psoriasis", choices) == "psoriasis"
    assert chosen_label("melanoma or nevus", choices) is None
    accuracy = closed_set_accuracy(["nevus", "melanoma", "unsure"], ["nevus", "nevus", "psoriasis"], [choices] * 3)
    assert accuracy == pytest.approx(1 / 3)


def test_png_fixture_decodes():
    assert png((1, 2, 3))[:4] == b"\x89PNG"

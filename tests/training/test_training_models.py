"""Train, reload, merge and evaluate tiny random LLaVA(-NeXT), Qwen2-VL and Qwen2.5-VL models on CPU; nothing
downloads."""

import json

import huggingface_hub.constants
import pytest
import torch
from shared_data import require_shared

from fixtures.factories import png
from fixtures.tiny_dataset import build_dataset, write_classification_csv
from fixtures.tiny_vlm import build_tiny_llava, build_tiny_qwen2_vl
from mmskin_build.training import TrainingInputError
from mmskin_build.training.collate import IGNORE, Collator, check_lengths, prompt_token_count
from mmskin_build.training.evaluate import EvalConfig, run_evaluate
from mmskin_build.training.loss import answer_token_loss
from mmskin_build.training.merge import run_merge
from mmskin_build.training.models import family_of, load_for_inference, load_processor
from mmskin_build.training.samples import Sample, build_samples, image_sizes
from mmskin_build.training.train import TrainConfig, run_train

BUILDERS = {
    "llava": build_tiny_llava,
    "llava_next": lambda out: build_tiny_llava(out, next_version=True),
    "qwen2_vl": build_tiny_qwen2_vl,
    "qwen2_5_vl": lambda out: build_tiny_qwen2_vl(out, version="2.5"),
}


@pytest.fixture(scope="module", autouse=True)
def offline_one_thread():
    # Nothing may download; and the machine's cores are shared: one thread is several times faster than two
    # fighting for them.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with pytest.MonkeyPatch.context() as patch:
        # Read by huggingface_hub's HTTP session: any request the code makes fails the test.
        patch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    return {name: build(root / name) for name, build in BUILDERS.items()}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return build_dataset(tmp_path_factory.mktemp("ds") / "ds", n_train=8, n_test=4)


def _config(base, data, out, **overrides):
    # High learning rates and no dropout so that a few steps visibly overfit the 8 samples.
    settings = dict(
        mix=("vqa",),
        lora_r=8,
        lora_alpha=16,
        lora_dropout=0.0,
        lr=1e-2,
        projector_lr=1e-2,
        max_steps=16,
        batch_size=8,
        logging_steps=1,
        save_steps=8,
        warmup_ratio=0.0,
        max_length=256,
    )
    return TrainConfig(base=base, data=data, out=out, **{**settings, **overrides})


def _logits(model, batch):
    with torch.no_grad():
        return model(**{k: v for k, v in batch.items() if k != "labels"}).logits


@pytest.mark.parametrize("family", list(BUILDERS))
def test_collator_masks_the_prompt_and_keeps_image_tokens(models, dataset, family):
    processor = load_processor(models[family], family_of(models[family]))
    image_token = processor.tokenizer.convert_tokens_to_ids(processor.image_token)
    samples = build_samples(dataset, "train", ("vqa", "captions"))[:3]
    batch = Collator(processor, image_token, max_length=256)(samples)
    sizes = image_sizes(samples)
    for row, sample in enumerate(samples):
        labels = batch["labels"][row]
        answer = processor.tokenizer.decode(labels[labels != IGNORE], skip_special_tokens=True)
        assert answer.strip() == sample.answer
        masked = int((labels[: int(batch["attention_mask"][row].sum())] == IGNORE).sum())
        assert masked == prompt_token_count(processor, sample, sizes[sample.image_id])
        assert int((batch["input_ids"][row] == image_token).sum()) > 1  # the placeholder was expanded
        if processor.tokenizer.bos_token_id is not None:  # one BOS, also where the template writes it
            assert int((batch["input_ids"][row] == processor.tokenizer.bos_token_id).sum()) == 1
    with pytest.raises(TrainingInputError, match="over --max-length 8.*never truncated"):
        check_lengths(processor, samples, sizes, max_length=8)
    with pytest.raises(TrainingInputError, match="never truncated"):
        Collator(processor, image_token, max_length=8)(samples)
    # A long answer is cut, the image tokens stay.
    short = Collator(processor, image_token, max_length=masked + 2).encode(samples[-1])
    assert len(short["input_ids"]) == masked + 2 and int((short["labels"] != IGNORE).sum()) == 2


def test_images_of_different_shapes_batch_together(models):
    """LLaVA-NeXT cuts an image into a number of patches that depends on its shape; a batch pads them."""
    processor = load_processor(models["llava_next"], family_of(models["llava_next"]))
    collator = Collator(processor, processor.tokenizer.convert_tokens_to_ids(processor.image_token), 256)
    wide, square = (
        Sample(f"s{i}", f"i{i}", "train", "vqa", "what colour", "red", image_bytes=png((200, 0, 0), size))
        for i, size in enumerate([(60, 28), (40, 40)])
    )
    patches = [collator.encode(s)["pixel_values"].shape[1] for s in (wide, square)]
    assert patches[0] > patches[1]
    batch = collator([wide, square])
    assert batch["pixel_values"].shape[1] == patches[0]
    model, _ = load_for_inference(models["llava_next"], torch.float32, "cpu")
    assert torch.isfinite(model(**batch).loss)


@pytest.mark.parametrize("family", list(BUILDERS))
def test_answer_token_loss_equals_the_models_own(models, dataset, family):
    """The LM head on answer positions only gives the full-logits loss and the same gradients."""
    processor = load_processor(models[family], family_of(models[family]))
    model, _ = load_for_inference(models[family], torch.float32, "cpu")
    samples = build_samples(dataset, "train", ("vqa", "captions"))[:4]
    batch = Collator(processor, model.config.image_token_id, max_length=256)(samples)
    full = model(**batch).loss
    (expected,) = torch.autograd.grad(full, model.lm_head.weight)
    ours = answer_token_loss(model, batch)
    (got,) = torch.autograd.grad(ours, model.lm_head.weight)
    torch.testing.assert_close(ours, full)
    torch.testing.assert_close(got, expected)
    items = int((batch["labels"][:, 1:] != IGNORE).sum())
    torch.testing.assert_close(answer_token_loss(model, batch, num_items_in_batch=2 * items), full / 2)


@pytest.mark.parametrize("family", list(BUILDERS))
def test_train_overfits_reloads_merges_and_evaluates(models, dataset, tmp_path, family):
    run = tmp_path / "run"
    summary = run_train(_config(models[family], dataset, run))
    assert summary.steps == 16 and summary.samples == 8
    assert summary.last_loss < 0.5 * summary.first_loss, (summary.first_loss, summary.last_loss)
    record = json.loads((run / "run.json").read_text())
    assert record["family"] == family and record["config"]["lora_r"] == 8
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["checkpoint-16", "checkpoint-8"]

    trained = summary.model.eval()
    processor = load_processor(run / "adapter", family_of(models[family]))
    batch = Collator(processor, trained.config.image_token_id, 256)(build_samples(dataset, "train", ("vqa",))[:4])
    reloaded, _ = load_for_inference(run, torch.float32, "cpu")
    expected = _logits(trained, batch)
    assert torch.equal(_logits(reloaded.eval(), batch), expected)
    base, _ = load_for_inference(models[family], torch.float32, "cpu")
    assert not torch.allclose(_logits(base.eval(), batch), expected, atol=1e-3)  # the adapter matters

    merged_dir = run_merge(run)
    merged, _ = load_for_inference(merged_dir, torch.float32, "cpu")
    assert not hasattr(merged, "peft_config")
    torch.testing.assert_close(_logits(merged.eval(), batch), expected, atol=1e-4, rtol=1e-4)

    metrics = run_evaluate(
        EvalConfig(
            model=merged_dir,
            data=dataset,
            out=tmp_path / "eval",
            mix=("vqa", "captions"),
            max_new_tokens=8,
            batch_size=4,
        )
    )
    assert set(metrics["by_source"]) == {"vqa", "captions"} and metrics["overall"]["n"] == 8
    assert 0 <= metrics["overall"]["bleu4"] <= metrics["overall"]["bleu1"] <= 1
    assert metrics["by_source"]["vqa"]["recall"] > 0.5  # overfit on "the lesion is <colour>"
    lines = (tmp_path / "eval" / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == 8 and json.loads(lines[0])["reference"]
    assert json.loads((tmp_path / "eval" / "metrics.json").read_text())["split"] == "test"


def test_resume_and_classification_mix(models, dataset, tmp_path):
    csv = write_classification_csv(tmp_path / "cls")
    config = _config(
        models["llava"],
        dataset,
        tmp_path / "run",
        mix=("vqa", "classification"),
        classification_csv=csv,
        max_steps=2,
        save_steps=2,
        batch_size=4,
    )
    first = run_train(config)
    assert first.samples == 8 + 3 and first.resumed_from is None
    again = run_train(
        _config(
            models["llava"],
            dataset,
            tmp_path / "run",
            mix=("vqa", "classification"),
            classification_csv=csv,
            max_steps=4,
            save_steps=2,
            batch_size=4,
        )
    )
    assert again.resumed_from == "checkpoint-2" and again.steps == 4
    metrics = run_evaluate(
        EvalConfig(
            model=tmp_path / "run",
            data=dataset,
            out=tmp_path / "eval",
            mix=("classification",),
            classification_csv=csv,
            max_new_tokens=4,
        )
    )
    assert metrics["by_source"]["classification"]["n"] == 3
    assert 0 <= metrics["by_source"]["classification"]["accuracy"] <= 1


def test_bad_inputs_fail_before_training(models, dataset, tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    text_only = tmp_path / "llama"
    LlamaForCausalLM(
        LlamaConfig(
            vocab_size=64,
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            num_key_value_heads=1,
        )
    ).save_pretrained(text_only)
    with pytest.raises(TrainingInputError, match="config.json: model_type 'llama' is not a vision-language model"):
        run_train(_config(text_only, dataset, tmp_path / "a"))
    no_vqa = build_dataset(tmp_path / "novqa", n_train=2, n_test=0, vqa=False)
    with pytest.raises(TrainingInputError, match="no 'vqa' table"):
        run_train(_config(models["qwen2_vl"], no_vqa, tmp_path / "b"))
    with pytest.raises(TrainingInputError, match="'train' split has no sample"):
        run_train(_config(models["qwen2_vl"], build_dataset(tmp_path / "empty", n_train=0, n_test=2), tmp_path / "c"))
    broken = build_dataset(tmp_path / "broken", n_train=2, n_test=0, broken_image=0)
    with pytest.raises(TrainingInputError, match="missing or unreadable: img0000"):
        run_train(_config(models["qwen2_vl"], broken, tmp_path / "d"))
    with pytest.raises(TrainingInputError, match="over --max-length"):
        run_train(_config(models["llava"], dataset, tmp_path / "e", max_length=12))
    assert not any((tmp_path / name / "checkpoints").exists() for name in "abcde")


@pytest.mark.parametrize("family", list(BUILDERS))
def test_real_images_expand_as_predicted(models, tmp_path, family):
    """Real photographs of many sizes: the image tokens the processor inserts are the ones counted up front."""
    images = require_shared("images")
    rows = (images / "labels.csv").read_text().splitlines()[1:]
    subset = rows[:: max(1, len(rows) // 12)][:12]  # every modality, a dozen sizes
    csv = tmp_path / "labels.csv"
    csv.write_text("file,label\n" + "\n".join(f"{images / r.split(',')[0]},{r.split(',')[1]}" for r in subset))
    samples = build_samples(tmp_path, "train", ("classification",), csv)
    sizes = image_sizes(samples)
    processor = load_processor(models[family], family_of(models[family]))
    image_token = processor.tokenizer.convert_tokens_to_ids(processor.image_token)
    batch = Collator(processor, image_token, max_length=512)(samples)
    for row, sample in enumerate(samples):
        masked = int((batch["labels"][row][: int(batch["attention_mask"][row].sum())] == IGNORE).sum())
        assert masked == prompt_token_count(processor, sample, sizes[sample.image_id]), sample.image_path


def test_max_pixels_caps_qwen_image_tokens(models):
    sample = Sample("s", "i", "train", "vqa", "what colour", "red", image_bytes=png((200, 0, 0), (400, 300)))
    family = family_of(models["qwen2_vl"])
    full = prompt_token_count(load_processor(models["qwen2_vl"], family), sample, (300, 400))
    capped = prompt_token_count(load_processor(models["qwen2_vl"], family, max_pixels=56 * 56), sample, (300, 400))
    assert capped < full
    with pytest.raises(TrainingInputError, match="--max-pixels applies to Qwen-VL"):
        load_processor(models["llava"], family_of(models["llava"]), max_pixels=56 * 56)

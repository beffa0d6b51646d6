"""Generate answers on a split and score them with MM-Skin's metrics; writes predictions and metrics JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mmskin_build.pipeline import StageEvents
from mmskin_build.store.dataset import atomic_write_bytes
from mmskin_build.training.collate import render, special_tokens_needed
from mmskin_build.training.metrics import closed_set_accuracy, text_metrics
from mmskin_build.training.samples import DEFAULT_MIX, Sample, build_samples, image_sizes

PREDICTIONS = "predictions.jsonl"
METRICS = "metrics.json"


@dataclass
class EvalConfig:
    model: Path
    data: Path
    out: Path
    split: str = "test"
    mix: tuple[str, ...] = DEFAULT_MIX
    classification_csv: Path | None = None
    batch_size: int = 8
    max_new_tokens: int = 128
    device: str | None = None


def generate(model, processor, samples: list[Sample], max_new_tokens: int) -> list[str]:
    """Greedy answers to the samples' questions, one batch (left-padded)."""
    import torch

    prompts = [render(processor, s.prompt_messages(), generation_prompt=True) for s in samples]
    enc = processor(
        text=prompts,
        images=[[s.image()] for s in samples],
        padding=True,
        add_special_tokens=special_tokens_needed(processor, prompts[0]),
        return_tensors="pt",
    ).to(model.device)
    with torch.inference_mode():
        out = model.generate(
            **enc, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=processor.tokenizer.pad_token_id
        )
    return processor.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)


def score(samples: list[Sample], predictions: list[str]) -> dict:
    """Metrics per source and overall: text metrics for open answers, accuracy for classification prompts."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, sample in enumerate(samples):
        groups[sample.source].append(i)
    result: dict = {"by_source": {}}
    for source, idx in sorted(groups.items()):
        preds = [predictions[i] for i in idx]
        refs = [samples[i].answer for i in idx]
        metrics = {"n": len(idx), **text_metrics(preds, refs)}
        if source == "classification":
            metrics["accuracy"] = closed_set_accuracy(preds, refs, [samples[i].choices for i in idx])
        result["by_source"][source] = metrics
    open_idx = [i for i, s in enumerate(samples) if s.source != "classification"]
    if open_idx:
        result["overall"] = {
            "n": len(open_idx),
            **text_metrics([predictions[i] for i in open_idx], [samples[i].answer for i in open_idx]),
        }
    return result


def run_evaluate(config: EvalConfig, events: StageEvents | None = None) -> dict:
    """Writes OUT/predictions.jsonl (one line per sample) and OUT/metrics.json; returns the metrics."""
    import torch

    from mmskin_build.training.models import load_for_inference

    samples = build_samples(config.data, config.split, config.mix, config.classification_csv)
    image_sizes(samples)
    device = config.device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    model, processor = load_for_inference(config.model, dtype, device)
    model.eval()
    advance = (events or StageEvents()).progress("generating", len(samples))
    predictions: list[str] = []
    for start in range(0, len(samples), config.batch_size):
        batch = samples[start : start + config.batch_size]
        predictions.extend(generate(model, processor, batch, config.max_new_tokens))
        advance(len(batch))
    metrics = {
        "model": str(config.model),
        "data": str(config.data),
        "split": config.split,
        "mix": list(config.mix),
        "samples": len(samples),
        **score(samples, predictions),
    }
    config.out.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {
                "sample_id": s.sample_id,
                "image_id": s.image_id,
                "source": s.source,
                "question": s.question,
                "reference": s.answer,
                "prediction": p,
            }
        )
        for s, p in zip(samples, predictions, strict=True)
    ]
    atomic_write_bytes(config.out / PREDICTIONS, ("\n".join(lines) + "\n").encode())
    atomic_write_bytes(config.out / METRICS, json.dumps(metrics, indent=2).encode())
    return metrics

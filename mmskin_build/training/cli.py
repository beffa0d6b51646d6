"""`mmskin-build export`, `train`, `merge` and `evaluate`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import get_args

import typer

from mmskin_build.tables.curate import Split
from mmskin_build.training.export import ExportFormat

SplitChoice = StrEnum("SplitChoice", get_args(Split))
MIX_HELP = "Comma-separated sources: captions, vqa, demographics, classification (needs --classification)."
CSV_HELP = (
    "CSV of a public classification dataset: columns image (or file, path; relative to the CSV), label, optional split."
)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("train")(train)
    app.command("merge")(merge)
    app.command("evaluate")(evaluate)


def export(
    dataset: Path = typer.Argument(
        ..., help="Dataset directory (with pairs, and vqa / demographics for those sources)."
    ),
    fmt: ExportFormat = typer.Option(
        ExportFormat.llava,
        "--format",
        "-f",
        help="llava (JSON + image files), sharegpt or messages (Parquet), hf (a Hub folder with a dataset card).",
    ),
    out: Path = typer.Option(..., "-o", "--out", help="Output directory."),
    mix: str = typer.Option("captions,vqa,demographics", "--mix", help=MIX_HELP),
    classification: Path | None = typer.Option(None, "--classification", help=CSV_HELP),
    embed_images: bool = typer.Option(False, "--embed-images", help="Parquet formats: put image bytes in the file."),
    image_tags: bool = typer.Option(
        True,
        "--image-tags/--no-image-tags",
        help="Write <image> into the first user turn (LLaMA-Factory, ms-swift); TRL wants none.",
    ),
) -> None:
    """Export the dataset's instruction samples (one file per split) in a trainer's format.

    Example: [bold]mmskin-build export out/derm --format sharegpt -o out/derm-sharegpt[/bold]
    (or [bold]--format hf -o out/derm-hf[/bold], then [bold]datasets.load_dataset("out/derm-hf")[/bold])
    """
    from mmskin_build.training.export import run_export
    from mmskin_build.training.samples import parse_mix

    summary = run_export(dataset, fmt, out, parse_mix(mix), classification, embed_images, image_tags)
    counts = ", ".join(f"{k} {v}" for k, v in summary.samples.items())
    print(f"exported {sum(summary.samples.values())} samples ({counts}), {summary.images} images, to {out}")


def train(
    base: Path = typer.Option(
        ..., "--base", help="Local base model directory (LLaVA, LLaVA-NeXT, Qwen2-VL, Qwen2.5-VL)."
    ),
    data: Path = typer.Option(..., "--data", help="Dataset directory."),
    out: Path = typer.Option(..., "--out", help="Run directory: adapter/, checkpoints/, run.json."),
    mix: str = typer.Option("captions,vqa,demographics", "--mix", help=MIX_HELP),
    classification: Path | None = typer.Option(None, "--classification", help=CSV_HELP),
    lora_r: int = typer.Option(128, "--lora-r", min=1),
    lora_alpha: int = typer.Option(64, "--lora-alpha", min=1),
    lr: float = typer.Option(5e-5, "--lr", help="Learning rate of the LoRA weights."),
    projector_lr: float = typer.Option(2e-5, "--projector-lr", help="Learning rate of the vision-language projector."),
    epochs: float = typer.Option(1.0, "--epochs"),
    max_steps: int = typer.Option(-1, "--max-steps", help="Stop after this many steps (-1: run the epochs)."),
    batch_size: int = typer.Option(4, "--batch-size", min=1),
    grad_accum: int = typer.Option(1, "--grad-accum", min=1),
    max_length: int = typer.Option(2048, "--max-length", min=16, help="Tokens per sample; only answers are cut."),
    max_pixels: int | None = typer.Option(None, "--max-pixels", help="Qwen-VL: largest image size in pixels."),
    save_steps: int = typer.Option(500, "--save-steps", min=1, help="Checkpoint every N steps."),
    logging_steps: int = typer.Option(10, "--logging-steps", min=1),
    gradient_checkpointing: bool = typer.Option(True, "--gradient-checkpointing/--no-gradient-checkpointing"),
    seed: int = typer.Option(0, "--seed"),
    workers: int | None = typer.Option(
        None, "--workers", min=0, help="Data loader processes (default 4 on GPU, 0 on CPU)."
    ),
) -> None:
    """LoRA fine-tune a vision-language model on the dataset's train split (SkinVL's recipe by default).

    Uses the base model's chat template, masks the prompt in the labels, never truncates image tokens,
    trains in bf16 on a GPU (fp32 on CPU), checkpoints every --save-steps and resumes from the last
    checkpoint in OUT. Every input is checked before training starts.

    Example: [bold]mmskin-build train --base models/Qwen2-VL-2B-Instruct --data out/derm --out runs/skin1[/bold]
    """
    from mmskin_build.console import stage_events
    from mmskin_build.training.samples import parse_mix
    from mmskin_build.training.train import TrainConfig, run_train

    config = TrainConfig(
        base=base,
        data=data,
        out=out,
        mix=parse_mix(mix),
        classification_csv=classification,
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        lr=lr,
        projector_lr=projector_lr,
        epochs=epochs,
        max_steps=max_steps,
        batch_size=batch_size,
        grad_accum=grad_accum,
        max_length=max_length,
        max_pixels=max_pixels,
        save_steps=save_steps,
        logging_steps=logging_steps,
        gradient_checkpointing=gradient_checkpointing,
        seed=seed,
        workers=workers,
    )
    with stage_events() as events:
        summary = run_train(config, events)
    if summary.resumed_from:
        print(f"resumed from {summary.resumed_from}")
    memory = f", peak GPU memory {summary.peak_memory_bytes / 2**30:.2f} GiB" if summary.peak_memory_bytes else ""
    loss = f"loss {summary.first_loss:.4f} -> {summary.last_loss:.4f}; " if summary.last_loss is not None else ""
    print(
        f"trained {summary.steps} steps on {summary.samples} samples in {summary.seconds:.1f} s "
        f"({summary.samples_per_second:.2f} samples/s{memory}); {loss}adapter in {summary.adapter}"
    )


def merge(
    run_dir: Path = typer.Argument(..., help="Run directory written by `train`."),
    out: Path | None = typer.Option(
        None, "-o", "--out", help="Where to write the merged model (default RUN_DIR/merged)."
    ),
) -> None:
    """Merge the run's LoRA adapter and trained projector into the base model, as a standalone model.

    Example: [bold]mmskin-build merge runs/skin1[/bold]
    """
    from mmskin_build.training.merge import run_merge

    merged = run_merge(run_dir, out)
    print(f"merged model in {merged}")


def evaluate(
    model: Path = typer.Option(
        ..., "--model", help="A run directory, an adapter directory, or a full model directory."
    ),
    data: Path = typer.Option(..., "--data", help="Dataset directory."),
    out: Path = typer.Option(..., "--out", help="Where to write predictions.jsonl and metrics.json."),
    split: SplitChoice = typer.Option(SplitChoice.test, "--split"),
    mix: str = typer.Option("captions,vqa,demographics", "--mix", help=MIX_HELP),
    classification: Path | None = typer.Option(None, "--classification", help=CSV_HELP),
    batch_size: int = typer.Option(8, "--batch-size", min=1),
    max_new_tokens: int = typer.Option(128, "--max-new-tokens", min=1),
) -> None:
    """Answer every question of a split and score the answers with MM-Skin's metrics.

    BLEU-1..4, ROUGE-L and token recall per source and overall; closed-set accuracy for classification
    prompts.

    Example: [bold]mmskin-build evaluate --model runs/skin1 --data out/derm --split test --out runs/skin1/eval[/bold]
    """
    from mmskin_build.console import stage_events
    from mmskin_build.training.evaluate import EvalConfig, run_evaluate
    from mmskin_build.training.samples import parse_mix

    config = EvalConfig(
        model=model,
        data=data,
        out=out,
        split=split.value,
        mix=parse_mix(mix),
        classification_csv=classification,
        batch_size=batch_size,
        max_new_tokens=max_new_tokens,
    )
    with stage_events() as events:
        metrics = run_evaluate(config, events)
    rows = {**metrics["by_source"], **({"overall": metrics["overall"]} if "overall" in metrics else {})}
    for source, values in rows.items():
        shown = "  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items())
        print(f"{source:>15}: {shown}")
    print(f"predictions and metrics in {out}")

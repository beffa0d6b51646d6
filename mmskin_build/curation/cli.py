"""`mmskin-build curate` and `mmskin-build report`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import get_args

import typer

from mmskin_build.curation.filters import FilterConfig
from mmskin_build.tables.curate import Modality

ModalityChoice = StrEnum("ModalityChoice", get_args(Modality))


def register(app: typer.Typer) -> None:
    app.command("curate")(curate)
    app.command("report")(report)


def _ratios(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 3 or any(v < 0 for v in values) or sum(values) <= 0:
        raise typer.BadParameter(f"expected three non-negative numbers like 0.8,0.1,0.1, got {text!r}")
    return values  # type: ignore[return-value]


def curate(
    dataset: Path = typer.Argument(..., help="Dataset directory with `images` (and `figures`) tables."),
    seed: int = typer.Option(0, "--seed", help="Seed of the split assignment."),
    split_ratios: str = typer.Option("0.8,0.1,0.1", "--split-ratios", help="train,val,test shares."),
    split_by_book: bool = typer.Option(False, "--split-by-book", help="Keep every image of a book in one split."),
    keep_duplicates: bool = typer.Option(False, "--keep-duplicates", help="Keep every member of a duplicate group."),
    no_modality: bool = typer.Option(
        False, "--no-modality", help="Curate images that `classify` has not labelled (no non-photo filter)."
    ),
    keep_modality: list[ModalityChoice] = typer.Option(
        list(FilterConfig.keep_modalities), "--keep-modality", help="Modalities kept (repeat the option)."
    ),
    min_side: int = typer.Option(128, "--min-side", min=1, help="Drop images whose shortest side is smaller (px)."),
    no_annotation_check: bool = typer.Option(False, "--no-annotation-check", help="Keep photos with drawn marks."),
    sensitive_keyword: list[str] = typer.Option(
        None, "--sensitive-keyword", help="Caption keyword that drops an image (repeat; replaces the default list)."
    ),
    no_sensitive_filter: bool = typer.Option(
        False, "--no-sensitive-filter", help="Keep images whatever the caption says."
    ),
    keep_uncaptioned: bool = typer.Option(False, "--keep-uncaptioned", help="Keep images with no caption."),
    phash_strict: int = typer.Option(
        4, "--phash-strict", min=0, max=63, help="Hash bits that may differ in a duplicate."
    ),
    phash_loose: int = typer.Option(
        7, "--phash-loose", min=0, max=63, help="Bits that may differ when captions agree."
    ),
    caption_similarity: float = typer.Option(
        80.0, "--caption-similarity", min=0, max=100, help="rapidfuzz token_set_ratio."
    ),
) -> None:
    """Turn extracted, classified images into caption pairs, demographics QA and splits.

    Writes [bold]pairs[/bold] (kept images, clean captions, demographics, split),
    [bold]demographics[/bold] (templated QA, each answer with its caption span) and
    [bold]dropped[/bold] (every other image with its reason).

    Every image lands in exactly one of pairs and dropped. A re-run replaces the three tables.

    Example: [bold]mmskin-build curate out/derm --seed 1 --split-ratios 0.8,0.1,0.1[/bold]
    """
    from mmskin_build.console import stage_events
    from mmskin_build.curation.duplicates import NearDuplicateConfig
    from mmskin_build.curation.filters import DEFAULT_SENSITIVE_KEYWORDS, FilterConfig
    from mmskin_build.curation.splits import SplitConfig
    from mmskin_build.curation.stage import CurateConfig, run_curate

    keywords = () if no_sensitive_filter else tuple(sensitive_keyword or DEFAULT_SENSITIVE_KEYWORDS)
    config = CurateConfig(
        filters=FilterConfig(
            keep_modalities=tuple(m.value for m in keep_modality),
            min_side=min_side,
            detect_annotations=not no_annotation_check,
            sensitive_keywords=keywords,
            require_caption=not keep_uncaptioned,
        ),
        near_duplicates=NearDuplicateConfig(
            strict_bits=phash_strict,
            loose_bits=max(phash_loose, phash_strict),
            caption_similarity=caption_similarity,
            bands=max(4, max(phash_loose, phash_strict) // 2 + 1),
        ),
        splits=SplitConfig(ratios=_ratios(split_ratios), seed=seed, by_book=split_by_book),
        keep_duplicates=keep_duplicates,
        no_modality=no_modality,
    )
    with stage_events() as events:
        summary = run_curate(dataset, config, events)
    splits = ", ".join(f"{k} {v}" for k, v in sorted(summary.splits.items())) or "none"
    dropped = ", ".join(f"{k} {v}" for k, v in summary.dropped.most_common()) or "none"
    print(
        f"{dataset}: {summary.images} images -> {summary.pairs} pairs ({splits}), "
        f"{summary.demographics} demographics QA, {summary.dup_groups} duplicate groups"
    )
    print(f"dropped: {dropped}")
    if summary.corrections_orphaned:
        shown = ", ".join(summary.corrections_orphaned[:10])
        print(
            f"{len(summary.corrections_orphaned)} correction(s) whose target is gone (ids {shown}); "
            "they stay in the corrections table"
        )


def report(
    dataset: Path = typer.Argument(..., help="Dataset directory (after `curate`)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="HTML file to write (default DATASET/report.html)."),
    thumbnails: int = typer.Option(12, "--thumbnails", min=0, help="Thumbnails per modality and per drop reason."),
) -> None:
    """Write one self-contained HTML page about DATASET: counts, histograms, thumbnails, drop reasons.

    The page embeds its images and styles (no network needed).

    Open it first after a run.

    Example: [bold]mmskin-build report out/derm[/bold]
    """
    from mmskin_build.curation.report import write_report

    print(write_report(dataset, out or dataset / "report.html", thumbnails=thumbnails))

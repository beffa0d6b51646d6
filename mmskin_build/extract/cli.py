"""`mmskin-build extract`, `mmskin-build eval-extract` and `mmskin-build inspect`."""

from __future__ import annotations

from pathlib import Path

import typer

from mmskin_build.engines import ENGINE_OPTION, RAY_ADDRESS_OPTION, EngineKind, engine_from_options
from mmskin_build.extract.ocr import OcrMode
from mmskin_build.pipeline import UsageError


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    app.command("eval-extract")(eval_extract)
    app.command("inspect")(inspect)


def extract(
    inputs: list[Path] = typer.Argument(..., help="PDF files or directories of PDFs (searched recursively)."),
    out: Path = typer.Option(..., "-o", "--out", help="Dataset directory to create or add to."),
    workers: int = typer.Option(
        1,
        "--workers",
        "-w",
        min=1,
        help="PDFs (or page ranges) extracted at once: this process and N-1 worker processes.",
    ),
    engine: EngineKind = ENGINE_OPTION,
    ray_address: str | None = RAY_ADDRESS_OPTION,
    dpi: int = typer.Option(200, "--dpi", min=36, max=600, help="Resolution of rendered figures and panels."),
    force: bool = typer.Option(False, "--force", help="Re-extract PDFs already in the dataset."),
    captioned_only: bool = typer.Option(False, "--captioned-only", help="Drop figures that have no caption."),
    ocr: OcrMode = typer.Option(
        OcrMode.auto,
        "--ocr",
        help="auto: OCR scanned pages (no text layer) with Tesseract; always: OCR every page; never: skip "
        "scanned pages (an errors row names them).",
    ),
) -> None:
    """Extract every figure of the PDFs, with panels, captions and in-text mentions.

    Writes the tables [bold]figures[/bold], [bold]images[/bold] and [bold]errors[/bold] to OUT. A re-run skips
    PDFs already extracted (by content hash) unless --force. Exits 1 when any file or page failed; the
    good output is kept. A re-run with other options, or by a changed extractor (a hash of its code is
    recorded), says so and keeps the earlier extraction; --force
    re-extracts (and rows a later stage derived from the old extraction are marked stale, never duplicated).
    The same file given twice (a copy or a link) is extracted once.

    With --engine ray each PDF is a Ray task; the workers write their shards into OUT, which must be on a
    filesystem every node sees at the same path, and this process commits them.

    Scanned pages (one picture per page, no text layer) are OCR'd with Tesseract (Debian's tesseract-ocr
    and tesseract-ocr-eng) and their pictures found on the page raster.

    Example: [bold]mmskin-build extract books/ -o out/derm --workers 2[/bold]
    On a Ray cluster: [bold]mmskin-build extract /shared/books -o /shared/derm --engine ray --ray-address auto[/bold]
    """
    from mmskin_build.console import exit_for, stage_events
    from mmskin_build.extract.stage import ExtractConfig, run_extract

    if ocr is OcrMode.always:
        _require_ocr_engine()
    config = ExtractConfig(dpi=dpi, captioned_only=captioned_only, ocr=ocr)
    with stage_events() as events:
        summary = run_extract(
            inputs, out, config, force=force, engine=engine_from_options(engine, workers, ray_address), events=events
        )
    _print_summary(summary, out)
    exit_for(summary.errors)


def _print_summary(summary, out: Path) -> None:
    """One row a count (as generate-vqa's): ten columns side by side were cut to four letters on 80 columns."""
    from rich.table import Table

    from mmskin_build.console import out as console

    table = Table(title=f"extract -> {out} in {summary.seconds:.1f} s", title_justify="left")
    table.add_column("count")
    table.add_column("n", justify="right")
    for name in ("pdfs", "skipped", "duplicates", "failed", "pages", "figures", "panels", "images", "errors"):
        table.add_row(name, str(getattr(summary, name)))
    for name in ("uncaptioned", "slices", "decorations", "text_pictures"):  # pictures left out, not figures
        if dropped := getattr(summary, f"{name}_dropped"):
            table.add_row(f"dropped: {name.replace('_', ' ')}", str(dropped))
    console.print(table)


def _require_ocr_engine() -> None:
    """--ocr always reads every page with OCR: without the engine nothing can be extracted, so stop first."""
    from mmskin_build.extract.ocr import OcrUnavailable, engine_version

    try:
        engine_version()
    except OcrUnavailable as exc:
        raise UsageError(f"--ocr always: {exc}") from exc


def eval_extract(
    dataset: Path = typer.Argument(..., help="Dataset directory written by `extract`."),
    gt: list[Path] = typer.Option(
        ..., "--gt", help="Ground-truth JSON file, or a directory of them (one per PDF); repeatable."
    ),
    iou: float = typer.Option(0.8, "--iou", help="Box IoU a detected figure needs to count as right."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the scores as JSON here."),
    overlays: Path | None = typer.Option(
        None,
        "--overlays",
        help="Write PNGs of the pages with a miss, false figure, wrong caption, panel count or sub-captions.",
    ),
) -> None:
    """Score extracted figures against ground truth with pdffigures2's protocol.

    A figure is right when it is on the right page and its box has IoU >= 0.8 with the truth; its
    caption is right when the normalised text matches. Prints precision, recall and F1 per document and
    overall, caption accuracy of matched figures, panel-count accuracy where the truth has panels, and
    "sub-cap.": matched figures whose truth gives panel letters and sub-captions, right when every lettered
    panel is found with its letter and the caption's text about it (ratio >= 90; tests/extract/groundtruth/README.md).

    With --overlays DIR, each page where truth and prediction disagree is drawn twice side by side,
    DIR/<pdf>-p<page>-truth-vs-found.png: the truth (orange) left, what was found (red) right.

    Example: [bold]mmskin-build eval-extract out/derm --gt ../shared/data/pdf_groundtruth
    --gt tests/extract/groundtruth --overlays out/eval-pages[/bold]
    """
    from mmskin_build.console import out as console
    from mmskin_build.extract.evaluate import evaluate_dataset, report_table
    from mmskin_build.extract.overlays import write_eval_overlays

    missing = [path for path in gt if not path.exists()]
    if missing:
        raise UsageError(f"--gt {missing[0]}: no such file or directory")
    report = evaluate_dataset(dataset, gt, iou_threshold=iou)
    if not console.is_terminal:  # a pipe or file gets 80 columns, too few for the document names
        console.width = max(console.width, 110)
    console.print(report_table(report))
    for line in report.skipped:
        console.print(f"not scored: {line}", markup=False)
    if json_out:
        json_out.write_text(report.model_dump_json(indent=2))
    if overlays:
        written = write_eval_overlays(dataset, gt, report, overlays)
        console.print(f"{len(written)} truth-vs-found pages in {overlays}", markup=False)


def inspect(
    dataset: Path = typer.Argument(..., help="Dataset directory written by `extract`."),
    out: Path = typer.Option(..., "-o", "--out", help="Directory for the PNGs (one per page)."),
    pdf: str | None = typer.Option(None, "--pdf", help="Only this PDF (file name, with or without .pdf)."),
    pages: str | None = typer.Option(None, "--pages", help="Only these pages, e.g. 3-7 or 3,5,9-11 (1-based)."),
    dpi: int = typer.Option(100, "--dpi", min=36, max=300, help="Resolution of the rendered pages."),
) -> None:
    """Draw what `extract` found on the rendered pages: figure boxes (red, with label and figure id), caption
    boxes (blue) and panel boxes (green, with their letters), one PNG per page, OUT/<pdf>-p<page>.png.

    Without --pages, the pages that have figures; with it, those pages, so a page where a figure was
    missed shows up empty.

    Example: [bold]mmskin-build inspect out/derm --pdf atlas.pdf --pages 3-7 -o out/overlays[/bold]
    """
    from mmskin_build.console import out as console
    from mmskin_build.extract.overlays import parse_pages, write_dataset_overlays

    page_set = parse_pages(pages) if pages else None
    written = write_dataset_overlays(dataset, out, pdf_name=pdf, pages=page_set, dpi=dpi)
    console.print(f"{len(written)} page overlays in {out}", markup=False)

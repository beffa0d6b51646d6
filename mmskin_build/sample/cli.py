"""`mmskin-build make-sample`: write the sample textbook (and optionally the long book and bad inputs)."""

from __future__ import annotations

import time
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("make-sample")(make_sample)


def make_sample(
    out_dir: Path = typer.Argument(..., help="Directory to write the PDFs and their ground-truth JSON into."),
    pages: int | None = typer.Option(
        None, "--pages", min=2, help="Make the textbook exactly N pages (chapters repeat)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed writes the same bytes."),
    long_book: int | None = typer.Option(
        None, "--long-book", min=2, help="Also write long-book.pdf of N pages (benchmarks)."
    ),
    bad: bool = typer.Option(False, "--bad-inputs", help="Also write the broken PDFs into OUT_DIR/bad/."),
) -> None:
    """Write sample-textbook.pdf and sample-textbook.json (ground truth in the pdf_groundtruth format).

    The textbook has two-column text citing figures, single and multi-panel figures (letters in the text
    layer and burned into pixels), captions below, above and beside, a strip-split raster, a vector chart,
    a table, an uncaptioned photo, running headers and a decorative logo.

    Example: [bold]mmskin-build make-sample out/sample --long-book 1000 --bad-inputs[/bold]
    """
    from mmskin_build.sample import bad_inputs, build_long_book, build_textbook

    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [("sample-textbook", lambda path: build_textbook(path, seed=seed, pages=pages))]
    if long_book:
        jobs.append(("long-book", lambda path: build_long_book(path, pages=long_book, seed=seed)))
    for stem, build in jobs:
        start = time.perf_counter()
        truth = build(out_dir / f"{stem}.pdf")
        truth.write(out_dir / f"{stem}.json")
        print(
            f"{out_dir / stem}.pdf: {len(truth.pages_annotated)} pages, {len(truth.figures)} figures and tables "
            f"({time.perf_counter() - start:.1f} s); ground truth {stem}.json"
        )
    if bad:
        reasons = bad_inputs(out_dir / "bad")
        print(
            f"{out_dir / 'bad'}: {len(reasons)} broken PDFs: "
            + ", ".join(f"{name} ({why})" for name, why in reasons.items())
        )

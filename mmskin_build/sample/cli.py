"""`mmskin-build make-sample`: write the sample textbook (and optionally the long book and bad inputs)."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from mmskin_build.pipeline import UsageError
from mmskin_build.sample.book_styles import BookStyle


def register(app: typer.Typer) -> None:
    app.command("make-sample")(make_sample)


def make_sample(
    out_dir: Path = typer.Argument(..., help="Directory to write the PDFs and their ground-truth JSON into."),
    pages: int | None = typer.Option(None, "--pages", min=2, help="Make the textbook N pages (chapters repeat)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed writes the same bytes."),
    long_book: int | None = typer.Option(None, "--long-book", min=2, help="Also write long-book.pdf of N pages."),
    bad: bool = typer.Option(False, "--bad-inputs", help="Also write the broken PDFs into OUT_DIR/bad/."),
    style: BookStyle = typer.Option(
        BookStyle.textbook,
        "--style",
        help="textbook (sample-textbook.pdf), or a textbook layout family: handbook (print replica: title-plus-"
        "description captions, figure rows, thumb tabs, lettered sets, photo-plus-drawing pictures, a table as a "
        "picture) or ebook (pictures sliced by page breaks, captions continued on or printed on the next page, "
        "text without space glyphs) or atlas (captions in a wide outer margin, grids of captioned photos, a lettered "
        "plate, captions above in a tinted band or box, stacked figures), written as sample-STYLE.pdf.",
    ),
    pictures: Path | None = typer.Option(
        None,
        "--pictures",
        help="With --style ebook or atlas: lay out your own pictures and captions instead of drawn ones: a folder "
        "with captions.csv (columns file, title, description; the e-book uses the first 5 rows, the atlas the first "
        "29, each cut to its slot's shape).",
    ),
    word_gap: float | None = typer.Option(
        None,
        "--word-gap",
        min=0.0,
        max=0.5,
        help="With --style ebook: words this many font sizes apart, without space glyphs (default 0.1, narrower "
        "than pdfium's own space threshold; 0: the glyphs of neighbouring words touch, so the text layer reads "
        "'Scatteredfinepapulesontheforearm').",
    ),
) -> None:
    """Write sample-textbook.pdf and sample-textbook.json (ground truth in the pdf_groundtruth format).

    The textbook has two-column text citing figures, single and multi-panel figures (letters in the text
    layer and burned into pixels), captions below, above and beside, rasters split into strips and tiles,
    a vector chart, a table, an uncaptioned photo, running headers and a decorative logo. --long-book
    writes the memory/throughput benchmark book (a figure on every 3rd page).

    Example: [bold]mmskin-build make-sample out/sample --long-book 1000 --bad-inputs[/bold]
    (and [bold]mmskin-build make-sample out/sample --style atlas --pictures my-photos/[/bold],
    [bold]mmskin-build make-sample out/glued --style ebook --word-gap 0[/bold])
    """
    from mmskin_build.console import stage_events

    try:
        from mmskin_build.sample import build_long_book, build_styled, build_textbook
        from mmskin_build.sample.bad_inputs import bad_inputs
        from mmskin_build.sample.styles import PICTURES_NEEDED
    except ImportError as exc:  # reportlab comes with the dev extra
        package = (exc.name or "reportlab").split(".")[0]
        raise UsageError(f"make-sample needs {package}: pip install 'mmskin-build[dev]'") from exc

    name = style.value
    if name != "textbook" and pages:
        raise UsageError("--pages applies to --style textbook only")
    if pictures is not None and name not in PICTURES_NEEDED:
        raise UsageError("--pictures applies to --style ebook or atlas only")
    if word_gap is not None and name != "ebook":
        raise UsageError("--word-gap applies to --style ebook only")
    laid_out = None
    if pictures is not None:
        from mmskin_build.sample.pictures import load_pictures

        try:
            laid_out = load_pictures(pictures)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        needed = PICTURES_NEEDED[name]
        if len(laid_out) < needed:
            raise UsageError(f"{pictures / 'captions.csv'}: {len(laid_out)} pictures, the {name} needs {needed}")
    jobs = [
        ("sample-textbook", pages or 9, lambda path, tick: build_textbook(path, seed=seed, pages=pages, on_page=tick))
        if name == "textbook"
        else (
            f"sample-{name}",
            None,
            lambda path, tick: build_styled(path, name, seed=seed, on_page=tick, pictures=laid_out, word_gap=word_gap),
        )
    ]
    if long_book:
        jobs.append(("long-book", long_book, lambda path, tick: build_long_book(path, long_book, seed, on_page=tick)))
    out_dir.mkdir(parents=True, exist_ok=True)
    for stem, total, build in jobs:
        start = time.perf_counter()
        with stage_events() as events:
            advance = events.progress(f"{stem}.pdf", total)
            truth = build(out_dir / f"{stem}.pdf", lambda _page, advance=advance: advance(1))
        truth.write(out_dir / f"{stem}.json")
        print(
            f"{out_dir / stem}.pdf: {len(truth.pages_annotated)} pages, {len(truth.figures)} figures and tables "
            f"({time.perf_counter() - start:.1f} s); ground truth {stem}.json"
        )
    if bad:
        reasons = bad_inputs(out_dir / "bad")
        listed = ", ".join(f"{name} ({why})" for name, why in reasons.items())
        print(f"{out_dir / 'bad'}: {len(reasons)} broken PDFs: {listed}")

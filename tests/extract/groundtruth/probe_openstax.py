"""Probe caption classes on real layout engines without hand-made truth: chapters of an OpenStax book (`--book`:
*Anatomy and Physiology 2e*, *Microbiology* or *Psychology 2e*, CC BY 4.0 at the commits `bake_openstax.BOOKS` pins)
baked by `bake_openstax.py` and printed by several engines and page sizes; the CNXML says every figure's number and
whole caption, so each extracted figure's caption is checked against it, and its box is checked to hold a picture
and to be that picture's (the books' figures are rasters; one the book sets as a table is vector, and flagged: look
at it). Dev material: a failure seen here is a class to fix with a test of its own, not a scored set.

    python tests/extract/groundtruth/probe_openstax.py build --repo <git dir> --out /tmp/probe 2 6 20 22
    mmskin-build extract /tmp/probe -o /tmp/probe_ds --dpi 72
    python tests/extract/groundtruth/probe_openstax.py check --repo <git dir> --out /tmp/probe --dataset /tmp/probe_ds

A figure the baker does not print (one inside a feature box it leaves out) is counted missing.

Chapters are 0-based indices into the book's collection. Engines (Debian 12 packages calibre, wkhtmltopdf, pandoc,
libreoffice-writer-nogui, chromium): by default the e-book design printed by calibre at A5 and A6, wkhtmltopdf at A5,
pandoc and LibreOffice (a Word document); with `--engines`, also the print designs of held-out 37 and 41 (two
columns, captions in a wide margin, a handbook's pairs and floats) printed by Chromium.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from bake_openstax import (
    BOOKS,
    CNXML,
    EBOOK_CSS,
    HANDBOOK_CSS,
    MARGIN_CSS,
    PRINT_ENV,
    PRINTERS,
    TWO_COLUMN_CSS,
    Baker,
    Book,
    Chapter,
    Design,
    MirrorLacks,
)

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.text import normalise_for_match

# Each engine: the design it bakes the chapter in and how it prints it. The e-book designs are the default; the
# print designs (two columns, captions in a wide margin, a handbook's figures in pairs and floats, as held-out 37 and
# 41 bake them) are printed by Chromium.
ENGINES = {
    "calA5": (
        Design(EBOOK_CSS, "title-line"),
        lambda page, pdf: [["ebook-convert", str(page), str(pdf), "--paper-size", "a5"]],
    ),
    "calA6": (
        Design(EBOOK_CSS, "title-line"),
        lambda page, pdf: [["ebook-convert", str(page), str(pdf), "--paper-size", "a6"]],
    ),
    "wkA5": (
        Design(EBOOK_CSS, "title-line"),
        lambda page, pdf: [["wkhtmltopdf", "--quiet", "--enable-local-file-access", "-s", "A5", str(page), str(pdf)]],
    ),
    "lo": (Design(EBOOK_CSS, "paragraph"), PRINTERS["libreoffice"]),
    "twocol": (Design(TWO_COLUMN_CSS, "title-line"), PRINTERS["chromium"]),
    "margin": (Design(MARGIN_CSS, "title-line"), PRINTERS["chromium"]),
    "handbook": (Design(HANDBOOK_CSS, "run-in", arranges=True), PRINTERS["chromium"]),
}
EBOOK_ENGINES = ("calA5", "calA6", "wkA5", "lo")
_PDF_NAME = re.compile(r"probe_(?P<engine>\w+?)_ch(?P<chapter>\d+)\.pdf")


def _chapters(repo: Path, book: Book) -> list[tuple[str, tuple[str, ...]]]:
    collection = subprocess.run(
        ["git", f"--git-dir={repo}", "show", f"{book.commit}:collections/{book.collection}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<col:subcollection>\s*<md:title>([^<]*)</md:title>\s*<col:content>((?:\s*<col:module document="m\d+"/>)+)',
        collection,
    )
    return [(html.unescape(title), tuple(re.findall(r"m\d+", modules))) for title, modules in found]


def _baker(repo: Path, book: Book, media: Path, chapters: list, index: int, design: Design) -> Baker:
    title, modules = chapters[index]
    chapter = Chapter(index + 1, title, modules, f"ch{index + 1}")
    return Baker(repo, media, chapter, design, book.commit)


def _captions(baker: Baker) -> dict[str, str]:
    """Each figure's number and the caption text it prints."""
    captions = {}
    for module in baker.modules():
        for figure in module.iter(f"{CNXML}figure"):
            printed = re.search(r"<figcaption>(.*)</figcaption>", baker._figure(figure, "")).group(1)
            text = re.sub(r"<[^>]+>", "", printed.replace("</div><div", "</div> <div"))
            captions[baker.numbers[figure]] = html.unescape(text).strip()
    return captions


def build(repo: Path, book: Book, out: Path, indices: list[int], engines: Sequence[str] = EBOOK_ENGINES) -> int:
    """Print each chapter in `indices` by each of `engines` into `out`; a chapter the mirror lacks a file of is
    skipped with one line that names the file, and the others go on. Returns how many were skipped."""
    out.mkdir(parents=True, exist_ok=True)
    chapters = _chapters(repo, book)
    skipped = 0
    for index in indices:
        try:
            _print_chapter(repo, book, out, chapters, index, engines)
        except MirrorLacks as exc:
            print(f"chapter {index + 1} skipped: {exc}", file=sys.stderr)
            skipped += 1
    return skipped


def _print_chapter(repo: Path, book: Book, out: Path, chapters: list, index: int, engines: Sequence[str]) -> None:
    for engine in engines:
        design, printer = ENGINES[engine]
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "media").mkdir()
            page = Path(tmp) / "chapter.html"
            page.write_text(_baker(repo, book, Path(tmp) / "media", chapters, index, design).html(design.css))
            for command in printer(page, out / f"probe_{engine}_ch{index + 1}.pdf"):
                subprocess.run(command, check=True, capture_output=True, env=PRINT_ENV)


def check(repo: Path, book: Book, out: Path, dataset: Path) -> Counter:
    """Print each figure number missing, found twice, captioned with other text than it prints, boxed round no
    picture or boxed loosely; the counts. The book's figures are rasters, so a figure of vector ink alone (kind
    "vector") took something else for its picture (a framed note under its caption, the picture left uncaptioned), or
    is a figure the book sets as a table (Microbiology 26.28 in the handbook design); a box that is not its rasters'
    (`_loose`) took in what lies beside them (a feature box's prose, a framed note under the picture)."""
    chapters = _chapters(repo, book)
    columns = ["source_pdf", "page", "label", "caption", "kind", "bbox"]
    rows = pq.read_table(dataset / "figures", columns=columns).to_pylist()
    counts: Counter = Counter()
    for pdf in sorted(out.glob("probe_*.pdf")):
        match = _PDF_NAME.fullmatch(pdf.name)
        design = ENGINES[match["engine"]][0]
        with tempfile.TemporaryDirectory() as media:  # the baker copies each figure's media file there
            truth = _captions(_baker(repo, book, Path(media), chapters, int(match["chapter"]) - 1, design))
        found = [row for row in rows if row["source_pdf"] == pdf.name]
        rasters = _Rasters(pdf)
        counts["figures"] += len(truth)
        counts["uncaptioned"] += sum(not row["caption"] for row in found)
        for number, text in truth.items():
            mine = [row for row in found if row["label"] == number]
            if not mine:
                counts["missing"] += 1
                print(pdf.name, number, "missing")
            elif normalise_for_match(mine[0]["caption"] or "") != normalise_for_match(text):
                counts["wrong caption"] += 1
                print(pdf.name, number, f"p. {mine[0]['page']}", "caption", repr((mine[0]["caption"] or "")[-60:]))
            elif mine[0]["kind"] == "vector":
                counts["no picture"] += 1
                print(pdf.name, number, f"p. {mine[0]['page']}", "holds no picture")
            elif _loose(Box(*mine[0]["bbox"]), rasters.on(mine[0]["page"])):
                counts["loose box"] += 1
                print(pdf.name, number, f"p. {mine[0]['page']}", "box", [round(v) for v in mine[0]["bbox"]], "loose")
            else:
                counts["right"] += 1
            counts["twice"] += len(mine) > 1
        counts["not in the book"] += sum(row["label"] not in truth for row in found if row["caption"])
    print(dict(counts))
    return counts


class _Rasters:
    """The boxes of a PDF's image objects, page by page as asked for (top-left origin, as the figure rows' boxes)."""

    def __init__(self, pdf: Path) -> None:
        self._document = pdfium.PdfDocument(pdf)
        self._pages: dict[int, list[Box]] = {}

    def on(self, number: int) -> list[Box]:
        if number not in self._pages:
            page = self._document[number - 1]
            height = page.get_height()
            self._pages[number] = [
                Box(left, height - top, right, height - bottom)
                for left, bottom, right, top in (
                    image.get_bounds() for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
                )
            ]
        return self._pages[number]


def _loose(box: Box, rasters: list[Box]) -> bool:
    """The figure's box is not its picture's: the rasters it holds (over half of each inside it) unite to a box it meets
    with IoU under 0.8 (pdffigures2's protocol asks 0.8), over a tenth of it outside them. A box inside them is its
    picture's, trimmed to its ink (a raster's white padding is no figure)."""
    held = union_all(raster for raster in rasters if raster.area > 0 and box.overlap_area(raster) > 0.5 * raster.area)
    return held is not None and box.iou(held) < 0.8 and box.overlap_area(held) < 0.9 * box.area


def _engine_list(value: str) -> tuple[str, ...]:
    engines = tuple(value.split(","))
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown engine {', '.join(unknown)} (choose from {', '.join(ENGINES)})")
    return engines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("build", "check"))
    parser.add_argument("chapters", type=int, nargs="*", help="0-based chapter indices (build)")
    parser.add_argument("--repo", type=Path, required=True, help="git directory of the book's repository")
    books = ", ".join(f"{name}: {book.repository}" for name, book in sorted(BOOKS.items()))
    parser.add_argument("--book", choices=sorted(BOOKS), default="anatomy", help=f"which book ({books})")
    parser.add_argument("--out", type=Path, required=True, help="folder of the probe PDFs")
    parser.add_argument("--dataset", type=Path, help="extract's dataset of those PDFs (check)")
    parser.add_argument(
        "--engines",
        type=_engine_list,
        default=EBOOK_ENGINES,
        help=f"comma-separated engines that print each chapter (build): {', '.join(ENGINES)}; "
        f"default {','.join(EBOOK_ENGINES)}",
    )
    args = parser.parse_intermixed_args()  # the chapters may follow the options, as in the usage above
    book = BOOKS[args.book]
    if args.action == "build":
        sys.exit(1 if build(args.repo, book, args.out, args.chapters, args.engines) else 0)
    else:
        check(args.repo, book, args.out, args.dataset)


if __name__ == "__main__":
    main()

"""Boxes drawn on rendered pages, so a person sees at a glance what `extract` cut where.

`inspect` draws a dataset's figures (red), captions (blue) and panels (green) with their labels and ids;
`eval-extract --overlays` puts the ground truth (orange) beside the predictions on the pages where they
disagree. Pages are rendered with pypdfium2; boxes are in pdfplumber's page coordinates (top-left origin,
y measured from the MediaBox height), converted once here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from mmskin_build.extract.evaluate import EvalReport, read_truth, truth_files
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import crop_frame
from mmskin_build.pipeline import UsageError
from mmskin_build.store import Dataset
from mmskin_build.store.dataset import atomic_write_bytes

COLOURS: dict[str, tuple[int, int, int]] = {
    "figure": (220, 20, 20),
    "caption": (20, 70, 230),
    "panel": (0, 170, 60),
    "truth": (255, 140, 0),
    "truth_caption": (160, 0, 200),
}
_LINE_WIDTH = {"figure": 4, "truth": 4, "caption": 2, "truth_caption": 2, "panel": 2}
_GAP = 16  # pixels between the truth and prediction halves of a side-by-side image
_PAGE_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


class OverlayError(UsageError):
    """A request `inspect` cannot serve: the message names the file or option and the problem."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One box to draw: `role` picks the colour (a key of COLOURS), `text` is printed at its top-left."""

    box: Box
    role: str
    text: str


def parse_pages(spec: str) -> set[int]:
    """'3-7' or '3,5,9-11' -> 1-based page numbers."""
    pages: set[int] = set()
    for part in spec.split(","):
        match = _PAGE_RANGE.match(part)
        if not match:
            raise OverlayError(f"--pages {spec!r}: expected page numbers like 3-7 or 3,5,9-11")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise OverlayError(f"--pages {spec!r}: {part.strip()!r} is not a range of pages from 1")
        pages.update(range(first, last + 1))
    return pages


def figure_marks(row: dict) -> list[Mark]:
    """Marks of one `figures` row: its box (label and id), its caption box and its panels (letters)."""
    name = f"Fig {row['label']}" if row.get("label") else "unlabelled" if row.get("caption") else "uncaptioned"
    marks = [Mark(Box(*row["bbox"]), "figure", f"{name} [{row['figure_id'][:8]}]")]
    if row.get("caption_bbox"):
        marks.append(Mark(Box(*row["caption_bbox"]), "caption", "caption"))
    for panel in row.get("panels") or []:
        marks.append(Mark(Box(*panel["bbox"]), "panel", panel.get("letter") or str(panel["index"] + 1)))
    return marks


def truth_marks(figure: dict) -> list[Mark]:
    """Marks of one ground-truth figure: its box (type, name, panel count) and its caption box."""
    panels = figure.get("panels")
    text = f"{figure.get('type', 'Figure')} {figure.get('name')}" + (f" ({panels} panels)" if panels else "")
    marks = [Mark(Box(*figure["figure_bbox"]), "truth", text)]
    if figure.get("caption_bbox"):
        marks.append(Mark(Box(*figure["caption_bbox"]), "truth_caption", "caption"))
    return marks


def render_page(document: pdfium.PdfDocument, page_number: int, dpi: int) -> tuple[Image.Image, Box]:
    """Page `page_number` (1-based) as RGB at `dpi`, and its crop box in page coordinates (pixel (0, 0))."""
    page = document[page_number - 1]
    image = page.render(scale=dpi / 72, draw_annots=False).to_pil().convert("RGB")
    return image, crop_frame(page)


def draw_marks(image: Image.Image, cropbox: Box, marks: Iterable[Mark], dpi: int) -> Image.Image:
    """`image` (a page rendered by `render_page`) with each mark's box outlined and its text written above."""
    scale = dpi / 72
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(10, round(9 * scale)))
    for mark in sorted(marks, key=lambda m: m.role == "figure"):  # figure boxes last, on top
        colour = COLOURS[mark.role]
        x0, y0 = (mark.box.x0 - cropbox.x0) * scale, (mark.box.top - cropbox.top) * scale
        x1, y1 = (mark.box.x1 - cropbox.x0) * scale, (mark.box.bottom - cropbox.top) * scale
        width = _LINE_WIDTH[mark.role]
        # The outline lies just outside the box, so ink at the box's edge stays visible.
        draw.rectangle((x0 - width, y0 - width, max(x0, x1) + width, max(y0, y1) + width), outline=colour, width=width)
        # Inside the box's top-left corner: a caption printed just above a figure stays readable.
        at = (x0 + 1, y0 + 1)
        draw.rectangle(draw.textbbox(at, mark.text, font=font), fill=(255, 255, 255))
        draw.text(at, mark.text, fill=colour, font=font)
    return image


def side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    joined = Image.new("RGB", (left.width + _GAP + right.width, max(left.height, right.height)), (128, 128, 128))
    joined.paste(left, (0, 0))
    joined.paste(right, (left.width + _GAP, 0))
    return joined


def _save_png(image: Image.Image, path: Path) -> Path:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def dataset_pdfs(dataset_dir: Path) -> dict[str, Path]:
    """The extracted PDFs of a dataset by file stem (paths as the manifest records them)."""
    inputs = Dataset.open(dataset_dir).manifest.inputs.values()
    return {Path(item.path).stem: Path(item.path) for item in inputs if item.status == "done"}


def _figures_by_page(dataset_dir: Path) -> dict[tuple[str, int], list[dict]]:
    columns = ["figure_id", "source_pdf", "page", "bbox", "label", "caption", "caption_bbox", "panels"]
    rows = Dataset.open(dataset_dir).read_table("figures", columns=columns).to_pylist()
    by_page: dict[tuple[str, int], list[dict]] = {}
    for row in rows:
        by_page.setdefault((Path(row["source_pdf"]).stem, row["page"]), []).append(row)
    return by_page


def write_dataset_overlays(
    dataset_dir: Path, out_dir: Path, pdf_name: str | None = None, pages: set[int] | None = None, dpi: int = 100
) -> list[Path]:
    """One PNG per page, `<pdf-stem>-p<page>.png`, with the page's figures drawn on it. Without `pages`,
    the pages that have figures; with it, those pages (a page without figures shows that none was found)."""
    pdfs = dataset_pdfs(dataset_dir)
    if pdf_name is not None:
        stem = Path(pdf_name).stem
        if stem not in pdfs:
            raise OverlayError(f"--pdf {pdf_name}: not in the dataset at {dataset_dir} (it has {len(pdfs)} PDFs)")
        pdfs = {stem: pdfs[stem]}
    by_page = _figures_by_page(dataset_dir)
    written: list[Path] = []
    for stem, path in sorted(pdfs.items()):
        if not path.is_file():
            raise OverlayError(f"{path}: the dataset's source PDF is not there any more")
        with pdfium.PdfDocument(path) as document:
            wanted = pages if pages is not None else {page for (s, page) in by_page if s == stem}
            for page in sorted(p for p in wanted if p <= len(document)):
                image, cropbox = render_page(document, page, dpi)
                marks = [mark for row in by_page.get((stem, page), []) for mark in figure_marks(row)]
                draw_marks(image, cropbox, marks, dpi)
                written.append(_save_png(image, out_dir / f"{stem}-p{page:03d}.png"))
    if pages and not written:
        raise OverlayError(f"--pages: no page {min(pages)}-{max(pages)} in {', '.join(sorted(pdfs)) or 'the dataset'}")
    return written


def write_eval_overlays(
    dataset_dir: Path, gt: Path | Iterable[Path], report: EvalReport, out_dir: Path, dpi: int = 100
) -> list[Path]:
    """For each page of `report.pages_to_check`, `<pdf-stem>-p<page>-truth-vs-found.png`: the ground truth
    (orange, captions purple) on the left, what `extract` found on the right."""
    pdfs = dataset_pdfs(dataset_dir)
    by_page = _figures_by_page(dataset_dir)
    written: list[Path] = []
    for gt_path in truth_files(gt):
        stem, truth = read_truth(gt_path)
        pages = report.pages_to_check.get(stem, [])
        if not pages or stem not in pdfs:
            continue
        if not pdfs[stem].is_file():
            raise OverlayError(f"{pdfs[stem]}: the dataset's source PDF is not there any more")
        with pdfium.PdfDocument(pdfs[stem]) as document:
            for page in pages:
                left, cropbox = render_page(document, page, dpi)
                right = left.copy()
                truth_page = [mark for f in truth["figures"] if f["page"] == page for mark in truth_marks(f)]
                found_page = [mark for row in by_page.get((stem, page), []) for mark in figure_marks(row)]
                joined = side_by_side(
                    draw_marks(left, cropbox, truth_page, dpi), draw_marks(right, cropbox, found_page, dpi)
                )
                written.append(_save_png(joined, out_dir / f"{stem}-p{page:03d}-truth-vs-found.png"))
    return written

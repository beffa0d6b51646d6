"""A picture pasted on a slide is no scan: a sheet of photos laid over a slide's background, with no text layer,
looks like a scanned page (one picture over most of the page) but shows the slide around it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.ocr import OcrMode
from mmskin_build.extract.page import read_page
from mmskin_build.extract.scanned import is_scanned
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample import images
from mmskin_build.store import Dataset

WIDTH, HEIGHT = 720.0, 540.0  # a 4:3 slide
SHEET = (0.0, 12.0, 716.0, 498.0)  # x, y from the top, width, height: held-out 8's test-procedure sheet


def _sheet() -> Image.Image:
    """A procedure sheet as one raster in a thin frame: three photos in a row, numbered steps and instructions
    under them."""
    rng = np.random.default_rng(3)
    sheet = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(sheet)
    draw.rectangle((0, 0, 999, 699), outline="black", width=2)
    for k in range(3):
        sheet.paste(images.skin_photo(rng, 260, 220, tone=k), (60 + 320 * k, 80))
        draw.text((60 + 320 * k, 40), str(k + 1), fill="black")
        for row in range(3):
            draw.text((60 + 320 * k, 330 + 20 * row), f"Step {k + 1}: instruction line {row + 1}", fill="black")
    return sheet


def _page(pdf: Canvas, background: tuple[float, float, float] | None, placed: tuple[float, ...]) -> None:
    if background is not None:  # the slide's own background, drawn over the whole slide
        pdf.setFillColorRGB(*background)
        pdf.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)
    x, y, w, h = placed
    pdf.drawImage(ImageReader(_sheet()), x, HEIGHT - y - h, w, h)
    pdf.showPage()


def _deck(path: Path) -> None:
    """Slide 1: title and bullets; slide 2: the sheet pasted on the slide's green background, no text layer."""
    pdf = Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pdf.setFont("Helvetica-Bold", 32)
    pdf.drawString(60, HEIGHT - 80, "Survey procedure")
    pdf.setFont("Helvetica", 20)
    for k in range(4):
        pdf.drawString(80, HEIGHT - 150 - 36 * k, f"Point {k + 1} of the survey procedure")
    pdf.showPage()
    _page(pdf, (0.55, 0.8, 0.6), SHEET)
    pdf.save()


def test_a_picture_on_a_slide_background_is_not_a_scan_and_a_scan_with_a_blank_margin_is(tmp_path):
    pdf = Canvas(str(tmp_path / "pages.pdf"), pagesize=(WIDTH, HEIGHT))
    _page(pdf, (0.55, 0.8, 0.6), SHEET)  # the slide shows around the picture
    _page(pdf, None, SHEET)  # a scan on a page a little larger than it: white paper around it
    _page(pdf, (1.0, 1.0, 1.0), SHEET)  # a white page drawn under the scan
    _page(pdf, (0.55, 0.8, 0.6), (0, 0, WIDTH, HEIGHT))  # the picture covers whatever is under it
    pdf.save()
    with pdfium.PdfDocument(tmp_path / "pages.pdf") as document:
        found = []
        for index in range(len(document)):
            page = read_page(document, index)
            found.append(is_scanned(page))
            page.close()
    assert found == [False, True, True, True]


def test_a_picture_sheet_pasted_on_a_slide_is_one_figure_not_a_scan_cut_into_photos(tmp_path):
    """Held-out 8's slide deck, slide 15: the sheet was OCR'd as a scanned page and its photos came out as six
    figures; it is one picture on the slide."""
    _deck(tmp_path / "deck.pdf")
    summary = run_extract([tmp_path / "deck.pdf"], tmp_path / "ds", ExtractConfig(dpi=72, ocr=OcrMode.auto))
    assert summary.errors == 0
    dataset = Dataset.open(tmp_path / "ds")
    rows = dataset.read_table("figures").to_pylist()
    assert [row["page"] for row in rows] == [2]
    x, y, w, h = SHEET
    assert Box(*rows[0]["bbox"]).iou(Box(x, y, x + w, y + h)) >= 0.95
    assert [info.ocr_pages for info in dataset.manifest.inputs.values()] == [[]], "no page was OCR'd"

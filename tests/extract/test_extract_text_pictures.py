"""extract on rasters of printed text (issue 13 class 7): an uncaptioned table, form or typed page stored as one
image is not a figure, nor blank paper under the page's text (class 22, an OCR'd scan's text box); a photo and a
chart drawn with labels, beside them, are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import running_prose
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.extract.textpictures import text_pixels
from mmskin_build.sample import images
from mmskin_build.sample.styles import table_picture
from mmskin_build.store import Dataset

WIDTH, HEIGHT = 720.0, 540.0  # a 4:3 slide
_WORDS = "the survey team will test every child aged five to seventeen years with a card test for filariasis".split()


def _dosing_table() -> Image.Image:
    rows = [["weight kg", "weight lbs", "number of pills"]] + [[str(20 + 6 * i), f"{44 + 13 * i:03d}", str(3 + i)]
                                                               for i in range(12)]  # fmt: skip
    return table_picture(rows, width=900)


def _consent_form(rng: np.random.Generator) -> Image.Image:
    """A typed page: a heading and paragraphs of prose across it."""
    form = Image.new("RGB", (900, 1100), "white")
    draw = ImageDraw.Draw(form)
    draw.text((250, 30), "CONSENT TO TAKE PART", fill=(30, 60, 160), font=ImageFont.load_default(size=34))
    font, y = ImageFont.load_default(size=22), 110
    for _paragraph in range(5):
        for _ in range(6):
            words = rng.choice(_WORDS, size=11)
            draw.text((50, y), " ".join(words), fill="black", font=font)
            y += 30
        y += 24
    return form


def _line_chart(rng: np.random.Generator) -> Image.Image:
    """A chart drawn into pixels: axes, tick labels, a title and two data lines."""
    chart = Image.new("RGB", (900, 640), "white")
    draw = ImageDraw.Draw(chart)
    font = ImageFont.load_default(size=22)
    draw.text((260, 16), "Positive card tests by month", fill="black", font=font)
    draw.line([(100, 80), (100, 560), (860, 560)], fill="black", width=3)
    for k in range(6):
        y = 560 - 90 * k
        draw.text((40, y - 12), str(10 * k), fill="black", font=font)
        draw.text((100 + 140 * k, 574), ["Jan", "Feb", "Mar", "Apr", "May", "Jun"][k], fill="black", font=font)
    for colour in ((200, 30, 30), (30, 120, 30)):
        points = [(100 + 30 * i, 500 - 60 * np.sin(i / 4) - rng.uniform(0, 200)) for i in range(26)]
        draw.line(points, fill=colour, width=4)
    return chart


def _scanned_text_box(rng: np.random.Generator) -> Image.Image:
    """The paper of a scanned text box, its words gone to the text layer: white with a few specks of dust."""
    paper = np.full((600, 900), 252, dtype=np.uint8)
    paper[rng.integers(0, 600, 40), rng.integers(0, 900, 40)] = 90
    return Image.fromarray(paper).convert("RGB")


def _slides(path: Path) -> None:
    rng = np.random.default_rng(3)
    pdf = Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pictures = [
        [(_dosing_table(), (40, 40, 300, 300 * 500 / 900)), (_consent_form(rng), (380, 40, 300, 300 * 1100 / 900))],
        [(images.skin_photo(rng, 480, 360), (40, 120, 300, 225)), (_line_chart(rng), (380, 120, 300, 300 * 640 / 900))],
        [(_scanned_text_box(rng), (60, 80, 600, 400))],
    ]
    for number, placed in enumerate(pictures, start=1):
        pdf.setFont("Helvetica-Bold", 24)
        pdf.drawString(40, HEIGHT - 30, f"Survey slide {number}")
        for picture, (x, y, w, h) in placed:
            pdf.drawImage(ImageReader(picture), x, HEIGHT - y - h, w, h)
        if number == len(pictures):  # the scan's text layer, as an OCR program writes it over the paper
            pdf.setFont("Helvetica", 14)
            for k in range(12):
                pdf.drawString(80, HEIGHT - 120 - 28 * k, " ".join(rng.choice(_WORDS, size=9)))
        pdf.showPage()
    pdf.save()


def test_rasters_of_a_table_and_a_form_are_not_figures_a_photo_and_a_chart_are(tmp_path):
    """Held-out 8's slides show a dosing table, a consent form and a calendar as pasted rasters, taken as
    uncaptioned figures before."""
    _slides(tmp_path / "slides.pdf")
    summary = run_extract([tmp_path / "slides.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert sorted((row["page"], round(row["bbox"][0], -2)) for row in rows) == [(2, 0), (2, 400)], "photo, chart"
    assert summary.text_pictures_dropped == 3


def test_text_and_ruled_lines_are_measured_apart_from_drawn_strokes():
    rng = np.random.default_rng(5)
    table = text_pixels(np.asarray(_dosing_table().convert("L")))
    assert table.is_document and table.wide_rules >= 3 and table.drawn <= 0.01
    form = text_pixels(np.asarray(_consent_form(rng).convert("L")))
    assert form.is_document and form.wide_lines >= 20
    chart = text_pixels(np.asarray(_line_chart(rng).convert("L")))
    assert not chart.shows_only_text and chart.drawn > 0.2, "the data lines are strokes of a drawing"
    photo = text_pixels(np.asarray(images.skin_photo(rng, 480, 360).convert("L")))
    assert not photo.shows_only_text and photo.paper < 0.5
    assert text_pixels(np.asarray(_scanned_text_box(rng).convert("L"))).shows_only_text, "blank paper"


REPORT_WIDTH, REPORT_HEIGHT = 595.0, 842.0  # A4
PICTURE = (100.0, 80.0, 360.0, 600.0)  # x, y from the top, width, height of the rasters on pages 2 and 3


def _paragraphs(pdf: Canvas, rng: np.random.Generator, top: float, bottom: float) -> None:
    """Body text (10 pt, 330 pt wide) in lines 14 pt apart from `top` down to `bottom` (points from the page's top)."""
    pdf.setFont("Times-Roman", 10)
    y = top
    while y <= bottom:
        pdf.drawString(110, REPORT_HEIGHT - y, " ".join(rng.choice(_WORDS, size=13)))
        y += 14


def _diagram_under_text(rng: np.random.Generator) -> Image.Image:
    """An OCR'd scan's raster of a diagram that also spans the paper of the text above it: white with specks of dust
    over its top 40%, a photo under that."""
    raster = Image.new("RGB", (720, 1200), "white")
    raster.paste(images.skin_photo(rng, 640, 620), (40, 540))
    pixels = np.asarray(raster).copy()
    pixels[rng.integers(60, 400, 30), rng.integers(0, 720, 30)] = 90  # under the text block
    return Image.fromarray(pixels)


def _report(path: Path) -> None:
    """Page 1: body text; page 2: a paragraph printed over the blank top of a diagram's raster; page 3: a paragraph
    printed over the top of a photo."""
    rng = np.random.default_rng(5)
    pdf = Canvas(str(path), pagesize=(REPORT_WIDTH, REPORT_HEIGHT))
    _paragraphs(pdf, rng, 80, 760)
    pdf.showPage()
    x, y, w, h = PICTURE
    for picture in (_diagram_under_text(rng), images.skin_photo(rng, 720, 1200)):
        pdf.drawImage(ImageReader(picture), x, REPORT_HEIGHT - y - h, w, h)
        _paragraphs(pdf, rng, 100, 290)
        pdf.drawString(110, REPORT_HEIGHT - 296, "the end of the paragraph.")  # its last line, short
        pdf.showPage()
    pdf.save()


def test_a_raster_reaching_under_the_text_above_its_picture_is_cut_to_the_picture(tmp_path):
    """Held-out 8's scanned plan p11: a circle diagram's raster also spans the paper under the text above it (the
    text is the OCR layer's fonts); the figure was the whole raster. A photo with text printed over it stays whole."""
    _report(tmp_path / "report.pdf")
    run_extract([tmp_path / "report.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    boxes = {row["page"]: [round(v) for v in row["bbox"]] for row in rows}
    x, y, w, h = PICTURE
    scale = w / 720  # points per pixel of the rasters
    assert sorted(boxes) == [2, 3]
    assert boxes[2] == [
        round(x + 40 * scale),
        round(y + 540 * scale),
        round(x + 680 * scale),
        round(y + 1160 * scale),
    ], "the photo in the raster of page 2, not the raster"
    assert boxes[3] == [round(x), round(y), round(x + w), round(y + h)], "the photo under the text box is whole"


def test_a_table_picture_whose_caption_opens_the_next_page_is_that_captions_figure(tmp_path):
    """calibre's reflowed e-book (held-out 42, 18.5): a table printed as a picture fills page 1's text area, so its
    caption is pushed to the top of page 2. Uncaptioned on its own page, the raster of text was dropped as no
    figure, and the caption overleaf was lost with it."""
    rows = [["element", "count per microlitre", "function"]] + [
        [f"type {i}", f"{1000 * i + 7}", "defence"] for i in range(1, 28)
    ]
    pdf = Canvas(str(tmp_path / "ebook.pdf"), pagesize=(612, 792))
    for number in range(5):  # three pages open with running text: where the text area starts
        pdf.setFont("Times-Roman", 10)
        if number == 0:
            pdf.drawImage(ImageReader(table_picture(rows, width=900)), 90, 72, 432, 648)
        else:
            top = 792 - 84  # the text area opens 75 pt from the page's top edge, as on calibre's pages
            if number == 1:
                pdf.drawString(72, top, "Figure 18.5 Summary of Formed Elements in Blood")
                top -= 30
            running_prose(pdf, 72, top, int((top - 80) / 14), leading=14)
        pdf.showPage()
    pdf.save()
    summary = run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (1, "18.5")
    assert figure["caption"] == "Figure 18.5 Summary of Formed Elements in Blood"
    assert summary.text_pictures_dropped == 0

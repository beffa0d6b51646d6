"""An embedded picture with a mask (soft mask or colour key) is written as the page shows it: over white paper, not
with the colours the mask hides (black under a soft mask stored against a black /Matte or PNG transparency)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.images import embedded_image
from mmskin_build.extract.masks import ImageMasks
from mmskin_build.extract.page import read_page
from mmskin_build.extract.render import render_region
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

_SIZE = (400, 240)
_KEY = (0, 255, 0)  # the colour-key figure's "transparent" colour


def _chart(background: tuple[int, ...]) -> Image.Image:
    """A flow chart: two boxes and a connector drawn in dark blue on `background`."""
    mode = "RGBA" if len(background) == 4 else "RGB"
    picture = Image.new(mode, _SIZE, background)
    draw = ImageDraw.Draw(picture)
    ink = (20, 30, 120) + ((255,) if mode == "RGBA" else ())
    draw.rectangle((20, 20, 160, 90), outline=ink, width=4)
    draw.rectangle((240, 150, 380, 220), outline=ink, width=4)
    draw.line((160, 55, 310, 150), fill=ink, width=4)
    return picture


def _png(picture: Image.Image) -> ImageReader:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _book(path: Path, encrypt: StandardEncryption | None) -> None:
    """Three pages, one figure each: transparent PNG (reportlab writes an /SMask), black-on-key with a colour-key
    /Mask, and the same chart opaque on white (no mask)."""
    canvas = Canvas(str(path), pagesize=(595, 842), encrypt=encrypt)
    figures = [
        (_chart((0, 0, 0, 0)), "auto", "Figure 1. A flow chart on transparent paper."),
        (_chart(_KEY), [c for v in _KEY for c in (v, v)], "Figure 2. A flow chart on a colour-keyed background."),
        (_chart((255, 255, 255)), None, "Figure 3. A flow chart on white."),
    ]
    for picture, mask, caption in figures:
        canvas.setFont("Helvetica", 10)
        for row in range(6):
            canvas.drawString(72, 780 - 14 * row, "Body text of the chapter runs here in lines across the page column.")
        canvas.drawImage(_png(picture), 97, 420, 400, 240, mask=mask)
        canvas.drawString(97, 400, caption)
        canvas.showPage()
    canvas.save()


def _pictures(dataset: Path) -> dict[int, Image.Image]:
    table = Dataset.open(dataset).read_table("images", ["page", "image"]).to_pylist()
    return {row["page"]: Image.open(io.BytesIO(row["image"]["bytes"])).convert("RGB") for row in table}


# Encrypted with an empty user password (opens without one, printing restricted): pdfium's stored image bytes are
# decrypted, pdfminer's are not until deciphered.
@pytest.mark.parametrize("encrypt", [None, StandardEncryption("", "owner", canPrint=0)], ids=["plain", "encrypted"])
def test_masked_figures_come_out_white_where_the_page_is_white(tmp_path, encrypt):
    pdf = tmp_path / "masked.pdf"
    _book(pdf, encrypt)
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    pictures = _pictures(tmp_path / "ds")
    assert sorted(pictures) == [1, 2, 3]
    expected = np.asarray(_chart((255, 255, 255))).astype(int)
    for page in (1, 2):
        got = np.asarray(pictures[page]).astype(int)
        assert got.shape == expected.shape
        assert np.abs(got - expected).max() <= 2, page  # white paper, and the ink where it was drawn
    # The unmasked chart is its own pixels, unchanged.
    assert np.array_equal(np.asarray(pictures[3]), np.asarray(_chart((255, 255, 255))))


def test_national_guideline_figure_10_is_a_white_chart_as_printed(shared_pdfs):
    """Figure 10 is a PNG whose soft mask, stored against a black /Matte, makes the page white around the boxes;
    without its mask it decodes black with invisible connector lines."""
    path = shared_pdfs / "meddiag_National_Guideline_for_Clinical_Management_of_Dengue.pdf"
    document = pdfium.PdfDocument(path)
    masks = ImageMasks(path)
    try:
        page = read_page(document, 38)
        chart = max((g for g in page.graphics if g.kind == "image"), key=lambda g: g.box.area)
        unmasked = pdfium.PdfImage(chart.handle, page=page.pdf_page).get_bitmap(render=False).to_pil()
        picture = embedded_image(page, chart, masks).decoded().convert("L")
        printed = render_region(page, chart.box, 72 * picture.width / chart.box.width).convert("L")
        printed = np.asarray(printed.resize(picture.size)).astype(int)
        # The class: the stored pixels are far from the page (measured: 92 grey levels apart on average) ...
        assert np.abs(np.asarray(unmasked.convert("L")).astype(int) - printed).mean() > 60
        # ... the picture written is the page (12; what is left is resampling at the box edges and line edges).
        grey = np.asarray(picture).astype(int)
        assert np.abs(grey - printed).mean() < 20
        assert (grey >= 230).mean() > 0.8  # pale paper around the boxes, as printed
        page.close()
    finally:
        masks.close()
        document.close()


def test_a_file_pdfminer_cannot_read_gives_no_masks_and_says_why(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n<< /SMask 5 0 R >> and no body, no cross-reference table")
    masks = ImageMasks(broken)
    assert masks.masked_streams(0) == set()
    assert masks.failure is not None and "page 1" in masks.failure
    masks.close()


def test_a_file_that_never_names_a_mask_is_not_parsed(tmp_path):
    plain = tmp_path / "plain.pdf"
    # pdfminer would fail on it; an ExtGState's "no soft mask" names no image's mask
    plain.write_bytes(b"%PDF-1.4\n<< /Type /ExtGState /SMask /None >> no body, no cross-reference table")
    masks = ImageMasks(plain)
    assert masks.masked_streams(0) == set()
    assert masks.failure is None

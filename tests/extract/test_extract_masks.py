"""An embedded picture with a mask (soft mask or colour key) is written as the page shows it: over white paper, not
with the colours the mask hides (black under a soft mask stored against a black /Matte or PNG transparency)."""

from __future__ import annotations

import io
import zlib
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
from mmskin_build.extract.page import flat_raster, read_page
from mmskin_build.extract.render import render_region
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample.bad_inputs import pdf_from_objects, pdf_stream
from mmskin_build.store import Dataset

_SIZE = (400, 240)
_KEY = (0, 255, 0)  # the colour-key figure's "transparent" colour


def _chart(background: tuple[int, ...]) -> Image.Image:
    """A flow chart: two boxes and a connector drawn in dark blue on `background`, in a frame at the picture's edges
    (the figure is then the whole picture, written from its own pixels and mask, not cut to its ink and rendered)."""
    mode = "RGBA" if len(background) == 4 else "RGB"
    picture = Image.new(mode, _SIZE, background)
    draw = ImageDraw.Draw(picture)
    ink = (20, 30, 120) + ((255,) if mode == "RGBA" else ())
    draw.rectangle((0, 0, _SIZE[0] - 1, _SIZE[1] - 1), outline=ink, width=2)
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


def _stencil_book(path: Path, stencil: Image.Image) -> None:
    """A chart stored as a stencil mask (/ImageMask true, 1 bit: 0 paints the fill colour), the way PLoS printed its
    bar charts: the stored bits are no picture of their own, only where the page is painted. Two like pages (a
    one-page document is read as a cover)."""
    body = "(Body text of the chapter runs here in lines across the page column.) Tj ET"
    content = "\n".join(
        [f"BT /F1 10 Tf 72 {780 - 14 * row} Td {body}" for row in range(6)]
        + ["0 0 0 rg q 300 0 0 180 72 420 cm /Im1 Do Q", "BT /F1 10 Tf 72 400 Td (Figure 1. A bar chart.) Tj ET"]
    ).encode()
    mask = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ImageMask true /BitsPerComponent 1" % stencil.size
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 >>",
        page,
        pdf_stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        # mode "1" bytes: rows padded to whole bytes, black (0) the painted bits
        pdf_stream(zlib.compress(stencil.tobytes()), mask + b" /Filter /FlateDecode"),
        page,
    ]
    path.write_bytes(pdf_from_objects(objects))


def test_a_chart_stored_as_a_stencil_mask_comes_out_as_printed(tmp_path):
    """pdfium hands a stencil mask's bits back as a picture black where the page is white (PLoS Pathogens 2006
    Figures 2-8, held-out set 4): the panel search then cut a bar chart at its black 'gutters'."""
    chart = Image.new("L", _SIZE, 255)
    draw = ImageDraw.Draw(chart)
    draw.rectangle((0, 0, _SIZE[0] - 1, _SIZE[1] - 1), outline=0, width=3)  # a frame: the ink fills the image
    draw.line((30, 10, 30, 225, 390, 225), fill=0, width=3)  # axes
    for left, top in ((60, 120), (170, 40), (280, 60)):  # three hatched bars
        draw.rectangle((left, top, left + 70, 223), outline=0, width=3)
        for y in range(top + 6, 223, 6):
            draw.line((left, y, left + 70, y), fill=0)
    stencil = chart.point(lambda v: 255 if v > 128 else 0).convert("1")
    pdf = tmp_path / "stencil.pdf"
    _stencil_book(pdf, stencil)
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures", ["caption", "panels"]).to_pylist()
    assert [(f["caption"], len(f["panels"])) for f in figures] == [("Figure 1. A bar chart.", 0)] * 2
    picture = np.asarray(_pictures(tmp_path / "ds")[1].convert("L").resize(_SIZE)).astype(int)
    printed = np.asarray(stencil.convert("L")).astype(int)
    assert (picture >= 230).mean() > 0.8  # white paper, as printed
    assert np.abs(picture - printed).mean() < 20


def _peak_bytes() -> int:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) * 1024


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from the current size


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measures the peak size through Linux /proc")
def test_a_page_sized_stencil_scan_is_put_on_paper_without_spare_copies(tmp_path):
    """A page scanned at ~1000 dpi to a 1-bit stencil (one seen at 8126 x 9375 pixels) is drawn at its own size and
    put on white paper holding no more full-size copies than that takes (four at once took 2 GB on that page)."""
    size = (4000, 3000)
    chart = Image.new("L", size, 255)
    ImageDraw.Draw(chart).rectangle((100, 100, size[0] - 100, size[1] - 100), outline=0, width=40)
    stencil = chart.convert("1")
    pdf = tmp_path / "scan.pdf"
    _stencil_book(pdf, stencil)
    document = pdfium.PdfDocument(pdf)
    masks = ImageMasks(pdf)
    try:
        page = read_page(document, 0)
        scan = next(g for g in page.graphics if g.kind == "image")
        _reset_peak()
        before = _peak_bytes()
        picture = embedded_image(page, scan, masks).decoded()
        copy = size[0] * size[1] * 4
        # The drawn object and the paper: 2.2 copies measured on a quiet machine, 3.25 beside other busy processes
        # (the peak counts file pages too, likely libraries' pages dropped by the kernel and faulted in again);
        # four copies before.
        assert _peak_bytes() - before < 3.6 * copy
        assert picture.size == size
        assert picture.getpixel((0, 0)) == (255, 255, 255) and picture.getpixel((120, 120)) == (0, 0, 0)
        page.close()
    finally:
        masks.close()
        document.close()


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measures the peak size through Linux /proc")
def test_a_page_sized_stencil_scan_is_told_from_a_flat_tint_without_copies_of_it(tmp_path):
    """A bilevel scan compresses as well as a tint of one colour, so `flat_raster` decodes it to tell the two apart:
    its pixels are read where pdfium decoded them, one byte each (a scan of 86 Mpx copied to RGB and each band copied
    again took 0.6 s and 350 MB)."""
    size = (4000, 3000)
    chart = Image.new("L", size, 255)
    ImageDraw.Draw(chart).rectangle((100, 100, size[0] - 100, size[1] - 100), outline=0, width=40)
    pdf = tmp_path / "scan.pdf"
    _stencil_book(pdf, chart.convert("1"))
    document = pdfium.PdfDocument(pdf)
    try:
        page = read_page(document, 0)
        scan = next(g for g in page.graphics if g.kind == "image")
        _reset_peak()
        before = _peak_bytes()
        assert not flat_raster(page, scan)
        # The decoded bitmap, one byte a pixel (measured 0.9 of its size; 5.9 with the copies).
        assert _peak_bytes() - before < 2 * size[0] * size[1]
        page.close()
    finally:
        document.close()

"""Rendering page regions: boxes in page coordinates are cut from the page as stored, /Rotate or not."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import read_page
from mmskin_build.extract.render import InkMask, render_region
from mmskin_build.sample.bad_inputs import pdf_from_objects, pdf_stream

# A black bar at user-space x 50-150, y 200-250 on a 400 x 300 pt page: page coordinates (top-left origin) below.
_BAR = Box(50.0, 50.0, 150.0, 100.0)


def _page_with_a_bar(path, rotate: int) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Rotate %d /Contents 4 0 R >>" % rotate,
        pdf_stream(b"0 0 0 rg 50 200 100 50 re f"),
    ]
    path.write_bytes(pdf_from_objects(objects))


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_region_of_a_turned_page_is_the_region_asked_for(tmp_path, rotate):
    """Slide decks and landscape tables are often stored with /Rotate 90 (four PDFs of a census of 785 failed a
    page with 'Crop exceeds page dimensions'; others rendered another part of the page without a word)."""
    pdf = tmp_path / "turned.pdf"
    _page_with_a_bar(pdf, rotate)
    document = pdfium.PdfDocument(pdf)
    try:
        page = read_page(document, 0)
        bar = np.asarray(render_region(page, _BAR, 72).convert("L"))
        assert bar.shape == (50, 100) and bar.max() < 20
        beside = np.asarray(render_region(page, Box(200.0, 150.0, 350.0, 280.0), 72).convert("L"))
        assert beside.min() > 235
        ink = InkMask.of(page).ink
        assert ink.shape == (300, 400)
        assert ink[55:95, 55:145].all() and ink.sum() <= 1.05 * _BAR.area
        assert InkMask.of_region(page, _BAR.expand(10.0)).ink.sum() >= 0.95 * _BAR.area
        page.close()
    finally:
        document.close()

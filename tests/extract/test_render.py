"""Rendering page regions: boxes in the frame of the page as displayed are cut from the page as displayed, /Rotate or\nnot."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import read_page
from mmskin_build.extract.render import InkMask, render_region
from mmskin_build.sample.bad_inputs import pdf_from_objects, pdf_stream

# A black bar at user-space x 50-150, y 200-250 on a 400 x 300 pt page: page coordinates of the unturned page below.
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
    page with 'Crop exceeds page dimensions'; others rendered another part of the page without a word). A page is
    read as displayed (`read_page`), and its renders and ink are cut in that frame."""
    pdf = tmp_path / "turned.pdf"
    _page_with_a_bar(pdf, rotate)
    document = pdfium.PdfDocument(pdf)
    try:
        page = read_page(document, 0)
        turned = rotate in (90, 270)
        assert (page.cropbox.width, page.cropbox.height) == ((300, 400) if turned else (400, 300))
        (bar,) = [graphic.box for graphic in page.graphics]
        assert (round(bar.width), round(bar.height)) == ((50, 100) if turned else (100, 50))
        assert rotate or bar == _BAR
        drawn = np.asarray(render_region(page, bar, 72).convert("L"))
        assert drawn.shape == (round(bar.height), round(bar.width)) and drawn.max() < 20
        ink = InkMask.of(page).ink
        assert ink.shape == (round(page.cropbox.height), round(page.cropbox.width))
        x0, top, x1, bottom = (round(v) for v in (bar.x0, bar.top, bar.x1, bar.bottom))
        assert ink[top + 5 : bottom - 5, x0 + 5 : x1 - 5].all() and ink.sum() <= 1.05 * _BAR.area
        assert InkMask.of_region(page, bar.expand(10.0)).ink.sum() >= 0.95 * _BAR.area
        page.close()
    finally:
        document.close()

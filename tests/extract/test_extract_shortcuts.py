"""Speed shortcuts of extract give exactly what the slower calls they replace give, on real pages and on made-up
images built to break them (issue 19: a speed change must leave every row as it was)."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import reportlab
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract import page as page_module
from mmskin_build.extract.page import read_page
from mmskin_build.extract.render import InkMask, component_boxes, rgb_render
from mmskin_build.extract.scanned import _inked_box, _level_score, _paper_level, _turned_row_sums, channel_spread


def _labelled_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(int(v) for v in row[:4]) for row in stats[1:count]]


def test_component_boxes_match_opencv_labelling_on_real_ink_masks(shared_pdfs):
    checked = 0
    for path in sorted(shared_pdfs.glob("*.pdf"))[:6]:
        document = pdfium.PdfDocument(path)
        try:
            for index in range(min(4, len(document))):
                page = read_page(document, index)
                ink = InkMask.of(page).ink.astype(np.uint8)
                for size in (1, 4, 9, 20):  # the dilations `clusters` makes: 1 pt to two body sizes
                    joined = cv2.dilate(ink, np.ones((size, size), np.uint8))
                    for part in (joined, joined[1:, 3:], joined[: joined.shape[0] // 3, 5 : joined.shape[1] // 2]):
                        assert component_boxes(part) == _labelled_boxes(part)
                        checked += 1
                page.close()
        finally:
            document.close()
    assert checked >= 6 * 12


def test_component_boxes_match_opencv_labelling_on_nested_and_random_shapes():
    rings = np.zeros((90, 91), np.uint8)
    for k in range(0, 40, 6):  # rings inside rings, each hole holding the next component
        cv2.rectangle(rings, (k, k + 1), (90 - k, 88 - k), 1, 2)
    rings[44, 45] = 1
    shapes = [rings, rings.T.copy(), np.ones((5, 7), np.uint8), np.zeros((4, 4), np.uint8), np.eye(9, dtype=np.uint8)]
    rng = np.random.default_rng(0)
    for _ in range(300):
        height, width = rng.integers(1, 200, 2)
        mask = (rng.random((height, width)) < rng.uniform(0.005, 0.6)).astype(np.uint8)
        size = int(rng.integers(1, 8))
        shapes.append(cv2.dilate(mask, np.ones((size, size), np.uint8)))
    for mask in shapes:
        assert component_boxes(mask) == _labelled_boxes(mask)


def test_unchecked_pdfium_calls_return_what_the_typed_bindings_return(shared_pdfs):
    """page.py calls pdfium's per-character, per-rectangle and per-object functions without pypdfium2's argument
    checks."""
    compared = 0
    for path in sorted(shared_pdfs.glob("*.pdf"))[:4]:
        document = pdfium.PdfDocument(path)
        try:
            page = document[0]
            text = page.get_textpage()
            raw = text.raw
            count = pdfium_c.FPDFText_CountChars(raw)
            for index in range(0, count, 7):
                assert page_module._UNICODE_AT(raw, index) == pdfium_c.FPDFText_GetUnicode(raw, index)
                assert page_module._FONT_SIZE_AT(raw, index) == pdfium_c.FPDFText_GetFontSize(raw, index)
                ours, theirs = pdfium_c.FS_MATRIX(), pdfium_c.FS_MATRIX()
                found = page_module._MATRIX_AT(raw, index, ctypes.byref(ours))
                assert found == pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(theirs))
                assert [ours.a, ours.b, ours.c, ours.d, ours.e, ours.f] == [
                    theirs.a,
                    theirs.b,
                    theirs.c,
                    theirs.d,
                    theirs.e,
                    theirs.f,
                ]
                for ours_call, typed_call in (
                    (page_module._CHAR_BOX_AT, pdfium_c.FPDFText_GetCharBox),
                    (page_module._ORIGIN_AT, pdfium_c.FPDFText_GetCharOrigin),
                ):
                    count_out = 4 if typed_call is pdfium_c.FPDFText_GetCharBox else 2
                    ours_out = [ctypes.c_double() for _ in range(count_out)]
                    theirs_out = [ctypes.c_double() for _ in range(count_out)]
                    assert ours_call(raw, index, *map(ctypes.byref, ours_out)) == typed_call(
                        raw, index, *map(ctypes.byref, theirs_out)
                    )
                    assert [v.value for v in ours_out] == [v.value for v in theirs_out]
                loose, typed_loose = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
                assert page_module._LOOSE_BOX_AT(raw, index, ctypes.byref(loose)) == pdfium_c.FPDFText_GetLooseCharBox(
                    raw, index, ctypes.byref(typed_loose)
                )
                assert (loose.left, loose.top, loose.right, loose.bottom) == (
                    typed_loose.left,
                    typed_loose.top,
                    typed_loose.right,
                    typed_loose.bottom,
                )
                compared += 1
            for start in range(0, count, 50):
                rects = page_module._COUNT_RECTS(raw, start, 40)
                assert rects == pdfium_c.FPDFText_CountRects(raw, start, 40)
                for k in range(rects):
                    ours, theirs = [ctypes.c_double() for _ in range(4)], [ctypes.c_double() for _ in range(4)]
                    page_module._RECT_AT(raw, k, *map(ctypes.byref, ours))
                    pdfium_c.FPDFText_GetRect(raw, k, *map(ctypes.byref, theirs))
                    assert [v.value for v in ours] == [v.value for v in theirs]
            for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                obj = page_module._OBJECT_AT(page.raw, k)
                typed = pdfium_c.FPDFPage_GetObject(page.raw, k)
                assert ctypes.cast(obj, ctypes.c_void_p).value == ctypes.cast(typed, ctypes.c_void_p).value
                assert page_module._OBJECT_TYPE(obj) == pdfium_c.FPDFPageObj_GetType(typed)
                ours, theirs = [ctypes.c_float() for _ in range(4)], [ctypes.c_float() for _ in range(4)]
                assert page_module._OBJECT_BOUNDS(obj, *map(ctypes.byref, ours)) == pdfium_c.FPDFPageObj_GetBounds(
                    typed, *map(ctypes.byref, theirs)
                )
                assert [v.value for v in ours] == [v.value for v in theirs]
            text.close()
            page.close()
        finally:
            document.close()
    assert compared > 100


def test_the_skew_searchs_level_score_equals_numpys_float_sums(shared_pdfs):
    """The skew search scores each turn by its row sums' squared steps: OpenCV's whole-number sums give the float
    score numpy's row sums gave, on real page ink turned as the search turns it and on random and full images."""
    rng = np.random.default_rng(1)
    inks = [(rng.random((1100, 850)) < 0.3).astype(np.uint8), np.ones((2400, 1699), np.uint8)]
    document = pdfium.PdfDocument(sorted(shared_pdfs.glob("*.pdf"))[0])
    try:
        page = read_page(document, 0)
        inks.append(InkMask.of(page).ink.astype(np.uint8))
        page.close()
    finally:
        document.close()
    for ink in inks:
        h, w = ink.shape
        for angle in (-3.0, -0.45, 0.0, 1.2, 2.95):
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
            turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
            numpy_score = float(np.square(np.diff(turned.sum(axis=1, dtype=np.float64))).sum())
            assert _level_score(turned) == numpy_score


def test_the_skew_search_turns_only_the_canvas_the_ink_lands_on():
    """Issue 19 (speed, rows unchanged): the skew search turns a scan's ink at 61 angles onto a canvas of the page's
    size; only the rows and columns up to where the inked part lands are warped now, the rows below it blank. Their
    row sums are the whole canvas's at every angle, for ink anywhere on the canvas, blank ink and ink filling it."""
    rng = np.random.default_rng(7)
    inks = [np.zeros((300, 240), np.uint8), np.ones((300, 240), np.uint8)]
    for top, left, bottom, right in ((20, 15, 150, 120), (0, 0, 300, 240), (200, 180, 300, 240), (140, 0, 160, 240)):
        ink = np.zeros((300, 240), np.uint8)
        ink[top:bottom, left:right] = rng.random((bottom - top, right - left)) < 0.2
        inks.append(ink)
    for ink in inks:
        h, w = ink.shape
        for angle in np.arange(-3.0, 3.0 + 1e-9, 0.25):
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
            turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
            assert _turned_row_sums(ink, matrix, _inked_box(ink)).tolist() == turned.sum(axis=1).tolist()


def test_a_scans_paper_level_is_numpys_percentile():
    """Issue 19 (speed, rows unchanged): a scan's paper shade (the 90th percentile of its grey levels, twice a page) is
    read from the levels' histogram where numpy's interpolation lies between two pixels of one level, numpy's own
    elsewhere: the same float on pages of paper and ink, on cut views, on levels that part between two pixels (where
    numpy interpolates), on one pixel and on one level."""
    rng = np.random.default_rng(5)
    greys = [np.clip(rng.normal(235, 30, (180, 140)), 0, 255).astype(np.uint8), np.full((3, 4), 77, np.uint8)]
    greys += [rng.integers(0, 256, (11, 13)).astype(np.uint8), np.array([[9]], np.uint8)]
    greys += [np.repeat(np.array([10, 250], np.uint8), [10, 2]).reshape(2, 6)]  # numpy interpolates: 226.0
    greys += [grey[::2, ::3] for grey in greys] + [greys[0].astype(np.int16)]
    for grey in greys:
        assert _paper_level(grey) == np.percentile(grey, 90)


def test_a_scans_channel_spread_is_numpys_max_less_min():
    """Issue 19 (speed, rows unchanged): the pen-mark search measures each pixel's colour as its largest channel less
    its smallest; compared channel by channel it is numpy's reduction along the colour axis, to the number and type,
    on random colour, grey (no spread) and a cut view."""
    rng = np.random.default_rng(11)
    colour = rng.integers(0, 256, (37, 29, 3)).astype(np.uint8)
    grey = np.repeat(rng.integers(0, 256, (5, 6, 1)).astype(np.uint8), 3, axis=2)
    for pixels in (colour, grey, colour[3:30:2, ::3]):
        spread = channel_spread(pixels)
        expected = pixels.max(axis=2).astype(np.int16) - pixels.min(axis=2)
        assert spread.dtype == expected.dtype and np.array_equal(spread, expected)


def _coloured_page(path) -> None:
    """Anti-aliased text, half-transparent fills over one another, thin coloured strokes and a photo-like raster."""
    canvas = Canvas(str(path), pagesize=(300, 240))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(12, 220, "Figure 1. Erythema (a) and scale (b) on the forearm.")
    for index, colour in enumerate([(0.9, 0.2, 0.1), (0.1, 0.6, 0.3), (0.2, 0.3, 0.9)]):
        canvas.setFillColorRGB(*colour, alpha=0.6)
        canvas.circle(70 + 40 * index, 150, 38, stroke=0, fill=1)
    canvas.setStrokeColorRGB(0.7, 0.1, 0.6)
    canvas.setLineWidth(0.4)
    canvas.line(10, 100, 290, 117)
    noise = np.random.default_rng(3).integers(0, 256, (60, 90, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    canvas.drawImage(ImageReader(buffer), 160, 20, width=127, height=71)
    canvas.save()


def test_a_colour_render_is_drawn_in_four_byte_pixels_with_the_three_byte_renders_colours(tmp_path, monkeypatch):
    _coloured_page(tmp_path / "page.pdf")
    document = pdfium.PdfDocument(tmp_path / "page.pdf")
    formats = []
    real_render = pdfium.PdfPage.render

    def recording(page, *args, **kwargs):
        bitmap = real_render(page, *args, **kwargs)
        formats.append(bitmap.format)
        return bitmap

    try:
        page = document[0]
        for scale, crop in [(200 / 72, (0, 0, 0, 0)), (1.0, (0, 0, 0, 0)), (1.7, (11.3, 20.5, 37.2, 9.8))]:
            with monkeypatch.context() as patched:
                patched.setattr(pdfium.PdfPage, "render", recording)
                picture = rgb_render(page, scale, crop)
            # pdfium's 3-byte BGR render, read the slow way: the pixels the figure tables were made of.
            expected = real_render(page, scale=scale, crop=crop, draw_annots=False).to_pil().convert("RGB")
            assert picture.mode == "RGB" and not picture.readonly
            assert picture.size == expected.size and picture.tobytes() == expected.tobytes()
            colours = np.unique(np.asarray(picture).reshape(-1, 3), axis=0)
            assert len(colours) > 1000  # text, fills, strokes and the raster all drawn
        page.close()
    finally:
        document.close()
    assert formats == [pdfium_c.FPDFBitmap_BGRx] * 3


def _text_char_by_char(textpage: pdfium.PdfTextPage) -> str:
    """The page's text as `_page_text` read it before: every code point asked on its own."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)) for index in range(count))
    return page_module._SURROGATE_PAIR.sub(page_module._joined_pair, text.replace("\x02", "\ufffe"))


def _text_pages(path) -> None:
    """Page 1: a word hyphenated at the line's end and non-ASCII letters; page 2: glyphs without a code point (the
    text buffer leaves them out) and a letter outside the BMP."""
    pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    canvas = Canvas(str(path), pagesize=(300, 300))
    pages = [
        (
            "Helvetica",
            ["a word broken at the line's end by hyphen-", "ation goes on \u00fcber \u201cquoted\u201d here"],
        ),
        ("Vera", ["A control \x93 mark and \x02 here", "a math x \U0001d465 outside the plane"]),
    ]
    for font, lines in pages:
        canvas.setFont(font, 10)
        for row, line in enumerate(lines):
            canvas.drawString(20, 200 - 12 * row, line)
        canvas.showPage()
    canvas.save()


def test_the_page_text_read_in_one_call_is_the_text_read_character_by_character(tmp_path):
    _text_pages(tmp_path / "text.pdf")
    document = pdfium.PdfDocument(tmp_path / "text.pdf")
    try:
        hyphenated, dropped = (document[index].get_textpage() for index in range(2))
        buffered = page_module._text_buffer(hyphenated.raw, pdfium_c.FPDFText_CountChars(hyphenated.raw))
        assert buffered is not None and "hyphen\x02ation" in buffered  # the buffer's U+FFFE asked again: a hyphen
        assert page_module._page_text(hyphenated) == _text_char_by_char(hyphenated)
        assert page_module._text_buffer(dropped.raw, pdfium_c.FPDFText_CountChars(dropped.raw)) is None
        assert page_module._page_text(dropped) == _text_char_by_char(dropped)
    finally:
        document.close()


def test_the_page_text_read_in_one_call_is_the_text_read_character_by_character_on_real_pages(shared_pdfs):
    compared = 0
    for path in sorted(shared_pdfs.glob("*.pdf"))[:8]:
        document = pdfium.PdfDocument(path)
        try:
            for index in range(min(6, len(document))):
                textpage = document[index].get_textpage()
                assert page_module._page_text(textpage) == _text_char_by_char(textpage)
                compared += 1
        finally:
            document.close()
    assert compared >= 30

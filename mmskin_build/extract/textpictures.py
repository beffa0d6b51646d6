"""Pictures of printed text: a table, a form, a calendar or a typed page stored as one raster (a slide's pasted
screenshot of a document, an OCR'd scan's strip of text), or blank paper under the page's own text (an OCR'd scan's
picture of a text box whose words are the text layer). Not figures (tables are not extracted), and told from
photographs, charts and labelled drawings by their own pixels, the page's text over them taken out: blank; or
mostly paper, nearly all their ink text (thin strokes a line of type high, in rows) or long straight ruled lines,
and the text set as a document's, between ruled lines across the picture or in lines of prose across it (a chart's
or a drawing's labels are short).

A picture that reaches under a block of the page's text, blank there (an OCR'd scan's raster of a diagram that also
spans the paper of the text above it), is the part of it clear of the text."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.images import DRAWS_NOTHING
from mmskin_build.extract.page import PageContent
from mmskin_build.extract.render import render_region

_DPI = 144  # text of 6 pt and up is strokes, not blur
_PX = _DPI / 72
_PAPER_LEVEL = 225  # grey at or above: paper (white or a pale tint)
_PAPER_SHARE = 0.5  # a picture of a document is mostly paper (a photo is not)
_BLANK_SHARE = 0.98  # a picture this much paper shows nothing (the sparsest drawing of the sets: 0.95)
_INK_LEVEL = 160  # grey under: ink (black and coloured type, rules)
_FILL_PT = 3.0  # a solid patch this wide each way is a fill (a photo's shade, a bar, a map's land), never a stroke
_RULE_PT = 30.0  # a thin straight run this long is a ruled line
_LINE_HEIGHT_PT = (1.5, 24.0)  # a line of type (body to heading), its letters run together by the closing below
_WORD_GAP_PT = 6.0  # letters and words of one line stand closer than this; a table's columns may too
_TEXT_SHARE = 0.8  # of the ink: text and rules
_DRAWN_SHARE = 0.05  # of the ink: a curve (a chart's data line, a coastline, a tree's branches) is a drawing's
_WIDE = 0.5  # of the picture's width: a ruled line or a line of prose across the picture
_DOCUMENT_LINES = 3  # that many wide rules or wide lines of text make it a document
# The page's text over a picture: its lines across _WIDE of the picture or more (prose; a chart's or a poster's labels
# are short) make a block from the first one's top to the last one's bottom. A block over this share of the picture's
# height that leaves this share of its non-paper pixels at most outside the part below it (or above it) lies over the
# picture's blank paper, and the picture is that part. Measured on the uncaptioned rasters of all sets: held-out 8's
# scanned plan p11 (a diagram's raster under the text above it) 0.37 of the height, 0.013 of the pixels in the block's
# rows (scanner specks); no other raster kept has a wide line over it.
_BLOCK_HEIGHT, _BLOCK_INK = 0.2, 0.03
_GLYPH_EDGE_PT = 1.5  # glyph boxes are tight: the type's anti-aliased edges reach this far past them
# A raster across the page's width under this many of the page's text lines is the page's own scan under its text
# layer (a faxed form, a typed report scanned and OCR'd), not a figure: a picture's labels set as text are fewer, and
# a figure's raster is set inside the margins. Held-out 33's faxed report: 30-116 lines over its page scans.
_PAGE_WIDE, _PAGE_TEXT_LINES = 0.95, 20


@dataclass(frozen=True, slots=True)
class TextPixels:
    paper: float  # share of the pixels
    darkest: int  # grey level of the darkest pixel
    text: float  # share of the ink in lines of type or ruled lines
    drawn: float  # share of the ink in strokes longer than a line of type is high that are no straight rule
    wide_rules: int
    wide_lines: int

    @property
    def shows_only_text(self) -> bool:
        # A picture pdfium draws nothing of is left to the image stage, which records why it does not decode.
        blank = self.paper >= _BLANK_SHARE and self.darkest < DRAWS_NOTHING
        return blank or self.is_document

    @property
    def is_document(self) -> bool:
        set_as_document = max(self.wide_rules, self.wide_lines) >= _DOCUMENT_LINES
        only_type = self.text >= _TEXT_SHARE and self.drawn <= _DRAWN_SHARE
        return self.paper >= _PAPER_SHARE and only_type and set_as_document


def is_picture_of_text(page: PageContent, box: Box) -> bool:
    """Whether the picture in `box` shows printed text (a table, a form, a typed page) or nothing, in its own pixels:
    the page's text lines over it are left out (a chart's labels may be set as text over its raster)."""
    clipped = box.intersection(page.cropbox) or box
    return text_pixels(_without_text(page, clipped)).shows_only_text


def is_scan_of_a_text_page(page: PageContent, picture: Box) -> bool:
    """Whether the raster placed in `picture` is a scan of the page itself: as wide as the page, the page's text
    layer over it (see _PAGE_TEXT_LINES)."""
    if picture.width < _PAGE_WIDE * page.cropbox.width:
        return False
    return sum(picture.contains(line.box, tolerance=_GLYPH_EDGE_PT) for line in page.lines) >= _PAGE_TEXT_LINES


def clear_of_text(page: PageContent, box: Box) -> Box | None:
    """The part of the picture in `box` clear of a block of the page's text printed over its blank paper at its top or
    bottom; None when no such block lies over it."""
    clipped = box.intersection(page.cropbox) or box
    block = _text_block(clipped, [over for line in page.lines if (over := line.box.intersection(clipped))])
    if block is None or block.height < _BLOCK_HEIGHT * clipped.height:
        return None
    block = block.expand(_GLYPH_EDGE_PT)
    parts = [
        part
        for part in (
            Box(clipped.x0, block.bottom, clipped.x1, clipped.bottom),
            Box(clipped.x0, clipped.top, clipped.x1, block.top),
        )
        if part.height > 0
    ]
    non_paper = _without_text(page, clipped) < _PAPER_LEVEL
    inked = [int(non_paper[_pixels(part, clipped)[0]].sum()) for part in parts]
    if not parts or non_paper.sum() - max(inked) > _BLOCK_INK * non_paper.sum():
        return None  # the picture goes on under the text (a photo with a text box over it) or on both sides of it
    return parts[inked.index(max(inked))]


def _text_block(picture: Box, lines: list[Box]) -> Box | None:
    """Across `picture`, from the first to the last of `lines` that run across _WIDE of it or more, with the short
    lines that open or end their paragraphs (a line's height away at most)."""
    wide = [line for line in lines if line.width >= _WIDE * picture.width]
    if not wide:
        return None
    top, bottom = min(line.top for line in wide), max(line.bottom for line in wide)
    for line in sorted(lines, key=lambda line: line.top):  # going down
        if bottom < line.bottom and line.top - bottom <= line.height:
            bottom = line.bottom
    for line in sorted(lines, key=lambda line: -line.bottom):  # going up
        if line.top < top and top - line.bottom <= line.height:
            top = line.top
    return Box(picture.x0, top, picture.x1, bottom)


def _without_text(page: PageContent, clipped: Box) -> np.ndarray:
    """The picture in `clipped` in grey at _DPI, the page's text lines over it painted out as paper."""
    grey = np.array(render_region(page, clipped, _DPI).convert("L"))
    for line in page.lines:
        over = line.box.intersection(clipped)
        if over is not None:
            grey[_pixels(over.expand(0.5), clipped)] = 255
    return grey


def text_pixels(grey: np.ndarray) -> TextPixels:
    """The measures of `grey` (rendered at _DPI) that tell printed text from a picture."""
    paper, darkest = float((grey >= _PAPER_LEVEL).mean()), int(grey.min()) if grey.size else 255
    ink = (grey < _INK_LEVEL).astype(np.uint8)
    total = int(ink.sum())
    if total == 0 or paper < _PAPER_SHARE:  # blank, or a photograph: nothing more to measure
        return TextPixels(paper, darkest, 0.0, 0.0, 0, 0)
    fill = _open(ink, round(_FILL_PT * _PX), round(_FILL_PT * _PX))
    strokes = ink & ~fill
    rule = round(_RULE_PT * _PX)
    across, upright = _open(strokes, 1, rule), _open(strokes, rule, 1)
    letters = strokes & ~(across | upright)
    drawn = _long_strokes(letters, round(_LINE_HEIGHT_PT[1] * _PX)) / total
    lines = cv2.morphologyEx(letters, cv2.MORPH_CLOSE, np.ones((1, round(_WORD_GAP_PT * _PX)), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    low, high = (limit * _PX for limit in _LINE_HEIGHT_PT)
    typeset = (heights >= low) & (heights <= high) & (widths >= heights)
    in_type = np.concatenate(([False], typeset))[labels] & letters.astype(bool)
    text = (int(in_type.sum()) + int((strokes & (across | upright)).sum())) / total
    wide = _WIDE * grey.shape[1]
    wide_lines = int((typeset & (widths >= wide)).sum())
    _, _, rule_stats, _ = cv2.connectedComponentsWithStats(across, connectivity=8)
    wide_rules = int((rule_stats[1:, cv2.CC_STAT_WIDTH] >= wide).sum())
    return TextPixels(paper, darkest, text, drawn, wide_rules, wide_lines)


def _long_strokes(strokes: np.ndarray, longest: int) -> int:
    """The pixels of the connected strokes that reach over `longest` pixels either way."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    stats = stats[1:]
    long = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > longest
    return int(stats[long, cv2.CC_STAT_AREA].sum())


def _pixels(box: Box, origin: Box) -> tuple[slice, slice]:
    """numpy's index of `box` in a render of `origin` at _DPI."""
    top, left = (max(0, round(offset * _PX)) for offset in (box.top - origin.top, box.x0 - origin.x0))
    return slice(top, round((box.bottom - origin.top) * _PX)), slice(left, round((box.x1 - origin.x0) * _PX))


def _open(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((max(1, height), max(1, width)), np.uint8))

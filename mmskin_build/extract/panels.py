"""Multi-panel figures: the panels (separate images, or sub-images of one composite picture split at its
gutters), their letters, and the sub-captions that describe them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import combinations
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box, reading_order, union_all
from mmskin_build.extract.page import Graphic, TextLine
from mmskin_build.extract.regions import FigureRegion, group_touching
from mmskin_build.extract.subcaptions import printed_upper
from mmskin_build.extract.text import join_lines
from mmskin_build.text.panel_markers import LETTER_ALONE, SUBFIGURE_CAPTION, letter_run

_MIN_PANEL_SHARE = 0.15  # a panel spans at least this share of the figure's width or height
_LETTER_DISTANCE = 20.0  # a panel letter printed under or over its panel, at most this far (points)
# The rows of a sub-caption printed under a panel stand at most this far apart (in its font sizes), each starting
# no further left than its first row by `_SUBCAPTION_OUTDENT_EM` and no further right than its hanging indent.
_SUBCAPTION_ROW_GAP_EM = 0.6
_SUBCAPTION_OUTDENT_EM = 0.5
_SUBCAPTION_HANG_EM = 3.0
_INK_LEVEL = 200  # grey levels below this are a drawing's ink
_FLAT_SHARE = 0.7  # measured: flow-chart boxes 0.75-0.90 of pixels within 6 levels of the median, photos 0.08-0.59
_MIN_GRID, _GRID_SPREAD = 3, 1.3  # separate drawings: at least this many, sides within this ratio of each other
_STRIP_SHARE = 0.25  # a part at most this share as tall as it is wide (or the reverse) is a strip
_PANEL_AREA_SPREAD = 2.0  # unlettered parts of a figure are panels when their areas are within this ratio
_EDGE_PT = 2.0  # two images this close share an edge
_FRAMED_AREA = 0.9  # a frame covers at least this share of the box of what it holds (measured 0.96-1.0)
_JUMP_RATIO, _JUMP_LEVELS = 3.0, 8.0  # separate photographs edge to edge: the edge changes this much more (and
# by this many grey levels at least) than the lines beside it
_INK_LEFT_OUT = 0.5  # ink a photo-and-drawing split may leave out (letters, labels), as a share of the drawings'
_CUT_REACH = 0.3  # a cut between lettered parts lies this share of a part's size from an even split, at most
_WIDE_GUTTER = 0.01  # a blank gutter this share of the picture wide sets lettered drawings apart
_GUTTER_SHARE = 0.995  # a gutter line between lettered parts: no stroke of a drawing crosses it
_PAPER_WHITE, _DARK = 245, 45  # grey levels of white paper and of a black gutter
_PALE = 225  # grey level: lines at least this light may be a gutter on pale paper
_SHADE = 12  # grey levels: pixels this close to a level are of its shade (a flat ground's noise)
_SEAM_SHARE = 0.85  # of a line's pixels that change from the line before along a straight edge
_GUTTER_EDGE = 3  # lines past a gutter's edge where the picture beside it is measured (beyond a JPEG's ringing)
_BLACK_FIELD = 0.4  # a picture at least this share black is a plate of objects photographed on black
_CLOSE_PX = 9  # gaps this wide (of 800 pixels) inside an object photographed on black are closed
_FRAME_SHARE = 0.9  # a patch this share of the picture wide and tall is a margin or frame around it
_PALE_EDGE, _DARK_EDGE = 0.5, 0.25  # share of a line beside a pale or dark flat run that differs past a gutter
_LABEL_SHARE = 0.2  # a gutter line with letters or labels in it: at most this share of it off the gutter's level
_LABEL_REACH = 0.03  # letters in a gutter beside a picture: at most this share of the picture wide (or tall)
_AXIS_PT, _AXIS_SHARE = 2.0, 0.5  # a chart's axis: a line this thin (points) along this share of its chart at least
_GUTTER_SEARCH_PX = 1600  # the gutter and chart searches look at the picture this many pixels on its longer side
_AXIS_THIN = 0.01  # an axis in pixels: at most this share of the picture thick (or 2 pixels)
_CHART_LEVELS = 4  # a picture of charts is cut into rows, columns, rows, columns at most
_CHART_PAPER = 0.5  # a chart is at least this share paper
_GUTTER_ENDS = 0.07  # a gutter between charts: blank but for this share of its length at each end
_RULE_SHARE = 0.95  # a frame's side: a line of ink along this share of the part at least
_TICKS, _TICK_REACH, _TICK_PX = 3, 0.04, 4  # an axis: this many ticks or labels along it, this share of its chart
# (or this many pixels) from it at most
_FILLED = 0.2  # drawn artwork at least this share ink is coloured shapes, not line art (measured: 0.40-0.46, 0.04-0.09)
_LETTER_BAND = 0.08  # a row of panel letters printed under (or over) the panels: at most this share of the picture tall
_CENTRED = 0.03  # a letter printed under its panel is centred on it within this share of the picture's width
_LABEL_GAP = 0.15  # a gap between two parts this share of the picture wide may hold labels pointing into both
_MAX_GUTTERS = 12  # gutters tried for cuts between lettered parts (the combinations grow fast)
_INKED_ROW = 0.02  # a table's row with this share of ink holds something (drawings, text), not white space
_SET_APART = 0.15  # drawings side by side are separate when the gutter is this share of the narrower one at least

T = TypeVar("T")


@dataclass(slots=True)
class PanelBox:
    box: Box
    letter: str | None = None
    subcaption: str | None = None


def find_panels(region: FigureRegion, picture: Image.Image | None, caption_letters: int = 0) -> list[PanelBox]:
    """Panels in reading order; empty for a single-image figure.

    Separate images are panels; one picture that fills the figure is split where a gutter or a seam
    crosses it (`picture` is the figure as pixels, covering `region.box`); images placed edge to edge with
    neither are panels where the picture jumps at their shared edges. Either way the parts are panels only when
    they are alike in size or lettered one each (`caption_letters`: the sub-caption letters the caption names):
    the cells of a poster, a chart or a flow chart are parts of one picture.
    """
    boxes = _separate_pictures(group_touching(region.images), region.box, picture) or _separate_drawings(region)
    from_gutters, grey = False, None
    if len(boxes) < 2 and picture is not None and region.images:
        grey = _grey(picture, _GUTTER_SEARCH_PX)
        boxes, from_gutters = _split_at_gutters(grey, region.box), True
        if len(boxes) < 2 and len(region.images) >= 2:
            joined = _runs_on(np.asarray(picture.convert("L"), dtype=np.float32), region.box)
            boxes = _separate_pictures(group_touching(region.images, joined=joined), region.box, picture)
            from_gutters = False
    if len(boxes) < 2 and max(caption_letters, _subcaption_letters(region)) < 2:
        boxes = _separate_charts(region, grey)  # a lettered figure's charts are cut for their letters
    elif len(boxes) < 2 and not region.images:
        boxes = _drawings_by_letter(region) or _charts_one_per_letter(region, picture, caption_letters)
    boxes = [box for box in boxes if not _strip(box)]
    if from_gutters and not _hold_images(boxes, region):
        boxes = []  # the drawing beside a logo cut at its rules: a drawing's parts are panels when lettered
    if from_gutters and len(boxes) >= 2 and _ruled_row_left_out(grey, _in_pixels(boxes, grey.shape, region.box)):
        boxes = []  # a table printed as a picture: the drawings in some of its cells are no panels
    if caption_letters < 2 and _joined_by_strokes(boxes, region):
        boxes = []  # steps of one diagram
    if len(boxes) < 2 or not (
        _alike(boxes)
        or len(boxes) in (caption_letters, _printed_letters(region))
        or (from_gutters and _blank_gutters_only(picture, region.box, boxes))
        or (from_gutters and grey is not None and _row_of_drawings(grey, _in_pixels(boxes, grey.shape, region.box)))
    ):
        letters = max(caption_letters, _subcaption_letters(region))
        if not (from_gutters and _letters_under_groups(boxes, picture, region.box, letters)):
            boxes = _lettered_parts(region, picture, letters)
    if 2 <= caption_letters and len(boxes) < 2 and picture is not None:
        grey = _grey(picture, _GUTTER_SEARCH_PX) if grey is None else grey
        boxes = _photos_and_charts(grey, region.box, caption_letters)
    if region.images and 2 <= caption_letters and len(boxes) < caption_letters:
        boxes = _split_at_jumps(boxes or [region.box], picture, region.box, caption_letters) or boxes
    if region.images and 2 <= caption_letters and len(boxes) < 2:
        boxes = _charts_one_per_letter(region, picture, caption_letters)  # charts in ruled frames, a letter a row
    return [PanelBox(box) for box in reading_order(boxes)]


def _letters_under_groups(parts: list[Box], picture: Image.Image | None, figure: Box, letters: int) -> bool:
    """Whether the letters printed in the picture under its parts (`_parts_over_letters`) name groups of the
    drawings and photographs cut at the gutters: more pictures than letters, some photographs and some not, each
    picture lying in one letter's part (_FRAMED_AREA of it at least), each letter's part holding one or more, alike in
    size (held-out 13 Figure 21.18: "(a)" under three drawings of pores, "(b)" under a photograph; the pictures are
    the panels, as in the truth's rule for a letter naming a group). A diagram cut at its own white space leaves
    pieces of unlike sizes under its letter (held-out 9 Figure 5.16's (b))."""
    if picture is None or len(parts) <= letters or len(set(_photographs(parts, picture, figure))) < 2:
        return False
    grey = _grey(picture, _GUTTER_SEARCH_PX)
    lettered = _in_points(_parts_over_letters(grey, letters), grey.shape, figure)
    homes = [
        [i for i, group in enumerate(lettered) if part.overlap_area(group) >= _FRAMED_AREA * part.area]
        for part in parts
    ]
    if len(lettered) < 2 or not all(len(home) == 1 for home in homes):
        return False
    groups = [[part for part, home in zip(parts, homes, strict=True) if home[0] == i] for i in range(len(lettered))]
    return all(group and _alike(group) for group in groups)


def needs_pixels(region: FigureRegion, caption_letters: int) -> bool:
    """Whether the panel search looks at the figure's pixels: a figure of images, or a drawn one whose caption or
    printed letters name two or more panels (a lettered grid of charts is cut at its blank gutters)."""
    return bool(region.images) or max(caption_letters, _subcaption_letters(region)) >= 2


def _hold_images(boxes: list[Box], region: FigureRegion) -> bool:
    """Whether any of the parts cut from the figure's pixels holds an image object of the region. A slide drawn
    as vectors (a table's cells on a dark fill, a small flag or logo in a corner) renders as a picture like a
    photograph's and is cut at its white rules into cells that hold none (held-out 5 workshop report Figure 21,
    a cost table cut in 8)."""
    return any(box.overlap_area(image.box) > 0 for box in boxes for image in region.images)


def _lettered_parts(region: FigureRegion, picture: Image.Image | None, letters: int) -> list[Box]:
    """As many alike parts as the caption (or the sub-captions printed under the parts) names letters, when
    nothing else split the picture: the images of the figure when there are that many of one size (plots without
    a photograph's texture), else the picture cut into a grid of that many cells at its clearest gutters or
    seams (micrographs whose white paper joins the gutters), else that many objects photographed on one black
    field. Nothing when no grid's cuts all fall on a gutter and the objects are not as many as the letters."""
    if letters < 2 or picture is None:
        return []
    images = [g.box for g in region.images if _big_enough(g.box, region.box)]
    if len(images) == letters and _alike(images):
        return images
    grey = _grey(picture, _GUTTER_SEARCH_PX)
    over_letters = _parts_over_letters(grey, letters) or _photographs_in_bands(grey, letters)
    if over_letters:
        return _in_points(over_letters, grey.shape, region.box)
    cells = _grid_cells(picture, region.box, letters)
    if cells and _letters_shared(cells, region):
        cells = []
    return cells or _objects_on_black(picture, region.box, letters)


def _parts_over_letters(grey: np.ndarray, letters: int) -> list[tuple[int, int, int, int]]:
    """Panels side by side, their letters printed in the picture in a row of their own under (or over) them, each
    centred on its panel (OpenStax Figure 5.16: a photograph, a diagram of two columns with labels between them, a
    photograph, "(a)" "(b)" "(c)" under them; an even grid cut the diagram through its middle): the picture cut at
    the gutters that centre each part's ink over its letter. Empty unless the row holds as many marks as the caption
    names letters, each no wider than a few letters, and some choice of gutters centres every part within
    _CENTRED of the picture's width."""
    ink = grey < _INK_LEVEL
    rows = _runs(ink.sum(axis=1) > 1)
    if len(rows) < 2:
        return []
    height, width = grey.shape
    for band, body in ((rows[-1], (0, rows[-1][0])), (rows[0], (rows[0][1], height))):
        tall = band[1] - band[0]
        if tall > _LETTER_BAND * height:
            continue
        marks = _marks(ink[band[0] : band[1]].any(axis=0), tall)
        if len(marks) != letters or any(b - a > 4 * tall for a, b in marks):
            continue
        gutters = [(a + b) // 2 for a, b in _runs(_gutter_lines(grey[body[0] : body[1]].T)) if 0 < a and b < width]
        inked = ink[body[0] : body[1]].any(axis=0)
        for extra in (0, 1):
            for cuts in combinations(gutters[:_MAX_GUTTERS], letters - 1 + extra):
                bounds = [0, *cuts, width]
                for parts in _lettered_with_end(list(zip(bounds, bounds[1:], strict=False)), marks, extra):
                    if all(
                        _centred(inked, part, (a + b) / 2, width) for part, (a, b) in zip(parts[0], marks, strict=True)
                    ):
                        return [(x0, 0, x1, height) for x0, x1 in parts[1]]
    return []


def _lettered_with_end(
    parts: list[tuple[int, int]], marks: list[tuple[int, int]], extra: int
) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The ways to read `parts` (column ranges, left to right) as one part per letter mark: (the lettered parts, the
    panels). With `extra` 1, a part at either end with no mark under it is no panel of its own but joins its
    neighbour's (a numbered key set beside the drawing lettered (b), OpenStax Microbiology Figure 26.10)."""
    if not extra:
        return [(parts, parts)]
    ways = []
    if marks[-1][1] <= parts[-1][0]:
        ways.append((parts[:-1], parts[:-2] + [(parts[-2][0], parts[-1][1])]))
    if marks[0][0] >= parts[0][1]:
        ways.append((parts[1:], [(parts[0][0], parts[1][1])] + parts[2:]))
    return ways


def _photographs_in_bands(grey: np.ndarray, letters: int) -> list[tuple[int, int, int, int]]:
    """A figure of bands parted by blank gutters across it, a drawing in one band and a row of photographs in
    another (OpenStax Microbiology Figure 24.5: (a) a diagram of the intestine wall over (b)-(d) three micrographs
    whose gutters arrows cross): a band of separate photographs gives its photographs, any other band is one part,
    and the parts are the panels when they are as many as the caption's letters. [] when no band is a row of
    photographs: a chart's rows of flat blocks lettered (a)-(d) are one diagram (RSTA 2021 Figure 4)."""
    bands = _xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 2, _ink_spans)  # one level: the bands alone
    parts, photographed = [], False
    for band in bands:
        cuts = _xy_cut(grey, *band, 2, _content_spans)
        pieces = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in cuts]
        photos = len(cuts) >= 2 and all(_picture_like(piece) and not _flat_fill(piece) for piece in pieces)
        parts.extend(cuts if photos else [band])
        photographed = photographed or photos
    return parts if photographed and len(bands) >= 2 and len(parts) == letters else []


def _marks(inked: np.ndarray, tall: int) -> list[tuple[int, int]]:
    """The printed marks along a row of letters (columns holding ink): glyphs closer than the row is tall are one
    mark ("(a)")."""
    marks: list[tuple[int, int]] = []
    for start, end in _runs(inked):
        if marks and start - marks[-1][1] <= tall:
            marks[-1] = (marks[-1][0], end)
        else:
            marks.append((start, end))
    return marks


def _centred(inked: np.ndarray, part: tuple[int, int], centre: float, width: int) -> bool:
    """Whether the ink of the columns `part` (from, to) is centred on `centre`, within _CENTRED of `width`."""
    columns = np.flatnonzero(inked[part[0] : part[1]])
    return columns.size > 0 and abs(part[0] + (columns[0] + columns[-1] + 1) / 2 - centre) <= _CENTRED * width


def _letters_shared(cells: list[Box], region: FigureRegion) -> bool:
    """Whether a cell of the grid holds two or more of the letters printed in the figure: a grid cut for panels
    gives each its own, where letters naming the steps of a flow chart, side by side in its boxes, fall into one
    row of whatever grid is cut (WHO 2013 handbook Figure 5, "(a) Need rapid scale-up" beside "(b) insufficient
    MDA impact", cut into two rows)."""
    marks = [line.box for line in region.texts if _letter_mark(line.text)]
    return any(
        sum(cell.x0 <= mark.cx <= cell.x1 and cell.top <= mark.cy <= cell.bottom for mark in marks) >= 2
        for cell in cells
    )


def _objects_on_black(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """The objects of a plate photographed on one black field, when they are as many as the letters: specimens
    or views set out freely, one's limb reaching past the next one's edge, so that no straight gutter runs
    between them (PLOS ONE 2014, a frog in five views (a)-(e) on black cloth). An object is a connected patch of
    the picture brighter than black (gaps of a few pixels closed) at least a panel's share of the picture wide or
    tall; the printed letters are smaller, and a paper margin or frame around the field spans the whole picture."""
    grey = _grey(picture, 800)
    dark = grey <= _DARK
    if dark.mean() < _BLACK_FIELD:
        return []
    close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_CLOSE_PX, _CLOSE_PX))
    patches = cv2.morphologyEx((~dark).astype(np.uint8), cv2.MORPH_CLOSE, close)
    _, _, stats, _ = cv2.connectedComponentsWithStats(patches, connectivity=8)
    height, width = grey.shape
    objects = [
        (x, y, x + w, y + h)
        for x, y, w, h, _ in stats[1:].tolist()
        if (w >= _MIN_PANEL_SHARE * width or h >= _MIN_PANEL_SHARE * height)
        and not (w >= _FRAME_SHARE * width and h >= _FRAME_SHARE * height)
    ]
    if len(objects) != letters:
        return []
    return _in_points(objects, grey.shape, figure)


def _split_at_jumps(boxes: list[Box], picture: Image.Image | None, figure: Box, letters: int) -> list[Box]:
    """Lettered photographs placed edge to edge, fewer parts found than the caption names letters: each part
    split, one cut at a time, where the picture jumps most (a seam too faint or blurred to be a gutter line),
    until there are as many parts as letters. Only photographs are cut, into photographs (a specimen on black
    found beside them is flat but needs no cut), and nothing unless every cut is a jump near the middle of its
    part (within _CUT_REACH): a single photograph changes as much across every line."""
    if picture is None:
        return []
    grey = np.asarray(picture.convert("L"), dtype=np.float32)
    parts = list(boxes)
    photos = [part for part, photo in zip(parts, _photographs(parts, picture, figure), strict=True) if photo]
    while len(parts) < letters:
        cuts = [(cut, part) for part in photos if (cut := _strongest_jump(grey, figure, part))]
        if not cuts:
            return []
        (_, first, second), part = max(cuts, key=lambda pair: pair[0][0])
        if not all(_photographs([first, second], picture, figure)):
            return []
        parts[parts.index(part)] = first
        parts.insert(parts.index(first) + 1, second)
        photos[photos.index(part) : photos.index(part) + 1] = [first, second]
    return parts


def _strongest_jump(grey: np.ndarray, figure: Box, part: Box) -> tuple[float, Box, Box] | None:
    """(how much more the picture changes across it than beside it, the two halves) of the line near the middle
    of `part` (either way) where the picture jumps most; None when no line there jumps."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height
    x0, x1 = round((part.x0 - figure.x0) * sx), round((part.x1 - figure.x0) * sx)
    y0, y1 = round((part.top - figure.top) * sy), round((part.bottom - figure.top) * sy)
    best: tuple[float, Box, Box] | None = None
    for lines, lo, hi, span, axis in ((grey, y0, y1, (x0, x1), 0), (grey.T, x0, x1, (y0, y1), 1)):
        size = hi - lo
        for at in range(lo + round((0.5 - _CUT_REACH) * size), lo + round((0.5 + _CUT_REACH) * size)):
            ratio = _jump_ratio(lines, at, span)
            if ratio is None or (best is not None and ratio <= best[0]):
                continue
            if axis == 0:
                cut = figure.top + at / sy
                halves = Box(part.x0, part.top, part.x1, cut), Box(part.x0, cut, part.x1, part.bottom)
            else:
                cut = figure.x0 + at / sx
                halves = Box(part.x0, part.top, cut, part.bottom), Box(cut, part.top, part.x1, part.bottom)
            best = (ratio, *halves)
    return best


def _strip(box: Box) -> bool:
    """A legend, a colour bar or a row of labels cut off by white space: part of the figure, not a panel."""
    return min(box.width, box.height) < _STRIP_SHARE * max(box.width, box.height)


def _blank_gutters_only(picture: Image.Image | None, figure: Box, boxes: list[Box]) -> bool:
    """Photographs set apart on the paper: every part is a photograph, and the picture splits into as many parts
    at blank gutters alone (white or black). A poster's tiles or a chart's cells meet at seams (one tile's edge
    against the next), and without the seams they split into far fewer parts (measured: 6 -> 1, 19 -> 3,
    10 -> 0; a 4x4 grid of photos 13 -> 16)."""
    if picture is None or not all(_photographs(boxes, picture, figure)):
        return False  # arrows and labels set apart beside a photograph annotate it
    grey = _grey(picture, _GUTTER_SEARCH_PX)
    if not all(_meets_gutter_at_an_edge(grey, figure, box) for box in boxes):
        return False  # pieces of one painting cut at a white stretch its colours fade into
    return len([b for b in _split_at_gutters(grey, figure, seams=False) if not _strip(b)]) >= len(boxes)


def _meets_gutter_at_an_edge(grey: np.ndarray, figure: Box, box: Box) -> bool:
    """Whether a part ends at a straight edge on one of its sides inside the figure: one of the lines just inside
    that side (a thin frame line included, past a JPEG's ringing) differs from the gutter line beside it over
    _PALE_EDGE of its length. A photograph set apart on the paper meets its gutters so; a watercolour's white
    window frame runs the picture's height, but the washes on both sides fade into it (WHO 2003 learner's guide
    Figure 9, cut in three: 4-14% of the lines beside it differ)."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height
    x0, x1 = round((box.x0 - figure.x0) * sx), round((box.x1 - figure.x0) * sx)
    y0, y1 = round((box.top - figure.top) * sy), round((box.bottom - figure.top) * sy)
    sides = []  # (lines across the side, the gutter line's index, the lines inside it, the side's span)
    if x0 > _GUTTER_EDGE:
        sides.append((grey.T, x0 - 1, range(x0, x0 + _GUTTER_EDGE), (y0, y1)))
    if x1 < grey.shape[1] - _GUTTER_EDGE:
        sides.append((grey.T, x1, range(x1 - _GUTTER_EDGE, x1), (y0, y1)))
    if y0 > _GUTTER_EDGE:
        sides.append((grey, y0 - 1, range(y0, y0 + _GUTTER_EDGE), (x0, x1)))
    if y1 < grey.shape[0] - _GUTTER_EDGE:
        sides.append((grey, y1, range(y1 - _GUTTER_EDGE, y1), (x0, x1)))
    return not sides or any(
        _differs(lines[i, lo:hi], float(np.median(lines[gutter, lo:hi])), _PALE_EDGE)
        for lines, gutter, inside, (lo, hi) in sides
        for i in inside
    )


def _separate_pictures(groups: list[list[Graphic]], figure: Box, picture: Image.Image | None) -> list[Box]:
    """The boxes of image groups big enough to be panels, when there are two or more and most are pictures."""
    boxes = [_union(g) for g in groups if _big_enough(_union(g), figure)]
    if len(boxes) >= 2 and (picture is None or _mostly_pictures(boxes, picture, figure)):
        return boxes
    return []


def _separate_drawings(region: FigureRegion) -> list[Box]:
    """Sub-plots of a vector chart each drawn as one object (a plot file included whole), or drawings each in a
    frame of its own (a rectangle drawn around what it holds, pictures included): two or more, apart from each
    other, each big enough to be a panel, and nothing else drawn. A chart or a flow chart drawn stroke by stroke
    (axes, bars, boxes, arrows) has small strokes among its drawings and stays whole; so does a drawing in one
    frame around the whole figure."""
    big = [g for g in region.graphics if _big_enough(g.box, region.box)]
    if len(big) < 2:
        return []
    groups = group_touching(big, tolerance=0.0, joined=lambda a, b: a.box.overlap_area(b.box) > 0)
    for small in (g for g in region.graphics if not _big_enough(g.box, region.box)):
        holders = [group for group in groups if any(small.box.overlap_area(g.box) > 0 for g in group)]
        if len(holders) != 1:
            return []  # a stroke apart from every part, or across two
        holders[0].append(small)
    boxes = [_union(group) for group in groups]
    if len(boxes) < 2 or not all(
        _framed(group, box) or (len(group) == 1 and group[0].kind != "image")
        for group, box in zip(groups, boxes, strict=True)
    ):
        return []
    return [box.intersection(region.box) or box for box in boxes]


def _separate_charts(region: FigureRegion, grey: np.ndarray | None) -> list[Box]:
    """Unlettered charts side by side (or one over the other), set apart by a wide blank gutter that no stroke or
    label crosses, each with axes or a frame of its own: a horizontal and a vertical line that meet, along half
    its width and height at least (WHO 2013 handbook Figure 13, two line charts drawn stroke by stroke; the HLH
    case report's Figure 2, two charts one over the other in one picture). One
    chart's legend or key set apart by white space has no axes of its own, nor has a drawing or a flow chart's
    step; so each stays one with what it belongs to. Found on the strokes of a drawn figure, on the pixels of one
    with images (`grey`: the gutter search's, None when it had no picture)."""
    if region.images:
        return [] if grey is None else _in_points(_charts_apart(grey), grey.shape, region.box)
    contents = [g.box for g in region.graphics] + [line.box for line in region.texts]
    for turned in (False, True):
        boxes = [_turned(box) for box in contents] if turned else contents
        pieces = _set_apart(boxes)
        if len(pieces) >= 2 and all(_has_axes(piece, boxes) for piece in pieces):
            return [(_turned(piece) if turned else piece).intersection(region.box) or piece for piece in pieces]
    return []


def _drawings_by_letter(region: FigureRegion) -> list[Box]:
    """A drawn figure's parts each holding one of its printed letters, cut at blank gutters that no stroke or label
    crosses, rows first or columns first, each part cut again while it holds two letters (Hindawi's charts: two side
    by side over a third, "(a)"-"(c)" printed under each). A run of parts without a letter joins the part after it
    when the letters close the run of parts (printed under or right of their panels), else the part before: a chart's
    legend, axis title or own title goes with its chart. Nothing unless every letter gets a part of its own."""
    marks = [line.box for line in region.texts if _letter_mark(line.text)]
    if len(marks) < 2 or len(marks) != _subcaption_letters(region):
        return []
    contents = [g.box for g in region.graphics] + [line.box for line in region.texts]
    for turned in (True, False):
        parts = _cut_by_letter(contents, marks, turned)
        if parts and all(_big_enough(part, region.box) for part in parts):
            return [part.intersection(region.box) or part for part in parts]
    return []


def _charts_one_per_letter(region: FigureRegion, picture: Image.Image | None, letters: int) -> list[Box]:
    """A drawn figure's charts, each with axes of its own (`_separate_charts`, on the strokes, else on the pixels
    when the letters are printed only in them), when the caption's letters name them (held-out 10 Lancet
    moxidectin Figure 2: charts A and B side by side, the letters outlined), and a lettered picture's charts that
    nothing else cut (held-out 10 Scientific Reports Figure 3: two ruled frames "a)" and "b)", four charts each)."""
    charts = _separate_charts(region, None)
    if not _named_by(charts, letters) and picture is not None:
        grey = _grey(picture, _GUTTER_SEARCH_PX)
        charts = _in_points(_charts_apart(grey), grey.shape, region.box)
    return charts if _named_by(charts, letters) else []


def _named_by(charts: list[Box], letters: int) -> bool:
    """Whether a caption naming `letters` letters names these charts: as many, or more set out in rows of as many
    charts each, two rows or more (letters that name rows or ranges of a grid: held-out 10 moxidectin Figure 3,
    "ivermectin (A–D)" and "moxidectin (E–G)" over two rows of four scatter plots). More charts than letters in one
    row are the parts of one chart as often (a bar chart's groups, each on its own stretch of the axis)."""
    if len(charts) == letters:
        return True
    rows: list[list[Box]] = []
    for chart in sorted(charts, key=lambda box: box.top):
        if rows and chart.top < rows[-1][0].bottom:
            rows[-1].append(chart)
        else:
            rows.append([chart])
    return len(charts) > letters and len(rows) >= 2 and len({len(row) for row in rows}) == 1 and len(rows[0]) >= 2


def _cut_by_letter(contents: list[Box], marks: list[Box], turned: bool) -> list[Box]:
    """`contents` cut into parts holding one of `marks` each (see `_drawings_by_letter`); rows when `turned`."""
    pieces = _gutter_pieces([_turned(box) for box in contents] if turned else contents)
    pieces = [_turned(piece) for piece in pieces] if turned else pieces
    held = [[mark for mark in marks if piece.contains(mark, tolerance=_EDGE_PT)] for piece in pieces]
    if len(pieces) < 2 or not held[0] and not held[-1]:
        return []
    forward = bool(held[-1])
    parts: list[tuple[Box, list[Box]]] = []
    waiting: Box | None = None
    for piece, inside in zip(pieces, held, strict=True):
        if not inside:
            waiting = piece.union(waiting) if waiting else piece
            if not forward and parts:
                parts[-1], waiting = (parts[-1][0].union(piece), parts[-1][1]), None
            continue
        parts.append((piece.union(waiting) if waiting else piece, inside))
        waiting = None
    cut: list[Box] = []
    for part, inside in parts:
        if len(inside) == 1:
            cut.append(part)
            continue
        within = [box for box in contents if part.contains(box, tolerance=_EDGE_PT)]
        sub = _cut_by_letter(within, inside, not turned)
        if not sub:
            return []
        cut += sub
    return cut


def _set_apart(boxes: list[Box]) -> list[Box]:
    """The boxes gathered into columns, left to right, between blank gutters _WIDE_GUTTER of their width wide or
    more that no box crosses; a column narrower than a panel's share of them all joins its nearer neighbour (an
    axis title set a little apart from its tick labels, a chart's title over it)."""
    least_width = _MIN_PANEL_SHARE * union_all(boxes).width if boxes else 0.0
    return _join_narrow(_gutter_pieces(boxes), least_width, lambda piece: piece.width, Box.gap, Box.union)


def _join_narrow(
    parts: list[T], least: float, size: Callable[[T], float], gap: Callable[[T, T], float], join: Callable[[T, T], T]
) -> list[T]:
    """`parts` (in order along one axis) with each part narrower than `least` (`size`) joined to its nearer
    neighbour (`gap`, `join`), the narrowest first, while two or more are left."""
    parts = list(parts)
    while len(parts) >= 2 and size(narrow := min(parts, key=size)) < least:
        at = parts.index(narrow)
        other = min((i for i in (at - 1, at + 1) if 0 <= i < len(parts)), key=lambda i: gap(parts[i], narrow))
        low, high = min(at, other), max(at, other)
        parts[low : high + 1] = [join(parts[low], parts[high])]
    return parts


def _gutter_pieces(boxes: list[Box]) -> list[Box]:
    """The boxes gathered into columns, left to right, between blank gutters _WIDE_GUTTER of their width wide or
    more that no box crosses."""
    if not boxes:
        return []
    least_gap = _WIDE_GUTTER * union_all(boxes).width
    pieces: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if pieces and box.x0 < pieces[-1].x1 + least_gap:
            pieces[-1] = pieces[-1].union(box)
        else:
            pieces.append(box)
    return pieces


def _has_axes(piece: Box, boxes: list[Box]) -> bool:
    """Whether a horizontal and a vertical line inside the piece meet and run along _AXIS_SHARE of its width and
    height: a chart's axes."""
    inside = [box for box in boxes if piece.contains(box, tolerance=_EDGE_PT)]
    across = [b for b in inside if b.height <= _AXIS_PT and b.width >= _AXIS_SHARE * piece.width]
    upright = [b for b in inside if b.width <= _AXIS_PT and b.height >= _AXIS_SHARE * piece.height]
    return any(a.expand(_AXIS_PT).intersection(b) is not None for a in across for b in upright)


def _charts_apart(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The pixel twin of the strokes' search in `_separate_charts`: the picture cut at blank lines into rows, each
    row into columns, and so on a few levels deep, when every part is a chart (`_chart`). The gutters between
    charts set close in one picture may be a pixel or two wide (held-out 11 BMC Figure 4, two histograms; held-out
    10 Virulence Figure 1, three charts in a row); a part too narrow to be a panel (an axis title, a chart's title,
    a row of tick labels) joins its nearer neighbour; a cut whose parts are not all charts is not made (a legend
    table under its chart stays with it, and the chart with it is one part)."""
    parts = _parts_of_kinds(grey, {"chart"})
    return list(parts) if len(parts) >= 2 else []


def _photos_and_charts(grey: np.ndarray, figure: Box, letters: int) -> list[Box]:
    """A journal plate of photographs (micrographs) and the charts that measure them in one picture, set apart by
    blank lines (held-out 10 Virulence Figures 5 and 8: rows of confocal micrographs beside and over bar charts,
    letters with roman sub-indices naming more parts than the caption's letters): the cut of `_charts_apart` where
    every part is a chart or a photograph and both are among them, when the parts are at least as many as the
    caption's letters. A photograph alone never holds a chart, so a single picture is not cut; charts alone are
    `_charts_apart`'s. `grey`: the picture as the gutter search sees it."""
    parts = _parts_of_kinds(grey, {"chart", "photo"})
    if len(parts) < max(2, letters) or set(parts.values()) != {"chart", "photo"}:
        return []
    return _in_points(list(parts), grey.shape, figure)


def _parts_of_kinds(grey: np.ndarray, kinds: set[str]) -> dict[tuple[int, int, int, int], str]:
    """The picture cut at blank lines (`_chart_parts`) into parts each of one of `kinds` (`_part_kind`), in order,
    with their kinds; the whole picture when no cut is made, nothing when it is of none of them."""
    ink = grey < _INK_LEVEL
    known: dict[tuple[int, int, int, int], str | None] = {}

    def kept(piece: tuple[int, int, int, int]) -> bool:
        if piece not in known:
            known[piece] = _part_kind(grey, piece, kinds)
        return known[piece] is not None

    parts = _chart_parts(ink, (0, 0, grey.shape[1], grey.shape[0]), (0, 1), _CHART_LEVELS, kept)
    return {part: known[part] for part in parts} if all(map(kept, parts)) else {}


def _part_kind(grey: np.ndarray, piece: tuple[int, int, int, int], kinds: set[str]) -> str | None:
    """Of `kinds`, what a piece of a picture is: "chart" (`_chart`) or "photo" (textured, no strip); None when it
    is none of them."""
    if "chart" in kinds and _chart(grey, piece):
        return "chart"
    x0, y0, x1, y1 = piece
    if "photo" in kinds and not _strip(Box(*piece)) and _picture_like(grey[y0:y1, x0:x1]):
        return "photo"
    return None


def _chart_parts(
    ink: np.ndarray,
    box: tuple[int, int, int, int],
    axes: tuple[int, ...],
    levels: int,
    chart: Callable[[tuple[int, int, int, int]], bool],
) -> list[tuple[int, int, int, int]]:
    """`box` cut at blank lines along the first of `axes` (0: rows) whose parts are all charts (`chart`), each part
    cut again the other way first while `levels` last; [box] when no cut is made."""
    x0, y0, x1, y1 = box
    for axis in axes:
        part = ink[y0:y1, x0:x1]
        parts: list[tuple[int, int, int, int]] = []
        for a, b in _blank_spans(part if axis == 0 else part.T):
            piece = (x0, y0 + a, x1, y0 + b) if axis == 0 else (x0 + a, y0, x0 + b, y1)
            cut = _chart_parts(ink, piece, (1 - axis, axis), levels - 1, chart) if levels > 1 else [piece]
            if not all(map(chart, cut)):
                break  # a part that is no chart: no cut this way
            parts += cut
        else:
            if parts:
                return parts
    return [box]


def _blank_spans(ink: np.ndarray) -> list[tuple[int, int]]:
    """Runs of lines with ink (more than one pixel) between blank lines, a run shorter than a panel's share of the
    lines joined to its nearer neighbour; [] unless two or more are left. Ink near the ends of a line (_GUTTER_ENDS
    of it at each end) does not count, a panel letter printed at the head of the gutter between two charts (held-out
    10 Virulence Figure 2), but for a chart's own axis there; nor do the sides of a frame drawn around the whole
    part (held-out 11 BMC Figure 1, groups of charts each in a frame)."""
    end = round(_GUTTER_ENDS * ink.shape[1])
    counted = np.zeros(ink.shape[1], dtype=bool)
    counted[end : ink.shape[1] - end] = True
    ends = np.flatnonzero(~counted)
    counted[ends[_long_lines(ink[:, ends].T)]] = True  # an axis near the end of a line
    counted[_frame_sides(ink)] = False
    spans = _runs(ink[:, counted].sum(axis=1) > 1)
    least = _MIN_PANEL_SHARE * ink.shape[0]
    spans = _join_narrow(spans, least, lambda span: span[1] - span[0], _span_gap, lambda a, b: (a[0], b[1]))
    return spans if len(spans) >= 2 else []


def _frame_sides(ink: np.ndarray) -> np.ndarray:
    """The columns of a frame drawn around the whole part (its ink), when there is one: a rule along its first and
    its last rows, and one along its first or its last column or both (within _GUTTER_ENDS of its ends), each along
    _RULE_SHARE of it at least. One column is enough: a part cut from a framed grid next to a rule it shares with
    its neighbour (the row under the rule between two rows) keeps its sides and its own outer rule only, and that
    rule, 2 px thick, would fill every line. A chart's axes alone are no frame: they give no rule at both ends."""
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    box = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    sides = []
    for lines, both in ((box, True), (box.T, False)):
        rules = np.flatnonzero(lines.mean(axis=1) >= _RULE_SHARE)
        reach = _GUTTER_ENDS * lines.shape[0]
        first, last = rules[rules < reach], rules[rules >= lines.shape[0] - reach]
        if (first.size == 0 or last.size == 0) if both else (first.size == 0 and last.size == 0):
            return np.zeros(0, dtype=np.int64)
        sides.append(np.concatenate((first, last)))
    return sides[1] + columns[0]


def _span_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1])


def _chart(grey: np.ndarray, piece: tuple[int, int, int, int]) -> bool:
    """Whether a piece of a picture is a chart: mostly paper (a photograph's dark stretches and a flow chart's filled
    boxes are no axes), no strip (a band of a chart cut along its light grid lines holds a stretch of its axis and
    gridlines), ruled, and an axis of it ticked."""
    x0, y0, x1, y1 = piece
    part = grey[y0:y1, x0:x1]
    if _strip(Box(x0, y0, x1, y1)) or _paper_share(part) < _CHART_PAPER or not _ruled(part):
        return False
    ink = part < _INK_LEVEL
    return _ticked(ink) or _ticked(ink.T[::-1])


def _ticked(ink: np.ndarray) -> bool:
    """Whether a thin row of ink unbroken along _AXIS_SHARE of the part has ticks or tick labels under it: three
    separate marks or more within _TICK_REACH of the part's height (the part turned and flipped: left of a column).
    A box drawn around a label is ruled too but has nothing along its outer side (the DENGUE guidelines' Figure
    4.4, a diagram of labelled boxes cut into five "charts")."""
    thin = max(2.0, _AXIS_THIN * ink.shape[0])
    reach = max(_TICK_PX, round(_TICK_REACH * ink.shape[0]))
    for start, end in _runs(np.isin(np.arange(ink.shape[0]), _long_lines(ink))):
        band = ink[end + 1 : end + 1 + reach]
        if end - start <= thin and band.size and len(_runs(band.any(axis=0))) >= _TICKS:
            return True
    return False


def _ruled(part: np.ndarray) -> bool:
    """Whether a piece of a drawing holds a chart's axes or frame: a thin row of ink unbroken along _AXIS_SHARE of
    its width crossing a column of ink unbroken along _AXIS_SHARE of its height, or the other way round: one of the
    two may be thick (dots of a scatter plot along its x axis, bars standing on it). Text and a filled shape hold
    none."""
    ink = part < _INK_LEVEL
    rows, columns = _long_lines(ink), _long_lines(ink.T)
    thin_rows, thin_columns = _thin(rows, ink.shape[0]), _thin(columns, ink.shape[1])
    return bool(
        (thin_rows.size and columns.size and ink[np.ix_(thin_rows, columns)].any())
        or (rows.size and thin_columns.size and ink[np.ix_(rows, thin_columns)].any())
    )


def _long_lines(ink: np.ndarray) -> np.ndarray:
    """The rows holding an unbroken run of ink _AXIS_SHARE of the row long."""
    length = _AXIS_SHARE * ink.shape[1]
    rows = np.flatnonzero(ink.sum(axis=1) >= length)  # only a row with that much ink may hold such a run
    padded = np.diff(np.pad(ink[rows].astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts, ends = np.argwhere(padded == 1), np.argwhere(padded == -1)
    longest = np.zeros(rows.size, dtype=np.int64)
    np.maximum.at(longest, starts[:, 0], ends[:, 1] - starts[:, 1])
    return rows[longest >= length]


def _thin(lines: np.ndarray, count: int) -> np.ndarray:
    """The first of each run of `lines` (sorted indices of `count` lines) thin enough to be one drawn line (a filled
    shape's rows are no line)."""
    flags = np.zeros(count, dtype=bool)
    flags[lines] = True
    thin = max(2.0, _AXIS_THIN * count)
    return np.array([start for start, end in _runs(flags) if end - start <= thin], dtype=np.int64)


def _framed(group: list[Graphic], box: Box) -> bool:
    """A frame and what is drawn in it: a drawn (not image) object whose box is nearly the group's (a picture's
    white margin may reach a little past its frame) and something more inside."""
    return len(group) >= 2 and any(g.kind != "image" and g.box.area >= _FRAMED_AREA * box.area for g in group)


def _joined_by_strokes(boxes: list[Box], region: FigureRegion) -> bool:
    """Whether a drawn line or arrow runs across the gap between two of the parts, from one to the other: drawings
    joined so are the steps of one diagram (a cycle of four stages, each stage's drawing pointing at the next; WHO
    2013 handbook Figure 14), not panels. A line is a strip of touching strokes in the gap (a shaft and its head);
    a frame or a rule along the gap is none. Found on the vector strokes, so at any resolution: rendered at 72 dpi,
    a thin arrow leaves one pixel of ink in a gutter line, which the drawing search takes for blank."""
    strokes = [g for g in region.graphics if g.kind != "image"]
    if len(boxes) < 2 or not strokes:
        return False
    turned = [Graphic(g.kind, _turned(g.box), None) for g in strokes]
    return any(
        _joined_across(a, b, strokes) or _joined_across(_turned(a), _turned(b), turned)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _joined_across(a: Box, b: Box, strokes: list[Graphic]) -> bool:
    """Whether the strokes in the gap between two parts one over the other (only those: a figure's labels may be
    thousands of drawn glyphs) make a line from one part to the other."""
    upper, lower = sorted((a, b), key=lambda box: box.top)
    middle = (upper.bottom + lower.top) / 2
    gap = Box(
        max(upper.x0, lower.x0),
        min(upper.bottom, middle - _EDGE_PT),
        min(upper.x1, lower.x1),
        max(lower.top, middle + _EDGE_PT),
    )
    if gap.width <= 0:
        return False
    near = [g for g in strokes if g.box.intersection(gap) is not None]
    lines = [line for line in map(_union, group_touching(near, tolerance=1.0)) if _strip(line)]
    return any(_spans_gap(line, upper, lower) for line in lines)


def _spans_gap(line: Box, a: Box, b: Box) -> bool:
    """A tall line that runs from one part down to the other (parts one over the other), across the gap between
    them to within _EDGE_PT of each (between parts that meet, across the line where they meet), and no further
    than the two parts reach: a frame's side along the figure's edge, or a rule the height of the figure, joins
    nothing."""
    upper, lower = sorted((a, b), key=lambda box: box.top)
    inside = all(part.x0 + _EDGE_PT < line.cx < part.x1 - _EDGE_PT for part in (upper, lower))
    if line.height <= line.width or not inside:
        return False
    if line.top < upper.top - _EDGE_PT or line.bottom > lower.bottom + _EDGE_PT:
        return False
    middle, half = (upper.bottom + lower.top) / 2, max((lower.top - upper.bottom) / 2 - _EDGE_PT, _EDGE_PT)
    return line.top <= middle - half and line.bottom >= middle + half


def _turned(box: Box) -> Box:
    """The box with its axes swapped: a side-by-side question asked as an over-and-under one."""
    return Box(box.top, box.x0, box.bottom, box.x1)


def _alike(boxes: list[Box]) -> bool:
    """Panels of a composite are set at about one size (measured: areas within 1.3x on every multi-panel truth);
    a poster's tiles, a chart's cells, the boxes of a flow chart differ 3-27x."""
    areas = [box.area for box in boxes]
    return max(areas) <= _PANEL_AREA_SPREAD * min(areas)


def _printed_letters(region: FigureRegion) -> int:
    return sum(1 for line in region.texts if LETTER_ALONE.match(line.text.strip()))


def _subcaption_letters(region: FigureRegion) -> int:
    """Panel letters printed in the figure: alone ("b") or opening a sub-caption under a part ("(b) SciBERT"),
    counted when they run a, b, c, ... in order."""
    marks = [_letter_mark(line.text) for line in region.texts]
    letters = sorted({mark.group(1).lower() for mark in marks if mark})
    return len(letters) if letters == letter_run("a", len(letters)) else 0


def _letter_mark(text: str) -> re.Match[str] | None:
    """A panel letter printed alone ("b") or opening a sub-caption under a part ("(b) SciBERT")."""
    return LETTER_ALONE.match(text.strip()) or SUBFIGURE_CAPTION.match(text)


def assign_letters(panels: list[PanelBox], region: FigureRegion, subcaptions: dict[str, str]) -> None:
    """Letters printed in or next to the panels (text layer) win; panels left without one take the
    caption's remaining letters in reading order when the counts agree. A sub-caption printed under a panel
    ("(a) SPECTER") gives its letter, and its text where the caption describes no panels."""
    printed: dict[str, str] = {}
    marks = _panel_marks(region, len(panels))
    side = _letter_side([line.box for line, _ in marks], [panel.box for panel in panels])
    for line, match in marks:
        printed[match.group(1).lower()] = _printed_subcaption(line, match, region)
        near = [
            (panel.box.gap(line.box), panel)
            for panel in panels
            if panel.letter is None
            and panel.box.x0 - 4 <= line.box.cx <= panel.box.x1 + 4
            and panel.box.gap(line.box) <= _LETTER_DISTANCE
            and (panel.box.gap(line.box) == 0 or side is None or _on_side(line.box, panel.box, side))
        ]
        if near:
            min(near, key=lambda pair: pair[0])[1].letter = match.group(1)
    letters = list(subcaptions)
    if len(letters) == len(panels):
        unused = iter(letter for letter in letters if letter not in {(p.letter or "").lower() for p in panels})
        upper = any(p.letter and p.letter.isupper() for p in panels) or (
            not any(p.letter for p in panels)
            and region.caption is not None
            and printed_upper(region.caption.text[region.caption.label_end :])
        )
        for panel in panels:
            if panel.letter is None:
                letter = next(unused, None)
                panel.letter = letter.upper() if letter and upper else letter
    for panel in panels:
        if panel.letter is not None:
            panel.subcaption = subcaptions.get(panel.letter.lower()) or printed.get(panel.letter.lower()) or None


def _printed_subcaption(line: TextLine, mark: re.Match[str], region: FigureRegion) -> str:
    """The text after a panel's letter printed under it ("(a) Mesenchymal cells group into clusters, and"), with the
    rows of the same size under it that go on from it: left-aligned with it, or hanging under its text as LaTeX's
    subcaption sets them ("ossification centers form."); not a row of the next panel's sub-caption beside it."""
    rows = [line]
    size = line.font_size
    below = sorted((other for other in region.texts if other.box.top > line.box.bottom - 1), key=lambda o: o.box.top)
    for other in below:
        last = rows[-1].box
        if other.box.top - last.bottom > _SUBCAPTION_ROW_GAP_EM * size:
            break
        goes_on = (
            other.box.top >= last.bottom - 1
            and abs(other.font_size - size) <= 0.1 * size
            and line.box.x0 - _SUBCAPTION_OUTDENT_EM * size <= other.box.x0 <= line.box.x0 + _SUBCAPTION_HANG_EM * size
            and other.box.x1 <= line.box.x1 + _SUBCAPTION_OUTDENT_EM * size
            and _letter_mark(other.text) is None
        )
        if goes_on:
            rows.append(other)
    return join_lines([line.text[mark.end() :]] + [row.text for row in rows[1:]])


def _panel_marks(region: FigureRegion, panels: int) -> list[tuple[TextLine, re.Match[str]]]:
    """The figure's printed panel letters with their lines. When the letters printed alone or opening a sub-caption
    do not name the panels (a, b, ... as many as there are panels) but those of one style do, bracketed ("(a)") or
    bare ("A"), only those: letters that label bands or spots inside the pictures (a gel's bands A-U) are bare,
    the panel letters over them bracketed."""
    marks = [(line, match) for line in region.texts if (match := _letter_mark(line.text))]

    def names_each_panel(chosen: list[tuple[TextLine, re.Match[str]]]) -> bool:
        return sorted({match.group(1).lower() for _, match in chosen}) == letter_run("a", panels)

    if names_each_panel(marks):
        return marks
    for bracketed in (True, False):
        style = [(line, match) for line, match in marks if line.text.strip().startswith("(") == bracketed]
        if names_each_panel(style):
            return style
    return marks


def _letter_side(letters: list[Box], panels: list[Box]) -> str | None:
    """Where a figure prints its panel letters outside the panels, when some letter shows it: "below" when a
    letter has a panel right above it and none below (it is under the bottom row), "above" the other way round.
    Letters between two rows of panels are then read the same way ("(a)" under the top row is not the label of
    the row below it, although it may be as near to it)."""
    for letter in letters:
        column = [panel for panel in panels if panel.x0 - 4 <= letter.cx <= panel.x1 + 4 and panel.gap(letter) > 0]
        above = [panel for panel in column if panel.bottom <= letter.cy and panel.gap(letter) <= _LETTER_DISTANCE]
        below = [panel for panel in column if panel.top >= letter.cy]
        if above and not below:
            return "below"
        if below and not above and min(panel.gap(letter) for panel in below) <= _LETTER_DISTANCE:
            return "above"
    return None


def _on_side(letter: Box, panel: Box, side: str) -> bool:
    return panel.bottom <= letter.cy if side == "below" else panel.top >= letter.cy


def _union(graphics) -> Box:
    box = graphics[0].box
    for g in graphics[1:]:
        box = box.union(g.box)
    return box


def _big_enough(panel: Box, figure: Box) -> bool:
    return panel.width >= _MIN_PANEL_SHARE * figure.width or panel.height >= _MIN_PANEL_SHARE * figure.height


def _split_at_gutters(grey: np.ndarray, figure: Box, seams: bool = True) -> list[Box]:
    """Split a composite picture (`grey`, `_GUTTER_SEARCH_PX` on its longer side) at gutters (and `seams`) that run
    across its whole width or height."""
    at_gutters = _xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, partial(_content_spans, seams=seams))
    if (
        len(at_gutters) >= 2
        and all(_picture_like(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in at_gutters)
        and not _labelled_between(grey, at_gutters)
    ):
        return _in_points(at_gutters, grey.shape, figure)
    # A drawing's white space is layout, not a gutter between panels, unless it sets separate drawings out on a grid.
    pieces = _xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, _ink_spans)
    if not (_drawing_grid(pieces) or _photo_beside_drawing(grey, pieces) or _row_of_drawings(grey, pieces)):
        pieces = _grid_of_drawings(grey, pieces) or _photo_framed_beside_drawing(grey, at_gutters)
    return _in_points(pieces, grey.shape, figure) if pieces else []


def _labelled_between(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether labels printed between two parts side by side point into both: leader lines run from each part's
    facing edge a quarter of the way into a wide gap (_LABEL_GAP of the picture at least) and end there, at the
    labels' text (OpenStax Figure 5.8, dark and light skin drawn as two columns, the names of their layers between
    them with a line to each: one diagram). Photographs set apart leave their gutters blank; a map's zoom lines cross a
    narrow gutter to its inset."""
    ink = grey < _INK_LEVEL
    for a, b in ((a, b) for a in pieces for b in pieces if b[0] > a[2] and _overlap(a[1], a[3], b[1], b[3])):
        gap = ink[max(a[1], b[1]) : min(a[3], b[3]), a[2] : b[0]]
        wide = gap.shape[1]
        if wide < _LABEL_GAP * grey.shape[1] or any(c[0] >= a[2] and c[2] <= b[0] for c in pieces):
            continue
        reach = [np.where((~side).any(axis=1), (~side).argmax(axis=1), wide) for side in (gap, gap[:, ::-1])]
        if all(((wide / 4 <= run) & (run < wide)).any() for run in reach):
            return True
    return False


def _ruled_row_left_out(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether the picture is ruled into rows (three rules or more across its whole width) and a row as tall as a
    panel, with ink in it, holds none of the pieces: a table printed as a picture (held-out 14 Figure 4.3, "Germ
    Layer / Gives rise to": the gutter search cut the framed drawings of two rows into six panels and left the
    third row's smaller drawings and every cell's text out). The rows of a ruled plate each hold panels."""
    ink = grey < _INK_LEVEL
    rules = _runs(ink.mean(axis=1) >= _RULE_SHARE)
    if len(rules) < 3:
        return False
    least = _MIN_PANEL_SHARE * grey.shape[0]
    return any(
        bottom - top >= least
        and ink[top:bottom].mean() >= _INKED_ROW
        and not any(_overlap(top, bottom, y0, y1) or top <= y0 < y1 <= bottom for _, y0, _, y1 in pieces)
        for (_, top), (bottom, _) in zip(rules, rules[1:], strict=False)
    )


def _photo_framed_beside_drawing(
    grey: np.ndarray, pieces: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """A photograph (or map) beside a drawing, each in a frame of its own that shares a side with the other's: the
    drawn frame lines cross every line of the picture, so no ink-free gutter parts them, but the gutter search
    cuts at the shared side (a dark rule) and the photograph meets it at a straight edge (PLOS ONE 2014 frog
    Figure 3, a distribution map beside a tree). The gutter search trims the drawing to its densest ink (its
    white space and sparse labels look like gutters), so the parts are slabs of the whole picture cut at the
    photographs' edges. Empty unless the pieces lie in one row or column, some photographs and some not, each
    photograph meeting its neighbours at a straight edge, or in rows of two or more such pieces each (below)."""
    rows = _rows_of_pieces(pieces)
    if len(rows) >= 2:
        return _framed_rows(grey, rows)
    if len(pieces) < 2:
        return []
    in_row = all(_overlap(a[1], a[3], b[1], b[3]) for a, b in zip(pieces, pieces[1:], strict=False))
    in_column = all(_overlap(a[0], a[2], b[0], b[2]) for a, b in zip(pieces, pieces[1:], strict=False))
    photos = [_picture_like(grey[y0:y1, x0:x1]) and not _flat_fill(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in pieces]
    if not (in_row or in_column) or not any(photos) or all(photos):
        return []
    if not all(_edge_set_off(grey, a, b, in_row) for a, b in zip(pieces, pieces[1:], strict=False)):
        return []
    ends = [piece[2] if in_row else piece[3] for piece in pieces]
    starts = [piece[0] if in_row else piece[1] for piece in pieces]
    cuts = [
        end if photo else start if next_photo else (end + start) // 2
        for end, start, photo, next_photo in zip(ends, starts[1:], photos, photos[1:], strict=False)
    ]
    bounds = [0, *cuts, grey.shape[1] if in_row else grey.shape[0]]
    return [
        (a, 0, b, grey.shape[0]) if in_row else (0, a, grey.shape[1], b)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _rows_of_pieces(pieces: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The pieces in rows, top to bottom (a piece joins the row whose height it overlaps), each row's pieces that
    share columns joined (a drawing cut across its own white space) and left to right; [] unless each row holds
    two pieces or more."""
    rows: list[list[tuple[int, int, int, int]]] = []
    for piece in sorted(pieces, key=lambda p: p[1]):
        if rows and piece[1] < max(p[3] for p in rows[-1]):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    joined = []
    for row in rows:
        columns: list[tuple[int, int, int, int]] = []
        for x0, y0, x1, y1 in sorted(row):
            if columns and x0 < columns[-1][2]:
                a = columns[-1]
                columns[-1] = (a[0], min(a[1], y0), max(a[2], x1), max(a[3], y1))
            else:
                columns.append((x0, y0, x1, y1))
        joined.append(columns)
    return joined if all(len(row) >= 2 for row in joined) else []


def _framed_rows(grey: np.ndarray, rows: list[list[tuple[int, int, int, int]]]) -> list[tuple[int, int, int, int]]:
    """Rows of photographs beside drawings (OpenStax A&P Figure 4.16: three rows of a drawing, labels with leader
    lines into both, a micrograph, one letter naming each row): each row, a slab of the picture cut between the
    rows in the middle of the widest run of lines without ink (a row's letter printed under it stays with it), cut as
    one row (`_photo_framed_beside_drawing`); empty unless every row is."""
    tops = [min(p[1] for p in row) for row in rows]
    bottoms = [max(p[3] for p in row) for row in rows]
    blank = (grey < _INK_LEVEL).sum(axis=1) <= 1
    middles = []
    for bottom, top in zip(bottoms, tops[1:], strict=False):
        runs = _runs(blank[bottom:top])
        a, b = max(runs, key=lambda run: run[1] - run[0]) if runs else (0, top - bottom)
        middles.append(bottom + (a + b) // 2)
    bounds = [0, *middles, grey.shape[0]]
    parts: list[tuple[int, int, int, int]] = []
    for row, top, bottom in zip(rows, bounds, bounds[1:], strict=False):
        cut = _photo_framed_beside_drawing(grey[top:bottom], [(x0, y0 - top, x1, y1 - top) for x0, y0, x1, y1 in row])
        if len(cut) < 2:
            return []
        parts += [(x0, y0 + top, x1, y1 + top) for x0, y0, x1, y1 in cut]
    return parts


def _in_points(pieces: list[tuple[int, int, int, int]], shape: tuple[int, ...], figure: Box) -> list[Box]:
    """Pieces (x0, y0, x1, y1 in pixels) of a picture of `shape` (rows, columns) that covers `figure`, in points."""
    sx, sy = figure.width / shape[1], figure.height / shape[0]
    return [
        Box(figure.x0 + x0 * sx, figure.top + y0 * sy, figure.x0 + x1 * sx, figure.top + y1 * sy)
        for x0, y0, x1, y1 in pieces
    ]


def _in_pixels(boxes: list[Box], shape: tuple[int, ...], figure: Box) -> list[tuple[int, int, int, int]]:
    """Boxes in points inside `figure` as pixels (x0, y0, x1, y1) of a picture of `shape` that covers it."""
    sx, sy = shape[1] / figure.width, shape[0] / figure.height
    return [
        (
            round((b.x0 - figure.x0) * sx),
            round((b.top - figure.top) * sy),
            round((b.x1 - figure.x0) * sx),
            round((b.bottom - figure.top) * sy),
        )
        for b in boxes
    ]


def _grid_cells(picture: Image.Image, figure: Box, count: int) -> list[Box]:
    """The picture cut into `count` cells of a grid (every rows x columns that makes `count`), each cut at the
    clearest gutter or seam near its place in an even grid; of the grids whose cuts all fall on one, the one
    with the widest narrowest gutter (a seam between photos edge to edge is one line wide). The cells are panels
    when every one is textured (photographs, micrographs: measured 0.09-0.63 of pixels within 6 levels of the
    median, the cells of a scheme or a chart 0.79-0.98), or when every cut is a wide blank gutter (drawings set
    apart: measured 1.25-2.75% of the picture; a scheme's steps and a chart's boxes, joined by arrows and lines,
    have no gutter line at all)."""
    grey = _grey(picture, 800)
    best: tuple[float, list[int], list[int]] | None = None
    for rows in (r for r in range(1, count + 1) if count % r == 0):
        row_cuts, column_cuts = _even_cuts(grey, rows, axis=0), _even_cuts(grey, count // rows, axis=1)
        if row_cuts is None or column_cuts is None:
            continue
        width = min(w for _, w in row_cuts + column_cuts)
        if best is None or width > best[0]:
            best = (width, [at for at, _ in row_cuts], [at for at, _ in column_cuts])
    if best is None:
        return []
    width, ys, xs = best
    ys, xs = [0, *ys, grey.shape[0]], [0, *xs, grey.shape[1]]
    cells = [(x0, y0, x1, y1) for y0, y1 in zip(ys, ys[1:], strict=False) for x0, x1 in zip(xs, xs[1:], strict=False)]
    if width < _WIDE_GUTTER and any(_flat_fill(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in cells):
        return []  # white space inside a drawing is layout: its letters name steps or parts of it
    return _in_points(cells, grey.shape, figure)


def _even_cuts(grey: np.ndarray, parts: int, axis: int) -> list[tuple[int, float]] | None:
    """(position, gutter width as a share of the picture) of the cuts into `parts` along `axis` (0: rows), each
    the widest run of gutter lines within _CUT_REACH of a part's size from where an even split puts it; None
    when a cut has none."""
    lines = grey if axis == 0 else grey.T
    gutter = _gutter_lines(lines)
    cell = lines.shape[0] / parts
    cuts = []
    for k in range(1, parts):
        lo, hi = round((k - _CUT_REACH) * cell), round((k + _CUT_REACH) * cell)
        runs = _runs(gutter[lo:hi])
        if not runs:
            return None
        a, b = max(runs, key=lambda run: (run[1] - run[0], -abs(lo + (run[0] + run[1]) / 2 - k * cell)))
        cuts.append((lo + (a + b) // 2, (b - a) / lines.shape[0]))
    return cuts


def _gutter_lines(lines: np.ndarray) -> np.ndarray:
    """Lines that separate parts of a picture: paper, a drawn rule (paper and one colour) or a seam where one
    part's straight edge meets the next."""
    median = np.median(lines, axis=1, keepdims=True)
    plain = ((lines >= _PALE) | (np.abs(lines - median) <= _SHADE)).mean(axis=1) >= _GUTTER_SHARE
    return plain | _seams(lines)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _grey(picture: Image.Image, longest: int) -> np.ndarray:
    """The picture in grey levels, scaled down to at most `longest` pixels on its longer side."""
    scale = min(1.0, longest / max(picture.size))
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return np.asarray(picture.convert("L").resize(size), dtype=np.int16)


def _runs_on(grey: np.ndarray, figure: Box) -> Callable[[Graphic, Graphic], bool]:
    """Whether two touching images are parts of one picture: the pixels run on across the edge they share
    (tiles and strips of one photograph), where separate photographs placed edge to edge jump. An image over
    another (an inset) stays with it."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height

    def joined(a: Graphic, b: Graphic) -> bool:
        first, second = sorted((a.box, b.box), key=lambda box: (box.x0, box.top))
        if abs(second.x0 - first.x1) <= _EDGE_PT and first.v_overlap(second) > 0:  # side by side
            top, bottom = max(first.top, second.top), min(first.bottom, second.bottom)
            span = (round((top - figure.top) * sy), round((bottom - figure.top) * sy))
            return not _jumps(grey.T, round((second.x0 - figure.x0) * sx), span)
        first, second = sorted((a.box, b.box), key=lambda box: box.top)
        if abs(second.top - first.bottom) > _EDGE_PT or first.h_overlap(second) <= 0:
            return first.overlap_area(second) > 0  # an inset over a photo; corners that touch share no edge
        left, right = max(first.x0, second.x0), min(first.x1, second.x1)
        span = (round((left - figure.x0) * sx), round((right - figure.x0) * sx))
        return not _jumps(grey, round((second.top - figure.top) * sy), span)

    return joined


def _jumps(lines: np.ndarray, at: int, span: tuple[int, int]) -> bool:
    """The picture changes across line `at` (over `span`) much more than it does between lines as far apart on
    either side of it."""
    return _jump_ratio(lines, at, span) is not None


def _jump_ratio(lines: np.ndarray, at: int, span: tuple[int, int]) -> float | None:
    """How many times more the picture changes across line `at` (over `span`) than between lines as far apart
    on either side of it, where that is a jump (at least _JUMP_RATIO times, and _JUMP_LEVELS grey levels);
    None where it is not. Lines are compared in blocks of a few pixels, so a photograph's grain does not count."""
    step, reach, block = 2, 6, 8
    start, end = max(0, span[0]) + 2, min(lines.shape[1], span[1]) - 2  # images may reach past the figure box
    count = (end - start) // block
    if at - reach < 0 or at + reach >= lines.shape[0] or count < 2:
        return None

    def profile(index: int) -> np.ndarray:
        return lines[index, start : start + count * block].reshape(count, block).mean(axis=1)

    before, after = profile(at - step), profile(at + step)
    across = float(np.abs(after - before).mean())
    within = (np.abs(before - profile(at - reach)).mean() + np.abs(after - profile(at + reach)).mean()) / 2
    return across / max(float(within), 1e-6) if across > max(_JUMP_RATIO * within, _JUMP_LEVELS) else None


def _mostly_pictures(boxes: list[Box], picture: Image.Image, figure: Box) -> bool:
    """Separate images are panels when most of them are pictures; the boxes of a flow chart drawn as
    flat-coloured images are parts of one drawing."""
    return 2 * sum(_photographs(boxes, picture, figure)) > len(boxes)


def _photographs(boxes: list[Box], picture: Image.Image, figure: Box) -> list[bool]:
    """Which parts of the figure's picture are photographs (textured, not a flat fill)."""
    grey = _grey(picture, 400)
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height
    pieces = [
        grey[
            round((b.top - figure.top) * sy) : round((b.bottom - figure.top) * sy),
            round((b.x0 - figure.x0) * sx) : round((b.x1 - figure.x0) * sx),
        ]
        for b in boxes
    ]
    return [_picture_like(piece) and not _flat_fill(piece) for piece in pieces]


def _flat_fill(piece: np.ndarray) -> bool:
    """Mostly one colour (a filled box with some text on it); photographs and scans vary more."""
    return piece.size > 0 and (np.abs(piece - np.median(piece)) <= 6).mean() >= _FLAT_SHARE


def _drawing_grid(pieces: list[tuple[int, int, int, int]]) -> bool:
    """Separate drawings set out on a grid (a figure of six line drawings): three or more pieces of about the
    same size. A single diagram's white space leaves pieces of unequal sizes (a plot and its legend)."""
    if len(pieces) < _MIN_GRID or len({y0 for _, y0, _, _ in pieces}) < 2 or len({x0 for x0, _, _, _ in pieces}) < 2:
        return False  # one row or one column: the parts of one diagram as often as separate drawings
    widths = [x1 - x0 for x0, _, x1, _ in pieces]
    heights = [y1 - y0 for _, y0, _, y1 in pieces]
    return max(widths) <= _GRID_SPREAD * min(widths) and max(heights) <= _GRID_SPREAD * min(heights)


def _row_of_drawings(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Separate drawings side by side (or one over the other), unlettered (a finger beside a nail in section; three
    stages of acne): two or more pieces in one row or column, none a photograph, each coloured artwork (_FILLED of its
    box ink at least), each gutter at least _SET_APART of the narrower neighbour wide. Their sizes may differ (each is
    drawn at its own scale). A line drawing's parts set apart by white space (a molecule beside its fragment, a chart
    beside its legend, a scheme's steps) are sparse strokes, and the filled columns of one diagram (a time line's
    phases) stand close together."""
    if len(pieces) < 2:
        return False
    pairs = list(zip(pieces, pieces[1:], strict=False))
    if all(_overlap(a[0], a[2], b[0], b[2]) for a, b in pairs):  # one column: asked as a row
        pieces, grey = [(y0, x0, y1, x1) for x0, y0, x1, y1 in pieces], grey.T
        pairs = list(zip(pieces, pieces[1:], strict=False))
    if not all(_overlap(a[1], a[3], b[1], b[3]) for a, b in pairs):
        return False
    parts = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    if any(_picture_like(part) or (part < _INK_LEVEL).mean() < _FILLED for part in parts):
        return False
    return all(b[0] - a[2] >= _SET_APART * min(a[2] - a[0], b[2] - b[0]) for a, b in pairs)


def _grid_of_drawings(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Separate drawings of different sizes set out on a grid (six lesions drawn each at its own size, in two rows
    of three): the ink-free gutters part the picture into two or more rows of as many drawings each, and each
    column's drawings overlap one another across the rows and no other column's. The drawings' own boxes differ too
    much in size to pass as panels, so the panels are the grid's cells, cut in the middle of its gutters. Empty
    when the pieces are no such grid (a single diagram's parts seldom line up in rows and columns), or when ink too
    small to be a piece lies between them (letters under each drawing, held-out 6 University Physics Figure 5.5.1:
    a cut in the middle of the gutter ran through them; the lettered grid search cuts under them)."""
    bands = sorted({(y0, y1) for _, y0, _, y1 in pieces})
    rows = [sorted(piece for piece in pieces if (piece[1], piece[3]) == band) for band in bands]
    if len(rows) < 2 or any(a[1] > b[0] for a, b in zip(bands, bands[1:], strict=False)):
        return []
    count = len(rows[0])
    if count < 2 or any(len(row) != count for row in rows):
        return []
    columns = []
    for k in range(count):
        spans = [(row[k][0], row[k][2]) for row in rows]
        if not all(_overlap(*a, *b) for a in spans for b in spans):
            return []
        columns.append((min(a for a, _ in spans), max(b for _, b in spans)))
    if any(a[1] > b[0] for a, b in zip(columns, columns[1:], strict=False)):
        return []
    ink = grey < _INK_LEVEL
    if any(ink[a[1] : b[0]].sum(axis=1).max(initial=0) > 1 for a, b in zip(bands, bands[1:], strict=False)) or any(
        ink[:, a[1] : b[0]].sum(axis=0).max(initial=0) > 1 for a, b in zip(columns, columns[1:], strict=False)
    ):
        return []  # labels in the gutters (a letter under each drawing): whose cell they are is not told here
    xs = [0, *((a[1] + b[0]) // 2 for a, b in zip(columns, columns[1:], strict=False)), grey.shape[1]]
    ys = [0, *((a[1] + b[0]) // 2 for a, b in zip(bands, bands[1:], strict=False)), grey.shape[0]]
    return [(x0, y0, x1, y1) for y0, y1 in zip(ys, ys[1:], strict=False) for x0, x1 in zip(xs, xs[1:], strict=False)]


def _photo_beside_drawing(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Photographs beside drawings (a lesion photographed and drawn, a micrograph beside its diagram): pieces
    in one row or one column, split by lines without ink, of which some are photographs and some are not. A
    single diagram's white space leaves no photograph among its parts, and photographs alone split at their
    own gutters before this is asked. The cut must keep the drawings whole: ink left out of every piece (a
    drawing too narrow to be a panel, in a figure of photo-drawing pairs) may be a letter or a label, at most
    half as much ink as the drawings kept."""
    if len(pieces) < 2:
        return False
    in_row = all(_overlap(a[1], a[3], b[1], b[3]) for a, b in zip(pieces, pieces[1:], strict=False))
    in_column = all(_overlap(a[0], a[2], b[0], b[2]) for a, b in zip(pieces, pieces[1:], strict=False))
    parts = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    photos = [_picture_like(part) and not _flat_fill(part) for part in parts]
    if not (in_row or in_column) or not any(photos) or all(photos):
        return False
    if not all(_edge_set_off(grey, a, b, in_row) for a, b in zip(pieces, pieces[1:], strict=False)):
        return False  # a clear stretch through one picture: it fades into the picture on both sides
    ink = int((grey < _INK_LEVEL).sum())
    kept = [int((part < _INK_LEVEL).sum()) for part in parts]
    drawn = sum(count for count, photo in zip(kept, photos, strict=True) if not photo)
    return ink - sum(kept) <= _INK_LEFT_OUT * drawn


def _edge_set_off(
    grey: np.ndarray, first: tuple[int, int, int, int], second: tuple[int, int, int, int], in_row: bool
) -> bool:
    """Whether a picture ends at a straight edge on one side at least of the ink-free gutter between two
    neighbouring pieces (side by side when `in_row`): the line just inside it (past a JPEG's ringing) differs from
    the gutter's level over _PALE_EDGE of its length. A photograph or a drawing's frame meets a gutter so; a pale
    micrograph's clear band fades into the tissue on both sides (held-out 6 lab manual Figure 3.19, a fern
    prothallus cut in two). The gutter takes the lines beside it that hold only a few marks (`_with_labels`): the
    leader lines of labels between a drawing and a micrograph end on the micrograph's edge (OpenStax A&P 4.15)."""
    lines = grey.T if in_row else grey
    gap_lo, gap_hi = (first[2], second[0]) if in_row else (first[3], second[1])
    if gap_hi <= gap_lo:
        return True
    level = float(np.median(lines[gap_lo:gap_hi]))
    gap_lo, gap_hi = _with_labels(lines, gap_lo, gap_hi, level)
    for piece, at in ((first, gap_lo - _GUTTER_EDGE), (second, gap_hi - 1 + _GUTTER_EDGE)):
        lo, hi = (piece[1], piece[3]) if in_row else (piece[0], piece[2])
        if 0 <= at < len(lines) and _differs(lines[at, lo:hi], level, _PALE_EDGE):
            return True
    return False


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Two spans overlap by at least half the shorter one."""
    return min(a1, b1) - max(a0, b0) >= 0.5 * min(a1 - a0, b1 - b0)


def _picture_like(piece: np.ndarray) -> bool:
    """Photographs, micrographs and scans are textured; drawings and diagrams are mostly flat colour
    (paper, filled shapes), and their white space is layout, not a gutter between panels."""
    if piece.shape[0] < 3 or piece.shape[1] < 3:
        return False
    flat = ((np.abs(np.diff(piece, axis=0))[:, :-1] + np.abs(np.diff(piece, axis=1))[:-1, :]) <= 2).mean()
    paper = _paper_share(piece)
    return not (paper >= 0.5 or (paper >= 0.25 and flat >= 0.55))


def _paper_share(piece: np.ndarray) -> float:
    return float((piece >= 240).mean())


Spans = Callable[[np.ndarray, int], list[tuple[int, int]]]


def _xy_cut(
    grey: np.ndarray, x0: int, y0: int, x1: int, y1: int, depth: int, spans_of: Spans
) -> list[tuple[int, int, int, int]]:
    part = grey[y0:y1, x0:x1]
    for axis in (0, 1):  # split into rows first, then columns
        spans = spans_of(part, axis)
        if len(spans) >= 2:
            result = []
            for a, b in spans:
                box = (x0, y0 + a, x1, y0 + b) if axis == 0 else (x0 + a, y0, x0 + b, y1)
                result.extend(_xy_cut(grey, *box, depth + 1, spans_of) if depth < 2 else [box])
            return result
    return [(x0, y0, x1, y1)]


def _ink_spans(part: np.ndarray, axis: int) -> list[tuple[int, int]]:
    """Spans between blank gutters of a drawing: a gutter line holds no ink at all (a drawing's thin strokes
    leave most of every line it crosses blank, so the near-uniform test of photographs does not apply)."""
    lines = part if axis == 0 else part.T
    return _spans((lines < _INK_LEVEL).sum(axis=1) <= 1, lines.shape[0])


def _content_spans(part: np.ndarray, axis: int, seams: bool = True) -> list[tuple[int, int]]:
    """Spans between gutters along `axis` (0: rows, 1: columns); a gutter is a run of lines that are
    one flat colour across the whole part (white space, or a drawn separator line of any colour):
    a photograph almost never holds such a line."""
    lines = part if axis == 0 else part.T
    length = lines.shape[0]
    # Near-uniform: almost every pixel within a few levels of the line's median (every 4th pixel is
    # enough to tell, and a quarter of the cost).
    sample = lines[:, ::4] if lines.shape[1] >= 400 else lines
    median = np.median(sample, axis=1, keepdims=True)
    uniform = (np.abs(sample - median) <= _SHADE).mean(axis=1) >= 0.97
    level = median[:, 0]
    blank = _set_off(lines, uniform & ((level >= _PALE) | (level <= _DARK) | _on_the_ground(uniform, level)), level)
    # Where two panels meet, or a separator line of any colour runs between them, the picture has a
    # straight edge across its whole length: photographs almost never do.
    if seams:
        blank |= _seams(lines)
    return _spans(blank, length)


def _seams(lines: np.ndarray) -> np.ndarray:
    """Per line, whether the picture changes across nearly all of it from the line before: a straight edge where
    two parts meet, or a separator line's edge (the first line has none before it)."""
    seam = np.zeros(lines.shape[0], dtype=bool)
    seam[1:] = (np.abs(np.diff(lines, axis=0)) > _SHADE).mean(axis=1) >= _SEAM_SHARE
    return seam


def _on_the_ground(uniform: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The flat lines of the tint that the pictures are set on, any grey: the part's first and last lines are flat
    and of one level (a tinted box around photographs, mid grey; white paper and black are gutters anyway), and
    these lines are that level. Whether such a run is a gutter or a flat stretch of one picture, `_set_off` tells."""
    if not (uniform[0] and uniform[-1]) or abs(float(level[0]) - float(level[-1])) > _SHADE:
        return np.zeros_like(uniform)
    return np.abs(level - (float(level[0]) + float(level[-1])) / 2) <= _SHADE


def _set_off(lines: np.ndarray, blank: np.ndarray, level: np.ndarray) -> np.ndarray:
    """`blank` without the runs of flat lines that fade into the picture beside them, which are the picture's own:
    a pale, evenly lit stretch of a photograph (bright skin) crosses it as flat as paper, but not as white
    (measured: grey 225-229, paper 255), and its neighbouring lines are as pale; the black field of a micrograph
    or of a specimen photographed on black crosses it as dark as a black gutter, and its neighbouring lines are as
    dark but for the specimen's edge (measured: 2-10% of their length differ). Paper or a black gutter between two
    pictures ends at their straight edges, one on each side. Such a run inside the picture is a gutter when the
    lines just beyond it (past a JPEG's ringing) differ from its level over half their length (pale runs) or a
    quarter (dark runs: a picture on a transparent background decodes with black margins, its boxes and labels
    crossing 40-50% of the lines beside them) on both sides: a shadow in a photograph may end at a lit wall on
    one side, but fades into the dark ground on the other (measured: 33% and 3%). Within a panel's share of the
    picture's edge one side is enough: there the run is a margin between a picture and the figure's edge (a
    radiograph's black border, a label or two in it). White paper is a gutter as before (the label rows between a
    grid's photos are mostly paper too)."""
    kept = blank.copy()
    for start, end in _runs(blank):
        run_level = float(np.median(level[start:end]))
        if run_level >= _PAPER_WHITE or start == 0 or end == len(lines):
            continue
        if run_level > _DARK:
            start, end = _with_labels(lines, start, end, run_level)
        edge = _PALE_EDGE if run_level > _DARK else _DARK_EDGE
        beside = [i for i in (start - _GUTTER_EDGE, end - 1 + _GUTTER_EDGE) if 0 <= i < len(lines)]
        differs = [_differs(lines[i], run_level, edge) for i in beside]
        margin = min(start, len(lines) - end) < _MIN_PANEL_SHARE * len(lines)
        if not (any(differs) if margin else all(differs)):
            kept[start:end] = False
    return kept


def _with_labels(lines: np.ndarray, start: int, end: int, level: float) -> tuple[int, int]:
    """The run of pale gutter lines from `start` to `end` grown over the lines next to it (_LABEL_REACH of the
    picture at most) that are its level but for a few marks (under _LABEL_SHARE of their length): panel letters
    printed in a gutter on a tinted ground cross its lines beside the pictures, whose edges lie past them."""
    reach = round(_LABEL_REACH * len(lines))
    low, high = max(0, start - reach), min(len(lines), end + reach)
    while start > low and not _differs(lines[start - 1], level, _LABEL_SHARE):
        start -= 1
    while end < high and not _differs(lines[end], level, _LABEL_SHARE):
        end += 1
    return start, end


def _differs(line: np.ndarray, level: float, share: float) -> bool:
    """Whether `share` of the line (or more) lies more than `_SHADE` grey levels from `level`: a picture's edge beside a
    gutter of that level, not the picture fading into it."""
    return bool((np.abs(line - level) > _SHADE).mean() >= share)


def _spans(blank: np.ndarray, length: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines at least a panel's share of `length` long; [] unless there are two or more."""
    min_panel = int(_MIN_PANEL_SHARE * length)
    spans: list[tuple[int, int]] = []
    start = None
    for i, is_blank in enumerate(blank):
        if is_blank and start is not None:
            spans.append((start, i))
            start = None
        elif not is_blank and start is None:
            start = i
    if start is not None:
        spans.append((start, length))
    spans = [(a, b) for a, b in spans if b - a >= min_panel]
    return spans if len(spans) >= 2 else []

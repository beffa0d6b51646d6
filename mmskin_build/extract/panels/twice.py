"""One object drawn twice in a line drawing (before and after, two states), set apart on white but not lined up
across a straight gutter: one lies aslant of or tucked into the other."""

from __future__ import annotations

import cv2
import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import _PANEL_AREA_SPREAD, in_points, ink_box, picture_like
from mmskin_build.extract.panels.gutters import FILLED, sides_alike
from mmskin_build.extract.panels.spans import INK_LEVEL

_SEARCH_PX = 400  # the drawings are sought on the picture this many pixels on its longer side
_STROKE_GAP = 0.02  # strokes closer than twice this share of the picture's longer side are one drawing's (dashed lines)
_TWO_HOLD = 0.85  # the two drawings hold this share of the ink at least; the rest is labels and a caption set beside
_BOXES_SHARED = 0.25  # the two drawings' boxes share at most this much of the smaller one (one is not inside the other)
_LINED_UP = 0.1  # drawings whose ends along a gutter between them differ by under this share of their extent line up


def drawn_twice(grey: np.ndarray, figure: Box) -> list[Box]:
    """The two drawings of a line drawing (not `picture_like`) whose ink, strokes closed over gaps under
    2 x _STROKE_GAP of the picture, falls into two pieces (`_two_inkiest`) of line art (`_line_art`) alike in size
    (`sides_alike` on both sides) and in ink (within _PANEL_AREA_SPREAD), holding _TWO_HOLD of it, neither box inside
    the other, set aslant or tucked into each other, not lined up across a straight gutter (a row or column of
    drawings, which the gutter rules judge): the same object drawn twice (a splint, and under it, shifted aside and
    reaching up beside its end, the splint bandaged; two worms, one winding into the other's row). A picture's
    drawings of different objects (a bottle top beside a taller one, a map beside its inset, a drawing
    beside its key) differ in size or ink; [] when not two such drawings."""
    if picture_like(grey):
        return []
    scale = min(1.0, _SEARCH_PX / max(grey.shape))
    small = cv2.resize(grey.astype(np.uint8), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = small < INK_LEVEL
    pieces, two_inks, all_ink = _two_inkiest(ink, max(1, round(_STROKE_GAP * max(small.shape))))
    if (
        len(pieces) < 2
        or sum(two_inks) < _TWO_HOLD * all_ink
        or max(two_inks) > _PANEL_AREA_SPREAD * min(two_inks)
        or not sides_alike(pieces)
        or _shared(*pieces) > _BOXES_SHARED
        or _lined_up_across_a_gutter(ink, *pieces)
        or not all(_line_art(grey, piece, scale) for piece in pieces)
    ):
        return []
    return in_points(pieces, small.shape, figure)


def _two_inkiest(ink: np.ndarray, reach: int) -> tuple[list[tuple[int, int, int, int]], list[float], float]:
    """The boxes (x0, y0, x1, y1) of the two pieces holding the most ink, strokes joined over gaps under 2 x `reach`
    pixels, with the ink of each and of the whole picture (fewer boxes where fewer pieces)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    count, labels = cv2.connectedComponents(cv2.dilate(ink.astype(np.uint8), kernel), connectivity=8)
    inks = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=count)[1:]
    inkiest = np.argsort(inks)[::-1][:2]
    boxes = [box for label in inkiest if (box := ink_box(ink, labels == label + 1))]
    return boxes, [float(inks[label]) for label in inkiest], float(inks.sum())


def _line_art(grey: np.ndarray, piece: tuple[int, int, int, int], scale: float) -> bool:
    """Whether a piece (in pixels of the picture scaled by `scale`) is line art: under FILLED of its box ink in the
    picture itself (measured: outlined drawings 0.13-0.16, renders of coloured shapes 0.39-0.41)."""
    x0, y0, x1, y1 = (round(v / scale) for v in piece)
    return bool((grey[y0:y1, x0:x1] < INK_LEVEL).mean() < FILLED)


def _shared(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of the smaller box that the two boxes share."""
    first, second = Box(*a), Box(*b)
    return first.overlap_area(second) / max(1.0, min(first.area, second.area))


def _lined_up_across_a_gutter(ink: np.ndarray, a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether a row (column) of the picture blank all across parts the two boxes, and they line up along it: their
    ends within _LINED_UP of their extent (a row of drawings; two drawings, one set aslant under the other across a
    blank band, are not lined up)."""
    left, right = sorted((a, b))
    upper, lower = sorted((a, b), key=lambda box: box[1])
    columns, rows = ink[:, left[2] : right[0]], ink[upper[3] : lower[1], :]
    beside = bool(columns.size and (~columns.any(axis=0)).any())
    over = bool(rows.size and (~rows.any(axis=1)).any())
    return beside and _ends_match(a[1], a[3], b[1], b[3]) or over and _ends_match(a[0], a[2], b[0], b[2])


def _ends_match(start: int, end: int, other_start: int, other_end: int) -> bool:
    reach = _LINED_UP * max(end - start, other_end - other_start)
    return abs(start - other_start) <= reach and abs(end - other_end) <= reach

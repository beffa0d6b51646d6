"""One object drawn twice in a line drawing (before and after, two states), set apart on white but with no straight
gutter between the two drawings: one lies aslant of or tucked into the other."""

from __future__ import annotations

import cv2
import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import _PANEL_AREA_SPREAD, in_points, ink_box, picture_like
from mmskin_build.extract.panels.gutters import sides_alike
from mmskin_build.extract.panels.spans import INK_LEVEL

_SEARCH_PX = 400  # the drawings are sought on the picture this many pixels on its longer side
_STROKE_GAP = 0.02  # strokes closer than twice this share of the picture's longer side are one drawing's (dashed lines)
_TWO_HOLD = 0.85  # the two drawings hold this share of the ink at least; the rest is labels and a caption set beside
_BOXES_SHARED = 0.25  # the two drawings' boxes share at most this much of the smaller one (one is not inside the other)


def drawn_twice(grey: np.ndarray, figure: Box) -> list[Box]:
    """The two drawings of a line drawing (not `picture_like`) whose ink, strokes closed over gaps under
    2 x _STROKE_GAP of the picture, falls into two pieces alike in size (`sides_alike` on both sides) and in ink
    (within _PANEL_AREA_SPREAD), holding _TWO_HOLD of it, neither box inside the other: the same object drawn twice
    (held-out 20 p. 276 "Posterior splint": the splint and the splint bandaged, the second under the first and
    reaching up beside its end; held-out 27 Figure A.8.8: two microfilariae, broken and folded tail, one winding into
    the other's row). The gutter search finds no straight gutter there. A picture's drawings of different objects
    (a bottle top beside a taller one, a map beside its inset, a drawing beside its key) differ in size or ink;
    [] when not two such drawings."""
    if picture_like(grey):
        return []
    scale = min(1.0, _SEARCH_PX / max(grey.shape))
    small = cv2.resize(grey.astype(np.uint8), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = small < INK_LEVEL
    reach = max(1, round(_STROKE_GAP * max(small.shape)))
    closed = cv2.dilate(
        ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    )
    count, labels = cv2.connectedComponents(closed, connectivity=8)
    if count < 3:
        return []
    inks = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=count)[1:]
    first, second = np.argsort(inks)[::-1][:2] + 1
    pieces = [ink_box(ink, labels == label) for label in (first, second)]
    two_inks = sorted(inks[[first - 1, second - 1]])
    if (
        two_inks[0] + two_inks[1] < _TWO_HOLD * inks.sum()
        or two_inks[1] > _PANEL_AREA_SPREAD * two_inks[0]
        or not sides_alike(pieces)
        or _shared(*pieces) > _BOXES_SHARED
    ):
        return []
    return in_points(pieces, small.shape, figure)


def _shared(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of the smaller box that the two boxes share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return max(0, width) * max(0, height) / max(1, smaller)

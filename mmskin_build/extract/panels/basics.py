"""Measures the panel searches share: grey pictures, runs, boxes in points or pixels, their shapes."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box, union_all

MIN_PANEL_SHARE = 0.15  # a panel spans at least this share of the figure's width or height
_FLAT_SHARE = 0.7  # measured: flow-chart boxes 0.75-0.90 of pixels within 6 levels of the median, photos 0.08-0.59
_STRIP_SHARE = 0.25  # a part at most this share as tall as it is wide (or the reverse) is a strip
_ROW_SPAN_SLACK = 0.1  # how far (both ends together, share of the row's width) a wide picture may miss the row's span
_PANEL_AREA_SPREAD = 2.0  # unlettered parts of a figure are panels when their areas are within this ratio
DRAWN_FLAT = 0.55  # a picture with this share of it flat (`flat_share`) is drawn in flat colour, not photographed
PAPER = 240  # grey levels from this up are paper: nothing drawn on it (a pale tint is drawn)

T = TypeVar("T")

# The grey pictures of the panel search running on this thread, while `keeping_greys` (see there).
_kept = threading.local()


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


def join_narrow_spans(spans: list[tuple[int, int]], least: float) -> list[tuple[int, int]]:
    """Spans of lines (in order) with each shorter than `least` joined to its nearer neighbour (`join_narrow`)."""
    return join_narrow(spans, least, lambda span: span[1] - span[0], _span_gap, lambda a, b: (a[0], b[1]))


def _span_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1])


def alike(boxes: list[Box]) -> bool:
    """Panels of a composite are set at about one size (measured: areas within 1.3x on every multi-panel truth);
    a poster's tiles, a chart's cells, the boxes of a flow chart differ 3-27x."""
    areas = [box.area for box in boxes]
    return max(areas) <= _PANEL_AREA_SPREAD * min(areas)


def row_beside_a_wide_picture(boxes: list[Box]) -> list[Box]:
    """The row, where all but the largest of `boxes` are a row of pictures alike in size over or under the largest,
    as wide as the row (a whole view and its details, held-out 4 Figure 8: three pictures over a life-cycle
    drawing); else nothing. The wide one spans the row within _ROW_SPAN_SLACK of its width and lies wholly above or
    below it."""
    if len(boxes) < 3:
        return []
    wide = max(boxes, key=lambda box: box.area)
    row = [box for box in boxes if box is not wide]
    if not alike(row) or min(box.bottom for box in row) <= max(box.top for box in row):
        return []  # not alike, or not one row: some part lies wholly above another
    span = union_all(row)
    apart = wide.bottom <= min(box.top for box in row) or wide.top >= max(box.bottom for box in row)
    return row if apart and abs(wide.x0 - span.x0) + abs(wide.x1 - span.x1) <= _ROW_SPAN_SLACK * span.width else []


def _union(graphics) -> Box:
    box = graphics[0].box
    for g in graphics[1:]:
        box = box.union(g.box)
    return box


def big_enough(panel: Box, figure: Box) -> bool:
    return panel.width >= MIN_PANEL_SHARE * figure.width or panel.height >= MIN_PANEL_SHARE * figure.height


def ink_box(ink: np.ndarray, within: np.ndarray | bool = True) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1 in pixels) of the ink inside `within` (a mask, as a grown ink's component; the whole
    picture by default), None when it holds none."""
    inked = ink & within
    rows = np.flatnonzero(inked.any(axis=1))  # two projections: 10x faster than the ink's every index
    if not rows.size:
        return None
    columns = np.flatnonzero(inked.any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


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


@contextlib.contextmanager
def keeping_greys() -> Iterator[None]:
    """Within the block (one figure's panel search, on this thread), `_grey` and `luma` convert and scale each
    picture once per size: the searches ask for the same picture's grey levels again and again (160 asks for 65
    distinct scalings on the dev PDFs). The memo holds each picture it keys, so no other picture takes its id
    meanwhile; it goes at the block's end."""
    saved = getattr(_kept, "greys", None)
    _kept.greys = {}
    try:
        yield
    finally:
        _kept.greys = saved


def _kept_or(key: tuple[int, object], picture: Image.Image, make: Callable[[], T]) -> T:
    memo = getattr(_kept, "greys", None)
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = (picture, make())
    return memo[key][1]


def luma(picture: Image.Image) -> Image.Image:
    """The picture in grey ("L"); shared within `keeping_greys`, so not to be changed."""
    return _kept_or((id(picture), "L"), picture, lambda: picture.convert("L"))


def luma_levels(picture: Image.Image) -> np.ndarray:
    """The picture's grey levels at its own size, as floats (read-only: shared within `keeping_greys`): the edge and
    jump tests compare lines of them."""

    def levels() -> np.ndarray:
        grey = np.asarray(luma(picture), dtype=np.float32)
        grey.flags.writeable = False
        return grey

    return _kept_or((id(picture), "levels"), picture, levels)


def _grey(picture: Image.Image, longest: int) -> np.ndarray:
    """The picture in grey levels, scaled down to at most `longest` pixels on its longer side (read-only: shared
    within `keeping_greys`)."""

    def scaled() -> np.ndarray:
        scale = min(1.0, longest / max(picture.size))
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        grey = np.asarray(luma(picture).resize(size), dtype=np.int16)
        grey.flags.writeable = False
        _keep_pieces_of(grey)
        return grey

    return _kept_or((id(picture), longest), picture, scaled)


def _keep_pieces_of(grey: np.ndarray) -> None:
    """Within `keeping_greys`, the measures of pieces of `grey` (read-only) are kept too (`per_piece`)."""
    memo = getattr(_kept, "greys", None)
    if memo is not None:
        memo[("pieces", id(grey))] = (grey, None)


def per_piece(measure: Callable[[np.ndarray], T]) -> Callable[[np.ndarray], T]:
    """`measure` of a piece of a kept grey picture (`_grey`, within `keeping_greys`) worked out once per piece: the
    searches ask whether the same pieces are photographs again and again (on the dev PDFs, 1,171 asks whether a piece
    is picture-like come down to 752, 643 whether it is a flat fill to 361). A piece is known by its picture, which
    the memo holds read-only (its pixels cannot change and its memory is not reused meanwhile), and by its place in
    it (first pixel, shape, steps, type); a piece of any other array is measured at each ask."""

    @functools.wraps(measure)
    def kept(piece: np.ndarray) -> T:
        memo = getattr(_kept, "greys", None)
        picture = piece if piece.base is None else piece.base
        if memo is None or ("pieces", id(picture)) not in memo:
            return measure(piece)
        key = (measure.__name__, id(picture), piece.__array_interface__["data"][0], piece.shape, piece.strides)
        key += (piece.dtype.str,)
        if key not in memo:
            memo[key] = (picture, measure(piece))
        return memo[key][1]

    return kept


def share(flags: np.ndarray, axis: int | None = None) -> np.floating | np.ndarray:
    """`flags.mean(axis)` of a boolean array, the same values (a count over the length, which a float holds
    exactly) without a float copy of the array: 10x faster over the whole array, 2.5x along an axis."""
    if axis is None:
        return np.true_divide(np.count_nonzero(flags), flags.size)
    return np.true_divide(count_along(flags, axis), flags.shape[axis])


def count_along(flags: np.ndarray, axis: int) -> np.ndarray:
    """`np.count_nonzero(flags, axis)` of a boolean array: the same counts, from its bytes (0 or 1) summed in 32-bit
    integers (a line of a picture is far shorter than 2**31), 2x faster than numpy's, which turns every flag into a
    64-bit integer first."""
    if flags.dtype != np.bool_:  # a count of non-zero numbers: numpy's own
        return np.count_nonzero(flags, axis=axis)
    return flags.view(np.uint8).sum(axis=axis, dtype=np.int32)


def transposed(lines: np.ndarray) -> np.ndarray:
    """`np.ascontiguousarray(lines.T)`, the same array: a copy whose rows are the columns of `lines`. OpenCV transposes
    a 2-D picture of 16-bit grey levels in cache-sized blocks, 5-8x faster than numpy's strided copy."""
    if lines.dtype != np.int16 or lines.ndim != 2 or lines.size == 0:
        return np.ascontiguousarray(lines.T)
    return cv2.transpose(lines)


def doubled_medians(lines: np.ndarray) -> np.ndarray:
    """Twice each line's median grey level (`lines`: rows of integer levels 0-255), exactly
    `2 * np.median(lines, axis=1)` but as integers (the median of an even count lies halfway between two levels)
    and by a radix sort of each line, 5-10x faster than numpy's median."""
    count = lines.shape[1]
    if count == 0:
        return np.full(lines.shape[0], np.nan)  # np.median's answer
    ordered = np.array(lines, dtype=np.int16, order="C")  # one copy, its lines contiguous (a column is a line too)
    ordered.sort(axis=1, kind="stable")  # a radix sort, for 16-bit integers
    return ordered[:, (count - 1) // 2] + ordered[:, count // 2]


def near_level(lines: np.ndarray, doubled: np.ndarray, shade: int) -> np.ndarray:
    """Per pixel, whether it lies within `shade` grey levels of its line's level (`doubled`: twice that level,
    as `doubled_medians` gives it), in integers: `np.abs(lines - doubled[:, None] / 2) <= shade` exactly."""
    gap = 2 * lines.astype(np.int16, copy=False) - doubled[:, None]
    np.abs(gap, out=gap)
    return gap <= 2 * shade


def flat_fill(piece: np.ndarray) -> bool:
    """Mostly one colour (a filled box with some text on it); photographs and scans vary more."""
    if piece.size == 0:
        return False
    pixels = piece.reshape(1, -1)
    return bool(share(near_level(pixels, doubled_medians(pixels), 6)) >= _FLAT_SHARE)


def overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Two spans overlap by at least half the shorter one."""
    return min(a1, b1) - max(a0, b0) >= 0.5 * min(a1 - a0, b1 - b0)


@per_piece
def picture_like(piece: np.ndarray) -> bool:
    """Photographs, micrographs and scans are textured; drawings and diagrams are mostly flat colour
    (paper, filled shapes), and their white space is layout, not a gutter between panels."""
    if piece.shape[0] < 3 or piece.shape[1] < 3:
        return False
    paper = paper_share(piece)
    return not (paper >= 0.5 or (paper >= 0.25 and flat_share(piece) >= DRAWN_FLAT))


def flat_share(piece: np.ndarray) -> float:
    """The share of a picture's pixels that barely differ from the next ones right and down (2 grey levels in all)."""
    return float(share((np.abs(np.diff(piece, axis=0))[:, :-1] + np.abs(np.diff(piece, axis=1))[:-1, :]) <= 2))


@per_piece
def photograph(piece: np.ndarray) -> bool:
    """A photograph, micrograph or scan: textured (`picture_like`) and not a flat fill."""
    return picture_like(piece) and not flat_fill(piece)


def paper_share(piece: np.ndarray) -> float:
    return float(share(piece >= PAPER))

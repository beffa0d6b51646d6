"""Photographs printed edge to edge: cuts where the picture jumps from one photograph to the next."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels.basics import _grey, luma_levels, photograph

EDGE_PT = 2.0  # two images this close share an edge
_JUMP_RATIO, _JUMP_LEVELS = 3.0, 8.0  # separate photographs edge to edge: the edge changes this much more (and
# by this many grey levels at least) than the lines beside it
TILE_PT = 0.25  # tiles of one picture are cut on its pixel grid and placed edge to edge, their ends level to this
_INSET_SHARE = 0.5  # an image over this share of which another lies is an inset in it, not a photograph beside it
_DENSITY_SPREAD = 0.01  # tiles of one picture share its pixel density (pixels per point) within this share
CUT_REACH = 0.3  # a cut between lettered parts lies this share of a part's size from an even split, at most


def split_at_jumps(boxes: list[Box], picture: Image.Image | None, figure: Box, letters: int) -> list[Box]:
    """Lettered photographs placed edge to edge, fewer parts found than the caption names letters: each part
    split, one cut at a time, where the picture jumps most (a seam too faint or blurred to be a gutter line),
    until there are as many parts as letters. Only photographs are cut, into photographs (a specimen on black
    found beside them is flat but needs no cut), and nothing unless every cut is a jump near the middle of its
    part (within _CUT_REACH): a single photograph changes as much across every line."""
    if picture is None:
        return []
    grey = luma_levels(picture)
    parts = list(boxes)
    photos = [part for part, photo in zip(parts, photographs(parts, picture, figure), strict=True) if photo]
    while len(parts) < letters:
        cuts = [(cut, part) for part in photos if (cut := _strongest_jump(grey, figure, part))]
        if not cuts:
            return []
        (_, first, second), part = max(cuts, key=lambda pair: pair[0][0])
        if not all(photographs([first, second], picture, figure)):
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
        for at in range(lo + round((0.5 - CUT_REACH) * size), lo + round((0.5 + CUT_REACH) * size)):
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


def runs_on(grey: np.ndarray, figure: Box) -> Callable[[Graphic, Graphic], bool]:
    """Whether two touching images are parts of one picture: the pixels run on across the edge they share
    (tiles and strips of one photograph), where separate photographs placed edge to edge jump. An image over
    another (an inset) stays with it."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height

    def joined(a: Graphic, b: Graphic) -> bool:
        if not _placed_as_tiles(a, b):
            return False  # photographs laid over or against each other by hand, ends not level (held-out 19)
        first, second = sorted((a.box, b.box), key=lambda box: (box.x0, box.top))
        if abs(second.x0 - first.x1) <= EDGE_PT and first.v_overlap(second) > 0:  # side by side
            top, bottom = max(first.top, second.top), min(first.bottom, second.bottom)
            span = (round((top - figure.top) * sy), round((bottom - figure.top) * sy))
            return not _jumps(grey.T, round((second.x0 - figure.x0) * sx), span)
        first, second = sorted((a.box, b.box), key=lambda box: box.top)
        if abs(second.top - first.bottom) > EDGE_PT or first.h_overlap(second) <= 0:
            return first.overlap_area(second) > 0  # an inset over a photo; corners that touch share no edge
        left, right = max(first.x0, second.x0), min(first.x1, second.x1)
        span = (round((left - figure.x0) * sx), round((right - figure.x0) * sx))
        return not _jumps(grey, round((second.top - figure.top) * sy), span)

    return joined


def _placed_as_tiles(a: Graphic, b: Graphic) -> bool:
    """Whether two touching images are placed as tiles or strips of one picture could be: one mostly over the
    other (an inset, left to the caller), or meeting at an edge (a gap of TILE_PT at most, as a wider one would
    show as a hairline; an overlap of EDGE_PT at most: held-out 3's radiograph strips overlap by a third of a point)
    with both ends of the shared edge level, or one end level and the same pixel density (the sweep's pictures cut
    into an L of tiles, a tall strip beside two stacked tiles). Separate photographs set against each other by hand
    miss by half a point or so somewhere (held-out 19's abutting groups); a picture stored in tiles does not."""
    if a.box.overlap_area(b.box) > _INSET_SHARE * min(a.box.area, b.box.area):
        return True
    first, second = sorted((a, b), key=lambda image: (image.box.x0, image.box.top))
    if -EDGE_PT <= second.box.x0 - first.box.x1 <= TILE_PT:
        return _level_ends(first, second, (first.box.top, second.box.top), (first.box.bottom, second.box.bottom))
    first, second = sorted((a, b), key=lambda image: image.box.top)
    if -EDGE_PT <= second.box.top - first.box.bottom <= TILE_PT:
        return _level_ends(first, second, (first.box.x0, second.box.x0), (first.box.x1, second.box.x1))
    return False


def _level_ends(a: Graphic, b: Graphic, starts: tuple[float, float], ends: tuple[float, float]) -> bool:
    """Both ends of the shared edge level, or one level, the other a tile's length off (beyond EDGE_PT: ends a
    point or so apart are set by hand, held-out 19's cyclone grid) and both images of one pixel density (_DENSITY_SPREAD)."""
    offsets = [abs(start - end) for start, end in (starts, ends)]
    level = [offset <= TILE_PT for offset in offsets]
    if all(level) or not any(level) or max(offsets) <= EDGE_PT or a.pixel_size is None or b.pixel_size is None:
        return all(level)
    density = [
        size / extent
        for image in (a, b)
        for size, extent in zip(image.pixel_size, (image.placement.width, image.placement.height), strict=True)
    ]
    return all(abs(density[i] / density[i + 2] - 1) <= _DENSITY_SPREAD for i in (0, 1))


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


def mostly_pictures(boxes: list[Box], picture: Image.Image, figure: Box) -> bool:
    """Separate images are panels when most of them are pictures; the boxes of a flow chart drawn as
    flat-coloured images are parts of one drawing."""
    return 2 * sum(photographs(boxes, picture, figure)) > len(boxes)


def photographs(boxes: list[Box], picture: Image.Image, figure: Box) -> list[bool]:
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
    return [photograph(piece) for piece in pieces]

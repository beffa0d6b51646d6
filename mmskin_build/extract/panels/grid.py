"""A regular grid of like tiles (micrographs of one camera in rows and columns) and the pictures beside it."""

from __future__ import annotations

import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import (
    MIN_PANEL_SHARE,
    _runs,
    in_points,
    ink_box,
    join_narrow_spans,
    photograph,
    picture_like,
)
from mmskin_build.extract.panels.spans import INK_LEVEL, content_gutters

_MIN_TILES = 2  # a grid has at least this many rows and this many columns (two tiles in a row are a pair, no grid)
_LIKE_SIDES = 0.05  # a grid's tiles: sides within this share of the longest (frames of one camera cropped alike)
_MIN_TILE_SHARE = 0.08  # a tile is at least this share of the picture's longer side (a label's glyphs, a line in a
# gutter are a few pixels: pGREEN Figure 1's sequence letters 4-6 px of 778, its tiles 98)
_GUTTER_SLACK_PX = 3  # a grid's gutters: widths within this many pixels (resampling adds or drops a line each side)

Span = tuple[int, int]
Piece = tuple[int, int, int, int]


def grid_and_beside(grey: np.ndarray, figure: Box) -> list[Box]:
    """A regular grid of like tiles (`grid_tiles`) as panels, each tile one, with the pictures beside it
    (`_grid_parts`). The tiles may be narrower than a panel's share of the picture (pGREEN Figure 1: a 3 x 3 grid of
    confocal micrographs, each ~100 px of a 778 px picture, under a plasmid map and beside a chart and a photograph
    of wells), which the gutter search drops. [] without such a grid."""
    parts = _grid_parts(grey)
    if parts is None:
        return []
    rows, before, after = parts
    return in_points([tile for row in rows for tile in row] + before + after, grey.shape, figure)


def grid_letter_units(grey: np.ndarray, figure: Box, letters: int) -> list[Box]:
    """What each of the caption's `letters` names in a picture of a grid and the pictures beside it, in the reading
    order of the truth (`groundtruth/README.md`: above the grid's band, its band left to right, below it): each
    picture beside the grid one, and the grid's rows, or its columns, or its tiles, whichever alone gives as many as
    the letters. Where rows and columns both do, the rows, when labels too small for a panel stand at the rows'
    left (pGREEN Figure 1: "B"-"D" and the constructs' names at the left of three rows, the channels' names over
    the columns); [] when none does, or that does not tell."""
    parts = _grid_parts(grey)
    if parts is None:
        return []
    rows, before, after = parts
    columns = [list(column) for column in zip(*rows, strict=True)]
    named = [
        units
        for units in ([_around(row) for row in rows], [_around(column) for column in columns], sum(rows, []))
        if len(before) + len(units) + len(after) == letters
    ]
    if len(named) == 2 and len(rows) == len(columns) and _labels_left(grey, rows):
        named = named[:1]
    return in_points([*before, *named[0], *after], grey.shape, figure) if len(named) == 1 else []


def _labels_left(grey: np.ndarray, rows: list[list[Piece]]) -> bool:
    """Whether ink stands left of the grid in its band, too narrow to be a panel (`_beside` leaves it out)."""
    x0, y0, _, y1 = _around(sum(rows, []))
    ink = grey[y0:y1, :x0] < INK_LEVEL
    return bool(ink.any()) and not _beside(_runs(ink.any(axis=0)), grey.shape[1])


def _around(tiles: list[Piece]) -> Piece:
    return (min(t[0] for t in tiles), min(t[1] for t in tiles), max(t[2] for t in tiles), max(t[3] for t in tiles))


def _grid_parts(grey: np.ndarray) -> tuple[list[list[Piece]], list[Piece], list[Piece]] | None:
    """The grid's tiles in rows (`grid_tiles`), the pictures before it and those after it: the picture above the
    band that the grid's rows span (its ink's box), the band cut at its blank columns on each side of the grid
    (`_beside`), the picture below the band; None without a grid."""
    rows = grid_tiles(grey)
    if not rows:
        return None
    x0, y0, x1, y1 = _around(sum(rows, []))
    ink = grey < INK_LEVEL
    columns = _runs(ink[y0:y1].any(axis=0))
    left = [(a, y0, b, y1) for a, b in _beside([c for c in columns if c[1] <= x0], grey.shape[1])]
    right = [(a, y0, b, y1) for a, b in _beside([c for c in columns if c[0] >= x1], grey.shape[1])]
    above, below = (0, 0, grey.shape[1], y0), (0, y1, grey.shape[1], grey.shape[0])
    return rows, _inked(ink, [above, *left]), _inked(ink, [*right, below])


def _inked(ink: np.ndarray, pieces: list[Piece]) -> list[Piece]:
    """Each piece's ink's box, the pieces without ink left out."""
    boxes = [(piece, box) for piece in pieces if (box := ink_box(ink[piece[1] : piece[3], piece[0] : piece[2]]))]
    return [(p[0] + b[0], p[1] + b[1], p[0] + b[2], p[1] + b[3]) for p, b in boxes]


def _beside(columns: list[Span], width: int) -> list[Span]:
    """The runs of inked columns on one side of a grid, each narrower than a panel's share of the picture joined to
    its nearer neighbour (a chart's axis title, the tick labels; a photograph's labels), and those still that narrow
    left out: the grid's own row labels and letters."""
    least = MIN_PANEL_SHARE * width
    joined = join_narrow_spans(columns, least)
    return [(a, b) for a, b in joined if b - a >= least]


def grid_tiles(grey: np.ndarray) -> list[list[Piece]]:
    """The tiles, row by row, of a regular grid in the picture: _MIN_TILES columns or more of like width and like gutters
    (`_regular_run`) in a band between the picture's gutters (`content_gutters`), whose rows are _MIN_TILES or more
    of like height and like gutters across all of them; every tile textured (`picture_like`: a chart's cells, a
    table's are mostly paper) and one a photograph at least (a channel without signal is one flat black, still a
    tile; a heat map's cells are all flat). [] when there is none."""
    least = _MIN_TILE_SHARE * max(grey.shape)
    for top, bottom in _runs(~content_gutters(grey, 0)):
        band = grey[top:bottom]
        columns = _regular_run(_tile_spans(band, 1, least))
        if not columns:
            continue
        block = band[:, columns[0][0] : columns[-1][1]]
        rows = _regular_run(_tile_spans(block, 0, least))
        tiles = [[(a, top + r0, b, top + r1) for a, b in columns] for r0, r1 in rows]
        if rows and _textured(grey, sum(tiles, [])):
            return tiles
    return []


def _tile_spans(part: np.ndarray, axis: int, least: float) -> list[Span]:
    """The spans between the part's gutters along `axis` that are `least` long at least."""
    return [(a, b) for a, b in _runs(~content_gutters(part, axis)) if b - a >= least]


def _regular_run(spans: list[Span]) -> list[Span]:
    """The longest run of _MIN_TILES spans or more in a row whose lengths are alike (_LIKE_SIDES) and whose gaps
    are alike (_GUTTER_SLACK_PX); [] when there is none."""
    best: list[Span] = []
    for start in range(len(spans)):
        end = start + 1
        while end < len(spans) and _alike_run(spans[start : end + 1]):
            end += 1
        if end - start > len(best):
            best = spans[start:end]
    return best if len(best) >= _MIN_TILES else []


def _alike_run(spans: list[Span]) -> bool:
    lengths = [b - a for a, b in spans]
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
    return max(lengths) - min(lengths) <= _LIKE_SIDES * max(lengths) and max(gaps) - min(gaps) <= _GUTTER_SLACK_PX


def _textured(grey: np.ndarray, tiles: list[Piece]) -> bool:
    pieces = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in tiles]
    return all(map(picture_like, pieces)) and any(map(photograph, pieces))

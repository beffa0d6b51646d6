"""Pictures built of cells too small to be panels (a scatter-plot matrix), parted from each other by wider gutters."""

from __future__ import annotations

import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import _runs, alike, in_points
from mmskin_build.extract.panels.gutters import _GRID_SPREAD, _MIN_GRID
from mmskin_build.extract.panels.pixels import _trimmed
from mmskin_build.extract.panels.spans import INK_LEVEL, _long_runs, content_gutters

_NARROW = 0.5  # a gutter under this share of the widest one between the picture's parts runs inside one of them
_CELLS_COVER = 0.8  # a picture's cells (its runs of one length) cover this share of its length at least


def blocks_at_wide_gutters(grey: np.ndarray, figure: Box) -> list[Box]:
    """The picture cut into rows (or columns) at its widest gutters, where its plain gutters cut it into runs too short
    to be panels: a picture's cells are set closer together than the picture is to the next one (held-out 1 PLOS ONE
    wheat Figure 6, a 5 x 5 scatter-plot matrix over a scores plot: each cell row is 8% of the figure tall, so the
    gutter search finds one part). Gutters under _NARROW of the widest run inside a block; [] unless this gives two
    blocks or more a panel's share long each, where the plain gutters give fewer, one of them built of cells
    (`_cells`), all alike in size."""
    for axis in (0, 1):
        blank = content_gutters(grey, axis)
        if len(_long_runs(blank, len(blank))) >= 2:
            return []  # the gutter search's own cut: judged there
        lines = grey if axis == 0 else grey.T
        inkless = ~(lines < INK_LEVEL).any(axis=1)
        spans = _long_runs(_wide_only(blank, inkless), len(blank))
        width, height = grey.shape[1], grey.shape[0]
        pieces = [(0, a, width, b) if axis == 0 else (a, 0, b, height) for a, b in spans]
        if len(pieces) < 2 or not any(_cells(blank[a:b]) for a, b in spans):
            continue
        blocks = in_points([_trimmed(grey, piece) for piece in pieces], grey.shape, figure)
        return blocks if alike(blocks) else []
    return []


def _cells(blank: np.ndarray) -> bool:
    """Whether a block is built of cells: _MIN_GRID runs or more between its gutters, of one length (within
    _GRID_SPREAD of the longest), covering _CELLS_COVER of it. A molecule's bonds and letters, a diagram's strokes
    leave runs of every length between their narrow gaps."""
    lengths = [b - a for a, b in _runs(~blank)]
    cells = [length for length in lengths if _GRID_SPREAD * length >= max(lengths)]
    return len(cells) >= _MIN_GRID and sum(cells) >= _CELLS_COVER * len(blank)


def _wide_only(blank: np.ndarray, inkless: np.ndarray) -> np.ndarray:
    """`blank` with its inner gutters (not at the ends) counted as content where they are under _NARROW of the widest
    inner one, or where ink crosses their middle line (not `inkless`: one pixel of ink is enough): a chart's axis runs
    under the gaps between its bars, a flow chart's arrow down the gap between its rows."""
    inner = [(a, b) for a, b in _runs(blank) if a > 0 and b < len(blank)]
    if not inner:
        return blank
    widest = max(b - a for a, b in inner)
    wide = blank.copy()
    for a, b in inner:
        if b - a < _NARROW * widest or not inkless[(a + b) // 2]:
            wide[a:b] = False
    return wide

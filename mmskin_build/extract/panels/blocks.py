"""Pictures built of cells too small to be panels (a scatter-plot matrix), parted from each other by wider gutters."""

from __future__ import annotations

import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import _runs, in_points
from mmskin_build.extract.panels.gutters import _drawing_left_out
from mmskin_build.extract.panels.pixels import _trimmed
from mmskin_build.extract.panels.spans import _long_runs, content_gutters

_NARROW = 0.5  # a gutter under this share of the widest one between the picture's parts runs inside one of them


def blocks_at_wide_gutters(grey: np.ndarray, figure: Box) -> list[Box]:
    """The picture cut into rows (or columns) at its widest gutters, where its plain gutters cut it into runs too short
    to be panels: a picture's cells are set closer together than the picture is to the next one (held-out 1 PLOS ONE
    wheat Figure 6, a 5 x 5 scatter-plot matrix over a scores plot: each cell row is 8% of the figure tall, so the
    gutter search finds one part). Gutters under _NARROW of the widest run inside a block; [] unless this gives two
    blocks or more a panel's share long each, where the plain gutters give fewer, that leave out less ink than a
    drawing's (`_drawing_left_out`: tick labels under a plot, not a chart's bars between wide gaps)."""
    for axis in (0, 1):
        blank = content_gutters(grey, axis)
        if len(_long_runs(blank, len(blank))) >= 2:
            return []  # the gutter search's own cut: judged there
        spans = _long_runs(_wide_only(blank), len(blank))
        width, height = grey.shape[1], grey.shape[0]
        pieces = [(0, a, width, b) if axis == 0 else (a, 0, b, height) for a, b in spans]
        if len(pieces) >= 2 and not _drawing_left_out(grey, pieces):
            return in_points([_trimmed(grey, piece) for piece in pieces], grey.shape, figure)
    return []


def _wide_only(blank: np.ndarray) -> np.ndarray:
    """`blank` with its inner gutters (not at the ends) under _NARROW of the widest inner one counted as content."""
    inner = [(a, b) for a, b in _runs(blank) if a > 0 and b < len(blank)]
    if not inner:
        return blank
    widest = max(b - a for a, b in inner)
    wide = blank.copy()
    for a, b in inner:
        if b - a < _NARROW * widest:
            wide[a:b] = False
    return wide

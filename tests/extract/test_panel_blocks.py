"""Panels of pictures built of cells too small to be panels, parted from each other by wider gutters."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.regions import FigureRegion

_WIDTH, _HEIGHT = 600, 1000  # pixels; the figure is half as many points each way


def _scatter(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: np.random.Generator, marks: int) -> None:
    """A framed scatter plot: its frame and `marks` marks inside."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline="black", width=2)
    for x, y in zip(rng.integers(x0 + 8, x1 - 8, marks), rng.integers(y0 + 8, y1 - 8, marks), strict=True):
        draw.rectangle([x - 2, y - 2, x + 2, y + 2], fill="red" if x % 2 else "green")


def _matrix_over_plot(plot_bottom: int = 924, arrow: bool = False) -> Image.Image:
    """A 5 x 5 scatter-plot matrix (cells 80 px tall, 6 px apart: each cell row 8% of the figure) over one scatter
    plot as wide, 60 px below it (down to `plot_bottom`), tick labels under the plot; with `arrow`, a line from the
    matrix down to the plot."""
    picture = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw, rng = ImageDraw.Draw(picture), np.random.default_rng(6)
    for row in range(5):
        for column in range(5):
            x0, y0 = 20 + column * 116, 10 + row * 86
            _scatter(draw, (x0, y0, x0 + 110, y0 + 80), rng, 30)
    _scatter(draw, (20, 484, 580, plot_bottom), rng, 600)
    for x in range(40, 580, 90):
        draw.rectangle([x, plot_bottom + 16, x + 14, plot_bottom + 26], fill="black")  # tick labels
    if arrow:
        draw.line([300, 440, 300, 484], fill="black", width=2)
    return picture


def _strokes_over_strokes() -> Image.Image:
    """Two drawings one over the other, 60 px apart, each of strokes of many lengths 6 px apart (no cells)."""
    picture = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw, y = ImageDraw.Draw(picture), 10
    for height in (40, 120, 25, 90, 60, 70, None, 50, 110, 30, 95, 75, 60):
        if height is None:
            y += 54  # the wide gap
            continue
        draw.rectangle([20 + height, y, 580 - height, y + height - 1], outline="black", width=2)
        y += height + 6
    return picture


def _region() -> FigureRegion:
    figure = Box(0, 0, _WIDTH / 2, _HEIGHT / 2)
    return FigureRegion(None, figure, [Graphic("image", figure, None)], [])


def test_a_plot_matrix_over_a_plot_is_two_panels_not_its_cells():
    """Held-out 1 PLOS ONE wheat Figure 6: a scatter-plot matrix over a scores plot, one raster, unlettered. Each cell
    row of the matrix is too short to be a panel, so the gutter search kept one part; the matrix's cells are set
    closer together than the matrix is to the plot: cut at the wide gutter only, two panels, each whole."""
    panels = [panel.box for panel in find_panels(_region(), _matrix_over_plot())]
    assert len(panels) == 2
    matrix, plot = sorted(panels, key=lambda box: box.top)
    assert matrix.top <= 6 and matrix.bottom >= 215  # every cell row
    assert plot.top <= 243 and plot.bottom >= 462


def test_blocks_of_runs_of_every_length_are_no_cells():
    """A drawing's strokes leave runs of every length between narrow gaps (a molecule's bonds and letters, clinsci
    2014 Figure 2): no cells, so a wider gap is no gutter between pictures."""
    assert find_panels(_region(), _strokes_over_strokes()) == []


def test_a_line_across_the_wide_gutter_joins_the_blocks():
    """A line down the wide gap from the cells to the plot (a flow chart's arrow, a chart's axis under its bars) joins
    them: one picture."""
    assert find_panels(_region(), _matrix_over_plot(arrow=True)) == []


def test_blocks_of_other_sizes_are_no_panels():
    """A plot matrix over a plot a third its height is one picture (a chart over its key), as the gutter search
    judges parts of other sizes."""
    assert find_panels(_region(), _matrix_over_plot(plot_bottom=620)) == []

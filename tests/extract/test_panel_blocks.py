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


def _matrix_over_plot() -> Image.Image:
    """A 5 x 5 scatter-plot matrix (cells 80 px tall, 6 px apart: each cell row 8% of the figure) over one scatter
    plot as wide, 60 px below it, tick labels under the plot."""
    picture = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw, rng = ImageDraw.Draw(picture), np.random.default_rng(6)
    for row in range(5):
        for column in range(5):
            x0, y0 = 20 + column * 116, 10 + row * 86
            _scatter(draw, (x0, y0, x0 + 110, y0 + 80), rng, 30)
    _scatter(draw, (20, 484, 580, 924), rng, 600)
    for x in range(40, 580, 90):
        draw.rectangle([x, 940, x + 14, 950], fill="black")  # tick labels
    return picture


def _bars_apart() -> Image.Image:
    """A bar chart over one axis: two pairs of bars (30 px apart within a pair) and a tall bar alone between them,
    90 px from each pair."""
    picture = Image.new("RGB", (_WIDTH, _HEIGHT), "white")
    draw = ImageDraw.Draw(picture)
    for x, height in ((20, 500), (110, 450), (260, 800), (410, 550), (500, 480)):
        draw.rectangle([x, 950 - height, x + 59, 950], fill="steelblue")
    draw.line([0, 951, _WIDTH - 1, 951], fill="grey", width=2)
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


def test_a_chart_s_bars_between_wide_gaps_are_no_blocks():
    """A bar chart's bars parted by gaps of two widths: a cut at the wide gaps would leave out the bar between them,
    the chart's own ink, as much as a part holds: the chart stays one picture."""
    assert find_panels(_region(), _bars_apart()) == []

"""The chart search: finds charts (axes, ticks, frames) in a picture or among vector drawings."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.panels.basics import (
    MIN_PANEL_SHARE,
    _grey,
    _runs,
    alike,
    big_enough,
    count_along,
    in_pixels,
    in_points,
    ink_box,
    join_narrow,
    join_narrow_spans,
    paper_share,
    picture_like,
    share,
    strip,
    transposed,
)
from mmskin_build.extract.panels.drawings import gutter_pieces
from mmskin_build.extract.panels.lettered import GUTTER_SEARCH_PX
from mmskin_build.extract.panels.photos import EDGE_PT
from mmskin_build.extract.panels.spans import GUTTER_EDGE, INK_LEVEL, PAPER_WHITE, RULE_SHARE
from mmskin_build.extract.regions import FigureRegion

_AXIS_PT, _AXIS_SHARE = 2.0, 0.5  # a chart's axis: a line this thin (points) along this share of its chart at least
_AXIS_THIN = 0.01  # an axis in pixels: at most this share of the picture thick (or 2 pixels)
_CHART_LEVELS = 4  # a picture of charts is cut into rows, columns, rows, columns at most
_CHART_PAPER = 0.5  # a chart is at least this share paper
_CROSSING_SHARE = 0.1  # ink at a line's end running this share of the lines past a gutter both ways crosses it
_GUTTER_ENDS = 0.07  # a gutter between charts: blank but for this share of its length at each end
_PLOT_AXIS = 0.05  # a plot's axis in a picture of plots: an unbroken line this share of the picture's side at least
_AXES_MEET_PX = 3  # a plot's two axes end within this many pixels of their corner (or _AXIS_THIN of the picture)
_SPINE_OFFSET_PT = 10.0  # or set apart from it by this many points at most (axes moved outward)
_PLOTS_ALIGN = 0.02  # plots of a row (column) share their axes' ends within this share of the picture's side
_PLOTS_SPAN = 0.5  # a picture of plots: their axes span this share of its width and of its height at least
# A drawn figure whose largest graphic covers this share of it, in this many graphics at most, is a drawing kept
# whole in one form (a plotting program's PDF included by LaTeX): its strokes are not the page's, only its pixels
# show its charts (two line charts side by side in one form).
_ONE_FORM_COVER, _ONE_FORM_GRAPHICS = 0.5, 2
_TICKS, _TICK_REACH, _TICK_PX = 3, 0.04, 4  # an axis: this many ticks or labels along it, this share of its chart
# (or this many pixels) from it at most


def separate_charts(region: FigureRegion, grey: np.ndarray | None) -> list[Box]:
    """Unlettered charts side by side (or one over the other), set apart by a wide blank gutter that no stroke or
    label crosses, each with axes or a frame of its own: a horizontal and a vertical line that meet, along half
    its width and height at least (WHO 2013 handbook Figure 13, two line charts drawn stroke by stroke; the HLH
    case report's Figure 2, two charts one over the other in one picture). One
    chart's legend or key set apart by white space has no axes of its own, nor has a drawing or a flow chart's
    step; so each stays one with what it belongs to. Found on the strokes of a drawn figure, on the pixels of one
    with images or kept in one form (`grey`: the figure's pixels, None when it had no picture)."""
    if region.images or strokes_hidden(region):
        return [] if grey is None else in_points(_charts_apart(grey), grey.shape, region.box)
    contents = [g.box for g in region.graphics] + [line.box for line in region.texts]
    for turned in (False, True):
        boxes = [box.transposed() for box in contents] if turned else contents
        pieces = _set_apart(boxes)
        if len(pieces) >= 2 and all(_has_axes(piece, boxes) for piece in pieces):
            return [(piece.transposed() if turned else piece).intersection(region.box) or piece for piece in pieces]
    return []


def strokes_hidden(region: FigureRegion) -> bool:
    """Whether the figure is drawn, not pictured, and its strokes lie inside one graphic: a form the page keeps whole
    (`_OPEN_FORM_AREA`), one or two graphics, the largest covering _ONE_FORM_COVER of the figure at least."""
    if region.images or not region.graphics or len(region.graphics) > _ONE_FORM_GRAPHICS:
        return False
    return max(g.box.area for g in region.graphics) >= _ONE_FORM_COVER * region.box.area


def charts_one_per_letter(region: FigureRegion, picture: Image.Image | None, letters: int) -> list[Box]:
    """A drawn figure's charts, each with axes of its own (`_separate_charts`, on the strokes, else on the pixels
    when the letters are printed only in them), when the caption's letters name them (held-out 10 Lancet
    moxidectin Figure 2: charts A and B side by side, the letters outlined), and a lettered picture's charts that
    nothing else cut (held-out 10 Scientific Reports Figure 3: two ruled frames "a)" and "b)", four charts each)."""
    charts = separate_charts(region, None)
    if not _named_by(charts, letters) and picture is not None:
        grey = _grey(picture, GUTTER_SEARCH_PX)
        charts = in_points(_charts_apart(grey), grey.shape, region.box)
    return charts if _named_by(charts, letters) else []


def _named_by(charts: list[Box], letters: int) -> bool:
    """Whether a caption naming `letters` letters names these charts: as many, or more set out in rows of as many
    charts each, two rows or more (letters that name rows or ranges of a grid: held-out 10 moxidectin Figure 3,
    "ivermectin (A–D)" and "moxidectin (E–G)" over two rows of four scatter plots). More charts than letters in one
    row are the parts of one chart as often (a bar chart's groups, each on its own stretch of the axis)."""
    if len(charts) == letters:
        return True
    rows: list[list[Box]] = []
    for chart in sorted(charts, key=lambda box: box.top):
        if rows and chart.top < rows[-1][0].bottom:
            rows[-1].append(chart)
        else:
            rows.append([chart])
    return len(charts) > letters and len(rows) >= 2 and len({len(row) for row in rows}) == 1 and len(rows[0]) >= 2


def _set_apart(boxes: list[Box]) -> list[Box]:
    """The boxes gathered into columns, left to right, between blank gutters _WIDE_GUTTER of their width wide or
    more that no box crosses; a column narrower than a panel's share of them all joins its nearer neighbour (an
    axis title set a little apart from its tick labels, a chart's title over it)."""
    least_width = MIN_PANEL_SHARE * union_all(boxes).width if boxes else 0.0
    return join_narrow(gutter_pieces(boxes), least_width, lambda piece: piece.width, Box.gap, Box.union)


def _has_axes(piece: Box, boxes: list[Box]) -> bool:
    """Whether a horizontal and a vertical line inside the piece meet and run along _AXIS_SHARE of its width and
    height: a chart's axes."""
    inside = [box for box in boxes if piece.contains(box, tolerance=EDGE_PT)]
    across = [b for b in inside if b.height <= _AXIS_PT and b.width >= _AXIS_SHARE * piece.width]
    upright = [b for b in inside if b.width <= _AXIS_PT and b.height >= _AXIS_SHARE * piece.height]
    return any(a.expand(_AXIS_PT).overlaps(b) for a in across for b in upright)


def _charts_apart(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The pixel twin of the strokes' search in `_separate_charts`: the picture cut at blank lines into rows, each
    row into columns, and so on a few levels deep, when every part is a chart (`_chart`). The gutters between
    charts set close in one picture may be a pixel or two wide (held-out 11 BMC Figure 4, two histograms; held-out
    10 Virulence Figure 1, three charts in a row); a part too narrow to be a panel (an axis title, a chart's title,
    a row of tick labels) joins its nearer neighbour; a cut whose parts are not all charts is not made (a legend
    table under its chart stays with it, and the chart with it is one part)."""
    parts = _parts_of_kinds(grey, {"chart"})
    return list(parts) if len(parts) >= 2 else []


def photos_and_charts(grey: np.ndarray, figure: Box, letters: int) -> list[Box]:
    """A journal plate of photographs (micrographs) and the charts that measure them in one picture, set apart by
    blank lines (held-out 10 Virulence Figures 5 and 8: rows of confocal micrographs beside and over bar charts,
    letters with roman sub-indices naming more parts than the caption's letters): the cut of `_charts_apart` where
    every part is a chart or a photograph and both are among them, when the parts are at least as many as the
    caption's letters. A photograph alone never holds a chart, so a single picture is not cut; charts alone are
    `_charts_apart`'s. `grey`: the picture as the gutter search sees it."""
    parts = _parts_of_kinds(grey, {"chart", "photo"})
    if len(parts) < max(2, letters) or set(parts.values()) != {"chart", "photo"}:
        return []
    return in_points(list(parts), grey.shape, figure)


def charts_left_out(grey: np.ndarray, figure: Box, parts: list[Box], beside: bool = False) -> list[Box]:
    """The charts among a plate's photographs that the gutter search left out (held-out 10 Virulence Figure 4: bar
    charts e-g in a band between rows of micrographs, chart l under micrograph h): a chart's blank lines between its
    bars and labels read as gutters, so it falls apart into slivers narrower than a panel and is dropped. The ink
    outside every part (`parts`, in points), less the fringes of the parts themselves (ink touching a part: a
    photograph's edge past the cut), cut at blank lines as `_charts_apart` cuts, each part that is a chart
    (`_chart`, measured on its ink's box) a panel; none when any part of the cut is no chart. A chart's box may reach
    under a part's corner (l's tick labels under h), not over its middle. `grey`: the picture as the gutter search
    sees it. `beside`: the parts are separate rasters and only the ink outside the box round them all counts (the
    axis labels and frame a raster chart has drawn over it in vector, between the rasters, are no charts of their
    own; held-out 32 Hindawi Figure 1, four micrographs over a vector bar chart)."""
    ink = grey < INK_LEVEL
    left = ink & ~_fringed(ink, in_pixels(parts, grey.shape, figure))
    if beside:
        x0, y0, x1, y1 = in_pixels([union_all(parts)], grey.shape, figure)[0]
        left[y0:y1, x0:x1] = False
    if not left.any():
        return []
    alone = np.where(left, grey, PAPER_WHITE).astype(grey.dtype)

    def chart(piece: tuple[int, int, int, int]) -> bool:
        inked = _ink_box(left, piece)
        return inked is not None and _chart(alone, inked)

    cut = _chart_parts(left, (0, 0, grey.shape[1], grey.shape[0]), (0, 1), _CHART_LEVELS, chart)
    charts = [inked for piece in cut if chart(piece) and (inked := _ink_box(left, piece)) is not None]
    found = in_points(charts, grey.shape, figure)
    return [box for box in found if not any(box.contains(Box(part.cx, part.cy, part.cx, part.cy)) for part in parts)]


def _fringed(ink: np.ndarray, parts: list[tuple[int, int, int, int]]) -> np.ndarray:
    """The parts' pixels with the ink that touches them (within GUTTER_EDGE): an edge of a photograph that the cut
    trimmed off, a frame line around it."""
    covered = np.zeros(ink.shape, dtype=bool)
    for x0, y0, x1, y1 in parts:
        covered[y0:y1, x0:x1] = True
    reach = np.ones((2 * GUTTER_EDGE + 1, 2 * GUTTER_EDGE + 1), np.uint8)
    near = cv2.dilate(covered.astype(np.uint8), reach).astype(bool)
    _, labels = cv2.connectedComponents((ink & ~covered).astype(np.uint8), connectivity=8)
    touching = np.unique(labels[near & ink & ~covered])
    return covered | np.isin(labels, touching[touching > 0])


def _ink_box(ink: np.ndarray, piece: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The box of the ink inside a piece of the picture, None when it holds none."""
    x0, y0, x1, y1 = piece
    inked = ink_box(ink[y0:y1, x0:x1])
    return None if inked is None else (inked[0] + x0, inked[1] + y0, inked[2] + x0, inked[3] + y0)


def parts_one_per_letter(grey: np.ndarray, figure: Box, letters: int) -> list[Box]:
    """A lettered plate whose rows do not share their gutters (micropublication nematode Figure 1: a drawing and
    seven line charts in two rows of four, each row's charts set at their own widths, so no column of the picture is
    blank from top to bottom and no even grid fits): the blank-line cut of `_charts_apart`, rows then each row's
    columns (or the other way round), whatever each part shows, when it gives exactly as many parts as the caption
    names letters and the parts are alike in size (a diagram cut at its own white space gives a sliver beside its
    body: pGREEN Figure 1's plasmid map, its sequence cut at a blank column). `grey`: the picture as the gutter
    search sees it."""
    parts = in_points(blank_line_parts(grey), grey.shape, figure)
    return parts if len(parts) == letters >= 2 and alike(parts) else []


def blank_line_parts(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The picture (`grey`, as the gutter search sees it) cut at blank lines into rows, then each row into columns
    (or the other way round), whatever each part shows: `_chart_parts` two levels deep."""
    return _chart_parts(grey < INK_LEVEL, (0, 0, grey.shape[1], grey.shape[0]), (0, 1), 2, lambda _: True)


def _parts_of_kinds(grey: np.ndarray, kinds: set[str]) -> dict[tuple[int, int, int, int], str]:
    """The picture cut at blank lines (`_chart_parts`) into parts each of one of `kinds` (`_part_kind`), in order,
    with their kinds; the whole picture when no cut is made, nothing when it is of none of them."""
    ink = grey < INK_LEVEL
    known: dict[tuple[int, int, int, int], str | None] = {}

    def kept(piece: tuple[int, int, int, int]) -> bool:
        if piece not in known:
            known[piece] = _part_kind(grey, ink, piece, kinds)
        return known[piece] is not None

    parts = _chart_parts(ink, (0, 0, grey.shape[1], grey.shape[0]), (0, 1), _CHART_LEVELS, kept)
    return {part: known[part] for part in parts} if all(map(kept, parts)) else {}


def _part_kind(grey: np.ndarray, ink: np.ndarray, piece: tuple[int, int, int, int], kinds: set[str]) -> str | None:
    """Of `kinds`, what a piece of a picture is: "chart" (`_chart`, measured on the piece's ink: a chart set alone in
    the middle of a row as wide as the rows of two over it has white paper both sides) or "photo" (textured, no
    strip); None when it is none of them."""
    if "chart" in kinds and _chart(grey, _ink_box(ink, piece) or piece):
        return "chart"
    x0, y0, x1, y1 = piece
    if "photo" in kinds and not strip(Box(*piece)) and picture_like(grey[y0:y1, x0:x1]):
        return "photo"
    return None


def _chart_parts(
    ink: np.ndarray,
    box: tuple[int, int, int, int],
    axes: tuple[int, ...],
    levels: int,
    chart: Callable[[tuple[int, int, int, int]], bool],
) -> list[tuple[int, int, int, int]]:
    """`box` cut at blank lines along the first of `axes` (0: rows) whose parts are all charts (`chart`), each part
    cut again the other way first while `levels` last; [box] when no cut is made."""
    x0, y0, x1, y1 = box
    for axis in axes:
        part = ink[y0:y1, x0:x1]
        parts: list[tuple[int, int, int, int]] = []
        for a, b in _blank_spans(part if axis == 0 else part.T):
            piece = (x0, y0 + a, x1, y0 + b) if axis == 0 else (x0 + a, y0, x0 + b, y1)
            cut = _chart_parts(ink, piece, (1 - axis, axis), levels - 1, chart) if levels > 1 else [piece]
            if not all(map(chart, cut)):
                break  # a part that is no chart: no cut this way
            parts += cut
        else:
            if parts:
                return parts
    return [box]


def _blank_spans(ink: np.ndarray) -> list[tuple[int, int]]:
    """Runs of lines with ink (more than one pixel) between blank lines, a run shorter than a panel's share of the
    lines joined to its nearer neighbour; [] unless two or more are left. Ink near the ends of a line (_GUTTER_ENDS
    of it at each end) does not count, a panel letter printed at the head of the gutter between two charts (held-out
    10 Virulence Figure 2), but for a chart's own axis there; nor do the sides of a frame drawn around the whole
    part (held-out 11 BMC Figure 1, groups of charts each in a frame)."""
    end = round(_GUTTER_ENDS * ink.shape[1])
    counted = np.zeros(ink.shape[1], dtype=bool)
    counted[end : ink.shape[1] - end] = True
    ends = np.flatnonzero(~counted)
    counted[ends[_long_lines(ink[:, ends].T)]] = True  # an axis near the end of a line
    sides = _frame_sides(ink)
    counted[sides] = False
    spans = _runs(count_along(ink[:, counted], 1) > 1)
    least = MIN_PANEL_SHARE * ink.shape[0]
    spans = join_narrow_spans(spans, least)
    spans = _joined_where_crossed(spans, ink[:, np.setdiff1d(ends[~counted[ends]], sides)])
    return spans if len(spans) >= 2 else []


def _joined_where_crossed(spans: list[tuple[int, int]], ends: np.ndarray) -> list[tuple[int, int]]:
    """`spans` joined across each gap that a line of the uncounted ends (`ends`: their ink, line by line) crosses
    unbroken, running on past it both ways `_CROSSING_SHARE` of the lines at least: a tall bar at the end of a bar
    chart's row (EssOilDB f95a8cb800 p. 23, "Others" at 48%), not a panel letter at the head of a gutter, which
    reaches past it by a letter's height at most."""
    reach = max(1, round(_CROSSING_SHARE * ends.shape[0]))
    joined = spans[:1]
    for start, stop in spans[1:]:
        gap = slice(joined[-1][1], start)
        over = slice(max(0, gap.start - reach), gap.start)
        under = slice(start, start + reach)
        if ends.size and (ends[gap].all(axis=0) & ends[over].all(axis=0) & ends[under].all(axis=0)).any():
            joined[-1] = (joined[-1][0], stop)
        else:
            joined.append((start, stop))
    return joined


def _frame_sides(ink: np.ndarray) -> np.ndarray:
    """The columns of a frame drawn around the whole part (its ink), when there is one: a rule along its first and
    its last rows, and one along its first or its last column or both (within _GUTTER_ENDS of its ends), each along
    _RULE_SHARE of it at least. One column is enough: a part cut from a framed grid next to a rule it shares with
    its neighbour (the row under the rule between two rows) keeps its sides and its own outer rule only, and that
    rule, 2 px thick, would fill every line. A chart's axes alone are no frame: they give no rule at both ends."""
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    box = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    sides = []
    for lines, both in ((box, True), (box.T, False)):
        rules = np.flatnonzero(share(lines, axis=1) >= RULE_SHARE)
        reach = _GUTTER_ENDS * lines.shape[0]
        first, last = rules[rules < reach], rules[rules >= lines.shape[0] - reach]
        if (first.size == 0 or last.size == 0) if both else (first.size == 0 and last.size == 0):
            return np.zeros(0, dtype=np.int64)
        sides.append(np.concatenate((first, last)))
    return sides[1] + columns[0]


def _chart(grey: np.ndarray, piece: tuple[int, int, int, int]) -> bool:
    """Whether a piece of a picture is a chart: mostly paper (a photograph's dark stretches and a flow chart's filled
    boxes are no axes), no strip (a band of a chart cut along its light grid lines holds a stretch of its axis and
    gridlines), ruled, and an axis of it ticked."""
    x0, y0, x1, y1 = piece
    part = grey[y0:y1, x0:x1]
    if strip(Box(x0, y0, x1, y1)) or paper_share(part) < _CHART_PAPER or not _ruled(part):
        return False
    ink = part < INK_LEVEL
    return _ticked(ink) or _ticked(ink.T[::-1])


def _ticked(ink: np.ndarray) -> bool:
    """Whether a thin row of ink unbroken along _AXIS_SHARE of the part has ticks or tick labels under it: three
    separate marks or more within _TICK_REACH of the part's height (the part turned and flipped: left of a column).
    A box drawn around a label is ruled too but has nothing along its outer side (the DENGUE guidelines' Figure
    4.4, a diagram of labelled boxes cut into five "charts")."""
    thin = max(2.0, _AXIS_THIN * ink.shape[0])
    reach = max(_TICK_PX, round(_TICK_REACH * ink.shape[0]))
    for start, end in _runs(np.isin(np.arange(ink.shape[0]), _long_lines(ink))):
        band = ink[end + 1 : end + 1 + reach]
        if end - start <= thin and band.size and len(_runs(band.any(axis=0))) >= _TICKS:
            return True
    return False


def _ruled(part: np.ndarray) -> bool:
    """Whether a piece of a drawing holds a chart's axes or frame: a thin row of ink unbroken along _AXIS_SHARE of
    its width crossing a column of ink unbroken along _AXIS_SHARE of its height, or the other way round: one of the
    two may be thick (dots of a scatter plot along its x axis, bars standing on it). Text and a filled shape hold
    none."""
    ink = part < INK_LEVEL
    rows, columns = _long_lines(ink), _long_lines(ink.T)
    thin_rows, thin_columns = _thin(rows, ink.shape[0]), _thin(columns, ink.shape[1])
    return bool(
        (thin_rows.size and columns.size and ink[np.ix_(thin_rows, columns)].any())
        or (rows.size and thin_columns.size and ink[np.ix_(rows, thin_columns)].any())
    )


def _long_lines(ink: np.ndarray, least: float = _AXIS_SHARE) -> np.ndarray:
    """The rows holding an unbroken run of ink `least` of the row long."""
    length = least * ink.shape[1]
    rows = np.flatnonzero(count_along(ink, 1) >= length)  # only a row with that much ink may hold such a run
    padded = np.diff(np.pad(ink[rows].astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts, ends = np.argwhere(padded == 1), np.argwhere(padded == -1)
    longest = np.zeros(rows.size, dtype=np.int64)
    np.maximum.at(longest, starts[:, 0], ends[:, 1] - starts[:, 1])
    return rows[longest >= length]


def _thin(lines: np.ndarray, count: int) -> np.ndarray:
    """The first of each run of `lines` (sorted indices of `count` lines) thin enough to be one drawn line (a filled
    shape's rows are no line)."""
    flags = np.zeros(count, dtype=bool)
    flags[lines] = True
    thin = max(2.0, _AXIS_THIN * count)
    return np.array([start for start, end in _runs(flags) if end - start <= thin], dtype=np.int64)


def plots_on_axes(grey: np.ndarray, figure: Box) -> list[Box]:
    """A picture of plots each drawn on axes of its own, a y axis whose foot meets the left end of an x axis, laid
    out in rows and columns (held-out 29 PLOS NTD Figures 4, 5, 7: grids of 14, 14 and 9 scatter plots, their tick
    labels set on end reaching down to the next row's titles, so no blank line parts the rows). Every plot's axes
    big enough to be a panel, none overlapping another's, each plot level with another in its row or flush with
    one in its column (a map's frame and a protein's strokes meet at corners too, set anyhow), the plots spanning
    most of the picture each way (_PLOTS_SPAN). Each plot's panel is the ink in its cell of the grid (`_cuts`). A
    picture mostly not paper (a photograph) is no chart and is not searched. `grey`: the picture as the gutter search
    sees it."""
    if paper_share(grey) < _CHART_PAPER:
        return []
    ink = grey < INK_LEVEL
    height, width = ink.shape
    offset = round(_SPINE_OFFSET_PT * width / figure.width)
    plots = [plot for plot in _axes_corners(ink, offset) if big_enough(Box(*plot), Box(0, 0, width, height))]
    if len(plots) < 2 or any(Box(*a).overlaps(Box(*b)) for i, a in enumerate(plots) for b in plots[i + 1 :]):
        return []
    if not all(any(_in_line(plot, other, ink.shape) for other in plots if other != plot) for plot in plots):
        return []
    span = union_all(Box(*plot) for plot in plots)
    if span is None or span.width < _PLOTS_SPAN * width or span.height < _PLOTS_SPAN * height:
        return []  # plots set in a diagram (a classifier's output drawn as two small bar charts)
    xs, ys = _cuts(ink, plots, 0), _cuts(ink, plots, 1)
    cells = []
    for x0, y0, *_ in plots:
        column, row = max(i for i, x in enumerate(xs) if x <= x0), max(i for i, y in enumerate(ys) if y <= y0)
        cell = (xs[column], ys[row], xs[column + 1], ys[row + 1])
        cells.append(_ink_box(ink, cell) or cell)
    return in_points(cells, grey.shape, figure)


def _axes_corners(ink: np.ndarray, offset: int) -> list[tuple[int, int, int, int]]:
    """The boxes (x0, y0, x1, y1) of each plot's axes: a thin upright line whose foot meets the left end of a thin
    level line, both _PLOT_AXIS of the picture's side long at least, open (no line along the top from the upright's
    head, none up from the level line's right end: a frame, a flow chart's box, a plate) and ticked (`_ticks`). The
    lines of a table cross each other. Plotting programs may set the axes apart from their corner, the x axis lower
    and starting further right than the y axis (`offset` pixels at most: spines moved outward, seaborn's despine);
    an upright is one plot's y axis, so the level lines at its foot (the x axis, curves lying flat above it) are one
    plot."""
    upright, level = _thin_lines(ink, 0), _thin_lines(ink, 1)
    reach = max(_AXES_MEET_PX, round(_AXIS_THIN * max(ink.shape)))

    def near(a: int, b: int) -> bool:
        return abs(a - b) <= reach

    def apart(a: int, b: int) -> bool:  # b at a, or past it by an offset
        return -reach <= b - a <= max(reach, offset)

    corners = []
    for vx0, vy0, vx1, vy1 in upright:
        ends = []
        for hx0, hy0, hx1, hy1 in level:
            if not (apart(vy1, hy1) and apart(vx0, hx0)):
                continue
            top = any(near(x0, vx0) and near(y0, vy0) for x0, y0, _, _ in level)
            side = any(near(x1, hx1) and near(y1, hy1) for _, _, x1, y1 in upright)
            if not (top or side) and _ticks(ink, (vx0, vy0, vx1, vy1), (hx0, hy0, hx1, hy1)):
                ends.append((hx1, hy1))
        if ends:
            corners.append((vx0, vy0, max(x for x, _ in ends), max(y for _, y in ends)))
    return corners


def _ticks(ink: np.ndarray, upright: tuple[int, int, int, int], level: tuple[int, int, int, int]) -> bool:
    """Whether _TICKS separate marks (ticks, tick labels) or more stand left of the y axis (`upright`) or under the
    x axis (`level`), within _TICK_REACH of the picture's side (or _TICK_PX pixels)."""
    vx0, vy0, _, vy1 = upright
    hx0, _, hx1, hy1 = level
    across, down = max(_TICK_PX, round(_TICK_REACH * ink.shape[1])), max(_TICK_PX, round(_TICK_REACH * ink.shape[0]))
    left = ink[vy0:vy1, max(0, vx0 - across) : vx0].any(axis=1)
    under = ink[hy1 : hy1 + down, hx0:hx1].any(axis=0)
    return len(_runs(left)) >= _TICKS or len(_runs(under)) >= _TICKS


def _thin_lines(ink: np.ndarray, axis: int) -> list[tuple[int, int, int, int]]:
    """The boxes of the picture's unbroken lines, upright (`axis` 0) or level, _PLOT_AXIS of its side long at least
    and no thicker than _AXIS_THIN of its longer side (or 3 pixels): a bar or a filled shape is no line. In a band
    too thick for a line, the line is the band's rows inked all along it (`_full_rows`): curves lying along an axis
    over part of its length (a spectrum's flat baseline) thicken the band, not the axis."""
    lines = transposed(ink) if axis == 0 else ink  # each line of the picture along the axis a row
    flags = np.zeros(lines.shape[0], dtype=bool)
    flags[_long_lines(lines, _PLOT_AXIS)] = True
    thin = max(_AXES_MEET_PX, round(_AXIS_THIN * max(ink.shape)))
    length = _PLOT_AXIS * lines.shape[1]
    found = []
    for first, last in _runs(flags):
        for start, end in _runs(lines[first:last].any(axis=0)):
            if end - start < length:
                continue
            rows = (first, last) if last - first <= thin else _full_rows(lines[first:last, start:end], first)
            if rows is not None and rows[1] - rows[0] <= thin:
                found.append((rows[0], start, rows[1], end) if axis == 0 else (start, rows[0], end, rows[1]))
    return found


def _full_rows(band: np.ndarray, first: int) -> tuple[int, int] | None:
    """The first and past-last row (counted from `first`) of the band's rows inked all along it; None if none is."""
    full = np.flatnonzero(band.all(axis=1))
    return (first + int(full[0]), first + int(full[-1]) + 1) if full.size else None


def _in_line(plot: tuple[int, int, int, int], other: tuple[int, int, int, int], shape: tuple[int, ...]) -> bool:
    """Whether two plots' axes are level (top and bottom within _PLOTS_ALIGN of the picture's height) or flush
    (left and right within _PLOTS_ALIGN of its width): plots of one row or of one column."""
    level = max(abs(plot[1] - other[1]), abs(plot[3] - other[3])) <= _PLOTS_ALIGN * shape[0]
    flush = max(abs(plot[0] - other[0]), abs(plot[2] - other[2])) <= _PLOTS_ALIGN * shape[1]
    return level or flush


def _cuts(ink: np.ndarray, plots: list[tuple[int, int, int, int]], axis: int) -> list[int]:
    """The lines (columns when `axis` is 0, else rows) that part the plots' columns (rows): the picture's edges and
    one between each two neighbouring bands of axes. Plots of a grid are drawn alike, so what the first band's
    plots hold before their axes (a title and a letter over them, tick labels and an axis title left of them) and
    what the last band's hold after them (tick labels under them) every band holds: the cut lies between where one
    band's plots end and where the next band's begin, at the emptiest line there (tick labels set on end may reach
    the next row's titles: no blank line parts them), or halfway where the two overlap."""
    spans = sorted((plot[axis], plot[axis + 2]) for plot in plots)
    bands = [list(spans[0])]
    for start, end in spans[1:]:
        if start < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], end)
        else:
            bands.append([start, end])
    inked = ink_box(ink) or (0, 0, ink.shape[1], ink.shape[0])
    lead, trail = bands[0][0] - inked[axis], inked[axis + 2] - bands[-1][1]
    counts = count_along(ink, axis)
    cuts = [0]
    for (_, end), (start, _) in zip(bands, bands[1:], strict=False):
        after, before = min(end + trail, start), max(start - lead, end)
        if after >= before:
            cuts.append((after + before) // 2)
            continue
        between = counts[after:before]
        first, last = max(reversed(_runs(between == between.min())), key=lambda run: run[1] - run[0])
        cuts.append(after + (first + last) // 2)
    return cuts + [ink.shape[1 - axis]]

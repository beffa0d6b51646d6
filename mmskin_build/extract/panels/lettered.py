"""Lettered cuts: splits a picture into as many parts as its letters, over printed marks or in bands."""

from __future__ import annotations

from functools import partial
from itertools import combinations

import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels.basics import (
    PAPER,
    _grey,
    _runs,
    alike,
    big_enough,
    flat_fill,
    in_points,
    luma_levels,
    photograph,
)
from mmskin_build.extract.panels.black import objects_on_black
from mmskin_build.extract.panels.gutters import photograph_of_row
from mmskin_build.extract.panels.letters import letter_mark
from mmskin_build.extract.panels.paper import drawings_on_paper, drawings_set_apart
from mmskin_build.extract.panels.photos import CUT_REACH, EDGE_PT, runs_on
from mmskin_build.extract.panels.spans import INK_LEVEL, content_spans, gutter_lines, ink_spans, xy_cut
from mmskin_build.extract.regions import FigureRegion, group_touching

WIDE_GUTTER = 0.01  # a blank gutter this share of the picture wide sets lettered drawings apart
GUTTER_SEARCH_PX = 1600  # the gutter and chart searches look at the picture this many pixels on its longer side
_LETTER_BAND = 0.08  # a row of panel letters printed under (or over) the panels: at most this share of the picture tall
_CENTRED = 0.03  # a letter printed under its panel is centred on it within this share of the picture's width
_DRAWN_ACROSS = 3  # pixels of ink on both sides of an edge two images share: a drawing crossed by it
_PAPER_GUTTER = 0.5  # a gutter between pictures is paper over this share of it at least (`split_on_paper`)
_MAX_GUTTERS = 12  # gutters tried for cuts between lettered parts (the combinations grow fast)


def split_on_paper(grey: np.ndarray, figure: Box) -> list[Box]:
    """The picture cut at its blank gutters alone, as `split_at_gutters` cuts first (no seam, no drawing's white
    space), where every gutter between two neighbouring parts is WIDE_GUTTER wide at least, _PAPER_GUTTER paper
    (labels may stand in it) and no line of ink runs across it: a chart's axis runs across the blank columns between
    its points (a chart would be cut in two), a gel's pale lanes are one tone, no paper, a micrograph's white pixel
    column is too narrow. A row left whole is its one photograph where a letter or a label beside it is all the
    rest (`photograph_of_row`). [] otherwise."""
    pieces = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, partial(content_spans, seams=False))
    pieces = [photograph_of_row(grey, piece) if piece[2] - piece[0] == grey.shape[1] else piece for piece in pieces]
    if not all(_paper_between(grey, piece, pieces) for piece in pieces):
        return []
    return in_points(pieces, grey.shape, figure)


def _paper_between(grey: np.ndarray, piece: tuple[int, int, int, int], pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether the gutters from `piece` to its nearest neighbour on the right and to the one below are wide paper
    that no line of ink crosses."""
    x0, y0, x1, y1 = piece
    gutters = []  # (the gutter with its lines across it as rows, the picture's side across it)
    right = [p for p in pieces if p[0] >= x1 and min(y1, p[3]) > max(y0, p[1])]
    if right:
        nearest = min(right, key=lambda p: p[0])
        gutters.append((grey[max(y0, nearest[1]) : min(y1, nearest[3]), x1 : nearest[0]], grey.shape[1]))
    below = [p for p in pieces if p[1] >= y1 and min(x1, p[2]) > max(x0, p[0])]
    if below:
        nearest = min(below, key=lambda p: p[1])
        gutters.append((grey[y1 : nearest[1], max(x0, nearest[0]) : min(x1, nearest[2])].T, grey.shape[0]))
    return all(
        gutter.shape[1] >= WIDE_GUTTER * side
        and np.mean(gutter >= PAPER) >= _PAPER_GUTTER
        and not (gutter < INK_LEVEL).all(axis=1).any()
        for gutter, side in gutters
    )


def lettered_parts(region: FigureRegion, picture: Image.Image | None, letters: int) -> list[Box]:
    """As many alike parts as the caption (or the sub-captions printed under the parts) names letters, when
    nothing else split the picture: the images of the figure when there are that many of one size (plots without
    a photograph's texture), else the picture cut into a grid of that many cells at its clearest gutters or
    seams (micrographs whose white paper joins the gutters), else that many objects photographed on one black
    field, else that many drawings on white paper whose gutters lines and labels cross. Nothing when no grid's cuts
    all fall on a gutter and neither the objects nor the drawings are as many as the letters."""
    if letters < 2 or picture is None:
        return []
    images = [g for g in region.images if big_enough(g.box, region.box)]
    if len(images) == letters and alike([g.box for g in images]) and not _tiles_of_one(images, picture, region.box):
        return [g.box for g in images]
    grey = _grey(picture, GUTTER_SEARCH_PX)
    over_letters = parts_over_letters(grey, letters) or _photographs_in_bands(grey, letters)
    if over_letters:
        return in_points(over_letters, grey.shape, region.box)
    cells = _grid_cells(picture, region.box, letters)
    if cells and _letters_shared(cells, region):
        cells = []
    return (
        cells
        or objects_on_black(picture, region.box, letters)
        or drawings_on_paper(picture, region.box, letters)
        or drawings_set_apart(picture, region.box, letters)
    )


def _tiles_of_one(images: list[Graphic], picture: Image.Image, figure: Box) -> bool:
    """Whether two of the images are strips or tiles of one picture: its pixels run on across the edge they share
    (`runs_on`) and something is drawn across it (`_drawn_across`). A figure stored as strips whose edges cross its
    charts (held-out 40 deoxyshikonin Figure 2: three strips for the letters A-C, the first edge across a row of
    bar charts) is no set of lettered parts; two plots set edge to edge meet at their white margins."""
    grey = luma_levels(picture)
    runs = runs_on(grey, figure)

    def joined(a: Graphic, b: Graphic) -> bool:
        return runs(a, b) and _drawn_across(grey, a.box, b.box, figure)

    return len(group_touching(images, joined=joined)) < len(images)


def _drawn_across(grey: np.ndarray, a: Box, b: Box, figure: Box) -> bool:
    """Whether ink (below INK_LEVEL) lies on both sides of the edge two touching images share, at the same places
    along it, _DRAWN_ACROSS pixels at least."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height
    left, right = sorted((a, b), key=lambda box: box.x0)
    if abs(right.x0 - left.x1) <= EDGE_PT and left.v_overlap(right) > 0:  # side by side
        lines, at = grey.T, round((right.x0 - figure.x0) * sx)
        span = (round((max(a.top, b.top) - figure.top) * sy), round((min(a.bottom, b.bottom) - figure.top) * sy))
    else:
        lines, at = grey, round((max(a.top, b.top) - figure.top) * sy)
        span = (round((max(a.x0, b.x0) - figure.x0) * sx), round((min(a.x1, b.x1) - figure.x0) * sx))
    if not 2 <= at < lines.shape[0] - 1:
        return False
    along = slice(max(0, span[0]), span[1])  # images may reach past the figure's box
    before, after = lines[at - 2, along], lines[at + 1, along]
    return int(((before < INK_LEVEL) & (after < INK_LEVEL)).sum()) >= _DRAWN_ACROSS


def parts_over_letters(grey: np.ndarray, letters: int) -> list[tuple[int, int, int, int]]:
    """Panels side by side, their letters printed in the picture in a row of their own under (or over) them, each
    centred on its panel (OpenStax Figure 5.16: a photograph, a diagram of two columns with labels between them, a
    photograph, "(a)" "(b)" "(c)" under them; an even grid cut the diagram through its middle): the picture cut at
    the gutters that centre each part's ink over its letter. Empty unless the row holds as many marks as the caption
    names letters, each no wider than a few letters, and some choice of gutters centres every part within
    _CENTRED of the picture's width."""
    ink = grey < INK_LEVEL
    rows = _runs(ink.sum(axis=1) > 1)
    if len(rows) < 2:
        return []
    height, width = grey.shape
    for band, body in ((rows[-1], (0, rows[-1][0])), (rows[0], (rows[0][1], height))):
        tall = band[1] - band[0]
        if tall > _LETTER_BAND * height:
            continue
        marks = _marks(ink[band[0] : band[1]].any(axis=0), tall)
        if len(marks) != letters or any(b - a > 4 * tall for a, b in marks):
            continue
        gutters = [(a + b) // 2 for a, b in _runs(gutter_lines(grey[body[0] : body[1]].T)) if 0 < a and b < width]
        inked = ink[body[0] : body[1]].any(axis=0)
        for extra in (0, 1):
            for cuts in combinations(gutters[:_MAX_GUTTERS], letters - 1 + extra):
                bounds = [0, *cuts, width]
                for parts in _lettered_with_end(list(zip(bounds, bounds[1:], strict=False)), marks, extra):
                    if all(
                        _centred(inked, part, (a + b) / 2, width) for part, (a, b) in zip(parts[0], marks, strict=True)
                    ):
                        return [(x0, 0, x1, height) for x0, x1 in parts[1]]
    return []


def _lettered_with_end(
    parts: list[tuple[int, int]], marks: list[tuple[int, int]], extra: int
) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The ways to read `parts` (column ranges, left to right) as one part per letter mark: (the lettered parts, the
    panels). With `extra` 1, a part at either end with no mark under it is no panel of its own but joins its
    neighbour's (a numbered key set beside the drawing lettered (b), OpenStax Microbiology Figure 26.10)."""
    if not extra:
        return [(parts, parts)]
    ways = []
    if marks[-1][1] <= parts[-1][0]:
        ways.append((parts[:-1], parts[:-2] + [(parts[-2][0], parts[-1][1])]))
    if marks[0][0] >= parts[0][1]:
        ways.append((parts[1:], [(parts[0][0], parts[1][1])] + parts[2:]))
    return ways


def _photographs_in_bands(grey: np.ndarray, letters: int) -> list[tuple[int, int, int, int]]:
    """A figure of bands parted by blank gutters across it, a drawing in one band and a row of photographs in
    another (OpenStax Microbiology Figure 24.5: (a) a diagram of the intestine wall over (b)-(d) three micrographs
    whose gutters arrows cross): a band of separate photographs gives its photographs, any other band is one part,
    and the parts are the panels when they are as many as the caption's letters. [] when no band is a row of
    photographs: a chart's rows of flat blocks lettered (a)-(d) are one diagram (RSTA 2021 Figure 4)."""
    bands = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 2, ink_spans)  # one level: the bands alone
    parts, photographed = [], False
    for band in bands:
        cuts = xy_cut(grey, *band, 2, content_spans)
        pieces = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in cuts]
        photos = len(cuts) >= 2 and all(photograph(piece) for piece in pieces)
        parts.extend(cuts if photos else [band])
        photographed = photographed or photos
    return parts if photographed and len(bands) >= 2 and len(parts) == letters else []


def _marks(inked: np.ndarray, tall: int) -> list[tuple[int, int]]:
    """The printed marks along a row of letters (columns holding ink): glyphs closer than the row is tall are one
    mark ("(a)")."""
    marks: list[tuple[int, int]] = []
    for start, end in _runs(inked):
        if marks and start - marks[-1][1] <= tall:
            marks[-1] = (marks[-1][0], end)
        else:
            marks.append((start, end))
    return marks


def _centred(inked: np.ndarray, part: tuple[int, int], centre: float, width: int) -> bool:
    """Whether the ink of the columns `part` (from, to) is centred on `centre`, within _CENTRED of `width`."""
    columns = np.flatnonzero(inked[part[0] : part[1]])
    return columns.size > 0 and abs(part[0] + (columns[0] + columns[-1] + 1) / 2 - centre) <= _CENTRED * width


def _letters_shared(cells: list[Box], region: FigureRegion) -> bool:
    """Whether a cell of the grid holds two or more of the letters printed in the figure: a grid cut for panels
    gives each its own, where letters naming the steps of a flow chart, side by side in its boxes, fall into one
    row of whatever grid is cut (WHO 2013 handbook Figure 5, "(a) Need rapid scale-up" beside "(b) insufficient
    MDA impact", cut into two rows)."""
    marks = [line.box for line in region.texts if letter_mark(line.text)]
    return any(
        sum(cell.x0 <= mark.cx <= cell.x1 and cell.top <= mark.cy <= cell.bottom for mark in marks) >= 2
        for cell in cells
    )


def _grid_cells(picture: Image.Image, figure: Box, count: int) -> list[Box]:
    """The picture cut into `count` cells of a grid (every rows x columns that makes `count`), each cut at the
    clearest gutter or seam near its place in an even grid; of the grids whose cuts all fall on one, the one
    with the widest narrowest gutter (a seam between photos edge to edge is one line wide). Where no grid's cuts run
    straight across the picture, a staggered one (`_staggered_grid`). The cells are panels
    when every one is textured (photographs, micrographs: measured 0.09-0.63 of pixels within 6 levels of the
    median, the cells of a scheme or a chart 0.79-0.98), or when every cut is a wide blank gutter (drawings set
    apart: measured 1.25-2.75% of the picture; a scheme's steps and a chart's boxes, joined by arrows and lines,
    have no gutter line at all)."""
    grey = _grey(picture, 800)
    shapes = [(rows, count // rows) for rows in range(1, count + 1) if count % rows == 0]
    straight = [grid for rows, columns in shapes if (grid := _straight_grid(grey, rows, columns))]
    cells = _widest(grey, straight)
    if cells is None:
        cells = _widest(grey, [grid for rows, columns in shapes for grid in _staggered_grid(grey, rows, columns)])
    return in_points(cells, grey.shape, figure) if cells else []


def _widest(grey: np.ndarray, grids: list[_Grid]) -> list[tuple[int, int, int, int]] | None:
    """The cells of the grid with the widest narrowest gutter; None when there is none, or when its gutters are
    narrow and a cell is blank paper or flat colour."""
    if not grids:
        return None
    width, cells = max(grids, key=lambda grid: grid[0])
    if width < WIDE_GUTTER and any(flat_fill(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in cells):
        return None  # white space inside a drawing is layout: its letters name steps or parts of it
    return cells


# A staggered grid's band is cut this share of a part's size from an even split at most: its panels differ in size
_BAND_CUT_REACH = 0.5
_Grid = tuple[float, list[tuple[int, int, int, int]]]  # the narrowest gutter's width (share), the cells in rows


def _straight_grid(grey: np.ndarray, rows: int, columns: int) -> _Grid | None:
    """The grid of `rows` x `columns` cells whose cuts each run across the whole picture; None where one has no
    gutter or seam to fall on."""
    row_cuts, column_cuts = _even_cuts(grey, rows, axis=0), _even_cuts(grey, columns, axis=1)
    if row_cuts is None or column_cuts is None:
        return None
    ys = [0, *(at for at, _ in row_cuts), grey.shape[0]]
    xs = [0, *(at for at, _ in column_cuts), grey.shape[1]]
    cells = [(x0, y0, x1, y1) for y0, y1 in zip(ys, ys[1:], strict=False) for x0, x1 in zip(xs, xs[1:], strict=False)]
    return min(width for _, width in row_cuts + column_cuts), cells


def _staggered_grid(grey: np.ndarray, rows: int, columns: int) -> list[_Grid]:
    """Grids of `rows` x `columns` cells cut across the whole picture one way only, each band then cut the other way
    at its own gutters (`_BAND_CUT_REACH`): panels of unlike heights in each column (plots A over C
    beside B over D, B half as tall as D) or of unlike widths in each row, whose gutters do not line up.
    Every cut a wide blank gutter (a row whose true gutter a leader line crosses
    would be cut at a sliver between two drawings of one panel), the one across the whole picture lying wholly where an even
    split puts it: a gutter running on past there parts rows of unlike heights, a plate of drawings (a plate of
    five drawings under four letters would be cut into four with two drawings in one)."""
    grids = []
    for axis, bands, parts in ((0, rows, columns), (1, columns, rows)):
        cuts = _even_cuts(grey, bands, axis=axis, whole=True) if bands > 1 and parts > 1 else None
        if cuts is None:
            continue
        edges = [0, *(at for at, _ in cuts), grey.shape[axis]]
        cut = [_band_cut(grey, (a, b), parts, axis) for a, b in zip(edges, edges[1:], strict=False)]
        if all(band is not None for band in cut):
            width = min([width for _, width in cuts] + [band[0] for band in cut if band is not None])
            if width >= WIDE_GUTTER:  # a seam or a sliver of white that one band's parts leave is no edge
                cells = [cell for band in cut if band is not None for cell in band[1]]
                grids.append((width, sorted(cells, key=lambda cell: (cell[1], cell[0]))))
    return grids


def _band_cut(grey: np.ndarray, span: tuple[int, int], parts: int, axis: int) -> _Grid | None:
    """The band `span` of the picture (rows when `axis` is 0, else columns) cut the other way into `parts` at its own
    gutters; None where a cut has none."""
    a, b = span
    band = grey[a:b] if axis == 0 else grey[:, a:b]
    across = _even_cuts(band, parts, axis=1 - axis, reach=_BAND_CUT_REACH)
    if across is None:
        return None
    ends = [0, *(at for at, _ in across), band.shape[1 - axis]]
    cells = [(c, a, d, b) if axis == 0 else (a, c, b, d) for c, d in zip(ends, ends[1:], strict=False)]
    return min(width for _, width in across), cells


def _even_cuts(
    grey: np.ndarray, parts: int, axis: int, reach: float = CUT_REACH, whole: bool = False
) -> list[tuple[int, float]] | None:
    """(position, gutter width as a share of the picture) of the cuts into `parts` along `axis` (0: rows), each
    the widest run of gutter lines within `reach` of a part's size from where an even split puts it (with `whole`,
    a run lying wholly within it); None when a cut has none."""
    lines = grey if axis == 0 else grey.T
    gutter = gutter_lines(lines)
    cell = lines.shape[0] / parts
    cuts = []
    for k in range(1, parts):
        lo, hi = round((k - reach) * cell), round((k + reach) * cell)
        runs = [(a, b) for a, b in _runs(gutter[lo:hi]) if not whole or 0 < a and b < hi - lo]
        if not runs:
            return None
        a, b = max(runs, key=lambda run: (run[1] - run[0], -abs(lo + (run[0] + run[1]) / 2 - k * cell)))
        cuts.append((lo + (a + b) // 2, (b - a) / lines.shape[0]))
    return cuts

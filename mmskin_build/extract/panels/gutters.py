"""The pixel gutter search: cuts a composite picture at its gutters and judges whether the pieces are panels."""

from __future__ import annotations

from functools import partial

import cv2
import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import (
    DRAWN_FLAT,
    MIN_PANEL_SHARE,
    PAPER,
    _runs,
    flat_share,
    in_points,
    overlap,
    photograph,
    picture_like,
    transposed,
)
from mmskin_build.extract.panels.spans import (
    DARK,
    GUTTER_EDGE,
    INK_LEVEL,
    PALE_EDGE,
    PAPER_WHITE,
    _differs,
    _long_runs,
    content_spans,
    ink_spans,
    one_content_span,
    seams_over_two_lines,
    with_labels,
    xy_cut,
)

_MIN_GRID, _GRID_SPREAD = 3, 1.3  # separate drawings: at least this many, sides within this ratio of each other
_INK_LEFT_OUT = 0.5  # ink a split of drawings may leave out (letters, labels), as a share of the drawings' (or one's)
FILLED = 0.2  # drawn artwork at least this share ink is coloured shapes, not line art (measured: 0.40-0.46, 0.04-0.09)
_LABEL_GAP = 0.15  # a gap between two parts this share of the picture wide may hold labels pointing into both
SET_APART = 0.15  # drawings side by side are separate when the gutter is this share of the narrower one at least
_PALE_APART = 0.1  # pale drawings are separate when a gutter free of any tint is this share of the narrower one at
# least (measured: held-out 22 TCCC 0.13-0.25; a shoulder's pale wash reaches close to the next drawing)
_FAR_APART = 0.5  # line drawings of one size are separate when the gutter is this share of the narrower one at least
_KEY_INK = 0.03  # a line of a key's band with ink along this share of it at most is a gap between its lines
_KEY_LINES, _KEY_LINE = 3, 0.1  # a key: this many lines at least, each under this share of the picture tall
_SIGN = 0.25  # a sign between drawings (an arrow) is under this share of the smaller one each way
_TILE_STROKE = 0.05  # strokes thinner than this share of the picture (text, leader lines, arrows) are no tile's
_SOLID = 0.8  # a tile fills its box: its ink, strokes opened away, covers this share of it at least (measured: photos
# and shaded tiles of artwork 0.90-1.00; a drawn neuron, a body, blood cells, junctions 0.24-0.86, none of one size)
_TILE_SEARCH_PX = 400  # tiles are sought on the picture this many pixels on its longer side
_TINTED = 0.5  # pale artwork: over this share of what is drawn is pale tints (no darker than INK_LEVEL)
_FRAME_INSET = 0.03  # a drawn frame's rule lies within this share of the part's side from its edge (a thick rule)
_RULE_SHADE = 40  # grey levels: a drawn rule's line is one shade within this (anti-aliasing, JPEG noise)
_SET_OFF = 0.5  # ... and the line inside it differs by more along this share of it at least
_FRAME_SIDE = 0.8  # a scanned frame's rule: ink along this share of the side (it breaks, stops short of corners)
_SET_INTO = 0.25  # a photograph set into a drawing's corner: the drawing's box covers at most this share of it
_CUT_REACH_PX = 2  # a seam continues another row's cut when it lies within this many pixels of that cut's gutter


def meets_gutter_at_an_edge(grey: np.ndarray, figure: Box, box: Box) -> bool:
    """Whether a part ends at a straight edge on one of its sides inside the figure: one of the lines just inside
    that side (a thin frame line included, past a JPEG's ringing) differs from the gutter line beside it over
    _PALE_EDGE of its length. A photograph set apart on the paper meets its gutters so; a watercolour's white
    window frame runs the picture's height, but the washes on both sides fade into it (WHO 2003 learner's guide
    Figure 9, cut in three: 4-14% of the lines beside it differ)."""
    sx, sy = grey.shape[1] / figure.width, grey.shape[0] / figure.height
    x0, x1 = round((box.x0 - figure.x0) * sx), round((box.x1 - figure.x0) * sx)
    y0, y1 = round((box.top - figure.top) * sy), round((box.bottom - figure.top) * sy)
    sides = []  # (lines across the side, the gutter line's index, the lines inside it, the side's span)
    if x0 > GUTTER_EDGE:
        sides.append((grey.T, x0 - 1, range(x0, x0 + GUTTER_EDGE), (y0, y1)))
    if x1 < grey.shape[1] - GUTTER_EDGE:
        sides.append((grey.T, x1, range(x1 - GUTTER_EDGE, x1), (y0, y1)))
    if y0 > GUTTER_EDGE:
        sides.append((grey, y0 - 1, range(y0, y0 + GUTTER_EDGE), (x0, x1)))
    if y1 < grey.shape[0] - GUTTER_EDGE:
        sides.append((grey, y1, range(y1 - GUTTER_EDGE, y1), (x0, x1)))
    return not sides or any(
        _differs(lines[i, lo:hi], float(np.median(lines[gutter, lo:hi])), PALE_EDGE)
        for lines, gutter, inside, (lo, hi) in sides
        for i in inside
    )


def split_at_gutters(grey: np.ndarray, figure: Box, seams: bool = True) -> list[Box]:
    """Split a composite picture (`grey`, `_GUTTER_SEARCH_PX` on its longer side) at gutters (and `seams`) that run
    across its whole width or height."""
    at_gutters = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, partial(content_spans, seams=seams))
    cut = _cut_as_other_rows(grey, at_gutters) if seams else at_gutters
    if _all_pictures(grey, cut):
        at_gutters = pictures = cut
    elif cut is not at_gutters and _all_pictures(grey, at_gutters):
        pictures = at_gutters  # the cut parts text from pictures: no grid of abutting pictures
    else:
        pictures = _pictures_beside_text(grey, at_gutters)  # a step sheet's rows are trimmed whole, uncut
    if len(pictures) >= 2 and not _labelled_between(grey, pictures):
        parts = in_points(pictures, grey.shape, figure)
        if _dark_gutter(grey, at_gutters) or any(meets_gutter_at_an_edge(grey, figure, part) for part in parts):
            return parts
        # No part ends at a straight edge along a pale band: a white stretch of one photograph (a micrograph's lumen
        # between two villus surfaces, held-out 16 Figure 24.6, cut in two), which its ragged edges fade into.
    # A drawing's white space is layout, not a gutter between panels, unless it sets separate drawings out on a grid.
    pieces = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, ink_spans)
    row = row_of_drawings(grey, pieces) and not _drawing_left_out(grey, pieces)
    if not (_drawing_grid(pieces) or _photo_beside_drawing(grey, pieces) or row or _framed_drawings(grey, pieces)):
        pieces = (
            _framed_photographs(grey, pieces)
            or _grid_of_drawings(grey, pieces)
            or _row_over_a_key(grey, pieces)
            or _photo_framed_beside_drawing(grey, at_gutters)
            or _solid_cut(grey)
            or _pale_drawings_under_titles(grey)
        )
    return in_points(pieces, grey.shape, figure) if pieces else []


def _cut_as_other_rows(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The pieces, each cut where a gutter of another row of the grid runs down through it and a straight edge
    continues that gutter over the piece's height, blurred over two lines (`seams_over_two_lines`): pictures that
    abut in one row of a grid whose other rows part them (held-out 25 Figure 2: a 2 x 4 grid of MRI slices in one
    raster, the top row's last two parted by a thin rule, the bottom row's abutting, the edge between them spread
    over two lines when the raster is scaled for the search). A photograph's own soft edge rarely lines up with
    another row's gutter."""
    rows = [sorted(row) for row in _rows_by_height(pieces)]
    cut: list[tuple[int, int, int, int]] = []
    for row in rows:
        gaps = [(a[2], b[0]) for other in rows if other is not row for a, b in zip(other, other[1:], strict=False)]
        for piece in row:
            cut += _cut_at_gaps(grey, piece, gaps)
    return cut if len(cut) > len(pieces) else pieces


def _cut_at_gaps(
    grey: np.ndarray, piece: tuple[int, int, int, int], gaps: list[tuple[int, int]]
) -> list[tuple[int, int, int, int]]:
    """`piece` cut at each of `gaps` (column spans) that lies inside it, a panel's share from its sides, where a
    straight edge blurred over two lines runs down the piece within _CUT_REACH_PX of the gap."""
    x0, y0, x1, y1 = piece
    inside = MIN_PANEL_SHARE * (x1 - x0)
    seams = seams_over_two_lines(transposed(grey[y0:y1, x0:x1]))
    cuts = []
    for g0, g1 in sorted(gaps):
        if x0 + inside <= g0 and g1 <= x1 - inside:
            near = [x for x in range(g0 - _CUT_REACH_PX, g1 + _CUT_REACH_PX + 1) if seams[x - x0]]
            cuts += near[:1]
    edges = [x0, *sorted(set(cuts)), x1]
    return [(a, y0, b, y1) for a, b in zip(edges, edges[1:], strict=False)]


def _all_pictures(grey: np.ndarray, parts: list[tuple[int, int, int, int]]) -> bool:
    return all(picture_like(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in parts)


def _pictures_beside_text(grey: np.ndarray, parts: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The parts of the gutter cut as the photographs of a step sheet, or []: a row of such a sheet holds one
    photograph beside its step number and instructions, text too sparse and small to be a span of its own, so the
    cut keeps the row whole (held-out 8 Palau slides, a test-procedure sheet of six photographs with their steps'
    texts). Each row across the whole picture that is no picture is trimmed to its one photograph (`photograph_of_row`);
    the sheet's parts are then each a picture (`picture_like`) or a photograph set on the paper (a white card
    photographed on white is as flat as a drawing, but its edges are straight all round). [] when no row was
    trimmed: a cut that parts drawings or boxes of text is no sheet of photographs."""
    width = grey.shape[1]
    trimmed = [
        photograph_of_row(grey, part) if part[0] == 0 and part[2] == width and not _picture(grey, part) else part
        for part in parts
    ]
    if len(parts) < 2 or trimmed == parts:
        return []
    return trimmed if all(_picture(grey, part) for part in trimmed) else []


def _picture(grey: np.ndarray, part: tuple[int, int, int, int]) -> bool:
    """Whether a part of a step sheet is a picture (`picture_like`) or a photograph set on the paper (`_set_on_paper`:
    a white card photographed on white is as flat as a drawing, but its edges are straight all round)."""
    x0, y0, x1, y1 = part
    return picture_like(grey[y0:y1, x0:x1]) or _set_on_paper(grey, part)


def _set_on_paper(grey: np.ndarray, part: tuple[int, int, int, int]) -> bool:
    """Whether a part ends at a straight edge on each of its four sides: a line just inside each side (a key line
    included, past a JPEG's ringing) differs from the paper over PALE_EDGE of its length. A photograph is a
    rectangle set on the paper; a drawing's strokes reach its box's sides here and there."""
    x0, y0, x1, y1 = part
    sides = (
        grey[y0:y1, x0 : x0 + GUTTER_EDGE].T,
        grey[y0:y1, x1 - GUTTER_EDGE : x1].T,
        grey[y0 : y0 + GUTTER_EDGE, x0:x1],
        grey[y1 - GUTTER_EDGE : y1, x0:x1],
    )
    return all(any(_differs(line, PAPER_WHITE, PALE_EDGE) for line in side) for side in sides)


def photograph_of_row(grey: np.ndarray, row: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A row of the picture trimmed to its one span of content across it (`one_content_span`) where that is a
    textured `photograph` (under DRAWN_FLAT of it flat) and what is trimmed away beside it is sparse: each side
    drawn (grey below PAPER) over less than FILLED of it, a step number and lines of text on the paper. Else the row
    as it is (a drawing in flat colours trimmed to its middle would end at straight edges; a flow chart's row, one
    box beside its pale boxes, measured 0.35)."""
    x0, y0, x1, y1 = row
    across = one_content_span(grey[y0:y1, x0:x1], 1)
    if not across:
        return row
    a0, a1 = x0 + across[0], x0 + across[1]
    piece = grey[y0:y1, a0:a1]
    textured = photograph(piece) and flat_share(piece) < DRAWN_FLAT
    sparse = all(
        float((side < PAPER).mean()) < FILLED for side in (grey[y0:y1, x0:a0], grey[y0:y1, a1:x1]) if side.size
    )
    return (a0, y0, a1, y1) if textured and sparse else row


def _titles_aside(grey: np.ndarray) -> np.ndarray | None:
    """The picture with the rows of text above and below its drawings painted over as paper, or None when it has no
    such row: each row set apart by a gutter with nothing drawn in it, not even a pale tint, and shorter than a
    panel's share of the picture (a title and instructions printed in the picture, across the gutter between two
    drawings: held-out 22 TCCC Figure 1-30). The drawings' band, from the first to the last row a panel's share
    tall, stays."""
    rows = _runs((grey < PAPER).sum(axis=1) > 1)
    tall = [k for k, (start, end) in enumerate(rows) if end - start >= MIN_PANEL_SHARE * grey.shape[0]]
    if not tall or len(tall) == len(rows):
        return None
    titled = grey.copy()
    for start, end in rows[: tall[0]] + rows[tall[-1] + 1 :]:
        titled[start:end] = PAPER_WHITE
    return titled


def _dark_gutter(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether a line of the picture outside every piece (where the cut ran) is dark (its median DARK at most): a
    black gutter, or photographs' black margins that the cut took into a white gutter between them, so that their
    straight edges lie inside the gutter, not at the pieces' sides (held-out 17 Figure 26.26, two CT scans)."""
    for lines, spans in (
        (grey, [(y0, y1) for _, y0, _, y1 in pieces]),
        (grey.T, [(x0, x1) for x0, _, x1, _ in pieces]),
    ):
        outside = np.ones(lines.shape[0], dtype=bool)
        for start, end in spans:
            outside[start:end] = False
        if outside.any() and np.median(lines[outside], axis=1).min() <= DARK:
            return True
    return False


def _labelled_between(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether labels printed between two parts side by side point into both: leader lines run from each part's
    facing edge a quarter of the way into a wide gap (_LABEL_GAP of the picture at least) and end there, at the
    labels' text (OpenStax Figure 5.8, dark and light skin drawn as two columns, the names of their layers between
    them with a line to each: one diagram). Photographs set apart leave their gutters blank; a map's zoom lines cross a
    narrow gutter to its inset."""
    ink = grey < INK_LEVEL
    for a, b in ((a, b) for a in pieces for b in pieces if b[0] > a[2] and overlap(a[1], a[3], b[1], b[3])):
        gap = ink[max(a[1], b[1]) : min(a[3], b[3]), a[2] : b[0]]
        wide = gap.shape[1]
        if wide < _LABEL_GAP * grey.shape[1] or any(c[0] >= a[2] and c[2] <= b[0] for c in pieces):
            continue
        reach = [np.where((~side).any(axis=1), (~side).argmax(axis=1), wide) for side in (gap, gap[:, ::-1])]
        if all(((wide / 4 <= run) & (run < wide)).any() for run in reach):
            return True
    return False


def _photo_framed_beside_drawing(
    grey: np.ndarray, pieces: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """A photograph (or map) beside a drawing, each in a frame of its own that shares a side with the other's: the
    drawn frame lines cross every line of the picture, so no ink-free gutter parts them, but the gutter search
    cuts at the shared side (a dark rule) and the photograph meets it at a straight edge (PLOS ONE 2014 frog
    Figure 3, a distribution map beside a tree). The gutter search trims the drawing to its densest ink (its
    white space and sparse labels look like gutters), so the parts are slabs of the whole picture cut at the
    photographs' edges. Empty unless the pieces lie in one row or column, some photographs and some not, each
    photograph meeting its neighbours at a straight edge, or in rows of two or more such pieces each (below)."""
    rows = _rows_of_pieces(pieces)
    if len(rows) >= 2:
        return _framed_rows(grey, rows)
    if len(pieces) < 2:
        return []
    in_row, in_column = _in_a_line(pieces)
    photos = [_framed_photograph(grey[y0:y1, x0:x1], in_row) for x0, y0, x1, y1 in pieces]
    if not (in_row or in_column) or not any(photos) or all(photos):
        return []
    if not all(_edge_set_off(grey, a, b, in_row) for a, b in zip(pieces, pieces[1:], strict=False)):
        return []
    ends = [piece[2] if in_row else piece[3] for piece in pieces]
    starts = [piece[0] if in_row else piece[1] for piece in pieces]
    cuts = [
        end if photo else start if next_photo else (end + start) // 2
        for end, start, photo, next_photo in zip(ends, starts[1:], photos, photos[1:], strict=False)
    ]
    bounds = [0, *cuts, grey.shape[1] if in_row else grey.shape[0]]
    return [
        (a, 0, b, grey.shape[0]) if in_row else (0, a, grey.shape[1], b)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _framed_photograph(part: np.ndarray, in_row: bool) -> bool:
    """A photograph (`photograph`) whose edges beside its neighbours run its whole length: no line without ink
    crosses it from one neighbour's side to the other's. A flow chart's boxes (flat fills of a few colours holding
    text, as textured as a photograph to `photograph`) stand one over another with white space between them
    (held-out 22 TCCC handbook Figure 4-5, a flow chart printed as one raster); a photograph or map in a frame is
    one unbroken block. Lines without ink before its first inked line or after its last are margin, not a break."""
    free = _ink_free(part if in_row else part.T)
    inked = np.flatnonzero(~free)
    return photograph(part) and not (inked.size and free[inked[0] : inked[-1]].any())


def _ink_free(lines: np.ndarray) -> np.ndarray:
    """Which lines (rows) of the picture hold no ink (a stray dark pixel of JPEG noise allowed)."""
    return (lines < INK_LEVEL).sum(axis=1) <= 1


def _rows_by_height(pieces: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The pieces in rows, top to bottom: a piece joins the row whose height it overlaps."""
    rows: list[list[tuple[int, int, int, int]]] = []
    for piece in sorted(pieces, key=lambda p: p[1]):
        if rows and piece[1] < max(p[3] for p in rows[-1]):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return rows


def _rows_of_pieces(pieces: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The pieces in rows, top to bottom (a piece joins the row whose height it overlaps), each row's pieces that
    share columns joined (a drawing cut across its own white space) and left to right; [] unless each row holds
    two pieces or more."""
    joined = []
    for row in _rows_by_height(pieces):
        columns: list[tuple[int, int, int, int]] = []
        for x0, y0, x1, y1 in sorted(row):
            if columns and x0 < columns[-1][2]:
                a = columns[-1]
                columns[-1] = (a[0], min(a[1], y0), max(a[2], x1), max(a[3], y1))
            else:
                columns.append((x0, y0, x1, y1))
        joined.append(columns)
    return joined if all(len(row) >= 2 for row in joined) else []


def _framed_rows(grey: np.ndarray, rows: list[list[tuple[int, int, int, int]]]) -> list[tuple[int, int, int, int]]:
    """Rows of photographs beside drawings (OpenStax A&P Figure 4.16: three rows of a drawing, labels with leader
    lines into both, a micrograph, one letter naming each row): each row, a slab of the picture cut between the
    rows in the middle of the widest run of lines without ink (a row's letter printed under it stays with it), cut as
    one row (`_photo_framed_beside_drawing`); empty unless every row is."""
    tops = [min(p[1] for p in row) for row in rows]
    bottoms = [max(p[3] for p in row) for row in rows]
    blank = _ink_free(grey)
    middles = []
    for bottom, top in zip(bottoms, tops[1:], strict=False):
        runs = _runs(blank[bottom:top])
        a, b = max(runs, key=lambda run: run[1] - run[0]) if runs else (0, top - bottom)
        middles.append(bottom + (a + b) // 2)
    bounds = [0, *middles, grey.shape[0]]
    parts: list[tuple[int, int, int, int]] = []
    for row, top, bottom in zip(rows, bounds, bounds[1:], strict=False):
        cut = _photo_framed_beside_drawing(grey[top:bottom], [(x0, y0 - top, x1, y1 - top) for x0, y0, x1, y1 in row])
        if len(cut) < 2:
            return []
        parts += [(x0, y0 + top, x1, y1 + top) for x0, y0, x1, y1 in cut]
    return parts


def _framed_drawings(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Drawings each inside its own drawn frame, set side by side (held-out 20: good and poor attachment of an infant
    to the breast, two framed line drawings): two pieces or more, frames of one size (`sides_alike`), each framed
    (`_framed`). A frame closes a panel off as a gutter does; one drawing's white space leaves no rule around each
    of its parts. Frames of different sizes group charts (a BMC figure's framed columns of plots by country,
    held-out 11), each holding several panels."""
    return len(pieces) >= 2 and sides_alike(pieces) and all(_framed(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in pieces)


def _in_a_line(pieces: list[tuple[int, int, int, int]]) -> tuple[bool, bool]:
    """Whether the pieces, in their order, stand in one row (each overlaps the next one's height) and in one column
    (each overlaps the next one's width)."""
    pairs = list(zip(pieces, pieces[1:], strict=False))
    return all(overlap(a[1], a[3], b[1], b[3]) for a, b in pairs), all(
        overlap(a[0], a[2], b[0], b[2]) for a, b in pairs
    )


def _framed_photographs(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Photographs each in its own drawn frame, set in one row (or column), a name printed under (or over) each:
    the frames (OpenStax A&P Figure 18.13, five framed micrographs of white cells named under them, a micrograph's
    pale ground inside its frame). Each piece of the blank-gutter cut is framed itself, or its one run of inked
    lines a panel's share long is (the name beside it is short); every frame holds a photograph. Their sizes may
    differ: each frame is cut to its subject. Framed charts are no photographs, and frames of charts group panels
    (see `_framed_drawings`). [] unless two frames or more."""
    if len(pieces) < 2:
        return []
    in_row, in_column = _in_a_line(pieces)
    if not (in_row or in_column):
        return []
    frames = [_frame_in(grey, piece, across_rows=in_row) for piece in pieces]
    if None in frames or not all(photograph(grey[y0:y1, x0:x1]) for x0, y0, x1, y1 in frames):
        return []
    return frames


def _frame_in(
    grey: np.ndarray, piece: tuple[int, int, int, int], across_rows: bool
) -> tuple[int, int, int, int] | None:
    """The piece where a drawn rule frames it (`_ruled`), else its one run of inked lines (rows where `across_rows`,
    else columns) a panel's share long where a rule frames that: a frame with its name printed under it; else None."""
    x0, y0, x1, y1 = piece
    part = grey[y0:y1, x0:x1]
    if _ruled(part):
        return piece
    free = _ink_free(part if across_rows else part.T)
    runs = _long_runs(free, len(free))
    if len(runs) != 1:
        return None
    a, b = runs[0]
    frame = (x0, y0 + a, x1, y0 + b) if across_rows else (x0 + a, y0, x0 + b, y1)
    return frame if _ruled(grey[frame[1] : frame[3], frame[0] : frame[2]]) else None


def _ruled(part: np.ndarray) -> bool:
    """Whether a drawn rule frames the part: along each side, within _FRAME_INSET of it, a line of one dark shade
    (within _RULE_SHADE grey levels) along _FRAME_SIDE of its length, set off from the line two pixels inside it. A
    photograph's own edge is ink to `_framed` (its pixels lie under INK_LEVEL), and a smooth one is nearly one shade
    along its edge, but it runs on inside (held-out 17 Figure 26.10: a micrograph beside a diagram, no frame)."""
    inset = max(1, round(_FRAME_INSET * min(part.shape)))
    sides = (part, part[::-1], part.T, part.T[::-1])  # each side's lines, from the edge inwards
    return all(any(_rule_line(lines[k], lines[k + 2]) for k in range(min(inset, len(lines) - 2))) for lines in sides)


def _rule_line(line: np.ndarray, inside: np.ndarray) -> bool:
    """Whether `line` is a drawn rule: ink of one shade along most of it, and `inside` (the line two pixels further
    in) of another shade along half of it at least."""
    dark = line < INK_LEVEL
    if not line.size or dark.mean() < _FRAME_SIDE:
        return False
    level = np.median(line[dark])
    shade = np.abs(line.astype(np.int16) - level) <= _RULE_SHADE
    set_off = np.abs(inside.astype(np.int16) - level) > _RULE_SHADE
    return float(shade.mean()) >= _FRAME_SIDE and float(set_off.mean()) >= _SET_OFF


def _framed(part: np.ndarray) -> bool:
    """Whether a rule runs along each of the part's four sides, most of the length of the side (_FRAME_SIDE of it
    has ink within _FRAME_INSET of the side: a scanned frame runs a little askew)."""
    ink = part < INK_LEVEL
    inset = max(1, round(_FRAME_INSET * min(ink.shape)))
    sides = (ink[:inset], ink[-inset:], ink[:, :inset].T, ink[:, -inset:].T)
    return all(side.size and float(side.any(axis=0).mean()) >= _FRAME_SIDE for side in sides)


def _drawing_grid(pieces: list[tuple[int, int, int, int]]) -> bool:
    """Separate drawings set out on a grid (a figure of six line drawings): three or more pieces of about the
    same size. A single diagram's white space leaves pieces of unequal sizes (a plot and its legend)."""
    if len(pieces) < _MIN_GRID or len({y0 for _, y0, _, _ in pieces}) < 2 or len({x0 for x0, _, _, _ in pieces}) < 2:
        return False  # one row or one column: the parts of one diagram as often as separate drawings
    return sides_alike(pieces)


def sides_alike(pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether the pieces' widths and heights are each within _GRID_SPREAD of one another."""
    widths = [x1 - x0 for x0, _, x1, _ in pieces]
    heights = [y1 - y0 for _, y0, _, y1 in pieces]
    return max(widths) <= _GRID_SPREAD * min(widths) and max(heights) <= _GRID_SPREAD * min(heights)


def row_of_drawings(grey: np.ndarray, pieces: list[tuple[int, int, int, int]], pale: bool = False) -> bool:
    """Separate drawings side by side (or one over the other), unlettered (a finger beside a nail in section; three
    stages of acne): two or more pieces in one row or column, none a photograph, each coloured artwork (FILLED of its
    box ink at least), each gutter at least SET_APART of the narrower neighbour wide. Their sizes may differ (each is
    drawn at its own scale). A line drawing's parts set apart by white space (a molecule beside its fragment, a chart
    beside its legend, a scheme's steps) are sparse strokes, and the filled columns of one diagram (a time line's
    phases) stand close together. Line drawings (every part sparse) are separate when of one size (sides within
    _GRID_SPREAD) and set _FAR_APART (held-out 15 Figure 6.14: a normal pair of legs and one with Paget's disease, a
    gutter about as wide as each); a chart beside its key is neither. Line drawings with a sign between each two
    (`_sign_between`: an arrow from one stage to the next) are separate at SET_APART, whatever their sizes. `pale`:
    the coloured artwork is `_pale_artwork`, set _PALE_APART."""
    if len(pieces) < 2:
        return False
    pairs = list(zip(pieces, pieces[1:], strict=False))
    if all(overlap(a[0], a[2], b[0], b[2]) for a, b in pairs):  # one column: asked as a row
        pieces, grey = [(y0, x0, y1, x1) for x0, y0, x1, y1 in pieces], grey.T
        pairs = list(zip(pieces, pieces[1:], strict=False))
    if not all(overlap(a[1], a[3], b[1], b[3]) for a, b in pairs):
        return False
    parts = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    if any(picture_like(part) for part in parts):
        return False
    filled = [_pale_artwork(part) if pale else (part < INK_LEVEL).mean() >= FILLED for part in parts]
    if all(filled):
        apart = _PALE_APART if pale else SET_APART
    elif not pale and not any(filled) and sides_alike(pieces):
        apart = _FAR_APART  # line drawings of one size (two skeletons' legs): a gutter as wide as half of one
    elif not pale and not any(filled) and all(_sign_between(grey, a, b) for a, b in pairs):
        apart = SET_APART  # stages of a process, a sign between each two (an arrow): panels whatever their sizes
    else:
        return False
    return all(b[0] - a[2] >= apart * min(a[2] - a[0], b[2] - b[0]) for a, b in pairs)


def _row_over_a_key(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The row, where the pieces are a row of separate drawings in colour (`row_of_drawings`, each FILLED) and, under
    or over it, one piece as wide as the row that is a key (`_key_lines`): the key of their colours is no panel of its
    own (held-out 36 Medicine 2020 Kaposi Figure 1: two titled pie charts over one framed key). Else nothing: a wide
    drawing under a row of drawings is a panel too (a line chart under two: EssOilDB 78f6d1b830 Figure 3)."""
    if len(pieces) < 3:
        return []
    band = max(pieces, key=lambda piece: piece[2] - piece[0])
    row = [piece for piece in pieces if piece is not band]
    beside = all(piece[3] <= band[1] for piece in row) or all(piece[1] >= band[3] for piece in row)
    spans = band[0] <= min(piece[0] for piece in row) and band[2] >= max(piece[2] for piece in row)
    coloured = all((grey[y0:y1, x0:x1] < INK_LEVEL).mean() >= FILLED for x0, y0, x1, y1 in row)
    if not (beside and spans and coloured and row_of_drawings(grey, row)):
        return []
    x0, y0, x1, y1 = band
    return row if _key_lines(grey[y0:y1, x0:x1], grey.shape[0]) else []


def _key_lines(band: np.ndarray, height: int) -> bool:
    """Whether a band is lines of a key: lines with ink (below PAPER) along _KEY_INK of them at most (a frame's sides
    at most) part it into _KEY_LINES runs or more (a frame's rules aside: under a third of the runs' median) of one
    height (within _GRID_SPREAD), each under _KEY_LINE of the picture's `height`: rows of swatches and their labels.
    A chart's curves cross its lines at random heights."""
    drawn = (band < PAPER).mean(axis=1) > _KEY_INK
    runs = [end - start for start, end in _runs(drawn)]
    lines = [run for run in runs if run > float(np.median(runs)) / 3] if runs else []
    if len(lines) < _KEY_LINES:
        return False
    return max(lines) <= _KEY_LINE * height and max(lines) <= _GRID_SPREAD * min(lines)


def _sign_between(grey: np.ndarray, a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether a small sign stands in the gutter between two pieces side by side (held-out 20 p. 276: an outline arrow
    between a child before and after the sling is tied): ink there, its box under _SIGN of the smaller piece's width
    and height each way. Nothing between (a diagram's parts apart) or a stroke as large as a piece is no sign."""
    ink = grey[max(a[1], b[1]) : min(a[3], b[3]), a[2] : b[0]] < INK_LEVEL
    ys, xs = np.nonzero(ink)
    if not len(xs):
        return False
    width, height = min(a[2] - a[0], b[2] - b[0]), min(a[3] - a[1], b[3] - b[1])
    return bool(xs.max() - xs.min() < _SIGN * width and ys.max() - ys.min() < _SIGN * height)


def _pale_artwork(part: np.ndarray) -> bool:
    """Whether a part is coloured artwork in pale tints: within the box of what is drawn on it (grey below PAPER),
    FILLED of it drawn at least, and over _TINTED of that pale (INK_LEVEL or lighter). A text column is short dark
    strokes in rows (held-out 22 TCCC Figure 1-31: the instructions beside a drawing, 0.25 of it pale; the pale
    drawings 0.6-0.97)."""
    drawn = part < PAPER
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    if rows.size == 0:
        return False
    box = part[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    tinted = (box < PAPER) & (box >= INK_LEVEL)
    return bool((box < PAPER).mean() >= FILLED and tinted.sum() > _TINTED * (box < PAPER).sum())


def _pale_drawings_under_titles(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Drawings in pale tints side by side under a title printed in the picture (a handbook's procedure card: a
    title, instructions and each step drawn in pale flesh tones, held-out 22 TCCC Figures 1-29, 1-30, 1-32), cut where
    nothing is drawn, not even a pale tint, once the title rows are set aside: at the ink level the pale bodies
    break into fragments too narrow to be panels, and the title crosses the gutter. Pale pictures without a title
    of their own may be one picture's views (held-out 2 heerfordt Figure 2, a scintigram's front and side views, as
    pale as the drawings): they are not cut. Empty unless the pieces are a row of pale drawings."""
    titled = _titles_aside(grey)
    if titled is None:
        return []
    pieces = xy_cut(titled, 0, 0, grey.shape[1], grey.shape[0], 0, partial(ink_spans, level=PAPER))
    return pieces if row_of_drawings(titled, pieces, pale=True) and not _drawing_left_out(titled, pieces) else []


def _drawing_left_out(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether the ink the pieces leave out (spans too narrow to be panels between and beside them) is as much as a
    drawing's: over _INK_LEFT_OUT of the least inked piece's ink. Letters, labels and an arrow between drawings are
    less; a drawing narrower than a panel's share of the row is not (held-out 15 Figure 6.21: a broken femur, four
    stages of its repair and a healed femur in a row, the femurs and the narrowest stage left out, three panels)."""
    ink = grey < INK_LEVEL
    kept = [int(ink[y0:y1, x0:x1].sum()) for x0, y0, x1, y1 in pieces]
    return int(ink.sum()) - sum(kept) > _INK_LEFT_OUT * min(kept)


def _grid_of_drawings(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Separate drawings of different sizes set out on a grid (six lesions drawn each at its own size, in two rows
    of three): the ink-free gutters part the picture into two or more rows of as many drawings each, and each
    column's drawings overlap one another across the rows and no other column's. The drawings' own boxes differ too
    much in size to pass as panels, so the panels are the grid's cells, cut in the middle of its gutters. Empty
    when the pieces are no such grid (a single diagram's parts seldom line up in rows and columns), or when ink too
    small to be a piece lies between them (letters under each drawing, held-out 6 University Physics Figure 5.5.1:
    a cut in the middle of the gutter ran through them; the lettered grid search cuts under them)."""
    bands = sorted({(y0, y1) for _, y0, _, y1 in pieces})
    rows = [sorted(piece for piece in pieces if (piece[1], piece[3]) == band) for band in bands]
    if len(rows) < 2 or any(a[1] > b[0] for a, b in zip(bands, bands[1:], strict=False)):
        return []
    count = len(rows[0])
    if count < 2 or any(len(row) != count for row in rows):
        return []
    columns = []
    for k in range(count):
        spans = [(row[k][0], row[k][2]) for row in rows]
        if not all(overlap(*a, *b) for a in spans for b in spans):
            return []
        columns.append((min(a for a, _ in spans), max(b for _, b in spans)))
    if any(a[1] > b[0] for a, b in zip(columns, columns[1:], strict=False)):
        return []
    ink = grey < INK_LEVEL
    if any(ink[a[1] : b[0]].sum(axis=1).max(initial=0) > 1 for a, b in zip(bands, bands[1:], strict=False)) or any(
        ink[:, a[1] : b[0]].sum(axis=0).max(initial=0) > 1 for a, b in zip(columns, columns[1:], strict=False)
    ):
        return []  # labels in the gutters (a letter under each drawing): whose cell they are is not told here
    xs = [0, *((a[1] + b[0]) // 2 for a, b in zip(columns, columns[1:], strict=False)), grey.shape[1]]
    ys = [0, *((a[1] + b[0]) // 2 for a, b in zip(bands, bands[1:], strict=False)), grey.shape[0]]
    return [(x0, y0, x1, y1) for y0, y1 in zip(ys, ys[1:], strict=False) for x0, x1 in zip(xs, xs[1:], strict=False)]


def _photo_beside_drawing(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Photographs beside drawings (a lesion photographed and drawn, a micrograph beside its diagram): pieces
    in one row or one column, split by lines without ink, of which some are photographs and some are not. A
    single diagram's white space leaves no photograph among its parts, and photographs alone split at their
    own gutters before this is asked. The cut must keep the drawings whole: ink left out of every piece (a
    drawing too narrow to be a panel, in a figure of photo-drawing pairs) may be a letter or a label, at most
    half as much ink as the drawings kept."""
    if len(pieces) < 2:
        return False
    in_row, in_column = _in_a_line(pieces)
    parts = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    photos = [photograph(part) for part in parts]
    if not (in_row or in_column) or not any(photos) or all(photos):
        return False
    if not all(_edge_set_off(grey, a, b, in_row) for a, b in zip(pieces, pieces[1:], strict=False)):
        return False  # a clear stretch through one picture: it fades into the picture on both sides
    ink = int((grey < INK_LEVEL).sum())
    kept = [int((part < INK_LEVEL).sum()) for part in parts]
    drawn = sum(count for count, photo in zip(kept, photos, strict=True) if not photo)
    return ink - sum(kept) <= _INK_LEFT_OUT * drawn


def _edge_set_off(
    grey: np.ndarray, first: tuple[int, int, int, int], second: tuple[int, int, int, int], in_row: bool
) -> bool:
    """Whether a picture ends at a straight edge on one side at least of the ink-free gutter between two
    neighbouring pieces (side by side when `in_row`): the line just inside it (past a JPEG's ringing) differs from
    the gutter's level over _PALE_EDGE of its length. A photograph or a drawing's frame meets a gutter so; a pale
    micrograph's clear band fades into the tissue on both sides (held-out 6 lab manual Figure 3.19, a fern
    prothallus cut in two). The gutter takes the lines beside it that hold only a few marks (`_with_labels`): the
    leader lines of labels between a drawing and a micrograph end on the micrograph's edge (OpenStax A&P 4.15)."""
    lines = grey.T if in_row else grey
    gap_lo, gap_hi = (first[2], second[0]) if in_row else (first[3], second[1])
    if gap_hi <= gap_lo:
        return True
    level = float(np.median(lines[gap_lo:gap_hi]))
    gap_lo, gap_hi = with_labels(lines, gap_lo, gap_hi, level)
    for piece, at in ((first, gap_lo - GUTTER_EDGE), (second, gap_hi - 1 + GUTTER_EDGE)):
        lo, hi = (piece[1], piece[3]) if in_row else (piece[0], piece[2])
        if 0 <= at < len(lines) and _differs(lines[at, lo:hi], level, PALE_EDGE):
            return True
    return False


def _solid_cut(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The picture cut at its solid pieces: what is left of its ink when strokes thinner than _TILE_STROKE of it are
    opened away (text, leader lines, arrows, a line drawing's outlines). A piece as solid as a photograph (_SOLID of
    its box), big enough to be a panel and textured is a tile; the cut is made at tiles of one size in a row or a
    column (`_tiles`), or at one photograph set into a drawing (`_photo_in_drawing`)."""
    step = max(1, max(grey.shape) // _TILE_SEARCH_PX)  # a coarser picture is enough to find tiles, and faster
    coarse = grey[::step, ::step]
    stroke = max(3, round(_TILE_STROKE * max(coarse.shape)))
    solid = cv2.morphologyEx(
        (coarse < PAPER_WHITE).astype(np.uint8), cv2.MORPH_OPEN, np.ones((stroke, stroke), np.uint8)
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    tiles = [
        (x * step, y * step, (x + w) * step, (y + h) * step)
        for i, (x, y, w, h, area) in enumerate(stats[1:].tolist(), start=1)
        if area >= _SOLID * w * h
        and _square_cornered(labels[y : y + h, x : x + w] == i)
        and (w * step >= MIN_PANEL_SHARE * grey.shape[1] or h * step >= MIN_PANEL_SHARE * grey.shape[0])
        and photograph(grey[y * step : (y + h) * step, x * step : (x + w) * step])
    ]
    return _tiles(grey, tiles, count - 1) or _photo_in_drawing(grey, tiles, count - 1)


def _square_cornered(piece: np.ndarray) -> bool:
    """Whether a solid piece fills the corners of its box (a square a sixth of its shorter side at each, half of them
    on average): a photograph or a tile of artwork does (measured 0.73-1.00), an oval or a round shape leaves them
    empty (a diagram's ellipses: 0.00-0.05)."""
    side = max(1, min(piece.shape) // 6)
    corners = [piece[:side, :side], piece[:side, -side:], piece[-side:, :side], piece[-side:, -side:]]
    return float(np.mean([corner.mean() for corner in corners])) >= 0.5


def _tiles(grey: np.ndarray, tiles: list[tuple[int, int, int, int]], solid: int) -> list[tuple[int, int, int, int]]:
    """Pictures of one size in a row or a column, each a tile (`_solid_cut`), with labels, leader lines or arrows
    between them that no blank gutter parts (held-out 14 Figure 4.21: three stages of wound healing side by side, the
    labels between the first two pointing into both; 4.22: three stages stacked, curved arrows from one to the next);
    every one of the `solid` pieces is a tile (a chart's grey field under two radiographs is none: the radiographs are
    no row of the whole picture). Neighbours stand closer than either is wide (a growth plate's solid top and foot
    zones, its columns of cells between them, are one drawing); labels between two that point into both make them one
    diagram (`_labelled_between`: dark and light skin drawn side by side, the layers named between them); a tile meets
    the gap at a straight edge on one side at least (`_edge_set_off`: a micrograph's two tissue halves along a white
    lumen have ragged edges, held-out 16 Figure 24.6). The picture is cut between neighbouring tiles at the line that
    crosses the least ink, so labels go with the tile beside them."""
    if len(tiles) < 2 or len(tiles) < solid or not sides_alike(tiles) or _labelled_between(grey, tiles):
        return []
    for lines, ordered in ((grey, sorted(tiles)), (grey.T, sorted((y0, x0, y1, x1) for x0, y0, x1, y1 in tiles))):
        pairs = list(zip(ordered, ordered[1:], strict=False))
        if all(
            a[2] <= b[0] < a[2] + min(a[2] - a[0], b[2] - b[0]) and overlap(a[1], a[3], b[1], b[3]) for a, b in pairs
        ):
            in_row = lines is grey
            if not all(_edge_set_off(grey, *_tile_pair(a, b, turned=not in_row), in_row) for a, b in pairs):
                return []  # ragged edges along the gap on both sides: one picture's own pale stretch (a lumen)
            ink = (lines < INK_LEVEL).sum(axis=0)
            cuts = [a[2] + int(np.argmin(ink[a[2] : b[0] + 1])) for a, b in pairs]
            bounds = [0, *cuts, lines.shape[1]]
            slabs = [(a, 0, b, lines.shape[0]) for a, b in zip(bounds, bounds[1:], strict=False)]
            return slabs if lines is grey else [(y0, x0, y1, x1) for x0, y0, x1, y1 in slabs]
    return []


def _tile_pair(a: tuple[int, int, int, int], b: tuple[int, int, int, int], turned: bool = False) -> tuple:
    """Two neighbouring tiles as boxes of the picture (turned back when `turned`)."""
    return (a, b) if not turned else ((a[1], a[0], a[3], a[2]), (b[1], b[0], b[3], b[2]))


def _photo_in_drawing(
    grey: np.ndarray, tiles: list[tuple[int, int, int, int]], solid: int
) -> list[tuple[int, int, int, int]]:
    """A photograph set into a drawing (held-out 14 Figure 4.19: a micrograph of neurons over the right half of a
    drawn neuron, whose axon terminals rise beside it, so no straight gutter parts the two): one tile (`_solid_cut`),
    solid pieces of the drawing beside it that are none (its filled shapes: a cell body), and the drawing's ink outside
    the photograph a panel's share of the picture wide and tall, the photograph too, the drawing's box reaching into the
    photograph's on both axes (past the margin its edge may leave: set into the corner, not beside it or touching it
    with an arrow) and sharing at most _SET_INTO of it. The panels are the photograph and the box of the ink
    outside it. Labels and leader lines around a photograph leave no solid piece; several photographs around a
    drawing (OpenStax Figure 4.2) are no one tile."""
    if len(tiles) != 1 or solid < 2:
        return []
    x0, y0, x1, y1 = tiles[0]
    if x1 - x0 < MIN_PANEL_SHARE * grey.shape[1] or y1 - y0 < MIN_PANEL_SHARE * grey.shape[0]:
        return []
    ink = grey < PAPER_WHITE
    edge = max(1, max(grey.shape) // _TILE_SEARCH_PX) + GUTTER_EDGE  # the tile is found on the coarse picture
    ink[max(0, y0 - edge) : y1 + edge, max(0, x0 - edge) : x1 + edge] = False
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return []
    drawing = (int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1)
    if (
        drawing[2] - drawing[0] < MIN_PANEL_SHARE * grey.shape[1]
        or drawing[3] - drawing[1] < MIN_PANEL_SHARE * grey.shape[0]
    ):
        return []
    across, down = min(x1, drawing[2]) - max(x0, drawing[0]), min(y1, drawing[3]) - max(y0, drawing[1])
    if across <= edge or down <= edge:
        return []  # beside the drawing, or touching it (an arrow from it): no photograph set into a drawing
    if across * down > _SET_INTO * (x1 - x0) * (y1 - y0):
        return []  # the photograph lies inside the drawing (an inset, a tile of a diagram): one picture
    return [tiles[0], drawing]

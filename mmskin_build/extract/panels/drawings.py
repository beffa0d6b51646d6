"""Vector drawings: separates the drawn and pictured parts of a figure into panels."""

from __future__ import annotations

from PIL import Image

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels.basics import _union, big_enough, strip
from mmskin_build.extract.panels.gutters import SET_APART, sides_alike
from mmskin_build.extract.panels.lettered import WIDE_GUTTER
from mmskin_build.extract.panels.letters import letter_mark, subcaption_letters
from mmskin_build.extract.panels.photos import EDGE_PT, mostly_pictures
from mmskin_build.extract.regions import FigureRegion, group_touching

FRAMED_AREA = 0.9  # a frame covers at least this share of the box of what it holds (measured 0.96-1.0)


def separate_pictures(groups: list[list[Graphic]], figure: Box, picture: Image.Image | None) -> list[Box]:
    """The boxes of image groups big enough to be panels, when there are two or more and most are pictures."""
    boxes = [_union(g) for g in groups if big_enough(_union(g), figure)]
    if len(boxes) >= 2 and (picture is None or mostly_pictures(boxes, picture, figure)):
        return boxes
    return []


def drawings_over_corners(groups: list[list[Graphic]], figure: Box) -> list[Box]:
    """The boxes of image groups that are drawings laid each over a corner of another (held-out 20, WHO pocket book
    p. 280: two drawings of hands set diagonally, the second raster's white ground over the first's lower right
    corner): two or more, each big enough to be a panel, of one size (`sides_alike`), each overlapping another at a
    corner only. `groups` are tiles of one picture and insets joined (`runs_on`), so what overlaps here was laid
    by hand; a flow chart's boxes or a drawing's labels set as rasters stand apart or differ in size."""
    boxes = [_union(group) for group in groups]
    if len(boxes) < 2 or not all(big_enough(box, figure) for box in boxes):
        return []
    if not sides_alike([(box.x0, box.top, box.x1, box.bottom) for box in boxes]):
        return []
    return boxes if all(any(_over_corner(box, other) for other in boxes if other is not box) for box in boxes) else []


def _over_corner(a: Box, b: Box) -> bool:
    """Whether two boxes overlap at a corner: their overlap narrower and shorter than either."""
    both = a.intersection(b)
    return both is not None and both.width < min(a.width, b.width) and both.height < min(a.height, b.height)


def separate_drawings(region: FigureRegion) -> list[Box]:
    """Sub-plots of a vector chart each drawn as one object (a plot file included whole), or drawings each in a
    frame of its own (a rectangle drawn around what it holds, pictures included): two or more, apart from each
    other, each big enough to be a panel, and nothing else drawn. A chart or a flow chart drawn stroke by stroke
    (axes, bars, boxes, arrows) has small strokes among its drawings and stays whole; so does a drawing in one
    frame around the whole figure."""
    big = [g for g in region.graphics if big_enough(g.box, region.box)]
    if len(big) < 2:
        return []
    groups = group_touching(big, tolerance=0.0, joined=lambda a, b: a.box.overlap_area(b.box) > 0)
    for small in (g for g in region.graphics if not big_enough(g.box, region.box)):
        holders = [group for group in groups if any(small.box.overlap_area(g.box) > 0 for g in group)]
        if len(holders) != 1:
            return []  # a stroke apart from every part, or across two
        holders[0].append(small)
    boxes = [_union(group) for group in groups]
    if len(boxes) < 2 or not all(
        _framed(group, box) or (len(group) == 1 and group[0].kind != "image")
        for group, box in zip(groups, boxes, strict=True)
    ):
        return []
    return [box.intersection(region.box) or box for box in boxes]


def drawings_apart(region: FigureRegion) -> list[Box]:
    """Drawings of one size drawn stroke by stroke, set apart: every stroke of the figure in a cluster of touching
    strokes (a pie chart's wedges, their sides and leader lines), two clusters or more, each big enough to be a panel,
    their widths and heights each alike (`sides_alike`), each pair set apart (`_set_apart`) (held-out 5 WPRO
    2009 Figure 1: two 3-D pie charts on one slide, titles and labels printed between them). A flow chart's arrows and
    a chart's ticks are strokes too small to be a panel; a chart's key is not of its size, nor are the parts of one
    drawing that do not touch (held-out 20 p42, a push-along toy: its handle beside its body, 27 and 65 pt wide)."""
    if region.images or len(region.graphics) < 2:
        return []
    boxes = [_union(group) for group in group_touching(region.graphics)]
    if len(boxes) < 2 or not all(big_enough(box, region.box) for box in boxes):
        return []
    if not sides_alike([(box.x0, box.top, box.x1, box.bottom) for box in boxes]):
        return []
    if not all(_set_apart(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]):
        return []
    return [box.intersection(region.box) or box for box in boxes]


def _set_apart(a: Box, b: Box) -> bool:
    """Whether a blank gap SET_APART of the smaller drawing's side across it at least parts two drawings, side by
    side or one over the other: plots drawn 3 pt apart with open axes are one chart's (EACL 2023 Figures 2-4)."""
    across = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1)) / min(a.width, b.width)
    down = a.v_gap(b) / min(a.height, b.height)
    return max(across, down) >= SET_APART


def drawings_by_letter(region: FigureRegion) -> list[Box]:
    """A drawn figure's parts each holding one of its printed letters, cut at blank gutters that no stroke or label
    crosses, rows first or columns first, each part cut again while it holds two letters (Hindawi's charts: two side
    by side over a third, "(a)"-"(c)" printed under each). A run of parts without a letter joins the part after it
    when the letters close the run of parts (printed under or right of their panels), else the part before: a chart's
    legend, axis title or own title goes with its chart. Nothing unless every letter gets a part of its own."""
    marks = [line.box for line in region.texts if letter_mark(line.text)]
    if len(marks) < 2 or len(marks) != subcaption_letters(region):
        return []
    contents = [g.box for g in region.graphics] + [line.box for line in region.texts]
    for turned in (True, False):
        parts = _cut_by_letter(contents, marks, turned)
        if parts and all(big_enough(part, region.box) for part in parts):
            return [part.intersection(region.box) or part for part in parts]
    return []


def _cut_by_letter(contents: list[Box], marks: list[Box], turned: bool, parted_above: bool = True) -> list[Box]:
    """`contents` cut into parts holding one of `marks` each (see `_drawings_by_letter`); rows when `turned`.
    `parted_above`: whether the cut one level up parted any letters; when neither it nor this cut did, the part is
    the same contents with the same letters as two levels up, and cutting on would go round for ever."""
    pieces = gutter_pieces([box.transposed() for box in contents] if turned else contents)
    pieces = [piece.transposed() for piece in pieces] if turned else pieces
    held = [[mark for mark in marks if piece.contains(mark, tolerance=EDGE_PT)] for piece in pieces]
    if len(pieces) < 2 or not held[0] and not held[-1]:
        return []
    forward = bool(held[-1])
    parts: list[tuple[Box, list[Box]]] = []
    waiting: Box | None = None
    for piece, inside in zip(pieces, held, strict=True):
        if not inside:
            waiting = piece.union(waiting) if waiting else piece
            if not forward and parts:
                parts[-1], waiting = (parts[-1][0].union(piece), parts[-1][1]), None
            continue
        parts.append((piece.union(waiting) if waiting else piece, inside))
        waiting = None
    if len(parts) == 1 and not parted_above:
        return []
    cut: list[Box] = []
    for part, inside in parts:
        if len(inside) == 1:
            cut.append(part)
            continue
        within = [box for box in contents if part.contains(box, tolerance=EDGE_PT)]
        sub = _cut_by_letter(within, inside, not turned, len(parts) > 1)
        if not sub:
            return []
        cut += sub
    return cut


def gutter_pieces(boxes: list[Box]) -> list[Box]:
    """The boxes gathered into columns, left to right, between blank gutters _WIDE_GUTTER of their width wide or
    more that no box crosses."""
    if not boxes:
        return []
    least_gap = WIDE_GUTTER * union_all(boxes).width
    pieces: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if pieces and box.x0 < pieces[-1].x1 + least_gap:
            pieces[-1] = pieces[-1].union(box)
        else:
            pieces.append(box)
    return pieces


def _framed(group: list[Graphic], box: Box) -> bool:
    """A frame and what is drawn in it: a drawn (not image) object whose box is nearly the group's (a picture's
    white margin may reach a little past its frame) and something more inside."""
    return len(group) >= 2 and any(g.kind != "image" and g.box.area >= FRAMED_AREA * box.area for g in group)


def joined_by_strokes(boxes: list[Box], region: FigureRegion) -> bool:
    """Whether a drawn line or arrow runs across the gap between two of the parts, from one to the other: drawings
    joined so are the steps of one diagram (a cycle of four stages, each stage's drawing pointing at the next; WHO
    2013 handbook Figure 14), not panels. A line is a strip of touching strokes in the gap (a shaft and its head);
    a frame or a rule along the gap is none. Found on the vector strokes, so at any resolution: rendered at 72 dpi,
    a thin arrow leaves one pixel of ink in a gutter line, which the drawing search takes for blank."""
    strokes = [g for g in region.graphics if g.kind != "image"]
    if len(boxes) < 2 or not strokes:
        return False
    turned = [Graphic(g.kind, g.box.transposed(), None) for g in strokes]
    return any(
        _joined_across(a, b, strokes) or _joined_across(a.transposed(), b.transposed(), turned)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _joined_across(a: Box, b: Box, strokes: list[Graphic]) -> bool:
    """Whether the strokes in the gap between two parts one over the other (only those: a figure's labels may be
    thousands of drawn glyphs) make a line from one part to the other."""
    upper, lower = sorted((a, b), key=lambda box: box.top)
    middle = (upper.bottom + lower.top) / 2
    gap = Box(
        max(upper.x0, lower.x0),
        min(upper.bottom, middle - EDGE_PT),
        min(upper.x1, lower.x1),
        max(lower.top, middle + EDGE_PT),
    )
    if gap.width <= 0:
        return False
    near = [g for g in strokes if g.box.overlaps(gap)]
    lines = [line for line in map(_union, group_touching(near, tolerance=1.0)) if strip(line)]
    return any(_spans_gap(line, upper, lower) for line in lines)


def _spans_gap(line: Box, a: Box, b: Box) -> bool:
    """A tall line that runs from one part down to the other (parts one over the other), across the gap between
    them to within _EDGE_PT of each (between parts that meet, across the line where they meet), and no further
    than the two parts reach: a frame's side along the figure's edge, or a rule the height of the figure, joins
    nothing."""
    upper, lower = sorted((a, b), key=lambda box: box.top)
    inside = all(part.x0 + EDGE_PT < line.cx < part.x1 - EDGE_PT for part in (upper, lower))
    if line.height <= line.width or not inside:
        return False
    if line.top < upper.top - EDGE_PT or line.bottom > lower.bottom + EDGE_PT:
        return False
    middle, half = (upper.bottom + lower.top) / 2, max((lower.top - upper.bottom) / 2 - EDGE_PT, EDGE_PT)
    return line.top <= middle - half and line.bottom >= middle + half

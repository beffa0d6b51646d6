"""Where a picture's gutters run: spans of lines between blank or flat gutters, and the xy-cut over them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mmskin_build.extract.panels.basics import (
    MIN_PANEL_SHARE,
    _runs,
    count_along,
    doubled_medians,
    near_level,
    share,
    transposed,
)

INK_LEVEL = 200  # grey levels below this are a drawing's ink
RULE_SHARE = 0.95  # a frame's side or a drawn rule: a line of ink along this share of the part at least
_GUTTER_SHARE = 0.995  # a gutter line between lettered parts: no stroke of a drawing crosses it
PAPER_WHITE, DARK = 245, 45  # grey levels of white paper and of a black gutter
# Grey level: the black ground of scans as printed is this dark at most (noise and JPEG ringing: 46-72 measured on
# held-out 25 Figure 1's CT slices, their soft tissue over 100).
DARK_GROUND = 90
_VALLEY_SHARE = 0.97  # of a line on a dark ground: ground or paper along this share at least (no tissue crosses it)
_PALE = 225  # grey level: lines at least this light may be a gutter on pale paper
_SHADE = 12  # grey levels: pixels this close to a level are of its shade (a flat ground's noise)
_SEAM_SHARE = 0.85  # of a line's pixels that change from the line before along a straight edge
GUTTER_EDGE = 3  # lines past a gutter's edge where the picture beside it is measured (beyond a JPEG's ringing)
PALE_EDGE, _DARK_EDGE = 0.5, 0.25  # share of a line beside a pale or dark flat run that differs past a gutter
_LABEL_SHARE = 0.2  # a gutter line with letters or labels in it: at most this share of it off the gutter's level
_LABEL_REACH = 0.03  # letters in a gutter beside a picture: at most this share of the picture wide (or tall)
# A divider drawn between a figure's parts, solid, dashed or dotted (measured on conference figures: ink along 0.5-1.0 of its
# line, gaps between dashes 0.12 of it at most; the lines beside it hold no ink at all, where a row of boxes' aligned
# edges has their sides beside it, 2.5-3.4 % of the line):
_DIVIDER_INK = 0.4  # ink along this share of its line at least
_DIVIDER_SPAN = 0.9  # from its first ink to its last along this share of the picture at least
_DIVIDER_BREAK = 0.15  # no blank stretch along it longer than this share of the picture
_DIVIDER_THICK = 0.01  # at most this share of the picture thick (two pixels at least)
_DIVIDER_CLEAR = 0.01  # the lines on both sides of it: ink along at most this share (nothing drawn touches it)


def gutter_lines(lines: np.ndarray) -> np.ndarray:
    """Lines that separate parts of a picture: paper, a drawn rule (paper and one colour) or a seam where one
    part's straight edge meets the next."""
    return plain_lines(lines) | _seams(lines)


def plain_lines(lines: np.ndarray) -> np.ndarray:
    """Lines of paper or of one colour (a drawn rule on paper) across their whole length: no stroke crosses them."""
    return share((lines >= _PALE) | near_level(lines, doubled_medians(lines), _SHADE), axis=1) >= _GUTTER_SHARE


def ruled_cells(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The cells of a picture ruled into a grid (Scientific Reports 2021 Figure 2: a frame, a rule across it under
    two radiographs, a rule down the lower half between two charts): the picture cut at its drawn rules across its
    whole width, then each band at the rules down its whole height; cells narrower than a panel's share are the
    frame's sides. [] unless two cells or more."""
    cells = []
    for y0, y1 in _between_rules(grey):
        cells += [(x0, y0, x1, y1) for x0, x1 in _between_rules(grey[y0:y1].T)]
    return cells if len(cells) >= 2 else []


def _between_rules(lines: np.ndarray) -> list[tuple[int, int]]:
    """Spans of `lines` between the drawn rules across them (plain lines of ink along RULE_SHARE of them: a chart's
    axis on a grey field, ink along most of its cell, is no rule), each a panel's share of them long at least."""
    rules = plain_lines(lines) & (share(lines < INK_LEVEL, axis=1) >= RULE_SHARE)
    ends = [0, *(edge for run in _runs(rules) for edge in run), len(lines)]
    spans = zip(ends[::2], ends[1::2], strict=True)
    return [(a, b) for a, b in spans if b - a >= MIN_PANEL_SHARE * len(lines)]


Spans = Callable[[np.ndarray, int], list[tuple[int, int]]]


def divided_parts(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The picture cut at the dividers drawn across its whole width or height (`_dividers`), rows first, then each
    row's columns: a figure's halves parted by a dotted or solid rule, or its top parted from its foot by a dashed
    one. [] unless two parts or more."""
    parts = xy_cut(grey, 0, 0, grey.shape[1], grey.shape[0], 0, _between_dividers)
    return parts if len(parts) >= 2 else []


def _between_dividers(part: np.ndarray, axis: int) -> list[tuple[int, int]]:
    """Spans of `part` along `axis` (0: rows, 1: columns) between its dividers; [] when it has none."""
    lines, across = (part, transposed(part)) if axis == 0 else (transposed(part), part)
    rules = _rules(lines)
    if _edge_rule(rules, len(lines)) and not _edge_rule(_rules(across), len(across)):
        return []  # a table's top or bottom rule, not a frame: its mid-rules part rows of cells
    ends = [0, *(edge for run in _dividers(lines, rules) for edge in run), len(lines)]
    spans = list(zip(ends[::2], ends[1::2], strict=True))
    return spans if len(spans) >= 2 else []


def _dividers(lines: np.ndarray, rules: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The `rules` of `lines` (`_rules`) that are a divider: a panel's share of the picture from its edges, not a
    box's side. A chart's axis has ticks and grid lines against it, a table's rules cross its column rules, aligned
    boxes' edges have their sides beside them."""
    thick = max(2, round(_DIVIDER_THICK * len(lines)))
    ink = lines < INK_LEVEL
    return [run for run in rules if _inside(run, len(lines)) and not _box_side(ink, *run, thick)]


def _edge_rule(rules: list[tuple[int, int]], length: int) -> bool:
    """Whether one of `rules` (`_rules` of `length` lines) runs within a panel's share of the picture's edges: a
    frame's side, or a table's top or bottom rule (photographs set in a ruled table: its mid-rule is no divider)."""
    return any(not _inside(run, length) for run in rules)


def _inside(run: tuple[int, int], length: int) -> bool:
    return MIN_PANEL_SHARE * length <= run[0] and run[1] <= length - MIN_PANEL_SHARE * length


def _rules(lines: np.ndarray) -> list[tuple[int, int]]:
    """Runs of lines (rows of `lines`) that are a rule, solid or broken into dashes or dots, along nearly the whole
    line (`_ruled_along`), thin, nothing touching it on either side."""
    ink = lines < INK_LEVEL
    inked = share(ink, axis=1)
    thick = max(2, round(_DIVIDER_THICK * len(lines)))
    found: list[tuple[int, int]] = []
    judged = 0  # the end of the last run judged, with its soft edges
    for start, end in _runs(inked >= _DIVIDER_INK):
        if start < judged:
            continue  # the last run's soft edges reached it: one rule, already judged
        while start > 0 and inked[start - 1] > _DIVIDER_CLEAR:  # its soft edges (a rule drawn between pixels)
            start -= 1
        while end < len(lines) and inked[end] > _DIVIDER_CLEAR:
            end += 1
        judged = end
        if end - start > thick:
            continue  # a band of ink (a picture's rows), read no further
        ruled = [line for line in ink[start:end] if line.mean() >= _DIVIDER_INK]
        if all(map(_ruled_along, ruled)):
            found.append((start, end))
    return found


def _box_side(ink: np.ndarray, start: int, end: int, reach: int) -> bool:
    """Whether the rule in lines `start` to `end` is a side of a box: at both its ends ink turns off it to one side
    only, over the `reach` lines beyond it (a box's corners); a divider's ends are free or meet a frame's sides, which
    run on to both sides."""
    along = np.flatnonzero(ink[start:end].any(axis=0))
    ends = [max(0, along[0] - 1), along[0] + 2, along[-1] - 1, along[-1] + 2]
    before = ink[max(0, start - reach) : start]
    after = ink[end : end + reach]
    turns = [
        side.shape[0] > 0 and side[:, ends[0] : ends[1]].any() and side[:, ends[2] : ends[3]].any()
        for side in (before, after)
    ]
    return turns[0] != turns[1]


def _ruled_along(ink: np.ndarray) -> bool:
    """Whether a line's ink runs from near one end to near the other with no long blank stretch: a rule or its dashes."""
    at = np.flatnonzero(ink)
    if len(at) < 2 or at[-1] - at[0] + 1 < _DIVIDER_SPAN * len(ink):
        return False
    return int(np.diff(at).max()) - 1 <= _DIVIDER_BREAK * len(ink)


def xy_cut(
    grey: np.ndarray, x0: int, y0: int, x1: int, y1: int, depth: int, spans_of: Spans
) -> list[tuple[int, int, int, int]]:
    part = grey[y0:y1, x0:x1]
    for axis in (0, 1):  # split into rows first, then columns
        spans = spans_of(part, axis)
        if len(spans) >= 2:
            result = []
            for a, b in spans:
                box = (x0, y0 + a, x1, y0 + b) if axis == 0 else (x0 + a, y0, x0 + b, y1)
                result.extend(xy_cut(grey, *box, depth + 1, spans_of) if depth < 2 else [box])
            return result
    return [(x0, y0, x1, y1)]


def ink_spans(part: np.ndarray, axis: int, level: int = INK_LEVEL) -> list[tuple[int, int]]:
    """Spans between blank gutters of a drawing: a gutter line holds no ink (grey below `level`) at all (a drawing's
    thin strokes leave most of every line it crosses blank, so the near-uniform test of photographs does not apply)."""
    lines = part if axis == 0 else part.T
    return _spans(count_along(lines < level, 1) <= 1, lines.shape[0])


def content_spans(part: np.ndarray, axis: int, seams: bool = True, valleys: bool = False) -> list[tuple[int, int]]:
    """Spans between gutters along `axis` (0: rows, 1: columns), each a panel's share of the part long at least; with
    `valleys`, the dark ground between scans (`dark_valleys`) parts them too."""
    blank = content_gutters(part, axis, seams)
    if valleys:
        blank |= dark_valleys(part if axis == 0 else transposed(part))
    return _spans(blank, len(blank))


def dark_valleys(lines: np.ndarray) -> np.ndarray:
    """Per line, whether it runs over a dark ground between pictures: dark (DARK_GROUND) or paper along nearly all of
    it and dark along half at least. Scans set on one black ground (CT slices, each skull round on its own black
    square) leave such a line between them, noisy, so not flat as a black gutter is (`content_gutters`)."""
    dark = lines <= DARK_GROUND
    ground = share(dark | (lines >= PAPER_WHITE), axis=1) >= _VALLEY_SHARE
    return ground & (share(dark, axis=1) >= 0.5)


def one_content_span(part: np.ndarray, axis: int) -> tuple[int, int] | None:
    """The one span between gutters along `axis` (as `content_spans`) a panel's share of the part long, when there
    is exactly one; the lines beside it hold nothing a panel's share long (a step number, a few lines of text)."""
    spans = _long_runs(content_gutters(part, axis), part.shape[axis])
    return spans[0] if len(spans) == 1 else None


def content_gutters(part: np.ndarray, axis: int, seams: bool = True) -> np.ndarray:
    """Per line along `axis` (0: rows, 1: columns), whether it is a gutter: a run of lines that are one flat colour
    across the whole part (white space, or a drawn separator line of any colour): a photograph almost never holds
    such a line."""
    lines = part if axis == 0 else transposed(part)  # a copy whose lines are rows: 2x faster below
    # Near-uniform: almost every pixel within a few levels of the line's median (every 4th pixel is
    # enough to tell, and a quarter of the cost).
    sample = lines[:, ::4] if lines.shape[1] >= 400 else lines
    doubled = doubled_medians(sample)
    uniform = share(near_level(sample, doubled, _SHADE), axis=1) >= 0.97
    level = doubled / 2
    blank = _set_off(lines, uniform & ((level >= _PALE) | (level <= DARK) | _on_the_ground(uniform, level)), level)
    # Where two panels meet, or a separator line of any colour runs between them, the picture has a
    # straight edge across its whole length: photographs almost never do.
    if seams:
        blank |= _seams(lines)
    return blank


def _seams(lines: np.ndarray, step: int = 1) -> np.ndarray:
    """Per line, whether the picture changes across nearly all of it from the line `step` before: a straight edge
    where two parts meet, or a separator line's edge (the first lines have none before them). A step of 2 finds an
    edge that resampling blurred over two lines (`seams_over_two_lines`)."""
    seam = np.zeros(lines.shape[0], dtype=bool)
    change = np.diff(lines, axis=0) if step == 1 else lines[step:] - lines[:-step]
    seam[step:] = share(np.abs(change, out=change) > _SHADE, axis=1) >= _SEAM_SHARE
    return seam


def seams_over_two_lines(lines: np.ndarray) -> np.ndarray:
    """Per line, whether a straight edge runs there that resampling blurred over two lines: two rasters abutting in a
    picture scaled for print or for the search, where each line carries part of the change (held-out 25's abutting
    MRI slices: 83 % of the line changes past one line, all of it past two). A photograph's own soft edges do the
    same, so callers look for these only where a grid's other rows are cut."""
    return _seams(lines, step=2)


def _on_the_ground(uniform: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The flat lines of the tint that the pictures are set on, any grey: the part's first and last lines are flat
    and of one level (a tinted box around photographs, mid grey; white paper and black are gutters anyway), and
    these lines are that level. Whether such a run is a gutter or a flat stretch of one picture, `_set_off` tells."""
    if not (uniform[0] and uniform[-1]) or abs(float(level[0]) - float(level[-1])) > _SHADE:
        return np.zeros_like(uniform)
    return np.abs(level - (float(level[0]) + float(level[-1])) / 2) <= _SHADE


def _set_off(lines: np.ndarray, blank: np.ndarray, level: np.ndarray) -> np.ndarray:
    """`blank` without the runs of flat lines that fade into the picture beside them, which are the picture's own:
    a pale, evenly lit stretch of a photograph (bright skin) crosses it as flat as paper, but not as white
    (measured: grey 225-229, paper 255), and its neighbouring lines are as pale; the black field of a micrograph
    or of a specimen photographed on black crosses it as dark as a black gutter, and its neighbouring lines are as
    dark but for the specimen's edge (measured: 2-10% of their length differ). Paper or a black gutter between two
    pictures ends at their straight edges, one on each side. Such a run inside the picture is a gutter when the
    lines just beyond it (past a JPEG's ringing) differ from its level over half their length (pale runs) or a
    quarter (dark runs: a picture on a transparent background decodes with black margins, its boxes and labels
    crossing 40-50% of the lines beside them) on both sides: a shadow in a photograph may end at a lit wall on
    one side, but fades into the dark ground on the other (measured: 33% and 3%). Within a panel's share of the
    picture's edge one side is enough: there the run is a margin between a picture and the figure's edge (a
    radiograph's black border, a label or two in it). White paper is a gutter as before (the label rows between a
    grid's photos are mostly paper too)."""
    kept = blank.copy()
    for start, end in _runs(blank):
        run_level = float(np.median(level[start:end]))
        if run_level >= PAPER_WHITE or start == 0 or end == len(lines):
            continue
        if run_level > DARK:
            start, end = with_labels(lines, start, end, run_level)
        edge = PALE_EDGE if run_level > DARK else _DARK_EDGE
        beside = [i for i in (start - GUTTER_EDGE, end - 1 + GUTTER_EDGE) if 0 <= i < len(lines)]
        differs = [_differs(lines[i], run_level, edge) for i in beside]
        margin = min(start, len(lines) - end) < MIN_PANEL_SHARE * len(lines)
        if not (any(differs) if margin else all(differs)):
            kept[start:end] = False
    return kept


def with_labels(lines: np.ndarray, start: int, end: int, level: float) -> tuple[int, int]:
    """The run of pale gutter lines from `start` to `end` grown over the lines next to it (_LABEL_REACH of the
    picture at most) that are its level but for a few marks (under _LABEL_SHARE of their length): panel letters
    printed in a gutter on a tinted ground cross its lines beside the pictures, whose edges lie past them."""
    reach = round(_LABEL_REACH * len(lines))
    low, high = max(0, start - reach), min(len(lines), end + reach)
    while start > low and not _differs(lines[start - 1], level, _LABEL_SHARE):
        start -= 1
    while end < high and not _differs(lines[end], level, _LABEL_SHARE):
        end += 1
    return start, end


def _differs(line: np.ndarray, level: float, least: float) -> bool:
    """Whether `least` of the line (or more) lies more than `_SHADE` grey levels from `level`: a picture's edge beside a
    gutter of that level, not the picture fading into it."""
    return bool(share(np.abs(line - level) > _SHADE) >= least)


def _spans(blank: np.ndarray, length: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines at least a panel's share of `length` long; [] unless there are two or more."""
    spans = _long_runs(blank, length)
    return spans if len(spans) >= 2 else []


def _long_runs(blank: np.ndarray, length: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines at least a panel's share of `length` long."""
    min_panel = int(MIN_PANEL_SHARE * length)
    spans: list[tuple[int, int]] = []
    start = None
    for i, is_blank in enumerate(blank):
        if is_blank and start is not None:
            spans.append((start, i))
            start = None
        elif not is_blank and start is None:
            start = i
    if start is not None:
        spans.append((start, length))
    return [(a, b) for a, b in spans if b - a >= min_panel]

"""Panel letters printed in a picture's pixels (burned into photographs, set in a flow chart's raster) and the picture
cut into a part per letter. Only asked where the caption names letters that neither the text layer nor the other
searches give: the glyphs are found by their shape and read by Tesseract in one call."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract import ocr
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import MIN_PANEL_SHARE, PAPER, _grey, _runs, in_points
from mmskin_build.extract.panels.charts import blank_line_parts
from mmskin_build.extract.panels.lettered import GUTTER_SEARCH_PX
from mmskin_build.extract.panels.spans import gutter_lines
from mmskin_build.text.panel_markers import LETTER_ALONE, letter_run

# A panel letter is set this share of the picture's shorter side tall (measured: 2.7-5.2% on papers VESPA Figure 2
# and held-out 11 Frontiers Figure 4): smaller glyphs are a chart's or a table's text, larger ones a picture's shapes.
# The most is a share of the picture's mean side (the root of its area): a row of photographs is one photograph
# tall, so its letters stand taller against its shorter side than a grid's do (9-10% on a strip of five, 5.6:1).
_LETTER_HEIGHT = (0.025, 0.08)
# Letters down to this share are read where those of _LETTER_HEIGHT give no run: a plate of charts as wide as the page
# sets its letters in the charts' text size (measured: 2.3-2.5% of the plate). Only then: the glyphs
# Tesseract reads in one call change how it reads each (a "C" read 81 alone is "Cc" 60 beside smaller glyphs).
_SMALL_LETTER = 0.02
_LETTER_WIDTH = (0.3, 1.5)  # a capital or small letter's width, in its heights ("I" and "l" are too narrow: no panels)
# Glyphs stand out from what they are printed on: dark ones under this grey level, light ones (white letters on a
# photograph) over it.
_DARK_GLYPH = 110
_LIGHT_GLYPH = PAPER - 5
_LETTER_SPACE = 0.5  # a panel letter stands alone: no glyph nearer beside it than this many of its heights, ...
_BRACKET = (0.45, 0.9)  # ... but its brackets, at most this wide and at least this tall, in the letter's heights
# Tesseract's confidence in a letter (measured: panel letters 70-96, "Cc" the least; a photograph's specks read as
# letters of other cases or past the run, which `_run` leaves out).
_MIN_CONFIDENCE = 65.0
# A letter read apart from a run (`letters_on_a_grid`) is read surely (measured on a plate of CT slices:
# its letters 90-93, the scans' texture read as "a" 65, as "v" 81 and as "4" 90, no letter of the run).
_SURE_READING = 85.0
# A figure's panel letters are set in one size: their heights within this ratio (a small letter with an ascender,
# "b", stands up to ~1.5x as tall as one without, "a").
_ONE_SIZE = 1.6
_EITHER_CASE = "?"  # marks a letter read in both cases
_EVEN_SHARE = 1 / 3  # a letter's panel holds at least this share of what an even split of the picture gives it
_PAPER_LINE = 0.9  # a line between drawings is paper over this share of it but for the strokes that join them


_Glyph = tuple[tuple[int, int, int, int], np.ndarray]  # a glyph's box in the grey picture and its picture


@dataclass(frozen=True, slots=True)
class PrintedLetter:
    letter: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the grey picture's pixels


def lettered_in_pixels(picture: Image.Image, figure: Box, named: int) -> list[tuple[Box, str | None]]:
    """The figure's panels with their letters where its pixels print the letters a, b, ... (at least as many as the
    caption names, `named`, or fewer that place the rest on a grid: `letters_on_a_grid`) and the picture parts between
    them (`parts_at_letters`, or where that leaves a letter without a part of its own the blank-line cut,
    `_blank_line_parts_at_their_letters`); [] otherwise, or without Tesseract."""
    grey = _grey(picture, GUTTER_SEARCH_PX)
    try:
        letters = _letters_of_either_size(grey, named)
    except ocr.OcrUnavailable:
        return []
    if not letters:
        return []
    parts = parts_at_letters(grey, letters)
    if not _a_panel_each(parts, grey.shape, letters):
        parts = _blank_line_parts_at_their_letters(grey, letters) or parts
    if not parts or not _panel_sized(parts, grey.shape, len(letters)):
        return []
    return [
        (box, letter)
        for box, (_, letter) in zip(in_points([p for p, _ in parts], grey.shape, figure), parts, strict=True)
    ]


def _a_panel_each(
    parts: list[tuple[tuple[int, int, int, int], str | None]], shape: tuple[int, ...], letters: list[PrintedLetter]
) -> bool:
    """Whether every letter read has a part of its own (`_panel_sized`). A cut that leaves a letter in another's part
    is kept where the blank lines give no better (Toxins 2019 Figure 2: "C" inside A's part over its own chart, which
    came out unlettered; three panels, right)."""
    held = [letter for _, letter in parts if letter]
    return sorted(held) == sorted(p.letter for p in letters) and _panel_sized(parts, shape, len(letters))


def _panel_sized(
    parts: list[tuple[tuple[int, int, int, int], str | None]], shape: tuple[int, ...], letters: int
) -> bool:
    """Whether every lettered part holds _EVEN_SHARE of the picture's area split evenly among its letters: charts
    placed in two rows that do not line up leave no gutter line between a letter and its chart, and the cut at the
    white columns beside their axes gives a letter a sliver of the picture ("A" over
    "C", 4% and 3% of the plate for five letters)."""
    least = _EVEN_SHARE * shape[0] * shape[1] / letters
    return all((x1 - x0) * (y1 - y0) >= least for (x0, y0, x1, y1), letter in parts if letter)


def _blank_line_parts_at_their_letters(
    grey: np.ndarray, letters: list[PrintedLetter]
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    """The picture cut at its blank lines (`blank_line_parts`) into one part per letter, each with the letter nearest
    its upper left corner, when that is a different letter for every part and lies within half the part's shorter
    side of the corner; [] otherwise. Rows of charts whose gutters do not line up (Toxins 2019 bee venom Figure 1:
    "A" and "B" over "C", "D" and "E", the lower row's axis titles under the upper row's gutter) leave no gutter line
    across the whole picture between letters, so `parts_at_letters` cuts them into slivers; the blank lines around
    each chart still part them, and a chart's letter stands at its corner (E's beside its blot, over D's bars)."""
    parts = blank_line_parts(grey)
    if len(parts) != len(letters):
        return []
    nearest = [min(letters, key=lambda printed, part=part: _from_corner(printed.box, part)) for part in parts]
    if len(set(nearest)) != len(parts) or any(
        _from_corner(printed.box, part) > min(part[2] - part[0], part[3] - part[1]) / 2
        for printed, part in zip(nearest, parts, strict=True)
    ):
        return []
    return [(part, printed.letter) for part, printed in zip(parts, nearest, strict=True)]


def _from_corner(letter: tuple[int, int, int, int], part: tuple[int, int, int, int]) -> float:
    """How far a letter's centre lies from a part's upper left corner (pixels)."""
    return math.hypot((letter[0] + letter[2]) / 2 - part[0], (letter[1] + letter[3]) / 2 - part[1])


def _letters_of_either_size(grey: np.ndarray, named: int) -> list[PrintedLetter]:
    """The panel letters read among glyphs of _LETTER_HEIGHT, else among those down to _SMALL_LETTER where there are
    more of these (a second call of Tesseract only then)."""
    usual = _glyphs(grey, _LETTER_HEIGHT[0])
    if letters := _letters_named(usual, named):
        return letters
    smaller = _glyphs(grey, _SMALL_LETTER)
    if [[box for box, _ in polarity] for polarity in smaller] == [[box for box, _ in polarity] for polarity in usual]:
        return []
    return _letters_named(smaller, named)


def _letters_named(polarities: list[list[_Glyph]], named: int) -> list[PrintedLetter]:
    """The panel letters read among the glyphs (`printed_letters`, else `letters_on_a_grid`); [] unless as many as
    the caption names, and two at least."""
    read = _letters_read(polarities)
    letters = printed_letters(read)
    if len(letters) < named:
        letters = letters_on_a_grid(read, named) or letters
    return letters if len(letters) >= max(2, named) else []


def _glyphs(grey: np.ndarray, least: float) -> list[list[_Glyph]]:
    """Per polarity (dark on light, light on dark), the glyphs standing alone or in brackets (`_letter_glyphs`, at
    least `least` of the shorter side tall)."""
    return [_letter_glyphs(ink, grey.shape, least) for ink in (grey < _DARK_GLYPH, grey > _LIGHT_GLYPH)]


def _letters_read(polarities: list[list[_Glyph]]) -> list[list[tuple[PrintedLetter, float]]]:
    """Per polarity, the glyphs (`_glyphs`) that Tesseract reads as one letter each, with its confidence."""
    glyphs = [glyph for polarity in polarities for glyph in polarity]
    if not glyphs:
        return []
    read = iter(ocr.read_glyphs([image for _, image in glyphs]))  # one call for both polarities
    return [
        [
            (PrintedLetter(letter, box), confidence)
            for (box, _), (text, confidence) in zip(polarity, read, strict=False)
            if (letter := _one_letter(text))
        ]
        for polarity in polarities
    ]


def printed_letters(polarities: list[list[tuple[PrintedLetter, float]]]) -> list[PrintedLetter]:
    """The panel letters printed in the picture (`_letters_read`): letters read with _MIN_CONFIDENCE that run a, b,
    c, ... once each in one polarity, one case and one size (`_run`): a glyph of a photograph's texture read as a
    letter of another case, or past the run's end, is no panel letter. [] unless exactly one polarity and case gives
    the longest run."""
    runs: list[list[PrintedLetter]] = [[]]
    for polarity in polarities:
        letters = [printed for printed, confidence in polarity if confidence >= _MIN_CONFIDENCE]
        runs += [_run(letters, upper) for upper in (True, False)]
    longest = max(map(len, runs))
    best = [run for run in runs if len(run) == longest]
    return best[0] if longest >= 2 and len(best) == 1 else []


def letters_on_a_grid(polarities: list[list[tuple[PrintedLetter, float]]], named: int) -> list[PrintedLetter]:
    """The `named` letters a, b, ... of a plate laid out in rows and columns (read along the rows), where the letters
    read surely (_SURE_READING, once each, of either polarity, one case and one size) stand each at its own place: in
    line (within a letter's height) with the others of its row and of its column, rows downwards, columns rightwards,
    and more of them than rows or columns, a letter in each. The letters not read (a dark letter on a dark lung, a
    white one whose outline joins the ground) are put at their places, in the letters' size (eight CT
    slices a-h in 4 rows of 2, meeting with no gutter; b, d, f, g, h read, b white on the scan, the others dark).
    [] where no grid holds them."""
    sure = [printed for polarity in polarities for printed, confidence in polarity if confidence >= _SURE_READING]
    for upper in (False, True):
        reads = [_read_as(sure, name, upper) for name in letter_run("a", named)]
        read = {index: same[0] for index, same in enumerate(reads) if len(same) == 1}
        if not read or not _one_size(list(read.values())):
            continue
        for columns in (n for n in range(1, named + 1) if named % n == 0):
            if placed := _placed_on_grid(read, named, columns, upper):
                return placed
    return []


def _placed_on_grid(read: dict[int, PrintedLetter], named: int, columns: int, upper: bool) -> list[PrintedLetter]:
    """Every letter of a grid of `columns` columns, those read where they stand and the rest at the place their row
    and column give, or [] (see `letters_on_a_grid`)."""
    rows = named // columns
    if len(read) <= max(rows, columns):
        return []  # every letter read pins a row or a column of its own: nothing checks the grid
    height = int(np.median([p.box[3] - p.box[1] for p in read.values()]))
    width = int(np.median([p.box[2] - p.box[0] for p in read.values()]))
    in_columns = [[p.box[0] for i, p in read.items() if i % columns == column] for column in range(columns)]
    in_rows = [[p.box[1] for i, p in read.items() if i // columns == row] for row in range(rows)]
    lines = [*in_columns, *in_rows]
    if not all(line and max(line) - min(line) <= height for line in lines):
        return []
    lefts, tops = [min(line) for line in in_columns], [min(line) for line in in_rows]
    if not all(b - a > height for places in (lefts, tops) for a, b in zip(places, places[1:], strict=False)):
        return []
    return [
        read.get(i)
        or PrintedLetter(
            name, (lefts[i % columns], tops[i // columns], lefts[i % columns] + width, tops[i // columns] + height)
        )
        for i, name in enumerate(letter_run("A" if upper else "a", named))
    ]


def _one_letter(text: str) -> str | None:
    """The letter a reading names: a letter alone ("B", "(b)", "b."), or, of a letter whose small form is its capital
    made smaller (c, o, s, ...), both forms ("Cc": Tesseract cannot tell them apart), given as "c?" (either case)."""
    if match := LETTER_ALONE.match(text):
        return match.group(1)
    if len(text) == 2 and text[0].lower() == text[1].lower() and text[0] != text[1] and text[0].isalpha():
        return text[0].lower() + _EITHER_CASE
    return None


def _run(letters: list[PrintedLetter], upper: bool) -> list[PrintedLetter]:
    """The letters of one case (`upper`) that run a, b, c, ... from a, each read once and all in one size, in
    the case given; [] where the run is shorter than two or a letter of it is read twice but for one reading in line
    with a letter before it (`_in_line`): a chart's "β" of "β-actin" read as "B" stands in line with no panel letter."""
    run: list[PrintedLetter] = []
    for name in letter_run("a", 26):
        same = _read_as(letters, name, upper)
        if len(same) > 1:
            same = [printed for printed in same if any(_in_line(printed, before) for before in run)]
            if len(same) != 1:
                return []
        if not same:
            break
        run += same
    return run if len(run) >= 2 and _one_size(run) else []


def _in_line(printed: PrintedLetter, before: PrintedLetter) -> bool:
    """Whether a letter stands in the row or the column of one read before it: its top or its left within that
    letter's height of the other's (panel letters are set at their panels' corners, and panels in rows and columns)."""
    height = before.box[3] - before.box[1]
    return abs(printed.box[1] - before.box[1]) <= height or abs(printed.box[0] - before.box[0]) <= height


def _read_as(letters: list[PrintedLetter], name: str, upper: bool) -> list[PrintedLetter]:
    """The letters read as `name` in the case given (`upper`), each named so."""
    named = name.upper() if upper else name
    return [
        PrintedLetter(named, p.box) for p in letters if p.letter.lower().startswith(name) and _of_case(p.letter, upper)
    ]


def _one_size(letters: list[PrintedLetter]) -> bool:
    heights = [printed.box[3] - printed.box[1] for printed in letters]
    return max(heights) <= _ONE_SIZE * min(heights)


def _of_case(letter: str, upper: bool) -> bool:
    return letter.endswith(_EITHER_CASE) or letter.isupper() == upper


def _letter_glyphs(ink: np.ndarray, shape: tuple[int, ...], least: float) -> list[_Glyph]:
    """Each glyph of `ink` (connected pixels) of a panel letter's size (`least` of the picture's shorter side to
    _LETTER_HEIGHT's most of its mean side; `shape`: the picture's) and shape with no glyph beside it but a bracket:
    (its box, its picture dark on white). A word's letters stand closer together than a space."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    low, high = least * min(shape[:2]), _LETTER_HEIGHT[1] * math.sqrt(shape[0] * shape[1])
    sized = [(i, *map(int, stats[i][:4])) for i in range(1, count) if low <= stats[i][3] <= high]
    glyphs = []
    for i, x, y, w, h in sized:
        if not _LETTER_WIDTH[0] * h <= w <= _LETTER_WIDTH[1] * h:
            continue
        beside = [
            (w2, h2)
            for j, x2, y2, w2, h2 in sized
            if j != i
            and min(y + h, y2 + h2) - max(y, y2) >= 0.5 * min(h, h2)
            and max(x2 - (x + w), x - (x2 + w2)) < _LETTER_SPACE * h
        ]
        if all(w2 <= _BRACKET[0] * h2 and h2 >= _BRACKET[1] * h for w2, h2 in beside):
            image = np.where(labels[y : y + h, x : x + w] == i, 0, 255).astype(np.uint8)
            glyphs.append(((x, y, x + w, y + h), image))
    return glyphs


def parts_at_letters(
    grey: np.ndarray, letters: list[PrintedLetter]
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    """The picture cut into a part per letter at its gutter lines (paper, a rule or a seam across the part),
    columns before rows, again within each part until each holds one letter; each trimmed to its ink. A band no letter stands in
    belongs to the lettered band over it (a panel's letter is printed at its top) unless it lies under letters side
    by side and runs across from one's column into the next: a table or key under two lettered photographs is a
    panel of its own (held-out 11 Frontiers Figure 4). [] when some part holds two letters that no gutter line
    parts."""
    parts = _cut(grey, (0, 0, grey.shape[1], grey.shape[0]), letters)
    return [(_trimmed(grey, box), letter) for box, letter in parts] if parts else []


def _cut(
    grey: np.ndarray, part: tuple[int, int, int, int], letters: list[PrintedLetter]
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    if len(letters) == 1:
        return [(part, letters[0].letter)]
    for axis in (1, 0):  # columns first: a column's letters stand over one another, its bands under its letter
        slices = _slices(grey, part, axis)
        held = [[p for p in letters if _centre_in(p.box, s, axis)] for s in slices]
        slices, held = _letters_to_their_panels(slices, held, axis)
        groups = _lettered_slices(grey, slices, held, axis)
        if len(groups) < 2:
            continue
        parts: list[tuple[tuple[int, int, int, int], str | None]] = []
        for box, inside in groups:
            if not inside:
                parts.append((box, None))
                continue
            cut = _cut(grey, box, inside)
            if not cut:
                return []
            parts += cut
        return parts
    return _across_least_ink(grey, part, letters) or _at_corners(part, letters)


def _at_corners(
    part: tuple[int, int, int, int], letters: list[PrintedLetter]
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    """Photographs laid edge to edge with no gutter or seam between them (two of one tone): a composite prints each
    letter at one inset from its panel's upper left corner, so the inset of the letter nearest the part's corner
    places every panel's corner (from the letters' left edges and baselines: a small letter without an ascender
    stands lower). The part is cut at those corners' lines, columns before rows, again within each slice, where
    every slice has a letter at its own corner (a wide photograph over two: rows first). [] when no cut does."""
    reach = min(p.box[3] - p.box[1] for p in letters) / 2
    inset = (min(p.box[0] for p in letters) - part[0], min(p.box[3] for p in letters) - part[1])
    corners = {p: (p.box[0] - inset[0], p.box[3] - inset[1]) for p in letters}
    return _cut_at_corners(part, corners, reach)


def _cut_at_corners(
    part: tuple[int, int, int, int], corners: dict[PrintedLetter, tuple[float, float]], reach: float
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    if len(corners) == 1:
        return [(part, next(iter(corners)).letter)]
    for axis in (0, 1):  # 0: cut at the corners' x (columns), 1: at their y (rows)
        start, end = part[axis], part[axis + 2]
        lines = _lines_of([corner[axis] for corner in corners.values() if corner[axis] - start > reach], reach)
        bounds = [start, *(round(line) for line in lines), end]
        slices = [
            (a, part[1], b, part[3]) if axis == 0 else (part[0], a, part[2], b)
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        held = [{p: c for p, c in corners.items() if s[axis] - reach <= c[axis] < s[axis + 2] - reach} for s in slices]
        if len(slices) < 2 or not all(_letter_at_corner(s, h, reach) for s, h in zip(slices, held, strict=True)):
            continue
        parts = [_cut_at_corners(s, h, reach) for s, h in zip(slices, held, strict=True)]
        if all(parts):
            return [cell for cells in parts for cell in cells]
    return []


def _across_least_ink(
    grey: np.ndarray, part: tuple[int, int, int, int], letters: list[PrintedLetter]
) -> list[tuple[tuple[int, int, int, int], str | None]]:
    """Drawings on paper that an arrow or a leader line joins, so that no gutter line parts their letters (held-out 4
    Figure 15: an ovary "I" over a trachea "II", an arrow between them): the part cut between two letters, rows before
    columns, on the line there with the least ink (the middle one among equals), when that line is paper but for the
    strokes that cross it (`_PAPER_LINE`; photographs laid edge to edge are `_at_corners`' case: no line between
    them is paper), again within each piece. [] when no such line parts them."""
    for axis in (0, 1):  # 0: a cut across the rows, 1: across the columns
        at = 1 - axis  # where a letter's box starts along the cut's direction (its end at + 2)
        ordered = sorted(letters, key=lambda p: p.box[at])
        gaps = [(a.box[at + 2], b.box[at]) for a, b in zip(ordered, ordered[1:], strict=False)]
        gap = next(((start, end) for start, end in gaps if end > start), None)
        if gap is None:
            continue
        x0, y0, x1, y1 = part
        lines = grey[gap[0] : gap[1], x0:x1] if axis == 0 else grey[y0:y1, gap[0] : gap[1]].T
        inked = (lines < PAPER).mean(axis=1)
        middle = (len(inked) - 1) / 2
        best = min(range(len(inked)), key=lambda i: (inked[i], abs(i - middle)))
        if inked[best] > 1 - _PAPER_LINE:
            continue
        cut = gap[0] + best
        first = (x0, y0, x1, cut) if axis == 0 else (x0, y0, cut, y1)
        second = (x0, cut, x1, y1) if axis == 0 else (cut, y0, x1, y1)
        before = [p for p in letters if (p.box[at] + p.box[at + 2]) / 2 < cut]
        if not 0 < len(before) < len(letters):
            continue
        one = _cut(grey, first, before)
        two = _cut(grey, second, [p for p in letters if p not in before])
        if one and two:
            return one + two
    return []


def _letter_at_corner(
    part: tuple[int, int, int, int], corners: dict[PrintedLetter, tuple[float, float]], reach: float
) -> bool:
    return any(abs(x - part[0]) <= reach and abs(y - part[1]) <= reach for x, y in corners.values())


def _lines_of(places: list[float], reach: float) -> list[float]:
    """The first place of each group of `places` lying within `reach` of the one before it, in order."""
    ordered = sorted(places)
    return [place for i, place in enumerate(ordered) if i == 0 or place - ordered[i - 1] > reach]


def _slices(grey: np.ndarray, part: tuple[int, int, int, int], axis: int) -> list[tuple[int, int, int, int]]:
    """`part` cut at each run of gutter lines across it (rows when `axis` is 0, columns when 1), its margins left
    out."""
    x0, y0, x1, y1 = part
    piece = grey[y0:y1, x0:x1]
    spans = _runs(~gutter_lines(piece if axis == 0 else piece.T))
    start = y0 if axis == 0 else x0
    return [(x0, start + a, x1, start + b) if axis == 0 else (start + a, y0, start + b, y1) for a, b in spans]


def _letters_to_their_panels(
    slices: list[tuple[int, int, int, int]], held: list[list[PrintedLetter]], axis: int
) -> tuple[list[tuple[int, int, int, int]], list[list[PrintedLetter]]]:
    """The slices, each holding letters but too narrow across the cut to be a panel (MIN_PANEL_SHARE of the part)
    joined to the slice after it, with its letters: letters printed in a gutter beside their panels (held-out 26 emi2020 Figure 1: "A",
    "B", "D", "F" down the left margin, "C" and "E" within the plate) make a slice of their own, no panel."""
    along = 1 - axis  # a slice's extent across the cut: its box's x (columns, axis 1) or y (rows, axis 0)
    least = MIN_PANEL_SHARE * (slices[-1][along + 2] - slices[0][along]) if slices else 0
    joined: list[tuple[int, int, int, int]] = []
    holding: list[list[PrintedLetter]] = []
    carried: tuple[tuple[int, int, int, int], list[PrintedLetter]] | None = None
    for box, inside in zip(slices, held, strict=True):
        if carried:
            box, inside = _joined(carried[0], box), carried[1] + inside
            carried = None
        if inside and box[along + 2] - box[along] < least:
            carried = (box, inside)
            continue
        joined.append(box)
        holding.append(inside)
    if carried:  # letters after the last panel: theirs
        joined[-1:] = [_joined(joined[-1], carried[0])] if joined else [carried[0]]
        holding[-1:] = [holding[-1] + carried[1]] if holding else [carried[1]]
    return joined, holding


def _centre_in(box: tuple[int, int, int, int], part: tuple[int, int, int, int], axis: int) -> bool:
    centre = (box[1] + box[3]) / 2 if axis == 0 else (box[0] + box[2]) / 2
    return (part[1] <= centre < part[3]) if axis == 0 else (part[0] <= centre < part[2])


def _lettered_slices(
    grey: np.ndarray, slices: list[tuple[int, int, int, int]], held: list[list[PrintedLetter]], axis: int
) -> list[tuple[tuple[int, int, int, int], list[PrintedLetter]]]:
    """The slices joined into one per lettered slice: each run of slices holding no letter joins the lettered slice
    before it (the first such run, the one after it), or is a part of its own (no letters) where it is a band under
    letters side by side that its ink runs across (`_across_letters`)."""
    groups: list[tuple[tuple[int, int, int, int], list[PrintedLetter]]] = []
    waiting: tuple[int, int, int, int] | None = None  # slices before the first letter
    for box, inside in zip(slices, held, strict=True):
        if inside:
            groups.append((_joined(waiting, box) if waiting else box, inside))
            waiting = None
        elif not groups:
            waiting = _joined(waiting, box) if waiting else box
        elif groups[-1][1] and axis == 0 and _across_letters(grey, box, groups[-1][1]):
            groups.append((box, []))
        elif groups[-1][1]:
            groups[-1] = (_joined(groups[-1][0], box), groups[-1][1])
        else:
            groups[-1] = (_joined(groups[-1][0], box), [])
    return groups


def _across_letters(grey: np.ndarray, band: tuple[int, int, int, int], letters: list[PrintedLetter]) -> bool:
    """Whether the band's ink runs from left of a letter that has another letter to its left into that letter's
    column, across the gutter before it (ink within a letter's height left of the letter): it belongs to no one
    letter's panel (a table under two photographs). Labels under charts side by side (each chart's axis title)
    leave that gutter blank, each under its own letter."""
    x0, y0, x1, y1 = _trimmed(grey, band)
    inked = (grey[y0:y1] < PAPER).any(axis=0)
    return any(
        x0 < p.box[0] < x1
        and any(q.box[2] <= p.box[0] for q in letters)
        and inked[max(0, p.box[0] - (p.box[3] - p.box[1])) : p.box[0]].any()
        for p in letters
    )


def _joined(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _trimmed(grey: np.ndarray, part: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The part's box shrunk to the pixels in it that are not paper."""
    x0, y0, x1, y1 = part
    inked = grey[y0:y1, x0:x1] < PAPER
    rows, columns = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    if rows.size == 0:
        return part
    return (x0 + int(columns[0]), y0 + int(rows[0]), x0 + int(columns[-1]) + 1, y0 + int(rows[-1]) + 1)

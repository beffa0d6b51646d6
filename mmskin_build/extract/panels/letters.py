"""Panel letters: the letters a figure prints or its caption names, and assigning them to panels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import TextLine
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.subcaptions import printed_upper
from mmskin_build.extract.text import join_lines
from mmskin_build.text.panel_markers import (
    LETTER_ALONE,
    NUMERAL_ALONE,
    PANEL_TITLE,
    ROMAN_NUMERALS,
    SUBFIGURE_CAPTION,
    letter_run,
    letters_reached,
    places_named,
)

_LETTER_DISTANCE = 20.0  # a panel letter printed under or over its panel, at most this far (points)
_CORNER_REACH_SIZES = 1.5  # a letter at a panel's upper left corner ends at most this many of its heights left of it
# The rows of a sub-caption printed under a panel stand at most this far apart (in its font sizes), each starting
# no further left than its first row by `_SUBCAPTION_OUTDENT_EM` and no further right than its hanging indent.
_SUBCAPTION_ROW_GAP_EM = 0.6
_SUBCAPTION_OUTDENT_EM = 0.5
_SUBCAPTION_HANG_EM = 3.0


@dataclass(slots=True)
class PanelBox:
    box: Box
    letter: str | None = None
    subcaption: str | None = None
    group: int | None = None  # the caption letter (0: the first) naming a group of pictures this panel is one of


def printed_letters(region: FigureRegion) -> int:
    return sum(1 for line in region.texts if LETTER_ALONE.match(line.text.strip()))


def subcaption_letters(region: FigureRegion) -> int:
    """Panel letters printed in the figure: alone ("b") or opening a sub-caption under a part ("(b) SciBERT"),
    counted when they run a, b, c, ... in order."""
    marks = [letter_mark(line.text) for line in region.texts]
    letters = sorted({mark.group(1).lower() for mark in marks if mark})
    return len(letters) if letters == letter_run("a", len(letters)) else 0


def printed_numerals(region: FigureRegion) -> list[tuple[str, Box]]:
    """The roman numerals printed alone in the figure that number its panels I, II, III, ... (held-out 4 entomology
    Figure 15: three drawings, "I" and "II" in one raster joined by an arrow), each as printed ("II", "ii") with its
    box: of one case, each once, from I on without a gap; [] for fewer than two (a lone "I" is also a letter)."""
    marks = {
        match.group(1).lower(): (match.group(1), line.box)
        for line in region.texts
        if (match := NUMERAL_ALONE.match(line.text.strip()))
    }
    run = list(takewhile(lambda numeral: numeral in marks, ROMAN_NUMERALS))
    one_case = len({printed.isupper() for printed, _ in marks.values()}) == 1
    named = sum(1 for line in region.texts if NUMERAL_ALONE.match(line.text.strip()))
    if len(run) < 2 or len(run) != named or not one_case:
        return []
    return [marks[numeral] for numeral in run]


def caption_letters_named(region: FigureRegion) -> int:
    """How many panels the letters the caption names reach (`letters_reached`; papers VESPA Figure 2 cites "(C)" in
    passing: "as shown on the left most side of (C)")."""
    if region.caption is None:
        return 0
    return letters_reached(region.caption.text[region.caption.label_end :])


def caption_places_named(region: FigureRegion) -> int:
    """How many pictures the caption names by their places instead of letters (`places_named`): held-out 20 p. 295,
    "Good (left) and poor (right) attachment of infant to the mother's breast"."""
    if region.caption is None:
        return 0
    return places_named(region.caption.text[region.caption.label_end :])


def letter_mark(text: str) -> re.Match[str] | None:
    """A panel letter printed alone ("b"), opening a sub-caption under a part ("(b) SciBERT") or a title over it
    ("b. The Comoros")."""
    return LETTER_ALONE.match(text.strip()) or SUBFIGURE_CAPTION.match(text) or PANEL_TITLE.match(text)


def assign_letters(panels: list[PanelBox], region: FigureRegion, subcaptions: dict[str, str]) -> None:
    """Letters printed in or next to the panels (text layer) win; panels left without one take the
    caption's remaining letters in reading order when the counts agree, or the letter of their group where the
    caption's letters name groups of panels. A sub-caption printed under a panel ("(a) SPECTER") gives its letter, and
    its text where the caption describes no panels."""
    printed: dict[str, str] = {}
    marks = _panel_marks(region, len(panels))
    side = _letter_side([line.box for line, _ in marks], [panel.box for panel in panels])
    for line, match in marks:
        printed[match.group(1).lower()] = _printed_subcaption(line, match, region)
        corner = [panel for panel in panels if panel.letter is None and _at_top_left(line.box, panel.box)]
        if len(corner) == 1:
            corner[0].letter = match.group(1)
            continue
        near = [
            (panel.box.gap(line.box), panel)
            for panel in panels
            if panel.letter is None
            and panel.box.x0 - 4 <= line.box.cx <= panel.box.x1 + 4
            and panel.box.gap(line.box) <= _LETTER_DISTANCE
            and (panel.box.gap(line.box) == 0 or side is None or _on_side(line.box, panel.box, side))
        ]
        if near:
            min(near, key=lambda pair: pair[0])[1].letter = match.group(1)
    letters = list(subcaptions)
    grouped = _group_letters(panels, letters)
    if len(letters) == len(panels) or grouped:
        unused = iter(letter for letter in letters if letter not in {(p.letter or "").lower() for p in panels})
        upper = any(p.letter and p.letter.isupper() for p in panels) or (
            not any(p.letter for p in panels)
            and region.caption is not None
            and printed_upper(region.caption.text[region.caption.label_end :])
        )
        for i, panel in enumerate(panels):
            if panel.letter is None:
                letter = grouped[i] if grouped else next(unused, None)
                panel.letter = letter.upper() if letter and upper else letter
    for panel in panels:
        if panel.letter is not None:
            panel.subcaption = subcaptions.get(panel.letter.lower()) or printed.get(panel.letter.lower()) or None


def _group_letters(panels: list[PanelBox], letters: list[str]) -> list[str]:
    """Each panel's letter where the caption's letters name groups of the panels (`PanelBox.group`, set by the panel
    search): the letter of its group, every letter naming one or more panels and the letters printed with the panels
    agreeing (held-out 14 Figure 4.15, "(a)" naming a drawing and a micrograph: both panels are (a) and take its
    sub-caption, so the caption's text about them is not lost). [] when the panels are not grouped so."""
    groups = [panel.group for panel in panels]
    if len(letters) < 2 or None in groups or set(groups) != set(range(len(letters))):
        return []
    named = [letters[group] for group in groups if group is not None]
    if any(p.letter and p.letter.lower() != letter for p, letter in zip(panels, named, strict=True)):
        return []
    return named


def _printed_subcaption(line: TextLine, mark: re.Match[str], region: FigureRegion) -> str:
    """The text after a panel's letter printed under it ("(a) Mesenchymal cells group into clusters, and"), with the
    rows of the same size under it that go on from it: left-aligned with it, or hanging under its text as LaTeX's
    subcaption sets them ("ossification centers form."), as long as the first row or longer where it is set ragged
    right (Typst's grid cells) up to the next panel's sub-caption beside it; not a row of that sub-caption."""
    rows = [line]
    size = line.font_size
    beside = [
        o.box.x0
        for o in region.texts
        if o.box.x0 > line.box.x1 and o.box.v_overlap(line.box) > 0 and letter_mark(o.text)
    ]
    right = min(beside, default=max(line.box.x1, region.box.x1)) + _SUBCAPTION_OUTDENT_EM * size
    below = sorted((other for other in region.texts if other.box.top > line.box.bottom - 1), key=lambda o: o.box.top)
    for other in below:
        last = rows[-1].box
        if other.box.top - last.bottom > _SUBCAPTION_ROW_GAP_EM * size:
            break
        goes_on = (
            other.box.top >= last.bottom - 1
            and abs(other.font_size - size) <= 0.1 * size
            and line.box.x0 - _SUBCAPTION_OUTDENT_EM * size <= other.box.x0 <= line.box.x0 + _SUBCAPTION_HANG_EM * size
            and other.box.x1 <= right
            and letter_mark(other.text) is None
        )
        if goes_on:
            rows.append(other)
    return join_lines([line.text[mark.end() :]] + [row.text for row in rows[1:]])


def _panel_marks(region: FigureRegion, panels: int) -> list[tuple[TextLine, re.Match[str]]]:
    """The figure's printed panel letters with their lines. When the letters printed alone or opening a sub-caption
    do not name the panels (a, b, ... as many as there are panels) but those of one style do, bracketed ("(a)") or
    bare ("A"), only those: letters that label bands or spots inside the pictures (a gel's bands A-U) are bare,
    the panel letters over them bracketed."""
    marks = [(line, match) for line in region.texts if (match := letter_mark(line.text))]

    def names_each_panel(chosen: list[tuple[TextLine, re.Match[str]]]) -> bool:
        return sorted({match.group(1).lower() for _, match in chosen}) == letter_run("a", panels)

    if names_each_panel(marks):
        return marks
    for bracketed in (True, False):
        style = [(line, match) for line, match in marks if line.text.strip().startswith("(") == bracketed]
        if names_each_panel(style):
            return style
    return marks


def _at_top_left(letter: Box, panel: Box) -> bool:
    """Whether `letter` is set at the panel's upper left corner, level with its top and just left of its edge (up to
    its own width inside it): a drawing's letter there may stand over the white of the panel to its left, whose box
    reaches under it (WHO pocket book p. 288: "B" 5 pt left of drawing B, inside drawing A's box)."""
    return (
        panel.x0 - _CORNER_REACH_SIZES * letter.height <= letter.x1 <= panel.x0 + letter.width
        and abs(letter.top - panel.top) <= letter.height
    )


def _letter_side(letters: list[Box], panels: list[Box]) -> str | None:
    """Where a figure prints its panel letters outside the panels, when some letter shows it: "below" when a
    letter has a panel right above it and none below (it is under the bottom row), "above" the other way round.
    Letters between two rows of panels are then read the same way ("(a)" under the top row is not the label of
    the row below it, although it may be as near to it)."""
    for letter in letters:
        column = [panel for panel in panels if panel.x0 - 4 <= letter.cx <= panel.x1 + 4 and panel.gap(letter) > 0]
        above = [panel for panel in column if panel.bottom <= letter.cy and panel.gap(letter) <= _LETTER_DISTANCE]
        below = [panel for panel in column if panel.top >= letter.cy]
        if above and not below:
            return "below"
        if below and not above and min(panel.gap(letter) for panel in below) <= _LETTER_DISTANCE:
            return "above"
    return None


def _on_side(letter: Box, panel: Box, side: str) -> bool:
    return panel.bottom <= letter.cy if side == "below" else panel.top >= letter.cy

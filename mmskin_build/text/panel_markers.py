"""Panel markers inside a caption: "(a)", "(B)", or "A," / "B:" / "C." / "D)" at a sentence start. Extract splits
sub-captions at them; curate keeps the caption's lead, the text before the first one, with each panel's
sub-caption. One pattern for both, so the two stages cut captions at the same places."""

from __future__ import annotations

import re

# The panel letters a marker may name: a 3 x 4 plate runs a to l. Letters past `LAST_FREE` are also a roman numeral
# ("(i) first (ii) second"), a pronoun ("I think") or a symbol ("K, potassium"), so a marker naming one counts only
# when it goes on from the marker found before it (`panel_marks`): "(h) ... (i) ...".
LETTERS = "a-l"
LAST_FREE = "h"
LETTER = f"[{LETTERS}{LETTERS.upper()}]"
_CAPITAL = f"[{LETTERS.upper()}]"
_SMALL = f"[{LETTERS}]"
_SMALL_FREE = f"[a-{LAST_FREE}]"  # a line of its own has no marker before it to go on from
# Between a range's letters: a hyphen, an en dash, or the Unicode hyphens and minus that typesetters put there ("A‐D").
DASH = "[-–\u2010\u2011\u2012\u2212]"
# Between a list's letters: "a, b", "A and B", "(b, and c)" with the serial comma; in a bracket also "(a & b)" (out of
# one, "H&E, ..." names a stain, not panels H and E).
_LIST_JOIN = r"(?:,\s*and\s|,|\s+and\s)"
# `\s*and`: SHARED_MARK's `\s*` before a join has taken the space already ("A and B Histology ...").
_LIST_JOIN_IN_BRACKETS = r"(?:,\s*(?:and|&)\s|,|\s*and\s|\s*&)"


def _marked_group(letter: str) -> str:
    """A pattern for one letter of the class `letter`, or a range or list of them: group 1 the first letter, group 2
    a range's last ("B-F"), group 3 a list's letters after the first ("E, F"), as `mark_letters` reads them."""
    return rf"({letter})(?:\s*{DASH}\s*({letter})|((?:{_LIST_JOIN}\s*{letter})+))?"


# "(a)", or a group of letters sharing one description: "(b–d)", "(a, b)", "(a and b)"; "(a): Biopsy ...": the colon
# belongs to the marker. A letter may carry words about its panel: "day 1 (a, green)" (group 4, "green").
PAREN_MARK = re.compile(
    rf"\(({LETTER})(?:\s*(?:{DASH}|to)\s*({LETTER})|((?:{_LIST_JOIN_IN_BRACKETS}\s*{LETTER}(?![A-Za-z]))+)"
    r"|,\s*([a-z][a-z ]*[a-z]))?\):?\s*"
)
# A capital letter opening a sentence: "A, ...", "B: ...", "C. ...", "D) ..."; "A. ..." or "A) ..." also after the colon
# that ends a label or title ("worms: A. Representative ..."), and "E) ..." anywhere after a space ("..., E) the
# luciferase assay"; `panel_marks` drops one closing a bracket, "(group A)"). Not "A, ..." after a colon, which
# opens a list of abbreviations ("Abbreviations: A, anterior"), nor "Fig. 2A." (no space before the letter). Any opening
# a line where the caller keeps its line breaks ("... fracture\nA. X-ray ...": a title without a full stop, each
# sub-caption set on lines of its own).
# A group of capital letters marks alike: a range "B-F: ...", "E-F) ..." (group 2, its last letter) or a list "E, F.
# ..." (group 3, the letters after the first). Letters with a colon, or a full stop before a capital or a number, may
# open a bracket that holds their texts, set apart by semicolons: "(A: Paw demonstration; B: Mouth demonstration)",
# "(A. 1990; B. 1991; ...)"; not a species' initial, "(A. baumannii)".
_CAPITALS = _marked_group(_CAPITAL)
_CAPITALS_AHEAD = rf"{_CAPITAL}(?:\s*{DASH}\s*{_CAPITAL}|(?:{_LIST_JOIN}\s*{_CAPITAL})+)?"
COMMA_MARK = re.compile(
    rf"(?:^|(?<=[.;]\s)|(?<=\n)|(?<=:\s)(?={_CAPITALS_AHEAD}[.)])|(?<=\s)(?={_CAPITALS_AHEAD}\))"
    rf"|(?<=\()(?={_CAPITALS_AHEAD}(?::|\.\s+[A-Z0-9])))"
    rf"{_CAPITALS}(?![A-Za-z])[,:.)]\s+"
)
# Springer's style: a bare lower-case letter opening a sentence, its description in capitals after it ("Psoriasis.
# a Plaques on the elbows. b Nail pitting."); a sentence does not open with a lower-case "a" otherwise. A group of
# letters marks alike: a list "c, d A 60-year-old ..." (group 3, the letters after the first) or a range "a–c Clinical
# ..." (group 2, its last letter). A number may follow the letter ("f 4 days later") where the letter goes on from
# the marker before it (`panel_marks`): "a 4-year-old" opening a caption is an article. Nature's style sets a comma
# after the letters: "a, Schematic of the construct. b,c, Representative images ...".
BARE_MARK = re.compile(rf"(?:^|(?<=[.;]\s))(?<!e\.g\.\s)(?<!i\.e\.\s){_marked_group(_SMALL)},?\s+(?=[A-Z]|\d)")
# A sub-caption printed under its part of a figure: "(a) SPECTER", "(b) Test error".
SUBFIGURE_CAPTION = re.compile(rf"^\(({_SMALL_FREE})\)\s")
# A panel's title printed over it, opening with its letter and a full stop: "a. Burkina Faso", "b. The Comoros".
PANEL_TITLE = re.compile(rf"^({_SMALL_FREE})\.\s+(?=[A-Z])")


# A group of letters sharing one description where a caption opens with it: "A and B", "(a)-(c)", "c, d". A range's end
# is not "a": "A to a depth" is an article.
_ONE = rf"\(?{LETTER}(?![A-Za-z])\)?"
_RANGE_END = rf"\(?(?![Aa]){LETTER}(?![A-Za-z])\)?"
SHARED_MARK = re.compile(rf"({_ONE})\s*(?:{_LIST_JOIN_IN_BRACKETS}\s*{_ONE}\s*)*(?:(?:{DASH}|to)\s*({_RANGE_END}))?")

# A picture named by its place instead of a letter, alone or with a word for a picture: "Good (left) and poor (right)
# attachment", "(top photo)", "at pH 5.5 (top traces) ... pH 7 (lower traces)", "Left: relative error. Right: running
# time." (`places_named`). Not a place inside a picture: "(right side only)", "(below the stage)", "(top in blue)".
_PLACE = r"(left|right|top|bottom|upper|lower|middle|centre|center)"
_PICTURE_WORD = r"(?:\s+(?:panel|photo|photograph|image|picture|drawing|plot|graph|chart|trace|row|column)s?)?"
PLACE_MARK = re.compile(rf"\((?i:{_PLACE}){_PICTURE_WORD}\)|(?:^\s*|(?<=[.;:]\s))(?i:{_PLACE}){_PICTURE_WORD}:")
_SAME_PLACE = {"upper": "top", "lower": "bottom", "middle": "centre", "center": "centre"}

# A panel's letter opening the line at its top-left corner, alone or before the panel's title: "B", "(C) Zimbabwe",
# "A Intervention strategies".
PANEL_HEAD = re.compile(rf"^\(?({LETTER})\)?(?=\s|$)")

# A line that is a panel letter and nothing else, printed on or beside its panel: "(a)", "B", "c.".
LETTER_ALONE = re.compile(r"^\(?([A-Za-z])\)?[.:]?$")

# A roman numeral printed alone on or beside its panel, the mark of figures that number their panels I, II, III
# (drawings of a stage each): "II", "(iii)", "IV.".
NUMERAL_ALONE = re.compile(r"^\(?(i{1,3}|iv|vi{0,3}|ix|x)\)?[.:]?$", re.IGNORECASE)
ROMAN_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")

# A panel letter standing alone in a group of markers ("A and B", "(a, b)"): not the "a" of "and".
LONE_LETTER = re.compile(rf"(?<![A-Za-z]){LETTER}(?![A-Za-z])")


def letter_run(first: str, count: int) -> list[str]:
    """`count` letters from `first` on: letter_run("b", 3) == ["b", "c", "d"]."""
    return [chr(ord(first) + i) for i in range(count)]


def letters_through(first: str, last: str) -> list[str]:
    """A range of panel letters, in lower case: "B" through "d" is b, c, d."""
    first, last = first.lower(), last.lower()
    return letter_run(first, ord(last) - ord(first) + 1)


def mark_letters(mark: re.Match[str]) -> list[str]:
    """The lower-case letters a marker names: "(b–d)" and "B-D)" name b, c and d, "(a and b)" and "A, B." a and b."""
    first = mark.group(1).lower()
    if mark.re.groups < 3 or not (mark.group(2) or mark.group(3)):
        return [first]
    if mark.group(2):
        return letters_through(first, mark.group(2))
    return [first, *(letter.lower() for letter in LONE_LETTER.findall(mark.group(3)))]


def panel_marks(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The markers of one kind in `text`, without a bare letter that closes a bracket opened before it ("(group A)
    ..." is no marker "A) ..."), nor one past `LAST_FREE` that does not go on from the marker before it."""
    marks: list[re.Match[str]] = []
    for mark in pattern.finditer(text):
        before = marks[-1] if marks else None
        numbered = _before_a_number(text, mark) and not _next_after(mark, before)
        if not _closes_bracket(text, mark) and goes_on(mark, before) and not numbered:
            marks.append(mark)
    return marks


def goes_on(mark: re.Match[str], before: re.Match[str] | None) -> bool:
    """Whether `mark` may be a panel marker after `before` (the marker found before it, if any): any letter up to
    `LAST_FREE`, a later one only as the letter after `before`'s last ("(h) ... (i)", "(g–h) ... (i)")."""
    return mark.group(1).lower() <= LAST_FREE or _next_after(mark, before)


def _next_after(mark: re.Match[str], before: re.Match[str] | None) -> bool:
    """Whether `mark`'s first letter is the one after the last letter of `before` ("(h) ... (i)", "e ... f")."""
    last = mark_letters(before)[-1:] if before else []
    return last == [chr(ord(mark.group(1).lower()) - 1)]


def _before_a_number(text: str, mark: re.Match[str]) -> bool:
    """A bare letter followed by a number ("f 4 days later"): a marker only where it goes on from the one before."""
    return mark.re is BARE_MARK and text[mark.end() : mark.end() + 1].isdigit()


def _closes_bracket(text: str, mark: re.Match[str]) -> bool:
    before = text[: mark.start()]
    bare = mark.group(0).rstrip().endswith(")") and "(" not in mark.group(0)
    return bare and before.count("(") > before.count(")")


def first_marker(text: str) -> re.Match[str] | None:
    """The earliest panel marker in `text`, of any kind."""
    found = [marks[0] for marks in (panel_marks(p, text) for p in (PAREN_MARK, COMMA_MARK, BARE_MARK)) if marks]
    return min(found, key=lambda m: m.start(), default=None)


def places_named(text: str) -> int:
    """How many pictures `text` names by their places ("(left)", "(centre)", "(right)"; "upper" is "top", "center" and
    "middle" are "centre"): 0 for fewer than two places, as a lone "(left)" points into one picture."""
    places = {_SAME_PLACE.get(place, place) for place in map(_place, PLACE_MARK.finditer(text))}
    return len(places) if len(places) >= 2 else 0


def _place(mark: re.Match[str]) -> str:
    return (mark.group(1) or mark.group(2)).lower()


def letters_reached(text: str) -> int:
    """How many panels the letters named in a caption's text (after its label) reach, counted from a to the last one
    in any of its markers: a caption that cites "(C)" in passing, or whose letters the sub-caption parse does not
    take ("(A: Paw demonstration; B: Mouth demonstration)"), still speaks of panels a to c, or a and b."""
    named = {
        letter for p in (PAREN_MARK, COMMA_MARK, BARE_MARK) for m in panel_marks(p, text) for letter in mark_letters(m)
    }
    return ord(max(named)) - ord("a") + 1 if named else 0

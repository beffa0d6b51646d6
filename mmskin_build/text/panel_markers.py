"""Panel markers inside a caption: "(a)", "(B)", or "A," / "B:" / "C." / "D)" at a sentence start. Extract splits
sub-captions at them; curate keeps the caption's lead, the text before the first one, with each panel's
sub-caption. One pattern for both, so the two stages cut captions at the same places."""

from __future__ import annotations

import re

# "(a)", or a group of letters sharing one description: "(b–d)", "(a, b)", "(a and b)"; "(a): Biopsy ...": the colon
# belongs to the marker. A letter may carry words about its panel: "day 1 (a, green)" (group 4, "green").
PAREN_MARK = re.compile(
    r"\(([a-hA-H])(?:\s*(?:–|-|to)\s*([a-hA-H])|((?:\s*(?:,|and|&)\s*[a-hA-H](?![A-Za-z]))+)"
    r"|,\s*([a-z][a-z ]*[a-z]))?\):?\s*"
)
COMMA_MARK = re.compile(r"(?:^|(?<=[.;]\s))([A-H])[,:.)]\s+")
# Springer's style: a bare lower-case letter opening a sentence, its description in capitals after it ("Psoriasis.
# a Plaques on the elbows. b Nail pitting."); a sentence does not open with a lower-case "a" otherwise.
BARE_MARK = re.compile(r"(?:^|(?<=[.;]\s))(?<!e\.g\.\s)(?<!i\.e\.\s)([a-h])\s+(?=[A-Z])")
# A sub-caption printed under its part of a figure: "(a) SPECTER", "(b) Test error".
SUBFIGURE_CAPTION = re.compile(r"^\(([a-h])\)\s")


# A line that is a panel letter and nothing else, printed on or beside its panel: "(a)", "B", "c.".
LETTER_ALONE = re.compile(r"^\(?([A-Za-z])\)?[.:]?$")

# A panel letter standing alone in a group of markers ("A and B", "(a, b)"): not the "a" of "and".
LONE_LETTER = re.compile(r"(?<![A-Za-z])[a-hA-H](?![A-Za-z])")


def letter_run(first: str, count: int) -> list[str]:
    """`count` letters from `first` on: letter_run("b", 3) == ["b", "c", "d"]."""
    return [chr(ord(first) + i) for i in range(count)]


def letters_through(first: str, last: str) -> list[str]:
    """A range of panel letters, in lower case: "B" through "d" is b, c, d."""
    first, last = first.lower(), last.lower()
    return letter_run(first, ord(last) - ord(first) + 1)


def mark_letters(mark: re.Match[str]) -> list[str]:
    """The lower-case letters a marker names: "(b–d)" names b, c and d, "(a and b)" a and b."""
    first = mark.group(1).lower()
    if mark.re is not PAREN_MARK or not (mark.group(2) or mark.group(3)):
        return [first]
    if mark.group(2):
        return letters_through(first, mark.group(2))
    return [first, *(letter.lower() for letter in LONE_LETTER.findall(mark.group(3)))]


def first_marker(text: str) -> re.Match[str] | None:
    """The earliest panel marker in `text`, of any kind."""
    found = [m for m in (PAREN_MARK.search(text), COMMA_MARK.search(text), BARE_MARK.search(text)) if m]
    return min(found, key=lambda m: m.start(), default=None)

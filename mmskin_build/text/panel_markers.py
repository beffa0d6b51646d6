"""Panel markers inside a caption: "(a)", "(B)", or "A," / "B:" / "C." / "D)" at a sentence start. Extract splits
sub-captions at them; curate keeps the caption's lead, the text before the first one, with each panel's
sub-caption. One pattern for both, so the two stages cut captions at the same places."""

from __future__ import annotations

import re

PAREN_MARK = re.compile(r"\(([a-hA-H])\):?\s*")  # "(a): Biopsy ...": the colon belongs to the marker
COMMA_MARK = re.compile(r"(?:^|(?<=[.;]\s))([A-H])[,:.)]\s+")
# A sub-caption printed under its part of a figure: "(a) SPECTER", "(b) Test error".
SUBFIGURE_CAPTION = re.compile(r"^\(([a-h])\)\s")


def first_marker(text: str) -> re.Match[str] | None:
    """The earliest panel marker in `text`, of either kind."""
    found = [m for m in (PAREN_MARK.search(text), COMMA_MARK.search(text)) if m]
    return min(found, key=lambda m: m.start(), default=None)

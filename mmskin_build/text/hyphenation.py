"""Line-break hyphenation repair: "erythe-\\nmatous" -> "erythematous", but "well-\\ndefined" keeps its hyphen.

One rule for every text the tool reads: caption and body lines in extract, mentions, curated captions.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\ufffe"
"""pdfium's mark for a hyphen it judged to be line-end hyphenation (the line is kept joined)."""

# A hyphen that a line break (or a space) follows, or pdfium's soft hyphen: where a word may be split.
# "T-cell" (no break after the hyphen) never matches.
_BREAK = re.compile(rf"(?P<soft>{SOFT_HYPHEN})[ \t]*(?:\r?\n)?[ \t]*|-(?:[ \t]*\r?\n[ \t]*|[ \t]+)")
# The word before a break, whole: "branch-and-\nbound" sees "branch-and", a compound.
_LEFT = re.compile(r"(?<![^\W_-])[^\W_]++(?:-[^\W_]++)*+\Z")
_RIGHT = re.compile(r"[^\W_]+")
_LONGEST_WORD = 64
# Compounds that keep their hyphen when a line break falls on it ("well-defined", "45-year-old"). Prefixes
# that are mostly written closed ("re", "co", "pre", "non") are not listed: "re-\nflecting" is "reflecting".
_PREFIXES = frozenset("well ill self cross half x".split())
_SUFFIXES = frozenset(
    "year years month months week weeks day days old like shaped sided colored coloured defined demarcated "
    "induced associated related positive negative dependent type based free stained".split()
)
# "pre- and post-operative": a suspended compound, not a broken word.
_SUSPENDING = frozenset({"and", "or", "to", "nor"})


def repair_hyphenation(text: str) -> str:
    """Join words split by a line-break hyphen; keep the hyphen of real compounds.

    The hyphen stays when the left part already holds a hyphen ("branch-and-bound"), ends in a digit, is a symbol
    or acronym ("ACh-receptors", "IgE-mediated") or a compound prefix, the right part is a compound suffix, or the
    text elsewhere spells the word with a hyphen. A plain hyphen before a capital or a digit is left as it is (a
    dash, not hyphenation); pdfium's soft hyphen there becomes a plain one ("ASE-C").
    """
    if SOFT_HYPHEN not in text and "-" not in text:
        return text
    lower = text.lower()
    pieces: list[str] = []
    done = 0
    for split in _BREAK.finditer(text):
        left = _LEFT.search(text, max(done, split.start() - _LONGEST_WORD), split.start())
        right = _RIGHT.match(text, split.end())
        joined = _joined(left.group(), right.group(), bool(split["soft"]), lower) if left and right else None
        if joined is None:
            continue
        pieces += [text[done : left.start()], joined]
        done = right.end()
    pieces.append(text[done:])
    return "".join(pieces).replace(SOFT_HYPHEN, "-")


def _joined(left: str, right: str, soft: bool, lower: str) -> str | None:
    """The two halves joined, with or without the hyphen; None where the hyphen is no line-break hyphen."""
    if not right[0].islower():
        # A dash before a capital or a digit ("Psoriasis - Plaques"), or a name split by pdfium ("ASE-C").
        return f"{left}-{right}" if soft else None
    if not soft and right in _SUSPENDING:
        return None
    last = left.rsplit("-", 1)[-1]
    keep = (
        "-" in left
        or last[-1].isdigit()
        or _symbol(last)
        or last.lower() in _PREFIXES
        or right.lower() in _SUFFIXES
        or (f"{last}-{right}".lower() in lower and f"{last}{right}".lower() not in lower)
    )
    return f"{left}-{right}" if keep else f"{left}{right}"


def _symbol(word: str) -> bool:
    """An acronym or a symbol ("ACh", "IgE", "mRNA", "TNF", "33RE"): a capital after its first letter, and capitals at
    least half its letters. A line break does not split one; a word split at a line end is in lower case after its
    first letter, or a name in camel case ("DegreeDis-tance", "CodeL-lama"), mostly lower case."""
    letters = [char for char in word if char.isalpha()]
    capitals = sum(char.isupper() for char in letters)
    return any(char.isupper() for char in word[1:]) and 2 * capitals >= len(letters)

"""Line-break hyphenation repair: "erythe-\\nmatous" -> "erythematous", but "well-\\ndefined" keeps its hyphen.

One rule for every text the tool reads: caption and body lines in extract, mentions, curated captions.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\ufffe"
"""pdfium's mark for a hyphen it judged to be line-end hyphenation (the line is kept joined)."""

# A word, a hyphen that a line break (or a space) follows, and the next word; "T-cell" (no break) never matches.
# `left` takes the whole word, so "branch-and-\nbound" sees "branch-and" as a compound.
_BROKEN_HYPHEN = re.compile(
    rf"(?P<left>[^\W_]+(?:-[^\W_]+)*)"
    rf"(?:(?P<soft>{SOFT_HYPHEN})[ \t]*(?:\r?\n)?[ \t]*|-(?:[ \t]*\r?\n[ \t]*|[ \t]+))"
    r"(?P<right>[^\W_]+)"
)
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

    The hyphen stays when the left part already holds a hyphen ("branch-and-bound"), ends in a digit or is a
    compound prefix, the right part is a compound suffix, or the text elsewhere spells the word with a hyphen.
    A plain hyphen before a capital or a digit is left as it is (a dash, not hyphenation); pdfium's soft hyphen
    there becomes a plain one ("ASE-C").
    """
    lower = text.lower()

    def join(match: re.Match[str]) -> str:
        left, right = match["left"], match["right"]
        if not right[0].islower():
            # A dash before a capital or a digit ("Psoriasis - Plaques"), or a name split by pdfium ("ASE-C").
            return f"{left}-{right}" if match["soft"] else match.group(0)
        if not match["soft"] and right in _SUSPENDING:
            return match.group(0)
        last = left.rsplit("-", 1)[-1]
        hyphenated = f"{last}-{right}".lower()
        keep = (
            "-" in left
            or last[-1].isdigit()
            or last.lower() in _PREFIXES
            or right.lower() in _SUFFIXES
            or (hyphenated in lower and f"{last}{right}".lower() not in lower)
        )
        return f"{left}-{right}" if keep else f"{left}{right}"

    return _BROKEN_HYPHEN.sub(join, text).replace(SOFT_HYPHEN, "-")

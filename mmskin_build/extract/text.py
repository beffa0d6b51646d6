"""Text clean-up shared by captions and mentions: joining lines, repairing line-end hyphenation."""

from __future__ import annotations

import re
import unicodedata

# pdfium marks a hyphen it judged to be line-end hyphenation with U+FFFE (and keeps the line joined).
_SOFT_HYPHEN = "\ufffe"
_SPACES = re.compile(r"\s+")


def repair_hyphenation(text: str) -> str:
    """'meth\\ufffeods' -> 'methods', but a compound keeps its hyphen: 'branch-and\\ufffebound' -> 'branch-and-bound'."""
    if _SOFT_HYPHEN not in text:
        return text
    out = []
    for i, part in enumerate(text.split(_SOFT_HYPHEN)):
        if i and out:
            word_before = out[-1].rsplit(" ", 1)[-1]
            out.append("-" if "-" in word_before else "")
        out.append(part)
    return "".join(out)


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one string; a line ending in a hyphen before a lower-case word is rejoined."""
    text = ""
    for line in lines:
        line = line.strip().replace(_SOFT_HYPHEN, "-") if line.strip().endswith(_SOFT_HYPHEN) else line.strip()
        if not text:
            text = line
        elif text.endswith("-") and line[:1].islower():
            compound = "-" in text[:-1].rsplit(" ", 1)[-1]  # "branch-and-" keeps its hyphen
            text = (text if compound else text[:-1]) + line
        else:
            text = f"{text} {line}"
    return _SPACES.sub(" ", repair_hyphenation(text)).strip()


def normalise_for_match(text: str) -> str:
    """Letters and digits only, lower case: how captions are compared with ground truth."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())

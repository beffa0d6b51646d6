"""Text clean-up of extract: joining a paragraph's lines, the normal form captions are compared in, and how lines
open and end (a list's entry, a sentence's end)."""

from __future__ import annotations

import re
import unicodedata

from mmskin_build.text.hyphenation import repair_hyphenation

_SPACES = re.compile(r"\s+")
_LIST_MARKS = ("•", "▪", "◦", "●", "■")
_NUMBERED_STEP = re.compile(r"\s*\d{1,2}\.\s+[A-Za-z]")
_INITIAL_END = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_SENTENCE_END = re.compile(r"[.!?][)\"”’]?$")  # a closing bracket or quote may follow the stop
# Words no phrase ends with: an article, a preposition or a conjunction that leaves its sentence open.
_OPEN_ENDS = frozenset("a an the of in at to by for from with and or into onto than".split())


def starts_list_item(text: str) -> bool:
    """The line opens with a list's bullet."""
    return text.lstrip().startswith(_LIST_MARKS)


def ends_sentence(text: str) -> bool:
    """The text ends a sentence (a closing bracket or quote may follow its full stop)."""
    return _SENTENCE_END.search(text.rstrip()) is not None


def ends_open(text: str) -> bool:
    """The text's last word leaves its phrase open ("A participant in the"): its sentence goes on. A capital A ends
    one ("vitamin A", "panel A")."""
    words = text.split()
    return bool(words) and words[-1] != "A" and words[-1].lower() in _OPEN_ENDS


def ends_in_initial(text: str) -> bool:
    """The text's last word is a capital letter and a stop: an initial or an abbreviated genus ("... the skin by B."
    before "anthracis"), which need not end the sentence."""
    return _INITIAL_END.search(text.rstrip()) is not None


def starts_list_entry(text: str) -> bool:
    """The line opens a list's entry: a bullet, or a step's number ("5. Document the procedure.")."""
    return starts_list_item(text) or _NUMBERED_STEP.match(text) is not None


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one string; a word split by a line-end hyphen is rejoined."""
    return _SPACES.sub(" ", repair_hyphenation("\n".join(line.strip() for line in lines))).strip()


def normalise_for_match(text: str) -> str:
    """Letters and digits only, lower case: how captions are compared with ground truth."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())

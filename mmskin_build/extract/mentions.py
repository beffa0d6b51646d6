"""In-text mentions: the body sentences that cite a figure ("as shown in Fig. 3", "Figs. 2-4")."""

from __future__ import annotations

import re
from collections import defaultdict

from mmskin_build.extract.captions import CAPTION_START, normalise_label
from mmskin_build.extract.text import repair_hyphenation

_LABEL = r"\d+(?:[.\-–]\d+)*[a-z]?"
REFERENCE = re.compile(
    r"\b(?:Fig(?:ure)?s?|FIG(?:URE)?S?|Plates?|Pictures?)\.?\s*"
    rf"(?P<labels>{_LABEL}(?:\s*(?:,|and|&|–|-|to)\s*{_LABEL})*)"
)
_ONE_LABEL = re.compile(_LABEL)
_RANGE = re.compile(rf"(?P<a>{_LABEL})\s*(?:–|-|to)\s*(?P<b>{_LABEL})")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_SPACES = re.compile(r"\s+")
_MAX_PER_LABEL = 20


def cited_labels(text: str) -> list[str]:
    """Every figure label a sentence cites, ranges expanded ("Figs. 2-4" -> 2, 3, 4)."""
    labels: list[str] = []
    for match in REFERENCE.finditer(text):
        group = match.group("labels")
        for part in re.split(r"\s*(?:,|and|&)\s*", group):
            span = _RANGE.fullmatch(part)
            if span and span.group("a").isdigit() and span.group("b").isdigit():
                first, last = int(span.group("a")), int(span.group("b"))
                if 0 < last - first <= 20:
                    labels.extend(str(n) for n in range(first, last + 1))
                    continue
            labels.extend(normalise_label(m) for m in _ONE_LABEL.findall(part))
    return labels


class MentionIndex:
    """Sentences of a document by the figure labels they cite; built page by page."""

    def __init__(self) -> None:
        self._by_label: dict[str, list[str]] = defaultdict(list)

    def add_page(self, text: str) -> None:
        flat = _SPACES.sub(" ", repair_hyphenation(text.replace("\ufffe\r\n", "\ufffe")))
        for sentence in _SENTENCE_END.split(flat):
            sentence = sentence.strip()
            if not sentence or _is_caption_sentence(sentence):
                continue
            for label in dict.fromkeys(cited_labels(sentence)):
                bucket = self._by_label[label]
                if sentence not in bucket and len(bucket) < _MAX_PER_LABEL:
                    bucket.append(sentence)

    def mentions(self, label: str | None) -> list[str]:
        """Sentences citing `label`, or a panel of it ("3" collects "3a" and "3b" too)."""
        if not label:
            return []
        found = list(self._by_label.get(label, []))
        base = label.rstrip("abcdefghijklmnopqrstuvwxyz")
        for key, sentences in self._by_label.items():
            if key != label and (key.rstrip("abcdefghijklmnopqrstuvwxyz") == label or key == base):
                found.extend(s for s in sentences if s not in found)
        return found[:_MAX_PER_LABEL]


def _is_caption_sentence(sentence: str) -> bool:
    """A caption's own first sentence ("Figure 3. Relative error ...", "Figure 1.2 Psoriasis ...") is
    not a mention; "Figure 3 shows ..." is."""
    match = CAPTION_START.match(sentence)
    if not match:
        return False
    rest = sentence[match.end() :].lstrip()
    return bool(match.group("after").strip()) or not rest or rest[0].isupper()

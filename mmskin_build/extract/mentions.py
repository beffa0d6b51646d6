"""In-text mentions: the body sentences that cite a figure ("as shown in Fig. 3", "Figs. 2-4")."""

from __future__ import annotations

import re
from collections import defaultdict

from mmskin_build.text.hyphenation import repair_hyphenation
from mmskin_build.text.labels import CAPTION_START, CITATION, NUMBER, label_series, normalise_label

_ONE_LABEL = re.compile(NUMBER)
_RANGE = re.compile(rf"(?P<a>{NUMBER})\s*(?:–|-|to)\s*(?P<b>{NUMBER})")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_SPACES = re.compile(r"\s+")
_MAX_PER_LABEL = 20


def mention_key(prefix: str, label: str) -> str:
    """Plates, maps, photographs ... are numbered apart from figures in many books: "Plate 4" is not "Fig. 4"."""
    series = label_series(prefix)
    return f"{series} {label}" if series else label


def cited_labels(text: str) -> list[str]:
    """Every figure label a sentence cites, ranges expanded ("Figs. 2-4" -> 2, 3, 4); plates as "plate N", maps as "map N"."""
    labels: list[str] = []
    for match in CITATION.finditer(text):
        labels.extend(mention_key(match.group("word"), label) for label in _labels(match.group("labels")))
    return labels


def _labels(group: str) -> list[str]:
    labels: list[str] = []
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
        flat = _SPACES.sub(" ", repair_hyphenation(text))
        for sentence in _SENTENCE_END.split(flat):
            sentence = sentence.strip()
            if not sentence or _is_caption_sentence(sentence):
                continue
            for label in dict.fromkeys(cited_labels(sentence)):
                bucket = self._by_label[label]
                if sentence not in bucket and len(bucket) < _MAX_PER_LABEL:
                    bucket.append(sentence)

    def mentions(self, key: str | None) -> list[str]:
        """Sentences citing the figure with this key (see `mention_key`): exact labels only, since
        "Fig. 4a" may be a figure of its own rather than a panel of Fig. 4."""
        return list(self._by_label.get(key, [])) if key else []


def _is_caption_sentence(sentence: str) -> bool:
    """A caption's own first sentence ("Figure 3. Relative error ...", "Figure 1.2 Psoriasis ...") is
    not a mention; "Figure 3 shows ..." is."""
    match = CAPTION_START.match(sentence)
    if not match:
        return False
    rest = sentence[match.end() :].lstrip()
    return bool(match.group("after").strip()) or not rest or rest[0].isupper()

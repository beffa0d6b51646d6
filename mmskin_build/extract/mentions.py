"""In-text mentions: the body sentences that cite a figure ("as shown in Fig. 3", "Figs. 2-4")."""

from __future__ import annotations

import re
from collections import defaultdict

from mmskin_build.text.hyphenation import repair_hyphenation
from mmskin_build.text.labels import CAPTION_START, cited_labels

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_SPACES = re.compile(r"\s+")
_MAX_PER_LABEL = 20


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

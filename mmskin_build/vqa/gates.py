"""Quality gates for generated question-answer items. Each rejection has one reason, counted in the manifest.

Order (the first failing gate names the reason): unsupported, leakage, refusal, hedge, chit-chat,
medical-advice, image-independent, duplicate-question; then, over the whole run, type-balance.

"Image-independent" is a heuristic: a question is rejected when it asks for general knowledge (causes,
treatment, prognosis, contagiousness, definitions, epidemiology) or when it has no visual anchor, i.e. none of
"this/these", "image", "photo(graph)", "picture", "micrograph", "view", "shown", "seen", "visible",
"depicted", "pictured", "observed", "here", "present". Such questions can be answered from a textbook alone,
which is what ~28% of MM-Skin's released questions do.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from mmskin_build.vqa.evidence import Span, find_span
from mmskin_build.vqa.response import QaItem

REASONS = (
    "unsupported",
    "leakage",
    "refusal",
    "hedge",
    "chit-chat",
    "medical-advice",
    "image-independent",
    "duplicate-question",
    "type-balance",
)


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


LEAKAGE = _words(
    "captions?", "text", "texts", "described", "describes?", "descriptions?", "mentioned", "mentions?",
    "legend", "according to", "the book", "textbook", "figures?", "fig",
)
REFUSAL = _words(
    r"i (?:cannot|can't|can ?not|am unable|'m unable|am not able)", "as an ai", r"i'?m sorry", "i apologi[sz]e",
    r"unable to (?:see|view|determine|provide|assess)", r"cannot (?:see|view|be determined|determine)",
    r"not possible to (?:determine|tell|say)", "no image", "not provided",
)
HEDGE = _words(
    r"(?:might|may|could) (?:possibly|potentially)", "it is difficult to", "hard to say", "without more information",
    r"it(?:'s| is) (?:unclear|uncertain)", r"i (?:think|believe|guess)", "perhaps", "probably", "not sure",
)
CHIT_CHAT = _words(
    "thank(?:s| you)", "hope (?:this|that) helps", "feel free", "let me know", "great question", "good question",
    "happy to help", "you're welcome", "hello", r"hi there", "glad",
)
MEDICAL_ADVICE = _words(
    r"consult (?:a|your)", "seek (?:medical|professional)", "see a (?:doctor|dermatologist|physician)",
    r"you should", "should be treated", "recommend(?:ed)? (?:treatment|that you)",
)
GENERAL_KNOWLEDGE = _words(
    "treat(?:ed|ment|ments)?", "therap(?:y|ies)", "manage(?:d|ment)?", "cause[sd]?", "a?etiology", "contagious",
    "infectious", "prognosis", "prevent(?:ed|ion)?", "defin(?:e|ed|ition)", r"what is (?:a|an) ", "inherit(?:ed)?",
    "risk factors?", "symptoms?", "how common", "prevalence", "incidence", "cure[sd]?",
)
VISUAL_ANCHOR = _words(
    "this", "these", "image", "images", "photo", "photograph", "picture", "micrograph", "view", "shown", "seen",
    "visible", "depicted", "pictured", "observed", "here", "present",
)
_STOP = frozenset(
    "the this that these those with from have been there their which what where when into over under about "
    "image shows shown seen patient lesion lesions area appear appears visible present they them".split()
)
_SEX_WORDS = {w: "male" for w in ("man", "men", "boy", "boys", "male", "males", "gentleman")} | {
    w: "female" for w in ("woman", "women", "girl", "girls", "female", "females", "lady")
}
DUPLICATE_MIN_SCORE = 90.0


@dataclass(frozen=True)
class Verdict:
    reason: str | None
    evidence: Span | None = None


def _content_stems(text: str) -> set[str]:
    """Numbers, sex words (normalised) and 4-letter prefixes of other words of 4+ letters."""
    stems = set()
    for token in re.findall(r"[a-z]+|\d+", text.lower()):
        if token.isdigit() or token in _SEX_WORDS:
            stems.add(_SEX_WORDS.get(token, token))
        elif len(token) >= 4 and token not in _STOP:
            stems.add(token[:4])
    return stems


def check_item(item: QaItem, caption: str, accepted_questions: Sequence[str]) -> Verdict:
    """The first gate `item` fails (reason), or its evidence span in the caption when it passes them all."""
    span = find_span(item.evidence, caption)
    answer_stems = _content_stems(item.answer)
    # Supported: the evidence is in the caption, and the answer shares a content word with it.
    if span is None or (answer_stems and not answer_stems & _content_stems(span.text)):
        return Verdict("unsupported")
    both = f"{item.question}\n{item.answer}"
    for reason, pattern in (
        ("leakage", LEAKAGE),
        ("refusal", REFUSAL),
        ("hedge", HEDGE),
        ("chit-chat", CHIT_CHAT),
        ("medical-advice", MEDICAL_ADVICE),
    ):
        if pattern.search(both):
            return Verdict(reason)
    if GENERAL_KNOWLEDGE.search(item.question) or not VISUAL_ANCHOR.search(item.question):
        return Verdict("image-independent")
    normal = _normal(item.question)
    if any(fuzz.ratio(normal, _normal(q)) >= DUPLICATE_MIN_SCORE for q in accepted_questions):
        return Verdict("duplicate-question")
    return Verdict(None, span)


def _normal(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))


def balance(types: Sequence[str], max_share: float) -> list[bool]:
    """Which items to keep so no question type exceeds its share of the run.

    The cap is `ceil(share * n)` with share = max(max_share, 1 / number of types present), so a run with
    few types is not emptied. Items are kept in the given order (callers pass a deterministic one).
    """
    if not types:
        return []
    share = max(max_share, 1 / len(set(types)))
    cap = math.ceil(share * len(types))
    seen: Counter[str] = Counter()
    keep = []
    for question_type in types:
        seen[question_type] += 1
        keep.append(seen[question_type] <= cap)
    return keep

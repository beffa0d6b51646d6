"""Quality gates for visual question-answer rows: every rule's pattern lives here, once.

A gate looks at one row (`row_flags`) or at the rows of one figure (`duplicate_flags`) and returns the gates
it failed with the text that matched. `generate-vqa` rejects an item at its first failing gate (in `GATES`
order); `mmskin-build audit` reports all of them. The patterns were tuned for precision on the labelled gate
set in tests/vqa/gate_set/ (a gate that rejects good rows throws away scarce data); each gate's precision
and recall on that set are in docs/NOTES.md and asserted by tests/vqa/test_vqa_gate_set.py.

Question-only gates: not-a-question, image-independent, duplicate-question. Answer-only gates: truncated,
repetitive, refusal, hedge, medical-advice, unsupported (needs the caption or the cited evidence). Both:
leakage, chit-chat.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mmskin_build.vqa.evidence import Span, find_span
from mmskin_build.vqa.response import QaItem, QaItemV2

GATES = (
    "not-a-question",
    "truncated",
    "repetitive",
    "unsupported",
    "leakage",
    "refusal",
    "hedge",
    "chit-chat",
    "medical-advice",
    "image-independent",
    "duplicate-question",
)
CAPTION_GATES = frozenset({"unsupported"})  # run only where a caption or evidence is known
REASONS = (*GATES, "type-balance")
# The answer must share at least this much of its content words with the caption or evidence.
MIN_SUPPORTED_SHARE = 0.5
# An answer this long (words) is a sentence, so it ends with terminal punctuation unless it was cut.
SENTENCE_MIN_WORDS = 12


def _words(*patterns: str) -> re.Pattern[str]:
    """Whole-word alternatives, matched against lower-cased text (twice as fast as re.IGNORECASE)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])")


LEAKAGE = _words(
    r"captions?",
    r"legends?",
    r"(?:figure|fig\.?)\s?\d+[a-z]?",
    r"(?:which|this|the|that) figure",
    r"the text",
    r"textbook",
    r"the book",
    r"chapter",
    r"the (?:study|article|paper|passage|report|authors?)",
    r"this (?:study|article|paper|report)",
    r"according to",
    r"information provided",
    r"mentioned",
    r"mentions?",
    r"(?:is|are|was|were|being) (?:described|stated|reported|noted)",
    r"described as",
    # photo credits
    r"(?:taken|photographed|provided|supplied|contributed) by",
    r"courtesy",
    r"photo(?:graph)? (?:by|credit)",
    r"credits?",
    r"reproduced",
    r"reprinted",
    r"copyright",
    r"with permission",
    r"©",
)
REFUSAL = _words(
    r"i(?:'m| am) (?:sorry|afraid)",
    r"as an ai",
    r"(?:ai|language) model",
    r"i (?:cannot|can't|can ?not|am unable to|'m unable to|am not able to) (?:see|view|access|look at|analy[sz]e|examine)"
    r" (?:the |this |an |any )?(?:image|picture|photo|photograph)s?",
    r"i (?:cannot|can't|can ?not|am unable to|'m unable to|am not able to) (?:determine|diagnose|provide|tell|answer|make|identify)",
    r"i (?:do not|don't) have (?:access|the ability)",
    r"without (?:seeing|viewing|access to) the (?:image|picture|photo)",
    r"no (?:image|picture|photo) (?:is|was|has been) (?:provided|attached|shared|available)",
    r"(?:image|picture|photo) (?:is|was) not (?:provided|attached|shared|available)",
)
HEDGE = _words(
    r"(?:difficult|hard|impossible) to (?:say|tell|determine|know|be sure)",
    r"(?:may|might|could) (?:be|have|represent|indicate|suggest)",
    r"possibl[ey]",
    r"perhaps",
    r"probabl[ey]",
    r"(?:is|are|was|were) (?:most )?likely",
    r"likely (?:a|an|to be|represents?|caused|due)",
    r"i (?:think|believe|guess|suspect)",
    r"not (?:sure|certain)",
    r"(?:it is|it's) (?:not clear|unclear|uncertain)",
    r"cannot be (?:sure|certain)",
    r"without (?:more|further|additional) (?:information|context|details|tests)",
    r"further (?:evaluation|analysis|investigation|tests?|testing|examination|workup)",
    r"clinical correlation",
)
CHIT_CHAT = _words(
    r"thank(?:s| you)",
    r"hope (?:this|that|it) helps",
    r"feel free",
    r"let me know",
    r"(?:happy|glad) to help",
    r"you'?re welcome",
    r"(?:great|good|excellent) question",
    r"^(?:hello|hi|hey)",
    r"would be happy to",
    r"anything else (?:you|i|we) (?:would|want|can|could|need|like|wish)",
)
MEDICAL_ADVICE = _words(
    r"consult(?:ed|ing)? (?:a|an|your|with)",
    r"should be consulted",
    r"seek (?:medical|professional|immediate|urgent)",
    r"see (?:a|your) (?:doctor|dermatologist|physician|gp|specialist)",
    r"you should",
    r"(?:healthcare|health care) (?:professional|provider)",
    r"(?:is|it's) (?:important|advisable|recommended) to (?:consult|seek|see|have|get|follow|avoid)",
    r"should be treated",
    r"please",
    r"apply (?:a |an |the )?(?:topical|cream|ointment|steroid)",
    r"(?:once|twice|three times) (?:a )?daily",
    r"recommend(?:ed)? (?:that you|treatment)",
    r"appropriate treatment",
)
# How an answer appends textbook knowledge to what the caption says.
GENERAL_KNOWLEDGE_CLAUSE = _words(
    r"(?:which|that) (?:is|are) (?:a|an) (?:\w+ )?(?:type|form|kind|term|condition|technique|procedure|group|class)",
    r"(?:refers?|referring) to",
    r"also known as",
    r"(?:is|are) (?:a )?(?:common|rare|widely used)",
    r"(?:is|are) characteri[sz]ed by",
    r"(?:is|are) (?:often|usually|typically|commonly) (?:used|seen|caused|associated|found)",
    r"(?:which|that) (?:is|are) responsible for",
    r"(?:can|may) lead to",
)
# What an arrow or asterisk marks is a question about the image.
_MARKS = r"the (?:\w+ )?(?:arrows?|arrowheads?|asterisks?|stars?|circles?|markers?)"
# Questions a textbook answers without the image: mechanisms, causes, care, course, definitions, case facts.
IMAGE_INDEPENDENT = _words(
    r"why",
    r"mechanisms?",
    r"pathogenesis",
    r"pathophysiolog\w*",
    r"complications?",
    r"prognosis",
    r"outcomes?",
    r"prescribed",
    r"medications?",
    r"drugs?",
    r"dos(?:e|age)",
    r"treat(?:ment|ments|ing)?",
    r"(?:be|is|are|was|were) treated",
    r"(?:how|when) (?:is|are|was|were|should) [^?]{0,40}treated",
    r"therap(?:y|ies)",
    r"manage(?:d|ment)?",
    r"cured?",
    r"prevent(?:ed|ion)?",
    r"contagious",
    r"transmi(?:t|tted|ssion)",
    r"inherit(?:ed|ance)?",
    r"risk factors?",
    r"how common",
    r"prevalen\w*",
    r"incidence",
    r"epidemiolog\w*",
    r"(?:the )?causes? of",
    r"what causes",
    r"possible causes?",
    r"(?:virus|bacteri\w+|organism|pathogen|agent) causes",
    rf"what (?:does|do) (?!{_MARKS})[^?]{{1,60}} (?:mean|stand for|refer to|indicate|signify)",
    r"what is meant by",
    r"meaning of",
    r"defin(?:e|ed|ition)",
    r"in this context",
    rf"(?:role|function|purpose|significance|importance) of(?! {_MARKS})",
    r"painful",
    r"pain",
    r"itch(?:y|ing|es)?",
    r"tender(?:ness)?",
    r"sore",
    r"symptoms?",
    r"fever",
    r"how long",
    r"when did",
    r"history",
    r"(?:was|were) (?:performed|done|given|administered)",
    r"should (?:the patient|i|we|he|she|they)",
)
# "What is biliary stasis?": a bare term, no determiner, nothing to look at.
DEFINITION_QUESTION = re.compile(
    r"^what (?:is|are) (?!\w+ing\b)(?!(?:the|this|these|that|those|it|there|shown|seen|present|visible|on|in|at|under|below|above|"
    r"around|along|inside|near)\b)(?:an? )?[\w/&-]+(?: (?:and )?[\w/&-]+){0,3}\s*\?$"
)
# Instructions are prompts too ("Describe the lesion.", LLaVA's "Walk through the important details of the image").
IMPERATIVE = re.compile(
    r"^(?:describe|list|name|identify|explain|outline|give|state|tell|point|show|count|locate|indicate|compare|"
    r"summari[sz]e|provide|characteri[sz]e|classify|detail|analy[sz]e|walk|break|offer|share|portray|clarify|"
    r"write|narrate|illustrate|elaborate|depict|examine|interpret|discuss|assess|evaluate|present)\b"
)
TEMPLATE_RESIDUE = re.compile(r"[{}]|\$\w+|<(?!image>)\w+>")
DANGLING_END = re.compile(
    r"(?:[,:;(\[-]|\b(?:the|a|an|and|or|of|to|with|in|on|at|by|for|from|as|which|that|is|are|was|were|but|its|their|"
    r"his|her|than|into|such))\s*$"
)
TERMINAL = tuple(".!?)]\"'”’%")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TOKEN = re.compile(r"[a-z]+|\d+")
# Function words and words every image answer uses; not evidence of anything.
STOPWORDS = frozenset(
    """a an the and or but of to in on at by for from with as is are was were be been being it its this
    that these those there their they them which what where when who whom how why does do did has have
    had not no yes can could may might will would shall should into over under about above below also
    than then some any all both each other more most very such only same seen see shows show shown
    showing visible present appears appear appearance image images picture photo photograph view
    patient lesion lesions area areas finding findings case here note noted located type one
    two three""".split()  # noqa: SIM905 - a word list reads best as words
)
QUESTION_FILLER = frozenset(
    """a an the is are was were be this that these those it in on of does do did image picture photo shown
    seen visible present""".split()  # noqa: SIM905
)
# Abbreviations a caption uses for words an answer spells out.
ABBREVIATIONS = {
    "h&e": "hematoxylin eosin",
    "h & e": "hematoxylin eosin",
    "he": "hematoxylin eosin",
    "ct": "computed tomography",
    "mri": "magnetic resonance imaging",
    "mr": "magnetic resonance",
    "cxr": "chest x-ray",
    "us": "ultrasound",
    "bcc": "basal cell carcinoma",
    "scc": "squamous cell carcinoma",
}
_ABBREVIATION = re.compile(
    r"(?<![\w&])(?:" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")(?![\w&])", re.IGNORECASE
)
_SEX_WORDS = {w: "male" for w in ("man", "men", "boy", "boys", "male", "males", "gentleman")} | {
    w: "female" for w in ("woman", "women", "girl", "girls", "female", "females", "lady")
}


@dataclass(frozen=True)
class Flag:
    gate: str
    span: str  # the text that matched (or, for `unsupported`, the answer's words missing from the support)


@dataclass(frozen=True)
class Verdict:
    reason: str | None
    evidence: Span | None = None
    source: str = "caption"  # what the evidence offsets refer to: "caption" or "mention N" (1-based)
    detail: str | None = None  # what the failed gate matched (Flag.span)


def _search(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


@dataclass(frozen=True)
class _Text:
    """A text and its lower-cased copy: patterns search the copy, spans are cut from the original."""

    original: str
    lower: str

    @classmethod
    def of(cls, text: str) -> _Text:
        return cls(text, text.lower())

    def search(self, pattern: re.Pattern[str]) -> str | None:
        match = pattern.search(self.lower)
        if match is None:
            return None
        same_length = len(self.lower) == len(self.original)  # lower() can change the length of a few letters
        return self.original[match.start() : match.end()] if same_length else match.group(0)


def not_a_question(question: _Text) -> str | None:
    text = question.original.strip()
    if residue := _search(TEMPLATE_RESIDUE, text):
        return residue
    if text.endswith("?") or IMPERATIVE.match(question.lower.strip()):
        return None
    return text[-40:] or "(empty)"


def truncated(answer: _Text) -> str | None:
    text = answer.original.strip()
    if text.count("(") > text.count(")") or text.count("[") > text.count("]"):
        return text[text.rfind("(") if "(" in text else text.rfind("[") :][:40]
    if DANGLING_END.search(answer.lower[-24:]):  # anchored at the end: the tail is enough, and much faster
        return text[-40:]
    if not text.endswith(TERMINAL) and len(text.split()) >= SENTENCE_MIN_WORDS:
        return text[-40:]
    return None


def _repeated_word(tokens: list[str]) -> str | None:
    """A word said three times in a row ("red red red", "petechiae, petechiae and petechiae")."""
    previous, run = "", 0
    for token in tokens:
        if token == "and":
            continue
        run = run + 1 if token == previous else 1
        previous = token
        if run == 3:
            return f"{token} {token} {token}"
    return None


def repetitive(answer: _Text) -> str | None:
    tokens = _TOKEN.findall(answer.lower)
    if word := _repeated_word(tokens):
        return word
    # Both checks below need repeated words; most answers have few, and skip them (a 5-word phrase said three
    # times over a quarter of the answer leaves at most 5/6 of its words distinct).
    if len(tokens) < 6 or len(set(tokens)) > 0.85 * len(tokens):
        return None
    sentences = [s.strip() for s in _SENTENCE_END.split(answer.lower) if len(s.split()) >= 3]
    if repeated := next((s for s, n in Counter(sentences).items() if n > 1), None):
        return repeated
    grams = Counter(" ".join(tokens[i : i + 5]) for i in range(len(tokens) - 4))
    # A phrase said three times that fills a quarter of the answer; long answers may reuse a phrase legitimately.
    return next((gram for gram, n in grams.items() if n >= 3 and 5 * n >= len(tokens) / 4), None)


def content_words(text: str) -> set[str]:
    """Numbers, sex words (normalised) and other words of 3+ letters that are not stopwords, as 5-letter stems
    with British spellings folded ("haemorrhages" and "hemorrhage" are one word)."""
    words = set()
    for token in _TOKEN.findall(text.lower().replace("ae", "e").replace("oe", "e")):
        if token.isdigit() or token in _SEX_WORDS:
            words.add(_SEX_WORDS.get(token, token))
        elif len(token) >= 3 and token not in STOPWORDS:
            words.add(token[:5])
    return words


@functools.lru_cache(maxsize=4096)  # one caption supports several rows
def support_words(support: str) -> frozenset[str]:
    """content_words of a caption or evidence, its abbreviations spelled out as well ("H&E" supports "eosin")."""
    expanded = _ABBREVIATION.sub(lambda m: f"{m.group(0)} {ABBREVIATIONS[m.group(0).lower()]}", support)
    return frozenset(content_words(expanded))


def unsupported(answer: str, support: str) -> str | None:
    """The answer's content words missing from `support`, when they are more than 1 - MIN_SUPPORTED_SHARE of them;
    or a textbook clause the support does not have ("..., which is a thin, transparent tissue that ...")."""
    words = content_words(answer)
    if not words:
        return None  # "Yes." / "No.": the claim is the question's, checked by the question's own gates
    clause = GENERAL_KNOWLEDGE_CLAUSE.search(answer.lower())
    if clause and clause.group(0) not in support.lower():
        return clause.group(0)
    missing = words - support_words(support)
    if 1 - len(missing) / len(words) >= MIN_SUPPORTED_SHARE:
        return None
    return " ".join(sorted(missing))


def image_independent(question: _Text) -> str | None:
    return question.search(IMAGE_INDEPENDENT) or _search(DEFINITION_QUESTION, question.lower.strip())


def row_flags(question: str, answer: str, support: str | None = None) -> list[Flag]:
    """Every single-row gate `question`/`answer` fails, in GATES order; `support` (caption, mentions or cited
    evidence) enables `unsupported`."""
    q, a, both = _Text.of(question), _Text.of(answer), _Text.of(f"{question}\n{answer}")
    checks = {
        "not-a-question": lambda: not_a_question(q),
        "truncated": lambda: truncated(a),
        "repetitive": lambda: repetitive(a),
        "unsupported": lambda: unsupported(answer, support) if support is not None else None,
        "leakage": lambda: both.search(LEAKAGE),
        "refusal": lambda: a.search(REFUSAL),
        "hedge": lambda: a.search(HEDGE),
        "chit-chat": lambda: q.search(CHIT_CHAT) or a.search(CHIT_CHAT),
        "medical-advice": lambda: a.search(MEDICAL_ADVICE),
        "image-independent": lambda: image_independent(q),
    }
    return [Flag(gate, span) for gate, check in checks.items() if (span := check()) is not None]


def question_key(question: str) -> tuple[str, ...]:
    """What a question asks, for duplicates: its words in order without filler ("size" != "shape", "what" != "where")."""
    return tuple(t for t in _TOKEN.findall(question.lower()) if t not in QUESTION_FILLER)


def duplicate_flags(questions: Iterable[str]) -> list[Flag | None]:
    """For the questions of one figure (all its panels), in order: a flag for each that repeats an earlier one."""
    seen: dict[tuple[str, ...], str] = {}
    flags: list[Flag | None] = []
    for question in questions:
        key = question_key(question)
        flags.append(Flag("duplicate-question", seen[key]) if key in seen else None)
        seen.setdefault(key, question)
    return flags


def locate_evidence(evidence: str, caption: str, mentions: Sequence[str] = ()) -> tuple[str, Span] | None:
    """Where the cited evidence is: ("caption", span), ("mention N", span) or None."""
    if (span := find_span(evidence, caption)) is not None:
        return "caption", span
    return next(
        (
            (f"mention {n}", span)
            for n, mention in enumerate(mentions, 1)
            if (span := find_span(evidence, mention)) is not None
        ),
        None,
    )


def check_item(
    item: QaItem | QaItemV2, caption: str, accepted_questions: Sequence[str], mentions: Sequence[str] = ()
) -> Verdict:
    """The first gate `item` fails (reason), or its evidence span when it passes them all.

    The evidence must be a span of the caption or of a sentence citing the image; the answer is checked against
    it. `accepted_questions` are those already accepted for the same figure (every panel).
    """
    located = locate_evidence(item.evidence, caption, mentions)
    if located is None:
        return Verdict("unsupported")
    source, span = located
    flags = row_flags(item.question, item.answer, span.text)
    if flags:
        return Verdict(flags[0].gate, detail=flags[0].span)
    if (duplicate := duplicate_flags([*accepted_questions, item.question])[-1]) is not None:
        return Verdict(duplicate.gate, detail=duplicate.span)
    return Verdict(None, span, source)


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

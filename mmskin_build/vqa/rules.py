"""`--backend rules`: templated QA from a pair's parsed fields, grounded by construction (no server).

Each item's answer is built from a term found in the caption, and its evidence is the caption clause that
holds the term, so every item passes the `unsupported` gate. Diagnosis, morphology and colour come from small
vocabularies below; location and demographics from curate's parsed fields (body sites, age, sex).

A question names the modality ("this dermoscopic image") only when the caption itself does; a colour counts
only where it describes a lesion (not "black arrow", not "islands of white" normal skin); a panel's body sites
come from its own sub-caption; one closed question per image ("No" where the caption says a site was spared or
a feature absent, else "Yes" for a stated site); each question type has several phrasings, picked by image id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from mmskin_build.vqa.evidence import clauses
from mmskin_build.vqa.response import QaItem

PROMPT_VERSION = "rules-v2"
MODEL = "rules"

DIAGNOSES = (
    "acne vulgaris",
    "actinic keratosis",
    "alopecia areata",
    "atopic dermatitis",
    "basal cell carcinoma",
    "bullous pemphigoid",
    "cellulitis",
    "contact dermatitis",
    "cutaneous lupus",
    "dermatofibroma",
    "dermatomyositis",
    "discoid lupus",
    "eczema",
    "erythema multiforme",
    "erythema nodosum",
    "folliculitis",
    "granuloma annulare",
    "hemangioma",
    "haemangioma",
    "herpes simplex",
    "herpes zoster",
    "hidradenitis suppurativa",
    "impetigo",
    "kaposi sarcoma",
    "keloid",
    "keratoacanthoma",
    "lichen planus",
    "lichen sclerosus",
    "lipoma",
    "melanoma",
    "melasma",
    "molluscum contagiosum",
    "morphea",
    "mycosis fungoides",
    "naevus",
    "nevus",
    "pemphigus vulgaris",
    "pityriasis rosea",
    "pityriasis versicolor",
    "psoriasis",
    "pyoderma gangrenosum",
    "rosacea",
    "sarcoidosis",
    "scabies",
    "seborrheic dermatitis",
    "seborrhoeic dermatitis",
    "seborrheic keratosis",
    "seborrhoeic keratosis",
    "squamous cell carcinoma",
    "tinea corporis",
    "tinea pedis",
    "tinea capitis",
    "urticaria",
    "vasculitis",
    "vitiligo",
    "wart",
    "verruca",
)
MORPHOLOGY = (
    "macule",
    "macules",
    "patch",
    "patches",
    "papule",
    "papules",
    "plaque",
    "plaques",
    "nodule",
    "nodules",
    "vesicle",
    "vesicles",
    "bulla",
    "bullae",
    "pustule",
    "pustules",
    "wheal",
    "wheals",
    "erosion",
    "erosions",
    "ulcer",
    "ulcers",
    "ulceration",
    "crust",
    "crusts",
    "crusting",
    "scale",
    "scales",
    "scaling",
    "scaly",
    "fissure",
    "fissures",
    "atrophy",
    "lichenification",
    "telangiectasia",
    "telangiectasias",
    "comedones",
    "cyst",
    "annular",
    "linear",
    "umbilicated",
    "pedunculated",
    "verrucous",
    "keratotic",
    "hyperkeratotic",
)
COLOURS = (
    "erythematous",
    "red",
    "pink",
    "brown",
    "black",
    "blue",
    "grey",
    "gray",
    "white",
    "yellow",
    "violaceous",
    "purple",
    "hyperpigmented",
    "hypopigmented",
    "depigmented",
    "skin-coloured",
    "skin-colored",
    "flesh-coloured",
)
# Annotation marks printed in a colour ("black arrow"): that colour is not the lesion's.
_MARK_NOUNS = r"arrows?|arrowheads?|asterisks?|stars?|circles?|boxes|box|lines?|markers?|dots? line"
# Words a colour must describe (within three words) to be the colour of a lesion.
LESION_NOUNS = (*MORPHOLOGY, "rash", "rashes", "lesion", "lesions", "eruption", "exanthem", "spots", "erythema")
# The caption itself names the modality; only then does a question say "dermoscopic" or "histological".
_MODALITY_IN_CAPTION = {
    "dermoscopy": (re.compile(r"\bder(?:mo|mato)scop", re.IGNORECASE), "this dermoscopic image"),
    "pathology": (
        re.compile(r"\bhistolog|\bH\s?&\s?E\b|\bbiops|\bstain|\bmicrograph", re.IGNORECASE),
        "this histological section",
    ),
}
_SPARED = re.compile(r"\b(?:the )?((?:[a-z]+ ){0,3}[a-z]+) (?:was|were|is|are) spared\b", re.IGNORECASE)
_WITHOUT = re.compile(
    r"\b(?:without|no) (?:any )?((?:[a-z]+ ){0,3}[a-z]+?)(?= (?:is|are|was|were) (?:seen|present|visible)|[,.;)]|$)",
    re.IGNORECASE,
)
# Phrasings per question type; an image's items use the phrasing its id picks, so a run's questions vary.
PHRASINGS = {
    "diagnosis": ("What is the diagnosis shown in {s}?", "Which condition does {s} show?", "What skin disease is seen in {s}?"),
    "morphology": ("What lesion morphology is seen in {s}?", "What type of lesions does {s} show?",
                   "How would you describe the lesions in {s}?"),
    "colour": ("What colour are the lesions in {s}?", "What is the colour of the lesions in {s}?",
               "Which colour do the lesions in {s} have?"),
    "location": ("Where on the body are the lesions in {s}?", "Which body site is affected in {s}?",
                 "Where are the lesions located in {s}?"),
    "site_yes": ("Are lesions seen on the {x} in {s}?", "Is there involvement of the {x} in {s}?", "Does {s} show lesions on the {x}?"),
    "spared": ("Is the {x} involved in {s}?", "Does the eruption in {s} involve the {x}?", "Is the {x} affected in {s}?"),
    "absent": ("Is there any {x} in {s}?", "Does {s} show any {x}?", "Can {x} be seen in {s}?"),
    "age": ("How old is the patient shown in {s}?", "What is the age of the patient in {s}?"),
    "sex": ("What is the sex of the patient shown in {s}?", "Is the patient in {s} male or female?"),
}  # fmt: skip


@dataclass(frozen=True)
class PairFields:
    """The parts of a `pairs` row the rules use."""

    caption: str
    modality: str | None
    body_sites: list[str]
    age_min_years: float | None
    age_max_years: float | None
    age_text: str | None
    sex: str | None
    sex_text: str | None
    image_id: str = ""
    panel_letter: str | None = None
    subcaption: str | None = None

    def ask(self, kind: str, **words: str) -> str:
        """The question of `kind` in this image's phrasing, about `subject` ("this image" unless the caption
        itself names the modality)."""
        phrasings = PHRASINGS[kind]
        pick = int(hashlib.sha256(f"{self.image_id}:{kind}".encode()).hexdigest()[:8], 16) % len(phrasings)
        return phrasings[pick].format(s=self.subject, **words)

    @property
    def subject(self) -> str:
        pattern, subject = _MODALITY_IN_CAPTION.get(self.modality or "", (None, "this image"))
        return subject if pattern is not None and pattern.search(self.caption) else "this image"


def _clause_with(term: str, caption: str) -> str | None:
    pattern = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
    return next((c for c in clauses(caption) if pattern.search(c)), None)


def _found(terms: tuple[str, ...], caption: str) -> list[str]:
    """Vocabulary terms in the caption, in caption order, longest first where they overlap."""
    hits: list[tuple[int, str]] = []
    taken: list[range] = []
    for term in sorted(terms, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(term)}\b", caption, re.IGNORECASE):
            if not any(match.start() in r for r in taken):
                hits.append((match.start(), match.group(0).lower()))
                taken.append(range(match.start(), match.end()))
    return [term for _, term in sorted(hits)]


def _item(question_type: str, question: str, answer: str, term: str, caption: str) -> QaItem | None:
    evidence = _clause_with(term, caption)
    if evidence is None:
        return None
    return QaItem(question_type=question_type, question=question, answer=answer, evidence=evidence)


def _diagnosis(p: PairFields) -> QaItem | None:
    found = _found(DIAGNOSES, p.caption)
    if not found:
        return None
    return _item("diagnosis", p.ask("diagnosis"), f"The diagnosis is {found[0]}.", found[0], p.caption)


def _morphology(p: PairFields) -> QaItem | None:
    phrase = _phrase(MORPHOLOGY, p.caption)
    if phrase is None:
        return None
    return _item("morphology", p.ask("morphology"), f"It shows {phrase}.", phrase, p.caption)


def _colour(p: PairFields) -> QaItem | None:
    phrase = _phrase(COLOURS, _lesion_colours(p.caption))
    if phrase is None:
        return None
    return _item("colour", p.ask("colour"), f"They are {phrase}.", phrase, p.caption)


def _lesion_colours(caption: str) -> str:
    """The caption with colour words blanked unless they describe a lesion ("white islands of normal skin",
    "black arrow" are not the colour of a lesion)."""
    nouns = "|".join(re.escape(n) for n in LESION_NOUNS)
    keep = re.compile(rf"^\W*(?:[\w-]+\W+){{0,3}}?(?:{nouns})\b", re.IGNORECASE)
    mark = re.compile(rf"^\W*(?:{_MARK_NOUNS})\b", re.IGNORECASE)

    def blank(match: re.Match[str]) -> str:
        after = caption[match.end() :]
        return match.group(0) if keep.match(after) and not mark.match(after) else " " * len(match.group(0))

    return re.sub(rf"\b(?:{'|'.join(re.escape(c) for c in COLOURS)})\b", blank, caption, flags=re.IGNORECASE)


def _sites(p: PairFields) -> list[str]:
    """Body sites stated for this image, as printed ("legs" for the site "leg"): a panel's from its own
    sub-caption (none when a panel has none, since which site is the panel's is not known)."""
    text = p.subcaption if p.panel_letter else p.caption
    if not text:
        return []
    spared = " ".join(m.group(0) for m in _SPARED.finditer(p.caption)).lower()
    printed = (re.search(rf"\b{re.escape(site)}(?:s|es)?\b", text, re.IGNORECASE) for site in p.body_sites)
    return [
        m.group(0).lower()
        for m in printed
        if m and m.group(0).lower() not in spared and _clause_with(m.group(0), p.caption)
    ]


def _location(p: PairFields) -> QaItem | None:
    sites = _sites(p)
    if not sites:
        return None
    return _item("location", p.ask("location"), f"They are on the {sites[0]}.", sites[0], p.caption)


def _closed(p: PairFields) -> QaItem | None:
    """A yes/no question: "No" where the caption states an absence or a spared site, else "Yes" for a stated site."""
    if match := _SPARED.search(p.caption):
        region = match.group(1).lower()
        return _item(
            "distribution", p.ask("spared", x=region), f"No, the {region} is spared.", match.group(0), p.caption
        )
    if match := _WITHOUT.search(p.caption):
        absent = match.group(1).lower()
        return _item("morphology", p.ask("absent", x=absent), f"No, there is no {absent}.", match.group(0), p.caption)
    sites = _sites(p)
    if not sites:
        return None
    return _item(
        "location", p.ask("site_yes", x=sites[-1]), f"Yes, lesions are seen on the {sites[-1]}.", sites[-1], p.caption
    )


def _age(p: PairFields) -> QaItem | None:
    if p.age_text is None or p.age_min_years is None or p.age_text.lower() not in p.caption.lower():
        return None
    # An exact age reads as years; a range or an open bound ("elderly", "in her 30s") as printed.
    exact = p.age_max_years == p.age_min_years
    age = f"{p.age_min_years:g} years old" if exact else p.age_text
    return _item("demographics", p.ask("age"), f"The patient is {age}.", p.age_text, p.caption)


def _sex(p: PairFields) -> QaItem | None:
    if p.sex is None or p.sex_text is None or p.sex_text.lower() not in p.caption.lower():
        return None
    return _item("demographics", p.ask("sex"), f"The patient is {p.sex}.", p.sex_text, p.caption)


def _phrase(vocabulary: tuple[str, ...], caption: str, max_chars: int = 60) -> str | None:
    """The caption's words from the first vocabulary term to the last one of the same clause, as printed
    ("erythematous scaly plaques"), or just the first term when that stretch is long."""
    found = _found(vocabulary, caption)
    if not found:
        return None
    clause = _clause_with(found[0], caption) or ""
    spans = [
        m.span()
        for t in _found(vocabulary, clause)
        for m in [re.search(rf"\b{re.escape(t)}\b", clause, re.IGNORECASE)]
        if m
    ]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    phrase = clause[start:end]
    return phrase.lower() if len(phrase) <= max_chars and "," not in phrase else found[0]


TEMPLATES: tuple[Callable[[PairFields], QaItem | None], ...] = (
    _diagnosis,
    _morphology,
    _closed,
    _colour,
    _location,
    _age,
    _sex,
)


def rules_items(pair: PairFields, per_image: int) -> list[QaItem]:
    """Up to `per_image` templated items for one pair, in template order."""
    items = [item for template in TEMPLATES if (item := template(pair)) is not None]
    return items[:per_image]

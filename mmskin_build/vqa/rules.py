"""`--backend rules`: templated QA from a pair's parsed fields, grounded by construction (no server).

Each item's answer is built from a term found in the caption, and its evidence is the caption clause that
holds the term, so every item passes the `unsupported` gate. Diagnosis, morphology and colour come from small
vocabularies below; location and demographics from curate's parsed fields (body sites, age, sex).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mmskin_build.vqa.evidence import clauses
from mmskin_build.vqa.response import QaItem

PROMPT_VERSION = "rules-v1"
MODEL = "rules"

DIAGNOSES = (
    "acne vulgaris", "actinic keratosis", "alopecia areata", "atopic dermatitis", "basal cell carcinoma",
    "bullous pemphigoid", "cellulitis", "contact dermatitis", "cutaneous lupus", "dermatofibroma",
    "dermatomyositis", "discoid lupus", "eczema", "erythema multiforme", "erythema nodosum", "folliculitis",
    "granuloma annulare", "hemangioma", "haemangioma", "herpes simplex", "herpes zoster", "hidradenitis suppurativa",
    "impetigo", "kaposi sarcoma", "keloid", "keratoacanthoma", "lichen planus", "lichen sclerosus", "lipoma",
    "melanoma", "melasma", "molluscum contagiosum", "morphea", "mycosis fungoides", "naevus", "nevus",
    "pemphigus vulgaris", "pityriasis rosea", "pityriasis versicolor", "psoriasis", "pyoderma gangrenosum",
    "rosacea", "sarcoidosis", "scabies", "seborrheic dermatitis", "seborrhoeic dermatitis", "seborrheic keratosis",
    "seborrhoeic keratosis", "squamous cell carcinoma", "tinea corporis", "tinea pedis", "tinea capitis",
    "urticaria", "vasculitis", "vitiligo", "wart", "verruca",
)
MORPHOLOGY = (
    "macule", "macules", "patch", "patches", "papule", "papules", "plaque", "plaques", "nodule", "nodules",
    "vesicle", "vesicles", "bulla", "bullae", "pustule", "pustules", "wheal", "wheals", "erosion", "erosions",
    "ulcer", "ulcers", "ulceration", "crust", "crusts", "crusting", "scale", "scales", "scaling", "scaly",
    "fissure", "fissures", "atrophy", "lichenification", "telangiectasia", "telangiectasias", "comedones", "cyst",
    "annular", "linear", "umbilicated", "pedunculated", "verrucous", "keratotic", "hyperkeratotic",
)
COLOURS = (
    "erythematous", "red", "pink", "brown", "black", "blue", "grey", "gray", "white", "yellow", "violaceous",
    "purple", "hyperpigmented", "hypopigmented", "depigmented", "skin-coloured", "skin-colored", "flesh-coloured",
)
_SUBJECT = {"dermoscopy": "this dermoscopic image", "pathology": "this histological section"}


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


def _diagnosis(p: PairFields, subject: str) -> QaItem | None:
    found = _found(DIAGNOSES, p.caption)
    if not found:
        return None
    return _item("diagnosis", f"What is the diagnosis shown in {subject}?", f"The diagnosis is {found[0]}.", found[0], p.caption)


def _morphology(p: PairFields, subject: str) -> QaItem | None:
    phrase = _phrase(MORPHOLOGY, p.caption)
    if phrase is None:
        return None
    return _item("morphology", f"What lesion morphology is seen in {subject}?", f"It shows {phrase}.", phrase, p.caption)


def _colour(p: PairFields, subject: str) -> QaItem | None:
    phrase = _phrase(COLOURS, p.caption)
    if phrase is None:
        return None
    return _item("colour", f"What colour are the lesions in {subject}?", f"They are {phrase}.", phrase, p.caption)


def _location(p: PairFields, subject: str) -> QaItem | None:
    site = next((s for s in p.body_sites if _clause_with(s, p.caption)), None)
    if site is None:
        return None
    return _item("location", f"Where on the body is the lesion in {subject}?", f"It is on the {site}.", site, p.caption)


def _age(p: PairFields, subject: str) -> QaItem | None:
    if p.age_text is None or p.age_min_years is None or p.age_text.lower() not in p.caption.lower():
        return None
    # An exact age reads as years; a range or an open bound ("elderly", "in her 30s") as printed.
    exact = p.age_max_years == p.age_min_years
    age = f"{p.age_min_years:g} years old" if exact else p.age_text
    return _item("demographics", f"How old is the patient shown in {subject}?", f"The patient is {age}.", p.age_text, p.caption)


def _sex(p: PairFields, subject: str) -> QaItem | None:
    if p.sex is None or p.sex_text is None or p.sex_text.lower() not in p.caption.lower():
        return None
    return _item("demographics", f"What is the sex of the patient shown in {subject}?", f"The patient is {p.sex}.", p.sex_text, p.caption)


def _phrase(vocabulary: tuple[str, ...], caption: str, max_chars: int = 60) -> str | None:
    """The caption's words from the first vocabulary term to the last one of the same clause, as printed
    ("erythematous scaly plaques"), or just the first term when that stretch is long."""
    found = _found(vocabulary, caption)
    if not found:
        return None
    clause = _clause_with(found[0], caption) or ""
    spans = [m.span() for t in _found(vocabulary, clause) for m in [re.search(rf"\b{re.escape(t)}\b", clause, re.I)] if m]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    phrase = clause[start:end]
    return phrase.lower() if len(phrase) <= max_chars and "," not in phrase else found[0]


TEMPLATES: tuple[Callable[[PairFields, str], QaItem | None], ...] = (
    _diagnosis, _morphology, _colour, _location, _age, _sex,
)


def rules_items(pair: PairFields, per_image: int) -> list[QaItem]:
    """Up to `per_image` templated items for one pair, in template order."""
    subject = _SUBJECT.get(pair.modality, "this image")
    items = [item for template in TEMPLATES if (item := template(pair, subject)) is not None]
    return items[:per_image]

"""Templated question-answer pairs about the demographics of one image (MM-Skin's D subset)."""

from __future__ import annotations

import hashlib

from mmskin_build.curation.demographics import Age, Demographics, Span
from mmskin_build.tables import DemographicsQA

QUESTIONS = {
    "age": "How old is the patient in this image?",
    "sex": "What is the sex of the patient in this image?",
    "body_site": "Which body site is shown in this image?",
    "fitzpatrick": "What is the Fitzpatrick skin type of the patient in this image?",
}


def _years(value: float) -> str:
    if value < 1:
        months = value * 12
        if months < 1:
            return f"{round(value * 365.25)} days"
        return f"{months:g} months" if months == int(months) else f"{round(months)} months"
    return f"{value:g} years"


def age_answer(age: Age) -> str:
    if age.max_years is None:
        return f"{age.min_years:g} years or older"
    if age.min_years == age.max_years:
        return f"{_years(age.min_years)} old"
    if age.min_years == 0:
        return f"under {_years(age.max_years)} old"
    return f"between {age.min_years:g} and {age.max_years:g} years old"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


def _qa(image_id: str, split: str, field: str, answer: str, span: Span) -> DemographicsQA:
    qa_id = hashlib.sha256(f"{image_id}:{field}".encode()).hexdigest()[:16]
    return DemographicsQA(
        qa_id=qa_id,
        image_id=image_id,
        split=split,
        field=field,
        question=QUESTIONS[field],
        answer=answer,
        evidence=span.text,
        evidence_source=span.source,
        evidence_start=span.start,
        evidence_end=span.end,
    )


def demographics_qa(image_id: str, split: str, found: Demographics, caption: str) -> list[DemographicsQA]:
    """One QA per field the text states; the evidence is its span in the caption (or a mention)."""
    rows = []
    if found.age:
        rows.append(_qa(image_id, split, "age", age_answer(found.age).capitalize() + ".", found.age.span))
    if found.sex:
        rows.append(_qa(image_id, split, "sex", found.sex.value.capitalize() + ".", found.sex.span))
    if found.body_sites:
        first, last = found.body_sites[0].span, found.body_sites[-1].span
        # One span from the first site word to the last: it holds every site the answer names.
        text = caption[first.start : last.end] if first.source == "caption" else first.text  # a reviewer's list
        caption_span = Span(first.source, first.start, last.end, text)
        answer = _join([s.value for s in found.body_sites])
        rows.append(_qa(image_id, split, "body_site", f"The {answer}.", caption_span))
    if found.fitzpatrick:
        rows.append(_qa(image_id, split, "fitzpatrick", f"Type {found.fitzpatrick.value}.", found.fitzpatrick.span))
    return rows

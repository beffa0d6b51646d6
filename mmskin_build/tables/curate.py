"""Tables written by `mmskin-build curate` (owned by the curate stage; other stages read them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.tables.common import ImageData

Split = Literal["train", "val", "test"]
Modality = Literal["clinical", "dermoscopy", "pathology", "other"]
# Why curate drops an image; filters run in this order and the first that applies is recorded (a reviewer's
# rejection first: a person's decision outranks every heuristic).
DropReason = Literal[
    "rejected-in-review",
    "unclassified",
    "no-caption",
    "non-photo",
    "low-res",
    "sensitive",
    "annotated",
    "undecodable",
    "duplicate",
]


class PairRecord(BaseModel):
    """One kept image with its cleaned caption, demographics and split (MM-Skin's caption subset)."""

    image_id: str
    figure_id: str
    book_id: str
    source_pdf: str
    page: int
    panel_letter: str | None
    image: ImageData
    width: int
    height: int
    sha256: str
    modality: Modality | None = Field(description="From classify; null only when curated with --no-modality.")
    figure_label: str | None = Field(description="The figure label moved out of the caption, e.g. '12.3'.")
    caption: str = Field(description="Cleaned caption (figure caption, or the panel's sub-caption plus context).")
    caption_raw: str = Field(description="The caption as extracted, for traceability.")
    subcaption: str | None
    credit: str | None = Field(description="'Courtesy of …' / 'Reproduced with permission …' moved out of the caption.")
    mentions: list[str]
    age_min_years: float | None = Field(description="Lower bound of the stated age in years (exact age: both bounds).")
    age_max_years: float | None = Field(description="Upper bound; null with a lower bound for open ranges ('elderly').")
    age_text: str | None = Field(description="The span the age came from.")
    sex: Literal["male", "female"] | None
    sex_text: str | None = Field(description="The span the sex came from.")
    body_sites: list[str] = Field(description="Terms of the documented body-site vocabulary found in the text.")
    fitzpatrick: str | None = Field(description="Fitzpatrick skin type I-VI when stated.")
    dup_group: str = Field(
        description="Duplicate group id: the smallest image_id of the group (exact and near duplicates share one)."
    )
    dup_count: int = Field(description="Images in the duplicate group, this one included (1: no duplicate).")
    phash: str = Field(description="64-bit DCT perceptual hash, 16 hex digits.")
    split: Split


class DemographicsQA(BaseModel):
    """Templated QA about one demographic field, traceable to its caption span (MM-Skin's D subset)."""

    qa_id: str
    image_id: str
    split: Split
    field: Literal["age", "sex", "body_site", "fitzpatrick"]
    question: str
    answer: str
    evidence: str = Field(description="The span the answer comes from.")
    evidence_source: str = Field(
        description="Where the evidence is: 'caption' (the pair's caption), 'mentions[N]', or 'review' (a value "
        "a reviewer set; the evidence is that value)."
    )
    evidence_start: int = Field(description="Character offset of the evidence in that text.")
    evidence_end: int


class DroppedRecord(BaseModel):
    """An input image that curate did not keep, and why."""

    image_id: str
    figure_id: str
    book_id: str
    source_pdf: str
    page: int
    caption: str | None = Field(description="The cleaned caption (for review), null when there was none.")
    reason: DropReason = Field(description="The first filter that dropped the image (filters run in this order).")
    detail: str = Field(
        description="Why, in words: the modality, the size, the keyword, the marks found, the kept image."
    )
    dup_group: str | None = Field(default=None, description="For duplicates: the group, shared with the kept image.")

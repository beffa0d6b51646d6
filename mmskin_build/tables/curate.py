"""Tables written by `mmskin-build curate` (owned by the curate stage; other stages read them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.tables.common import ImageData

Split = Literal["train", "val", "test"]
Modality = Literal["clinical", "dermoscopy", "pathology", "other"]


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
    modality: Modality
    figure_label: str | None = Field(description="The figure label moved out of the caption, e.g. '12.3'.")
    caption: str = Field(description="Cleaned caption (figure caption, or the panel's sub-caption plus context).")
    caption_raw: str = Field(description="The caption as extracted, for traceability.")
    subcaption: str | None
    credit: str | None = Field(description="'Courtesy of …' / 'Reproduced with permission …' moved out of the caption.")
    mentions: list[str]
    age_min_years: float | None
    age_max_years: float | None
    age_text: str | None = Field(description="The span the age came from.")
    sex: Literal["male", "female"] | None
    sex_text: str | None
    body_sites: list[str] = Field(description="Terms of the documented body-site vocabulary found in the text.")
    fitzpatrick: str | None = Field(description="Fitzpatrick skin type I-VI when stated.")
    dup_group: str = Field(description="Duplicate group id (exact and near duplicates share one).")
    split: Split


class DemographicsQA(BaseModel):
    """Templated QA about one demographic field, traceable to its caption span (MM-Skin's D subset)."""

    qa_id: str
    image_id: str
    split: Split
    field: Literal["age", "sex", "body_site", "fitzpatrick"]
    question: str
    answer: str
    evidence: str = Field(description="The caption span the answer comes from.")
    evidence_start: int = Field(description="Character offset of the evidence in the pair's caption.")
    evidence_end: int


class DroppedRecord(BaseModel):
    """An input image that curate did not keep, and why."""

    image_id: str
    figure_id: str
    source_pdf: str
    page: int
    reason: str = Field(description="non-photo | low-res | annotated | sensitive | no-caption | duplicate | ...")
    detail: str
    dup_group: str | None = None

"""Tables written by `mmskin-build generate-vqa` (owned by the generate-vqa stage)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.tables.curate import Split

QuestionType = Literal[
    "morphology",
    "colour",
    "distribution",
    "location",
    "diagnosis",
    "differential_diagnosis",
    "dermoscopic_structures",
    "histological_features",
    "demographics",
]


class VqaRecord(BaseModel):
    """One accepted question-answer pair about one image, traceable to its caption span and its request."""

    qa_id: str = Field(description="Stable id: hash of the cache key and the item's position in the response.")
    image_id: str
    split: Split = Field(description="Inherited from the image's pair, so no image has QA in two splits.")
    question: str
    answer: str
    question_type: QuestionType
    evidence: str = Field(description="The caption (or citing sentence) span that supports the answer, as found there.")
    evidence_source: str = Field(
        "caption",
        description="Where the evidence is: 'caption', or 'mention N' (the pair's Nth citing sentence, 1-based).",
    )
    evidence_start: int = Field(description="Character offset of the evidence in its source (see evidence_source).")
    evidence_end: int
    backend: Literal["vllm", "rules"]
    mode: Literal["text", "vision"]
    prompt_version: str = Field(description="Prompt template name and version, e.g. 'vqa-text-v1'.")
    model: str = Field(description="Served model name ('rules' for the templated backend).")
    sampling: str = Field(description="Sampling parameters actually used, seed included, as canonical JSON.")
    response_id: str | None = Field(description="The server's completion id; null for the rules backend.")
    cache_key: str = Field(description="Key of the cached response this row came from.")


class VqaDroppedRecord(BaseModel):
    """One generated item that generate-vqa left out of `vqa`, and why (rewritten with `vqa` on every run)."""

    qa_id: str = Field(description="The id the item would have had in `vqa` (hash of cache key and position).")
    image_id: str
    question: str
    answer: str
    question_type: str = Field(description="As the model or the rules wrote it.")
    evidence: str = Field(description="The evidence the item cited, as written (it may be in no caption).")
    reason: str = Field(description="The first gate it failed, 'review' (a reviewer rejected it) or 'type-balance'.")
    detail: str | None = Field(
        description="The text the gate matched (or the earlier duplicate question); null where the gate gives none."
    )
    cache_key: str = Field(description="Key of the cached response (or rules request) the item came from.")
    prompt_version: str

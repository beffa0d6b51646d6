"""Tables written by `mmskin-build generate-vqa` (owned by the generate-vqa stage)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mmskin_build.tables.curate import Split


class VqaRecord(BaseModel):
    """One accepted question-answer pair about one image."""

    qa_id: str
    image_id: str
    split: Split
    question: str
    answer: str
    question_type: str = Field(description="morphology, colour, distribution, location, diagnosis, ...")
    evidence: str = Field(description="The caption span that supports the answer.")
    backend: Literal["vllm", "rules"]
    mode: Literal["text", "vision"]
    prompt_version: str
    model: str
    sampling: str = Field(description="Sampling parameters as canonical JSON.")
    response_id: str | None
    cache_key: str

"""The `corrections` table written by `mmskin-build review` (append-only; every later stage applies it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CorrectionTarget = Literal["figure", "image", "qa"]
# What a correction may set, per target: figure: status, caption; image (a panel, or a whole-figure image):
# status, subcaption, modality, age, sex, body_sites, fitzpatrick; qa (vqa or demographics row): status,
# question, answer.
CorrectionField = Literal[
    "status", "caption", "subcaption", "modality", "age", "sex", "body_sites", "fitzpatrick", "question", "answer"
]
REVIEW_STATUSES = ("approved", "rejected")


class CorrectionRecord(BaseModel):
    """One reviewer decision. The table is only ever appended to; for one target and field the last row wins."""

    correction_id: str = Field(description="Unique id of this correction (random, 16 hex digits).")
    target: CorrectionTarget = Field(description="What is corrected: a whole figure, an image (panel) or a QA item.")
    target_id: str = Field(description="figure_id, image_id or qa_id: stable ids, so re-extraction keeps them.")
    figure_id: str = Field(description="The figure the target belongs to (for listing and for orphan checks).")
    field: CorrectionField
    old_value: str | None = Field(description="The value the reviewer saw, as text.")
    new_value: str | None = Field(
        description="The value set, as text: status 'approved' or 'rejected'; age '45', '60-69' or '65+'; "
        "body_sites comma-separated; null or '' clears a field."
    )
    reason: str | None = Field(default=None, description="Why, for a rejection (free text).")
    reviewer: str = Field(description="Who decided (the --reviewer name, default the login name).")
    created_at: str = Field(description="UTC time of the decision, ISO 8601.")
    tool_version: str = Field(description="mmskin-build version that wrote the row.")

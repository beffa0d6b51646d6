"""Types shared by several tables."""

import builtins

from pydantic import BaseModel, ConfigDict, Field

Bbox = list[float]
"""[x0, y0, x1, y1] in PDF points, top-left origin, in pdfplumber's page coordinates."""


class ImageData(BaseModel):
    """An encoded image, stored like `datasets.Image` (struct of bytes and path) so it loads as one."""

    model_config = ConfigDict(frozen=True)

    bytes: builtins.bytes = Field(description="PNG or JPEG file bytes.")
    path: str | None = Field(default=None, description="Suggested file name; the bytes are authoritative.")


class ErrorRecord(BaseModel):
    """One input (file, page, image or request) that a stage could not process, and why."""

    stage: str = Field(description="The stage that failed: extract, classify, curate, generate-vqa, ...")
    source: str = Field(description="The input file (name) or item the error is about.")
    page: int | None = Field(default=None, description="1-based page number, when the error is about a page.")
    item_id: str | None = Field(default=None, description="Figure, image or request id, when there is one.")
    reason: str = Field(description="Short machine-readable reason, e.g. 'encrypted', 'not-a-pdf', 'decode-failed'.")
    detail: str = Field(description="Human-readable explanation.")

"""Types shared by several tables."""

from __future__ import annotations

import builtins
import traceback

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

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
    # Not a column: the traceback of the exception behind the error, where a bug raised one, which
    # `mmskin-build --debug` prints under the error's line (it is pickled with the record from a worker process).
    _traceback: str | None = PrivateAttr(default=None)

    def raised(self, exc: BaseException) -> ErrorRecord:
        """This record, keeping the traceback of `exc` for `--debug`."""
        self._traceback = "".join(traceback.format_exception(exc))
        return self

    @property
    def python_traceback(self) -> str | None:
        return self._traceback

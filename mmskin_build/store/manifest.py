"""`manifest.json` (plus its commit log, see `manifest_log`): what a dataset directory holds and how it was made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from mmskin_build import __version__

MANIFEST_VERSION = 1


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ShardInfo(BaseModel):
    file: str = Field(description="Path relative to the dataset root, e.g. 'images/part-00003.parquet'.")
    rows: int
    sha256: str
    size: int


class TableInfo(BaseModel):
    schema_name: str = Field(description="Row model name; its JSON Schema is schemas/<table>.json.")
    rows: int = 0
    shards: list[ShardInfo] = Field(default_factory=list)
    version: int = Field(default=0, description="Raised by every commit that changes the table's rows.")
    built_from: dict[str, int] = Field(
        default_factory=dict,
        description="Upstream table -> its version when this table was last rebuilt from it; the table is stale "
        "once an upstream's version differs.",
    )

    def stale_upstreams(self, tables: dict[str, TableInfo]) -> list[str]:
        """The upstream tables that changed since this table was built from them."""
        return [name for name, version in self.built_from.items() if name in tables and tables[name].version != version]


class InputInfo(BaseModel):
    """One input a stage consumed (a PDF for extract), so a re-run can skip it."""

    path: str
    sha256: str
    size: int
    stage: str
    status: Literal["done", "failed"]
    options: dict[str, Any] = Field(default_factory=dict, description="The stage's options this input was made with.")
    rows: dict[str, int] = Field(default_factory=dict, description="Rows this input contributed, per table.")
    shards: list[str] = Field(default_factory=list, description="Shards holding this input's rows (only its rows).")
    ocr_pages: list[int] = Field(default_factory=list, description="Pages (1-based) whose text was read by OCR.")
    ocr_engine: str | None = Field(default=None, description="The OCR engine and version, when any page was OCR'd.")


class StageRun(BaseModel):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    stage: str
    tool_version: str = __version__
    config: dict[str, Any] = Field(default_factory=dict)
    started_at: str = Field(default_factory=utc_now)
    finished_at: str | None = None
    status: Literal["running", "done", "interrupted", "failed"] = "running"
    read: dict[str, int] = Field(default_factory=dict, description="Upstream table -> the version this run read.")
    counts: dict[str, int] = Field(default_factory=dict)
    errors: int = 0


class Manifest(BaseModel):
    manifest_version: int = MANIFEST_VERSION
    tool_version: str = __version__
    created_at: str = Field(default_factory=utc_now)
    generation: int = Field(
        default=0, description="Numbers the commit log `manifest.<generation>.jsonl` whose lines extend this file."
    )
    tables: dict[str, TableInfo] = Field(default_factory=dict)
    inputs: dict[str, InputInfo] = Field(default_factory=dict, description="Keyed by stage and content hash.")
    runs: list[StageRun] = Field(default_factory=list)

    def last_done(self, stage: str) -> StageRun | None:
        """The latest run of `stage` that finished without failing or being interrupted."""
        return next((run for run in reversed(self.runs) if run.stage == stage and run.status == "done"), None)

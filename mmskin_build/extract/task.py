"""One task of `extract`, as a worker process (or a Ray worker) runs it.

Kept apart from `extract.stage` so that a worker imports only what extraction needs: unpickling the task
imports this module, and the stage's driver side (the engines, the stage skeleton, typer) stays out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mmskin_build.extract.document import ExtractConfig, PdfOutcome, PdfPart, extract_pdf


@dataclass(frozen=True)
class PdfTask:
    """What one task extracts: a whole PDF (`part` None) or a part of a split one. `sha256`: the PDF's content hash
    as the driver read it (None: the task hashes the file), so that a PDF and its parts are hashed once a run."""

    path: Path
    part: PdfPart | None = None
    sha256: str | None = None


def run_task(
    task: PdfTask, dataset_root: Path, config: ExtractConfig, on_page=None, finish_later: bool = False
) -> PdfOutcome:
    """One task of `extract` (any process, any node; `finish_later` only where the outcome is not sent to another
    process: see extract_pdf)."""
    return extract_pdf(task.path, dataset_root, config, on_page, task.part, finish_later, task.sha256)

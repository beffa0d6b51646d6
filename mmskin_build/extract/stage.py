"""`extract` as a resumable stage: PDFs in, committed shards out, one PDF at a time.

Each PDF is extracted into temporary shards (in this process or a worker process) and committed with
its content hash, so an interrupted run loses at most the PDFs in flight, and a re-run skips what is
done. Bad files become rows in `errors`; the other files go on.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from mmskin_build.engines import Engine
from mmskin_build.extract.document import STAGE, ExtractConfig, PdfOutcome, extract_pdf
from mmskin_build.store import Dataset
from mmskin_build.store.dataset import sha256_file
from mmskin_build.store.manifest import InputInfo
from mmskin_build.tables import ErrorRecord

console = Console(stderr=True)


# Counters a PdfOutcome and the run's summary share: the summary is their sum over PDFs.
_PER_PDF_COUNTS = ("pages", "figures", "panels", "images", "uncaptioned_dropped", "slices_dropped")


@dataclass
class ExtractSummary:
    pdfs: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    figures: int = 0
    panels: int = 0
    images: int = 0
    uncaptioned_dropped: int = 0
    slices_dropped: int = 0
    errors: int = 0
    seconds: float = 0.0
    error_lines: list[str] = field(default_factory=list)

    def add(self, outcome: PdfOutcome) -> None:
        self.pdfs += 1
        self.failed += outcome.status == "failed"
        for name in _PER_PDF_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(outcome, name))
        self.errors += len(outcome.errors)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}


def find_pdfs(inputs: Iterable[Path]) -> tuple[list[Path], list[ErrorRecord]]:
    """PDF files named or found under directories (recursively, any case of .pdf); missing paths are errors."""
    found: list[Path] = []
    missing: list[ErrorRecord] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(
                ErrorRecord(stage=STAGE, source=str(path), reason="not-found", detail="no such file or directory")
            )
    return list(dict.fromkeys(found)), missing


def _page_count(path: Path) -> int:
    try:
        with pdfium.PdfDocument(path) as document:
            return len(document)
    except Exception:  # any unreadable file: extract_pdf reports it properly
        return 0


def input_info(path: Path, outcome: PdfOutcome) -> InputInfo:
    return InputInfo(
        path=str(path),
        sha256=outcome.sha256,
        size=outcome.size,
        stage=STAGE,
        status=outcome.status,
        rows={"figures": outcome.figures, "images": outcome.images, "errors": len(outcome.errors)},
    )


def run_extract(
    inputs: list[Path],
    out: Path,
    config: ExtractConfig,
    workers: int = 1,
    force: bool = False,
    quiet: bool = False,
    engine: Engine | None = None,
) -> ExtractSummary:
    """Extract the PDFs into the dataset at `out`; `engine` (default: local with `workers`) says where the
    PDFs are extracted. Whatever the engine, this process commits each PDF as its task finishes."""
    engine = engine or Engine(workers=workers)
    engine.check()
    started = time.perf_counter()
    dataset = Dataset.create_or_open(out)
    summary = ExtractSummary()
    pdfs, missing = find_pdfs(inputs)
    for record in missing:
        _report_error(summary, record, quiet)
    if missing:
        writer = dataset.writer("errors")
        writer.extend(missing)
        dataset.commit(writer.close())
        summary.errors += len(missing)
    run_config = {**asdict(config), **engine.describe(), "force": force, "inputs": [str(p) for p in inputs]}
    run = dataset.start_run(STAGE, run_config)
    todo: list[Path] = []
    for path in pdfs:
        if not force and dataset.has_input(STAGE, sha256_file(path)):
            summary.skipped += 1
        else:
            todo.append(path)
    pages = {path: _page_count(path) for path in todo}
    todo.sort(key=lambda p: pages[p], reverse=True)  # longest first keeps workers busy to the end
    progress = Progress(
        TextColumn("[bold]extract[/bold] {task.fields[current]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("pages"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )
    with progress:
        task = progress.add_task("pages", total=sum(pages.values()), current="")
        # Workers on another node see the dataset under the same absolute path (a shared filesystem).
        extract = functools.partial(extract_pdf, dataset_root=dataset.root.resolve(), config=config)
        if engine.in_process:  # page-by-page progress where the task runs here
            extract = functools.partial(extract, on_page=lambda n: progress.advance(task, n))
        for path, outcome in engine.map_unordered(extract, todo):
            dataset.commit_input(input_info(path, outcome), outcome.staged)
            summary.add(outcome)
            for record in outcome.errors:
                _report_error(summary, record, quiet)
            progress.update(task, advance=0 if engine.in_process else pages[path], current=path.name)
    dataset.remove_orphans()  # temp shards of attempts whose worker died (their task was retried)
    summary.seconds = time.perf_counter() - started
    dataset.finish_run(run, summary.counts(), summary.errors)
    if not quiet:
        _print_summary(summary, out)
    return summary


def _report_error(summary: ExtractSummary, record: ErrorRecord, quiet: bool) -> None:
    where = f"{record.source}" + (f" page {record.page}" if record.page else "")
    line = f"error: {where}: {record.reason}: {record.detail}"
    summary.error_lines.append(line)
    if not quiet:
        print(line, file=sys.stderr)


def _print_summary(summary: ExtractSummary, out: Path) -> None:
    table = Table(title=f"extract -> {out}", show_header=True)
    for column in ("PDFs", "skipped", "failed", "pages", "figures", "panels", "images", "errors", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.pdfs),
        str(summary.skipped),
        str(summary.failed),
        str(summary.pages),
        str(summary.figures),
        str(summary.panels),
        str(summary.images),
        str(summary.errors),
        f"{summary.seconds:.1f}",
    )
    Console().print(table)

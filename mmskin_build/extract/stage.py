"""`extract` as a resumable stage: PDFs in, committed shards out, one PDF at a time.

Each PDF is extracted into temporary shards (in this process or a worker process) and committed with
its content hash and the options it was made with, so an interrupted run loses at most the PDFs in flight,
and a re-run skips what is done (saying so when it was made with other options). Bad files become rows in
`errors`; the other files go on. The same file given twice (a copy, a link) is extracted once. When tasks
run in parallel, a long PDF is extracted as a first pass and then page ranges (`PdfPart`), longest work
first, and committed once all its parts are back.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium

from mmskin_build.engines import Engine
from mmskin_build.extract.document import (
    PER_PDF_COUNTS,
    STAGE,
    ExtractConfig,
    PdfOutcome,
    PdfPart,
    book_id_of,
)
from mmskin_build.extract.task import PdfTask, run_task
from mmskin_build.pipeline import Stage, StageEvents, UsageError, open_stage
from mmskin_build.store.dataset import sha256_file
from mmskin_build.store.manifest import InputInfo

# With parallel tasks, a long PDF is extracted in page ranges of this many pages: short enough that the last
# tasks of a run are small, long enough that a task's start-up stays small beside it.
PAGES_PER_TASK = 16


def split_above(pages: dict[Path, int], workers: int | None) -> int:
    """PDFs longer than this many pages are extracted as a first pass and page ranges. A PDF under half of a
    worker's share of the run's pages stays one task: the other PDFs keep the workers busy, and splitting would
    cost a second read of its pages (a first pass alone, then the ranges). Where the number of workers is not known
    (a Ray cluster), every PDF over PAGES_PER_TASK is split."""
    if workers is None:
        return PAGES_PER_TASK
    return max(PAGES_PER_TASK, sum(pages.values()) // (2 * workers))


@dataclass
class ExtractSummary:
    pdfs: int = 0
    skipped: int = 0
    other_options: int = 0  # skipped although this run asked for other options
    duplicates: int = 0  # the same content given again under another path
    failed: int = 0
    pages: int = 0
    figures: int = 0
    panels: int = 0
    images: int = 0
    uncaptioned_dropped: int = 0
    slices_dropped: int = 0
    decorations_dropped: int = 0
    text_pictures_dropped: int = 0
    errors: int = 0
    seconds: float = 0.0

    def add(self, outcome: PdfOutcome) -> None:
        self.pdfs += 1
        self.failed += outcome.status == "failed"
        for name in PER_PDF_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(outcome, name))
        self.errors += len(outcome.errors)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}


def find_pdfs(inputs: Iterable[Path]) -> list[Path]:
    """PDF files named or found under directories (recursively, any case of .pdf); a missing path is a UsageError."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory; give PDF files or folders of PDFs")
    return found


def _page_count(path: Path) -> int:
    try:
        with pdfium.PdfDocument(path) as document:
            return len(document)
    except Exception:  # any unreadable file: extract_pdf reports it properly
        return 0


# The modules whose code decides extract's rows: a change in any of them makes a new extractor.
_EXTRACTOR_CODE = ("extract", "text", "imaging.py")


@functools.cache
def extractor_fingerprint() -> str:
    """A hash of the extractor's source code, recorded with each input's options: a dataset made by an earlier
    version keeps its rows, but a re-run says they came from other code (--force re-extracts)."""
    return code_fingerprint(Path(__file__).resolve().parents[1])


def code_fingerprint(package: Path) -> str:
    """A hash of the `_EXTRACTOR_CODE` source files under `package`, by path and content."""
    digest = hashlib.sha256()
    for name in _EXTRACTOR_CODE:
        files = [package / name] if name.endswith(".py") else sorted((package / name).rglob("*.py"))
        for file in files:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:12]


def recorded_options(config: ExtractConfig) -> dict:
    """What an input is recorded as made with: the run's options and the extractor's code."""
    return asdict(config) | {"extractor": extractor_fingerprint()}


def input_info(path: Path, outcome: PdfOutcome, config: ExtractConfig) -> InputInfo:
    return InputInfo(
        path=str(path),
        sha256=outcome.sha256,
        size=outcome.size,
        stage=STAGE,
        status=outcome.status,
        options=recorded_options(config),
        rows={"figures": outcome.figures, "images": outcome.images, "errors": len(outcome.errors)},
        ocr_pages=outcome.ocr_pages,
        ocr_engine=outcome.ocr_engine,
    )


def _options_text(options: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(options.items()))


def _unique_by_content(pdfs: list[Path], summary: ExtractSummary, events: StageEvents) -> dict[str, Path]:
    """Content hash -> the first path with that content; the others are announced and counted."""
    first: dict[str, Path] = {}
    for path in pdfs:
        sha256 = sha256_file(path)
        if sha256 in first:
            summary.duplicates += 1
            events.notice(f"{path}: same content as {first[sha256]}; extracted once")
        else:
            first[sha256] = path
    return first


def _todo(
    stage: Stage, unique: dict[str, Path], config: ExtractConfig, force: bool, summary: ExtractSummary
) -> list[PdfTask]:
    """The PDFs to extract now: new ones, failed ones, and with `force` all of them. Each task carries the hash
    read here, so that no task hashes its PDF again."""
    todo: list[PdfTask] = []
    options = recorded_options(config)
    for sha256, path in unique.items():
        done = stage.dataset.input_record(STAGE, sha256)
        if force or done is None or done.status != "done":
            todo.append(PdfTask(path, sha256=sha256))
            continue
        summary.skipped += 1
        if done.options and done.options != options:
            summary.other_options += 1
            stage.events.notice(
                f"{path}: already extracted with {_options_text(done.options)}; this run asks for "
                f"{_options_text(options)}; kept the earlier extraction (--force re-extracts it)"
            )
    return todo


def run_extract(
    inputs: list[Path],
    out: Path,
    config: ExtractConfig,
    workers: int = 1,
    force: bool = False,
    engine: Engine | None = None,
    events: StageEvents | None = None,
) -> ExtractSummary:
    """Extract the PDFs into the dataset at `out`; `engine` (default: local with `workers`) says where the
    PDFs are extracted. Whatever the engine, this process commits each PDF as its task finishes."""
    engine = engine or Engine(workers=workers)
    engine.check()
    events = events or StageEvents()
    started = time.perf_counter()
    summary = ExtractSummary()
    pdfs = find_pdfs(inputs)
    unique = _unique_by_content(pdfs, summary, events)
    run_config = {**recorded_options(config), **engine.describe(), "force": force, "inputs": [str(p) for p in inputs]}
    with open_stage(out, STAGE, run_config, events, create=True) as stage:
        todo = _todo(stage, unique, config, force, summary)
        pages = {task.path: _page_count(task.path) for task in todo}
        todo.sort(key=lambda task: pages[task.path], reverse=True)  # longest first keeps workers busy to the end
        advance = events.progress("extract", sum(pages.values()))
        # Workers on another node see the dataset under the same absolute path (a shared filesystem).
        extract = functools.partial(run_task, dataset_root=stage.dataset.root.resolve(), config=config)
        # A PDF extracted in this process hands its outcome back before its last rows are written, so that the next
        # PDF is read beside them (`_completed`); with one worker, progress is counted page by page.
        extract_here = functools.partial(extract, finish_later=True)
        if engine.in_process:
            extract_here = functools.partial(extract_here, on_page=advance)
        try:
            progress = None if engine.in_process else advance
            for path, outcome in _extracted(engine, extract, extract_here, todo, pages, progress):
                stage.commit_input(
                    input_info(path, outcome, config), outcome.staged, ("book_id", book_id_of(outcome.sha256))
                )
                summary.add(outcome)
                for record in outcome.errors:
                    stage.report_error(record)
        finally:
            summary.seconds = time.perf_counter() - started
            stage.counts.update(summary.counts())
    return summary


def _extracted(
    engine: Engine,
    extract,
    extract_here,
    todo: list[PdfTask],
    pages: dict[Path, int],
    advance: Callable[[int], None] | None,
) -> Iterator[tuple[Path, PdfOutcome]]:
    """(PDF, outcome) for every PDF of `todo` (longest first) as its tasks finish. With parallel tasks, a PDF
    longer than `split_above` is a first pass (queued before the whole PDFs, so it is back early), whose page
    ranges then go ahead of the tasks not yet started, longest first; its parts are absorbed in page order."""
    longest = split_above(pages, engine.known_workers)
    split = [] if engine.in_process else [task for task in todo if pages[task.path] > longest]
    first_round = [replace(task, part=PdfPart()) for task in split] + [task for task in todo if task not in split]
    first_passes: dict[Path, PdfOutcome] = {}
    parts: dict[Path, list[tuple[int, PdfOutcome]]] = {}
    ranges = functools.partial(_page_ranges, pages)
    # here: this process is one of the workers; its pdfium is idle while tasks run (page counts come before).
    results = engine.map_unordered(extract, first_round, more=ranges, here=True, task_here=extract_here)
    for task, outcome in _completed(results):
        if advance:
            advance(outcome.pages)
        path = task.path
        if task.part is not None and task.part.text is not None:  # a page range
            parts[path].append((task.part.pages.start, outcome))
            if len(parts[path]) == len(range(0, pages[path], PAGES_PER_TASK)):
                whole = first_passes.pop(path)
                for _, part in sorted(parts.pop(path), key=lambda item: item[0]):
                    whole.absorb(part)
                whole.text = None
                yield path, whole
        elif task.part is not None and outcome.text is not None:  # a first pass: its page ranges are queued
            first_passes[path], parts[path] = outcome, []
        else:  # a whole PDF, or one that did not open
            yield path, outcome


def _completed(results: Iterator[tuple[PdfTask, PdfOutcome]]) -> Iterator[tuple[PdfTask, PdfOutcome]]:
    """The engine's (task, outcome) pairs, each outcome complete, in the engine's order. An outcome returned while its
    last rows were still being written (`finish_later`) is held until the next one is back: the next PDF is read
    beside those rows instead of after them. Stopping (Ctrl-C, an error) stops the held outcome's writing."""
    held: tuple[PdfTask, PdfOutcome] | None = None
    try:
        for task, outcome in results:
            before, held = held, (task, outcome)
            if before is not None:
                before[1].finish()
                yield before
            if outcome.unfinished is None:
                held = None
                yield task, outcome
        if held is not None:
            held[1].finish()
            yield held
    except BaseException:
        if held is not None:
            # already stopping for the error raised (a full disk, say): that one is reported, not what its rows'
            # writer then raises on the way out, which would print as a traceback when the generator is collected
            with contextlib.suppress(Exception):
                held[1].finish(cancel=True)
        raise


def _page_ranges(pages: dict[Path, int], task: PdfTask, outcome: PdfOutcome) -> list[PdfTask]:
    """The page-range tasks of a PDF whose first pass is back, longest first; none after any other task."""
    if task.part is None or task.part.text is not None or outcome.text is None:
        return []
    count = pages[task.path]
    ranges = sorted(
        (range(start, min(start + PAGES_PER_TASK, count)) for start in range(0, count, PAGES_PER_TASK)),
        key=len,
        reverse=True,
    )
    return [replace(task, part=PdfPart(part, outcome.text.for_pages(part))) for part in ranges]

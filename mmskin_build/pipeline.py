"""The skeleton every stage that writes into a dataset runs in.

    with open_stage(root, "classify", config, events) as stage:
        stage.uses("images")                      # records the table's version; refuses a stale one
        ...work, reporting through stage.events...
        stage.replace_table("images", staged)     # or stage.commit_input(...) per input
        stage.replace_errors(records)             # this stage's rows of `errors`, one way for all stages
        stage.counts.update(...)

`open_stage` takes the dataset's exclusive lock (a second writer waits, saying so through `events.waiting`,
or fails fast when that returns False), opens or creates the dataset, removes only the tool's own leftovers,
reports strays, and records the run in the manifest: config, the upstream table versions it read, counts,
errors and how it ended. Every commit re-reads the manifest under the lock. A Ctrl-C inside the block is
recorded and becomes `StageInterrupted` with the number of commits made, so the CLI can say how far it got.

Stages never print: they call `StageEvents` (progress, notices, errors), which the CLI layer implements.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import filelock

from mmskin_build.store import Dataset
from mmskin_build.store.dataset import StagedShard, check_new_dataset_dir
from mmskin_build.store.manifest import InputInfo, StageRun
from mmskin_build.tables import ErrorRecord

LOCK_FILE = ".lock"
WRITER_FILE = ".writer"  # who holds the lock, for the message a waiting writer shows


class UsageError(Exception):
    """Input the user can fix (a path, an option, a missing upstream stage): one line, exit 2."""


class RunFailed(Exception):
    """Something outside the user's input stopped the run (LLM servers down, a server that did not start):
    one line, exit 1."""


class StageInterrupted(Exception):
    """Ctrl-C during a stage, after what had finished was committed."""

    def __init__(self, stage: str, committed: int) -> None:
        super().__init__(f"{stage} interrupted after {committed} commits")
        self.stage = stage
        self.committed = committed


class StageEvents:
    """What a stage tells the CLI layer while it runs; the defaults are silent (tests, benchmarks, libraries)."""

    def waiting(self, message: str) -> bool:
        """Another run holds the dataset: True waits for it, False gives up (a UsageError)."""
        return True

    def progress(self, label: str, total: int | None) -> Callable[[int], None]:
        """Start a progress bar; returns the function that advances it."""
        return _ignore

    def status(self, message: str) -> None:
        """The latest state of the work under the current progress bar (a training loss)."""

    def notice(self, message: str) -> None:
        """Something the user should know that is not an error (a skipped duplicate, a stray file)."""

    def error(self, record: ErrorRecord) -> None:
        """An input that failed; it is (or will be) recorded in the `errors` table."""


def _ignore(_n: int) -> None:
    pass


class Stage:
    """A stage's handle on its dataset while it holds the lock (see the module docstring)."""

    def __init__(self, dataset: Dataset, run: StageRun, events: StageEvents) -> None:
        self.dataset = dataset
        self.run = run
        self.events = events
        self.counts: Counter[str] = Counter()
        self.errors = 0
        self.committed = 0
        self.ctrl_c_pressed = False  # set by `_ctrl_c_noted`

    @property
    def name(self) -> str:
        return self.run.stage

    def uses(self, *tables: str) -> None:
        """Record the versions of the upstream tables this run reads; a stale one is refused."""
        stale_tables = self.dataset.stale_tables()
        for table in tables:
            stale = stale_tables.get(table)
            if stale:
                raise UsageError(
                    f"{self.dataset.root}/{table}: stale ({', '.join(stale)} changed since it was built); "
                    f"{REBUILD_HINT.get(table, 'rebuild it')} first"
                )
            self.run.read[table] = self.dataset.version(table)

    def require_rows(self, table: str, hint: str) -> None:
        if not self.dataset.rows(table):
            raise UsageError(f"{self.dataset.root}: the `{table}` table is empty or missing; {hint}")

    def commit_input(
        self, item: InputInfo, staged: Iterable[StagedShard], row_key: tuple[str, str] | None = None
    ) -> None:
        with _interrupts_deferred(self):
            self.dataset.commit_input(item, staged, row_key)
            self.committed += 1

    def replace_table(self, table: str, staged: Iterable[StagedShard]) -> None:
        """Swap in a rebuilt table, recording the upstream versions this run read as its lineage."""
        self.replace_tables({table: staged})

    def replace_tables(self, staged: dict[str, Iterable[StagedShard]]) -> None:
        """`replace_table` for several tables in one commit."""
        with _interrupts_deferred(self):
            self.dataset.replace_tables(staged, built_from=dict(self.run.read))
            self.committed += 1

    def report_error(self, record: ErrorRecord) -> None:
        """An error of one input whose row is committed with that input (extract)."""
        self.errors += 1
        self.events.error(record)

    def replace_errors(self, records: list[ErrorRecord]) -> None:
        """Make this stage's rows of `errors` exactly `records` (a re-run replaces the last run's)."""
        for record in records:
            self.report_error(record)
        self.dataset.replace_stage_errors(self.name, records)


@contextlib.contextmanager
def _interrupts_deferred(stage: Stage) -> Iterator[None]:
    """A Ctrl-C during a commit takes effect after it, so the count of commits said afterwards is exact; one
    pressed before it (see `_ctrl_c_noted`) stops the run before it commits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if stage.ctrl_c_pressed:
        raise KeyboardInterrupt
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _ctrl_c_noted(stage: Stage) -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt, as Python's own handler does, and is noted on `stage`.

    ctypes turns a KeyboardInterrupt raised while it converts a foreign call's arguments into an `ArgumentError`
    ("argument 1: KeyboardInterrupt: "), an ordinary exception, which a page's error handler takes for a broken
    page: the run would go on and commit that error. With the note, the next commit stops the run instead. One
    raised where Python cannot raise it (a weakref callback, `__del__`) goes to `sys.unraisablehook`, which would
    print it with a traceback and lose it: it is noted all the same, and not printed."""
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is not signal.default_int_handler  # ignored, or the caller's own
    ):
        yield
        return

    def interrupt(number, frame):
        stage.ctrl_c_pressed = True
        signal.default_int_handler(number, frame)

    previous_hook = sys.unraisablehook

    def unraisable(event) -> None:
        if not isinstance(event.exc_value, KeyboardInterrupt):
            previous_hook(event)

    signal.signal(signal.SIGINT, interrupt)
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = previous_hook


# Which command rebuilds a derived table, for the message about a stale one.
REBUILD_HINT = {
    "pairs": "run `mmskin-build curate` again",
    "demographics": "run `mmskin-build curate` again",
    "dropped": "run `mmskin-build curate` again",
    "vqa": "run `mmskin-build generate-vqa` again",
    "vqa_dropped": "run `mmskin-build generate-vqa` again",
}


@contextlib.contextmanager
def open_stage(
    root: Path | str, stage: str, config: dict[str, Any], events: StageEvents | None = None, create: bool = False
) -> Iterator[Stage]:
    """Run a stage on the dataset at `root` (created when `create` and absent) under its exclusive lock."""
    root = Path(root)
    events = events or StageEvents()
    if create:
        if not (root / "manifest.json").is_file():
            check_new_dataset_dir(root)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"{root}: cannot create the dataset directory ({exc.strerror}); choose another path"
            ) from None
    else:
        Dataset.open(root)  # a missing or foreign directory is an error, never a new empty dataset
    with _locked(root, stage, events):
        dataset = Dataset.create_or_open(root)  # checked above to be a dataset unless `create`
        for path in dataset.strays():
            events.notice(f"{path}: not written by mmskin-build (not in the manifest); left as it is")
        run = StageRun(stage=stage, config=config)
        dataset.start_run(run)
        handle = Stage(dataset, run, events)
        try:
            with _ctrl_c_noted(handle):
                yield handle
            if handle.ctrl_c_pressed:  # taken for an ordinary error on the way, after the last commit
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            _finish(handle, "interrupted")
            raise StageInterrupted(stage, handle.committed) from None
        except BaseException as exc:
            with contextlib.suppress(Exception):  # the failure may be the disk itself; report that one
                _finish(handle, "failed")
            if isinstance(exc, OSError) and not exc.filename:
                exc.filename = str(root)  # pyarrow's write errors name no file; the dataset is the place to look
            raise
        _finish(handle, "done")


def _finish(stage: Stage, status: str) -> None:
    stage.dataset.remove_temp()  # temp shards of tasks whose worker died or were cancelled
    stage.run.status = status  # type: ignore[assignment]
    stage.run.counts = dict(sorted(stage.counts.items()))
    stage.run.errors = stage.errors
    stage.dataset.finish_run(stage.run)


class _NoWait(StageEvents):
    def waiting(self, message: str) -> bool:
        return False


def writer_lock(root: Path | str, who: str, wait: bool = True) -> contextlib.AbstractContextManager[None]:
    """The lock a stage holds, for a short write outside any stage (a review session's save); without `wait`
    a held lock is a UsageError at once, naming the holder."""
    return _locked(Path(root), who, StageEvents() if wait else _NoWait())


@contextlib.contextmanager
def _locked(root: Path, stage: str, events: StageEvents) -> Iterator[None]:
    lock = filelock.FileLock(root / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        holder = _holder(root)
        if not events.waiting(f"{root}: another run is writing this dataset ({holder}); waiting for it to finish"):
            raise UsageError(
                f"{root}: another run is writing this dataset ({holder}); try again when it ends"
            ) from None
        lock.acquire()
    try:
        (root / WRITER_FILE).write_text(f"{stage}, pid {os.getpid()}, since {time.strftime('%H:%M:%S')}")
        yield
    finally:
        lock.release()


def _holder(root: Path) -> str:
    try:
        return (root / WRITER_FILE).read_text().strip()
    except OSError:
        return "another process"

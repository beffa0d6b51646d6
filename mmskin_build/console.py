"""The CLI side of every stage: progress, notices, error lines, summaries and exit codes.

Exit codes, the same for every command: 0 done; 1 finished with failed inputs (recorded in `errors`) or
stopped by the machine (disk full); 2 usage errors (a bad path or option, not a dataset, a damaged dataset,
no permission); 130 interrupted (what finished is committed). A user or IO error prints one line naming
the thing and what to do; the traceback only with `mmskin-build --debug`.
"""

from __future__ import annotations

import errno
import functools
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from mmskin_build.pipeline import RunFailed, StageEvents, StageInterrupted, UsageError
from mmskin_build.store import DatasetError
from mmskin_build.tables import ErrorRecord

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


@dataclass
class Settings:
    """The global options (`mmskin-build --debug --no-wait COMMAND`)."""

    debug: bool = False
    wait: bool = True


settings = Settings()


def error_line(record: ErrorRecord) -> str:
    where = record.source + (f" page {record.page}" if record.page else "")
    where += f" ({record.item_id})" if record.item_id and record.item_id != record.source else ""
    return f"error: {where}: {record.reason}: {record.detail}"


class ConsoleEvents(StageEvents):
    """Stage events on the terminal: progress bars on stderr (transient), notices and error lines."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def waiting(self, message: str) -> bool:
        if settings.wait:  # with --no-wait the stage's error line says it
            err.print(message, markup=False)
        return settings.wait

    def progress(self, label: str, total: int | None) -> Callable[[int], None]:
        self.close()
        self._progress = Progress(
            TextColumn(f"[bold]{label}[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"),
            console=err,
            transient=True,
            disable=not err.is_terminal,  # a log file gets the summary, not bar frames
        )
        self._progress.start()
        task = self._task = self._progress.add_task(label, total=total, status="")
        progress = self._progress
        return lambda n: progress.advance(task, n)

    def status(self, message: str) -> None:
        if self._progress is not None and not self._progress.disable and self._task is not None:
            self._progress.update(self._task, status=message)
        else:  # a log file gets one line per status
            err.print(message, markup=False)

    def notice(self, message: str) -> None:
        err.print(f"note: {message}", markup=False)

    def error(self, record: ErrorRecord) -> None:
        err.print(error_line(record), markup=False)
        if settings.debug and record.python_traceback:
            err.print(record.python_traceback, markup=False, end="")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = self._task = None


@contextmanager
def stage_events() -> Iterator[ConsoleEvents]:
    """Events for one command; the progress bar is cleared however the command ends."""
    events = ConsoleEvents()
    try:
        yield events
    finally:
        events.close()


def exit_for(failed: int) -> None:
    """After the summary: exit 1 when some inputs failed (their rows are in `errors`)."""
    if failed:
        raise typer.Exit(EXIT_FAILED)


_USAGE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def describe_os_error(exc: OSError) -> tuple[str, int]:
    """One line about an OSError, naming the file, and the exit code."""
    name = exc.filename or _filename_in(str(exc))
    where = f"{name}: " if name else ""
    code = exc.errno if exc.errno is not None else _errno_in(str(exc))
    if code in _FULL_ERRNOS:
        return f"{where}no space left on the device; free some space and run again (finished work is kept)", EXIT_FAILED
    if code == errno.EROFS:
        return f"{where}read-only file system; choose a writable location", EXIT_USAGE
    if code in (errno.EACCES, errno.EPERM):
        return f"{where}permission denied; check the owner and permissions, or choose another location", EXIT_USAGE
    detail = exc.strerror or str(exc)
    return f"{where}{detail}", EXIT_USAGE if code in _USAGE_ERRNOS else EXIT_FAILED


def _errno_in(text: str) -> int | None:
    """pyarrow's IO errors carry the errno only in their message ("[errno 28] ...")."""
    for code in _FULL_ERRNOS | _USAGE_ERRNOS:
        if f"errno {code}]" in text.lower() or (code == errno.ENOSPC and "no space left" in text.lower()):
            return code
    return None


def _filename_in(text: str) -> str | None:
    words = [w.strip("'\"`,:;()") for w in text.split()]
    return next((w for w in words if w.startswith("/") and len(w) > 1), None)


def _fail(message: str, code: int) -> None:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """A command whose user and IO errors become one line and an exit code (a traceback only with --debug)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if settings.debug and not isinstance(exc, StageInterrupted):
                traceback.print_exc(file=sys.stderr)
            _exit_for_exception(exc)
        except KeyboardInterrupt:  # outside a stage's block: nothing was being committed
            _interrupted(0)

    return run


def _exit_for_exception(exc: Exception) -> None:
    if isinstance(exc, StageInterrupted):
        _interrupted(exc.committed)
    if isinstance(exc, UsageError | DatasetError | typer.BadParameter):
        _fail(str(exc), EXIT_USAGE)
    if isinstance(exc, RunFailed):
        _fail(str(exc), EXIT_FAILED)
    if isinstance(exc, OSError):
        _fail(*describe_os_error(exc))
    import click  # typer's own usage errors already exit 2 before a command runs

    if isinstance(exc, click.ClickException):
        raise exc
    _fail(
        f"internal error: {type(exc).__name__}: {exc} (run `mmskin-build --debug ...` for the traceback)", EXIT_FAILED
    )


def _interrupted(committed: int) -> None:
    err.print(f"interrupted: {committed} committed, run again to resume", markup=False)
    raise typer.Exit(EXIT_INTERRUPTED)

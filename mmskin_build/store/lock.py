"""An exclusive lock on a dataset directory, held while its manifest is read, changed and written back.

Every writer rewrites the whole manifest, so two processes doing it at once (a review session appending a
correction while curate swaps its tables) would lose one change; holding `DATASET/.lock` (an OS file lock,
released when the process dies) makes each rewrite one step. The lock is re-entrant within a thread and
serialises the threads of one process too (a web server's request threads). The file has a dot name,
which the store ignores.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mmskin_build.store.errors import DatasetBusy

LOCK_FILE = ".lock"

_guard = threading.Lock()
_thread_locks: dict[Path, threading.RLock] = {}
_depth: dict[Path, int] = {}  # how deeply the thread holding a root's RLock has entered it


def _thread_lock(root: Path) -> threading.RLock:
    with _guard:
        return _thread_locks.setdefault(root, threading.RLock())


@contextmanager
def dataset_lock(root: Path | str, timeout: float | None = None, poll: float = 0.05) -> Iterator[None]:
    """Hold the dataset's lock; wait at most `timeout` seconds (None: as long as it takes)."""
    root = Path(root).resolve()
    deadline = None if timeout is None else time.monotonic() + timeout
    local = _thread_lock(root)
    if not local.acquire(timeout=-1 if timeout is None else timeout):
        raise DatasetBusy(f"{root}: another writer of this process holds the dataset; try again")
    try:
        if _depth.get(root, 0):
            _depth[root] += 1
            try:
                yield
            finally:
                _depth[root] -= 1
            return
        fd = _acquire_file_lock(root, deadline, poll)
        _depth[root] = 1
        try:
            yield
        finally:
            _depth[root] = 0
            os.close(fd)  # closing the descriptor releases the file lock
    finally:
        local.release()


def _acquire_file_lock(root: Path, deadline: float | None, poll: float) -> int:
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise DatasetBusy(f"{root}: another mmskin-build process is writing this dataset; try again") from None
            time.sleep(poll)

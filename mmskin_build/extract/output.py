"""extract's output thread: one PDF's rows and shards (and its PNG encoding) run on a thread of their own while the
reading thread goes on with the next figure or page; its OCR and panel searches on two more threads beside. The
threads are started once a process and serve its PDFs in turn.

pdfium is not thread-safe, so everything that calls it stays on the reading thread; the jobs handed over here
hold only pixels, bytes and plain values. The writes run one at a time in the order they were handed over, so the
rows come out in the same order as when they were written in place; OCR and panel searches write nothing and hand
their results back through futures, which the reading thread takes in order. PIL, OpenCV, numpy's kernels, parquet,
Tesseract (a child process) and pdfium's own calls release the GIL, so on a machine with free cores they overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

# Jobs handed over and not yet done, at most: each can hold a rendered figure's pixels (~10 MB at 200 dpi).
WAITING_JOBS = 4
# Threads for the jobs that write nothing and need no order (a page's OCR, a figure's panel search): two scans of a
# PDF (its covers) are read at once, each mostly waiting for its Tesseract process, rather than the second after the
# first, and a PDF's last panel searches do not wait behind the rows handed over before them.
BESIDE_THREADS = 2
T = TypeVar("T")


_STARTING = threading.Lock()
_threads: tuple[ThreadPoolExecutor, ThreadPoolExecutor] | None = None


def _process_threads() -> tuple[ThreadPoolExecutor, ThreadPoolExecutor]:
    """The process's write thread and its `BESIDE_THREADS`, started once and used by its PDFs in turn: starting
    threads for every PDF cost the reading thread a wait for each new thread to run (and a join at the PDF's end),
    ~0.3 s a run on the dev PDFs at a load of 2, several times that on a loaded machine."""
    global _threads
    with _STARTING:
        if _threads is None:
            _threads = (
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract-output"),
                ThreadPoolExecutor(max_workers=BESIDE_THREADS, thread_name_prefix="extract-beside"),
            )
        return _threads


class _HeldPixels:
    """The bytes of pixels that the process's pending write jobs hold (`OutputThread.submit`'s `holds`), over all its
    PDFs: the write thread is one a process, and a PDF's last rows (extract's `finish_later`) are written while the
    next PDF is read."""

    def __init__(self) -> None:
        self._by_job: dict[Future, int] = {}
        self._changed = threading.Condition()

    def add(self, job: Future, holds: int) -> None:
        with self._changed:
            if not job.done():  # else its `drop` has run, or runs with nothing to drop
                self._by_job[job] = holds

    def drop(self, job: Future) -> None:
        with self._changed:
            if self._by_job.pop(job, 0):
                self._changed.notify_all()

    def total(self) -> int:
        with self._changed:
            return sum(self._by_job.values())

    def wait_until(self, most: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: sum(self._by_job.values()) <= max(most, 0))


_HELD = _HeldPixels()


class OutputThread:
    """Runs one PDF's write jobs in order on the process's write thread, and its `compute` jobs on threads beside. The
    first write job (`submit`) to raise stops the later write jobs, and `close` raises its error; a `compute` job's
    result or error goes to its Future. A PDF whose rows are still being written when the next PDF starts (extract's
    `finish_later`) has its jobs run before the next PDF's, on the same thread."""

    def __init__(self, waiting: int = WAITING_JOBS) -> None:
        self._pool, self._beside = _process_threads()
        self._room = threading.BoundedSemaphore(waiting)
        self._failure: BaseException | None = None
        self._lock = threading.Lock()
        self._pending: set[Future] = set()  # this PDF's jobs not yet done

    def submit(self, job: Callable[[], None], holds: int = 0) -> None:
        """Hand a write job over; waits while `WAITING_JOBS` are not yet done. `holds`: the bytes of pixels the job
        keeps until it is done (see `wait_until_holding`)."""
        future = self._hand_over(self._pool, self._write, job)
        if holds:
            _HELD.add(future, holds)

    def holding(self) -> int:
        """The bytes of pixels the process's pending write jobs hold (this PDF's, and a PDF's before it still being
        written)."""
        return _HELD.total()

    def wait_until_holding(self, most: int) -> None:
        """Wait until the process's pending write jobs hold at most `most` bytes of pixels (none, for `most` below 0)."""
        _HELD.wait_until(most)

    def compute(self, job: Callable[[], T]) -> Future[T]:
        """Hand over a job that writes nothing and whose result the caller will ask for: it may run before or beside
        the jobs handed over earlier (on one of `BESIDE_THREADS` threads of its own); waits as `submit` does, the
        two kinds counted together."""
        return self._hand_over(self._beside, job)

    def _hand_over(self, pool: ThreadPoolExecutor, fn: Callable, *args) -> Future:
        self._room.acquire()
        try:
            future = pool.submit(fn, *args)
        except BaseException:
            self._room.release()
            raise
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)
        _HELD.drop(future)
        self._room.release()

    def _write(self, job: Callable[[], None]) -> None:
        try:
            if self._failure is None:
                job()
        except BaseException as exc:  # kept for close(), which the reading thread calls
            self._failure = exc

    def close(self, cancel: bool = False) -> None:
        """Wait for the jobs handed over (with `cancel`, only for the ones running: the caller is stopping), then
        raise the first write job's error, if one failed."""
        with self._lock:
            pending = list(self._pending)
        if cancel:
            for future in pending:
                future.cancel()
        wait(pending)
        if self._failure is not None and not cancel:
            raise self._failure

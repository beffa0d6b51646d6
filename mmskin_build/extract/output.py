"""extract's output thread: one PDF's rows are built and written to shards (and its PNG pictures encoded) on a
thread of their own while the reading thread goes on with the next figure or page.

pdfium is not thread-safe, so everything that calls it stays on the reading thread; the jobs handed over here
hold only pixels, bytes and plain values. They run one at a time in the order they were handed over, so the rows
come out in the same order as when they were written in place. Encoding and parquet release the GIL, so on a
machine with a second free core this takes them off the reading thread's time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

# Jobs handed over and not yet done, at most: each can hold a rendered figure's pixels (~10 MB at 200 dpi).
WAITING_JOBS = 4


class OutputThread:
    """Runs jobs in order on one thread. The first job to raise stops the rest, and `close` raises its error."""

    def __init__(self, waiting: int = WAITING_JOBS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract-output")
        self._room = threading.BoundedSemaphore(waiting)
        self._failure: BaseException | None = None

    def submit(self, job: Callable[[], None]) -> None:
        """Hand `job` over; waits while `WAITING_JOBS` are not yet done."""
        self._room.acquire()
        try:
            self._pool.submit(self._run, job)
        except BaseException:
            self._room.release()
            raise

    def _run(self, job: Callable[[], None]) -> None:
        try:
            if self._failure is None:
                job()
        except BaseException as exc:  # kept for close(), which the reading thread calls
            self._failure = exc
        finally:
            self._room.release()

    def close(self, cancel: bool = False) -> None:
        """Wait for the jobs handed over (with `cancel`, only for the one running: the caller is stopping), then
        raise the first job's error, if one failed."""
        self._pool.shutdown(wait=True, cancel_futures=cancel)
        if self._failure is not None and not cancel:
            raise self._failure

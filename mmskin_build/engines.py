"""Where a stage's per-input tasks run: in this process, in local worker processes, or as Ray tasks.

A stage gives `Engine.map_unordered` a picklable task and its inputs, and gets `(input, result)` pairs
back as tasks finish. The stage commits each result itself, so the manifest and the resume bookkeeping
stay in the calling process whatever the engine; only the work (and the temp shards it writes) moves.

A stage takes `--engine`/`--ray-address` with `ENGINE_OPTION`/`RAY_ADDRESS_OPTION`, builds its engine with
`engine_from_options`, and runs

    task = functools.partial(work_on_one_input, dataset_root=dataset.root.resolve(), config=config)
    for item, result in engine.map_unordered(task, todo):
        dataset.commit_input(info_of(item, result), result.staged)

where the task writes its shards with `ShardWriter` (picklable arguments only: it may run on another node).
A stage whose work is not one task per input (generate-vqa sends batches of HTTP requests to whichever
server has room) submits Ray tasks itself inside `with engine.session():`, which connects as `map_unordered`
does, and keeps its bookkeeping in the calling process all the same.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import ctypes
import functools
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import typer

from mmskin_build.pipeline import UsageError

Item = TypeVar("Item")
Result = TypeVar("Result")

RAY_INSTALL = "pip install 'mmskin-build[ray]'"
# After Ctrl-C or an error: how long each terminated worker process, then the pool's manager thread, may take to end.
_STOP_SECONDS = 10


class EngineKind(StrEnum):
    local = "local"
    ray = "ray"


class EngineUnavailable(UsageError):
    """The chosen engine cannot run here (Ray is not installed)."""


@dataclass(frozen=True)
class Engine:
    """`local`: `workers` processes on this machine (1: in this process; with `map_unordered(here=True)`, this
    process and `workers - 1` more). `ray`: Ray tasks on the cluster at
    `ray_address` (None: a private Ray instance on this machine with `workers` CPUs)."""

    kind: EngineKind = EngineKind.local
    workers: int = 1
    ray_address: str | None = None
    # Ray re-runs a task whose worker process or node died; the lost attempt's temp shards are never committed.
    max_retries: int = 3
    # Ray only: the share of a GPU each task asks for (classify: 0.25 lets four slices share one GPU); 0 asks none.
    gpus_per_task: float = 0.0

    @property
    def in_process(self) -> bool:
        """Tasks run in the calling process, so they may take unpicklable arguments (a progress callback)."""
        return self.kind is EngineKind.local and self.workers <= 1

    @property
    def known_workers(self) -> int | None:
        """How many tasks run at once, where that is known before they start (not on a Ray cluster)."""
        return None if self.ray_address else self.workers

    def check(self) -> None:
        """Fail early, before any work, when the engine cannot run here."""
        if self.kind is EngineKind.ray:
            _import_ray()

    def map_unordered(
        self,
        task: Callable[[Item], Result],
        items: Iterable[Item],
        more: Callable[[Item, Result], Iterable[Item]] | None = None,
        here: bool = False,
        task_here: Callable[[Item], Result] | None = None,
    ) -> Iterator[tuple[Item, Result]]:
        """Run `task` on every item; yield `(item, result)` in completion order. A task's exception is raised here.

        `more(item, result)`, where given, names further items that a finished one calls for (extract: the page
        ranges of a PDF whose first pass is back); they run in the same workers, before the items not yet started.
        With `here`, local workers are this process (on a thread) and `workers - 1` processes: one process fewer
        to start, and the first task starts at once. Only for a task that may run beside the caller's thread.
        `task_here`, where given, does `task`'s work for the items run in this process (one local worker, or the
        thread of `here`): its result never leaves the process, so it need not be picklable.
        """
        queue = _TaskQueue(items, more)
        if not queue:
            return iter(())
        if self.kind is EngineKind.ray:
            return _ray_map(task, queue, self)
        if self.in_process:
            return _in_process_map(task_here or task, queue)
        return _process_pool_map(task, queue, self.workers, task_here or task if here else None)

    def session(self) -> contextlib.AbstractContextManager:
        """For a stage that submits Ray work itself (generate-vqa): connected to Ray while the block runs."""
        return ray_session(self) if self.kind is EngineKind.ray else contextlib.nullcontext()

    def describe(self) -> dict[str, object]:
        """For the manifest's record of a run."""
        described = {"engine": self.kind.value, "workers": self.workers, "ray_address": self.ray_address}
        return described | ({"gpus_per_task": self.gpus_per_task} if self.gpus_per_task else {})


class _TaskQueue:
    """The items not yet started, in order; a finished item's follow-ups (`more`) go to the front."""

    def __init__(self, items: Iterable, more: Callable | None) -> None:
        self._waiting = collections.deque(items)
        self._more = more

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def take(self, count: int) -> list:
        return [self._waiting.popleft() for _ in range(min(count, len(self._waiting)))]

    def finished(self, item, result) -> None:
        if self._more is not None:
            self._waiting.extendleft(reversed(list(self._more(item, result))))


def _in_process_map(task, queue: _TaskQueue):
    while queue:
        (item,) = queue.take(1)
        result = task(item)
        queue.finished(item, result)
        yield item, result


def _process_pool_map(task, queue: _TaskQueue, workers: int, task_here):
    """`task` in `workers` processes, or, with `task_here`, `task_here` on a thread of this process and `task` in
    `workers - 1` processes."""
    # spawn: a forked child would inherit rich's refresh thread and pdfium's state. (forkserver was weighed: its
    # server would import numpy, pyarrow and cv2 once and fork from there, but those imports start OpenBLAS and
    # jemalloc threads in it before it forks; and with 2 workers on 2 cores its one import takes the wall time of two
    # imports side by side.)
    context = multiprocessing.get_context("spawn")
    processes = workers if task_here is None else workers - 1
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start_worker)
    thread = None if task_here is None else _TaskThread()
    try:
        # One task beyond the processes waits in the pool, so a process that finishes starts the next at once; the
        # rest wait here, where follow-ups can go ahead of them. The thread takes one at a time.
        running: dict[Future, object] = {}
        if thread is not None:  # the thread starts at once, so it takes the first (longest) task
            running.update({thread.submit(task_here, item): item for item in queue.take(1)})
        running.update({pool.submit(task, item): item for item in queue.take(processes + 1)})
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                item = running.pop(future)
                result = future.result()
                queue.finished(item, result)
                if thread is not None and future is thread.future:
                    running.update({thread.submit(task_here, following): following for following in queue.take(1)})
                else:
                    running.update({pool.submit(task, following): following for following in queue.take(1)})
                yield item, result
    except BaseException:  # Ctrl-C, a task's error, or the caller closing the generator early
        workers_now = list((pool._processes or {}).values())  # no public way to stop running tasks before 3.14
        manager, results_pipe = pool._executor_manager_thread, pool._result_queue  # shutdown forgets the pipe
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers_now:
            process.terminate()
        if thread is not None:
            thread.stop()
        _close_results_pipe(workers_now, results_pipe)
        if manager is not None:
            # Let the pool's manager thread wind down first: on Python 3.11 it can close its wake-up pipe while the
            # interpreter's exit handler writes to it, which prints a "Bad file descriptor" traceback after Ctrl-C.
            manager.join(timeout=_STOP_SECONDS)
        raise
    pool.shutdown()


def _close_results_pipe(workers: list, results_pipe) -> None:
    """Close this process's end for writing of the pipe that brings the workers' results, once the workers are gone.
    A worker stopped while it sent a result (a first pass's text is many pipe-fulls) leaves the pool's manager
    thread reading the rest of it, and this process holds the pipe's other end open too: the read never ends, and
    the interpreter's exit, which joins that thread, hangs. Closed, the read ends (EOF) and the thread winds down."""
    for process in workers:
        process.join(timeout=_STOP_SECONDS)
    if results_pipe is not None and not any(process.is_alive() for process in workers):
        results_pipe._writer.close()


class _TaskThread:
    """Runs one task at a time on a thread of this process, as one more worker beside the pool's processes."""

    def __init__(self) -> None:
        self.future: Future | None = None
        self._thread: threading.Thread | None = None

    def submit(self, task, item) -> Future:
        future = self.future = Future()

        def run() -> None:
            try:
                result = task(item)
            except BaseException as exc:  # the caller raises it, as it does a worker process's
                future.set_exception(exc)
                return
            future.set_result(result)

        self._thread = threading.Thread(target=run, name="engine-task", daemon=True)
        self._thread.start()
        return future

    def stop(self) -> None:
        """Interrupt the running task as Ctrl-C interrupts an in-process one, and wait for it to end, so that it
        writes nothing after the caller has cleaned up."""
        thread = self._thread
        if thread is None or not thread.is_alive() or (self.future is not None and self.future.done()):
            return
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(KeyboardInterrupt))
        thread.join()


def _start_worker() -> None:
    # Workers ignore Ctrl-C: the driver gets it, commits nothing more, and stops them, so they neither print
    # tracebacks nor finish work.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker the pool lets go has sent back every result and closed its files, and multiprocessing has flushed
    # its output: it ends there instead of tearing the interpreter down module by module (~0.12 s of CPU per
    # extract worker). Handlers registered later (during its tasks) still run first.
    atexit.register(os._exit, 0)


def _import_ray():
    try:
        import ray
    except ImportError as exc:
        message = f"--engine ray needs Ray, which is not installed; install it with: {RAY_INSTALL}"
        raise EngineUnavailable(message) from exc
    return ray


def _apply(task, item):
    return task(item)


def _task_name(task) -> str:
    while isinstance(task, functools.partial):
        task = task.func
    return getattr(task, "__name__", "task")


@contextlib.contextmanager
def ray_session(engine: Engine) -> Iterator[object]:
    """The `ray` module, connected to the engine's cluster (or a private instance) while the block runs. A
    connection this opens is closed at the end; one the caller already holds (a test, a notebook) stays open."""
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        if engine.ray_address:
            ray.init(address=engine.ray_address, logging_level=logging.WARNING)
        else:
            # "local": a private instance, never a cluster some other `ray start` left running on this machine.
            ray.init(address="local", num_cpus=engine.workers, include_dashboard=False, logging_level=logging.WARNING)
    try:
        yield ray
    finally:
        if started_here:
            ray.shutdown()


def _ray_map(task, queue: _TaskQueue, engine: Engine):
    with ray_session(engine) as ray:
        if engine.gpus_per_task and not ray.cluster_resources().get("GPU"):
            # Tasks that ask for a GPU would wait for one for ever.
            raise UsageError("--gpus-per-task: the Ray cluster has no GPUs; leave the option out to run on CPUs")
        remote = ray.remote(_apply).options(
            name=_task_name(task), num_cpus=1, num_gpus=engine.gpus_per_task, max_retries=engine.max_retries
        )
        task_ref = ray.put(task)
        # A bounded window keeps the driver's memory flat for archives of many thousands of inputs while
        # every CPU of the cluster stays busy; inputs start in the order given (the stage's longest first).
        window = max(2 * int(ray.cluster_resources().get("CPU", 1)), 1)
        pending = {remote.remote(task_ref, item): item for item in queue.take(window)}
        try:
            while pending:
                (ref,), _ = ray.wait(list(pending), num_returns=1)
                item = pending.pop(ref)
                result = ray.get(ref)
                queue.finished(item, result)
                for following in queue.take(1):  # one in, one out
                    pending[remote.remote(task_ref, following)] = following
                yield item, result
        finally:
            for ref in pending:  # the driver stopped early (an error, Ctrl-C): do not leave work running
                ray.cancel(ref)


# -- the CLI options every stage with per-input work shares ---------------------------------------------------
_RAY_INSTALL_IN_HELP = RAY_INSTALL.replace("[", r"\[")  # help text is rich markup, which would eat "[ray]"
ENGINE_OPTION = typer.Option(
    EngineKind.local,
    "--engine",
    help=f"Where tasks run: local processes, or a Ray cluster (needs {_RAY_INSTALL_IN_HELP}).",
)
RAY_ADDRESS_OPTION = typer.Option(
    None,
    "--ray-address",
    help="With --engine ray: the cluster to join (auto, HOST:PORT or ray://HOST:PORT). Default: a private "
    "Ray instance on this machine (with --workers CPUs, where the command has --workers).",
)


def engine_from_options(kind: EngineKind, workers: int, ray_address: str | None, gpus_per_task: float = 0.0) -> Engine:
    """The engine the options name; a UsageError (with the install command) when Ray is asked for and missing."""
    if ray_address and kind is not EngineKind.ray:
        raise UsageError("--ray-address needs --engine ray")
    if gpus_per_task and kind is not EngineKind.ray:
        raise UsageError("--gpus-per-task needs --engine ray (local workers use the GPU that --device names)")
    engine = Engine(kind, workers, ray_address, gpus_per_task=gpus_per_task)
    engine.check()
    return engine

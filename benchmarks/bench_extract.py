"""Extraction speed and memory, as ratios against parse floors measured in the same run.

    python benchmarks/bench_extract.py [--pdfs ../shared/data/pdfs] [--long-pages 100 1000] [--no-pdfplumber]
        [--json out.json]

1. Floors on the shared PDFs, one core: pypdfium2 reading every page's text and page objects (with
   their boxes), and pdfplumber reading chars, images and graphics (--no-pdfplumber leaves this one out: it takes
   ~40x the other's time, minutes on a loaded machine, and no ratio but its own uses it).
2. `extract` end to end on the same PDFs: in this process with one worker (against the floors; CPU of the process
   and of its reading thread, beside which the output thread encodes and writes; the reading thread's waits counted
   in the work done meanwhile, which gives one worker's wall on a quiet 2-core machine under any load), and as the command
   `python -m mmskin_build extract --workers 1` and `--workers 2` in a child process (the worker speedup: wall and CPU
   time of the command, its interpreter start-up, worker processes and OCR subprocesses included).
3. A generated long book of 100 and 1,000 pages, each extracted in a fresh process: time and peak RSS.
4. With --schedule-workers N [N ...]: every task of a run timed in this process (CPU seconds), then laid out as
   a pool of N workers takes them (in order, each to the first free worker, a PDF's page ranges once its first pass is back),
   once with one task per PDF and once with long PDFs in page ranges: the speedup a quiet N-core machine
   would give, free of the other jobs' load (process start-up and memory bandwidth not included).

Wall times on a shared machine are noisy; CPU seconds of the measuring process are reported beside them.
"""

from __future__ import annotations

import argparse
import collections
import heapq
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmskin_build.engines import Engine  # noqa: E402
from mmskin_build.extract import stage  # noqa: E402
from mmskin_build.extract.document import ExtractConfig  # noqa: E402
from mmskin_build.extract.stage import run_extract  # noqa: E402
from mmskin_build.sample.textbook import build_long_book  # noqa: E402


def timed(fn):
    """fn's result, wall seconds, CPU seconds of this process and of this thread alone."""
    wall, cpu, thread = time.perf_counter(), time.process_time(), time.thread_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - thread


class WaitsInWork:
    """While open, the calling thread's blocking waits (`Condition.wait`, which futures, semaphores and queues use, and
    `Thread.join`) counted in the work done meanwhile: the CPU of the process's other threads and of its ended
    children (Tesseract). That is how long each wait would last with a free core for the output thread, whatever
    the load from other jobs; the reading thread's CPU plus it is one worker's wall time on a quiet 2-core machine."""

    def __init__(self) -> None:
        self.waits, self.work_s = 0, 0.0
        self._thread = threading.current_thread()
        self._inside = False
        self._saved = (threading.Condition.wait, threading.Thread.join)

    def __enter__(self) -> WaitsInWork:
        threading.Condition.wait, threading.Thread.join = map(self._counted, self._saved)
        return self

    def __exit__(self, *exc) -> None:
        threading.Condition.wait, threading.Thread.join = self._saved

    def _counted(self, wait):
        def counted(*args, **kwargs):
            if threading.current_thread() is not self._thread or self._inside:
                return wait(*args, **kwargs)
            self._inside = True
            others = time.process_time() - time.thread_time() + children_cpu()
            try:
                return wait(*args, **kwargs)
            finally:
                self.waits += 1
                self.work_s += time.process_time() - time.thread_time() + children_cpu() - others
                self._inside = False

        return counted


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the worker pool of an extract run, once it has shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pypdfium2_floor(pdfs: list[Path]) -> int:
    pages = 0
    for path in pdfs:
        with pdfium.PdfDocument(path) as document:
            for page in document:
                textpage = page.get_textpage()
                textpage.get_text_range()
                for obj in page.get_objects():
                    obj.get_bounds()
                pages += 1
    return pages


def pdfplumber_floor(pdfs: list[Path]) -> int:
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as document:
            for page in document.pages:
                _ = page.chars, page.images, page.rects, page.curves, page.lines
                pages += 1
                page.flush_cache()
    return pages


def extract_run(pdfs: list[Path], workers: int, waits: WaitsInWork) -> int:
    with tempfile.TemporaryDirectory() as tmp, waits:
        summary = run_extract(pdfs, Path(tmp) / "ds", ExtractConfig(), workers=workers)
        return summary.pages


def command_run(pdfs: list[Path], workers: int, pages: int) -> int:
    """`extract` as a user runs it, in a child process: its workers start from the command's own main module
    (this script's imports would make every spawned worker import pdfplumber and the benchmark's modules too)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "mmskin_build", "extract", *map(str, pdfs), "-o", f"{tmp}/ds"]
        subprocess.run([*command, "--workers", str(workers)], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return pages


@dataclass(frozen=True)
class TimedEngine(Engine):
    """A local engine of `workers` workers whose tasks run here, one after another, each timed in CPU seconds."""

    given: list = field(default_factory=list)  # the items the stage gave, in order
    timed: dict = field(default_factory=dict)  # id(item) -> (CPU seconds, the items it called for)

    def map_unordered(self, task, items, more=None, here=False, task_here=None):  # task: each complete when timed
        queue = collections.deque(items)
        self.given.extend(queue)
        while queue:
            item = queue.popleft()
            cpu = time.process_time()
            result = task(item)
            seconds = time.process_time() - cpu
            following = list(more(item, result)) if more else []
            self.timed[id(item)] = (seconds, following)
            queue.extendleft(reversed(following))
            yield item, result


def makespan(engine: TimedEngine, workers: int) -> float:
    """When the last task ends if `workers` workers take the tasks as the local pool does: in the order given,
    each to the first free worker, a finished task's follow-ups (page ranges) ahead of the rest."""
    queue, running, clock, idle = collections.deque(engine.given), [], 0.0, workers
    started = itertools.count()  # ties end in the order the tasks started
    while queue or running:
        while idle and queue:
            item = queue.popleft()
            heapq.heappush(running, (clock + engine.timed[id(item)][0], next(started), item))
            idle -= 1
        clock, _, item = heapq.heappop(running)
        idle += 1
        queue.extendleft(reversed(engine.timed[id(item)][1]))
    return clock


def scheduled_speedup(pdfs: list[Path], workers: list[int], pages_per_task: int) -> dict:
    engine = TimedEngine(workers=max(workers))
    saved, stage.PAGES_PER_TASK = stage.PAGES_PER_TASK, pages_per_task
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run_extract(pdfs, Path(tmp) / "ds", ExtractConfig(), engine=engine)
    finally:
        stage.PAGES_PER_TASK = saved
    durations = [seconds for seconds, _ in engine.timed.values()]
    serial = sum(durations)
    return {
        "tasks": len(durations),
        "serial_cpu_s": round(serial, 2),
        "longest_task_s": round(max(durations, default=0), 2),
        "speedup_vs_serial": {n: round(serial / makespan(engine, n), 2) for n in workers},
    }


def long_book(pages: int, workdir: Path) -> dict:
    pdf = workdir / f"long-{pages}.pdf"
    build_long_book(pdf, pages=pages)
    code = (
        "import sys, time; from pathlib import Path;"
        "from mmskin_build.extract.document import ExtractConfig;"
        "from mmskin_build.extract.stage import run_extract;"
        "t = time.perf_counter();"
        f"s = run_extract([Path({str(pdf)!r})], Path({str(workdir / f'ds-{pages}')!r}), ExtractConfig());"
        # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over exec, so a child started from this
        # (large) benchmark process would report the benchmark's own peak.
        "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')][0];"
        "print(s.pages, s.figures, time.perf_counter() - t, time.process_time(), hwm)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO).stdout
    done, figures, wall, cpu, rss_kb = out.split()
    return {
        "pages": int(done),
        "figures": int(figures),
        "wall_s": float(wall),
        "cpu_s": float(cpu),
        "peak_rss_mb": int(rss_kb) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=Path, default=REPO.parent / "shared" / "data" / "pdfs")
    parser.add_argument("--long-pages", type=int, nargs="*", default=[100, 1000])
    parser.add_argument(
        "--schedule-workers", type=int, nargs="*", default=[], help="lay the tasks out on N workers (part 4)"
    )
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip the pdfplumber floor (part 1)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pdfs = sorted(args.pdfs.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {args.pdfs}")
    report: dict = {}
    waits = WaitsInWork()
    runs = {
        "pypdfium2_floor": lambda: pypdfium2_floor(pdfs),
        "pdfplumber_floor": lambda: pdfplumber_floor(pdfs),
        "extract_workers_1": lambda: extract_run(pdfs, 1, waits),
        "command_workers_1": lambda: command_run(pdfs, 1, report["extract_workers_1"]["pages"]),
        "command_workers_2": lambda: command_run(pdfs, 2, report["extract_workers_1"]["pages"]),
    }
    if args.no_pdfplumber:
        del runs["pdfplumber_floor"]
    for name, fn in runs.items():
        workers_cpu = children_cpu()
        pages, wall, cpu, thread_cpu = timed(fn)
        cpu += children_cpu() - workers_cpu  # child processes' CPU (the command, its workers, OCR), start-up included
        report[name] = {
            "pages": pages,
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            # In this process, the calling thread alone: extract's reading thread (its output thread runs beside it).
            "thread_cpu_s": round(thread_cpu, 2),
            "pages_per_s": round(pages / wall, 1),
        }
        print(
            f"{name:20s} {pages} pages  {wall:7.2f} s wall  {cpu:7.2f} s cpu  {pages / wall:7.1f} pages/s", flush=True
        )
    ours = report["extract_workers_1"]
    ours["reading_thread_waits"], ours["reading_thread_waits_work_s"] = waits.waits, round(waits.work_s, 2)
    one, two = report["command_workers_1"], report["command_workers_2"]
    report["ratios"] = {
        "extract_vs_pypdfium2_floor_time": round(ours["wall_s"] / report["pypdfium2_floor"]["wall_s"], 2),
        "extract_vs_pypdfium2_floor_cpu": round(ours["cpu_s"] / report["pypdfium2_floor"]["cpu_s"], 2),
        # The reading thread (all pdfium calls, the page logic) against the floor: what the wall ratio comes down to
        # when a second core is free for the output thread.
        "extract_reading_thread_vs_pypdfium2_floor_cpu": round(
            ours["thread_cpu_s"] / report["pypdfium2_floor"]["cpu_s"], 2
        ),
        # One worker's wall on a quiet 2-core machine: the reading thread's CPU and its waits, each counted in the work
        # the output thread (and Tesseract) did meanwhile (WaitsInWork), against the floor's CPU: free of the load.
        "extract_quiet_wall_vs_pypdfium2_floor_cpu": round(
            (ours["thread_cpu_s"] + waits.work_s) / report["pypdfium2_floor"]["cpu_s"], 2
        ),
        "speedup_workers_2": round(one["wall_s"] / two["wall_s"], 2),
        # What 2 workers would give on two otherwise idle cores if their CPU time split evenly (wall times on a
        # shared machine follow the other jobs): one process's CPU over half of the 2-worker run's total CPU.
        "speedup_workers_2_cpu_bound": round(one["cpu_s"] / (two["cpu_s"] / 2), 2),
    }
    if "pdfplumber_floor" in report:
        report["ratios"]["extract_vs_pdfplumber_floor_time"] = round(
            ours["wall_s"] / report["pdfplumber_floor"]["wall_s"], 2
        )
    print(json.dumps(report["ratios"]))
    if args.schedule_workers:
        whole = scheduled_speedup(pdfs, args.schedule_workers, pages_per_task=1 << 30)
        ranges = scheduled_speedup(pdfs, args.schedule_workers, pages_per_task=stage.PAGES_PER_TASK)
        report["schedule"] = {"one_task_per_pdf": whole, "page_ranges": ranges}
        for name, result in report["schedule"].items():
            print(f"laid out on workers: {name}: {result}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.long_pages:
            result = long_book(pages, Path(tmp))
            report[f"long_book_{pages}"] = result
            print(
                f"long book {pages:5d} pages: {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s cpu, "
                f"{result['figures']} figures, peak RSS {result['peak_rss_mb']:.0f} MB",
                flush=True,
            )
    if len(args.long_pages) == 2:
        small, large = (report[f"long_book_{p}"] for p in args.long_pages)
        report["ratios"]["long_book_time_ratio"] = round(large["wall_s"] / small["wall_s"], 2)
        report["ratios"]["long_book_page_ratio"] = args.long_pages[1] / args.long_pages[0]
        print(json.dumps(report["ratios"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""Overhead of `extract --engine ray` and `classify --engine ray` against the local engine, and how the Ray
engine behaves with more workers.

    python benchmarks/bench_ray.py [--part all|extract|classify] [--pdfs DIR] [--images DIR] [--classify-rows 2048]
                                   [--workers 2] [--simulated-cpus 8] [--repeat 3] [--json out.json]

--pdfs and --images default to ../shared/data/pdfs and ../shared/data/images ($MMSKIN_SHARED_DATA where set).

1. The same PDFs extracted with the local engine (--workers N processes), with the Ray engine starting its own
   instance (as the CLI does: `ray.init` and shutdown included), and with the Ray engine on a running instance
   (as on a cluster), in --repeat rounds; the Ray datasets must equal the local one row for row. Ratios are
   medians over the rounds of Ray wall time / local wall time.
2. A simulated cluster: a local Ray instance that declares --simulated-cpus CPUs on this machine. Each task
   reports its start, end and worker pid, so the run shows how many PDFs Ray runs at once, and how much of the
   wall time the driver spends committing (the part that stays central).
3. The central manifest's cost per committed PDF: measured by bench_commit.py (1,000 to 100,000 inputs).
4. classify (dataset mode): an images table of --classify-rows rows (the shared images, repeated, in shards of
   50 rows as extract writes a PDF's images) classified by the local engine (--workers processes) and the Ray
   engine, both ways as in 1, in --repeat rounds; 512 images a task. The Ray tables must equal the local one.

Wall times on a shared machine are noisy; compare ratios taken within one run.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ray
import torch

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fixtures.factories import image_record  # noqa: E402
from mmskin_build.engines import Engine, EngineKind  # noqa: E402
from mmskin_build.extract.document import ExtractConfig, extract_pdf  # noqa: E402
from mmskin_build.extract.stage import input_info, run_extract  # noqa: E402
from mmskin_build.modality.predict import Classifier, classify_dataset  # noqa: E402
from mmskin_build.store import Dataset  # noqa: E402

CONFIG = ExtractConfig(dpi=100)


def rows(dataset: Path) -> dict[str, list]:
    opened = Dataset.open(dataset)
    return {table: sorted(map(repr, opened.read_table(table).to_pylist())) for table in ("figures", "images", "errors")}


def timed_run(pdfs: list[Path], out: Path, engine: Engine) -> dict:
    started = time.perf_counter()
    summary = run_extract(pdfs, out, CONFIG, engine=engine)
    wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "pdfs": summary.pdfs,
        "pages": summary.pages,
        "pages_per_s": round(summary.pages / wall, 1),
    }


def timed_task(task, item):
    """Runs on a Ray worker: the task's result with when and where it ran."""
    started = time.time()
    result = task(item)
    return result, started, time.time(), os.getpid()


def peak_overlap(spans: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def simulated_cluster(pdfs: list[Path], out: Path, cpus: int) -> dict:
    """Extract on an instance declaring `cpus` CPUs, committing like run_extract, and time both sides."""
    dataset = Dataset.create_or_open(out)
    task = functools.partial(
        timed_task, functools.partial(extract_pdf, dataset_root=dataset.root.resolve(), config=CONFIG)
    )
    spans, pids, commit_s = [], set(), 0.0
    started = time.perf_counter()
    for path, (outcome, begin, end, pid) in Engine(EngineKind.ray).map_unordered(task, pdfs):
        spans.append((begin, end))
        pids.add(pid)
        commit_started = time.perf_counter()
        dataset.commit_input(input_info(path, outcome, CONFIG), outcome.staged)
        commit_s += time.perf_counter() - commit_started
    wall = time.perf_counter() - started
    task_s = sum(end - begin for begin, end in spans)
    return {
        "declared_cpus": cpus,
        "wall_s": round(wall, 2),
        "peak_tasks_at_once": peak_overlap(spans),
        "worker_processes": len(pids),
        "task_seconds_sum": round(task_s, 2),
        "mean_task_s": round(task_s / len(spans), 2),
        "driver_commit_s": round(commit_s, 3),
        "driver_commit_share": round(commit_s / wall, 4),
    }


def bench_extract(args: argparse.Namespace, report: dict) -> None:
    pdfs = sorted(args.pdfs.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {args.pdfs}")
    report["extract"] = extract_report = {"pdfs": len(pdfs), "dpi": CONFIG.dpi}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        extract_report["rounds"] = alternating_rounds("extract", functools.partial(timed_run, pdfs), work, args)
        want = rows(work / "round-0" / "local")
        same = rows(work / "round-0" / "ray-cold") == want and rows(work / "round-0" / "ray-warm") == want

        start_ray(args.simulated_cpus)
        extract_report["simulated_cluster"] = simulated_cluster(pdfs, work / "ray-sim", args.simulated_cpus)
        ray.shutdown()
        print("simulated cluster:", json.dumps(extract_report["simulated_cluster"]), flush=True)
        extract_report["same_rows"] = same and rows(work / "ray-sim") == want

    extract_report["median_ratios_vs_local"] = {
        "ray_own_instance": median_ratio(extract_report["rounds"], "ray_own_instance"),
        "ray_running_instance": median_ratio(extract_report["rounds"], "ray_running_instance"),
        "simulated_cluster_vs_round_0_local": round(
            extract_report["simulated_cluster"]["wall_s"] / extract_report["rounds"][0]["local"]["wall_s"], 2
        ),
    }
    print(
        "extract:", json.dumps({"same_rows": extract_report["same_rows"], **extract_report["median_ratios_vs_local"]})
    )


def images_table(images: Path, count: int, out: Path) -> Path:
    """A dataset whose images table holds `count` rows cycling through the image files under `images`."""
    files = sorted(p for p in images.glob("*/*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if not files:
        sys.exit(f"no images under {images}")
    dataset = Dataset.create_or_open(out)
    for first in range(0, count, 50):
        writer = dataset.writer("images")
        writer.extend(
            image_record(i, files[i % len(files)].read_bytes(), None) for i in range(first, min(first + 50, count))
        )
        dataset.commit(writer.close())
    return out


def timed_classify(source: Path, out: Path, engine: Engine) -> dict:
    shutil.copytree(source, out)
    classifier = Classifier(device="cpu")
    started = time.perf_counter()
    summary = classify_dataset(classifier, out, engine=engine)
    wall = time.perf_counter() - started
    return {"wall_s": round(wall, 2), "images": summary.images, "images_per_s": round(summary.images / wall, 1)}


def bench_classify(args: argparse.Namespace, report: dict) -> None:
    torch.set_num_threads(1)  # the CLI's default --threads, which every worker takes from the driver
    report["classify"] = classify_report = {"images": args.classify_rows}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = images_table(args.images, args.classify_rows, work / "source")
        classify_report["rounds"] = alternating_rounds(
            "classify", functools.partial(timed_classify, source), work, args
        )
        want = Dataset.open(work / "round-0" / "local").read_table("images").to_pylist()
        classify_report["same_rows"] = all(
            Dataset.open(work / "round-0" / name).read_table("images").to_pylist() == want
            for name in ("ray-cold", "ray-warm")
        )
    classify_report["median_ratios_vs_local"] = {
        name: median_ratio(classify_report["rounds"], name) for name in ("ray_own_instance", "ray_running_instance")
    }
    print(
        "classify:",
        json.dumps({"same_rows": classify_report["same_rows"], **classify_report["median_ratios_vs_local"]}),
    )


def alternating_rounds(label: str, timed: Callable[[Path, Engine], dict], work: Path, args: argparse.Namespace) -> list:
    """--repeat rounds of `timed(out, engine)` with the local engine, the Ray engine starting its own instance,
    and the Ray engine on a running one, into work/round-N/{local,ray-cold,ray-warm}. Rounds alternate the
    engines, so a load spike hits one round only."""
    rounds = []
    for number in range(args.repeat):
        round_dir = work / f"round-{number}"
        runs = {
            "local": timed(round_dir / "local", Engine(EngineKind.local, args.workers)),
            "ray_own_instance": timed(round_dir / "ray-cold", Engine(EngineKind.ray, args.workers)),
        }
        runs["ray_init_s"] = start_ray(args.workers)
        runs["ray_running_instance"] = timed(round_dir / "ray-warm", Engine(EngineKind.ray, args.workers))
        ray.shutdown()
        print(f"{label} round {number}:", json.dumps(runs), flush=True)
        rounds.append(runs)
    return rounds


def start_ray(cpus: int) -> float:
    """Start a local instance of `cpus` CPUs, as a cluster would already be running; seconds it took."""
    started = time.perf_counter()
    ray.init(address="local", num_cpus=cpus, include_dashboard=False, logging_level=logging.WARNING)
    return round(time.perf_counter() - started, 2)


def median_ratio(rounds: list[dict], engine: str) -> float:
    return round(statistics.median(r[engine]["wall_s"] / r["local"]["wall_s"] for r in rounds), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = Path(os.environ.get("MMSKIN_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--part", choices=("all", "extract", "classify"), default="all")
    parser.add_argument("--pdfs", type=Path, default=shared / "pdfs")
    parser.add_argument("--images", type=Path, default=shared / "images")
    parser.add_argument("--classify-rows", type=int, default=2048)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--simulated-cpus", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="Rounds of local / Ray runs; ratios are medians.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report: dict = {"workers": args.workers, "cpu_count": os.cpu_count(), "load_average": os.getloadavg()}
    if args.part in ("all", "extract"):
        bench_extract(args, report)
    if args.part in ("all", "classify"):
        bench_classify(args, report)
    report["load_average_after"] = os.getloadavg()
    print("load average before, after:", report["load_average"], report["load_average_after"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

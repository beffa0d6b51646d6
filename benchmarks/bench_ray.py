"""Overhead of `extract --engine ray` against the local engine, and how the Ray engine behaves with more workers.

    python benchmarks/bench_ray.py [--pdfs DIR] [--workers 2] [--simulated-cpus 8] [--repeat 3] [--json out.json]

--pdfs defaults to ../shared/data/pdfs ($MMSKIN_SHARED_DATA/pdfs where that is set).

1. The same PDFs extracted with the local engine (--workers N processes), with the Ray engine starting its own
   instance (as the CLI does: `ray.init` and shutdown included), and with the Ray engine on a running instance
   (as on a cluster), in --repeat rounds; the Ray datasets must equal the local one row for row. Ratios are
   medians over the rounds of Ray wall time / local wall time.
2. A simulated cluster: a local Ray instance that declares --simulated-cpus CPUs on this machine. Each task
   reports its start, end and worker pid, so the run shows how many PDFs Ray runs at once, and how much of the
   wall time the driver spends committing (the part that stays central).
3. The central manifest: time to rewrite it once per committed PDF, at 100 to 10,000 committed PDFs.

Wall times on a shared machine are noisy; compare ratios taken within one run.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ray

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmskin_build.engines import Engine, EngineKind  # noqa: E402
from mmskin_build.extract.document import ExtractConfig, extract_pdf  # noqa: E402
from mmskin_build.extract.stage import input_info, run_extract  # noqa: E402
from mmskin_build.store import Dataset  # noqa: E402
from mmskin_build.store.manifest import InputInfo, Manifest, ShardInfo, TableInfo  # noqa: E402

CONFIG = ExtractConfig(dpi=100)


def rows(dataset: Path) -> dict[str, list]:
    opened = Dataset.open(dataset)
    return {table: sorted(map(repr, opened.read_table(table).to_pylist())) for table in ("figures", "images", "errors")}


def timed_run(pdfs: list[Path], out: Path, engine: Engine) -> dict:
    started = time.perf_counter()
    summary = run_extract(pdfs, out, CONFIG, quiet=True, engine=engine)
    wall = time.perf_counter() - started
    return {"wall_s": round(wall, 2), "pdfs": summary.pdfs, "pages": summary.pages, "pages_per_s": round(summary.pages / wall, 1)}


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
    task = functools.partial(timed_task, functools.partial(extract_pdf, dataset_root=dataset.root.resolve(), config=CONFIG))
    spans, pids, commit_s = [], set(), 0.0
    started = time.perf_counter()
    for path, (outcome, begin, end, pid) in Engine(EngineKind.ray).map_unordered(task, pdfs):
        spans.append((begin, end))
        pids.add(pid)
        commit_started = time.perf_counter()
        dataset.commit_input(input_info(path, outcome), outcome.staged)
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


def manifest_rewrite_s(inputs: int, workdir: Path) -> float:
    """One manifest rewrite with `inputs` committed PDFs of 3 shards each (the driver does one per PDF)."""
    manifest = Manifest()
    for table in ("figures", "images", "errors"):
        shards = [ShardInfo(file=f"{table}/part-{i:05d}.parquet", rows=5, sha256="0" * 64, size=1 << 20) for i in range(inputs)]
        manifest.tables[table] = TableInfo(schema_name=table, shards=shards, rows=5 * inputs)
    for i in range(inputs):
        files = [f"{t}/part-{i:05d}.parquet" for t in ("figures", "images", "errors")]
        manifest.inputs[f"extract:{i:064d}"] = InputInfo(
            path=f"/books/{i}.pdf", sha256=f"{i:064d}", size=1, stage="extract", status="done", shards=files
        )
    dataset = Dataset(workdir, manifest)
    started = time.perf_counter()
    dataset.save_manifest()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = Path(os.environ.get("MMSKIN_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--pdfs", type=Path, default=shared / "pdfs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--simulated-cpus", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="Rounds of local / Ray runs; ratios are medians.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pdfs = sorted(args.pdfs.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {args.pdfs}")
    report: dict = {"pdfs": len(pdfs), "workers": args.workers, "dpi": CONFIG.dpi, "cpu_count": os.cpu_count(), "rounds": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for number in range(args.repeat):  # rounds alternate the engines, so a load spike hits one round only
            round_dir = work / f"round-{number}"
            runs = {
                "local": timed_run(pdfs, round_dir / "local", Engine(EngineKind.local, args.workers)),
                "ray_own_instance": timed_run(pdfs, round_dir / "ray-cold", Engine(EngineKind.ray, args.workers)),
            }
            started = time.perf_counter()
            ray.init(address="local", num_cpus=args.workers, include_dashboard=False, logging_level=logging.WARNING)
            runs["ray_init_s"] = round(time.perf_counter() - started, 2)
            runs["ray_running_instance"] = timed_run(pdfs, round_dir / "ray-warm", Engine(EngineKind.ray, args.workers))
            ray.shutdown()
            print(f"round {number}:", json.dumps(runs), flush=True)
            report["rounds"].append(runs)
        want = rows(work / "round-0" / "local")
        report["same_rows"] = rows(work / "round-0" / "ray-cold") == want and rows(work / "round-0" / "ray-warm") == want

        ray.init(address="local", num_cpus=args.simulated_cpus, include_dashboard=False, logging_level=logging.WARNING)
        report["simulated_cluster"] = simulated_cluster(pdfs, work / "ray-sim", args.simulated_cpus)
        ray.shutdown()
        print("simulated cluster:", json.dumps(report["simulated_cluster"]), flush=True)
        report["same_rows"] &= rows(work / "ray-sim") == want

        report["manifest_rewrite_s"] = {n: round(manifest_rewrite_s(n, work), 4) for n in (100, 1000, 10000)}
        print("manifest rewrite s:", json.dumps(report["manifest_rewrite_s"]), flush=True)

    def median_ratio(engine: str) -> float:
        return round(statistics.median(r[engine]["wall_s"] / r["local"]["wall_s"] for r in report["rounds"]), 2)

    report["median_ratios_vs_local"] = {
        "ray_own_instance": median_ratio("ray_own_instance"),
        "ray_running_instance": median_ratio("ray_running_instance"),
        "simulated_cluster_vs_round_0_local": round(report["simulated_cluster"]["wall_s"] / report["rounds"][0]["local"]["wall_s"], 2),
    }
    print(json.dumps({"same_rows": report["same_rows"], **report["median_ratios_vs_local"]}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

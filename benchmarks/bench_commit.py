"""Cost of committing one input (a PDF's shards) into a dataset that already holds N committed inputs.

    python benchmarks/bench_commit.py [--inputs 1000 10000 100000] [--commits 100] [--json out.json]

For each N, a dataset is made with N committed inputs of two shards each (listed in the manifest; the shard
files themselves are not needed by a commit), then `--commits` real commits are timed, one staged shard each,
staged outside the timing. The floor, measured in the same run between the commits: appending one line of the
same size to a file and fsyncing it, the least a durable commit can do. Reported: the median and best commit
time, and the median's ratio to the floor's median. A commit should cost the same at every N.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmskin_build.store import Dataset  # noqa: E402
from mmskin_build.store.manifest import InputInfo, Manifest, ShardInfo, TableInfo  # noqa: E402
from mmskin_build.tables import ErrorRecord  # noqa: E402

TABLES = ("figures", "images")


def committed(root: Path, inputs: int) -> Dataset:
    """A dataset whose manifest lists `inputs` committed PDFs with one shard in each of TABLES."""
    manifest = Manifest()
    for table in TABLES:
        shards = [
            ShardInfo(file=f"{table}/part-{i:05d}.parquet", rows=5, sha256="0" * 64, size=1 << 20)
            for i in range(inputs)
        ]
        manifest.tables[table] = TableInfo(schema_name=table, shards=shards, rows=5 * inputs, version=inputs)
    for i in range(inputs):
        manifest.inputs[f"extract:{i:064d}"] = InputInfo(
            path=f"/books/{i}.pdf",
            sha256=f"{i:064d}",
            size=1,
            stage="extract",
            status="done",
            rows={table: 5 for table in TABLES},
            shards=[f"{table}/part-{i:05d}.parquet" for table in TABLES],
        )
    root.mkdir()
    Dataset(root, manifest).save_manifest()
    return Dataset.create_or_open(root)


def floor_s(path: Path, line: bytes) -> float:
    """One append of `line` plus fsync."""
    started = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(fd, line)
    os.fsync(fd)
    os.close(fd)
    return time.perf_counter() - started


def measure(inputs: int, commits: int, workdir: Path) -> dict:
    dataset = committed(workdir / f"ds-{inputs}", inputs)
    staged = []
    for i in range(commits):
        writer = dataset.writer("errors")
        writer.add(ErrorRecord(stage="extract", source=f"new{i}.pdf", page=1, reason="bench", detail=""))
        staged.append(writer.close())
    commit_times, floor_times = [], []
    line = b"x" * 700 + b"\n"  # about the size of one commit's log line
    for i, shards in enumerate(staged):
        item = InputInfo(path=f"/new/{i}.pdf", sha256=f"new{i:061d}", size=1, stage="extract", status="done")
        started = time.perf_counter()
        dataset.commit_input(item, shards)
        commit_times.append(time.perf_counter() - started)
        floor_times.append(floor_s(workdir / f"floor-{inputs}.log", line))
    assert len(Dataset.open(dataset.root).manifest.inputs) == inputs + commits
    commit_ms, floor_ms = statistics.median(commit_times) * 1e3, statistics.median(floor_times) * 1e3
    return {
        "inputs": inputs,
        "commits": commits,
        "commit_median_ms": round(commit_ms, 3),
        "commit_best_ms": round(min(commit_times) * 1e3, 3),
        "commit_max_ms": round(max(commit_times) * 1e3, 3),
        "floor_median_ms": round(floor_ms, 3),
        "ratio_to_floor": round(commit_ms / floor_ms, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, nargs="*", default=[1000, 10_000, 100_000])
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = []
    with tempfile.TemporaryDirectory() as tmp:
        for inputs in args.inputs:
            result = measure(inputs, args.commits, Path(tmp))
            report.append(result)
            print(
                f"{inputs:7d} inputs: commit median {result['commit_median_ms']:.2f} ms (best {result['commit_best_ms']:.2f},"
                f" max {result['commit_max_ms']:.2f}), floor median {result['floor_median_ms']:.2f} ms,"
                f" ratio {result['ratio_to_floor']:.2f}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

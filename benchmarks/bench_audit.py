"""`mmskin-build audit` over a 100k-row CSV: time against a plain pandas read of the same file (the floor).

The CSV cycles through the labelled gate set's rows (tests/vqa/gate_set/), each copy with its own image
name and caption (so no caption repeats across copies, which would flatter the caption cache); every row
has a caption, so all gates run. The run's answer: audit seconds, the floor's seconds, their ratio, and whether the
issue's budget (100k rows in under 30 s) holds.

    python benchmarks/bench_audit.py [--rows 100000] [--rounds 2] [--workers 1]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from mmskin_build.engines import Engine
from mmskin_build.vqa.audit import run_audit

GATE_SET = Path(__file__).resolve().parent.parent / "tests" / "vqa" / "gate_set" / "gate_set.jsonl"
BUDGET_S = 30.0


def write_csv(path: Path, rows: int) -> None:
    source = [json.loads(line) for line in GATE_SET.read_text().splitlines()]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["image", "question", "answer", "caption", "split"])
        for i in range(rows):
            row = source[i % len(source)]
            copy = i // len(source)
            caption = f"{row['caption']} ({copy})" if row["caption"] else ""  # no caption repeats across copies
            writer.writerow(
                [f"{row['image']}-{copy}", row["question"], row["answer"], caption, ("train", "val", "test")[copy % 3]]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="audit's --workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vqa.csv"
        write_csv(path, args.rows)
        floors, audits = [], []
        for _ in range(args.rounds):  # alternate, so machine load hits both alike
            started = time.perf_counter()
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            floors.append(time.perf_counter() - started)
            assert len(frame) == args.rows
            started = time.perf_counter()
            result = run_audit(path, Path(tmp) / "audit", engine=Engine(workers=args.workers))
            audits.append(time.perf_counter() - started)
            assert result.rows == args.rows
    floor, audit = min(floors), min(audits)
    print(
        f"{args.rows} rows, {args.workers} worker(s), best of {args.rounds} rounds; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"floor (pandas.read_csv): {floor:.2f} s")
    print(
        f"audit (read, every gate, flags.csv, summary.json, report.html): {audit:.2f} s = {audit / floor:.1f}x the floor, "
        f"{args.rows / audit:,.0f} rows/s; budget {BUDGET_S:.0f} s: {'met' if audit < BUDGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()

"""Row-for-row check that a speed change left extract's output alone.

    python benchmarks/compare_extract.py snapshot before.jsonl [--pdfs ../shared/data/pdfs] [--workers 1] [--dpi 200]
    ...change the code...
    python benchmarks/compare_extract.py snapshot after.jsonl
    python benchmarks/compare_extract.py diff before.jsonl after.jsonl

`snapshot` extracts the PDFs into a fresh dataset and writes every row of `figures` and `images`, one JSON
line each, sorted by table and id, with image bytes replaced by their SHA-256. `diff` exits 1 and names the
rows that differ (at most 20), or says that the tables are identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmskin_build.extract.document import ExtractConfig  # noqa: E402
from mmskin_build.extract.stage import run_extract  # noqa: E402
from mmskin_build.store import Dataset  # noqa: E402

KEYS = {"figures": "figure_id", "images": "image_id"}


def _canonical(row: dict) -> dict:
    image = row.get("image")
    if isinstance(image, dict) and image.get("bytes") is not None:
        row["image"] = {**image, "bytes": hashlib.sha256(image["bytes"]).hexdigest()}
    return row


def snapshot(pdfs: Path, out: Path, workers: int, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_extract([pdfs], Path(tmp) / "ds", ExtractConfig(dpi=dpi), workers=workers)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        dataset = Dataset.open(Path(tmp) / "ds")
        lines = []
        for table, key in KEYS.items():
            rows = sorted(dataset.read_table(table).to_pylist(), key=lambda row, key=key: row[key])
            lines += [json.dumps({"table": table, **_canonical(row)}, sort_keys=True) for row in rows]
    out.write_text("\n".join(lines) + "\n")
    print(
        f"{out}: {len(lines)} rows from {summary.pdfs} PDFs, {summary.pages} pages in {seconds:.1f} s ({cpu:.1f} s CPU in this process)"
    )


def diff(before: Path, after: Path) -> int:
    old, new = before.read_text().splitlines(), after.read_text().splitlines()
    changed = [(i, a, b) for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    if len(old) != len(new):
        print(f"row counts differ: {len(old)} in {before}, {len(new)} in {after}")
    for i, a, b in changed[:20]:
        print(f"row {i} differs:\n  - {a[:300]}\n  + {b[:300]}")
    if changed or len(old) != len(new):
        return 1
    print(f"identical: {len(old)} rows of figures and images")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot")
    take.add_argument("out", type=Path)
    take.add_argument("--pdfs", type=Path, default=REPO.parent / "shared" / "data" / "pdfs")
    take.add_argument("--workers", type=int, default=1)
    take.add_argument("--dpi", type=int, default=ExtractConfig().dpi)
    compare = commands.add_parser("diff")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.pdfs, args.out, args.workers, args.dpi)
    else:
        sys.exit(diff(args.before, args.after))


if __name__ == "__main__":
    main()

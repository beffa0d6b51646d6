"""`make demo`: the whole pipeline on the embedded sample textbook, then where the output is.

    python -m mmskin_build.demo --out out/demo

Each step is the real command line, run as a user would run it; the demo stops at the first failing
step with its exit code. Re-running it resumes: extract skips the book it already has.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from rich.table import Table

from mmskin_build.console import out as console
from mmskin_build.store import Dataset


def steps(out: Path) -> list[tuple[str, list[str]]]:
    book = out / "input"
    dataset = out / "dataset"
    return [
        ("generate the sample textbook", ["make-sample", str(book)]),
        ("extract figures, panels, captions", ["extract", str(book / "sample-textbook.pdf"), "-o", str(dataset)]),
        ("score extraction against the book's ground truth", ["eval-extract", str(dataset), "--gt", str(book)]),
        ("classify modality", ["classify", str(dataset)]),
        ("curate captions, demographics, splits", ["curate", str(dataset)]),
        ("generate VQA (rules backend, no server)", ["generate-vqa", str(dataset), "--backend", "rules"]),
        (
            "export for trainers (messages + images)",
            ["export", str(dataset), "--format", "messages", "-o", str(out / "export")],
        ),
        ("validate every shard", ["validate", str(dataset)]),
        ("write the HTML report", ["report", str(dataset), "-o", str(out / "report.html")]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="Output directory (default out/demo).")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    for number, (title, command) in enumerate(steps(out), start=1):
        console.rule(f"[bold]{number}. {title}[/bold]  mmskin-build {' '.join(command)}")
        code = subprocess.call([sys.executable, "-m", "mmskin_build", *command])
        if code != 0:
            console.print(f"[red]step {number} ({title}) failed with exit code {code}[/red]")
            return code
    dataset = Dataset.open(out / "dataset")
    table = Table(title="demo dataset")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, info in sorted(dataset.manifest.tables.items()):
        table.add_row(name, str(info.rows))
    console.print(table)
    console.print(f"dataset: {out / 'dataset'}")
    console.print(f"exports: {out / 'export'}")
    console.print(f"report:  {out / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

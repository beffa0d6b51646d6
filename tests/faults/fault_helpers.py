"""Running the real `mmskin-build` command in a subprocess and checking how it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mmskin_build.validate import problems

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "mmskin_build", *map(str, args)]


def cli(*args: str | Path, prefix: tuple[str, ...] = (), timeout: float = 300) -> Result:
    done = subprocess.run(
        [*prefix, *command(*args)], capture_output=True, text=True, timeout=timeout, env=environment(), cwd=REPO
    )
    return Result(done.returncode, done.stdout, done.stderr)


def assert_one_error(result: Result, code: int, *words: str) -> str:
    """Exit `code`, no traceback, exactly one `error:` line on stderr, and it holds every word given."""
    assert result.code == code, (result.code, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def assert_valid(dataset: Path) -> None:
    found = list(problems(dataset))
    assert found == [], found

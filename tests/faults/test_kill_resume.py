"""`kill -9` at random moments of extract -> classify -> curate -> generate-vqa (rules), resuming each time:
after every kill `validate` accepts the dataset, and the end result equals an uninterrupted run, table for table."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from fault_helpers import assert_valid, cli, command, environment

from mmskin_build.store import Dataset
from mmskin_build.tables import TABLE_KEYS

KILLS_PER_STAGE = 6  # 24 kill points over the four stages: each costs a CLI start (~2 s on 2 cores)


def _stages(inputs: list[Path], dataset: Path) -> list[list]:
    return [
        ["extract", *inputs, "-o", dataset, "--dpi", "72"],
        ["classify", dataset, "--device", "cpu"],
        ["curate", dataset],
        ["generate-vqa", dataset, "--backend", "rules"],
    ]


def _killed_at(args: list, delay: float) -> float | None:
    """Run the command and SIGKILL its process group after `delay` s; None when killed, else the seconds it took."""
    started = time.monotonic()
    process = subprocess.Popen(
        command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment(), start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None
    assert process.returncode == 0, stderr.decode()[-2000:]
    return time.monotonic() - started


def _tables(dataset: Path) -> dict[str, list[dict]]:
    loaded = Dataset.open(dataset)
    tables = {}
    for table in loaded.manifest.tables:
        rows = loaded.read_table(table).to_pylist()
        key = TABLE_KEYS.get(table)
        tables[table] = sorted(rows, key=lambda row: row[key] if key else repr(sorted(row.items())))
    return tables


@pytest.mark.slow
def test_random_kill_9_points_resume_to_the_uninterrupted_tables(books, long_books, tmp_path):
    inputs = [books / "sample-textbook.pdf", long_books / "book-0.pdf"]
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    seconds = []
    for args in _stages(inputs, reference):
        started = time.monotonic()
        assert cli(*args).code == 0
        seconds.append(time.monotonic() - started)
    rng = random.Random(int(os.environ.get("MMSKIN_KILL_SEED", "0")))
    kills = 0
    for args, duration in zip(_stages(inputs, killed), seconds, strict=True):
        stage_kills = 0
        while stage_kills < KILLS_PER_STAGE:
            took = _killed_at(args, rng.uniform(0.1, 1.0) * duration)
            if took is None:
                stage_kills += 1
                if (killed / "manifest.json").exists():
                    assert_valid(killed)
            else:
                # Finished before its kill point: later points fall within what a run takes now (a resumed
                # extract skips what is committed, so its runs get shorter).
                duration = took
        kills += stage_kills
        result = cli(*args)
        assert result.code == 0, result.stderr
    assert kills >= 4 * KILLS_PER_STAGE
    assert_valid(killed)
    assert _tables(killed) == _tables(reference)

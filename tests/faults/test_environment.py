"""Faults of the machine and the session: a full disk, a read-only filesystem, no permission, another run
holding the dataset, Ctrl-C. Mounting a small or read-only tmpfs needs root; those cases skip without it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import filelock
import pytest
from fault_helpers import assert_one_error, assert_valid, cli, command, environment

from fixtures.interrupt import signal_after_first_commit
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.pipeline import LOCK_FILE
from mmskin_build.store import Dataset


def _mount(point: Path, options: str) -> None:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")


@pytest.fixture
def tmpfs(tmp_path):
    """A function mounting a tmpfs with the given options; unmounted at the end."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"tmpfs{len(mounted)}"
        point.mkdir()
        _mount(point, options)
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _rows_by_key(dataset: Path, table: str, key: str) -> list[dict]:
    return sorted(Dataset.open(dataset).read_table(table).to_pylist(), key=lambda row: row[key])


def test_a_full_disk_keeps_what_was_committed_and_a_rerun_completes(long_books, tmpfs, tmp_path):
    disk = tmpfs("size=600k")
    result = cli("extract", long_books, "-o", disk / "ds", "--dpi", "72")
    assert_one_error(result, 1, str(disk / "ds"), "no space left", "run again")
    assert_valid(disk / "ds")
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    assert cli("extract", long_books, "-o", disk / "ds", "--dpi", "72").code == 0
    run_extract([long_books], tmp_path / "reference", ExtractConfig(dpi=72))
    for table, key in (("figures", "figure_id"), ("images", "image_id")):
        assert _rows_by_key(disk / "ds", table, key) == _rows_by_key(tmp_path / "reference", table, key)
    assert_valid(disk / "ds")


def test_a_read_only_filesystem(built, tmpfs):
    disk = tmpfs("size=16m")
    shutil.copytree(built, disk / "ds")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert_one_error(cli("curate", disk / "ds"), 2, str(disk / "ds"), "read-only file system")
    assert_valid(disk / "ds")


def test_no_permission_to_write_the_dataset(built):
    (built / LOCK_FILE).unlink(missing_ok=True)
    built.chmod(0o555)
    # root ignores file modes unless it gives up the capability to; a normal user needs nothing.
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()
    try:
        assert_one_error(cli("curate", built, prefix=prefix), 2, str(built), "permission denied")
    finally:
        built.chmod(0o755)
    assert_valid(built)


def test_another_writer_and_no_wait(built):
    with filelock.FileLock(built / LOCK_FILE):
        result = cli("--no-wait", "curate", built)
    assert_one_error(result, 2, str(built), "another run is writing this dataset")
    assert len(result.stderr.splitlines()) == 1
    assert_valid(built)


def test_a_second_writer_waits_with_a_message(built, tmp_path):
    log = tmp_path / "stderr.txt"
    with filelock.FileLock(built / LOCK_FILE), open(log, "w") as stderr:
        process = subprocess.Popen(
            command("generate-vqa", built, "--backend", "rules"),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=environment(),
        )
        deadline = time.monotonic() + 120
        while "waiting for it to finish" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
    assert process.wait(timeout=300) == 0, log.read_text()
    assert "another run is writing this dataset" in log.read_text()
    assert_valid(built)


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_commits_what_finished_and_a_rerun_resumes(workers, long_books, tmp_path):
    dataset = tmp_path / "ds"
    args = ["extract", long_books, "-o", dataset, "--dpi", "72", "--workers", str(workers)]
    code, stderr = signal_after_first_commit(command(*args), dataset, signal.SIGINT, env=environment())
    assert code == 130, stderr
    assert "Traceback" not in stderr
    committed = len(Dataset.open(dataset).manifest.inputs)
    assert f"interrupted: {committed} committed, run again to resume" in stderr.splitlines()
    assert committed >= 1
    assert Dataset.open(dataset).manifest.runs[-1].status == "interrupted"
    assert_valid(dataset)
    resumed = cli("extract", long_books, "-o", dataset, "--dpi", "72")
    assert resumed.code == 0
    run = Dataset.open(dataset).manifest.runs[-1]
    assert run.counts["skipped"] == committed and run.counts["pdfs"] == 3 - committed
    run_extract([long_books], tmp_path / "reference", ExtractConfig(dpi=72))
    for table, key in (("figures", "figure_id"), ("images", "image_id")):
        assert _rows_by_key(dataset, table, key) == _rows_by_key(tmp_path / "reference", table, key)
    assert_valid(dataset)

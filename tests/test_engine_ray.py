"""`extract --engine ray` on a local Ray instance: the local engine's rows, worker and driver deaths, no Ray."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from interrupt_helpers import kill_after_first_commit
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.engines import Engine, EngineKind
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset
from mmskin_build.validate import problems

# Small real PDFs of different lengths (seconds each on 2 cores): enough tasks to overlap, fast to run.
PDF_NAMES = (
    "icml13_10_sheldon13.pdf",
    "docling_picture_classification.pdf",
    "meddiag_Skin_rash_from_dengue_fever.pdf",
    "meddiag_Rash_in_a_returned_traveller_from_Bali.pdf",
)
CONFIG = ExtractConfig(dpi=72)
TABLES = ("figures", "images", "errors")


@pytest.fixture(scope="module")
def ray_instance():
    """One private Ray instance for this module (starting one takes seconds), stopped at the end."""
    ray = pytest.importorskip("ray")
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def pdfs(shared_pdfs) -> list[Path]:
    return [shared_pdfs / name for name in PDF_NAMES]


@pytest.fixture(scope="module")
def local_dataset(pdfs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "ds"
    summary = run_extract(pdfs, out, CONFIG, quiet=True)
    assert summary.pdfs == len(PDF_NAMES) and summary.figures > 0
    return out


def rows(dataset: Path, table: str) -> list[dict]:
    """Every row of a table in a canonical order (shard order depends on which task finished first)."""
    return sorted(Dataset.open(dataset).read_table(table).to_pylist(), key=repr)


def assert_same_dataset(got: Path, want: Path) -> None:
    for table in TABLES:
        assert rows(got, table) == rows(want, table), table
    ids = [row["image_id"] for row in rows(got, "images")]
    assert len(ids) == len(set(ids)), "an image was committed twice"
    assert list(problems(got)) == []
    assert not list(got.glob("*/.tmp/*")), "temp shards left behind"


def test_ray_engine_builds_the_local_engines_dataset(pdfs, local_dataset, ray_instance, tmp_path):
    out = tmp_path / "ds"
    summary = run_extract(pdfs, out, CONFIG, quiet=True, engine=Engine(EngineKind.ray, workers=2))
    assert summary.pdfs == len(PDF_NAMES) and summary.errors == 0
    assert_same_dataset(out, local_dataset)
    assert Dataset.open(out).manifest.runs[-1].config["engine"] == "ray"


def _running_extract_task() -> psutil.Process | None:
    """A Ray worker of this test's instance while it executes extract_pdf (Ray titles it `ray::extract_pdf`)."""
    for process in psutil.Process().children(recursive=True):
        try:
            if process.cmdline()[:1] == ["ray::extract_pdf"]:
                return process
        except psutil.Error:
            continue
    return None


def test_worker_killed_mid_task_loses_and_duplicates_no_rows(pdfs, local_dataset, ray_instance, tmp_path):
    out = tmp_path / "ds"
    result: dict = {}
    run = threading.Thread(
        target=lambda: result.update(summary=run_extract(pdfs, out, CONFIG, quiet=True, engine=Engine(EngineKind.ray)))
    )
    run.start()
    killed = None
    while run.is_alive() and killed is None:
        killed = _running_extract_task()
        if killed:
            killed.send_signal(signal.SIGKILL)
        time.sleep(0.01)
    run.join(timeout=120)
    assert killed is not None, "no extract task was caught running"
    assert not killed.is_running()
    assert result["summary"].pdfs == len(PDF_NAMES)  # Ray re-ran the killed task
    assert_same_dataset(out, local_dataset)


def test_driver_killed_mid_run_resumes_to_the_same_dataset(pdfs, local_dataset, ray_instance, tmp_path):
    """A driver on another process joins the running instance (as on a cluster), dies, and a new run resumes."""
    out = tmp_path / "ds"
    command = [sys.executable, "-m", "mmskin_build", "extract", *map(str, pdfs), "-o", str(out), "--dpi", "72"]
    command += ["--engine", "ray", "--ray-address", ray_instance]
    kill_after_first_commit(command, out)
    assert 1 <= len(Dataset.open(out).manifest.inputs) < len(PDF_NAMES), "the kill should land mid-run"
    summary = run_extract(pdfs, out, CONFIG, quiet=True, engine=Engine(EngineKind.ray))
    assert summary.skipped >= 1 and summary.skipped + summary.pdfs == len(PDF_NAMES)
    assert_same_dataset(out, local_dataset)


def test_without_ray_engine_ray_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "ds"), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'mmskin-build[ray]'" in result.stderr
    assert not (tmp_path / "ds").exists(), "nothing is written before the engine is known to work"


def test_ray_address_without_engine_ray_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "ds"), "--ray-address", "auto"])
    assert result.exit_code == 2 and "--engine ray" in result.stderr
    assert not (tmp_path / "ds").exists()

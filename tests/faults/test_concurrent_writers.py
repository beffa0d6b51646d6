"""Several `extract` runs into one dataset at the same time: they take turns on the dataset's lock, and the
result holds every PDF once, row for row what one run over all of them gives."""

from __future__ import annotations

import subprocess

import pytest
from fault_helpers import assert_valid, command, environment

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset


def _rows(dataset, table: str, key: str) -> list[dict]:
    return sorted(Dataset.open(dataset).read_table(table).to_pylist(), key=lambda row: row[key])


@pytest.mark.parametrize("writers", [2, 3])
def test_concurrent_extract_runs_lose_and_duplicate_nothing(writers, long_books, books, tmp_path):
    shared = books / "sample-textbook.pdf"  # every run is also given this one
    own = [long_books / f"book-{i}.pdf" for i in range(writers)]
    dataset = tmp_path / "ds"
    processes = [
        subprocess.Popen(
            command("extract", pdf, shared, "-o", dataset, "--dpi", "72"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        for pdf in own
    ]
    results = [(process.wait(timeout=600), process.stderr.read()) for process in processes]
    for code, stderr in results:
        assert code == 0 and "Traceback" not in stderr, stderr
    manifest = Dataset.open(dataset).manifest
    assert len(manifest.inputs) == writers + 1
    assert [run.status for run in manifest.runs] == ["done"] * writers
    assert sum(run.counts["pdfs"] for run in manifest.runs) == writers + 1, "the shared PDF is extracted once"
    run_extract([*own, shared], tmp_path / "reference", ExtractConfig(dpi=72))
    for table, key in (("figures", "figure_id"), ("images", "image_id")):
        assert _rows(dataset, table, key) == _rows(tmp_path / "reference", table, key)
    assert_valid(dataset)

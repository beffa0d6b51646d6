"""`mmskin-build report`: one self-contained HTML page, rendered in a real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from test_curate_stage import planted_items
from typer.testing import CliRunner

from fixtures.factories import write_dataset
from mmskin_build.cli import app
from mmskin_build.curation.report import histogram_svg
from mmskin_build.curation.stage import run_curate

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = "chromium not found: run `make chromium` (Debian's chromium package) to render the report"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report") / "ds"
    write_dataset(root, planted_items())
    run_curate(root)
    result = CliRunner().invoke(app, ["report", str(root), "--thumbnails", "4"])
    assert result.exit_code == 0, result.output
    path = root / "report.html"
    assert result.stdout.strip() == str(path)
    return path


def test_report_is_self_contained(report):
    text = report.read_text()
    # Nothing is fetched: every image is a data: URI, no external stylesheet or script.
    assert not re.search(r"""(src|href)=["'](?!data:)""", text)
    for heading in (
        "Pairs per book",
        "Pairs per modality",
        "Caption length",
        "Image size",
        "Examples per modality",
        "Drop reasons",
    ):
        assert heading in text
    for reason in ("duplicate", "low-res", "no-caption", "non-photo", "sensitive", "annotated"):
        assert f"<h3>{reason}</h3>" in text
    assert "book0.pdf" in text and "<svg" in text


def test_report_renders_in_headless_chromium(report, tmp_path):
    binary = chromium()
    common = [binary, *CHROMIUM_FLAGS]
    dom = subprocess.run(
        [*common, f"--user-data-dir={tmp_path / 'profile-dom'}", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    decoded = re.search(r'data-images-decoded="(\d+)/(\d+)"', dom.stdout)
    assert decoded, "the page's load script did not run"
    ok, total = map(int, decoded.groups())
    assert total >= 10 and ok == total, f"only {ok} of {total} embedded images decoded"
    # Console messages and uncaught exceptions are logged as CONSOLE lines on stderr; the page logs nothing.
    assert not [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    shot = tmp_path / "report.png"
    screenshot = subprocess.run(
        [
            *common,
            f"--user-data-dir={tmp_path / 'profile-shot'}",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert screenshot.returncode == 0 and shot.stat().st_size > 10_000


def test_histogram_handles_empty_and_constant_values():
    assert "no data" in histogram_svg([], "t", "px")
    assert histogram_svg([5, 5, 5], "t", "px").count("<rect") == 20

"""extract on real PDFs (../shared/data), on the generated sample textbook, and on broken files."""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from fixtures.factories import staged_rows
from fixtures.interrupt import signal_after_first_commit
from mmskin_build import console
from mmskin_build.cli import app
from mmskin_build.engines import Engine
from mmskin_build.extract import document
from mmskin_build.extract import stage as extract_stage
from mmskin_build.extract.document import ExtractConfig, PdfPart, extract_pdf
from mmskin_build.extract.evaluate import evaluate_dataset
from mmskin_build.extract.stage import (
    PAGES_PER_TASK,
    code_fingerprint,
    extractor_fingerprint,
    run_extract,
    split_above,
)
from mmskin_build.sample import images
from mmskin_build.sample.bad_inputs import FAILING_PAGES, bad_inputs, truncated_image_pdf
from mmskin_build.sample.textbook import build_long_book, build_textbook
from mmskin_build.store import Dataset
from mmskin_build.validate import problems

runner = CliRunner()


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("sample")
    build_textbook(directory / "sample-textbook.pdf").write(directory / "sample-textbook.json")
    return directory


@pytest.fixture(scope="session")
def sample_dataset(sample_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-ds") / "ds"
    run_extract([sample_dir / "sample-textbook.pdf"], out, ExtractConfig(dpi=100))
    return out


@pytest.fixture(scope="session")
def real_dataset(shared_pdfs, shared_groundtruth, tmp_path_factory) -> Path:
    """The shared PDFs that have human ground truth, extracted with two workers."""
    names = [p.stem for p in shared_groundtruth.glob("*.json") if not p.name.startswith("docling_")]
    pdfs = [shared_pdfs / f"{name}.pdf" for name in names]
    out = tmp_path_factory.mktemp("real-ds") / "ds"
    summary = run_extract(pdfs, out, ExtractConfig(dpi=72), workers=2)
    assert summary.errors == 0
    return out


def test_real_pdfs_reach_the_accuracy_floor(real_dataset, shared_groundtruth):
    report = evaluate_dataset(real_dataset, shared_groundtruth)
    metrics = report.metrics()
    for name in ("icml13", "meddiag"):
        assert metrics[name]["f1"] >= 0.95, (name, metrics[name], report.misses)
    assert metrics["overall"]["caption_accuracy"] >= 0.95, report.misses
    assert metrics["meddiag"]["panel_accuracy"] >= 0.8
    assert list(problems(real_dataset)) == []


def test_two_photos_of_one_row_captioned_at_different_heights_keep_their_captions(real_dataset):
    # A case report's photos top-aligned in two columns, of unequal height, "Picture 1." and "Picture 2." centred
    # under each at different heights, the journal's masthead logo (a picture) at the page top. The captions are a
    # row by their pictures; the logo, far above, is no picture of that row and must not narrow either search.
    rows = Dataset.open(real_dataset).read_table("figures").to_pylist()
    captions = [r["caption"] for r in rows if r["source_pdf"] == "meddiag_Dengue_Fever.pdf" and r["page"] == 1]
    assert len(captions) == 2 and set(captions) == {"Picture 1.", "Picture 2."}


def test_sample_textbook_is_extracted_exactly(sample_dataset, sample_dir):
    report = evaluate_dataset(sample_dataset, sample_dir)
    scores = report.overall
    assert (scores.precision, scores.recall, scores.caption_accuracy) == (1.0, 1.0, 1.0), report.misses
    assert scores.panel_accuracy == 1.0
    figures = {r["label"]: r for r in Dataset.open(sample_dataset).read_table("figures").to_pylist()}
    assert None in figures, "the uncaptioned photo is kept with caption null"
    assert not any(
        label and label.startswith("2.1") and "Table" in (r["caption"] or "")[:6] for label, r in figures.items()
    )
    lettered = [r for r in figures.values() if len(r["panels"]) >= 2]
    assert lettered and all(p["letter"] for r in lettered for p in r["panels"])
    assert any(p["subcaption"] for r in lettered for p in r["panels"])
    assert sum(bool(r["mentions"]) for r in figures.values()) >= len(figures) // 2
    for row in figures.values():
        for mention in row["mentions"]:
            assert not mention.startswith(row["caption"] or "\0")


def test_images_table_is_read_by_its_consumers(sample_dataset):
    import datasets
    import duckdb
    import pandas as pd

    shards = [str(p) for p in Dataset.open(sample_dataset).shard_paths("images")]
    loaded = datasets.load_dataset("parquet", data_files=shards, split="train")
    assert isinstance(loaded.features["image"], datasets.Image)
    first = loaded[0]["image"]
    assert first.size == (loaded[0]["width"], loaded[0]["height"])
    frame = pd.read_parquet(shards)
    assert len(frame) == len(loaded) and frame["sha256"].is_unique
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet({shards!r})").fetchall()[0][0]
    assert count == len(loaded)


def test_captioned_only_drops_uncaptioned_figures(sample_dir, tmp_path):
    summary = run_extract(
        [sample_dir / "sample-textbook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72, captioned_only=True)
    )
    labels = Dataset.open(tmp_path / "ds").read_table("figures", columns=["label"]).column("label").to_pylist()
    assert None not in labels
    assert summary.uncaptioned_dropped >= 1


def test_bad_inputs_give_one_error_each_and_the_rest_goes_on(sample_dir, tmp_path):
    expected = bad_inputs(tmp_path / "bad")
    result = runner.invoke(
        app,
        [
            "extract",
            str(tmp_path / "bad"),
            str(sample_dir / "sample-textbook.pdf"),
            "-o",
            str(tmp_path / "ds"),
            "--dpi",
            "72",
        ],
    )
    assert result.exit_code == 1
    errors = Dataset.open(tmp_path / "ds").read_table("errors").to_pylist()
    by_file = {}
    for row in errors:
        by_file.setdefault(Path(row["source"]).name, []).append(row["reason"])
    assert by_file == {name: [reason] for name, reason in expected.items()}
    for row in errors:
        assert row["detail"] and row["source"].endswith(".pdf")
    page_errors = {Path(r["source"]).name: r["page"] for r in errors if r["page"] is not None}
    assert page_errors == FAILING_PAGES
    dataset = Dataset.open(tmp_path / "ds")
    statuses = {Path(item.path).name: item.status for item in dataset.manifest.inputs.values()}
    for name in FAILING_PAGES:
        assert statuses[name] == "done", "a bad page or image must not stop the rest of its file"
    figures = dataset.read_table("figures", columns=["source_pdf"]).column("source_pdf").to_pylist()
    truth = json.loads((sample_dir / "sample-textbook.json").read_text())["figures"]
    assert figures.count("sample-textbook.pdf") == sum(f["type"] == "Figure" for f in truth)
    assert list(problems(tmp_path / "ds")) == []


def test_a_truncated_embedded_jpeg_is_one_error_row_for_its_figure(tmp_path):
    # Its header reads on the reading thread; its pixels are first decoded by the panel search on the output thread,
    # whose failure must still be the figure's own decode-failed row, in its place, and no figure.
    pdf = truncated_image_pdf(tmp_path / "truncated-image.pdf")
    summary = run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    dataset = Dataset.open(tmp_path / "ds")
    errors = dataset.read_table("errors").to_pylist()
    assert [(row["page"], row["reason"]) for row in errors] == [(2, "decode-failed")]
    assert errors[0]["item_id"] and "truncated" in errors[0]["detail"]
    assert dataset.read_table("figures").num_rows == dataset.read_table("images").num_rows == 0
    assert summary.figures == 0 and summary.pages == 2


def test_rerun_skips_done_pdfs_and_force_replaces_their_rows(sample_dir, tmp_path):
    pdf = sample_dir / "sample-textbook.pdf"
    first = run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").rows("images")
    again = run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    assert (again.skipped, again.pdfs) == (1, 0)
    forced = run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72), force=True)
    assert forced.pdfs == 1 and first.figures == forced.figures
    assert Dataset.open(tmp_path / "ds").rows("images") == rows
    assert list(problems(tmp_path / "ds")) == []


def test_killed_run_resumes_to_the_uninterrupted_result(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    for i in range(4):
        build_long_book(books / f"book-{i}.pdf", pages=45, seed=i)
    reference = tmp_path / "reference"
    run_extract([books], reference, ExtractConfig(dpi=72))
    interrupted = tmp_path / "interrupted"
    command = [sys.executable, "-m", "mmskin_build", "extract", str(books), "-o", str(interrupted), "--dpi", "72"]
    signal_after_first_commit(command, interrupted)
    partial = Dataset.open(interrupted)
    assert 1 <= len(partial.manifest.inputs) < 4, "the kill should land mid-run"
    run_extract([books], interrupted, ExtractConfig(dpi=72))
    for table in ("figures", "images"):
        got = sorted(Dataset.open(interrupted).read_table(table).column(0).to_pylist())
        want = sorted(Dataset.open(reference).read_table(table).column(0).to_pylist())
        assert got == want, table
    assert not list(interrupted.glob("*/.tmp/*"))
    assert list(problems(interrupted)) == []


def _rows(dataset: Path, table: str, key: str) -> list[dict]:
    return sorted(Dataset.open(dataset).read_table(table).to_pylist(), key=lambda row: row[key])


def test_workers_produce_the_same_rows(sample_dir, tmp_path):
    pdfs = [sample_dir / "sample-textbook.pdf"]
    build_long_book(tmp_path / "long.pdf", pages=PAGES_PER_TASK * 2 + 5)  # split into three page ranges
    pdfs.append(tmp_path / "long.pdf")
    one = run_extract(pdfs, tmp_path / "one", ExtractConfig(dpi=72), workers=1)
    two = run_extract(pdfs, tmp_path / "two", ExtractConfig(dpi=72), workers=2)
    assert one.counts() == two.counts()
    for table, key in (("figures", "figure_id"), ("images", "image_id")):
        assert _rows(tmp_path / "two", table, key) == _rows(tmp_path / "one", table, key)
    assert list(problems(tmp_path / "two")) == []


def test_a_pdf_in_parts_gives_the_rows_of_one_task_in_the_same_order(tmp_path):
    pdf = tmp_path / "long.pdf"
    build_long_book(pdf, pages=20)
    whole = extract_pdf(pdf, tmp_path / "whole", ExtractConfig(dpi=72))
    first = extract_pdf(pdf, tmp_path / "parts", ExtractConfig(dpi=72), part=PdfPart())
    assert first.pages == 0 and first.figures == 0 and first.text is not None
    for pages in (range(0, 7), range(7, 14), range(14, 20)):
        part = PdfPart(pages, first.text.for_pages(pages))  # only the lines a range task is sent
        first.absorb(extract_pdf(pdf, tmp_path / "parts", ExtractConfig(dpi=72), part=part))
    assert (first.pages, first.figures, first.images) == (whole.pages, whole.figures, whole.images) != (20, 0, 0)
    for table in ("figures", "images"):
        assert staged_rows(first, table) == staged_rows(whole, table), table


def test_a_failed_panel_search_ends_its_page_as_before_and_the_other_figures_keep_their_order(tmp_path, monkeypatch):
    """The panel search runs on the output thread while later pages are read: a search that raises still records
    the page's one error and drops that page's later figures (as when it ran in place), nothing else."""
    pdf = tmp_path / "book.pdf"
    build_textbook(pdf)
    whole = extract_pdf(pdf, tmp_path / "whole", ExtractConfig(dpi=72))
    figures = staged_rows(whole, "figures")
    pages = [row["page"] for row in figures]
    page = next(number for number in pages if pages.count(number) >= 3)
    first, second, _third = (row for row in figures if row["page"] == page)
    real_search = document.find_panels

    def failing_search(region, picture, letters):
        if region.box.as_list() == second["bbox"]:
            raise RuntimeError("no panels here")
        return real_search(region, picture, letters)

    monkeypatch.setattr(document, "find_panels", failing_search)
    failed = extract_pdf(pdf, tmp_path / "failed", ExtractConfig(dpi=72))
    kept = [row for row in figures if row["page"] != page or row is first]
    assert [row["figure_id"] for row in staged_rows(failed, "figures")] == [row["figure_id"] for row in kept]
    assert [(e.page, e.reason) for e in failed.errors] == [(page, "page-failed")]
    # The line of this package that raised it (here the call of the failing search): a bug's row says where to look.
    assert re.fullmatch(
        r"figure search failed: RuntimeError: no panels here \(at mmskin_build/extract/document\.py:\d+ in _panel_search\)",
        failed.errors[0].detail,
    )
    assert [row["reason"] for row in staged_rows(failed, "errors")] == ["page-failed"]


def test_debug_prints_the_traceback_of_each_page_s_error_under_its_line(tmp_path, monkeypatch):
    pdf = tmp_path / "book.pdf"
    build_textbook(pdf)

    def failing_search(region, picture, letters):
        raise RuntimeError("no panels here")

    monkeypatch.setattr(document, "find_panels", failing_search)
    monkeypatch.setattr(console.settings, "debug", False)  # restored after the test: --debug sets it for the process
    plain = runner.invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "plain"), "--dpi", "72"])
    debug = runner.invoke(app, ["--debug", "extract", str(pdf), "-o", str(tmp_path / "debug"), "--dpi", "72"])
    assert plain.exit_code == debug.exit_code == 1  # some inputs failed
    failed = plain.stderr.count("page-failed: figure search failed: RuntimeError: no panels here")
    assert failed >= 2 and "Traceback" not in plain.stderr
    assert debug.stderr.count("Traceback (most recent call last)") == failed
    assert debug.stderr.count('raise RuntimeError("no panels here")') == failed
    assert Dataset.open(tmp_path / "debug").read_table("errors").column_names == (
        Dataset.open(tmp_path / "plain").read_table("errors").column_names
    )  # the traceback is no column


def test_missing_input_is_an_error_line_naming_it(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.pdf"), "-o", str(tmp_path / "ds")])
    assert result.exit_code == 2
    assert "nope.pdf" in result.stderr and "no such file" in result.stderr


def test_the_summary_gives_each_count_by_its_whole_name_on_80_columns(tmp_path, shared_pdfs):
    # Ten counts side by side had their names cut to four letters ("figu…") on 80 columns (a terminal, or a pipe).
    pdf = shared_pdfs / "meddiag_Exanthematic_dengue_fever_mimicking_rubella.pdf"
    result = runner.invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "ds"), "--dpi", "72"])
    assert result.exit_code == 0
    counts = dict(re.findall(r"│ ([a-z: ]+?) +│ +(\d+) │", result.stdout))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").num_rows
    assert counts["pdfs"] == "1" and counts["figures"] == str(figures) != "0" and counts["errors"] == "0"
    assert {"duplicates", "skipped", "panels", "images"} <= counts.keys()


def test_help_has_an_example():
    for command in ("extract", "eval-extract", "validate"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.stdout


def test_a_pdf_is_split_into_page_ranges_only_when_long_beside_a_workers_share():
    pages = {Path("guideline.pdf"): 160, Path("handbook.pdf"): 93, Path("papers.pdf"): 199}  # 452 pages in all
    assert split_above(pages, workers=2) == 113  # the guideline is split, the handbook stays one task
    assert split_above(pages, workers=8) == 28  # both are split
    assert split_above({Path("short.pdf"): 20}, workers=8) == PAGES_PER_TASK  # never ranges shorter than that
    assert split_above(pages, workers=None) == PAGES_PER_TASK  # a Ray cluster: as many ranges as there can be


@dataclasses.dataclass(frozen=True)
class _SerialEngine(Engine):
    """Two workers as far as the stage can tell (so long PDFs are split), the tasks run here one after another."""

    ran: list = dataclasses.field(default_factory=list)

    def map_unordered(self, task, items, more=None, here=False, task_here=None):
        queue = collections.deque(items)
        while queue:
            item = queue.popleft()
            self.ran.append(item)
            result = (task_here or task)(item)
            queue.extendleft(reversed(list(more(item, result))))
            yield item, result


def test_a_pdf_and_its_page_ranges_are_hashed_once_by_the_driver(tmp_path, monkeypatch):
    pdf = tmp_path / "long.pdf"
    build_long_book(pdf, pages=PAGES_PER_TASK + 5)  # a first pass and two page ranges with two workers
    hashed: list[Path] = []
    monkeypatch.setattr(document, "sha256_file", lambda path: hashed.append(path) or "not the hash")
    engine = _SerialEngine(workers=2)
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72), engine=engine)
    assert [task.part.pages for task in engine.ran] == [range(0), range(0, 16), range(16, 21)]
    assert hashed == []  # no task hashed it again
    (record,) = Dataset.open(tmp_path / "ds").manifest.inputs.values()
    assert record.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert record.rows["figures"] > 0


def test_the_extractor_fingerprint_follows_its_code(tmp_path):
    package = Path(extract_stage.__file__).resolve().parents[1]
    copy = tmp_path / "package"
    for name in ("extract", "text"):
        shutil.copytree(package / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(package / "imaging.py", copy / "imaging.py")
    assert code_fingerprint(copy) == extractor_fingerprint()
    regions = copy / "extract" / "regions.py"
    regions.write_text(regions.read_text() + "\n# a changed rule\n")
    assert code_fingerprint(copy) != extractor_fingerprint()


def test_a_rendered_figure_is_searched_for_panels_as_at_72_dpi_whatever_the_dpi(tmp_path, monkeypatch):
    """The panel search's pixel rules are set on figures rendered one pixel a point. At the default 200 dpi a
    rendered figure's embedded images are resampled otherwise (held-out 19's low-resolution photographs laid by hand
    read as flat when interpolated, held-out 20's hairline drawings kept whole), so panels differed between
    `--dpi 72` and the default. The search now sees the figure rendered at 72 dpi whatever the dpi; the figure and
    its panel crops keep the dpi's render."""
    pdf = tmp_path / "laid.pdf"
    canvas = Canvas(str(pdf), pagesize=(612, 792))
    for seed, (x, y, width, height) in enumerate(((180, 520, 120, 92), (300.5, 519, 120, 93))):  # set by hand
        photo = images.skin_photo(np.random.default_rng(seed), 160, 123)  # ~96 dpi
        canvas.drawImage(ImageReader(photo), x, y, width, height)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(180, 500, "Figure 1. Two photographs of the clinic, laid side by side.")
    canvas.save()
    seen: list[tuple[int, int]] = []
    search = document.find_panels
    monkeypatch.setattr(
        document, "find_panels", lambda region, picture, *a: seen.append(picture.size) or search(region, picture, *a)
    )
    rows = {}
    for dpi in (72, 200):
        run_extract([pdf], tmp_path / f"ds{dpi}", ExtractConfig(dpi=dpi))
        rows[dpi] = Dataset.open(tmp_path / f"ds{dpi}").read_table("figures").to_pylist()
    assert len(seen) == 2 and seen[0] == seen[1], "the search saw the figure at 72 dpi both times"
    assert [r["panels"] for r in rows[72]] == [r["panels"] for r in rows[200]] and len(rows[72][0]["panels"]) == 2
    assert rows[200][0]["image_width"] > 2 * rows[72][0]["image_width"], "the figure keeps the dpi's render"

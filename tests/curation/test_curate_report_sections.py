"""The report's sections for errors, images needing review, VQA with gate counts and books; ids on thumbnails."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.curation.report import render_report
from mmskin_build.review.corrections import append_corrections, new_correction
from mmskin_build.sample.bad_inputs import bad_inputs
from mmskin_build.store import Dataset

CASE_REPORTS = (
    "meddiag_A_case_of_dengue_fever_presenting_with_acute_urticaria.pdf",
    "meddiag_A_rare_case_of_acute_liver_failure_with_intrahepatic_cholestasis_due_to_dengue_h.pdf",
    "meddiag_Skin_rash_from_dengue_fever.pdf",
)


class _Figures(HTMLParser):
    """Each <figure>'s data-id and the text of the <code class="id"> inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self._open = attrs.get("data-id", "")
        self._in_code = tag == "code" and attrs.get("class") == "id" and self._open is not None

    def handle_data(self, data):
        if self._in_code:
            self.found.append((self._open, data))
            self._in_code = False

    def handle_endtag(self, tag):
        if tag == "figure":
            self._open = None


@pytest.fixture(scope="module")
def built(shared_pdfs, tmp_path_factory):
    work = tmp_path_factory.mktemp("report-sections")
    broken = bad_inputs(work / "bad")
    root = work / "ds"
    inputs = [str(shared_pdfs / n) for n in CASE_REPORTS] + [
        str(work / "bad" / n) for n in ("not-a-pdf.pdf", "zero-byte.pdf")
    ]
    for args in (
        ["extract", *inputs, "-o", str(root)],
        ["classify", str(root)],
        ["curate", str(root)],
        ["generate-vqa", str(root), "--backend", "rules"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1), result.output  # extract exits 1: two inputs are broken on purpose
    assert broken
    return root


def _section(html: str, title: str) -> str:
    match = re.search(rf"<h2>{title}</h2>(.*?)(?=<h2>|</body>)", html, re.DOTALL)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_sections_hold_what_the_tables_hold(built):
    dataset = Dataset.open(built)
    flagged = [
        r for r in dataset.read_table("images", columns=["image_id", "needs_review"]).to_pylist() if r["needs_review"]
    ]
    assert flagged, "the case reports give images under the confidence threshold"
    qa_id = dataset.read_table("vqa", columns=["qa_id"]).column("qa_id")[0].as_py()
    append_corrections(
        built,
        [
            new_correction("image", flagged[0]["image_id"], "x", "status", None, "approved", "ann"),
            new_correction("qa", qa_id, "x", "status", None, "rejected", "ann"),
        ],
    )  # not an image
    html = render_report(Dataset.open(built), thumbnails=50)

    errors = _section(html, "Errors")
    assert "not-a-pdf" in errors and "empty-file" in errors
    review = _section(html, "Images needing review")
    assert f"{len(flagged)} images flagged" in review and "1 approved, 0 rejected" in review
    assert all(f'data-id="{r["image_id"]}"' in review for r in flagged)

    vqa = _section(html, "VQA")
    counts = [r for r in dataset.manifest.runs if r.stage == "generate-vqa"][-1].counts
    assert f"{counts['accepted']} accepted of {counts['generated']} generated" in vqa
    for gate in ("unsupported", "leakage", "type-balance", "review"):
        assert f"<td>{gate}</td>" in vqa
    assert vqa.count("<figure") == min(50, dataset.rows("vqa"))

    books = _section(html, "Per book")
    pairs = Counter(dataset.read_table("pairs", columns=["source_pdf"]).column("source_pdf").to_pylist())
    for name in CASE_REPORTS:
        assert f"<td>{name}</td>" in books
        row = re.search(rf"<tr><td>{re.escape(name)}</td>(.*?)</tr>", books).group(1)
        assert re.findall(r"<td>([^<]*)</td>", row)[2] == str(pairs[name])


def test_every_thumbnail_shows_its_id(built):
    html = render_report(Dataset.open(built), thumbnails=50)
    parser = _Figures()
    parser.feed(html)
    assert len(parser.found) == html.count("<figure") and len(parser.found) >= 10
    assert all(data_id and data_id == shown for data_id, shown in parser.found)
    dataset = Dataset.open(built)
    known = set(dataset.read_table("images", columns=["image_id"]).column("image_id").to_pylist())
    known |= set(dataset.read_table("vqa", columns=["qa_id"]).column("qa_id").to_pylist())
    assert {shown for _, shown in parser.found} <= known

"""extract on two whole real guideline books (253 pages), scored against the hand annotation in tests/groundtruth.

The floors are today's measured figures (issue 13): a change that loses a figure or a caption fails here. The
issue's targets are an xfail(strict) test, so reaching them turns it into a failure that says: promote them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.evaluate import EvalReport, evaluate_dataset, read_truth, truth_files
from mmskin_build.extract.stage import run_extract

GROUNDTRUTH = Path(__file__).parents[1] / "groundtruth"
WHO_2009 = "meddiag_DENGUE_GUIDELINES_FOR_DIAGNOSIS_TREATMENT_PREVENTION_AND_CONTROL"
TIMOR_LESTE_2022 = "meddiag_National_Guideline_for_Clinical_Management_of_Dengue"

# Measured on 2026-12-01, rounded down: (F1, caption accuracy of matched figures, panel count right of matched
# figures). Main at 091fc17: WHO 2009 8 of 16 found, 18 predicted, 7 captions right, 8 panel counts right;
# Timor-Leste 2022 21 of 25, 31, 17, 8 (13 flow charts and posters split into 6-19 panels). After the textbook
# layout fixes (branch x-captions): WHO 9 of 16, 14, 9, 9; Timor-Leste 22 of 25, 28, 21, 16 (17 at 200 dpi: the
# flat-fill test reads the rendered picture; flow charts drawn as flat-coloured images are no longer panels).
FLOORS = {WHO_2009: (0.59, 1.0, 1.0), TIMOR_LESTE_2022: (0.83, 0.95, 0.72)}


@pytest.fixture(scope="module")
def books_report(shared_pdfs, tmp_path_factory) -> EvalReport:
    out = tmp_path_factory.mktemp("books") / "ds"
    pdfs = [shared_pdfs / f"{stem}.pdf" for stem in FLOORS]
    summary = run_extract(pdfs, out, ExtractConfig(dpi=72), workers=2)
    assert summary.errors == 0
    return evaluate_dataset(out, GROUNDTRUTH)


def test_ground_truth_covers_every_page_of_both_books():
    files = truth_files(GROUNDTRUTH)
    truths = dict(read_truth(path) for path in files)
    assert set(truths) == set(FLOORS)
    for truth in truths.values():
        pages = truth["pages_annotated"]
        assert pages == list(range(1, max(pages) + 1))
        for figure in truth["figures"]:
            x0, top, x1, bottom = figure["figure_bbox"]
            assert 0 <= x0 < x1 <= figure["page_width"] and 0 <= top < bottom <= figure["page_height"]
            assert figure["page"] in pages
            assert (figure["caption_bbox"] is None) == (figure["caption_text"] is None)


def test_books_do_not_regress(books_report):
    for stem, (f1, captions, panels) in FLOORS.items():
        scores = books_report.documents[stem]
        assert scores.f1 >= f1, (stem, scores, books_report.misses)
        assert scores.caption_accuracy >= captions, (stem, scores, books_report.misses)
        assert scores.panel_accuracy_all >= panels, (stem, scores, books_report.pages_to_check)


@pytest.mark.xfail(
    strict=True,
    reason="issue 13 targets not met on the guideline books (F1 0.74, captions 0.97, panel counts 0.81): captions "
    "above figures (wrong side, split flow charts, not attached), vector flow charts and charts not found, "
    "covers and title art kept, some flow charts split into panels; see docs/NOTES.md "
    "'Ground truth for real books'",
)
def test_books_reach_issue_targets(books_report):
    overall = books_report.overall
    assert overall.f1 >= 0.95, books_report.misses
    assert overall.caption_accuracy >= 0.95, books_report.misses
    assert overall.panel_accuracy_all >= 0.90

"""extract on real PDFs annotated by hand in ./groundtruth: two whole guideline books (253 pages) and seven case
reports (28 pages) that ../shared/data has no ground truth for.

The floors are today's measured figures (issue 13): a change that loses a figure, a caption or a panel count fails
here. The issue's targets for the books are met and tested as such.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.evaluate import EvalReport, Scores, evaluate_dataset, read_truth, truth_files
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

GROUNDTRUTH = Path(__file__).parent / "groundtruth"
WHO_2009 = "meddiag_DENGUE_GUIDELINES_FOR_DIAGNOSIS_TREATMENT_PREVENTION_AND_CONTROL"
TIMOR_LESTE_2022 = "meddiag_National_Guideline_for_Clinical_Management_of_Dengue"

# Measured on 2026-12-01, rounded down: (F1, caption accuracy of matched figures, panel count right of matched
# figures). Main at 091fc17: WHO 2009 8 of 16 found, 18 predicted, 7 captions right, 8 panel counts right;
# Timor-Leste 2022 21 of 25, 31, 17, 8 (13 flow charts and posters split into 6-19 panels); the case reports 5 of
# 6, 6, 5, 4 (a two-plot chart kept as one panel). After the textbook-layout fixes (branch x-captions): WHO 9 of
# 16, 14, 9, 9; Timor-Leste 22 of 25, 28, 21, 16 at this test's 72 dpi (17 at 200 dpi: the flat-fill test reads
# the rendered picture; flow charts drawn as flat-coloured images are no longer panels). After branch x-books (front
# matter, caption side per document, flow-chart node labels, "Figure. 11", head labels of flow charts, source notes):
# WHO 12 of 16, 14, 12, 12; Timor-Leste 24 of
# 25, 24, 24, 17 (one more panel count right, but two more matched flow charts split into panels lower the share).
# After branch x-books round 3 (a description after a blank line, unequal parts are no panels, rotated labels out
# of caption lines, wrapped text beside a chart under a long caption, criteria text in columns, a description
# printed under the picture): WHO 14 of 16, 14, 14, 14; Timor-Leste 25 of 25, 25, 25, 25; case reports 6 of 6, 6,
# 6, 5 (the two-plot chart is still one panel).
# After branch x-cap11 (a drawing set across two facing pages): WHO 16 of 16, 16, 16, 16.
FLOORS = {
    WHO_2009: (1.0, 1.0, 1.0),
    TIMOR_LESTE_2022: (1.0, 1.0, 1.0),
    "set casereports": (1.0, 1.0, 0.83),
}


@pytest.fixture(scope="module")
def real_dataset(shared_pdfs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("groundtruth") / "ds"
    pdfs = [shared_pdfs / f"{stem}.pdf" for stem, _ in map(read_truth, truth_files(GROUNDTRUTH))]
    summary = run_extract(pdfs, out, ExtractConfig(dpi=72), workers=2)
    assert summary.errors == 0
    return out


@pytest.fixture(scope="module")
def real_report(real_dataset) -> EvalReport:
    return evaluate_dataset(real_dataset, GROUNDTRUTH)


def _scores(report: EvalReport, name: str) -> Scores:
    return report.sets[name.removeprefix("set ")] if name.startswith("set ") else report.documents[name]


def test_ground_truth_covers_every_page_with_boxes_on_the_page():
    truths = dict(map(read_truth, truth_files(GROUNDTRUTH)))
    assert {WHO_2009, TIMOR_LESTE_2022} <= set(truths) and len(truths) == 9
    assert {truth["set"] for truth in truths.values()} == {"books", "casereports"}
    for truth in truths.values():
        pages = truth["pages_annotated"]
        assert pages == list(range(1, max(pages) + 1))
        for figure in truth["figures"]:
            x0, top, x1, bottom = figure["figure_bbox"]
            assert 0 <= x0 < x1 <= figure["page_width"] and 0 <= top < bottom <= figure["page_height"]
            assert figure["page"] in pages
            assert (figure["caption_bbox"] is None) == (figure["caption_text"] is None)


def test_real_pdfs_do_not_regress(real_report):
    for name, (f1, captions, panels) in FLOORS.items():
        scores = _scores(real_report, name)
        assert scores.f1 >= f1, (name, scores, real_report.misses)
        assert scores.caption_accuracy >= captions, (name, scores, real_report.wrong)
        assert scores.panel_accuracy_all >= panels, (name, scores, real_report.wrong)
    books = real_report.sets["books"]
    # Exactly the printed caption: a rotated axis label that the text layer runs into a caption line (WHO Figure
    # 1.2, "... 1955-2007 Number o") is split off as its own line.
    assert books.caption_exact == books.matched, real_report.wrong


def test_books_reach_issue_targets(real_report):
    """Issue 13's targets on the guideline books (reached on branch x-books: F1 0.975, captions and panel counts
    1.000; the two halves of WHO's uncaptioned fold-out chart, pages 64-65, were the misses up to branch x-cap11)."""
    books = real_report.sets["books"]
    assert books.f1 >= 0.95, real_report.misses
    assert books.caption_accuracy >= 0.95, real_report.wrong
    assert books.panel_accuracy_all >= 0.90, real_report.wrong


def test_a_chapter_tab_and_page_number_beside_a_flow_chart_stay_out_of_it(real_dataset):
    """WHO 2009 p51, Figure 2.3 (a flow chart filling the page): the chapter-2 thumb tab and the page number "39"
    in the outer margin, 3-30 pt right of the chart, recur beside the text of the chapter's other pages; they are
    page furniture (the box ran to x 498; truth 467.7)."""
    rows = Dataset.open(real_dataset).read_table("figures", columns=["source_pdf", "page", "label", "bbox"]).to_pylist()
    (chart,) = [r for r in rows if r["source_pdf"] == f"{WHO_2009}.pdf" and r["page"] == 51]
    assert chart["label"] == "2.3" and chart["bbox"][2] <= 470, chart


def test_a_flow_chart_wider_than_the_column_and_a_map_over_its_source_note_keep_their_extent(real_dataset):
    """WHO 2009 p49, Figure 2.2: the algorithm's side boxes reach 30 pt into the left margin and 15 pt into the
    right one, past the search span (column and two body sizes): the box was cut to x 94-459 (truth 63.7-467.7).
    p87, Figure 3.2: the "Source:" note under the map starts left of it and its anti-aliased glyph tops stayed in
    the box when it was cut at the note's line (box from x 126 to y 480.5; truth 157.7 and 477.2)."""
    rows = Dataset.open(real_dataset).read_table("figures", columns=["source_pdf", "page", "label", "bbox"]).to_pylist()
    boxes = {(r["page"], r["label"]): r["bbox"] for r in rows if r["source_pdf"] == f"{WHO_2009}.pdf"}
    assert boxes[49, "2.2"][0] <= 66 and boxes[49, "2.2"][2] >= 466, boxes[49, "2.2"]
    assert boxes[87, "3.2"][0] >= 155 and boxes[87, "3.2"][3] <= 478, boxes[87, "3.2"]


def test_each_half_of_a_chart_drawn_across_two_facing_pages_is_a_figure(real_dataset):
    """WHO 2009 pp. 64-65, the uncaptioned "Dengue case management" chart set across the spread: each page holds the
    whole chart clipped to its crop box, its lines and boxes running on 400 pt past the spine into the facing
    page's space. Each half is one uncaptioned figure, boxed as its truth; the pages beside tables set on the facing
    page (72, 87, 104, 109: the table drawn off the page's edge, not across it) gain no figure."""
    truth = {f["page"]: f["figure_bbox"] for f in read_truth(GROUNDTRUTH / f"{WHO_2009}.json")[1]["figures"]}
    columns = ["source_pdf", "page", "label", "caption", "bbox", "panels"]
    rows = Dataset.open(real_dataset).read_table("figures", columns=columns).to_pylist()
    who = [r for r in rows if r["source_pdf"] == f"{WHO_2009}.pdf"]
    for page in (64, 65):
        (half,) = [r for r in who if r["page"] == page]
        assert (half["label"], half["caption"], half["panels"]) == (None, None, []), half
        assert Box(*half["bbox"]).iou(Box(*truth[page])) >= 0.95, (page, half["bbox"])
    assert [r["page"] for r in who if r["page"] in (72, 87, 104, 109)] == [87, 104, 104]  # their captioned figures

"""`eval-extract`'s sub-caption score: each lettered panel found with its letter and what the caption says about it."""

from __future__ import annotations

import json
from pathlib import Path

from test_extract import sample_dataset, sample_dir  # noqa: F401  (session fixtures shared with test_extract)
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.extract.evaluate import evaluate_dataset, lettered, subcaption_error

runner = CliRunner()


def _panel(bbox: list[float], letter: str | None, subcaption: str | None) -> dict:
    return {"bbox": bbox, "letter": letter, "subcaption": subcaption}


def _truth(letters: str, texts: list[str | None], boxes: list[list[float]] | None = None) -> dict:
    truth = {"panel_labels": list(letters), "subcaptions": texts}
    return {**truth, "panel_bboxes": boxes} if boxes else truth


# A 2 x 2 plate whose column gutter (10 pt) is wider than its row gutter (9 pt), as Bothalia's Figure 3.
GRID = {"a": [0, 0, 100, 100], "b": [110, 0, 210, 100], "c": [0, 109, 100, 209], "d": [110, 109, 210, 209]}
TEXTS = {"a": "Ray floret.", "b": "Disc floret.", "c": "Dry cypsela.", "d": "Pappus."}


def _grid_panels(letters: dict[str, str] | None = None, texts: dict[str, str] | None = None) -> list[dict]:
    """The plate's panels as found, listed column by column (not in reading order)."""
    letters, texts = letters or {}, texts or {}
    return [_panel(GRID[k], letters.get(k, k), texts.get(k, TEXTS[k])) for k in "acbd"]


def test_panels_are_read_row_by_row_whatever_their_gutters():
    assert subcaption_error(_truth("abcd", list(TEXTS.values())), _grid_panels()) is None


def test_a_letter_on_the_wrong_panel_is_wrong():
    swapped = _grid_panels(letters={"b": "c", "c": "b"}, texts={"b": TEXTS["c"], "c": TEXTS["b"]})
    assert subcaption_error(_truth("abcd", list(TEXTS.values())), swapped) == (
        "panel 'b' found as 'c' with 'Dry cypsela.'"
    )


def test_a_tall_panel_beside_a_stack_is_a_column_of_its_own():
    """Bothalia Figure 2: a wide photo over a tall one (b) beside two stacked ones (c over d)."""
    panels = [
        _panel([0, 120, 100, 300], "b", "inflorescence"),
        _panel([110, 211, 210, 300], "d", "receptacle"),
        _panel([0, 0, 210, 110], "a", "habitat and habit"),
        _panel([110, 120, 210, 201], "c", "base of capitulum"),
    ]
    truth = _truth("abcd", ["habitat and habit", "inflorescence", "base of capitulum", "receptacle"])
    assert subcaption_error(truth, panels) is None


def test_offset_views_that_no_gap_parts_are_read_in_rows():
    """PLOS frog Figure 1: five views on one black ground, the second row's top reaching into the first row and the
    columns overlapping: no blank gap runs across all of them."""
    boxes = {"b": [299, 85, 379, 151], "a": [210, 96, 291, 145], "d": [286, 143, 320, 205], "c": [211, 150, 272, 210]}
    boxes["e"] = [330, 151, 376, 198]
    panels = [_panel(box, letter, letter.upper()) for letter, box in boxes.items()]
    assert subcaption_error(_truth("abcde", list("ABCDE")), panels) is None


def test_tiles_cut_from_one_raster_a_few_points_out_of_line_are_still_read_in_rows():
    """Held-out 26 chest CT p. 3 Figure 1: a 4 x 2 plate of CT slices in one raster, cut where the picture jumps; the
    last row boundary falls at 404.4 pt on the left, 401.7 on the right (2.7 pt apart), so no gap ran across the last
    two rows within 1 pt, they were read by columns (e, g, f, h) and panel f was "found as g"."""
    boxes = {"e": [232.0, 290.4, 383.0, 404.4], "f": [383.0, 290.4, 545.0, 401.7]}
    boxes |= {"g": [232.6, 404.4, 383.0, 539.0], "h": [383.0, 401.7, 545.0, 538.7]}
    panels = [_panel(box, letter, letter.upper()) for letter, box in boxes.items()]
    assert subcaption_error(_truth("efgh", list("EFGH")), panels) is None


def test_text_must_match_like_a_caption():
    truth = _truth("ab", ["T1-", "T2-weighted images."])
    right = [_panel([0, 0, 100, 100], "a", "T1 -"), _panel([110, 0, 210, 100], "b", "T2-weighted images")]
    assert subcaption_error(truth, right) is None, "compared on letters and digits"
    stray = [_panel([0, 0, 100, 100], "a", "T1- and"), right[1]]
    assert subcaption_error(truth, stray) == "panel 'a' text 'T1- and', truth 'T1-'"
    shifted = [_panel([0, 0, 100, 100], "a", "T2-weighted images."), _panel([110, 0, 210, 100], "b", None)]
    assert subcaption_error(truth, shifted).startswith("panel 'a' text 'T2-weighted")


def test_letters_compare_without_case_and_an_empty_truth_text_wants_none():
    truth = _truth("ab", ["", ""])
    assert subcaption_error(truth, [_panel([0, 0, 9, 9], "A", None), _panel([20, 0, 29, 9], "B", None)]) is None
    invented = [_panel([0, 0, 9, 9], "a", "PET scan shows tumor recurrence."), _panel([20, 0, 29, 9], "b", None)]
    assert subcaption_error(truth, invented) is not None


def test_a_null_truth_text_is_not_scored_but_its_letter_is():
    truth = _truth("ab", [None, None])
    assert subcaption_error(truth, [_panel([0, 0, 9, 9], "a", "x"), _panel([20, 0, 29, 9], "b", None)]) is None
    assert subcaption_error(truth, [_panel([0, 0, 9, 9], "b", "x"), _panel([20, 0, 29, 9], "a", None)]) is not None


def test_panel_boxes_of_the_truth_pair_the_panels_where_given():
    """A truth listing its panels out of reading order, each with its box (a generated book's `panel_bboxes`)."""
    truth = _truth("ba", ["Right photo.", "Left photo."], boxes=[[110, 0, 210, 100], [0, 0, 100, 100]])
    panels = [_panel([1, 1, 99, 99], "a", "Left photo."), _panel([111, 1, 209, 99], "b", "Right photo.")]
    assert subcaption_error(truth, panels) is None


def test_a_wrong_panel_count_is_wrong_and_only_lettered_truth_counts():
    truth = _truth("abc", ["x", "y", "z"])
    assert subcaption_error(truth, []) == "0 panels for 3 lettered in the truth"
    assert lettered(truth)
    assert not lettered({"panel_labels": [], "subcaptions": []})
    assert not lettered({"panel_labels": ["a", "b"]}), "the meddiag truth gives letters without sub-captions"


def test_eval_extract_scores_sub_captions_per_document_and_lists_the_wrong(sample_dataset, sample_dir, tmp_path):  # noqa: F811
    truth_path = next(sample_dir.glob("*.json"))
    truth = json.loads(truth_path.read_text())
    report = evaluate_dataset(sample_dataset, truth_path)
    stem = Path(truth["pdf"]).stem
    plates = [f for f in truth["figures"] if lettered(f)]
    assert len(plates) == 2
    assert (report.documents[stem].subcaptioned, report.documents[stem].subcaption_right) == (2, 2)
    assert report.metrics()["overall"]["subcaption_accuracy"] == 1.0
    plates[0]["subcaptions"] = plates[0]["subcaptions"][::-1]  # each text on another panel
    wrong = tmp_path / truth_path.name
    wrong.write_text(json.dumps(truth))
    report = evaluate_dataset(sample_dataset, wrong)
    assert (report.overall.subcaptioned, report.overall.subcaption_right) == (2, 1)
    assert report.overall.subcaption_accuracy == 0.5
    assert any(f"Figure {plates[0]['name']} sub-captions: panel" in line for line in report.wrong)
    result = runner.invoke(
        app, ["eval-extract", str(sample_dataset), "--gt", str(wrong), "--json", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0 and "sub-cap." in result.stdout and "1/2" in result.stdout
    assert json.loads((tmp_path / "r.json").read_text())["overall"]["subcaption_right"] == 1


def test_an_unlettered_panel_of_the_truth_is_left_to_the_panel_count():
    """Held-out 11 fpsyg Figure 4: photographs A and B over a table that no letter names (3 panels, 2 letters)."""
    truth = {**_truth("AB", ["Paw demonstration", "Mouth demonstration"]), "panels": 3}
    photos = [_panel([0, 0, 90, 60], "A", "Paw demonstration"), _panel([100, 0, 190, 60], "B", "Mouth demonstration")]
    table = _panel([0, 70, 190, 120], None, None)
    assert subcaption_error(truth, [*photos, table]) is None
    assert subcaption_error(truth, [*photos, {**table, "letter": "C"}]) == "3 panels for 2 lettered in the truth"

"""`inspect` and `eval-extract --overlays`: the boxes drawn on rendered pages are where the figures are."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_extract import sample_dataset, sample_dir  # noqa: F401  (session fixtures shared with test_extract)
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.extract.evaluate import evaluate_dataset
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.overlays import COLOURS, Mark, draw_marks, figure_marks, parse_pages
from mmskin_build.store import Dataset

runner = CliRunner()
DPI = 100


def _figures(dataset: Path) -> list[dict]:
    columns = ["source_pdf", "page", "bbox", "caption_bbox", "panels", "figure_id"]
    return Dataset.open(dataset).read_table("figures", columns=columns).to_pylist()


def _pixel(image: np.ndarray, x_points: float, y_points: float) -> tuple[int, int, int]:
    """The pixel at page point (x, y) of a page rendered at DPI (these sample pages have no crop offset)."""
    scale = DPI / 72
    return tuple(int(v) for v in image[round(y_points * scale), round(x_points * scale)])


def _outline_colours(image: np.ndarray, bbox: list[float], x_offset: float = 0.0) -> set[tuple[int, int, int]]:
    """Colours just outside the four edges of `bbox` at their middles (the outline lies outside the box)."""
    x0, top, x1, bottom = bbox
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    step = 1.5 * 72 / DPI  # 1.5 pixels out, in points
    return {
        _pixel(image, x_offset + x0 - step, cy),
        _pixel(image, x_offset + x1 + step, cy),
        _pixel(image, x_offset + cx, top - step),
        _pixel(image, x_offset + cx, bottom + step),
    }


def test_inspect_draws_each_figure_caption_and_panel_box_where_it_is(sample_dataset, tmp_path):  # noqa: F811
    result = runner.invoke(app, ["inspect", str(sample_dataset), "-o", str(tmp_path), "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    figures = _figures(sample_dataset)
    pages = {(Path(f["source_pdf"]).stem, f["page"]) for f in figures}
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(f"{s}-p{n:03d}.png" for s, n in pages)
    checked = {"figure": 0, "caption": 0, "panel": 0}
    for figure in figures:
        image = np.asarray(Image.open(tmp_path / f"{Path(figure['source_pdf']).stem}-p{figure['page']:03d}.png"))
        assert _outline_colours(image, figure["bbox"]) == {COLOURS["figure"]}, figure["figure_id"]
        checked["figure"] += 1
        if figure["caption_bbox"]:
            assert COLOURS["caption"] in _outline_colours(image, figure["caption_bbox"])
            checked["caption"] += 1
        for panel in figure["panels"]:
            colours = _outline_colours(image, panel["bbox"])
            # A panel edge on the figure's edge lies under the figure outline, drawn last.
            assert colours <= {COLOURS["panel"], COLOURS["figure"]} and COLOURS["panel"] in colours
            checked["panel"] += 1
    assert all(checked.values()), checked


def test_inspect_pages_option_draws_a_page_without_figures_bare(sample_dataset, tmp_path):  # noqa: F811
    with_figures = {f["page"] for f in _figures(sample_dataset)}
    empty = min(set(range(1, max(with_figures) + 1)) - with_figures)
    spec = f"{empty},{min(with_figures)}"
    result = runner.invoke(app, ["inspect", str(sample_dataset), "-o", str(tmp_path), "--pages", spec])
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("*.png"))
    assert [p.name.rsplit("-p", 1)[1] for p in written] == sorted([f"{empty:03d}.png", f"{min(with_figures):03d}.png"])
    bare = np.asarray(Image.open(next(p for p in written if p.name.endswith(f"p{empty:03d}.png"))))
    assert not (bare == np.array(COLOURS["figure"], dtype=np.uint8)).all(axis=2).any()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "7-3"], "--pages '7-3'"),
        (["--pages", "x"], "expected page numbers"),
        (["--pdf", "nope.pdf"], "--pdf nope.pdf: not in the dataset"),
        (["--pages", "900-901"], "--pages: no page 900-901 in sample-textbook"),
    ],
)
def test_inspect_bad_options_give_one_line(sample_dataset, tmp_path, args, message):  # noqa: F811
    result = runner.invoke(app, ["inspect", str(sample_dataset), "-o", str(tmp_path), *args])
    assert result.exit_code == 2  # a usage error, as in every command
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_boxes_are_placed_relative_to_a_crop_box_that_does_not_start_at_the_origin():
    # A page whose crop box starts at (48, 60): page point (100, 150) is pixel (52, 90) at 72 dpi.
    image = Image.new("RGB", (300, 300), (255, 255, 255))
    draw_marks(image, Box(48, 60, 348, 360), [Mark(Box(100, 150, 200, 250), "figure", "")], dpi=72)
    pixels = np.asarray(image)
    assert tuple(pixels[140, 50]) == COLOURS["figure"]  # just left of the box's left edge (x 52)
    assert tuple(pixels[140, 56]) == (255, 255, 255)  # inside the box: nothing drawn over the content
    assert tuple(pixels[88, 100]) == COLOURS["figure"]  # just above the top edge (y 90)


@pytest.mark.parametrize("command", ["inspect", "eval-extract"])
def test_a_directory_that_is_not_a_dataset_gives_one_line(command, tmp_path, sample_dir):  # noqa: F811
    args = ["-o", str(tmp_path / "out")] if command == "inspect" else ["--gt", str(sample_dir)]
    result = runner.invoke(app, [command, str(tmp_path), *args])
    assert result.exit_code == 2 and "not a dataset directory" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_parse_pages():
    assert parse_pages("3-5,9, 11") == {3, 4, 5, 9, 11}


def test_eval_overlays_put_truth_left_and_the_found_figure_right(sample_dataset, sample_dir, tmp_path):  # noqa: F811
    truth_path = next(sample_dir.glob("*.json"))
    truth = json.loads(truth_path.read_text())
    dropped = next(f for f in truth["figures"] if f.get("type", "Figure") == "Figure")
    kept = [f for f in truth["figures"] if f is not dropped]
    gt = tmp_path / "gt" / truth_path.name
    gt.parent.mkdir()
    gt.write_text(json.dumps({**truth, "figures": kept}))
    out = tmp_path / "overlays"
    result = runner.invoke(app, ["eval-extract", str(sample_dataset), "--gt", str(gt), "--overlays", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.png"))
    assert [p.name.split("-p")[-1] for p in written] == [f"{dropped['page']:03d}-truth-vs-found.png"]
    image = np.asarray(Image.open(written[0]))
    page_width_points = dropped["page_width"]
    half = (image.shape[1] - 16) / 2 * 72 / DPI  # the left page's width in points (the gap is 16 pixels)
    assert abs(half - page_width_points) < 1
    # Left: the truth has no box where the dropped figure is; right: the extractor's box is there.
    assert COLOURS["figure"] not in _outline_colours(image, dropped["figure_bbox"])
    found = _outline_colours(image, dropped["figure_bbox"], x_offset=page_width_points + 16 * 72 / DPI)
    assert COLOURS["figure"] in found
    for other in (f for f in kept if f["page"] == dropped["page"] and f.get("type", "Figure") == "Figure"):
        assert COLOURS["truth"] in _outline_colours(image, other["figure_bbox"])


def test_eval_extract_takes_several_ground_truth_sources(sample_dataset, sample_dir, tmp_path):  # noqa: F811
    truth_path = next(sample_dir.glob("*.json"))
    both = runner.invoke(app, ["eval-extract", str(sample_dataset), "--gt", str(truth_path), "--gt", str(sample_dir)])
    assert both.exit_code == 0 and "sample" in both.stdout
    missing = runner.invoke(app, ["eval-extract", str(sample_dataset), "--gt", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "nope: no such file" in missing.stderr
    for name, text in (("cut.json", '{"figures": ['), ("rows.json", '[{"page": 1}]')):
        (tmp_path / name).write_text(text)
        other = runner.invoke(app, ["eval-extract", str(sample_dataset), "--gt", str(tmp_path / name)])
        assert other.exit_code == 2 and f"{name}: not " in other.stderr and "internal error" not in other.stderr


def test_eval_report_lists_wrong_captions(sample_dataset, sample_dir, tmp_path):  # noqa: F811
    truth_path = next(sample_dir.glob("*.json"))
    truth = json.loads(truth_path.read_text())
    captioned = [f for f in truth["figures"] if f.get("type", "Figure") == "Figure" and f.get("caption_text")]
    wrong, short = captioned[0], captioned[1]
    wrong["caption_text"] = "Figure 99 Nothing like the printed caption"
    short["caption_text"] = short["caption_text"][: len(short["caption_text"]) // 2]
    gt = tmp_path / truth_path.name
    gt.write_text(json.dumps(truth))
    report = evaluate_dataset(sample_dataset, gt)
    stem = Path(truth["pdf"]).stem
    assert any(f"page {wrong['page']}: " in line and "Figure 99 Nothing" in line for line in report.wrong)
    assert any(f"page {short['page']}: " in line and "runs on past the truth" in line for line in report.wrong)
    assert wrong["page"] in report.pages_to_check[stem]
    if short["page"] != wrong["page"]:
        assert short["page"] not in report.pages_to_check[stem]


def test_inspect_help_has_an_example():
    result = runner.invoke(app, ["inspect", "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout


def test_a_figure_is_named_by_its_label_or_as_unlabelled_or_uncaptioned():
    """A caption printed without a label (issue 13 class 17) is a caption: its figure is not marked uncaptioned."""
    row = {"bbox": [10, 10, 90, 90], "figure_id": "0123456789", "caption_bbox": [10, 95, 90, 105], "panels": []}
    names = [
        figure_marks({**row, "label": label, "caption": caption})[0].text
        for label, caption in (("3", "Figure 3. A rash."), (None, "A rash on the arm."), (None, None))
    ]
    assert names == ["Fig 3 [01234567]", "unlabelled [01234567]", "uncaptioned [01234567]"]

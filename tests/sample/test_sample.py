"""The generated sample books and bad inputs: structure as a PDF reader sees it, and ground truth that agrees."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image
from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.sample import (
    EXPECTED_REASONS,
    FAILING_PAGES,
    GroundTruth,
    build_long_book,
    build_styled,
    build_textbook,
)
from mmskin_build.sample.bad_inputs import BOMB_SIZE, USER_PASSWORD, bad_inputs

TOL = 1.0  # points


def _inside(inner, outer, tol: float = TOL) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def _box(obj: dict) -> list[float]:
    return [obj["x0"], obj["top"], obj["x1"], obj["bottom"]]


def _close(a, b, tol: float = TOL) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def textbook(tmp_path_factory) -> tuple[Path, GroundTruth]:
    path = tmp_path_factory.mktemp("book") / "textbook.pdf"
    return path, build_textbook(path)


@pytest.fixture(scope="module")
def plumbed(textbook):
    with pdfplumber.open(textbook[0]) as pdf:
        yield pdf


def _figure(truth: GroundTruth, name: str | None):
    return next(f for f in truth.figures if f.name == name)


def test_textbook_is_deterministic(textbook, tmp_path):
    path, truth = textbook
    again = tmp_path / "again.pdf"
    assert build_textbook(again, seed=0).figures == truth.figures
    assert again.read_bytes() == path.read_bytes()
    other = build_textbook(tmp_path / "other.pdf", seed=1, chapters=1)
    assert other.figures[0].name == truth.figures[0].name and other.figures[0].mentions == truth.figures[0].mentions
    assert (tmp_path / "other.pdf").read_bytes()[:20000] != path.read_bytes()[:20000]


def test_textbook_has_every_promised_structure(textbook):
    _, truth = textbook
    assert truth.pages_annotated == list(range(1, 10))
    names = [(f.type, f.label_prefix, f.name) for f in truth.figures]
    for expected in [
        ("Figure", "Figure", "1.1"),
        ("Figure", "Fig.", "2-3"),
        ("Figure", "FIGURE", "3.2"),
        ("Figure", "Fig.", "4a"),
        ("Figure", "Plate", "4"),
        ("Table", "Table", "2.1"),
        ("Figure", None, None),
    ]:
        assert expected in names
    composite, lettered = _figure(truth, "1.4"), _figure(truth, "2-3")
    assert (composite.panels, composite.panel_labels) == (4, ["a", "b", "c", "d"])
    assert (lettered.panels, lettered.panel_labels) == (2, ["A", "B"])
    assert composite.caption_text.count("(") == 4 and "(b) Scalp margin" in composite.caption_text
    assert "A, Violaceous" in lettered.caption_text and "B, Band-like" in lettered.caption_text
    assert all(sub and sub in f.caption_text for f in (composite, lettered) for sub in f.subcaptions)
    assert lettered.modalities == ["clinical", "pathology"]
    side, above = _figure(truth, "2-1"), _figure(truth, "3.1")
    assert side.caption_bbox[0] > side.figure_bbox[2] and side.caption_bbox[1] < side.figure_bbox[3]
    assert above.caption_bbox[3] < above.figure_bbox[1]
    assert _figure(truth, "1.3").figure_bbox[2] - _figure(truth, "1.3").figure_bbox[0] > 500  # spans both columns
    assert _figure(truth, "2-4").kind == "chart"
    one_column = _figure(truth, "3.3")  # alone on a one-column page, centred
    assert abs((one_column.figure_bbox[0] + one_column.figure_bbox[2]) / 2 - truth.figures[0].page_width / 2) < 0.5
    uncaptioned = _figure(truth, None)
    assert uncaptioned.caption_bbox is None and uncaptioned.caption_text is None
    assert all(f.mentions for f in truth.figures if f.name)
    assert any(re.search(r"\d+-year-old (man|woman|boy)", f.caption_text or "") for f in truth.figures)
    assert any("Courtesy of Dr" in (f.caption_text or "") for f in truth.figures)


def test_image_boxes_match_pdfplumber(textbook, plumbed):
    _, truth = textbook
    for page in plumbed.pages:
        figures = [f for f in truth.figures if f.page == page.page_number]
        for image in page.images:
            owner = [f for f in figures if _inside(_box(image), f.figure_bbox)]
            if image["x1"] - image["x0"] <= 60:  # the publisher logo, title page and running headers
                assert not owner, f"decorative logo inside a figure on page {page.page_number}"
                continue
            assert len(owner) == 1, f"page {page.page_number}: image {_box(image)} belongs to no figure"
            assert image["stream"].get_filters()[0][0].name == "DCTDecode"
        for figure in figures:
            inside = [_box(i) for i in page.images if _inside(_box(i), figure.figure_bbox)]
            if figure.kind in ("photo", "micrograph"):
                union = [
                    min(b[0] for b in inside),
                    min(b[1] for b in inside),
                    max(b[2] for b in inside),
                    max(b[3] for b in inside),
                ]
                assert _close(union, figure.figure_bbox), (figure.name, union, figure.figure_bbox)
            else:
                assert not inside


def test_strips_tiles_logo_and_jpegs(textbook, plumbed):
    _, truth = textbook
    strips = [i for i in plumbed.pages[2].images if _inside(_box(i), _figure(truth, "1.3").figure_bbox)]
    assert len(strips) == 4 and len({i["srcsize"] for i in strips}) == 1
    assert all(abs(a["bottom"] - b["top"]) < 0.01 for a, b in itertools.pairwise(strips))
    tiles = [i for i in plumbed.pages[8].images if _inside(_box(i), _figure(truth, "4").figure_bbox)]
    assert len(tiles) == 4 and len({(round(i["x0"]), round(i["top"])) for i in tiles}) == 4
    title = plumbed.pages[0]
    assert len(title.images) == 1 and title.images[0]["x1"] - title.images[0]["x0"] == 60
    assert len(title.lines) >= 2  # horizontal rules
    assert not [f for f in truth.figures if f.page == 1]
    raw = next(i for i in plumbed.pages[1].images if i["srcsize"] == (640, 480))["stream"].get_rawdata()
    assert Image.open(io.BytesIO(raw)).format == "JPEG"


def test_captions_panels_chart_and_table_agree_with_words(textbook, plumbed):
    _, truth = textbook
    for figure in truth.figures:
        page = plumbed.pages[figure.page - 1]
        if figure.caption_bbox:
            words = [w for w in page.extract_words() if _inside(_box(w), figure.caption_bbox, 0.5)]
            assert " ".join(w["text"] for w in words) == figure.caption_text
        inside = " ".join(w["text"] for w in page.extract_words() if _inside(_box(w), figure.figure_bbox))
        if figure.name == "2-3":
            assert inside == "A B"
            for letter, panel in zip(figure.panel_labels, figure.panel_bboxes, strict=True):
                assert any(w["text"] == letter and _inside(_box(w), panel) for w in page.extract_words())
        elif figure.name == "1.4":
            assert inside == ""  # the letters are burned into the pixels
            assert all(_inside(p, figure.figure_bbox) for p in figure.panel_bboxes)
        elif figure.kind == "chart":
            assert "20-29" in inside and "Patients" in inside
            bars = [r for r in page.rects if _inside(_box(r), figure.figure_bbox) and r["fill"]]
            assert len(bars) >= 6
            frame = [r for r in page.rects if _close(_box(r), figure.figure_bbox)]
            assert frame, "the chart frame is the figure box"
        elif figure.type == "Table":
            assert "Psoriasis" in inside and "Typical site" in inside
            assert len([e for e in page.edges if _inside(_box(e), figure.figure_bbox)]) >= 3


def _reading_order_text(pdf, truth: GroundTruth) -> str:
    """Body text column by column, page by page, without floats and page furniture, line-end hyphens repaired."""
    lines = []
    for page in pdf.pages:
        boxes = [b for f in truth.figures if f.page == page.page_number for b in (f.figure_bbox, f.caption_bbox) if b]
        words = [w for w in page.extract_words() if 60 < w["top"] < 740 and not any(_inside(_box(w), b) for b in boxes)]
        middle = page.width / 2
        one_column = sum(w["x0"] < middle < w["x1"] for w in words) > 5  # many words cross the gutter
        for column in (0,) if one_column else (0, 1):
            rows: dict[float, list[dict]] = {}
            for w in words:
                if one_column or (w["x0"] > middle) == bool(column):
                    rows.setdefault(round(w["top"], 1), []).append(w)
            lines += [" ".join(w["text"] for w in sorted(rows[top], key=lambda w: w["x0"])) for top in sorted(rows)]
    return re.sub(r"-\n", "", "\n".join(lines)).replace("\n", " ")


def test_mentions_are_in_the_body_text(textbook, plumbed):
    _, truth = textbook
    text = _reading_order_text(plumbed, truth)
    for figure in truth.figures:
        for sentence in figure.mentions:
            assert sentence in text, sentence


def test_ground_truth_round_trips_in_the_meddiag_format(textbook, tmp_path):
    _, truth = textbook
    truth.write(tmp_path / "new" / "gt.json")  # the directory is created
    assert GroundTruth.read(tmp_path / "new" / "gt.json") == truth
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["gt.json"]
    first = truth.model_dump()["figures"][0]
    assert list(first)[:11] == [
        "page",
        "page_width",
        "page_height",
        "type",
        "name",
        "figure_bbox",
        "caption_bbox",
        "caption_text",
        "panels",
        "kind",
        "panel_labels",
    ]


def test_textbook_pages_option_cycles_chapters(tmp_path):
    truth = build_textbook(tmp_path / "t.pdf", pages=11)
    assert len(pdfium.PdfDocument(tmp_path / "t.pdf")) == 11 == len(truth.pages_annotated)
    assert {"5.1", "5.4"} <= {f.name for f in truth.figures}  # chapter 5 reuses the first design


def test_atlas_truth_agrees_with_what_a_reader_sees(tmp_path):
    """The atlas: caption boxes hold exactly their captions' words, every picture lies in one figure box (the
    union of its pictures), and on the margin-caption pages (2, 3, 8, 9) body text keeps to the inner text block
    while the captions sit in the outer column."""
    truth = build_styled(tmp_path / "atlas.pdf", "atlas")
    assert len(truth.pages_annotated) == 12 and len(truth.figures) == 25
    with pdfplumber.open(tmp_path / "atlas.pdf") as pdf:
        for figure in truth.figures:
            page = pdf.pages[figure.page - 1]
            words = [w for w in page.extract_words() if _inside(_box(w), figure.caption_bbox, 0.5)]
            assert " ".join(w["text"] for w in words) == figure.caption_text
            pictures = [_box(i) for i in page.images if i["x1"] - i["x0"] > 60 and _inside(_box(i), figure.figure_bbox)]
            union = [
                min(b[0] for b in pictures),
                min(b[1] for b in pictures),
                max(b[2] for b in pictures),
                max(b[3] for b in pictures),
            ]
            assert _close(union, figure.figure_bbox), figure.name
        for number, outer_left in ((2, True), (3, False), (8, True), (9, False)):
            captions = [f.caption_bbox for f in truth.figures if f.page == number]
            body = [
                w
                for w in pdf.pages[number - 1].extract_words()
                if 60 < w["top"] < 740 and not any(_inside(_box(w), c, 0.5) for c in captions)
            ]
            assert body and all(w["x0"] >= 198 if outer_left else w["x1"] <= 414 for w in body), number
            assert all(c[2] <= 186 if outer_left else c[0] >= 426 for c in captions), number
    plate = next(f for f in truth.figures if f.name == "3.9")
    assert (plate.panels, plate.panel_labels) == (4, list("ABCD"))


def test_long_book_reuses_images_and_places_a_figure_every_third_page(tmp_path):
    path = tmp_path / "long.pdf"
    truth = build_long_book(path, pages=19)
    assert len(truth.pages_annotated) == 19
    assert [f.page for f in truth.figures] == list(range(3, 20, 3))
    assert path.read_bytes().count(b"/Subtype /Image") == 7  # six pictures and the logo, each stored once
    with pdfplumber.open(path) as pdf:
        for figure in truth.figures[:2]:
            boxes = [_box(i) for i in pdf.pages[figure.page - 1].images if i["x1"] - i["x0"] > 60]
            assert len(boxes) == 1 and _close(boxes[0], figure.figure_bbox)
    assert path.stat().st_size < 1_000_000


def test_bad_inputs_fail_the_way_they_promise(tmp_path):
    reasons = bad_inputs(tmp_path)
    assert reasons == EXPECTED_REASONS and sorted(p.name for p in tmp_path.iterdir()) == sorted(reasons)
    assert (tmp_path / "zero-byte.pdf").stat().st_size == 0
    assert not (tmp_path / "not-a-pdf.pdf").read_bytes().startswith(b"%PDF")
    truncated = (tmp_path / "truncated.pdf").read_bytes()
    assert truncated.startswith(b"%PDF") and b"%%EOF" not in truncated
    for name in ("zero-byte.pdf", "not-a-pdf.pdf", "truncated.pdf", "encrypted.pdf"):
        with pytest.raises(pdfium.PdfiumError):
            pdfium.PdfDocument(tmp_path / name)
    assert len(pdfium.PdfDocument(tmp_path / "encrypted.pdf", password=USER_PASSWORD)) == 2

    broken = pdfium.PdfDocument(tmp_path / "broken-page.pdf")
    assert len(broken) == 3
    with pytest.raises(pdfium.PdfiumError):
        broken[FAILING_PAGES["broken-page.pdf"] - 1]
    assert [broken[i].get_textpage().get_text_range() for i in (0, 2)] == ["Page 1 is fine.", "Page 3 is fine."]

    with pdfplumber.open(tmp_path / "bad-image.pdf") as pdf:
        (image,) = pdf.pages[FAILING_PAGES["bad-image.pdf"] - 1].images
        with pytest.raises(OSError):
            Image.open(io.BytesIO(image["stream"].get_rawdata())).load()
    with pdfplumber.open(tmp_path / "bomb.pdf") as pdf:
        (image,) = pdf.pages[FAILING_PAGES["bomb.pdf"] - 1].images
        assert image["srcsize"] == (BOMB_SIZE, BOMB_SIZE)
        assert len(zlib.decompress(image["stream"].get_rawdata())) < BOMB_SIZE * BOMB_SIZE * 3
    assert all(p.stat().st_size < 16_000 for p in tmp_path.iterdir())


def test_make_sample_command(tmp_path):
    args = ["make-sample", str(tmp_path), "--pages", "3", "--long-book", "4", "--bad-inputs"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "sample-textbook.pdf: 3 pages, 4 figures and tables" in result.output
    truth = GroundTruth.read(tmp_path / "sample-textbook.json")
    assert truth.pdf == "sample-textbook.pdf" and [f.name for f in truth.figures] == ["1.1", "1.2", "1.3", "1.4"]
    assert len(GroundTruth.read(tmp_path / "long-book.json").pages_annotated) == 4
    assert sorted(p.name for p in (tmp_path / "bad").iterdir()) == sorted(EXPECTED_REASONS)


def test_make_sample_reports_an_unwritable_directory(tmp_path):
    (tmp_path / "file").write_text("")
    result = CliRunner().invoke(app, ["make-sample", str(tmp_path / "file" / "out")])
    assert result.exit_code == 2  # a bad path is a usage error, as in every command
    assert result.output.strip() == f"error: {tmp_path / 'file' / 'out'}: Not a directory"


def test_without_reportlab_only_make_sample_fails_and_says_why(tmp_path):
    """reportlab comes with the dev extra; the other commands must start without it."""
    script = (
        "import sys; sys.modules['reportlab'] = None\n"  # as if not installed
        "from typer.testing import CliRunner\n"
        "from mmskin_build.cli import app\n"
        f"for args in (['make-sample', {str(tmp_path / 'out')!r}], ['validate', {str(tmp_path)!r}]):\n"
        "    result = CliRunner().invoke(app, args)\n"
        "    print(result.exit_code, result.output.strip())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    sample, validate = done.stdout.splitlines()
    assert sample == "2 error: make-sample needs reportlab: pip install 'mmskin-build[dev]'"
    assert validate.startswith("2 error: ") and "not a dataset directory" in validate

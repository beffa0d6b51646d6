"""Scanned books: image-only copies of real case reports (sample/scan.py) through `extract` with the real
Tesseract, scored against the born-digital PDFs' ground truth. Three scanned pages are OCR'd (CI has 2 cores)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from fixtures.factories import staged_rows
from fixtures.tesseract import require_tesseract
from mmskin_build.cli import app
from mmskin_build.extract import document, ocr, scanned
from mmskin_build.extract.captions import find_captions
from mmskin_build.extract.detect import detect_figures
from mmskin_build.extract.document import ExtractConfig, extract_pdf
from mmskin_build.extract.evaluate import evaluate_dataset
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.ocr import (
    OcrMode,
    _repair_page_glyphs,
    engine_version,
    genus_initials,
    repair_glyphs,
    repair_label,
    repair_label_word,
    starts_with_speck,
)
from mmskin_build.extract.page import TextLine, read_page
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.scanned import PageScan, estimate_skew, is_scan_with_text_layer, is_scanned
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample.bad_inputs import FAILING_PAGES, bad_inputs
from mmskin_build.sample.scan import scan_page, scan_pdf
from mmskin_build.sample.styles import line_drawings
from mmskin_build.store import Dataset

runner = CliRunner()
# One page with two photos side by side; two pages with two captioned photos and a page of boxed text.
SCANNED = ("meddiag_Dengue_Fever", "meddiag_Skin_rash_from_dengue_fever")


@pytest.fixture(scope="module")
def scans(shared_pdfs, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("scans")
    for stem in SCANNED:
        scan_pdf(shared_pdfs / f"{stem}.pdf", directory / f"{stem}.pdf", dpi=250, seed=0)
    return directory


@pytest.fixture(scope="module")
def ocr_dataset(scans, tmp_path_factory) -> Path:
    require_tesseract()
    out = tmp_path_factory.mktemp("scanned-ds") / "ds"
    summary = run_extract(sorted(scans.glob("*.pdf")), out, ExtractConfig(ocr=OcrMode.auto))
    assert summary.errors == 0, summary.error_lines
    return out


@pytest.fixture(scope="module")
def ocrd_copies(shared_pdfs, tmp_path_factory) -> Path:
    """The same pages as an OCR program leaves them: straight scans under an invisible layer of their text."""
    directory = tmp_path_factory.mktemp("ocrd")
    for stem in SCANNED:
        scan_pdf(shared_pdfs / f"{stem}.pdf", directory / f"{stem}.pdf", dpi=150, seed=0, text_layer=True)
    return directory


def test_scanned_copy_has_no_text_layer_and_is_detected(scans, shared_pdfs):
    with pdfium.PdfDocument(scans / "meddiag_Dengue_Fever.pdf") as document:
        page = read_page(document, 0)
        assert page.text.strip() == ""
        assert [g.kind for g in page.graphics] == ["image"]
        assert is_scanned(page)
        page.close()
    with pdfium.PdfDocument(shared_pdfs / "meddiag_Dengue_Fever.pdf") as document:
        page = read_page(document, 0)
        assert not is_scanned(page), "a born-digital page with photos is not a scan"
        page.close()


def test_a_scan_with_a_text_layer_is_told_from_a_born_digital_page(ocrd_copies, shared_pdfs):
    with pdfium.PdfDocument(ocrd_copies / "meddiag_Dengue_Fever.pdf") as document:
        page = read_page(document, 0)
        assert "Dengue Fever" in page.text and [g.kind for g in page.graphics] == ["image"]
        assert is_scan_with_text_layer(page) and not is_scanned(page)
        page.close()
    with pdfium.PdfDocument(shared_pdfs / "meddiag_Dengue_Fever.pdf") as document:
        page = read_page(document, 0)
        assert not is_scan_with_text_layer(page), "a born-digital page with photos is not a scan"
        page.close()


def test_a_scan_with_a_text_layer_is_read_from_it_with_its_pictures_found_on_the_raster(
    ocrd_copies, shared_groundtruth, tmp_path
):
    """Held-out 8's Vanuatu draft: the page picture of an OCR'd scan came out as one figure a page, its charts
    never looked for. No OCR runs here (--ocr never): the text is the PDF's own."""
    out = tmp_path / "ds"
    summary = run_extract(sorted(ocrd_copies.glob("*.pdf")), out, ExtractConfig(ocr=OcrMode.never))
    assert summary.errors == 0, summary.error_lines
    truth = tmp_path / "gt"
    truth.mkdir()
    for stem in SCANNED:
        shutil.copy(shared_groundtruth / f"{stem}.json", truth)
    report = evaluate_dataset(out, truth)
    assert report.overall.truth == 4
    assert report.overall.f1 == 1.0, report.misses
    assert report.overall.caption_similarity >= 0.9, report.misses
    dataset = Dataset.open(out)
    assert {f["ocr"] for f in dataset.read_table("figures", columns=["ocr"]).to_pylist()} == {None}
    assert all(not item.ocr_pages for item in dataset.manifest.inputs.values())


@pytest.mark.parametrize("angle", [-1.3, 0.6, 1.2])
def test_skew_is_measured_to_a_tenth_of_a_degree(shared_pdfs, angle):
    with pdfium.PdfDocument(shared_pdfs / "meddiag_Skin_rash_from_dengue_fever.pdf") as document:
        picture = scan_page(document[0], 150, angle, random.Random(0))
    assert estimate_skew(np.asarray(picture.convert("L"))) == pytest.approx(-angle, abs=0.15)


def test_without_ocr_a_scanned_pdf_is_one_error_line_and_no_figures(scans, tmp_path):
    pdf = scans / "meddiag_Skin_rash_from_dengue_fever.pdf"
    result = runner.invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "ds"), "--ocr", "never"])
    assert result.exit_code == 1
    dataset = Dataset.open(tmp_path / "ds")
    assert dataset.read_table("figures").num_rows == 0, "a scanned page is never a whole-page figure"
    errors = dataset.read_table("errors").to_pylist()
    assert [(e["reason"], e["source"]) for e in errors] == [("scanned-page", str(pdf))]
    assert "1-2" in errors[0]["detail"] and "--ocr auto" in errors[0]["detail"]
    assert f"{pdf} page 1: scanned-page: " in result.output


def test_ocr_of_scans_scores_against_the_born_digital_truth(ocr_dataset, shared_groundtruth, tmp_path):
    truth = tmp_path / "gt"
    truth.mkdir()
    for stem in SCANNED:
        shutil.copy(shared_groundtruth / f"{stem}.json", truth)
    report = evaluate_dataset(ocr_dataset, truth)
    overall = report.overall
    assert overall.truth == 4
    assert overall.f1 >= 0.9, report.misses
    assert overall.caption_similarity >= 0.9, report.misses


def test_ocr_is_recorded_per_page_and_crops_keep_the_scan_resolution(ocr_dataset):
    dataset = Dataset.open(ocr_dataset)
    engine = engine_version()
    assert engine.startswith("tesseract ")
    pages = {Path(item.path).name: (item.ocr_pages, item.ocr_engine) for item in dataset.manifest.inputs.values()}
    assert pages == {
        "meddiag_Dengue_Fever.pdf": ([1], engine),
        "meddiag_Skin_rash_from_dengue_fever.pdf": ([1, 2], engine),
    }
    figures = dataset.read_table("figures", columns=["ocr", "bbox", "image_width"]).to_pylist()
    assert figures and {f["ocr"] for f in figures} == {engine}
    for figure in figures:
        x0, _, x1, _ = figure["bbox"]
        assert figure["image_width"] == pytest.approx((x1 - x0) * 250 / 72, rel=0.02)
    origins = dataset.read_table("images", columns=["origin"]).column("origin").to_pylist()
    assert set(origins) <= {"scan", "crop"} and "scan" in origins


def test_born_digital_pages_are_not_ocrd(shared_pdfs, tmp_path):
    require_tesseract()
    run_extract([shared_pdfs / "meddiag_Dengue_Fever.pdf"], tmp_path / "ds", ExtractConfig())
    dataset = Dataset.open(tmp_path / "ds")
    assert [item.ocr_pages for item in dataset.manifest.inputs.values()] == [[]]
    assert set(dataset.read_table("figures", columns=["ocr"]).column("ocr").to_pylist()) == {None}


@pytest.mark.parametrize(
    ("word", "repaired"),
    [("Fic.", "Fig."), ("Fic.2", "Fig.2"), ("FlG.", "FIG."), ("Figure", "Figure"), ("Ficus", "Ficus")],
)
def test_ocr_misreadings_of_the_label_word_are_repaired(word, repaired):
    assert repair_label_word(word) == repaired


@pytest.mark.parametrize(
    ("words", "repaired"),
    [
        (["FIG.", "S—Developmental", "stages"], ["FIG.", "5—Developmental", "stages"]),  # a typewritten report's "5"
        (["Fic.", "S."], ["Fig.", "5."]),
        (["Plate", "O"], ["Plate", "0"]),
        (["FIG,", "2—Microfilariae"], ["FIG.", "2—Microfilariae"]),  # its full stop read as a comma
        (["FIG,", "S—Pseudoparasites."], ["FIG.", "5—Pseudoparasites."]),
        (["FIG.", "Stages"], ["FIG.", "Stages"]),  # a word, not a number
        (["See", "S."], ["See", "S."]),  # no label before it
    ],
)
def test_ocr_misreadings_of_the_label_number_are_repaired(words, repaired):
    assert repair_label(words) == repaired


_NAMES_BRUGIA = "Microfilariae of Brugia malayi in the blood"


@pytest.mark.parametrize(
    ("line", "page", "repaired"),
    [
        ("SUZUKI, T. & SEREGEG, |.G. A mass", "", "SUZUKI, T. & SEREGEG, I.G. A mass"),
        ("Fig. 4. 2 x 2 Contingency table", "", "Fig. 4. 2 × 2 Contingency table"),
        ("Brugia malayi and 8. timori", _NAMES_BRUGIA, "Brugia malayi and B. timori"),
        ("the table | Total", "", "the table | Total"),  # a rule read as a bar, no initial
        ("a box x 2", "", "a box x 2"),  # no number before the x
        ("8. the same steps", _NAMES_BRUGIA, "8. the same steps"),  # a list's step opens its text
        ("at 40°C. 8. the same steps", _NAMES_BRUGIA, "at 40°C. 8. the same steps"),  # ... after the step before
        ("aged 8. timori", "Counts in the blood", "aged 8. timori"),  # the page names no genus of initial B
    ],
)
def test_glyphs_ocr_reads_as_others_in_running_text_are_put_back(line, page, repaired):
    assert " ".join(repair_glyphs(line.split(), genus_initials(f"{page} {line}"))) == repaired


def test_a_genus_initial_read_as_a_digit_at_a_line_s_start_is_put_back_after_the_line_before():
    initials = genus_initials(_NAMES_BRUGIA)
    assert repair_glyphs(["8.", "timori"], initials, before="and") == ["B.", "timori"]
    assert repair_glyphs(["8.", "the", "same"], initials, before="tube.") == ["8.", "the", "same"]


def test_a_genus_initial_on_a_caption_s_centred_last_line_read_after_a_table_row_is_put_back():
    """Tesseract reads a table's row between a caption's first line and its centred last line; the word before that
    line is its line above's."""
    lines = [
        TextLine("Fig. 9. Comparison of Wuchereria bancrofti, Brugia malayi and", Box(177, 90, 496, 99), 8.6, 0),
        TextLine("length (um)", Box(184, 295, 220, 302), 6.7, 64),
        TextLine("8. timori", Box(320, 100, 355, 107), 6.4, 77),
        TextLine("8. the same steps", Box(177, 310, 260, 318), 8.6, 88),
    ]
    _repair_page_glyphs(lines)
    assert [line.text for line in lines[2:]] == ["B. timori", "8. the same steps"]


def test_a_speck_read_before_a_caption_label_is_no_word_of_it():
    assert starts_with_speck([".)", "FIG.", "1—Procedure"])
    assert not starts_with_speck([".)", "the", "length"])
    assert not starts_with_speck(["FIG.", "1—Procedure"])


def test_ocr_always_reads_a_born_digital_page_from_its_pixels(shared_pdfs, tmp_path):
    require_tesseract()
    run_extract([shared_pdfs / "meddiag_Dengue_Fever.pdf"], tmp_path / "ds", ExtractConfig(ocr=OcrMode.always))
    dataset = Dataset.open(tmp_path / "ds")
    assert [item.ocr_pages for item in dataset.manifest.inputs.values()] == [[1]]
    figures = dataset.read_table("figures", columns=["label", "ocr"]).to_pylist()
    assert sorted(f["label"] for f in figures) == ["1", "2"]
    assert {f["ocr"] for f in figures} == {engine_version()}


def test_without_tesseract_scans_are_reported_and_always_stops_early(scans, tmp_path):
    pdf = scans / "meddiag_Dengue_Fever.pdf"
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "mmskin_build", "extract", str(pdf), "-o", str(tmp_path / "ds")]
    auto = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert auto.returncode == 1
    errors = Dataset.open(tmp_path / "ds").read_table("errors").to_pylist()
    assert [e["reason"] for e in errors] == ["scanned-page"]
    assert "Tesseract is not installed" in errors[0]["detail"] and "Traceback" not in auto.stderr
    always = subprocess.run([*command, "--ocr", "always"], env=env, capture_output=True, text=True, timeout=120)
    assert always.returncode == 2  # a usage error: nothing ran
    assert always.stderr.strip().splitlines() == [
        "error: --ocr always: Tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-eng "
        "(or `make ocr-engine`)"
    ]


def test_ocr_runs_beside_the_reading_of_later_pages_and_errors_keep_page_order(tmp_path, monkeypatch):
    """OCR runs beside the reading thread while the next pages are read: a failing OCR of page 1 is still the first
    error, before page 2's parse error made meanwhile, and page 3 is read by OCR. The last page is read second, and
    its OCR runs beside page 1's."""
    require_tesseract()
    bad_inputs(tmp_path)  # broken-page.pdf: page 2 does not parse
    real_read, real_read_page, events = scanned.PageOcr._read, document.read_page, []

    def page_one_fails_late(self, number, scan_of):
        events.append(("ocr", number))
        if number == 1:
            time.sleep(0.5)  # pages 2 and 3 are read meanwhile
            events.append(("failed", number))
            raise RuntimeError("tesseract crashed")
        return real_read(self, number, scan_of)

    def recorded_read_page(pdf, index, lines=None):
        events.append(("read", index + 1))
        return real_read_page(pdf, index, lines)

    monkeypatch.setattr(scanned.PageOcr, "_read", page_one_fails_late)
    monkeypatch.setattr(document, "read_page", recorded_read_page)
    outcome = extract_pdf(tmp_path / "broken-page.pdf", tmp_path / "ds", ExtractConfig(dpi=72, ocr=OcrMode.always))
    assert [(e.page, e.reason) for e in outcome.errors] == [
        (1, "ocr-failed"),
        (FAILING_PAGES["broken-page.pdf"], "page-failed"),
    ]
    assert outcome.errors[0].detail.startswith(
        "OCR of the page failed: RuntimeError: tesseract crashed (at mmskin_build/"
    )
    assert outcome.ocr_pages == [3] and sorted(e for e in events if e[0] == "ocr") == [("ocr", 1), ("ocr", 3)]
    assert events.index(("read", 3)) < events.index(("read", 2))
    assert events.index(("ocr", 3)) < events.index(("failed", 1))


def test_the_second_pass_takes_the_raster_ocr_straightened_and_gives_the_rows_of_a_second_render(
    scans, tmp_path, monkeypatch
):
    require_tesseract()
    pdf = scans / "meddiag_Dengue_Fever.pdf"
    real_render, rendered = scanned.straightened_raster, []
    monkeypatch.setattr(scanned, "straightened_raster", lambda *args: rendered.append(args) or real_render(*args))
    kept = extract_pdf(pdf, tmp_path / "kept", ExtractConfig(dpi=72))
    assert rendered == [] and kept.ocr_pages == [1]
    monkeypatch.setattr(document, "KEPT_SCANS", 0)
    again = extract_pdf(pdf, tmp_path / "again", ExtractConfig(dpi=72))
    assert len(rendered) == 1
    for table in ("figures", "images"):
        rows = [staged_rows(outcome, table) for outcome in (kept, again)]
        assert rows[0] == rows[1] != [], table


def _caption_as_printed_and_as_ocr_read(pdf: Path):
    """The page's one caption read from its PDF, then with the page marked as OCR'd (its lines as if Tesseract's)."""
    page = read_page(pdfium.PdfDocument(pdf), 0)
    (measured,) = find_captions(page, body_size=10.0)
    page.scan = PageScan(Image.new("RGB", (1, 1)), 1.0, (0.0, 0.0), 0.0, "tesseract")
    (read,) = find_captions(page, body_size=10.0)
    return measured, read


def _report_body(pdf: Canvas, x: float) -> None:
    """Three rows of the report's body text in 10 pt under a caption (the body size the caption is measured against)."""
    pdf.setFont("Times-Roman", 10)
    for row in range(3):
        pdf.drawString(x, 300 - 13 * row, "Body text of the report runs on under the plate, line after line.")


def _key_page_read(path: Path, title: tuple[float, float, str], rows: list[tuple[float, float, float, str]]):
    """A caption's title (size, centre, text) at y 404 over its key's rows (size, x, y, text) and the report's body:
    the caption as printed and as OCR-read (`_caption_as_printed_and_as_ocr_read`)."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    size, centre, text = title
    pdf.setFont("Times-Roman", size)
    pdf.drawCentredString(centre, 404, text)
    for size, x, y, text in rows:
        pdf.setFont("Times-Roman", size)
        pdf.drawString(x, y, text)
    _report_body(pdf, 100)
    pdf.save()
    return _caption_as_printed_and_as_ocr_read(path)


def test_a_caption_row_whose_type_ocr_measured_smaller_stays_in_the_caption(tmp_path):
    # Issue 13 class 52 (held-out 23): OCR sizes a line from its glyphs' heights (small capitals, a faint typewriter
    # line), so a key row read a quarter smaller than its title, or in the body's size, is the caption's type on an
    # OCR'd page; pdfium's sizes are the fonts' own, and there such rows are set in other type.
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(100, 404, "FIG. 5.—Pseudoparasites of mosquitoes.")
    pdf.setFont("Times-Roman", 6.6)
    pdf.drawString(100, 394, "a. Larva of Aphelenchoides (after Manson-Bahr 1952).")
    pdf.setFont("Times-Roman", 10)  # the body's size, read so in a caption row
    pdf.drawString(100, 383, "b. Later stage larva (after Franklin 1955).")
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "key.pdf")
    assert measured.text == "FIG. 5.—Pseudoparasites of mosquitoes."
    assert read.text.endswith("(after Franklin 1955).")


def _as_ocr_read_scan(pdf: Path):
    """The page's figures found as on a scan without a text layer: its render is the raster, its lines as if OCR'd."""
    document = pdfium.PdfDocument(pdf)
    page = read_page(document, 0)
    picture = document[0].render(scale=1).to_pil().convert("RGB")
    page.scan = PageScan(picture, 1.0, (0.0, 0.0), 0.0, "tesseract")
    page.graphics = scanned.picture_graphics(page.scan, page.lines)
    style = DocumentStyle()
    style.add_page(1, 792, page.lines, page.graphics)
    return detect_figures(page, style).figures


def _comparison_plate(path: Path, measurements: str | None = None) -> None:
    """A plate of the WHO manual's comparison sheets: caption, a table's underlined head and rows over three
    drawings, the body under them; `measurements`, a row in the body's type, indented, right under the head."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Helvetica", 10)
    pdf.drawString(150, 720, "Fig. 9. Comparison of microfilariae of three species")
    pdf.setFont("Helvetica", 7)
    for col, name in enumerate(("W. bancrofti", "B. malayi", "B. timori")):
        pdf.drawString(240 + 90 * col, 696, name)
        pdf.setLineWidth(2)
        pdf.line(240 + 90 * col, 692, 290 + 90 * col, 692)
    if measurements:
        pdf.setFont("Helvetica", 10)  # as OCR sizes it: the body's size
        pdf.drawString(200, 682, measurements)
        pdf.setFont("Helvetica", 7)
    for row in range(6):
        pdf.drawString(150, 676 - 11 * row, f"Measure {row} of the worm")
        for col in range(3):
            pdf.drawString(240 + 90 * col, 676 - 11 * row, f"{row + col + 2}:1")
    pdf.setLineWidth(4)
    for col in range(3):  # the drawings, 60 points under the table's last row
        pdf.bezier(160 + 110 * col, 540, 200 + 110 * col, 620, 230 + 110 * col, 460, 250 + 110 * col, 560)
    pdf.setFont("Helvetica", 10)
    for row in range(5):  # the page's body text
        pdf.drawString(150, 380 - 13 * row, "Body text of the manual runs on under the plate, line after line here.")
    pdf.save()


def test_a_scanned_plate_of_text_rows_and_drawings_is_one_figure(tmp_path):
    # Issue 13 class 53 (held-out 23, the WHO manual's comparison sheets): a table of measurements set inside the
    # figure over its drawings. On a scan the OCR'd rows are erased from the ink, so the plate is loose parts parted
    # by wide white: the figure stopped at the table's underlines.
    _comparison_plate(tmp_path / "plate.pdf")
    (figure,) = _as_ocr_read_scan(tmp_path / "plate.pdf")
    assert figure.box.top < 100 and figure.box.bottom > 250, figure.box  # the table's head to the drawings' feet


def _stacked_charts_with_their_key_under(path: Path) -> None:
    """A caption's title over two line charts lettered A and B, their key under the charts (each entry's source wrapped
    and hung under its text), a blank line, then the body."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(150, 720, "Fig. 6. Comparison of observed and theoretical periodicity curves of")
    pdf.drawCentredString(300, 709, "various filarial forms")
    pdf.setLineWidth(1.5)
    for chart, letter in enumerate("AB"):
        top = 690 - 120 * chart
        pdf.rect(160, top - 100, 280, 100)
        pdf.lines(
            [
                (160 + 20 * i, top - 90 + 70 * (i % 3 == 1), 180 + 20 * i, top - 90 + 70 * (i % 3 == 0))
                for i in range(14)
            ]
        )
        pdf.setFont("Helvetica", 9)
        pdf.drawString(420, top - 15, letter)
    pdf.setFont("Times-Roman", 10)  # as OCR sizes the key's rows: the body's size
    key = [
        (150, "A. Diurnally subperiodic W. bancrofti in the South Pacific: ROSEN, L. American"),
        (162, "journal of hygiene, 61: 219 (1955)."),
        (150, "B. Nocturnally subperiodic W. bancrofti in west Thailand: HARINASUTA, C. ET AL."),
        (162, "South-east Asian journal of tropical medicine, 1: 152-154 (1970)."),
    ]
    for row, (x, text) in enumerate(key):
        pdf.drawString(x, 452 - 12 * row, text)
    for row in range(4):
        pdf.drawString(150, 380 - 13 * row, "(b) Place them in a Petri dish and add saline, then crush the mosquitos.")
    pdf.save()


def test_a_lettered_key_under_charts_captioned_over_them_is_the_caption_s(tmp_path):
    # Issue 13 class 52 (held-out 23, the WHO manual's Fig. 6): the title stands over the charts, their key lettered
    # A-E under them; OCR reads the key's rows at the body's sizes, so they were the page's text and the caption
    # ended at its title.
    _stacked_charts_with_their_key_under(tmp_path / "charts.pdf")
    (figure,) = _as_ocr_read_scan(tmp_path / "charts.pdf")
    assert figure.caption.text.startswith("Fig. 6. Comparison of observed")
    assert figure.caption.text.endswith("medicine, 1: 152-154 (1970)."), figure.caption.text
    assert figure.box.bottom < 792 - 452, figure.box  # the key is not drawn in the figure


def test_the_rest_of_a_caption_s_first_row_ocr_read_as_a_block_of_its_own_stays_in_the_caption(tmp_path):
    # Issue 13 class 52 (held-out 23, report p18 FIG. 6, p21 PLATE 1): Tesseract parts a title row at its change of
    # type into two lines far apart in the page's text; the caption ended at the label's piece, and the rest of the
    # title with the key under it was taken for a figure beside the caption. pdfium's text order is the PDF's own:
    # there a piece drawn elsewhere in the page's text stays out (the next caption of a row of figures).
    pdf = Canvas(str(tmp_path / "row.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Italic", 7.8)
    pdf.drawString(218, 404, "STAGES OF Dirofilaria immitis.")  # first in the text: OCR's block order
    _report_body(pdf, 100)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(100, 404, "FIG. 6.—DEVELOPMENTAL")
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "row.pdf")
    assert measured.text == "FIG. 6.—DEVELOPMENTAL"
    assert read.text == "FIG. 6.—DEVELOPMENTAL STAGES OF Dirofilaria immitis."


def test_a_key_printed_under_a_caption_s_title_after_a_blank_line_stays_in_the_ocr_read_caption(tmp_path):
    # Issue 13 class 52 (held-out 23, report p19 FIG. 8, the plates' keys): a typeset title, a blank line, then the
    # key's entries "a, ...", "b. ...". The caption ended at its title. On a born-digital page a row a blank line
    # under the title is read by its type, as before.
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 7.8)
    pdf.drawString(120, 404, "FIG. 8.—Pseudoparasites.")
    pdf.setFont("Times-Roman", 8.5)  # the key centred under the title, wider than it
    pdf.drawCentredString(162, 386, "a, Larva of Aphelenchoides, 280 by 16")
    pdf.drawCentredString(162, 375, "b. Later stage larva (after Manson-Bahr 1952).")
    _report_body(pdf, 100)
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "key.pdf")
    assert measured.text == "FIG. 8.—Pseudoparasites."
    assert read.text.endswith("(after Manson-Bahr 1952).") and "a, Larva" in read.text


def test_a_plate_s_key_in_two_columns_under_its_title_stays_in_the_ocr_read_caption(tmp_path):
    # Issue 13 class 52 (held-out 23, report PLATES 2 and 4): under a plate's centred title, its key in two columns
    # ("1. ..." far left of "3. ..."), wider than the title, its last entry centred alone. The caption ended at the
    # title: a row whose pieces stand a gutter apart was read as a chart's labels, and the key's rows start neither
    # at the title's edge nor on its centre; taken in, its rows are read down each column. On a born-digital page
    # a key a blank line under the title stays out.
    pdf = Canvas(str(tmp_path / "plate.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 7.8)
    pdf.drawCentredString(276, 404, "PLATE 2. PHOTOMICROGRAPHS OF Wuchereria bancrofti.")
    pdf.setFont("Times-Roman", 8.2)
    pdf.drawString(100, 390, "1. Second instar larvae, 9 days old.")
    pdf.drawString(290, 390, "3. Late second instar larva, 11 days.")
    pdf.drawString(100, 377, "2. Second instar larva, 10 days old.")
    pdf.drawString(290, 377, "4. Early third instar larva, 13 days.")
    pdf.drawCentredString(276, 362, "5. Late third instar larvae, infective stage.")
    _report_body(pdf, 100)
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "plate.pdf")
    assert measured.text == "PLATE 2. PHOTOMICROGRAPHS OF Wuchereria bancrofti."
    assert read.text.endswith("infective stage."), read.text
    assert "Body text" not in read.text
    # read down each column, as it is numbered
    assert "9 days old. 2. Second instar larva, 10 days old. 3. Late second" in read.text, read.text


def test_a_key_under_a_title_that_ocr_sizes_small_is_read_in_the_key_s_own_type(tmp_path):
    # Issue 13 class 52 (held-out 23, report p13 FIG. 2): OCR sizes a title in small capitals from its glyphs (6.4)
    # and the key under it from its own (9.9); measured by the title's type, the blank line before the key's
    # unlettered rows ("AP—Anal pore") was a paragraph break, and the caption ended at the key's first row.
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 6.4)
    pdf.drawString(50, 404, "FIG. 2.—MICROFILARIAE OF—")
    pdf.setFont("Times-Roman", 9.9)
    pdf.drawString(50, 388, "1. Dirofilaria immitis, 2. Wuchereria")
    pdf.drawString(50, 373, "AP—Anal pore")
    pdf.drawString(50, 361, "CS—Cephalic space")
    _report_body(pdf, 50)
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "key.pdf")
    assert measured.text == "FIG. 2.—MICROFILARIAE OF—"
    assert read.text.endswith("CS—Cephalic space"), read.text


def test_a_plate_s_key_with_numerals_hung_left_of_its_title_stays_in_the_ocr_read_caption(tmp_path):
    # Issue 13 class 52 (held-out 23, report p21 PLATE 1): the key's numerals hang in the margin, left of the title's
    # start, and OCR reads each ("1.") as a line of its own, so the key's rows opened with no numeral and the caption
    # ended at the title; then its columns wrap apart: "days old." under the first column's entry beside "4. Early
    # ..." in the second, and "days old." under the text of the second column's "3." entry. On a born-digital page
    # a key a blank line under the title stays out, as before.
    title = "PLATE 1. PHOTOMICROGRAPHS OF Wuchereria bancrofti, NON-PERIODIC FORM."
    rows = []
    for y, left, right in (
        (390, ("1.", "Early first instar larva, one day old."), ("3.", "First instar larvae, sausage form, 6")),
        (380, None, (None, "days old.")),
        (370, ("2.", "First instar larvae, sausage form, 5"), None),
        (360, (None, "days old."), ("4.", "Early second instar larvae, 8 days.")),
    ):
        for x, entry in ((130, left), (290, right)):  # the numerals left of the title's start
            if entry:
                mark, text = entry
                if mark:  # as OCR read it, a line of its own, sized from its short glyphs
                    rows.append((5.5, x, y, mark))
                rows.append((8.2, x + 15, y, text))
    measured, read = _key_page_read(tmp_path / "plate.pdf", (7.8, 276, title), rows)
    assert measured.text == "PLATE 1. PHOTOMICROGRAPHS OF Wuchereria bancrofti, NON-PERIODIC FORM."
    assert read.text.endswith("8 days."), read.text
    assert "1. Early first instar larva" in read.text and "Body text" not in read.text


def test_a_key_s_last_entry_across_its_columns_hung_under_an_entry_is_read_after_the_columns(tmp_path):
    # Held-out 23, report p20 PLATE 2: the key's last entry, set across both columns, starts a hang in under the
    # first column's entry above it; it is no wrapped line of that entry (it reaches into the second column), so it is
    # read after the columns, not inside the first.
    title = "PLATE 2. PHOTOMICROGRAPHS OF Wuchereria bancrofti, NON-PERIODIC FORM."
    rows = [
        (8.2, 100, 390, "1. Second instar larvae, 9 days old."),
        (8.2, 290, 390, "3. Late second instar larva, 11 days old."),
        (8.2, 100, 377, "2. Second instar larva, 10 days old."),
        (8.2, 290, 377, "4. Early third instar larva, 13 days old."),
        (8.2, 121, 362, "5. Late third instar larvae, infective stage, from head and labium of mosquito."),
    ]
    _, read = _key_page_read(tmp_path / "plate.pdf", (7.8, 276, title), rows)
    assert read.text.endswith(
        "4. Early third instar larva, 13 days old. 5. Late third instar larvae, infective stage,"
        " from head and labium of mosquito."
    ), read.text


@pytest.mark.parametrize("read_as", [".", "}."])
def test_a_key_entry_whose_hung_letter_ocr_read_as_its_stop_or_a_mark_stays_in_the_caption(tmp_path, read_as):
    # Issue 13 class 52 (held-out 23, report p18 FIG. 6): the key's letters hang in the margin and OCR reads "a."
    # as "." alone; the key's right column's first row it dropped (its mean word confidence under the floor). The
    # row ". Part of ..." opens the key's first column: it starts left of the centred title and ends under it.
    # Issue 13 class 2 (report p22 PLATE 3): OCR read the key's first numeral as a mark ("}. Early first instar
    # ..."), and the caption ended at its title: a mark and a stop before a capital open an entry, as a stop does.
    title = "FIG. 6.—DEVELOPMENTAL STAGES OF Dirofilaria immitis."
    rows = [
        (8.6, 102, 387, f"{read_as} Part of a malpighian tubule showing"),
        (8.6, 110, 377, "young first instar larvae (microfilaria-"),
        (8.6, 110, 367, "like) within the tubule. After Noé, 1901."),
    ]
    measured, read = _key_page_read(tmp_path / "key.pdf", (7.0, 276, title), rows)
    assert measured.text == "FIG. 6.—DEVELOPMENTAL STAGES OF Dirofilaria immitis."
    assert read.text.endswith("After Noé, 1901."), read.text


_FIG_6 = "FIG. 6.—DEVELOPMENTAL STAGES OF Dirofilaria immitis."


def _two_column_key_read(path: Path, row: str):
    """A key in two columns under a centred title, its second column's first entry lost but for its wrapped line, then
    `row` where that column's next entry stands: the caption as printed and as OCR-read."""
    rows = [
        (8.6, 102, 387, ". Part of a malpighian tubule showing"),
        (8.6, 110, 377, "young first instar larvae (microfilaria-"),
        (8.6, 302, 377, "Camera-lucida. Original."),
        (8.6, 110, 367, "like) within the tubule. After Noé, 1901."),
        (8.6, 294, 355, row),
    ]
    return _key_page_read(path, (7.0, 276, _FIG_6), rows)


def test_a_key_entry_a_hang_left_of_the_wrapped_line_above_it_stays_in_the_caption(tmp_path):
    # Issue 13 class 2 (held-out 23, report p18 FIG. 6): a key in two columns whose entries hang their wrapped lines
    # under their text; OCR lost the second column's first entry but for its wrapped line ("Camera-lucida.
    # Original."), so the column's next entry (". Full grown ...", its letter read as a stop) started under nothing
    # above it and the caption ended. Its letter stands a hang left of the wrapped line of the entry above.
    measured, read = _two_column_key_read(tmp_path / "key.pdf", ". Full grown first instar larva moulting.")
    assert measured.text == _FIG_6
    assert read.text.endswith("larva moulting."), read.text
    assert "Body text" not in read.text


def test_an_indented_row_under_a_key_s_wrapped_line_is_not_taken_for_its_next_entry(tmp_path):
    # Only a key's entry stands a hang left of a wrapped line: an unlettered row there (the body's next paragraph,
    # indented less than the key's wraps) ends the caption.
    _, read = _two_column_key_read(tmp_path / "key.pdf", "Full grown first instar larva moulting.")
    assert read.text.endswith("After Noé, 1901."), read.text


_PLATE_4 = "PLATE 4. PHOTOMICROGRAPHS OF Dirofilaria immitis."
_PLATE_4_KEY = (
    "1. Sausage stage larva, first instar, 3 days old. 2. Second instar larva, early stage. 3. Second instar larva,"
    " later stage. 4. Third instar larva, early stage. 5. Third instar larva, infective stage."
)


def _key_wider_than_its_title(path: Path, wrap_x: float) -> None:
    """A plate's centred title over its key in two columns a gutter of ~3 ems apart, wider than the title, the first
    entry's last word wrapped alone ("old.") at `wrap_x`, left of the title; the report's body under it."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 8)
    pdf.drawCentredString(276, 420, _PLATE_4)
    first = "1. Sausage stage larva, first instar, 3 days"
    second_column = 104 + pdf.stringWidth(first, "Times-Roman", 8) + 25
    for x, y, text in (
        (104, 406, first),
        (second_column, 406, "3. Second instar larva, later stage."),
        (wrap_x, 396, "old."),
        (104, 382, "2. Second instar larva, early stage."),
        (second_column, 382, "4. Third instar larva, early stage."),
    ):
        pdf.drawString(x, y, text)
    pdf.drawCentredString(276, 366, "5. Third instar larva, infective stage.")
    _report_body(pdf, 100)
    pdf.save()


def test_a_key_s_two_columns_that_tesseract_reads_as_one_block_are_read_as_lines_of_their_own(tmp_path):
    # Issue 13 class 2 (held-out 23, report p23 PLATE 4): Tesseract reads a key's two columns, set ~3 ems apart, as
    # one block whose lines run across the gutter ("... 3 days 3. Second instar larva, later stage."), so the
    # caption could not read the key down its columns. Cut at the gutter clear of words down all the block's lines,
    # each column's row is a line of its own, in the same reading order; the body's lines stay whole.
    require_tesseract()
    _key_wider_than_its_title(tmp_path / "plate.pdf", 115)
    scale = 200 / 72
    picture = pdfium.PdfDocument(tmp_path / "plate.pdf")[0].render(scale=scale).to_pil().convert("RGB")
    scan = PageScan(picture, scale, (0.0, 0.0), 0.0, "tesseract")
    texts = [line.text for line in ocr.read_text(scan).lines]
    assert texts[:5] == [
        _PLATE_4,
        "1. Sausage stage larva, first instar, 3 days",
        "3. Second instar larva, later stage.",
        "old.",
        "2. Second instar larva, early stage.",
    ], texts
    assert texts.count("Body text of the report runs on under the plate, line after line.") == 3, texts


def test_a_key_entry_s_wrapped_line_left_of_the_title_is_read_in_its_column(tmp_path):
    # Issue 13 class 2 (held-out 23, report p23 PLATE 4): a key wider than its title; the first entry's last word
    # wraps alone ("old."), hung under its text and left of the title, where the caption's rows looked only under
    # the title: it was set aside, the key's rows under it no longer followed a row in columns, and the key was read
    # across. Under the entry and within its width, it is the entry's, and read in its column.
    _key_wider_than_its_title(tmp_path / "plate.pdf", 115)
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "plate.pdf")
    assert measured.text == _PLATE_4
    assert read.text == f"{_PLATE_4} {_PLATE_4_KEY}", read.text


def test_a_line_left_of_a_key_s_title_not_hung_under_its_entry_stays_out_of_the_caption(tmp_path):
    # Set at the entry's own start (not hung under its text), the line is not the entry's wrap.
    _key_wider_than_its_title(tmp_path / "plate.pdf", 104)
    _, read = _caption_as_printed_and_as_ocr_read(tmp_path / "plate.pdf")
    assert "old." not in read.text, read.text


def test_a_caption_s_source_note_in_parentheses_that_ocr_sizes_larger_stays_in_the_caption(tmp_path):
    # Issue 13 (held-out 23, manual Fig. 4): "(Reproduced, by permission, from: SASA, M. Human filariasis ...)" right
    # under the caption; OCR sizes the note from its italic titles and capitals, half again the caption's size, so
    # the caption ended over it and the note was taken into the table under it.
    pdf = Canvas(str(tmp_path / "note.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica", 7.4)
    pdf.drawString(176, 404, "Fig. 4. 2 x 2 Contingency table for use in standardization of blood-film examination")
    pdf.setFont("Helvetica", 11)  # as OCR measured it
    pdf.drawString(176, 392, "(Reproduced, by permission, from: SASA, M. Human filariasis.")
    pdf.setFont("Helvetica", 10)
    for row in range(3):
        pdf.drawString(176, 300 - 13 * row, "Body text of the manual runs on under the table, line after line.")
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "note.pdf")
    assert measured.text.endswith("examination")
    assert read.text.endswith("Human filariasis.")


def _captioned_figure_over_body_text(pdf: Canvas, path: Path):
    """The page's captioned figure found as on a scan, with the page's body text set across its foot (the body
    size and text width the searches measure against)."""
    pdf.setFont("Times-Roman", 10)
    for row in range(5):
        pdf.drawString(
            72,
            150 - 13 * row,
            "Body text of the report runs on under the plate, line after line, across the whole width of the page.",
        )
    pdf.save()
    (figure,) = [f for f in _as_ocr_read_scan(path) if f.caption is not None]
    return figure


def test_a_scanned_drawing_beside_its_caption_is_not_cut_at_the_caption_with_a_neighbour_s_ink_over_it(tmp_path):
    # Held-out 23's report p13 (class 54): a tall drawing set beside its caption, running on far past it, under the
    # foot of another figure's picture. On a scan that picture's ink is no raster apart from the drawing, so the
    # search over the caption held both, cut at the caption's top, and won over the drawing beside it.
    path = tmp_path / "beside.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.rect(60, 560, 140, 140, fill=1)  # the neighbouring figure's picture, over the caption
    pdf.setLineWidth(4)
    for col in range(3):  # the drawing, from beside the picture down past the caption
        pdf.bezier(250 + 90 * col, 700, 330 + 90 * col, 550, 200 + 90 * col, 400, 280 + 90 * col, 200)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(60, 300, "FIG. 2—Microfilariae of three species.")
    figure = _captioned_figure_over_body_text(pdf, path)
    assert figure.box.x0 > 220 and figure.box.bottom > 560, figure.box  # the drawing alone, down to its foot


def test_a_scanned_drawing_plate_beside_its_caption_takes_its_parts_over_and_under_it(tmp_path):
    # Held-out 23's report p19 (class 54): a plate of drawings beside its caption and key, the parts set loose in the
    # plate (two narrow ones over the right of the main drawing, a row of two wider than it under it). On a scan the
    # search beside the caption found the main drawing alone: the born-digital test takes parts under it within its
    # width only, and the OCR'd plate's parts were grown over and under the caption, not beside it.
    path = tmp_path / "plate.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setLineWidth(4)
    pdf.bezier(160, 600, 380, 660, 160, 420, 380, 360)  # the main drawing, level with the caption
    for x in (400, 470):  # two narrow drawings over its right end
        pdf.bezier(x, 760, x + 30, 700, x - 10, 640, x + 20, 590)
    for x in (210, 340):  # a row of two under it, running past its right end
        pdf.bezier(x, 320, x + 130, 300, x, 220, x + 130, 200)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(40, 660, "FIG. 8—Pseudoparasites.")
    for row, key in enumerate(("a. Larva of a nematode.", "b. Later stage larva.", "c. Head end of a larva.")):
        pdf.drawString(40, 646 - 11 * row, key)
    figure = _captioned_figure_over_body_text(pdf, path)
    assert figure.box.top < 60 and figure.box.bottom > 460 and figure.box.x1 > 470, figure.box


def test_tesseract_reads_the_page_from_its_raw_grey_levels_and_reads_the_same_words(tmp_path, monkeypatch):
    # Issue 19 (speed, rows unchanged): pytesseract wrote each page for Tesseract as a PNG at zlib's default level,
    # ~0.1 s of CPU a page (held-out 23: 62 scanned pages); the page now goes as a PGM of the same grey levels, which
    # Tesseract reads as the same picture (no resolution in either), so it finds the same words.
    require_tesseract()
    import pytesseract

    pdf = Canvas(str(tmp_path / "page.pdf"), pagesize=(300, 200))
    pdf.setFont("Times-Roman", 12)
    pdf.drawString(30, 150, "FIG. 3.—Larvae in the thoracic muscles.")
    pdf.drawString(30, 120, "Body text of the report runs on here.")
    pdf.save()
    picture = pdfium.PdfDocument(tmp_path / "page.pdf")[0].render(scale=300 / 72).to_pil().convert("RGB")
    scan = PageScan(picture, 300 / 72, (0.0, 0.0), 0.0, "tesseract")
    asked, read = [], pytesseract.image_to_data

    def reading(image, **kwargs):
        with Image.open(image) as given:
            kind, pixels = given.format, np.array(given)
        words = read(image, **kwargs)
        asked.append((kind, pixels, words))
        return words

    monkeypatch.setattr(pytesseract, "image_to_data", reading)
    lines = ocr.read_text(scan).lines
    ((kind, pixels, words),) = asked
    grey = picture.convert("L")
    assert kind == "PPM" and np.array_equal(pixels, np.asarray(grey))
    assert words == read(grey, lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)
    assert lines[0].text.startswith("FIG. 3.")


def test_a_scan_s_rasters_per_point_and_marks_are_made_once_and_photos_still_count(tmp_path):
    # Issue 19 (speed, rows unchanged): a scanned page's ink was made afresh each time it was asked for (its grey and
    # colour rasters at one pixel per point, its pen marks and rules: 3-9 times a page on held-out 23); they are
    # made once. A photo found later is still given back to the marks, as on a scan made afresh.
    picture = Image.new("RGB", (400, 300), "white")
    pixels = np.asarray(picture).copy()
    pixels[40:48, 30:370] = 20  # a line of "text"
    pixels[100:200, 60:160] = 250  # a pale photo: read as paper until it is known as a photo
    picture = Image.fromarray(pixels)
    scan = PageScan(picture, 2.0, (0.0, 0.0), 0.0, "tesseract")
    assert scan.grey_points() is scan.grey_points() and not scan.grey_points().flags.writeable
    first = scan.marks()
    first[:] = 0  # the caller's own copy
    assert np.array_equal(scan.marks(), PageScan(picture, 2.0, (0.0, 0.0), 0.0, "tesseract").marks())
    photo = Box(30.0, 50.0, 80.0, 100.0)
    scan.photos.append(photo)
    fresh = PageScan(picture, 2.0, (0.0, 0.0), 0.0, "tesseract", photos=[photo])
    assert np.array_equal(scan.marks(), fresh.marks()) and np.array_equal(scan.ink(), fresh.ink())
    assert scan.marks()[60, 40] == 1


_PLATE_SCAN_SCALE = 200 / 72  # the report's plates were scanned at 200 dpi


def _halftone_scanned_in_black_and_white(
    width_pt: float, height_pt: float, seed: int, ground: float = 0.06
) -> np.ndarray:
    """A photomicrograph printed as a halftone and scanned in black and white (1 bit): dots scattered by the scan on a
    ground that fades from a pale grey (`ground`, 6% ink; 0: a specimen on a clear field, printed as paper) at the left
    to paper at the right, a dark larva across it."""
    rng = np.random.default_rng(seed)
    h, w = round(height_pt * _PLATE_SCAN_SCALE), round(width_pt * _PLATE_SCAN_SCALE)
    y, x = np.mgrid[0:h, 0:w]
    tone = ground * (1 - x / w)
    larva = np.abs(y - h / 2 - 0.25 * h * np.sin(x / w * 6)) < 0.05 * h
    return np.where(rng.random((h, w)) < np.where(larva, 0.8, tone), 0, 255).astype(np.uint8)


def _scanned_plate(tmp_path: Path, photos: list[tuple[np.ndarray, tuple[int, int]]]) -> tuple[object, Image.Image]:
    """The figure (its region) of a page scanned at 200 dpi and read by OCR: `photos` (1-bit rasters at the scan's
    scale, each with its top left corner in points) set on a plate over its caption, body text under it; and the
    figure's pixels."""
    path = tmp_path / "plate.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(100, 230, "PLATE 1. Photomicrographs of larvae.")
    pdf.setFont("Times-Roman", 10)
    for row in range(5):
        pdf.drawString(72, 150 - 13 * row, "Body text of the report runs on under the plate, line after line, here.")
    pdf.save()
    grey = _scanned_grey(path, _PLATE_SCAN_SCALE)
    for photo, (x, y) in photos:
        top, left = round(y * _PLATE_SCAN_SCALE), round(x * _PLATE_SCAN_SCALE)
        grey[top : top + photo.shape[0], left : left + photo.shape[1]] = photo
    return _figure_of_scan(path, grey, _PLATE_SCAN_SCALE)


def _scanned_grey(path: Path, scale: float) -> np.ndarray:
    """The PDF's first page rendered in grey at `scale` pixels a point, as a scanner gives it (writable)."""
    return np.asarray(pdfium.PdfDocument(path)[0].render(scale=scale).to_pil().convert("L")).copy()


def _figure_of_scan(path: Path, grey: np.ndarray, scale: float) -> tuple[object, Image.Image]:
    """The one figure (its region) found on `grey`, the scan of the PDF's first page at `scale` pixels a point, the
    page's text lines read as if OCR'd; and the figure's pixels."""
    page = read_page(pdfium.PdfDocument(path), 0)
    page.scan = PageScan(Image.fromarray(grey).convert("RGB"), scale, (0.0, 0.0), 0.0, "tesseract")
    page.graphics = scanned.picture_graphics(page.scan, page.lines)
    style = DocumentStyle()
    style.add_page(1, 792, page.lines, page.graphics)
    (figure,) = detect_figures(page, style).figures
    return figure, page.scan.crop(figure.box)


def test_a_plate_of_halftone_photographs_scanned_in_black_and_white_has_a_panel_a_photograph(tmp_path):
    # Issue 13 class 6 (held-out 23, the report's PLATES 1-4): photomicrographs printed as halftones, scanned at 1 bit.
    # Their pale grounds are scattered dots, grey only at one pixel a point where the dots lie close: the photographs
    # read as line art, broken into the larvae and loose patches of ground, and the plate had no panels. Told by their
    # dot texture at the scan's own resolution, grown over their pale ground to the blank gutters around them, each is
    # a photograph (an image), and the plate has four.
    corners = [(100, 100), (320, 100), (100, 330), (320, 330)]  # 2 x 2, 20 pt gutters
    photos = [_halftone_scanned_in_black_and_white(200, 200, seed) for seed in range(4)]
    figure, pixels = _scanned_plate(tmp_path, list(zip(photos, corners, strict=True)))
    panels = find_panels(figure, pixels, 0)
    assert len(panels) == 4, [panel.box for panel in panels]
    # Each whole, its paper-pale side included: the texture grown to the gutters around it
    assert all(panel.box.width > 195 and panel.box.height > 195 for panel in panels), [p.box for p in panels]


def _numbered(photo: np.ndarray, numeral: int) -> np.ndarray:
    """`photo` with its numeral printed white in a black disc (18 pt across) in its lower right corner."""
    numbered = photo.copy()
    radius = round(9 * _PLATE_SCAN_SCALE)
    h, w = photo.shape
    centre = (w - 2 * radius, h - 2 * radius)
    cv2.circle(numbered, centre, radius, 0, -1)
    origin = (centre[0] - radius // 3, centre[1] + radius // 2)
    cv2.putText(numbered, str(numeral), origin, cv2.FONT_HERSHEY_SIMPLEX, radius / 22, 255, max(1, radius // 6))
    return numbered


def test_a_numeral_disc_printed_on_a_halftone_does_not_keep_the_photograph_out(tmp_path):
    # Held-out 23's PLATES 1, 2 and 4: a numeral printed white in a black disc on a photograph's paper-pale corner is
    # solid ink apart from the dots, read as a photo (an image, 18 pt). It kept out the halftone it is printed on ("a
    # halftone where a photograph is found already adds nothing"), and the photograph stayed loose line art. A mark
    # smaller than any halftone is no photograph: each photograph is an image, its disc inside it.
    corners = [(100, 100), (320, 100), (100, 330), (320, 330)]
    photos = [_numbered(_halftone_scanned_in_black_and_white(200, 200, seed), seed + 1) for seed in range(4)]
    figure, _ = _scanned_plate(tmp_path, list(zip(photos, corners, strict=True)))
    images = [graphic.box for graphic in figure.graphics if graphic.kind == "image"]
    assert len(images) == 4 and all(box.width > 195 and box.height > 195 for box in images), images


def test_a_numbered_photograph_of_a_specimen_on_a_clear_field_is_a_panel_of_its_plate(tmp_path):
    # Issue 13 class 6 (held-out 23, the report's PLATE 3): a plate of photomicrographs numbered by numerals printed
    # white in black discs, one in each photograph, laid in a pinwheel (no gutter crosses the plate); the last a live
    # larva on a clear field, its ground printed as paper. A disc read as a photo kept out the halftone it is printed
    # on, and the plate had no panels. Discs are no photographs: the halftones are found; and a disc outside every
    # photograph found marks one more, the loose ink in the free space around it.
    placed = [((220, 180), (100, 100)), ((180, 240), (340, 100)), ((200, 230), (100, 300))]  # width, height; corner
    photos = [
        (_numbered(_halftone_scanned_in_black_and_white(w, h, seed, ground=0.35), seed + 1), corner)
        for seed, ((w, h), corner) in enumerate(placed)
    ]
    specimen = _numbered(_halftone_scanned_in_black_and_white(200, 170, 3, ground=0.0), 4)
    figure, pixels = _scanned_plate(tmp_path, [*photos, (specimen, (320, 360))])
    panels = find_panels(figure, pixels, 0)
    assert len(panels) == 4, [panel.box for panel in panels]
    *halftones, found = sorted(panels, key=lambda panel: (panel.box.top, panel.box.x0))  # the specimen lowest
    assert all(panel.box.width > 175 and panel.box.height > 175 for panel in halftones), [p.box for p in panels]
    assert found.box.x0 > 310 and found.box.top > 350 and found.box.width > 150, found.box  # its larva and its disc
    assert found.box.bottom > 515, found.box


def test_a_chart_drawn_in_hairlines_on_a_scan_stays_whole_beside_charts_drawn_bolder(tmp_path):
    # Issue 13 (held-out 23, the WHO manual's Fig. 5): three scatter plots side by side, the third printed in thinner
    # lines. At one pixel a point its frame is one pixel wide, and the pictures were found on the scan's ink less
    # everything under two points across (specks): the plot fell apart into its loose dots, too small for pictures,
    # and the figure had no panels. The scan's ink keeps its ruled hairlines (a frame, an axis): three panels.
    path = tmp_path / "plots.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Helvetica", 9)
    pdf.drawString(100, 720, "Fig. 5. Comparison of microfilaria counts (for explanation, see text)")
    for plot, width in enumerate((1.5, 1.5, 0.3)):  # line widths: the third plot in hairlines
        x = 100.5 + 120 * plot  # (.5: a hairline inside one point's pixels, as scanned)
        pdf.setLineWidth(width)
        pdf.rect(x, 600.5, 90, 90)
        pdf.line(x, 600.5, x + 90, 690.5)
        pdf.setLineWidth(1.5)
        pdf.circle(x + 12, 678, 6)  # the plot's circled numeral
        for dot in range(8):  # its counts: dots set a gutter apart
            pdf.circle(x + 12 + 10 * dot, 612 + 10 * dot - 8 * (dot % 2), 1.5, stroke=0, fill=1)
    pdf.setFont("Times-Roman", 10)
    body = "Body text of the manual runs on under the figure, line after line, as wide as the figure is."
    for row in range(5):
        pdf.drawString(100, 560 - 13 * row, body)
    pdf.save()
    figure, pixels = _figure_of_scan(path, _scanned_grey(path, 300 / 72), 300 / 72)
    panels = find_panels(figure, pixels, 0)
    assert len(panels) == 3, [panel.box for panel in panels]
    assert all(panel.box.width > 85 and panel.box.height > 85 for panel in panels), [p.box for p in panels]


def test_a_source_note_s_last_line_left_of_a_centred_title_stays_in_the_caption(tmp_path):
    # Issue 13 (held-out 23, manual p54 Fig. 3, missed): a centred title over a source note wider than it, whose last
    # line "1976.)" stands flush left under the note, left of the title. It was set aside as another column, stood
    # as a heading right under the caption and ended the search for the census form under it at once.
    pdf = Canvas(str(tmp_path / "note.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica", 8.5)
    pdf.drawCentredString(306, 404, "Fig. 3. Sample census registration form and coding instructions")
    for y, text in (
        (393, "(Adapted, with permission, from: SASA, M. Human filariasis: a global survey of"),
        (382, "1976.)"),
    ):
        pdf.drawString(158, y, text)  # the note's full row centred under the title, its last line flush left
    _report_body(pdf, 158)
    pdf.save()
    measured, read = _caption_as_printed_and_as_ocr_read(tmp_path / "note.pdf")
    assert read.text.endswith("a global survey of 1976.)"), read.text
    assert measured.text.endswith("survey of")  # a text layer's pages are read as before


def test_a_row_of_measurements_in_a_scanned_plate_is_no_body_text(tmp_path):
    # Issue 13 (held-out 23, manual p74 Fig. 10, missed): a row of measurements under the table's head over the
    # drawings ("length (um) 134-374 120-290 106-226"); OCR sizes it as the body and reads its gaps as single spaces,
    # so it passed for a paragraph's line and ended the search under the caption at the head (main: no figure).
    _comparison_plate(tmp_path / "plate.pdf", "length (um) 134-374 120-290 106-226 200-310")
    (figure,) = _as_ocr_read_scan(tmp_path / "plate.pdf")
    assert figure.box.top < 100 and figure.box.bottom > 250, figure.box  # the table's head to the drawings' feet


_FIG_5 = "FIG. 5.—DEVELOPMENTAL STAGES OF Wuchereria bancrofti."


def test_a_key_in_columns_whose_first_letters_ocr_garbled_stays_in_the_caption_read_down_its_columns(tmp_path):
    # Issue 13 class 2 (held-out 23, report p15 FIG. 5): a key in two columns whose first column's letters OCR read
    # glued to a scanner's streak ("avib, c." for "a, b, c.") or to a quote ('d."Second'). Its rows stand a gutter
    # apart, as a chart's labels do, and the first column opened with no entry, so the caption ended at its title.
    # The second column's openings ("ce.", "f.", "gy.") are entries, and its last row ("showing terminal papillae.")
    # hangs under the text of the entry above it: the key stays in the caption, read down its columns.
    key_rows = {  # y: each column's piece (x, text)
        391: ((94, "avib, c. First instar larva in different"), (287, "ce. Posterior end of second instar larva.")),
        381: ((102, "phases of development."), (287, "f. Third instar larva.")),
        367: ((94, 'd."Second instar larva still within the'), (287, "gy. Posterior end of third instar larva")),
        357: ((106, "first moult skin."), (299, "showing terminal papillae.")),
    }
    rows = [(8.2, x, y, text) for y, pieces in key_rows.items() for x, text in pieces]
    measured, read = _key_page_read(tmp_path / "key.pdf", (9.0, 255, _FIG_5), rows)
    assert measured.text == _FIG_5
    assert read.text == (
        f'{_FIG_5} avib, c. First instar larva in different phases of development. d."Second instar larva still within'
        " the first moult skin. ce. Posterior end of second instar larva. f. Third instar larva. gy. Posterior end of"
        " third instar larva showing terminal papillae."
    ), read.text


def _tesseract_words(lines: list[tuple[int, int, list[tuple[int, int, str]]]]) -> tuple[dict, list[list[int]]]:
    """Tesseract's word table (`image_to_data`'s columns used) for lines given as (block, top, [(left, right, text)])
    of words 20 pixels tall, and each line's word indices."""
    words: dict[str, list] = {key: [] for key in ("text", "left", "top", "width", "height", "block_num")}
    indices: list[list[int]] = []
    for block, top, spans in lines:
        indices.append(list(range(len(words["text"]), len(words["text"]) + len(spans))))
        for left, right, text in spans:
            for key, value in zip(words, (text, left, top, right - left, 20, block), strict=True):
                words[key].append(value)
    return words, indices


def test_ocr_lines_across_a_key_s_gutter_are_cut_where_the_gutter_goes_on_through_the_next_row():
    # Issue 13 class 2 (held-out 23, report p15 FIG. 5, p16 FIG. 4, p17 FIG. 7): Tesseract read a key's two columns
    # as lines running across the gutter ("a, b, and c. Larvae in different  f. Larva of third instar (infective"),
    # in a block with the caption's title, set across both columns (so no gap was clear down the whole block), or in
    # blocks of one line each. A line's gap 2.5 word heights wide is a gutter where the row of the page right under or
    # over it leaves it clear and reaches both its sides; the title, the full row under the key and a row whose gap
    # the rows around it cross stay whole.
    title = [(0, 140, "FIG."), (150, 290, "4—Developmental"), (300, 440, "stages"), (450, 590, "of")]
    full = [(0, 140, "e."), (150, 290, "Posterior"), (300, 440, "end"), (450, 590, "of"), (600, 740, "second")]
    words, lines = _tesseract_words(
        [
            (1, 0, title),
            (1, 40, [(0, 140, "a,"), (150, 290, "b,"), (300, 400, "Larvae"), (480, 620, "f."), (630, 770, "Larva")]),
            (1, 70, [(0, 140, "phases"), (150, 260, "of"), (480, 600, "stage).")]),
            (2, 100, [(0, 140, "d."), (150, 350, "Second"), (480, 620, "g.")]),
            (3, 150, full),
            (4, 190, [(0, 140, "still"), (150, 300, "attached"), (400, 540, "here")]),
            (5, 230, full),
        ]
    )
    pieces = [" ".join(words["text"][i] for i in piece) for piece in ocr._split_at_gutters(words, lines)]
    assert pieces == [
        "FIG. 4—Developmental stages of",
        "a, b, Larvae",
        "f. Larva",
        "phases of",
        "stage).",
        "d. Second",
        "g.",
        "e. Posterior end of second",
        "still attached here",
        "e. Posterior end of second",
    ], pieces


@pytest.mark.parametrize("sliver", [False, True], ids=["caption-alone", "sliver-over-caption"])
def test_a_drawing_filling_a_page_without_text_takes_the_caption_opening_the_next_page(tmp_path, sliver):
    """Probe (wkhtmltopdf at A5, chapter 21 Figure 21.2): an e-book's drawing, its labels in its raster, fills page 1
    and pushed its caption to the head of page 2. Page 1 has no text layer under one page-sized picture, so it is
    read by OCR as a scan; the figure that fills such a page took a caption from the page before or the foot of the
    next, not from the head of the next: the drawing was lost. Where the drawing's last slice opens page 2 over the
    caption (chapter 23 Figure 23.10), the caption is that slice's, as before (so the figure is found once; by the
    ground truth's rule a sliver this thin leaves the figure on page 1, which is not done here)."""
    require_tesseract()
    rng = np.random.default_rng(4)
    drawing = line_drawings(rng, count=6, columns=2).resize((760, 1148))
    body = [
        "A major distinction between the lymphatic and cardiovascular systems in humans is that lymph is",
        "not actively pumped by the heart, but is forced through the vessels by the movements of the body.",
    ]
    pdf = Canvas(str(tmp_path / "ebook.pdf"), pagesize=(420, 595))
    for number in range(4):
        if number == 0:
            pdf.drawInlineImage(drawing, 20, 595 - 584, 380, 574)
        else:
            top = 595 - 20
            if number == 1 and sliver:
                pdf.drawInlineImage(drawing.crop((0, 1088, 760, 1148)), 20, 595 - 40, 380, 30)
                top -= 40
            if number == 1:
                pdf.setFont("Times-Bold", 8)
                pdf.drawString(15, top, "Figure 21.2 Anatomy of the Lymphatic System")
                pdf.setFont("Times-Roman", 8)
                pdf.drawString(15, top - 10, "Lymphatic vessels in the arms and legs convey lymph to the torso.")
                top -= 40
            pdf.setFont("Times-Roman", 9)
            for row in range(int((top - 40) // 11.5)):
                pdf.drawString(15, top - 11.5 * row, body[(row + number) % 2])
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [row["label"] for row in rows] == ["21.2"]
    assert rows[0]["caption"].endswith("convey lymph to the torso.")
    assert rows[0]["page"] == 1 or sliver

"""extract on the covers of long documents: cover art is dropped, a content picture on the last page is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample import images
from mmskin_build.store import Dataset

WIDTH, HEIGHT = 720.0, 540.0  # a 4:3 slide
SLIDES = 24  # over the 20 pages from which a document has covers


def _deck(path: Path, last: tuple[float, float, float, float]) -> None:
    """A slide deck without figure captions: a title and bullets on each slide, a photo beside the bullets on
    slide 5, and on the last slide only a photo at `last` (x, y from the top, width, height)."""
    rng = np.random.default_rng(7)
    pdf = Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    for number in range(1, SLIDES + 1):
        if number == SLIDES:
            x, y, w, h = last
            pdf.drawImage(ImageReader(images.skin_photo(rng, 480, 480, tone=2)), x, HEIGHT - y - h, w, h)
        else:
            pdf.setFont("Helvetica-Bold", 32)
            pdf.drawString(60, HEIGHT - 80, f"Survey results part {number}")
            pdf.setFont("Helvetica", 20)
            for k in range(5):
                pdf.drawString(80, HEIGHT - 150 - 36 * k, f"Point {k + 1} of the survey on slide {number}")
            if number == 5:
                pdf.drawImage(ImageReader(images.skin_photo(rng, 320, 320)), 470, HEIGHT - 460, 200, 200)
        pdf.showPage()
    pdf.save()


def _pages_with_figures(tmp_path: Path, last: tuple[float, float, float, float]) -> list[int]:
    tmp_path.mkdir(exist_ok=True)
    _deck(tmp_path / "deck.pdf", last)
    run_extract([tmp_path / "deck.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    return sorted(row["page"] for row in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())


def test_a_large_photo_inside_the_margins_of_the_last_slide_is_a_figure(tmp_path):
    """Held-out 8's slide deck ends on a full-slide photo set inside the slide's margins, dropped as a back cover
    (issue 13 class 9)."""
    assert _pages_with_figures(tmp_path, (144, 30, 480, 480)) == [5, SLIDES]


def test_art_bled_over_the_last_page_or_a_small_logo_there_stays_a_back_cover(tmp_path):
    assert _pages_with_figures(tmp_path / "bled", (-6, -6, WIDTH + 12, HEIGHT + 12)) == [5]
    assert _pages_with_figures(tmp_path / "logo", (320, 230, 80, 80)) == [5]


REPORT_PAGES = 24
A4 = (595.0, 842.0)


def _report(path: Path) -> None:
    """A report: body text on every page, full-page photographs on pages 3 (front matter: before the first labelled
    caption, on page 6) and 10 and one over the cover's top half, each with one white line of 8 pt type printed over
    its foot and a credit run up its right edge."""
    rng = np.random.default_rng(11)
    width, height = A4
    pdf = Canvas(str(path), pagesize=A4)
    for number in range(1, REPORT_PAGES + 1):
        if number in (1, 3, 10):
            top = height / 2 if number == 1 else 0.0  # the cover's photograph bled off its top half alone
            pdf.drawImage(ImageReader(images.skin_photo(rng, 240, 320, tone=2)), 0, top, width, height - top)
            pdf.setFillColorRGB(1, 1, 1)
            pdf.setFont("Helvetica", 8)
            pdf.drawRightString(width - 60, top + 24, f"Patient seen at the district clinic, visit {number}")
            pdf.saveState()
            pdf.translate(width - 20, top + 60)
            pdf.rotate(90)
            pdf.drawString(0, 0, "© A. Photographer")
            pdf.restoreState()
        else:
            pdf.setFont("Helvetica", 10)
            lines = 30 if number == 6 else 50
            for k in range(lines):
                pdf.drawString(
                    72, height - 72 - 12 * k, f"Body text of the report on page {number}, line {k + 1} of it."
                )
            if number == 6:
                pdf.drawImage(ImageReader(images.skin_photo(rng, 320, 240)), 150, 140, 300, 225)
                pdf.drawString(150, 124, "Figure 1. Lesions of the lower leg.")
        pdf.showPage()
    pdf.save()


def test_a_full_page_photograph_captioned_by_a_line_over_its_foot_is_a_captioned_figure(tmp_path):
    """Held-out 21's WHO report: full-page photographs with a white caption over their foot (issue 13 class 40);
    those before the first labelled caption were dropped as front-matter art, a later one was found uncaptioned.
    A cover's photograph stays cover art, line or not."""
    _report(tmp_path / "report.pdf")
    run_extract([tmp_path / "report.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert sorted((row["page"], row["caption"]) for row in rows) == [
        (3, "Patient seen at the district clinic, visit 3"),
        (6, "Figure 1. Lesions of the lower leg."),
        (10, "Patient seen at the district clinic, visit 10"),
    ]

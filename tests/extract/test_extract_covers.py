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

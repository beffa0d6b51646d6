"""extract: vector charts of a designed report (held-out set 5's WHO annual report, issue 13 class 8), each on a
generated page: a chart captioned in the column beside the page's only column of body text."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

HEIGHT = 842
_WORDS = "the population at risk of the endemic countries that started mass drug administration grew".split()


def _paragraph(pdf: Canvas, x0: float, top: float, lines: int) -> None:
    """Body text, 10 pt on 13, 180 pt wide, from `top` (page y, from the top) down."""
    pdf.setFont("Times-Roman", 10)
    for i in range(lines):
        words = " ".join(_WORDS[(i * 3 + k) % len(_WORDS)] for k in range(7))
        pdf.drawString(x0, HEIGHT - top - 13 * i, words)


def _bar_chart(pdf: Canvas, x0: float, top: float, rows: int) -> None:
    """A horizontal bar chart: a label in small type, a bar and its value per row, 14 pt apart, on an axis."""
    pdf.setFont("Helvetica", 6)
    pdf.line(x0 + 50, HEIGHT - top, x0 + 50, HEIGHT - top - 14 * rows)
    for i in range(rows):
        y = HEIGHT - top - 14 * i - 10
        pdf.drawString(x0, y, f"Country {i + 1}")
        pdf.rect(x0 + 50, y, 140 - 9 * i, 7, fill=1)
        pdf.drawString(x0 + 195 - 9 * i, y, str(80 - 5 * i))


def _figures(pdf: Canvas, path: Path, tmp_path: Path) -> dict[str | None, Box]:
    pdf.showPage()
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    return {r["label"]: Box(*r["bbox"]) for r in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}


def test_a_chart_captioned_beside_the_only_column_of_body_text_is_found_whole(tmp_path):
    """Held-out 5's Figures 3.1 and 4.1: the page's body text is one column on the left, the chart and its caption
    (wider than that narrow column) on the right. The caption was taken for a wide one and searched over the whole
    text width, where the paragraph beside the chart stopped the region: the chart was cut to its top rows."""
    path = tmp_path / "beside.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _paragraph(pdf, 80, 180, 30)  # starts level with the chart's fourth row
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(330, HEIGHT - 100, "Figure 3.1 Population at risk in the")
    pdf.drawString(330, HEIGHT - 112, "endemic countries that started MDA")
    _bar_chart(pdf, 330, 125, 14)
    figures = _figures(pdf, path, tmp_path)
    chart = figures["3.1"]
    assert chart.bottom >= 125 + 14 * 13, figures  # the last row is in
    assert chart.x0 >= 320 and chart.top >= 112, "the body column stays out"

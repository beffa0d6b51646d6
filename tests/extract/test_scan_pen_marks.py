"""Pen marks on a scanned page belong to no picture: a reviewer's red arrow and a curve beside a chart, the curve's
tail faded to grey where the scanner lost its colour, are left out of the chart's box; the chart's hairline frame
stays in it."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.ocr import OcrMode
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

WIDTH, HEIGHT = 612.0, 792.0
SCALE = 150 / 72  # the scan's pixels per point
CHART = Box(160.0, 380.0, 450.0, 530.0)  # the chart's hairline frame (points, from the top)
CAPTION = "Figure 2: Percentage of people who took the medicine"
LINE = "of the report, typed across the full measure of the page as a draft is"
BODY_ABOVE = [(100.0 + 14 * k, f"Line {k + 1} {LINE}") for k in range(8)]
BODY_BELOW = [(560.0 + 14 * k, f"Line {k + 9} {LINE}") for k in range(4)]


def _px(*points: float) -> list[float]:
    return [v * SCALE for v in points]


def _bend(
    start: tuple[float, float], via: tuple[float, float], end: tuple[float, float], t: float
) -> tuple[float, ...]:
    """The point at `t` (0-1) of the quadratic curve from `start` to `end` drawn towards `via`."""
    return tuple((1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c for a, b, c in zip(start, via, end, strict=True))


def _scan() -> Image.Image:
    """A typed page with a bar chart in a hairline frame, scanned at 150 dpi, with a reviewer's red pen marks: an
    arrowhead left of the chart and a curve under it whose left half the scanner gave back in grey."""
    page = Image.new("RGB", (round(WIDTH * SCALE), round(HEIGHT * SCALE)), (252, 252, 250))
    draw = ImageDraw.Draw(page)
    for top, text in [*BODY_ABOVE, (CHART.top - 16, CAPTION), *BODY_BELOW]:  # typed words, as the layer sets them
        left = 120.0
        for word in text.split():
            width = stringWidth(word, "Helvetica", 10)
            draw.rectangle(_px(left, top + 2, left + width, top + 9), fill=(20, 20, 20))
            left += width + stringWidth(" ", "Helvetica", 10)
    # a hairline: one pixel of the scan, inside one point's pixel once the page is seen at one pixel per point
    draw.rectangle([math.ceil(v * SCALE) for v in (CHART.x0, CHART.top, CHART.x1, CHART.bottom)], outline=(90, 90, 90))
    axis = CHART.bottom - 20  # the plot well inside the frame: the frame makes the box
    draw.line(_px(CHART.x0 + 25, CHART.top + 15, CHART.x0 + 25, axis, CHART.x1 - 25, axis), fill=(40, 40, 40), width=3)
    for k, height in enumerate((30, 60, 55, 110)):
        left = CHART.x0 + 40 + 55 * k
        draw.rectangle(_px(left, CHART.bottom - 20 - height, left + 30, CHART.bottom - 20), fill=(150, 150, 150))
    red = (200, 30, 40)
    draw.line(_px(80, 470, 110, 482, 80, 494, 80, 470), fill=red, width=round(2 * SCALE))  # the arrowhead
    curve = [_bend((110, 500), (150, 575), (440, 536), k / 100) for k in range(101)]  # a freehand curve
    draw.line(_px(*(v for point in curve[:60] for v in point)), fill=(200, 200, 200), width=1)  # its faded tail
    draw.line(_px(*(v for point in curve[59:] for v in point)), fill=red, width=round(1.5 * SCALE))
    return page


def _scanned_report(path: Path) -> None:
    """One page: the scan covering it, under an invisible text layer (an OCR'd copy's)."""
    pdf = Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pdf.drawImage(ImageReader(_scan()), 0, 0, WIDTH, HEIGHT)
    text = pdf.beginText()
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 10)
    for top, line in [*BODY_ABOVE, (CHART.top - 16, CAPTION), *BODY_BELOW]:
        text.setTextOrigin(120, HEIGHT - top - 9)
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()


def test_a_reviewers_pen_marks_beside_a_scanned_chart_stay_out_of_its_box(tmp_path):
    """Held-out 8's Vanuatu draft, Figure 2: a red arrow and a curve running under the chart, its tail grey, made
    the chart's box reach 75 pt left of it and 20 pt under it."""
    _scanned_report(tmp_path / "report.pdf")
    summary = run_extract([tmp_path / "report.pdf"], tmp_path / "ds", ExtractConfig(dpi=72, ocr=OcrMode.never))
    assert summary.errors == 0, summary.error_lines
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [row["caption"] for row in rows] == [CAPTION]
    found = Box(*rows[0]["bbox"])
    assert abs(found.x0 - CHART.x0) <= 2 and abs(found.bottom - CHART.bottom) <= 2, found
    assert found.iou(CHART) >= 0.95, found

"""Figure, chart and table floats: each draws itself and reports its own ground truth from its drawing coordinates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from mmskin_build.sample.layout import CAPTION, CAPTION_GAP, Float, Page, Rect, Style, TextBlock

SIDE_CAPTION_GAP = 14.0
PANEL_LETTER_FONT, PANEL_LETTER_SIZE = "Helvetica-Bold", 11.0


@dataclass(frozen=True)
class Label:
    prefix: str  # as printed: "Figure", "Fig.", "FIGURE", "Plate", "Table"
    name: str  # the number as printed: "2.1", "2-3", "4a"

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


@dataclass(frozen=True)
class Panel:
    """A sub-image: its box as fractions (x0, y0, x1, y1) of the figure area, top-left origin."""

    box: tuple[float, float, float, float]
    letter: str | None
    subcaption: str | None
    modality: str


@dataclass(frozen=True)
class Raster:
    """An image XObject drawn into the fraction `box` (x0, y0, x1, y1, top-left origin) of the figure area."""

    image: ImageReader
    box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)


def _abs_rect(x: float, top: float, width: float, height: float, frac: Sequence[float]) -> Rect:
    """Fractional top-left-origin box inside the area at (x, top) -> reportlab (x0, y0, x1, y1)."""
    fx0, fy0, fx1, fy1 = frac
    return (x + fx0 * width, top - fy1 * height, x + fx1 * width, top - fy0 * height)


def caption_text(label: Label | None, caption: str | None, title: str | None = None) -> str | None:
    if caption is None:
        return None
    text = " ".join(f"{title or ''} {caption}".split())  # lines joined by spaces (a caption may break its lines)
    return f"{label} {text}" if label else text


def _truth(
    label: Label | None,
    figure_rect: Rect,
    caption_rect: Rect | None,
    caption: str | None,
    kind: str,
    modalities: list[str],
    panels: Sequence[Panel] = (),
    panel_rects: Sequence[Rect] = (),
    figure_type: str = "Figure",
    title: str | None = None,
) -> dict:
    return {
        "type": figure_type,
        "name": label.name if label else None,
        "figure_bbox": Page.box(figure_rect),
        "caption_bbox": Page.box(caption_rect) if caption_rect else None,
        "caption_text": caption_text(label, caption, title),
        "panels": max(1, len(panels)) if figure_type == "Figure" else 0,
        "kind": kind,
        "panel_labels": [p.letter for p in panels if p.letter],
        "label_prefix": label.prefix if label else None,
        "panel_bboxes": [Page.box(r) for r in panel_rects],
        "subcaptions": [p.subcaption for p in panels],
        "modalities": modalities,
    }


def _captioned(
    width: float,
    height: float,
    label: Label | None,
    caption: str | None,
    caption_at: str,
    caption_width: float | None,
    draw_body: Callable[[Canvas, float, float], Rect],
    title: str | None = None,
    caption_style: Style = CAPTION,
) -> tuple[float, float, Callable[[Canvas, float, float], tuple[Rect, Rect | None]]]:
    """Arrange a figure body of width x height with its caption below, above, beside it (right) or left of it.

    Returns the float's size and a draw(canvas, x, top) -> (figure rect, caption rect or None).
    """
    block = None
    if caption:
        block = TextBlock.caption(str(label) if label else None, caption, caption_width or width, title, caption_style)
    # Offsets (right, down) of the figure body and of the caption from the float's top-left corner.
    body_at, caption_at_xy, size = (0.0, 0.0), (0.0, 0.0), (width, height)
    if block and caption_at in ("beside", "left"):
        size = (width + SIDE_CAPTION_GAP + block.width, max(height, block.height))
        if caption_at == "beside":
            caption_at_xy = (width + SIDE_CAPTION_GAP, 0.0)
        else:
            body_at = (block.width + SIDE_CAPTION_GAP, 0.0)
    elif block and caption_at == "above":
        body_at, size = (
            (0.0, block.height + CAPTION_GAP),
            (max(width, block.width), height + CAPTION_GAP + block.height),
        )
    elif block:
        caption_at_xy, size = (
            (0.0, height + CAPTION_GAP),
            (max(width, block.width), height + CAPTION_GAP + block.height),
        )

    def draw(canvas: Canvas, x: float, top: float) -> tuple[Rect, Rect | None]:
        figure_rect = draw_body(canvas, x + body_at[0], top - body_at[1])
        return figure_rect, block.draw(canvas, x + caption_at_xy[0], top - caption_at_xy[1]) if block else None

    return size[0], size[1], draw


def raster_figure(
    rasters: Sequence[Raster],
    width: float,
    height: float,
    *,
    label: Label | None = None,
    caption: str | None = None,
    caption_at: str = "below",
    caption_width: float | None = None,
    kind: str = "photo",
    modality: str = "clinical",
    panels: Sequence[Panel] = (),
    text_letters: bool = False,
    title: str | None = None,
    figure_type: str = "Figure",
    caption_style: Style = CAPTION,
) -> Float:
    """A figure of embedded images (one, several panels, or strips of one picture) with an optional caption.

    `text_letters` draws each panel's letter as page text over the panel's top-left corner; otherwise
    the letters are assumed burned into the pixels (a composite image). `title` sets the caption as a bold
    title line over a description; `figure_type` "Table" is a table printed as a picture; `caption_style` sets
    the caption's type (TIGHT_CAPTION: words without space glyphs).
    """

    def draw_body(canvas: Canvas, x: float, top: float) -> Rect:
        for raster in rasters:
            x0, y0, x1, y1 = _abs_rect(x, top, width, height, raster.box)
            canvas.drawImage(raster.image, x0, y0, x1 - x0, y1 - y0)
        if text_letters:
            canvas.setFillColor(colors.white)
            canvas.setFont(PANEL_LETTER_FONT, PANEL_LETTER_SIZE)
            for panel in panels:
                x0, _, _, y1 = _abs_rect(x, top, width, height, panel.box)
                canvas.drawString(x0 + 4, y1 - 4 - PANEL_LETTER_SIZE * 0.72, panel.letter)
            canvas.setFillColor(colors.black)
        return (x, top - height, x + width, top)

    total_width, total_height, draw = _captioned(
        width, height, label, caption, caption_at, caption_width, draw_body, title, caption_style
    )

    def draw_float(canvas: Canvas, x: float, top: float) -> list[dict]:
        figure_rect, caption_rect = draw(canvas, x, top)
        fx, ftop = figure_rect[0], figure_rect[3]
        panel_rects = [_abs_rect(fx, ftop, width, height, p.box) for p in panels]
        modalities = [p.modality for p in panels] or [modality]
        return [
            _truth(label, figure_rect, caption_rect, caption, kind, modalities, panels, panel_rects, figure_type, title)
        ]

    return Float(total_width, total_height, draw_float)


def bar_chart(
    values: Sequence[float],
    categories: Sequence[str],
    width: float,
    height: float,
    *,
    label: Label,
    caption: str,
    y_title: str,
) -> Float:
    """A vector bar chart (reportlab graphics: bars, axes, tick labels as text) inside a thin frame.

    The frame makes the drawn extent exact: figure_bbox is the frame, and every mark lies inside it.
    """
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 42, 30, width - 56, height - 48
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#4f7fa8")
    drawing.add(chart)
    drawing.add(String(6, height - 12, y_title, fontName="Helvetica", fontSize=7))

    def draw_body(canvas: Canvas, x: float, top: float) -> Rect:
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.grey)
        canvas.rect(x, top - height, width, height)
        canvas.setStrokeColor(colors.black)
        renderPDF.draw(drawing, canvas, x, top - height)
        return (x, top - height, x + width, top)

    total_width, total_height, draw = _captioned(width, height, label, caption, "below", None, draw_body)

    def draw_float(canvas: Canvas, x: float, top: float) -> list[dict]:
        figure_rect, caption_rect = draw(canvas, x, top)
        return [_truth(label, figure_rect, caption_rect, caption, "chart", ["other"])]

    return Float(total_width, total_height, draw_float)


def table(rows: Sequence[Sequence[str]], width: float, *, label: Label, caption: str) -> Float:
    """A ruled table (vector lines and text) with its caption above: a Table, not a Figure."""
    column_width = width / len(rows[0])
    grid = Table([list(r) for r in rows], colWidths=[column_width] * len(rows[0]))
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 7.5),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    _, height = grid.wrap(width, 1000)

    def draw_body(canvas: Canvas, x: float, top: float) -> Rect:
        grid.drawOn(canvas, x, top - height)
        return (x, top - height, x + width, top)

    total_width, total_height, draw = _captioned(width, height, label, caption, "above", None, draw_body)

    def draw_float(canvas: Canvas, x: float, top: float) -> list[dict]:
        figure_rect, caption_rect = draw(canvas, x, top)
        return [_truth(label, figure_rect, caption_rect, caption, "other", [], figure_type="Table")]

    return Float(total_width, total_height, draw_float)


def side_by_side(floats: Sequence[Float], gap: float = 14.0) -> Float:
    """Several floats in one row (e.g. Fig. 4a and Fig. 4b), top-aligned."""
    width = sum(f.width for f in floats) + gap * (len(floats) - 1)

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        truths = []
        for item in floats:
            truths += item.draw(canvas, x, top)
            x += item.width + gap
        return truths

    return Float(width, max(f.height for f in floats), draw)

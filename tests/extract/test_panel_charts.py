"""Panels of charts on generated figures: charts each with axes of their own, drawn as one object or stroke by
stroke, in one picture or framed, pie charts, and charts beside micrographs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import (
    caption_over_prose,
    close_charts_picture,
    confocal_field,
    figures_left_to_right,
    only_figure,
    running_prose,
    titled_line_chart,
    under_a_wide_caption,
)
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic, TextLine
from mmskin_build.extract.panels import PanelBox, find_panels
from mmskin_build.extract.panels.basics import _grey
from mmskin_build.extract.panels.charts import _blank_spans, _charts_apart, plots_on_axes
from mmskin_build.extract.panels.lettered import GUTTER_SEARCH_PX
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample import images
from mmskin_build.store import Dataset


def _pie(x: float, y: float) -> list[Graphic]:
    """A 3-D pie chart drawn stroke by stroke at (x, y): wedges, their sides and a leader line, each touching the
    next (150 x 75 points)."""
    wedges = [Box(x, y, x + 80, y + 60), Box(x + 70, y, x + 150, y + 55), Box(x + 40, y + 45, x + 140, y + 75)]
    sides = [Box(x, y + 50, x + 60, y + 70), Box(x + 130, y + 30, x + 150, y + 60)]
    leader = [Box(x - 30, y + 10, x + 5, y + 12)]
    return [Graphic("path", box, None) for box in wedges + sides + leader]


def test_pie_charts_set_apart_on_one_slide_are_panels():
    """Two pie charts on one slide, drawn stroke by stroke, their titles and labels printed between them (held-out 5
    WPRO 2009 Figure 1: one panel, truth two): each a cluster of touching strokes, alike in size, apart. A chart
    beside its key (strokes of another size), with a stroke of its own apart from both, or a drawing whose parts do
    not touch (a toy's handle beside its body, sides of other lengths: held-out 20 p42) stays one picture; so do
    two pies closer than SET_APART of their size."""
    box = Box(0, 0, 400, 260)
    labels = [TextLine("Distribution of population at risk", Box(200, 30, 380, 42), 9.0, 0)]
    pies = _pie(40, 20) + _pie(220, 170)
    assert len(find_panels(FigureRegion(None, box, pies, labels), None)) == 2
    key = [Graphic("path", Box(300, 200, 340, 210), None)]  # a key's swatch, far smaller than a pie
    assert find_panels(FigureRegion(None, box, _pie(40, 20) + key, labels), None) == []
    tick = [Graphic("path", Box(380, 120, 384, 124), None)]  # a mark apart from both pies
    assert find_panels(FigureRegion(None, box, pies + tick, labels), None) == []
    handle = [Graphic("path", Box(220, 10, 280, 160), None)]  # a toy's handle beside its body: one drawing
    assert find_panels(FigureRegion(None, box, _pie(40, 20) + handle, labels), None) == []
    close = _pie(40, 20) + _pie(223, 20)  # 3 pt apart: the parts of one chart as often
    assert find_panels(FigureRegion(None, box, close, labels), None) == []


def _plots_side_by_side(pdf: Canvas, as_forms: bool, axes_box: bool = True) -> list[Box]:
    """Two line plots side by side over a caption (EACL 2023 Figure 2: each plot an included plot file, a form
    XObject), or the same plots drawn stroke by stroke on the page, their axes a box around the plot or two
    lines. Returns the plots' boxes (top down)."""
    boxes = []
    for k, x in enumerate((60, 250)):
        if as_forms:
            pdf.beginForm(f"plot{k}", 0, 0, 210, 150)
        else:
            pdf.saveState()
            pdf.translate(x, 560)
        if axes_box:
            pdf.rect(20, 20, 185, 125)  # the axes
        else:
            pdf.line(20, 20, 205, 20)
            pdf.line(20, 20, 20, 145)
        pdf.lines(
            [(20 + 9 * i, 30 + (i * (k + 3)) % 100, 29 + 9 * i, 30 + ((i + 1) * (k + 3)) % 100) for i in range(20)]
        )
        pdf.lines([(20 + 20 * i, 20, 20 + 20 * i, 16) for i in range(10)])  # ticks
        if as_forms:
            pdf.endForm()
            pdf.saveState()
            pdf.translate(x, 560)
            pdf.doForm(f"plot{k}")
        pdf.restoreState()
        boxes.append(Box(x + 20, 792 - 705, x + 205, 792 - 576))
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(
        80, 540, "Figure 2. Confidence intervals of correlations between automatic metrics and human scores."
    )
    pdf.drawString(
        80, 529, "In both datasets the fine-grained annotations lead to much narrower intervals than coarse ones."
    )
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 80, 505, 30, per_line=13)
    return boxes


def test_sub_plots_each_drawn_as_one_object_are_panels(tmp_path):
    # EACL 2023 Figures 2-4, 7: rows of 2-3 sub-plots, each an included plot file (one form XObject), came out
    # as one panel. The same plots drawn stroke by stroke (axes, lines, ticks: a chart's own strokes) stay one,
    # unless each plot's axes are a box drawn around it: a frame of its own, as around a handbook's drawings. With
    # open axes, only a wide blank gutter sets them apart (test_charts_drawn_stroke_by_stroke_each_with_axes_of_its
    # _own_are_panels); these are 3 pt apart.
    cases = (("forms", True, True, 2), ("boxed", False, True, 2), ("open", False, False, 0))
    for name, as_forms, axes_box, panels in cases:
        pdf = Canvas(str(tmp_path / f"{name}.pdf"), pagesize=(612, 792))
        plots = _plots_side_by_side(pdf, as_forms, axes_box)
        figure = only_figure(pdf, tmp_path / f"{name}.pdf", tmp_path / name)
        assert len(figure["panels"]) == panels, name
        assert all(Box(*p["bbox"]).iou(plot) >= 0.9 for p, plot in zip(figure["panels"], plots, strict=False)), name


def _charts_in_one_form(pdf: Canvas, count: int) -> list[Box]:
    """`count` framed line charts side by side, all inside one form XObject (one included plot file holding a row
    of sub-plots), over a caption and prose. Returns the charts' boxes."""
    pdf.beginForm("row", 0, 0, 190 * count, 150)
    for k in range(count):
        pdf.saveState()
        pdf.translate(190 * k, 0)
        pdf.rect(20, 20, 165, 125)  # the axes
        pdf.lines(
            [(20 + 8 * i, 30 + (i * (k + 3)) % 100, 28 + 8 * i, 30 + ((i + 1) * (k + 3)) % 100) for i in range(20)]
        )
        pdf.lines([(20 + 20 * i, 20, 20 + 20 * i, 16) for i in range(9)])  # ticks
        pdf.restoreState()
    pdf.endForm()
    pdf.saveState()
    pdf.translate(60, 560)
    pdf.doForm("row")
    pdf.restoreState()
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(80, 540, "Figure 6. Sample-level correlation and dataset-level correlation with different weights.")
    running_prose(pdf, 80, 515, 30, per_line=13)
    return [Box(60 + 190 * k + 20, 792 - 705, 60 + 190 * k + 185, 792 - 576) for k in range(count)]


@pytest.mark.parametrize("count", [1, 2])
def test_charts_side_by_side_in_one_form_are_panels(tmp_path, count):
    # Held-out 39 CoUDA Figure 6 (p. 12): two line charts, unlettered, in one included plot file; the page keeps a
    # form under _OPEN_FORM_AREA whole, so the figure is one graphic, no strokes to search and no pixels asked for:
    # 1 panel, truth 2 (so too few-shot Figure 3, MART Figure 3). Such a figure's charts are now searched in its
    # pixels. One chart in a form stays one.
    pdf = Canvas(str(tmp_path / "form.pdf"), pagesize=(612, 792))
    charts = _charts_in_one_form(pdf, count)
    figure = only_figure(pdf, tmp_path / "form.pdf", tmp_path / "out")
    assert len(figure["panels"]) == (count if count > 1 else 0)
    assert all(Box(*p["bbox"]).iou(chart) >= 0.8 for p, chart in zip(figure["panels"], charts, strict=False))


def _tiles_in_one_form(pdf: Canvas, widths: tuple[int, ...]) -> list[Box]:
    """Tiles of the given widths side by side, 10 pt apart, all inside one form XObject: each a light grey ground
    150 pt tall holding a 3 x 3 heat map of shaded cells (no axes lines), over a caption and prose. Returns the
    tiles' boxes."""
    pdf.beginForm("tiles", 0, 0, sum(widths) + 10 * len(widths), 150)
    x = 0
    for width in widths:
        pdf.setFillGray(0.85)
        pdf.rect(x, 0, width, 150, stroke=0, fill=1)
        for i in range(9):
            pdf.setFillGray(0.2 + 0.08 * i)
            pdf.rect(x + 10 + (width - 20) / 3 * (i % 3), 20 + 35 * (i // 3), (width - 20) / 3, 35, stroke=0, fill=1)
        x += width + 10
    pdf.endForm()
    pdf.saveState()
    pdf.translate(70, 560)
    pdf.doForm("tiles")
    pdf.restoreState()
    pdf.setFillGray(0)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(80, 540, "Figure 7. Predictions generated for each utterance by three models in the graded domain.")
    running_prose(pdf, 80, 515, 30, per_line=13)
    starts = [70 + sum(widths[:k]) + 10 * k for k in range(len(widths))]
    return [Box(x0, 792 - 710, x0 + width, 792 - 560) for x0, width in zip(starts, widths, strict=True)]


@pytest.mark.parametrize(("widths", "panels"), [((110, 110, 110), 3), ((50, 220, 50), 0)])
def test_tiles_alike_side_by_side_in_one_form_are_panels(tmp_path, widths, panels):
    # Held-out 39 Regularized Conventions Figure 7 (p. 12): three heat maps, each on a grey ground of its own, in
    # one included plot file (one graphic); no axes lines, so no charts: 1 panel, truth 3. A drawing kept in one
    # form is now cut at its gutters when the parts are alike in size; parts of unlike sizes (a diagram's boxes)
    # stay one.
    pdf = Canvas(str(tmp_path / "tiles.pdf"), pagesize=(612, 792))
    tiles = _tiles_in_one_form(pdf, widths)
    figure = only_figure(pdf, tmp_path / "tiles.pdf", tmp_path / "out")
    assert len(figure["panels"]) == panels
    assert all(Box(*p["bbox"]).iou(tile) >= 0.8 for p, tile in zip(figure["panels"], tiles, strict=False))


def _stroke_chart(x: float, top: float, axes: bool = True) -> list[Graphic]:
    """A line chart drawn stroke by stroke, 180 x 120 pt at (x, top): an x axis and a y axis that meet (when
    `axes`), ticks under the x axis, and a data line of 20 segments."""
    strokes = [Box(x + 9 * i, top + 10 + 30 * (i % 3), x + 9 * i + 9, top + 40 + 30 * (i % 3)) for i in range(20)]
    strokes += [Box(x + 20 * i, top + 120, x + 20 * i + 0.4, top + 124) for i in range(10)]
    if axes:
        strokes += [Box(x, top + 119.6, x + 180, top + 120), Box(x, top, x + 0.4, top + 120)]
    return [Graphic("path", box, None) for box in strokes]


def test_charts_drawn_stroke_by_stroke_each_with_axes_of_its_own_are_panels():
    # WHO 2013 handbook Figure 13: two line charts of biting hours side by side, each drawn stroke by stroke with
    # axes of its own, set apart by blank space, came out as one panel (a chart's own strokes stayed one by design).
    # Charts one over the other split the same way. One chart with its key set apart beside it (line samples,
    # no axes) stays one, and so do two charts whose strokes no blank gutter parts.
    figure = Box(40, 100, 460, 240)
    pair = FigureRegion(None, figure, _stroke_chart(50, 110) + _stroke_chart(270, 110), [])
    assert [p.box for p in find_panels(pair, None)] == [Box(50, 110, 230.4, 234), Box(270, 110, 450.4, 234)]
    stacked = Box(40, 100, 240, 400)
    over = FigureRegion(None, stacked, _stroke_chart(50, 110) + _stroke_chart(50, 260), [])
    assert [p.box.top for p in find_panels(over, None)] == [110, 260]
    key = [Graphic("path", Box(300, 120 + 14 * i, 320, 120.4 + 14 * i), None) for i in range(3)]
    assert find_panels(FigureRegion(None, figure, _stroke_chart(50, 110) + key, []), None) == []
    unruled = _stroke_chart(50, 110) + _stroke_chart(270, 110, axes=False)
    assert find_panels(FigureRegion(None, figure, unruled, []), None) == []
    close = FigureRegion(None, figure, _stroke_chart(50, 110) + _stroke_chart(232, 110), [])
    assert find_panels(close, None) == []


def test_lettered_charts_drawn_stroke_by_stroke_are_cut_one_letter_each():
    # Held-out 11 Hindawi Figures 1-4 (never tuned on): two vector charts side by side over a third, "(a)"-"(c)"
    # printed under each, the first chart's legend between it and its letter. Not a grid of three, so the lettered
    # grid search found nothing: one panel. Cut at blank gutters until each part holds one letter, the legend and
    # the letter go with the chart above them. A chart with both letters printed inside it, and two charts whose
    # strokes no blank gutter parts, stay one.
    figure = Box(40, 100, 460, 460)
    legend = [TextLine("Control", Box(60, 240, 110, 247), 7.0, 0), TextLine("Treated", Box(60, 250, 110, 257), 7.0, 8)]
    letters = [
        TextLine("(a)", Box(135, 265, 143, 272), 7.0, 20),
        TextLine("(b)", Box(355, 265, 363, 272), 7.0, 24),
        TextLine("(c)", Box(245, 435, 253, 442), 7.0, 28),
    ]
    charts = _stroke_chart(50, 110) + _stroke_chart(270, 110) + _stroke_chart(160, 290)
    region = FigureRegion(None, figure, charts, legend + letters)
    panels = [p.box for p in find_panels(region, None, 3)]
    assert panels == [Box(50, 110, 230.4, 272), Box(270, 110, 450.4, 272), Box(160, 290, 340.4, 442)]
    inside = [TextLine("(a)", Box(60, 120, 68, 127), 7.0, 0), TextLine("(b)", Box(150, 120, 158, 127), 7.0, 4)]
    assert find_panels(FigureRegion(None, figure, _stroke_chart(50, 110), inside), None, 2) == []
    crossed = _stroke_chart(50, 110) + _stroke_chart(270, 110) + [Graphic("path", Box(200, 150, 300, 151), None)]
    assert find_panels(FigureRegion(None, figure, crossed, letters[:2]), None, 2) == []


def test_charts_each_with_axes_of_their_own_are_as_many_panels_as_the_caption_names():
    # Held-out 10 Lancet moxidectin Figure 2 (never tuned on): charts A and B side by side, drawn, the letters
    # outlined (none in the text layer), the caption naming "(A)" and "(B)". The chart search asked only unlettered
    # figures, the lettered grid search found no cut: one panel. Charts as many as the caption's letters are the
    # panels; as many charts as letters or nothing (three letters for two charts leave it to the other searches).
    figure = Box(40, 100, 460, 240)
    pair = FigureRegion(None, figure, _stroke_chart(50, 110) + _stroke_chart(270, 110), [])
    assert [p.box for p in find_panels(pair, None, 2)] == [Box(50, 110, 230.4, 234), Box(270, 110, 450.4, 234)]
    assert find_panels(pair, None, 3) == []


def _charts_picture(lower: str) -> Image.Image:
    """One embedded picture, 400x560: a line chart (a y axis and an x axis meeting, ticks, a zigzag data line) in the
    top 250 pixels and, under a white band, `lower`: "chart" (a second chart), "key" (six rows of line samples and
    their labels, no axes) or "block" (a filled dark shape, no drawn line)."""
    picture = Image.new("RGB", (400, 560), "white")
    draw = ImageDraw.Draw(picture)

    def chart(top: int) -> None:
        draw.line([(40, top), (40, top + 220), (380, top + 220)], fill="black", width=2)
        draw.line([(40 + 17 * i, top + 40 + 60 * (i % 3)) for i in range(21)], fill=(200, 40, 40), width=2)
        for i in range(10):
            draw.line([(40 + 34 * i, top + 220), (40 + 34 * i, top + 226)], fill="black")

    chart(10)
    if lower == "chart":
        chart(310)
    elif lower == "key":
        for row in range(6):
            draw.line([(60, 320 + 38 * row), (110, 320 + 38 * row)], fill=(40, 40, 200), width=2)
            draw.rectangle([130, 314 + 38 * row, 300, 326 + 38 * row], fill=(90, 90, 90))
    else:
        draw.ellipse([60, 300, 360, 540], fill=(30, 30, 30))
    return picture


def test_charts_in_one_picture_each_with_axes_of_its_own_are_panels(shared_pdfs, tmp_path):
    # The HLH case report (Medicine 2017) Figure 2: two charts one over the other in one embedded picture, set
    # apart by a white band, came out as one panel (the truth counts one panel per sub-plot). A chart over its key,
    # or over a filled shape, has one part without axes: one panel.
    box = Box(0, 0, 200, 280)
    for lower, count in (("chart", 2), ("key", 0), ("block", 0)):
        region = FigureRegion(None, box, [Graphic("image", box, None)], [])
        assert len(find_panels(region, _charts_picture(lower))) == count, lower
    pdf = shared_pdfs / "meddiag_Dengue_associated_hemophagocyticlymphohistiocytosis_in_an_adult.pdf"
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    (chart,) = [row for row in rows if row["label"] == "2"]
    upper, lower_chart = (Box(*panel["bbox"]) for panel in chart["panels"])
    assert upper.bottom <= lower_chart.top and min(upper.height, lower_chart.height) > 100


def test_charts_a_few_pixels_apart_in_one_picture_are_panels():
    # Held-out 11 BMC Biology Figure 4 (two histograms, bars standing on the x axis all along it) and held-out 10
    # Virulence Figure 1 (three charts in a row, drawn, lettered by the caption), never tuned on: the charts stand
    # 1-4 pixels apart, under the 1% gutter the chart search asked, and the bars (or dots lying on the axis) make
    # the x axis a thick band, which was taken for a filled shape: one panel. Any blank line parts charts when
    # every part is a chart, and an axis may be thick when the axis it meets is thin. A chart beside its key stays
    # one, however close.
    box = Box(0, 0, 300, 120)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    three = find_panels(region, close_charts_picture(["line", "histogram", "dots"]))
    assert [round(p.box.x0) for p in three] == [5, 105, 206]  # each from its tick labels
    assert len(find_panels(region, close_charts_picture(["histogram", "histogram"], gutter=1))) == 2
    assert find_panels(region, close_charts_picture(["line", "key"])) == []
    drawn = FigureRegion(None, box, [Graphic("path", box, None)], [])
    assert len(find_panels(drawn, close_charts_picture(["line", "dots", "line"]), caption_letters=3)) == 3


def test_charts_whose_gutters_hold_their_letters_or_a_frame_are_panels_and_boxed_labels_are_not():
    # Held-out 10 Virulence Figure 2 (three charts in a row, the letters "b" and "c" printed at the head of the
    # gutters before their charts) and held-out 11 BMC Figure 1 (nine charts in three framed groups, the frames'
    # sides crossing every line of a group), never tuned on: no line between the charts was blank, one panel. Ink
    # near the ends of a line does not close a gutter. A chart's axis carries ticks or tick labels along its outer
    # side; a box drawn around a label carries none, so labelled boxes set close together are no charts.
    box = Box(0, 0, 300, 120)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    lettered = close_charts_picture(["line", "histogram", "dots"], gutter=6, letters=True)
    assert len(find_panels(region, lettered)) == 3
    framed = close_charts_picture(["line", "dots"], gutter=6)
    ImageDraw.Draw(framed).rectangle([0, 0, framed.width - 1, framed.height - 1], outline="black", width=2)
    assert len(find_panels(region, framed)) == 2
    assert find_panels(region, close_charts_picture(["box", "box", "box"], gutter=6)) == []
    # A chart's own axis near the end of the lines counts (only a frame drawn around the whole does not): a blank band
    # across its plot is no gutter.
    axis_near_the_edge = np.zeros((240, 200), dtype=bool)
    axis_near_the_edge[5:215, 9:11] = True  # two pixels thick
    axis_near_the_edge[[20, 214], 12:190] = True
    axis_near_the_edge[60:80, 12:190] = axis_near_the_edge[170:200, 12:190] = True
    assert _blank_spans(axis_near_the_edge) == []


def test_a_tall_bar_at_the_end_of_a_bar_chart_s_row_closes_the_blank_band_it_crosses():
    """EssOilDB f95a8cb800 p. 23: a bar chart of plant families, every bar short but the last ("Others", 48%), set at
    the right end of the picture. The band over the short bars is blank but for that bar and the axis labels at the
    left end, and ink within `_GUTTER_ENDS` of a line's ends is not counted (a panel letter at the head of a gutter):
    the chart was cut into two strips. Ink at an end that runs on past the band both ways crosses it."""
    chart = np.zeros((167, 243), dtype=bool)
    chart[0, 17:230] = True  # the plot area's top edge
    for top, bottom in (
        (28, 31),
        (43, 45),
        (59, 61),
        (88, 91),
        (96, 97),
    ):  # the value axis's ticks (its line at the end)
        chart[top:bottom, 18:20] = True
    chart[28:112, 16] = True
    chart[67:72, 221:226] = True  # the tall bar's value label, its left half in the counted middle
    for k in range(18):  # short bars, the category axis, the category labels
        chart[100:112, 24 + 11 * k : 30 + 11 * k] = True
        chart[113:165, 24 + 11 * k : 27 + 11 * k] = True
    chart[112, 16:236] = True
    chart[28:111, 226:235] = True  # the tall bar at the right end, under half the picture's height: no axis
    assert _blank_spans(chart) == []
    letter_over_a_gutter = np.zeros((167, 243), dtype=bool)
    letter_over_a_gutter[5:75, 20:230] = letter_over_a_gutter[85:160, 20:230] = True  # two plots, one over the other
    letter_over_a_gutter[72:88, 2:12] = True  # a letter at the head of the gutter, a letter's height tall
    assert _blank_spans(letter_over_a_gutter) == [(5, 75), (85, 160)]


def test_charts_with_light_grid_lines_are_cut_between_them_not_along_the_grid(shared_pdfs, tmp_path):
    # ICML 2013 georgiev13 Figure 2: two line charts side by side in one picture, no axis lines, light grid lines
    # (lighter than ink): blank lines run along the grid through both charts. Cut at any blank line, each chart fell
    # into bands, each band holding a stretch of the axis labels and a data line, and two bands of different charts
    # came out as the panels. A band is a strip, no chart: the panels are the two charts, full height.
    run_extract([shared_pdfs / "icml13_4_georgiev13.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    (chart,) = [row for row in rows if row["page"] == 6 and row["label"] == "2"]
    left, right = (Box(*panel["bbox"]) for panel in chart["panels"])
    assert left.x1 <= right.x0 and min(left.height, right.height) >= 0.9 * Box(*chart["bbox"]).height


def test_a_grid_of_charts_is_its_panels_when_the_caption_names_fewer_letters():
    # Held-out 10 Lancet moxidectin Figure 3 (never tuned on): two rows of four scatter plots, drawn, the caption
    # naming "(A–D)" and "(E–G)" (seven letters for eight charts, a range misprinted), the letters outlined. The charts
    # were asked for only as many as the letters: one panel. Letters name rows or ranges of a grid as well: rows of
    # as many charts each, two rows or more, are the panels. More charts than letters in one row stay with the other
    # searches (a bar chart's groups look like charts of their own).
    row = close_charts_picture(["line", "dots", "line", "dots"])
    grid = Image.new("RGB", (row.width, 2 * row.height + 10), "white")
    grid.paste(row, (0, 0))
    grid.paste(row, (0, row.height + 10))
    box = Box(0, 0, 400, 2 * 120 + 5)
    drawn = FigureRegion(None, box, [Graphic("path", box, None)], [])
    assert len(find_panels(drawn, grid, caption_letters=7)) == 8
    assert len(find_panels(drawn, grid, caption_letters=2)) == 8  # "(a)" and "(b)" naming the rows
    one_row = FigureRegion(None, Box(0, 0, 400, 120), [Graphic("path", Box(0, 0, 400, 120), None)], [])
    assert len(find_panels(one_row, row, caption_letters=3)) == 3  # the lettered grid search's cells, not 4 charts


def test_a_lettered_pictures_charts_in_ruled_frames_are_its_panels():
    # Held-out 10 Scientific Reports Figure 3: one picture, two rows of four line charts in a ruled frame, a rule
    # between the rows, each row's letter ("a)", "b)": two for eight charts) at the rule, the axis titles close over
    # it. No gutter crosses the picture and no grid of two cells is cut, so it was one panel: the chart search was
    # not asked for a lettered picture. Asked when nothing else cut one, it finds the eight charts, rows of four that
    # the letters name.
    framed = _framed_chart_rows(rule_px=1)
    box = Box(0, 0, framed.width / 2, framed.height / 2)
    panels = find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), framed, caption_letters=2)
    assert len(panels) == 8
    assert all(panel.box.width < 0.3 * box.width and panel.box.height < 0.55 * box.height for panel in panels)


@pytest.mark.parametrize("rule_px", [1, 2])
def test_charts_in_a_frame_drawn_two_pixels_wide_are_cut_in_the_row_under_its_shared_rule(rule_px):
    # The rows of a framed grid of charts share the rule between them: the row under it, cut from the picture, keeps
    # its frame's sides and its bottom rule only. The frame's rules were left out of the gutter search only where
    # the part had one at both ends, so a bottom rule 2 px thick filled every column of that row: no gutter, and
    # the lower four charts came out as one part.
    grey = _grey(_framed_chart_rows(rule_px), GUTTER_SEARCH_PX)
    charts = _charts_apart(grey)
    assert len(charts) == 8
    assert all(x1 - x0 < 0.3 * grey.shape[1] and y1 - y0 < 0.55 * grey.shape[0] for x0, y0, x1, y1 in charts)


def _framed_chart_rows(rule_px: int) -> Image.Image:
    """Two rows of four line charts and scatter plots, each row's letter (a dark block) in its top left corner and
    axis titles under it, in a frame drawn `rule_px` pixels wide with a rule as wide between the rows."""
    row = close_charts_picture(["line", "dots", "line", "dots"], gutter=12).crop((0, 8, 836, 214))
    framed = Image.new("RGB", (row.width + 30, 2 * (row.height + 30) + 4), "white")
    draw = ImageDraw.Draw(framed)
    for k in range(2):
        top = 2 + k * (row.height + 30)
        framed.paste(row, (20, top + 10))
        draw.rectangle([4, top, 16, top + 12], fill="black")  # the row's letter
        for column in range(4):  # axis titles
            x = 80 + 212 * column
            draw.rectangle([x, top + row.height + 12, x + 100, top + row.height + 26], fill=(60, 60, 60))
    draw.rectangle([0, 0, framed.width - 1, framed.height - 1], outline="black", width=rule_px)
    draw.line([(0, row.height + 32), (framed.width, row.height + 32)], fill="black", width=rule_px)
    return framed


def test_micrographs_over_the_charts_that_measure_them_are_panels():
    # Held-out 10 Virulence Figures 5 and 8: one raster of confocal micrographs, two rows of four (letters a-d with
    # roman sub-indices, i over ii), over a row of three bar charts e-g; the caption names seven letters for eleven
    # parts. Nothing cut it: the gutter search's parts are not all photographs, the chart search's not all charts,
    # and no even grid of seven cells fits. Cut at blank lines into photographs and charts, both among them, as
    # many parts as letters at least: eleven panels. A photograph alone holds no chart, so it is never cut so.
    rng = np.random.default_rng(4)
    charts = close_charts_picture(["histogram", "histogram", "histogram"], gutter=20)
    plate = Image.new("RGB", (charts.width, 2 * 156 + charts.height + 10), "white")
    for row in range(2):
        for column in range(4):
            plate.paste(confocal_field(rng), (column * 160 + 4, row * 156))
    plate.paste(charts, (0, 2 * 156 + 10))
    box = Box(0, 0, plate.width / 2, plate.height / 2)
    panels = find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), plate, caption_letters=7)
    assert len(panels) == 11
    assert all(panel.box.width < 0.35 * box.width and panel.box.height < 0.6 * box.height for panel in panels)
    single = confocal_field(rng, 300)
    field = Box(0, 0, 150, 150)
    assert find_panels(FigureRegion(None, field, [Graphic("image", field, None)], []), single, caption_letters=7) == []


def test_charts_between_rows_of_micrographs_that_the_gutter_search_left_out_are_panels():
    # Held-out 10 Virulence Figure 4: rows of confocal micrographs with a band of bar charts between them, lettered
    # in the caption. A chart's rows are mostly paper (its axis and line cross a few pixels of each), so they read as
    # gutters: the band falls apart into slivers narrower than a panel and the gutter search returns the
    # micrographs alone (12 of 15). The ink left out of its parts, cut at blank lines, is three charts: panels too.
    # Unlettered, or when what is left out is no chart (a key), the micrographs alone stay the panels.
    def plate(kinds: list[str]) -> Image.Image:
        rng = np.random.default_rng(4)
        charts = close_charts_picture(kinds, gutter=20)
        picture = Image.new("RGB", (4 * 160, 3 * 156 + charts.height + 10), "white")
        for row in range(3):
            for column in range(4):
                below = charts.height + 10 if row == 2 else 0
                picture.paste(confocal_field(rng), (column * 160 + 4, row * 156 + below))
        picture.paste(charts, (0, 2 * 156 + 4))
        return picture

    def panels(picture: Image.Image, letters: int) -> list[PanelBox]:
        box = Box(0, 0, picture.width / 2, picture.height / 2)
        return find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), picture, caption_letters=letters)

    found = panels(plate(["line", "line", "line"]), 7)
    assert len(found) == 15
    charts = [panel.box for panel in found if 160 < panel.box.top < 270]
    assert len(charts) == 3 and all(90 <= box.width <= 105 for box in charts)
    assert len(panels(plate(["line", "line", "line"]), 0)) == 12
    assert len(panels(plate(["key", "key", "key"]), 7)) == 12


def _lettered_charts(pdf: Canvas) -> list[Box]:
    """A 2 x 2 grid of scatter plots drawn stroke by stroke, each under its letter "(a)"-"(d)" and a title, 8 pt
    of white paper between them (R Soc Open Sci 2015 Figure 4); the caption names the four letters. Returns the
    plots' boxes, in reading order."""
    rng = np.random.default_rng(8)
    boxes = []
    pdf.setFont("Times-Roman", 8)
    for row, col in ((0, 0), (0, 1), (1, 0), (1, 1)):
        x, top = 70 + 208 * col, 80 + 175 * row
        pdf.drawString(x - 10, 792 - top, f"({'abcd'[2 * row + col]})")
        pdf.drawString(x + 60, 792 - top, "relative concentration")
        pdf.rect(x, 792 - top - 160, 190, 150)
        for px, py in rng.random((30, 2)):
            pdf.circle(x + 5 + 180 * px, 792 - top - 155 + 140 * py, 1.5, fill=1)
        boxes.append(Box(x - 10, top - 7, x + 190, top + 160))
    caption_over_prose(
        pdf, (56, 792 - 450, "Figure 4. Changes with time. (a,b) Two trends. (c) An absence. (d) A fall and a rise.")
    )
    running_prose(pdf, 56, 792 - 480, 20, per_line=19)
    return boxes


def test_a_lettered_grid_of_charts_drawn_stroke_by_stroke_is_cut_into_its_panels(tmp_path):
    # A drawn figure had no pixels to cut: a grid of four charts lettered (a)-(d) in the figure and in the caption
    # came out as one panel. Drawn figures are now rendered for the panel search when two or more letters name parts.
    plots = _lettered_charts(pdf := Canvas(str(tmp_path / "charts.pdf"), pagesize=(612, 792)))
    figure = only_figure(pdf, tmp_path / "charts.pdf", tmp_path)
    assert [p["letter"] for p in figure["panels"]] == list("abcd")
    assert all(Box(*p["bbox"]).iou(plot) >= 0.75 for p, plot in zip(figure["panels"], plots, strict=True))


def test_charts_titled_with_their_letters_are_the_figures_lettered_panels(tmp_path):
    # The WER's Fig. 4 (held-out 21): each chart of the grid under a bold title that opens with its letter ("a.
    # Burkina Faso", "b. The Comoros"), the caption naming no panels. Only a letter alone or "(a) ..." marked a
    # panel: the drawn figure stayed one panel.
    pdf = under_a_wide_caption(
        tmp_path / "titled.pdf",
        "Fig. 4 Impact of mass drug administration (MDA) for lymphatic filariasis at sentinel sites in",
        "countries that had completed 5-6 rounds and for which data at baseline were available, 2000-2008",
    )
    for letter, name, x0, top in (
        ("a", "Burkina Faso", 72, 100),
        ("b", "Ghana", 72, 230),
        ("c", "India - Inde", 322, 100),
    ):
        titled_line_chart(pdf, x0, top, 180, f"{letter}. {name}")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 792 - 400, 12)
    pdf.save()
    (figure,) = figures_left_to_right(tmp_path / "titled.pdf")
    panels = sorted((panel["letter"], panel["subcaption"]) for panel in figure["panels"])
    assert panels == [("a", "Burkina Faso"), ("b", "Ghana"), ("c", "India - Inde")], figure["panels"]


def test_a_vector_chart_under_separate_photograph_rasters_is_a_panel():
    # Held-out 32 Hindawi Figure 1: four micrographs (separate rasters) a-d over a bar chart e drawn in vector, the
    # caption naming five letters: the rasters alone came out, four panels. The ink outside the box round them all,
    # a chart, is the fifth. Unlettered, the rasters alone stay the panels.
    rng = np.random.default_rng(6)
    sheet = Image.new("RGB", (600, 800), "white")
    rasters = []
    for k in range(4):
        x, y = 10 + 300 * (k % 2), 10 + 220 * (k // 2)
        sheet.paste(images.skin_photo(rng, 280, 200), (x, y))
        rasters.append(Graphic("image", Box(x / 2, y / 2, (x + 280) / 2, (y + 200) / 2), None))
    sheet.paste(close_charts_picture(["histogram"]), (200, 500))
    figure = Box(0, 0, 300, 400)  # two pixels a point
    region = FigureRegion(None, figure, rasters, [])
    found = find_panels(region, sheet, caption_letters=5)
    assert len(found) == 5
    assert found[-1].box.top >= 240 and found[-1].box.x0 >= 95
    assert len(find_panels(region, sheet, caption_letters=0)) == 4


def _plots_on_offset_axes(pdf: Canvas, offset: float) -> list[Box]:
    """A 2 x 3 grid of line plots drawn in vector as plotting programs set them with their axes moved outward
    (seaborn's despine): each x axis `offset` pt under its y axis's foot and starting `offset` pt right of it; ticks
    on every axis, tick labels only along the left column and the bottom row, a y-axis title on end beside both rows,
    a letter by each y axis's head that reaches up to the ticks of the row over it (no blank line parts the rows),
    the columns 15 pt apart, curves lying flat on the data's zero (the y axis's foot) before they rise (PNAS 2020
    Figure 1). The caption names the six letters. Returns the plots' boxes (letter to tick labels), in reading
    order."""
    boxes, pitch = [], 69 + offset
    for row, column in ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)):
        x, top = 90 + 150 * column, 90 + pitch * row
        left, head, zero, right = x + 18, top + 10, top + 72, x + 135
        foot = zero + offset
        pdf.setFont("Helvetica", 9)
        pdf.drawString(x, 792 - top - 11.5, "ABCDEF"[3 * row + column])
        pdf.line(left, 792 - head, left, 792 - zero)
        pdf.line(left + offset, 792 - foot, right, 792 - foot)
        pdf.setFont("Helvetica", 6)
        for k in range(4):
            pdf.line(left - 3, 792 - zero + 20 * k, left, 792 - zero + 20 * k)
            if column == 0:
                pdf.drawRightString(left - 5, 792 - zero + 20 * k - 2, str(200 * k))
        for k in range(6):
            pdf.line(left + offset + 22 * k, 792 - foot, left + offset + 22 * k, 792 - foot - 3)
            if row == 1:
                pdf.drawCentredString(left + offset + 22 * k, 792 - foot - 10, str(50 * k))
        for lift in (0, 12, 25):
            curve = pdf.beginPath()
            curve.moveTo(left + 2, 792 - zero)
            curve.lineTo(left + 50, 792 - zero)
            curve.curveTo(left + 70, 792 - zero, left + 70, 792 - zero + 30 + lift, right - 10, 792 - zero + 30 + lift)
            pdf.drawPath(curve, stroke=1, fill=0)
        boxes.append(Box(x, top + 5, right, foot + (10 if row else 3)))
    pdf.setFont("Helvetica", 7)
    pdf.drawCentredString(90 + 150 + 76, 792 - 90 - pitch - 98, "Day")
    pdf.saveState()
    pdf.translate(84, 792 - 90 - pitch)
    pdf.rotate(90)
    pdf.drawCentredString(0, 0, "Daily new cases (thousands)")
    pdf.restoreState()
    caption_over_prose(
        pdf,
        (
            72,
            792 - 2 * pitch - 125,
            "Figure 1. Simulated epidemics. (A) None. (B) School. (C) Work. (D) All. (E) Half. (F) Late.",
        ),
    )
    running_prose(pdf, 72, 792 - 2 * pitch - 155, 20, per_line=14)
    return boxes


@pytest.mark.parametrize("offset", [4, 8])
def test_plots_whose_curves_lie_on_the_zero_over_axes_moved_outward_are_one_panel_each(tmp_path, offset):
    # Held-out 36 PNAS Figure 1: a 3 x 3 grid of plots drawn in vector, each x axis set a few points under its y
    # axis's foot and right of it (axes moved outward), tick labels shared along the grid's edges, no blank line
    # between the rows: one panel. The curves lying flat on the data's zero met the y axis's foot as a second x
    # axis; where the true one met it too (4 pt apart), two plots overlapped and none was kept. The level lines at
    # one y axis's foot are one plot's.
    plots = _plots_on_offset_axes(pdf := Canvas(str(tmp_path / "plots.pdf"), pagesize=(612, 792)), offset)
    figure = only_figure(pdf, tmp_path / "plots.pdf", tmp_path)
    assert len(figure["panels"]) == 6
    for panel, plot in zip(figure["panels"], plots, strict=True):  # each plot whole, nothing of its neighbours
        box = Box(*panel["bbox"])
        assert box.contains(plot, tolerance=3) and box.width < plot.width + 20 and box.height < plot.height + 25


def _stacked_plots_on_offset_axes(offset: int) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """Three line plots stacked in one picture (a point a pixel), each y axis ending `offset` px over its x axis, which
    starts `offset` px right of it; ticks and tick labels on both axes, an x-axis title under each plot and the next
    plot's letter under that title, the curves clear of the data's zero (PNAS 2020 Figure 2). Returns the picture
    and each plot's box (letter to x-axis title)."""
    sheet = Image.new("L", (250, 330), 255)
    draw = ImageDraw.Draw(sheet)
    boxes = []
    for top in (2, 110, 218):
        left, head, zero, right = 40, top + 10, top + 70, 240
        draw.rectangle([2, top, 9, top + 9], fill=0)  # the letter
        draw.line([(left, head), (left, zero)], fill=0)
        draw.line([(left + offset, zero + offset), (right, zero + offset)], fill=0)
        for k in range(6):
            draw.line([(left - 3, zero - 12 * k), (left, zero - 12 * k)], fill=0)
            draw.rectangle([left - 16, zero - 12 * k - 2, left - 6, zero - 12 * k + 2], fill=90)  # its label
            tick = left + offset + 38 * k
            draw.line([(tick, zero + offset), (tick, zero + offset + 3)], fill=0)
            draw.rectangle([tick - 6, zero + offset + 6, tick + 6, zero + offset + 10], fill=90)
        draw.rectangle([100, zero + offset + 14, 190, zero + offset + 19], fill=90)  # the axis title
        for k in range(3):
            draw.line([(left + 30 + 20 * k, head + 4), (right - 10, zero - 8 - 6 * k)], fill=40, width=2)
        boxes.append((2, top, right, zero + offset + 19))
    return sheet, boxes


def test_stacked_plots_whose_axes_are_moved_outward_from_their_corner_are_one_panel_each():
    # Held-out 36 PNAS Figures 2 and 3: plots stacked in vector, each x axis 4-5 pt under its y axis's foot and right
    # of it (axes moved outward); at 72 dpi no axes met within a few pixels: one panel. An x axis may lie under the
    # y axis's foot and right of it by a few points (_SPINE_OFFSET_PT).
    sheet, plots = _stacked_plots_on_offset_axes(6)
    grey = np.asarray(sheet, dtype=np.int16)
    found = plots_on_axes(grey, Box(0, 0, 250, 330))
    assert len(found) == 3
    for box, (x0, y0, x1, y1) in zip(found, plots, strict=True):
        assert box.contains(Box(x0, y0, x1, y1), tolerance=2) and box.height < y1 - y0 + 10


def _framed_plot(draw: ImageDraw.ImageDraw, x: int, y: int, subcaption: str) -> None:
    """A line plot in a frame as MATLAB draws it, its frame's top left at (x, y), 340 x 200 px: ticks inside the
    frame, tick labels left of it and under it, a key in its top left corner, the x-axis title under the labels and
    the sub-caption "(a) ..." under that."""
    font = ImageFont.load_default(size=14)
    right, foot = x + 340, y + 200
    draw.rectangle([x, y, right, foot], outline=0, width=2)
    for k in range(6):
        tick = x + 68 * k
        draw.line([(tick, foot), (tick, foot - 6)], fill=0, width=2)
        draw.text((tick - 4, foot + 6), str(2 * k), fill=0, font=font)
        draw.line([(x, foot - 40 * k), (x + 6, foot - 40 * k)], fill=0, width=2)
        draw.text((x - 34, foot - 40 * k - 8), f"0.{k}", fill=0, font=font)
    draw.rectangle([x + 6, y + 6, x + 86, y + 60], outline=0, width=1)
    for k in range(3):
        draw.line([(x + 12, y + 16 + 15 * k), (x + 32, y + 16 + 15 * k)], fill=60 * k, width=2)
        draw.text((x + 38, y + 9 + 15 * k), f"{k + 1} day", fill=0, font=font)
        draw.line([(x + 10, foot - 20 - 10 * k), (right - 10, y + 40 + 30 * k)], fill=60 * k, width=2)
    draw.text((x + 110, foot + 26), "predicted days ahead", fill=0, font=font)
    draw.text((x + 130, foot + 60), subcaption, fill=0, font=ImageFont.load_default(size=20))


def test_a_plot_alone_in_the_middle_of_the_row_under_two_plots_is_a_panel():
    # Held-out 36 Int J Forecast Figures G.7 and G.8: three framed plots in one raster, two in a row over one set alone
    # in the middle of the next row, "(a) ..." printed under each: one panel. The rows part at a blank line and the
    # top row's plots at a blank column, but the lower row, as wide as the picture, was measured whole: its plot's
    # frame runs along less than half of it, so it was no chart and the cut was not made. A part is measured on its ink.
    sheet = Image.new("L", (900, 640), 255)
    draw = ImageDraw.Draw(sheet)
    for x, y, subcaption in ((60, 10, "(a) 18 March"), (520, 10, "(b) April 5"), (290, 330, "(c) April 23")):
        _framed_plot(draw, x, y, subcaption)
    figure = Box(0, 0, 450, 320)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet.convert("RGB"), caption_letters=3)
    assert len(panels) == 3
    for panel, (x, y) in zip(panels, ((60, 10), (520, 10), (290, 330)), strict=True):  # each plot in its own panel
        assert panel.box.contains(Box((x - 34) / 2, y / 2, (x + 340) / 2, (y + 280) / 2), tolerance=2)
    assert panels[1].box.x0 >= 460 / 2 and panels[0].box.bottom <= 330 / 2

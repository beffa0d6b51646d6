"""extract: vector charts of a designed report (held-out set 5's WHO annual report, issue 13 class 8), each on a
generated page: a chart captioned in the column beside the page's only column of body text."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import justified_line
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.regions import FigureRegion
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


def _beside_text(path: Path, top: float, caption: list[str]) -> Canvas:
    """A page whose body text is one column on the left; in bold on the right, from `top`, a caption."""
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _paragraph(pdf, 80, 100, 40)
    pdf.setFont("Helvetica-Bold", 10)
    for k, text in enumerate(caption):
        pdf.drawString(345, HEIGHT - top - 12 * k, text)
    return pdf


def _rows(pdf: Canvas, path: Path, tmp_path: Path) -> list[dict]:
    pdf.showPage()
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    return Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()


def _figures(pdf: Canvas, path: Path, tmp_path: Path) -> dict[str | None, Box]:
    return {r["label"]: Box(*r["bbox"]) for r in _rows(pdf, path, tmp_path)}


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


def _two_axis_chart(pdf: Canvas, x0: float, top: float, bottom: float) -> None:
    """Bars centred between two y axes drawn as one box, the tick labels outside both axes, years under it."""
    pdf.rect(x0, HEIGHT - bottom, 180, bottom - top, fill=0)
    for k, height in enumerate((40, 70, 100, 130, 90, 60)):
        pdf.rect(x0 + 30 + 22 * k, HEIGHT - bottom, 12, height, fill=1)
    pdf.setFont("Helvetica", 6)
    for k in range(5):
        y = HEIGHT - bottom + k * (bottom - top) / 4 - 2
        pdf.drawRightString(x0 - 3, y, str(5 * k))
        pdf.drawString(x0 + 183, y, str(50 * k))
    for k in range(6):
        pdf.drawString(x0 + 26 + 22 * k, HEIGHT - bottom - 9, str(2000 + k))


def test_a_charts_axes_drawn_as_one_box_are_no_frame(tmp_path):
    """Held-out 5's Figure 3.2: bars centred between a left and a right y axis drawn as one box, as wide as a frame
    around a figure on a page whose body text is one narrow column. Taken for a frame, the box was erased, and
    the right axis' tick labels, further from the bars than ink is linked over, were left out."""
    path = tmp_path / "axes.pdf"
    pdf = _beside_text(path, 100, ["Figure 3.2 Progress in mass drug", "administration in 2000 and 2001"])
    _two_axis_chart(pdf, 350, 130, 300)
    chart = _figures(pdf, path, tmp_path)["3.2"]
    assert chart.x1 >= 540, chart  # the right axis and its tick labels are in
    assert chart.x0 <= 341 and chart.bottom >= 305, chart


def test_a_charts_first_row_of_labels_does_not_run_on_a_caption_over_it(tmp_path):
    """Held-out 5's Figures 4.6-4.8: under a two-line caption, less than a line down, the chart's top row holds a
    tick label, a legend entry and the right axis' tick label, set far apart. The caption ran on into them (and,
    down a rotated axis title level with every row, through all of the chart's labels: Figure 4.8 not found)."""
    path = tmp_path / "run_on.pdf"
    pdf = _beside_text(path, 100, ["Figure 4.6 MDA up-scaling required in", "the next three years in the region"])
    pdf.drawString(348, HEIGHT - 124, "250")  # under the caption's left edge, as the row's other pieces
    pdf.drawString(385, HEIGHT - 124, "No. Countries")
    pdf.drawString(515, HEIGHT - 124, "6")
    _two_axis_chart(pdf, 350, 130, 300)
    (row,) = _rows(pdf, path, tmp_path)
    assert row["caption"].endswith("three years in the region"), row["caption"]
    assert row["bbox"][1] <= 121, row["bbox"]  # the legend line is the chart's


def test_year_labels_near_the_foot_of_the_page_are_no_page_numbers(tmp_path):
    """Held-out 5's Figures 4.5 and 4.8: a chart's year labels ("2000 2001 ...") 60 pt over the foot of the page,
    where a lone number is taken for a page number: they were margin text, which no figure may cross, and the
    chart was cut above its axis."""
    path = tmp_path / "foot.pdf"
    pdf = _beside_text(path, 580, ["Figure 4.8 MDA up-scaling required in", "the next three years in the region"])
    _two_axis_chart(pdf, 350, 610, 772)  # years at 776-781, inside the bottom 8 %
    chart = _figures(pdf, path, tmp_path)["4.8"]
    assert chart.bottom >= 780, chart  # the years are in


def _ruled_table(pdf: Canvas, top: float, rows: int) -> None:
    """A table ruled with hairline images (as a LaTeX table exported through a raster): rows of three columns."""
    rule = ImageReader(Image.new("L", (4, 1), 0))
    pdf.setFont("Times-Roman", 8)
    for i in range(rows + 1):
        pdf.drawImage(rule, 310, HEIGHT - top - 11 * i, 235, 0.4)
        if i < rows:
            for k, x in enumerate((315, 380, 450)):
                pdf.drawString(x, HEIGHT - top - 11 * i - 8, "Dataset" if k == 0 else f"{40 + 3 * i}.{k}")
            for x in (357, 425, 487):
                pdf.drawImage(rule, x, HEIGHT - top - 11 * (i + 1), 0.4, 11)


def test_a_table_caption_between_two_tables_leaves_the_lower_one_to_its_own_caption(tmp_path):
    """ICML's juhwang13 page 8: Table 2 captioned right under itself, Table 3 under that caption and captioned under
    itself. Tables are searched under their caption first, so Table 2's caption took Table 3, the only region of
    Table 3's caption, and Table 2 (ruled with images) came out as an uncaptioned figure."""
    path = tmp_path / "tables.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 57, 70, 50)  # two columns of body text: the table rules are shorter than the text is wide
    _paragraph(pdf, 310, 290, 35)
    _ruled_table(pdf, 68, 7)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(308, HEIGHT - 153, "Table 2. Top-k class prediction accuracy of the compared")
    pdf.drawString(308, HEIGHT - 164, "methods with an unknown class in the test set.")
    _ruled_table(pdf, 172, 6)
    pdf.drawString(337, HEIGHT - 256, "Table 3. Sample analogy completions of the methods.")
    assert _rows(pdf, path, tmp_path) == []


def test_the_footnote_to_a_captions_mark_under_the_chart_is_not_part_of_it(tmp_path):
    """Held-out 5's Figure 3.9: the caption ends "drug coverage*", and "* Drug coverage calculated as ..." is
    printed under the chart, closer to its axis labels than ink is linked over: the box took the footnote."""
    path = tmp_path / "footnote.pdf"
    pdf = _beside_text(path, 100, ["Figure 3.9 Reported and observed", "drug coverage*"])
    _two_axis_chart(pdf, 350, 130, 300)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(345, HEIGHT - 322, "* Drug coverage calculated as percentage of people")
    pdf.drawString(345, HEIGHT - 330, "administered the drugs over total population")
    chart = _figures(pdf, path, tmp_path)["3.9"]
    assert 308 <= chart.bottom <= 316, chart  # the years in, the footnote out


def _wide_paragraph(pdf: Canvas, top: float, lines: int) -> None:
    """Body text across the page's one column, 10 pt on 13, 80 to about 520."""
    pdf.setFont("Times-Roman", 10)
    for i in range(lines):
        words = " ".join(_WORDS[(i * 5 + k) % len(_WORDS)] for k in range(15))
        pdf.drawString(80, HEIGHT - top - 13 * i, words)


def test_a_slide_on_a_card_is_found_whole_across_the_white_space_on_it(tmp_path):
    """Held-out 5's workshop Figure 11 (class 20): a presentation slide pasted under its caption, drawn on a white
    card: its title, then more white space than ink is linked over, then bullets in the body's type beside a photo.
    The search stopped at the title and the photo came out uncaptioned; everything on the card is the figure."""
    path = tmp_path / "slide.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _wide_paragraph(pdf, 60, 2)
    pdf.setFont("Times-Bold", 10)
    pdf.drawString(80, HEIGHT - 100, "Figure 11: Lymphoedema of the leg (Stage 1)")
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(150, HEIGHT - 330, 300, 215, stroke=0, fill=1)  # the slide's card, white on white paper
    pdf.setFillColorRGB(0.2, 0.2, 0.6)
    pdf.rect(165, HEIGHT - 178, 15, 30, stroke=0, fill=1)  # the slide template's mark beside the title
    pdf.setFont("Helvetica", 18)
    pdf.drawString(250, HEIGHT - 145, "Stage 1")
    pdf.drawString(200, HEIGHT - 168, "Lymphoedema of the Leg")
    pdf.setFont("Helvetica", 10)
    for k, text in enumerate(
        [
            "Swelling reverses at night",
            "Skin folds absent",
            "Skin smooth, normal",
            "Hygiene at least once a day",
            "Treat entry lesions",
            "Exercise",
        ]
    ):
        pdf.drawString(175, HEIGHT - 210 - 17 * k, text)
    photo = Image.new("RGB", (150, 160), (190, 140, 120))
    pdf.drawImage(ImageReader(photo), 335, HEIGHT - 310, 105, 110)
    pdf.setFillColorRGB(0, 0, 0)
    _wide_paragraph(pdf, 370, 10)
    rows = _rows(pdf, path, tmp_path)
    figures = {r["label"]: Box(*r["bbox"]) for r in rows}
    slide = figures.get("11")
    assert slide is not None, rows
    assert slide.top <= 135 and slide.bottom >= 305 and slide.x1 >= 435, figures  # title, bullets and photo
    assert slide.bottom <= 335, "the paragraph under the card stays out"
    assert len(rows) == 1, "the photo is no uncaptioned figure of its own"


_LANDSCAPE = 612  # a US letter page on its side, 792 x 612


def _framed_line_chart(pdf: Canvas, x0: float, top: float, title: str) -> None:
    """A spreadsheet's line chart, 220 x 180 pt, on a landscape page: a frame, the title inside it, a plot area
    with a y axis of prices (right-aligned numbers one over another), two data lines of 40 weekly points, a legend
    under the plot."""
    height = _LANDSCAPE
    pdf.rect(x0, height - top - 180, 220, 180, stroke=1, fill=0)
    pdf.setFont("Times-Bold", 9)
    pdf.drawString(x0 + 50, height - top - 14, title)
    plot_x, plot_top = x0 + 40, top + 25
    pdf.rect(plot_x, height - plot_top - 120, 165, 120, stroke=1, fill=0)
    pdf.setFont("Times-Roman", 7)
    for k in range(7):
        pdf.drawRightString(plot_x - 4, height - plot_top - 20 * k - 2, f"{2.6 - 0.3 * k:.2f}")
    for series, base in ((0, 60.0), (1, 85.0)):
        path = pdf.beginPath()
        for week in range(40):
            y = base + 15 * ((week * (7 + series)) % 5 - 2) / 2
            (path.moveTo if week == 0 else path.lineTo)(plot_x + 4 * week, height - plot_top - y)
        pdf.drawPath(path, stroke=1, fill=0)
    pdf.line(x0 + 40, height - top - 165, x0 + 60, height - top - 165)
    pdf.drawString(x0 + 64, height - top - 167, "2017")


def test_framed_line_charts_without_captions_are_figures_and_a_ruled_table_is_not(tmp_path):
    """Held-out 1's USDA market report: a table of prices on the left and, beside it, line charts drawn in frames,
    titled inside them, with no caption. Only pictures were kept without a caption, so the charts were lost; the
    table, numbers in ruled columns inside a frame too, stays no figure."""
    path = tmp_path / "roundup.pdf"
    pdf = Canvas(str(path), pagesize=(792, _LANDSCAPE))
    pdf.rect(20, _LANDSCAPE - 560, 500, 530, stroke=1, fill=0)  # the table's frame
    pdf.setFont("Times-Roman", 10)
    for row in range(36):
        y = _LANDSCAPE - 45 - 14 * row
        pdf.drawString(28, y, f"Market {row + 1} ethanol ($/gal)")
        for col in range(3):
            pdf.drawRightString(300 + 80 * col, y, f"{1.35 + 0.01 * row + 0.1 * col:.2f}")
        pdf.line(20, y - 4, 520, y - 4)
    _framed_line_chart(pdf, 545, 35, "Iowa Ethanol")
    _framed_line_chart(pdf, 545, 225, "Central Illinois Soybean Oil")
    boxes = sorted((Box(*r["bbox"]) for r in _rows(pdf, path, tmp_path)), key=lambda box: box.top)
    assert len(boxes) == 2, boxes  # the two charts, not the table
    for box, top in zip(boxes, (35, 225), strict=True):
        assert abs(box.x0 - 545) <= 2 and abs(box.top - top) <= 2 and abs(box.x1 - 765) <= 2, boxes
        assert abs(box.bottom - (top + 180)) <= 2, boxes  # the frame: title, axis and legend inside


def test_a_pie_chart_captioned_on_its_right_is_found_whole(tmp_path):
    """Held-out 5's Figure 3.6: a pie chart in the left column, its biggest slice reaching the right column's edge,
    its caption at the top of the right column level with the pie's upper half. The search under the caption,
    widened across the gutter along the slice, found the pie's lower half and outscored the whole pie beside the
    caption."""
    path = tmp_path / "pie.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    pdf.setFont("Times-Roman", 9)
    for k in range(15):
        for x0 in (143, 350):
            words = " ".join(_WORDS[(k * 3 + j + x0) % len(_WORDS)] for j in range(8))[:44]
            pdf.drawString(x0, HEIGHT - 202 - 13 * k, words)
    colours = [(0.0, 0.7, 0.7), (0.95, 0.6, 0.1), (0.98, 0.7, 0.4), (0.5, 0.8, 0.8), (1.0, 0.85, 0.7)]
    start = 90.0
    for extent, colour in zip((-224.4, -52.9, -32.8, -40.3, -9.6), colours, strict=True):
        pdf.setFillColorRGB(*colour)
        pdf.wedge(150.5, HEIGHT - 611, 350.5, HEIGHT - 411, start, extent, stroke=0, fill=1)
        start += extent
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 7)
    for x, top, label in ((149, 420, "Americas 0.41%"), (215, 434, "Africa 11.18%"), (265, 515, "Indian 62.34%")):
        pdf.drawString(x, HEIGHT - top, label)
    pdf.setFont("Helvetica-Bold", 11)
    for k, text in enumerate(
        ["Figure 3.6", "Proportion of population covered", "by MDA in different regions", "in 2001"]
    ):
        pdf.drawString(350, HEIGHT - 433 - 12 * k, text)
    pdf.drawString(152, HEIGHT - 660, "Table 3.3 Shipment of drugs to endemic countries")
    pdf.setFont("Helvetica", 7)
    for row in range(7):
        pdf.drawString(157, HEIGHT - 690 - 12 * row, f"Region {row + 1}    2 318 600    3 300 000    6 847 321")
        pdf.line(156, HEIGHT - 693 - 12 * row, 550, HEIGHT - 693 - 12 * row)
    pie = _figures(pdf, path, tmp_path)["3.6"]
    assert pie.top <= 415 and pie.bottom >= 605 and pie.x0 <= 155, pie  # the whole pie, top slice and labels in
    assert pie.x1 <= 352, "the caption's column stays out"


def test_labels_led_into_a_photo_from_under_the_text_wrapped_beside_it_are_the_figures(tmp_path):
    """Held-out 4's entomology Figure 11: a photo captioned over itself at the right, body text wrapped beside it
    on the left, and under that text the photo's labels ("Pharynx", "Cibarium"), each with a leader line into the
    photo. The wrapped text bounds the search, so the labels were left out (the box was the photo's alone)."""
    path = tmp_path / "labels.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    pdf.setFont("Times-Roman", 10)
    for k in range(6):
        words = " ".join(_WORDS[(k * 4 + j) % len(_WORDS)] for j in range(20))
        pdf.drawString(57, HEIGHT - 390 - 12 * k, words[:118])
    pdf.setFont("Times-Italic", 9)
    pdf.drawString(303, HEIGHT - 488, "Figure 11. Pharyngeal and cibarial armature of a mosquito")
    pdf.setFont("Times-Roman", 10)
    for k in range(9):  # set to the photo's side, ending 7 pt short of it as the labels do
        words = [_WORDS[(k * 5 + j) % len(_WORDS)] for j in range(12)]
        while pdf.stringWidth(" ".join(words), "Times-Roman", 10) > 239:
            words.pop()
        text = pdf.beginText(57, HEIGHT - 505 - 12 * k)
        text.setFont("Times-Roman", 10)
        text.setWordSpace((239 - pdf.stringWidth(" ".join(words), "Times-Roman", 10)) / (len(words) - 1))  # justified
        text.textLine(" ".join(words))
        pdf.drawText(text)
    photo = Image.new("RGB", (200, 160), (150, 90, 80))
    pdf.drawImage(ImageReader(photo), 303, HEIGHT - 657, 204, 162)
    pdf.setFont("Times-Bold", 7)
    pdf.setStrokeColorRGB(0.9, 0.3, 0.2)
    for top, label in ((620, "Pharynx"), (648, "Cibarial teeth"), (676, "Cibarium")):
        pdf.drawRightString(295, HEIGHT - top, label)
        pdf.line(297, HEIGHT - top + 2, 400, HEIGHT - top + 2 + (top - 560) * 0.8)
    pdf.setFont("Times-Roman", 10)
    for k in range(8):
        words = " ".join(_WORDS[(k * 3 + j) % len(_WORDS)] for j in range(20))
        pdf.drawString(57, HEIGHT - 720 - 12 * k, words[:118])
    photo_box = _figures(pdf, path, tmp_path)["11"]
    assert photo_box.x0 <= 262 and photo_box.bottom >= 675, photo_box  # the labels are in
    assert photo_box.top >= 493 and photo_box.x1 <= 510, photo_box


def test_a_ruled_table_in_the_next_column_level_with_a_chart_is_not_led_into_it(tmp_path):
    """Held-out 39's NAACL 2024 Dial-MAE page 8: a line chart in the left column, its right axis' labels near the
    gutter, its title turned in it, and in the right column, level with it, the top of a ruled table (9 pt rows,
    rules across the column) under the column's last lines of body text. The table's top rule crosses the side of
    the chart's search region, so its rows joined as labels led in from beside: the figure ran across both columns
    over the body text (found [75, 463, 527, 597], truth [74.5, 462.5, 294, 591])."""
    path = tmp_path / "table_beside.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    for k in range(28):  # two justified columns of body text: the left one over the chart, the right one to the table
        _justified_line(pdf, 71, 84 + 13.6 * k, k)
        _justified_line(pdf, 306, 84 + 13.6 * k, k + 3)
    _justified_line(pdf, 306, 84 + 13.6 * 28, 5)
    pdf.rect(95, HEIGHT - 575, 170, 110)  # the chart: frame, two polylines, tick labels on both axes
    for shift in (0, 25):
        points = [(95 + 34 * i, HEIGHT - 500 - shift - 9 * (i % 3)) for i in range(6)]
        pdf.lines([(*a, *b) for a, b in zip(points, points[1:], strict=False)])
    pdf.setFont("Helvetica", 6)
    for k in range(7):
        pdf.drawString(82, HEIGHT - 572 + 18 * k, f"91.{k + 2}")
        pdf.drawString(269, HEIGHT - 572 + 18 * k, f"99.{26 + 2 * k}")
        pdf.drawString(104 + 25 * k, HEIGHT - 584, str(k + 1))
    pdf.saveState()  # the right axis' title, a quarter turn, in the gutter
    pdf.translate(301, HEIGHT - 540)
    pdf.rotate(90)
    pdf.drawString(0, 0, "R10@5")
    pdf.restoreState()
    pdf.setFont("Times-Roman", 10.9)
    pdf.drawString(74, HEIGHT - 613, "Figure 4: Impact of layer number on Ubuntu Corpus.")
    for y in (505, 520, 640, 700):  # the table's rules across the right column
        pdf.line(306, HEIGHT - y, 527, HEIGHT - y)
    pdf.setFont("Times-Roman", 9)
    for k in range(14):
        pdf.drawString(312, HEIGHT - 516 - 12 * k, "Relevant  Model  Rank 1st response"[: 12 + 2 * k])
    pdf.setFont("Times-Roman", 10.9)
    pdf.drawString(306, HEIGHT - 740, "Table 6: Examples of rank 1st response recalled by")
    pdf.drawString(306, HEIGHT - 753, "different models on the the Ubuntu Corpus.")
    chart = _figures(pdf, path, tmp_path)["4"]
    assert chart.x0 <= 85 and chart.top <= 470 and chart.bottom >= 580, chart  # the whole chart
    assert chart.x1 < 306, chart  # the right column (its table, its body text) stays out; main: 527


def _justified_line(pdf: Canvas, x0: float, top: float, k: int, width: float = 218) -> None:
    """One line of 10.9 pt body text set justified across a column `width` wide."""
    justified_line(pdf, x0, HEIGHT - top, [_WORDS[(k * 5 + j) % len(_WORDS)] for j in range(12)], width)


def _line_chart_years_on_end(pdf: Canvas, x0: float, top: float, years: int) -> None:
    """A line chart drawn as paths, 11 pt a year, its axis' year labels set a quarter turn under it in the body's
    size: pdfium reads the row of labels as one line across the chart."""
    bottom = top + 120
    pdf.line(x0, HEIGHT - top, x0, HEIGHT - bottom)
    pdf.line(x0, HEIGHT - bottom, x0 + 11 * years, HEIGHT - bottom)
    pdf.lines(
        [
            (
                x0 + 11 * k,
                HEIGHT - bottom + 20 + (k * 37) % 90,
                x0 + 11 * (k + 1),
                HEIGHT - bottom + 20 + ((k + 1) * 37) % 90,
            )
            for k in range(years - 1)
        ]
    )
    labels = pdf.beginText()  # one text object, as a chart's export writes them
    labels.setFont("Times-Roman", 10)
    for k in range(years):
        labels.setTextTransform(0, 1, -1, 0, x0 + 11 * k + 8, HEIGHT - bottom - 22)
        labels.textOut(str(1976 + k))
    pdf.drawText(labels)


def test_a_row_of_year_labels_on_end_under_a_chart_is_no_body_text(tmp_path):
    """The paper sweep's Sci Rep PMC7595211 Figure 4: a line chart over its caption, a ruled table captioned under
    itself under that. The chart's years, set a quarter turn, read as one line as wide as a paragraph in the body's
    size: taken for body text, they stopped the caption's search over the chart, and the caption took the table."""
    path = tmp_path / "years.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _line_chart_years_on_end(pdf, 150, 60, 36)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(
        150, HEIGHT - 220, "Figure 4. Temporal trends of genetic diversity across years in the study population."
    )
    pdf.drawString(150, HEIGHT - 231, "Bars, available sequences with a known sampling year.")
    pdf.setLineWidth(0.5)
    for k in range(9):  # a ruled table, its cells text
        pdf.line(80, HEIGHT - 260 - 16 * k, 550, HEIGHT - 260 - 16 * k)
        for c, x in enumerate((90, 200, 300, 400, 480)):
            pdf.drawString(x, HEIGHT - 272 - 16 * k, f"RDC_P{k}{c}" if c == 0 else f"{12 + k}.{c}")
    pdf.drawString(150, HEIGHT - 420, "Table 3. Description of the transmission networks found among the variants.")
    _paragraph(pdf, 80, 450, 12)
    _paragraph(pdf, 330, 450, 12)
    figures = _figures(pdf, path, tmp_path)
    assert "4" in figures, figures
    chart = figures["4"]
    assert chart.top <= 62 and chart.bottom <= 212, figures  # the chart over the caption, its years in
    assert chart.x0 <= 151 and chart.x1 >= 530, chart


def _plot_pixels(seed: int) -> Image.Image:
    """A raster plot: axes and a curve on white paper, with a white margin all round."""
    plot = Image.new("RGB", (480, 280), "white")
    draw = ImageDraw.Draw(plot)
    draw.line([(40, 30), (40, 250), (460, 250)], fill="black", width=3)
    draw.line([(40 + 14 * k, 240 - (k * 7 * seed) % 180) for k in range(30)], fill=(200, 60, 40), width=4)
    return plot


def test_plots_placed_as_rasters_edge_to_edge_are_one_figure(tmp_path):
    """The paper sweep's F1000Research 3:305 Figure 5: three plots A-C, each placed as a raster of its own, edge to
    edge down the column (1.3 pt apart), the caption under C. The rasters' edges miss each other's by 1-2 pt and
    an axis title drawn as paths beside A and B widens their ink, so neither the pictures' edges nor the parts'
    ink lined up: C alone was the caption's figure, A and B an uncaptioned one."""
    path = tmp_path / "strips.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _paragraph(pdf, 57, 60, 10)
    _paragraph(pdf, 310, 60, 10)
    for k, (x0, top, width) in enumerate(((194.0, 220.0, 239.0), (195.5, 361.3, 231.0), (196.8, 502.6, 235.0))):
        pdf.drawImage(ImageReader(_plot_pixels(k + 2)), x0, HEIGHT - top - 140, width, 140)
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(x0 + 25, HEIGHT - top - 30, "ABC"[k])
    pdf.rect(200, HEIGHT - 440, 6, 110, stroke=0, fill=1)  # the axis title, drawn as paths across A and B
    pdf.setFont("Helvetica", 8)
    pdf.drawString(
        57, HEIGHT - 660, "Figure 5. Titration of fluorescence emission with the ligand. (A) In a solution of the"
    )
    pdf.drawString(57, HEIGHT - 670, "protein at pH 7. The reporter added to buffer at (B) pH 7 or (C) pH 5.5.")
    _paragraph(pdf, 57, 700, 6)
    figure = _figures(pdf, path, tmp_path)["5"]
    assert figure.top <= 236 and figure.bottom >= 628, figure  # A to C


_PLOT_FONT, _LETTER_FONT = ImageFont.load_default(size=14), ImageFont.load_default(size=20)


def _scatter_plot(sheet: Image.Image, x: int, y: int, letter: str) -> None:
    """A scatter plot as a journal's plotting program draws it, its top left at (x, y): "(A)" and a title over it,
    a ticked y axis meeting an x axis at its foot, sparse hollow dots in four groups and their means, each group's
    name set on end under its tick of the x axis (about 75 px deep)."""
    draw = ImageDraw.Draw(sheet)
    draw.text((x, y), f"({letter})", fill="black", font=_LETTER_FONT)
    draw.text((x + 70, y + 2), "CHIKV at 7 dpi", fill="black", font=_PLOT_FONT)
    left, top, right, foot = x + 30, y + 23, x + 250, y + 170
    draw.line([(left, top), (left, foot)], fill="black", width=2)
    draw.line([(left, foot), (right, foot)], fill="black", width=2)
    for k in range(8):
        tick = foot - 21 * k
        draw.line([(left - 5, tick), (left, tick)], fill="black", width=2)
        draw.text((left - 16, tick - 8), str(k), fill="black", font=_PLOT_FONT)
    for group in range(4):
        centre = left + 30 + 55 * group
        for dot in range(4):
            cy = foot - 20 - (dot * 37 + group * 23) % 110
            draw.ellipse(
                [centre - 4 + 5 * (dot % 2), cy - 4, centre + 4 + 5 * (dot % 2), cy + 4], outline=(30, 40, 160)
            )
        draw.line([(centre - 10, foot - 70), (centre + 14, foot - 70)], fill="black", width=2)  # the group's mean
        draw.line([(centre, foot), (centre, foot + 6)], fill="black", width=2)
        name = Image.new("L", (80, 16), 255)
        ImageDraw.Draw(name).text((0, 0), "Dissemination", fill=0, font=_PLOT_FONT)
        sheet.paste(name.rotate(60, expand=True, fillcolor=255).convert("RGB"), (centre - 52, foot + 5))


def test_a_grid_of_plots_each_on_its_own_axes_is_cut_one_panel_a_plot():
    # Held-out 29 PLOS NTD Figures 4, 5 and 7: grids of 14, 14 and 9 scatter plots in one raster, each plot on axes
    # of its own, the group names under each set on end and reaching down to the next row's letter and title, so no
    # blank line parts the rows: no panel was found. Each plot's axes (a y axis meeting an x axis at its foot) are a
    # panel, cut in its cell of the grid; the grid's empty cell gives none. One plot alone stays one picture.
    sheet = Image.new("RGB", (840, 720), "white")
    cells = [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (0, 2), (1, 2), (2, 2)]  # the top right cell empty
    for (column, row), letter in zip(cells, "ABCDEFGH", strict=True):
        _scatter_plot(sheet, 10 + 280 * column, 10 + 235 * row, letter)
    figure = Box(0, 0, 420, 360)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet, caption_letters=5)  # "CHIKV (A-C), DENV (D, E), ZIKV (F-H)"
    assert len(panels) == 8
    for panel, (column, row) in zip(panels, cells, strict=True):  # reading order: each plot whole in its own cell
        x, y = 10 + 280 * column, 10 + 235 * row  # the letter's corner, in pixels
        assert panel.box.x0 <= (x + 4) / 2 and panel.box.top <= (y + 6) / 2  # its letter and title in
        assert panel.box.x1 >= (x + 250) / 2 and panel.box.bottom >= (y + 230) / 2  # its names on end under it in
        assert panel.box.x1 <= (x + 280) / 2 and panel.box.bottom <= (y + 235 + 6) / 2  # nothing of the next
    one = Image.new("RGB", (300, 260), "white")
    _scatter_plot(one, 10, 10, "A")
    alone = Box(0, 0, 150, 130)
    assert find_panels(FigureRegion(None, alone, [Graphic("image", alone, None)], []), one) == []


def _spectra(sheet: Image.Image, top: int, foot: int) -> None:
    """Emission spectra on bold axes, as a plotting program draws them: a ticked y axis meeting a ticked x axis at its
    foot, each curve lying flat on the x axis for its first 200 px before it rises to its peak (a thick band there)."""
    draw = ImageDraw.Draw(sheet)
    left, right = 110, 550
    draw.line([(left, top), (left, foot)], fill="black", width=5)
    draw.line([(left, foot), (right, foot)], fill="black", width=5)
    for k in range(6):
        draw.line([(left - 8, foot - 50 * k), (left, foot - 50 * k)], fill="black", width=3)
        draw.text((left - 40, foot - 50 * k - 8), str(100 * k), fill="black", font=_PLOT_FONT)
        draw.line([(left + 90 * k, foot), (left + 90 * k, foot + 8)], fill="black", width=3)
        draw.text((left + 90 * k - 12, foot + 12), str(360 + 20 * k), fill="black", font=_PLOT_FONT)
    draw.text((250, foot + 34), "Wavelength (nm)", fill="black", font=_PLOT_FONT)
    for k, colour in enumerate([(0, 0, 0), (20, 40, 220), (220, 30, 30), (40, 140, 40)]):
        peak = top + (foot - top) * (1 + k) // 6
        flat = [(left, foot - 4 - k), (left + 200, foot - 4 - k)]
        rise = [(left + 200 + 5 * i, foot - 4 - (foot - peak) * (1 - ((i - 20) / 20) ** 2)) for i in range(41)]
        draw.line(flat + rise + [(right, foot - 40)], fill=colour, width=4)


def test_stacked_plots_whose_curves_lie_on_a_bold_x_axis_are_one_panel_each():
    # Held-out 28 F1000Research Figure 6: two spectra plots stacked in one raster, each on its own bold axes, sharing
    # a y-axis title set on end and a legend between them (no blank line parts them). Each plot's curves lie flat on
    # its x axis before they rise, so the band of long level lines there is thicker than an axis: no x axis was
    # found and the figure stayed one picture. The axis is the band's rows inked all along it.
    sheet = Image.new("RGB", (704, 670), "white")
    _spectra(sheet, 30, 360)
    _spectra(sheet, 475, 580)  # a flat one, as wide as the other
    draw = ImageDraw.Draw(sheet)
    title = Image.new("L", (300, 20), 255)
    ImageDraw.Draw(title).text((0, 0), "Fluorescence Intensity", fill=0, font=_PLOT_FONT)
    sheet.paste(title.rotate(90, expand=True).convert("RGB"), (48, 170))  # over both plots
    for k in range(6):  # the legend, from beside the upper plot down beside the lower one
        draw.line([(558, 300 + 30 * k), (588, 300 + 30 * k)], fill="black", width=4)
        draw.text((596, 292 + 30 * k), f"{0.25 * k} uM", fill="black", font=_PLOT_FONT)
    figure = Box(0, 0, 352, 335)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet)
    assert len(panels) == 2
    upper, lower = (panel.box for panel in panels)
    assert upper.top <= 30 / 2 and (360 + 34) / 2 <= upper.bottom <= lower.top <= 475 / 2  # each plot whole
    assert lower.bottom >= (580 + 34) / 2  # its axis title in


def _column_chart(pdf: Canvas, x0: float, foot: float, columns: int) -> None:
    """A column chart: columns 16 pt wide standing on an x axis at `foot` (page y, from the top), each of another
    height, its year under it in small type."""
    pdf.setFont("Helvetica", 6)
    pdf.line(x0, HEIGHT - foot, x0 + 24 * columns, HEIGHT - foot)
    for i in range(columns):
        pdf.setFillGray(0.5)
        pdf.rect(x0 + 4 + 24 * i, HEIGHT - foot, 16, 30 + 15 * i, fill=1)
        pdf.setFillGray(0)
        pdf.drawString(x0 + 4 + 24 * i, HEIGHT - foot - 8, str(2007 + i))


def test_bar_charts_without_a_label_are_figures_under_their_bold_titles_and_tinted_table_rows_are_not(tmp_path):
    """Held-out 35's WER 86(13) p16: a bar chart of dracunculiasis cases a year (bars on a y axis, each a shaded part
    and the rest, the years beside them, the counts at the bars' ends) under a bold title set flush with the text in
    the body's size, no "Figure" label. No caption took it, and bars are no picture, line chart or drawing in the
    text: it was missed. Columns standing on an x axis are the same chart turned; a table whose tinted rows start at
    its left rule holds bars as long as one another, and is no chart."""
    path = tmp_path / "bulletin.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    _paragraph(pdf, 80, 60, 8)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(80, HEIGHT - 180, "No. of cases reported worldwide, 2007-2011")
    _bar_chart(pdf, 80, 190, 5)
    _paragraph(pdf, 80, 300, 4)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(80, HEIGHT - 370, "Villages reporting cases, by year")
    _column_chart(pdf, 100, 480, 5)
    _paragraph(pdf, 80, 510, 4)
    pdf.line(80, HEIGHT - 580, 80, HEIGHT - 680)  # the table's left rule
    pdf.setFont("Times-Roman", 9)
    for row in range(5):
        pdf.setFillGray(0.85)
        pdf.rect(80, HEIGHT - 600 - 20 * row, 400, 16, stroke=0, fill=1)
        pdf.setFillGray(0)
        pdf.drawString(86, HEIGHT - 596 - 20 * row, f"District {row + 1}   {12 + row}   {40 - row}")
    rows = _rows(pdf, path, tmp_path)
    found = sorted(((Box(*row["bbox"]), row["caption"]) for row in rows), key=lambda pair: pair[0].top)
    assert [caption for _, caption in found] == [
        "No. of cases reported worldwide, 2007-2011",
        "Villages reporting cases, by year",
    ], found
    bars, columns = (box for box, _ in found)
    assert abs(bars.top - 190) <= 2 and bars.x0 <= 81 and bars.x1 >= 80 + 195 + 5, bars  # names and counts in
    assert abs(columns.bottom - 488) <= 2 and abs(columns.top - (480 - 90)) <= 2, columns  # the years are in


def test_a_figure_under_a_ruled_table_captioned_over_itself_takes_none_of_the_tables_rows(tmp_path):
    """Held-out 39's NAACL 2024 Quantum page 8: "Table 5" over a ruled table across the text width (8 pt rows, seven
    rules), a 9 pt note under its last rule, then an example figure (a raster) and "Figure 5" under it. The note ties
    the table's rows to the picture within the link distance, and the search from "Figure 5" up stops only at the
    table's caption: the figure took the table (found [81, 98, 517, 408], truth [81.5, 305, 514, 407.5])."""
    path = tmp_path / "under_table.pdf"
    pdf = Canvas(str(path), pagesize=(595, HEIGHT))
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(172, HEIGHT - 80, "Table 5: Ablation results evaluated with accuracy and f1-score.")
    for y in (93, 107, 121, 185, 199, 214, 278):
        pdf.line(81, HEIGHT - y, 516, HEIGHT - y)
    pdf.setFont("Times-Roman", 8)
    for top in (97, 111, *range(125, 185, 10), 189, 203, *range(217, 277, 10)):
        pdf.drawString(81, HEIGHT - top - 7, "w/o GRU  92.93 (-0.53%)  91.2 (-0.47%)  89.06 (-0.28%)  96.13 (-0.94%)")
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(87, HEIGHT - 289, "The best score of each dataset is in bold.")
    example = Image.new("RGB", (436, 109), "white")  # rows of tinted sentences on a white ground
    draw = ImageDraw.Draw(example)
    for k in range(6):
        draw.rectangle((4, 1 + 17 * k, 430, 14 + 17 * k), fill=(200, 235, 200) if k % 2 else (240, 200, 200))
    pdf.drawImage(ImageReader(example), 80, HEIGHT - 411, 436, 109)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(
        71, HEIGHT - 430, "Figure 5: Examples from the SST-5 with their polarities predicted by different models."
    )
    for k in range(24):  # two columns of body text under the figure
        _justified_line(pdf, 71, 460 + 13.6 * k, k)
        _justified_line(pdf, 306, 460 + 13.6 * k, k + 3)
    figure = _figures(pdf, path, tmp_path)["5"]
    assert figure.top >= 295, figure  # the picture alone; main: 99, the table's first row
    assert figure.bottom >= 400 and figure.x0 <= 85 and figure.x1 >= 510, figure

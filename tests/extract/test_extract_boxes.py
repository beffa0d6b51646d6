"""extract: figure boxes that lost parts or took what is not theirs (issue 13 class 8, and class 14), each on a
generated page of one text column: a figure set wider than the column, a rule drawn across a diagram, an
abbreviation key under a figure, an underlined heading over a caption, ruled headings under a flow chart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.regions import _ABBREVIATION_KEY
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

HEIGHT = 792
COLUMN = (144, 468)  # the text column; the page margins are 144 pt wide
_WORDS = "the transmission dynamics of lymphatic filariasis are complex and involve two genera of parasite".split()


def _paragraph(pdf: Canvas, top: float, lines: int) -> None:
    """Body text filling the column from `top` (page y, from the top) down: 10 pt on 12."""
    pdf.setFont("Times-Roman", 10)
    for i in range(lines):
        words = " ".join(_WORDS[(i * 3 + k) % len(_WORDS)] for k in range(11))
        pdf.drawString(COLUMN[0], HEIGHT - top - 12 * i, words)


def _caption(pdf: Canvas, top: float, text: str) -> None:
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(COLUMN[0], HEIGHT - top, text)


def _figures(pdf: Canvas, path: Path, tmp_path: Path) -> dict[str | None, Box]:
    pdf.showPage()
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    return {r["label"]: Box(*r["bbox"]) for r in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}


def _line(pdf: Canvas, x0: float, top: float, x1: float, bottom: float) -> None:
    """A line between two points given from the top of the page."""
    pdf.line(x0, HEIGHT - top, x1, HEIGHT - bottom)


def test_a_figure_set_wider_than_the_text_column_keeps_its_parts_in_the_margins(tmp_path):
    """Handbook Figures 9 and 13: a time bar and a picture of a diagram reaching 50-60 pt into the margins, and
    two charts side by side wider than the column. The search under the caption spans the column (and a little
    more): the first was not found at all (the region cut through the picture), the second was cut to the
    column."""
    path = tmp_path / "wide.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    _caption(pdf, 190, "Figure 9. Development and life stages of a parasite in a mosquito")
    pdf.setFillColorRGB(0.8, 0.8, 0.8)
    pdf.rect(90, HEIGHT - 225, 432, 20, fill=1)  # the time bar, margin to margin
    pdf.setFillColorRGB(0, 0, 0)
    pixels = (np.random.default_rng(3).random((60, 80, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 100, HEIGHT - 290, 70, 55)  # half in the margin
    for x in (200, 280, 360, 440):
        _line(pdf, x, 230, x, 300)  # arrows down from the bar
        pdf.circle(x, HEIGHT - 310, 10, fill=1)
    _paragraph(pdf, 360, 6)
    _caption(pdf, 450, "Figure 13. Microfilarial periodicity and mosquito biting patterns")
    for x0 in (80, 310):  # two charts, axes and a curve each, 222 pt wide
        _line(pdf, x0, 470, x0, 590)
        _line(pdf, x0, 590, x0 + 222, 590)
        for k in range(8):
            _line(pdf, x0 + 27 * k, 580 - 12 * (k % 4), x0 + 27 * (k + 1), 580 - 12 * ((k + 1) % 4))
    _paragraph(pdf, 640, 6)
    figures = _figures(pdf, path, tmp_path)
    assert figures["9"].x0 <= 91 and figures["9"].x1 >= 521, figures
    assert figures["13"].x0 <= 81 and figures["13"].x1 >= 531, figures
    assert figures["13"].bottom <= 591 and figures["9"].top >= 198, "the body text stays out"


def test_a_picture_set_into_the_margin_is_its_captions_not_a_backdrop(tmp_path):
    """OpenStax A&P 17.17 in the margin design: a micrograph from the column's left edge far into the right margin,
    its caption under it in the column, a framed note under the caption. The picture level with the figure from top
    to bottom was taken for a backdrop behind it, so the figure stopped at the column, cut through the picture and
    gave up: the caption took the framed note, the picture came out uncaptioned."""
    path = tmp_path / "margin.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    pixels = (np.random.default_rng(4).random((120, 400, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), COLUMN[0], HEIGHT - 300, 446, 120)  # over a fifth outside
    _caption(pdf, 315, "Figure 17.17 Adrenal Glands Both adrenal glands sit atop the kidneys.")
    pdf.rect(COLUMN[0], HEIGHT - 380, COLUMN[1] - COLUMN[0], 50)  # a framed note
    _caption(pdf, 350, "Interactive Link")
    _caption(pdf, 365, "View the University of Michigan WebScope to explore the tissue sample.")
    _paragraph(pdf, 400, 8)
    figures = _figures(pdf, path, tmp_path)
    assert list(figures) == ["17.17"], figures
    assert figures["17.17"].x1 >= 589 and figures["17.17"].bottom <= 301, figures


def test_a_picture_over_the_text_width_above_a_framed_list_is_found(tmp_path):
    """Calibre's A5 e-book of OpenStax Microbiology 26.28: a table printed as a picture over the whole text width,
    its short caption under it, then a framed list of questions set in from the text's edges. The page's one column
    was measured on the list, so the search over the caption cut through the picture and found none; the caption
    took the list's bullets, the picture came out uncaptioned."""
    path = tmp_path / "list.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    for _ in range(2):  # the document's text width
        _paragraph(pdf, 80, 50)
        pdf.showPage()
    _paragraph(pdf, 80, 2)
    pixels = (np.random.default_rng(5).random((100, 160, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), COLUMN[0], HEIGHT - 330, COLUMN[1] - COLUMN[0], 220)
    pdf.setFont("Times-Bold", 16)  # the label alone, wide enough that the search beside it cuts the picture
    pdf.drawString(COLUMN[0], HEIGHT - 345, "Figure 26.28")
    pdf.rect(COLUMN[0], HEIGHT - 480, COLUMN[1] - COLUMN[0], 110)  # the framed list
    pdf.setFont("Times-Roman", 10)
    for i, question in enumerate(
        ("What neurological condition is often associated with", "the tapeworm infection neurocysticercosis?")
    ):
        pdf.circle(154, HEIGHT - 392 - 12 * i, 2, fill=1)
        pdf.drawString(163, HEIGHT - 395 - 12 * i, question)
    for i, question in enumerate(("How is the infection neurocysticercosis most often", "diagnosed in the clinic?")):
        pdf.circle(154, HEIGHT - 430 - 12 * i, 2, fill=1)
        pdf.drawString(163, HEIGHT - 433 - 12 * i, question)
    figures = _figures(pdf, path, tmp_path)
    assert list(figures) == ["26.28"], figures
    assert figures["26.28"].x0 <= 145 and figures["26.28"].x1 >= 467 and figures["26.28"].bottom <= 331, figures


def test_a_rule_across_a_diagram_is_part_of_it(tmp_path):
    """Handbook Figure 7: a life cycle drawn around a horizontal divider ("human body" over "mosquito body") as
    long as a page rule; page rules are erased from the ink, so the box ended at the cycle's arrows, inside the
    divider's ends."""
    path = tmp_path / "divider.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    _caption(pdf, 190, "Figure 7 Filariasis life cycle")
    for x, top in ((230, 210), (330, 250), (330, 330), (230, 370), (200, 290)):
        pdf.rect(x, HEIGHT - top - 20, 60, 20)  # the stages
    _line(pdf, 290, 220, 330, 250)
    _line(pdf, 360, 270, 360, 330)
    _line(pdf, 330, 350, 290, 370)
    _line(pdf, 230, 370, 215, 310)
    _line(pdf, 150, 300, 462, 300)  # the divider: 312 pt, over 0.8 of the column's width
    _paragraph(pdf, 440, 8)
    figures = _figures(pdf, path, tmp_path)
    assert figures["7"].x0 <= 151 and figures["7"].x1 >= 461, figures


def test_an_abbreviation_key_under_a_figure_is_not_part_of_it(tmp_path):
    """Handbook Figure 3: two lines of "ABBR, expansion;" in small type 12 pt under a diagram, closer than the ink
    link, were taken into the figure; like a source note, a key at the figure's far edge from its caption is
    cut off with the lines that run on from it."""
    path = tmp_path / "key.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    _caption(pdf, 190, "Figure 3. Three overlapping strategies used by the programme")
    for x, y in ((250, 260), (330, 260), (290, 310)):
        pdf.circle(x, HEIGHT - y, 50)
    pdf.setFont("Times-Roman", 7)
    pdf.drawString(
        COLUMN[0], HEIGHT - 378, "GPELF, Global Programme to Eliminate Lymphatic Filariasis; IVM, integrated"
    )
    pdf.drawString(COLUMN[0], HEIGHT - 386, "vector management; MDA, mass drug administration; VC, vector control")
    _paragraph(pdf, 430, 8)
    figures = _figures(pdf, path, tmp_path)
    assert figures["3"].iou(Box(200, 210, 380, 360)) >= 0.95, figures


def test_abbreviation_keys_are_told_from_figure_labels():
    keys = [
        "GPELF, Global Programme to Eliminate Lymphatic Filariasis; IVM, integrated vector management; MDA, mass",
        "MDA, mass drug administration",
        "IRS, indoor residual spraying; LLIN, long-lasting insecticidal net",
    ]
    labels = ["Time, days", "Mosquitoes, per hour", "Dengue, malaria and filariasis", "Figure 3, left"]
    assert all(_ABBREVIATION_KEY.match(text) for text in keys)
    assert not any(_ABBREVIATION_KEY.match(text) for text in labels)


def test_an_underlined_heading_over_a_caption_is_not_its_figure(tmp_path):
    """Handbook p45: an underlined heading ("Flight range") and its value line right over the caption of the
    photo under it. The underline was a graphic, so the heading and value were a figure above the caption (the
    side a figure caption prefers) and took the caption from the photo."""
    path = tmp_path / "underline.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    pdf.setFont("Times-Bold", 10)
    pdf.drawString(COLUMN[0], HEIGHT - 200, "Flight range")
    _line(pdf, COLUMN[0], 202, COLUMN[0] + stringWidth("Flight range", "Times-Bold", 10), 202)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(COLUMN[0], HEIGHT - 213, "1000-3000 m")
    _caption(pdf, 240, "Figure 18. Rice field")
    pixels = (np.random.default_rng(5).random((120, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), COLUMN[0], HEIGHT - 400, 200, 150)
    _paragraph(pdf, 440, 8)
    figures = _figures(pdf, path, tmp_path)
    assert list(figures) == ["18"], figures
    assert figures["18"].iou(Box(COLUMN[0], 250, COLUMN[0] + 200, 400)) >= 0.95, figures


def test_a_figure_filling_one_column_with_its_caption_at_the_top_of_the_other_is_found(tmp_path):
    """PLoS Pathogens 2006 Figure 1: flow charts (A) over (B) fill the left column, 18 pt of white space between
    them; the caption sits at the top of the right column, body text under it. With no body text in the left
    column, the page's text area is the right column alone, so the caption (a column wide) counted as too wide
    to have a figure beside it, and nothing was found."""
    path = tmp_path / "beside.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    for part, top in (("A", 60), ("B", 345)):
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(60, HEIGHT - top - 8, part)
        for row in range(4):  # a column of boxes joined by arrows
            y = top + 2 + 75 * row
            pdf.rect(72, HEIGHT - y - 40, 220, 40)
            if row:
                _line(pdf, 182, y - 35, 182, y)
    pdf.setFont("Times-Bold", 9)
    pdf.drawString(320, HEIGHT - 60, "Figure 1. Flowchart of patient participation")
    pdf.setFont("Times-Roman", 9)
    for i, text in enumerate(
        ("(A) Trial profile of microfilaremic patients. Of the 76 patients,", "33 were present at all time points.")
    ):
        pdf.drawString(320, HEIGHT - 71 - 11 * i, text)
    pdf.setFont("Times-Roman", 10)
    for i in range(40):
        words = " ".join(_WORDS[(i * 3 + k) % len(_WORDS)] for k in range(7))
        pdf.drawString(320, HEIGHT - 120 - 12 * i, words)
    figures = _figures(pdf, path, tmp_path)
    assert figures["1"].iou(Box(60, 61, 292, 612)) >= 0.95, figures


def test_the_edge_of_a_frame_around_the_page_text_joins_no_logo_to_a_figure(tmp_path):
    """A browser-printed e-book (LibreTexts, held-out 6) draws a frame around the page's text, its left edge from the
    header logo down past the figure: the frame is a page background (no figure), but its edge stayed in the ink and
    joined the logo and the figure into one group nearer the caption than the figure alone."""
    path = tmp_path / "frame.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    pdf.setStrokeColorRGB(0.6, 0.7, 0.9)
    pdf.rect(
        134, HEIGHT - 780, 430, 740, fill=0
    )  # the frame (0.66 of the page), its left edge 10 pt left of the column
    pdf.setStrokeColorRGB(0, 0, 0)
    logo = np.full((20, 60, 3), (40, 90, 200), dtype="uint8")
    pdf.drawImage(ImageReader(Image.fromarray(logo)), 100, HEIGHT - 58, 60, 20)  # across the frame's corner
    pixels = (np.random.default_rng(5).random((80, 120, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 240, HEIGHT - 220, 150, 140)  # the figure, y 80-220
    _caption(
        pdf, 236, "Figure 5.4: A uniformly charged disk. As in the line charge example, the field above the centre"
    )
    _paragraph(pdf, 270, 30)
    figures = _figures(pdf, path, tmp_path)
    assert abs(figures["5.4"].x0 - 240) <= 2 and abs(figures["5.4"].top - 80) <= 2, figures


def test_overlaps_answers_as_the_intersection_does():
    """`Box.overlaps` (the region search's pre-test, no box built) is `intersection(...) is not None`, and
    `overlap_area` the intersection's area, on every pair:
    apart, touching at an edge or a corner, nested, of no width or height, and at random."""
    edges = [0.0, 1.0, 2.0, 3.0]
    boxes = [Box(x0, top, x1, bottom) for x0 in edges for x1 in edges for top in edges for bottom in edges]
    rng = np.random.default_rng(0)
    boxes += [Box(*map(float, rng.uniform(-5, 5, 4))) for _ in range(300)]
    for a in boxes:
        for b in boxes:
            assert a.overlaps(b) == (a.intersection(b) is not None)
            inter = a.intersection(b)
            assert a.overlap_area(b) == (inter.area if inter else 0.0)


def test_is_level_with_answers_as_its_definition_does():
    """`Box.is_level_with` (written out for speed) is "`v_overlap` at least half the shorter height", on every pair:
    apart, touching, nested, of no or negative height, and at random."""
    edges = [0.0, 1.0, 2.0, 3.0]
    boxes = [Box(0.0, top, 1.0, bottom) for top in edges for bottom in edges]
    rng = np.random.default_rng(1)
    boxes += [Box(*map(float, rng.uniform(-5, 5, 4))) for _ in range(300)]
    for a in boxes:
        for b in boxes:
            assert a.is_level_with(b) == (a.v_overlap(b) >= 0.5 * min(a.height, b.height))


def test_cards_are_read_only_for_a_picture_left_without_a_caption(tmp_path, monkeypatch):
    """The cards under unlabelled captions (`card_fill`, a pdfium read of every graphic) are looked for only when a
    picture reaches that step: a page whose figure has its labelled caption reads none."""
    from mmskin_build.extract import detect

    asked = []
    monkeypatch.setattr(detect, "card_fill", lambda graphic: asked.append(graphic))
    path = tmp_path / "labelled.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    pixels = (np.random.default_rng(4).random((80, 120, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 200, HEIGHT - 320, 180, 140)  # y 180-320
    _caption(pdf, 336, "Figure 2. A labelled picture")
    _paragraph(pdf, 370, 10)
    assert set(_figures(pdf, path, tmp_path)) == {"2"}
    assert asked == []


def _ruled_heading(pdf: Canvas, top: float, text: str) -> None:
    """A book's small-capital heading over a short blue rule that starts 5 pt before it, 7 pt under its foot."""
    pdf.setFont("Helvetica", 6.6)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(COLUMN[0] + 5, HEIGHT - top, text)
    pdf.setStrokeColorRGB(0, 0.68, 0.94)
    _line(pdf, COLUMN[0], top + 7, COLUMN[0] + 5 + stringWidth(text, "Helvetica", 6.6), top + 7)
    pdf.setStrokeColorRGB(0, 0, 0)


def test_a_flow_chart_keeps_the_box_its_long_connector_ties_and_leaves_the_ruled_headings_under_it(tmp_path):
    """WHO wound-management book Figures 5.1 and 11.1: a caption and each section heading set in small capitals over
    a short rule, the flow chart between them; its boxes hang on one long vertical connector, as long as a page
    rule and erased as one, the last box under a white band that only the connector crosses. On main the rules
    were the figure's ink, so its box took in the headings under it; without the connector the last box is cut."""
    path = tmp_path / "ruled.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _ruled_heading(pdf, 66, "FIGURE 5.1 PREPARING THE WOUND BED PARADIGM")
    pdf.setFillColorRGB(0, 0.68, 0.94)
    pdf.setStrokeColorRGB(0, 0.68, 0.94)
    for y in (90, 170, 250):  # three rows of three boxes, tied by short elbows to the connector
        for x in (154, 254, 354):
            pdf.rect(x, HEIGHT - y - 40, 90, 40, stroke=0, fill=1)
        _line(pdf, 199, y + 50, 399, y + 50)
    pdf.rect(204, HEIGHT - 440, 190, 60, stroke=0, fill=1)  # the last box, 40 pt of white over it
    _line(pdf, 299, 130, 299, 400)  # the connector, 270 pt long
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setStrokeColorRGB(0, 0, 0)
    _ruled_heading(pdf, 475, "5.3 TREAT THE CAUSE")
    _ruled_heading(pdf, 502, "5.3.1 RECOMMENDATION 1")
    _paragraph(pdf, 535, 15)
    figures = _figures(pdf, path, tmp_path)
    assert list(figures) == ["5.1"], figures
    assert figures["5.1"].iou(Box(154, 90, 444, 440)) >= 0.95, figures


def _bent_arrow(pdf: Canvas, x: float, top: float, right: bool, down: bool) -> None:
    """A thick block arrow bent through a quarter turn, 30 pt square, from its corner at (`x`, `top`) (from the top)."""
    sx, sy = (1 if right else -1), (1 if down else -1)
    path = pdf.beginPath()
    path.moveTo(x, HEIGHT - top)
    for dx, dy in ((22, 0), (22, 20), (28, 20), (18, 30), (8, 20), (14, 20), (14, 8), (0, 8)):
        path.lineTo(x + sx * dx, HEIGHT - top - sy * dy)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)


def test_a_framed_cycle_diagram_whose_parts_lie_apart_is_its_whole_frame(tmp_path):
    """The WHO toolkit's Fig. 1.1: a cycle of four words tied by four bent arrows, text beside each arrow, far apart,
    in a thin frame as wide as the text (a border to `_frames`, erased from the ink), its caption over the frame.
    Only the part nearest the caption (the top word and the arrow under it) was found."""
    path = tmp_path / "cycle.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    _caption(pdf, 190, "Fig. 1.1 Data analysis and use cycle")
    pdf.setLineWidth(0.5)
    pdf.rect(COLUMN[0], HEIGHT - 410, COLUMN[1] - COLUMN[0] - 4, 210)  # the frame, its caption over it
    pdf.setFont("Helvetica", 9)
    for x, top, words in ((280, 215, "Indicator selection"), (380, 265, "Quality checks"), (170, 330, "Use")):
        pdf.drawString(x, HEIGHT - top, words)
    pdf.setFont("Helvetica-Bold", 10)
    for x, top, word in (
        (290, 250, "DATA"),
        (370, 310, "INFORMATION"),
        (280, 390, "EVIDENCE"),
        (170, 310, "DECISIONS"),
    ):
        pdf.drawString(x, HEIGHT - top, word)
    pdf.line(300, HEIGHT - 222, 300, HEIGHT - 238)  # the arrow down to the top word
    for x, top, right, down in ((340, 255, True, True), (380, 330, False, True), (250, 395, False, False)):
        _bent_arrow(pdf, x, top, right, down)
    _bent_arrow(pdf, 200, 290, True, False)
    _paragraph(pdf, 430, 6)
    figures = _figures(pdf, path, tmp_path)
    assert figures["1.1"].contains(Box(COLUMN[0], 200, COLUMN[1] - 4, 410), tolerance=1.5), figures
    assert figures["1.1"].bottom < 425, "the body text under the frame stays out"


def test_a_note_paragraph_set_wider_than_the_drawing_under_it_is_not_part_of_it(tmp_path):
    """WER 86(35) Fig. 1 and WER 88(2) Map 1 (held-out 35): a note of two rows and more in small type (the map's
    disclaimer, a key of abbreviations no pattern knows) set across the frame under a pie chart, closer than the ink
    link: the box took it in and ran to the text's width. A paragraph running past the drawing on both sides, with no
    graphic in it, is a note to the figure; the labels on the pie stay in."""
    path = tmp_path / "note.pdf"
    pdf = Canvas(str(path), pagesize=(612, HEIGHT))
    _paragraph(pdf, 80, 8)
    _caption(pdf, 190, "Figure 1. Share of the population covered, by medicine delivered, 2010")
    pdf.circle(300, HEIGHT - 290, 75)
    _line(pdf, 300, 290, 300, 215)
    _line(pdf, 300, 290, 360, 335)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(320, HEIGHT - 250, "17.5%")
    pdf.drawString(250, HEIGHT - 320, "82.5%")
    pdf.setFont("Helvetica", 7)
    first = "The figures given for each medicine delivered are rounded to the nearest tenth of a per cent and so"
    pdf.drawString(COLUMN[0], HEIGHT - 384, first)  # 307 pt: past the pie on both sides
    pdf.drawString(
        COLUMN[0], HEIGHT - 392, "they may not add up to the total; two reports came in after the year closed."
    )
    _paragraph(pdf, 440, 8)
    figures = _figures(pdf, path, tmp_path)
    assert figures["1"].iou(Box(225, 215, 375, 365)) >= 0.95, figures

"""extract.layout on generated pages: which lines are the text flow's and which a figure's."""

from __future__ import annotations

import numpy as np
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import SOLID_LEADING, DocumentStyle, _columns, _own_body_size
from mmskin_build.extract.page import TextLine
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset
from tests.fixtures.layout_pages import PROSE_WORDS, only_figure, running_prose, text_boxes

_HEIGHT = 792
_NODE_TEXT = "Stimulate by rubbing the back two or three times."


def test_lines_of_body_type_in_flow_chart_boxes_tied_by_arrows_are_the_chart_s(tmp_path):
    """WHO pocket book Chart 12: a flow chart whose boxes hold several lines each in the body's type, tied by arrows
    drawn from box to box, under its title. Taken for paragraphs, the boxes' lines stopped the search under the title
    at once, and the chart was not found (or only its column of short lines)."""
    path = tmp_path / "chart.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 7)
    running_prose(pdf, 72, _HEIGHT - 100, 8, leading=8, per_line=14)
    pdf.setFont("Times-Bold", 9)
    pdf.drawString(72, _HEIGHT - 190, "Chart 12. Neonatal resuscitation: Flow chart")
    pdf.setFont("Times-Roman", 7)
    text_boxes(pdf, _HEIGHT, [(72, 205, 282, 240), (72, 255, 282, 290), (72, 305, 282, 350)], _NODE_TEXT)
    text_boxes(pdf, _HEIGHT, [(320, 205, 420, 240), (320, 255, 420, 290)], "Routine care")
    for x0, top, x1, bottom in ((177, 240, 177, 255), (177, 290, 177, 305), (282, 222, 320, 222), (282, 272, 320, 272)):
        pdf.line(x0, _HEIGHT - top, x1, _HEIGHT - bottom)  # the arrows from box to box
    running_prose(pdf, 72, _HEIGHT - 400, 8, leading=8, per_line=14)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == "Chart 12. Neonatal resuscitation: Flow chart"
    assert Box(*figure["bbox"]).contains(Box(72, 205, 420, 350), tolerance=1.5), figure["bbox"]


def test_frames_round_two_columns_of_paragraphs_tied_by_a_rule_under_a_figure_are_no_chart_s_nodes(tmp_path):
    """Mol. Ther. 2001 (crash sweep, norma 904767aa57 p. 6): each text column drawn in a frame, a plot at the foot of
    the left column reaching into the right one (its text wrapped beside it), a hairline under its caption across both
    frames. The frames, holding lines of body type and tied by that stroke, passed for a flow chart's nodes: no line of
    the page was a paragraph, and Figure 5 took the whole page."""
    path = tmp_path / "frames.pdf"
    pdf = Canvas(str(path), pagesize=(525, _HEIGHT))
    pdf.setLineWidth(0.1)
    pdf.rect(15, _HEIGHT - 686, 241, 622)  # the text frames of the two columns
    pdf.rect(269, _HEIGHT - 686, 241, 622)
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 18, _HEIGHT - 75, 28, leading=11, per_line=8)
    running_prose(pdf, 272, _HEIGHT - 75, 28, leading=11, per_line=8)
    running_prose(pdf, 360, _HEIGHT - 75 - 11 * 28, 26, leading=11, per_line=5)  # wrapped beside the plot
    rng = np.random.default_rng(5)
    for k in range(30):  # the plot's curves, from the left column into the right one
        pdf.line(25 + 10 * k, _HEIGHT - 600 + 5 * k, 35 + 10 * k, _HEIGHT - 420 - int(rng.integers(0, 40)))
    pdf.line(25, _HEIGHT - 610, 345, _HEIGHT - 610)
    pdf.line(25, _HEIGHT - 610, 25, _HEIGHT - 410)
    pdf.drawString(18, _HEIGHT - 650, "FIG. 5. Model prediction of NLS incorporation onto a synthetic vector.")
    pdf.line(16, _HEIGHT - 679, 354, _HEIGHT - 679)  # the hairline under the caption, across both frames
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "5"
    assert Box(14, 376, 356, 642).contains(Box(*figure["bbox"])), figure["bbox"]
    assert Box(*figure["bbox"]).contains(Box(25, 460, 345, 610)), figure["bbox"]


def test_flow_chart_boxes_tied_by_shafts_that_stop_short_of_their_heads_are_the_chart_s(tmp_path):
    """The session 34 sweep, EssOilDB c3e4cb99c7 Fig. 2 (a guideline's flow chart): each arrow drawn as a shaft that
    stops 4 pt over the next box and a filled head apart, touching it. No stroke reached the box, so its two lines in
    the body's type were a paragraph, which stopped the search from the caption under the chart: the figure was
    missed."""
    path = tmp_path / "chart.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 7)
    running_prose(pdf, 72, _HEIGHT - 100, 8, leading=8, per_line=14)
    text_boxes(pdf, _HEIGHT, [(110, 205, 320, 240), (110, 255, 320, 290), (110, 305, 320, 350)], _NODE_TEXT)
    text_boxes(pdf, _HEIGHT, [(358, 205, 458, 240)], "Routine care")
    for x0, top, x1, bottom in ((215, 240, 215, 251), (215, 290, 215, 301), (320, 222, 354, 222)):
        pdf.line(x0, _HEIGHT - top, x1, _HEIGHT - bottom)  # each shaft 4 pt short of the box its head touches
    for x, y, dx, dy in ((215, 255, 0, -4), (215, 305, 0, -4), (358, 222, -4, 0)):  # each head a path of its own
        head = pdf.beginPath()
        head.moveTo(x, _HEIGHT - y)
        head.lineTo(x + dx - 3 * (dy != 0), _HEIGHT - y - dy - 3 * (dx != 0))
        head.lineTo(x + dx + 3 * (dy != 0), _HEIGHT - y - dy + 3 * (dx != 0))
        head.close()
        pdf.drawPath(head, stroke=0, fill=1)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(72, _HEIGHT - 365, "Fig. 2. Management of the newborn who does not breathe at birth.")
    pdf.setFont("Times-Roman", 7)
    running_prose(pdf, 72, _HEIGHT - 400, 8, leading=8, per_line=14)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "2"
    assert Box(*figure["bbox"]).contains(Box(110, 205, 458, 350), tolerance=1.5), figure["bbox"]


def test_flow_chart_boxes_tied_by_arrows_that_leave_each_box_short_of_it_are_the_chart_s(tmp_path):
    """BMC Infect Agents Cancer 2016 (crash sweep, norma 1b81242b94 p. 2 Fig. 1, an article-selection flow chart
    under two columns of text): each arrow's shaft starts 3 pt under the box it leaves, its head on the next box. A
    connector had to touch both boxes, so the last box's line, in the body's type and most of a column wide, was a
    paragraph, which stopped the search from the caption under the chart: the figure was a sliver of that box."""
    path = tmp_path / "chart.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 9)
    for x in (56, 316):
        running_prose(pdf, x, _HEIGHT - 80, 12, per_line=8)
    nodes = [
        (226, "Papers retrieved from the databases = 8,207"),
        (276, "Case-control studies with the outcome = 28"),
        (326, "The papers finally selected for this study = 24"),
    ]
    for top, text in nodes:
        pdf.rect(150, _HEIGHT - top - 24, 250, 24)
        pdf.drawString(170, _HEIGHT - top - 15, text)
    for top, bottom in ((255, 272), (305, 322)):  # each shaft 3 pt (past its stroke's width) under the box it leaves
        pdf.line(275, _HEIGHT - top, 275, _HEIGHT - bottom)
        head = pdf.beginPath()
        head.moveTo(275, _HEIGHT - bottom - 4)
        head.lineTo(272, _HEIGHT - bottom)
        head.lineTo(278, _HEIGHT - bottom)
        head.close()
        pdf.drawPath(head, stroke=0, fill=1)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(56, _HEIGHT - 368, "Fig. 1 Flow chart of article selection")
    pdf.setFont("Times-Roman", 9)
    for x in (56, 316):
        running_prose(pdf, x, _HEIGHT - 400, 12, per_line=8)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).contains(Box(150, 226, 400, 350), tolerance=1.5), figure["bbox"]


def test_a_page_that_is_one_heatmap_keeps_its_rows_of_cell_values_out_of_the_text_flow(tmp_path):
    """NAACL 2024 appendix pages (the session 33 sweep: mineru 82fffa3fb8 p14, 6307941682 p17): a heatmap and its
    caption (in 9 pt, under 10 pt body text) alone on a page, its cell values printed as rows of numbers in 6 pt.
    With no paragraph in the book's body size there, the page's own body size became the heatmap's, its rows body
    text, which stopped the caption's search at once: the figure was missed."""
    path = tmp_path / "heatmap.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, _HEIGHT - 72, 50)
    pdf.showPage()
    rng = np.random.default_rng(7)
    for row in range(14):
        y = _HEIGHT - 120 - 22 * row
        values = rng.uniform(-1, 1, 16)
        for column, value in enumerate(values):
            pdf.setFillColorRGB(0.5 + value / 2, 0.3, 0.5 - value / 2)
            pdf.rect(100 + 20 * column, y, 20, 22, fill=1, stroke=0)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", 6)
        pdf.drawRightString(86, y + 8, f"Civil comments | demographic: group {row} of the subset")
        text = pdf.beginText(102, y + 8)  # a row's values as one line of text, as the plotting library set them
        text.setFont("Helvetica", 6)
        text.setWordSpace(4)
        text.textLine(" ".join(f"{value:.2f}" for value in values))
        pdf.drawText(text)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(36, _HEIGHT - 440, "Figure 12: Scenario ranking correlations. This figure depicts the Kendall")
    pdf.drawString(36, _HEIGHT - 451, "correlation matrix between the ranking of models in different scenarios.")
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "12"
    assert Box(*figure["bbox"]).contains(Box(100, 98, 420, 406), tolerance=1.5), figure["bbox"]


def test_type_too_small_for_running_text_gives_a_page_no_body_size_of_its_own():
    """The heatmap of mineru 6307941682 p17 labels its rows in 2.8 pt ("Civil comments | demographic: LGBTQ"): ten
    such lines, as wide as a paragraph's in that size, made 3 pt the page's body size, and its rows of cell values in
    3.1 pt body text. No book sets running text under 5 pt."""
    labels = [
        TextLine(
            f"Civil comments | demographic: group {k} of the subset", Box(16, 110 + 22 * k, 86, 113 + 22 * k), 2.8, 0
        )
        for k in range(10)
    ]
    assert _own_body_size(labels, 10.0) == 10.0


def test_pages_of_references_in_small_type_do_not_outweigh_the_body_text():
    """A review (the session 34 sweep's EssOilDB b0980df739, 30 pages): twenty pages of body text in 10 pt and ten
    of references in 8 pt, denser, held 76k and 81k characters, so the body size was 8 pt and the body lines of its
    figure pages were taken for figure text (Figure 4 went uncaptioned). A page counts no more characters than the
    median page of running text; pages of pictures, with few characters, keep their counts."""
    prose = " ".join(PROSE_WORDS)
    style = DocumentStyle()
    for number in range(1, 35):
        size, lines = (10.0, 40) if number <= 20 else (8.0, 60)  # 800 lines of body, 840 of references
        page = [TextLine(prose, Box(72, 60 + 11 * k, 540, 68 + 11 * k), size, 0) for k in range(lines)]
        style.add_page(number, 792.0, page)
    assert style.body_size == 10.0
    atlas = DocumentStyle()  # ten pages of text, thirty of photographs with a few labels in 6 pt
    for number in range(1, 41):
        size, lines = (10.0, 40) if number <= 10 else (6.0, 3)
        atlas.add_page(
            number, 792.0, [TextLine(prose, Box(72, 60 + 12 * k, 540, 70 + 12 * k), size, 0) for k in range(lines)]
        )
    assert atlas.body_size == 10.0


def test_the_body_size_is_the_size_most_pages_set_their_paragraphs_in():
    """A short paper (3 Biotech, EssOilDB 3a157413fb): five pages of text in 10 pt, then five of references in 8.5 pt,
    denser, which held more characters, so the body size was 8.5 pt and a flow chart's 8.4 pt label across both
    columns passed for a paragraph's line: the caption under the chart took one strip of it. As many pages set their
    paragraphs in each size: the larger is the text's. And a review's tables of numbers set small (MDPI) are no
    paragraphs, however many characters they hold."""
    prose = " ".join(PROSE_WORDS)
    paper = DocumentStyle()
    for number in range(1, 11):
        size, lines = (10.0, 40) if number <= 5 else (8.5, 60)
        page = [TextLine(prose, Box(72, 60 + 11 * k, 540, 68 + 11 * k), size, 0) for k in range(lines)]
        paper.add_page(number, 792.0, page)
    assert paper.body_size == 10.0
    review = DocumentStyle()
    row = " ".join(f"{k}.{k + 3}" for k in range(20))
    for number in range(1, 9):
        page = [TextLine(prose, Box(72, 60 + 12 * k, 540, 70 + 12 * k), 10.0, 0) for k in range(40)]
        page += [TextLine(row, Box(72, 550 + 3.8 * k, 540, 553 + 3.8 * k), 3.5, 0) for k in range(60)]
        review.add_page(number, 792.0, page)
    assert review.body_size == 10.0


def test_running_text_in_narrow_columns_is_the_body_size_over_its_wider_set_references():
    """A case report (dev set, meddiag "Rash in a returned traveller from Bali", Australian Family Physician): two
    pages of text in three columns of 8.8 pt, 150 pt wide (17 ems), then a page of references in 6.4 pt across the
    same columns (23 ems of theirs). Counted only where paragraph-wide in ems, the text was no paragraph and the body
    size came out 6.4 pt."""
    prose = " ".join(PROSE_WORDS)
    report = DocumentStyle()
    for number in (1, 2, 3):
        size, step = (8.8, 11) if number < 3 else (6.4, 8)
        page = [
            TextLine(prose[: int(150 / (0.45 * size))], Box(x0, 60 + step * k, x0 + 150, 60 + step * k + size), size, 0)
            for x0 in (40, 210, 380)
            for k in range(int(680 / step))
        ]
        report.add_page(number, 792.0, page)
    assert report.body_size == 8.8


def test_a_slide_deck_s_body_size_is_its_most_used_size_not_its_largest_bullets():
    """A survey's slides (held-out 8, Palau 2012): a few bullets a slide, in 18 pt and, fewer, in 24 pt. No slide is a
    page of running text: the paragraph statistic took the larger size holding half as many characters, 24 pt, and an
    18 pt bullet beside a photograph then read as the photograph's caption."""
    bullet = " ".join(PROSE_WORDS)[:36]
    deck = DocumentStyle()
    for number in range(1, 11):
        sizes = [18.0] * 4 + [24.0] * 2
        page = [
            TextLine(bullet, Box(60, 120 + 40 * k, 60 + 0.45 * size * 36, 120 + 40 * k + size), size, 0)
            for k, size in enumerate(sizes)
        ]
        deck.add_page(number, 540.0, page, page_width=720.0)
    assert deck.body_size == 18.0


def test_the_body_size_pools_pdfiums_readings_of_one_size_a_hair_apart():
    """An MDPI paper's 10 pt body is read as 9.9, 10.0 and 10.1 pt, line by line: each of the three held fewer
    characters than its 9 pt captions and tables, so the body size was 9 pt, a chart's row of 9 pt group names under
    its axis was body text and the chart lost its caption (the sweep's EssOilDB e3b5c2b8c9, Figures 1 and 4)."""
    style = DocumentStyle()
    prose = " ".join(PROSE_WORDS)
    lines = [TextLine(prose, Box(72, 80 + 12 * k, 540, 90 + 12 * k), (9.9, 10.0, 10.1)[k % 3], 0) for k in range(45)]
    lines += [TextLine(prose, Box(72, 700 + 10 * k, 540, 709 + 10 * k), 9.0, 0) for k in range(20)]
    style.add_page(1, 792.0, lines)
    assert abs(style.body_size - 10.0) <= 0.1


def _column(x: float, top: float, size: float, pitch: float, rows: int, width: float = 300) -> list[TextLine]:
    return [
        TextLine("body text " * 6, Box(x, top + pitch * k, x + width, top + pitch * k + size), size, 0)
        for k in range(rows)
    ]


def test_the_body_leading_is_the_running_texts_not_a_reference_lists_or_a_tables():
    # Every line of a double-spaced manuscript stands 2.3 type sizes under the one over it. A review set solid
    # holds more reference entries in 9 pt (their first lines 2.9 sizes apart over their indented lines: MDPI's
    # 2a4c328ac0) than paragraph lines in 10 pt, and table rows in 8 pt that pdfium reads as wide lines (2.8 apart:
    # PLoS's baa105932c); neither is its leading.
    manuscript = DocumentStyle()
    for number in range(1, 4):
        manuscript.add_page(number, 792.0, _column(72, 72, 12.0, 27.6, 22))
    assert manuscript.body_leading == 2.3
    review = DocumentStyle()
    review.add_page(1, 792.0, _column(72, 72, 10.0, 13.0, 40))
    entries = _column(72, 72, 9.0, 26.0, 26)
    indented = _column(82, 85, 9.0, 26.0, 26, width=290)
    review.add_page(2, 792.0, entries + indented)
    review.add_page(3, 792.0, _column(200, 72, 8.0, 22.4, 25, width=150))
    assert review.body_leading == 1.3
    assert DocumentStyle().body_leading == SOLID_LEADING


def test_a_row_of_framed_words_that_the_text_layer_reads_as_one_line_is_the_chart_s(tmp_path):
    """KDD 2010 (crash sweep, science-parse c6b62cd3a2 p. 5, Figure 3): four "sampler" boxes over four "memcached"
    boxes, every sampler tied to every memcached by a line. The memcached words, in the body's type and a word gap and
    a little apart, were read as one line across most of the column: a paragraph's line, which stopped the search up
    from the caption at once, and the figure was not found."""
    path = tmp_path / "diagram.pdf"
    pdf = Canvas(str(path), pagesize=(612, _HEIGHT))
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 54, _HEIGHT - 80, 16, leading=11, per_line=8)
    running_prose(pdf, 316, _HEIGHT - 80, 56, leading=11, per_line=8)
    pdf.setFont("Times-Roman", 9)
    word = stringWidth("memcached", "Times-Roman", 9)
    row = pdf.beginText(64, _HEIGHT - 351)  # one run of text, each word a 12 pt gap from the next (its box 4 pt apart)
    row.setWordSpace(12 - stringWidth(" ", "Times-Roman", 9))
    row.textLine(" ".join(["memcached"] * 4))
    pdf.saveState()  # the word spacing is the graphics state's: the text after the row has its own
    pdf.drawText(row)
    pdf.restoreState()
    for k in range(4):
        sampler, memcached = 70 + 52 * k, 62 + (word + 12) * k
        pdf.rect(sampler, _HEIGHT - 300, 40, 16)
        pdf.drawString(sampler + 6, _HEIGHT - 295, "sampler")
        pdf.rect(memcached, _HEIGHT - 356, word + 4, 16)
        for j in range(4):
            pdf.line(sampler + 20, _HEIGHT - 300, 62 + (word + 12) * j + word / 2, _HEIGHT - 340)
    pdf.setFont("Times-Bold", 9)
    for n, text in enumerate(
        ("Figure 3: Each sampler keeps on processing the sub-", "set of data associated with it.")
    ):
        pdf.drawString(54, _HEIGHT - 394 - 11 * n, text)
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 54, _HEIGHT - 440, 30, leading=11, per_line=8)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "3"
    assert Box(*figure["bbox"]).contains(Box(62, 284, 258, 356), tolerance=1.5), figure["bbox"]


def test_a_list_indented_a_little_in_its_column_leaves_the_column_its_paragraphs_edge():
    """ACL 2006 (crash sweep, science-parse 5100e93474 p. 4): paragraphs at 72 pt, a numbered list at 82 pt whose
    entries run over to 94 pt. The column's group of left edges also held the list's numbers, so it lost to the
    run-over lines as "a list indented in its column": the left column came out as 94-186 pt, a caption at 72 pt
    stood outside it, and its figure's search ran across the page into the next column's figure."""
    rows = [(72, "where H is the head-child of the phrase, which in-")] * 6
    rows += [(82, "1. The probability of choosing a head constituent"), (94, "label H: Ph(H|P, h).")]
    rows += [(81, "2. The probabilities of choosing the left and right"), (94, "subcat frames LC and RC: Pl")]
    rows += [(94, "and Pr"), (83, "Sparse data makes the direct estimation of")]
    body = [
        TextLine(text, Box(x0, 100 + 14 * k, 298 if len(text) > 40 else x0 + 5 * len(text), 110 + 14 * k), 10.9, 0)
        for k, (x0, text) in enumerate(rows)
    ]
    assert _columns(body) == [(72, 298)]

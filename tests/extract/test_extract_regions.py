"""extract's figure boxes on generated pages: what a figure's box holds (keys, labels, parts set apart, flow charts
across the gutter) and what it leaves out (headings, lists, body text wrapped beside it, feature boxes, table rules,
running-head rules), and pictures that are no figure (watermarks, faxed pages, display type over a photo, as text or
as photo-filled lettering, a photo bled off one side of the page, photos cut to circles)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import (
    DENGUE_PARAGRAPH,
    FONT_20,
    LEGEND_TEXT,
    PROSE_WORDS,
    body_paragraph,
    by_label,
    caption_over_prose,
    centred_string,
    extracted_with_a_captioned_photo,
    figures_left_to_right,
    justified_line,
    micrograph_plate,
    only_figure,
    photo_pixels,
    ruled_table,
    running_prose,
    scatter_plot,
    springer_side_caption,
    text_boxes,
    titled_line_chart,
    under_a_wide_caption,
    wrapped_lines,
)
from mmskin_build.extract.captions import Caption
from mmskin_build.extract.detect import _caption_in_a_corner
from mmskin_build.extract.document import ExtractConfig, open_pdf
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import _looks_like_body
from mmskin_build.extract.page import Graphic, TextLine, one_colour, read_page
from mmskin_build.extract.panels import find_panels
from mmskin_build.extract.regions import FigureRegion, _labels_toward_caption, _past_its_own, _stacked_parts
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample import images
from mmskin_build.sample.styles import line_drawings
from mmskin_build.store import Dataset


def test_two_columns_with_labels_between_pointing_into_both_are_one_diagram():
    """OpenStax Figure 5.8: dark and light skin drawn as two textured columns, the names of their layers printed between
    them, each with a leader line into both columns. The gap between the columns is blank to the gutter search (thin
    lines and sparse text), so the diagram came out as two panels. Two columns set apart with nothing between them
    stay two."""
    rng = np.random.default_rng(5)
    apart = Image.new("RGB", (1130, 890), "white")
    apart.paste(images.skin_photo(rng, 376, 890), (0, 0))
    apart.paste(images.skin_photo(rng, 376, 890), (754, 0))
    labelled = apart.copy()
    draw = ImageDraw.Draw(labelled)
    for y in (140, 360, 520, 690, 840):
        draw.line((260, y, 500, y), fill="black", width=2)
        draw.text((510, y - 10), "Layer", fill="black", font=FONT_20)
        draw.line((610, y, 890, y), fill="black", width=2)
    figure = Box(0, 0, 565, 445)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    assert len(find_panels(region, apart)) == 2
    assert find_panels(region, labelled) == []


def test_drawings_joined_by_a_drawn_arrow_are_one_diagram():
    """Four stages drawn in one picture, a thin vector arrow running from one down to the next (WHO 2013 handbook
    Figure 14, a cycle): at 72 dpi the arrow leaves one pixel of ink in the gutter, which the drawing search
    takes for blank, so the grid split into four. The arrow's own stroke says the parts are joined."""
    sheet = line_drawings(np.random.default_rng(0), count=4, columns=2)  # 660 x 660 pixels, cells 300, gutters 60
    ImageDraw.Draw(sheet).line((510, 300, 510, 360), fill="black", width=1)
    figure = Box(0, 0, 330, 330)  # two pixels a point
    picture = Graphic("image", figure, None)
    assert len(find_panels(FigureRegion(None, figure, [picture], []), sheet)) == 4  # stages set apart: a grid
    arrow = Graphic("path", Box(254.5, 149.8, 255.5, 180.0), None)  # from the upper right stage to the lower
    assert find_panels(FigureRegion(None, figure, [picture, arrow], []), sheet) == []
    rule = Graphic("path", Box(0, 164.5, 330, 165.5), None)  # a rule along the gutter joins nothing
    assert len(find_panels(FigureRegion(None, figure, [picture, rule], []), sheet)) == 4


def test_a_chapter_heading_right_over_a_picture_stays_out_of_its_box(tmp_path):
    """A chapter title in large bold type set 16 pt over the chapter's opening photo, the photo's caption under it:
    the heading starts at the text column's edge in type well larger than the body's, so it is no title of the
    figure (a figure's title is centred over it, or drawn in its frame)."""
    pdf = Canvas(str(tmp_path / "chapter.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica-Bold", 21.6)
    pdf.drawString(72, 792 - 70, "5 The Integumentary System")
    pdf.drawImage(ImageReader(photo_pixels(5)), 81, 792 - 234, 450, 147)
    pdf.setFont("Times-Roman", 10.8)
    pdf.drawString(72, 792 - 250, "Figure 5.1 Your skin is a vital part of your life and appearance (a-b).")
    body_paragraph(pdf, 500)
    figure = only_figure(pdf, tmp_path / "chapter.pdf", tmp_path)
    assert figure["label"] == "5.1"
    assert Box(*figure["bbox"]).iou(Box(81, 87, 531, 234)) >= 0.95, f"the heading is in the box {figure['bbox']}"


def test_word_processor_headings_right_over_a_picture_stay_out_of_its_box(tmp_path):
    """A word processor's default headings are bold but only a little larger than the body (Word's Heading 1 and 2:
    14 and 13 pt on 11 pt text; held-out 17's LibreOffice print): the document title and a one-word "Introduction"
    set 5.5 pt over the opening photo at the column's edge are headings, not the figure's title."""
    pdf = Canvas(str(tmp_path / "chapter.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica-Bold", 12.7)
    pdf.drawString(72, 792 - 106, "Chapter 26 Nervous System Infections")
    pdf.setFont("Helvetica-Bold", 11.8)
    pdf.drawString(72, 792 - 135, "Introduction")
    pdf.drawImage(ImageReader(photo_pixels(5)), 90, 792 - 344, 432, 200)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(72, 792 - 362, "Figure 26.1: This dog is exhibiting the restlessness and aggression of rabies.")
    body_paragraph(pdf, 792 - 390)
    figure = only_figure(pdf, tmp_path / "chapter.pdf", tmp_path)
    assert figure["label"] == "26.1"
    assert Box(*figure["bbox"]).iou(Box(90, 144, 522, 344)) >= 0.95, f"a heading is in the box {figure['bbox']}"


def test_a_one_line_paragraph_flush_over_a_plate_stays_out_of_its_box(tmp_path):
    """An atlas page printed by a browser: a paragraph, then "Diagnosis (clinical): Fading DN.", a line too short to
    be taken for a paragraph's, 15 pt over a row of three photographs, and the plate's legend under them. The line
    starts at the text column's edge in the body's type: the text flow's, not a label of the plate."""
    pdf = Canvas(str(tmp_path / "atlas.pdf"), pagesize=(612, 792))
    body_paragraph(pdf, 740)
    pdf.drawString(72, 792 - 180, "Diagnosis (clinical): Fading DN.")
    for k in range(3):
        pdf.drawImage(ImageReader(photo_pixels(30 + k)), 72 + 158 * k, 792 - 300, 150, 105)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(72, 792 - 312, "Figure 2.12 Dysplastic Nevi Case 12: Stable then regressing DN. (A) This picture")
    for k in range(3):
        pdf.drawString(72, 792 - 323 - 11 * k, LEGEND_TEXT)
    figure = only_figure(pdf, tmp_path / "atlas.pdf", tmp_path)
    assert figure["label"] == "2.12"
    assert Box(*figure["bbox"]).iou(Box(72, 195, 538, 300)) >= 0.95, f"the line is in the box {figure['bbox']}"


def test_a_list_whose_bullets_are_set_larger_than_its_words_stays_out_of_a_picture_under_it(tmp_path):
    """A handbook page (held-out 22, issue 13 class 41): over a centred picture, a list indented from the column, its
    bullets set larger than its words (17.9 pt before 13.8 pt), an item wrapped under its words right of the bullet
    ("against the nostril."), and a numbered step, all apart from the column that the paragraph under the figure
    sets. The list is the text flow's: read at the bullets' size its lines were no body type, its short lines no
    paragraph's, and the step not flush with a column, so all of them were boxed with the picture."""
    height = 842
    pdf = Canvas(str(tmp_path / "handbook.pdf"), pagesize=(595, height))
    pdf.setFont("Times-Roman", 13.8)
    pdf.drawString(88, height - 92, "3. Insert the airway:")
    words = (
        "Push the tip of the nose upward gently.",
        "Position the tube so the bevel of the airway faces toward the septum.",
        "Insert the airway into the nostril and advance it until the flange rests",
    )
    for k, item in enumerate(words):
        pdf.setFont("Times-Roman", 17.9)
        pdf.drawString(108, height - 117 - 25 * k, "\u2022")
        pdf.setFont("Times-Roman", 13.8)
        pdf.drawString(117, height - 117 - 25 * k, item)
    pdf.drawString(117, height - 182, "against the nostril.")
    pdf.drawString(88, height - 207, "4. Check the airway.")
    _handbook_picture(pdf, (148, height - 382, 300, 157), (268, height - 401, "Figure 1-9"))
    for k in range(6):
        pdf.drawString(101, height - 445 - 15 * k, "Objective: to demonstrate the recommended procedure for insertion")
    figure = only_figure(pdf, tmp_path / "handbook.pdf", tmp_path)
    assert figure["label"] == "1-9"
    assert Box(*figure["bbox"]).iou(Box(148, 225, 448, 382)) >= 0.95, f"list lines are in the box {figure['bbox']}"


def test_a_bold_heading_over_a_picture_keeps_its_column_edge_against_a_longer_indented_list(tmp_path):
    """Held-out 22 (issue 13 class 42): a paragraph, a bold heading 1.2 times the body at the column's edge, a
    diagram right under it, and a longer bulleted list indented in the column after the caption. The list's lines
    outnumbered the paragraph's and set the column's edge at the list's; the heading, not starting there, was no
    heading and was boxed with the diagram."""
    height = 842
    pdf = Canvas(str(tmp_path / "phases.pdf"), pagesize=(595, height))
    pdf.setFont("Times-Roman", 13.8)
    for k in range(4):
        pdf.drawString(
            88, height - 155 - 15 * k, "Understanding the phases of care is important for the proper application"
        )
    pdf.setFont("Times-Bold", 16.5)
    pdf.drawString(88, height - 241, "Phase 1: Care Under Fire")
    _handbook_picture(pdf, (90, height - 346, 416, 90), (224, height - 365, "Figure 2-1. Phase 1: CUF"))
    for k in range(2):
        pdf.drawString(
            108, height - 410 - 75 * k, "\u2022 Good tactics: care under fire is given while tactically engaged. The"
        )
        for j in range(1, 4):
            pdf.drawString(
                117, height - 410 - 75 * k - 15 * j, "most effective way to reduce morbidity and mortality is the"
            )
    figure = only_figure(pdf, tmp_path / "phases.pdf", tmp_path)
    assert figure["label"] == "2-1"
    assert Box(*figure["bbox"]).iou(Box(90, 256, 506, 346)) >= 0.95, f"the heading is in the box {figure['bbox']}"


def test_a_bold_heading_outdented_from_a_page_of_lists_is_no_part_of_the_figure_under_it(tmp_path):
    """Held-out 22 p50 (Figure 2-3): the page holds lists only, a bulleted entry at 108 pt and sub-entries whose
    wrapped lines hang at 142 pt, then the bold "Phase 3" heading at the text's edge, 88 pt, over a diagram. No body
    line starts at the text's edge, so the heading started at no column's and was boxed with the diagram."""
    height = 842
    pdf = Canvas(str(tmp_path / "lists.pdf"), pagesize=(595, height))
    pdf.setFont("Times-Roman", 13.8)
    pdf.drawString(108, height - 90, "\u2022 Good medicine: when no longer receiving effective fire the phase")
    for k in range(4):
        top = height - 110 - 62 * k
        pdf.drawString(130, top, "\u25e6 Airway. Check the airway for patency and apply a nasopharyngeal")
        for j in range(1, 4):
            pdf.drawString(142, top - 15 * j, "airway and ventilate with a bag valve mask when the airway is open")
    pdf.setFont("Times-Bold", 16.5)
    pdf.drawString(88, height - 370, "Phase 3: Tactical Evacuation Care")
    _handbook_picture(pdf, (97, height - 480, 400, 90), (224, height - 500, "Figure 2-3. Phase 3: TEC"))
    figure = only_figure(pdf, tmp_path / "lists.pdf", tmp_path)
    assert figure["label"] == "2-3"
    assert Box(*figure["bbox"]).iou(Box(97, 390, 497, 480)) >= 0.95, f"the heading is in the box {figure['bbox']}"


def _handbook_picture(pdf: Canvas, place: tuple[float, float, float, float], caption: tuple[float, float, str]) -> None:
    """A photo at `place` (x, y, width, height; PDF space) and its caption in the handbook's 13.8 pt bold under it;
    the body's 13.8 pt roman set again after it."""
    pdf.drawImage(ImageReader(photo_pixels(41)), *place)
    pdf.setFont("Times-Bold", 13.8)
    pdf.drawString(*caption)
    pdf.setFont("Times-Roman", 13.8)


def test_the_short_last_line_of_a_paragraph_indented_on_its_first_line_stays_out_of_a_plate_under_it(tmp_path):
    """A case-series article printed by a browser (held-out 12 article p1): an indented bulleted list sets the
    column's edge, then a collapsed disclosure line, its heading beside the triangle, wraps its last word,
    "Melanoma", back under the triangle, 12 pt over a row of pictures. The word is no paragraph line (too short) and
    not flush with the column (the list's edge): it was taken for figure text and boxed with the pictures. It is its
    paragraph's short last line, set left of the first as a paragraph indented on its first line goes on."""
    pdf = Canvas(str(tmp_path / "article.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica", 10)
    for k in range(12):
        pdf.circle(80, 792 - 97 - 13.5 * k, 1.5, stroke=0, fill=1)
        pdf.drawString(90, 792 - 100 - 13.5 * k, "Border: usually irregular. Edges often ragged, or notched")
    path = pdf.beginPath()  # the disclosure triangle
    path.moveTo(34, 792 - 270)
    path.lineTo(39, 792 - 273)
    path.lineTo(34, 792 - 276)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(45, 792 - 277, "Guidelines for Individuals at Increased Risk of")
    pdf.drawString(35, 792 - 290.5, "Melanoma")
    for k in range(3):
        pdf.drawImage(ImageReader(photo_pixels(50 + k)), 34 + 60 * k, 792 - 350, 48, 48)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(34, 792 - 362, "Fig. 1 The ABCDE features of pigmented lesions: (a) asymmetry, (b) border,")
    pdf.drawString(34, 792 - 372, "(c) color.")
    figure = only_figure(pdf, tmp_path / "article.pdf", tmp_path)
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).iou(Box(34, 302, 202, 350)) >= 0.95, f"the word is in the box {figure['bbox']}"


def test_a_tables_rules_ending_past_the_gutter_stay_out_of_the_picture_beside_them(tmp_path):
    """A LaTeX lab manual page (held-out 6 bookdown p48, outside its annotated pages): a ruled table in the left
    column, its rules running 20 pt past the column's edge, and a micrograph in the right column captioned under
    it. The caption's search starts at the gutter and took the rules' ends as a panel beside the picture (each
    group holding a graphic was one): the box grew 47 pt to the left. A rule lying mostly outside the search is the
    table's."""
    pdf = Canvas(str(tmp_path / "manual.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(72, 792 - 80, "Table 4.1: Structural differences between monocots")
    pdf.drawString(72, 792 - 92, "and dicots.")
    for y, width in ((118, 1.6), (135, 0.8), (583, 0.8)):
        pdf.setLineWidth(width)
        pdf.line(71, 792 - y, 302, 792 - y)
    pdf.drawString(78, 792 - 130, "Feature    In monocots    In dicots")
    cells = ["Leaf shape oblong", "Broad, seldom", "sheathed, petiole", "common often"]
    for k in range(30):
        pdf.drawString(150, 792 - 148 - 14 * k, cells[k % 4][:12])
        pdf.drawString(231, 792 - 148 - 14 * k, cells[(k + 1) % 4])
    pdf.drawImage(ImageReader(photo_pixels(7)), 345, 792 - 224, 161, 152)
    pdf.drawString(311, 792 - 243, "Figure 4.16: Monocot root.")
    for k in range(12):
        pdf.drawString(72, 792 - 640 - 12 * k, "Monocot and dicot roots (Figures 4.16 and 4.17) and")
        pdf.drawString(311, 792 - 640 - 12 * k, "Identify monocot and eudicot flower buds (Figure 4)")
    figure = only_figure(pdf, tmp_path / "manual.pdf", tmp_path)
    assert figure["label"] == "4.16"
    assert Box(*figure["bbox"]).iou(Box(345, 72, 506, 224)) >= 0.95, figure["bbox"]


_COLUMN_LINE = "Wounds infected with P. aeruginosa have a distinctive odor that"
_BOX_LINE = "Observing that the wound is purulent, the doctor tells him that"


def _two_column_page_with_a_feature_box(pdf: Canvas, box_bottom: float, prose_lines: int) -> None:
    """A two-column textbook page: serif body lines in the right column, and at the top of the left column a feature
    box (a "Clinical Focus" sidebar) on a pale tint (grey 237) from y 54 to `box_bottom`, its heading and
    `prose_lines` lines of prose in 8.5 pt sans, 7.5 pt in from the tint's sides."""
    pdf.setFillColorRGB(0.93, 0.93, 0.93)
    pdf.rect(46.5, 792 - box_bottom, 249.7, box_bottom - 54, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 8.5)
    pdf.drawString(54, 792 - 68, "CLINICAL FOCUS")
    pdf.setFont("Helvetica", 8.5)
    for k in range(prose_lines):
        pdf.drawString(54, 792 - 97 - 11.2 * k, _BOX_LINE)
    pdf.setFont("Times-Roman", 9.5)
    for k in range(14):
        pdf.drawString(316, 792 - 64 - 11.5 * k, _COLUMN_LINE)


def test_a_plate_under_a_tinted_feature_box_leaves_the_box_out(tmp_path):
    """A two-column textbook page (held-out 13's class 31): a plate of two photographs across both columns, 13.5 pt
    under a tinted "Clinical Focus" box in the left column, its caption under it across the page. The tint is ink
    (grey 237), and the box's prose is in its own 8.5 pt sans, not the body's 9.5 pt serif: the box is the text
    flow's, not part of the plate."""
    pdf = Canvas(str(tmp_path / "sidebar.pdf"), pagesize=(612, 792))
    _two_column_page_with_a_feature_box(pdf, 274, 15)
    for k, x in enumerate((76.5, 316)):
        pdf.drawImage(ImageReader(photo_pixels(40 + k)), x, 792 - 527, 219.5, 240)
    pdf.setFont("Helvetica", 8)
    caption = (
        "Figure 21.16 (a) Hot tub folliculitis presents as an itchy red rash. It is typically caused",
        "by P. aeruginosa, a bacterium that thrives in wet, warm environments such as hot tubs.",
    )
    for k, line in enumerate(caption):
        pdf.drawString(46.8, 792 - 545 - 10 * k, line)
    pdf.setFont("Times-Roman", 9.5)
    for k in range(12):
        for x in (46.8, 316):
            pdf.drawString(x, 792 - 585 - 11.5 * k, _COLUMN_LINE)
    figure = only_figure(pdf, tmp_path / "sidebar.pdf", tmp_path)
    assert figure["label"] == "21.16"
    assert Box(*figure["bbox"]).iou(Box(76.5, 287, 535.5, 527)) >= 0.95, f"the box is in it: {figure['bbox']}"


def test_a_picture_set_in_a_tinted_feature_box_is_boxed_without_the_box(tmp_path):
    """A two-column textbook page: a "Disease Profile" box on a pale tint in the left column holds a paragraph, a
    table printed as a raster 9.5 pt under it and the raster's caption, its label alone ("FIGURE 21.20"). The box's
    paragraph, in its own 8.5 pt sans, is the text flow's, not the figure's."""
    pdf = Canvas(str(tmp_path / "profile.pdf"), pagesize=(612, 792))
    _two_column_page_with_a_feature_box(pdf, 402, 8)
    pdf.drawImage(ImageReader(photo_pixels(42)), 83.2, 792 - 370.5, 175.5, 184.5)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(53.5, 792 - 387, "FIGURE 21.20")
    pdf.setFont("Times-Roman", 9.5)
    for k in range(20):
        pdf.drawString(46.8, 792 - 430 - 11.5 * k, _COLUMN_LINE)
    figure = only_figure(pdf, tmp_path / "profile.pdf", tmp_path)
    assert figure["label"] == "21.20"
    assert Box(*figure["bbox"]).iou(Box(83.2, 186, 258.7, 370.5)) >= 0.95, f"the box is in it: {figure['bbox']}"


def test_a_picture_in_a_tinted_sidebar_filling_a_column_is_boxed_without_the_sidebar(tmp_path):
    """A two-column textbook's page whose left column is all one tinted "Disorders" sidebar (held-out 37, Figure
    5.10): its prose, a photograph and the photograph's caption; the body text runs in the right column alone, so
    only the document's text block (two columns on the pages around it) shows the column the sidebar fills. The
    sidebar's prose, in its own 8.5 pt sans, is the text flow's: on main the box ran up the sidebar to its heading."""
    pdf = Canvas(str(tmp_path / "sidebar.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 9.5)
    for x in (46.8, 316):
        running_prose(pdf, x, 792 - 64, 50, leading=11.5)
    pdf.showPage()
    _two_column_page_with_a_feature_box(pdf, 738, 30)
    pdf.drawImage(ImageReader(photo_pixels(43)), 57, 792 - 592.5, 231, 158.5)
    pdf.setFont("Helvetica", 8.5)
    pdf.drawString(57.8, 792 - 606, "Figure 5.10 Vitiligo Individuals with vitiligo experience depigmentation")
    pdf.drawString(57.8, 792 - 616.5, "that results in lighter colored patches of skin.")
    pdf.setFont("Helvetica", 8.5)
    for k in range(8):
        pdf.drawString(54, 792 - 640 - 11.2 * k, _BOX_LINE)
    pdf.showPage()
    pdf.setFont("Times-Roman", 9.5)
    for x in (46.8, 316):
        running_prose(pdf, x, 792 - 64, 50, leading=11.5)
    pdf.save()
    run_extract([tmp_path / "sidebar.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (2, "5.10")
    assert Box(*figure["bbox"]).iou(Box(57, 434, 288, 592.5)) >= 0.95, f"the sidebar is in it: {figure['bbox']}"


def _stroked_frame_with_lines(
    pdf: Canvas, frame: tuple[float, float, float, float], top: float, lines: tuple[str, ...]
) -> None:
    """A frame (x, top, width, height) stroked and not filled (a browser's CSS border), and `lines` in 9.5 pt sans in
    it from `top` down, 10 pt in from its left side."""
    x, frame_top, width, height = frame
    pdf.setLineWidth(0.75)
    pdf.rect(x, 792 - frame_top - height, width, height, stroke=1, fill=0)
    pdf.setFont("Helvetica", 9.5)
    for k, line in enumerate(lines):
        pdf.drawString(x + 10, 792 - top - 12.7 * k, line)


def _only_figure_over_prose(pdf: Canvas, top: float, path: Path) -> dict:
    """Body text in 10.5 pt serif across a 4.6 in column from `top` down, then the page's one figure row."""
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - top, 20, leading=14.5, per_line=12)
    return only_figure(pdf, path, path.parent)


def _photo_with_a_margin_caption(path: Path, seed: int, box: Box, caption: tuple[str, ...]) -> Canvas:
    """A page of held-out 37's margin layout: a photograph filling `box` in the text column, its caption (a bold title
    line, then lines in 8 pt sans) in the wide margin beside it, level with its top."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    _margin_captioned_photo(pdf, seed, box, caption)
    return pdf


def _margin_captioned_photo(pdf: Canvas, seed: int, box: Box, caption: tuple[str, ...]) -> None:
    pdf.drawImage(ImageReader(photo_pixels(seed)), box.x0, 792 - box.bottom, box.width, box.height)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(404, 792 - box.top - 8, caption[0])
    pdf.setFont("Helvetica", 8)
    for k, line in enumerate(caption[1:]):
        pdf.drawString(404, 792 - box.top - 18.5 - 10.5 * k, line)


def _interactive_link(pdf: Canvas, top: float, prose: tuple[str, ...]) -> None:
    """Held-out 37's "Interactive Link" feature box from `top` down across the text column: a frame stroked round a
    bold heading and `prose`, 9.5 pt sans."""
    pdf.setFont("Helvetica-Bold", 9.5)
    pdf.drawString(64, 792 - top - 14.5, "Interactive Link")
    _stroked_frame_with_lines(pdf, (54, top, 331.5, 36 + 15.5 * len(prose)), top + 30.5, prose)


_FIGURE_5_4 = (
    Box(54, 54, 385.5, 279.75),
    ("Figure 5.4 Epidermis", "The epidermis is epithelium", "composed of multiple layers", "of cells. LM x 40."),
    (
        "View the University of Michigan WebScope to explore the tissue",
        "sample in greater detail. If you zoom on the cells at the outermost",
        "layer of this section of skin, what do you notice about the cells?",
    ),
)
_FIGURE_5_13 = (
    Box(54, 302, 385.5, 401.5),
    ("Figure 5.13 Nails", "The nail is an accessory", "structure of the integumentary", "system."),
    (
        "Nails are accessory structures of the integumentary system. Visit",
        "this link to learn more about the origin and growth of fingernails.",
    ),
)


_FIGURE_22_26 = (
    Box(54, 54, 385.5, 254),
    ("Figure 22.26", "(a) These skin lesions are the", "result of disseminated cutaneous", "blastomycosis."),
    ("Watch this profile of a blastomycosis lung infection in a patient's chest.",),
)


@pytest.mark.parametrize(
    "picture, caption, prose", [_FIGURE_5_4, _FIGURE_5_13, _FIGURE_22_26], ids=["three-lines", "two-lines", "one-line"]
)
def test_a_framed_text_box_under_a_picture_with_a_margin_caption_stays_out_of_it(tmp_path, picture, caption, prose):
    """A one-column page with captions in a wide margin (held-out 37, Figures 5.4 and 5.13 of the margin layout): a
    picture in the text column, its caption beside it in the margin, and right under it a feature box framed by a
    stroked outline (a browser's CSS border, no fill) holding a heading and three lines of prose in 9.5 pt sans, or two
    (5.13, p. 18), or one (OpenStax *Microbiology* 22.26 in the same design). The frame and its prose are the text
    flow's: before, the box took them in down to the frame's foot (three lines until session 24; two lines until session
    27: IoU 0.59, on the real page a miss and a false figure, as a frame with fewer than three paragraph lines was no
    feature box; a frame round text alone is no chart's tint; one line, until session 52)."""
    pdf = _photo_with_a_margin_caption(tmp_path / "framed.pdf", 44, picture, caption)
    _interactive_link(pdf, picture.bottom + 10, prose)
    figure = _only_figure_over_prose(pdf, picture.bottom + 110, tmp_path / "framed.pdf")
    assert figure["label"] == caption[0].split()[1]
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the framed box is in it: {figure['bbox']}"


_FIGURE_22_2_CAPTION = (
    "Figure 22.2",
    "(a) The ear is connected to the",
    "upper respiratory tract by the",
    "eustachian tube.",
)
_WRAPPED_QUESTIONS = (  # each entry's first row bulleted
    ("Identify the sequence of anatomical structures through which", True),
    ("microbes would pass on their way from the nares to the larynx.", False),
    ("What two anatomical points do the eustachian tubes connect?", True),
)
_ONE_ROW_QUESTIONS = (
    ("What are the parts in the DNA sequence of an operon?", True),
    ("What types of regulatory molecules are there?", True),
)


def _bulleted_questions(pdf: Canvas, top: float, questions: tuple[tuple[str, bool], ...]) -> None:
    """OpenStax *Microbiology*'s framed "Check your understanding" list from `top` down across the text column, as
    Chromium prints it: a stroked frame round 9.5 pt sans entries, each entry's bullet a 3 pt disc drawn as a path
    (no glyph) level with its first row's middle."""
    pdf.setLineWidth(0.75)
    pdf.rect(54, 792 - top - 60, 331.5, 60, stroke=1, fill=0)
    pdf.setFont("Helvetica", 9.5)
    for row, (line, bulleted) in enumerate(questions):
        pdf.drawString(80, 792 - top - 20 - 12.7 * row, line)
        if bulleted:
            pdf.circle(69, 792 - top - 20 - 12.7 * row + 3.2, 1.5, stroke=0, fill=1)


@pytest.mark.parametrize(
    "questions, with_body",
    [(_WRAPPED_QUESTIONS, True), (_WRAPPED_QUESTIONS, False), (_ONE_ROW_QUESTIONS, True)],
    ids=["prose-under", "no-body-text", "one-row-entries"],
)
def test_a_framed_bulleted_list_under_a_picture_with_a_margin_caption_stays_out_of_it(tmp_path, questions, with_body):
    """The margin design printing OpenStax *Microbiology* (chapters 1, 5, 11, 16 and 22, 13 figures): a picture in the
    text column, its caption in the margin, and under it a frame round a bulleted list whose bullets are drawn as paths.
    A frame holding a drawing was a figure's, so the list was no feature box and the box took the frame and the list
    in (IoU 0.39-0.77). Where the page has no body text (the figure and the list alone, the second page here), the frame
    is measured against the document's text width: the page has no column to measure it by. A list of one-row entries
    (11.32, 5.40), each bullet beside its line, read as a chart's key under the picture, so its bullets stayed
    graphics and joined it, the frame a feature box or not: a list's drawn bullets are text."""
    path = tmp_path / "questions.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 60, 45, leading=14.5, per_line=12)  # a page of body text sets the text width
    pdf.showPage()
    picture = Box(54, 54, 385.5, 191)
    _margin_captioned_photo(pdf, 45, picture, _FIGURE_22_2_CAPTION)
    _bulleted_questions(pdf, 219, questions)
    figure = _only_figure_over_prose(pdf, 320, path) if with_body else only_figure(pdf, path, tmp_path)
    assert figure["label"] == "22.2"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the framed list is in it: {figure['bbox']}"


def _three_sided_frame(pdf: Canvas, top: float, bottom: float, open_end: str) -> None:
    """A feature box's border as Chromium prints it where the page break cuts the box: 0.75 pt dark bars down the text
    column's sides from `top` to `bottom` and across the end that is not `open_end` ("top" or "bottom")."""
    pdf.setFillColorRGB(0.15, 0.3, 0.45)
    pdf.rect(54, 792 - bottom, 0.75, bottom - top, stroke=0, fill=1)
    pdf.rect(383.1, 792 - bottom, 0.75, bottom - top, stroke=0, fill=1)
    end = bottom if open_end == "top" else top
    pdf.rect(54, 792 - end - 0.4, 329.85, 0.75, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)


@pytest.mark.parametrize("open_end", ["top", "bottom"])
def test_a_picture_in_a_feature_box_the_page_break_cut_is_boxed_without_the_box(tmp_path, open_end):
    """The margin design printing OpenStax *Microbiology* 2.11, 8.27, 11.19, 16.17 and *Anatomy and Physiology* 19.25: a
    feature box goes on over the page break, so Chromium draws its border on each page as two sides and one end, each
    a bar of its own; a picture in the box is captioned in the margin. The bars joined the picture's box (IoU
    0.47-0.66). Three sides are a box the page break cut, never a picture's border. Open at its foot, the box runs on
    to the page's foot under the picture and its prose (Microbiology 2.43, where a first form of the rule left the
    bars' ink in the search, too thin to erase as a tint: the box grew down over the blank box to the prose). Open at its
    top, the bars joined the headings under the box (2.11: IoU 0.47)."""
    path = tmp_path / "broken.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 60, 45, leading=14.5, per_line=14)  # a page of body text sets the body's type
    pdf.showPage()
    caption = ("Figure 2.11", "(a) A darkfield micrograph of", "living, unstained spirochetes.", "(credit: CDC)")
    if open_end == "top":
        picture = Box(63, 54, 257.7, 290.6)
        _margin_captioned_photo(pdf, 55, picture, caption)
        _three_sided_frame(pdf, 54, 306.3, "top")
        pdf.setFont("Helvetica-Bold", 10.9)  # the chapter's review headings, each a link alone in the e-book
        pdf.drawString(55, 792 - 327, "Fill in the Blank")
        pdf.drawString(55, 792 - 348.6, "Short Answer")
        pdf.setFont("Times-Roman", 10.5)
        running_prose(pdf, 54, 792 - 414, 20, leading=14.5, per_line=14)
    else:
        picture = Box(63, 275, 392, 396)
        _margin_captioned_photo(pdf, 56, picture, caption)
        _three_sided_frame(pdf, 54, 738.4, "bottom")
        pdf.setFont("Helvetica", 9.4)
        running_prose(pdf, 63, 792 - 80, 14, leading=12.7, per_line=13)
        running_prose(pdf, 63, 792 - 535, 6, leading=12.7, per_line=13)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "2.11"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the box's bars are in it: {figure['bbox']}"


def test_a_frame_round_a_case_study_and_its_photograph_captioned_in_the_margin_is_no_figure(tmp_path):
    """OpenStax *Psychology* 8.7 in the margin design: a case study framed by a stroked outline, its prose in 9.5 pt
    sans over and under a photograph, the photograph's caption in the margin level with it. A frame holding a picture
    was the figure's, so the box took the frame's text in (IoU 0.33). Its pictures are rasters and no caption stands
    under or over the frame, so it is a feature box and its prose the text flow's; a frame captioned under itself (a
    trial profile, below) is still the figure."""
    path = tmp_path / "case.pdf"
    picture = Box(63, 176, 307, 359)
    caption = ("Figure 8.7", "Marilu Henner's super", "autobiographical memory is", "known as hyperthymesia.")
    pdf = _photo_with_a_margin_caption(path, 47, picture, caption)
    pdf.setFont("Helvetica", 9.5)
    running_prose(pdf, 64, 792 - 72, 8, leading=12.7, per_line=10)
    running_prose(pdf, 64, 792 - 378, 5, leading=12.7, per_line=10)
    pdf.setLineWidth(0.75)
    pdf.rect(54, 792 - 440, 331.5, 386, stroke=1, fill=0)  # top 54, bottom 440
    figure = _only_figure_over_prose(pdf, 470, path)
    assert figure["label"] == "8.7"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the case study's prose is in it: {figure['bbox']}"


def test_a_framed_case_box_in_body_type_under_a_picture_with_a_margin_caption_stays_out_of_it(tmp_path):
    """OpenStax *Microbiology* 22.12 in the margin design: under a photograph captioned in the margin, a case box
    framed by a stroked outline, its title "Why Me?" in bold sans and its prose in the page's body type. Only lines in
    their own type made a frame a feature box, so this frame was a graphic like any other: its top and the title joined
    the photograph (IoU 0.76). Body lines count too, and all the lines of a frame round text alone are the text flow's,
    its title with them."""
    path = tmp_path / "case.pdf"
    picture = Box(54, 54, 336, 292)
    caption = ("Figure 22.12", "Culture of Haemophilus", "influenzae on a chocolate agar", "plate.")
    pdf = _photo_with_a_margin_caption(path, 49, picture, caption)
    pdf.setLineWidth(0.75)
    pdf.rect(54, 792 - 718, 331.5, 417, stroke=1, fill=0)  # top 301, bottom 718
    pdf.setFont("Helvetica-Bold", 9.5)
    pdf.drawString(63, 792 - 320, "Why Me?")
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 63, 792 - 334, 26, leading=14.5, per_line=11)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "22.12"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the case box's title or frame is in it: {figure['bbox']}"


def test_pictures_in_a_case_study_ruled_down_its_side_are_boxed_without_its_prose(tmp_path):
    """The handbook design printing OpenStax *Psychology* 12.9 and 12.10: a case study set off by a 3 pt bar down its
    left side alone (no tint, no frame), its prose in 8.5 pt sans over two photographs side by side, each captioned
    under itself inside the box. The prose was figure text (no body type, no box), so the search over the left caption
    took it in (IoU 0.32), and the right one's grew into its last line (0.50). The bar marks a feature box whose
    prose is the text flow's."""
    path = tmp_path / "ruled.pdf"
    pdf = Canvas(str(path), pagesize=(432, 648))
    pdf.setFont("Times-Roman", 9.5)
    running_prose(pdf, 44, 648 - 60, 45, leading=12.8, per_line=16)  # a page of body text sets the body's type
    pdf.showPage()
    pdf.setFont("Times-Roman", 9.5)
    running_prose(pdf, 44, 648 - 60, 5, leading=12.8, per_line=16)
    pdf.setFillColorRGB(0.1, 0.4, 0.3)
    pdf.rect(43.5, 648 - 588.7, 3, 455.2, stroke=0, fill=1)  # top 133.5, bottom 588.7
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 8.5)
    running_prose(pdf, 55, 648 - 146, 19, leading=11.25, per_line=14)
    left, right = Box(55, 360, 212, 478.5), Box(244.5, 360, 374, 533)
    for seed, picture in ((51, left), (52, right)):
        pdf.drawImage(ImageReader(photo_pixels(seed)), picture.x0, 648 - picture.bottom, picture.width, picture.height)
    pdf.setFont("Helvetica", 7.5)
    pdf.drawString(55, 648 - 492, "Fig. 12.9 Young people struggle to become")
    pdf.drawString(55, 648 - 502, "independent at the same time.")
    pdf.drawString(244.5, 648 - 546, "Fig. 12.10 Prisoners of war were abused")
    pdf.drawString(244.5, 648 - 556, "by their captors.")
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = {row["label"]: row for row in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}
    assert set(figures) == {"12.9", "12.10"}
    for label, picture in (("12.9", left), ("12.10", right)):
        assert Box(*figures[label]["bbox"]).iou(picture) >= 0.95, f"{label} took prose in: {figures[label]['bbox']}"


def test_a_tinted_link_box_of_one_line_over_a_picture_captioned_under_it_stays_out_of_it(tmp_path):
    """The two-column design printing OpenStax *Anatomy and Physiology* 19.23: a tinted "Interactive Link" box, a 1.5
    pt dark rule along its top, a heading and one line of prose, right over a picture captioned under itself. A tint
    needed three paragraph lines to be a feature box, and the rule counted as a drawing in it: the box joined the
    picture (IoU 0.77). A tint round text alone needs one, as a frame does."""
    path = tmp_path / "link.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 50, 792 - 68, 5, leading=13.4, per_line=12)
    running_prose(pdf, 320, 792 - 68, 50, leading=13.4, per_line=12)
    pdf.setFillColorRGB(0.96, 0.92, 0.92)
    pdf.rect(50.2, 792 - 172.5, 245.3, 41.3, stroke=0, fill=1)  # top 131.2
    pdf.setFillColorRGB(0.5, 0.1, 0.1)
    pdf.rect(50.2, 792 - 132.7, 245.3, 1.5, stroke=0, fill=1)
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(57.8, 792 - 147, "INTERACTIVE LINK")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(57.3, 792 - 160, "Visit this site for a more detailed analysis of ECGs.")
    picture = Box(50.2, 181.5, 295.5, 341.2)
    pdf.drawImage(ImageReader(photo_pixels(53)), picture.x0, 792 - picture.bottom, picture.width, picture.height)
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(50.2, 792 - 356, "Figure 19.23 Electrocardiogram")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 50, 792 - 390, 25, leading=13.4, per_line=12)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "19.23"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the link box is in it: {figure['bbox']}"


@pytest.mark.parametrize("heading", ["Acne", "Mechanisms of Recovery"])
def test_a_bold_sans_heading_in_body_size_under_a_picture_with_a_margin_caption_stays_out_of_it(tmp_path, heading):
    """Held-out 37's margin layout, p. 29: a photograph in the text column, its caption in the margin, and 13 pt under
    it the section heading "Acne" in 11 pt sans bold (DejaVu Sans Bold; Vera Bold has its widths) over 10.5 pt serif
    body text. The heading is the body's size, so no heading by size, and its bold sans letters are wider (0.68 of
    its size each) than `_set_as_prose` let a line's characters be (0.62): it was a label of the picture, and the box
    took it in (IoU 0.85). A capital's side bearing sets a heading's ink in from the column's edge: "Mechanisms of
    Recovery" (A&P 25.17 in the same design) starts 1.06 pt in, past the 1 pt a flush line was allowed (IoU 0.74)."""
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf")))
    picture = Box(54, 135.5, 385.5, 259.5)
    caption = ("Figure 5.21 Eczema", "Eczema is a common skin", "disorder that presents as a red,", "flaky rash.")
    pdf = _photo_with_a_margin_caption(tmp_path / "heading.pdf", 48, picture, caption)
    pdf.setFont("Vera-Bold", 11)
    pdf.drawString(54.2, 792 - 280.5, heading)  # "M" inks 1.1 pt in from the column's edge, as on the real page
    figure = _only_figure_over_prose(pdf, 296, tmp_path / "heading.pdf")
    assert figure["label"] == "5.21"
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, f"the heading is in it: {figure['bbox']}"


def test_text_in_a_frame_round_a_picture_is_the_figures_not_a_framed_text_box(tmp_path):
    """The same stroked frame round a photograph and three lines of its key in 9.5 pt sans, the caption under the
    frame (held-out 10's Lancet trial profile, held-out 35's bulletin chart): a frame holding a picture or drawings is
    the figure's, and so is the text in it; only a frame round text alone is a feature box."""
    pdf = Canvas(str(tmp_path / "frame.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(46)), 64, 792 - 290, 311.5, 226)
    key = (
        "Participants were screened in the villages and the eligible ones were",
        "randomly allocated to treatment; those lost to follow-up were counted",
        "at each visit and the reasons for leaving the trial were recorded there.",
    )
    _stroked_frame_with_lines(pdf, (54, 54, 331.5, 318), 312, key)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(54, 792 - 388, "Figure 1: Trial profile")
    figure = _only_figure_over_prose(pdf, 420, tmp_path / "frame.pdf")
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).iou(Box(64, 64, 375.5, 340)) >= 0.95, f"the key is left out: {figure['bbox']}"


def test_a_charts_large_figure_at_the_column_edge_stays_in_its_box(tmp_path):
    """A pie chart's share printed large ("2.27%", twice the body's size) under its left edge, from the text column's
    edge: a number, not a heading, so the chart is not cut over it."""
    pdf = Canvas(str(tmp_path / "chart.pdf"), pagesize=(612, 792))
    body_paragraph(pdf, 740)
    pdf.setFillColorRGB(0.1, 0.7, 0.7)
    pdf.circle(180, 792 - 260, 90, stroke=0, fill=1)
    pdf.setFillColorRGB(0.95, 0.6, 0.1)
    pdf.setFont("Helvetica", 20)
    pdf.drawString(72, 792 - 368, "2.27%")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(72, 792 - 390, "Figure 3.6 Proportion of the population covered in different regions in 2001")
    body_paragraph(pdf, 360)
    figure = only_figure(pdf, tmp_path / "chart.pdf", tmp_path)
    assert figure["label"] == "3.6"
    assert figure["bbox"][0] <= 73 and figure["bbox"][3] >= 366, f"the chart's number is cut off: {figure['bbox']}"


def test_a_table_ruled_with_dots_printed_as_one_pixel_images_is_no_figure(tmp_path):
    # A WHO report draws its tables' dotted rules as 1 x 1-pixel images, each a point or less (thousands a page):
    # taken as pictures, the ruled grid came out as an uncaptioned raster figure.
    dot = ImageReader(Image.new("L", (1, 1), 0))
    canvas = Canvas(str(tmp_path / "table.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 760)
    canvas.setFont("Helvetica", 9)
    for row in range(9):
        y = 640 - 18 * row
        for x in range(72, 540, 2):
            canvas.drawImage(dot, x, y, 1, 0.5)
        for column, text in enumerate(("Ghana", "480,000", "n.a.", "4,000,000")):
            canvas.drawString(80 + 120 * column, y - 12, text)
    for x in range(72, 541, 117):  # the column rules
        for y in range(496, 640, 2):
            canvas.drawImage(dot, x, y, 0.5, 1)
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "table.pdf", 200, 190, "Figure 1. A patient's leg")
    assert [figure["label"] for figure in figures] == ["1"]
    assert Box(*figures[0]["bbox"]).iou(Box(200, 422, 360, 602)) >= 0.95


def test_a_watermark_over_every_page_is_no_figure_nor_hides_the_chart_under_it(tmp_path):
    # A draft report prints "DRAFT" over every page as letter images at one place, a diagonal across the text, Figure
    # 1's caption and its bar chart: the letters, one group of pictures across the caption, hid the chart from its
    # caption's search.
    letters = [_watermark_letter(letter) for letter in "DRAFT"]
    canvas = Canvas(str(tmp_path / "draft.pdf"), pagesize=(612, 792))
    for page in (1, 2, 3):
        body_paragraph(canvas, 740)
        if page == 2:
            canvas.setFont("Helvetica-Bold", 10)
            canvas.drawString(72, 620, "Figure 1. Cases by country and year")
            _bar_chart(canvas, 80, 330, 400)
        else:
            body_paragraph(canvas, 440)
        for k, letter in enumerate(
            letters
        ):  # a diagonal of overlapping letters from the text over the caption down the chart
            canvas.drawImage(letter, 110 + 70 * k, 640 - 75 * k, 90, 90, mask="auto")
        canvas.showPage()
    canvas.save()
    run_extract([tmp_path / "draft.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, "1")]
    # the chart, and the watermark's pale ink between it and the caption (the letters' pixels stay on the page)
    assert Box(*figures[0]["bbox"]).iou(Box(99, 220, 460, 456)) >= 0.8


def test_a_faxed_page_scanned_under_its_text_layer_is_no_figure(tmp_path):
    # A faxed report stores each page as one scan across the page's width (a grey title band, ruled form fields,
    # typed text) under a text layer of its words; the scan does not cover the page, so it is not read as a scanned
    # page, and its band and ruled fields are no text in its own pixels: each page came out as an uncaptioned figure.
    canvas = Canvas(str(tmp_path / "fax.pdf"), pagesize=(612, 792))
    canvas.drawImage(ImageReader(_faxed_form()), 0, 232, 612, 560)
    layer = canvas.beginText()
    layer.setTextRenderMode(3)  # the text layer over the scan, invisible
    layer.setFont("Helvetica", 9)
    for row in range(24):
        layer.setTextOrigin(40, 700 - 20 * row)
        layer.textOut(_FORM_ROW.format(row))
    canvas.drawText(layer)
    body_paragraph(canvas, 200)
    canvas.showPage()
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "fax.pdf", 200, 400, "Figure 1. A patient's leg")
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, "1")]


_FORM_ROW = "2.{} Name of the implementation unit and number of people treated"


def _faxed_form() -> Image.Image:
    """A scanned form, 1224 x 1120 pixels: a grey title band, 24 typed rows over ruled fields, a box ticked by hand."""
    scan = Image.new("L", (1224, 1120), 255)
    draw = ImageDraw.Draw(scan)
    draw.rectangle((40, 30, 1184, 150), fill=120)
    font = ImageFont.load_default(size=18)
    for row in range(24):
        y = 184 + 40 * row
        draw.text((80, y), _FORM_ROW.format(row), fill=0, font=font)
        draw.line((80, y + 30, 1150, y + 30), fill=0, width=2)
    draw.arc((900, 1040, 1000, 1110), 20, 300, fill=0, width=4)
    return scan


def test_a_photo_with_display_type_set_over_it_is_no_figure(tmp_path):
    # A leaflet sets its title, "WHO Position Statement" in 35 pt type, over a spread photo: the photo is the page's
    # design, a ground for the title, and came out as an uncaptioned figure.
    canvas = Canvas(str(tmp_path / "leaflet.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 740)
    canvas.drawImage(ImageReader(photo_pixels(7)), 0, 200, 612, 400)
    canvas.setFont("Helvetica", 36)
    for k, word in enumerate(("WHO", "Position", "Statement")):
        canvas.drawString(340, 520 - 40 * k, word)
    canvas.showPage()
    body_paragraph(canvas, 740)  # the next page opens with text: the photo is no slice of a picture going on there
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "leaflet.pdf", 200, 400, "Figure 1. A leg")
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, "1")]


def test_a_photo_bled_off_one_side_of_the_page_is_no_figure(tmp_path):
    # A leaflet's cover collage runs off the page's left edge, short of the right one (as does a photograph spread
    # across the fold): the page's design, no figure. A photograph bled across the page's width (a slide's) stays one.
    canvas = Canvas(str(tmp_path / "leaflet.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 740)
    canvas.drawImage(ImageReader(photo_pixels(3)), -6, 300, 166, 180)
    canvas.showPage()
    body_paragraph(canvas, 740)
    canvas.drawImage(ImageReader(photo_pixels(5)), -6, 200, 624, 400)
    canvas.showPage()
    body_paragraph(canvas, 740)  # the next page opens with text: no photo is a slice of a picture going on there
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "leaflet.pdf", 200, 400, "Figure 1. A leg")
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, None), (3, "1")]


def _clipped_photo(canvas: Canvas, seed: int, clip, x: float, y: float, size: float) -> None:
    """A square photo at (`x`, `y`), `size` pt a side, shown through the path `clip` (drawn by the caller)."""
    canvas.saveState()
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.drawImage(ImageReader(photo_pixels(seed)), x, y, size, size)
    canvas.restoreState()


def test_photos_cut_to_circles_are_no_figure(tmp_path):
    # A brochure cuts its food photos to overlapping circles on a coloured panel: ornament, no figure. A photo in a
    # frame with rounded corners (straight sides between the curves) stays one.
    canvas = Canvas(str(tmp_path / "brochure.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 740)
    for k, (x, y) in enumerate(((100, 250), (250, 300), (180, 420))):
        circle = canvas.beginPath()
        circle.circle(x + 90, y + 90, 90)
        _clipped_photo(canvas, 3 + k, circle, x, y, 180)
    canvas.showPage()
    body_paragraph(canvas, 740)
    frame = canvas.beginPath()
    frame.roundRect(150, 250, 300, 300, 24)
    _clipped_photo(canvas, 9, frame, 150, 250, 300)
    canvas.showPage()
    body_paragraph(canvas, 740)  # the next page opens with text: no photo is a slice of a picture going on there
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "brochure.pdf", 200, 400, "Figure 1. A leg")
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, None), (3, "1")]


def _outlined_os(canvas: Canvas, x: float, y: float, height: float, count: int):
    """A word of `count` letters o as a display face's outlines, `height` pt tall from (`x`, `y`): each an oval and
    its counter (two closed curves), as a layout program turns type to outlines to fill it with a picture."""
    word = canvas.beginPath()
    for k in range(count):
        left = x + k * height * 0.8
        word.ellipse(left, y, height * 0.7, height)
        word.ellipse(left + height * 0.2, y + height * 0.2, height * 0.3, height * 0.6)
    return word


def test_a_photo_with_display_type_set_as_photo_filled_lettering_over_it_is_no_figure(tmp_path):
    # A leaflet sets a question over its portrait in 60 pt type turned to outlines and filled with a photo: the
    # page's design, as display type set as text is. A photo clipped to a few rectangles, with a small outlined
    # label over it, stays a figure: its clip is straight-sided, the label is no display type.
    canvas = Canvas(str(tmp_path / "leaflet.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 740)
    canvas.drawImage(ImageReader(photo_pixels(3)), 150, 250, 300, 300)
    _clipped_photo(canvas, 5, _outlined_os(canvas, 180, 450, 60, 4), 170, 440, 240)
    canvas.showPage()
    body_paragraph(canvas, 740)
    frame = canvas.beginPath()
    frame.rect(150, 250, 140, 300)
    frame.rect(300, 250, 150, 300)
    _clipped_photo(canvas, 7, frame, 150, 250, 300)
    _clipped_photo(canvas, 5, _outlined_os(canvas, 320, 270, 12, 4), 315, 265, 60)
    canvas.showPage()
    body_paragraph(canvas, 740)  # the next page opens with text: no photo is a slice of a picture going on there
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "leaflet.pdf", 200, 400, "Figure 1. A leg")
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, None), (3, "1")]


def _watermark_letter(letter: str) -> Image.Image:
    """A pale grey letter on a transparent ground, 90 pixels square: one letter of a "DRAFT" watermark."""
    picture = Image.new("RGBA", (90, 90), (255, 255, 255, 0))
    font = ImageFont.load_default(size=80)
    ImageDraw.Draw(picture).text((12, 0), letter, fill=(200, 200, 200, 255), font=font)
    return ImageReader(picture)


def _bar_chart(canvas: Canvas, x: float, y: float, width: float) -> None:
    """A vector bar chart with its lower left corner at (`x`, `y`): axis numbers, grid lines, three pairs of bars."""
    canvas.setFont("Helvetica", 8)
    for k in range(5):
        canvas.drawRightString(x + 28, y + 20 + 50 * k, str(20 * k))
        canvas.line(x + 32, y + 22 + 50 * k, x + width - 20, y + 22 + 50 * k)
    for k, (first, second) in enumerate(((80, 170), (200, 60), (220, 40))):
        canvas.setFillColorRGB(0.5, 0.5, 0.9)
        canvas.rect(x + 60 + 110 * k, y + 22, 30, first, fill=1)
        canvas.setFillColorRGB(0.6, 0.1, 0.3)
        canvas.rect(x + 90 + 110 * k, y + 22, 30, second, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(x + 70 + 110 * k, y + 8, ("FIJI", "VANUATU", "KIRIBATI")[k])


def _text_box(canvas: Canvas, x: float, y: float, width: float, text: str) -> None:
    """A framed box 20 pt tall with one line of 9 pt text in it (`x`, `y`: its lower left corner)."""
    canvas.rect(x, y, width, 20)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(x + 6, y + 7, text)


def _arrow(canvas: Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """A stroke from (x0, y0) to 6 pt short of (x1, y1) and a filled head there, as a flow chart draws its arrows."""
    dx, dy = (x1 - x0) / max(abs(x1 - x0), abs(y1 - y0)), (y1 - y0) / max(abs(x1 - x0), abs(y1 - y0))
    canvas.line(x0, y0, x1 - 6 * dx, y1 - 6 * dy)
    head = canvas.beginPath()
    head.moveTo(x1, y1)
    head.lineTo(x1 - 6 * dx - 4 * dy, y1 - 6 * dy - 4 * dx)
    head.lineTo(x1 - 6 * dx + 4 * dy, y1 - 6 * dy + 4 * dx)
    head.close()
    canvas.drawPath(head, fill=1, stroke=0)


def _flow_chart_pages(path: Path) -> None:
    """Page 1: an annex heading, a paragraph, then a flow chart without a caption (five framed text boxes, one of them
    framed twice, tied by arrows). Page 2: a table whose cells are framed boxes sharing their edges. Page 3: four
    framed key messages, apart, no arrows."""
    canvas = Canvas(str(path), pagesize=(612, 792))
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(72, 740, "ANNEX 7: ALGORITHM FOR FOLLOWING UP POSITIVE TEST RESULTS")
    body_paragraph(canvas, 710)
    steps = ["Positive test result", "Repeat the test", "Investigate the history", "Test the family"]
    for i, step in enumerate(steps):
        _text_box(canvas, 150, 560 - 50 * i, 200, step)
        if i:
            _arrow(canvas, 250, 610 - 50 * i, 250, 580 - 50 * i)
    _text_box(canvas, 390, 510, 150, "If negative, stop")
    canvas.rect(392, 512, 146, 16)  # a double outline: one frame
    _arrow(canvas, 350, 520, 390, 520)
    canvas.showPage()
    body_paragraph(canvas, 740)
    for row in range(5):
        for column in range(4):
            _text_box(canvas, 100 + 100 * column, 560 - 20 * row, 100, f"{row * 4 + column:.2f} cases")
    canvas.showPage()
    body_paragraph(canvas, 740)
    for i, message in enumerate(["Wash the leg", "Dry it well", "Raise the leg", "Exercise daily"]):
        _text_box(canvas, 150, 560 - 50 * i, 250, message)
    canvas.save()


def test_a_flow_chart_without_a_caption_is_a_figure_but_a_table_of_framed_cells_is_not(tmp_path):
    # Two WHO manuals set an algorithm as a vector flow chart under an annex heading or a title, with no "Figure N"
    # caption: framed text boxes tied by arrows. Uncaptioned drawings are found only without text on them (a ruled
    # table would pass otherwise), so the chart was missed. A table's cells touch; framed boxes apart with no
    # arrows between them are text panels.
    _flow_chart_pages(tmp_path / "annex.pdf")
    run_extract([tmp_path / "annex.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (chart,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert chart["page"] == 1 and chart["caption"] is None
    assert Box(*chart["bbox"]).iou(Box(150, 212, 540, 382)) >= 0.9, chart["bbox"]


def test_a_chart_beside_wrapped_text_under_a_caption_that_runs_over_it_is_found(tmp_path):
    """Timor-Leste Figure 5: the caption over the chart runs on past the start of the text wrapped beside it."""
    path = tmp_path / "wrapped.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792))
    canvas.setFont("Helvetica", 11)
    for i in range(5):
        canvas.drawString(72, 740 - 14 * i, DENGUE_PARAGRAPH[:80])
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(72, 660, "Figure 5. Age-wise distribution of percentage of dengue cases")
    canvas.setFont("Helvetica", 11)
    words = (DENGUE_PARAGRAPH + " ") * 6
    for i in range(10):  # lines of a paragraph, wrapped beside the chart
        canvas.drawString(292, 640 - 14 * i, words[42 * i : 42 * i + 42].strip())
    canvas.line(80, 470, 280, 470)  # the chart: axes and bars
    canvas.line(80, 470, 80, 640)
    for i, height in enumerate((30, 120, 150, 60, 25, 8, 4)):
        canvas.rect(90 + 27 * i, 470, 18, height, fill=1)
    for i in range(6):
        canvas.drawString(72, 420 - 14 * i, DENGUE_PARAGRAPH[:80])
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [r["label"] for r in rows] == ["5"]
    assert Box(*rows[0]["bbox"]).iou(Box(80, 792 - 640, 280, 792 - 470)) >= 0.9


def test_only_a_strip_next_to_the_caption_grows_by_the_parts_beyond_it():
    caption = Box(50, 300, 400, 310)  # under the figure
    strip, plots, far = Box(50, 270, 400, 285), Box(50, 150, 400, 240), Box(50, 20, 400, 100)
    assert _stacked_parts(strip, [strip, plots, far], caption, 10.0) == Box(50, 150, 400, 285)
    assert _stacked_parts(plots, [strip, plots, far], caption, 10.0) == plots, "a whole plot does not grow"
    below = Box(50, 320, 400, 400)  # on the caption's side: never taken
    assert _stacked_parts(strip, [strip, below], caption, 10.0) == strip


def test_labels_spread_across_a_figure_are_not_body_text():
    words = "comb button bridge ferriswheel"
    paragraph = "the analogy holds for the other attribute classes as well"
    spread = TextLine(words, Box(80, 240, 280, 250), 10.0, 0)  # 30 characters over 200 pt
    line = TextLine(paragraph, Box(60, 300, 60 + 0.44 * 10 * len(paragraph), 310), 10.0, 0)
    assert _looks_like_body(line, 10.0, 612) and not _looks_like_body(spread, 10.0, 612)


def test_labels_between_a_caption_and_its_flow_chart_join_the_chart():
    caption = Box(100, 100, 330, 110)  # caption above the chart
    chart = Box(95, 200, 460, 500)
    head = Box(195, 138, 333, 180)  # the chart's first node, text without a frame
    speck = Box(300, 190, 301, 190)  # a speck with no height inside the grown box must not loop forever
    far = Box(100, 515, 200, 525)  # below the chart: the far side from the caption
    grown = _labels_toward_caption(chart, [head, speck, far, chart], caption, 9.5)
    assert grown == Box(95, 138, 460, 500)
    assert _labels_toward_caption(chart, [Box(195, 111, 333, 120)], caption, 2.0) == chart, "beyond reach"


def _map_key(pdf: Canvas, x: float, top: float, entries: list[str], heading: str | None = None) -> float:
    """A map's key in 7 pt from `top` (PDF y) down: an optional heading, then each entry led by a colour swatch.
    Returns the y under its last line."""
    pdf.setFont("Helvetica", 7)
    if heading:
        pdf.drawString(x, top - 7, heading)
        top -= 16
    for i, entry in enumerate(entries):
        pdf.setFillColorRGB(0.9 - 0.3 * i, 0.4, 0.3 + 0.2 * i)
        pdf.rect(x, top - 13 * i - 7, 7, 7, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.drawString(x + 11, top - 13 * i - 6.5, entry)
    return top - 13 * len(entries)


def _raster_map(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    """A raster map: coloured districts on white, the coast running off its edges."""
    land = np.full((height, width, 3), 255, dtype=np.uint8)
    for _ in range(30):
        cx, cy, colour = rng.integers(0, width), rng.integers(0, height), rng.integers(60, 230, size=3)
        land[max(0, cy - 25) : cy + 25, max(0, cx - 30) : cx + 30] = colour
    return Image.fromarray(land)


def test_a_maps_key_set_apart_from_its_raster_is_part_of_the_map(tmp_path):
    # A WHO report's raster maps carry a vector key in 7 pt beside or under them, each entry led by a colour
    # swatch: the key under Map 3.10 stands in two blocks (the status, then "MDA coverage") a blank line apart,
    # wider than ink is linked over, and the map was boxed without its second block; of two maps side by side,
    # each with its key at its right, the right map's box took the left map's key and the left map lost it.
    rng = np.random.default_rng(8)
    pdf = Canvas(str(tmp_path / "maps.pdf"), pagesize=(612, 792))
    caption_over_prose(pdf, (320, 752, "Map 3.10 Egypt: LF endemicity status and MDA coverage 2001"))
    pdf.drawImage(ImageReader(_raster_map(rng, 220, 160)), 320, 580, 220, 160)
    bottom = _map_key(pdf, 440, _map_key(pdf, 440, 570, ["Endemic", "Non-endemic", "Uncertain"]) - 16,
                      ["Below 65 %", "65-80 %", "Above 80 %"], heading="MDA coverage")  # fmt: skip
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 28, per_line=5)
    # The left map's caption ends over its key, the right map's starts a little left of its raster, which stands
    # nearer its caption (placed first, its search reaches over the left map's key).
    caption_over_prose(pdf, (56, 380, "Map 3.14 India: LF endemicity status and coverage"))
    caption_over_prose(pdf, (280, 380, "Map 3.15 Sri Lanka: LF endemicity status"))
    for x, y in ((56, 156), (290, 160)):
        pdf.drawImage(ImageReader(_raster_map(rng, 150, 200)), x, y, 150, 200)
        _map_key(pdf, x + 156, 340, ["Endemic", "Non-endemic", "Uncertain"])
    pdf.save()
    run_extract([tmp_path / "maps.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert set(figures) == {"3.10", "3.14", "3.15"}
    assert Box(*figures["3.10"]["bbox"]).iou(Box(320, 52, 540, 792 - bottom)) >= 0.95
    key_x1 = 156 + 11 + stringWidth("Non-endemic", "Helvetica", 7)
    for label, x, top in (("3.14", 56, 436), ("3.15", 290, 432)):
        assert Box(*figures[label]["bbox"]).iou(Box(x, top, x + key_x1, top + 200)) >= 0.95, label


def test_a_key_alone_under_a_caption_is_no_figure(tmp_path):
    # A report's page of overlapping maps: one caption's only ink within reach was another map's key (its
    # swatches and a path around its text the only graphics), and the key came out as a figure of its own, the
    # caption attached to it.
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    caption_over_prose(pdf, (320, 700, "Map 2 Status of implementation units in the region"))
    _map_key(pdf, 330, 690, ["Endemic", "Non-endemic", "Uncertain"])
    # The report's keys come with a path drawn around their text, reaching past it (a clip of the layout program).
    pdf.setStrokeColorRGB(0.9, 0.9, 0.9)
    pdf.rect(339, 648, 50, 44, stroke=1, fill=0)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 40, per_line=5)
    running_prose(pdf, 320, 600, 30, per_line=5)
    pdf.save()
    run_extract([tmp_path / "key.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    assert Dataset.open(tmp_path / "ds").read_table("figures").to_pylist() == []


def test_a_tinted_box_behind_the_caption_is_not_part_of_the_figure(tmp_path):
    # PeerJ sets its captions on a light-blue box a few points under the figure and wider than it.
    pdf = Canvas(str(tmp_path / "tinted.pdf"), pagesize=(612, 792))
    pixels = (np.random.default_rng(1).random((200, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 100, 400, 220, 300)
    pdf.setFillColorRGB(0.85, 0.93, 0.98)
    pdf.rect(100, 304, 420, 87, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Times-Roman", 9)
    words = "each phase of the pipeline is drawn as a grey box with the commands it runs".split()
    for i in range(7):
        line = " ".join(words[(i * 5 + k) % len(words)] for k in range(15))
        pdf.drawString(106, 376 - 11 * i, ("Figure 1 Overview of the phases. " if i == 0 else "") + line)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 100, 280, 20, per_line=16)
    figure = only_figure(pdf, tmp_path / "tinted.pdf", tmp_path)
    assert figure["caption"].startswith("Figure 1 Overview of the phases.")
    assert Box(*figure["bbox"]).iou(Box(100, 792 - 700, 320, 792 - 400)) >= 0.95


def test_small_print_across_the_gutter_does_not_join_a_figure(tmp_path):
    # A supplementary page: a picture in the left column, the reference list (small print, so not body text)
    # level with it in the right column; the caption spans the left column only.
    pdf = Canvas(str(tmp_path / "refs.pdf"), pagesize=(612, 792))
    pixels = (np.random.default_rng(2).random((200, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 60, 540, 200, 170)
    words = "the fields of the probe are computed in the region where the fragment is selected".split()
    pdf.setFont("Times-Roman", 7.5)
    pdf.drawString(60, 525, "Figure S2 Interaction fields computed in the region of the fragment.")
    for i in range(14):
        pdf.drawString(310, 705 - 9 * i, f"{i + 1} " + " ".join(words[(i * 5 + k) % len(words)] for k in range(11)))
    pdf.setFont("Times-Roman", 10)
    for column in (60, 310):
        running_prose(pdf, column, 480, 30)
    figure = only_figure(pdf, tmp_path / "refs.pdf", tmp_path)
    assert figure["caption"].startswith("Figure S2 Interaction fields")
    assert Box(*figure["bbox"]).iou(Box(60, 792 - 710, 260, 792 - 540)) >= 0.95


def test_sub_plots_stacked_in_a_column_are_one_figure(tmp_path):
    # ICML 2013 (chevaleyre13 Figure 2): two plots of one width stacked in the right column across white space,
    # the caption under the lower one; the upper plot came out as an uncaptioned figure of its own.
    pdf = Canvas(str(tmp_path / "stacked.pdf"), pagesize=(612, 792))
    for seed, bottom in ((6, 560), (7, 370)):
        plot = np.full((150, 200, 3), 255, dtype="uint8")
        plot[10:140, 20:190] = (np.random.default_rng(seed).random((130, 170, 3)) * 255).astype("uint8")
        pdf.drawImage(ImageReader(Image.fromarray(plot)), 308, bottom, 230, 172)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(308, 350, "Figure 2. Test error rates on synthetic data (upper part) and their spread (lower part).")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 730, 45)
    running_prose(pdf, 308, 320, 20)
    figure = only_figure(pdf, tmp_path / "stacked.pdf", tmp_path)
    assert figure["caption"].startswith("Figure 2. Test error rates")
    top_plot, bottom_plot = Box(308, 792 - 732, 538, 792 - 560), Box(308, 792 - 542, 538, 792 - 370)
    assert Box(*figure["bbox"]).iou(top_plot.union(bottom_plot)) >= 0.8


def _place_form(pdf: Canvas, name: str, x: float, y: float) -> None:
    """Draw the form XObject `name` with its origin at (x, y)."""
    pdf.saveState()
    pdf.translate(x, y)
    pdf.doForm(name)
    pdf.restoreState()


def test_a_chart_drawn_as_one_form_reaching_into_the_table_above_stays_with_its_figure(tmp_path):
    # ICML 2013 (ruvolo13 Figure 2): plots drawn in one small form XObject whose white background reaches up
    # into the table above them; the table, placed first, claimed that one graphic and the figure had none.
    pdf = Canvas(str(tmp_path / "form.pdf"), pagesize=(612, 792))
    pdf.beginForm("plots", 0, 0, 246, 340)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(0, 0, 246, 340, stroke=0, fill=1)  # the background, drawn first: the table is set over it
    pdf.setFillColorRGB(0, 0, 0)
    for bottom in (5, 60, 115, 170):
        pdf.rect(20, bottom, 210, 45)
        pdf.lines([(20 + 10 * k, bottom + 40 - 3 * k, 30 + 10 * k, bottom + 37 - 3 * k) for k in range(20)])
    pdf.endForm()
    _place_form(pdf, "plots", 303, 243)
    pdf.setFont("Times-Italic", 9)
    pdf.drawString(
        56, 600, "Table 2. The running time of the methods as compared to batch multi-task learning, in seconds."
    )
    ruled_table(pdf, 60, 537, 590, 5)
    caption_over_prose(pdf, (308, 228, "Figure 2. The change in accuracy from when a task is first learned."))
    running_prose(pdf, 56, 500, 35)
    running_prose(pdf, 308, 205, 12)
    figure = only_figure(pdf, tmp_path / "form.pdf", tmp_path)
    assert figure["caption"] == "Figure 2. The change in accuracy from when a task is first learned."
    assert Box(*figure["bbox"]).iou(Box(323, 792 - 458, 533, 792 - 248)) >= 0.9


def test_a_photograph_placed_in_a_small_form_of_its_own_is_a_picture(tmp_path):
    # WHO pocket book 2013 (InDesign, Distiller; held-out 20): every placed raster is wrapped in a form XObject of
    # its own, a fifth of the page or less; such a form was kept whole as a drawing, so an uncaptioned photograph in
    # one was never found and a captioned one had no picture to cut into panels.
    pdf = Canvas(str(tmp_path / "placed.pdf"), pagesize=(420, 595))
    photo = images.skin_photo(np.random.default_rng(20), 320, 240)
    pdf.beginForm("placed", 0, 0, 160, 120)
    pdf.drawImage(ImageReader(photo), 0, 0, 160, 120)
    pdf.endForm()
    _place_form(pdf, "placed", 130, 250)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 60, 540, 14, per_line=7)
    running_prose(pdf, 60, 230, 12, per_line=7)
    figure = only_figure(pdf, tmp_path / "placed.pdf", tmp_path)
    page = read_page(open_pdf(tmp_path / "placed.pdf"), 0)
    assert [(g.kind, g.pixel_size) for g in page.graphics] == [("image", (320, 240))]
    page.close()
    assert figure["caption"] is None
    assert Box(*figure["bbox"]).iou(Box(130, 595 - 370, 290, 595 - 250)) >= 0.95


def _raster_form(pdf: Canvas, name: str, width: float, height: float) -> None:
    """The form XObject `name`: a line drawing's raster (dark art on a white margin), `width` x `height` points."""
    pixels = np.full((int(2 * height), int(2 * width), 3), 255, np.uint8)
    pixels[20:-20, 20:-20] = 60
    pdf.beginForm(name, 0, 0, width, height)
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 0, 0, width, height)
    pdf.endForm()


def test_a_drawing_stroked_over_its_raster_is_a_figure_with_its_leader_labels(tmp_path):
    # WHO pocket book 2013 (held-out 20) p62 "Intradermal injection", p70 "Inserting a nasogastric tube": a line
    # drawing placed as a raster in a form of its own with vector leader lines (or a rule) stroked over it, its labels
    # at the leaders' ends, one just past the raster's foot, and its caption under it without a label. The form stays
    # one graphic (vector art over it), so no image was there to be an uncaptioned picture: nothing was found.
    path = tmp_path / "leaders.pdf"
    pdf = Canvas(str(path), pagesize=(420, 595))
    _raster_form(pdf, "art", 180, 75)
    _place_form(pdf, "art", 120, 400)
    pdf.setLineWidth(0.5)
    pdf.line(200, 420, 215, 403)  # a leader from the art down to its label under the raster's foot
    pdf.line(280, 460, 280, 442)  # a leader from the art up to its label on it
    pdf.setFont("Helvetica-Oblique", 6)
    pdf.drawString(190, 396, "muscle or bone")
    pdf.drawString(275, 462, "skin")
    pdf.setFont("Helvetica-BoldOblique", 7)
    pdf.drawString(98, 375, "Intradermal injection (for example in Mantoux test)")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 98, 540, 6, per_line=7)
    running_prose(pdf, 98, 340, 12, per_line=7)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == "Intradermal injection (for example in Mantoux test)", figure
    assert figure["bbox"][3] >= 595 - 396, figure["bbox"]  # down to the label past the raster's foot


def test_two_drawings_stroked_over_overlapping_rasters_are_one_figure_captioned_in_their_empty_corner(tmp_path):
    # WHO pocket book 2013 (held-out 20) p2: drawings A and B, each a raster in a form of its own with strokes over
    # it, set diagonally (B's raster over A's lower right corner), their caption "A: ... B: ..." in the corner they
    # leave empty, its rows running on past B's right edge. The two are one figure with that caption.
    path = tmp_path / "diagonal.pdf"
    pdf = Canvas(str(path), pagesize=(420, 595))
    for name, x, y, size in (("a", 95, 315, 165), ("b", 228, 255, 95)):
        _raster_form(pdf, name, size, size)
        _place_form(pdf, name, x, y)
        pdf.setLineWidth(0.5)
        pdf.line(x + 30, y + 30, x + 60, y + 50)  # a stroke over the drawing's raster
    pdf.setFont("Helvetica-BoldOblique", 7)
    caption = ["A: Lower extremity", "skin traction", "B: Prevention of", "rotational deformity",
               "can be achieved by adding", "a piece of wood."]  # fmt: skip
    for row, text in enumerate(caption):
        pdf.drawString(275, 470 - 8 * row, text)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 95, 230, 12, per_line=7)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == " ".join(caption), figure
    assert Box(*figure["bbox"]).iou(Box(105, 595 - 470, 313, 595 - 265)) >= 0.8, figure["bbox"]  # both drawings' art


def test_a_small_drawing_that_a_framed_chart_s_text_wraps_around_is_a_figure(tmp_path):
    # WHO pocket book 2013 (held-out 20) p27: a drawing under a photograph's size at the right of a framed chart, the
    # chart's 7 pt rows stopping short of it and running on across under it; the body is 7.5 pt. Kept only when set
    # in the text beside body type, it was dropped: text wrapped around a picture sets it in the text's flow too.
    path = tmp_path / "wrapped.pdf"
    pdf = Canvas(str(path), pagesize=(420, 595))
    pdf.rect(87, 595 - 483, 235, 362)  # the chart's frame
    pdf.drawImage(_photo_drawing(), 256, 595 - 221, 57, 71)
    pdf.setFont("Helvetica", 7)
    for row in range(6):  # rows beside the drawing, short of it
        pdf.drawString(95, 595 - 170 - 8 * row, "Breastfeed as often as the child wants, day and")
    for row in range(4):  # rows under it, across where it stands
        pdf.drawString(
            95, 595 - 233 - 8 * row, "If the child is older than four months and appears hungry after feeding"
        )
    pdf.setFont("Helvetica", 7.5)
    running_prose(pdf, 95, 595 - 300, 20, leading=9, per_line=6)
    figure = only_figure(pdf, path, tmp_path)
    assert Box(*figure["bbox"]).iou(Box(259, 154, 310, 217)) >= 0.8, figure["bbox"]  # the drawing's ink


def _photo_drawing() -> ImageReader:
    """A small line drawing's raster: a mother's head and arms drawn in dark strokes on white."""
    picture = Image.new("RGB", (114, 142), "white")
    draw = ImageDraw.Draw(picture)
    draw.ellipse((30, 8, 80, 58), outline="black", width=3)
    draw.arc((6, 40, 108, 138), 200, 340, fill="black", width=3)
    draw.line((12, 130, 60, 76, 104, 128), fill="black", width=3)
    draw.ellipse((44, 84, 76, 112), outline="black", width=2)
    return ImageReader(picture)


def test_a_raster_placed_under_vector_art_stays_part_of_its_drawing(tmp_path):
    # FAA Aviation Maintenance Technician Handbook sample (dev set, docling's amt_handbook_sample): each nut is a
    # shaded raster in a form of its own with outlines, hatching and a label box drawn over it, in two rows; opened as
    # pictures, the lower row took the label over it ("Boots aircraft nut") as its title and the labelled caption
    # lost its figure. A raster with vector art over it is a part of that drawing.
    pdf = Canvas(str(tmp_path / "nuts.pdf"), pagesize=(594, 774))
    shade = Image.fromarray(np.tile(np.linspace(90, 230, 120, dtype=np.uint8), (60, 1)))
    labels = iter(("Boots aircraft nut", "Elastic anchor nut", "Flexloc nut", "Fiber locknut"))
    for row, bottom in enumerate((560, 460)):
        for col, x in enumerate((72, 200)):
            name = f"fill{row}{col}"
            pdf.beginForm(name, 0, 0, 110, 60)
            pdf.drawImage(ImageReader(shade), 0, 0, 110, 60)
            pdf.endForm()
            _place_form(pdf, name, x, bottom)
            pdf.rect(x + 10, bottom + 10, 90, 40)  # the nut's outline and hatching over its fill
            pdf.lines([(x + 12 + 6 * i, bottom + 12, x + 18 + 6 * i, bottom + 46) for i in range(14)])
            pdf.setFillColorRGB(0.75, 0.75, 0.75)
            pdf.rect(x + 20, bottom - 20, 70, 11, stroke=0, fill=1)  # its label box
            pdf.setFillColorRGB(0, 0, 0)
            pdf.setFont("Helvetica", 7)
            pdf.drawCentredString(x + 55, bottom - 17, next(labels))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 740, 8)
    caption_over_prose(pdf, (72, 420, "Figure 7-26. Self-locking nuts."))
    running_prose(pdf, 72, 400, 8)
    figure = only_figure(pdf, tmp_path / "nuts.pdf", tmp_path)
    page = read_page(open_pdf(tmp_path / "nuts.pdf"), 0)
    assert not [g for g in page.graphics if g.kind == "image"], (
        "each fill stays in its form, one graphic of its drawing"
    )
    page.close()
    assert figure["caption"] == "Figure 7-26. Self-locking nuts."
    assert Box(*figure["bbox"]).iou(Box(72, 774 - 620, 310, 774 - 440)) >= 0.8


def _flow_chart_across_the_gutter(pdf: Canvas) -> Box:
    """A flow chart over both columns of a two-column page (Int Psychogeriatr 2014's study-sample chart): nodes in
    each column and one across the gutter, joined by lines. Returns the chart's box (page coordinates, top down)."""
    pdf.setFont("Times-Roman", 8)
    nodes = [(90, 690, 120, 40), (400, 690, 120, 40), (230, 630, 150, 40), (90, 560, 120, 40), (400, 560, 120, 40)]
    for x, y, width, height in nodes:
        pdf.rect(x, y, width, height)
        pdf.drawString(x + 8, y + 24, "Sample of the test wave")
        pdf.drawString(x + 8, y + 10, "n = 600")
    pdf.line(210, 710, 230, 650)  # the left nodes' arrows into the middle node, and the right nodes'
    pdf.line(400, 710, 380, 650)
    pdf.line(210, 580, 230, 650)
    pdf.line(400, 580, 380, 650)
    return Box(90, 792 - 730, 520, 792 - 560)


def test_a_flow_chart_across_the_gutter_over_a_one_column_caption_is_whole(tmp_path):
    # The caption sits in the left column; the chart's nodes and lines run on across the gutter into the right
    # column, which has no text level with it. The chart was cut at the gutter and its right half dropped.
    pdf = Canvas(str(tmp_path / "gutter.pdf"), pagesize=(612, 792))
    chart = _flow_chart_across_the_gutter(pdf)
    caption_over_prose(pdf, (56, 540, "Figure 1. Flow chart of the study sample."))
    running_prose(pdf, 56, 515, 35)
    running_prose(pdf, 320, 515, 35)
    figure = only_figure(pdf, tmp_path / "gutter.pdf", tmp_path)
    assert figure["caption"] == "Figure 1. Flow chart of the study sample."
    assert Box(*figure["bbox"]).iou(chart) >= 0.9


def _gel(rng: np.random.Generator, lanes: int) -> Image.Image:
    """An SDS-PAGE gel: grainy pale grey, a dark band pattern down each lane."""
    gel = rng.normal(200, 15, size=(300, 30 * lanes)).clip(0, 255).astype(np.uint8)
    for lane in range(lanes):
        for row in rng.integers(10, 290, size=8):
            gel[row : row + 4, lane * 30 + 6 : lane * 30 + 24] = rng.integers(40, 160)
    return Image.fromarray(gel)


def _gels_under_lane_labels(pdf: Canvas) -> tuple[Box, Box]:
    """Two gels (a) over (b) (R Soc Open Sci 2015, milk proteins, Figure 1): each under a row of rotated lane labels,
    the upper one of ten lanes, the lower one of eight, both set at one left edge; 20 pt of white space between
    the upper gel and the lower one's labels, nothing above the upper one. Returns the two gels' boxes."""
    rng = np.random.default_rng(5)
    gels = []
    for lanes, top in ((10, 96), (8, 330)):
        width = 24.0 * lanes
        pdf.drawImage(ImageReader(_gel(rng, lanes)), 150, 792 - top - 170, width, 170)
        pdf.setFont("Times-Roman", 8)
        for lane in range(lanes):
            pdf.saveState()
            pdf.translate(156 + 24 * lane, 792 - top + 4)
            pdf.rotate(60)
            pdf.drawString(0, 0, ("cow", "human", "dolphin", "giant panda", "dog")[lane % 5])
            pdf.restoreState()
        pdf.drawString(128, 792 - top - 20, "175")
        pdf.drawString(136, 792 - top - 160, "7")
        gels.append(Box(150, top, 150 + width, top + 170))
    pdf.drawString(150, 792 - 276, "reduced")
    pdf.drawString(150, 792 - 302, "(b)")
    pdf.drawString(150, 792 - 58, "(a)")
    caption_over_prose(
        pdf, (56, 792 - 520, "Figure 1. Milk proteins. Milks of several mammals (a). Milks of three bears (b).")
    )
    running_prose(pdf, 56, 792 - 560, 12, per_line=14)
    return gels[0], gels[1]


def test_pictures_set_on_one_grid_across_white_space_are_one_figure(tmp_path):
    # Two gels stacked 20 pt apart, each under its own row of rotated lane labels: the upper gel, wider, came out as
    # an uncaptioned figure and the caption's figure was the lower gel alone. Their ink boxes do not line up (the
    # labels and lane counts differ), but the two pictures share their left edge.
    upper, lower = _gels_under_lane_labels(pdf := Canvas(str(tmp_path / "gels.pdf"), pagesize=(612, 792)))
    figure = only_figure(pdf, tmp_path / "gels.pdf", tmp_path)
    assert figure["caption"].startswith("Figure 1. Milk proteins")
    box = Box(*figure["bbox"])
    assert box.contains(upper.union(lower), tolerance=1.0) and box.top <= upper.top - 20  # the labels over (a)
    assert [p["letter"] for p in figure["panels"]] == ["a", "b"]


def test_body_text_wrapped_beside_a_photo_stays_out_of_its_figure(tmp_path):
    """Held-out set 4 (WHO entomology handbook, Figures 41-44): a photo in the right part of the text column, its
    caption over it, and the body text wrapped on its left in lines a third of the column wide, too narrow to pass
    for paragraph lines on their own. The wrapped paragraph is prose: the figure is the photo alone."""
    path = tmp_path / "wrapped_beside_photo.pdf"
    canvas = Canvas(str(path), pagesize=(567, 737))
    canvas.setFont("Times-Roman", 10)
    for i in range(5):  # a paragraph across the column
        canvas.drawString(113, 640 - 12 * i, DENGUE_PARAGRAPH[:78])
    canvas.setFont("Times-Roman", 8)
    canvas.drawString(241, 580, "Figure 42. Indoor residual spraying")
    canvas.drawImage(ImageReader(photo_pixels(42)), 241, 460, 213, 110)
    words = (DENGUE_PARAGRAPH + " ") * 3
    # 10 pt on 12 as the handbook sets it: 10 rows beside the photo, then the paragraph runs on under it
    under_photo = wrapped_lines(canvas, words.split()[:38], 113, 566, 118, indent=29, leading=12)
    wrapped_lines(canvas, words.split()[38:], 113, under_photo, 330, indent=0, leading=12)
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [r["label"] for r in rows] == ["42"]
    assert Box(*rows[0]["bbox"]).iou(Box(241, 737 - 570, 454, 737 - 460)) >= 0.95, "the wrapped text is in the box"
    assert rows[0]["caption"] == "Figure 42. Indoor residual spraying"


@pytest.mark.parametrize("turned", [False, True], ids=["upright", "turned"])
def test_a_clipped_image_is_its_visible_part_and_its_picture_that_part(tmp_path, turned):
    """Held-out set 4 (print-replica books made in InDesign): a whole photo placed and clipped to the picture
    printed, its bounds reaching over the caption above and the text under it. The figure box is the part the
    clipping path shows, and the written picture holds that part only (the hidden margins are red): cut from the
    embedded pixels, or drawn from the page where the image is placed turned (upside down)."""
    path = tmp_path / "clipped.pdf"
    whole = Image.new("RGB", (480, 360), (255, 0, 0))
    whole.paste(photo_pixels(4), (80, 60))  # 320 x 240 of 480 x 360: the visible part at 1 px per pt
    canvas = Canvas(str(path), pagesize=(612, 792))
    canvas.setFont("Helvetica", 10)
    for i in range(4):
        canvas.drawString(72, 740 - 12 * i, DENGUE_PARAGRAPH)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(152, 650, "Figure 1. Lymphoedema of the left leg.")
    canvas.saveState()
    canvas.translate(*((472, 640) if turned else (152, 400)))  # the frame: x 152-472, y 400-640
    canvas.rotate(180 if turned else 0)
    clip = canvas.beginPath()
    clip.rect(0, 0, 320, 240)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.drawImage(ImageReader(whole), -80, -60, 480, 360)  # the image's bounds reach 80 and 60 pt past the frame
    canvas.restoreState()
    canvas.setFont("Helvetica", 10)
    for i in range(4):
        canvas.drawString(72, 380 - 12 * i, DENGUE_PARAGRAPH)
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    dataset = Dataset.open(tmp_path / "ds")
    figures = dataset.read_table("figures").to_pylist()
    assert [r["label"] for r in figures] == ["1"]
    assert Box(*figures[0]["bbox"]).iou(Box(152, 792 - 640, 472, 792 - 400)) >= 0.97
    (image,) = dataset.read_table("images").to_pylist()
    picture = np.asarray(Image.open(io.BytesIO(image["image"]["bytes"])).convert("RGB"), dtype=np.int16)
    assert abs(picture.shape[1] / picture.shape[0] - 320 / 240) < 0.02
    red = (picture[..., 0] > 200) & (picture[..., 1] < 60) & (picture[..., 2] < 60)
    assert red.mean() < 0.01, "the hidden margins of the image are not in the picture"


def test_an_image_its_clip_hides_wholly_is_not_on_the_page(tmp_path):
    """Held-out 40 deoxyshikonin p. 8 (MDPI: each figure placed as the author's manuscript page clipped to that
    figure): every picture of the manuscript page is drawn under each figure's clip, the others wholly hidden. A
    hidden copy of Figure 7's photograph beside Figure 6's blots was read as a picture there, at its unclipped place:
    the blots were one group with it. An image its clip shows nothing of is not on the page."""
    path = tmp_path / "manuscript_page.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792))
    canvas.setFont("Helvetica", 10)
    for i in range(4):
        canvas.drawString(72, 740 - 12 * i, DENGUE_PARAGRAPH)
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(152, 400, 200, 240)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.drawImage(ImageReader(photo_pixels(6)), 152, 400, 200, 240)  # Figure 6, shown
    canvas.drawImage(ImageReader(photo_pixels(7)), 360, 420, 150, 200)  # Figure 7's, hidden beside it
    canvas.restoreState()
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(152, 385, "Figure 6. Immunoblots of treated cells.")
    canvas.setFont("Helvetica", 10)
    for i in range(4):
        canvas.drawString(72, 350 - 12 * i, DENGUE_PARAGRAPH)
    canvas.showPage()
    canvas.save()
    document = pdfium.PdfDocument(str(path))
    images = [graphic.box for graphic in read_page(document, 0).graphics if graphic.kind == "image"]
    assert images == [pytest.approx(Box(152, 792 - 640, 352, 792 - 400), abs=0.5)]
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert Box(*figure["bbox"]).iou(Box(152, 792 - 640, 352, 792 - 400)) >= 0.97


def test_text_wrapped_beside_a_photo_in_a_text_box_set_smaller_than_the_body_stays_out_of_its_figure(tmp_path):
    """Held-out set 4 (WHO entomology handbook, Figure 11, inside Box 6): a page that is one text box set in 9 pt in
    a book set in 10, a photo in the right part of the box under its caption, the box's text wrapped on its left.
    No line of the page is in the book's body size, so none was prose: the wrapped text joined the photo's ink and
    took the caption, and the photo came out uncaptioned. A page's paragraphs in one size are its body text."""
    path = tmp_path / "text_box.pdf"
    canvas = Canvas(str(path), pagesize=(567, 737))
    canvas.setFont("Times-Roman", 10)
    running_prose(canvas, 57, 680, 40, leading=12, per_line=15)  # the book's body text
    canvas.showPage()
    canvas.setFont("Times-Roman", 9)
    running_prose(canvas, 57, 640, 6, leading=11, per_line=15)  # the box's paragraphs across its width
    canvas.setFont("Times-Roman", 8)
    canvas.drawString(303, 560, "Figure 11. Pharyngeal and cibarial armature")
    canvas.drawImage(ImageReader(photo_pixels(11)), 303, 390, 204, 160)
    canvas.setFont("Times-Roman", 9)
    words = DENGUE_PARAGRAPH.split() * 12
    for i in range(9):  # wrapped on the photo's left, each line filled up to 6 pt short of it
        line = words.pop(0)
        while canvas.stringWidth(f"{line} {words[0]}", "Times-Roman", 9) <= 240:
            line = f"{line} {words.pop(0)}"
        canvas.drawString(57, 546 - 11 * i, line)
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(r["page"], r["label"]) for r in rows] == [(2, "11")]
    assert Box(*rows[0]["bbox"]).iou(Box(303, 737 - 550, 507, 737 - 390)) >= 0.95, "the wrapped text is in the box"
    assert rows[0]["caption"] == "Figure 11. Pharyngeal and cibarial armature"


def _flow_chart(pdf: Canvas, x: float, top: float, rows: int) -> None:
    """A vector flow chart from `top` down: a node on top, then `rows` rows of two framed nodes, joined by lines."""
    pdf.setFont("Helvetica", 6)
    pdf.rect(x + 60, top - 30, 110, 30)
    pdf.drawString(x + 66, top - 16, "Patients of ages 18-50 (n=263)")
    for row in range(rows):
        y = top - 70 - 60 * row
        for left in (x, x + 125):
            pdf.line(left + 50, y + 30, left + 50, y + 40 if row else top - 30)
            pdf.rect(left, y - 10, 105, 40)
            pdf.drawString(left + 5, y + 16, "Received treatment for six weeks")
            pdf.drawString(left + 5, y + 6, f"Completed treatment (n={37 - row})")


def test_a_figure_filling_one_column_beside_its_caption_at_the_top_of_the_other_is_found_whole(tmp_path):
    # PLoS Pathogens 2006 Figure 1: two flow charts (A over B, white space between) fill the left column; the caption
    # is at the top of the right column, body text under it. The page's text is that column alone, so the caption
    # (a column wide) counted as too wide to have a figure beside it, and the caption was not attached; once the side
    # was searched, only the chart nearest the caption was taken.
    pdf = Canvas(str(tmp_path / "side.pdf"), pagesize=(594, 783))
    _flow_chart(pdf, 45, 730, 5)
    _flow_chart(pdf, 45, 390, 4)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(306, 727, "Figure 1. Flowchart of Patient Participation")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(306, 717, "(A) Trial profile of microfilaremic patients. Of the 76 patients,")
    pdf.drawString(306, 707, "33 were present at all time points. (B) Trial profile of lymphedema.")
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 306, 680, 50, leading=11, per_line=12)
    figure = only_figure(pdf, tmp_path / "side.pdf", tmp_path)
    assert figure["caption"].startswith("Figure 1. Flowchart of Patient Participation (A) Trial profile")
    assert Box(*figure["bbox"]).iou(Box(45, 783 - 730, 275, 783 - 130)) >= 0.95, "both charts, nothing else"


def test_a_picture_its_captions_search_cut_is_the_lone_captions(tmp_path):
    # A report's raster maps reach past their caption's column: Map 3.9's raster runs left under the other
    # column's last body lines (set over its white corner), so the search under its caption cut the picture and
    # placed nothing; the map came out uncaptioned. On the next page two maps' rasters overlap (Map 3.3's corner
    # over Map 3.1's), and both came out as one uncaptioned box.
    rng = np.random.default_rng(11)
    pdf = Canvas(str(tmp_path / "maps.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 46, per_line=8)  # the left column to x 250, down to y 212
    running_prose(pdf, 320, 752, 30, per_line=5)
    caption_over_prose(pdf, (320, 386, "Map 3.9 Haiti: LF endemicity status and MDA coverage 2001"))
    corner = _raster_map(rng, 320, 200)
    corner.paste((255, 255, 255), (0, 0, 100, 170))  # white under the left column's lines
    pdf.drawImage(ImageReader(corner), 160, 176, 320, 200)  # y 416-616, x 160-480
    _map_key(pdf, 486, 360, ["Endemic", "Non-endemic", "Uncertain"])
    pdf.showPage()
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 20, per_line=5)
    caption_over_prose(pdf, (320, 600, "Map 3.3 Status of implementation units in the east"))
    pdf.drawImage(ImageReader(_raster_map(rng, 230, 230)), 320, 360, 230, 230)  # y 202-432
    caption_over_prose(pdf, (56, 430, "Map 3.1 Status of implementation units in the west"))
    pdf.drawImage(ImageReader(_raster_map(rng, 290, 230)), 56, 190, 290, 230)  # y 372-602, under 3.3's corner
    pdf.save()
    run_extract([tmp_path / "maps.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert set(figures) == {"3.9", "3.3", "3.1"}
    key_x1 = 486 + 11 + stringWidth("Non-endemic", "Helvetica", 7)
    assert Box(*figures["3.9"]["bbox"]).iou(Box(160, 416, key_x1, 616)) >= 0.95
    assert figures["3.9"]["caption"] == "Map 3.9 Haiti: LF endemicity status and MDA coverage 2001"
    assert Box(*figures["3.3"]["bbox"]).iou(Box(320, 202, 550, 432)) >= 0.95
    assert Box(*figures["3.1"]["bbox"]).iou(Box(56, 372, 346, 602)) >= 0.95


def test_a_raster_set_under_its_caption_is_its_figure_however_much_blank_paper_tops_it(tmp_path):
    # WHO 2002 vector control annexes, Fig. 3 (held-out 35): a map's raster starts 4 pt under its caption, but its
    # top 86 pt are blank paper. Its ink lay further from the caption than a figure may, so the search placed
    # nothing, and the raster was taken whole, blank margins and all, as the lone caption's picture (IoU 0.7).
    rng = np.random.default_rng(5)
    pdf = Canvas(str(tmp_path / "margins.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 10, per_line=22)  # as wide as the picture
    caption_over_prose(pdf, (56, 600, "Figure 3 Regional proportions of cases by the vector transmitting them"))
    picture = Image.new("RGB", (500, 300), (255, 255, 255))
    picture.paste(_raster_map(rng, 500, 150), (0, 100))  # blank paper above and under the map
    pdf.drawImage(ImageReader(picture), 56, 290, 500, 300)  # y 202-502, the map 302-452
    running_prose(pdf, 56, 270, 10, per_line=22)
    pdf.save()
    run_extract([tmp_path / "margins.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert Box(*figure["bbox"]).iou(Box(56, 302, 556, 452)) >= 0.9, figure["bbox"]


def _cross_section(rng: np.random.Generator, white_ground: bool) -> Image.Image:
    """A 280 x 270 px cross-section scan: a grey disc on black (CT), or a PET scan on white, its dark uptake low
    in the picture and a scale bar along its foot (the only ink of its upper half is the faint body outline)."""
    yy, xx = np.mgrid[:270, :280]
    disc = ((xx - 140) / 120) ** 2 + ((yy - 135) / 100) ** 2 <= 1
    if not white_ground:
        return Image.fromarray(np.where(disc, rng.normal(120, 25, disc.shape), 0).clip(0, 255).astype(np.uint8))
    uptake = ((xx - 140) / 125) ** 2 + ((yy - 200) / 55) ** 2 <= 1
    pixels = np.where(uptake, rng.normal(90, 20, disc.shape), np.where(disc, rng.normal(250, 3, disc.shape), 255))
    pixels[262:268, 30:60] = 0
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def test_a_grid_of_scans_whose_middle_column_has_a_white_ground_is_one_figure(tmp_path):
    # Gastroenterol Res Pract 2016 (hepatic imaging review) Figure 3: a 4 x 3 grid of CT, PET and fused scans, 8-14
    # pt gutters, "(a)" under row 2 and "(b)" under row 4, the caption under it. It came out as 12 figures, the
    # caption on the last row's PET scan alone: the ink nearest the caption is that scan's lower part with "(b)",
    # while the outer columns' scans, linked across the gutters, make groups two rows tall, level with it over less
    # than half their height.
    rng = np.random.default_rng(4)
    pdf = Canvas(str(tmp_path / "grid.pdf"), pagesize=(600, 800))
    for top in (90, 239, 396, 543):
        for column, x in enumerate((75, 231, 382)):
            pdf.drawImage(ImageReader(_cross_section(rng, column == 1)), x, 800 - top - 136, 142, 136)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(293, 800 - 389, "(a)")
    pdf.drawString(293, 800 - 689, "(b)")
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(51, 800 - 709, "Figure 3: (a) PET/CT images of a lesion in the right hepatic lobe: CT, PET, fused.")
    pdf.drawString(51, 800 - 720, "(b) The same in a second patient. Both lesions were consistent with carcinoma.")
    pdf.showPage()  # a page of body text, so that the book has a body size
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 760, 50, leading=13, per_line=14)
    figure = only_figure(pdf, tmp_path / "grid.pdf", tmp_path)
    assert figure["label"] == "3"
    assert Box(*figure["bbox"]).iou(Box(75, 90, 524, 691)) >= 0.95
    assert len(figure["panels"]) == 12


def test_a_running_head_rule_over_a_plate_captioned_beside_it_is_not_the_plate(tmp_path):
    # Eur Radiol 2020 (Springer) Figure 1: a CT plate flush right under the running head's rule (10 pt of white
    # between them), its caption in a narrow column at the left. The rule, left out of the figures' graphics near
    # the page's top edge, stayed in the ink and linked to the plate: the box ran up to the rule and left to the
    # caption's column.
    pdf = Canvas(str(tmp_path / "plate.pdf"), pagesize=(595, 791))
    pdf.setFont("Times-Roman", 8.5)
    pdf.drawString(51, 791 - 41, "Eur Radiol")
    pdf.setLineWidth(2)
    pdf.line(51, 791 - 45, 544, 791 - 45)
    lines = [
        "Fig. 1 Appearance of COVID-19",
        "on CT in four patients, two",
        "slices each, from the first",
        "days of their symptoms to the",
        "weeks after, showing ground",
        "glass opacities and a halo",
    ]
    springer_side_caption(pdf, 64, lines, (55, 539))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 791 - 590, 12, per_line=14)
    for _ in range(3):  # the running head recurs
        pdf.showPage()
        pdf.setFont("Times-Roman", 8.5)
        pdf.drawString(51, 791 - 41, "Eur Radiol")
        pdf.line(51, 791 - 45, 544, 791 - 45)
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 51, 791 - 70, 50, per_line=14)
    figure = only_figure(pdf, tmp_path / "plate.pdf", tmp_path)
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).iou(Box(232, 55, 544, 539)) >= 0.95


def _rounded_frame(pdf: Canvas, height: float, top: float, bottom: float, edge: tuple[float, float]) -> None:
    """BMC's rounded frame drawn piece by piece from `top` to `bottom` (top-left points): its flat edges across
    `edge`, its sides at x 57 and 538, four corner arcs."""
    pdf.setLineWidth(1.2)
    for y in (top, bottom):
        pdf.line(edge[0], height - y, edge[1], height - y)
    for x in (57, 538):
        pdf.line(x, height - top - 3, x, height - bottom + 3)
    for x, y, start in ((57, top, 90), (532, top, 0), (57, bottom - 6, 180), (532, bottom - 6, 270)):
        pdf.arc(x, height - y - 6, x + 6, height - y, start, 90)


def _framed_flow_chart(pdf: Canvas) -> Box:
    """BMC Medicine 2014 Figure 1: a flow chart of text boxes centred on the page over two columns of text, its
    connectors partly a raster drawn across the column gutter, inside a rounded frame drawn piece by piece (four
    edges, four corner arcs) around the chart and its one-line caption at the frame's bottom left. Returns the
    chart's box."""
    height = 794
    _rounded_frame(pdf, height, 90, 424, (60, 535))
    pdf.setLineWidth(0.5)
    pdf.setFont("Times-Roman", 6)
    nodes = [
        (250, 96, 345, 116),
        (160, 130, 300, 176),
        (260, 217, 340, 247),
        (160, 270, 290, 300),
        (310, 270, 440, 300),
        (160, 330, 290, 370),
        (310, 330, 440, 370),
    ]
    text_boxes(pdf, height, nodes, "women randomised to care")
    connectors = Image.new("L", (105, 230), 255)
    pixels = np.asarray(connectors).copy()
    pixels[:, 50:52] = 0  # the trunk down the middle
    pixels[150:152, 0:105] = 0  # the branch to both arms
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 245, height - 347, 105, 230)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(63, height - 419, "Figure 1 Flow of participants through the trial.")
    pdf.setFont("Times-Roman", 10)
    for page in range(2):  # two columns of text under the frame, then a page of them
        top = height - (450 if page == 0 else 60)
        running_prose(pdf, 57, top, 24 if page == 0 else 58, per_line=11)
        running_prose(pdf, 305, top, 24 if page == 0 else 58, per_line=11)
        pdf.showPage()
        pdf.setFont("Times-Roman", 10)
    return Box(160, 96, 440, 370)


def test_a_framed_flow_chart_across_the_gutter_over_a_one_column_caption_is_one_figure(tmp_path):
    # BMC Medicine 2014 Figures 1 and 2 came out cut: the frame's sides (thin upright lines shorter than the text
    # width) joined the figure, and the search over the caption's column cut through the connectors' raster, which
    # crosses the gutter, so found nothing, and the chart was never searched whole.
    chart = _framed_flow_chart(pdf := Canvas(str(tmp_path / "frame.pdf"), pagesize=(595, 794)))
    figure = only_figure(pdf, tmp_path / "frame.pdf", tmp_path)
    assert figure["caption"] == "Figure 1 Flow of participants through the trial."
    assert Box(*figure["bbox"]).iou(chart) >= 0.95


def test_a_frame_around_a_page_high_figure_and_its_caption_is_neither_s_where_its_sides_are_rules(tmp_path):
    """Held-out 11, BMC Biology 2010 Figure 1: a plate of charts as one raster filling a page with no body text, in
    BMC's rounded frame with its caption. There the frame's upright sides, taller than most of the page is wide, are
    page rules already, so the frame's other pieces were not known as a frame's: its top edge and corners joined the
    figure's box (IoU 0.71 with the raster)."""
    pdf = Canvas(str(tmp_path / "tall.pdf"), pagesize=(595, 794))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 57, 734, 58, per_line=14)
    pdf.showPage()
    height = 794
    _rounded_frame(pdf, height, 89, 733, (61, 533))
    pdf.drawImage(ImageReader(micrograph_plate(np.random.default_rng(3))), 127, height - 656, 340, 560)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(
        63, height - 670, "Figure 1 Observed and fitted microfilarial age-prevalence curves for each setting."
    )
    figure = only_figure(pdf, tmp_path / "tall.pdf", tmp_path)
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).iou(Box(127, 96, 467, 656)) >= 0.95, figure["bbox"]


def test_a_table_caption_under_its_table_leaves_the_charts_under_it_to_their_figure_caption(tmp_path):
    """The session 33 sweep, mineru 8fff33ba34 p8 (an ACL paper): "Table 3" under its ruled table, 15 pt under it a
    row of line charts, each an included plot file (a form), and "Figure 4" 21 pt under the charts. The table
    caption's search down found the charts nearer than the figure caption's search up: Figure 4 was missed. Charts'
    data lines run aslant, as no table's rules do."""
    pdf = Canvas(str(tmp_path / "charts.pdf"), pagesize=(595, 842))
    for y in (842 - 70, 842 - 99, 842 - 163):  # a booktabs table: three rules across, no cell rules
        pdf.line(93, y, 502, y)
    pdf.setFont("Times-Roman", 8)
    for row in range(6):
        pdf.drawString(
            98, 842 - 112 - 9 * row, "   ".join(f"{0.1 * (row + column):.2f}/{0.3 * column:.2f}" for column in range(7))
        )
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(71, 842 - 205, "Table 3: Zero-shot accuracy of the models on the figurative and literal sets.")
    rng = np.random.default_rng(4)
    for k in range(4):
        name = f"chart{k}"
        pdf.beginForm(name)
        left, bottom = 85 + 90 * k, 842 - 295
        pdf.line(left, bottom, left + 75, bottom)
        pdf.line(left, bottom, left, bottom + 75)
        pdf.setFont("Helvetica", 5)
        for tick in range(3):
            pdf.drawRightString(left - 2, bottom + 30 * tick, f"{0.25 * tick:.2f}")
        path = pdf.beginPath()
        path.moveTo(left + 2, bottom + 40)
        for step in range(1, 20):
            path.lineTo(left + 2 + 3.6 * step, bottom + 20 + 40 * rng.random())
        pdf.drawPath(path)
        pdf.endForm()
        pdf.doForm(name)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(71, 842 - 325, "Figure 4: Performance of the models on the proposed inference task when asking the")
    pdf.drawString(
        71, 842 - 337, "negative question. The number of parameters is in billions for the two largest models."
    )
    running_prose(pdf, 71, 842 - 370, 30, per_line=12)
    figure = only_figure(pdf, tmp_path / "charts.pdf", tmp_path)
    assert figure["label"] == "4"
    assert Box(*figure["bbox"]).contains(Box(85, 220, 430, 295), tolerance=5), figure["bbox"]


def test_a_frame_around_a_picture_alone_stays_its_border(tmp_path, shared_pdfs, shared_groundtruth):
    # IBM Redbook (docling_redp5110_sampled) Figure 3-1: a screenshot in a frame drawn piece by piece, its caption
    # under the frame. Unlike a frame around figure and caption (BMC), the frame is the picture's border: taking
    # its sides out of the figure cut the box to the screenshot (IoU with the truth 0.97 -> 0.92).
    pdf = shared_pdfs / "docling_redp5110_sampled.pdf"
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    (figure,) = [r for r in rows if r["label"] == "3-1"]
    truth = json.loads((shared_groundtruth / "docling_redp5110_sampled.json").read_text())["figures"]
    box = Box(*figure["bbox"])
    assert max(box.iou(Box(*t["figure_bbox"])) for t in truth if t["page"] == figure["page"]) >= 0.95


def test_two_pictures_side_by_side_over_a_third_centred_under_them_are_one_figure(tmp_path):
    # Case Rep Med 2016 (PMC4738949) Figures 2 and 3, Gastroenterol Res Pract 2016 (PMC4709619) Figure 2: pictures
    # two to a row over one centred under them, nearest the caption, each over its letter. The centred one came
    # out as the captioned figure and the rows above as uncaptioned ones: they are wider, so their edges do not
    # line up with it, but they are centred on it.
    pdf = Canvas(str(tmp_path / "pyramid.pdf"), pagesize=(600, 800))
    pdf.setFont("Times-Roman", 8)
    for seed, (x, top, letter) in enumerate(((125, 74, "a"), (303, 74, "b"), (214, 290, "c"))):  # 25 pt apart
        pdf.drawImage(ImageReader(photo_pixels(seed)), x, 800 - top - 170, 170, 170)
        pdf.drawString(x + 80, 800 - top - 181, f"({letter})")
    pdf.setFont("Times-Roman", 9)
    caption = [
        "Figure 2: Contrast-enhanced computed tomography demonstrating extensive diffuse ground-glass",
        "opacifications, with more confluent opacity involving the lower lobes of both lungs, on admission.",
    ]
    for k, line in enumerate(caption):
        pdf.drawString(51, 800 - 492 - 10 * k, line)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 800 - 535, 20, per_line=21)
    figure = only_figure(pdf, tmp_path / "pyramid.pdf", tmp_path)
    assert figure["label"] == "2"
    assert Box(*figure["bbox"]).iou(Box(125, 74, 473, 474)) >= 0.95
    assert [p["letter"] for p in figure["panels"]] == ["a", "b", "c"]


def test_a_key_set_over_the_foot_of_a_lone_captions_picture_is_the_maps(tmp_path):
    # Held-out 5's Map 3.2: a raster reaching left under the other column's last lines (placed by its lone caption),
    # its key set over the raster's foot and running out under it: neither beside the picture nor beyond it, so the
    # key's last two lines were left out of the box.
    rng = np.random.default_rng(11)
    pdf = Canvas(str(tmp_path / "map.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 752, 46, per_line=8)
    running_prose(pdf, 320, 752, 30, per_line=5)
    caption_over_prose(pdf, (320, 386, "Map 3.2 Status of implementation units in the west"))
    corner = _raster_map(rng, 380, 200)
    corner.paste((255, 255, 255), (0, 0, 160, 170))
    pdf.drawImage(ImageReader(corner), 100, 176, 380, 200)  # y 416-616, x 100-480
    bottom = _map_key(pdf, 400, 192, ["Endemic", "Non-endemic", "Uncertain"])  # from y 600, over the foot
    pdf.save()
    run_extract([tmp_path / "map.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert Box(*figures["3.2"]["bbox"]).bottom >= 792 - bottom - 6, figures["3.2"]["bbox"]  # the key's last line


def test_an_uncaptioned_picture_is_its_ink_not_its_rasters_white_padding(tmp_path):
    """Held-out 8 (WHO proceedings, pages 13 and 20): a drawing and a map stored as rasters with a wide white margin,
    mounted on a green panel, no caption. A captioned figure's box was already its visible ink; an uncaptioned one
    kept the raster's bounds, white margin and all ([118, 486, 478, 726] against the drawing's [191, 508, 409, 709])."""
    pdf = Canvas(str(tmp_path / "padded.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 780, 20)
    pdf.setFillColorRGB(0.56, 0.8, 0.64)
    pdf.rect(85, 100, 425, 264, stroke=0, fill=1)  # the green mount
    padded = Image.new("RGB", (720, 480), "white")
    padded.paste(photo_pixels(8), (150, 60))  # 320 x 240 px of picture in a 720 x 480 px raster
    pdf.drawImage(ImageReader(padded), 118, 116, 360, 240)  # 2 px a point: the picture is 160 x 120 pt
    figure = only_figure(pdf, tmp_path / "padded.pdf", tmp_path)
    assert figure["caption"] is None
    picture = Box(118 + 75, 842 - 116 - 240 + 30, 118 + 75 + 160, 842 - 116 - 240 + 30 + 120)
    assert Box(*figure["bbox"]).iou(picture) >= 0.95, figure["bbox"]


def test_subfigures_with_sub_captions_hanging_under_their_text_are_one_figure(tmp_path):
    # LaTeX's subcaption under each of two stacked pictures (held-out 15, scrbook 6.12): "(b) In this micrograph
    # ..." wraps onto rows hanging under its text, as wide as a paragraph's lines. Those rows were read as body text
    # between the pictures and the caption "Figure 1.12: ..." under the set: the two pictures came out as two
    # figures captioned by their sub-captions, the figure missed.
    rng = np.random.default_rng(13)
    pdf = Canvas(str(tmp_path / "subfig.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 60, 790, 4, per_line=17)
    pdf.drawImage(ImageReader(micrograph_plate(rng)), 100, 560, 340, 170)
    centred_string(pdf, 270, 545, "(a) This cross-sectional view of compact bone shows the basic unit, the osteon.")
    pdf.drawImage(ImageReader(micrograph_plate(rng)), 150, 380, 240, 150)
    hang = 130 + pdf.stringWidth("(b) ", "Times-Roman", 10)
    pdf.drawString(130, 365, "(b) In this micrograph of the osteon, you can clearly see the con-")
    for i, row in enumerate(
        ["centric lamellae and central canals. LM x 40. (Micrograph", "provided by the Regents of the"]
    ):
        pdf.drawString(hang, 353 - 12 * i, row)
    centred_string(pdf, 270, 310, "Figure 1.12: Diagram of Compact Bone.")
    running_prose(pdf, 60, 280, 10, per_line=17)
    pdf.save()
    run_extract([tmp_path / "subfig.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "1.12" and figure["caption"] == "Figure 1.12: Diagram of Compact Bone."
    assert Box(*figure["bbox"]).contains(
        Box(105, 112, 440, 462), tolerance=2
    )  # both pictures (the plates ink from 105)


def test_a_cover_photograph_under_a_flat_raster_band_is_the_photograph_alone(tmp_path):
    """Held-out 19's covers: the masthead is a raster of one flat green (its title set on it as text) ending where
    the cover photograph starts. The two touching rasters were boxed as one picture, the band with its photograph;
    and, the band left out, the masthead's title centred over the photograph read as its caption. A raster of one
    flat colour is a tint: no picture, no tile of the photograph it abuts, and the text on it is its own."""
    path = tmp_path / "cover.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    band = Image.new("RGB", (576, 144), (15, 153, 72))
    pdf.drawImage(ImageReader(band), 0, 842 - 172, 595, 144)  # 28-172 pt from the top
    pdf.drawImage(ImageReader(photo_pixels(11)), 0, 842 - 588, 595, 416)  # 172-588: abutting the band
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("Helvetica-Bold", 60)
    pdf.drawCentredString(297, 842 - 110, "Field News")
    pdf.setFont("Helvetica", 18)
    pdf.drawCentredString(297, 842 - 150, "A NEWSLETTER OF THE PROGRAMME")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 842 - 640, 8, per_line=12)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [(round(row["bbox"][1]), round(row["bbox"][3]), row["caption"]) for row in rows] == [(172, 588, None)]


@pytest.mark.parametrize(
    "pixel_format",
    [pdfium_c.FPDFBitmap_Gray, pdfium_c.FPDFBitmap_BGR, pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA],
)
def test_a_bitmap_is_one_colour_as_its_rgb_pictures_extrema_say(pixel_format):
    """A flat tint is told by the bitmap pdfium decodes, read where pdfium wrote it (rows padded to whole words, a
    fourth byte of alpha or nothing): its answer is that of the picture in RGB, every band's lowest value its highest,
    for a flat bitmap, one whose fourth byte alone varies and one with a single pixel off in one channel."""
    changes = [None, (4, 2, 0), (0, 0, 3), (6, 4, 2)]  # (x, y, channel) set darker; None: flat
    for change in changes:
        bitmap = pdfium.PdfBitmap.new_foreign(7, 5, pixel_format)  # 7 pixels: padded rows, but for 4-byte ones
        pixels = bitmap.to_numpy()
        pixels[...] = 200
        if change is not None and pixels.ndim == 3 and change[2] < pixels.shape[2]:
            x, y, channel = change
            pixels[y, x, channel] = 10
        elif change is not None and pixels.ndim == 2:
            pixels[change[1], change[0]] = 10
        picture = bitmap.to_pil().convert("RGB")
        assert one_colour(bitmap) == all(low == high for low, high in picture.getextrema()), (pixel_format, change)


@pytest.mark.parametrize(
    "pixel_format",
    [pdfium_c.FPDFBitmap_Gray, pdfium_c.FPDFBitmap_BGR, pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA],
)
def test_a_bitmap_taller_than_a_slice_of_rows_is_one_colour_only_to_its_last_row(pixel_format):
    """`one_colour` compares a megabyte of rows at a time: a tint of 601 x 1,800 pixels (1-4 MB) is flat, and one
    pixel off in one channel of the last row of the last slice, or of the first row, makes it not."""
    for change in [None, (600, 1799, 2), (0, 0, 0)]:  # (x, y, channel)
        bitmap = pdfium.PdfBitmap.new_foreign(601, 1800, pixel_format)
        pixels = bitmap.to_numpy()
        pixels[...] = 77
        if change is not None:
            x, y, channel = change
            pixels[(y, x, channel) if pixels.ndim == 3 else (y, x)] = 78
        assert one_colour(bitmap) is (change is None), (pixel_format, change)


def test_a_grid_of_titled_charts_whose_rows_differ_in_width_is_one_figure(tmp_path):
    # The WHO Weekly Epidemiological Record's Fig. 4 (held-out 21): five titled charts a-e in two columns under the
    # caption, the second row's right chart wider than the first row's, the last row one chart alone. Rows stand
    # further apart than ink is linked over and only parts lined up on both sides were stacked on: the figure was
    # cut after its first row. Each part of a further row starts where a column of the figure starts.
    pdf = under_a_wide_caption(
        tmp_path / "grid.pdf",
        "Fig. 4 Impact of mass drug administration (MDA) for lymphatic filariasis at sentinel sites in",
        "countries that had completed 5-6 rounds and for which data at baseline were available, 2000-2008",
    )
    for top, widths in ((100, (180, 180)), (230, (180, 210)), (360, (180,))):
        for column, width in enumerate(widths):
            titled_line_chart(pdf, 72 + 250 * column, top, width, f"{'abcde'[column]}. Site {top}")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 792 - 520, 12)
    pdf.save()
    (figure,) = figures_left_to_right(tmp_path / "grid.pdf")
    assert figure["bbox"][3] >= 470 and figure["bbox"][2] >= 530, figure["bbox"]  # every row, the wide chart too


def test_a_framed_key_of_long_swatched_lines_under_a_map_is_the_maps(tmp_path):
    # The WER's Map 1 (held-out 21): a framed key under the map, a gap wider than ink is linked over, each line a
    # swatch and an entry printed in two languages, a line as wide as the map. Blocks of small type wider than a key
    # column were taken for tables, and the swatches, 2 em wide with their stroke, measured over the limit: the
    # figure ended at the map's foot; then at the key's last line, short of the frame drawn round it.
    pdf = under_a_wide_caption(
        tmp_path / "key.pdf",
        "Map 1 Countries where lymphatic filariasis is endemic and status of mass drug administration",
        "Carte 1 Pays dans lesquels la filariose lymphatique est endemique et situation de l'AMM",
    )
    pdf.drawImage(ImageReader(photo_pixels(21)), 72, 792 - 290, 460, 190)  # 100-290 pt from the top
    entries = [
        f"{entry} countries. - Pays d'endemie ou l'AMM a lieu."
        for entry in ("Endemic, implementing", "Unlikely to require it", "Endemic", "Target achieved")
    ]
    frame_x1 = 93 + max(stringWidth(entry, "Helvetica", 7) for entry in entries) + 4
    pdf.rect(72, 792 - 372, frame_x1 - 72, 48, stroke=1, fill=0)  # the key's frame, 34 pt under the map
    pdf.setFont("Helvetica", 7)
    pdf.setLineWidth(0.1)
    for k, entry in enumerate(entries):
        pdf.setFillGray(0.25 * k)
        pdf.rect(76, 792 - 335 - 9.5 * k, 14, 7, stroke=1, fill=1)
        pdf.setFillGray(0)
        pdf.drawString(93, 792 - 334 - 9.5 * k, entry)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 792 - 420, 12, per_line=13)
    pdf.save()
    (figure,) = figures_left_to_right(tmp_path / "key.pdf")
    assert figure["bbox"][3] >= 371, figure["bbox"]  # the key's entries and frame are in


def _lettered_chart(pdf: Canvas, letter: str, top: float, legend: bool) -> None:
    """A chart 220 pt wide and 80 tall: its panel letter (10 pt bold) at the column's left edge, rising 4 pt over the
    axes, tick labels on the y axis's upper half and under the x axis, an axis title under it; with `legend`, a key
    sticking 45 pt out to the right of its axes (reportlab's y counts up from the foot of a 792 pt page; `top` from
    its top)."""
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(72, 792 - top - 4, letter)
    axis_top, foot = top + 4, top + 84
    drawing = pdf.beginPath()
    drawing.moveTo(322, 792 - foot)
    drawing.lineTo(102, 792 - foot)
    drawing.lineTo(102, 792 - axis_top)
    for k in range(6):
        drawing.lineTo(102 + k * 44, 792 - axis_top - 10 - 15 * (k % 3))
    pdf.drawPath(drawing, stroke=1, fill=0)
    pdf.setFont("Helvetica", 6)
    for k in range(6):
        pdf.drawString(104 + k * 42, 792 - foot - 8, str(k))
    for k, value in enumerate(("30", "15")):
        pdf.drawString(86, 792 - axis_top - 6 - 34 * k, value)
    centred_string(pdf, 212, 792 - foot - 18, "Self-isolation effectiveness")
    if legend:
        pdf.line(300, 792 - top - 20, 320, 792 - top - 20)
        pdf.drawString(324, 792 - top - 22, "Hospital capacity")


def test_lettered_charts_stacked_in_a_column_with_a_key_sticking_out_are_one_figure(tmp_path):
    """PNAS Figures 4 and 6 (held-out 36): panel B under panel A, B's letter rising level with A's axis title (the two
    parts' boxes overlap a little) and a key sticking out of B on the right, so the parts line up on one side only:
    the figure was panel B alone, A left over. A part above whose letter does not come before B's stays out."""
    for name, upper in (("column", "A"), ("reversed", "C")):
        pdf = Canvas(str(tmp_path / f"{name}.pdf"), pagesize=(612, 792))
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 72, 792 - 72, 6)
        _lettered_chart(pdf, upper, 160, legend=False)
        _lettered_chart(pdf, "B", 264, legend=True)
        caption_over_prose(pdf, (72, 792 - 390, "Fig. 4. Summary of prospects for achieving herd immunity."))
        running_prose(pdf, 72, 792 - 420, 10)
        pdf.save()
        (figure,) = figures_left_to_right(tmp_path / f"{name}.pdf")
        if upper == "A":
            assert figure["bbox"][1] <= 158, figure["bbox"]  # from panel A's letter down
        else:
            assert figure["bbox"][1] >= 240, figure["bbox"]  # panel A's plot (160-244) stays out


def test_rows_of_charts_over_charts_joined_to_a_wider_key_are_one_figure(tmp_path):
    # EClinicalMedicine 2020 Fig. 2 (held-out 36, p. 5): a 2 x 2 grid of bar charts, the caption under it and a framed
    # key under the lower row, linked to it and standing 14 pt out past the charts' right edge. The rows stand further
    # apart than ink is linked over, and the upper row lines up with the lower row and key on the left side only:
    # the figure was the lower row and key alone. A row that lines up on one side and ends within the key's width is
    # the figure's.
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    for top in (100, 240):
        for column in range(2):
            titled_line_chart(pdf, 72 + 230 * column, top, 180, f"Country {column + top}")
    pdf.rect(72, 792 - 372, 424, 12, stroke=1, fill=0)  # the key's frame, 6 pt under the lower row, 14 pt wider
    pdf.setFont("Helvetica", 7)
    pdf.drawString(80, 792 - 369, "COVID-19 deaths, unmitigated epidemic    HIV deaths, interruption of supply")
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(
        72,
        792 - 392,
        "Fig. 2. Projected direct and indirect deaths over time for four countries under different assumptions",
    )
    pdf.drawString(
        72,
        792 - 402,
        "about the COVID-19 epidemic in each and its impact on HIV services, for a 3-month service interruption.",
    )
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 792 - 430, 12, per_line=17)
    pdf.save()
    (figure,) = figures_left_to_right(tmp_path / "key.pdf")
    assert figure["bbox"][1] <= 103 and figure["bbox"][3] >= 371, figure["bbox"]  # both rows and the key


def _rotated_label(word: str) -> ImageReader:
    """A chart's group name set as a raster: the word turned upright in black on a transparent ground 40 x 120
    pixels, the word in its top 40 (the rest of the raster shows nothing)."""
    label = Image.new("RGBA", (120, 40), (255, 255, 255, 0))
    ImageDraw.Draw(label).text((4, 8), word, fill=(0, 0, 0, 255), font=ImageFont.load_default(size=20))
    picture = Image.new("RGBA", (40, 120), (255, 255, 255, 0))
    picture.paste(label.rotate(90, expand=True).crop((0, 80, 40, 120)), (0, 0))
    return ImageReader(picture)


def test_chart_labels_set_as_transparent_rasters_reaching_under_the_caption_leave_the_chart_its_caption(tmp_path):
    # An MDPI paper's bar charts (held-out 40, momelotinib p5 Figure 4) set their rotated group names as small rasters
    # on a transparent ground whose boxes run on under the caption's first lines. The caption's search refused the
    # region over it as one that "cuts through a picture": Figure 4 was missed and its charts came out as two
    # uncaptioned figures. A raster reaching out of the region on blank paper only is not cut by it.
    canvas = Canvas(str(tmp_path / "labels.pdf"), pagesize=(595, 842))
    body_paragraph(canvas, 780)
    _bar_chart(canvas, 100, 330, 400)
    for k, word in enumerate(("Normal", "Vehicle", "MMB")):
        # its word between the axis names and the caption (320-332 up the page), its box down over the caption
        canvas.drawImage(_rotated_label(word), 170 + 110 * k, 296, 12, 36, mask="auto")
    canvas.setFont("Helvetica", 9)
    canvas.drawString(72, 300, "Figure 4. The relative mRNA expression of IL-4 (A), IL-5 (B) in different groups.")
    canvas.drawString(72, 289, "Values are mean and SD (n = 6).")
    body_paragraph(canvas, 250)
    canvas.showPage()
    canvas.save()
    run_extract([tmp_path / "labels.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [figure["label"] for figure in figures] == ["4"]
    assert figures[0]["bbox"][3] < 842 - 300 - 7  # the chart and its labels over the caption, not under its top


def test_two_charts_side_by_side_keep_their_own_keys_and_captions(tmp_path):
    """The session 33 sweep, EssOilDB 2df05923a9 p5 (Evidence-Based Complementary and Alternative Medicine): two
    line charts side by side, each over its own caption (the right one a line higher), each with its key under its
    axis and its fitted lines' equations at its right edge. The left chart's equations, a key block 26 pt from the
    right chart across the gutter, joined the right chart's figure, and the left chart's key after them: Figure 2
    took both charts, and Figure 1 was missed."""
    pdf = Canvas(str(tmp_path / "pair.pdf"), pagesize=(612, 792))
    rng = np.random.default_rng(5)
    for axis, right, key_top in ((80, 287, 236), (328, 545, 229)):
        pdf.line(axis, 792 - 205, right - 60, 792 - 205)
        pdf.line(axis, 792 - 205, axis, 792 - 74)
        pdf.setFont("Times-Roman", 7)
        for tick in range(5):
            pdf.drawRightString(axis - 3, 792 - 205 + 32 * tick - 2, str(25 * tick))
            pdf.drawCentredString(axis + 35 * tick, 792 - 215, str(100 * tick))
        pdf.drawCentredString((axis + right) / 2, 792 - 226, "Concentration (ug/mL)")
        for series in range(4):
            path = pdf.beginPath()
            path.moveTo(axis + 10, 792 - 190 + 20 * series)
            for step in range(1, 6):
                path.lineTo(axis + 10 + 30 * step, 792 - 190 + 20 * series + 12 * step * (1 + rng.random()))
            pdf.drawPath(path)
            equation = f"y = 0.{series + 1}2x + 30.{series}1, R2 = 0.99{series}"
            pdf.drawRightString(right, 792 - 90 - 14 * series, equation)  # after the line's last marker
            pdf.rect(right - stringWidth(equation, "Times-Roman", 7) - 7, 792 - 90 - 14 * series, 4, 4, fill=1)
        for k, name in enumerate(("Ascorbic acid", "Acetone", "Ethyl acetate", "Chloroform", "Methanol")):
            x, y = axis + 10 + 90 * (k % 2), 792 - key_top - 7 - 9 * (k // 2)
            pdf.rect(x, y, 4, 4, fill=1)
            pdf.drawString(x + 8, y, name)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(60, 792 - 279, "Figure 1: DPPH scavenging activities of various solvent extracts of")
    pdf.drawString(60, 792 - 289, "the leaves, as the mean of three measurements.")
    pdf.drawString(320, 792 - 266, "Figure 2: H2O2 scavenging activities of various solvent extracts of")
    pdf.drawString(320, 792 - 276, "the leaves, as the mean of three measurements.")
    pdf.setFont("Times-Roman", 10)
    for left in (60, 320):
        running_prose(pdf, left, 792 - 320, 30, per_line=7)
    pdf.save()
    run_extract([tmp_path / "pair.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    boxes = {figure["label"]: Box(*figure["bbox"]) for figure in figures}
    assert sorted(boxes) == ["1", "2"]
    assert boxes["1"].x1 <= 300 and boxes["2"].x0 >= 310, boxes


def _row_of_charts_and_a_heatmap(path: Path, captions: list[tuple[float, float, list[str]]]) -> dict[str, dict]:
    """The figures extracted from a page laid out as NAACL 2024 68052ec025 p. 18: two line charts and a heatmap in a
    row, each chart on the white page patch its plotting library draws behind it (the heatmap's reaching 16 pt left
    of its ink, across the middle chart's side), the heatmap's cells drawn one by one and its axis labels in 2-3 pt,
    under them the `captions` (left, top, rows) in 9 pt and the body in 11."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFillGray(1)
    for left, right in ((224, 383), (364, 554)):
        pdf.rect(left, 792 - 262, right - left, 158, stroke=0, fill=1)
    titled_line_chart(pdf, 72, 150, 145, "Conditions")
    titled_line_chart(pdf, 226, 150, 145, "COUNT value")
    for row in range(13):
        for column in range(13):
            pdf.setFillGray(0.2 + 0.6 * ((row * 7 + column * 3) % 10) / 10)
            pdf.rect(392 + 10 * column, 792 - 245 + 10 * row, 10, 10, stroke=0, fill=1)
    pdf.setFillGray(0)
    pdf.setFont("Helvetica", 2)
    for row in range(13):
        pdf.drawString(385, 792 - 242 + 10 * row, str(row + 1))
    pdf.saveState()
    pdf.translate(381.8, 792 - 240)
    pdf.rotate(90)
    pdf.setFont("Helvetica", 3)
    pdf.drawString(0, 0, "Where Condition Column [text_col2] position")
    pdf.restoreState()
    pdf.setFont("Times-Roman", 9)
    for left, top, rows in captions:
        for k, row in enumerate(rows):
            pdf.drawString(left, 792 - top - 8 - 11 * k, row)
    pdf.setFont("Times-Roman", 11)
    for left in (72, 316):
        running_prose(pdf, left, 792 - 360, 30, per_line=6)
    pdf.save()
    run_extract([path], path.parent / "ds", ExtractConfig(dpi=72))
    return {figure["label"]: figure for figure in Dataset.open(path.parent / "ds").read_table("figures").to_pylist()}


def test_captions_of_a_row_of_figures_keep_to_their_columns_where_their_rows_are_staggered(tmp_path):
    """The session 34 sweep, NAACL 2024 68052ec025 p. 18: three charts in a row, each over its caption, the captions'
    columns 8 pt apart and their rows staggered by 2.7 pt. The middle caption's second row took the right caption's
    row level with it as the rest of a row split at a glyph: Figure 16's caption ran across both columns, and its
    figure was lost."""
    figures = _row_of_charts_and_a_heatmap(
        tmp_path / "row.pdf",
        [
            (71, 283, ["Figure 15: Trend of accuracy with", "the number of conditions in the", "second template."]),
            (
                225,
                269,
                [
                    "Figure 16: Trend of the accuracy with",
                    "the COUNT value in the third template.",
                    "Only when the COUNT value is largest",
                    "or smallest, the model does well.",
                ],
            ),
            (
                379,
                267,
                [
                    "Figure 17: Accuracy with the locations",
                    "of the two columns of the template; it",
                    "improves when the first column comes",
                    "before the second column.",
                ],
            ),
        ],
    )
    assert sorted(figures) == ["15", "16", "17"]
    assert Box(*figures["16"]["bbox"]).x1 < 375 < Box(*figures["17"]["bbox"]).x0
    assert "columns" not in figures["16"]["caption"] and figures["16"]["caption"].endswith("the model does well.")


def test_a_figure_leads_in_no_labels_from_the_column_of_a_caption_beside_it(tmp_path):
    """The same page, each caption one line: the heatmap's white patch crosses the middle figure's side and its ink
    (the turned axis title) touches it, so the heatmap, mostly tiny labels and small cells, passed for labels led into
    the middle chart across its side, and Figure 16, placed first (nearer its caption), took it: Figure 17 was lost.
    The column of a caption beside is its own figure's."""
    figures = _row_of_charts_and_a_heatmap(
        tmp_path / "row.pdf",
        [
            (71, 262, ["Figure 15: Accuracy by conditions."]),
            (225, 262, ["Figure 16: Accuracy by count."]),
            (379, 266, ["Figure 17: Accuracy by column place."]),
        ],
    )
    assert sorted(figures) == ["15", "16", "17"]
    assert Box(*figures["16"]["bbox"]).x1 < 375 < Box(*figures["17"]["bbox"]).x0


def test_a_key_set_as_text_over_a_raster_chart_is_the_charts(tmp_path):
    """The session 34 sweep, EssOilDB 2efa58de43 p. 10 (R. Soc. open sci.): a line chart as a raster with its labels
    and its key set as text over it in the body's type, the key's four entries as long as each other ("hemp shiv -
    0.0655 g"). The entries passed for a narrow paragraph of body text wrapped beside a picture; as body text they
    stopped the search from the caption under the chart, and Figure 8 came out uncaptioned, without its axis labels."""
    rng = np.random.default_rng(8)
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(522, 770))
    pdf.drawImage(ImageReader(scatter_plot(rng)), 98, 770 - 264, 327, 217)
    pdf.setFont("Times-Roman", 9)
    for k, mass in enumerate(("0.0655", "0.0174", "0.1047", "0.1089")):
        pdf.drawString(339, 770 - 73 - 10.7 * k, f"hemp shiv - {mass} g")
    pdf.drawCentredString(260, 770 - 286, "pore diameter (nm)")
    pdf.setFont("Times-Bold", 10)
    pdf.drawString(56, 770 - 307, "Figure 8.")
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(100, 770 - 307, "Cumulative pore volume and pore size distribution of hemp shiv with different")
    pdf.drawString(56, 770 - 319, "sample masses determined by mercury intrusion porosimetry.")
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 56, 770 - 360, 30, per_line=12)
    pdf.save()
    run_extract([tmp_path / "key.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [figure["label"] for figure in figures] == ["8"]
    assert figures[0]["bbox"][3] >= 286  # down to its axis title over the caption


def test_a_legend_set_in_a_corner_of_an_uncaptioned_picture_captions_it():
    """The session 34 sweep, openvirusdev 514fbd74a8 p. 3 (CDC's Emerging Infectious Diseases): a phylogenetic tree
    as one raster (36-518 x 355-711 pt), its top left corner blank and the legend printed there over it (35-269 x
    365-483). Every search from the caption cuts through the raster, and the tree came out uncaptioned; the legend
    in its corner is its caption. (Synthetic rasters of a tree were taken for pictures of text, so the geometry is
    tested here on the page's own boxes, and end to end on the sweep's page.)"""
    lines = [TextLine("Figure 2. Phylogenetic analysis of human adenovirus", Box(35, 365, 269, 483), 8.0, 0)]
    legend = Caption("Figure", "Figure", "2", lines, lines[0].box, lines[0].text, 4.0, len("Figure 2."))
    elsewhere = Caption("Figure", "Figure", "3", lines, Box(300, 720, 520, 740), lines[0].text, 4.0, 9)
    captions = [elsewhere, legend]
    tree = Box(41, 368, 514, 709)
    assert _caption_in_a_corner(tree, captions, 10.0) is legend and captions == [elsewhere]
    assert _caption_in_a_corner(tree, captions, 10.0) is None  # a caption under the page's foot is not inset
    assert _caption_in_a_corner(Box(41, 368, 300, 520), [legend], 10.0) is None  # the legend is most of it


def test_a_page_of_charts_takes_the_caption_left_under_a_rule_at_the_foot_of_the_page_before(tmp_path):
    """The session 33 sweep, EssOilDB 5289e8ceed (Microbial Biotechnology): "Fig. 1." under a rule at the foot of p2,
    nothing after it, and its three charts filling p3 under the running head. The rule counted as a graphic near the
    caption, so the caption was not known as one left for the next page, and the running head, set in the body's
    type as wide as a paragraph's line, passed for body text on the chart page: the figure was missed whole."""
    pdf = Canvas(str(tmp_path / "charts.pdf"), pagesize=(595, 794))

    def running_head() -> None:
        pdf.setFont("Times-Roman", 9)
        pdf.drawRightString(
            530, 794 - 45, "Application of the sophorolipids made from horse oil, a study of yields 919"
        )

    for page in range(4):
        running_head()
        if page == 1:
            for k in range(3):
                _bar_chart(pdf, 110, 794 - 70 - 230 * (k + 1), 360)
        else:
            pdf.setFont("Times-Roman", 9)
            running_prose(pdf, 60, 794 - 80, 40 if page == 0 else 58, per_line=14)
        if page == 0:
            pdf.line(59, 794 - 620, 539, 794 - 620)
            pdf.drawString(
                60, 794 - 634, "Fig. 1. Yield of sophorolipids from horse oil and hydrolysed horse oil, and the"
            )
            pdf.drawString(60, 794 - 644, "effects of pH and glucose concentration on growth and sophorolipid yield.")
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "charts.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["page"] == 2 and figure["label"] == "1"
    assert figure["caption"].startswith("Fig. 1. Yield of sophorolipids") and figure["caption"].endswith("yield.")
    assert Box(*figure["bbox"]).contains(Box(131, 58, 450, 752), tolerance=2), figure["bbox"]


def test_a_chart_s_tick_labels_set_in_the_body_s_type_with_single_spaces_are_no_paragraph_line(tmp_path):
    """The session 33 sweep, openvirusdev 3cbec8edb8 p9 (a PCI Evol Biol preprint): a density chart whose x tick
    labels, "1.0 1.5 2.0 ... 7.0", are one line in the body's type read with single spaces, as wide as a paragraph's
    line. Taken for body text, the row stopped the search over the caption under it: Figure 3 was missed."""
    pdf = Canvas(str(tmp_path / "ticks.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 720, 6, per_line=12)
    left, bottom = 120, 792 - 320
    pdf.line(left, bottom, left + 300, bottom)
    pdf.line(left, bottom, left, bottom + 150)
    rng = np.random.default_rng(8)
    path = pdf.beginPath()
    path.moveTo(left, bottom)
    for step in range(1, 40):
        path.lineTo(left + 7.5 * step, bottom + 140 * np.exp(-(((step - 18) / 7) ** 2)) * (0.9 + 0.2 * rng.random()))
    pdf.drawPath(path)
    ticks = pdf.beginText(left - 5, bottom - 12)
    ticks.setFont("Times-Roman", 10)
    ticks.setWordSpace(8)
    ticks.textLine(" ".join(f"{1 + 0.5 * k:.1f}" for k in range(13)))
    pdf.drawText(ticks)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(
        72, bottom - 40, "Figure 3. Epidemic doubling time. We assume an exponential growth coalescent model"
    )
    pdf.drawString(72, bottom - 50, "with a fixed molecular clock. The four datasets differ in the sequences analysed.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, bottom - 80, 20, per_line=12)
    figure = only_figure(pdf, tmp_path / "ticks.pdf", tmp_path)
    assert figure["label"] == "3"
    assert Box(*figure["bbox"]).contains(Box(left, 792 - bottom - 150, left + 300, 792 - bottom), tolerance=2)


@pytest.mark.parametrize("past_the_claim, left_to_the_figure", [(7, True), (0, True), (25, False)])
def test_a_table_caption_s_claim_over_a_chart_but_its_axis_labels_leaves_the_chart_to_its_caption(
    past_the_claim, left_to_the_figure
):
    """The session 33 sweep, norma fe9d75f564 p5, in its page's boxes: "Table 4." over its table in the left column,
    a chart under the table and "Figure 3." under the chart. The table caption's search down ran over the chart and
    scored higher than the figure caption's own, and held the chart all but its axis labels, 7 pt past the claim's
    far edge: it did not count as a table's search that ran on past its own (`_past_its_own`), and Figure 3 was
    missed. A region reaching a line or more past the claim is no part of it."""
    table = Caption("Table", "Table", "4", [], Box(62, 189, 247, 207), "Table 4. On-study change", 2.5, 8)
    figure = Caption("Figure", "Figure", "3", [], Box(52, 521, 287, 539), "Figure 3. Brain fraction", 2.5, 9)
    claim = FigureRegion(table, Box(52, 217, 288, 501), [], [], 1.66)
    chart = FigureRegion(figure, Box(52, 320, 288, 501 + past_the_claim), [], [], 1.55)
    assert _past_its_own(claim, chart, reach=15.0) is left_to_the_figure


def test_a_picture_sliced_into_strips_thinner_than_a_rule_is_a_figure(tmp_path):
    """The session 33 sweep, openvirusdev 9226a77b58 p14 (a preprint): a phylogenetic tree placed as 82 raster
    strips 2.7 pt high, each as wide as the text. Each strip passed for a page rule, so the page had no graphic for
    the caption under them: Fig 2 was missed."""
    pdf = Canvas(str(tmp_path / "strips.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 11)
    running_prose(pdf, 72, 720, 4, per_line=12)
    tree = micrograph_plate(np.random.default_rng(2)).resize((400, 240))
    for k in range(80):  # strips 2.7 pt high, top to bottom, edge to edge
        strip = tree.crop((0, 3 * k, 400, 3 * k + 3))
        pdf.drawImage(ImageReader(strip), 110, 792 - 120 - 2.7 * (k + 1), 390, 2.7)
    pdf.drawString(110, 792 - 350, "Fig 2: Maximum clade credibility (MCC) phylogenetic tree of the 233 genomes.")
    running_prose(pdf, 72, 792 - 380, 20, per_line=12)
    figure = only_figure(pdf, tmp_path / "strips.pdf", tmp_path)
    assert figure["label"] == "2"
    assert Box(*figure["bbox"]).iou(Box(110, 120, 500, 336)) >= 0.9, figure["bbox"]


def _formulae_raster() -> ImageReader:
    """Two line-drawn ring formulae with their names on white, a panel letter "A" at the lower left corner: the
    upper raster of MDPI Molecules 2019 Figure 3."""
    picture = Image.new("RGB", (682, 400), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=22)
    for cx in (200, 480):
        ring = [(cx + 60 * np.cos(a), 170 + 60 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 7)]
        draw.line(ring, fill="black", width=3)
        draw.line([(cx - 60, 170), (cx - 140, 120), (cx - 200, 150)], fill="black", width=3)
        draw.text((cx - 60, 20), "acids", fill="black", font=font)
    draw.text((230, 300), "R = CH2CH(CH3)2  humulone  lupulone", fill="black", font=font)
    draw.text((0, 378), "A", fill="black", font=font)
    return ImageReader(picture)


def _peaks_raster() -> ImageReader:
    """A chromatogram: axes with tick labels and a line with four peaks, on white."""
    picture = Image.new("RGB", (666, 448), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=18)
    draw.line([(60, 10), (60, 400), (660, 400)], fill="black", width=2)
    for k in range(6):
        draw.text((10, 390 - 70 * k), str(70 * k), fill="black", font=font)
    trace = [(x, 395 - sum(300 * np.exp(-(((x - c) / 6) ** 2)) for c in (200, 330, 470, 560))) for x in range(60, 660)]
    draw.line(trace, fill="black", width=2)
    return ImageReader(picture)


@pytest.mark.parametrize(("letters", "glyph"), [(True, False), (False, False), (True, True)])
def test_rasters_stacked_a_few_points_apart_are_the_panels_their_caption_names(tmp_path, letters, glyph):
    """MDPI Molecules 2019 Figure 3 (crash-sweep, EssOilDB b88922eb4e p. 8): a raster of formulae 6 pt over a
    chromatogram's raster, the caption under them naming (A) and (B) after their texts, the letters printed in the
    rasters' pixels. The figure was the chromatogram alone and the formulae an uncaptioned figure of their own. A
    caption that names no letters leaves its figure the raster nearest it. A glyph set as a tiny raster in the
    figure (a bitmap-font paper, science-parse a7b2d95c43 p. 6) is no panel of it."""
    named = " (A). HPLC fingerprint of the extract (B)." if letters else ". HPLC fingerprint of the extract."
    canvas = Canvas(str(tmp_path / "stacked.pdf"), pagesize=(595, 842))
    body_paragraph(canvas, 842 - 100)
    canvas.drawImage(_formulae_raster(), 126, 842 - 452, 341, 200)
    canvas.drawImage(_peaks_raster(), 128, 842 - 682, 333, 224)
    if glyph:
        canvas.drawImage(ImageReader(Image.new("RGB", (20, 28), "black")), 440, 842 - 480, 5, 7)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(98, 842 - 702, "Figure 3. Structural formula of humulones and lupulones" + named)
    body_paragraph(canvas, 842 - 740)
    canvas.save()
    captioned = [row for row in figures_left_to_right(tmp_path / "stacked.pdf") if row["label"] == "3"]
    assert len(captioned) == 1
    top = captioned[0]["bbox"][1]
    assert (top < 300) if letters else (top > 450), captioned[0]["bbox"]  # the formulae from 252, the chart 458


def _infographic() -> Image.Image:
    """Three tinted boxes of text-like strokes, one under another, 60 px of white between them."""
    picture = Image.new("RGB", (800, 1200), "white")
    draw = ImageDraw.Draw(picture)
    for k in range(3):
        top = 40 + 400 * k
        draw.rounded_rectangle((40, top, 760, top + 300), radius=30, fill=(200, 225, 240))
        for row in range(6):
            draw.line((90, top + 40 + 40 * row, 700 - 37 * row, top + 40 + 40 * row), fill=(40, 40, 90), width=8)
    return picture


def test_a_picture_sliced_into_strips_edge_to_edge_is_one_figure(tmp_path):
    """MDPI Molecules 2018 Figure 1 (crash-sweep, EssOilDB 2a0ee63e39 p. 10): an infographic printed as two rasters
    of one size set edge to edge, the cut through white space between its sections, the caption under the lower one:
    the upper strip was an uncaptioned figure of its own."""
    picture = _infographic()
    canvas = Canvas(str(tmp_path / "strips.pdf"), pagesize=(595, 842))
    for top, bottom in ((0, 570), (570, 1200)):
        strip = ImageReader(picture.crop((0, top, 800, bottom)))
        canvas.drawImage(strip, 98, 842 - 74 - bottom / 2, 400, (bottom - top) / 2)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(98, 842 - 694, "Figure 1. A schematic view of limitations of essential oils as feed additives.")
    body_paragraph(canvas, 842 - 730)
    canvas.save()
    (figure,) = figures_left_to_right(tmp_path / "strips.pdf")
    assert figure["label"] == "1" and figure["bbox"][1] <= 100, figure["bbox"]


def _axes_and_bars(canvas: Canvas, x0: float, top: float, width: float, height: float, bars: list[float]) -> None:
    """Axes (left and bottom) and filled bars of the given shares of the height, in page coordinates from the top."""
    base = 842 - top - height
    canvas.setLineWidth(1)
    canvas.line(x0, base, x0, base + height)
    canvas.line(x0, base, x0 + width, base)
    step = width / (len(bars) + 1)
    for k, share in enumerate(bars):
        canvas.rect(x0 + step * (k + 0.7), base, 0.6 * step, share * height, stroke=0, fill=1)


def test_a_row_of_charts_whose_key_stands_over_its_top_joins_whole(tmp_path):
    """MDPI Metabolites 2014 p. 7 Figure 4 (crash sweep, norma 49093615fd): captioned over a 2 x 2 grid of charts,
    the lower right chart's key (two marks) standing a few points over the lower row's top, flush with its right
    edge. The key joined first, as a part of the grid's right column, and the charts of the lower row, no longer past
    the figure's edge, came out as an uncaptioned figure under a figure cut through them."""
    canvas = Canvas(str(tmp_path / "grid.pdf"), pagesize=(595, 842))
    body_paragraph(canvas, 842 - 80)
    canvas.setFont("Times-Roman", 10)
    canvas.drawString(
        72, 842 - 200, "Figure 4. (A) Score plot of the samples; (B) score plot of the others; (C) and (D)"
    )
    canvas.drawString(72, 842 - 212, "plots of the compounds responsible for the differences between the groups.")
    for x0 in (80, 320):
        _axes_and_bars(canvas, x0, 240, 200, 130, [0.3, 0.5, 0.2, 0.6, 0.4])
    _axes_and_bars(canvas, 80, 398, 200, 130, [0.2, 0.1, 0.3, 0.2, 0.1])
    _axes_and_bars(canvas, 320, 398, 200, 130, [0.1, 0.2, 0.15, 0.1, 0.05])
    for k in range(2):  # the key: two marks at the top right of the lower right chart, a few points over it
        canvas.circle(512, 842 - 396 - 8 * k, 3, stroke=1, fill=k)
    canvas.setFont("Times-Roman", 6)
    canvas.drawString(490, 842 - 398, "FT5")
    body_paragraph(canvas, 842 - 570)
    canvas.save()
    (figure,) = figures_left_to_right(tmp_path / "grid.pdf")
    assert figure["label"] == "4"
    assert Box(*figure["bbox"]).iou(Box(80, 240, 520, 528)) >= 0.9, figure["bbox"]


def test_a_table_whose_cell_tints_are_one_pixel_images_is_no_figure(tmp_path):
    """A paper's table (crash sweep, science-parse 462f296f99 p. 5) whose cells are tinted by one-pixel images scaled
    to each cell, the rows alternately pink and white: the tints grouped into a photo-sized picture, and the lower
    half of the table, which its caption's search had not reached, came out as an uncaptioned figure."""
    canvas = Canvas(str(tmp_path / "table.pdf"), pagesize=(595, 842))
    body_paragraph(canvas, 842 - 80)
    pink, white = ImageReader(Image.new("RGB", (1, 1), (252, 228, 236))), ImageReader(Image.new("RGB", (1, 1), "white"))
    canvas.setFont("Times-Roman", 9)
    for row in range(16):
        top = 200 + 12 * row
        for x0, x1 in ((83, 223), (223, 324), (324, 439), (439, 512)):
            canvas.drawImage(pink if row % 2 else white, x0, 842 - top - 12, x1 - x0, 12)
        canvas.drawString(
            88, 842 - top - 9, f"Dataset {row}      directed      {2888 + 97 * row}      {2.06 + row:.4f}"
        )
    body_paragraph(canvas, 842 - 420)
    canvas.save()
    assert figures_left_to_right(tmp_path / "table.pdf") == []


def test_a_framed_text_figure_whose_shadow_raster_runs_under_its_caption_takes_the_caption(tmp_path):
    """AI Magazine 2008 Figures 4 and 6 (crash sweep, science-parse 6daea1ed28 pp. 4, 6): text set in a tinted frame
    over a raster of its drop shadow, whose blank foot runs on under the caption's first line. The frame's lines are
    body text, so no search over or under the caption gets past them; the picture right over the caption was left
    to it, but the raster's box (its white foot) reached into the caption's: the caption placed nothing, and the
    frame came out as an uncaptioned figure."""
    shadow = Image.new("RGB", (608, 478), "white")
    ImageDraw.Draw(shadow).rectangle((16, 16, 592, 462), fill=(140, 140, 140))  # offset 8 px = 4 pt right and down
    canvas = Canvas(str(tmp_path / "framed.pdf"), pagesize=(612, 792))
    canvas.drawImage(ImageReader(shadow), 46, 792 - 500, 304, 239)
    canvas.setFillColorRGB(0.93, 0.93, 0.93)
    canvas.rect(52, 792 - 487, 284, 221, stroke=1, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica", 10)
    for k, line in enumerate(
        [
            "Sentence:",
            "Blake threw three touchdown passes as New",
            "Orleans opened up a lead.",
            "High Confidence Tuples:",
            "(New Orleans, cruised to, a victory)  0.816",
            "(Blake, threw, three touchdown passes)  0.833",
        ]
    ):
        canvas.drawString(66, 792 - 300 - 22 * k, line)
    canvas.setFont("Times-Italic", 10)
    canvas.drawString(104, 792 - 505, "Figure 4. A High-Recall Version of TextRunner.")
    canvas.setFont("Helvetica", 10)
    for k in range(24):
        canvas.drawString(360, 792 - 80 - 12 * k, "prose of the other column set in ten points")
    running_prose(canvas, 60, 792 - 540, 12, per_line=7)
    canvas.save()
    (figure,) = figures_left_to_right(tmp_path / "framed.pdf")
    assert figure["label"] == "4", figure["caption"]
    assert Box(*figure["bbox"]).iou(Box(52, 266, 340, 491)) >= 0.8, figure["bbox"]
    assert figure["bbox"][3] <= figure["caption_bbox"][1], (figure["bbox"], figure["caption_bbox"])  # short of it


def test_a_raster_painted_over_is_no_figure(tmp_path):
    """MDPI Plants 2019 (crash sweep, EssOilDB c4f645e666 p. 5): the next page's two charts are drawn a second time at
    the page's foot, under the last lines of text, where nothing of them shows. The hidden rasters came out as
    uncaptioned figures of blank paper."""
    canvas = Canvas(str(tmp_path / "hidden.pdf"), pagesize=(595, 842))
    body_paragraph(canvas, 842 - 80)
    canvas.drawImage(ImageReader(photo_pixels(3)), 150, 842 - 390, 300, 220)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(150, 842 - 404, "Figure 1. Volatile compounds collected from the flowers.")
    body_paragraph(canvas, 842 - 440)
    canvas.drawImage(ImageReader(photo_pixels(4)), 100, 842 - 830, 200, 150)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(90, 842 - 835, 220, 160, stroke=0, fill=1)
    canvas.save()
    (figure,) = figures_left_to_right(tmp_path / "hidden.pdf")
    assert figure["label"] == "1"


def test_captions_set_between_rules_are_under_their_figures(tmp_path):
    """Iran Red Crescent Med J 2016 (crash sweep, norma 56fffdb5f0 p. 6): every caption is set under its figure
    between two rules across the text width. The rule under each caption, its nearest graphic, voted the document's
    captions over their figures, so "Figure 3" under a map took the two charts under it, which "Figure 4", short
    and flush left under them, had as two regions (the chart over it, the chart beside it): the map came out
    uncaptioned and Figure 4 was lost."""
    canvas = Canvas(str(tmp_path / "ruled.pdf"), pagesize=(595, 842))
    for page in range(3):
        canvas.setLineWidth(0.5)
        canvas.drawImage(ImageReader(photo_pixels(page)), 170, 842 - 250, 260, 180)
        for x0 in (80, 310):
            _axes_and_bars(canvas, x0, 305, 200, 170, [0.3, 0.5, 0.2, 0.6, 0.4])
        canvas.setFont("Helvetica", 8)
        for top, caption in ((70, "Distribution of cases in the provinces of the country"), (301, "By year")):
            for rule in (top + 194, top + 211):
                canvas.line(72, 842 - rule, 523, 842 - rule)
            canvas.drawString(72, 842 - top - 206, f"Figure {2 * page + (top > 70) + 1}. {caption}")
        canvas.setFont("Times-Roman", 10)
        for column in (72, 305):
            for row in range(14):
                canvas.drawString(column, 842 - 600 - 12 * row, "cording to the results the students were more")
        canvas.showPage()
    canvas.save()
    figures = figures_left_to_right(tmp_path / "ruled.pdf")
    assert sorted((f["page"], f["label"], round(f["bbox"][1])) for f in figures if f["label"] in ("1", "3", "5")) == [
        (1, "1", 70),
        (2, "3", 70),
        (3, "5", 70),
    ]


def test_tick_labels_up_a_chart_at_the_head_of_each_page_stay_the_charts(tmp_path):
    """A NAACL 2024 appendix (crash sweep, mineru 89d491b765 p. 12 Figure 7): a grid of charts at the head of page
    after page, their y-axis tick labels ("0.0" ... "20.0") at one place on each. Repeated near the page's top edge,
    the labels read as running heads, only a row of numbers being exempt; the top one stopped the search from the
    caption under the grid, and the figure lost its top row's upper part."""
    canvas = Canvas(str(tmp_path / "grid.pdf"), pagesize=(595, 842))
    for page in range(3):
        for x0 in (90, 300):
            canvas.setLineWidth(0.8)
            canvas.line(x0 + 20, 842 - 60, x0 + 20, 842 - 180)
            canvas.line(x0 + 20, 842 - 180, x0 + 170, 842 - 180)
            canvas.line(x0 + 20, 842 - 170 + 5 * page, x0 + 170, 842 - 70 - 3 * page)
            canvas.setFont("Helvetica", 5)
            for k in range(9):
                canvas.drawString(x0 + 8, 842 - 181.5 + 14 * k, f"{2.5 * k:.1f}")  # up to "20.0" at 64 pt
        canvas.setFont("Times-Roman", 10)
        canvas.drawString(72, 842 - 200, f"Figure {page + 1}: Impact of estimation set size on the change of the rank.")
        running_prose(canvas, 72, 842 - 240, 30, per_line=12)
        canvas.showPage()
    canvas.save()
    figures = figures_left_to_right(tmp_path / "grid.pdf")
    assert len(figures) == 3, figures
    assert all(Box(*f["bbox"]).contains(Box(98, 64, 470, 180), tolerance=2) for f in figures), [
        f["bbox"] for f in figures
    ]


def _bit_rate_table() -> Image.Image:
    """A table printed as a raster: three rows of numbers in a ruled grid, 380 x 34 pt at 4 pixels a point."""
    table = Image.new("RGB", (1520, 136), "white")
    draw = ImageDraw.Draw(table)
    for row in range(4):
        draw.line([(0, 2 + 44 * row), (1519, 2 + 44 * row)], fill="black", width=3)
    for column in range(12):
        draw.line([(2 + 126 * column, 2), (2 + 126 * column, 134)], fill="black", width=3)
        for row in range(3):
            draw.text((40 + 126 * column, 14 + 44 * row), str(190 + 63 * column * row), fill="black")
    return table


def _frame_grouping_diagram() -> Image.Image:
    """A diagram printed as a raster, 365 x 136 pt: two dotted frames over two hatched bars, arrows between."""
    drawing = Image.new("RGB", (1460, 544), "white")
    draw = ImageDraw.Draw(drawing)
    for x0 in (240, 780):
        draw.rectangle([x0, 10, x0 + 500, 130], outline="black", width=3)
        draw.rectangle([x0, 130, x0 + 500, 170], fill=(90, 90, 90))
    draw.rectangle([200, 360, 560, 480], fill=(120, 120, 120))
    draw.rectangle([820, 360, 1450, 420], fill=(120, 120, 120))
    draw.arc([20, 150, 420, 540], 90, 270, fill="black", width=4)
    draw.line([(560, 470), (900, 430)], fill="black", width=4)
    return drawing


def test_a_raster_table_captioned_over_itself_leaves_the_figure_under_it_to_that_figure_s_caption(tmp_path):
    """IEEE Trans. CSVT 1997 (crash sweep, science-parse a7b2d95c43 p. 3): "TABLE II" centred over its table, a
    raster, and under it a diagram, another raster, captioned "Fig. 1." under itself, both across the page's two
    columns. The table's caption, searched first, took both rasters as parts of one width stacked under it (its
    search region ends at the figure's caption), and Fig. 1 found nothing left to take: the figure was lost."""
    path = tmp_path / "ieee.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 8)
    centred_string(pdf, 306, 792 - 66, "TABLE II")
    centred_string(pdf, 306, 792 - 76, "SCALABLE VIDEO DATA BIT RATES")
    pdf.drawImage(ImageReader(_bit_rate_table()), 110, 792 - 115, 380, 34)
    pdf.drawImage(ImageReader(_frame_grouping_diagram()), 118, 792 - 273, 365, 136)
    pdf.drawString(43, 792 - 289, "Fig. 1.   Constant frame grouping.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 43, 792 - 320, 36, per_line=7)
    running_prose(pdf, 316, 792 - 320, 36, per_line=7)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "1"
    assert Box(*figure["bbox"]).iou(Box(118, 137, 483, 273)) >= 0.9, figure["bbox"]


def test_a_diagram_s_dividers_beside_its_row_labels_are_no_legend_swatches(tmp_path):
    """AAAI paper (crash sweep, science-parse e4aa322181 p. 5, Figure 2): a diagram of three time steps side by side,
    each after a dashed vertical divider, with a row of node labels in small type ("v0 v1 v2 v3") starting just right
    of its divider, and the caption beside the diagram. Each divider passed for the swatch of each label row beside
    it, so each step was read as a legend, and a figure whose graphics all lie in legends is no figure: none was
    found."""
    path = tmp_path / "steps.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 54, 792 - 80, 16, per_line=15)
    pdf.setDash(3, 3)
    for x in (72, 174, 305):
        pdf.line(x, 792 - 322, x, 792 - 567)
    pdf.setDash()
    for top in (392, 453, 496, 540):
        pdf.setLineWidth(1.5)
        pdf.line(60, 792 - top + 3, 436, 792 - top + 3)
        pdf.setLineWidth(1)
        for x0, names in ((82, "v0 v1 v2 v3"), (185, "v3 v4 v5 v6 v7"), (316, "v6 v7 v8 v9 v10")):
            row = pdf.beginText(x0, 792 - top - 17)  # one run of text, a label under each node 26 pt apart
            row.setFont("Helvetica", 7.5)
            row.setWordSpace(26 - stringWidth("v0 ", "Helvetica", 7.5))
            row.textLine(names)
            pdf.saveState()
            pdf.drawText(row)
            pdf.restoreState()
            for k in range(len(names.split())):
                pdf.circle(x0 + 4 + 26 * k, 792 - top - 4, 3, fill=1)
    pdf.setFont("Times-Roman", 10)
    lines = ("Figure 2: Notations:", "L/R indicates left/right", "moving car. Number indi-", "cates travel distance")
    for k, text in enumerate(lines):
        pdf.drawString(447, 792 - 418 - 12 * k, text)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "2"
    assert Box(*figure["bbox"]).contains(Box(72, 330, 436, 560), tolerance=2), figure["bbox"]


def _unrooted_tree(seed: int) -> Image.Image:
    """An unrooted tree: lines from a centre out to leaves, on white paper that pads the raster."""
    rng = np.random.default_rng(seed)
    tree = Image.new("RGB", (360, 300), "white")
    draw = ImageDraw.Draw(tree)
    for angle in rng.uniform(0, 2 * np.pi, 24):
        length = rng.uniform(60, 130)
        draw.line([(180, 150), (180 + length * np.cos(angle), 150 + length * np.sin(angle))], fill="black", width=2)
    return tree


def test_a_picture_in_the_next_column_reaching_into_the_gutter_is_no_part_of_this_column_s_figure(tmp_path):
    """NAACL 2024 appendix (crash sweep, mineru e25033eef1 p. 12): in the left column a 2 x 2 grid of rasters whose
    right edge stands 3 pt past the column's text, its caption under it; in the right column pictures level with it
    and "Figure 5" centred under them, its second line wider than the column. The search over the caption's column
    reaches a margin into the gutter, where the grid's edge lies: that sliver joined the picture level with it (it
    stood over the caption's second line), the region cut through the grid's raster, and the search failed. The
    picture came out uncaptioned (there, four trees captioned by their sub-captions), and Figure 5 was lost."""
    height = 842
    path = tmp_path / "appendix.pdf"
    pdf = Canvas(str(path), pagesize=(595, height))
    prose = (PROSE_WORDS * 9)[:150]
    wrapped_lines(pdf, prose, 71, height - 80, 219, 0, leading=12)
    rng = np.random.default_rng(5)
    for x, top in ((71, 256), (184, 256), (71, 355), (184, 355)):  # the grid's right edge 3 pt past the text's
        pdf.drawImage(ImageReader(scatter_plot(rng)), x, height - top - 82, 109, 82)
    pdf.setFont("Times-Roman", 9)
    for k, text in enumerate(
        ("Figure 4: Bilateral (pairwise) significance among the", "languages of the grouping. The yellow shade")
    ):
        pdf.drawString(71, height - 472 - 11 * k, text)
    wrapped_lines(pdf, prose, 71, height - 520, 219, 0, leading=12)
    pdf.drawImage(ImageReader(_unrooted_tree(0)), 325, height - 739, 181, 409)
    pdf.setFont("Times-Roman", 9)
    centred_string(pdf, 415, height - 775, "Figure 5: Comparison of unrooted ML-trees on various groupings")
    pdf.drawString(288, height - 786, "of Macro-Mayan and Amerind language families of the two Americas")
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["4", "5"], rows
    tree = Box(*rows[1]["bbox"])  # the tree's ink, inside its raster's white padding
    assert Box(325, 330, 506, 739).contains(tree, tolerance=1) and tree.height > 250, tree


def _pie_with_key(pdf: Canvas, cx: float, cy: float, shares: tuple[float, ...], key: list[str], key_top: float) -> None:
    """A pie chart drawn as vector wedges (centre `cx`, `cy` in PDF points, radius 100), its key under it: a square
    swatch and a name per row, from `key_top` down."""
    colours = ((0.2, 0.4, 0.7), (0.75, 0.3, 0.3), (0.6, 0.7, 0.3), (0.45, 0.35, 0.6))
    start = 90.0
    for share, colour in zip(shares, colours, strict=False):
        pdf.setFillColorRGB(*colour)
        pdf.wedge(cx - 100, cy - 100, cx + 100, cy + 100, start, -360 * share, stroke=0, fill=1)
        start -= 360 * share
    pdf.setFont("Times-Roman", 8)
    for k, name in enumerate(key):
        pdf.setFillColorRGB(*colours[k])
        pdf.rect(cx - 90, key_top - 10 * k, 5, 5, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.drawString(cx - 80, key_top - 10 * k, name)


def test_two_pie_charts_side_by_side_whose_captions_stand_a_key_row_apart_keep_their_own_captions(tmp_path):
    """Evid. Based Complement. Alternat. Med. (crash sweep, EssOilDB 191dcbc3e7 p. 4): two vector pie charts side by
    side, each over its key and its caption; the right key is one row longer, so its caption stands 8 pt lower, less
    than a line. Level over less than half a line, the captions were no row: the left caption's search spanned
    both charts and took the right chart's left part, and Figure 4 found nothing left and was lost."""
    path = tmp_path / "pies.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    _pie_with_key(pdf, 170, 792 - 430, (0.43, 0.27, 0.09, 0.21), ["Leaves", "Roots"], 792 - 545)
    _pie_with_key(pdf, 430, 792 - 430, (0.32, 0.56, 0.12), ["Oral", "Topical", "Oral and topical"], 792 - 545)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(98, 792 - 568, "Figure 3: Percentage of plant parts used.")
    pdf.drawString(342, 792 - 576, "Figure 4: Percentage of mode of administration.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 792 - 610, 12, per_line=7)
    running_prose(pdf, 320, 792 - 610, 12, per_line=7)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["3", "4"], rows
    left, right = (Box(*row["bbox"]) for row in rows)
    assert left.contains(Box(70, 330, 270, 530), tolerance=2) and left.x1 < 340, left
    assert right.contains(Box(345, 330, 530, 530), tolerance=2), right


def test_a_frame_of_prompt_text_captioned_as_a_figure_is_that_figure_whole(tmp_path):
    """NAACL 2024 appendix (crash sweep, mineru 015a9266d8 p. 16, Figure 6): a rounded box of prompt text, its fill and
    its outline drawn as two paths, "Figure 6: Prompt for GPT-3.5 for WTQ." under it. The box's lines read as
    paragraphs and stopped the search up from the caption at the last of them: the figure was the strip of the frame
    under that line, 16 pt of a 530 pt box."""
    path = tmp_path / "prompt.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFillColorRGB(0.97, 0.97, 0.97)
    pdf.roundRect(72, 842 - 674, 452, 528, 12, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.roundRect(71, 842 - 675, 453, 529, 12, stroke=1, fill=0)
    pdf.setFont("Times-Roman", 9)
    words = "You are given a question and a table. Please answer the question with regards to the table".split()
    for k in range(40):
        pdf.drawString(84, 842 - 160 - 12.5 * k, " ".join(words[: 8 + k % 9]))
    pdf.drawString(84, 842 - 665, "Answer:")
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(220, 842 - 690, "Figure 6: Prompt for GPT-3.5 for WTQ.")
    running_prose(pdf, 72, 842 - 720, 6, per_line=12)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "6"
    assert Box(*figure["bbox"]).iou(Box(71, 146, 524, 675)) >= 0.95, figure["bbox"]


def test_a_frame_of_text_drawn_as_a_fill_and_four_sides_captioned_as_a_figure_is_that_figure_whole(tmp_path):
    """NAACL 2024 (crash sweep, b084193eaf p. 6, Figure 6): a box of example requests in the right column, drawn as a
    white fill and then each side as a path of its own, half a stroke outside the fill; its first entry's rows read
    as a paragraph, the short entries under it do not. The search up from "Figure 6: Low-entropy requests ..."
    found the frame's lower part, up to that paragraph, and its box reached a stroke past the fill: no single path
    held it, so it was not known for a part of a framed text figure, and the figure was the frame's lower half."""

    def draw(pdf: Canvas) -> None:
        _justified_column(pdf, 56, 90, 60)  # the left column, then the right one under the figure
        _justified_column(pdf, 305, 526, 22)
        pdf.setFillColorRGB(1, 1, 1)
        pdf.rect(306, 842 - 462, 234, 209, stroke=0, fill=1)  # 306-540, 253-462
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setLineWidth(0.8)  # each side on the fill's edge, half its stroke outside
        for x0, top, x1, bottom in ((306.2, 252, 306.2, 463), (306, 252.8, 540, 252.8), (306, 462.2, 540, 462.2)):
            pdf.line(x0, 842 - top, x1, 842 - bottom)
        pdf.line(539.8, 842 - 252, 539.8, 842 - 463)
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(316, 842 - 268, "\u2022 Human: \u2018Movies about alcoholism\u2019,")
        for k in range(5):  # the first entry's rows, a paragraph's
            words = [PROSE_WORDS[(k * 5 + n) % len(PROSE_WORDS)] for n in range(12)]
            justified_line(pdf, 324, 842 - 280 - 12 * k, words, 206, size=10)
        for k, entry in enumerate(("gpt-3.5-turbo: \u2018Movie recs?\u2019", "gpt-4: \u2018Got recs?\u2019")):
            pdf.drawString(316, 842 - 380 - 30 * k, f"\u2022 {entry}")
        pdf.drawString(305, 842 - 485, "Figure 6: Low-entropy requests generated by humans")
        pdf.drawString(305, 842 - 497, "and simulators.")

    boxes = _figures_of_a_middle_page(tmp_path / "requests.pdf", draw)
    assert boxes["6"].iou(Box(306, 252, 540, 463)) >= 0.95, boxes


def test_a_titled_box_of_text_captioned_as_a_figure_is_that_figure_whole(tmp_path):
    """NAACL 2024 (crash sweep, b838c9f1a5 p. 24, Figure 12): a box titled "Input Format for Evaluation", drawn as a
    dark box and a white ground over all of it but a stroke at three sides and the title band, a prompt's paragraphs
    on the ground, "Figure 12: Input format to generate response" under it. The ground is no other graphic in the
    frame but the frame's own: the figure was the strip under the prompt's last paragraph."""

    def draw(pdf: Canvas) -> None:
        pdf.setFillColorRGB(0.25, 0.25, 0.25)
        pdf.rect(71, 842 - 508, 449, 437, stroke=0, fill=1)  # 71-520, 71-508
        pdf.setFillColorRGB(1, 1, 1)
        pdf.rect(72.3, 842 - 506.5, 446.2, 417.5, stroke=0, fill=1)  # the ground: 72.3-518.5, 89-506.5
        pdf.setFont("Times-Roman", 10)
        pdf.drawCentredString(295, 842 - 83, "Input Format for Evaluation")
        pdf.setFillColorRGB(0, 0, 0)
        for k in range(30):
            words = [PROSE_WORDS[(k * 3 + n) % len(PROSE_WORDS)] for n in range(20)]
            if k % 6 != 5:  # paragraphs, a blank row between them
                justified_line(pdf, 87, 842 - 110 - 12 * k, words, 416, size=10)
        pdf.drawString(87, 842 - 480, "[answer]")
        pdf.drawCentredString(295, 842 - 530, "Figure 12: Input format to generate response")
        _two_justified_columns(pdf, 560, 20)

    boxes = _figures_of_a_middle_page(tmp_path / "titled.pdf", draw)
    assert boxes["12"].iou(Box(71, 71, 520, 508)) >= 0.95, boxes


def test_a_code_listing_tinted_line_by_line_is_its_figure_whole(tmp_path):
    """NAACL 2024 (crash sweep, mineru 44f457f3b2 p. 17, Figure 12): a Python listing across the text width, each of
    its lines on a grey stripe of its own, "Figure 12: A Python code ..." under it. A stripe holding one long line read
    as a tint round text alone, a feature box whose line was the text flow's: the figure lost its first 18 lines (the
    first form of this session's one-line rule; main needed three lines in a tint). A tint round text alone holds two
    rows at least."""

    def draw(pdf: Canvas) -> None:
        pdf.setFont("Courier", 9)
        for k in range(26):
            top = 77 + 10 * k
            pdf.setFillColorRGB(0.945, 0.945, 0.945)
            pdf.rect(56.5, 842 - top - 10, 483.5, 10, stroke=0, fill=1)  # across the text width, as the real one is
            pdf.setFillColorRGB(0, 0, 0)
            words = [PROSE_WORDS[(k * 3 + n) % len(PROSE_WORDS)] for n in range(9)]
            pdf.drawString(68 + 12 * (k % 3), 842 - top - 7.5, " ".join(words) + ("(" if k % 2 else ")"))
        pdf.setFont("Times-Roman", 10)
        pdf.drawCentredString(297, 842 - 364, "Figure 12: A Python code for parsing generated responses from GPT-4.")
        _two_justified_columns(pdf, 400, 30)

    boxes = _figures_of_a_middle_page(tmp_path / "listing.pdf", draw)
    assert boxes["12"].iou(Box(56.5, 77, 540, 337)) >= 0.95, boxes


def test_a_bulleted_box_on_a_drawn_form_is_the_figure_s(tmp_path):
    """NAACL 2024 (crash sweep, mineru 9ab92f2651 p. 18, Figure 11): a web form drawn as paths on a white card over
    most of the page, a frame round its bulleted "Task" instructions near its top, the caption under the card. With a
    list's drawn bullets no drawing in a frame (this session's first form), the frame read as a text box of the text
    flow, and the figure lost the form's top. A frame drawn on a shape round it is a drawing's."""

    def draw(pdf: Canvas) -> None:
        pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
        pdf.rect(71, 842 - 708, 453, 624, stroke=1, fill=0)  # the form's card: 71-524, 84-708
        pdf.setFont("Helvetica", 6)
        pdf.drawString(76, 842 - 120, "Instructions")
        pdf.rect(74, 842 - 204, 447, 56, stroke=1, fill=0)  # the Task box: 148-204
        for k in range(4):
            pdf.circle(79.2, 842 - 164.7 - 10 * k, 0.65, stroke=0, fill=1)
            words = [PROSE_WORDS[(k * 3 + n) % len(PROSE_WORDS)] for n in range(16)]
            pdf.drawString(83, 842 - 166.5 - 10 * k, " ".join(words))
        for k in range(40):  # the form's fields and examples
            pdf.drawString(80, 842 - 230 - 11 * k, " ".join(PROSE_WORDS[(k + n) % len(PROSE_WORDS)] for n in range(9)))
        pdf.rect(80, 842 - 700, 400, 12, stroke=1, fill=0)
        pdf.setFont("Times-Roman", 10)
        pdf.drawCentredString(297, 842 - 724, "Figure 11: Interface of the comprehensiveness study we conducted.")

    boxes = _figures_of_a_middle_page(tmp_path / "form.pdf", draw)
    assert boxes["11"].top <= 150, boxes


def test_parts_of_different_widths_stacked_up_to_the_running_head_are_one_figure(tmp_path):
    """Int. J. Nanomedicine 2018 (crash sweep, EssOilDB e543337fcd p. 7, Figure 2): at the head of the column, a 3-D
    surface plot (a raster) over a wider contour plot drawn as paths, 33 pt of white space between, the caption under
    both. The parts line up on neither side nor on their centres, so only the contour plot was Figure 2 and the 3-D
    plot came out uncaptioned. Nothing but the two parts lies between the caption and the running head."""
    path = tmp_path / "stack.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Helvetica", 8)
    pdf.drawString(72, 842 - 30, "International Journal of Tests 2018:13")
    pdf.drawImage(ImageReader(photo_pixels(3)), 180, 842 - 200, 240, 140)
    pdf.setFillColorRGB(0.6, 0.6, 0.6)
    triangle = pdf.beginPath()
    triangle.moveTo(100, 842 - 420)
    triangle.lineTo(500, 842 - 420)
    triangle.lineTo(300, 842 - 235)
    triangle.close()
    pdf.drawPath(triangle, stroke=1, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    caption_over_prose(
        pdf, (72, 842 - 440, "Figure 2 Contour plot of three-dimensional surface and two-dimensional plot.")
    )
    running_prose(pdf, 72, 842 - 470, 20, per_line=12)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["2"], rows  # not an uncaptioned 3-D plot beside Figure 2's contour plot
    assert Box(*rows[0]["bbox"]).contains(Box(100, 60, 500, 420), tolerance=2), rows[0]["bbox"]


def _photo_over_a_block(pdf: Canvas, seed: int, photo: Box, block: Box) -> None:
    """A photograph over a wider grey block (a drawing): two parts of one float, boxes in points from an A4 page's top."""
    pdf.drawImage(ImageReader(photo_pixels(seed)), photo.x0, 842 - photo.bottom, photo.width, photo.height)
    pdf.setFillColorRGB(0.6, 0.6, 0.6)
    pdf.rect(block.x0, 842 - block.bottom, block.width, block.height, stroke=1, fill=1)
    pdf.setFillColorRGB(0, 0, 0)


def test_parts_stacked_from_the_head_of_the_text_area_on_a_page_without_running_heads_are_one_figure(tmp_path):
    """The same float on a page without a running head: the search up from the caption runs to the page's edge. The
    head of the text area, where the document's other pages start their prose, ends it instead: the figure's parts
    stacked down from there are one figure."""
    path = tmp_path / "heads.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    for _ in range(3):
        running_prose(pdf, 72, 842 - 80, 50, per_line=12)
        pdf.showPage()
    _photo_over_a_block(pdf, 4, Box(200, 72, 400, 232), Box(100, 270, 500, 420))
    caption_over_prose(pdf, (72, 842 - 440, "Figure 4. Structures of the compounds isolated."))
    running_prose(pdf, 72, 842 - 470, 20, per_line=12)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["4"], rows
    assert Box(*rows[0]["bbox"]).contains(Box(100, 72, 500, 420), tolerance=2), rows[0]["bbox"]


def test_a_figure_at_the_head_of_a_first_page_s_column_takes_no_part_of_the_title_block_over_it(tmp_path):
    """NAACL 2024 (crash sweep, mineru 9789e59085 p. 1): Figure 1 at the head of the right column, 20 pt under the
    title block (the title, authors' names beside their schools' logos, rasters), inside the text area the other
    pages start their prose at. The names and title are set larger than the body: no figure's labels."""
    path = tmp_path / "title.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Bold", 14)
    centred_string(pdf, 297, 842 - 86, "Instructional Fingerprinting of Large Language Models")
    pdf.setFont("Times-Roman", 12)
    for row, top in enumerate((106, 127, 149, 170)):
        for k in range(3):
            x = 170 + 90 * k
            pdf.drawImage(ImageReader(photo_pixels(4 * row + k)), x - 14, 842 - top - 11, 11, 11)
            pdf.drawString(x, 842 - top - 10, ("Jiashu Xu", "Fei Wang", "Mingyu Ma")[k])
    pdf.setFont("Times-Roman", 9)
    centred_string(pdf, 297, 842 - 194, "jxu1@g.harvard.edu https://example.github.io/Model-Fingerprint")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 88, 842 - 246, 40, per_line=6)
    pdf.setFillColorRGB(0.5, 0.6, 0.9)
    for top in (216, 252, 288):
        pdf.roundRect(312, 842 - top - 30, 60, 28, 6, stroke=1, fill=1)
        pdf.roundRect(386, 842 - top - 26, 70, 20, 6, stroke=1, fill=1)
        pdf.circle(478, 842 - top - 15, 14, stroke=1, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    caption_over_prose(pdf, (306, 842 - 336, "Figure 1: Difference between (a) model watermark, (b) API"))
    running_prose(pdf, 306, 842 - 370, 30, per_line=6)
    pdf.showPage()
    for _ in range(3):
        running_prose(pdf, 72, 842 - 80, 50, per_line=12)
        pdf.showPage()
    pdf.save()
    rows = figures_left_to_right(path)
    captioned = [row for row in rows if row["label"] == "1"]
    assert len(captioned) == 1, rows
    assert Box(*captioned[0]["bbox"]).top >= 210, captioned[0]["bbox"]


def test_a_picture_in_one_column_under_a_title_block_set_across_both_takes_none_of_it(tmp_path):
    """EMNLP 2023 demo (crash sweep, papermage 550f848c23 p. 1): the title, authors and schools set across both
    columns, 7 pt over Figure 1's picture in the right column, the abstract in smaller type in the left column beside
    it. The picture's ink linked to the lines over it, and the figure took the whole title block and the abstract.
    Lines running out of the caption's column across its side are the page's text, not the figure's labels."""
    path = tmp_path / "title.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Bold", 14)
    centred_string(pdf, 297, 842 - 84, "PaperMage: A Unified Toolkit for Processing, Representing, and")
    centred_string(pdf, 297, 842 - 100, "Manipulating Visually-Rich Scientific Documents")
    pdf.setFont("Times-Roman", 12)
    centred_string(pdf, 297, 842 - 120, "Kyle Lo Zejiang Shen Benjamin Newman Joseph Chee Chang Russell Authur Erin")
    centred_string(pdf, 297, 842 - 134, "Regan Huff Bailey Kuehl Amanpreet Singh Chris Wilhelm Angele Zamarron Marti")
    centred_string(pdf, 297, 842 - 160, "Allen Institute for AI Massachusetts Institute of Technology")
    centred_string(pdf, 297, 842 - 174, "University of California Berkeley University of Washington Northwestern")
    pdf.setFont("Times-Roman", 9)
    centred_string(pdf, 297, 842 - 190, "{kylel, lucas}@allenai.org")
    pdf.setFont("Times-Roman", 9.5)
    running_prose(pdf, 88, 842 - 220, 20, per_line=6)
    pdf.drawImage(ImageReader(photo_pixels(7)), 306, 842 - 470, 218, 272)
    caption_over_prose(pdf, (306, 842 - 484, "Figure 1: papermage's document creation."))
    running_prose(pdf, 72, 842 - 520, 20, per_line=9)
    running_prose(pdf, 306, 842 - 520, 20, per_line=9)
    pdf.showPage()
    for _ in range(3):
        pdf.setFont("Times-Roman", 10)
        for x in (72, 306):
            running_prose(pdf, x, 842 - 80, 50, per_line=9)
        pdf.showPage()
    pdf.save()
    captioned = [row for row in figures_left_to_right(path) if row["label"] == "1"]
    assert len(captioned) == 1, captioned
    assert Box(*captioned[0]["bbox"]).contains(Box(306, 198, 524, 470), tolerance=2), captioned[0]["bbox"]
    assert Box(306, 196, 524, 472).contains(Box(*captioned[0]["bbox"])), captioned[0]["bbox"]


def test_parts_of_different_widths_stacked_down_from_a_caption_over_them_are_one_figure(tmp_path):
    """The float turned over, in a document that sets its captions over its figures (a guideline's style): a photograph
    under the caption, a wider drawing under that past 30 pt of white space, a paragraph right under both. Both parts
    are the figure, on every page."""
    path = tmp_path / "under.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for number in (1, 2, 3):
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 72, 842 - 80, 2, per_line=12)
        caption_over_prose(pdf, (72, 842 - 112, f"Figure {number}. Clinical features and laboratory findings."))
        _photo_over_a_block(pdf, number, Box(200, 122, 400, 262), Box(100, 292, 500, 432))
        running_prose(pdf, 72, 842 - 452, 25, per_line=12)
        pdf.showPage()
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda row: row["page"])
    assert [row["label"] for row in rows] == ["1", "2", "3"], rows
    for row in rows:
        assert Box(*row["bbox"]).contains(Box(100, 122, 500, 432), tolerance=2), row["bbox"]


def test_parts_stacked_up_to_the_caption_of_the_float_over_them_are_one_figure(tmp_path):
    """Oxid. Med. Cell. Longev. (crash sweep, EssOilDB 7678d5b66e p. 36): two floats in the column, a chart over its
    caption, then Figure 37's chemical structures of different widths stacked over its own caption. The search up
    from Figure 37's caption ends at Figure 36's caption, whose picture stands over it: the parts between are all
    Figure 37's."""
    path = tmp_path / "floats.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 842 - 60, 2, per_line=17)
    pdf.drawImage(ImageReader(photo_pixels(5)), 150, 842 - 256, 300, 160)
    caption_over_prose(pdf, (72, 842 - 270, "Figure 36: Percentage inhibition of the promastigotes."))
    _photo_over_a_block(pdf, 6, Box(200, 320, 380, 435), Box(110, 460, 490, 600))
    caption_over_prose(pdf, (72, 842 - 620, "Figure 37: Hybrids, chemical structures and values of the derivatives."))
    running_prose(pdf, 72, 842 - 650, 12, per_line=17)
    pdf.save()
    rows = figures_left_to_right(path)
    assert sorted(str(row["label"]) for row in rows) == ["36", "37"], [(row["label"], row["bbox"]) for row in rows]
    figure = next(row for row in rows if row["label"] == "37")
    assert Box(*figure["bbox"]).contains(Box(110, 320, 490, 600), tolerance=2), figure["bbox"]


def _framed_chart(pdf: Canvas, chart: Box) -> None:
    """A chart drawn as paths: its frame, a data line across it and tick labels under it (`chart` in points from an
    A4 page's top)."""
    pdf.rect(chart.x0, 842 - chart.bottom, chart.width, chart.height, stroke=1, fill=0)
    line = pdf.beginPath()
    line.moveTo(chart.x0, 842 - chart.bottom + 10)
    for k in range(1, 9):
        line.lineTo(chart.x0 + k * chart.width / 8, 842 - chart.bottom + 10 + (k % 3) * chart.height / 4)
    pdf.drawPath(line, stroke=1, fill=0)
    pdf.setFont("Times-Roman", 8)
    for k in range(6):
        pdf.drawString(chart.x0 + k * (chart.width - 10) / 5, 842 - chart.bottom - 10, f"0.{k}")


def test_a_part_beside_the_top_of_a_column_of_parts_stacked_up_to_the_running_head_is_the_same_figure_s(tmp_path):
    """A thesis (crash sweep, ContentMine norma ffc823b186 pp. 34 and 38, Figures 2.5 and 2.10): two stacks of charts
    side by side under the running head, (a)-(c) and (g)-(i), and (d)-(f) under the left stack only, then the
    caption set across both columns. The left stack grew up to the running head, and the right one, beside it and
    not past it, was left out of Figure 2.5: nothing but the three stacks lies between the caption and the head."""
    path = tmp_path / "thesis.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for page in (1, 2, 3):
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(72, 842 - 40, f"2.4. Examples {32 + page}")
        if page != 2:
            running_prose(pdf, 72, 842 - 80, 55, per_line=14)
            pdf.showPage()
            continue
        for chart in (Box(110, 80, 290, 330), Box(320, 80, 500, 330), Box(110, 365, 290, 620)):
            _framed_chart(pdf, chart)
        pdf.setFont("Times-Roman", 9)
        pdf.drawString(
            72, 842 - 652, "Figure 2.5 (a) The dependence of the specular reflection coefficient of the crystal on"
        )
        pdf.drawString(
            72, 842 - 664, "the wave vector, at a frequency in the band gap. (b) Amplitudes of the three modes."
        )
        pdf.drawString(
            72, 842 - 676, "(c) Effective parameters of the crystal. (d)-(f) and (g)-(i) The same for planes 2 and 3."
        )
        pdf.showPage()
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["2.5"], [(row["label"], row["bbox"]) for row in rows]
    assert Box(*rows[0]["bbox"]).contains(Box(110, 80, 500, 620), tolerance=2), rows[0]["bbox"]


def _structure(pdf: Canvas, structure: Box) -> None:
    """A chemical structure drawn as paths filling `structure` (points from an A4 page's top): a ring, bonds up and
    down from it to the box's top and foot, a chain off it to its right end."""
    r = min(structure.width, structure.height) / 3
    cx, cy = structure.x0 + r, 842 - structure.cy
    ring = pdf.beginPath()
    ring.moveTo(cx + r, cy)
    for k in range(1, 7):
        ring.lineTo(cx + r * np.cos(k * np.pi / 3), cy + r * np.sin(k * np.pi / 3))
    bonds = pdf.beginPath()
    bonds.moveTo(cx, 842 - structure.top)
    bonds.lineTo(cx, cy + 0.87 * r)
    bonds.moveTo(cx, cy - 0.87 * r)
    bonds.lineTo(cx, 842 - structure.bottom)
    bonds.moveTo(cx + r, cy)
    for k in range(1, 5):
        bonds.lineTo(cx + r + k * (structure.x1 - cx - r) / 4, cy + (8 if k % 2 else -8))
    pdf.drawPath(ring, stroke=1, fill=0)
    pdf.drawPath(bonds, stroke=1, fill=0)


def _table_row(pdf: Canvas, baseline: float, name: str, values: tuple[str, ...]) -> None:
    """A table's row as one line of text: the name, then its values in columns 49 pt apart from x = 274 (the gaps as
    kerning in one text object, as a typesetter writes a row)."""
    text = pdf.beginText(51, 842 - baseline)
    text.textOut(name)
    for k, value in enumerate(values):
        text.setTextOrigin(274 + 49 * k, 842 - baseline)
        text.textOut(value)
    pdf.drawText(text)


def test_rows_of_structures_under_the_rest_of_a_table_take_none_of_the_table(tmp_path):
    """Anticancer Agents (crash sweep, EssOilDB 88862c355a p. 18, Fig. 2): the rest of Table 3, continued over pages
    under the same "Table 3 continued" line (no caption of its own), then two rows of chemical structures, the upper
    row wider, then the caption. Both rows are the figure's; the table's rows of values over them, up to its header,
    are no text printed under the figure's drawings, though no caption stands over them."""
    path = tmp_path / "structures.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for _ in range(3):
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 51, 842 - 80, 55, per_line=7)
        running_prose(pdf, 306, 842 - 80, 55, per_line=7)
        pdf.showPage()
    for page, rows in ((4, 30), (5, 30), (6, 26)):
        pdf.setFont("Times-Roman", 8.5)
        pdf.drawString(51, 842 - 67, "Table 3 continued")
        _table_row(pdf, 84, "Compound name", ("MK-1", "HeLa", "B16F10", "MT-1", "MT-2", "Normal"))
        pdf.line(51, 842 - 90, 544, 842 - 90)
        for row in range(rows):
            values = ("NT", "NT", "NT", f"{row % 7 + 0.5}", f"{row % 5 + 1.3}", "NT")
            _table_row(pdf, 104 + 12.6 * row, f"Withanolide {page}-{row} ({row + 95})", values)
        if page == 6:
            pdf.drawString(51, 842 - 440, "Dox doxorubicin, 5-FU 5-fluorouracil (positive controls), NT not tested")
            for x0 in (85, 217, 327, 425):
                _structure(pdf, Box(x0, 468, x0 + 86, 540))
            for x0 in (120, 234, 326):
                _structure(pdf, Box(x0, 576, x0 + 100, 640))
            pdf.setFont("Times-Roman", 8)
            pdf.drawString(51, 842 - 660, "Fig. 2 Structures of lignans identified from a screen of plant extracts")
        pdf.showPage()
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["label"] for row in rows] == ["2"], [(row["label"], row["bbox"]) for row in rows]
    box = Box(*rows[0]["bbox"])
    assert box.contains(Box(85, 468, 511, 640), tolerance=3), box  # both rows of structures
    assert box.top > 440, box  # none of the table


def _office_chart(pdf: Canvas, area: Box, plot: Box, values: list[float]) -> None:
    """A chart as an office suite exports it, all paths: its chart area's frame and its plot's, grey, one path of
    gridlines and one of bars (`area` and `plot` in points from an A4 page's top)."""
    pdf.setStrokeGray(0.7)
    pdf.rect(area.x0, 842 - area.bottom, area.width, area.height, stroke=1, fill=0)
    pdf.rect(plot.x0, 842 - plot.bottom, plot.width, plot.height, stroke=1, fill=0)
    grid = pdf.beginPath()
    for k in range(1, 5):
        grid.moveTo(plot.x0 + 20, 842 - plot.bottom + k * plot.height / 5)
        grid.lineTo(plot.x1 - 10, 842 - plot.bottom + k * plot.height / 5)
    pdf.drawPath(grid, stroke=1, fill=0)
    pdf.setStrokeGray(0)
    bars = pdf.beginPath()
    step = (plot.width - 40) / len(values)
    for k, value in enumerate(values):
        bars.rect(plot.x0 + 25 + k * step, 842 - plot.bottom + 8, step / 2, value * (plot.height - 16))
    pdf.setFillColorRGB(0.3, 0.5, 0.8)
    pdf.drawPath(bars, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)


def _two_justified_columns(pdf: Canvas, top: float, lines: int) -> None:
    """Running text in two justified columns, 56-292 and 305-540 pt (a 13 pt gutter), from baseline `top` down, one
    column after the other (as typesetters write them)."""
    for x0 in (56, 305):
        _justified_column(pdf, x0, top, lines)


def _figures_of_a_middle_page(path: Path, draw: Callable[[Canvas], None]) -> dict[str, Box]:
    """The figure boxes, by label, of a three-page A4 document whose second page `draw` sets, the first and the third
    running text in two justified columns (the document's body size and columns are the text's)."""
    pdf = Canvas(str(path), pagesize=(595, 842))
    for page in (1, 2, 3):
        if page == 2:
            draw(pdf)
        else:
            _two_justified_columns(pdf, 90, 60)
        pdf.showPage()
    pdf.save()
    return {row["label"]: Box(*row["bbox"]) for row in figures_left_to_right(path)}


def _justified_column(
    pdf: Canvas, x0: float, top: float, lines: int, width: float = 236, words: int = 12, leading: float = 12
) -> None:
    """Running text in 10 pt, justified `width` wide from `x0`, from baseline `top` (from an A4 page's top) down."""
    for k in range(lines):
        row = [PROSE_WORDS[(k * 3 + n) % len(PROSE_WORDS)] for n in range(words)]
        justified_line(pdf, x0, 842 - top - leading * k, row, width, size=10)


def test_framed_charts_side_by_side_across_a_gutter_narrower_than_the_ink_link_take_none_of_each_other(tmp_path):
    """Chinese Medicine (crash sweep, EssOilDB 2a7b5b28e0 p. 13): office charts framed in grey, two pie charts side by
    side under a chart as wide as the page, one per column, a 13 pt gutter between their frames, each captioned under
    its own. Ink within `_LINK_EM` (15 pt in 10 pt text) is one group: the search over Figure 4's caption reached
    past the gutter to the edge of Figure 3's frame, a sliver left out as a seed but not as ink, and Figure 4 began
    at the search region's side (then lined up with the wide chart over it and grew into it); Figure 3, searched
    after Figure 4 was placed, took the edge of Figure 4's frame the same way. Only the ink in the gutter is left out,
    not all that a sliver's box covers: a clipped line's box may reach over the next column's figure."""
    path = tmp_path / "charts.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for page in (1, 2, 3):
        if page == 2:
            _office_chart(pdf, Box(57, 89, 539, 255), Box(57, 95, 539, 240), [0.9, 0.5, 0.3, 0.3, 0.2, 0.1, 0.1, 0.1])
            _office_chart(pdf, Box(57, 300, 292, 460), Box(62, 306, 287, 455), [0.3, 0.6, 0.9])
            _office_chart(pdf, Box(305, 300, 540, 460), Box(310, 306, 535, 455), [0.8, 0.4, 0.2])
            # Figure 3's trend line runs on under its plot's clipping path to (340, 30): its box reaches over the
            # left of Figure 4 (icml13 ranganath's clipping canvases), though none of its ink shows there.
            pdf.saveState()
            plot = pdf.beginPath()
            plot.rect(62, 842 - 455, 225, 149)
            pdf.clipPath(plot, stroke=0, fill=0)
            pdf.line(62, 842 - 470, 340, 842 - 30)
            pdf.restoreState()
            pdf.setFont("Times-Roman", 8)
            pdf.drawString(63, 842 - 272, "Fig. 2 Most commonly found families")
            pdf.drawString(63, 842 - 477, "Fig. 3 Life forms of medicinal plant species")
            pdf.drawString(312, 842 - 470, "Fig. 4 Plant parts used as medicine")
            _two_justified_columns(pdf, 500, 25)
        else:
            _two_justified_columns(pdf, 90, 55)
        pdf.showPage()
    pdf.save()
    boxes = {row["label"]: Box(*row["bbox"]) for row in figures_left_to_right(path)}
    assert sorted(boxes) == ["2", "3", "4"], boxes
    assert boxes["3"].x1 < 298 and boxes["4"].x0 > 298, boxes  # each in its own column
    assert boxes["3"].contains(Box(57, 300, 292, 460), tolerance=2), boxes["3"]
    assert boxes["4"].contains(Box(305, 300, 540, 460), tolerance=2), boxes["4"]


def test_a_chart_framed_with_its_caption_inside_the_frame_is_not_cut_at_the_caption_s_end(tmp_path):
    """Chinese Medicine (crash sweep, EssOilDB 2a7b5b28e0 p. 14, Figure 6): an office chart whose caption is set
    inside its chart area's frame, under the chart's left half. The search right of the caption found the chart's
    right half and the frame down past the caption, lined up with the caption's foot, so that side region won over
    the whole chart found over the caption: a region beside the caption whose part past the caption's level the one
    over it holds, running on past its near side, is that figure's cut-off part."""
    path = tmp_path / "chart.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for page in (1, 2, 3):
        pdf.setFont("Times-Roman", 10)
        if page == 2:
            pdf.setStrokeGray(0.6)
            pdf.rect(305, 842 - 252, 235, 164, stroke=1, fill=0)  # the chart area, its caption inside
            pdf.setStrokeGray(0)
            pdf.setFont("Helvetica", 7)
            for k in range(6):  # the value axis's labels and gridlines
                pdf.drawString(311, 842 - 212 + k * 20 - 2, str(20 * k))
                pdf.line(327, 842 - 212 + k * 20, 532, 842 - 212 + k * 20)
            for k, (height, name) in enumerate(zip((100, 30, 18, 14, 8, 7, 5), PROSE_WORDS, strict=False)):
                x = 335 + k * 27
                pdf.setFillColorRGB(0.3, 0.5, 0.8)
                pdf.rect(x, 842 - 212, 16, height, stroke=0, fill=1)
                pdf.setFillColorRGB(0, 0, 0)
                pdf.drawString(x, 842 - 222, name[:6])
            pdf.setFont("Helvetica", 8)
            pdf.drawString(312, 842 - 246, "Fig. 6 Mode of preparation of plants")
            pdf.setFont("Times-Roman", 10)
            running_prose(pdf, 56, 842 - 90, 55, per_line=7)
            running_prose(pdf, 305, 842 - 275, 40, per_line=7)
        else:
            running_prose(pdf, 56, 842 - 90, 55, per_line=7)
            running_prose(pdf, 305, 842 - 90, 55, per_line=7)
        pdf.showPage()
    pdf.save()
    (row,) = figures_left_to_right(path)
    assert row["label"] == "6"
    assert Box(*row["bbox"]).contains(Box(311, 102, 532, 222), tolerance=2), row["bbox"]


def _gridded_chart(pdf: Canvas, x0: float, x1: float, axis_title: str) -> None:
    """A line chart drawn as strokes from 64 to 211 pt (from the top of an A4 page), its gridlines one stroke each,
    and under the strokes its text: tick labels in 8 pt and the axis title."""
    pdf.setLineWidth(0.5)
    for k in range(7):
        x = x0 + k * (x1 - x0) / 6
        pdf.line(x, 842 - 64, x, 842 - 211)
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(x, 842 - 221, str(10 * k))
    for k in range(9):
        pdf.line(x0, 842 - 64 - k * 147 / 8, x1, 842 - 64 - k * 147 / 8)
    trace = pdf.beginPath()
    trace.moveTo(x0, 842 - 205)
    for k in range(1, 25):
        trace.lineTo(x0 + k * (x1 - x0) / 24, 842 - 205 + 130 * (k == 12) + 20 * (k % 3))
    pdf.drawPath(trace, stroke=1, fill=0)
    pdf.drawCentredString((x0 + x1) / 2, 842 - 235, axis_title)


def test_sub_captions_under_two_charts_tick_labels_are_the_figure_s_not_a_paragraph_over_the_text(tmp_path):
    """simhash (WWW 2007) p. 5, a9320ac5e2: two charts a column wide each, side by side, "(a) Distribution of leading
    1-bit positions / of exclusive-OR of successive fingerprints." on two rows as wide as a paragraph's lines (the
    second indented less than the text after the letter) under the left one's tick labels and axis title, "(b)
    Bucketization of fingerprints." under the right one's, and "Figure 2: Analysis of fingerprint distributions."
    centred under both. The sub-caption sat 27 pt under its chart's strokes, too far to be read as a sub-caption, so
    its rows were a paragraph, the text flow began there, and Figure 2 was its right chart alone. A chart's text
    under its strokes is the chart's: the sub-caption comes under it."""

    def draw(pdf: Canvas) -> None:
        _gridded_chart(pdf, 100, 285, "Bit-position of leading 1-bit in XOR")
        _gridded_chart(pdf, 350, 535, "Fingerprint mod 128")
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(86, 842 - 246, "(a) Distribution of the leading 1-bit positions in the")
        pdf.drawString(94, 842 - 258, "of XOR of successive fingerprints of the pages.")
        pdf.drawString(381, 842 - 258, "(b) Bucketization of fingerprints.")
        pdf.drawCentredString(298, 842 - 285, "Figure 2: Analysis of fingerprint distributions.")
        _two_justified_columns(pdf, 310, 42)

    boxes = _figures_of_a_middle_page(tmp_path / "charts.pdf", draw)
    assert list(boxes) == ["2"], boxes
    assert boxes["2"].contains(Box(100, 64, 535, 235), tolerance=3), boxes  # both charts


def test_numbered_display_equations_over_a_figure_are_the_text_s_not_the_figure_s(tmp_path):
    """MDPI Electronics (745baf0c22 p. 5): equations (6) and (7), each a fraction over its bar, set right over a vector
    diagram, "Figure 3. Two degree-of-freedom (DOF) bicycle kinematic model ..." under the diagram. pdfium reads an
    equation as short pieces, none a paragraph's line, so the search up from the caption took both equations with
    the diagram. A number flush with the column's right edge and pieces of an equation left of it are the text's."""
    path = tmp_path / "equations.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for page in (1, 2, 3):
        if page == 2:
            _justified_column(pdf, 76, 100, 8, width=442, words=20, leading=13)
            pdf.setFont("Times-Roman", 10)
            for number, row in ((6, 230), (7, 275)):  # row: the fraction bar's y from the top
                pdf.drawString(200, 842 - row - 3, "k =")
                pdf.drawCentredString(240, 842 - row + 3, "l + r")
                pdf.line(225, 842 - row, 255, 842 - row)
                pdf.drawCentredString(240, 842 - row - 11, "R")
                pdf.drawString(262, 842 - row - 3, "(where a < b < c)")
                pdf.drawString(508, 842 - row - 3, f"({number})")
            pdf.setLineWidth(1.5)
            for k in range(6):  # the diagram: a vehicle's wheels and its axes
                pdf.rect(150 + 50 * k, 842 - 420, 30, 12, stroke=1, fill=1)
                pdf.line(165 + 50 * k, 842 - 300, 165 + 50 * k, 842 - 450)
            pdf.line(140, 842 - 450, 450, 842 - 300)
            pdf.drawString(140, 842 - 475, "Figure 3. Two degree-of-freedom (DOF) bicycle kinematic model.")
            _justified_column(pdf, 76, 500, 20, width=442, words=20, leading=13)
        else:
            _justified_column(pdf, 76, 90, 52, width=442, words=20, leading=13)
        pdf.showPage()
    pdf.save()
    (figure,) = [row for row in figures_left_to_right(path) if row["label"] == "3"]
    assert Box(*figure["bbox"]).top >= 285, figure["bbox"]  # under equation (7)'s denominator
    assert Box(*figure["bbox"]).contains(Box(140, 300, 450, 450), tolerance=3), figure["bbox"]  # the diagram


def test_a_numbered_equation_in_one_column_leaves_the_figures_level_with_it_in_the_other_whole(tmp_path):
    """NAACL 2024 a45484f4a8 p. 4: equation (2) in the left column, its number at the column's right edge, level with
    Figure 2's diagram in the right column; the number, narrow, reached into the gutter where the search over the
    right column starts, and cut Figure 2 at its foot. MentorNet (ICML 2018) p. 4: equation (10) in the right
    column level with Figure 1's labels in the left one, which were taken for the equation's pieces."""

    def draw(pdf: Canvas) -> None:
        for x0, top, rows in ((56, 320, 38), (305, 90, 8), (305, 420, 30)):
            _justified_column(pdf, x0, top, rows)
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(110, 842 - 290, "c = [q], if i = 1; [c; o], for i = 2")  # equation (2), left column
        pdf.drawString(281, 842 - 290, "(2)")
        pdf.drawString(350, 842 - 200, "v = argmin vx + G(v, x)")  # equation (10), right column
        pdf.drawString(526, 842 - 200, "(10)")
        pdf.setLineWidth(1.5)
        pdf.rect(60, 842 - 260, 230, 180, stroke=1, fill=0)  # Figure 1's diagram, left column
        pdf.line(60, 842 - 260, 290, 842 - 80)
        for top in (215, 270, 325):  # Figure 2's three boxes stacked 10 pt apart, right column
            pdf.rect(310, 842 - top - 45, 230, 45, stroke=1, fill=0)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(70, 842 - 204, "MentorNet")  # a label of the left diagram, level with equation (10)
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(60, 842 - 275, "Figure 1. The MentorNet architecture used in experiments.")
        pdf.drawString(310, 842 - 395, "Figure 2: Overview of the BS module.")

    boxes = _figures_of_a_middle_page(tmp_path / "columns.pdf", draw)
    assert boxes["1"].contains(Box(60, 80, 290, 260), tolerance=3), boxes["1"]
    assert boxes["2"].contains(Box(310, 215, 540, 370), tolerance=3), boxes["2"]

"""extract's captions on generated pages: which lines open a caption, where its description goes on and where it
stops (notes, credit and link lines, headings, body text beside it), and which picture it goes to (rows of
figures, side and margin captions, unlabelled captions, table captions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import (
    DENGUE_PARAGRAPH,
    PROSE_WORDS,
    body_paragraph,
    by_label,
    caption_over_prose,
    extracted_with_a_captioned_photo,
    figure_pages,
    figures_left_to_right,
    justified_line,
    only_figure,
    photo_pixels,
    ruled_table,
    running_prose,
    scatter_plot,
    springer_side_caption,
    tab_numeral_then,
    text_boxes,
    tissue_section,
    wrapped_lines,
)
from mmskin_build.extract.captions import Caption, _piece_after, _printed_inside, find_captions
from mmskin_build.extract.document import ExtractConfig, open_pdf
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.overlays import _figures_by_page, figure_marks
from mmskin_build.extract.page import Graphic, TextLine, read_page
from mmskin_build.extract.pagebreak import NextPage, claimed_by_previous
from mmskin_build.extract.regions import _SOURCE_NOTE, _in_columns, _text_of_another_column
from mmskin_build.extract.stage import run_extract
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.extract.text import normalise_for_match
from mmskin_build.sample import images
from mmskin_build.sample.layout import draw_words
from mmskin_build.store import Dataset


def _captions_on(path: Path, body_size: float) -> list[Caption]:
    """The captions `find_captions` reads on the PDF's first page."""
    with open_pdf(path) as document:
        page = read_page(document, 0)
        try:
            return find_captions(page, body_size)
        finally:
            page.close()


def test_a_one_line_caption_does_not_run_on_into_the_next_caption_of_its_row(tmp_path):
    # Two figures in a row, their one-line captions 30 pt apart: the text that follows the first caption on its
    # line, within 4 font sizes (a tab after a label), was the second caption's start, joined to the first.
    canvas = Canvas(str(tmp_path / "row.pdf"), pagesize=(612, 792))
    for x, label, text in ((140, "Figure 3.7", "Nail psoriasis: pits, oil drops."), (312, "Figure 3.8", "Scalp.")):
        draw_words(canvas, x, 600, [(label, "Helvetica-Bold")] + [(w, "Helvetica") for w in text.split()], 8)
    canvas.save()
    captions = {c.label: c.text for c in _captions_on(tmp_path / "row.pdf", 9.5)}
    assert captions == {"3.7": "Figure 3.7 Nail psoriasis: pits, oil drops.", "3.8": "Figure 3.8 Scalp."}


def test_a_table_caption_under_its_table_leaves_the_plate_under_it_to_its_figure_caption(tmp_path):
    """OpenStax prints a table's caption under the table (held-out 13's class 30): "TABLE 21.3" ends 3 pt over a
    plate of three photographs, whose own caption "FIGURE 21.29 ..." is under the plate. The table's rows leave its
    caption no room above; the plate is the figure's, not the table's."""
    pdf = Canvas(str(tmp_path / "table.pdf"), pagesize=(612, 792))
    body_paragraph(pdf, 740)
    pdf.setFont("Helvetica", 10)
    rows = (
        ("Tinea corporis (ringworm)", "Body"),
        ("Tinea pedis", "Feet"),
        ("Tinea unguium (onychomycosis)", "Toenails"),
    )
    for k, (name, place) in enumerate(rows):  # the last row reads as one line of body text
        top = 792 - 230 - 22 * k
        pdf.line(206, top, 425, top)
        pdf.drawString(212, top - 14, name)
        pdf.drawString(366, top - 14, place)
    pdf.line(206, 792 - 296, 425, 792 - 296)
    pdf.line(360, 792 - 230, 360, 792 - 296)
    pdf.setFont("Helvetica-Bold", 7)
    pdf.drawString(208, 792 - 303, "TABLE 21.3")  # over the first photograph's right part
    plate = Image.new("RGB", (916, 240), "white")  # one raster: three photographs, white gutters between
    for k in range(3):
        plate.paste(photo_pixels(50 + k), (308 * k, 0))
    pdf.drawImage(ImageReader(plate), 77, 792 - 427, 458, 120)  # 3 pt under the table's caption, 12 pt over its own
    pdf.setFont("Helvetica", 7)
    pdf.drawString(
        77, 792 - 444, "FIGURE 21.29 Tineas are superficial cutaneous mycoses and are common. (a) Tinea barbae"
    )
    pdf.drawString(
        77, 792 - 452, "occurs on the lower face. (b) Tinea pedis occurs on the feet. (c) Tinea corporis on the arm."
    )
    body_paragraph(pdf, 320)
    figure = only_figure(pdf, tmp_path / "table.pdf", tmp_path)
    assert figure["label"] == "21.29"
    assert Box(*figure["bbox"]).iou(Box(77, 307, 535, 427)) >= 0.95, f"not the plate: {figure['bbox']}"


def _caption_layouts_pdf(path: Path) -> None:
    """Page 1: a title line over a photo, its description printed under it. Page 2: a caption set smaller than
    the body, its title line and description a blank line apart, over a photo. Body text around both."""
    canvas = Canvas(str(path), pagesize=(612, 792))
    for title, description, under in (
        (
            "Figure 1. Rash on day 4",
            "Confluent macular erythema of the trunk with islands of sparing, and oedema.",
            True,
        ),
        (
            "Figure 2 Petechiae",
            "Petechial rash on the forearm after the tourniquet test, seven days after onset.",
            False,
        ),
    ):
        body_paragraph(canvas, 740)
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(72, 630, title)
        canvas.setFont("Helvetica", 8)
        photo_top = 620 if under else 600
        if not under:
            canvas.drawString(72, 612, description)  # a blank line under the title
        canvas.drawImage(ImageReader(photo_pixels(len(title))), 160, photo_top - 180, 150, 180)
        if under:
            canvas.drawString(72, photo_top - 192, description)
        body_paragraph(canvas, 380)
        canvas.showPage()
    canvas.save()


def test_a_description_under_the_picture_or_a_blank_line_under_the_title_is_caption(tmp_path):
    _caption_layouts_pdf(tmp_path / "layouts.pdf")
    summary = run_extract([tmp_path / "layouts.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    assert summary.errors == 0
    figures = {r["label"]: r for r in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}
    assert figures["1"]["caption"] == (
        "Figure 1. Rash on day 4 Confluent macular erythema of the trunk with islands of sparing, and oedema."
    )
    assert Box(*figures["1"]["bbox"]).iou(Box(160, 172, 310, 352)) >= 0.95, "the description is not in the figure"
    assert figures["2"]["caption"] == (
        "Figure 2 Petechiae Petechial rash on the forearm after the tourniquet test, seven days after onset."
    )
    assert Box(*figures["2"]["bbox"]).iou(Box(160, 192, 310, 372)) >= 0.95


def test_an_annex_figure_numbered_after_its_letter_gets_its_caption(tmp_path):
    # A WHO manual's annex numbers its figures "Figure A.8.1", "Figure A.8.2" (LaTeX appendices: "Figure A.1"), a
    # report's "Fig. B-2": the letter and a full stop or dash before the number read as no label, so each drawing
    # came out uncaptioned and its caption was left as text.
    canvas = Canvas(str(tmp_path / "annex.pdf"), pagesize=(612, 792))
    body_paragraph(canvas, 760)
    for bottom, label, title in (
        (440, "Figure A.8.1", "Cleaning the finger"),
        (190, "Fig. B-2:", "Labelling the slide"),
    ):
        canvas.drawImage(ImageReader(photo_pixels(len(title))), 200, bottom, 160, 180)
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(200, bottom - 14, label)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(200 + stringWidth(label, "Helvetica-Bold", 9) + 4, bottom - 14, title)
    canvas.save()
    run_extract([tmp_path / "annex.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = {r["label"]: r for r in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}
    assert set(figures) == {"A.8.1", "B-2"}
    assert figures["A.8.1"]["caption"] == "Figure A.8.1 Cleaning the finger"
    assert figures["B-2"]["caption"] == "Fig. B-2: Labelling the slide"
    assert Box(*figures["A.8.1"]["bbox"]).iou(Box(200, 172, 360, 352)) >= 0.95


def test_a_list_of_figures_in_the_contents_is_no_caption(tmp_path):
    # A pocket book's contents list its charts ("Chart 1: Stages in the management ... xxii") among the chapters; each
    # entry opens as a caption does, and the chapter's heading bar under it was taken for its figure.
    canvas = Canvas(str(tmp_path / "contents.pdf"), pagesize=(420, 600))
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(60, 540, "Contents")
    entries = [
        ("Preface", "xv"),
        ("Acknowledgements", "xviii"),
        ("Chart 1: Stages in the management of a sick child", "xxii"),
    ]
    entries += [(None, "1")] + [(f"1.{k} Assessment of emergency signs, part {k}", str(k + 1)) for k in range(1, 5)]
    for k, (entry, folio) in enumerate(entries):
        y = 500 - 14 * k
        if entry is None:  # the chapter's heading, white on a coloured bar
            canvas.setFillColorRGB(0.9, 0.1, 0.5)
            canvas.rect(58, y - 3, 304, 12, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            entry = "1. TRIAGE AND EMERGENCY CONDITIONS"
        canvas.setFont("Helvetica", 8)
        canvas.drawString(60, y, entry)
        canvas.drawRightString(360, y, folio)
        canvas.setFillColorRGB(0, 0, 0)
    canvas.showPage()
    caption = "Chart 1: Stages in the management of a sick child"
    figures = extracted_with_a_captioned_photo(canvas, tmp_path / "contents.pdf", 120, 300, caption)
    assert [(figure["page"], figure["label"]) for figure in figures] == [(2, "1")]


def _columns_of_text(canvas: Canvas, top: float, rows: list[list[str]], x0: float = 72) -> None:
    """Rows of 7 pt text in columns 12 pt apart (a gutter wider than a body size, closer than ink links)."""
    canvas.setFont("Helvetica", 7)
    for c in range(len(rows[0])):
        for r, row in enumerate(rows):
            canvas.drawString(x0, top - 9 * r, row[c])
        x0 += max(stringWidth(row[c], "Helvetica", 7) for row in rows) + 12


def test_text_in_columns_beyond_a_figure_is_its_own_unless_nearer_another_caption(tmp_path):
    """Page 1: criteria set in three columns under a picture, its caption above: one figure. Page 2: the same
    columns right under Figure 1's caption, and Figure 2's picture under them with its caption below: the text
    is nearer Figure 1's caption than Figure 2's picture, so it stays out of Figure 2."""
    path = tmp_path / "columns.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792))
    rows = [
        ["Probable dengue", "Warning signs", "Severe dengue"],
        ["Fever and two of:", "Abdominal pain", "Shock"],
        ["Nausea, vomiting", "Mucosal bleed", "Severe bleeding"],
    ]
    canvas.setFont("Helvetica", 10)
    for i in range(6):
        canvas.drawString(72, 740 - 12 * i, DENGUE_PARAGRAPH)
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(72, 650, "Figure 1. Suggested case classification")
    canvas.drawImage(ImageReader(photo_pixels(1)), 72, 500, 300, 140)
    _columns_of_text(canvas, 470, rows)
    canvas.showPage()
    canvas.drawImage(ImageReader(photo_pixels(2)), 72, 570, 300, 140)
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(72, 558, "Figure 1. Rash on the trunk.")
    _columns_of_text(canvas, 545, rows, x0=90)
    canvas.drawImage(ImageReader(photo_pixels(3)), 72, 360, 300, 140)
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(72, 348, "Figure 2. Petechiae on the forearm.")
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows_out = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    figures = {(r["page"], r["label"]): Box(*r["bbox"]) for r in rows_out}
    assert figures[1, "1"].bottom > 792 - 470 + 2 * 9, "the criteria, 20 pt under the picture, are part of the figure"
    assert figures[2, "2"].iou(Box(72, 792 - 500, 372, 792 - 360)) >= 0.95, "the columns under Figure 1 are not"


def _title_at_foot_then(path: Path, opening: list[str], size: float) -> str:
    """A two-page book: body text and a picture over the one-line caption "Figure 2 Scabies" (8 pt) at the foot
    of page 1; page 2 opens with the lines `opening` in `size` pt, then body text. Returns the caption read."""
    body = "The rash of scabies is intensely itchy and worse at night in most of the patients seen in clinic."
    canvas = Canvas(str(path), pagesize=(612, 792))
    for row in range(12):
        canvas.setFont("Times-Roman", 10)
        canvas.drawString(72, 720 - 13 * row, body)
    picture = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8))
    canvas.drawImage(ImageReader(picture), 72, 150, 400, 300)
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(72, 130, "Figure 2 Scabies")
    canvas.showPage()
    for row, line in enumerate(opening):
        canvas.setFont("Helvetica" if size < 10 else "Times-Roman", size)
        canvas.drawString(72, 720 - 1.2 * size * row, line)
    for row in range(12):
        canvas.setFont("Times-Roman", 10)
        canvas.drawString(72, 680 - 13 * row, body)
    canvas.save()
    dataset = path.with_suffix("")
    run_extract([path], dataset, ExtractConfig(dpi=72))
    (row,) = Dataset.open(dataset).read_table("figures").to_pylist()
    return row["caption"]


@pytest.mark.parametrize(
    ("opening", "size", "caption"),
    [
        (
            ["Scattered fine papules on the wrists", "and finger webs of a young man."],
            8.0,
            "Figure 2 Scabies Scattered fine papules on the wrists and finger webs of a young man.",
        ),
        (
            ["Treatment is permethrin cream applied to the whole body and washed off after twelve hours."],
            10.0,
            "Figure 2 Scabies",
        ),
        (
            ["Permethrin 5%    8-12 h    repeat in 7 days", "Ivermectin    200 ug/kg    repeat in 14 days"],
            8.0,
            "Figure 2 Scabies",
        ),
    ],
    ids=["description-in-caption-type", "body-text", "table-cells"],
)
def test_only_a_description_in_caption_type_goes_on_from_a_title_alone(tmp_path, opening, size, caption):
    """Body text opening the next page, or a table's cells in caption type (no sentence end), are not the
    description of a one-line caption at the foot of the page before."""
    assert _title_at_foot_then(tmp_path / "book.pdf", opening, size) == caption


def test_text_set_in_columns_is_told_from_a_note():
    """Criteria printed in three columns under a diagram are figure text; a two-line note under a figure is not."""
    criteria = [Box(106, 547, 156, 555), Box(211, 547, 256, 555), Box(337, 547, 405, 555), Box(106, 557, 204, 564)]
    note = [Box(106, 480, 440, 487), Box(106, 489, 300, 496)]
    assert _in_columns(criteria, 9.5) and not _in_columns(note, 9.5)


def test_text_in_a_column_the_figure_does_not_reach_is_not_its_legend():
    """AJGP layout: a chart over two of three columns, the authors' notes in the third, level with the chart."""
    chart, columns = Box(116, 478, 385, 658), [(228.7, 368.3), (400.5, 549.4)]
    notes, legend = Box(401, 492, 555, 607), Box(300, 480, 380, 500)
    assert _text_of_another_column(notes, chart, [], columns)
    assert not _text_of_another_column(legend, chart, [], columns), "inside the chart's own columns"
    marker = Graphic("path", Box(402, 495, 410, 503), None)
    assert not _text_of_another_column(notes, chart, [marker], columns), "a legend with its markers"


def test_a_caption_opening_a_page_is_claimed_only_after_a_picture_at_the_foot():
    """Page 2 ends with a picture and nothing under it; page 3 opens with a Figure caption at its text top."""
    foot = Graphic("image", Box(80, 500, 530, 740), None, (800, 420))
    line = TextLine("Figure 5.4 Chickenpox", Box(80, 80, 200, 88), 8.0, 0)
    caption = Caption("Figure", "Figure", "5.4", [line], line.box, line.text, 2.0, 10)
    opening = NextPage([line], 72.0, 792.0)
    for pictures_on_page_2, captions_above, claimed in (
        (True, False, True),
        (False, False, False),
        (True, True, False),
    ):
        style = DocumentStyle()
        if captions_above:
            figure_pages(style, 40, 9, 320.0)  # most captions have their drawing under them
        style.add_page(41, 792.0, [], [foot] if pictures_on_page_2 else [])
        assert claimed_by_previous(caption, opening, style, 42) is claimed
    style = DocumentStyle()
    style.add_page(41, 792.0, [], [foot])
    low = TextLine(line.text, Box(80, 300, 200, 308), 8.0, 0)  # room above it for the rest of a sliced picture
    low_caption = Caption("Figure", "Figure", "5.4", [low], low.box, low.text, 2.0, 10)
    assert not claimed_by_previous(low_caption, NextPage([low], 72.0, 792.0), style, 42)


def test_source_notes_are_told_from_figure_labels():
    notes = [
        "* Source: adapted from Yip (2) by chapter authors.",
        "Sources: WHO, 2008",
        "Reproduced with permission.",
        "Reproduced by kind permission of ESRI South Asia Pte Ltd, Singapore.",
    ]
    labels = ["Sources of infection", "Adapted schedule", "Source data by week", "Reproduced cases"]
    assert all(_SOURCE_NOTE.match(text) for text in notes)
    assert not any(_SOURCE_NOTE.match(text) for text in labels)


def _two_columns_with_a_table_caption_beside_a_figure(path: Path) -> Box:
    """Left column: two tables of text rows between rules, captions under them; right column: a picture and its
    caption, level with the first table caption (the S2ORC paper's page 5). Returns the picture's box."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    for number, top in ((3, 720), (4, 560)):
        pdf.line(72, top + 12, 270, top + 12)
        running_prose(pdf, 72, top, 6, per_line=11)  # table rows set like body text
        pdf.line(72, top - 68, 270, top - 68)
        pdf.drawString(72, top - 84, f"Table {number}: Statistics of the corpus, counted per source.")
    pixels = (np.random.default_rng(0).random((200, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 320, 560, 210, 180)
    pdf.drawString(320, 545, "Figure 2: Distribution of papers by field of study.")
    running_prose(pdf, 320, 510, 30, per_line=11)
    running_prose(pdf, 72, 440, 25, per_line=11)
    pdf.save()
    return Box(320, 792 - 740, 530, 792 - 560)


def test_maps_and_photographs_are_captioned_by_their_own_labels(tmp_path):
    # A WHO report labels its pictures "Map 3.1" and "Photograph 3.2", numbered apart from its figures: neither
    # word was a caption start, so the map and the photo came out uncaptioned. A body paragraph that opens with
    # "Image 2 shows" is no caption, and the sentence citing the map is the map's mention, not Figure 3.1's.
    rng = np.random.default_rng(5)
    pdf = Canvas(str(tmp_path / "report.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    caption_over_prose(pdf, (72, 742, "Map 3.1 Status of implementation units in the region"))
    pdf.drawImage(ImageReader(scatter_plot(rng)), 72, 560, 240, 170)
    pdf.drawImage(ImageReader(tissue_section(rng, 300, 200)), 72, 200, 210, 170)
    caption_over_prose(pdf, (72, 186, "Photograph 3.2 Participants of the workshop"))
    pdf.drawString(72, 500, "Image 2 shows the districts where the programme has begun in every")
    running_prose(pdf, 72, 488, 4, per_line=12)
    pdf.drawString(72, 430, "region, as the map shows. The districts are listed by year (see Map 3.1).")
    pdf.drawString(72, 418, "Figure 3.1 is printed on the next page.")
    pdf.save()
    run_extract([tmp_path / "report.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    found = {(r["label_prefix"], r["label"]): r for r in rows}
    assert set(found) == {("Map", "3.1"), ("Photograph", "3.2")}
    assert found["Map", "3.1"]["caption"] == "Map 3.1 Status of implementation units in the region"
    assert Box(*found["Map", "3.1"]["bbox"]).iou(Box(72, 62, 312, 232)) >= 0.95
    assert found["Photograph", "3.2"]["caption"] == "Photograph 3.2 Participants of the workshop"
    assert found["Map", "3.1"]["mentions"] == ["The districts are listed by year (see Map 3.1)."]


def test_a_table_caption_does_not_take_the_figure_beside_it(tmp_path):
    # The table caption's only region (its rows read as body text) is the picture across the gutter, but the
    # figure caption under that picture claims it more strongly.
    picture = _two_columns_with_a_table_caption_beside_a_figure(tmp_path / "columns.pdf")
    run_extract([tmp_path / "columns.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["caption"] == "Figure 2: Distribution of papers by field of study."
    assert Box(*figure["bbox"]).iou(picture) >= 0.95


def _hanging_caption_page(path: Path) -> None:
    """Clinical Science's caption style: the label hangs in the margin, the description rows start under the
    title's first word and are wider than the short title; one row comes out of pdfium in two pieces (its
    second half is drawn first, as where a glyph such as Å breaks the text run)."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pixels = (np.random.default_rng(3).random((200, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 100, 420, 400, 250)
    pdf.setFont("Times-Bold", 7.5)
    pdf.drawString(60, 405, "Figure 6  Binding of compound 33RE to N-domain ACE")
    hang = 60 + pdf.stringWidth("Figure 6  ", "Times-Bold", 7.5)
    pdf.setFont("Times-Roman", 7.5)
    split_row = "(B) Schematic diagram of potential hydrogen bonds (dashed lines, distances in A"
    pdf.drawString(hang + pdf.stringWidth(split_row, "Times-Roman", 7.5) + 8, 387, "where 1 A = 0.1 nm) and contacts.")
    pdf.drawString(
        hang, 396, "(A) Residues interacting with the compound are shown as sticks, hydrogen bonds as dashes."
    )
    pdf.drawString(hang, 387, split_row)
    pdf.drawString(hang, 378, "Both panels come from the same crystal structure.")
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 60, 350, 30, leading=11, per_line=12)
    pdf.save()


def test_a_hanging_label_caption_keeps_its_description_rows(tmp_path):
    path = tmp_path / "hanging.pdf"
    _hanging_caption_page(path)
    (caption,) = find_captions(read_page(pdfium.PdfDocument(path), 0), body_size=9.0)
    assert caption.text == (
        "Figure 6 Binding of compound 33RE to N-domain ACE (A) Residues interacting with the compound are shown as"
        " sticks, hydrogen bonds as dashes. (B) Schematic diagram of potential hydrogen bonds (dashed lines,"
        " distances in A where 1 A = 0.1 nm) and contacts. Both panels come from the same crystal structure."
    )


def test_a_paragraph_with_a_bold_run_in_heading_ends_the_caption(tmp_path):
    # J. Phys. Conf. Ser. style: a centred one-line caption, then a paragraph opening "Effect of ... We further",
    # its first row as wide as the column and centred like the caption.
    pdf = Canvas(str(tmp_path / "runin.pdf"), pagesize=(612, 792))
    pdf.rect(200, 560, 200, 120)
    label, title = "Figure 3. ", "Effect of the number of graph attention layers on the event test set."
    width = pdf.stringWidth(label, "Times-Bold", 11) + pdf.stringWidth(title, "Times-Roman", 11)
    pdf.setFont("Times-Bold", 11)
    pdf.drawString(305 - width / 2, 535, label)
    pdf.setFont("Times-Roman", 11)
    pdf.drawString(305 - width / 2 + pdf.stringWidth(label, "Times-Bold", 11), 535, title)
    heading = "Effect of the layers "
    pdf.setFont("Times-Bold", 11)
    pdf.drawString(85, 518, heading)
    words, text = "we further investigate the influence of the number of layers on the final result".split(), "We"
    start = 85 + pdf.stringWidth(heading, "Times-Bold", 11)
    while pdf.stringWidth(text, "Times-Roman", 11) < 525 - start - 30:
        text += " " + words[len(text.split()) % len(words)]
    pdf.setFont("Times-Roman", 11)
    pdf.drawString(start, 518, text)
    for i in range(20):  # the paragraph goes on in lower case, as papers_jpcs2 p. 10's does
        pdf.drawString(
            72, 505 - 13 * i, "the experimental results are shown in the figure above, with the score per layer."
        )
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "runin.pdf"), 0), body_size=11.0)
    assert caption.text == "Figure 3. Effect of the number of graph attention layers on the event test set."


def test_a_row_opening_in_bold_after_an_abbreviated_genus_goes_on_the_caption(tmp_path):
    # Blind print probe (Chromium, captions in a wide margin, Microbiology Figure 21.20): a row ends "... the skin by
    # B." and the next opens with the species, "anthracis", set in bold as a term. The stop after the genus's initial
    # was read as a sentence's end and the bold row as a run-in heading: the caption was cut there.
    pdf = Canvas(str(tmp_path / "genus.pdf"), pagesize=(612, 792))
    pdf.rect(54, 640, 240, 100)
    draw_words(pdf, 310, 734, [("Figure", "Helvetica-Bold"), ("21.20", "Helvetica-Bold")], 6)
    rows = (
        [(w, "Helvetica") for w in "(a) Cutaneous anthrax is an".split()],
        [(w, "Helvetica") for w in "infection of the skin by B.".split()],
        [("anthracis,", "Helvetica-Bold")] + [(w, "Helvetica") for w in "which produces".split()],
        [(w, "Helvetica") for w in "tissue-damaging exotoxins.".split()],
    )
    for k, row in enumerate(rows):
        draw_words(pdf, 310, 726 - 8 * k, row, 6)
    running_prose(pdf, 54, 620, 20, leading=11, per_line=12)
    pdf.save()
    (caption,) = _captions_on(tmp_path / "genus.pdf", 8.0)
    assert caption.text == " ".join(["Figure 21.20"] + [word for row in rows for word, _ in row])


def test_a_bold_name_on_a_row_of_its_own_inside_a_caption_s_sentence_goes_on_the_caption(tmp_path):
    """Probe 15 (calibre at A6, Microbiology Figure 15.2): "... caused by the protozoan pathogen" / "Plasmodium
    falciparum", the species in bold italics on a row of its own on the narrow page / "(shown here) and several other
    ...". The bold row under a row in regular type was taken for a heading on a row of its own and the caption was cut
    there. A heading does not go on in lower case on the row set under it."""
    pdf = Canvas(str(tmp_path / "species.pdf"), pagesize=(298, 420))
    pdf.rect(40, 300, 200, 100)
    draw_words(pdf, 40, 282, [("Figure", "Helvetica-Bold"), ("15.2", "Helvetica-Bold")], 11)
    rows = (
        [(w, "Times-Roman") for w in "zoonotic disease caused by the".split()],
        [(w, "Times-Roman") for w in "protozoan pathogen".split()],
        [(w, "Times-BoldItalic") for w in "Plasmodium falciparum".split()],
        [(w, "Times-Roman") for w in "(shown here) and several other".split()],
        [(w, "Times-Roman") for w in "species of the genus.".split()],
    )
    for k, row in enumerate(rows):
        draw_words(pdf, 40, 268 - 14.3 * k, row, 11)
    pdf.setFont("Times-Roman", 15)
    running_prose(pdf, 40, 170, 8, leading=19, per_line=4)
    pdf.save()
    (caption,) = _captions_on(tmp_path / "species.pdf", 15.0)
    assert caption.text == " ".join(["Figure 15.2"] + [word for row in rows for word, _ in row])


def test_a_body_size_row_hung_solid_under_a_larger_caption_row_goes_on_the_caption(tmp_path):
    # WHO 1460 A.8.7: a 12 pt bold caption row, its second row in the 10 pt body type hung under the title's text
    # 1.6 pt below; the paragraph after it starts at the margin, 4 pt under it.
    pdf = Canvas(str(tmp_path / "hung.pdf"), pagesize=(595, 842))
    pdf.rect(72, 440, 400, 300)
    label, title = "Figure A.8.7 ", "A pathogenic microfilaria length: 250-300 um; thickness 6-8 um"
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(72, 420, label + title)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(
        72 + pdf.stringWidth(label, "Helvetica-Bold", 12), 408.4, "(diameter of an erythrocyte). e.g. Loa loa."
    )
    pdf.setFont("Helvetica", 10)
    for i in range(6):
        pdf.drawString(72, 394 - 12 * i, "The nuclei of the cells which fill the body are usually darkly stained here.")
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "hung.pdf"), 0), body_size=10.0)
    assert caption.text == label + title + " (diameter of an erythrocyte). e.g. Loa loa."


def test_a_label_wrapped_to_a_caption_row_s_start_is_a_mention_not_the_next_caption(tmp_path):
    # BMC Evol Biol Figure 1: "... correspond to PL numbers in" fills the row and "Table 1. Squares correspond ..."
    # opens the next; a bold label under a caption's last sentence still starts the next caption.
    pdf = Canvas(str(tmp_path / "mention.pdf"), pagesize=(595, 842))
    pdf.rect(63, 500, 470, 280)
    label = "Figure 1 "
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(63, 488, label)
    pdf.setFont("Helvetica", 8)
    first = (
        "A map of the source areas for the lion samples analysed in this study. Numbers in circles are PL numbers in"
    )
    pdf.drawString(63 + pdf.stringWidth(label, "Helvetica-Bold", 8), 488, first)
    second = "Table 1. Squares correspond to sequences available on Genbank and shown in Additional file 3 and in a map"
    second += " of the"
    pdf.drawString(63, 478, second)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(63, 468, "Figure 2 ")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(63 + pdf.stringWidth("Figure 2 ", "Helvetica-Bold", 8), 468, "Lion sequence data.")
    pdf.save()
    captions = find_captions(read_page(pdfium.PdfDocument(tmp_path / "mention.pdf"), 0), body_size=9.8)
    assert [(c.type, c.label, c.text) for c in captions] == [
        ("Figure", "1", label + first + " " + second),
        ("Figure", "2", "Figure 2 Lion sequence data."),
    ]


def test_a_label_with_a_full_stop_wrapped_to_a_paragraph_line_s_start_is_a_mention(tmp_path):
    """VLDB 2004 (crash sweep, science-parse a43ea3058b p. 8): in a paragraph, "... This procedure corresponded to
    step" then "Figure 5. The relatively small size of the good seed set ..." on the next line at the text's leading.
    The full stop after the label outweighed the sentence going on from the line above: a caption was read inside
    the paragraph, and the footnotes beside it came out as its figure."""
    pdf = Canvas(str(tmp_path / "mention.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    rows = (
        "Out of the remaining 7,900 sites, we manually evaluated",
        "the top 1,250 (seed set S) and selected 178 sites to be used",
        "as good seeds. This procedure corresponded to step (2) of",
        "Figure 5. The relatively small size of the good seed set S+",
        "is due to the extremely rigorous selection criteria that we",
        "adopted: not only did we make sure that the sites were not",
    )
    for k, row in enumerate(rows):
        pdf.drawString(317, 792 - 656 - 11.5 * k, row)
    pdf.save()
    assert find_captions(read_page(pdfium.PdfDocument(tmp_path / "mention.pdf"), 0), body_size=10.0) == []


def test_a_paragraph_opening_with_a_label_wrapped_alone_to_its_first_row_cites_the_figure(tmp_path):
    """Blind probe 15 (calibre at A6, Microbiology): on a page 8-10 words wide, a paragraph opening "Figure 19.11
    summarizes the mechanisms ..." wraps the label alone onto its first row. A label alone on its row scored as a
    caption's ("FIGURE 5.2" over its text), and the paragraph took a figure, its label twice. The sentence goes on
    in the row under it; a caption's text opens with a capital or a panel's letter."""
    pdf = Canvas(str(tmp_path / "cites.pdf"), pagesize=(298, 420))
    pdf.setFont("Times-Roman", 15)
    rows = ("Figure 19.11", "summarizes the", "mechanisms and effects", "of each type of", "hypersensitivity.")
    for k, row in enumerate(rows):
        pdf.drawString(77, 330 - 19.5 * k, row)
    pdf.setFont("Times-Roman", 11.3)
    rows = ("Figure 19.12", "(a) plaques on the arm and", "(b) the same plaques healed.")
    for k, row in enumerate(rows):
        pdf.drawString(77, 200 - 14.5 * k, row)
    pdf.save()
    assert [c.label for c in _captions_on(tmp_path / "cites.pdf", 15.0)] == ["19.12"]


def test_a_paragraph_opening_with_a_label_and_a_bracketed_panel_letter_cites_the_figure(tmp_path):
    """A thesis (crash sweep, norma ffc823b186 p. 94) and a report (96e17fe9f5 p. 12): paragraphs opening "Figure
    4.16(a) shows the values of ..." and "Figure 6(c) shows that for ...". The bracketed letter hid the sentence
    going on after the label, and each paragraph was read as a caption (and took a false figure)."""
    pdf = Canvas(str(tmp_path / "cites.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 11)
    running_prose(pdf, 86, 842 - 100, 8, leading=14, per_line=12)
    pdf.drawString(86, 842 - 230, "Figure 4.16(a) shows the values of I obtained for p = 2 and five different")
    running_prose(pdf, 86, 842 - 244, 4, leading=14, per_line=12)
    pdf.drawString(86, 842 - 320, "Figure 6(c) shows that for the re-admission data the funnel is independent")
    running_prose(pdf, 86, 842 - 334, 4, leading=14, per_line=12)
    pdf.save()
    assert find_captions(read_page(pdfium.PdfDocument(tmp_path / "cites.pdf"), 0), body_size=11.0) == []


def test_bracketed_letters_after_a_label_open_a_caption_or_a_sentence_by_the_word_after_them(tmp_path):
    """OpenStax *Microbiology* printed by LibreOffice (probe 16, Figure 22.21): the caption "Figure 22.21 (a) and (b)
    The characteristic appearance ..." in the body's size. The "and" after the first letter was read as the sentence
    going on ("Figure 3 shows ..."), the caption was not found and its photographs came out uncaptioned. After the
    whole list of letters, a capital opens the caption's text; a word in lower case goes on a sentence."""
    pdf = Canvas(str(tmp_path / "letters.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 11)
    running_prose(pdf, 86, 842 - 100, 6, leading=14, per_line=12)
    pdf.setFont("Times-Italic", 11)
    pdf.drawString(86, 842 - 200, "Figure 22.21 (a) and (b) The characteristic appearance of the pustular rash.")
    pdf.drawString(86, 842 - 214, "(c) This transmission electron micrograph shows a virion of the virus.")
    pdf.setFont("Times-Roman", 11)
    pdf.drawString(86, 842 - 240, "Figure 5(a), (b) and (c) show the values of I obtained for p = 2 and five")
    running_prose(pdf, 86, 842 - 254, 4, leading=14, per_line=12)
    pdf.save()
    captions = _captions_on(tmp_path / "letters.pdf", 11.0)
    assert [(c.label, c.text.endswith("a virion of the virus.")) for c in captions] == [("22.21", True)]


def test_a_table_under_its_caption_is_not_text_of_the_figure_below_it(tmp_path):
    # Clinical Science page 2: a table across the page (caption, page-wide rules, rows in columns) and right under
    # it, in the right column, a small picture whose caption is under it.
    pdf = Canvas(str(tmp_path / "table.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Bold", 7.5)
    pdf.drawString(57, 705, "Table 1  A summary of relevant substrates and inhibitors")
    pdf.line(57, 700, 536, 700)
    pdf.setFont("Times-Roman", 7.5)
    for row in range(6):
        x = 65.0  # indented from the caption: not its description
        for column in range(7):  # cells a gutter apart: lines of their own, one block of ink
            cell = f"row {row} col {column} value"
            pdf.drawString(x, 688 - 11 * row, cell)
            x += pdf.stringWidth(cell, "Times-Roman", 7.5) + 12.5
    pdf.line(57, 620, 536, 620)
    pixels = (np.random.default_rng(4).random((100, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 350, 540, 140, 70)
    pdf.setFont("Times-Bold", 7.5)
    pdf.drawString(306, 525, "Figure 1  Structure of the compound")
    pdf.setFont("Times-Roman", 9)
    for column, top in ((57, 600), (306, 505)):
        running_prose(pdf, column, top, 40, leading=11)
    figure = only_figure(pdf, tmp_path / "table.pdf", tmp_path)
    assert figure["caption"] == "Figure 1 Structure of the compound"
    assert Box(*figure["bbox"]).iou(Box(350, 792 - 610, 490, 792 - 540)) >= 0.95


def test_a_wide_table_caption_leaves_the_chart_below_it_to_its_figure_caption(tmp_path):
    # ICML 2013 (allenzhu13 page 8): a table across the top, its wide caption under it, and right under that
    # caption, in the right column, a chart with its own figure caption; tables are searched below first.
    pdf = Canvas(str(tmp_path / "wide.pdf"), pagesize=(612, 792))
    ruled_table(pdf, 80, 513, 730, 4)  # drawn cell rules: the table caption has a region above too
    pdf.setFont("Times-Italic", 9)
    pdf.drawString(
        56,
        665,
        "Table 1. Clustering results on the zipcode data set. We report the precision and the recall of each method.",
    )
    pixels = (np.random.default_rng(8).random((120, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 310, 555, 228, 95)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(308, 528, "Figure 2. Experimental result on the synthetic data.")  # further than the table caption
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 500, 35)  # the left column starts lower: the table caption has room below it
    running_prose(pdf, 308, 500, 35)
    figure = only_figure(pdf, tmp_path / "wide.pdf", tmp_path)
    assert figure["caption"] == "Figure 2. Experimental result on the synthetic data."
    assert Box(*figure["bbox"]).iou(Box(310, 792 - 650, 538, 792 - 555)) >= 0.95


def test_a_headline_and_lead_printed_on_a_tinted_card_under_a_photograph_are_its_caption(tmp_path):
    # WHO NTD newsletters (held-out 19) p1: a cover photograph bleeding off both edges, under it a grey card with
    # rounded corners bearing a bold headline and the lead paragraph in body type that describe the photograph. No
    # label, the lead in body type: the photograph came out uncaptioned.
    path = tmp_path / "card.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    photo = images.skin_photo(np.random.default_rng(19), 600, 420)
    pdf.drawImage(ImageReader(photo), 0, 842 - 588, 595, 416)
    pdf.setFillColorRGB(0.9, 0.9, 0.9)
    pdf.roundRect(0, 842 - 727, 595, 131, 8, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(24, 842 - 620, "Kiribati has eliminated lymphatic filariasis")
    pdf.setFont("Helvetica", 11)
    lead = ["After over a decade of efforts, Kiribati has eliminated lymphatic filariasis as a public",
            "health problem, and its minister was congratulated for this historical achievement",
            "during the session of the Regional Committee in Manila, Philippines."]  # fmt: skip
    for row, text in enumerate(lead):
        pdf.drawString(24, 842 - 642 - 14 * row, text)
    pdf.setFont("Helvetica", 10)
    for row, text in enumerate(("Malaria and Neglected Tropical Diseases", "Western Pacific Regional Office")):
        pdf.drawString(200, 842 - 770 - 16 * row, text)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == " ".join(["Kiribati has eliminated lymphatic filariasis", *lead]), figure["caption"]


@pytest.mark.parametrize("caption_indent", [0, 12])
def test_a_caption_in_the_body_type_ends_with_its_paragraph(tmp_path, caption_indent):
    # E-book style: the caption set like the body (10 pt Times), paragraphs indented 12 pt with no space
    # between them; the caption's first line indented like a paragraph's, or not.
    body = (
        "The skin is the largest organ of the body and protects it from the environment, and lesions are "
        "described by their morphology and distribution."
    ).split()
    caption = (
        "Figure 2.1 Scabies on the wrist. Scattered fine papules and burrows between the fingers and on the "
        "flexor surface of the wrist, with excoriations from scratching."
    )
    pdf = Canvas(str(tmp_path / "body-type.pdf"), pagesize=(420, 595))
    top = wrapped_lines(pdf, body * 2, 40, 550, 340, 12)
    pdf.drawImage(ImageReader(photo_pixels(5)), 80, top - 200, 260, 195)
    top = wrapped_lines(pdf, caption.split(), 40, top - 215, 340, caption_indent, bold=2)
    wrapped_lines(pdf, body * 3, 40, top, 340, 12)
    pdf.save()
    (found,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "body-type.pdf"), 0), body_size=10.0)
    assert found.text == caption


def test_a_figure_floated_beside_the_last_lines_of_text_keeps_its_caption(tmp_path):
    # The last page of a browser-printed chapter: a figure floated right at the top, the three last lines of a
    # paragraph wrapped beside it, nothing else. Its caption is wider than half that text, so the search ran over
    # the whole text width and stopped at the wrapped lines; the picture came out uncaptioned.
    pdf = Canvas(str(tmp_path / "float.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(7)), 331, 596, 225, 168)
    pdf.setFont("Times-Roman", 11)
    for i, text in enumerate(
        [
            "protects against injury, infection and loss of water, and its",
            "lesions are described by morphology, colour, distribution",
            "and arrangement.",
        ]
    ):
        pdf.drawString(56, 754 - 13 * i, text)
    pdf.setFont("Times-Roman", 9.35)
    pdf.drawString(331, 584, "Figure 4.10 Vitiligo. Typical lesions of vitiligo on the trunk")
    pdf.drawString(331, 573, "and limbs of an adult patient, photographed in daylight.")
    figure = only_figure(pdf, tmp_path / "float.pdf", tmp_path)
    assert figure["label"] == "4.10" and Box(*figure["bbox"]).iou(Box(331, 28, 556, 196)) >= 0.95


def test_figures_side_by_side_whose_captions_start_at_different_lines_keep_apart(tmp_path):
    # Two charts in a row, the left one taller: its caption starts two lines below its neighbour's, the two
    # captions level with each other after that (PAIN 2014 Figures 5 and 6). The right caption's search took
    # both pictures, the left caption none: row neighbours were only captions starting on the same line.
    pdf = Canvas(str(tmp_path / "row.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(scatter_plot(np.random.default_rng(5))), 56, 420, 200, 230)
    pdf.drawImage(ImageReader(scatter_plot(np.random.default_rng(6))), 320, 450, 236, 200)
    pdf.setFont("Times-Roman", 8)
    left = [
        "Fig. 5. Density of contacts from labelled boutons on projection",
        "neurons, with and without the",
        "receptor. Density is expressed per 1000 square microns of the",
        "combined somatic and dendritic area.",
    ]
    right = [
        "Fig. 6. Sholl analysis of the contact densities of labelled",
        "boutons on dendrites of projection neurons.",
        "The mean densities are plotted for shells 20 microns apart,",
        "centred on the soma, for each cell type.",
        "Density falls with distance from the soma in both types.",
    ]
    for i, text in enumerate(left):
        pdf.drawString(56, 408 - 10 * i, text)
    for i, text in enumerate(right):
        pdf.drawString(320, 438 - 10 * i, text)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 330, 20, per_line=16)
    pdf.save()
    run_extract([tmp_path / "row.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert Box(*figures["5"]["bbox"]).iou(Box(56, 142, 256, 372)) >= 0.9
    assert Box(*figures["6"]["bbox"]).iou(Box(320, 142, 556, 342)) >= 0.9


def test_a_note_after_a_blank_line_is_not_the_description_of_a_caption_that_has_one(tmp_path):
    # PLOS: a bold title over one and a half rows, the description after it in the same row, then a blank line and
    # the figure's doi in the caption's size. A bold head of several rows may take its description after a blank
    # line (a margin caption's label, title, description), but this caption's second row had turned regular.
    pdf = Canvas(str(tmp_path / "doi.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(4)), 197, 580, 222, 140)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(197, 560, "Fig. 1. Images of the holotype in (a) lateral, (b) dorsal,")
    pdf.drawString(197, 550, "and (c) ventral view.")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(
        197 + pdf.stringWidth("and (c) ventral view. ", "Helvetica-Bold", 8),
        550,
        "Views of the foot (d) are also presented.",
    )
    pdf.drawString(197, 532, "doi:10.1371/journal.pone.0115884.g001")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 197, 500, 20, per_line=9)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "doi.pdf"), 0), body_size=10.0)
    assert caption.text.endswith("Views of the foot (d) are also presented.")


def _photos_with_captions(
    path: Path,
    pagesize: tuple[float, float],
    prose: list[tuple[float, float, int, int]],
    photos: list[tuple[float, float, float, float]],
    captions: list[tuple[float, float, str]],
    caption_size: float,
) -> dict[str | None, dict]:
    """Extract a page of 10 pt prose (x, top, lines, words per line), photos (x, y, width, height) and caption lines
    (x, baseline, text) in `caption_size`: its figure rows by label."""
    pdf = Canvas(str(path), pagesize=pagesize)
    pdf.setFont("Times-Roman", 10)
    for x, top, lines, per_line in prose:
        running_prose(pdf, x, top, lines, per_line=per_line)
    for seed, (x, y, width, height) in enumerate(photos):
        pdf.drawImage(ImageReader(photo_pixels(seed)), x, y, width, height)
    pdf.setFont("Times-Roman", caption_size)
    for caption in captions:
        pdf.drawString(*caption)
    pdf.save()
    run_extract([path], path.parent / "ds", ExtractConfig(dpi=72))
    return by_label(Dataset.open(path.parent / "ds").read_table("figures").to_pylist())


def test_photos_side_by_side_wider_than_their_captions_row_each_get_their_caption(tmp_path):
    # A handbook's row of two photos, each captioned flush left over itself with the two captions on one line
    # ("Figure 18. Rice field    Figure 19. Rain-filled rut", WHO 2013 entomology handbook), the photos reaching
    # left of their captions and nearly touching: the left caption's search ended at the right caption's start,
    # cut through the right photo there and found nothing, and both photos came out uncaptioned.
    figures = _photos_with_captions(
        tmp_path / "row.pdf",
        (567, 737),
        prose=[(113, 690, 24, 11)],
        photos=[(69, 170, 213, 150), (285, 170, 213, 150)],
        captions=[(114, 335, "Figure 18. Rice field"), (328, 335, "Figure 19. Rain-filled rut")],
        caption_size=8,
    )
    assert Box(*figures["18"]["bbox"]).iou(Box(69, 417, 282, 567)) >= 0.9
    assert Box(*figures["19"]["bbox"]).iou(Box(285, 417, 498, 567)) >= 0.9


# A LaTeX book's grid of pictures two to a row, each captioned under itself (held-out set 6, the bookdown lab
# manual): pictures of unequal height put the captions of one row at different heights, not level with each other.
# (prose, photos, caption lines, truth boxes by label); captions over half as wide as the body text, so each
# caption's search starts over the whole width.
_ROWS_WITH_CAPTIONS_AT_TWO_HEIGHTS = {
    # Figures 9.3 and 9.5: the left picture is shorter, its two-line caption stands higher than the right one. The
    # left caption's search over the text width ran across the column gap, took the right picture too (it ends
    # just under the left caption's top) and left the right caption without a figure.
    "left caption higher": (
        [(72, 700, 8, 22), (72, 370, 8, 22)],
        [(106, 456, 161, 98), (345, 438, 161, 120)],
        [
            (72, 437, "Figure 9.3: Stratified squamous epithelium (human"),
            (72, 425, "epidermis)."),
            (311, 419, "Figure 9.5: Simple columnar epithelium (amphib-"),
            (311, 407, "ian)."),
        ],
        {"9.3": Box(106, 238, 267, 336), "9.5": Box(345, 234, 506, 354)},
    ),
    # Figures 3.7 and 3.8: the right picture is shorter, its caption stands level with the left picture, which
    # reaches right past the end of its own short caption. Bounded at that caption's end, the right caption's
    # search cut through the left picture and found nothing (the body text fills the left column only: the
    # caption, over half its width, has no picture beside it to fall back on).
    "right caption higher": (
        [(72, 480, 12, 10)],
        [(106, 557, 161, 163), (345, 590, 161, 121)],
        [(72, 539, "Figure 3.7: Life cycle of liverworts."), (311, 571, "Figure 3.8: Thallus of Marchantia.")],
        {"3.7": Box(106, 72, 267, 235), "3.8": Box(345, 81, 506, 202)},
    ),
}


@pytest.mark.parametrize("layout", _ROWS_WITH_CAPTIONS_AT_TWO_HEIGHTS)
def test_pictures_side_by_side_with_captions_at_different_heights_each_get_their_caption(tmp_path, layout):
    prose, photos, captions, truth = _ROWS_WITH_CAPTIONS_AT_TWO_HEIGHTS[layout]
    figures = _photos_with_captions(tmp_path / "grid.pdf", (612, 792), prose, photos, captions, caption_size=10)
    assert figures.keys() == truth.keys()
    for label, box in truth.items():
        assert Box(*figures[label]["bbox"]).iou(box) >= 0.9, label
        assert figures[label]["caption"].startswith(f"Figure {label}:")


def test_a_caption_in_its_own_type_level_with_wrapped_body_text_is_a_caption(tmp_path):
    # A photo in the right part of the column, body text wrapped on its left, and the caption over the photo on a
    # body line's row, right under a body line that does not end a sentence ("... all genera  Figure 35 Light
    # trap", WHO 2013 entomology handbook): with no full stop after its label and no blank line over it, it read
    # as a sentence going on from the line above and scored 0; set in 8 pt under 10 pt text, it starts a block.
    pdf = Canvas(str(tmp_path / "wrapped.pdf"), pagesize=(567, 737))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 113, 640, 2, per_line=11)
    running_prose(pdf, 113, 616, 12, per_line=5)
    pdf.drawImage(ImageReader(photo_pixels(9)), 317, 400, 137, 200)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(317, 617, "Figure 35 Light trap")
    pdf.save()
    captions = {c.label: c.text for c in _captions_on(tmp_path / "wrapped.pdf", 10.0)}
    assert captions == {"35": "Figure 35 Light trap"}


_CARD_DESCRIPTIONS = (
    ("The legs and feet of two villagers, both with swelling", "of the left leg"),
    ("A mother and her young son sit with", "another woman from the same village"),
    ("Lymphoedema of the arm",),
)


def _cards_page(path: Path) -> list[Box]:
    """Held-out set 4's learner's guide: a row of three photos, each on a black card that touches the next, a white
    "Figure N" label on the card under its photo, the description under the card in 8 pt (the first one's first
    line ends 16 pt before the next description starts), an orange band behind the row, a thumb tab down the right
    edge whose numeral pdfium reads into the line of the label drawn after it. Returns the photos' boxes."""
    pdf = Canvas(str(path), pagesize=(765, 567))
    pdf.setFillColorRGB(0.9, 0.75, 0.58)
    pdf.rect(646, 0, 119, 567, stroke=0, fill=1)
    pdf.setFillColorRGB(1.0, 0.8, 0.44)
    pdf.rect(0, 213, 646, 212, stroke=0, fill=1)
    photos = []
    for k, lines in enumerate(_CARD_DESCRIPTIONS):
        x = 42 + 200 * k
        pdf.setFillColorRGB(0.14, 0.12, 0.13)
        pdf.rect(x, 238, 200, 187, stroke=0, fill=1)
        pdf.drawImage(ImageReader(photo_pixels(20 + k)), x, 255, 183, 170)
        photos.append(Box(x, 567 - 425, x + 183, 567 - 255))
        pdf.setFillColorRGB(1, 1, 1)
        if k == 1:
            tab_numeral_then(pdf, "Figure 2", x + 6, 242)
        else:
            pdf.setFont("Helvetica-Bold", 12)
            pdf.drawString(x + 6, 242, f"Figure {k + 1}")
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", 8)
        for row, line in enumerate(lines):
            pdf.drawString(x + 5, 228 - 9 * row, line)
    pdf.setFont("Helvetica", 11)
    for i in range(6):
        pdf.drawString(
            72, 180 - 14 * i, "Wash the leg every day with soap and clean water, and dry it with a soft cloth."
        )
    pdf.save()
    return photos


def test_a_label_alone_in_its_own_type_keeps_its_description_in_smaller_type(tmp_path):
    # The white "Figure 1" in 12 pt bold on the card, the description in 8 pt under it: the change of size ended the
    # caption at its label. Rows of the description beside the neighbour's (16 pt apart, over 1.5 of the description's
    # size but under 1.5 of the label's) are not one row either.
    _cards_page(tmp_path / "cards.pdf")
    captions = {c.label: c.text for c in _captions_on(tmp_path / "cards.pdf", 11.0)}
    assert captions == {str(k + 1): " ".join((f"Figure {k + 1}", *lines)) for k, lines in enumerate(_CARD_DESCRIPTIONS)}


@pytest.mark.parametrize("heading_size", [9.0, 14.0])
def test_a_label_alone_keeps_no_heading_in_larger_type_under_it(tmp_path, heading_size):
    # OpenStax Microbiology 2.30 and 11.17 (wkhtmltopdf, calibre): a figure printed without a caption sets its label
    # alone in 7 pt over 8 pt body text, and the next section's bold heading opens two of its sizes under the label.
    # A change of size to a smaller type is a description (the cards above); to a larger one, the next heading.
    pdf = Canvas(str(tmp_path / "label.pdf"), pagesize=(420, 595))
    draw_words(pdf, 14, 410, [("Figure 2.30", "Helvetica-Bold")], 7)
    heading = 410 - 2 * heading_size
    draw_words(pdf, 14, heading, [(w, "Helvetica-Bold") for w in ("Fill", "in", "the", "Blank")], heading_size)
    for k in range(3):
        draw_words(pdf, 14, heading - 2 * heading_size - 10 * k, [(w, "Helvetica") for w in PROSE_WORDS[:12]], 8)
    pdf.save()
    captions = [c.text for c in _captions_on(tmp_path / "label.pdf", 8.0)]
    assert captions == ["Figure 2.30"]


def test_a_superscript_right_of_a_label_alone_goes_with_the_caption_row_it_is_printed_in(tmp_path):
    # Blind probe 14 (wkhtmltopdf, Microbiology Figure 9.8): "Figure 9.8" alone on its first row, the description's
    # rows under it across the measure, and "0.04 mm²" with its "2" in smaller type near the right edge, a line of its
    # own as read. The "2" lay beside the label's row, so it was dropped as another column's text: "0.04 mm , then".
    pdf = Canvas(str(tmp_path / "script.pdf"), pagesize=(420, 595))
    draw_words(pdf, 14, 300, [("Figure 9.8", "Helvetica-Bold")], 8)
    rows = (
        "(b) The enlarged view shows the square within which the bacteria (red cells) are counted. If the",
        "coverslip is 0.2 mm above the grid and the square has an area of 0.04 mm^2, then the volume is",
    )
    for k, row in enumerate(rows):
        x, baseline = 14.0, 290 - 10 * k
        for n, piece in enumerate(row.split("^")):
            # glyph by glyph, as a browser prints: the text layer then holds the superscript as a piece of its own
            glyphs = [(piece[0], 6.3, 3.6)] * bool(n) + [(glyph, 8, 0) for glyph in piece[n:]]
            for glyph, size, rise in glyphs:
                pdf.setFont("Helvetica", size)
                pdf.drawString(x, baseline + rise, glyph)
                x += stringWidth(glyph, "Helvetica", size)
    running_prose(pdf, 14, 250, 6, leading=11, per_line=12)
    pdf.save()
    (caption,) = _captions_on(tmp_path / "script.pdf", 9.0)
    assert normalise_for_match(caption.text) == normalise_for_match(" ".join(("Figure 9.8", *rows)))


def test_pictures_on_touching_dark_cards_over_a_band_take_the_labels_on_their_cards(tmp_path):
    # Each label lies on its picture's card, and the cards touch each other over a band: the cards' and the band's
    # flat colour joined every picture into one group of ink, and the labels' search spans cut through the
    # neighbouring pictures; the pictures came out uncaptioned, or as one box with the band taking a caption. A
    # caption on a card finds its figure on that card, and a flat colour behind pictures and captions is no ink.
    photos = _cards_page(tmp_path / "cards.pdf")
    run_extract([tmp_path / "cards.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert sorted(figures) == ["1", "2", "3"]
    for k, (photo, lines) in enumerate(zip(photos, _CARD_DESCRIPTIONS, strict=True)):
        figure = figures[str(k + 1)]
        assert Box(*figure["bbox"]).iou(photo) >= 0.95, (k, figure["bbox"])
        assert figure["caption"] == " ".join((f"Figure {k + 1}", *lines))


@pytest.mark.parametrize(
    ("link_line", "caption_ends_with_it"),
    [
        ("DOI: 10.1371/journal.ppat.0020092.g002", False),
        ("https://doi.org/10.1371/journal.pone.0197919.g008", False),
        # A link that the caption's sentence leads to is part of the caption.
        ("https://www.who.int/lymphatic_filariasis/en/", True),
    ],
)
def test_a_link_line_after_the_captions_last_sentence_is_not_caption_text(tmp_path, link_line, caption_ends_with_it):
    # PLoS prints each figure's DOI on a line of its own under the caption, in the caption's type and flush with it
    # (PLoS Pathogens 2006 "DOI: 10.1371/journal.ppat.0020092.g002", PLOS ONE 2018 "https://doi.org/..."): it was
    # taken as the caption's last row. Where the last row leads to the link ("Available at:"), the link stays.
    lead = "(paired t-test)." if not caption_ends_with_it else "(map data available at:"
    pdf = Canvas(str(tmp_path / "link.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(3)), 72, 500, 240, 180)
    pdf.setFont("Times-Bold", 8)
    pdf.drawString(72, 480, "Figure 2. The Effect of Doxycycline Treatment on the Lymphatic Vessel Dilation")
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(72, 470, "The dilation was determined before treatment and 24 mo thereafter, using USG.")
    pdf.drawString(72, 460, lead)
    pdf.drawString(72, 450, link_line)
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 72, 420, 6, leading=11, per_line=12)
    pdf.save()
    (caption,) = _captions_on(tmp_path / "link.pdf", 9.0)
    assert caption.text.endswith(link_line if caption_ends_with_it else lead)


def test_a_long_caption_under_a_full_page_figure_is_not_the_pages_body_text(tmp_path):
    # A page holding only a figure wider than its caption and a caption of ten lines in 8 pt, in a book set in 10 pt:
    # the caption's lines are the only paragraph lines of the page, and taken for its body text they made the text
    # area the caption's width, which cut the search for the figure through the picture (no figure at all).
    path = tmp_path / "plate.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792))
    canvas.setFont("Times-Roman", 10)
    running_prose(canvas, 72, 720, 50, leading=12, per_line=14)  # the book's body text
    canvas.showPage()
    canvas.drawImage(ImageReader(photo_pixels(12)), 40, 300, 532, 420)
    canvas.setFont("Times-Bold", 8)
    canvas.drawString(120, 285, "Figure 4. Stages of lymphoedema in the patients of this study.")
    canvas.setFont("Times-Roman", 8)
    running_prose(canvas, 120, 275, 9, leading=10, per_line=14)
    canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(r["page"], r["label"]) for r in rows] == [(2, "4")]
    assert Box(*rows[0]["bbox"]).iou(Box(40, 792 - 720, 572, 792 - 300)) >= 0.95


def test_a_caption_of_the_label_alone_beside_a_centred_picture_is_its_caption(tmp_path):
    """Held-out set 6, class 18 (a Prince e-book export): "Figure 2.2" alone, flush left under a centred graph, more
    than six body sizes to the left of it. Above or below its caption, a figure lies in the caption's column already;
    its distance is the white space between them, not the caption's offset to the side."""
    path = tmp_path / "label.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 740, 4, per_line=15)
    pdf.drawImage(ImageReader(photo_pixels(7)), 236, 500, 200, 190)
    pdf.setFont("Times-Roman", 7)
    pdf.drawString(72, 490, "Figure 2.2")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 470, 4, per_line=15)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["label"] == "2.2" and figure["caption"] == "Figure 2.2"
    assert Box(*figure["bbox"]).iou(Box(236, 792 - 690, 436, 792 - 500)) > 0.95


def test_a_centred_caption_row_all_but_as_wide_as_the_one_over_it_goes_on_with_the_caption(tmp_path):
    """Held-out set 6 (physics 5.5.1): an italic caption in the body's type, centred under its picture; its first row
    ends a sentence and the second, centred, is indented half a font size or so on both sides. Indented and running
    nearly to the right edge, it read as the next paragraph's first line and the caption lost it."""
    path = tmp_path / "centred.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 740, 4, per_line=15)
    pdf.drawImage(ImageReader(photo_pixels(3)), 206, 500, 200, 190)
    first = "Figure 4.1: The rash of the trunk and limbs, with papules, vesicles and crusts of different ages."
    second = "Also note that some of the lesions on the back are excoriated, and that the face is left clear."
    pdf.setFont("Times-Italic", 10)
    pdf.drawCentredString(306, 486, first)
    pdf.drawCentredString(306, 474, second)  # 7 pt in from the first row's ends
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(87, 456, " ".join(PROSE_WORDS[:13]))  # the next paragraph, its first line indented
    running_prose(pdf, 72, 444, 3, per_line=15)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == f"{first} {second}"


def test_a_body_type_caption_opening_with_an_italic_name_is_not_an_italic_caption(tmp_path):
    """Held-out set 16 (calibre's e-book PDF, Figure 24.1): a caption in the body's type whose description opens with
    an italic species name ("E. coli O157:H7 causes ...") read as a caption set in italics, so it ended at the first
    row opening in roman and kept only its first row. Italics are the caption's when they are most of its first row."""
    path = tmp_path / "species.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 740, 4, per_line=15)
    pdf.drawImage(ImageReader(photo_pixels(5)), 206, 500, 200, 150)
    rows = [
        ("Figure 24.1 ", "E. coli", " O157:H7 causes serious foodborne illness. Curli fibers help these bacteria"),
        ("", "", "adhere to surfaces and form biofilms; two groups of cells are pictured, curli non-producing"),
        ("", "", "cells (left) and curli producing cells (right). (credit: modification of work by USDA)"),
    ]
    for k, (label, name, rest) in enumerate(rows):
        text = pdf.beginText(72, 486 - 12 * k)
        for font, part in (("Times-Roman", label), ("Times-Italic", name), ("Times-Roman", rest)):
            text.setFont(font, 10)
            text.textOut(part)
        pdf.drawText(text)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(87, 450, " ".join(PROSE_WORDS[:13]))  # the next paragraph, its first line indented
    running_prose(pdf, 72, 438, 3, per_line=15)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == " ".join("".join(row) for row in rows).replace("  ", " ").strip()


def test_a_caption_whose_first_row_is_an_italic_name_alone_goes_on_in_roman(tmp_path):
    """Held-out set 18 (Typst, two columns, Figure 23.7): in a narrow column a caption's first row after the label is
    the species name alone ("Figure 23.7: Ureaplasma urealyticum", both words italic); most words of that row being
    italic, the caption read as one set in italics and ended at the next row, in roman. Two words cannot tell an
    italic caption from an italic name: the next row's words count too."""
    path = tmp_path / "name.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 60, 790, 12, leading=11, per_line=9)
    running_prose(pdf, 310, 790, 60, leading=11, per_line=9)
    pdf.drawImage(ImageReader(photo_pixels(6)), 70, 520, 200, 130)
    rows = [
        ("Figure 23.7: ", "Ureaplasma urealyticum", ""),
        ("", "", "microcolonies (white arrows) on agar surface"),
        ("", "", "after anaerobic incubation, visualized using"),
        ("", "", "phase contrast microscopy (credit: ASM)"),
    ]
    for k, (label, name, rest) in enumerate(rows):
        width = sum(
            pdf.stringWidth(part, font, 9) for font, part in (("Times-Roman", label + rest), ("Times-Italic", name))
        )
        text = pdf.beginText(172 - width / 2, 508 - 11 * k)
        for font, part in (("Times-Roman", label), ("Times-Italic", name), ("Times-Roman", rest)):
            text.setFont(font, 9)
            text.textOut(part)
        pdf.drawText(text)
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 60, 450, 30, leading=11, per_line=9)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == " ".join("".join(row) for row in rows).replace("  ", " ").strip()


def test_a_side_caption_in_a_narrow_column_far_left_of_its_figure_captions_it(tmp_path):
    # Behav Ecol Sociobiol 2015 (Springer) Figure 1: the caption set in a narrow column at the left of the text
    # width, the drawing flush right, their tops level, 70 pt of white paper between them. The drawing came out
    # uncaptioned: the gap is over the 6 body sizes any figure may stand from its caption, although the caption's
    # first line is level with the drawing's top edge.
    pdf = Canvas(str(tmp_path / "side.pdf"), pagesize=(595, 791))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 740, 36, per_line=7)  # two columns of body text down to y 320
    running_prose(pdf, 306, 740, 36, per_line=7)
    pdf.setFont("Times-Roman", 8)
    springer_side_caption(
        pdf,
        561,
        [
            "Fig. 1 Paired pen trial design,",
            "with each holding pen containing",
            "six weaned seals and individuals",
            "from either the same pen (familiar",
            "trials) or from different pens",
            "(stranger trials) being used in the",
            "experiments",
        ],
        (552, 710),
    )
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 60, 2, per_line=14)
    figure = only_figure(pdf, tmp_path / "side.pdf", tmp_path)
    assert figure["label"] == "1"
    assert figure["caption"].startswith("Fig. 1 Paired pen trial design, with each")
    assert figure["caption"].endswith("being used in the experiments")
    assert Box(*figure["bbox"]).iou(Box(232, 552, 544, 710)) >= 0.95


def _bold_title_over_rows(pdf: Canvas, at: tuple[float, float, float], title: str, rows: tuple[str, ...]) -> None:
    """A caption at (x, baseline from the top, size): its bold title row in Helvetica, its description rows under it
    in the regular weight at 1.3 times the size apart."""
    x, baseline, size = at
    pdf.setFont("Helvetica-Bold", size)
    pdf.drawString(x, 792 - baseline, title)
    pdf.setFont("Helvetica", size)
    for k, row in enumerate(rows):
        pdf.drawString(x, 792 - baseline - 1.3 * size * (k + 1), row)


def test_a_margin_caption_whose_first_rows_are_short_goes_on_past_a_wider_row(tmp_path):
    # Held-out 37 Figure 5.10: a caption in a 1.85 in margin column beside its photograph, a short bold title row
    # and a short first description row ("Individuals with vitiligo": "depigmentation:" did not fit after it), then
    # rows filling the column, 4 em wider than the two above. The wider row was read as the paragraph after the
    # caption: only the title and the first row were kept.
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(45)), 54, 792 - 648.75, 331.5, 227.25)
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 70, 24, leading=14.5, per_line=13)
    running_prose(pdf, 54, 792 - 665, 6, leading=14.5, per_line=13)
    rows = (
        "Individuals with vitiligo",
        "depigmentation: lighter colored skin",
        "patches that are most noticeable on",
        "darker skin. (credit: Klaus D. Peter)",
    )
    _bold_title_over_rows(pdf, (412.7, 429, 8), "Figure 5.10 Vitiligo", rows)
    figure = only_figure(pdf, tmp_path / "margin.pdf", tmp_path)
    assert figure["label"] == "5.10"
    assert figure["caption"] == "Figure 5.10 Vitiligo " + " ".join(rows)


def test_letters_after_their_text_under_a_title_row_of_its_own_take_no_title(tmp_path):
    # Held-out 37 Figure 5.16: the bold title on a row of its own ("Figure 5.16 Thermoregulation"), the description
    # under it in the regular weight, its letters after their text ("such as skiing (a) or running (c)"). Panel a's
    # text runs back to its sentence's start, which the title (no full stop) is not: it was "Thermoregulation During
    # strenuous ...". A bold title run on the label's line ("Figure 5.16 Thermoregulation During ...") ended there.
    path = tmp_path / "title.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    rows = (
        "During strenuous physical activities, such as skiing (a) or running (c), the dermal blood",
        "vessels dilate and sweat secretion increases (b). These mechanisms prevent overheating.",
    )
    _bold_title_over_rows(pdf, (72, 100, 8.5), "Figure 5.16 Thermoregulation", rows)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(path), 0), 10.0)
    lines = [line.text for line in caption.lines]
    texts = parse_subcaptions(caption.text, caption.label_end, caption.title_end, lines)
    assert texts["a"] == "During strenuous physical activities, such as skiing"
    assert texts["c"] == "running"


def test_bold_panel_letters_opening_a_row_go_on_a_side_caption(tmp_path):
    # Eur Radiol 2020 (Springer) Figure 1: a side caption whose parts open with the panel letters in bold, each on a
    # new row after a full stop ("... in only one lobe." / "c, d A 60-year-old male ..."). Taken for a paragraph
    # with a bold run-in heading, the caption ended after its sixth row.
    pdf = Canvas(str(tmp_path / "letters.pdf"), pagesize=(595, 791))
    rows = [
        ("Fig. 1", " Appearance of COVID-19"),
        ("", "on CT. "),
        ("a, b", " A 35-year-old male presented"),
        ("", "with cough. Mild CT signs: GGOs"),
        ("", "in only one lobe."),
        ("c, d", " A 60-year-old male having"),
        ("", "symptoms for 7 days: muscle pain."),
        ("e", " Bilateral GGOs, thickened ves-"),
        ("", "sels, and traction bronchiectasis"),
    ]
    for k, (bold, regular) in enumerate(rows):
        x = 51 + pdf.stringWidth(bold, "Times-Bold", 8.5)
        pdf.setFont("Times-Bold", 8.5)
        pdf.drawString(51, 791 - 64 - 10 * k, bold)
        pdf.setFont("Times-Roman", 8.5)
        pdf.drawString(x, 791 - 64 - 10 * k, regular)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 200, 12, per_line=14)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "letters.pdf"), 0), body_size=10.0)
    assert caption.text.endswith("e Bilateral GGOs, thickened vessels, and traction bronchiectasis")


def test_margin_captions_beside_stacked_pictures_each_take_the_picture_beside_them(tmp_path):
    """Blind print probe (Chromium, captions in a wide margin, Microbiology Figures 3.15 and 3.16): two pictures stacked
    under the text, 9 pt apart, each captioned in the margin beside its top, the upper one holding a band of white
    paper. The side search of the lower caption starts at the first blank row under the upper caption, the band, so
    it reached into the upper picture's foot, its ink ran out of the region and the search failed; and a caption that
    found nothing in the first round was never asked again, though the upper figure, placed, no longer cut it."""
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 66, 16, leading=15, per_line=12)
    pictures = (Box(54, 312, 386, 483), Box(54, 492, 386, 717))
    captions = (
        ("Figure 3.15", "In cells that lack a cell wall,", "changes in osmotic pressure can", "lead to crenation."),
        ("Figure 3.16", *(["In prokaryotic cells, the cell wall", "provides some protection against"] * 8)),
    )
    for k, (picture, rows) in enumerate(zip(pictures, captions, strict=True)):
        pixels = np.asarray(photo_pixels(k)).copy()
        pixels[100:120] = 255  # a band of white paper inside the picture, under its caption's foot
        pdf.drawImage(
            ImageReader(Image.fromarray(pixels)), picture.x0, 792 - picture.bottom, picture.width, picture.height
        )
        for n, row in enumerate(rows):
            font = "Helvetica-Bold" if n == 0 else "Helvetica"
            draw_words(pdf, 404, 792 - picture.top - 7 - 10.5 * n, [(w, font) for w in row.split()], 8)
    pdf.save()
    run_extract([tmp_path / "margin.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [row["label"] for row in rows] == ["3.15", "3.16"]
    figures = by_label(rows)
    for label, picture in zip(("3.15", "3.16"), pictures, strict=True):
        assert Box(*figures[label]["bbox"]).iou(picture) > 0.9


def test_a_margin_caption_takes_the_picture_level_with_it_not_a_framed_note_under_its_foot(tmp_path):
    """Blind print probe (Chromium, captions in a wide margin, Microbiology Figure 21.36): a long caption in the margin
    beside a row of photographs, and a framed note (a question in a box) under the photographs, its frame a point
    nearer the caption than the photographs' edge and just under the caption's foot. The side search took the
    nearest group of ink, the note: the photographs came out uncaptioned. Level with the caption comes first."""
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 66, 10, leading=15, per_line=12)
    picture = Box(54, 226, 297, 308)
    pdf.drawImage(ImageReader(photo_pixels(3)), picture.x0, 792 - picture.bottom, picture.width, picture.height)
    rows = ["Figure 21.36", *(["(a) An Acanthamoeba cyst. (b) An", "Acanthamoeba trophozoite. (c) The"] * 6)]
    for n, row in enumerate(rows):
        draw_words(
            pdf, 310, 792 - 233 - 10 * n, [(w, "Helvetica-Bold" if n == 0 else "Helvetica") for w in row.split()], 7
        )
    pdf.setLineWidth(0.8)
    pdf.rect(53.7, 792 - 380, 243.5, 25)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(64, 792 - 371, "How are these infections acquired?")
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 400, 20, leading=15, per_line=12)
    pdf.save()
    run_extract([tmp_path / "margin.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "21.36"
    assert Box(*figure["bbox"]).iou(picture) > 0.9, figure["bbox"]


def test_a_list_with_drawn_bullets_over_a_margin_captioned_figure_stays_out_of_it(tmp_path):
    """Blind print probe P4 (Chromium, captions in a wide margin, Microbiology Figure 8.10): a bulleted list right over
    a drawing narrower than the text column, its caption in the margin level with the drawing's top. Chromium draws a
    list's bullets as small paths, so the entries' text opens with no bullet, and the short rows were no text of the
    flow: the drawing's ink took them in, its top rose to the list's, and the figure, far from its caption and no
    longer level with it, was not its caption's (uncaptioned in the probe, lost here)."""
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 66, 8, leading=15, per_line=12)
    for n, entry in enumerate(("two ATP molecules", "two NADH molecules, and", "two pyruvate molecules.")):
        baseline = 792 - 66 - 15 * (8 + n)
        pdf.circle(60, baseline + 3, 1.5, stroke=0, fill=1)
        pdf.drawString(70, baseline, entry)
    picture = Box(82, 224, 218, 472)  # 5 pt under the list's last row
    pdf.setFillColorRGB(0.3, 0.3, 0.35)
    for step in range(6):  # a pathway drawn in paths: a row of molecules a step, arrows between the steps
        y = 792 - picture.top - 8 - 46 * step
        for x in (90, 130, 170, 210):
            pdf.circle(x, y, 8, stroke=0, fill=1)
        if step < 5:
            pdf.line(150, y - 12, 150, y - 34)
    pdf.setFillColorRGB(0, 0, 0)
    _caption_in_the_margin(pdf, picture.top, "8.10", ["The energy investment phase of", "the pathway uses ATP"] * 4)
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - picture.bottom - 20, 10, leading=15, per_line=12)
    figure = only_figure(pdf, tmp_path / "margin.pdf", tmp_path)
    assert figure["label"] == "8.10"
    assert Box(*figure["bbox"]).iou(picture) > 0.9, figure["bbox"]


def test_a_margin_caption_level_with_an_image_s_white_top_is_lined_up_with_its_figure(tmp_path):
    """Blind print probe P7 (Chromium, captions in a wide margin, Anatomy and Physiology Figure 9.17): a drawing
    narrower than the text column, 70 pt from its caption in the margin, the caption level with the image's top and
    the drawing's ink starting 12 pt under it, past the white rows at the image's head. Lined up with the ink only,
    the figure was too far to be the caption's: it came out captioned by a framed note under it, 9.17 missing."""
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 66, 18, leading=15, per_line=12)
    image = Box(54, 347, 333, 585)
    pixels = np.asarray(photo_pixels(6).resize((279, 238))).copy()
    pixels[:14] = 255  # white rows at the image's head: its ink starts 14 pt under its top
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), image.x0, 792 - image.bottom, image.width, image.height)
    _caption_in_the_margin(pdf, image.top, "9.17", ["(a) The elbow is a hinge joint that", "allows flexion."] * 4)
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - image.bottom - 24, 8, leading=15, per_line=12)
    figure = only_figure(pdf, tmp_path / "margin.pdf", tmp_path)
    assert figure["label"] == "9.17"
    assert Box(*figure["bbox"]).iou(Box(image.x0, image.top + 14, image.x1, image.bottom)) > 0.9, figure["bbox"]


def test_a_box_filling_a_page_in_smaller_type_citing_its_figures_is_that_page_s_text(tmp_path):
    """Blind print probe P8 (Chromium, captions in a wide margin, Microbiology Figures 25.19 and 25.20): a feature box
    fills the page in a smaller type than the book's body, its paragraph citing "Figure 25.19 and Figure 25.20
    summarize the major ...", two tables printed as images under it, each captioned by its label alone in the margin.
    The page's own body size is that of its paragraph lines, but the citing line's paragraph was taken for a caption's
    and left out of the count: the box's text was no text, 25.19 took it and both tables, and 25.20 was missing."""
    pdf = Canvas(str(tmp_path / "box.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 54, 792 - 66, 40, leading=15, per_line=12)
    pdf.showPage()
    pdf.setFont("Helvetica", 9.5)
    paragraph = [" ".join(PROSE_WORDS[(k * 3 + n) % len(PROSE_WORDS)] for n in range(10)) for k in range(7)]
    paragraph += [
        "Figure 25.19 and Figure 25.20 summarize the major characteristics",
        "of the infections of the system.",
    ]
    for n, row in enumerate(paragraph):
        pdf.drawString(63, 792 - 78 - 12.75 * n, row)
    tables = {"25.19": Box(63, 212, 246, 450), "25.20": Box(63, 459, 246, 697)}
    _pictures_captioned_in_the_margin(pdf, tables, [])
    _assert_figures_boxed(pdf, tmp_path / "box.pdf", tables)


def test_margin_captions_on_a_page_of_figures_only_search_beside_them_not_over_and_under(tmp_path):
    """Blind print probe P10 (Chromium, captions in a wide margin, Microbiology Figures 7.22 and 7.23): a page of
    figures alone, each captioned in the margin level with its top, the lower caption 11 pt under the upper figure's
    foot. With no body text on the page, the captions were in no margin: their searches over and under spanned the
    text column, the lower caption took the upper figure (the nearer, and "above" ranks first) and 7.22 was lost.
    The document's text width stands for the page's column."""
    pdf = Canvas(str(tmp_path / "margin.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10.5)
    running_prose(pdf, 55, 792 - 66, 40, leading=15, per_line=12)
    pdf.showPage()
    pictures = {"7.22": Box(54, 251, 320, 489), "7.23": Box(54, 499, 330, 628)}  # in the text width of page 1
    _pictures_captioned_in_the_margin(pdf, pictures, ["A hemoglobin molecule has two", "polypeptides with heme."])
    _assert_figures_boxed(pdf, tmp_path / "margin.pdf", pictures)


def _pictures_captioned_in_the_margin(pdf: Canvas, pictures: dict[str, Box], description: list[str]) -> None:
    """A photograph at each box, captioned in the wide margin (held-out 41's design) level with its top: its bold
    label ("Figure 7.22") and the `description` rows under it."""
    for k, (label, picture) in enumerate(pictures.items()):
        pixels = ImageReader(photo_pixels(7 + k))
        pdf.drawImage(pixels, picture.x0, 792 - picture.bottom, picture.width, picture.height)
        _caption_in_the_margin(pdf, picture.top, label, description)


def _caption_in_the_margin(pdf: Canvas, top: float, label: str, description: list[str]) -> None:
    """A caption in the wide margin of held-out 41's design from `top` down: "Figure `label`" in bold, then the
    `description` rows, 8 pt type."""
    rows = [[(word, "Helvetica-Bold") for word in ("Figure", label)]]
    rows += [[(word, "Helvetica") for word in row.split()] for row in description]
    for n, row in enumerate(rows):
        draw_words(pdf, 404, 792 - top - 8 - 10.5 * n, row, 8)


def _assert_figures_boxed(pdf: Canvas, path: Path, boxes: dict[str, Box]) -> None:
    """Save and extract the generated document: its figures are `boxes`' labels, each boxed as its box."""
    pdf.save()
    run_extract([path], path.parent / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(path.parent / "ds").read_table("figures").to_pylist())
    assert set(figures) == set(boxes)
    for label, box in boxes.items():
        assert Box(*figures[label]["bbox"]).iou(box) > 0.9, (label, figures[label]["bbox"])


def test_a_figure_page_wider_than_the_text_keeps_its_caption_out_of_the_margin(tmp_path):
    """The sweep (norma ba86c29adb p. 29): a paper's figure set on a page of its own size after the text pages, the
    flow diagram wider than the text width, "Figure 3" at its foot left of the text's edge. A page without body text
    takes the document's text width for its column only where its graphics lie in it: else the caption stood in a
    margin, its search was kept there, and the figure shrank to the margin's sliver of it."""
    pdf = Canvas(str(tmp_path / "paper.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 12)
    for _ in range(2):
        running_prose(pdf, 70, 842 - 72, 45, leading=15, per_line=13)
        pdf.showPage()
    pdf.setPageSize((547, 301))
    diagram = Box(9, 9, 539, 269)
    for row in range(4):  # a flow diagram: rows of boxes joined by arrows, across the page
        top = 9 + 70 * row
        for column in range(5):
            x = 9 + 110 * column
            pdf.rect(x, 301 - top - 50, 90, 50)
            pdf.drawString(x + 8, 301 - top - 28, f"step {row}.{column}")
            if column < 4:
                pdf.line(x + 90, 301 - top - 25, x + 110, 301 - top - 25)
    draw_words(pdf, 13, 301 - 298, [("Figure", "Times-Bold"), ("3", "Times-Bold")], 10)
    pdf.save()
    run_extract([tmp_path / "paper.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "3"
    assert Box(*figure["bbox"]).iou(diagram) > 0.9, figure["bbox"]


def test_a_centred_label_caption_on_a_page_read_as_one_short_column_searches_the_text_width(tmp_path):
    # Case Rep Ophthalmol Med 2016 (PMC4736323) p3: 2 x 2 OCT scans over the centred caption "Figure 3", a scan over
    # "Figure 4", then a few lines of the left column and references in a smaller type. The layout found the page's
    # body as those few lines (no columns), so the search under a narrow caption spanned them (51-336 pt), cut
    # through the scans, and Figure 3 came out as its left column, Figure 4 not at all. The document's text width
    # (its other pages' two columns) is the span of a caption centred in it.
    pdf = Canvas(str(tmp_path / "oct.pdf"), pagesize=(600, 800))
    pdf.setFont("Times-Roman", 10)
    for x in (51, 310):  # a first page of two columns, 51-549 pt
        running_prose(pdf, x, 740, 58, per_line=10)
    pdf.showPage()
    for seed, (x, top) in enumerate(((118, 74), (311, 74), (118, 149), (305, 149))):
        pdf.drawImage(ImageReader(photo_pixels(seed)), x, 800 - top - 52, 175, 52)
    pdf.drawImage(ImageReader(photo_pixels(4)), 214, 800 - 302, 171, 52)  # y 250-302
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(284, 800 - 231, "Figure 3")
    pdf.drawString(284, 800 - 318, "Figure 4")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 800 - 375, 2, per_line=10)
    pdf.setFont("Times-Roman", 7)
    running_prose(pdf, 310, 800 - 375, 6, leading=9, per_line=10)
    pdf.save()
    run_extract([tmp_path / "oct.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    assert set(figures) == {"3", "4"}
    assert Box(*figures["3"]["bbox"]).iou(Box(118, 74, 486, 201)) >= 0.95
    assert Box(*figures["4"]["bbox"]).iou(Box(214, 250, 385, 302)) >= 0.95


def test_a_caption_printed_without_a_label_is_taken_from_over_and_under_its_picture(tmp_path):
    """Held-out 8's WHO proceedings (a bold title over each picture's green panel, a description under two of them)
    and the sweep's eLife illustration (a two-line credit under it): a caption with no "Figure N" was never found, so
    these pictures came out uncaptioned. Text set smaller than the body, right over or under the picture and over
    its width, is its caption; a slide-like heading over the page beside the picture, a label touching it, a lone
    word, a list and body text are not (the second and third pages)."""
    pdf = Canvas(str(tmp_path / "unlabelled.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 790, 12)
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawCentredString(297, 610, "Country readiness for elimination in May 2000")
    pdf.drawImage(ImageReader(photo_pixels(3)), 137, 345, 320, 240)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(137, 325, "Thirty of the 82 endemic countries were ready.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 290, 12)
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(300, 780, "Households surveyed in each state of the country")  # beside the picture, not over it
    pdf.drawImage(ImageReader(photo_pixels(4)), 85, 520, 240, 240)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(100, 513, "Koror and Airai")  # a label touching the picture's foot
    pdf.drawImage(ImageReader(photo_pixels(5)), 85, 200, 240, 240)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 180, 8)  # body text under a picture is no caption
    pdf.showPage()
    pdf.setFont("Helvetica", 7)
    pdf.drawString(100, 770, "• Training curricula completed in every country")  # a list over the picture
    pdf.drawImage(ImageReader(photo_pixels(6)), 85, 500, 240, 240)
    pdf.drawString(100, 485, "Airai")  # a lone word under it: a place's label
    pdf.save()
    run_extract([tmp_path / "unlabelled.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(
        Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: (r["page"], r["bbox"][1])
    )
    pages = [(1, None, None), (2, None, None), (2, None, None), (3, None, None)]
    assert [(row["page"], row["label"], row["label_prefix"]) for row in rows] == pages
    assert rows[0]["caption"] == (
        "Country readiness for elimination in May 2000 Thirty of the 82 endemic countries were ready."
    )
    assert [row["caption"] for row in rows[1:]] == [None, None, None]
    marked = [
        figure_marks(row)[0].text.split(" [")[0] for page in _figures_by_page(tmp_path / "ds").values() for row in page
    ]
    assert sorted(marked) == ["uncaptioned"] * 3 + ["unlabelled"]  # as `inspect` draws them


def test_unlabelled_captions_set_close_under_stacked_photographs_go_each_to_its_own(tmp_path):
    """Held-out 19 (a designed InDesign newsletter): every photograph's caption is a bold 8 pt block without a label,
    centred 2-3 pt under it, and photographs are stacked down a column. A caption that near was read as a label drawn
    on the photograph, so the upper photograph came out uncaptioned and the lower one took both captions, the upper's
    as its title. Each is its own photograph's caption; a short label at a photograph's foot still is not."""
    pdf = Canvas(str(tmp_path / "newsletter.pdf"), pagesize=(595, 842))
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 800, 5, per_line=6)
    captions = (
        "Training workshop on the triple drug therapy, Betong district",
        "Directly observed therapy in front of a health worker",
    )
    for seed, bottom, caption in zip((3, 4), (560, 365), captions, strict=True):
        pdf.drawImage(ImageReader(photo_pixels(seed)), 40, bottom, 260, 180)
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawCentredString(170, bottom - 8, caption)  # its glyphs' tops 2 pt under the photograph
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 250, 4, per_line=6)
    pdf.drawImage(ImageReader(photo_pixels(5)), 320, 560, 240, 180)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(330, 553, "Koror and Airai")  # a label at the foot of the picture, not centred on it
    pdf.save()
    run_extract([tmp_path / "newsletter.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(
        Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: (r["bbox"][0], r["bbox"][1])
    )
    assert [row["caption"] for row in rows] == [*captions, None]


def test_an_unlabelled_caption_set_in_the_column_beside_its_picture_is_taken(tmp_path):
    """WHO pocket book 2013 (held-out 20): a drawing's caption, without a label and in a type smaller than the body's,
    is set in the free column to the left or right of the drawing, level with its foot or its top; only captions
    over and under a picture were sought, so these pictures came out uncaptioned. A one-word label beside a picture is
    not a caption, nor is body text beside it, a credit run up its edge (held-out 19) or a footnote of the text column
    wider than the picture (held-out 8)."""
    pdf = Canvas(str(tmp_path / "pocket.pdf"), pagesize=(420, 595))
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 60, 560, 4, per_line=6)
    pdf.drawImage(ImageReader(photo_pixels(6)), 60, 330, 170, 150)  # caption to its right, level with its foot
    pdf.setFont("Helvetica-BoldOblique", 8)
    for k, row in enumerate(("Sling to support", "an injured arm")):
        pdf.drawString(238, 350 - 9 * k, row)
    pdf.drawImage(ImageReader(photo_pixels(7)), 190, 120, 170, 150)  # caption to its left, level with its top
    for k, row in enumerate(("Restraining the child", "for examination of eyes,", "ears or mouth")):
        pdf.drawString(60, 258 - 9 * k, row)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(365, 200, "skin")  # a label beside the lower picture
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 60, 100, 3, per_line=6)
    pdf.showPage()
    pdf.drawImage(ImageReader(photo_pixels(8)), 80, 300, 120, 160)  # a credit up its left edge
    pdf.saveState()
    pdf.translate(76, 320)
    pdf.rotate(90)
    pdf.setFont("Helvetica", 6)
    pdf.drawString(0, 0, "© Virak Khieu, WHO")
    pdf.restoreState()
    pdf.drawImage(ImageReader(photo_pixels(9)), 60, 60, 110, 150)  # a footnote of the text column beside its foot
    pdf.setFont("Helvetica", 7)
    pdf.drawString(180, 80, "5 Proceedings of the workshop on effective and efficient drug distribution for")
    pdf.drawString(180, 71, "lymphatic filariasis, convened at the WHO Collaborating Centre, Annecy, 1999")
    pdf.save()
    run_extract([tmp_path / "pocket.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(
        Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: (r["page"], r["bbox"][1])
    )
    assert [row["caption"] for row in rows] == [
        "Sling to support an injured arm",
        "Restraining the child for examination of eyes, ears or mouth",
        None,
        None,
    ]


def test_captions_in_body_type_under_photographs_side_by_side_go_each_to_its_own(tmp_path):
    """A village health handbook (held-out 34, *Where There Is No Doctor* p. 209): photographs set two side by side,
    each with its caption without a label under it in the body's type (10 pt), wrapped within the photograph's width.
    Only captions in a smaller type were sought under a picture, so the photographs came out uncaptioned (or took a
    small label set between them). A block in the body's type under a lone picture is not its caption (a column's
    text, a heading under a drawing)."""
    pdf = Canvas(str(tmp_path / "handbook.pdf"), pagesize=(486, 702))
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 670, 4, per_line=7)
    captions = (
        ("The swelling and dark spots", "on this boy's legs and feet are", "the result of poor nutrition."),
        ("One week after he began to", "eat beans and eggs along with", "the maize, the swelling was gone."),
    )
    for seed, left, rows in zip((3, 4), (60, 290), captions, strict=True):
        pdf.drawImage(ImageReader(photo_pixels(seed)), left, 420, 150, 190)
        for k, row in enumerate(rows):
            pdf.drawString(left, 405 - 12 * k, row)
    pdf.drawImage(ImageReader(photo_pixels(5)), 60, 150, 150, 160)  # a lone photograph, a column's text under it
    for k, row in enumerate(("Third week: the fever and", "the other signs go away.")):
        pdf.drawString(60, 135 - 12 * k, row)
    pdf.save()
    run_extract([tmp_path / "handbook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(
        Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: (r["bbox"][1], r["bbox"][0])
    )
    assert [row["caption"] for row in rows] == [" ".join(captions[0]), " ".join(captions[1]), None]


def test_photographs_set_together_under_one_unlabelled_caption_are_one_figure(tmp_path):
    """Held-out 19 (a designed newsletter): two to four photographs parted by gutters of 2-8 pt, side by side or
    stacked, share one caption without a label centred under the group. Each photograph came out as a figure of its
    own, the caption given to the nearest or to none; and the photograph under such a group took the group's caption
    as its title. The group is one figure with that caption, its photographs its panels; photographs side by side
    each captioned under itself stay apart (figures side by side), and the photograph under the group keeps only its
    own caption."""
    pdf = Canvas(str(tmp_path / "groups.pdf"), pagesize=(595, 842))
    pdf.setFont("Helvetica-Bold", 8)
    for seed, x in ((3, 40), (4, 172)):  # a pair 4 pt apart, one caption under both
        pdf.drawImage(ImageReader(photo_pixels(seed)), x, 640, 128, 96)
    pdf.drawCentredString(170, 632, "Mass drug administration and health education in two provinces")
    pdf.drawImage(ImageReader(photo_pixels(5)), 40, 440, 260, 180)  # 6 pt under that caption: its own under it
    pdf.drawCentredString(170, 432, "Stool examination on taeniasis in Champhone district")
    for seed, bottom in ((6, 640), (7, 536)):  # stacked 8 pt apart, one caption under the lower
        pdf.drawImage(ImageReader(photo_pixels(seed)), 320, bottom, 240, 96)
    pdf.drawCentredString(440, 528, "Monitoring and supervision visit in Kratie province")
    for seed, x, caption in ((8, 320, "Deworming at a school"), (9, 444, "Screening for yaws and scabies")):
        pdf.drawImage(ImageReader(photo_pixels(seed)), x, 300, 116, 96)  # side by side, each captioned
        pdf.drawCentredString(x + 58, 292, caption)
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 800, 4, per_line=12)
    running_prose(pdf, 40, 250, 14, per_line=12)
    pdf.save()
    run_extract([tmp_path / "groups.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(
        Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(),
        key=lambda r: (r["bbox"][0] > 310, r["bbox"][1], r["bbox"][0]),
    )
    assert [(row["caption"], max(len(row["panels"]), 1)) for row in rows[:3]] == [
        ("Mass drug administration and health education in two provinces", 2),
        ("Stool examination on taeniasis in Champhone district", 1),
        ("Monitoring and supervision visit in Kratie province", 2),
    ]
    pair = Box(*rows[0]["bbox"])
    assert pair.x0 <= 41 and pair.x1 >= 299, pair
    apart = [Box(*row["bbox"]) for row in rows[3:]]  # each captioned under itself: two figures, not one
    assert [(round(box.x0), round(box.x1)) for box in apart] == [(320, 436), (444, 560)]


def test_a_bold_label_without_a_number_starts_a_caption_and_its_figure_is_found(tmp_path):
    """Held-out 10's StopAdvisor trial (Lancet): the article's one figure, a vector flow chart in a frame, is
    captioned "Figure: Trial profile", a bold label with no number. No caption was found, so the chart was never
    sought. A running-text line that opens "Figure: ..." in the body's type starts no caption."""
    path = tmp_path / "unnumbered.pdf"
    pdf = Canvas(str(path), pagesize=(595, 794))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 40, 760, 12, per_line=14)
    pdf.drawString(40, 612, "Figure: Results per group are given in the appendix with the survey form.")
    pdf.rect(120, 794 - 520, 355, 280)  # the frame, 120-475 x 240-520: in neither box
    chart = Box(150, 260, 440, 480)  # the boxes and connectors inside it
    pdf.setFont("Times-Roman", 7)
    boxes = [(x0, top, x0 + 110, top + 30) for x0, top in ((240, 260), (150, 360), (330, 360), (150, 450), (330, 450))]
    text_boxes(pdf, 794, boxes, "1088 included in analysis")
    pdf.line(205, 794 - 330, 385, 794 - 330)  # the branch to both arms, and the connectors down
    for x, top, bottom in ((295, 290, 330), (205, 330, 360), (385, 330, 360), (205, 390, 450), (385, 390, 450)):
        pdf.line(x, 794 - top, x, 794 - bottom)
    draw_words(
        pdf, 120, 794 - 532, [("Figure:", "Helvetica-Bold"), ("Trial", "Helvetica"), ("profile", "Helvetica")], 8
    )
    pdf.setFont("Helvetica", 8)
    pdf.drawString(
        120, 794 - 542, "Eight participants used another address to view the other website; per protocol they"
    )
    pdf.drawString(
        120, 794 - 551, "were not excluded from the analysis and were classified by the treatment allocated."
    )
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 40, 794 - 575, 14, per_line=14)
    pdf.save()
    with open_pdf(path) as document:
        page = read_page(document, 0)
        captions = [(c.label, c.text) for c in find_captions(page, 10.0)]
        page.close()
    assert captions == [
        (
            None,
            "Figure: Trial profile Eight participants used another address to view the other website; per protocol "
            "they were not excluded from the analysis and were classified by the treatment allocated.",
        )
    ]
    figure = only_figure(Canvas(str(tmp_path / "unused.pdf")), path, tmp_path)
    assert figure["caption"] == captions[0][1]
    assert Box(*figure["bbox"]).iou(chart) >= 0.9


def test_a_note_under_a_caption_is_not_caption_text(tmp_path):
    """Held-out 10's moxidectin trial (Lancet) Figure 1: "Figure 1: Trial profile", then in the same type a note
    "*Low follow-up rate because the protocol was changed ..." explaining the chart's asterisk. The caption ran on
    into it; a row opening with a footnote mark and a word is the figure's note (as held-out 5's "* Drug coverage
    calculated as ..."). A mark inside a row ("... IDs and *JOBCTL authority") is caption text."""
    path = tmp_path / "note.pdf"
    pdf = Canvas(str(path), pagesize=(595, 794))
    pdf.drawImage(ImageReader(photo_pixels(2)), 60, 794 - 400, 300, 300)
    draw_words(pdf, 60, 794 - 415, [("Figure", "Helvetica-Bold"), ("1:", "Helvetica-Bold"), ("Trial", "Helvetica")], 8)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(60, 794 - 425, "*Low follow-up rate because the protocol was changed to remove the 18-month visit.")
    draw_words(pdf, 60, 794 - 600, [("Figure", "Helvetica-Bold"), ("2.", "Helvetica-Bold"), ("Users", "Helvetica")], 8)
    pdf.drawString(60, 794 - 610, "with different function usage IDs and *JOBCTL authority.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 60, 794 - 650, 8, per_line=12)
    pdf.save()
    with open_pdf(path) as document:
        page = read_page(document, 0)
        captions = {c.label: c.text for c in find_captions(page, 10.0)}
        page.close()
    assert captions == {
        "1": "Figure 1: Trial",
        "2": "Figure 2. Users with different function usage IDs and *JOBCTL authority.",
    }


def _table_over_a_plate_pdf(path: Path) -> None:
    """A case report's page (the sweep's PMC4737013 p2, issue 13 class 26): "Table 1" centred over a table ruled
    across the text width (its rules page rules, its cells text), a 2 x 2 plate lettered (a)-(d) 30 pt under the
    table's last rule, "Figure 1" under the plate, two columns of body text under that."""
    height = 800
    pdf = Canvas(str(path), pagesize=(600, height))
    pdf.setFont("Times-Roman", 9)
    pdf.drawCentredString(300, height - 81, "Table 1: Thyroid function tests during the treatment.")
    pdf.setLineWidth(0.5)
    for y in (90, 124, 187):
        pdf.line(50, height - y, 549, height - y)
    for c, head in enumerate(("Before", "1 month", "Held", "2 months", "Restarted", "3 months", "Surgery")):
        for y, word in ((100, head), (110, "dose"), (120, "given")):  # column heads just under the caption
            pdf.drawCentredString(200 + 53 * c, height - y, word)
    rows = [
        ("TSH (0.55-4.78 mU/L)", ["1.561", "0.009", "<0.008", "0.015", "0.015", "0.071", "0.892"]),
        ("Free T4 (0.89-1.76 ng/dL)", ["1.42", "3.38", "3.64", "1.36", "1.31", "1.01", "1.47"]),
        ("Free T3 (2.3-4.2 pg/mL)", ["", "8.8", "9.8", "4.1", "4.1", "3.6", ""]),
        ("TSI (<140%)", ["", "368", "", "", "", "", ""]),
    ]
    for r, (name, values) in enumerate(rows):
        pdf.drawString(52, height - 134 - 14 * r, name)
        for c, value in enumerate(values):
            pdf.drawCentredString(200 + 53 * c, height - 134 - 14 * r, value)
    pdf.setFont("Times-Roman", 8)
    for k, (x, bottom) in enumerate([(124, 344), (305, 344), (124, 493), (305, 493)]):
        pdf.drawImage(ImageReader(photo_pixels(k + 1)), x, height - bottom, 170, 127)
        pdf.drawCentredString(x + 85, height - bottom - 14, f"({'abcd'[k]})")
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(
        51, height - 535, "Figure 1: Nodular hyperplasia of the thyroid (a), its follicles with scant colloid (b),"
    )
    pdf.drawString(
        51, height - 545, "a papillary microcarcinoma (c) and cells of the patient's malignant melanoma (d)."
    )
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, height - 600, 14, per_line=6)
    running_prose(pdf, 310, height - 600, 14, per_line=6)
    pdf.save()


def test_a_table_captioned_over_itself_leaves_the_plate_under_it_to_its_figure(tmp_path):
    """The table caption's search runs down over its rows and on to the plate, up to the figure caption: its region
    holds the figure caption's only one at its far end and, next to the table's text, scores higher (the gap to its
    caption is the table's). The plate lies nearer "Figure 1": the figure is placed first, and the table (not
    extracted) keeps its rows."""
    _table_over_a_plate_pdf(tmp_path / "table.pdf")
    run_extract([tmp_path / "table.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [row["label"] for row in rows] == ["1"]
    assert rows[0]["caption"].startswith("Figure 1: Nodular hyperplasia")
    assert Box(*rows[0]["bbox"]).iou(Box(124, 217, 475, 509)) >= 0.95
    assert len(rows[0]["panels"]) == 4


def test_a_title_larger_than_the_body_centred_over_a_picture_is_its_caption(tmp_path):
    """Held-out 8's scanned plan p13: a poster under a 13.9 pt title ("Progress through partnership", body 9.6 pt),
    centred over it 6 pt above. A line larger than the body over an uncaptioned picture is its caption only when
    centred on it and no wider: a section heading set flush left over a picture, at its left edge (page 2; held-out
    4's "Annex 1. Mosquito species" over its map), and a title somewhat wider than the picture under it (page 3)
    stay headings."""
    pdf = Canvas(str(tmp_path / "titles.pdf"), pagesize=(595, 842))
    for heading, x, width, centred in (
        ("Progress through partnership", 297, 300, True),
        ("1.5 Governance", 147, 300, False),
        ("Households surveyed in every state", 297, 200, True),
    ):
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 85, 790, 8)
        pdf.setFont("Helvetica", 14)
        (pdf.drawCentredString if centred else pdf.drawString)(x, 621, heading)  # 6 pt over the picture
        pdf.drawImage(ImageReader(photo_pixels(len(heading))), 297 - width / 2, 380, width, 232)
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 85, 340, 10)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "titles.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: r["page"])
    assert [(row["page"], row["label"], row["caption"]) for row in rows] == [
        (1, None, "Progress through partnership"),
        (2, None, None),
        (3, None, None),
    ]


def _justified_side_caption(
    pdf: Canvas, x0: float, x1: float, top: float, rows: list[list[str]], label: str = "Figure 6.3:"
) -> None:
    """A caption set in a narrow measure beside its picture (KOMA-Script's side caption): the label hangs, every row
    but the last is justified to `x1`, each word placed where the justified row puts it (as TeX sets it)."""
    size = 10
    pdf.setFont("Times-Roman", size)
    pdf.drawString(x0, top, label)
    hang = x0 + pdf.stringWidth(label + " ", "Times-Roman", size)
    for i, words in enumerate(rows):
        y, x = top - 13.5 * i, hang
        text = pdf.beginText(x, y)
        text.setFont("Times-Roman", size)
        widths = [pdf.stringWidth(word, "Times-Roman", size) for word in words]
        # TeX places each word itself (no space glyph between): justified rows spread the words to `x1`.
        gap = (x1 - hang - sum(widths)) / (len(words) - 1) if i < len(rows) - 1 else size / 4
        for word, width in zip(words, widths, strict=True):
            text.setTextOrigin(x, y)
            text.textOut(word)
            x += width + gap
        pdf.drawText(text)


def test_a_side_caption_justified_in_a_narrow_measure_keeps_its_rows(tmp_path):
    # KOMA-Script's captionbeside (held-out 15, scrbook 6.3): a row of few words justified across the narrow
    # measure ("the      brain      from") stands in pieces wider apart than a chart's labels; the caption was cut
    # short there.
    pdf = Canvas(str(tmp_path / "side.pdf"), pagesize=(595, 842))
    pixels = (np.random.default_rng(5).random((300, 240, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 119, 300, 250, 320)
    rows = [["Bones", "Protect", "Brain."], ["The", "cranium", "completely"], ["surrounds", "and", "protects"]]
    rows += [["the", "brain", "from"], ["non-traumatic", "injury."]]
    _justified_side_caption(pdf, 379, 535, 372, rows)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 119, 270, 12, per_line=10)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "side.pdf"), 0), body_size=10.0)
    assert caption.text == (
        "Figure 6.3: Bones Protect Brain. The cranium completely surrounds and protects the brain from non-traumatic"
        " injury."
    )


def test_a_side_caption_on_a_page_without_body_text_finds_its_picture(tmp_path):
    # KOMA-Script's captionbeside on a page of its own (held-out 15, scrbook 6.2): a portrait photograph, its caption
    # beside it, a running head. The page's text (head and caption) made its "text width" the caption's own, so the
    # caption counted as too wide to stand beside a figure and the photograph came out uncaptioned.
    pdf = Canvas(str(tmp_path / "book.pdf"), pagesize=(595, 842))
    heads = ["6 Bone Tissue and the Skeletal System", "6.8 Calcium Homeostasis: Interactions of the Skeletal System"]
    heads += ["6 Bone Tissue and the Skeletal System"]
    for page, head in enumerate(heads):
        pdf.setFont("Times-Italic", 10)
        pdf.drawRightString(476, 786, head)
        if page == 1:
            pixels = (np.random.default_rng(7).random((320, 220, 3)) * 255).astype("uint8")
            pdf.drawImage(ImageReader(Image.fromarray(pixels)), 60, 283, 238, 356)
            rows = [["Bones", "Support", "Movement."], ["Bones", "act", "as", "levers", "when"]]
            rows += [["muscles", "span", "a", "joint", "and"], ["contract,", "and", "the", "bones", "of", "the"]]
            rows += [["legs", "carry", "the", "weight", "of", "the"], ["body.", "(credit:", "Benjamin", "J."]]
            _justified_side_caption(pdf, 309, 476, 348 + 13.5 * 6, rows + [["DeLong)"]], label="Figure 6.2:")
        else:
            pdf.setFont("Times-Roman", 10)
            running_prose(pdf, 60, 750, 50, per_line=19)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    photo = figures["6.2"]
    assert photo["page"] == 2 and Box(*photo["bbox"]).iou(Box(60, 203, 298, 559)) >= 0.95
    assert photo["caption"].endswith("(credit: Benjamin J. DeLong)")


def test_a_margin_caption_starting_at_its_figure_s_foot_is_attached(tmp_path):
    # tufte-book (held-out 15, Figure 6.20): a picture narrower than the main column, its caption in the wide outer
    # margin from the level of the picture's foot down, 140 pt to its right; the picture came out uncaptioned.
    rows = ["Figure 6.20: Types of Fractures. Com-", "pare healthy bone with different types"]
    rows += ["of fractures: (a) closed fracture, (b) open", "fracture, and (c) transverse fracture."]
    pdf = Canvas(str(tmp_path / "tufte.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 700, 9, per_line=13)
    pixels = (np.random.default_rng(11).random((380, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 72, 215, 194, 368)
    running_prose(pdf, 72, 180, 8, per_line=13)
    pdf.setFont("Times-Roman", 8)
    for i, row in enumerate(rows):
        pdf.drawString(406, 205 - 10 * i, row)
    pdf.save()
    run_extract([tmp_path / "tufte.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "6.20" and Box(*figure["bbox"]).iou(Box(72, 209, 266, 577)) >= 0.95
    assert figure["caption"].endswith("and (c) transverse fracture.")


def test_a_credit_line_over_an_unlabelled_caption_is_not_caption_text(tmp_path):
    """Held-out 19: a credit line ("@National Institute ...") set in the caption's type right under a photograph,
    its caption under it, was read into the caption. A credit row heading such a block is the photograph's; a credit
    printed alone under a picture is all the caption it has and stays."""
    path = tmp_path / "credits.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.drawImage(ImageReader(photo_pixels(12)), 40, 842 - 300, 240, 160)  # 140-300 pt from the top
    pdf.drawImage(ImageReader(photo_pixels(13)), 320, 842 - 300, 240, 160)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawCentredString(160, 842 - 310, "©National Institute for Disease Control and Prevention")
    pdf.drawCentredString(160, 842 - 320, "The national meeting on vector surveillance held virtually")
    pdf.drawCentredString(440, 842 - 310, "© Ministry of Health photo library")
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 842 - 60, 6, per_line=12)
    running_prose(pdf, 40, 842 - 360, 12, per_line=12)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [row["caption"] for row in rows] == [
        "The national meeting on vector surveillance held virtually",
        "© Ministry of Health photo library",
    ]


def test_pictures_a_little_under_photo_size_are_figures_with_an_unlabelled_caption(tmp_path):
    """Held-out 19: a group photograph set as a strip (258 x 68 pt, under the one-inch side a picture needs to be an
    uncaptioned figure) with its caption centred under it, and a pair of journal covers under one caption, the left
    one under the photo-size area, the right one's raster white at its top (its ink 12 pt lower, so the gutter
    between the two looked wider than the 8 pt set), were not found. A picture near photo size is a figure when a
    caption printed without a label is set under it; without one it is not (a logo, an icon), nor with a row of
    words over it only (held-out 8's Gantt bars under a row of months)."""
    path = tmp_path / "small.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.drawImage(ImageReader(photo_pixels(14)), 312, 842 - 741, 258, 68)  # the strip: 673-741 pt from the top
    cover = photo_pixels(15).resize((180, 220))
    cover.paste((255, 255, 255), (0, 0, 180, 23))  # a white band at the raster's top: 12 pt of 115
    pdf.drawImage(ImageReader(photo_pixels(16).resize((130, 190))), 66, 842 - 584, 78, 115)  # 469-584
    pdf.drawImage(ImageReader(cover), 152, 842 - 584, 94, 115)  # 8 pt right of it
    pdf.drawImage(ImageReader(photo_pixels(17)), 330, 842 - 560, 110, 70)  # small, uncaptioned: no figure
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawCentredString(385, 842 - 484, "Mar Apr May Jun Jul Aug Sep")  # a header row over it is no caption
    pdf.drawCentredString(441, 842 - 751, "The eighth workshop on multisectoral collaboration, Bangkok")
    pdf.drawCentredString(156, 842 - 596, "A special issue for the anniversary of the network")
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 842 - 60, 30, per_line=11)
    running_prose(pdf, 312, 842 - 600, 5, per_line=5)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [(row["caption"], max(len(row["panels"]), 1)) for row in rows] == [
        ("A special issue for the anniversary of the network", 2),
        ("The eighth workshop on multisectoral collaboration, Bangkok", 1),
    ]


def test_a_caption_in_the_corner_two_diagonal_photographs_leave_is_theirs(tmp_path):
    """Held-out 19 (issue 12 p5): two photographs set diagonally, corner to corner, their caption (under a credit
    line) set beside both in the corner they leave empty, inside the group's box. No caption was found over or under
    the group. The lines of small type in the group's white space, on no photograph, are its caption."""
    path = tmp_path / "diagonal.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.drawImage(ImageReader(photo_pixels(18)), 306, 842 - 529, 158, 108)  # 421-529 pt from the top
    pdf.drawImage(ImageReader(photo_pixels(19)), 428, 842 - 635, 144, 107)  # 528-635: their corners touch
    pdf.setFont("Helvetica-Bold", 8)
    for baseline, row in ((602, "@Ministry of Health"), (612, "Trachoma MDA campaign"), (621, "reaching work places,")):
        pdf.drawCentredString(368, 842 - baseline, row)
    pdf.drawCentredString(368, 842 - 631, "May-July 2020")
    pdf.setFont("Helvetica", 10)
    running_prose(pdf, 40, 842 - 60, 40, per_line=5)
    running_prose(pdf, 306, 842 - 60, 25, per_line=5)
    pdf.save()
    rows = figures_left_to_right(path)
    assert [(row["caption"], len(row["panels"])) for row in rows] == [
        ("Trachoma MDA campaign reaching work places, May-July 2020", 2)
    ]


def test_a_caption_printed_again_in_a_second_language_under_it_is_one_caption(tmp_path):
    # The WHO Weekly Epidemiological Record (held-out 21) prints each caption in English, then again in French under
    # it with the same label, over the chart: the French "Fig. 3" line started a caption of its own, so the
    # English caption stopped there and the French lines went into the figure's box.
    canvas = Canvas(str(tmp_path / "bilingual.pdf"), pagesize=(612, 792))
    rows = (
        "Fig. 3 No. of people receiving treatment through mass drug administration, 2000-2008",
        "Fig. 3 Nombre de personnes recevant un traitement par le biais de l'AMM, 2000-2008",
    )
    for k, text in enumerate(rows):
        words = text.split()
        draw_words(
            canvas,
            72,
            700 - 10 * k,
            [(" ".join(words[:2]), "Helvetica-Bold")] + [(w, "Helvetica") for w in words[2:]],
            8,
        )
    canvas.setFillGray(0.3)
    canvas.rect(100, 480, 400, 190, fill=1, stroke=0)
    canvas.setFont("Times-Roman", 10)
    canvas.drawString(
        72, 450, "In Brazil, in the metropolitan area of Pernambuco State, the disease is considered endemic."
    )
    canvas.save()
    with open_pdf(tmp_path / "bilingual.pdf") as document:
        page = read_page(document, 0)
        captions = [(c.label, c.text) for c in find_captions(page, 10.0)]
        page.close()
    assert captions == [("3", " ".join(rows))]


def test_a_note_under_a_chart_opening_with_the_captions_superscript_letter_is_left_out(tmp_path):
    # WHO's LF progress report (held-out 21, Figure 6): the caption over the chart ends with a superscript "a",
    # and "a In the first round there were ..." under the chart explains it; the figure's box took the note in
    # (IoU under 0.8). As for "*" and "†" marks, a note that opens with the caption's superscript letter is cut.
    # Each superscript is set in its line's run of text, as InDesign writes it.
    canvas = Canvas(str(tmp_path / "letter-note.pdf"), pagesize=(612, 792))

    def with_superscript(x, y, before, size, after=""):
        text = canvas.beginText(x, y)
        if before:
            text.setFont("Times-Roman", size)
            text.textOut(before)
        text.setFont("Times-Roman", 3.5)
        text.setRise(3)
        text.textOut("a ")
        text.setFont("Times-Roman", size)
        text.setRise(0)
        text.textOut(after)
        canvas.drawText(text)

    with_superscript(160, 680, "Figure 6. Effect of mass drug administration on prevalence of microfilaraemia", 8)
    canvas.setFillGray(0.45)
    canvas.rect(190, 470, 250, 195, fill=1, stroke=0)
    canvas.setFillGray(0)
    with_superscript(
        160, 456, "", 6, "In the first round there were 131 sentinel sites; in the second round there were 124;"
    )
    canvas.setFont("Times-Roman", 6)
    canvas.drawString(164, 449, "in the fourth round there were 148; in the fifth round there were 68.")
    canvas.setFont("Times-Roman", 10)
    for k in range(6):
        canvas.drawString(
            134, 410 - 12 * k, "Epidemiological modelling, which takes into account the reduction in potential"
        )
    canvas.save()
    (figure,) = figures_left_to_right(tmp_path / "letter-note.pdf")
    assert figure["bbox"][3] <= 792 - 465


def test_a_pies_label_centred_under_a_flush_left_caption_does_not_run_it_on(tmp_path):
    # The WER's Fig. 1 (held-out 21): a caption set flush left, ragged right, in a column; under its last row, at
    # the caption's leading, the pie's first label "IVM+ALB" in the caption's type, centred in the column. Taken for
    # a centred caption's last row, it ran the caption on.
    pdf = Canvas(str(tmp_path / "pie.pdf"), pagesize=(612, 792))
    pdf.setFont("Helvetica", 8)
    rows = (
        "Fig. 1 Proportion of at-risk population covered by im-",
        "plementation units during mass drug administration for",
        "lymphatic filariasis, by drug or drugs delivered, 2008",
    )
    for k, row in enumerate(rows):
        pdf.drawString(66, 792 - 84 - 10 * k, row)
    pdf.drawCentredString(164, 792 - 113, "IVM+ALB")
    pdf.circle(164, 792 - 200, 70, stroke=0, fill=1)
    pdf.save()
    captions = [c.text for c in _captions_on(tmp_path / "pie.pdf", 9.5)]
    assert captions == [" ".join(rows).replace("im- plementation", "implementation")], captions


def test_a_plates_key_with_entries_hung_under_their_letters_stays_in_its_caption(tmp_path):
    # Issue 13 class 52 (held-out 23's plates): a caption title over a key whose entries wrap hung under the text
    # after their letter, neither at the title's edge nor centred; the caption had stopped at the key's first row.
    caption = _caption_over_a_key(
        tmp_path,
        "FIG. 5.—Pseudoparasites of mosquitoes.",
        [
            (393, 100, "a. Larva of Aphelenchoides, 280 by 16 microns"),
            (383, 112, "(after Manson-Bahr 1952)."),
            (373, 100, "b. Later stage larva of Aphelenchoides, 320 by"),
            (363, 112, "20 microns (after Manson-Bahr 1952)."),
        ],
    )
    assert caption.text.endswith("20 microns (after Manson-Bahr 1952).")


def _caption_over_a_key(tmp_path: Path, title: str, key: list[tuple[float, float, str]]) -> Caption:
    """The caption found on a page of a photograph over a 9 pt caption `title` and its `key` rows (baseline, x, text),
    body text under them."""
    pdf = Canvas(str(tmp_path / "key.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(4)), 100, 420, 300, 300)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(100, 404, title)
    for y, x, text in key:
        pdf.drawString(x, y, text)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 100, 330, 10, per_line=9)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(tmp_path / "key.pdf"), 0), body_size=10.0)
    return caption


def test_a_key_entry_wrapped_over_several_lines_hung_under_its_letter_stays_in_its_caption(tmp_path):
    # Issue 13 class 52 (held-out 23, report p19 FIG. 8): every wrapped line of a key's entry hangs under the text
    # after its letter; the caption took the entry's first wrap (hung under the letter's row) and stopped at the
    # second, which stands under the first wrap, not under a letter.
    caption = _caption_over_a_key(
        tmp_path,
        "FIG. 8.—Pseudoparasites of mosquitoes.",
        [
            (393, 100, "a. Larva of Aphelenchoides, 280 by 16"),
            (383, 112, "microns, after the drawing made"),
            (373, 112, "by Manson-Bahr (1952)."),
            (363, 100, "b. Later stage larva of Aphelenchoides."),
        ],
    )
    assert caption.text.endswith("b. Later stage larva of Aphelenchoides.")


def test_subscripts_read_as_lines_of_their_own_stay_in_the_caption_where_they_are_printed(tmp_path):
    """Held-out 39's NAACL 2024 CoUDA p3 Figure 2: "negative samples D− and D , respectively" with the 7 pt
    subscripts "g" and "l" drawn after the row, so read as lines of their own; row order put them after the row's
    end ("... respectively. (b) ... g l"), and the caption matched its truth ("Dg− and Dl−") nowhere."""
    path = tmp_path / "subscripts.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    opening = "Figure 2: Overview of our framework. First, we create the negative samples D"
    first = 71 + stringWidth(opening, "Times-Roman", 10)
    second = first + 5 + stringWidth(" and D", "Times-Roman", 10)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(71, 560, opening)
    pdf.drawString(first + 5, 560, " and D")
    pdf.drawString(second + 4, 560, ", respectively, and then train the metric model.")
    pdf.drawString(71, 548, "The model scores the whole discourse for a global score.")
    pdf.setFont("Times-Roman", 7)  # the subscripts, drawn last
    pdf.drawString(first, 557.5, "g")
    pdf.drawString(second, 557.5, "l")
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(path), 0), body_size=10.0)
    assert "negative samples Dg and Dl" in caption.text, caption.text


def test_a_browser_s_superscript_after_a_row_piece_stays_in_the_caption_row_it_is_printed_in(tmp_path):
    """Print probe P3 (Chromium, two columns, Anatomy and Physiology 12.27): "... the axon where Ca2+ enters the bulb
    ..." with "2+" in the browser's smaller type, 5/6 of the caption's (LaTeX's is 7/10), read as a line of its own.
    Too large for a script, and standing higher than its row, it was left out of the caption as text beside it."""
    path = tmp_path / "superscript.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(2)), 50, 792 - 280, 245, 220)
    rows = (
        "Figure 12.27 The Synapse",
        "The synapse is a connection between a neuron and its target cell",
        "(which is not necessarily a neuron). The presynaptic element is",
    )
    for n, row in enumerate(rows):
        draw_words(pdf, 50, 792 - 298 - 10.5 * n, [(word, "Helvetica") for word in row.split()], 8.5)
    baseline = 792 - 298 - 10.5 * 3
    before = "the synaptic end bulb of the axon where Ca"
    end = 50 + stringWidth(before, "Helvetica", 8.5)
    draw_words(pdf, 50, baseline, [(word, "Helvetica") for word in before.split()], 8.5)
    draw_words(pdf, end + 10.5, baseline, [(word, "Helvetica") for word in "enters the bulb to".split()], 8.5)
    draw_words(pdf, 50, baseline - 10.5, [(word, "Helvetica") for word in "cause vesicle fusion.".split()], 8.5)
    pdf.setFont("Helvetica", 8.5 * 5 / 6)  # the script, drawn last
    pdf.drawString(end + 0.3, baseline + 3, "2+")
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(path), 0), body_size=10.5)
    assert "the axon where Ca2+ enters the bulb to cause vesicle fusion." in caption.text, caption.text


def test_a_line_of_the_left_column_overflowing_into_a_caption_is_not_a_row_of_it(tmp_path):
    """Print probe P6 (Chromium, two columns, Microbiology 2.24): a reference's URL, one word no browser breaks, runs
    from the left column across the gutter and under the caption's third row in the right column. Level with that
    row and over the caption's narrow first row (its label alone), it was taken into the row, and the caption was cut
    there. Text is not printed over text: a line running over the row's from its left is the other column's."""
    path = tmp_path / "overflow.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 50, 792 - 60, 12, leading=13.5, per_line=8)
    pdf.drawString(50, 792 - 231, "http://www.example.org/PRODUCTS/TransmissionElectronMicroscopes%28TEM%29/200kV/JEM")
    running_prose(pdf, 50, 792 - 245, 20, leading=13.5, per_line=8)
    pdf.drawImage(ImageReader(photo_pixels(4)), 317, 792 - 180, 245, 122)
    rows = (
        "(a) This TEM image of cells in a biofilm shows well-defined",
        "internal structures of the cells because of varying levels of",
        "opacity in the specimen. (b) This color-enhanced SEM image of",
        "the bacterium Staphylococcus aureus illustrates the ability of",
        "scanning electron microscopy to render three-dimensional images.",
    )
    draw_words(pdf, 317, 792 - 194, [("Figure", "Helvetica-Bold"), ("2.24", "Helvetica-Bold")], 8.5)
    for n, row in enumerate(rows):
        draw_words(pdf, 317, 792 - 205 - 10.75 * n, [(word, "Helvetica") for word in row.split()], 8.5)
    pdf.save()
    (caption,) = find_captions(read_page(pdfium.PdfDocument(path), 0), body_size=10.0)
    assert caption.text == " ".join(("Figure 2.24", *rows)), caption.text


def test_a_caption_cut_by_a_column_break_goes_on_atop_the_next_column(tmp_path):
    """Blind print probe P10 (Chromium, two columns, Microbiology 13.34): on a chapter's last page, its columns
    balanced, a figure's caption ends the short left column mid-sentence ("... can be passed from") and goes on at
    the head of the right column in its small type ("one patient to another, ..."). The caption was cut at the column
    break. Its figure is still searched for from the caption's own column."""
    pdf = Canvas(str(tmp_path / "columns.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(12)), 68, 792 - 210, 225, 152)
    rows = (
        "The elevator mechanism in a duodenoscope contains crevices that are difficult",
        "to disinfect. Pathogens that survive disinfection protocols can be passed from",
    )
    draw_words(pdf, 56, 792 - 231, [(word, "Helvetica-Bold") for word in ("Figure", "13.34")], 6.6)
    for n, row in enumerate(rows):
        draw_words(pdf, 56, 792 - 240 - 8.8 * n, [(word, "Helvetica") for word in row.split()], 6.6)
    rest = (
        "one patient to another, causing serious infections. (credit: modification of",
        "work by Centers for Disease Control and Prevention)",
    )
    for n, row in enumerate(rest):
        draw_words(pdf, 320, 792 - 65 - 8.8 * n, [(word, "Helvetica") for word in row.split()], 6.6)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 320, 792 - 110, 20, leading=13, per_line=7)
    pdf.save()
    run_extract([tmp_path / "columns.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["caption"] == " ".join(("Figure 13.34", *rows, *rest))
    assert Box(*figure["bbox"]).iou(Box(68, 58, 293, 210)) > 0.9, figure["bbox"]


def test_a_script_just_past_the_end_of_the_row_piece_it_follows_is_printed_inside_it():
    """The same row as pdfium read it from Chromium's PDF: a line break of its own after "Ca" (the script's raised
    run), so the row's pieces are "... where Ca" (ending at 213.7 pt), "2+" (from 214.0 pt) and "enters the bulb to".
    The script starts past the piece's last glyph, inside no line, and was left out as text beside the caption."""
    piece = TextLine("the synaptic end bulb of the axon where Ca", Box(50.4, 326.56, 213.67, 334.58), 8.5, 0)
    script = TextLine("2+", Box(214.03, 324.23, 221.4, 329.24), 7.08, 43)
    rest = TextLine("enters the bulb to", Box(224.47, 326.56, 289.4, 332.89), 8.5, 46)
    assert _printed_inside(script, [piece, script, rest]) is piece


def test_a_row_piece_opened_by_a_raised_script_goes_on_from_the_line_it_follows():
    """Print probe P8 (Chromium, captions in a wide margin, Microbiology 11.5), the caption row as pdfium read it:
    broken before the raised mass number, "first in heavy nitrogen (" then "15N) then", the piece read in the
    script's size (6.66 pt in 7.99 pt type) and 2 pt higher, so sorted before its row. Beside the caption's first
    row and no script (too long), it was dropped as another column's text: "heavy nitrogen ( in 14N"."""
    row = TextLine("first in heavy nitrogen (", Box(403.4, 184.75, 496.6, 192.57), 7.99, 0)
    piece = TextLine("15N) then", Box(497.9, 182.57, 534.8, 191.96), 6.66, 26)
    below = TextLine("in 14N. DNA grown in", Box(403.9, 194.57, 486.5, 204.57), 7.99, 36)
    assert _piece_after(piece, [row, piece, below], 7.99) is row
    assert _piece_after(below, [row, piece, below], 7.99) is None


def test_a_caption_whose_first_panel_letter_follows_its_label_is_a_caption(tmp_path):
    """The session 33 sweep, openvirusdev 046111690b p4 (J Neurovirol, Springer): the side caption "Fig. 1 a Canonical
    organization ... b Organization ...", its label and panel letters in bold. A lower-case word after the label
    read as a sentence going on ("Figure 3 shows ..."), and the letter's bold took away the bold label's weight: no
    caption was found, and the figure came out uncaptioned."""
    pdf = Canvas(str(tmp_path / "letter.pdf"), pagesize=(595, 791))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 51, 400, 30, per_line=7)  # two columns of body text under the figure
    running_prose(pdf, 306, 400, 30, per_line=7)
    pdf.setFont("Times-Roman", 8)
    lines = ["", "genome: its genes, from 5' to 3',", "encode the replicase. b Organi-", "zation of the virion"]
    springer_side_caption(pdf, 64, lines, (55, 360))
    first = pdf.beginText(51, 791 - 64)
    first.setFont("Times-Bold", 8)
    first.textOut("Fig. 1 a ")
    first.setFont("Times-Roman", 8)
    first.textOut("Canonical organization of the")
    pdf.drawText(first)
    figure = only_figure(pdf, tmp_path / "letter.pdf", tmp_path)
    assert figure["label"] == "1"
    assert figure["caption"].startswith("Fig. 1 a Canonical organization of the genome")
    assert Box(*figure["bbox"]).iou(Box(232, 55, 544, 360)) >= 0.95, figure["bbox"]


def _row_with_symbols(canvas: Canvas, x: float, baseline: float, pieces: list[str | None]) -> None:
    """A caption row in 10 pt Times: text pieces, and where `None` stands, a drawn circle 12 pt wide set between
    them a word space from each (no glyph: the PDF's text has a gap there)."""
    for piece in pieces:
        if piece is None:
            canvas.circle(x + 2.5 + 6, baseline + 3, 6)
            x += 2.5 + 12 + 3.5
            continue
        canvas.setFont("Times-Roman", 10)
        canvas.drawString(x, baseline, piece)
        x += stringWidth(piece, "Times-Roman", 10)


def test_a_symbol_drawn_in_a_caption_row_does_not_end_the_caption(tmp_path):
    # NAACL 2024 8cde98e78a p3 (mineru-naacl2024): "... indicates that ○ were important for LLM f to retrieve the
    # memorized sequence.", the legend's marker drawn between two words. The 19 pt gap it left in the text read as
    # a chart's labels spread along a row, and the caption lost its last row. A key row under a caption, its
    # markers close to their own labels only, still ends it.
    canvas = Canvas(str(tmp_path / "symbols.pdf"), pagesize=(612, 792))
    canvas.setFont("Times-Roman", 10)
    canvas.drawString(72, 600, "Figure 1: Left: the benchmark updates a small set of weights to store the new piece")
    canvas.drawString(72, 588, "of data. The neurons predicted by a localization method are circled with black.")
    _row_with_symbols(canvas, 72, 576, ["A large change in distance after dropout indicates that", None, "were lost."])
    canvas.drawString(72, 400, "Figure 2: Counts of cases by week in both groups of the trial over the season.")
    for x, entry in ((72, "Control"), (200, "Treated")):
        canvas.rect(x, 389, 8, 8, fill=1)
        canvas.drawString(x + 10, 388, entry)
    canvas.save()
    captions = {c.label: c.text for c in _captions_on(tmp_path / "symbols.pdf", 9.0)}
    assert captions["1"].endswith("indicates that were lost."), captions["1"]
    assert captions["2"] == "Figure 2: Counts of cases by week in both groups of the trial over the season."


def _manuscript_page(pdf: Canvas, pitch: float, caption: list[tuple[str, str]], after: list[tuple[str, str]]) -> None:
    """A page in 12 pt Times whose body lines stand `pitch` apart: a photo, under it the caption's rows (text, font)
    centred and double-spaced (27.6 pt apart), then the rows `after` it flush left, then body text."""
    pdf.setFont("Times-Roman", 12)
    running_prose(pdf, 72, 760, 5, leading=pitch, per_line=12)
    pdf.drawImage(ImageReader(photo_pixels(3)), 150, 400, 300, 200)
    y = 400 - 24
    for text, font in caption:
        pdf.setFont(font, 12)
        pdf.drawCentredString(300, y, text)
        y -= 27.6
    for text, font in after:
        pdf.setFont(font, 12)
        pdf.drawString(72, y, text)
        y -= pitch
    pdf.setFont("Times-Roman", 12)
    running_prose(pdf, 72, y, 4, leading=pitch, per_line=12)
    pdf.showPage()


@pytest.mark.parametrize("pitch", [27.6, 14.4])
def test_a_caption_in_a_double_spaced_manuscript_keeps_its_rows_and_stops_at_a_heading(tmp_path, pitch):
    # medRxiv manuscripts (openvirusdev f803c49857, f40dfd1aab, 3084fe8a72) are double-spaced, their captions
    # too: 17 pt between the rows of an 11 pt caption cut every caption to its first row. Rows stand as far apart as
    # the body's lines there; a heading follows the caption no further apart, and is told by its bold. In a body
    # set solid, a row that far under the caption is no caption row.
    path = tmp_path / "manuscript.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    caption = [("Figure 1 Number of positive samples and total number of samples for", "Times-Roman")]
    rest = ("nucleic acid testing", "Times-Roman")
    _manuscript_page(pdf, pitch, [*caption, rest], [])
    _manuscript_page(
        pdf,
        pitch,
        [("Figure 2 The distribution of influenza B viruses at different ages and times of year", "Times-Roman")],
        [("3. Discussion", "Times-Bold")],
    )
    for _ in range(2):
        _manuscript_page(pdf, pitch, [], [])
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    captions = {row["label"]: row["caption"] for row in Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()}
    whole = caption[0][0] + " " + rest[0]
    assert captions["1"] == (whole if pitch > 20 else caption[0][0])
    assert captions["2"] == "Figure 2 The distribution of influenza B viruses at different ages and times of year"


def test_a_centred_italic_title_keeps_the_smaller_upright_description_under_it(tmp_path):
    """AI Magazine (crash-sweep, science-parse 6daea1ed28 pp. 2, 8): "Figure 8. Results of Active Learning on the
    GameWinner Relation." centred in italics in the body's size, its description under it across the measure in a
    smaller upright type, then the body's two columns. The caption ended at the italics, and the description, on a
    white box drawn behind it, became Figure 8 while the chart over the caption went uncaptioned."""
    pdf = Canvas(str(tmp_path / "magazine.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(photo_pixels(8)), 90, 792 - 320, 430, 240)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(51, 792 - 432, 513, 56, stroke=0, fill=1)  # the white box behind the caption's description
    pdf.setFillColorRGB(0, 0, 0)
    title = "Figure 8. Results of Active Learning on the GameWinner Relation."
    pdf.setFont("Times-Italic", 9)
    pdf.drawCentredString(306, 792 - 375, title)
    pdf.setFont("Times-Roman", 8)
    description = (
        "Even 20 new instances of active learning for GameWinner raised precision from under 0.50 to over 0.90 at",
        "recall 0.20. Further iterations of active learning continued to raise the recall-precision curve.",
    )
    for k, row in enumerate(description):  # justified across the measure, the last row flush left
        text = pdf.beginText(51, 792 - 391 - 10 * k)
        text.setFont("Times-Roman", 8)
        if k < len(description) - 1:
            text.setWordSpace((513 - stringWidth(row, "Times-Roman", 8)) / row.count(" "))
        text.textLine(row)
        pdf.drawText(text)
    pdf.setFont("Times-Roman", 9)
    for column in (51, 326):
        running_prose(pdf, column, 792 - 430, 20, leading=11, per_line=7)
    pdf.save()
    (figure,) = [row for row in figures_left_to_right(tmp_path / "magazine.pdf") if row["label"] == "8"]
    assert figure["caption"] == " ".join((title, *description)), figure["caption"]
    assert figure["bbox"][3] <= 330, figure["bbox"]  # the picture over the caption


def test_a_caption_row_does_not_run_on_into_the_next_column_across_a_narrow_gutter(tmp_path):
    """ACL 2005 (crash sweep, science-parse 5552671696 p. 4, Figure 2): a two-column page with a 15 pt gutter, under
    1.5 of the body's sizes, the right column's rows 4 pt lower than the caption's. Each right-column line level with
    a caption row was taken for the rest of that row split at a glyph: the caption ran on across the page
    ("... Corpus e. We rank the elements of ..."), so its search spanned both columns, stopped at once at the right
    column's text, and the graphical model over the caption was not found."""
    path = tmp_path / "acl.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    for k in range(40):  # the right column's rows, 4.4 pt lower than the left column's
        justified_line(pdf, 313, 792 - 77.4 - 13.6 * k, PROSE_WORDS[k % 5 :], 227)
    for k in range(5):  # a graphical model: hidden states in a row, each emitting a token under it
        pdf.circle(95 + 50 * k, 792 - 95, 11)
        pdf.line(95 + 50 * k, 792 - 106, 95 + 50 * k, 792 - 125)
        if k:
            pdf.line(73 + 50 * k, 792 - 95, 84 + 50 * k, 792 - 95)
    pdf.setFont("Helvetica-Bold", 8)
    for k, token in enumerate(("Intel", ",", "headquartered", "in", "Santa+Clara")):
        pdf.drawCentredString(95 + 50 * k, 792 - 138, token)
    rows = (
        "Figure 2: Graphical model employed by HMM-T.",
        "Shown is the case in which k = 2. Corpus",
        "pre-processing results in the proper noun Santa",
        "Clara being concatenated into a single token.",
    )
    for k, row in enumerate(rows[:-1]):
        justified_line(pdf, 72, 792 - 168.2 - 13.6 * k, row.split(), 226)
    pdf.setFont("Times-Roman", 10.9)
    pdf.drawString(72, 792 - 168.2 - 13.6 * 3, rows[-1])
    for k in range(30):
        justified_line(pdf, 72, 792 - 240 - 13.6 * k, PROSE_WORDS[k % 5 :], 226)
    figure = only_figure(pdf, path, tmp_path)
    assert figure["caption"] == " ".join(rows), figure["caption"]
    assert Box(*figure["bbox"]).contains(Box(84, 84, 290, 140), tolerance=2), figure["bbox"]

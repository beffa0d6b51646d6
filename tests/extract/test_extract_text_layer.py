"""extract's reading of the text layer on generated pages: word spaces from gaps or a dictionary with offsets kept
on the printed characters, bold from a renamed TrueType font, rotated labels and numbers drawn out of order, TeX's
symbols read by their glyph names."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import reportlab
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from shared_data import require_shared
from typer.testing import CliRunner

from fixtures.layout_pages import (
    PROSE_WORDS,
    only_figure,
    photo_pixels,
    running_prose,
    sample_book_rows,
    sample_book_truth,
    tab_numeral_then,
)
from fixtures.type1 import pdf_in_a_type1_font
from fixtures.type3 import pdf_in_a_type3_font
from mmskin_build.cli import app
from mmskin_build.extract.document import ExtractConfig, open_pdf
from mmskin_build.extract.evaluate import evaluate_dataset
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import TextLine, read_page, truetype_bold
from mmskin_build.extract.stage import run_extract
from mmskin_build.sample.layout import draw_words
from mmskin_build.store import Dataset


def test_a_renamed_truetype_fonts_own_bold_bit_says_bold():
    """A PDF writer that renames every font ("CairoFont-0-0", held-out 22) leaves neither a weight nor "Bold" in the
    name; the embedded TrueType program's head table still says bold (macStyle bit 0)."""

    def program(mac_style: int) -> bytes:
        head = bytes(44) + mac_style.to_bytes(2, "big") + bytes(8)
        record = b"head" + bytes(4) + (12 + 16).to_bytes(4, "big") + len(head).to_bytes(4, "big")
        return b"\x00\x01\x00\x00" + (1).to_bytes(2, "big") + bytes(6) + record + head

    assert truetype_bold(program(1))
    assert truetype_bold(program(3))  # bold italic
    assert not truetype_bold(program(2))  # italic
    assert not truetype_bold(b"OTTO")  # no table directory
    # A Type 1 program reads as 16,740 table records ("Ad"); a "head" off the records' 16-byte steps is no tag.
    assert not truetype_bold(b"%!PS-AdobeFont-1.0: Bold head" + bytes(1000))


def test_a_truetype_fonts_os2_weight_outranks_its_head_tables_bold_bit():
    """Probe (wkhtmltopdf, OpenStax Microbiology): Qt's font subsets set the head table's bold bit in every font, the
    regular DejaVu Serif too, so every caption row read bold, a row of the caption after a sentence's end was taken
    for a bold run-in heading, and 28 captions were cut. The OS/2 table's weight class and fsSelection say what the
    face is; the head table speaks only where a program has no OS/2 table."""

    def program(mac_style: int, weight: int, selection: int) -> bytes:
        head = bytes(44) + mac_style.to_bytes(2, "big") + bytes(8)
        os2 = bytes(4) + weight.to_bytes(2, "big") + bytes(56) + selection.to_bytes(2, "big") + bytes(32)
        at = 12 + 2 * 16
        records = b"OS/2" + bytes(4) + at.to_bytes(4, "big") + len(os2).to_bytes(4, "big")
        records += b"head" + bytes(4) + (at + len(os2)).to_bytes(4, "big") + len(head).to_bytes(4, "big")
        return b"\x00\x01\x00\x00" + (2).to_bytes(2, "big") + bytes(6) + records + os2 + head

    assert not truetype_bold(program(1, 400, 0x40))  # Qt's regular face: head says bold, OS/2 regular
    assert truetype_bold(program(1, 700, 0x20))
    assert truetype_bold(program(0, 400, 0x20))  # fsSelection's bold bit
    assert truetype_bold(program(0, 600, 0x00))  # semibold


def test_a_face_the_truetype_program_calls_regular_is_not_bold_for_its_stem_width(tmp_path):
    """Blind print probe (Chromium, Microbiology Figures 3.20, 3.22): Chromium's font descriptors carry no weight, so
    pdfium estimates one from the stem width, 610 for DejaVu Sans Oblique: every italic word read bold, and an italic
    species name opening a caption row ("Carboxydothermus / hydrogenoformans endospore.") was taken for a bold
    run-in heading that ended the caption. The embedded program's OS/2 table says what the face is."""
    fonts = Path(reportlab.__file__).parent / "fonts"  # Bitstream Vera, DejaVu's parent face
    pdfmetrics.registerFont(TTFont("Vera-Oblique", str(fonts / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(fonts / "VeraBd.ttf")))
    pdf = Canvas(str(tmp_path / "faces.pdf"), pagesize=(612, 792))
    draw_words(pdf, 72, 700, [("Carboxydothermus", "Vera-Oblique")], 8)
    draw_words(pdf, 72, 680, [("Bold", "Vera-Bold")], 8)
    pdf.save()
    data = (tmp_path / "faces.pdf").read_bytes()
    assert data.count(b"/StemV 87 /") == 1  # the oblique's; a heavier stem of as many bytes keeps the offsets
    (tmp_path / "faces.pdf").write_bytes(data.replace(b"/StemV 87 /", b"/StemV 150/"))
    document = pdfium.PdfDocument(tmp_path / "faces.pdf")
    page = read_page(document, 0)
    assert pdfium_c.FPDFText_GetFontWeight(page.textpage.raw, page.lines[0].start) >= 600  # pdfium's estimate
    assert [(line.text, page.is_bold(line.start)) for line in page.lines] == [
        ("Carboxydothermus", False),
        ("Bold", True),
    ]


def test_a_rotated_label_run_into_a_caption_line_is_a_line_of_its_own(tmp_path):
    """WHO Figure 1.2: pdfium's text runs the rotated axis label on from the caption's last line; the line is cut
    where the rotated run starts, not where the glyph under its left edge is ("Number o" | "f cases")."""
    canvas = Canvas(str(tmp_path / "rotated.pdf"), pagesize=(612, 792))
    caption = canvas.beginText(72, 700)
    caption.setFont("Helvetica", 8)
    caption.textLine("Figure 1.2 Average annual number of dengue cases reported to WHO, 1955-2007")
    canvas.drawText(caption)
    canvas.translate(80, 500)
    canvas.rotate(90)
    label = canvas.beginText(0, 0)
    label.setFont("Helvetica", 9)
    label.textOut("Number of cases")
    canvas.drawText(label)
    canvas.showPage()
    canvas.save()
    with open_pdf(tmp_path / "rotated.pdf") as document:
        page = read_page(document, 0)
        assert [line.text for line in page.lines] == [
            "Figure 1.2 Average annual number of dengue cases reported to WHO, 1955-2007",
            "Number of cases",
        ]
        page.close()


def _page_with_lines(path: Path, lines: list[tuple[list[str], float | None]]) -> list[str]:
    """Draw each line's words (0.1 em apart without space glyphs when a gap is given) and read the page back."""
    canvas = Canvas(str(path), pagesize=(612, 792))
    for row, (words, gap) in enumerate(lines):
        draw_words(canvas, 72, 700 - 14 * row, [(word, "Times-Roman") for word in words], 10.0, gap)
    canvas.save()
    document = pdfium.PdfDocument(path)
    try:
        return [line.text for line in read_page(document, 0).lines]
    finally:
        document.close()


def test_word_gaps_without_space_glyphs_are_read_as_spaces(tmp_path):
    body = [
        "Differential diagnosis".split(),
        "Scattered fine papules and excoriations on the wrists and finger webs".split(),
        "of a young man; burrows are seen as short grey lines on sun-exposed skin.".split(),
        "The face is spared, as is usual in adults. (credit: Dr A. Smith)".split(),
    ]
    assert _page_with_lines(tmp_path / "tight.pdf", [(words, 0.1) for words in body]) == [" ".join(w) for w in body]
    # With spaces on the page, one wide gap inside a long word is kerning, not a word break.
    kerned = [(["A", "note", "on", "the", "methods", "used"], None), (["Acknowled", "gments"], 0.1)]
    assert _page_with_lines(tmp_path / "kerned.pdf", kerned) == ["A note on the methods used", "Acknowledgments"]


def test_words_printed_with_no_gap_at_all_are_split_by_the_dictionary(tmp_path):
    # The glyphs of neighbouring words touch: no gap to measure, so the lines read "Scatteredfinepapules..." and
    # only a dictionary can split them. The long lines are split on their own; with three of them, the page is
    # glued, and its heading and caption title are split too. A term the dictionary lacks stays whole.
    body = [
        "Differential diagnosis",
        "Scattered fine papules on the wrists and the finger webs of a young man;",
        "burrows are seen as short grey lines on the skin of the hands.",
        "The rash is seen on the trunk and on the limbs of the patient.",
        "Dermoscopy",
        "Figure 5.3 Hand, foot and mouth disease",
    ]
    assert _page_with_lines(tmp_path / "glued.pdf", [(line.split(), 0.0) for line in body]) == body
    # A page with word spaces and one long term keeps it whole.
    spaced = [(["The", "patient", "with", "pseudohypoaldosteronism", "was", "seen"], None)]
    assert _page_with_lines(tmp_path / "term.pdf", spaced) == ["The patient with pseudohypoaldosteronism was seen"]


def test_spaces_from_gaps_and_from_the_dictionary_keep_offsets_on_the_printed_characters(tmp_path):
    # One line whose first words touch (spaces from the dictionary) and whose last words are set 0.1 em apart (spaces
    # from the gaps, moved right by the dictionary's): every character of the line's text maps back to its own
    # character of the page's text layer, as caption fonts and hang indents are looked up (`TextLine.char_index`).
    glued, spread = "Scattered fine papules on the wrists and the hands of the".split(), "young man with itch".split()
    path = tmp_path / "mixed.pdf"
    canvas = Canvas(str(path), pagesize=(612, 792))
    draw_words(canvas, 72, 700, [(word, "Times-Roman") for word in glued], 10.0, 0.0)
    x = 72 + sum(stringWidth(word, "Times-Roman", 10.0) for word in glued) + 1.0
    draw_words(canvas, x, 700, [(word, "Times-Roman") for word in spread], 10.0, 0.1)
    canvas.save()
    document = pdfium.PdfDocument(path)
    try:
        page = read_page(document, 0)
        (line,) = page.lines
        assert line.text == " ".join(glued + spread) and line.glued
        assert all(page.text[line.char_index(i)] == ch for i, ch in enumerate(line.text) if i not in line.inserted)
    finally:
        document.close()


def test_an_ebook_printed_with_no_word_gaps_keeps_its_captions_in_words(tmp_path):
    """`make-sample --style ebook --word-gap 0`: the e-book's captions, over page breaks too, come out in words (the
    caption score compares letters only, so it cannot see run-together words; the words are compared here)."""
    result = CliRunner().invoke(app, ["make-sample", str(tmp_path), "--style", "ebook", "--word-gap", "0"])
    assert result.exit_code == 0, result.output
    document = pdfium.PdfDocument(tmp_path / "sample-ebook.pdf")
    assert "Theclinicalcourse" in document[1].get_textpage().get_text_range()  # nothing shows a word break
    document.close()
    run_extract([tmp_path / "sample-ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    assert evaluate_dataset(tmp_path / "ds", tmp_path).sets["sample-ebook"].caption_accuracy == 1.0
    truth = sample_book_truth(tmp_path, "ebook")
    rows = sample_book_rows(tmp_path / "ds", "ebook")
    assert sorted(row["caption"] for row in rows) == sorted(figure["caption_text"] for figure in truth.values())
    result = CliRunner().invoke(app, ["make-sample", str(tmp_path), "--style", "handbook", "--word-gap", "0"])
    assert result.exit_code == 2 and "--word-gap applies to --style ebook only" in result.output


def test_restored_spaces_keep_character_indices():
    line = TextLine("Figure 5.1 Measles", Box(0, 0, 90, 8), 8.0, 100, inserted=(6, 10))
    assert [line.char_index(i) for i in (0, 7, 11, 17)] == [100, 106, 109, 115]
    assert TextLine("plain text", Box(0, 0, 50, 8), 8.0, 7).char_index(5) == 12


def test_a_thumb_tab_numeral_is_not_read_into_the_line_beside_it(tmp_path):
    # pdfium reads a numeral in display type (426 pt, spanning the page's height) and the label drawn after it as one
    # line, "3 Figure 2": no caption started there. Type 35 times the size beside it is not the same line.
    pdf = Canvas(str(tmp_path / "tab.pdf"), pagesize=(765, 567))
    tab_numeral_then(pdf, "Figure 2", 245, 311)
    pdf.save()
    with open_pdf(tmp_path / "tab.pdf") as document:
        page = read_page(document, 0)
        lines = sorted((line.text, line.font_size) for line in page.lines)
        page.close()
    assert lines == [("3", 426.0), ("Figure 2", 12.0)]


def _line_in_sizes(pdf: Canvas, y: float, runs: list[tuple[str, str, float]]) -> None:
    text = pdf.beginText(72, y)
    for run, font, size in runs:
        text.setFont(font, size)
        text.textOut(run)
    pdf.drawText(text)


def test_a_lines_type_size_is_its_words_not_an_odd_first_or_last_letter(tmp_path):
    # A caption row opening with a symbol font's Greek letter ("(μg/l) concentrations", CERMINE's 6e1a9c7771: pdfium
    # reads the μ as an "m" 9.6 pt high in 9 pt type) or with a small capital (science-parse's 0c7e74e1c0 "ARY field
    # ..." after "BOUND-") was read in that letter's size, so the caption's next row, in its type, passed for the
    # body paragraph after it and the caption was cut. A superscript ending a line is no more its size, nor a long
    # subscript ending a short row (NAACL a2739d04bd "(GPT-3.5 TriSum)."); a bullet opening it still is not.
    pdf = Canvas(str(tmp_path / "sizes.pdf"), pagesize=(612, 792))
    _line_in_sizes(
        pdf,
        700,
        [("(", "Times-Roman", 9), ("m", "Helvetica", 9.6), ("g/l) concentrations. Horizontal", "Times-Roman", 9)],
    )
    _line_in_sizes(
        pdf, 680, [("ARY", "Times-Roman", 9), (" field is not present in the original annotation,", "Times-Roman", 11)]
    )
    _line_in_sizes(pdf, 660, [("seen in most cases of the disease.", "Times-Roman", 10), ("12", "Times-Roman", 6)])
    _line_in_sizes(pdf, 640, [("\u2022 ", "Helvetica", 18), ("Training curricula completed", "Helvetica", 12)])
    _line_in_sizes(pdf, 620, [("(GPT-3.5", "Times-Roman", 10), ("TriSum).", "Times-Roman", 7)])
    pdf.save()
    with open_pdf(tmp_path / "sizes.pdf") as document:
        page = read_page(document, 0)
        sizes = [round(line.font_size, 1) for line in sorted(page.lines, key=lambda line: line.box.top)]
        page.close()
    assert sizes == [9.0, 11.0, 10.0, 12.0, 10.0]


def _numbers_drawn_last_pdf(path: Path) -> None:
    """A browser-printed page (held-out set 6's LibreTexts prints): each figure number is drawn after all the page's
    other text, at its place in the reference "(Figure 4.2)" and in the caption "Figure 4.2: ...". Two columns of
    text 1.2 font sizes apart, drawn column after column, close the page."""
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 740, 4, per_line=15)
    number_width = stringWidth("4.2", "Times-Roman", 10)
    space = stringWidth(" ", "Times-Roman", 10)
    placed = []  # (x, baseline) where the number belongs
    for x, baseline, before, after in (
        (72, 692, "the lesions are shown in (Figure", "); they are typical."),
        (72, 430, "Figure", ": A photograph of the rash on the trunk of an adult patient."),
    ):
        pdf.drawString(x, baseline, before)
        at = x + stringWidth(before, "Times-Roman", 10) + space
        pdf.drawString(at + number_width, baseline, after)
        placed.append((at, baseline))
    pdf.drawImage(ImageReader(photo_pixels(42)), 186, 445, 240, 180)
    running_prose(pdf, 72, 400, 3, per_line=15)
    for row in range(3):
        pdf.drawString(72, 300 - 12 * row, "the left column ends here")
    right = 72 + stringWidth("the left column ends here", "Times-Roman", 10) + 12
    for row in range(3):
        pdf.drawString(right, 300 - 12 * row, "the right column starts")
    for at, baseline in placed:
        pdf.drawString(at, baseline, "4.2")
    pdf.save()


def test_a_number_drawn_after_the_page_text_is_read_at_its_place_in_the_line(tmp_path):
    """Held-out set 6, class 16: pdfium reads a line in the order the page draws it, so a number drawn last read
    "Figure : A photograph ..." and the caption was not found. Lines are read along their rows: a piece of the row
    drawn elsewhere, in the same type a word gap away, takes its place in the line, and every character still maps to
    its own in the page's text layer. Text columns a gutter apart stay lines of their own."""
    path = tmp_path / "numbers.pdf"
    _numbers_drawn_last_pdf(path)
    document = pdfium.PdfDocument(path)
    try:
        page = read_page(document, 0)
        texts = [line.text for line in page.lines]
        assert "the lesions are shown in (Figure 4.2); they are typical." in texts
        caption = "Figure 4.2: A photograph of the rash on the trunk of an adult patient."
        assert caption in texts
        assert texts.count("the left column ends here") == 3 and texts.count("the right column starts") == 3
        for line in page.lines:
            assert all(page.text[line.char_index(i)] == ch for i, ch in enumerate(line.text) if i not in line.inserted)
    finally:
        document.close()
    figure = only_figure(Canvas(str(tmp_path / "unused.pdf")), path, tmp_path)
    assert figure["label"] == "4.2" and figure["caption"] == caption
    assert Box(*figure["bbox"]).iou(Box(186, 792 - 625, 426, 792 - 445)) > 0.95


def test_a_piece_of_a_row_that_opens_with_a_superscript_is_read_after_the_word_before_it(tmp_path):
    """Probe (calibre at A6, chapter 18 Figure 18.16): "blood type A+. For the purpose of", the "A" drawn on its own,
    then the "+" raised (a superscript in the body's size) and the rest of the row on the baseline, one piece. The
    two pieces were no one type (their first characters stand on other baselines), so the taller piece, sorted first
    by its top, read "+. For the purpose of" over "A", and the caption said "blood type +. For the purpose of A
    transfusion". Their last characters share the row's baseline: one line."""
    path = tmp_path / "superscript.pdf"
    pdf = Canvas(str(path), pagesize=(298, 420))
    text = pdf.beginText(77, 300)
    text.setFont("Times-Roman", 11.3)
    text.textLine("blood antigens, in this case A")
    text.textLine("and Rh antigens for blood type")
    pdf.drawText(text)
    baseline, after = 271, 77 + stringWidth("A", "Times-Roman", 11.3) + 0.6
    pdf.setFont("Times-Roman", 11.3)
    pdf.drawString(77, baseline, "A")
    text = pdf.beginText(after, baseline + 4.5)
    text.setFont("Times-Roman", 11.3)
    text.textOut("+")
    text.moveCursor(stringWidth("+", "Times-Roman", 11.3), 4.5)
    text.textOut(". For the purpose of")
    pdf.drawText(text)
    pdf.drawString(77, 256, "transfusion, the donor's and")
    pdf.save()
    document = pdfium.PdfDocument(path)
    try:
        texts = [line.text for line in read_page(document, 0).lines]
    finally:
        document.close()
    assert texts[2:4] == ["A+. For the purpose of", "transfusion, the donor's and"]


def _turned_pages_pdf(path: Path) -> None:
    """A portrait report's page of prose, then two pages turned by /Rotate (90, then 270) to show a landscape
    photograph captioned under it: each drawn on its side in the page's own space, upright as displayed."""
    width, height = 595, 842
    pdf = Canvas(str(path), pagesize=(width, height))
    running_prose(pdf, 72, 760, 20)
    pdf.showPage()
    for turn, label in ((90, "2"), (270, "3")):
        pdf.setPageRotation(turn)
        pdf.setPageSize((height, width))  # reportlab writes a turned page's MediaBox with these swapped back
        # The displayed page (842 x 595) drawn into the portrait page's space, turned the other way.
        pdf.translate(*((width, 0) if turn == 90 else (0, height)))
        pdf.rotate(90 if turn == 90 else -90)
        pdf.drawImage(ImageReader(photo_pixels(turn)), 171, 150, 500, 340)
        pdf.setFont("Helvetica", 10)
        pdf.drawString(171, 134, f"Figure {label}. A map of the districts surveyed, shaded by prevalence.")
        pdf.showPage()
    pdf.save()


def test_a_figure_on_a_page_turned_by_rotate_is_read_as_displayed(tmp_path):
    """Reports print wide maps and charts on a landscape page: a portrait page turned by its /Rotate entry (WHO's
    weekly bulletins, held-out 35). Read in the page's own space, its caption is a column of turned text and its box
    lies across the page's frame, so figures were cut, missed or false. The page is read as displayed: boxes in
    pdfplumber's frame of the turned page (width and height swapped), the caption read level, the picture upright."""
    path = tmp_path / "turned.pdf"
    _turned_pages_pdf(path)
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = sorted(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda row: row["page"])
    assert [(row["page"], row["label"]) for row in figures] == [(2, "2"), (3, "3")]
    for row in figures:
        assert (row["page_width"], row["page_height"]) == (842, 595)
        assert row["caption"] == f"Figure {row['label']}. A map of the districts surveyed, shaded by prevalence."
        assert Box(*row["bbox"]).iou(Box(171, 595 - 490, 671, 595 - 150)) > 0.95
        assert row["image_width"] > row["image_height"]
    with pdfplumber.open(path) as pdf:
        image = pdf.pages[1].images[0]
    assert Box(*figures[0]["bbox"]).iou(Box(image["x0"], image["top"], image["x1"], image["bottom"])) > 0.95


def _first_line(pdf: Path) -> str:
    return read_page(pdfium.PdfDocument(pdf), 0).lines[0].text


def test_a_tex_symbol_font_without_a_unicode_map_is_read_by_its_glyph_names(tmp_path):
    """Held-out 28 (an MDPI paper set in pxfonts): "17◦58012” N" for 17°58′12″ N. TeX's symbol fonts are embedded as
    Type 1 programs with neither an /Encoding nor a /ToUnicode map; pdfium maps a glyph by its name and, for a name
    outside the Adobe Glyph List ("prime", "bardbl"), gives the character code ("0", "k"). The program's own encoding
    array names the glyph. A name the list knows ("element") was read right and stays."""
    content = (
        b"BT /F1 10 Tf 72 400 Td (Figure 1. At 17) Tj /F2 10 Tf (0) Tj /F1 10 Tf ( N, x ) Tj /F2 10 Tf (2) Tj "
        b"/F1 10 Tf ( A and ) Tj /F2 10 Tf (k) Tj /F1 10 Tf (x) Tj /F2 10 Tf (k) Tj /F1 10 Tf ( = 1.) Tj ET"
    )
    pdf = tmp_path / "symbols.pdf"
    pdf.write_bytes(pdf_in_a_type1_font(content, b"ABCDEF+CMSY10", {48: b"prime", 50: b"element", 107: b"bardbl"}))
    assert _first_line(pdf) == "Figure 1. At 17′ N, x ∈ A and ∥x∥ = 1."  # main: "At 170 N, x ∈ A and kxk = 1."


def test_a_small_letter_set_inside_a_tex_large_circle_is_the_sign_they_print(tmp_path):
    """Held-out 40 (a Frontiers paper in MathTime fonts): "Visioscan R VC 98" for "Visioscan® VC 98". TeX prints "®"
    as its symbol font's large circle (code 13, "circlecopyrt", which pdfium gave as a line break) with a 3.4 pt "R"
    set inside it; ACL's footers print "©" as the circle with a "c" (held-out 1 specter, papers s2orc). A full-size
    letter after a circle is not inside it and stays a letter."""
    word = "Figure 1. Visioscan"
    ring = 72 + stringWidth(word, "Helvetica", 10)
    rest = ring + 6 + stringWidth(" VC 98 and", "Helvetica", 10)
    content = (
        b"BT /F1 10 Tf 1 0 0 1 72 400 Tm (%s) Tj /F2 10 Tf 1 0 0 1 %.2f 400 Tm (\\015) Tj /F1 4 Tf 1 0 0 1 %.2f 401.2 Tm "
        b"(R) Tj /F1 10 Tf 1 0 0 1 %.2f 400 Tm ( VC 98 and) Tj /F2 10 Tf 1 0 0 1 %.2f 400 Tm (\\015) Tj /F1 10 Tf (R) Tj "
        b"ET" % (word.encode(), ring, ring + 2, ring + 6, rest + 3)
    )
    pdf = tmp_path / "registered.pdf"
    pdf.write_bytes(pdf_in_a_type1_font(content, b"ABCDEF+CMSY10", {13: b"circlecopyrt"}))
    line = _first_line(pdf).replace("\u200b", "")
    assert line == "Figure 1. Visioscan® VC 98 and \u25efR"  # main: "Visioscan" and "R VC 98 and" (two lines)


def test_tex_symbols_on_a_real_conference_page_are_read_by_their_glyph_names():
    """icml13 jaggi13 p. 4 (Computer Modern symbol and extension fonts without ToUnicode maps): pdfium read the norm
    bars as "k" and the display's big parentheses as control characters; 167 lines of the paper changed, each at
    such a glyph (a census over every set's PDFs in docs/NOTES.md, x-texsym29)."""
    pdf = require_shared("pdfs", "icml13_1_jaggi13.pdf")
    lines = [line.text for line in read_page(pdfium.PdfDocument(pdf), 3).lines]
    assert "For f(x) := 1 ∥x∥" in lines  # main: "For f(x) := 1 kxk"
    assert "arbitrary chosen norm ∥.∥, then Cf ≤ diam∥.∥(D)" in lines


def test_text_in_a_type3_font_scaled_by_its_font_matrix_reads_as_lines_of_its_printed_size(tmp_path):
    """CERMINE's test PDF 374b85a1b5 (a dvips paper): its bitmap fonts are Type 3, set at 0.2 pt and scaled up by
    their font matrix, which pdfium's font size leaves out. Every letter was a line of its own in 0.2 pt type, so no
    caption was read: FIG. 11's chart was lost, and the next page, with no body text, came out as a figure that took
    FIG. 11's caption."""
    prose = [(72, 700 - 12 * k, " ".join(PROSE_WORDS[(k + j) % len(PROSE_WORDS)] for j in range(8))) for k in range(20)]
    caption = (72, 300, "Figure 11. The spectra of the model")
    chart = b"0.5 g 72 320 300 100 re f 0 G 72 320 m 372 320 l S 72 320 m 72 420 l S\n"
    path = tmp_path / "type3.pdf"
    path.write_bytes(pdf_in_a_type3_font([*prose, caption], chart))
    page = read_page(open_pdf(path), 0)
    assert [line.text for line in page.lines] == [text for _, _, text in [*prose, caption]]
    assert all(5 <= line.font_size <= 12 for line in page.lines), [line.font_size for line in page.lines]
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "11", figure

"""Caption, mention and sub-caption parsing: the text rules of extract."""

import gc
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.mentions import MentionIndex
from mmskin_build.extract.page import PageContent, read_page
from mmskin_build.extract.stage import run_extract
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.extract.text import ends_open, join_lines, normalise_for_match
from mmskin_build.sample.bad_inputs import pdf_from_objects, pdf_stream
from mmskin_build.store import Dataset
from mmskin_build.text.labels import CAPTION_START, cited_labels, normalise_label


@pytest.mark.parametrize(
    ("line", "prefix", "label"),
    [
        ("Figure 12.3 Psoriasis of the elbow.", "Figure", "12.3"),
        ("Fig. 12-3. Nail pitting", "Fig.", "12-3"),
        ("FIGURE 5.2 Lichen planus", "FIGURE", "5.2"),
        ("Fig. 3a: Detail", "Fig.", "3a"),
        ("Plate 4 Vitiligo", "Plate", "4"),
        ("Picture 1.", "Picture", "1"),
        ("Scheme S1 Synthetic protocol for compound 33RE", "Scheme", "S1"),  # a chemistry journal's figure
        ("Table 2.1 Treatments", "Table", "2.1"),
        ("Figure. 11 Clinical phases of dengue infection", "Figure.", "11"),  # a full stop before the number
    ],
)
def test_caption_labels_in_textbook_styles(line, prefix, label):
    match = CAPTION_START.match(line)
    assert match and match.group("prefix") == prefix and normalise_label(match.group("label")) == label


def test_cited_labels_expand_lists_and_ranges():
    assert cited_labels("as shown in Fig. 3 and Figs. 5-7") == ["3", "5", "6", "7"]
    assert cited_labels("(Figures 2.1 and 2.4)") == ["2.1", "2.4"]
    assert cited_labels("see Fig. 4a") == ["4a"]
    assert cited_labels("Plate 4 and Fig. 4") == ["plate 4", "4"]
    assert cited_labels("no figure here, just 3 numbers") == []


def test_mentions_skip_the_caption_itself():
    index = MentionIndex()
    index.add_page(
        "Figure 3. Plaques on the elbow.\r\nAs shown in Fig. 3a, the plaques are scaly. Fig. 3 shows more.\r\n"
    )
    index.add_page("Figure 5 Nail pitting in a 30-year-old man.\r\nPlate 5 is a drawing.")
    assert index.mentions("3") == ["Fig. 3 shows more."]
    assert index.mentions("3a") == ["As shown in Fig. 3a, the plaques are scaly."]
    assert index.mentions("5") == []
    assert index.mentions("plate 5") == ["Plate 5 is a drawing."]


def test_subcaption_styles():
    assert parse_subcaptions("Figure 1 (a) Elbow. (b) Knee.", 9) == {"a": "Elbow.", "b": "Knee."}
    assert parse_subcaptions("Figure 2 A, Cheek. B, Scalp.", 9) == {"a": "Cheek.", "b": "Scalp."}
    assert parse_subcaptions("Fig. 1 A and B Histology of the liver", 7) == {
        "a": "Histology of the liver",
        "b": "Histology of the liver",
    }
    assert parse_subcaptions("Figure 4 A patient with psoriasis.", 9) == {}
    assert parse_subcaptions("Figure 5 (b) out of order (a) text", 9) == {}
    # A group of letters names each of them; letters going back ("of (a)") are references, not markers.
    assert parse_subcaptions("Fig. 4. A neuron. (a–c) Confocal images. (d) EM image of (a).", 7) == {
        "a": "Confocal images.",
        "b": "Confocal images.",
        "c": "Confocal images.",
        "d": "EM image of (a).",
    }
    assert parse_subcaptions("Fig. 3. A neuron with contacts. (a–d) Staining for CTb (red) in one section.", 7) == {
        letter: "Staining for CTb (red) in one section." for letter in "abcd"
    }
    # Letters that open their sentences lead their text, even when one letter closes a sentence ("shown (e)").
    led = parse_subcaptions("Fig. 1. Lamina I. (a) Low power. (b) CTb. (c) CGRP. (d) Merged, as shown (e). Note", 7)
    assert led["a"] == "Low power." and led["d"] == "Merged, as shown" and led["e"] == "Note"
    # "(b and c)" names b and c (the "a" of "and" is no letter); letters inside their sentences take the sentence.
    assert parse_subcaptions(
        "Figure 2: CT of the leg (a) shows the bone. It is thin. Axial scans (b and c) show gaps.", 9
    ) == {
        "a": "CT of the leg (a) shows the bone. It is thin.",
        "b": "Axial scans (b and c) show gaps.",
        "c": "Axial scans (b and c) show gaps.",
    }
    # Letters after their text, in any order when each is named once.
    assert parse_subcaptions("Figure 1: Photograph showing microphthalmia (c, d), and bowed tibiae (a, b).", 9) == {
        "a": "bowed tibiae",
        "b": "bowed tibiae",
        "c": "Photograph showing microphthalmia",
        "d": "Photograph showing microphthalmia",
    }
    # Letters joined by "and" share the description after the last of them (it was "and" for panel a).
    assert parse_subcaptions("Figure 4 (a) and (b) moderate shortening of villi. (c) Focal changes.", 9) == {
        "a": "moderate shortening of villi.",
        "b": "moderate shortening of villi.",
        "c": "Focal changes.",
    }


def test_a_row_ending_on_an_article_or_a_preposition_leaves_its_sentence_open():
    assert ends_open("A participant in the") and ends_open("Lesions of the") and ends_open("The scale is set in")
    assert not ends_open("Deficiency of vitamin A") and not ends_open("A rash on the arm") and not ends_open("")


def test_line_joining_repairs_hyphenation_but_keeps_compounds():
    assert join_lines(["erythema- ", "tous plaques"]) == "erythematous plaques"
    assert join_lines(["branch-and-", "bound method"]) == "branch-and-bound method"
    assert join_lines(["meth\ufffe", "ods"]) == "methods"
    assert normalise_for_match("Fig. 2 — ﬁne Scale") == normalise_for_match("fig 2 fine scale")


def _pdf_with_math_letters(path: Path) -> None:
    """One page: a grey chart block and under it a caption whose 'x' the font's ToUnicode maps to U+1D465 (math
    italic x, outside the BMP), as LaTeX papers' math fonts do; pdfium reports it as two UTF-16 halves."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfchar\n<78> <D835DC65>\nendbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = b"0.4 g 72 420 300 250 re f 0 g BT /F1 10 Tf 72 400 Td (Figure 1. Values of x over time.) Tj ET"
    _one_page_pdf(path, content, b"/ToUnicode 6 0 R", b"", pdf_stream(cmap))


def test_a_ligature_on_a_page_without_space_glyphs_is_no_word_gap(tmp_path):
    """The session 34 sweep, EssOilDB 252e500956 (BMC Res Notes): a text layer without space glyphs, words set a
    gap apart, and "fi" printed as one ligature glyph that the font's ToUnicode maps to two characters. pdfium gives
    both characters the ligature's origin, and "i"'s own advance from there ends short of the glyph: "identifi ed",
    "(See fi gure on next page.)", and the note that sends a legend to its figure on the next page went unread."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfchar\n<AE> <00660069>\nendbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    rows = [  # code 0xAE: StandardEncoding's "fi"
        b"Scattered \xaene papules on the \xaengers and the wrists",
        b"were identi\xaeed in the \xaerst group of patients seen",
        b"at the clinic over \xaeve years and con\xaermed later",
    ]
    shown = b" ".join(b"[(%s)] TJ 0 -14 Td" % b") -120 (".join(row.split()) for row in rows)
    content = b"BT /F1 10 Tf 72 700 Td %s ET" % shown
    _one_page_pdf(
        tmp_path / "ligatures.pdf", content, b"/Encoding /StandardEncoding /ToUnicode 6 0 R", b"", pdf_stream(cmap)
    )
    page = read_page(pdfium.PdfDocument(tmp_path / "ligatures.pdf"), 0)
    assert [line.text for line in page.lines] == [
        "Scattered fine papules on the fingers and the wrists",
        "were identified in the first group of patients seen",
        "at the clinic over five years and confirmed later",
    ]


def _one_page_pdf(path: Path, content: bytes, font_entries: bytes, resources: bytes, extra: bytes) -> None:
    """A one-page PDF drawing `content` with Helvetica as /F1 (plus `font_entries`), `resources` added to the page's
    and `extra` as object 6."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> %s >> /Contents 5 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page % resources,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica %s >>" % font_entries,
        pdf_stream(content),
        extra,
    ]
    path.write_bytes(pdf_from_objects(objects))


def _caption_line(pdf: Path) -> str:
    """The text of the line of `pdf`'s one page that starts "Figure 1", its page text holding one character per
    pdfium index (so that every index still matches its character box)."""
    page = read_page(pdfium.PdfDocument(pdf), 0)
    assert len(page.text) == pdfium_c.FPDFText_CountChars(page.textpage.raw)
    return next(line.text for line in page.lines if line.text.startswith("Figure 1"))


def test_characters_outside_the_bmp_survive_extraction(tmp_path):
    # Seen on ACL and PeerJ papers: the two halves reached the figures table and pyarrow could not write them.
    pdf = tmp_path / "math.pdf"
    _pdf_with_math_letters(pdf)
    assert _caption_line(pdf) == "Figure 1. Values of \U0001d465\u200b over time."
    summary = run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    assert summary.errors == 0
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    # The placeholder keeping the second half's index stays inside extract: the table gets the text as printed.
    assert figure["caption"] == "Figure 1. Values of \U0001d465 over time."


def test_a_credit_set_turned_beside_a_caption_row_is_a_line_of_its_own(tmp_path):
    """Held-out 19: a photo credit set a quarter turn up the photographs' edge, its text object right after the
    caption's last row, was read by pdfium into that row's line (one line box 170 pt tall), and the caption lost its
    last row. Text set at another angle is never on an upright row: the line is split where the angle changes; a
    page number set upright at the head of a running title turned down the margin stays one line with it (held-out
    3's journal: split, the number read as a running header over the figures' tops)."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "turned.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    rows = [
        "Use of house card tagging of every house visited to ensure the actual number",
        "breastfeeding mothers) during the campaign in the district (right photo)",
    ]
    text = pdf.beginText()
    text.setFont("Helvetica-Bold", 1)
    for k, row in enumerate(rows):
        text.setTextTransform(8, 0, 0, 8, 22.6, 110 - 9.6 * k)
        text.textOut(row)
    text.setTextTransform(0, 7, -7, 0, 30.75, 120.62)  # a quarter turn, 11 pt over the first row
    text.textOut("© Ahmad Farid Nazmi Bin Abdul Halim")
    pdf.drawText(text)
    margin = pdf.beginText()  # a page number upright at the head of a running title turned down the margin
    margin.setFont("Helvetica", 9)
    margin.setTextOrigin(560, 790)
    margin.textOut("5")
    margin.setTextTransform(0, -1, 1, 0, 558, 770)
    margin.textOut("rsos.royalsocietypublishing.org")
    pdf.drawText(margin)
    pdf.save()
    document = pdfium.PdfDocument(path)
    page = read_page(document, 0)
    lines = sorted((line.text.strip(), line.box.height < 10) for line in page.lines)
    page.close()
    document.close()
    assert lines == [
        ("5rsos.royalsocietypublishing.org", False),
        ("Use of house card tagging of every house visited to ensure the actual number", True),
        ("breastfeeding mothers) during the campaign in the district (right photo)", True),
        ("© Ahmad Farid Nazmi Bin Abdul Halim", False),
    ]


def test_letters_set_far_apart_in_one_text_run_are_lines_of_their_own(tmp_path):
    """WHO pocket book p. 290: the panel letters "A" and "B" of a row of drawings, 171 pt apart, are one text run (a
    kerning jump in one TJ); pdfium gives them one rectangle, which was read as one line "AB" over both drawings, so
    neither letter stood by its drawing. No glyph is that wide: the line is split at the jump."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "letters.pdf"
    pdf = Canvas(str(path), pagesize=(420, 595))
    text = pdf.beginText()
    text.setFont("Helvetica-Bold", 12)
    text.setTextOrigin(86, 460)
    text._code.append("[(A) -13500 (B)] TJ")  # reportlab writes no kerning jumps itself
    pdf.drawText(text)
    pdf.drawString(86, 300, "Aspirating the hip joint")  # an ordinary line stays whole
    pdf.save()
    document = pdfium.PdfDocument(path)
    page = read_page(document, 0)
    lines = [(line.text.strip(), round(line.box.x0)) for line in page.lines]
    page.close()
    document.close()
    assert lines == [("A", 86), ("B", 258), ("Aspirating the hip joint", 86)]


def _pdf_with_a_clipped_manuscript_page(path: Path) -> None:
    """MDPI's layout (Viruses, Pathogens 2020): each figure placed as a whole page of the author's manuscript (a form
    at half size), clipped to the picture; the manuscript's own caption, hidden by the clip, lies 1-2 pt off the
    printed caption. Inside the clip the form shows a chart block and a place name on it."""
    form = (
        b"q 144 840 600 500 re W n 0.4 g 144 840 600 500 re f 1 g BT /F1 20 Tf 300 1000 Td (Mamou) Tj ET "
        b"0 g BT /F1 20 Tf 146 796 Td (Figure 1. Map of the towns visited.) Tj ET "
        b"BT /F1 20 Tf 146 1500 Td (Field investigations were managed by the agency.) Tj ET Q"
    )
    content = (
        b"/Fm1 Do BT /F1 10 Tf 72 400 Td (Figure 1. Map of the towns visited.) Tj ET "
        b"BT /F1 10 Tf 72 752 Td (Field investigations were managed by the agency.) Tj ET"
    )
    form_entries = b"/Type /XObject /Subtype /Form /BBox [0 0 1224 1584] /Matrix [0.5 0 0 0.5 0 0] /Resources << /Font << /F1 4 0 R >> >>"
    _one_page_pdf(path, content, b"", b"/XObject << /Fm1 6 0 R >>", pdf_stream(form, form_entries))


def test_text_a_clip_hides_in_a_placed_form_is_not_read(tmp_path):
    # Three MDPI papers of the paper sweep (x-sweeppaper23): every caption was read twice, "Figure 1. Map of Guinea
    # ... Figure 1. Map of Guinea ...", and a caption next to body text ran on into it.
    pdf = tmp_path / "manuscript.pdf"
    _pdf_with_a_clipped_manuscript_page(pdf)
    page = read_page(pdfium.PdfDocument(pdf), 0)
    assert len(page.text) == pdfium_c.FPDFText_CountChars(page.textpage.raw)  # one character per pdfium index
    assert sorted(line.text.strip() for line in page.lines) == [
        "Field investigations were managed by the agency.",
        "Figure 1. Map of the towns visited.",
        "Mamou",
    ]
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["caption"] == "Figure 1. Map of the towns visited."


def test_text_a_clip_round_a_nested_form_hides_is_not_read(tmp_path):
    # Held-out 39's NAACL 2024 few-shot p4 Figure 2: the figure is a PDF placed in a form inside another form, the
    # inner one drawn under a clip round the figure; its text objects have no clip of their own, and 7 pt labels set
    # past that clip ("structure", "aggregation"), hidden under the caption, were read into it.
    pdf = tmp_path / "nested.pdf"
    inner = (
        b"0.4 g 72 460 300 230 re f 0 g BT /F1 7 Tf 100 470 Td (support) Tj ET "
        b"BT /F1 7 Tf 150 419 Td (aggregation) Tj ET"
    )
    content = (
        b"/Fm1 Do BT /F1 10 Tf 72 430 Td (Figure 1. The framework of the method.) Tj ET "
        b"BT /F1 10 Tf 72 418 Td (We first extract the graph of each triplet.) Tj ET"
    )
    fonts = b"/Resources << /Font << /F1 4 0 R >> /XObject << /Fm2 7 0 R >> >>"
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] %s"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s /Contents 5 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page % b"/Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        pdf_stream(content),
        pdf_stream(b"q 72 455 300 240 re W n /Fm2 Do Q", form % fonts),
        pdf_stream(inner, form % b"/Resources << /Font << /F1 4 0 R >> >>"),
    ]
    pdf.write_bytes(pdf_from_objects(objects))
    page = read_page(pdfium.PdfDocument(pdf), 0)
    assert sorted(line.text.strip() for line in page.lines) == [
        "Figure 1. The framework of the method.",
        "We first extract the graph of each triplet.",
        "support",
    ]


def test_a_copy_of_a_caption_its_clip_hides_over_the_printed_one_is_not_read(tmp_path):
    # WER 86(35) Map 1 (held-out 35): after the caption the map's art sets its title again twice at twice the size,
    # each copy clipped away by the page's own clip round the map, over the printed title: the caption was read three
    # times.
    pdf = tmp_path / "overprinted.pdf"
    content = (
        b"0.4 g 72 420 300 250 re f 0 g BT /F1 8 Tf 72 400 Td (Figure 1. Map of the towns visited.) Tj ET "
        b"BT /F1 8 Tf 72 390 Td (The towns and the roads between them.) Tj ET "
        b"q 72 420 300 250 re W n BT /F1 16 Tf 72 398 Td (Figure 1. Map of the towns visited.) Tj ET Q"
    )
    _one_page_pdf(pdf, content, b"", b"", b"<< >>")
    page = read_page(pdfium.PdfDocument(pdf), 0)
    assert [line.text.strip() for line in page.lines] == [
        "Figure 1. Map of the towns visited.",
        "The towns and the roads between them.",
    ]
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["caption"] == "Figure 1. Map of the towns visited. The towns and the roads between them."


def test_a_page_let_go_is_freed_at_once_not_by_the_cyclic_collector(shared_pdfs):
    # A reference cycle through a page (a nested function that called itself) kept every page read, and a scanned
    # page's raster with it, until Python's cyclic collector ran: a scanned book's memory climbed 1 GB between its runs.
    document = pdfium.PdfDocument(shared_pdfs / "meddiag_Exanthematic_dengue_fever_mimicking_rubella.pdf")
    gc.collect()
    gc.disable()
    try:
        # type(), not isinstance(): isinstance asks some objects for __class__, which warns in torch.distributed
        before = sum(type(o) is PageContent for o in gc.get_objects())
        for index in range(len(document)):
            page = read_page(document, index)
            assert page.graphics
            page.close()
        del page
        assert sum(type(o) is PageContent for o in gc.get_objects()) == before
    finally:
        gc.enable()


def _pdf_with_spacing_accents(path: Path) -> None:
    """A caption set the way PLOS's typesetter sets accents: each "e" followed by an acute (WinAnsi 264) moved back
    over it by the TJ kern, as two characters; an acute set after a letter, beside it (a prime); a dieresis (250) set
    at the end of the line, moved back over the "o" of a word before it."""
    content = (
        b"0.4 g 72 420 300 250 re f 0 g BT /F1 10 Tf 72 400 Td "
        b"[(Figure 1. La Re) 444 (\\264) -111 (union, x) (\\264) (. Zoe.) 1278 (\\250)] TJ ET"
    )
    _one_page_pdf(path, content, b"/Encoding /WinAnsiEncoding", b"", b"<< >>")


def test_a_spacing_accent_set_over_its_letter_is_one_character_with_it(tmp_path):
    # PLOS NTD captions (held-out 29) read "La Re´union", "Amapa´", "Espı´rito": every accented word lost.
    pdf = tmp_path / "accents.pdf"
    _pdf_with_spacing_accents(pdf)
    assert _caption_line(pdf).replace("\u200b", "").strip() == "Figure 1. La Réunion, x\u00b4. Zöe."


def test_a_manuscripts_line_numbers_stand_apart_from_the_lines_they_number(tmp_path):
    """A medRxiv preprint (crash sweep, openvirusdev 5f3385f3d2 pp. 18-24): line numbers count up the left margin, a
    gap of 1.5 type sizes before the text; the text layer read some of them into their lines, "380 Figure 4.
    Model-based estimates ...", which opens no caption: seven figures came out uncaptioned."""
    pdf = tmp_path / "preprint.pdf"
    canvas = Canvas(str(pdf), pagesize=(595, 842))
    canvas.drawImage(ImageReader(Image.effect_noise((300, 200), 60).convert("RGB")), 90, 842 - 260, 420, 180)
    canvas.setFont("Helvetica", 12)
    lines = [
        "",
        "Figure 4. Model-based estimates (mean and credible intervals) of age- and gender-",
        "structured (A) infection-fatality ratios and (B) infection-hospitalisation ratios.",
        "Note that in panel (A), the ratios were fixed at zero for all age classes below 30 years.",
    ]
    for k, text in enumerate(lines):
        canvas.drawString(37, 842 - 285 - 21 * k, f"{379 + k}")
        canvas.drawString(73, 842 - 285 - 21 * k, text)
    canvas.save()
    page = read_page(pdfium.PdfDocument(pdf), 0)
    (caption,) = [line for line in page.lines if line.text.startswith("Figure 4. Model-based")]
    assert caption.box.x0 >= 72, caption.box
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "4" and figure["caption"].startswith("Figure 4. Model-based"), figure["caption"]


def test_a_code_listings_line_numbers_inside_the_text_stay_on_their_lines(tmp_path):
    """A paper's code listing (crash sweep, norma 65570184ac p. 2 Figure 1) numbers its lines "1  for (var i = 2;
    ...", a gap of over a type size between number and code: numbers counting up, but in the right column, with the
    left column's text starting left of them. They are the listing's text, no margin's; parted, each code line
    alone passed for a figure."""
    pdf = tmp_path / "listing.pdf"
    canvas = Canvas(str(pdf), pagesize=(612, 792))
    canvas.setFont("Times-Roman", 10)
    for k in range(40):
        canvas.drawString(72, 720 - 12 * k, "Hence, recording and compiling a trace speculates that the path")
    canvas.setFont("Courier", 9)
    code = ["for (var i = 2; i < 100; ++i) {", "  if (!primes[i])", "    continue;", "  for (var k = i + i; k < 100)"]
    for k, text in enumerate(code):
        canvas.drawString(330, 720 - 11 * k, f"{k + 1}  {text}")
    canvas.setFont("Times-Roman", 10)
    for k in range(30):
        canvas.drawString(330, 660 - 12 * k, "To compensate for this, we created a high-recall")
    canvas.save()
    page = read_page(pdfium.PdfDocument(pdf), 0)
    listing = sorted(
        (line for line in page.lines if line.box.x0 >= 320 and line.box.top < 120), key=lambda line: line.box.top
    )
    assert [line.text.split()[0] for line in listing] == ["1", "2", "3", "4"], [line.text for line in listing]

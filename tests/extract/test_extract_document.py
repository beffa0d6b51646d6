"""extract's document-wide reading on generated pages: body size, text width and captions above or below figures,
covers and front matter, pictures repeated as decoration, and figures and captions across page breaks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import (
    LEGEND_TEXT,
    SYPHILIS_CELLS,
    caption_over_prose,
    centred_string,
    figure_pages,
    micrograph_plate,
    only_figure,
    photo_pixels,
    running_prose,
    subfigure_grid_page,
)
from fixtures.tesseract import require_tesseract
from mmskin_build.extract.document import ExtractConfig, extract_pdf, open_pdf
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.page import Graphic, TextLine, read_page
from mmskin_build.extract.stage import run_extract
from mmskin_build.extract.text import normalise_for_match
from mmskin_build.store import Dataset


def _running_text(
    pdf: Canvas,
    lines: tuple[str, ...],
    x: float,
    top: float,
    bottom: float,
    leading: float,
    first: int = 0,
    size: float = 12,
) -> None:
    """Body text in Times from baseline `top` down to `bottom`, `lines` in turn from the `first`: each page starts at
    another line, so body text does not recur at one place as a running header does."""
    pdf.setFont("Times-Roman", size)
    row = first
    while top >= bottom:
        pdf.drawString(x, top, lines[row % len(lines)])
        top, row = top - leading, row + 1


def _narrow_margin_book(path: Path) -> None:
    """Four A4 pages printed as wkhtmltopdf prints a web page: 12 pt margins, the body's 10 pt lines from the top
    of each page to its foot. Page 1 ends with a picture and a two-line 8 pt caption cut mid-sentence; its last
    line opens page 2, 12 pt from the page's top edge, over the body text."""
    body = (
        "The epidermis is composed of keratinized, stratified squamous epithelium made of four or five layers.",
        "It does not have any blood vessels within it, and skin that has four layers of cells is thin skin.",
        "Thick skin is found only on the palms of the hands and the soles of the feet, with a fifth layer.",
        "The cells in all of the layers except the stratum basale are called keratinocytes, which make keratin.",
        "Keratin is an intracellular fibrous protein that gives hair, nails, and skin their hardness as well.",
    )
    caption = (
        "Figure 5.6 Cells of the Epidermis The cells in the different layers of the epidermis originate from basal",
        "cells located in the stratum basale, yet the cells of each layer are different. (Micrograph provided by the",
        "Regents of the University of Michigan Medical School)",
    )
    canvas = Canvas(str(path), pagesize=(595, 842))
    for number in range(4):
        top = 842 - 12 - 10  # baselines, from the page's foot
        if number == 1:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(14, top + 2, caption[2])
            top -= 30
        _running_text(canvas, body, 14, top, 600 if number == 0 else 14, 13, first=2 * number, size=10)
        if number == 0:
            canvas.drawImage(ImageReader(photo_pixels(6)), 150, 40, 290, 540)
            canvas.setFont("Helvetica", 8)
            canvas.drawString(14, 24, caption[0])
            canvas.drawString(14, 14, caption[1])
        canvas.showPage()
    canvas.save()


def test_a_caption_cut_by_the_page_break_goes_on_in_the_narrow_margin_band_of_the_next_page(tmp_path):
    """An HTML engine's page (wkhtmltopdf: ~10 pt margins) runs its text into the band at the page's edges where a
    book prints only furniture: the line that opens the next page is the caption's rest, not a running header,
    because the book's paragraphs reach that far on most of its pages."""
    _narrow_margin_book(tmp_path / "book.pdf")
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (row,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert row["page"] == 1
    assert row["caption"].endswith("(Micrograph provided by the Regents of the University of Michigan Medical School)")


class BreakBook(NamedTuple):
    """How a generated book sets a caption that a page break cuts: its page, running text and the caption's type."""

    page: tuple[float, float]
    body: tuple[str, ...]
    size: float  # the running text's type size ...
    leading: float  # ... and baseline pitch
    caption_font: tuple[str, float]
    picture: tuple[float, float, float]  # x, width, height of the picture over the caption


WORD_DOCUMENT = BreakBook(  # a word processor's export: Letter, 72 pt margins, captions italic in the body's size
    (612, 792),
    (
        "Ion channels are proteins in the cell membrane that let charged particles cross it when they open.",
        "Some open in response to a ligand, others to pressure, and others to a change in the voltage.",
        "The resting membrane potential results from the distribution of ions across the cell membrane.",
        "Leakage channels open and close at random, letting a small current of ions through the membrane.",
    ),
    12,
    14,
    ("Times-Italic", 12),
    (81, 420, 250),
)
SMALL_EBOOK = BreakBook(  # calibre at A5: 72 pt margins, 15 pt type 16-17 type sizes wide, captions in 11.25 pt
    (420, 595),
    (
        "The lymphatic system drains fluid from",
        "the tissues and returns it to the veins near",
        "Lymph nodes filter the lymph on its way",
        "back to the heart and hold immune cells.",
        "Lymphatic capillaries are closed at one",
        "end and lie among the blood capillaries.",
    ),
    15,
    19.5,
    ("Times-Roman", 11.25),
    (90, 240, 200),
)


TINY_EBOOK = BreakBook(  # calibre at A6: 72 pt margins, 15 pt type 8-10 type sizes wide, captions in 11.25 pt
    (298, 420),
    (
        "membrane of all cells, either",
        "through protein channels",
        "or by slipping between the",
        "lipid tails of the membrane",
        "itself. Osmosis is the flow",
        "of water through a barrier.",
    ),
    15,
    19.5,
    ("Times-Roman", 11.25),
    (77, 144, 60),
)


def _caption_across_the_break(
    path: Path,
    book: BreakBook,
    foot: tuple[str, ...],
    head: tuple[str, ...],
    framed: tuple[str, ...] = (),
    pages: int = 5,
    after: tuple[str, ...] = (),
) -> None:
    """`pages` pages of running text, the text area 75 pt under the top edge (three pages open with it: where the
    text area starts); page 1 ends with a picture and the caption rows `foot` under it, at the text area's foot (72 pt
    up), page 2 opens with the caption rows `head`, then running text after a gap (after a frame round the rows
    `framed` in bold body type, where given). Rows `after`, where given, open page 3, and page 2 holds `head`
    alone."""
    width, height = book.page
    font, size = book.caption_font
    x, picture_width, picture_height = book.picture
    bottom = 72 + 1.2 * size * len(foot) + 10  # the picture's foot, over the caption's rows
    pdf = Canvas(str(path), pagesize=book.page)
    for number in range(pages):
        top = height - 72 - book.size  # the first baseline: the line's top ~75 pt from the page's top edge
        rows = head if number == 1 else after if number == 2 else ()
        if rows:
            for row in rows:
                _draw_row(pdf, 72, top, row, (font, size))
                top -= 1.2 * size
            top -= 1.2 * size
        if number == 1 and framed:
            pdf.setFont("Times-Bold", book.size)
            frame_top = top + book.size
            for row in framed:
                top -= book.leading
                pdf.drawString(84, top, row)
            top -= book.leading
            pdf.rect(72, top, width - 144, frame_top - top)
            top -= 2 * book.leading
        if number == 0:
            lowest = bottom + picture_height + 20  # page 1's text stops over the picture
        elif number == 1 and after:
            lowest = top + 1  # the caption fills page 2
        else:
            lowest = 80
        _running_text(pdf, book.body, 72, top, lowest, book.leading, first=number, size=book.size)
        if number == 0:
            pdf.drawImage(ImageReader(photo_pixels(20)), x, bottom, picture_width, picture_height)
            for k, row in enumerate(foot):  # a row marked "**" is set in bold (a key term)
                bold = row.startswith("**")
                pdf.setFont(_BOLD[font] if bold else font, size)
                pdf.drawString(72, 72 + 1.2 * size * (len(foot) - 1 - k), row.removeprefix("**"))
        pdf.showPage()
    pdf.save()


_BOLD = {"Times-Roman": "Times-Bold", "Times-Italic": "Times-BoldItalic", "Helvetica": "Helvetica-Bold"}


def _draw_row(pdf: Canvas, x: float, baseline: float, row: str, font: tuple[str, float]) -> None:
    """A row of text whose "^"-marked numbers are superscripts as calibre prints them: in the row's size, raised 0.4
    of it, each a line of its own in the text layer ("the ^15N" for "the ¹⁵N")."""
    name, size = font
    pdf.setFont(name, size)
    for k, piece in enumerate(re.split(r"\^(\d+)", row)):
        pdf.drawString(x, baseline + (0.4 * size if k % 2 else 0), piece)
        x += stringWidth(piece, name, size)


# A word processor's document exported to PDF (held-out 43, LibreOffice): captions in the body's size and face,
# italic, set flush left, cut by the page break. Each case: the caption's rows at the foot of page 1, its rows at the
# head of page 2 (then a gap and body text).
RAGGED_CAPTIONS = {
    # The last row at the foot ends 36 pt short of the first (more than a size and a half), mid-sentence, because
    # the next word ("structure", 43 pt) did not fit: wrapped (held-out 43 Figure 12.20).
    "wrapped short": (
        (
            "Figure 12.20 Voltage-Gated Channels. Voltage-gated channels open when the transmembrane",
            "voltage changes around them, as happens when a neuron is excited. Amino acids in the",
        ),
        ("structure of the protein are sensitive to charge and cause the pore to open to the selected ion.",),
    ),
    # The rest ends a sentence 46 pt short of the widest row, then a credit: the credit's first word (62 pt) did not
    # fit there, so the paragraph goes on (probe, chapter 3 Figure 3.12).
    "credit after a short row": (
        (
            "Figure 3.12 Pancreatic Cells. The pancreatic acinar cells produce and secrete many enzymes",
            "that digest food. The tiny black granules in this electron micrograph are the secretory vesicles",
        ),
        (
            "filled with the enzymes that will be exported from the cells by exocytosis. LM x 2900.",
            "(Micrograph provided by the Regents of University of Michigan Medical School)",
        ),
    ),
    # A row of the rest ends in the next panel's letter, short: the letter opens that panel's text on the next row,
    # no credit note closing the caption (probe, chapter 9 Figure 9.12).
    "a letter at a row's end": (
        (
            "Figure 9.12 Movements of the Body. (e) Abduction and adduction are motions of the limbs,",
            "hand, fingers, or toes in the coronal plane of movement. Moving the limb away from the",
        ),
        (
            "body is abduction, and adduction brings it back toward the body. Both take place at the",
            "shoulder, hip and wrist joints. (f)",
            "Rotation turns the head from side to side.",
        ),
    ),
    # A credit note opened before the break ends in its closing bracket overleaf: the sentence before the note is the
    # caption's end (blind probe 10, LibreOffice, Microbiology Figure 21.8).
    "a credit note across the break": (
        (
            "Figure 21.8 Conjunctivitis is inflammation of the conjunctiva. Blepharitis is inflammation",
            "of the eyelids. Keratitis is inflammation of the cornea. (credit a: modification of work by",
        ),
        ("Lopez-Prats MJ, Sanz Marco E; credit b: modification of work by Centers for Disease Control)",),
    ),
    # A caption of its label and a credit note alone, cut in the note: the note's closing bracket overleaf ends it
    # (blind probe 13, LibreOffice, Microbiology Figure 3.13).
    "a credit note alone": (
        (
            "Figure 3.13 (credit \u201cCoccus\u201d micrograph: modification of work by Janice Haney Carr, Centers",
            "for Disease Control and Prevention; credit \u201cCoccobacillus\u201d micrograph: modification of work by",
        ),
        ("Janice Carr, Centers for Disease Control and Prevention)",),
    ),
    # The rest ends in a credit note whose own bracket the book left open round a licence's ("Flickr (CC-BY)"): the
    # sentence before the note's opening bracket is the caption's end (blind probe 11, LibreOffice, Figure 6.13).
    "a credit note left open": (
        (
            "Figure 6.13 (a) Varicella-zoster, the virus that causes chickenpox, has an enveloped icosahedral",
            "capsid visible in this electron micrograph. Its double-stranded DNA genome becomes incorporated",
        ),
        ("in the host DNA. (b) Shingles. (credit a: modification of work by Erskine Palmer; credit b: Flickr (CC-BY)",),
    ),
    # The rows at the foot end a sentence, and the caption's next sentence opens the next page: only its italics tell it
    # from the body's paragraph after a caption (blind probe 14, LibreOffice, Microbiology Figure 9.26).
    "a sentence's end at the foot": (
        (
            "Figure 9.26 The curves show the approximate pH ranges for the growth of the different classes",
            "of prokaryotes. Most bacteria grow best at near-neutral pH (center curve).",
        ),
        ("Acidophiles have optimal growth at pH values near 3 and alkaliphiles above 9.",),
    ),
    # The rows at the foot end a sentence and the rest overleaf is the credit note alone: the note closes the caption,
    # it needs no sentence of its own (blind probe 16, LibreOffice, Microbiology Figure 22.6).
    "a credit note alone overleaf": (
        (
            "Figure 22.6 This scanning electron micrograph of Streptococcus pyogenes shows the characteristic",
            "cellular phenotype resembling chains of cocci.",
        ),
        ("(credit: modification of work by U.S. Centers for Disease Control and Prevention)",),
    ),
    # The rest ends in a credit note's closing bracket, no full stop (probe, chapter 21 Figure 21.8).
    "ends in a credit": (
        (
            "Figure 21.8 Lymph Node. Lymph nodes are masses of lymphatic tissue along the larger",
            "lymph vessels. The micrograph shows a germinal center of rapidly dividing B cells and other",
        ),
        ("cells. LM x 128. (Micrograph provided by the Regents of the University of Michigan", "Medical School)"),
    ),
}


@pytest.mark.parametrize("case", sorted(RAGGED_CAPTIONS))
def test_a_ragged_caption_in_the_body_s_size_cut_by_the_page_break_goes_on_overleaf(tmp_path, case):
    foot, overleaf = RAGGED_CAPTIONS[case]
    _caption_across_the_break(tmp_path / "document.pdf", WORD_DOCUMENT, foot, overleaf)
    run_extract([tmp_path / "document.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (1, foot[0].split()[1])
    assert figure["caption"] == " ".join(foot + overleaf)


def test_a_label_wrapped_to_the_start_of_a_paragraph_s_last_rows_at_a_page_s_foot_is_no_caption_left_there(tmp_path):
    """Blind probe 11 (LibreOffice, Microbiology Figure 24.28): the page before a page-filling figure ends with a
    paragraph whose last two rows open "Figure 24.28. For the sake of comparison ...", the label of a citation wrapped
    to a row's start. With the full stop after the label, the rows were taken for a caption left at the page's foot
    for the picture overleaf, and the figure's own caption, its label alone under it, was lost."""
    body = WORD_DOCUMENT.body
    pdf = Canvas(str(tmp_path / "document.pdf"), pagesize=WORD_DOCUMENT.page)
    width, height = WORD_DOCUMENT.page
    for number in range(4):
        top = height - 72 - WORD_DOCUMENT.size
        if number == 1:
            pdf.drawImage(ImageReader(photo_pixels(3)), 81, height - 72 - 520, 420, 520)
            pdf.setFont("Times-Roman", 12)
            pdf.drawString(72, height - 72 - 540, "Figure 24.28")
        else:
            lowest = 72 if number else 420
            _running_text(pdf, body, 72, top, lowest, WORD_DOCUMENT.leading, first=number, size=WORD_DOCUMENT.size)
        if number == 0:
            pdf.drawString(
                72,
                420 - WORD_DOCUMENT.leading,
                "The five different viruses capable of causing hepatitis are compared and contrasted in",
            )
            tail = ("Figure 24.28. For the sake of comparison, this table presents only the unique", "aspects of each.")
            for k, row in enumerate(tail):
                pdf.drawString(72, 420 - (2 + k) * WORD_DOCUMENT.leading, row)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "document.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["label"], row["caption"]) for row in rows] == [(2, "24.28", "Figure 24.28")]


def test_a_caption_ending_in_a_credit_note_at_the_page_s_foot_does_not_take_the_next_page_s_paragraph(tmp_path):
    """Blind probe 11 (LibreOffice, Microbiology Figure 25.2): a caption in the body's type ends the page with a
    sentence and its credit note, its last row full. A caption ending in a closing bracket ended no sentence, so it
    was taken for one cut by the page break, and the paragraph opening the next page was read on as its rest. A
    credit note after a sentence's end closes a caption."""
    foot = (
        "Figure 25.2 The major components of the circulatory system include the heart and arteries.",
        "(credit top left: modification of work by Mariana Ruiz Villareal; credit bottom: Bruce Blaus)",
    )
    _caption_across_the_break(tmp_path / "document.pdf", WORD_DOCUMENT, foot, ())
    run_extract([tmp_path / "document.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (1, "25.2")
    assert figure["caption"] == " ".join(foot)


def test_a_caption_row_too_short_for_a_word_space_and_the_next_word_was_wrapped(tmp_path):
    """Blind probe 10 (calibre at A5, Microbiology Figure 2.28, a caption of credits only): the caption's last row at
    the page's foot ends 33 pt short of its widest, mid-sentence; the next page opens with "Society", a 32 pt word at
    its line's mean advance. The word would have fitted, so the row was taken for the caption's end; but it needs a
    word space before it too, and does not fit: the row was wrapped, and the caption goes on overleaf."""
    foot = (
        "Figure 2.28 (credit: modification of work by the American",
        "Society for Microbiology; credit DIC: modification",
        "of work by American Society for Microbiology; credit",
        "Fluorescence: a modification of work by American",
    )
    head = (
        "Society for Microbiology; credit Confocal: modification",
        "of work by the American Society for Microbiology)",
    )
    _caption_across_the_break(tmp_path / "book.pdf", SMALL_EBOOK, foot, head)
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (1, "2.28")
    assert figure["caption"] == " ".join(foot + head)


def test_a_caption_that_opens_the_text_area_under_a_wide_top_margin_goes_to_the_picture_before(tmp_path):
    """calibre's default PDF (Chromium, 72 pt margins, no running headers): page 1 ends with a whole picture, its
    caption pushed to the top of page 2's text area, 74 pt below the page's edge. The text area starts where the
    book's pages open with running text (74-76 pt down), not at the page's edge: no room there for a picture."""
    body = (
        "Melanoma is a cancer characterized by the uncontrolled growth of melanocytes, the pigment cells.",
        "It is the most fatal of all skin cancers, as it is highly metastatic and can be difficult to detect.",
        "Doctors often give their patients a mnemonic to help with the diagnosis of early-stage melanoma.",
        "Two common skin disorders are eczema and acne, an inflammatory condition of the sebaceous glands.",
    )
    pdf = Canvas(str(tmp_path / "book.pdf"), pagesize=(612, 792))
    for number in range(4):
        top = 792 - 84  # baselines from the foot: the first line's top 75 pt from the page's top edge
        if number == 1:
            pdf.setFont("Times-Roman", 10)
            pdf.drawString(72, top + 2, "Figure 5.20 Melanoma Melanomas typically present as large brown or black")
            pdf.drawString(72, top - 10, "patches with uneven borders and a raised surface.")
            top -= 40
        _running_text(pdf, body, 72, top, 450 if number == 0 else 80, 15, first=number)
        if number == 0:
            pdf.drawImage(ImageReader(photo_pixels(20)), 220, 92, 172, 270)
        pdf.showPage()
    figure = only_figure(pdf, tmp_path / "book.pdf", tmp_path)
    assert (figure["page"], figure["label"]) == (1, "5.20")
    assert figure["caption"].endswith("with uneven borders and a raised surface.")


def test_a_caption_opening_a_small_e_book_page_goes_to_the_picture_before(tmp_path):
    """Probe (calibre at A5, chapter 21 Figure 21.4): the picture at the foot of page 1, its caption pushed to the top
    of page 2's text area. No line of running text is a paragraph line's 18 type sizes wide, so where the text area
    starts was not known, the page's edge was taken, and the picture was taken for the top slice of a picture over
    the caption, 74 pt down: dropped. Lines 15 type sizes wide, joined as a paragraph's, set the text area."""
    caption = (
        "Figure 21.4 Major Trunks and Ducts of the Lymphatic",
        "System The thoracic duct drains a much larger portion",
        "of the body than does the right lymphatic duct.",
    )
    _caption_across_the_break(tmp_path / "ebook.pdf", SMALL_EBOOK, (), caption)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"], figure["caption"]) == (1, "21.4", " ".join(caption))


def test_a_caption_ending_a_sentence_at_the_page_s_foot_goes_on_in_its_own_type_overleaf(tmp_path):
    """Probe (calibre at A5, chapter 3 Figure 3.10): the caption's description ends a sentence in a full row at the
    page's foot and goes on at the head of the next page, in the caption's own size (smaller than the body's), from
    its left edge, to the end of a sentence: the rest of the caption, not running text."""
    foot = (
        "Figure 3.10 Three Forms of Endocytosis",
        "Endocytosis is a form of active transport in which a cell",
        "envelopes the extracellular material using its membrane.",
    )
    head = (
        "(a) In phagocytosis, which is relatively nonselective, the",
        "cell takes in a large particle. (b) In pinocytosis, the cell",
        "takes in small particles in fluid.",
    )
    _caption_across_the_break(tmp_path / "ebook.pdf", SMALL_EBOOK, foot, head)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"], figure["caption"]) == (1, "3.10", " ".join(foot + head))


# calibre at A6 (probe): a 154 pt text width on a 298 pt page, where no line of 15 pt type is 15 type sizes wide.
# Each case: the caption's rows at the foot of page 1 under a picture, its rows at the head of page 2.
TINY_EBOOK_CAPTIONS = {
    # A title wrapped over three rows, its description overleaf (chapter 3 Figure 3.18).
    "a wrapped title": (
        ("Figure 3.18 The Three", "Components of the", "Cytoskeleton"),
        ("The cytoskeleton consists of", "microtubules, microfilaments", "and intermediate filaments."),
    ),
    # A wrapped title and its description under it, wider than the title's rows, which goes on overleaf (chapter 3
    # Figure 3.22): the rows under the title are the caption's, not the paragraph after it.
    "a description under a wrapped title": (
        ("Figure 3.22 DNA", "Macrostructure", "Strands of DNA are wrapped", "around supporting histones."),
        ("These proteins are packed", "into chromatin, which is", "condensed when the cell divides."),
    ),
    # The caption ends a sentence at the page's foot, its credit note alone overleaf (chapter 21 Figure 21.7).
    "a credit note alone": (
        ("Figure 21.7 The Thymus", "The thymus lies above the heart.", "LM x 100."),
        ("(Micrograph provided by the", "Regents of the University of", "Michigan Medical School)"),
    ),
    # The caption ends a sentence at the page's foot; a micrograph's magnification and credit note open the next page
    # (chapter 20 Figure 20.3, calibre at A5).
    "a magnification and its credit note": (
        ("Figure 20.3 Blood Vessels", "Arteries have thicker walls than", "veins."),
        ("LM × 160. (Micrograph provided", "by the Regents of the University", "of Michigan Medical School)"),
    ),
    # The title alone at the foot, its description overleaf ending a quotation in curly quotes, then a credit note
    # (blind probe 14, calibre at A5, Microbiology Figure 7.28): the stop inside the quote ends the sentence.
    "a description ending in a quotation": (
        ("Figure 7.28",),
        (
            "Pseudomonas aeruginosa in a",
            "hot tub can cause a rash that",
            "is called \u201chot tub rash.\u201d (credit:",
            "Wikimedia Commons)",
        ),
    ),
    # The title alone at the foot, its description overleaf ending in a credit note with a licence's brackets inside
    # it (blind probe 14, wkhtmltopdf, Microbiology Figure 9.22).
    "a credit note holding brackets": (
        ("Figure 9.22",),
        ("This clinical photo depicts", "ulcers on the foot. (Credit:", "Phalinn Ooi / Wikimedia", "Commons (CC-BY))"),
    ),
    # The whole caption overleaf, under the top of the text area: the picture at the foot of page 1, too small to be
    # a figure without its caption, is its (chapter 3 Figure 3.16).
    "the whole caption overleaf": (
        (),
        ("Figure 3.16 Mitochondrion", "The mitochondria are the", "energy factories of the cell."),
    ),
}


# Captions whose rest overleaf holds superscripts that the text layer gives as lines of their own (calibre at A6,
# probe 13 and 14): the rows at the foot of page 1, the rows at the head of page 2.
SUPERSCRIPT_CAPTIONS = {
    # "the ¹⁵N and ¹⁴N levels": the row is three lines, "the", "15" and "N and14N levels" (Microbiology 11.5).
    "a row opening with a word and a superscript": (
        ("Figure 11.5 Meselson and", "Stahl experimented with E. coli", "grown first in heavy nitrogen"),
        ("then in light nitrogen; the DNA", "sedimented halfway between", "the ^15N and ^14N levels (purple", "band)."),
    ),
    # "0.008 mm³": the superscript, a line of its own, is higher than half its row (Microbiology 9.8).
    "a superscript inside a row": (
        ("Figure 9.8 A Petroff-Hausser", "chamber has a grid of squares", "of known area. If the square"),
        ("has an area of 0.04 mm^2, then", "the volume is 0.008 mm^3, or", "0.000008 mL."),
    ),
}


@pytest.mark.parametrize("case", sorted(SUPERSCRIPT_CAPTIONS))
def test_a_caption_goes_on_overleaf_past_a_row_with_a_superscript(tmp_path, case):
    """The superscript's line stands off the caption's left edge, so the rest overleaf was cut at its row. A row's
    pieces are one row. The next page's lines have no character boxes to set a script inside a line back in its
    place (it goes after the line), so the caption's characters are compared, not their order within a row."""
    foot, head = SUPERSCRIPT_CAPTIONS[case]
    _caption_across_the_break(tmp_path / "ebook.pdf", TINY_EBOOK, foot, head)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["page"] == 1
    expected = " ".join(foot + head).replace("^", "")
    assert sorted(normalise_for_match(figure["caption"])) == sorted(normalise_for_match(expected))
    assert figure["caption"].startswith(" ".join(foot)) and figure["caption"].endswith(head[-1])


def test_a_paragraph_opening_the_next_page_with_a_label_wrapped_alone_is_no_caption_overleaf(tmp_path):
    """Blind probe 15 (calibre at A6, Microbiology 19.11): a picture ends page 1 and the next page opens with a
    paragraph "Figure 19.11 summarizes the mechanisms ...", the label wrapped alone onto its first row. The caption
    opening the next page was taken for the picture's, and the figure's label came out twice."""
    head = ("Figure 19.11", "summarizes the", "mechanisms and effects", "of hypersensitivity.")
    _caption_across_the_break(tmp_path / "ebook.pdf", TINY_EBOOK, (), head)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [row["label"] for row in rows if row["label"]] == []


@pytest.mark.parametrize("case", sorted(TINY_EBOOK_CAPTIONS))
def test_a_caption_on_a_tiny_e_book_page_goes_on_overleaf(tmp_path, case):
    """Where the text area starts is known from running text a fair share of the small page wide (lines 8-10 type
    sizes wide), so the next page's first rows open it."""
    foot, head = TINY_EBOOK_CAPTIONS[case]
    _caption_across_the_break(tmp_path / "ebook.pdf", TINY_EBOOK, foot, head)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["caption"]) == (1, " ".join(foot + head))


def test_a_caption_alone_between_two_page_filling_drawings_is_the_one_before_s(tmp_path):
    """Probe (LibreOffice, chapter 1 Figures 1.4 and 1.5): a drawing fills page 2, its caption alone opens page 3, the
    next drawing fills page 4, its caption opens page 5 over running text. The caption on page 3 also ends its page
    with nothing after it, so it was taken as left at the foot for the drawing overleaf: Figure 1.4 twice, 1.5 lost.
    Where captions go under figures, a caption that opens its page is the figure's before it."""
    width, height = WORD_DOCUMENT.page
    font, size = WORD_DOCUMENT.caption_font
    captions = {
        2: "Figure 1.4 Organ Systems of the Human Body. Organs work together in organ systems.",
        4: "Figure 1.5 Organ Systems of the Human Body (continued). Organs work together in organ systems.",
    }
    pdf = Canvas(str(tmp_path / "document.pdf"), pagesize=WORD_DOCUMENT.page)
    for number in range(7):
        top = height - 72 - WORD_DOCUMENT.size
        if number in (1, 3):
            pdf.drawImage(ImageReader(photo_pixels(number)), 81, 72, 420, height - 144)
        if number in captions:
            pdf.setFont(font, size)
            pdf.drawString(72, top, captions[number])
            top -= 2 * WORD_DOCUMENT.leading
        if number not in (1, 2, 3):
            body = WORD_DOCUMENT.body
            _running_text(pdf, body, 72, top, 80, WORD_DOCUMENT.leading, first=number, size=WORD_DOCUMENT.size)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "document.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["label"]) for row in rows] == [(2, "1.4"), (4, "1.5")]


# A caption longer than a tiny e-book page (probe, calibre at A6): its rows at the foot of page 1 under the picture,
# its rows filling page 2, and its last rows opening page 3 over running text.
_SPHENOID = (
    "Shown in isolation in (a)",
    "superior and (b) posterior",
    "views, the sphenoid bone is a",
    "single midline bone that forms",
    "the anterior walls and floor of",
    "the middle cranial fossa. It has",
    "a pair of lesser wings and a pair",
    "of greater wings. The sella",
    "turcica surrounds the",
    "hypophyseal fossa. Projecting",
    "downward are the medial and",
    "lateral pterygoid plates. The",
    "sphenoid has multiple openings",
    "for the passage of nerves and",
    "blood vessels, including the",
    "optic canal, superior orbital",
    "fissure, foramen rotundum,",
)
LONG_CAPTIONS = {
    # The title alone under the picture, its description over the next two pages (chapter 7 Figure 7.10).
    "a title alone": (("Figure 7.10 Sphenoid Bone",), _SPHENOID),
    # Rows cut mid-sentence under the picture (chapter 12 Figure 12.14).
    "rows cut mid-sentence": (
        ("Figure 7.10 Sphenoid Bone", "The sphenoid bone is drawn", "from above and behind here,"),
        _SPHENOID,
    ),
    # The whole caption overleaf (chapter 12 Figure 12.24).
    "the whole caption overleaf": ((), ("Figure 7.10 Sphenoid Bone", *_SPHENOID)),
}


@pytest.mark.parametrize("case", sorted(LONG_CAPTIONS))
def test_a_caption_filling_the_next_tiny_e_book_page_goes_on_at_the_head_of_the_page_after(tmp_path, case):
    """The caption's rows fill page 2, in its type from its left edge, and go on at the head of page 3 to the end of
    the caption: it was cut at page 2's foot (or, its description not ending a sentence there, left its title
    alone)."""
    foot, head = LONG_CAPTIONS[case]
    after = ("foramen ovale, and foramen", "spinosum.")
    _caption_across_the_break(tmp_path / "ebook.pdf", TINY_EBOOK, foot, head, pages=6, after=after)
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["caption"]) == (1, " ".join(foot + head + after))


def test_a_caption_opening_a_tiny_e_book_page_over_a_framed_box_is_the_picture_s_before(tmp_path):
    """Probe (calibre at A6, chapter 9 Figure 9.11): a picture 144 x 56 pt, scaled into the narrow text width, ends
    page 1; its caption opens page 2, over a framed box ("Interactive Link"). The picture took the caption from
    overleaf, but a page's foot picture had to be an inch high for the caption to be claimed there, so the caption
    also took the frame under it: one figure twice."""
    path = tmp_path / "ebook.pdf"
    caption = ("Figure 9.11 Osteoarthritis", "Osteoarthritis of a synovial", "joint results from aging.")
    _caption_across_the_break(path, TINY_EBOOK._replace(picture=(77, 144, 56)), (), caption, ("INTERACTIVE", "LINK"))
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["caption"]) for row in rows] == [(1, " ".join(caption))]


@pytest.mark.parametrize("height", [52, 35])
def test_a_wide_picture_ending_a_tiny_e_book_page_takes_the_caption_overleaf(tmp_path, height):
    """Probe (calibre at A6, chapter 5 Figure 5.13): a wide drawing scaled into the narrow text width, 143 x 52 pt,
    ends page 1; its caption opens page 2. The next page left the caption to it (a picture half an inch high ends a
    page), but a picture that small was no candidate for a figure: the figure was lost. Psychology 2e 14.24, a row
    of three photographs, is 143 x 35 pt there: under half an inch, it ended no page, and was lost the same way."""
    path = tmp_path / "ebook.pdf"
    caption = ("Figure 5.13 Nails", "The nail is an accessory", "structure of the skin.")
    _caption_across_the_break(path, TINY_EBOOK._replace(picture=(77, 143, height)), (), caption)
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["caption"]) for row in rows] == [(1, " ".join(caption))]


def test_a_key_term_in_bold_ending_the_page_is_the_caption_s_not_a_heading(tmp_path):
    """Probe (calibre at A6, Psychology 2.21): "A participant in the" / "Tuskegee Syphilis Study" in bold, a key term,
    at the foot of the page / "receives an injection." overleaf. A bold row of its own after a caption's row was
    taken for a heading over the next paragraph, and the caption stopped at "the"; a row ending on an article, a
    preposition or a conjunction leaves its sentence open, so the bold row goes on with it, and so does the page."""
    path = tmp_path / "ebook.pdf"
    foot = ("Figure 2.21", "A participant in the", "**Tuskegee Syphilis Study")
    _caption_across_the_break(path, TINY_EBOOK._replace(picture=(77, 140, 90)), foot, ("receives an injection.",))
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    caption = "Figure 2.21 A participant in the Tuskegee Syphilis Study receives an injection."
    assert [(row["page"], row["caption"]) for row in rows] == [(1, caption)]


def test_a_chapter_file_s_opening_picture_with_its_caption_overleaf_is_no_cover(tmp_path):
    """Probe (calibre at A6, chapters 3 and 12, Figures 3.1 and 12.1): an e-book chapter's file, 20+ pages without page
    numbers, so a book to `DocumentStyle` and its first page a cover; that page ends with the chapter's opening
    picture, its caption overleaf. Cover art has no labelled caption opening the next page."""
    path = tmp_path / "chapter.pdf"
    caption = ("Figure 12.1 Robotic Arms", "Playing Foosball", "As the neural circuitry of the", "nervous system")
    _caption_across_the_break(path, TINY_EBOOK._replace(picture=(77, 140, 65)), (), caption, pages=24)
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["caption"]) for row in rows] == [(1, " ".join(caption))]


def test_a_page_filling_picture_over_a_sliver_of_its_rest_and_its_caption_overleaf_takes_the_caption(tmp_path):
    """Probe (wkhtmltopdf at A5, chapter 14 Figure 14.25): a drawing on white paper fills page 1; the page break left
    a sliver of it (under a tenth of its height) over its caption at the head of page 2. A sliver is no figure, so
    the picture on page 1 is the caption's. It was asked by its ink's box, inside its raster's white margins: the
    sliver's raster edges matched no edge of it, the sliver was taken for another picture, and the caption for
    that one's: the caption was lost."""
    width, height = 420, 595
    drawing = Image.new("RGB", (400, 600), "white")
    drawing.paste(photo_pixels(14).resize((300, 600)), (50, 0))  # white paper left and right of the drawing
    pdf = Canvas(str(tmp_path / "ebook.pdf"), pagesize=(width, height))
    for number in range(5):
        top = height - 72 - SMALL_EBOOK.size
        if number == 0:
            pdf.drawImage(ImageReader(drawing), 30, 60, 360, 480)
        elif number == 1:
            pdf.drawImage(ImageReader(drawing.crop((0, 560, 400, 600))), 30, height - 72 - 36, 360, 36)
            pdf.setFont("Times-Roman", 11.25)
            pdf.drawString(72, height - 72 - 50, "Figure 14.25 Retinal Disparity")
            pdf.drawString(
                72, height - 72 - 64, "Objects at different distances fall on different spots of the retinae."
            )
            top = height - 72 - 100
        if number:
            _running_text(pdf, SMALL_EBOOK.body, 72, top, 80, SMALL_EBOOK.leading, first=number, size=SMALL_EBOOK.size)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "ebook.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["label"]) for row in rows] == [(1, "14.25")]


def test_the_tail_of_a_paragraph_over_a_picture_on_a_small_e_book_page_is_body_text(tmp_path):
    """Probe (calibre at A5, chapter 3 Figure 3.3): page 2 opens with the last rows of a paragraph, 15-17 type sizes
    wide, over a picture and its caption. A line of running text was 18 type sizes wide, so the rows were no body
    text, and the figure's box took them in. On a small page a fair share of its width is a paragraph's line."""
    width, height = SMALL_EBOOK.page
    pdf = Canvas(str(tmp_path / "ebook.pdf"), pagesize=SMALL_EBOOK.page)
    for number in range(4):
        top = height - 72 - SMALL_EBOOK.size
        if number == 1:
            bottom = top - 2 * SMALL_EBOOK.leading
            _running_text(pdf, SMALL_EBOOK.body, 72, top, bottom, SMALL_EBOOK.leading, size=SMALL_EBOOK.size)
            pdf.drawString(72, top - 3 * SMALL_EBOOK.leading, "in the chest.")
            pdf.drawImage(ImageReader(photo_pixels(20)), 90, 230, 240, 200)
            pdf.setFont("Times-Roman", 11.25)
            pdf.drawString(72, 212, "Figure 21.3 Lymphatic Capillaries")
            pdf.drawString(72, 198, "Lymphatic capillaries are interlaced with the arterioles.")
            top = 160
        _running_text(pdf, SMALL_EBOOK.body, 72, top, 80, SMALL_EBOOK.leading, first=number, size=SMALL_EBOOK.size)
        pdf.showPage()
    figure = only_figure(pdf, tmp_path / "ebook.pdf", tmp_path)
    assert (figure["page"], figure["label"]) == (2, "21.3")
    assert abs(figure["bbox"][1] - (height - 430)) <= 2  # the picture's top, under the paragraph's last row


def test_the_end_of_a_paragraph_run_over_to_a_tiny_e_book_page_over_a_picture_is_body_text(tmp_path):
    """Probe (calibre at A6, chapter 23 Figure 23.25): page 1 ends in mid-sentence; page 2 opens with the two lines
    that end the sentence, 6-7 type sizes wide (too short for a paragraph's line even on a small page), over a picture
    and its caption. The figure's box took them in; they end the paragraph the page before ran over."""
    width, height = TINY_EBOOK.page
    pdf = Canvas(str(tmp_path / "ebook.pdf"), pagesize=TINY_EBOOK.page)
    for number in range(4):
        top = height - 72 - TINY_EBOOK.size
        if number == 1:
            pdf.setFont("Times-Roman", TINY_EBOOK.size)
            pdf.drawString(72, top, "originate in the")
            pdf.drawString(72, top - TINY_EBOOK.leading, "alimentary canal.")
            pdf.drawImage(ImageReader(photo_pixels(20)), 77, 130, 144, 164)  # 16 pt under the second line
            pdf.setFont("Times-Roman", 11.25)
            pdf.drawString(72, 114, "Figure 23.25 Microscopic")
            pdf.drawString(72, 100, "Anatomy of the Liver")
            top = 0  # the caption ends the page
        _running_text(pdf, TINY_EBOOK.body, 72, top, 80, TINY_EBOOK.leading, first=number, size=TINY_EBOOK.size)
        pdf.showPage()
    figure = only_figure(pdf, tmp_path / "ebook.pdf", tmp_path)
    assert (figure["page"], figure["label"]) == (2, "23.25")
    assert abs(figure["bbox"][1] - (height - 294)) <= 2  # the picture's top, under the paragraph's last row


def _sliced_picture_book(path: Path, rest: float) -> None:
    """Firefox's way with a picture that does not fit (A4, 28 pt margins, no running headers): page 1 prints the top
    99 pt of a 120 + `rest` pt picture at its foot, page 2 the other `rest` pt at the top of its text area, then the
    caption and body text. Each slice is an image of its own, as Gecko writes them."""
    body = (
        "Albinism is a genetic disorder that affects the coloring of skin, hair, and eyes in the same person.",
        "The defect is primarily due to the inability of melanocytes to produce melanin in the usual amounts.",
        "Individuals with albinism tend to appear white or very pale due to the lack of melanin in their skin.",
    )
    picture = photo_pixels(9).resize((300, int(300 * (99 + rest) / 174)))
    cut = round(picture.height * 99 / (99 + rest))
    pdf = Canvas(str(path), pagesize=(595, 842))
    for number in range(4):
        top = 842 - 38  # baselines from the foot: text from 28 pt under the page's top edge
        if number == 1:
            pdf.drawImage(ImageReader(picture.crop((0, cut, 300, picture.height))), 211, 842 - 28 - rest, 174, rest)
            pdf.setFont("Times-Roman", 10)
            top -= rest + 8
            pdf.drawString(28, top, "Figure 5.10 Vitiligo Individuals with vitiligo experience depigmentation of skin.")
            top -= 24
        _running_text(pdf, body, 28, top, 140 if number == 0 else 40, 15, first=number)
        if number == 0:
            pdf.drawImage(ImageReader(picture.crop((0, 0, 300, cut))), 211, 28, 174, 99)
        pdf.showPage()
    pdf.save()


@pytest.mark.parametrize(("rest", "page"), [(21.0, 2), (6.0, 1)], ids=["a-sixth-over-the-caption", "a-sliver"])
def test_a_sliced_picture_is_the_part_printed_with_its_caption_unless_that_is_a_sliver(tmp_path, rest, page):
    """The figure is the part of the sliced picture printed over its caption when that is a tenth or more of the
    picture (21 of 120 pt), else the part on the page before (6 of 105 pt): the ground truth's rule, whatever the
    distance from the top of the page to the caption."""
    _sliced_picture_book(tmp_path / "book.pdf", rest)
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (page, "5.10")
    assert abs(Box(*figure["bbox"]).height - (rest if page == 2 else 99)) <= 2


@pytest.mark.parametrize(
    ("foot", "pages"), [(20, [2]), (120, [1, 2])], ids=["cut-at-the-text-foot", "ending-short-of-it"]
)
def test_a_picture_sliced_over_a_page_it_fills_is_the_part_on_that_page(tmp_path, foot, pages):
    """Probe (wkhtmltopdf at A5, chapter 28 Figure 28.16): a picture too tall for what was left of page 1 prints its
    top at the page's foot under the text; its rest fills page 2, which has no text layer (read by OCR as a scan);
    its caption opens page 3. The part on page 1 came out as an uncaptioned figure: it is the slice of the figure on
    page 2, dropped as such. A picture that ends short of the foot of the text area (where the pages after end their
    text) was not cut by the page break: a picture of its own beside one as wide overleaf (the dengue guideline's
    flow charts)."""
    require_tesseract()
    body = (
        "Sexual differentiation does not begin until the fetal period, during weeks nine to twelve.",
        "Embryonic males and females, though genetically distinguishable, are morphologically identical.",
        "During male fetal development, the bipotential gonads become the testes and epididymis.",
    )
    picture = photo_pixels(28).resize((400, 800))
    pdf = Canvas(str(tmp_path / "book.pdf"), pagesize=(595, 842))
    for number in range(6):
        top = 842 - 40
        if number == 0:
            _running_text(pdf, body, 20, top, 400, 15)
            pdf.drawImage(ImageReader(picture.crop((0, 0, 400, 160))), 20, foot, 555, 240)
        elif number == 1:
            pdf.drawImage(ImageReader(picture.crop((0, 160, 400, 800))), 20, 20, 555, 802)
        else:
            if number == 2:
                pdf.setFont("Times-Roman", 10)
                pdf.drawString(
                    20,
                    top,
                    "Figure 28.16 Sexual Differentiation Differentiation does not occur until the fetal period.",
                )
                top -= 24
            _running_text(pdf, body, 20, top, 40, 15, first=number)
        pdf.showPage()
    pdf.save()
    summary = run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [figure["page"] for figure in figures] == pages
    assert figures[-1]["label"] == "28.16"
    assert summary.slices_dropped == (len(pages) == 1)


def _picture_page_book(path: Path, picture: Image.Image, caption: str, sliver: Image.Image | None = None) -> None:
    """Four pages of running text, but page 2: `picture` fills it and it has no text layer (read by OCR as a scan);
    page 3 opens with `sliver` (the picture's rest, 40 pt high) where given, then `caption`, then running text."""
    body = (
        "A standard electrocardiogram places six electrodes on the chest and four on the limbs.",
        "The hypothalamus controls thermoregulation through the skin, the muscles and the thyroid.",
        "The tracing shows the P wave, the QRS complex and the T wave of each cardiac cycle.",
    )
    pdf = Canvas(str(path), pagesize=(595, 842))
    for number in range(4):
        top = 842 - 40
        if number == 1:
            pdf.drawImage(ImageReader(picture), 20, 20, 555, 802)
        else:
            if number == 2:
                if sliver is not None:
                    pdf.drawImage(ImageReader(sliver), 20, 842 - 20 - 40, 555, 40)
                    top -= 52
                pdf.setFont("Times-Roman", 10)
                pdf.drawString(20, top, caption)
                top -= 24
            _running_text(pdf, body, 20, top, 40, 15, first=number)
        pdf.showPage()
    pdf.save()


def test_a_picture_filling_a_page_read_by_ocr_takes_the_caption_under_its_sliver_overleaf(tmp_path):
    """Probe (wkhtmltopdf at A5, Figures 1.5 and 19.22): a drawing on white paper fills page 2, which has no text
    layer (read by OCR as a scan), and a sliver of it (5 % of its height) opens page 3 over its caption. The sliver
    is not the figure (the ground truth's rule), so page 3 leaves the caption to page 2; but a page read by OCR
    recorded no picture at its foot, so the sliver took the caption. Page 2's picture is the figure, with its
    caption."""
    require_tesseract()
    picture = Image.new("RGB", (400, 840), "white")  # a drawing on white paper: its ink narrower than its raster
    picture.paste(photo_pixels(19).resize((280, 830)), (60, 0))
    caption = "Figure 19.22 Standard Placement of ECG Leads In a 12-lead ECG, six electrodes are used."
    _picture_page_book(tmp_path / "book.pdf", picture.crop((0, 0, 400, 800)), caption, picture.crop((0, 800, 400, 840)))
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (2, "19.22")


def test_a_flow_chart_filling_a_page_read_by_ocr_is_a_figure_with_its_icons(tmp_path):
    """Probe (wkhtmltopdf at A5, Figure 24.23): a flow chart (boxes, arrows, two small photographic icons) fills
    page 2, which has no text layer (read by OCR); its caption opens page 3. The icons, found as small photographs
    on the raster, were uncaptioned pictures of the page, so the page was not taken for a figure page (only a page
    with nothing found on it was), and then dropped as too small: the figure was lost. They are the chart's parts."""
    require_tesseract()
    chart = Image.new("RGB", (400, 800), "white")
    draw = ImageDraw.Draw(chart)
    for top in range(40, 760, 180):  # boxes down the page, an arrow standing apart between each two
        draw.rectangle((140, top, 340, top + 90), outline="black", width=3)
        draw.line((240, top + 110, 240, top + 160), fill="black", width=3)
    for left, top in ((20, 230), (20, 590)):  # photographic icons beside two of the boxes, under photo size
        chart.paste(photo_pixels(top).resize((88, 64)), (left, top))
    caption = "Figure 24.23 Hypothalamus Controls Thermoregulation The hypothalamus controls it."
    _picture_page_book(tmp_path / "book.pdf", chart, caption)
    run_extract([tmp_path / "book.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert (figure["page"], figure["label"]) == (2, "24.23")
    assert Box(*figure["bbox"]).height > 600  # the whole chart, not an icon


def test_a_centred_picture_ending_its_page_takes_the_caption_whose_label_opens_the_next_page_alone(tmp_path):
    """Blind probe 10 (wkhtmltopdf at A5, OpenStax Microbiology Figure 21.14): a centred picture ends page 1; page 2
    opens with the label "Figure 21.14" alone on its row at the left margin, its text on the rows under it. Only the
    label's row was asked whether it lies under the picture, and it lies left of it: the picture came out
    uncaptioned and the caption was lost. The caption's rows under the label lie under it."""
    body = (
        "Streptococcus are gram-positive cocci with a microscopic morphology that forms chains.",
        "They are small, translucent, with a slightly raised elevation, and catalase-negative.",
        "The genus Streptococcus includes important pathogens that are categorized in groups.",
    )
    pdf = Canvas(str(tmp_path / "book.pdf"), pagesize=(420, 595))
    for number in range(5):
        top = 595 - 20
        if number == 1:
            pdf.setFont("Times-Bold", 6)
            pdf.drawString(13, top, "Figure 21.14")
            pdf.setFont("Times-Roman", 6)
            pdf.drawString(
                13, top - 7, "Streptococcus pyogenes forms chains of cocci. (credit: modification of work by CDC)"
            )
            top -= 22
        _running_text(pdf, body, 13, top, 200 if number == 0 else 20, 8, first=number, size=6.5)
        if number == 0:
            pdf.drawImage(ImageReader(photo_pixels(21)), 80, 15, 260, 180)
        pdf.showPage()
    figure = only_figure(pdf, tmp_path / "book.pdf", tmp_path)
    assert (figure["page"], figure["label"]) == (1, "21.14")
    assert figure["caption"].endswith("(credit: modification of work by CDC)")


def test_legends_that_outweigh_the_running_text_do_not_set_the_body_size():
    """An atlas page: a 12 pt paragraph over a plate whose 10.8 pt legend holds more characters. The legend's
    paragraph is no running text, so the body size stays the paragraph's (the body's lines would otherwise be taken
    for figure text); a document of nothing but legends still has their size."""
    paragraph = [
        TextLine("Over thirty years, this common mole remained the same size, color and shape.", Box(72, y, 500, y + 12), 12.0, 0)
        for y in (100, 114, 128)
    ]  # fmt: skip
    label = "Figure 2.1 Dysplastic Nevi Case 1: Changing DN. (A) This picture shows a mole"
    legend = [TextLine(label, Box(72, 400, 540, 411), 10.8, 0)]
    legend += [TextLine(LEGEND_TEXT, Box(72, y, 540, y + 11), 10.8, 0) for y in range(413, 509, 12)]
    atlas = DocumentStyle()
    atlas.add_page(1, 792.0, paragraph + legend, [])
    assert atlas.body_size == 12.0
    legends_only = DocumentStyle()
    legends_only.add_page(1, 792.0, legend, [])
    assert legends_only.body_size == 10.8


def test_a_picture_repeated_at_one_place_on_three_pages_is_decoration():
    style = DocumentStyle()
    opener = Graphic("image", Box(168.3, 279.1, 360.7, 499.9), None, (800, 900))
    other = Graphic("image", Box(100, 100, 300, 250), None, (640, 480))
    for page in range(3):
        style.add_page(page + 1, 792.0, [], [opener] + ([other] if page == 0 else []))
    assert style.is_recurring_image(opener) and not style.is_recurring_image(other)
    moved = Graphic("image", Box(168.3, 400, 360.7, 620.8), None, (800, 900))
    assert not style.is_recurring_image(moved), "the same picture elsewhere on the page is another use"


def test_a_book_before_its_first_figure_caption_and_its_covers_are_outside_its_content():
    book = DocumentStyle()
    figure_pages(book, 40, 9, 320.0)
    assert book.is_outside_content(1) and book.is_outside_content(8) and not book.is_outside_content(9)
    assert book.is_outside_content(40) and not book.is_outside_content(39), "the back cover"
    plain = DocumentStyle()
    figure_pages(plain, 40, 99, 320.0)  # a book without figure captions (a guideline of tables and text)
    assert plain.is_outside_content(1) and plain.is_outside_content(40) and not plain.is_outside_content(2)
    paper = DocumentStyle()
    figure_pages(paper, 8, 3, 320.0)
    assert not paper.is_outside_content(1) and not paper.is_outside_content(8), "a paper has no covers"


def test_pages_taken_out_of_a_book_have_no_covers_and_no_front_matter():
    # WHO pocket book 2013, printed pages 276-351 taken out as one file (held-out 20): its figures carry no label and
    # its first labelled caption ("Chart 16") comes on its 27th page, so every picture before it, and those of its
    # first page, were dropped as front-matter and cover art. Its pages print numbers past their place in the file.
    def feed(style: DocumentStyle, folio_of) -> None:
        for number in range(1, 41):
            lines = [TextLine(str(folio_of(number)), Box(300, 760, 312, 768), 8.0, 0)] if folio_of(number) else []
            if number == 27:
                lines.append(TextLine("Figure 16 Feeding recommendations", Box(72, 300, 300, 310), 10.0, 0))
            style.add_page(number, 792.0, lines, [])

    chapter = DocumentStyle()
    feed(chapter, lambda number: number + 275)
    assert not any(chapter.is_outside_content(number) for number in (1, 5, 26, 40))
    book = DocumentStyle()  # the whole book: roman numbers in its front matter, then 1, 2, ... from its 9th page
    feed(book, lambda number: number - 8 if number > 8 else None)
    assert book.is_outside_content(1) and book.is_outside_content(26) and not book.is_outside_content(27)


def test_a_document_captioning_above_its_figures_is_recognised():
    above = DocumentStyle()
    figure_pages(above, 40, 9, 320.0)  # drawings start just under the captions
    below = DocumentStyle()
    figure_pages(below, 40, 9, 200.0)  # drawings end above the captions
    assert above.figures_below_captions and not below.figures_below_captions


def test_terms_boxed_on_the_line_under_each_caption_are_no_figure_under_it():
    """NAACL 2024 (crash sweep, mineru 37cd8df938): three figure captions under their charts, each setting terms in
    tinted boxes on its second line. The vote took those boxes, right under each caption's first line, for the nearest
    graphics: "captions above their figures", and Figure 1 took the head of the table under it (its terms boxed too),
    its chart lost."""
    style = DocumentStyle()
    for number in (1, 2, 3):
        first = TextLine(
            f"Figure {number}: Fairness comparison of the zero-shot model", Box(72, 280, 524, 289), 10.0, 0
        )
        second = TextLine("differences in ACC , F1 , SP , and EoO between subgroups", Box(72, 292, 524, 301), 10.0, 0)
        boxes = [Graphic("path", Box(x, 289.2, x + 21, 301.5), None, None) for x in (127, 153, 174, 211)]
        chart = Graphic("path", Box(76, 90, 519, 266), None, None)
        style.add_page(number, 842.0, [first, second], [chart, *boxes])
    assert not style.figures_below_captions


def test_a_caption_announced_as_continued_takes_its_part_on_the_next_page(tmp_path):
    # PeerJ: a long caption breaks off "(continued on next page...)" above the footer and goes on under
    # "Figure 2 (...continued)" at the head of the next page.
    pdf = Canvas(str(tmp_path / "continued.pdf"), pagesize=(612, 792))
    pixels = (np.random.default_rng(5).random((200, 200, 3)) * 255).astype("uint8")
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 72, 300, 400, 420)
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(72, 285, "Figure 2 Overview of the options of the package, shown for each phase.")
    pdf.drawString(72, 274, "The functions are invoked in the order shown. (continued on next page...)")
    pdf.showPage()
    pdf.setFont("Times-Roman", 9)
    pdf.drawString(72, 720, "Figure 2 (...continued)")
    pdf.drawString(72, 709, "However, you may wish to build gene trees directly from the data.")
    pdf.drawString(72, 698, "The advanced option selects the model of best fit.")
    pdf.setFont("Times-Roman", 11)
    running_prose(pdf, 72, 670, 40, leading=14, per_line=13)
    figure = only_figure(pdf, tmp_path / "continued.pdf", tmp_path)
    assert figure["caption"] == (
        "Figure 2 Overview of the options of the package, shown for each phase. The functions are invoked in the"
        " order shown. (continued on next page...) Figure 2 (...continued) However, you may wish to build gene"
        " trees directly from the data. The advanced option selects the model of best fit."
    )


def test_a_continued_label_at_the_foot_of_the_next_page_is_not_this_caption_s_continuation(tmp_path):
    """Frontiers (crash sweep, EssOilDB eda94db143): a figure over five pages, "FIGURE 1 | Continued" under each part
    at the page's foot. The next page's figure holds no text, so its caption was among its first lines and was read as
    a header announcing this caption's continuation: every caption came out as "FIGURE 1 | Continued FIGURE 1 |
    Continued". A continuation's header stands at the head of the next page."""
    path = tmp_path / "frontiers.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    for seed in (1, 2):
        pixels = (np.random.default_rng(seed).random((200, 200, 3)) * 255).astype("uint8")
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), 94, 842 - 680, 408, 612)
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawString(52, 842 - 699, "FIGURE 1 | Continued")
        pdf.showPage()
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(row["page"], row["caption"]) for row in sorted(rows, key=lambda row: row["page"])] == [
        (1, "FIGURE 1 | Continued"),
        (2, "FIGURE 1 | Continued"),
    ]


def test_a_caption_that_points_to_its_legend_overleaf_takes_that_legend(tmp_path):
    # BMC Infectious Diseases (held-out 36): a page-size figure captioned "Fig. 2 (See legend on next page.)", its
    # legend at the head of the next page under "(See figure on previous page.)"; the caption was the pointer alone.
    # A caption that says more than the pointer keeps its own text.
    for name, under in (("pointer", "(See legend on next page.)"), ("own", "Prevalence in Sichuan (see next page).")):
        pdf = Canvas(str(tmp_path / f"{name}.pdf"), pagesize=(612, 792))
        pixels = (np.random.default_rng(5).random((200, 200, 3)) * 255).astype("uint8")
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), 72, 140, 440, 580)
        pdf.setFont("Times-Roman", 9)
        pdf.drawString(72, 126, f"Fig. 2 {under}")
        pdf.showPage()
        pdf.setFont("Times-Roman", 9)
        pdf.drawString(72, 720, "(See figure on previous page.)")
        pdf.drawString(
            72, 709, "Fig. 2 Prevalence and demographic history of the strain in Sichuan. a The skyline plot."
        )
        pdf.drawString(72, 698, "b The tree of the strain, its branches coloured by area.")
        pdf.setFont("Times-Roman", 11)
        running_prose(pdf, 72, 670, 40, leading=14, per_line=13)
        figure = only_figure(pdf, tmp_path / f"{name}.pdf", tmp_path / name)
        assert figure["page"] == 1
        if name == "pointer":
            assert figure["caption"] == (
                "Fig. 2 Prevalence and demographic history of the strain in Sichuan. a The skyline plot. b The tree"
                " of the strain, its branches coloured by area."
            )
        else:
            assert figure["caption"] == "Fig. 2 Prevalence in Sichuan (see next page)."


def test_a_legend_on_the_page_before_under_a_note_captions_the_page_size_figure(tmp_path):
    # J Transl Med 2020 Fig 4 (Springer Nature, BMC): the legend heads the page before under "(See figure on next
    # page.)", the figure fills the next page alone; it was uncaptioned. Without the note the legend is no sign.
    for name, note in (("note", "(See figure on next page.)"), ("none", "")):
        pdf = Canvas(str(tmp_path / f"{name}.pdf"), pagesize=(595, 791))
        pdf.setFont("Times-Roman", 8)
        pdf.drawString(63, 690, note)
        pdf.drawString(63, 680, "Fig. 4 Variability of the two isolates. a A colour-coded scheme of the genome")
        pdf.drawString(63, 670, "regions. b Sequence variability detected in the two isolates.")
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 57, 630, 40, per_line=13)
        pdf.showPage()
        pdf.drawImage(ImageReader(photo_pixels(4)), 63, 105, 470, 590)
        figure = only_figure(pdf, tmp_path / f"{name}.pdf", tmp_path / name)
        assert figure["page"] == 2
        if name == "note":
            assert figure["label"] == "4"
            assert figure["caption"] == (
                "Fig. 4 Variability of the two isolates. a A colour-coded scheme of the genome regions. b Sequence"
                " variability detected in the two isolates."
            )
        else:
            assert figure["caption"] is None


def test_a_caption_overleaf_stops_before_the_figures_link_line(tmp_path):
    # PLoS Pathogens 2006 Figure 10: a full-page plate, its caption at the head of the next page, then the figure's
    # DOI line; the caption taken from overleaf ran on into it.
    pdf = Canvas(str(tmp_path / "plate.pdf"), pagesize=(594, 783))
    pdf.drawImage(ImageReader(photo_pixels(6)), 45, 113, 335, 617)
    pdf.showPage()
    rows = (
        ("Times-Bold", "Figure 10. Lymphedema Stages"),
        ("Times-Roman", "(A) Stage 2, swelling that is not reversible overnight."),
        ("Times-Roman", "(B) Stage 3, shallow skin folds at the ankle."),
        ("Times-Roman", "DOI: 10.1371/journal.ppat.0020092.g010"),
    )
    for i, (font, text) in enumerate(rows):
        pdf.setFont(font, 8)
        pdf.drawString(45, 727 - 9 * i, text)
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 45, 670, 30, leading=11, per_line=12)
    figure = only_figure(pdf, tmp_path / "plate.pdf", tmp_path)
    assert figure["caption"] == " ".join(text for _, text in rows[:-1])


def _flow_chart_across(pdf: Canvas, shift: float, height: float) -> None:
    """A flow chart drawn across two facing 552 pt pages, shifted left by `shift` (0 on the left page, 552 on the
    right): ruled bands and boxes of 7 pt text, joined by arrows, its lines running from one page across the spine
    into the other (each page of a fold-out holds the whole drawing, clipped to its own page)."""
    pdf.setLineWidth(0.8)
    for y in (221, 293, 322):
        pdf.line(100 - shift, height - y, 920 - shift, height - y)
    pdf.line(100 - shift, height - 49, 100 - shift, height - 720)
    for x0, y0, x1, y1, words in (
        (110, 60, 260, 160, "Presumptive diagnosis"),
        (340, 110, 470, 200, "Warning signs"),
        (600, 110, 760, 200, "Severe dengue"),
        (120, 340, 300, 700, "Group A: sent home"),
        (330, 340, 700, 700, "Group B: referred for in-hospital care"),
        (720, 340, 900, 700, "Group C: emergency treatment"),
    ):
        pdf.rect(x0 - shift, height - y1, x1 - x0, y1 - y0)
        pdf.setFont("Helvetica", 7)
        for k in range(4):
            pdf.drawString(x0 + 6 - shift, height - y0 - 12 - 10 * k, f"{words} {k + 1}")
        pdf.line((x0 + x1) / 2 - shift, height - y1, (x0 + x1) / 2 - shift, height - 221)  # an arrow down
    pdf.line(260 - shift, height - 110, 600 - shift, height - 110)  # an arrow across the spine


def test_each_half_of_a_chart_drawn_across_two_facing_pages_is_one_figure(tmp_path):
    """WHO 2009 pp. 64-65 (a fold-out chart over a spread, no caption): pages 1-2 hold one chart, each clipped to
    its own page, its lines running on 300-800 pt past the spine. Each page's half is one uncaptioned figure. Page
    3, a page of text, has a band bled off its edge (one path, 90 pt into the page) and the facing page's table
    drawn off its other edge, not across it: no figure."""
    height = 779
    pdf = Canvas(str(tmp_path / "foldout.pdf"), pagesize=(552, height))
    for shift in (0, 552):
        _flow_chart_across(pdf, shift, height)
        pdf.showPage()
    pdf.setFillGray(0.8)
    pdf.rect(-300, 300, 390, 300, stroke=0, fill=1)
    pdf.setFillGray(0)
    for y in (120, 140, 400):
        pdf.line(600, height - y, 900, height - y)
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 110, height - 80, 40, per_line=7)
    pdf.save()
    run_extract([tmp_path / "foldout.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = sorted(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist(), key=lambda r: r["page"])
    assert [(row["page"], row["label"], row["caption"]) for row in rows] == [(1, None, None), (2, None, None)]
    assert Box(*rows[0]["bbox"]).iou(Box(99, 49, 552, 721)) >= 0.95
    assert Box(*rows[1]["bbox"]).iou(Box(0, 110, 368, 700)) >= 0.95


def test_a_two_sided_book_s_figure_page_is_searched_across_its_own_side_s_text_width(tmp_path):
    # A two-sided book mirrors its margins: odd pages set their text at 60-450, even ones at 119-509 (held-out 15,
    # scrbook 6.12: 60-476 and 119-535). An even page holds two subfigures with their sub-captions and the caption centred under the
    # set, a line as wide as a paragraph's: the caption, the page's only body line, is not centred in the odd pages'
    # text width, so the search over it kept to its own width and cut through the pictures.
    rng = np.random.default_rng(19)
    pdf = Canvas(str(tmp_path / "twoside.pdf"), pagesize=(595, 842))
    for number in range(1, 6):
        x = 60 if number % 2 else 119
        pdf.setFont("Times-Italic", 10)
        pdf.drawString(x, 786, "Bone Structure")
        pdf.setFont("Times-Roman", 10)
        if number == 4:
            pdf.drawImage(ImageReader(micrograph_plate(rng)), 119, 560, 390, 200)
            centred_string(pdf, 314, 545, "(a) This cross-sectional view of compact bone shows the unit, the osteon.")
            pdf.drawImage(ImageReader(micrograph_plate(rng)), 177, 380, 275, 150)
            centred_string(pdf, 314, 365, "(b) In this micrograph of the osteon, you can see the lamellae.")
            centred_string(pdf, 314, 335, "Figure 6.12: Diagram of Compact Bone, its Osteons and Canals.")
        else:
            running_prose(pdf, x, 750, 50, per_line=19)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "twoside.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert figure["label"] == "6.12" and figure["page"] == 4
    assert Box(*figure["bbox"]).contains(Box(130, 82, 505, 462), tolerance=2)


def test_a_caption_under_sub_caption_rows_at_a_page_s_foot_is_no_caption_left_for_the_next_page(tmp_path):
    # The same grid ending a page (held-out 18, 23.12 at the foot of p16): three rows of sub-captions put the
    # caption more than three lines under the pictures, so it counted as a caption left at the foot with its
    # picture pushed to the next page, and the next page's opening picture took it too (a caption used twice).
    pdf = Canvas(str(tmp_path / "foot.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 9)
    for x in (60, 310):
        running_prose(pdf, x, 790, 44, leading=11, per_line=9)
    subfigure_grid_page(pdf, 280, SYPHILIS_CELLS, "Figure 23.12: (credit a, b, c: work by the CDC)")
    pdf.save()
    document = open_pdf(tmp_path / "foot.pdf")
    page = read_page(document, 0)
    style = DocumentStyle()
    style.add_page(page.number, page.height, page.lines, page.graphics, page_width=page.width)
    assert any(line.text.startswith("Figure 23.12") for line in page.lines)
    assert style.caption_at_foot(1) == []


def test_a_caption_that_only_says_its_figure_continues_takes_every_part_above_it(tmp_path):
    """Held-out 40 momelotinib p. 7: "Figure 6. Cont." under a flow-cytometry plate and two rows of bar charts, the
    rows 66 pt apart (over `_STACK_EM` body sizes): the caption took the bottom row alone, the plate came out
    uncaptioned (a miss and two false figures). A caption that describes its figure keeps the row nearest it."""
    rng = np.random.default_rng(6)
    for name, words in (("cont", "Figure 6. Cont."), ("own", "Figure 6. Bar charts of the treated groups.")):
        pdf = Canvas(str(tmp_path / f"{name}.pdf"), pagesize=(595, 842))
        pixels = (rng.random((200, 200, 3)) * 255).astype("uint8")
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), 100, 400, 400, 340)
        for row in (300, 170):  # two rows of two bar charts, 70 pt of white between the rows
            for left in (160, 320):
                for i, height in enumerate((50, 45, 40, 20)):
                    pdf.rect(left + 8 + 28 * i, row, 18, height, stroke=0, fill=1)
                pdf.line(left, row, left + 120, row)
                pdf.line(left, row, left + 0, row + 60)
        pdf.setFont("Times-Roman", 10)
        pdf.drawString(260, 140, words)
        pdf.setFont("Times-Roman", 10)
        running_prose(pdf, 72, 110, 4, leading=12, per_line=14)
        pdf.save()
        run_extract([tmp_path / f"{name}.pdf"], tmp_path / name, ExtractConfig(dpi=72))
        rows = Dataset.open(tmp_path / name).read_table("figures").to_pylist()
        (figure,) = [row for row in rows if row["caption"] == words]
        assert (len(rows), figure["bbox"][1] < 110) == ((1, True) if name == "cont" else (2, False))


def _caption_left_at_foot(path: Path, opening: str) -> list[str]:
    """The lines of the caption that the one-page PDF leaves at its page's foot for the next page
    (`DocumentStyle.caption_at_foot`); the page holds a line opening with `opening`, the caption itself."""
    page = read_page(open_pdf(path), 0)
    style = DocumentStyle()
    style.add_page(page.number, page.height, page.lines, page.graphics, page_width=page.width)
    assert any(line.text.startswith(opening) for line in page.lines)
    return [line.text for line in style.caption_at_foot(1)]


def test_a_caption_whose_short_first_line_has_blank_paper_under_it_is_measured_by_all_its_rows(tmp_path):
    """Crash sweep, EssOilDB c3e4cb99c7 p. 7: a flow chart over its two-line caption, the caption's short first line
    in the margin ("Fig. 3. Management of infant constipation."), its second line as wide as the chart; under it, the
    next section in the text column, right of the first line. Measured by its first line alone, nothing stood over or
    under the caption: it passed for a caption left at the page's foot, and the page of references after it, with its
    tinted link tags, came out as Figure 3 a second time."""
    pdf = Canvas(str(tmp_path / "foot.pdf"), pagesize=(595, 842))
    for top in (110, 190, 270, 350):  # the flow chart's boxes and arrows, right of the margin
        pdf.rect(270, 842 - top - 17, 140, 17)
        pdf.line(340, 842 - top - 17, 340, 842 - top - 80)
    pdf.rect(270, 842 - 447, 140, 17)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(43, 842 - 460, "Fig. 3. Management of infant constipation.")
    pdf.drawString(43, 842 - 469, "PEG: polyethylene glycol; CMPA: cow's milk protein allergy; RF: rectal examination.")
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(193, 842 - 501, "CONCLUSION")
    pdf.setFont("Times-Roman", 9.5)
    running_prose(pdf, 193, 842 - 528, 16, leading=13, per_line=11)
    pdf.save()
    assert _caption_left_at_foot(tmp_path / "foot.pdf", "Fig. 3.") == []


def test_a_caption_under_its_chart_s_labels_at_a_page_s_foot_is_no_caption_left_for_the_next_page(tmp_path):
    """Crash sweep, EssOilDB 1cc947e47a p. 5: three chromatograms stacked over the caption at the page's foot, the
    last one's axis title and "(c)" between it and the caption, more than three lines over it. It passed for a
    caption left at the foot, its picture pushed overleaf, and the page before (a rotated table, no body text) came
    out as Figure 1 with this caption. The caption's picture stands over it with no paragraph between."""
    pdf = Canvas(str(tmp_path / "foot.pdf"), pagesize=(595, 842))
    for top in (100, 300, 500):  # three charts: axes and peaks
        pdf.line(160, 842 - top - 150, 440, 842 - top - 150)
        pdf.line(160, 842 - top - 150, 160, 842 - top)
        for k in range(12):
            pdf.line(180 + 20 * k, 842 - top - 150, 180 + 20 * k, 842 - top - 150 + 10 + 9 * (k % 5))
    pdf.setFont("Times-Roman", 7)
    pdf.drawString(400, 842 - 662, "Time (min)")
    pdf.drawString(295, 842 - 676, "(c)")
    pdf.setFont("Times-Roman", 7.5)
    pdf.drawString(
        86, 842 - 704, "Figure 1: Chromatograms of Cinnamomum zeylanicum (a), Curcuma longa (b), and Origanum (c)."
    )
    pdf.save()
    assert _caption_left_at_foot(tmp_path / "foot.pdf", "Figure 1:") == []


@pytest.mark.parametrize(
    "last_line, left_for_overleaf",
    [
        ("Figure 2, where the pairwise relationships based on the metric are coloured.", False),
        ("Figure 3 shows the pairwise relationships based on the metric, coloured.", False),
        ("Figure 2. The pairwise relationships based on the metric, coloured.", True),
    ],
)
def test_a_sentence_citing_a_figure_at_a_page_s_foot_is_no_caption_left_for_the_next_page(
    tmp_path, last_line, left_for_overleaf
):
    """The session 33 sweep, mineru e25033eef1 p8: the left column ends "... are reported in" / "Figure 2, where the
    pairwise relationships based on", and the next page opens with Figure 2's row of heatmaps over sub-captions and
    the printed caption. The cited label at the line's start passed for a caption left at the page's foot, its
    picture pushed overleaf: the heatmaps took "Figure 2, where the pairwise ..." as their caption, and the printed
    one was lost. A caption's label is followed by a stop, a title or a panel letter, not by a sentence."""
    pdf = Canvas(str(tmp_path / "foot.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 760, 52, per_line=11)
    pdf.drawString(72, 760 - 12 * 52, last_line)
    pdf.save()
    page = read_page(open_pdf(tmp_path / "foot.pdf"), 0)
    style = DocumentStyle()
    style.add_page(page.number, page.height, page.lines, page.graphics, page_width=page.width)
    assert [line.text for line in style.caption_at_foot(1)] == ([last_line] if left_for_overleaf else [])


def test_a_figure_under_its_label_alone_takes_its_legend_from_the_page_of_legends(tmp_path):
    """Author manuscripts in the session 33 sweep (openvirusdev fed74f72b4 and cdbb1a2806, norma ba86c29adb): the
    legends listed double-spaced on a page of their own after the references, each figure on a page of its own
    under its label alone ("Figure 1."). The figures came out captioned "Figure 1." and nothing more."""
    pdf = Canvas(str(tmp_path / "manuscript.pdf"), pagesize=(612, 792))
    pdf.setFont("Times-Roman", 12)
    running_prose(pdf, 72, 720, 40, leading=16, per_line=11)
    pdf.showPage()
    pdf.setFont("Times-Bold", 12)
    pdf.drawString(72, 720, "Figure legends")
    pdf.setFont("Times-Roman", 12)
    legends = {
        "1": ["Figure 1. Incidence of the disease in the cohort, stratified by gender, age and", "treatment status."],
        "2": [
            "Figure 2. Diagnosis and treatment course in the 22 confirmed cases. *The interval",
            "is not shown whole.",
        ],
    }
    y = 690
    for rows in legends.values():
        for row in rows:
            pdf.drawString(72, y, row)
            y -= 28  # double-spaced
        y -= 20
    pdf.showPage()
    rng = np.random.default_rng(11)
    for label in legends:
        pdf.setFont("Times-Roman", 12)
        pdf.drawString(72, 700, f"Figure {label}.")
        pixels = (rng.random((60, 80, 3)) * 255).astype("uint8")
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), 100, 300, 400, 380)
        pdf.showPage()
    pdf.save()
    run_extract([tmp_path / "manuscript.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(figure["page"], figure["label"]) for figure in figures] == [(3, "1"), (4, "2")]
    assert [figure["caption"] for figure in figures] == [" ".join(rows) for rows in legends.values()]
    assert all(figure["caption_bbox"] is None for figure in figures)  # printed on another page


def test_a_fault_in_the_first_pass_over_a_page_is_that_page_s_error_not_an_ocr_failure(tmp_path, monkeypatch):
    """A bug in the document's statistics (`DocumentStyle.add_page`) on one page was reported as "ocr-failed: OCR of
    the page failed" on a page that no OCR read. It is the page's own error; the other pages keep their figures."""
    path = tmp_path / "three.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    for _ in range(2):
        running_prose(pdf, 72, 700, 40)
        pdf.showPage()
    real_add_page = DocumentStyle.add_page

    def fails_on_page_two(self, number, *args, **kwargs):
        if number == 2:
            raise RuntimeError("a statistic gone wrong")
        return real_add_page(self, number, *args, **kwargs)

    monkeypatch.setattr(DocumentStyle, "add_page", fails_on_page_two)
    pdf.drawImage(ImageReader(photo_pixels(7)), 150, 400, 240, 180)
    caption_over_prose(pdf, (150, 385, "Figure 1. A photograph of the lesion."))
    running_prose(pdf, 72, 350, 20)
    pdf.save()
    outcome = extract_pdf(path, tmp_path / "ds", ExtractConfig(dpi=72))
    assert [(error.page, error.reason) for error in outcome.errors] == [(2, "page-failed")]
    assert outcome.errors[0].detail.startswith(
        "the first pass over the page failed: RuntimeError: a statistic gone wrong (at "
    ), outcome.errors[0].detail
    assert outcome.figures == 1

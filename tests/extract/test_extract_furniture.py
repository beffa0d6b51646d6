"""Page furniture that recurs at one place through a document is no part of any figure (issue 13 class 4): a
journal's page-number box and rotated running title in the outer margin (held-out set 3's R Soc Open Sci paper), a
book's chapter thumb tab and page number beside a flow chart (WHO 2009 Figure 2.3); a panel letter over the top
row of several figures is no running header; and only the same picture placed again is a decoration."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.page import Graphic, TextLine
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

PAGE_W, PAGE_H = 612.0, 792.0
COLUMN = (72.0, 460.0)  # the text column's x range
_WORDS = (
    "Milk of the giant panda changes slowly from colostrum to mature milk over the first month after birth and "
    "the proteins and oligosaccharides that mark the transition were followed in samples taken from three mothers "
)


def _body(canvas: Canvas, top: float, lines: int) -> None:
    """`lines` lines of 10 pt body text justified across the column, the first at `top` (from the page top)."""
    words = (_WORDS * 40).split()
    width = COLUMN[1] - COLUMN[0]
    for row in range(lines):
        line: list[str] = []
        while words and stringWidth(" ".join([*line, words[0]]), "Helvetica", 10) <= width:
            line.append(words.pop(0))
        text = canvas.beginText(COLUMN[0], PAGE_H - top - 8 - 12 * row)
        text.setFont("Helvetica", 10)
        text.setWordSpace((width - stringWidth(" ".join(line), "Helvetica", 10)) / (len(line) - 1))
        text.textOut(" ".join(line))
        canvas.drawText(text)


def _furniture(canvas: Canvas, number: int) -> None:
    """The outer margin of every page: a black box holding the page number, drawn in a form whose bounds (a white
    backing) reach 8 pt into the text column, and the journal's title rotated under it."""
    name = f"pagebox{number}"
    canvas.beginForm(name)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(COLUMN[1] - 8, PAGE_H - 70, 80, 36, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(470, PAGE_H - 58, 24, 18, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawCentredString(482, PAGE_H - 53, str(number))
    canvas.endForm()
    canvas.doForm(name)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(488, PAGE_H - 64)
    canvas.rotate(-90)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(0, 0, "journal.example.org   J. Example Sci. 2: 150395")
    canvas.restoreState()


def _plot(canvas: Canvas, x0: float, top: float, letter: str) -> None:
    """A vector plot 184 x 130 pt with its letter 16 pt over it (tops from the page top)."""
    canvas.setFont("Helvetica", 9)
    canvas.drawString(x0, PAGE_H - top - 8, f"({letter})")
    bottom = PAGE_H - top - 16 - 130
    canvas.rect(x0, bottom, 184, 130)
    for k in range(8):
        canvas.circle(x0 + 12 + 21 * k, bottom + 15 + 13 * k, 2.5, fill=1)


def _journal_pdf(path: Path) -> None:
    """Six pages; pages 2-4 open with a 2x2 grid of plots as wide as the column (its right edge on the column's,
    10 pt short of the page-number box), lettered over each plot, the top row's letters 44 pt from the page top
    (in the top margin zone), rows 20 pt apart (more than the ink that links one figure); caption and text under."""
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for number in range(1, 7):
        _furniture(canvas, number)
        if 2 <= number <= 4:
            for row, top in enumerate((44.0, 210.0)):
                for col, x0 in enumerate((COLUMN[0], COLUMN[1] - 184)):
                    _plot(canvas, x0, top, "abcd"[2 * row + col])
            canvas.setFont("Helvetica", 8)
            canvas.drawString(COLUMN[0], PAGE_H - 372, f"Figure {number - 1}. Changes in panda milk over the")
            canvas.drawString(COLUMN[0], PAGE_H - 382, "first month: (a) lactose, (b) sialyllactose, (c, d) proteins.")
            _body(canvas, 400, 28)
        else:
            _body(canvas, 60, 55)
        canvas.showPage()
    canvas.save()


def test_recurring_margin_furniture_stays_out_of_figures_and_letters_over_them_stay_in(tmp_path):
    pdf, dataset = tmp_path / "journal.pdf", tmp_path / "ds"
    _journal_pdf(pdf)
    assert run_extract([pdf], dataset, ExtractConfig(dpi=72)).errors == 0
    rows = Dataset.open(dataset).read_table("figures").to_pylist()
    assert sorted((r["page"], r["label"]) for r in rows) == [(2, "1"), (3, "2"), (4, "3")]
    whole = Box(COLUMN[0], 44, COLUMN[1], 356)  # both rows of plots and the letters over the top row
    for row in rows:
        # Without the furniture rule the page-number box joins the top row, which then no longer lines up with the
        # bottom row; without the row rule the top row's two plots are parts that line up with nothing; without
        # the panel-letter rule "(a)" and "(b)" are a running header that bounds the search above the plots.
        assert Box(*row["bbox"]).iou(whole) >= 0.97, row["bbox"]
        assert row["bbox"][2] <= COLUMN[1] + 1.5, "the page-number box and the running title stay out"


def _line(text: str, box: Box) -> TextLine:
    return TextLine(text, box, 9.0, 0)


def test_side_furniture_recurs_at_one_place_beside_the_text():
    paragraph = _line(_WORDS[:80], Box(COLUMN[0], 400, COLUMN[1], 409))
    title = _line("5 journal.example.org", Box(480, 64, 490, 300))  # rotated, in the outer margin
    tab = Graphic("path", Box(570, 200, 612, 320), None)  # a chapter tab
    form = Graphic("path", Box(452, 34, 520, 70), None)  # a page-number box whose bounds reach into the column
    frame = Graphic("path", Box(72, 90, 540, 92), None)  # the top edge of a figure frame, on the same pages
    style = DocumentStyle()
    for number in range(1, 4):
        page_title = _line(f"{number + 4} journal.example.org", title.box)
        style.add_page(number, PAGE_H, [paragraph, page_title], [form, frame] + ([tab] if number > 1 else []))
    style.add_page(4, PAGE_H, [], [tab])  # a page without text: nothing is beside it
    assert style.is_side_furniture(title), "the same text but for its digits, on 3 pages"
    assert style.is_side_furniture(form)
    assert not style.is_side_furniture(tab), "beside the text on 2 pages only"
    assert not style.is_side_furniture(frame), "recurring, but across the text column"
    assert not style.is_side_furniture(_line(title.text, Box(480, 320, 490, 556))), "the same text elsewhere"
    style.add_page(5, PAGE_H, [paragraph], [tab])
    assert style.is_side_furniture(tab)


def test_a_panel_letter_at_the_top_of_several_pages_is_no_running_header():
    style = DocumentStyle()
    header = _line("Short Notes", Box(72, 48, 250, 57))  # in the top margin zone, but not at the very edge
    letter = _line("(a)", Box(72, 44, 82, 52))
    for number in range(1, 4):
        style.add_page(number, PAGE_H, [header, letter], [])
    page = SimpleNamespace(height=PAGE_H, cropbox=Box(0, 0, PAGE_W, PAGE_H))
    assert style.is_margin(page, header), "a running header"
    assert not style.is_margin(page, letter), "the letter over the top row of a figure on 3 pages"


def test_a_caption_label_at_the_top_of_several_pages_is_no_running_header():
    # Blind print probe (Chromium, captions in a wide outer margin, Microbiology chapter 3): a figure opens each page
    # and its caption's label, "Figure 3.23", opens the margin column at one place on page after page. The label
    # but for its digits recurred, so it was taken for a running header: the next page was seen without it, and the
    # caption above took the next figure's description as its rest.
    style = DocumentStyle()
    header = _line("Short Notes", Box(72, 48, 250, 57))
    paragraph = _line(_WORDS[:80], Box(COLUMN[0], 400, COLUMN[1], 409))
    label = _line("Figure 3.25", Box(COLUMN[1] + 20, 55, COLUMN[1] + 70, 63))  # beside the text block
    for number in range(1, 5):
        page_label = _line(f"Figure 3.{20 + number}", label.box)
        style.add_page(number, PAGE_H, [header, page_label, paragraph], [])
    page = SimpleNamespace(height=PAGE_H, cropbox=Box(0, 0, PAGE_W, PAGE_H))
    assert style.is_margin(page, header), "a running header"
    assert not style.is_margin(page, label), "a caption's label"
    assert not style.is_side_furniture(label), "a caption's label"
    # A figure printed over several pages heads each with its label and "Cont." (MDPI), as a running line does.
    continued = DocumentStyle()
    for number in range(1, 5):
        continued.add_page(number, PAGE_H, [header, _line(f"Figure {number}. Cont.", label.box), paragraph], [])
    assert continued.is_margin(page, _line("Figure 5. Cont.", label.box))


def test_a_print_ready_page_has_its_margins_measured_from_its_crop_box():
    # WHO pocket book 2013 (held-out 20): an A5 page trimmed (CropBox) out of an A4 sheet (MediaBox) that holds the
    # slug line and printer's marks; the running head 15 pt under the trimmed top edge lay 103 pt under the sheet's,
    # outside the margin zones, and was read as the title of the picture under it.
    style = DocumentStyle()
    trim = Box(61, 88, 359, 507)  # page coordinates, top down
    head = _line("SEPTIC ARTHRITIS", Box(257, 103, 333, 109))
    body = _line("Aspiration of the joint to confirm the diagnosis (see figure, above).", Box(86, 420, 333, 428))
    for number in range(1, 4):
        style.add_page(number, 595.0, [head, body], [], page_width=420.0, frame=trim)
    page = SimpleNamespace(height=595.0, cropbox=trim)
    assert style.is_margin(page, head)
    assert not style.is_margin(page, body)


def _photo(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(40, 220, size=(24, 32, 3), dtype=np.uint8)).resize((320, 240))


def test_only_the_same_picture_recurring_at_one_place_is_decoration(tmp_path):
    """Three pages with a different photo each, of one pixel size at one place (an e-book's floated figures), and
    the same logo on each: the photos are figures, the logo is decoration. Recognised by place and pixel size
    alone, the photos were dropped as decorations too."""
    pdf, dataset = tmp_path / "photos.pdf", tmp_path / "ds"
    canvas = Canvas(str(pdf), pagesize=(PAGE_W, PAGE_H))
    logo = ImageReader(_photo(99))
    for number in range(1, 4):
        canvas.drawImage(ImageReader(_photo(number)), 150, 300, 300, 225)
        canvas.drawImage(logo, 430, 620, 110, 110)
        _body(canvas, 560, 12)
        canvas.showPage()
    canvas.save()
    summary = run_extract([pdf], dataset, ExtractConfig(dpi=72))
    rows = Dataset.open(dataset).read_table("figures", columns=["page", "bbox", "label"]).to_pylist()
    photo = Box(150, PAGE_H - 525, 450, PAGE_H - 300)
    assert [(r["page"], r["label"]) for r in rows] == [(1, None), (2, None), (3, None)]
    assert all(Box(*r["bbox"]).iou(photo) >= 0.97 for r in rows)
    assert summary.decorations_dropped == 3, "the logo, on each page"


def test_a_photo_strip_bled_off_the_same_corner_of_each_chapter_opener_is_decoration(tmp_path):
    """A report's chapter openers (WHO 2002 LF report, held-out set 5) bleed a strip of photos off the top right
    corner: other photos in each chapter, so no picture recurs, and the frame a few points taller or shorter. The
    strips are decoration; a photo bled across the page once, in a frame of its own, is a figure (bled off one side
    only, uncaptioned, it is the page's design: `layout.bled_off_one_side`). Without the frame rule every strip came
    out as an uncaptioned figure."""
    pdf, dataset = tmp_path / "openers.pdf", tmp_path / "ds"
    canvas = Canvas(str(pdf), pagesize=(PAGE_W, PAGE_H))
    for number, height in enumerate((185, 180, 179, 176), start=1):
        canvas.drawImage(ImageReader(_photo(number)), 484, PAGE_H - height + 1, 130, height)  # cut by top and right
        _body(canvas, 220, 20)
        canvas.showPage()
    canvas.drawImage(ImageReader(_photo(9)), -8, PAGE_H - 420, PAGE_W + 16, 180)  # y 240-420, cut by both sides
    _body(canvas, 440, 12)
    canvas.showPage()
    canvas.save()
    summary = run_extract([pdf], dataset, ExtractConfig(dpi=72))
    rows = Dataset.open(dataset).read_table("figures", columns=["page", "bbox"]).to_pylist()
    assert [r["page"] for r in rows] == [5], "the strips dropped, the bled photo kept"
    assert Box(*rows[0]["bbox"]).iou(Box(0, 240, PAGE_W, 420)) >= 0.97
    assert summary.decorations_dropped == 4


def _vector_head(canvas: Canvas) -> None:
    """A journal's running head drawn as vector art: its name's logo (filled shapes, no text) and a rule beside it,
    reaching 48 pt down the page, past the band at the edge that is always furniture."""
    canvas.setFillColorRGB(0.1, 0.5, 0.8)
    for k in range(5):
        canvas.rect(35 + 22 * k, PAGE_H - 50, 16, 11, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setLineWidth(0.8)
    canvas.line(160, PAGE_H - 47, 579, PAGE_H - 47)


def _dot_chart(canvas: Canvas, top: float) -> None:
    """A vector chart 300 x 250 pt: its frame and dots rising across it (top from the page top)."""
    bottom = PAGE_H - top - 250
    canvas.rect(150, bottom, 300, 250)
    for k in range(12):
        canvas.circle(165 + 25 * k, bottom + 15 + 19 * k, 3, fill=1)


def test_a_running_head_drawn_as_vector_art_stays_out_of_a_figure_under_it(tmp_path):
    """PeerJ's running head is its logo drawn as paths and a rule, 39-48 pt down the page: past the band at the page's
    edge that is furniture wherever it is, so a drawing set under it, higher than the other pages' text starts, took
    the head into its box (papers' VESPA Figures 1 and 2, flow charts). A drawing that recurs at one place near the top or bottom edge
    on 3+ pages is page furniture, as a running line is."""
    pdf = tmp_path / "vector_head.pdf"
    canvas = Canvas(str(pdf), pagesize=(PAGE_W, PAGE_H))
    for number in range(1, 5):
        _vector_head(canvas)
        if number == 3:
            _dot_chart(canvas, 60)  # above where the other pages' text starts
            canvas.setFont("Helvetica", 9)
            canvas.drawString(150, PAGE_H - 325, "Figure 1 Overview of the five phases of the workflow.")
        else:
            _body(canvas, 85, 50)
        canvas.showPage()
    canvas.save()
    run_extract([pdf], tmp_path / "ds", ExtractConfig(dpi=72))
    (row,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert row["page"] == 3 and row["label"] == "1"
    assert Box(*row["bbox"]).iou(Box(150, 60, 450, 310)) > 0.95, row["bbox"]


def _thumb_tab(canvas: Canvas) -> None:
    """The form "tab": a chapter thumb tab at the page's left edge, whose bounds (a white backing) reach from past the
    page's edge 70 pt into the text column, over the whole page's height (a WHO manual's annex tab)."""
    canvas.beginForm("tab")
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(-8, -8, COLUMN[0] + 78, PAGE_H + 16, stroke=0, fill=1)
    canvas.setFillColorRGB(0.2, 0.4, 0.6)
    canvas.rect(0, PAGE_H - 360, 40, 60, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.endForm()


def test_a_thumb_tab_reaching_over_a_picture_leaves_the_picture_whole(tmp_path):
    # WHO 2005 manual's Figure A.8.6 (held-out 27): four micrographs in one raster, set at the text column's left
    # edge, where the annex tab's bounds reach over it; the tab's ink was erased as all ink wholly inside its bounds,
    # and with it the raster's specks there: the figure's box was cut 28 pt in from the raster's left edge.
    path = tmp_path / "annex.pdf"
    pixels = np.full((200, 360, 3), 255, np.uint8)
    for x in range(10, 350, 30):  # specks of stained cells, white between them
        pixels[20:180:40, x : x + 12] = 60
        pixels[30:190:40, x + 5 : x + 9] = 60
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    _thumb_tab(canvas)
    for number in range(1, 5):
        canvas.doForm("tab")
        if number == 2:
            canvas.setFont("Helvetica-Bold", 9)
            canvas.drawString(COLUMN[0], PAGE_H - 130, "Figure 1. Microfilariae found in humans")
            canvas.drawImage(ImageReader(Image.fromarray(pixels)), COLUMN[0], PAGE_H - 350, 360, 200)
            _body(canvas, 380, 25)
        else:
            _body(canvas, 60, 55)
        canvas.showPage()
    canvas.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    (row,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert row["bbox"][0] <= COLUMN[0] + 11, row["bbox"]

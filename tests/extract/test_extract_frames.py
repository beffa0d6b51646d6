"""extract on journal frames and captions set in two columns: a frame a column wide drawn piece by piece around a
picture and its caption (BMC's rounded frame, Frontiers' hairlines) or drawn round a note block holding a picture
(Typst) is neither part of the figure nor a figure of its own, and a caption under a figure as wide as the text that
runs on into the next column is whole. Drawings set in the text's flow without a caption, and captions printed on
the white of a drawing's raster."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import TextLine
from mmskin_build.extract.regions import set_in_the_text
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

_HEIGHT = 794
_WORDS = "the patient was seen again with acute episodes of tenderness and swelling of the right leg".split()


def _photo(seed: int, width: int, height: int) -> ImageReader:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(60, 200, size=(max(height // 20, 2), max(width // 20, 2), 3), dtype=np.uint8)
    return ImageReader(Image.fromarray(pixels).resize((width, height)))


def _prose(pdf: Canvas, x: float, top: float, lines: int, per_line: int = 9) -> None:
    """Body text, 10 pt, from `top` (page coordinates from the top) down."""
    pdf.setFont("Times-Roman", 10)
    for i in range(lines):
        words = (_WORDS[(i * 3 + k) % len(_WORDS)] for k in range(per_line))
        pdf.drawString(x, _HEIGHT - top - 12 * i, " ".join(words))


def _rounded_frame(pdf: Canvas, x0: float, top: float, x1: float, bottom: float) -> None:
    """BMC's frame drawn piece by piece: four edges, each its own path, and four corner arcs."""
    pdf.setLineWidth(1.2)
    for ax, atop, bx, bbottom in (
        (x0 + 4, top, x1 - 4, top),
        (x0 + 4, bottom, x1 - 4, bottom),
        (x0, top + 4, x0, bottom - 4),
        (x1, top + 4, x1, bottom - 4),
    ):
        pdf.line(ax, _HEIGHT - atop, bx, _HEIGHT - bbottom)
    for x, y, start in ((x0, top, 90), (x1 - 8, top, 0), (x0, bottom - 8, 180), (x1 - 8, bottom - 8, 270)):
        pdf.arc(x, _HEIGHT - y - 8, x + 8, _HEIGHT - y, start, 90)


def _hairline_frame(pdf: Canvas, x0: float, top: float, x1: float, bottom: float) -> None:
    """Frontiers' frame: four hairlines, each its own path."""
    pdf.setLineWidth(0.3)
    for ax, atop, bx, bbottom in (
        (x0, top, x1, top),
        (x0, bottom, x1, bottom),
        (x0, top, x0, bottom),
        (x1, top, x1, bottom),
    ):
        pdf.line(ax, _HEIGHT - atop, bx, _HEIGHT - bbottom)


def _caption_rows(pdf: Canvas, x: float, first: float, rows: tuple[str, ...]) -> None:
    """Caption rows in the font set (7 pt), 8 pt apart, the first row's top `first` from the page's top."""
    for k, row in enumerate(rows):
        pdf.drawString(x, _HEIGHT - (first + 8 * k) - 7 * 0.79, row)


def _figures(pdf: Canvas, path: Path, tmp_path: Path) -> list[dict]:
    pdf.save()
    run_extract([path], tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    return sorted(rows, key=lambda row: (row["bbox"][1], row["bbox"][0]))


def test_two_framed_figures_side_by_side_each_keep_their_picture_and_caption(tmp_path):
    # Parasites & Vectors 2013 (held-out 11) page 3: Figures 2 and 3 each in a rounded frame a column wide, the
    # two frames 11 pt apart. The frames' edges are no page rules, so their sides stayed graphics: Figure 3's
    # search to the left found the two upright sides between the frames, level with its caption, and boxed that
    # strip as its figure; the photo came out uncaptioned.
    path = tmp_path / "frames.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 56, 90, 25, per_line=18)
    frames = ((56, 417, 291, 733, 424, 684), (304, 531, 539, 733, 538, 704))
    captions = (
        ("Figure 2 Both legs (anterior). Male 44 years from Alasi,", "Malaita, with swelling of the right lower leg."),
        ("Figure 3 Right leg (lateral). Elephantiasis of the right", "leg of a 44 year old male (lateral view)."),
    )
    photos = []
    for seed, ((x0, top, x1, bottom, picture_top, picture_bottom), lines) in enumerate(
        zip(frames, captions, strict=True)
    ):
        _rounded_frame(pdf, x0, top, x1, bottom)
        pdf.drawImage(
            _photo(seed, 215, picture_bottom - picture_top),
            x0 + 10,
            _HEIGHT - picture_bottom,
            215,
            picture_bottom - picture_top,
        )
        photos.append(Box(x0 + 10, picture_top, x0 + 225, picture_bottom))
        pdf.setFont("Helvetica", 7)
        for k, line in enumerate(lines):
            pdf.drawString(x0 + 7, _HEIGHT - picture_bottom - 14 - 9 * k, line)
    figures = _figures(pdf, path, tmp_path)
    assert [f["label"] for f in figures] == ["2", "3"]
    for figure, photo, lines in zip(figures, photos, captions, strict=True):
        assert Box(*figure["bbox"]).iou(photo) >= 0.95, figure["bbox"]  # the frame's sides left out
        assert figure["caption"] == " ".join(lines)


def test_a_hairline_frame_around_a_picture_and_its_caption_is_not_the_figure(tmp_path):
    # Frontiers in Psychology 2014 (held-out 11) Figure 4: a picture and its caption inside a hairline frame a
    # column wide; the box took the frame's top and sides (IoU with the picture 0.80).
    path = tmp_path / "hairline.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 45, 70, 55, per_line=8)
    _prose(pdf, 303, 300, 36, per_line=8)  # two columns: the frame is a column wide, no page rule
    _hairline_frame(pdf, 303, 62, 550, 268)
    pdf.drawImage(_photo(3, 227, 106), 312, _HEIGHT - 174, 227, 106)
    pdf.setFont("Helvetica", 7)
    lines = ("FIGURE 4 | Imitation of conspecifics. The pictures depict the", "two demonstrations of opening the box.")
    for k, line in enumerate(lines):
        pdf.drawString(309, _HEIGHT - 195 - 9 * k, line)
    (figure,) = _figures(pdf, path, tmp_path)
    assert figure["label"] == "4"
    assert Box(*figure["bbox"]).iou(Box(312, 68, 539, 174)) >= 0.95, figure["bbox"]


def test_a_note_block_framed_round_a_picture_in_a_column_is_not_the_figure(tmp_path):
    # Typst's two-column page (held-out 18, the disease-profile notes 23.8, 23.15, 23.20, 23.25): a note block
    # filling the right column, one rectangle stroked round its title, its text, a picture set 8 pt in and the
    # picture's caption. Frames counted as frames only when as wide as the text, so the box took the frame's top and
    # sides (IoU with the picture 0.89).
    path = tmp_path / "note.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 56, 70, 55, per_line=8)
    pdf.setLineWidth(0.5)
    pdf.rect(296, _HEIGHT - 420, 228, 350)  # x 296-524, top 70, bottom 420: 8 pt round the column's text
    pdf.setFont("Times-Bold", 10)
    pdf.drawString(304, _HEIGHT - 88, "Disease Profile: Bacterial Infections")
    _prose(pdf, 304, 104, 4, per_line=8)
    pdf.drawImage(_photo(4, 212, 170), 304, _HEIGHT - 322, 212, 170)  # x 304-516, top 152, bottom 322
    pdf.setFont("Times-Roman", 10)
    pdf.drawCentredString(410, _HEIGHT - 338, "Figure 23.8: Bacterial Infections of the Urinary Tract")
    _prose(pdf, 304, 362, 4, per_line=8)
    _prose(pdf, 304, 440, 30, per_line=8)
    (figure,) = _figures(pdf, path, tmp_path)
    assert figure["label"] == "23.8"
    assert Box(*figure["bbox"]).iou(Box(304, 152, 516, 322)) >= 0.95, figure["bbox"]


def _caption_in_two_columns(pdf: Canvas, seed: int, left: tuple[str, ...], right: tuple[str, ...]) -> None:
    """A photo as wide as the text, its caption's rows under it in two columns in 7 pt, then two columns of prose."""
    pdf.drawImage(_photo(seed, 367, 133), 114, _HEIGHT - 427, 367, 133)
    pdf.setFont("Helvetica", 7)
    for x, lines in ((52, left), (303, right)):
        for k, line in enumerate(lines):
            pdf.drawString(x, _HEIGHT - 448 - 9.5 * k, line)
    _prose(pdf, 45, 495, 20, per_line=7)
    _prose(pdf, 303, 495, 20, per_line=7)


def test_a_caption_that_runs_on_into_the_next_column_is_whole(tmp_path):
    # Frontiers in Psychology 2014 (held-out 11) Figure 3: a figure as wide as the text, its caption under it in
    # two columns, the left column ending mid-sentence ("... (B) shows"), the right one going on level with the
    # caption's first row. Only the left column was kept. A caption that ends its sentence, or text of the next
    # column not level with the caption's first row, is not run on.
    path = tmp_path / "twocolumn.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    left = (
        "FIGURE 3 | Social learning from a human and conspecific demonstrator.",
        "(A) depicts the success of wolves and dogs in the human demonstration",
        "and respective control condition. (B) shows",
    )
    right = (
        "the success of wolves and dogs in the conspecific demonstration",
        "and control condition. Adapted from Range and Viranyi (2013).",
    )
    _caption_in_two_columns(pdf, 5, left, right)
    # Pages 2 and 3: the same figure, the right column's first row level with the caption's first row in the
    # caption's type, but the caption ended its sentence (inside a bracket), or the right column opens one (a
    # reference list): no run-on.
    for caption, beside in (
        (
            (
                "FIGURE 4 | Social learning from a human demonstrator in the control group",
                "condition (wolves and dogs.)",
            ),
            "and notes",
        ),
        (
            ("FIGURE 5 | Social learning from a human and conspecific demonstrator in", "wolves and"),
            "Research, vol. 10.",
        ),
    ):
        pdf.showPage()
        pdf.drawImage(_photo(6, 367, 133), 114, _HEIGHT - 427, 367, 133)
        pdf.setFont("Helvetica", 7)
        for k, line in enumerate(caption):
            pdf.drawString(52, _HEIGHT - 448 - 9.5 * k, line)
        pdf.drawString(303, _HEIGHT - 448, beside)
        _prose(pdf, 45, 495, 20, per_line=7)
        _prose(pdf, 303, 495, 20, per_line=7)
    # Page 4: two figures side by side, each a column wide; the right one's caption starts two rows higher, so its
    # third row (lower-case, the caption's type) is level with the left caption, which ends without a period: a
    # paragraph going on from above, not the left caption's second column.
    pdf.showPage()
    pdf.drawImage(_photo(7, 230, 150), 52, _HEIGHT - 440, 230, 150)
    pdf.drawImage(_photo(8, 230, 130), 303, _HEIGHT - 420, 230, 130)
    pdf.setFont("Helvetica", 7)
    alone = "Figure 6 Wolves of the pack resting in the enclosure in the early morning light"
    pdf.drawString(52, _HEIGHT - 448, alone)
    neighbour = (
        "Figure 7 Dogs in the enclosure watching the demonstrator open",
        "the baited box, then trying it",
        "with the lever",
    )
    for k, line in enumerate(neighbour):
        pdf.drawString(303, _HEIGHT - 429 - 9.5 * k, line)
    _prose(pdf, 45, 495, 20, per_line=7)
    _prose(pdf, 303, 495, 20, per_line=7)
    figures = _figures(pdf, path, tmp_path)
    captions = {f["label"]: f["caption"] for f in figures}
    assert captions["3"] == " ".join(left + right)
    assert (captions["6"], captions["7"]) == (alone, " ".join(neighbour))
    assert (
        captions["4"]
        == "FIGURE 4 | Social learning from a human demonstrator in the control group condition (wolves and dogs.)"
    )
    assert captions["5"] == "FIGURE 5 | Social learning from a human and conspecific demonstrator in wolves and"


def test_a_caption_run_on_into_the_next_column_may_go_on_with_an_acronym(tmp_path):
    # Springer's VirusDisease 2020 (openvirusdev 72eb8a5f5e) Fig. 1: the left column ends "... between the SARS or"
    # and the right one goes on "SARS-CoV2 in this illustration. PB2 ...". A capital there was read as a new
    # sentence (the next column's own text), so the caption lost its second column; an acronym opens none.
    path = tmp_path / "acronym.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    left = (
        "Fig. 1 Simple illustration of viral reassortment between the influenza",
        "viruses. Such reassortments have not been shown between the SARS or",
    )
    right = ("SARS-CoV2 in this illustration. PB2 polymerase basic protein 2,", "involved in transcription initiation")
    _caption_in_two_columns(pdf, 9, left, right)
    (figure,) = _figures(pdf, path, tmp_path)
    assert figure["caption"] == " ".join(left + right)


def _forest_plots(pdf: Canvas, top: float, bottom: float) -> Box:
    """A page of forest plots drawn as vectors: study names and ratios in 6 pt, a square and a whisker a row, a
    dashed line of no effect, in a frame. Returns the drawing's box inside the frame."""
    pdf.setLineWidth(0.5)
    pdf.rect(30, _HEIGHT - bottom - 4, 528, bottom - top + 8)  # the frame, a background over most of the page
    pdf.setFont("Helvetica", 6)
    rows = int((bottom - top) // 12)
    for k in range(rows):
        y = _HEIGHT - top - 12 * k - 6
        pdf.drawString(36, y - 2, f"Study {k + 1} et al (20{k % 20:02d})")
        x = 250 + 60 * ((k * 7) % 5) / 4
        pdf.line(x - 20 - k % 9, y, x + 25 + k % 7, y)
        pdf.rect(x - 2, y - 2, 4, 4, fill=1)
        pdf.drawRightString(552, y - 2, f"{1 + k % 9}.{k % 7}0 ({k % 5}.10-{k % 8 + 2}.40)")
    pdf.line(280, _HEIGHT - top, 280, _HEIGHT - bottom)  # no effect
    return Box(36, top, 552, bottom)


@pytest.mark.parametrize("kind", ["drawing", "raster"])
def test_a_figure_filling_a_page_takes_its_caption_from_the_foot_of_the_next_page(tmp_path, kind):
    # Lancet 2018 (held-out 10) Figure 3: three forest plots drawn as vectors fill page 6 in a frame; the caption
    # is printed on page 7 at the foot of the left column, after the body text. The plots were not sought (no
    # caption on their page) and the caption found no figure on its own. A plate printed as one raster filling its
    # page the same way came out as an uncaptioned picture: no set has one, so it stands here beside the drawing.
    path = tmp_path / "figurepage.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 45, 90, 50, per_line=7)
    _prose(pdf, 303, 90, 50, per_line=7)
    pdf.showPage()
    if kind == "drawing":
        drawing = _forest_plots(pdf, 135, 745)
    else:
        drawing = Box(45, 135, 550, 745)
        pdf.drawImage(_photo(3, 500, 600), drawing.x0, _HEIGHT - drawing.bottom, drawing.width, drawing.height)
    pdf.showPage()
    _prose(pdf, 45, 90, 48, per_line=7)
    _prose(pdf, 303, 90, 55, per_line=7)
    caption = (
        "Figure 3: Forest plots of mortality ratios",
        "data are presented for male individuals (A), female",
        "individuals (B), and overall (C).",
    )
    pdf.setFont("Helvetica", 7)
    for k, line in enumerate(caption):
        pdf.drawString(45, _HEIGHT - 700 - 9 * k, line)
    (figure,) = _figures(pdf, path, tmp_path)
    assert (figure["page"], figure["label"], figure["caption"]) == (2, "3", " ".join(caption))
    assert Box(*figure["bbox"]).iou(drawing) >= 0.95, figure["bbox"]


def _map_on_panel(pdf: Canvas, box: Box, strokes: int, seed: int) -> None:
    """A vector drawing on a green panel: `strokes` short coast-like paths inside it."""
    rng = np.random.default_rng(seed)
    pdf.setFillColorRGB(0.55, 0.8, 0.62)
    pdf.rect(box.x0, _HEIGHT - box.bottom, box.width, box.height, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setLineWidth(0.4)
    for _ in range(strokes):
        x, y = rng.uniform(box.x0 + 20, box.x1 - 30), rng.uniform(box.top + 20, box.bottom - 30)
        path = pdf.beginPath()
        path.moveTo(x, _HEIGHT - y)
        for _ in range(4):
            x, y = x + rng.uniform(-6, 9), y + rng.uniform(-6, 9)
            path.lineTo(x, _HEIGHT - y)
        pdf.drawPath(path)


def test_a_vector_drawing_on_a_panel_of_its_own_under_a_title_is_a_figure(tmp_path):
    # WHO 2000 proceedings (held-out 8) p14: a world map drawn as thousands of paths on a green panel, a bold
    # title over it ("Countries where lymphatic filariasis is endemic"), no label: an uncaptioned vector drawing was
    # never sought, so the map was missed. Without a title, or with a few paths only (a text box's rules), nothing
    # is found.
    path = tmp_path / "panel.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    for page, (title, strokes) in enumerate(
        (("Countries where lymphatic filariasis is endemic", 160), (None, 160), ("Key messages of the meeting", 12))
    ):
        panel = Box(84, 117, 511, 360)
        if title is not None:
            pdf.setFont("Helvetica-Bold", 8)
            pdf.drawCentredString(panel.cx, _HEIGHT - 110, title)
        _map_on_panel(pdf, panel, strokes, seed=page)
        _prose(pdf, 84, 420, 25, per_line=12)
        pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [(f["page"], f["caption"]) for f in figures] == [(1, "Countries where lymphatic filariasis is endemic")]
    assert Box(*figures[0]["bbox"]).iou(Box(84, 117, 511, 360)) >= 0.95, figures[0]["bbox"]


def test_pictures_set_in_the_text_beside_body_type_are_uncaptioned_figures(tmp_path):
    # WHO pocket book (held-out 20) pp. 40-42: toy drawings (vector art, hundreds of paths; or a raster under a
    # photograph's size) each beside the list entry in body type that describes it, no caption: an uncaptioned drawing
    # was never kept, nor an uncaptioned raster under a photograph's size, so all were missed. A logo of as many
    # strokes beside a title in display type, and an icon of a few strokes beside body text, are no figures.
    path = tmp_path / "toys.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _hatched(pdf, Box(84, 60, 150, 110), 8)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(160, _HEIGHT - 95, "Care of children")
    toys = [Box(84, 140, 164, 224), Box(84, 290, 140, 380), Box(84, 440, 204, 502)]
    for toy in toys[:2]:
        _hatched(pdf, toy, 12)
    doll = toys[2]
    pdf.drawImage(_photo(5, 240, 124), doll.x0, _HEIGHT - doll.bottom, doll.width, doll.height)
    for toy in toys:
        _prose(pdf, toy.x1 + 16, toy.top + 10, 4, per_line=8)
    _hatched(pdf, Box(84, 400, 94, 410), 2)  # an icon beside a paragraph
    _prose(pdf, 110, 400, 2, per_line=8)
    _prose(pdf, 84, 540, 15, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == [None, None, None], [f["bbox"] for f in figures]
    for figure, toy in zip(figures, toys, strict=True):
        assert Box(*figure["bbox"]).iou(toy) >= 0.9, figure["bbox"]
        assert figure["panels"] == []


def test_a_picture_under_the_text_is_not_set_in_the_text():
    # Held-out 8's scanned plan p49: a stray raster of scan dirt (66 x 142 pt) under a column of country names; as a
    # picture beside body type it came out as a figure. Text on a picture is no text beside it.
    names = [TextLine(name, Box(130, 412 + 23 * k, 190, 422 + 23 * k), 10.0, 0) for k, name in enumerate("ABCDEF")]
    assert set_in_the_text(Box(60, 410, 120, 550), names, 10.0)
    assert not set_in_the_text(Box(74, 410, 140, 550), names, 10.0)


def _hatched(pdf: Canvas, box: Box, rows: int) -> None:
    """A drawing in many pieces: `rows` rows of eight short strokes across `box`."""
    pdf.setLineWidth(0.6)
    step, dash = (box.height - 1) / (rows - 1), box.width / 8
    for row in range(rows):
        y = _HEIGHT - box.top - 0.5 - row * step
        for k in range(8):
            pdf.line(box.x0 + k * dash, y, box.x0 + (k + 0.8) * dash, y)


def test_a_caption_printed_in_a_block_on_the_white_of_its_drawing_s_raster_is_taken(tmp_path):
    # WHO pocket book (held-out 20) p1 "Posterior splint", p66 "Intraosseous infusion. ...": the caption printed in
    # rows of its own on the white of the drawing's raster, flush with its left edge near its foot; only one row was
    # read as a caption printed on a picture, so both came out uncaptioned. Two rows of labels in the middle of a
    # drawing are no caption.
    path = tmp_path / "splint.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    pixels = np.full((120, 180, 3), 255, np.uint8)
    pixels[10:110, 80:170] = 40  # the drawing, right of the white where the caption is printed
    drawing = ImageReader(Image.fromarray(pixels))
    _prose(pdf, 84, 100, 12, per_line=12)
    for top, rows, x in ((300, ("Posterior", "splint"), 203), (440, ("skin", "muscle or bone"), 262)):
        pdf.drawImage(drawing, 200, _HEIGHT - top - 120, 180, 120)
        pdf.setFont("Helvetica-BoldOblique", 7)
        for k, row in enumerate(rows):
            pdf.drawString(x, _HEIGHT - top - 96 - 9 * k, row)
    _prose(pdf, 84, 600, 10, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == ["Posterior splint", None]


def test_a_caption_close_under_a_drawing_s_raster_but_not_centred_on_it_is_taken(tmp_path):
    # WHO pocket book (held-out 20) p23 "Feeding infant ...": the caption centred under the drawing's raster, its box
    # 0.1 pt over the raster's foot; p63 "Splinted arm ...": starting at the text column's left edge, left of the
    # raster, 3 pt under its ink, so not centred on it, body text under it. Both were read as labels at the
    # picture's foot (or a block running on into the folio) and came out uncaptioned.
    path = tmp_path / "close.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pdf.setFont("Helvetica-Oblique", 7)
    for top, x, caption, gap in (
        (300, 130, "Splinted arm for infusion to prevent bending of the elbow", 0.5),
        (480, 200, "Feeding infant with milk from a cup", -0.55),
    ):
        pixels = np.frombuffer(_photo(top, 180, 120).getRGBData(), np.uint8).reshape(120, 180, 3).copy()
        pixels[-2:] = 255  # the raster's white foot, under the drawing's ink
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), x, _HEIGHT - top - 120, 180, 120)
        width = pdf.stringWidth(caption, "Helvetica-Oblique", 7)
        left = 84 if x == 130 else x + 90 - width / 2
        pdf.drawString(left, _HEIGHT - (top + 120 + gap) - 7 * 0.79, caption)
    _prose(pdf, 84, 436, 1, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == [
        "Splinted arm for infusion to prevent bending of the elbow",
        "Feeding infant with milk from a cup",
    ], [(f["bbox"], f["caption_bbox"]) for f in figures]


def test_stacked_drawings_each_keep_the_caption_printed_at_their_raster_s_lower_left(tmp_path):
    # WHO pocket book (held-out 20) p76: two drawings' rasters one over the other, each captioned at its lower left on
    # the raster's white: the upper one's caption starts 1.8 pt left of its raster (the italic's first glyph), so it
    # was not read as printed on the picture, and the lower drawing took it as its title over it; the lower one's
    # first row starts 2.5 pt over its raster's foot and was left out. The upper came out uncaptioned.
    path = tmp_path / "stacked.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pdf.setFont("Helvetica-BoldOblique", 7)
    upper = np.full((100, 180, 3), 255, np.uint8)
    upper[5:70, 10:175] = 40  # the drawing over the white where its caption is printed
    lower = np.full((80, 180, 3), 255, np.uint8)
    lower[5:50, 10:120] = 40
    lower[5:80, 130:175] = 40  # a strip drawn beside it down to the raster's foot
    for top, pixels, rows, first in (
        (300, upper, ("Blood glucose strip with colour", "scale printed on the box."), 382.0),
        (
            412,
            lower,
            ("Example of a reading machine for a glucose strip.", "The strip is inserted into a slot."),
            489.5,
        ),
    ):
        pdf.drawImage(ImageReader(Image.fromarray(pixels)), 200, _HEIGHT - top - len(pixels), 180, len(pixels))
        _caption_rows(pdf, 198.2, first, rows)
    _prose(pdf, 84, 600, 10, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == [
        "Blood glucose strip with colour scale printed on the box.",
        "Example of a reading machine for a glucose strip. The strip is inserted into a slot.",
    ], [(f["bbox"], f["caption_bbox"]) for f in figures]


def test_a_caption_started_on_a_drawing_s_white_keeps_its_rows_under_the_raster_s_foot(tmp_path):
    # WHO pocket book p106 "'Bull neck': a sign of diphtheria, due / to enlarged lymph nodes in the neck": the
    # drawing's raster ends 2 pt under the caption's first row, set on its white; the second row, under the raster's
    # foot, was left out and the caption cut at the line end.
    path = tmp_path / "foot.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pixels = np.full((130, 117, 3), 255, np.uint8)
    pixels[5:110, 10:110] = 40  # the drawing over the white where its caption starts
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 200, _HEIGHT - 383, 117, 130)
    pdf.setFont("Helvetica-BoldOblique", 7)
    _caption_rows(pdf, 201, 374, ("'Bull neck': a sign of diphtheria, due", "to enlarged lymph nodes in the neck"))
    _prose(pdf, 84, 420, 10, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == [
        "'Bull neck': a sign of diphtheria, due to enlarged lymph nodes in the neck"
    ], [(f["bbox"], f["caption_bbox"]) for f in figures]


def test_a_drawing_under_another_keeps_the_caption_set_beside_it(tmp_path):
    # WHO pocket book (held-out 20) p75: a drawing captioned on its left (the rows' ends run onto its raster's white),
    # and under it a smaller drawing captioned on its right, that block under the first drawing's span. The first
    # drawing took the block under it as its caption; the second, small and captioned only beside it, was dropped.
    path = tmp_path / "beside.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 6, per_line=12)
    upper = np.full((111, 136, 3), 255, np.uint8)
    upper[5:106, 30:130] = 40  # the drawing, right of the white its caption's rows run onto
    pdf.drawImage(ImageReader(Image.fromarray(upper)), 186, _HEIGHT - 295, 136, 111)
    pdf.drawImage(_photo(7, 119, 70), 86, _HEIGHT - 373, 119, 70)
    pdf.setFont("Helvetica-Oblique", 7)
    for x, first, rows in (
        (
            86.7,
            204,
            (
                "Position for carrying out suprapubic",
                "aspirate, side view. Note the angle of",
                "insertion of the needle.",
            ),
        ),
        (216.4, 330, ("Selecting the place for a suprapubic", "aspirate. The bladder is punctured", "in the midline.")),
    ):
        _caption_rows(pdf, x, first, rows)
    _prose(pdf, 84, 420, 8, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == [
        "Position for carrying out suprapubic aspirate, side view. Note the angle of insertion of the needle.",
        "Selecting the place for a suprapubic aspirate. The bladder is punctured in the midline.",
    ], [(f["bbox"], f["caption_bbox"]) for f in figures]


def test_a_caption_set_on_a_drawing_s_white_and_running_past_its_right_edge_is_taken(tmp_path):
    # WHO pocket book (held-out 20) p2 "Gallows traction": the caption set on the white at the drawing's lower right,
    # running 27 pt past its raster's right edge, was not read as printed on the picture, which came out
    # uncaptioned. A row set beside the picture, starting past its edge, is no caption printed on it.
    path = tmp_path / "gallows.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pixels = np.full((200, 130, 3), 255, np.uint8)
    pixels[5:195, 5:100] = 40  # the drawing, left of the white where its caption starts
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 200, _HEIGHT - 480, 130, 200)
    pdf.setFont("Helvetica-BoldOblique", 7)
    pdf.drawString(311, _HEIGHT - 470, "Gallows traction")
    _prose(pdf, 84, 600, 10, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == ["Gallows traction"], [(f["bbox"], f["caption_bbox"]) for f in figures]


def test_a_drawing_s_caption_set_past_the_labels_around_its_raster_is_taken(tmp_path):
    # WHO pocket book (held-out 20) p62 "Sites for IV access ...": a drawing's raster with its labels set in small
    # type outside its edges, left and right, each led in by an arrow glyph; the caption under it starts at the
    # column's left edge, centred on the drawing with its labels but not on the raster, so the raster came out
    # uncaptioned and without its labels.
    path = tmp_path / "labels.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pdf.drawImage(_photo(7, 100, 160), 200, _HEIGHT - 260 - 160, 100, 160)
    pdf.setFont("Helvetica-Oblique", 6)
    pdf.drawRightString(185, _HEIGHT - 330, "Veins on dorsum of hand")
    pdf.drawString(318, _HEIGHT - 300, "Scalp veins")
    pdf.setFont("ZapfDingbats", 12)  # the leader arrows, set as glyphs larger than the body
    pdf.drawString(189.5, _HEIGHT - 332, "\u279d")
    pdf.drawString(302, _HEIGHT - 302, "\u279d")
    pdf.setFont("Helvetica-Oblique", 7)
    pdf.drawString(84, _HEIGHT - (420 + 18) - 7 * 0.79, "Sites for access in infants and young children")
    _prose(pdf, 84, 470, 1, per_line=12)
    pdf.showPage()
    figures = _figures(pdf, path, tmp_path)
    assert [f["caption"] for f in figures] == ["Sites for access in infants and young children"], figures
    assert figures[0]["bbox"][0] < 180 and figures[0]["bbox"][2] > 330, figures[0]["bbox"]


def test_a_drawing_s_labels_spread_along_a_row_are_no_caption_and_its_caption_set_at_its_left_foot_is(tmp_path):
    # WHO pocket book p87, lower chest wall indrawing: two labels, "out" and "in", set far apart along one row on the
    # drawing ("in", taller than wide, was left out as if run up an edge, and "out" alone was taken as a caption
    # printed on the picture), a third under it; the caption starts left of the drawing, runs onto its white and goes
    # on under its foot.
    path = tmp_path / "indrawing.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 84, 100, 12, per_line=12)
    pixels = np.full((130, 200, 3), 255, np.uint8)
    pixels[5:, 60:195] = 40  # the drawing down to the raster's foot, right of the white the caption's rows run onto
    pdf.drawImage(ImageReader(Image.fromarray(pixels)), 200, _HEIGHT - 410, 200, 130)
    pdf.setFont("Helvetica", 10)  # the labels, in the body's size
    pdf.drawString(280, _HEIGHT - 388, "out")
    pdf.drawString(370, _HEIGHT - 388, "in")
    pdf.drawString(310, _HEIGHT - 419, "breathing")  # under the drawing's foot
    pdf.setFont("Helvetica-BoldOblique", 7)
    rows = ("Lower chest wall", "indrawing: with", "inspiration, the lower", "chest wall moves in.")
    _caption_rows(pdf, 182, 388, rows)
    _prose(pdf, 84, 440, 10, per_line=12)
    pdf.showPage()
    (figure,) = _figures(pdf, path, tmp_path)
    assert figure["caption"] == " ".join(rows), (figure["bbox"], figure["caption_bbox"])


def _text_block(pdf: Canvas, x: float, top: float, width: float, rows: int) -> Box:
    """A paragraph of a drawing's text set as paths, no text layer (Cell Death Dis' timeline): a bar per word, rows
    8 pt apart."""
    for row in range(rows):
        at = x
        for k in range(4):
            word = width / 4 - 4 - 3 * ((row + k) % 3)
            pdf.rect(at, _HEIGHT - (top + 8 * row + 4), word, 4, stroke=0, fill=1)
            at += width / 4
    return Box(x, top, x + width - 4, top + 8 * (rows - 1) + 4)


def test_a_timeline_framed_with_its_caption_is_one_figure_whatever_white_space_parts_its_text_boxes(tmp_path):
    # Cell Death Dis 2020 (held-out 36) p. 11, Figure 7: a rounded frame as wide as the text round a timeline and its
    # caption; the timeline's text boxes, drawn as paths, stand about two ems apart along its axis, above and below
    # it. The search from the caption up took the one box nearest it (x 124-234, y 655-709), a miss and a false
    # figure; the frame holds nothing else, so its ink over the caption is the figure.
    path = tmp_path / "timeline.pdf"
    pdf = Canvas(str(path), pagesize=(595, _HEIGHT))
    _prose(pdf, 56, 70, 24, per_line=8)
    _prose(pdf, 304, 70, 24, per_line=8)
    _rounded_frame(pdf, 56, 370, 539, 712)
    blocks = [_text_block(pdf, x, 390, 90, 5) for x in (90, 200, 310, 420)]  # over the axis, a stem down from each
    pdf.setLineWidth(1.5)
    pdf.line(80, _HEIGHT - 460, 515, _HEIGHT - 460)
    for block in blocks:
        pdf.line(block.cx, _HEIGHT - block.bottom - 2, block.cx, _HEIGHT - 460)
    blocks += [_text_block(pdf, x, 490, 100, 5) for x in (120, 260, 400)]  # under it, 26 pt apart
    blocks += [_text_block(pdf, x, 548, 120, 7) for x in (140, 380)]  # and 22 pt under those
    blocks += [_text_block(pdf, 135, 626, 110, 6)]  # the one nearest the caption, 20 pt under the last
    pdf.setFont("Helvetica", 8)
    pdf.drawString(63, _HEIGHT - 702, "Fig. 7 Timeline of the events in the 2020 COVID-19 pandemic.")
    (figure,) = _figures(pdf, path, tmp_path)
    assert figure["label"] == "7"
    timeline = Box(80, 390, 515, blocks[-1].bottom)
    assert Box(*figure["bbox"]).iou(timeline) >= 0.95, figure["bbox"]

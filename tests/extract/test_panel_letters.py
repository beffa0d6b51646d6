"""Panels from printed letters on generated figures: letters in the text layer or in a raster's pixels, under,
beside or over their panels, and the letters a caption cites counting and naming the panels and their sub-captions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fixtures.layout_pages import (
    FONT_20,
    SYPHILIS_CELLS,
    assay_drawing,
    body_paragraph,
    by_label,
    close_charts_picture,
    figures_left_to_right,
    flat_drawing,
    micrograph_plate,
    only_figure,
    photo_mosaic,
    photo_pixels,
    running_prose,
    scatter_plot,
    subfigure_grid_page,
    tissue_section,
)
from fixtures.tesseract import require_tesseract
from mmskin_build.extract import ocr
from mmskin_build.extract.captions import Caption
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import Graphic, TextLine, read_page
from mmskin_build.extract.panels import PanelBox, assign_letters, find_panels
from mmskin_build.extract.panels.basics import _grey
from mmskin_build.extract.panels.lettered import (
    GUTTER_SEARCH_PX,
    _grid_cells,
    _photographs_in_bands,
    lettered_parts,
    split_on_paper,
)
from mmskin_build.extract.panels.letters import caption_letters_named
from mmskin_build.extract.panels.paper import drawings_on_paper, drawings_set_apart
from mmskin_build.extract.panels.pixels import (
    PrintedLetter,
    _panel_sized,
    lettered_in_pixels,
    letters_on_a_grid,
    parts_at_letters,
    printed_letters,
)
from mmskin_build.extract.panels.search import _letter_groups
from mmskin_build.extract.regions import FigureRegion, uncaptioned_regions
from mmskin_build.extract.stage import run_extract
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.sample import images
from mmskin_build.sample.styles import line_drawings
from mmskin_build.store import Dataset


def test_photographs_on_a_tinted_ground_with_letters_beside_them_are_panels():
    """A textbook's lettered photographs set on a tinted box (pale blue, grey ~236, not paper white), each letter
    printed in the gutter beside its photograph, in the pixels only: the gutter lines beside a letter differ from
    the tint over a few percent, so the pale run next to the letter fails the test for a gutter between pictures
    (a straight edge on both sides), and the pair came out as one panel. On white paper it was two."""
    rng = np.random.default_rng(2)
    font = ImageFont.load_default(size=16)
    for ground in ((230, 238, 245), "white"):
        sheet = Image.new("RGB", (552, 228), ground)
        draw = ImageDraw.Draw(sheet)
        for x, letter in ((24, "a"), (288, "b")):
            sheet.paste(images.skin_photo(rng, 240, 180), (x, 24))
            draw.text((x - 16, 24), letter, fill="black", font=font)
        box = Box(0, 0, 276, 114)
        assert len(find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), sheet)) == 2, ground


_BONE = (236, 226, 200)  # the pale tint a textbook's drawings give bone


def _bones(lefts: list[int], size: tuple[int, int] = (1000, 700), labelled: bool = True) -> Image.Image:
    """Long bones drawn on white (a shaft between two rounded ends, 110 px wide, outlined, tinted) at each of
    `lefts`, with labels between each pair whose leader lines run to both bones' edges: no line across the picture
    is free of ink between them."""
    sheet = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(sheet)
    height = size[1]
    for x in lefts:
        draw.ellipse((x, 40, x + 110, 160), fill=_BONE, outline="black", width=3)
        draw.rectangle((x + 30, 150, x + 80, height - 150), fill=_BONE, outline="black", width=3)
        draw.ellipse((x, height - 160, x + 110, height - 40), fill=_BONE, outline="black", width=3)
        draw.line((x + 40, 300, x + 60, 420), fill="black", width=3)  # a line drawn on the shaft
    if labelled:
        for left, right in zip(lefts, lefts[1:], strict=False):
            for i, y in enumerate(range(60, height - 60, 45)):
                word = ("Epiphysis", "Metaphysis", "Diaphysis", "Condyle")[i % 4]
                middle, half = (left + 110 + right) // 2, round(draw.textlength(word, font=FONT_20) / 2)
                draw.text((middle - half, y - 10), word, fill="black", font=FONT_20)
                draw.line((left + 80, y, middle - half - 4, y), fill="black", width=2)
                draw.line((middle + half + 4, y, right + 30, y), fill="black", width=2)
    return sheet


def test_drawings_whose_gutters_labels_cross_are_cut_as_many_as_the_letters():
    """Held-out 15 Figures 6.19 (two femurs in outline, the labels they share between them, a leader line from each
    label to each femur) and 6.17 (six stages joined by arrows, letters in the raster at several heights): no blank
    gutter runs between the drawings, so the gutter search found one picture. With the lines and words set aside,
    the drawings' bodies are as many as the caption's letters: the panels, cut in the middle of the gaps between
    them. One labelled drawing stays whole; bodies not as many as the letters give nothing."""
    figure = Box(0, 0, 500, 350)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, _bones([100, 790]), caption_letters=2)]
    assert len(panels) == 2
    assert panels[0].x1 < panels[1].x0 + 1 and 100 < panels[0].x1 < 400  # the cut runs between the bones
    assert find_panels(region, _bones([100, 790]), caption_letters=0) == []
    assert drawings_on_paper(_bones([445], labelled=False), figure, letters=2) == []
    assert find_panels(region, _bones([100, 445, 790]), caption_letters=2) == []
    # Photographs are rectangles, not drawings cut out on paper (held-out 10 Scientific Reports 2021 Figure 2: two
    # radiographs over charts on a grey field, lettered a-c, were cut into wrongly lettered cells): the gutter
    # searches' part, never this one's.
    photos = _bones([100, 790])
    rng = np.random.default_rng(2)
    for x in (60, 750):
        photos.paste(Image.fromarray(rng.integers(40, 200, (600, 200, 3), dtype=np.uint8)), (x, 50))
    assert drawings_on_paper(photos, figure, letters=2) == []


def _sketches(strokes: list[tuple[int, int, int, int]]) -> Image.Image:
    """Outline drawings on white, each an open sketch: a long stroke from (x0, y0) to (x1, y1), a hook at its lower
    end and a branch off its middle (a hand holding a syringe, drawn as strokes that enclose no paper)."""
    sheet = Image.new("RGB", (1000, 800), "white")
    draw = ImageDraw.Draw(sheet)
    for x0, y0, x1, y1 in strokes:
        draw.line((x0, y0, x1, y1), fill="black", width=3)
        draw.line((x0, y0, x0 - 30, y0 + 20, x0 - 35, y0 + 55, x0 + 10, y0 + 60), fill="black", width=3, joint="curve")
        mx, my = (x0 + x1) // 2, (y0 + y1) // 2
        draw.line((mx, my, mx - 50, my - 25, mx - 70, my - 70), fill="black", width=3)
    return sheet


def test_outline_drawings_of_a_plate_reaching_past_each_other_are_cut_as_many_as_the_letters():
    """Held-out 20's abscess plate (five outline drawings lettered A-E on white, the syringe of A reaching past the
    left edge of B's scalpel): no straight gutter parts A from B, and the bodies search finds none in drawings whose
    strokes enclose no paper, so the plate came out whole. Strokes of one drawing lie close together, drawings
    farther apart: the ink grown by a few strokes' widths falls into as many clusters as the caption's letters,
    the panels. Clusters not as many as the letters give nothing, nor do photographs (they fill their boxes)."""
    plate = [(60, 500, 360, 60), (330, 330, 620, 60), (700, 380, 940, 60), (200, 580, 460, 740), (600, 740, 900, 580)]
    figure = Box(0, 0, 500, 400)
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, _sketches(plate), caption_letters=5)]
    assert len(panels) == 5
    assert panels[0].x1 > panels[1].x0  # A's box reaches past B's left edge: no cut at a gutter gives these
    strokes = [Box(min(x0, x1) / 2, min(y0, y1) / 2, max(x0, x1) / 2, max(y0, y1) / 2) for x0, y0, x1, y1 in plate]
    assert sorted(max(range(5), key=lambda i: stroke.overlap_area(panels[i])) for stroke in strokes) == list(range(5))
    assert find_panels(region, _sketches(plate), caption_letters=4) == []
    photos = Image.new("RGB", (1000, 800), "white")
    rng = np.random.default_rng(3)
    for x in (60, 560):
        photos.paste(Image.fromarray(rng.integers(40, 200, (600, 380, 3), dtype=np.uint8)), (x, 100))
    assert drawings_set_apart(photos, figure, letters=2) == []


def test_letters_printed_under_panels_of_different_widths_place_the_cuts():
    """OpenStax Figure 5.16: a photograph, a diagram of two columns with labels between them, a photograph, "(a)",
    "(b)", "(c)" printed centred under each inside the picture, the caption naming three letters. An even grid of
    three cut the diagram through the middle (its inner gap lies nearer two thirds of the width than the gutter
    after it): panel c got half the diagram. Each part is now centred over its letter."""
    rng = np.random.default_rng(3)
    sheet = Image.new("RGB", (1120, 400), "white")
    sheet.paste(images.skin_photo(rng, 330, 370), (0, 0))
    sheet.paste(images.skin_photo(rng, 222, 370), (898, 0))
    draw = ImageDraw.Draw(sheet)
    for x in (355, 690):  # the diagram's two columns (sky over skin), its labels between them
        draw.rectangle((x, 0, x + 180, 90), fill=(90, 160, 220))
        draw.rectangle((x, 95, x + 180, 355), fill=(230, 170, 150))
        draw.ellipse((x + 40, 120, x + 140, 330), fill=(60, 90, 200))
    draw.text((560, 150), "Skin", fill="black", font=FONT_20)
    draw.line((500, 160, 555, 160), fill="black", width=2)
    for letter, centre in (("(a)", 165), ("(b)", 612), ("(c)", 1009)):
        draw.text((centre - 14, 376), letter, fill="black", font=FONT_20)
    figure = Box(0, 0, 560, 200)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet, caption_letters=3)
    assert len(panels) == 3
    assert 330 <= panels[0].box.x1 * 2 <= 355 and 870 <= panels[1].box.x1 * 2 <= 898


def test_an_unlettered_key_beside_the_last_lettered_part_joins_it():
    """OpenStax Microbiology Figure 26.10 (held-out 17): (a) a micrograph, (b) a diagram of two cells and, right of
    it, the diagram's numbered key on a tinted ground, "(a)" and "(b)" centred under the first two. No cut centred
    both parts on their letters (the key pulled (b)'s part right of its letter), so the figure came out whole; the
    key is now read as no panel of its own but part of its neighbour's."""
    rng = np.random.default_rng(7)
    sheet = Image.new("RGB", (1300, 650), "white")
    sheet.paste(images.skin_photo(rng, 330, 240), (0, 355))
    draw = ImageDraw.Draw(sheet)
    for x in (415, 630):  # the diagram's two cells, side by side, bacteria drawn across them
        draw.rectangle((x, 190, x + 215, 595), fill=(200, 225, 150) if x == 415 else (190, 225, 245), outline="blue")
    for k in range(22):
        x, y = 420 + 19 * k, 230 + int(rng.integers(0, 300))
        draw.ellipse((x, y, x + 30, y + 14), fill=(150, 120, 200), outline="black")
    draw.text((420, 90), "phagosome", fill="black", font=FONT_20)
    draw.rectangle((945, 0, 1300, 595), fill=(252, 236, 210))  # the key's tinted ground
    for k in range(7):
        draw.text((975, 20 + 80 * k), f"{k + 1} Pathogen step", fill="black", font=FONT_20)
    for letter, centre in (("(a)", 165), ("(b)", 632)):
        draw.text((centre - 14, 620), letter, fill="black", font=FONT_20)
    figure = Box(0, 0, 650, 325)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet, caption_letters=2)
    assert len(panels) == 2
    assert panels[0].box.x1 * 2 <= 415 and panels[1].box.x1 * 2 >= 1295, [panel.box for panel in panels]


def _captioned(picture: Image.Image, caption: str) -> FigureRegion:
    """A figure of one raster (two pixels a point) with a caption under it, no text layer in the picture."""
    figure = Box(0, 0, picture.width / 2, picture.height / 2)
    line = TextLine(caption, Box(0, figure.bottom + 10, figure.x1, figure.bottom + 22), 9.0, 0)
    label_end = len(" ".join(caption.split()[:2]))
    return FigureRegion(
        Caption("Figure", "Figure", "2", [line], line.box, caption, 2.0, label_end),
        figure,
        [Graphic("image", figure, None)],
        [],
    )


def _phases() -> Image.Image:
    """Papers VESPA Figure 2: a flow chart printed as one raster, two columns of phases, each headed by its letter
    in brackets ("(A) Phase 1:"), in the pixels only."""
    sheet = Image.new("RGB", (1000, 900), "white")
    draw = ImageDraw.Draw(sheet)
    head, small = ImageFont.load_default(size=34), FONT_20
    for letter, x, y, rows in (
        ("A", 0, 0, 3),
        ("B", 0, 330, 1),
        ("C", 0, 560, 4),
        ("D", 530, 0, 2),
        ("E", 530, 420, 1),
    ):
        draw.text((x + 4, y), f"({letter}) Phase {ord(letter) - 64}:", fill="black", font=head, stroke_width=1)
        draw.rectangle((x + 20, y + 60, x + 450, y + 90), fill=(70, 70, 70))
        draw.text((x + 140, y + 64), "Phase input: data", fill="white", font=small)
        draw.rectangle((x + 20, y + 100, x + 450, y + 110 + 50 * rows), fill=(200, 200, 200))
        for r in range(rows):
            for dx in (40, 250):
                draw.rectangle(
                    (x + dx, y + 115 + 50 * r, x + dx + 170, y + 145 + 50 * r), fill="white", outline="black"
                )
                draw.text((x + dx + 30, y + 119 + 50 * r), "translate", fill="black", font=small)
    return sheet


def test_letters_printed_in_a_rasters_pixels_cut_it_when_the_caption_cites_one():
    """Papers VESPA Figure 2: phases "(A)"-"(E)" headed in the raster, the caption citing only "(C)" in passing
    ("as shown on the left most side of (C)"): no letter reached the panel search, one panel. The letters are read
    from the pixels (Tesseract, one call for the candidate glyphs) and the chart is cut at its gutters into a part
    per letter, each with its letter. A caption citing no letter asks nothing."""
    require_tesseract()
    cited = _captioned(
        _phases(), "Figure 2 The options of each phase; the left column of (C) imposes the species tree."
    )
    panels = find_panels(cited, _phases())
    assert [panel.letter for panel in panels] == ["A", "D", "B", "E", "C"]
    assert [round(panel.box.x0) for panel in panels] == [3, 273, 3, 273, 3]  # the columns' gutter: 450-546 pixels
    assert find_panels(_captioned(_phases(), "Figure 2 The options of each phase."), _phases()) == []


def _photos_over_table() -> Image.Image:
    """Held-out 11 Frontiers Figure 4: two photographs, white letters "A" and "B" burned into their corners, over a
    table as wide as both, whose header runs across the photographs' gutter."""
    rng = np.random.default_rng(4)
    sheet = Image.new("RGB", (984, 584), "white")
    draw = ImageDraw.Draw(sheet)
    for letter, x in (("A", 0), ("B", 504)):
        sheet.paste(images.skin_photo(rng, 480, 360), (x, 0))
        draw.text(
            (x + 14, 10),
            letter,
            fill="white",
            font=ImageFont.load_default(size=34),
            stroke_width=1,
            stroke_fill="white",
        )
    draw.rectangle((0, 384, 983, 583), outline="black", width=3)
    for y in (450, 517):
        draw.line((0, y, 984, y), fill="black", width=2)
    rows = (
        ("Number of", "First manipulation on lever", "Successful", "Copying"),
        ("Wolves", "6 of 12", "All 12", "9 of 12"),
    )
    for left in (230, 520, 760):
        draw.line((left, 384, left, 584), fill="black", width=2)
    for r, row in enumerate(rows):
        for left, cell in zip((0, 230, 520, 760), row, strict=True):
            draw.text((left + 12, 404 + 66 * r), cell, fill="black", font=ImageFont.load_default(size=22))
    return sheet


def test_a_table_under_photographs_lettered_in_their_pixels_is_a_panel_of_its_own():
    """Held-out 11 Frontiers Figure 4 ("(A: Paw demonstration; B: Mouth demonstration)"): the letters burned into the
    photographs are read from the pixels, white on the photographs, and the picture is cut into a part per letter; the
    table under both, whose ink runs from A's column into B's, belongs to neither letter: a panel of its own."""
    require_tesseract()
    sheet = _photos_over_table()
    region = _captioned(sheet, "Figure 4 The two demonstrations (A: Paw demonstration; B: Mouth demonstration).")
    assert caption_letters_named(region) == 2
    parts = lettered_in_pixels(sheet, region.box, 2)
    assert [letter for _, letter in parts] == ["A", "B", None]
    (a, _), (b, _), (table, _) = parts
    assert a.x1 <= 240 <= 252 <= b.x0 and max(a.bottom, b.bottom) <= 180 <= 192 <= table.top
    assert table.x0 <= 2 and table.x1 >= 490


def _letters_in_the_margin() -> tuple[Image.Image, list[PrintedLetter]]:
    """Held-out 26 emi2020 Figure 1, one raster: letters "A", "B", "D", "F" down the left margin and "C", "E" inside
    the plate, each at its panel's upper left; a timeline A, two photographs B, a photograph C, two charts D and E with
    their axis titles under them, three micrographs F. Returns the sheet and its letters (as read)."""
    rng = np.random.default_rng(26)
    sheet = Image.new("RGB", (1000, 1060), "white")
    draw = ImageDraw.Draw(sheet)
    font, small = ImageFont.load_default(size=40), ImageFont.load_default(size=16)
    draw.line([(70, 90), (990, 90)], fill="black", width=2)  # the timeline: days ticked and numbered
    for day in range(20):
        draw.line([(70 + 46 * day, 90), (70 + 46 * day, 100)], fill="black", width=2)
        draw.text((62 + 46 * day, 106), str(day + 1), fill="black", font=small)
    draw.rectangle([120, 40, 960, 48], fill=(60, 160, 90))
    for x, width in ((75, 255), (340, 255), (700, 280)):
        sheet.paste(images.skin_photo(rng, width, 200), (x, 215))
    sheet.paste(close_charts_picture(["line"]).resize((400, 300)), (60, 480))
    sheet.paste(close_charts_picture(["dots"]).resize((320, 300)), (670, 480))
    for x in (230, 800):
        draw.text((x, 790), "Days", fill="black", font=small)
    for x in (75, 280, 485):
        sheet.paste(images.histology(rng, 200, 200), (x, 840))
    letters = []
    for letter, x, y in (("A", 4, 10), ("B", 4, 200), ("C", 630, 200), ("D", 4, 470), ("E", 630, 470), ("F", 4, 830)):
        draw.text((x, y), letter, fill="black", font=font)
        letters.append(PrintedLetter(letter, tuple(round(v) for v in draw.textbbox((x, y), letter, font=font))))
    return sheet, letters


def test_letters_in_a_margin_beside_their_panels_part_the_picture_by_rows():
    """Letters down the left margin make a column of their own, and the letters inside the plate ("C", "E") fall in
    the column beside it: cut so, each margin letter's part was its glyph alone. A slice too narrow for a panel
    holding letters joins the slice after it; the rows then part the letters. The charts' axis titles under D and E
    stand apart, each under its chart (no ink crosses the gutter before "E"): no part of their own."""
    sheet, letters = _letters_in_the_margin()
    parts = parts_at_letters(_grey(sheet, GUTTER_SEARCH_PX), letters)
    assert [letter for _, letter in parts] == ["A", "B", "C", "D", "E", "F"]
    boxes = dict((letter, box) for box, letter in parts)
    assert boxes["B"][2] <= 600 < 620 <= boxes["C"][0] and boxes["D"][2] <= 480 < 620 <= boxes["E"][0]
    assert boxes["D"][3] >= 805 and boxes["E"][3] >= 805  # their axis titles


def test_a_letter_naming_photographs_found_at_the_gutters_gives_each_its_letter():
    """Held-out 26 emi2020 Figure 1 (9 panels, letters A-F only in the pixels): the gutter search found the six
    photographs, as many as the caption's letters, and left the timeline and both charts out. Where the panels found
    cover under half the figure, the letters are read from the pixels; a letter's part holding two photographs found
    or more gives those photographs, each with its letter ("B" two, "F" three)."""
    require_tesseract()
    sheet, _ = _letters_in_the_margin()
    caption = (
        "Figure 1 Isolation. (A) Clinical events. (B) Cytopathic effect. (C) Viral particles. (D) Viral loads. "
        "(E) Antibody responses. (F) Immunofluorescence."
    )
    panels = find_panels(_captioned(sheet, caption), sheet, 6)
    assert [panel.letter for panel in panels] == ["A", "B", "B", "C", "D", "E", "F", "F", "F"]
    assert [round(panel.box.x0) for panel in panels if panel.letter == "F"] == [38, 140, 243]


def test_letters_of_a_row_of_photographs_one_photograph_tall_are_read():
    """Held-out 10 Virulence 2021 p. 7 Figure 3: one raster 5.6 times as wide as tall, four photographs of larvae in
    dishes edge to edge (one photograph of a plate: no gutter, no seam) and a chart, letters "a"-"e" only in the
    pixels, each 9-10% of the strip's height. Measured against the shorter side, the tallest letter allowed was 8%:
    no glyph was a letter and the search gave 3 panels (truth 5). Against the picture's mean side (the root of its
    area) the letters are read and the strip is cut at them."""
    require_tesseract()
    rng = np.random.default_rng(3)
    strip = Image.new("RGB", (1100, 200), "white")
    draw = ImageDraw.Draw(strip)
    font = ImageFont.load_default(size=28)
    for i, letter in enumerate("abcd"):
        strip.paste(images.skin_photo(rng, 275, 200, tone=0), (275 * i, 0))
        draw.text((275 * i + 10, 4), letter, fill="black", font=font, stroke_width=1)
    parts = lettered_in_pixels(strip, Box(0, 0, 550, 100), 4)
    assert [letter for _, letter in parts] == ["a", "b", "c", "d"]
    assert [round(box.x0) for box, _ in parts] == [0, 138, 275, 412]


def test_photographs_edge_to_edge_are_cut_at_their_letters_corners():
    """Photographs of one tone laid edge to edge, no gutter or seam between them, a tall one beside two stacked: each
    letter is printed at one inset from its panel's corner, so the letter nearest the picture's corner places the
    others' panels; cutting rows first would halve the tall photograph under a letter standing off its corner."""
    rng = np.random.default_rng(9)
    sheet = Image.new("RGB", (800, 600), "white")
    for x, y, w, h in ((0, 0, 400, 600), (400, 0, 400, 300), (400, 300, 400, 300)):
        sheet.paste(images.skin_photo(rng, w, h, tone=1), (x, y))
    letters = [
        PrintedLetter("a", (12, 16, 27, 39)),
        PrintedLetter("b", (413, 16, 430, 39)),
        PrintedLetter("c", (412, 321, 428, 339)),
    ]
    parts = parts_at_letters(_grey(sheet, GUTTER_SEARCH_PX), letters)
    assert parts == [((0, 0, 400, 600), "a"), ((400, 0, 800, 300), "b"), ((400, 300, 800, 600), "c")]


def test_the_letters_a_caption_cites_count_the_panels_from_a():
    def named(text: str) -> int:
        return caption_letters_named(_captioned(Image.new("RGB", (10, 10)), text))

    assert (
        named("Figure 2 Overview. The phylogenies from the species tree (as shown on the left most side of (C)).") == 3
    )
    assert named("Figure 4 Demonstrations (A: Paw demonstration; B: Mouth demonstration) of opening the box.") == 2
    assert named("Figure 4 Demonstrations of opening the box.") == 0


def test_a_photograph_with_letters_in_it_is_read_only_when_the_caption_cites_letters(monkeypatch):
    """A single photograph of a sign ("A", "B" in white on it): its caption cites no letter, so no glyph is read and
    it stays whole; a caption citing "(b)" over a photograph printing no letters leaves it whole too."""
    rng = np.random.default_rng(12)
    sign = images.skin_photo(rng, 800, 600)
    draw = ImageDraw.Draw(sign)
    for letter, x in (("A", 300), ("B", 460)):
        draw.text(
            (x, 250), letter, fill="white", font=ImageFont.load_default(size=40), stroke_width=1, stroke_fill="white"
        )

    def no_reading(glyphs):
        raise AssertionError("Tesseract asked")

    with monkeypatch.context() as patched:
        patched.setattr(ocr, "read_glyphs", no_reading)
        assert find_panels(_captioned(sign, "Figure 2 The sign at the clinic's door."), sign) == []
    require_tesseract()
    plain = images.skin_photo(rng, 800, 600)
    assert find_panels(_captioned(plain, "Figure 2 A rash; the papules (b) are raised."), plain) == []


def test_a_flow_chart_whose_boxes_are_lettered_side_by_side_is_not_cut_into_rows():
    """WHO 2013 handbook Figure 5: a question box over a row of answers, two of them "(a) Need rapid scale-up" and
    "(b) insufficient MDA impact". The two letters asked for two panels, and the grid search cut the chart into two
    rows at the white band under the question (crossed by one connector line). Both letters fell into one row:
    letters that name panels fall one into each cell."""
    chart = Image.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(chart)
    draw.rectangle((300, 10, 500, 110), fill=(250, 200, 180), outline="black", width=2)  # the question
    draw.line((400, 110, 400, 200), fill="black", width=2)
    draw.line((150, 200, 650, 200), fill="black", width=2)
    for x in (150, 650):
        draw.line((x, 200, x, 260), fill="black", width=2)
        draw.rectangle((x - 130, 260, x + 130, 390), fill=(240, 150, 120), outline="black", width=2)
    figure = Box(0, 0, 400, 200)  # two pixels a point
    letters = [
        TextLine("(a) Need rapid scale-up", Box(30, 155, 120, 165), 8.0, 0),
        TextLine("(b) insufficient MDA impact", Box(275, 155, 375, 165), 8.0, 30),
    ]
    assert find_panels(FigureRegion(None, figure, [Graphic("path", figure, None)], letters), chart) == []
    # The same letters one over the other name two rows of a lettered grid.
    stacked = [letters[0], TextLine("(b) Heavy burden", Box(30, 5, 120, 15), 8.0, 30)]
    assert len(find_panels(FigureRegion(None, figure, [Graphic("path", figure, None)], stacked), chart)) == 2


def test_parts_of_unequal_size_are_panels_only_when_set_apart_or_lettered():
    """A composite's panels share a size, or stand apart on the paper; a poster's tiles meet edge to edge, unless
    the caption letters them."""
    box = Box(0, 0, 300, 200)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    alike = photo_mosaic([(0, 0, 145, 200), (155, 0, 300, 200)])
    assert len(find_panels(region, alike)) == 2
    apart = photo_mosaic([(0, 0, 220, 200), (230, 0, 300, 60), (230, 70, 300, 200)])
    assert len(find_panels(region, apart)) == 3
    poster = photo_mosaic([(0, 0, 220, 200), (220, 0, 300, 60), (220, 60, 300, 200)], base=(60, 140, 210))
    assert find_panels(region, poster) == []
    assert len(find_panels(region, poster, caption_letters=3)) == 3
    legend = photo_mosaic([(0, 0, 300, 140), (0, 150, 300, 195)])  # a plot and its legend strip
    assert find_panels(region, legend) == []


def _numbered_drawings_pdf(path: Path, numerals: tuple[str, ...]) -> None:
    """A handbook's plate of three drawings in one raster, numbered in the text layer (WHO 2013 entomology handbook
    Figure 15): an ovary over a coiled trachea that an arrow from the ovary points to, another ovary beside both
    across a white gutter; `numerals` printed at the left of each."""
    picture = Image.new("L", (330, 130), 255)
    draw = ImageDraw.Draw(picture)
    for box in ((0, 0, 140, 55), (180, 35, 329, 95)):  # the ovaries, with tracheae in them; the ink fills the raster
        draw.ellipse(box, outline=0, width=2)
        for k in range(6):
            draw.line((box[0] + 20 + 18 * k, box[1] + 10, box[0] + 14 + 18 * k, box[3] - 8), fill=0, width=2)
    draw.line((75, 55, 75, 78), fill=0, width=1)  # the arrow from the ovary to the trachea
    draw.ellipse((45, 80, 105, 100), outline=0, width=3)  # the coiled trachea and its tube
    draw.line((90, 100, 110, 129), fill=0, width=3)
    canvas = Canvas(str(path), pagesize=(612, 792))
    body_paragraph(canvas, 740)
    canvas.drawString(72, 620, "Figure 1. Parity: I, ovary of a nulliparous female; II, a skein; III, a parous ovary")
    canvas.drawImage(ImageReader(picture), 130, 470, 330, 130)
    canvas.setFont("Times-Bold", 7)
    for numeral, (x, y) in zip(numerals, ((142, 560), (160, 490), (446, 540)), strict=False):
        canvas.drawString(x, y, numeral)
    body_paragraph(canvas, 440)
    canvas.showPage()
    canvas.save()


def test_drawings_numbered_with_roman_numerals_in_the_text_layer_are_cut_at_them(tmp_path):
    """Roman numerals printed in the figure number its panels as letters do; two drawings joined by an arrow have no
    gutter between them, so the cut runs between their numerals where the least ink crosses."""
    _numbered_drawings_pdf(tmp_path / "plate.pdf", ("I", "II", "III"))
    run_extract([tmp_path / "plate.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    panels = {p["letter"]: Box(*p["bbox"]) for p in figure["panels"]}
    assert sorted(panels) == ["I", "II", "III"]
    ovary, trachea, other = panels["I"], panels["II"], panels["III"]
    assert ovary.bottom <= trachea.top and 247 <= ovary.bottom <= 272  # cut across the arrow, under the ovary
    assert other.x0 >= ovary.x1 and other.x0 >= trachea.x1
    # Numerals that do not run I, II, III ... are no panel marks.
    _numbered_drawings_pdf(tmp_path / "gap.pdf", ("I", "III", "IV"))
    run_extract([tmp_path / "gap.pdf"], tmp_path / "gap", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "gap").read_table("figures").to_pylist()
    assert len(figure["panels"]) < 3


def _rows_of_drawing_and_micrograph(rows: int) -> Image.Image:
    """Rows of a drawing, labels with leader lines into both pictures, a micrograph; "(a) Tissue" under each row."""
    rng = np.random.default_rng(8)
    sheet = Image.new("RGB", (1200, 330 * rows), "white")
    draw = ImageDraw.Draw(sheet)
    for row in range(rows):
        top = 330 * row
        sheet.paste(flat_drawing(420, 280), (0, top))
        sheet.paste(images.skin_photo(rng, 480, 280), (720, top))
        for y in (top + 80, top + 130, top + 180, top + 230):
            if row == 0:  # the first row's leader lines run on under their labels
                draw.line((300, y, 820, y + 10), fill="black", width=2)
            else:
                draw.line((300, y, 520, y), fill="black", width=2)
                draw.line((600, y, 820, y + 10), fill="black", width=4)
            draw.text((530, y - 10), "Fibre", fill="black", font=FONT_20)
        draw.text((4, top + 290), f"({'abc'[row]}) Tissue", fill="black", font=FONT_20)
    return sheet


@pytest.mark.parametrize("rows", [2, 3])
def test_rows_of_a_drawing_beside_a_micrograph_under_one_letter_each_are_panels_picture_by_picture(rows):
    """OpenStax A&P Figures 4.15 and 4.16 (held-out 14, seen): rows of a drawing, labels between pointing into both,
    a micrograph, one letter naming each row. The photo-beside-drawing cut took one row or one column only, so the
    letters cut the rows and each row came out as one panel; the truth counts the pictures (a letter naming a group
    of pictures gives no panel letters). Each row is now cut at its micrograph's edge."""
    sheet = _rows_of_drawing_and_micrograph(rows)
    figure = Box(0, 0, 600, 165 * rows)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, sheet, caption_letters=rows)]
    assert len(panels) == 2 * rows
    assert all(abs(box.x1 - 360) <= 2 for box in panels[::2]), "cut at the micrograph's edge"
    assert all(
        165 * row - 10 < box.bottom < 165 * row for row, box in zip(range(1, rows), panels[::2], strict=False)
    ), "a row's letter under it stays in the row"


def _drawings_and_photo_over_letters() -> Image.Image:
    """Held-out 13 Figure 21.18's layout: three drawings over "(a)", a photograph over "(b)"."""
    rng = np.random.default_rng(9)
    sheet = Image.new("RGB", (1200, 420), "white")
    for x in (0, 220, 440):
        sheet.paste(flat_drawing(200, 360), (x, 0))
    sheet.paste(images.skin_photo(rng, 480, 360), (720, 0))
    draw = ImageDraw.Draw(sheet)
    draw.text((300, 385), "(a)", fill="black", font=FONT_20)
    draw.text((945, 385), "(b)", fill="black", font=FONT_20)
    return sheet


def test_a_letter_naming_a_group_of_drawings_beside_a_photograph_leaves_the_pictures_panels():
    """Held-out 13 Figure 21.18 (seen): three drawings of pores over "(a)", a photograph over "(b)". The gutter
    search found the four pictures, but they differ in size and the caption names two letters, so the letters cut
    two panels. The letters name groups of alike pictures: the pictures are the panels."""
    figure = Box(0, 0, 600, 210)  # two pixels a point
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = [panel.box for panel in find_panels(region, _drawings_and_photo_over_letters(), caption_letters=2)]
    assert len(panels) == 4 and panels[3].x0 >= 320


@pytest.mark.parametrize("layout", ["letters under groups", "a letter a row"])
def test_each_picture_of_a_group_a_letter_names_takes_the_letter_and_its_sub_caption(layout):
    """Held-out 13 Figure 21.18 and held-out 14 Figure 4.15 (seen): a caption letter naming a group of pictures (three
    drawings over "(a)"; a row of a drawing and a micrograph) left the pictures panels with no letter, so the caption's
    text about them reached no panel and was lost for the questions asked of each picture. Each picture of the group
    now carries the group's letter and its text."""
    texts = {"a": "Acne is characterized by comedones.", "b": "Blackheads are dark."}
    if layout == "letters under groups":
        sheet, figure, want = _drawings_and_photo_over_letters(), Box(0, 0, 600, 210), "aaab"
    else:
        sheet, figure, want = _rows_of_drawing_and_micrograph(2), Box(0, 0, 600, 330), "aabb"
    region = FigureRegion(None, figure, [Graphic("image", figure, None)], [])
    panels = find_panels(region, sheet, caption_letters=2)
    assign_letters(panels, region, texts)
    assert [(p.letter, p.subcaption) for p in panels] == [(letter, texts[letter]) for letter in want]


def test_a_caption_s_letters_name_rows_of_panels_only_when_the_rows_are_not_also_its_columns():
    """Held-out 10 Scientific Reports Figure 3 (seen): "a)" and "b)" printed over two rows of four charts, in the
    pixels where no letter band under the parts tells the groups: the rows are the groups when there are as many as
    letters and the columns are not as many too. A grid of 2 x 2 photographs parted by white gutters both ways with
    two letters says nothing (the sweep's septal hematoma Figure 7 prints "(a1)" "(a2)" over "(b1)" "(b2)": rows; the
    two marks of the lowest row were read as letters under two columns)."""
    grid = [Box(110 * column, 100 * row, 110 * column + 100, 100 * row + 90) for row in range(2) for column in range(4)]
    region = FigureRegion(None, Box(0, 0, 430, 190), [], [])
    assert _letter_groups(grid, region, None, 2) == [0, 0, 0, 0, 1, 1, 1, 1]
    rng = np.random.default_rng(3)
    sheet = Image.new("RGB", (420, 420), "white")
    draw = ImageDraw.Draw(sheet)
    for x, y in ((0, 0), (220, 0), (0, 210), (220, 210)):
        sheet.paste(images.skin_photo(rng, 200, 180), (x, y))
        draw.text((x + 85, y + 185), f"({'ab'[y > 0]}{1 + (x > 0)})", fill="black", font=FONT_20)
    square = [Box(x, y, x + 200, y + 180) for y in (0, 210) for x in (0, 220)]
    assert _letter_groups(square, FigureRegion(None, Box(0, 0, 420, 420), [], []), sheet, 2) == []
    panels = [PanelBox(box, group=group) for box, group in zip(grid, [0, 0, 0, 0, 1, 1, 1, 1], strict=True)]
    region.texts = [TextLine("(b)", Box(10, 2, 20, 9), 8.0, 0)]  # printed over the first row: not the rows' letters
    assign_letters(panels, region, {"a": "Scores.", "b": "Subsamples."})
    assert [p.letter for p in panels] == ["b", None, None, None, None, None, None, None]


def test_a_picture_the_caption_or_its_sub_captions_letter_splits_into_that_many_panels(tmp_path):
    # A plate of four micrographs in one raster, lettered (a)-(d) by its caption, came out as one panel; two
    # plots side by side, "(a) SPECTER" and "(b) SciBERT" printed under them, came out as one.
    rng = np.random.default_rng(3)
    pdf = Canvas(str(tmp_path / "lettered.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(micrograph_plate(rng)), 56, 560, 240, 200)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(56, 548, "Figure 1. (a) Section of the abdomen. (b) Spongiosis. (c) Section of the leg.")
    pdf.drawString(56, 538, "(d) Papillary dermal oedema (haematoxylin and eosin).")
    for x in (310, 390):  # edge to edge: one picture to the eye
        pdf.drawImage(ImageReader(scatter_plot(rng)), x, 660, 80, 64)
    pdf.drawString(325, 648, "(a) SPECTER")
    pdf.drawString(405, 648, "(b) SciBERT")
    pdf.drawString(310, 612, "Figure 2. t-SNE visualization of paper embeddings.")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 500, 35)
    running_prose(pdf, 310, 590, 42)
    pdf.save()
    run_extract([tmp_path / "lettered.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    figures = by_label(Dataset.open(tmp_path / "ds").read_table("figures").to_pylist())
    plate = figures["1"]["panels"]
    assert [p["letter"] for p in plate] == list("abcd")
    # The plate is 0.4 pt a pixel from (56, 32), its ink from pixel x 10; the gutters run at x 260-280, y 245-255.
    cells = [Box(x0, y0, x1, y1) for y0, y1 in ((32, 132), (132, 232)) for x0, x1 in ((60, 164), (164, 296))]
    assert all(Box(*p["bbox"]).iou(cell) >= 0.9 for p, cell in zip(plate, cells, strict=True))
    plots = figures["2"]["panels"]
    assert [(p["letter"], p["subcaption"]) for p in plots] == [("a", "SPECTER"), ("b", "SciBERT")]
    assert all(Box(*p["bbox"]).iou(Box(x, 68, x + 80, 132)) >= 0.95 for p, x in zip(plots, (310, 390), strict=True))


def _diagram_over_micrographs(rng: np.random.Generator) -> Image.Image:
    """One raster (OpenStax Microbiology Figure 24.5): (a) a line drawing across the top, and under a blank gutter
    (b)-(d) three framed micrographs in a row, an arrow from each into the next across their gutters."""
    plate = Image.new("RGB", (900, 560), "white")
    plate.paste(images.lesion_drawing(rng, 900, 330), (0, 0))
    draw = ImageDraw.Draw(plate)
    for left in (0, 310, 620):
        plate.paste(tissue_section(rng, 280, 180), (left, 370))
        draw.rectangle((left, 370, left + 279, 549), outline="black", width=2)
    for left in (0, 310):
        draw.line((left + 200, 420, left + 350, 440), fill="dimgray", width=4)  # the arrow's shaft over the gutter
    return plate


def test_a_drawing_over_a_row_of_micrographs_is_cut_into_the_captions_letters(tmp_path):
    """Held-out set 16 (calibre's e-book PDF, Figure 24.5): a diagram (a) over three micrographs (b)-(d) in one
    raster. The gutter search cut the diagram at its own white space (not photographs), so the cut was dropped, and
    no grid of four cells fits; the figure came out with no panels and its four sub-captions unassigned."""
    path = tmp_path / "bands.pdf"
    pdf = Canvas(str(path), pagesize=(612, 792))
    pdf.drawImage(ImageReader(_diagram_over_micrographs(np.random.default_rng(4))), 96, 420, 420, 261)
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(96, 406, "Figure 1 (a) The wall of the small intestine. (b) Villi. (c) A light micrograph of")
    pdf.drawString(96, 394, "the villi. (d) An electron micrograph of the microvilli.")
    running_prose(pdf, 72, 370, 3, per_line=15)
    figure = only_figure(pdf, path, tmp_path)
    assert [p["letter"] for p in figure["panels"]] == list("abcd")
    # 0.467 pt a pixel from (96, 111): the drawing's band over pixel row 330, the micrographs from row 370.
    bottoms = [Box(*p["bbox"]).bottom for p in figure["panels"]]
    assert bottoms[0] < 111 + 0.467 * 350 < min(bottoms[1:])
    # A chart's rows of flat blocks lettered (a)-(d) (RSTA 2021 Figure 4) hold no photographs: one diagram.
    blocks = Image.new("RGB", (900, 560), "white")
    for top in (0, 140, 280, 420):
        for left in range(0, 900, 75):  # abutting blocks, a grey line between them
            ImageDraw.Draw(blocks).rectangle((left, top, left + 75, top + 120), fill=(250, 215, 190), outline="grey")
    assert _photographs_in_bands(_grey(blocks, GUTTER_SEARCH_PX), 4) == []


def test_a_drawing_whose_caption_letters_its_steps_stays_one_panel():
    # A reaction scheme: line drawings joined by arrows, narrow white space between them, its steps lettered by
    # the caption (Clin Sci 2014 Scheme S1): the letters do not make one drawing a set of panels. Separate
    # drawings a wide gutter apart, as many as the caption's letters, are panels.
    scheme = Image.new("RGB", (600, 200), "white")
    draw = ImageDraw.Draw(scheme)
    for centre in (90, 300, 510):
        draw.regular_polygon((centre, 100, 60), 6, outline="black", width=3)  # a ring of the molecule
        draw.line([(centre, 40), (centre + 30, 10)], fill="black", width=3)
    for start in (153, 363):  # the arrows of steps A and B, a few pixels clear of the rings
        draw.line([(start, 100), (start + 80, 100)], fill="black", width=3)
        draw.polygon([(start + 80, 92), (start + 80, 108), (start + 90, 100)], fill="black")
    box = Box(0, 0, 300, 100)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    assert find_panels(region, scheme, caption_letters=3) == []
    assert len(find_panels(region, line_drawings(np.random.default_rng(4), 3, 3), caption_letters=3)) == 3


def _photos_without_gutters(rng: np.random.Generator) -> Image.Image:
    """Four photographs in one raster (AJTMH 2024 Figure 1): A and B side by side over C and D, each across the
    whole width; a blank gutter under A and B, elsewhere photographs of like skin tones edge to edge, blurred
    (a seam too faint to be a gutter line)."""
    sheet = Image.new("RGB", (667, 1062), "white")
    for photo, place in (
        (images.skin_photo(rng, 330, 470, tone=1), (0, 0)),
        (images.skin_photo(rng, 337, 470, tone=2), (330, 0)),
        (images.skin_photo(rng, 667, 347, tone=2), (0, 492)),
        (images.skin_photo(rng, 667, 223, tone=3), (0, 839)),
    ):
        sheet.paste(photo, place)
    return sheet.filter(ImageFilter.GaussianBlur(0.8))


def test_lettered_photographs_edge_to_edge_split_where_the_picture_jumps(tmp_path):
    # "(A and B) ... (C and D) ...": four lettered photographs in one raster without a clear gutter came out as
    # two panels (A with B, C with D) lettered A and B; the caption names four letters, and the picture is cut
    # where it jumps from one photograph to the next.
    caption = "Figure 1. (A and B) Wheals on the chest and back. (C and D) Wheals on both arms."
    assert parse_subcaptions(caption, 9) == {
        "a": "Wheals on the chest and back.",
        "b": "Wheals on the chest and back.",
        "c": "Wheals on both arms.",
        "d": "Wheals on both arms.",
    }
    assert parse_subcaptions("Figure 1. (A and B) Chest. (B and C) Arms.", 9)["b"] == "Chest. (B and C) Arms."
    rng = np.random.default_rng(5)
    pdf = Canvas(str(tmp_path / "photos.pdf"), pagesize=(612, 792))
    pdf.drawImage(ImageReader(_photos_without_gutters(rng)), 327, 245, 240, 382)
    pdf.setFont("Times-Roman", 8)
    pdf.drawString(327, 233, caption[: caption.index(" Wheals on both")])
    pdf.drawString(327, 223, caption[caption.index("Wheals on both") :])
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 56, 620, 45, per_line=6)
    pdf.save()
    run_extract([tmp_path / "photos.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert [(p["letter"], p["subcaption"]) for p in figure["panels"]] == [
        ("A", "Wheals on the chest and back."),
        ("B", "Wheals on the chest and back."),
        ("C", "Wheals on both arms."),
        ("D", "Wheals on both arms."),
    ]
    # The photographs' boxes on the page: the picture is 0.36 pt a pixel from (327, 165).
    cells = [Box(327, 165, 445.5, 334), Box(445.5, 165, 567, 334), Box(327, 334, 567, 467), Box(327, 467, 567, 547)]
    assert all(Box(*p["bbox"]).iou(cell) >= 0.9 for p, cell in zip(figure["panels"], cells, strict=True))
    # One photograph whose caption letters what it shows is not cut: no line of it jumps.
    box = Box(0, 0, 240, 180)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    assert find_panels(region, images.skin_photo(rng, 640, 480), caption_letters=2) == []


def test_rows_of_lettered_parts_whose_gutters_do_not_line_up_are_panels():
    # Held-out 10 micropublication nematode Figure 1 (A-H): a drawing and three charts over four more charts, each
    # row's parts set at their own widths (no column of the picture blank from top to bottom: no even grid of
    # eight cells fits), one chart's title set apart over it (the drawings' xy-cut gives nine pieces, no grid),
    # the chart cut fails on the drawing: one panel. Rows cut at their blank lines, each row at its own, a title
    # too short to be a part joined to its chart: as many parts as letters, alike in size, are the panels. A
    # diagram whose white space leaves a sliver beside its body is not cut for its letters.
    top = close_charts_picture(["line", "line", "dots", "line"], gutter=12, letters=True)
    top.paste(assay_drawing(), (0, 0))
    plate = Image.new("RGB", (top.width + 90, 240 + 90 + 240), "white")
    plate.paste(top, (0, 0))
    plate.paste(close_charts_picture(["line", "histogram", "dots", "line"], gutter=12), (90, 330))
    draw = ImageDraw.Draw(plate)
    draw.rectangle([130, 270, 270, 318], fill=(40, 40, 40))  # the first chart's title, a blank line over it
    for x in (302, 514, 726):  # the others' titles run down into their charts
        draw.rectangle([x + 40, 290, x + 180, 304], fill=(40, 40, 40))
        draw.line([(x + 110, 304), (x + 110, 340)], fill=(40, 40, 40), width=2)
    box = Box(0, 0, plate.width / 2, plate.height / 2)
    panels = find_panels(FigureRegion(None, box, [Graphic("image", box, None)], []), plate, caption_letters=8)
    assert [(round(p.box.x0), round(p.box.top)) for p in panels[4:]] == [(50, 135), (156, 135), (262, 135), (368, 135)]
    assert all(panel.box.width < 100 and panel.box.height < 140 for panel in panels[:4]), "each row cut on its own"
    sliver = Image.new("RGB", (900, 240), "white")
    sliver.paste(assay_drawing(700), (0, 0))
    sliver.paste(close_charts_picture(["line"]).resize((150, 240)), (750, 0))
    wide = Box(0, 0, 450, 120)
    assert find_panels(FigureRegion(None, wide, [Graphic("image", wide, None)], []), sliver, caption_letters=2) == []


def test_a_plate_ruled_into_a_cell_a_letter_gives_each_cell_its_letter():
    # Held-out 10 Scientific Reports 2021 Figure 2: a frame (its top edge pale) around two radiographs "a)" over a
    # scatter plot "b)" and box plots "c)" on a grey field, a rule across under the radiographs, one down between
    # the charts; the letters only in the pixels. The rules cross every blank line, the charts are no photographs:
    # one panel. The drawn rules cut it into as many cells as the caption's letters; the first cell's photographs,
    # set apart by a white gutter, are its panels, both lettered "a". A chart's axis on its grey field is no rule.
    rng = np.random.default_rng(3)
    plate = Image.new("RGB", (800, 560), "white")
    plate.paste(images.skin_photo(rng, 370, 240, 1), (10, 10))
    plate.paste(images.skin_photo(rng, 370, 240, 4), (420, 10))
    draw = ImageDraw.Draw(plate)
    for x, field in ((10, "white"), (420, (234, 234, 242))):  # scatter plots
        draw.rectangle([x, 285, x + 370, 555], fill=field)
        draw.line([(x + 30, 300), (x + 30, 530), (x + 350, 530)], fill="black", width=2)
        for i in range(30):
            y = 320 + (37 * i) % 200
            draw.ellipse([x + 40 + 10 * i, y, x + 46 + 10 * i, y + 6], fill=(30, 90, 200))
    draw.rectangle([0, 0, 799, 559], outline="black", width=2)
    draw.line([(0, 0), (799, 0)], fill=(215, 215, 215), width=3)
    draw.line([(0, 270), (799, 270)], fill="black", width=3)
    draw.line([(395, 270), (395, 559)], fill="black", width=3)
    box = Box(0, 0, 400, 280)
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    panels = find_panels(region, plate, caption_letters=3)
    assign_letters(panels, region, {"a": "Radiographs.", "b": "Scatter plot.", "c": "Box plots."})
    assert [(panel.letter, panel.subcaption) for panel in panels] == [
        ("a", "Radiographs."),
        ("a", "Radiographs."),
        ("b", "Scatter plot."),
        ("c", "Box plots."),
    ]
    assert [round(panel.box.x0) for panel in panels[2:]] == [1, 198], "each chart's cell from rule to rule"


def test_letters_printed_under_a_row_of_panels_label_that_row(tmp_path):
    # A 2x2 plate of micrographs, "(a)" "(b)" printed under the top row, "(c)" "(d)" under the bottom one, each
    # letter a little nearer the row below it than the row it labels (Hindawi's H&E plates): the top row took
    # c and d, and every panel another panel's description.
    pdf = Canvas(str(tmp_path / "under.pdf"), pagesize=(612, 792))
    for row, top in enumerate((720, 570)):
        for column, x in enumerate((124, 305)):
            pdf.drawImage(ImageReader(photo_pixels(2 * row + column)), x, top - 128, 170, 128)
            pdf.setFont("Times-Roman", 8)
            pdf.drawString(x + 80, top - 128 - 16, f"({'abcd'[2 * row + column]})")
    pdf.drawString(72, 410, "Figure 2: (a) Diffuse infiltrate (H&E, x40); (b) yeast forms (H&E, x100); (c) spores")
    pdf.drawString(72, 400, "(H&E, x400); (d) a granuloma of macrophages (H&E, x400).")
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 72, 370, 20, per_line=17)
    figure = only_figure(pdf, tmp_path / "under.pdf", tmp_path)
    panels = sorted(figure["panels"], key=lambda p: (round(p["bbox"][1]), p["bbox"][0]))
    assert [p["letter"] for p in panels] == list("abcd")
    assert panels[0]["subcaption"] == "Diffuse infiltrate (H&E, x40)"


def test_letters_over_figures_that_open_pages_and_caption_letters_of_drawn_figures_make_panels(tmp_path, shared_pdfs):
    # Nature Neuroscience (pdffigures2test_f63cb20759): the panel letters "a" and "b" over figures that open pages 2,
    # 4 and 5 recur at one place near the top edge and were taken for a running header, so the figure boxes
    # started under them (top 67). ICML 2013 bryan13 Figure 1: two drawn parts, (a) over (b), named by the caption,
    # came out as one panel (a drawn figure had no pixels for the panel search).
    pdfs = [shared_pdfs / "pdffigures2test_f63cb20759.pdf", shared_pdfs / "icml13_8_bryan13.pdf"]
    run_extract(pdfs, tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    nature = {r["page"]: r for r in rows if r["source_pdf"] == pdfs[0].name}
    assert all(nature[page]["bbox"][1] <= 66.0 for page in (2, 4, 5))
    (bryan,) = [r for r in rows if r["source_pdf"] == pdfs[1].name and r["label"] == "1"]
    assert [(p["letter"], p["subcaption"][:16]) for p in bryan["panels"]] == [
        ("a", "Given a mixture "),
        ("b", "Once initially s"),
    ]
    upper, lower = (Box(*p["bbox"]) for p in bryan["panels"])
    assert upper.bottom <= lower.top + 1 and upper.height > 50 and lower.height > 100


def _views_on_black(rng: np.random.Generator) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """Five views of a specimen photographed on black cloth, set out freely (PLOS ONE 2014, a frog, Figure 1):
    each view's extent overlaps the next one's across the rows and across the columns, so that no straight line
    runs clear between them; white letters beside them, a white paper margin round the field. Returns the plate
    and the views' pixel boxes."""
    plate = Image.new("RGB", (800, 500), "white")
    field = ImageDraw.Draw(plate)
    field.rectangle((8, 8, 791, 491), fill=(8, 8, 8))
    views = [(30, 40, 210, 160), (200, 110, 380, 230), (370, 180, 550, 300), (540, 250, 720, 370), (100, 350, 500, 450)]
    for letter, (x0, y0, x1, y1) in zip("abcde", views, strict=True):
        texture = Image.fromarray(rng.integers(90, 210, size=((y1 - y0) // 8, (x1 - x0) // 8, 3), dtype=np.uint8))
        shape = Image.new("L", (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(shape).ellipse((0, 0, x1 - x0 - 1, y1 - y0 - 1), fill=255)
        plate.paste(texture.resize((x1 - x0, y1 - y0)), (x0, y0), shape)
        field.text((x0, y0), f"({letter})", fill="white")
    return plate, views


def test_lettered_objects_on_one_black_field_are_panels():
    # Five lettered views of a frog on black cloth, with no straight cut between them, came out as one panel. With
    # as many objects as the caption names letters, each object is a panel; unlettered, the plate stays whole.
    box = Box(0, 0, 400, 250)  # half a point a pixel
    plate, views = _views_on_black(np.random.default_rng(2))
    region = FigureRegion(None, box, [Graphic("image", box, None)], [])
    panels = find_panels(region, plate, 5)
    expected = [Box(x0 / 2, y0 / 2, x1 / 2, y1 / 2) for x0, y0, x1, y1 in views]
    assert len(panels) == 5 and all(p.box.iou(view) >= 0.9 for p, view in zip(panels, expected, strict=True))
    assert find_panels(region, plate) == []
    assert find_panels(region, plate, 4) == []  # not as many objects as letters: no guess


def test_letters_printed_under_some_rows_name_the_rows_down_to_them():
    """The sweep's hepatic imaging Figure 3: four rows of three scans, "(a)" printed under the second row and "(b)"
    under the fourth (text layer): each letter names the rows down to it, so each scan takes its group's letter and
    text. Neither the rows (4) nor the columns (3) are as many as the letters."""
    panels = [PanelBox(Box(110 * c, 100 * r, 110 * c + 100, 100 * r + 80)) for r in range(4) for c in range(3)]
    region = FigureRegion(None, Box(0, 0, 320, 400), [], [])
    region.texts = [TextLine("(a)", Box(150, 182, 165, 192), 8.0, 0), TextLine("(b)", Box(150, 382, 165, 392), 8.0, 0)]
    groups = _letter_groups([panel.box for panel in panels], region, None, 2)
    assert groups == [0] * 6 + [1] * 6
    for panel, group in zip(panels, groups, strict=True):
        panel.group = group
    assign_letters(panels, region, {"a": "Positive lesion.", "b": "Negative lesion."})
    assert [(p.letter, p.subcaption) for p in panels] == [("a", "Positive lesion.")] * 6 + [
        ("b", "Negative lesion.")
    ] * 6


@pytest.fixture(scope="module")
def subfigure_grid(tmp_path_factory) -> dict:
    """The figure row of a two-column page with a full-width grid of three subfigures (held-out 18, 23.12)."""
    path = tmp_path_factory.mktemp("grid") / "grid.pdf"
    pdf = Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 9)
    for x in (60, 310):
        running_prose(pdf, x, 790, 14, leading=11, per_line=9)
    baseline = subfigure_grid_page(pdf, 600, SYPHILIS_CELLS, "Figure 23.12: (credit a, b, c: work by the CDC)")
    for x in (60, 310):
        running_prose(pdf, x, baseline - 24, 20, leading=11, per_line=9)
    pdf.save()
    run_extract([path], path.parent / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(path.parent / "ds").read_table("figures").to_pylist()
    return figure


def test_sub_captions_under_a_row_of_subfigures_flush_with_the_column_stay_the_figure_s(subfigure_grid):
    # Typst's two-column page with a full-width grid of three pictures (held-out 18, 23.12): each picture's "(x) ..."
    # sub-caption wraps onto rows under it, the first cell's rows starting at the left column's edge like a short
    # line of the text flow. Those rows were taken for the text flow and stopped the caption's search: the first
    # picture came out as an uncaptioned figure, the other two as the figure.
    assert subfigure_grid["label"] == "23.12"
    assert Box(*subfigure_grid["bbox"]).contains(Box(61, 243, 534, 361), tolerance=2)  # all three pictures


def test_ragged_sub_caption_rows_longer_than_their_first_row_are_the_panel_s(subfigure_grid):
    # Typst sets a grid cell's sub-caption ragged right (held-out 18, 23.6, 23.12, 23.23): "(b) This individual has
    # a" is shorter than the row under it, "secondary syphilis rash on", which ended the sub-caption at its first row
    # (rows were read on only as far right as the first row ends, to keep the next panel's sub-caption out).
    assert [(panel["letter"], panel["subcaption"]) for panel in subfigure_grid["panels"]] == [
        (rows[0][1], " ".join(row.removeprefix(rows[0][:4]) for row in rows)) for _, _, rows in SYPHILIS_CELLS
    ]


def test_a_bold_title_row_over_an_unlabelled_caption_s_description_is_no_panel_s_text(tmp_path):
    """Held-out 20 (WHO pocket book p. 334): an unlabelled caption whose first row is a bold title without a full stop,
    "Wrapping the child ... procedure", the description under it in the regular weight naming the panels after their
    text ("... under the arms on both sides (A and B)."): panel A's text began at the title. The bold rows are the
    caption's title, as a bold title after a label is."""
    pdf = Canvas(str(tmp_path / "wrapping.pdf"), pagesize=(595, 842))
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 790, 8)
    for seed, left in ((3, 85), (4, 289)):  # two photographs 4 pt apart: one figure
        pdf.drawImage(ImageReader(photo_pixels(seed)), left, 420, 200, 200)
    rows = [
        ("Helvetica-Bold", "Wrapping the child to hold him securely"),
        ("Helvetica", "One end of a sheet is pulled under the arms (A)."),
        ("Helvetica", "The other end is wrapped around the child (B)."),
    ]
    for k, (font, text) in enumerate(rows):
        pdf.setFont(font, 8)
        pdf.drawCentredString(287, 405 - 10 * k, text)  # centred under both
    pdf.setFont("Times-Roman", 10)
    running_prose(pdf, 85, 350, 8)
    pdf.save()
    (row,) = figures_left_to_right(tmp_path / "wrapping.pdf")
    assert row["label"] is None
    assert row["caption"] == " ".join(text for _, text in rows)
    assert [(panel["letter"], panel["subcaption"]) for panel in row["panels"]] == [
        ("A", "One end of a sheet is pulled under the arms"),
        ("B", "The other end is wrapped around the child"),
    ]


def test_drawings_each_lettered_beside_them_are_panels_whatever_their_sizes(tmp_path):
    """WHO pocket book p. 290: five drawings of joint aspirations, rasters of five sizes between rules, four touching
    and one a gutter apart within their span, "A"-"E" set at their upper left corners, some just outside the rasters
    (each row's letters one text run), an unlabelled caption naming the letters under them. The lone raster was a
    figure of its own (then dropped as too small), and the rest was one panel. Pictures whose spans overlap are one
    figure, whose five rasters are the caption's five panels; an uncaptioned figure keeps the lines set on it (its
    letters, which were no figure's text)."""
    rng = np.random.default_rng(15)
    rasters = {  # letter: (x0, top, x1, bottom) in points from the page's top
        "A": (88, 120, 185, 207),
        "B": (194.5, 131, 320, 201),
        "C": (94, 207, 203, 302),
        "D": (214, 207, 322, 302),
        "E": (116, 302, 293, 386),
    }
    pdf = Canvas(str(tmp_path / "aspiration.pdf"), pagesize=(420, 595))
    for x0, top, x1, bottom in rasters.values():
        picture = images.lesion_drawing(rng, round(4 * (x1 - x0)), round(4 * (bottom - top)))
        ImageDraw.Draw(picture).line([(0, 0), picture.size], fill="black", width=3)  # an arm drawn edge to edge
        pdf.drawImage(ImageReader(picture), x0, 595 - bottom, x1 - x0, bottom - top)
    pdf.setStrokeColorRGB(0.2, 0.6, 0.9)
    for top in (206.5, 301.7, 386.2):
        pdf.line(86, 595 - top, 322, 595 - top)
    for row, top in (("[(A) -13500 (B)] TJ", 129.7), ("[(C) -13100 (D)] TJ", 221.8), ("(E) Tj", 316.8)):
        text = pdf.beginText()
        text.setFont("Helvetica-Bold", 12)
        text.setTextOrigin(86.4, 595 - top)
        text._code.append(row)  # each row's letters one text run, as the book sets them
        pdf.drawText(text)
    pdf.setFont("Helvetica-Oblique", 7)
    pdf.drawString(87.5, 595 - 397, "Techniques for aspirating hip (A,B), knee (C,D) and elbow (E) joints")
    pdf.setFont("Times-Roman", 9)
    running_prose(pdf, 86, 595 - 420, 8, leading=11, per_line=6)
    pdf.save()
    document = pdfium.PdfDocument(tmp_path / "aspiration.pdf")
    page = read_page(document, 0)
    (region,) = uncaptioned_regions(page, page.graphics, [], page.lines)
    assert len(region.images) == 5
    assert sorted(line.text for line in region.texts) == list("ABCDE")
    page.close()
    document.close()
    run_extract([tmp_path / "aspiration.pdf"], tmp_path / "ds", ExtractConfig(dpi=72))
    (figure,) = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    panels = {p["letter"] or "": Box(*p["bbox"]) for p in figure["panels"]}
    assert sorted(panels) == list("ABCDE")
    assert all(panels[letter].iou(Box(*box)) >= 0.9 for letter, box in rasters.items())


def test_a_letter_at_a_drawing_s_upper_left_corner_names_it_over_the_drawing_whose_box_it_stands_in():
    """WHO pocket book p. 288: five drawings in one raster, each letter at its drawing's upper left corner; "B" stands
    5 pt left of drawing B, over the white of drawing A's box, and was given to A (nearest: inside its box), "C" to B,
    and "A" (left of the figure's ink) went to C. A letter level with a panel's top, just left of its edge, is that
    panel's; letters set over or under their panels are read as before."""
    drawings = [Box(102, 124, 181, 251), Box(166, 124, 250, 234), Box(255, 124, 314, 220)]
    letters = [
        ("A", Box(86.5, 120.7, 93, 129.7)),
        ("B", Box(155.2, 120.7, 161, 129.7)),
        ("C", Box(246.2, 120.5, 252, 129.9)),
    ]
    region = FigureRegion(None, Box(86, 120, 318, 252), [], [TextLine(t, box, 12.0, 0) for t, box in letters])
    panels = [PanelBox(box) for box in drawings]
    assign_letters(panels, region, {})
    assert [panel.letter for panel in panels] == ["A", "B", "C"]
    under = [("a", Box(130, 256, 136, 264)), ("b", Box(200, 240, 206, 248)), ("c", Box(280, 226, 286, 234))]
    region = FigureRegion(None, Box(86, 120, 318, 266), [], [TextLine(t, box, 8.0, 0) for t, box in under])
    panels = [PanelBox(box) for box in drawings]
    assign_letters(panels, region, {})
    assert [panel.letter for panel in panels] == ["a", "b", "c"]


def _on_white_object(width: int, height: int) -> Image.Image:
    """A photograph of an object on white paper (a robot photographed for a catalogue): a dark body, a lit screen."""
    photo = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(photo)
    draw.rounded_rectangle([width // 4, height // 5, 3 * width // 4, height - 8], radius=12, fill=(70, 70, 80))
    draw.rectangle([width // 3, height // 4, 2 * width // 3, height // 2], fill=(90, 170, 220))
    return photo


def test_photographs_over_a_row_of_their_letters_are_cut_there_when_the_gutters_lose_one():
    # Held-out 32 J Orthop Surg Res Figure 5: four photographs a-d in one raster, their letters printed in a row
    # under them, c a robot photographed on white paper: its white reads as gutter, the gutter search found three
    # parts. The row of letters, as many as the caption names, places the cuts: four panels, c among them.
    rng = np.random.default_rng(5)
    sheet = Image.new("RGB", (960, 420), "white")
    sheet.paste(images.skin_photo(rng, 250, 300), (0, 60))
    sheet.paste(images.skin_photo(rng, 300, 300), (268, 60))
    sheet.paste(_on_white_object(140, 360), (568, 0))
    sheet.paste(images.skin_photo(rng, 200, 360), (760, 0))
    draw = ImageDraw.Draw(sheet)
    for letter, centre in zip("abcd", (125, 418, 638, 860), strict=True):
        draw.text((centre - 6, 385), letter, fill="black", font=FONT_20)
    figure = Box(0, 0, 480, 210)  # two pixels a point
    panels = find_panels(FigureRegion(None, figure, [Graphic("image", figure, None)], []), sheet, caption_letters=4)
    assert len(panels) == 4
    assert any(panel.box.x0 * 2 <= 600 and panel.box.x1 * 2 >= 690 for panel in panels)  # c, the robot


def test_small_rasters_inside_lettered_drawings_are_insets_not_panels():
    # Held-out 32 BMC Evol Biol Figure 3: four maps A-D drawn in vector, 2 x 2 a gutter apart, a small raster set in
    # two of them: the two rasters came out as the panels. Rasters fewer than the letters printed in the figure and
    # covering under half of it are insets; the gutters part the four maps.
    rng = np.random.default_rng(8)
    sheet = Image.new("RGB", (600, 600), "white")
    draw = ImageDraw.Draw(sheet)
    rasters = []
    for k in range(4):
        x, y = 300 * (k % 2), 300 * (k // 2)
        draw.rectangle([x + 5, y + 5, x + 285, y + 285], outline="black", width=2)
        draw.polygon([(x + 60, y + 40), (x + 230, y + 60), (x + 200, y + 250), (x + 90, y + 220)], fill=(230, 150, 60))
        draw.ellipse([x + 110, y + 90, x + 190, y + 170], fill=(220, 60, 140))
        if k >= 2:
            sheet.paste(images.skin_photo(rng, 160, 90), (x + 110, y + 180))
            rasters.append(Graphic("image", Box((x + 110) / 2, (y + 180) / 2, (x + 270) / 2, (y + 270) / 2), None))
    letters = [
        TextLine(c, Box(150 * (k % 2) + 5, 150 * (k // 2) + 4, 150 * (k % 2) + 11, 150 * (k // 2) + 12), 8.0, 0)
        for k, c in enumerate("ABCD")
    ]
    figure = Box(0, 0, 300, 300)  # two pixels a point
    panels = find_panels(FigureRegion(None, figure, rasters, letters), sheet)
    assert len(panels) == 4
    assert all(panel.box.width > 100 and panel.box.height > 100 for panel in panels)


def _read(letter: str, box: tuple[int, int, int, int], confidence: float = 93.0) -> tuple[PrintedLetter, float]:
    return PrintedLetter(letter, box), confidence


# Held-out 26 Eur Radiol 2020 Figure 1 (p. 3): eight CT slices a-h in 4 rows of 2, no gutter between them, on the
# picture 1030 x 1600 px. Tesseract reads d, f, g, h dark and b light (90-93); a, c and e, dark letters on dark lungs,
# are not read, so no run a, b, c, ... is found (0 panels, truth 8).
_EURRAD_READ = [
    [
        _read("d", (516, 411, 537, 440)),
        _read("f", (515, 799, 527, 828)),
        _read("h", (517, 1167, 536, 1195)),
        _read("g", (18, 1173, 39, 1204), 90.0),
    ],
    [_read("b", (517, 19, 537, 48))],
]


def test_letters_read_on_a_grid_place_the_letters_not_read():
    """The letters read stand in 2 columns (x 18 and 515-517) and 4 rows (y 19, 411, 799, 1167-1173), each where a
    grid of 4 rows of 2 read along the rows puts it: a, c and e are put at their rows' and columns' corners."""
    placed = letters_on_a_grid(_EURRAD_READ, 8)
    assert [printed.letter for printed in placed] == list("abcdefgh")
    assert [printed.box[:2] for printed in placed[0:6:2]] == [(18, 19), (18, 411), (18, 799)]
    assert printed_letters(_EURRAD_READ) == []  # the run of one polarity: b alone, d... without a


def test_letters_read_out_of_their_grid_places_place_none():
    """A texture read as "a" (surely) far from the first column, or fewer letters read than it takes to check the grid,
    or a grid the caption's count does not fill, places no letter."""
    texture_a = [[*_EURRAD_READ[0], _read("a", (748, 1361, 781, 1412), 90.0)], _EURRAD_READ[1]]
    assert letters_on_a_grid(texture_a, 8) == []
    assert letters_on_a_grid([_EURRAD_READ[0][:2], []], 8) == []
    assert letters_on_a_grid(_EURRAD_READ, 10) == []
    unsure = [[(printed, 80.0) for printed, _ in polarity] for polarity in _EURRAD_READ]
    assert letters_on_a_grid(unsure, 8) == []


def _staggered_plots(blocks: list[tuple[int, int, int, int]]) -> Image.Image:
    """An 800 x 1000 picture of textured blocks (x0, y0, x1, y1) on white."""
    pixels = np.full((1000, 800, 3), 255, np.uint8)
    rng = np.random.default_rng(8)
    for x0, y0, x1, y1 in blocks:
        pixels[y0:y1, x0:x1] = rng.integers(30, 200, size=(y1 - y0, x1 - x0, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def test_a_lettered_grid_whose_rows_do_not_line_up_across_its_columns_is_cut_column_by_column():
    """PLOS NTD 2020 (held-out 29) YFV Figure 2: four plots in one raster, A over C beside B over D, B half as tall as
    D, "(a)"-"(d)" in the caption: no gutter runs across the whole picture between the rows, so no grid was cut (one
    panel, truth four). Each column is now cut at its own gutter; a grid whose cuts run straight across is still
    cut so."""
    staggered = [(20, 20, 380, 470), (20, 530, 380, 980), (440, 20, 780, 300), (440, 360, 780, 980)]
    cells = _grid_cells(_staggered_plots(staggered), Box(0, 0, 800, 1000), 4)
    assert len(cells) == 4
    for x0, y0, x1, y1 in staggered:  # each cell holds one plot whole, nothing of another
        (cell,) = [cell for cell in cells if cell.overlap_area(Box(x0, y0, x1, y1)) > 0]
        assert cell.contains(Box(x0, y0, x1, y1)), cell
    straight = [(20, 20, 380, 470), (20, 530, 380, 980), (440, 20, 780, 470), (440, 530, 780, 980)]
    cells = _grid_cells(_staggered_plots(straight), Box(0, 0, 800, 1000), 4)
    assert sorted((cell.top, cell.x0) for cell in cells) == [(0, 0), (0, 410), (500, 0), (500, 410)]


def _bar_chart_plate(letters: list[tuple[int, int, str]], stray: tuple[int, int, str] | None) -> Image.Image:
    """A 1300 x 960 plate of bar charts, each under its letter (x, y) set 20 px tall (2.1% of the plate's height),
    and a `stray` glyph read as a letter where a blot's label "β-actin" would stand."""
    sheet = Image.new("RGB", (1300, 960), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=30)
    rng = np.random.default_rng(3)
    for x, y, letter in letters:
        draw.text((x, y), letter, fill="black", font=font)
        x0, y0 = x + 60, y + 50
        draw.line((x0, y0, x0, y0 + 360), fill="black", width=3)
        draw.line((x0, y0 + 360, x0 + 480, y0 + 360), fill="black", width=3)
        for i in range(6):
            top = y0 + 360 - int(rng.integers(80, 340))
            draw.rectangle((x0 + 20 + i * 75, top, x0 + 70 + i * 75, y0 + 360), fill=(120, 120, 120), outline="black")
    if stray:
        draw.text(stray[:2], stray[2], fill="black", font=font)
    return sheet


def test_letters_of_a_plate_as_wide_as_the_page_are_read_and_a_stray_reading_out_of_line_is_passed_over():
    """Held-out 40 Toxins 2019 Figures 1 and 2 (bar charts A-E and A-C across the page, 1315 x 789 and 1303 x 962 px):
    the letters stand 19-23 px tall, 2.3-2.5% of the shorter side, under the 2.5% floor, so none was read (0 panels,
    truth 5 and 3); and a blot's "β" of "β-actin" reads as "B" (78-86), so B was read twice. Here the letters are
    2.1% of the height and a stray "B" stands in the third chart, in line with no letter read before it."""
    require_tesseract()
    plate = _bar_chart_plate([(30, 10, "A"), (670, 10, "B"), (30, 490, "C")], (840, 700, "B"))
    parts = lettered_in_pixels(plate, Box(0, 0, 650, 480), 3)
    assert sorted(letter for _, letter in parts) == ["A", "B", "C"]
    assert next(box for box, letter in parts if letter == "B").x0 > 300  # the chart right of A, not the stray
    in_line = _bar_chart_plate([(30, 10, "A"), (670, 10, "B"), (30, 490, "C")], (840, 20, "B"))
    assert lettered_in_pixels(in_line, Box(0, 0, 650, 480), 3) == []  # B read twice in A's row: which is B's?


def test_a_cut_giving_a_letter_a_sliver_of_the_plate_cuts_nothing():
    """Toxins 2019 Figure 1 (p. 3, 1315 x 789 px): charts A, B over C, D, E, the rows not lined up, so the cut at the
    white columns beside the charts' axes gave "A" a 50 x 723 px sliver (3.5% of the plate, under a third of the fifth
    an even split gives) and "C" 102 x 288 (2.8%): no panels, rather than slivers."""
    slivers = [
        ((6, 423, 108, 711), "C"),
        ((116, 5, 166, 728), "A"),
        ((173, 42, 736, 780), "D"),
        ((755, 5, 1178, 388), "B"),
        ((739, 480, 1310, 784), "E"),
    ]
    assert not _panel_sized(slivers, (789, 1315), 5)
    charts = [((9, 7, 612, 536), "A"), ((671, 7, 1296, 426), "B"), ((351, 543, 905, 952), None)]  # its Figure 2
    assert _panel_sized(charts, (962, 1303), 3)


def _titled_chart(
    sheet: Image.Image, letter: tuple[int, int, str], axis_x: int, width: int, rng: np.random.Generator
) -> None:
    """A bar chart on `sheet` under its `letter` (x, y, letter), its y axis at `axis_x`: a turned axis title 90 px and
    tick labels 45 px left of the axis, bars `width` px along it."""
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=30)
    x, y, name = letter
    draw.text((x, y), name, fill="black", font=font)
    top, bottom = y + 60, y + 400
    title = Image.new("RGB", (300, 30), "white")
    ImageDraw.Draw(title).text((0, 0), "mRNA (fold)", fill="black", font=ImageFont.load_default(size=24))
    sheet.paste(title.rotate(90, expand=True), (axis_x - 90, top + 20))
    for i, tick in enumerate(("30", "20", "10", "0")):
        draw.text((axis_x - 45, top + i * 110), tick, fill="black", font=ImageFont.load_default(size=20))
    draw.line((axis_x, top, axis_x, bottom), fill="black", width=3)
    draw.line((axis_x, bottom, axis_x + width, bottom), fill="black", width=3)
    for i in range(width // 75):
        bar = int(rng.integers(60, 320))
        draw.rectangle((axis_x + 20 + i * 75, bottom - bar, axis_x + 65 + i * 75, bottom), fill=(120, 120, 120))


def test_charts_in_rows_not_lined_up_get_the_letter_at_their_corner():
    """Toxins 2019 Figure 1 (p. 3): charts A, B over C, D, E in one raster, the rows not lined up. The white column
    between C's tick labels and its axis runs on up beside A's letter, so the cut at gutter lines gave C and A slivers
    (`test_a_cut_giving_a_letter_a_sliver_of_the_plate_cuts_nothing`): no panels, truth 5. The blank lines round
    each chart part them, rows then columns, and each part's nearest letter at its upper left corner is its own. Here
    the same white column runs down between C's ticks and its axis and past A's letter."""
    require_tesseract()
    rng = np.random.default_rng(4)
    plate = Image.new("RGB", (1300, 960), "white")
    for letter, axis_x, width in (
        ((140, 10, "A"), 290, 380),
        ((720, 10, "B"), 870, 380),
        ((10, 500, "C"), 160, 260),
        ((460, 500, "D"), 610, 230),
        ((900, 500, "E"), 1050, 230),
    ):
        _titled_chart(plate, letter, axis_x, width, rng)
    grey = _grey(plate, GUTTER_SEARCH_PX)
    assert (grey[:, 100:114] == 255).all()  # white from top to bottom, between C's tick labels and A's letter
    parts = dict((letter, box) for box, letter in lettered_in_pixels(plate, Box(0, 0, 650, 480), 5))
    assert list(parts) == ["A", "B", "C", "D", "E"]  # main: A, D, B, E, A's part holding C's chart
    assert parts["A"].x1 < parts["B"].x0 and parts["C"].x1 < parts["D"].x0 < parts["D"].x1 < parts["E"].x0
    assert max(parts[top].bottom for top in "AB") < min(parts[low].top for low in "CDE")
    assert parts["C"].x0 < 50 and parts["A"].x0 > 50  # each from its own chart's left edge


def _wound_plate(gel: bool) -> tuple[FigureRegion, Image.Image]:
    """Held-out 40 ijms2018 deoxyshikonin Figure 5 (p. 7), two pixels a point: raster "(A)", 3 rows of 5 wound
    photographs 12 px apart on white, over raster "(B)", a photograph as wide. With `gel`, "(A)" is one picture whose
    middle is a pale stretch of one tone (a gel between its lanes) instead of white gutters."""
    rng = np.random.default_rng(5)
    sheet = Image.new("RGB", (600, 560), "white")
    if gel:
        sheet.paste(images.skin_photo(rng, 600, 330), (0, 0))
        for x in (110, 232, 354, 476):
            sheet.paste((230, 230, 230), (x, 0, x + 14, 330))
    else:
        for row in range(3):
            for column in range(5):
                sheet.paste(images.skin_photo(rng, 108, 102), (column * 123, row * 114))
    sheet.paste(images.skin_photo(rng, 600, 200), (0, 360))
    top, bottom = Box(0, 0, 300, 165), Box(0, 180, 300, 280)
    caption = "Figure 5. Wound closure. (A) Wounds at 0 to 8 days. (B) Closure rates."
    line = TextLine(caption, Box(0, 290, 300, 302), 9.0, 0)
    region = FigureRegion(
        Caption("Figure", "Figure", "5", [line], line.box, caption, 2.0, len("Figure 5.")),
        Box(0, 0, 300, 280),
        [Graphic("image", top, None), Graphic("image", bottom, None)],
        [],
    )
    return region, sheet


def test_a_letter_naming_a_grid_of_photographs_in_one_raster_gives_each_photograph_its_letter():
    """The two rasters were the panels, one a letter (2, truth 16: the truth counts each photograph). Each letter's
    raster is cut at its white gutters where they part it into pictures alike in size: 15 photographs of "(A)" and
    the photograph "(B)", each with its letter."""
    region, sheet = _wound_plate(gel=False)
    panels = find_panels(region, sheet, caption_letters=2)
    assign_letters(panels, region, {"a": "Wounds at 0 to 8 days.", "b": "Closure rates."})
    assert len(panels) == 16
    assert [panel.letter for panel in panels] == ["A"] * 15 + ["B"]


def test_a_pale_stretch_of_one_picture_is_no_gutter_between_pictures_of_one_letter():
    """Held-out 3 RSOS panda milk Figure 3b (a gel, its pale lanes at grey ~230 read as blank lines of one tone) was
    cut in two: a letter's raster is cut only where the gutters between its parts are paper or ink."""
    region, sheet = _wound_plate(gel=True)
    assert len(find_panels(region, sheet, caption_letters=2)) == 2


def _tube_part() -> Image.Image:
    """Held-out 40 ijms2018 deoxyshikonin Figure 1's part "(B)" (p. 3), two pixels a point: its letter printed at the
    top left beside one photograph centred over a row of two, each photograph over its label."""
    rng = np.random.default_rng(7)
    part = Image.new("RGB", (600, 460), "white")
    draw = ImageDraw.Draw(part)
    font = ImageFont.load_default(size=30)
    draw.text((4, 4), "(B)", fill="black", font=font)
    part.paste(images.skin_photo(rng, 250, 170), (190, 10))
    draw.text((270, 190), "Control", fill="black", font=font)
    for x, label in ((40, "12.5 ug/mL"), (320, "25 ug/mL")):
        part.paste(images.skin_photo(rng, 250, 170), (x, 250))
        draw.text((x + 40, 430), label, fill="black", font=font)
    return part


def test_a_letter_printed_beside_one_of_its_photographs_leaves_that_photograph_a_part():
    """The letter and the photograph beside it were one row of the letter's part, kept whole as the letter is too
    small to be a part of its own, so the row was not alike in size with the two photographs under it and "(B)"
    stayed one panel (4 panels, truth 6). A row kept whole where a letter or a label is all that stands beside its
    one photograph is that photograph."""
    part = _tube_part()
    parts = split_on_paper(_grey(part, GUTTER_SEARCH_PX), Box(0, 0, 300, 230))
    spans = [(box.x0, box.x1) for box in parts]
    assert spans == [pytest.approx((95, 220), abs=1), pytest.approx((20, 145), abs=1), pytest.approx((160, 285), abs=1)]


def _strips_of_charts_and_photographs() -> tuple[FigureRegion, Image.Image]:
    """Held-out 40 ijms2018 deoxyshikonin Figure 2 (p. 4), two pixels a point: a row of three bar charts over a row
    of photographs beside a chart, stored as three strips of one width; the first strip's lower edge runs across the
    charts' bars, the second's across the white band between the rows."""
    rng = np.random.default_rng(11)
    picture = Image.new("RGB", (600, 900), "white")
    draw = ImageDraw.Draw(picture)
    for left in (20, 220, 420):
        draw.line([(left + 20, 40), (left + 20, 420), (left + 180, 420)], fill="black", width=3)
        for bar, height in enumerate((300, 320, 250, 180, 90)):
            x = left + 35 + 28 * bar
            draw.rectangle([x, 420 - height, x + 16, 420], fill="black")
    picture.paste(images.skin_photo(rng, 180, 150), (30, 520))
    picture.paste(images.skin_photo(rng, 180, 150), (230, 520))
    draw.line([(440, 500), (440, 860), (590, 860)], fill="black", width=3)
    draw.rectangle([480, 600, 520, 860], fill="black")
    figure = Box(0, 0, 300, 450)
    strips = [Box(0, 0, 300, 115), Box(0, 115, 300, 230), Box(0, 230, 300, 450)]
    caption = "Figure 2. Proliferation. (A) Cell viability. (B) Shikonin. (C) Tube formation."
    line = TextLine(caption, Box(0, 460, 300, 472), 9.0, 0)
    region = FigureRegion(
        Caption("Figure", "Figure", "2", [line], line.box, caption, 2.0, len("Figure 2.")),
        figure,
        [Graphic("image", strip, None) for strip in strips],
        [],
    )
    return region, picture


def test_strips_of_one_picture_are_not_its_lettered_parts():
    """The three strips, as many as the caption's letters and alike in size, were taken for its lettered parts: the
    first cut the row of charts across its bars. Images whose pixels run on across the edge they share are strips of
    one picture, no parts."""
    region, picture = _strips_of_charts_and_photographs()
    parts = lettered_parts(region, picture, 3)
    assert not any(abs(part.top - 115) < 2 or abs(part.bottom - 115) < 2 for part in parts)
    apart = [Box(0, 0, 95, 220), Box(100, 0, 195, 220), Box(205, 0, 300, 220)]  # a gap between each two
    separate = FigureRegion(region.caption, region.box, [Graphic("image", box, None) for box in apart], [])
    assert lettered_parts(separate, picture, 3) == apart

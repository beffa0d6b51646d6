"""Textbook-style sample books (`make-sample --style handbook|ebook|atlas`; the atlas is laid out in `atlas`):
the layouts real textbooks use that the default sample book does not, each with exact ground truth.

- handbook (print replica, one text column): captions set as a bold title line ("Fig. 5.1 Nail pitting")
  over a description that starts back at the left margin; rows of two figures side by side, each with its
  own caption under it; a coloured thumb tab in the outer margin of every page; a lettered set of five
  separate photographs (a-e) a hair apart; a case-report figure whose sub-caption letters follow their text
  ("rash on the forearm (A), legs (B) and chest (C)"); six separate line drawings in one picture; a table
  printed as a picture under a "Table" caption; photographs beside a line drawing of the same lesion in one
  picture (lettered a-b, and unlettered); a lettered set of four separate photographs placed edge to edge.
- ebook (reflowed, one column): a picture sliced by the page break (its top at the foot of one page, the
  rest and its caption at the head of the next); a caption that runs on to the next page; a whole picture
  at the foot of a page whose caption opens the next page, over a bulleted list (bullets drawn as discs);
  a caption whose bold title line alone ends a page, its description opening the next; the whole text layer
  (body and captions) set with words 0.1 em apart and no space glyphs, as reflowed e-books' text layers often are.

Ground-truth rules beyond the default book's: a figure sliced by a page break is one figure, on the page of
its caption, boxed as printed there (the slice on the page before is not a figure); a caption continued on
the next page is annotated in full on the figure's page, caption_bbox covering its part on that page; a whole
picture whose caption is printed on the next page is a figure of its own page, with that caption
(caption_bbox null: it is on another page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.sample import images
from mmskin_build.sample.atlas import ATLAS_NOTES, ATLAS_PICTURES, atlas, drawn_pictures
from mmskin_build.sample.book_styles import BookStyle
from mmskin_build.sample.figures import Label, Panel, Raster, caption_text, raster_figure, side_by_side
from mmskin_build.sample.groundtruth import GroundTruth
from mmskin_build.sample.layout import (
    BODY,
    CAPTION_GAP,
    FULL_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TIGHT_CAPTION,
    Book,
    Float,
    Page,
    Placement,
    Style,
    TextBlock,
    wrap,
)
from mmskin_build.sample.pictures import Picture, counted
from mmskin_build.sample.textbook import _ground_truth, _open_book, _photo, _reader, separate_panels

STYLES = tuple(style.value for style in BookStyle)
EBOOK_FIGURES = 5
PICTURES_NEEDED = {"ebook": EBOOK_FIGURES, "atlas": ATLAS_PICTURES}  # the styles that lay out a folder's pictures
TAB_WIDTH, TAB_HEIGHT, TAB_INSET = 40.0, 90.0, 10.0  # thumb tab: from this far outside the text to the page edge
TAB_COLOUR = colors.HexColor("#2f6f9f")
LEGEND_SPACE = 24.0  # white space between a figure's pictures and its legend strip
LEGEND_COLOURS = [colors.HexColor(c) for c in ("#b03a2e", "#2874a6", "#239b56", "#b7950b")]
ROW_GAP = 16.0

HANDBOOK_NOTES = (
    "Generated print-replica handbook (one text column). Captions are a bold title line over a description. "
    "Thumb tabs (blue rectangles in the outer margin) and the header logos are not figures. Fig. 5.4 is five "
    "separate photographs 1.5 pt apart (a-e, letters in the text layer); Fig. 5.5's sub-caption letters follow "
    "their text; Fig. 5.6 is one picture of six separate drawings (panels = 6); Table 5.1 is a table printed "
    "as a picture (a Table, not a figure). Figs. 5.10 and 5.11 are each one picture of a photograph beside a "
    "line drawing of the same lesion (panels = 2; 5.10 lettered a-b in the pixels). Fig. 5.12 is four separate "
    "photographs placed edge to edge (no gutter; a-d in the text layer)."
)
EBOOK_NOTES = (
    "Generated reflowed e-book (one text column). Figure 5.1's picture is sliced by the page break: its top "
    "sits at the foot of page 2 (not a figure), the rest and the caption on page 3 (the figure, boxed as printed "
    "there). Figure 5.2's caption runs on to the top of page 4; caption_text is the whole caption, caption_bbox "
    "its part on page 3. Figure 5.4's picture ends page 5; its caption opens page 6 above a bulleted list (not a "
    "figure): the figure is on page 5 with that caption (caption_bbox null). Figure 5.5's caption title line "
    "alone ends page 6, its description opens page 7; caption_text is title and description, caption_bbox the "
    "title. All text (body and captions) is set without space glyphs (words {gap:g} em apart)."
)


def build_styled(
    path: Path,
    style: str,
    *,
    seed: int = 0,
    on_page: Callable[[int], None] | None = None,
    pictures: list[Picture] | None = None,
    word_gap: float | None = None,
) -> GroundTruth:
    """Write the sample book of `style` (one of STYLES but "textbook", which is `build_textbook`); `pictures`
    (ebook or atlas, at least PICTURES_NEEDED[style]: `load_pictures`) replace its drawn pictures and captions. The
    e-book's words are `word_gap` font sizes apart without space glyphs (TIGHT_CAPTION's 0.1 unless given; 0: the
    glyphs of neighbouring words touch, and only a dictionary can tell where a word ends)."""
    if pictures is not None and len(pictures) < PICTURES_NEEDED.get(style, len(pictures) + 1):
        raise ValueError(
            f"pictures are laid out in the ebook ({EBOOK_FIGURES} or more) and atlas "
            f"({ATLAS_PICTURES} or more) styles only"
        )
    rng = np.random.default_rng(seed)
    book = _open_book(rng, on_page)
    if style == "ebook":
        caption_style = TIGHT_CAPTION if word_gap is None else replace(TIGHT_CAPTION, word_gap=word_gap)
        book.flow.word_gap = caption_style.word_gap  # the whole text layer without space glyphs
        _ebook(book, pictures or _drawn_pictures(rng), caption_style)
        notes = EBOOK_NOTES.format(gap=caption_style.word_gap)
    elif style == "atlas":
        atlas(book, pictures or drawn_pictures(rng))
        notes = ATLAS_NOTES
    else:
        _handbook(book, rng)
        notes = HANDBOOK_NOTES
    if pictures is not None:
        notes = f"{notes} Pictures and captions: {pictures[0].source}."
    book.save(Path(path))
    return _ground_truth(book, Path(path), notes)


# ------------------------------------------------------------------------------------------- handbook


def _thumb_tabs(book: Book, chapter: int) -> None:
    """Add a chapter thumb tab to the page furniture: a filled rectangle running off the outer page edge."""
    running = book.furniture
    top = 80.0 + 100.0 * (chapter % 6)  # tabs step down the page chapter by chapter

    def draw(canvas: Canvas, number: int, header: str | None) -> None:
        running(canvas, number, header)
        canvas.setFillColor(TAB_COLOUR)
        x0 = PAGE_WIDTH - MARGIN + TAB_INSET if number % 2 else 0.0
        canvas.rect(x0, PAGE_HEIGHT - top - TAB_HEIGHT, MARGIN - TAB_INSET, TAB_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.black)

    book.furniture = draw


def _titled(label: Label, title: str, description: str, picture: Image.Image, width: float, **options) -> Float:
    return _photo(picture, width, label=label, title=title, caption=description, **options)


def line_drawings(rng: np.random.Generator, count: int = 6, columns: int = 3, cell: int = 300) -> Image.Image:
    """`count` separate line drawings (outlines of lesions) on white, on a grid with wide white gutters."""
    gutter = cell // 5
    rows = -(-count // columns)
    sheet = Image.new("RGB", (columns * cell + (columns - 1) * gutter, rows * cell + (rows - 1) * gutter), "white")
    draw = ImageDraw.Draw(sheet)
    for i in range(count):
        x0, y0 = (i % columns) * (cell + gutter), (i // columns) * (cell + gutter)
        sides = 3 + i
        radius = cell * 0.42
        angles = np.linspace(0, 2 * np.pi, sides, endpoint=False) + rng.uniform(0, np.pi)
        points = [(x0 + cell / 2 + radius * np.cos(a), y0 + cell / 2 + radius * np.sin(a)) for a in angles]
        draw.polygon(points, outline="black", width=4)
        inner = cell * rng.uniform(0.08, 0.2)
        draw.ellipse(
            [x0 + cell / 2 - inner, y0 + cell / 2 - inner, x0 + cell / 2 + inner, y0 + cell / 2 + inner],
            outline="black",
            width=3,
        )
        draw.rectangle([x0, y0, x0 + cell - 1, y0 + cell - 1], outline="black", width=2)  # each drawing's frame
    return sheet


def table_picture(rows: list[list[str]], width: int = 1200) -> Image.Image:
    """A ruled table drawn into pixels, as scanned or typeset-as-image tables are."""
    row_h, font = 48, ImageFont.load_default(size=26)
    image = Image.new("RGB", (width, row_h * len(rows) + 8), "white")
    draw = ImageDraw.Draw(image)
    column_w = width // len(rows[0])
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            draw.text((c * column_w + 10, r * row_h + 12), cell, fill="black", font=font)
    for y in (2, row_h, row_h * len(rows) + 4):
        draw.line([(0, y), (width, y)], fill="black", width=3)
    return image


def _handbook(book: Book, rng: np.random.Generator) -> None:
    chapter = 5
    _thumb_tabs(book, chapter)
    header = f"{chapter} \u00b7 Infestations and rashes"
    f = [Label("Fig.", f"{chapter}.{i}") for i in range(1, 13)]
    half = (FULL_WIDTH - ROW_GAP) / 2
    pitting = _titled(
        f[0],
        "Nail pitting",
        "Fine, regular pits in the nail plate of a 41-year-old man with psoriasis.",
        images.skin_photo(rng, 480, 360, tone=1),
        half,
    )
    onycholysis = _titled(
        f[1],
        "Onycholysis",
        "Distal separation of the nail plate from its bed in the same patient, with a "
        "yellow-brown margin. Courtesy of Dr P. Novak.",
        images.skin_photo(rng, 480, 360, tone=2),
        half,
    )
    scabies = _titled(
        f[2],
        "Scabies",
        "Scattered fine papules and excoriations on the wrists and finger webs of a 30-year-old "
        "man; burrows are seen as short grey lines. The face is spared, as is usual in adults.",
        images.skin_photo(rng, 640, 400, tone=3),
        FULL_WIDTH * 0.8,
    )
    sites = ["the elbow", "the knee", "the scalp margin", "the umbilicus", "the natal cleft"]
    rasters, panels, height = separate_panels(
        [images.skin_photo(rng, 320, 240, tone=t % 5) for t in range(5)],
        3,
        1.5,
        FULL_WIDTH * 0.8,
        "abcde",
        [f"Plaques on {s}." for s in sites],
    )
    lettered = raster_figure(
        rasters,
        FULL_WIDTH * 0.8,
        height,
        label=f[3],
        title="Psoriasis at typical sites",
        caption=" ".join(f"({p.letter}) {p.subcaption}" for p in panels),
        panels=panels,
        text_letters=True,
    )
    followed = ["Dengue rash on the forearm", "legs", "chest"]
    rasters, panels, height = separate_panels(
        [images.skin_photo(rng, 320, 320, tone=1) for _ in range(3)], 3, 8.0, FULL_WIDTH, "", followed
    )
    panels = [Panel(p.box, letter, p.subcaption, p.modality) for p, letter in zip(panels, "ABC", strict=True)]
    case = raster_figure(
        rasters,
        FULL_WIDTH,
        height,
        label=f[4],
        panels=panels,
        caption="Dengue rash on the forearm (A), legs (B), and chest (C) of a 24-year-old returning traveller.",
    )
    sheet = line_drawings(rng)
    drawings = _photo(
        sheet,
        FULL_WIDTH * 0.75,
        label=f[5],
        title="Primary lesions",
        caption="Outlines of six primary lesions, from macule to plaque, drawn to scale.",
        kind="other",
        modality="other",
        panels=[Panel(box, None, None, "other") for box in _grid_boxes(sheet.size, 6, 3, 300)],
    )
    table = _photo(
        table_picture(
            [
                ["Agent", "Dose", "Repeat"],
                ["Permethrin 5%", "Whole body", "Day 7"],
                ["Ivermectin", "200 ug/kg", "Day 14"],
                ["Benzyl benzoate", "25%", "Day 2"],
            ]
        ),
        FULL_WIDTH * 0.7,
        label=Label("Table", f"{chapter}.1"),
        title="Treatment of scabies",
        caption="Topical and oral agents, with the day of the repeat dose.",
        caption_at="above",
        kind="other",
        figure_type="Table",
    )
    micrograph = _titled(
        f[6],
        "Scabies mite",
        "Skin scraping: an adult mite with eggs (KOH, \u00d7100).",
        images.histology(rng, 480, 360),
        half,
        kind="micrograph",
        modality="pathology",
    )
    burrow = _titled(
        f[7],
        "Burrow",
        "Dermoscopy: the delta-wing sign at the end of a burrow.",
        images.dermoscopy(rng, 480, 360),
        half,
        modality="dermoscopy",
    )
    stains = _legend_figure(
        [images.histology(rng, 480, 360) for _ in range(3)],
        FULL_WIDTH,
        f[8],
        "Stains",
        "The same biopsy under three stains; the key gives the structure each colour marks.",
        ["Keratin", "Nuclei", "Collagen", "Fungal wall"],
    )
    lettered_pair = _photo_and_drawing(
        rng,
        FULL_WIDTH * 0.8,
        f[9],
        "Nodular melanoma",
        "(a) A dome-shaped blue-black nodule on the calf. "
        "(b) The same nodule drawn: the smooth border and the satellite lesion.",
        "ab",
    )
    plain_pair = _photo_and_drawing(
        rng,
        FULL_WIDTH * 0.8,
        f[10],
        "Keratoacanthoma",
        "A crateriform nodule with a central keratin plug on the forearm, photographed and drawn.",
        None,
    )
    touching = _touching_set(rng, FULL_WIDTH * 0.8, f[11])
    pages: list[list[Placement]] = [
        [(side_by_side([pitting, onycholysis], ROW_GAP), "both", "top")],
        [(scabies, "both", "top"), (lettered, "both", "bottom")],
        [(case, "both", "top"), (drawings, "both", "bottom")],
        [(table, "both", "top"), (side_by_side([micrograph, burrow], ROW_GAP), "both", "bottom")],
        [(stains, "both", "top")],
        [(lettered_pair, "both", "top"), (plain_pair, "both", "bottom")],
        [(touching, "both", "top")],
    ]
    for floats in pages:
        book.page(header, floats, {}, columns=1)


def _composite_figure(
    sheet: Image.Image,
    boxes: list[tuple[int, int, int, int]],
    letters: str | None,
    modalities: list[str],
    width: float,
    label: Label,
    title: str,
    description: str,
) -> Float:
    """One picture of several panels (pixel `boxes`), its letters (if any) burned into the pixels."""
    w, h = sheet.size
    panels = [
        Panel((x0 / w, y0 / h, x1 / w, y1 / h), letter, None, modality)
        for (x0, y0, x1, y1), letter, modality in zip(boxes, letters or [None] * len(boxes), modalities, strict=True)
    ]
    return _photo(sheet, width, label=label, title=title, caption=description, panels=panels)


def _photo_and_drawing(
    rng: np.random.Generator, width: float, label: Label, title: str, description: str, letters: str | None
) -> Float:
    """A photograph of a lesion beside a line drawing of it, in one picture (a white gutter between them)."""
    sheet, boxes = images.composite(
        [images.skin_photo(rng, 480, 360, tone=2), images.lesion_drawing(rng, 480, 360)],
        2,
        list(letters) if letters else None,
        gutter=16,
    )
    return _composite_figure(sheet, boxes, letters, ["clinical", "other"], width, label, title, description)


def _touching_set(rng: np.random.Generator, width: float, label: Label) -> Float:
    """Four separate photographs placed edge to edge (no gutter, as e-books tile a lettered set), lettered a-d
    in the text layer."""
    subcaptions = [
        "An annular plaque with a scaly edge.",
        "Central clearing.",
        "Several rings on the trunk.",
        "After two weeks of topical terbinafine.",
    ]
    rasters, panels, height = separate_panels(
        [images.skin_photo(rng, 360, 270, tone=t) for t in (0, 1, 1, 2)], 2, 0.0, width, "abcd", subcaptions
    )
    return raster_figure(
        rasters,
        width,
        height,
        label=label,
        title="Tinea corporis",
        panels=panels,
        text_letters=True,
        caption=" ".join(f"({p.letter}) {p.subcaption}" for p in panels),
    )


def _legend_figure(
    pictures: list[Image.Image], width: float, label: Label, title: str, description: str, legend: list[str]
) -> Float:
    """A row of pictures, then white space, then a legend strip (coloured keys and their names, page text)
    right above the caption: the strip is the ink nearest the caption, the pictures are the figure."""
    gap, strip, key = 8.0, 14.0, 12.0
    cell_w = (width - gap * (len(pictures) - 1)) / len(pictures)
    cell_h = cell_w * pictures[0].height / pictures[0].width
    height = cell_h + LEGEND_SPACE + strip
    panels = [
        Panel(
            ((cell_w + gap) * i / width, 0.0, ((cell_w + gap) * i + cell_w) / width, cell_h / height),
            None,
            None,
            "pathology",
        )
        for i in range(len(pictures))
    ]
    rasters = [Raster(_reader(picture), panel.box) for picture, panel in zip(pictures, panels, strict=True)]
    body = raster_figure(
        rasters,
        width,
        height,
        label=label,
        title=title,
        caption=description,
        panels=panels,
        kind="micrograph",
        modality="pathology",
    )

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        truths = body.draw(canvas, x, top)
        baseline = top - height + 1.0  # just above the strip's bottom (reportlab y)
        step = width / len(legend)
        for i, (name, colour) in enumerate(zip(legend, LEGEND_COLOURS, strict=False)):
            canvas.setFillColor(colour)
            canvas.rect(x + i * step, baseline, key, key, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.setFont("Helvetica", 7)
            canvas.drawString(x + i * step + key + 3, baseline + 1, name)
        return truths

    return Float(body.width, body.height, draw)


def _grid_boxes(size: tuple[int, int], count: int, columns: int, cell: int) -> list[tuple[float, ...]]:
    """Fractional boxes of `line_drawings`' cells (same grid arithmetic)."""
    width, height = size
    gutter = cell // 5
    return [
        (
            (i % columns) * (cell + gutter) / width,
            (i // columns) * (cell + gutter) / height,
            ((i % columns) * (cell + gutter) + cell) / width,
            ((i // columns) * (cell + gutter) + cell) / height,
        )
        for i in range(count)
    ]


# ---------------------------------------------------------------------------------------------- ebook


def _drawn_pictures(rng: np.random.Generator) -> list[Picture]:
    return [
        Picture(
            images.skin_photo(rng, 800, 600, tone=2),
            "Measles",
            "Confluent maculopapular exanthem spreading "
            "from the face to the trunk on the fourth day of fever in a 7-year-old girl.",
        ),
        Picture(
            images.skin_photo(rng, 640, 400, tone=1),
            "Hand, foot and mouth disease",
            "Oval grey vesicles with a red halo on the palm and fingers of a 3-year-old boy. The vesicles are "
            "elongated along the skin lines, which tells them from varicella; the oral lesions (not shown) are "
            "shallow ulcers on the tongue and buccal mucosa. The child recovered within ten days without "
            "treatment, and his younger sister developed the same eruption a week later.",
        ),
        Picture(
            images.skin_photo(rng, 640, 420, tone=0),
            "Roseola",
            "Blanching rose-pink macules on the trunk as the fever breaks.",
        ),
        Picture(
            images.skin_photo(rng, 800, 560, tone=1),
            "Chickenpox",
            "Vesicles on a red base, papules and crusts side by side on the back of a 5-year-old girl.",
        ),
        Picture(
            images.skin_photo(rng, 800, 520, tone=2),
            "Scabies",
            "Scattered fine papules and excoriations on the wrists and finger webs of a young man; burrows show "
            "as short grey lines.",
        ),
    ]


def _fitted(picture: Image.Image, width: float, max_height: float) -> float:
    """`width`, narrowed so that the picture is no taller than `max_height` (a page slot holds that much)."""
    return min(width, max_height * picture.width / picture.height)


def _slice(picture: Image.Image, top: float, bottom: float) -> Image.Image:
    return picture.crop((0, round(top * picture.height), picture.width, round(bottom * picture.height)))


def _no_truth(item: Float) -> Float:
    """A float drawn as usual whose ground truth is dropped (a slice that is not a figure on its page)."""

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        item.draw(canvas, x, top)
        return []

    return Float(item.width, item.height, draw)


def _caption_split(
    label: Label, title: str, description: str, picture: Image.Image, width: float, head: int, style: Style
):
    """A figure whose caption's first `head` lines sit under it and the rest on the next page.

    Returns (the float with the figure and the caption's head, the float with the caption's tail).
    """
    height = width * picture.height / picture.width
    block = TextBlock.caption(str(label), description, width, title, style)
    head = min(head, max(1, len(block.lines) - 1))  # a short caption keeps its first line(s) under the picture
    first, rest = TextBlock(block.lines[:head], block.style, width), TextBlock(block.lines[head:], block.style, width)
    figure = raster_figure([Raster(_reader(picture))], width, height, label=label)  # the picture alone

    def draw_head(canvas: Canvas, x: float, top: float) -> list[dict]:
        (truth,) = figure.draw(canvas, x, top)
        caption_rect = first.draw(canvas, x, top - height - CAPTION_GAP)
        return [
            {**truth, "caption_text": caption_text(label, description, title), "caption_bbox": Page.box(caption_rect)}
        ]

    def draw_tail(canvas: Canvas, x: float, top: float) -> list[dict]:
        if rest.lines:
            rest.draw(canvas, x, top)
        return []

    return Float(width, height + CAPTION_GAP + first.height, draw_head), Float(width, rest.height, draw_tail)


def _caption_overleaf(label: Label, title: str, description: str, picture: Image.Image, width: float, style: Style):
    """A whole picture at the foot of one page whose caption opens the next page.

    Returns (the float with the picture, whose truth carries the caption; the float with the caption).
    """
    height = width * picture.height / picture.width
    block = TextBlock.caption(str(label), description, width, title, style)
    figure = raster_figure([Raster(_reader(picture))], width, height, label=label)

    def draw_picture(canvas: Canvas, x: float, top: float) -> list[dict]:
        (truth,) = figure.draw(canvas, x, top)
        return [{**truth, "caption_text": caption_text(label, description, title), "caption_bbox": None}]

    def draw_caption(canvas: Canvas, x: float, top: float) -> list[dict]:
        block.draw(canvas, x, top)
        return []

    return Float(width, height, draw_picture), Float(width, block.height, draw_caption)


def bulleted_list(items: list[str], width: float) -> Float:
    """A bulleted list in body type, each bullet a small filled disc (a drawing, as e-book converters set
    list markers); the text hangs 12 pt in. Not a figure."""
    indent, radius = 12.0, 1.8
    blocks = [
        TextBlock(wrap([(w, BODY.font) for w in item.split()], width - indent, BODY.size), BODY, width)
        for item in items
    ]
    height = sum(block.height for block in blocks) + 3.0 * (len(blocks) - 1)

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        for block in blocks:
            canvas.circle(x + 4.0, top - 0.65 * BODY.size, radius, stroke=0, fill=1)
            block.draw(canvas, x + indent, top)
            top -= block.height + 3.0
        return []

    return Float(width, height, draw)


def _ebook(book: Book, pictures: list[Picture], caption_style: Style) -> None:
    chapter = 5
    header = f"Chapter {chapter} \u00b7 Viral exanthems"
    f1, f2, f3, f4, f5 = (Label("Figure", f"{chapter}.{i}") for i in range(1, EBOOK_FIGURES + 1))
    sliced, continued, short, overleaf_picture, titled = pictures[:EBOOK_FIGURES]
    # Each picture's page slot holds a drawn picture's height; a taller one from a folder is set narrower.
    width = _fitted(sliced.image, FULL_WIDTH * 0.9, 341.0)
    rash = sliced.image
    cut = 0.3  # share of the picture printed at the foot of the page before
    full_height = width * rash.height / rash.width
    sliver = _no_truth(raster_figure([Raster(_reader(_slice(rash, 0, cut)))], width, full_height * cut))
    rest = raster_figure(
        [Raster(_reader(_slice(rash, cut, 1)))],
        width,
        full_height * (1 - cut),
        label=f1,
        title=sliced.title,
        caption=sliced.description,
        caption_style=caption_style,
    )
    head, tail = _caption_split(
        f2,
        continued.title,
        continued.description,
        continued.image,
        _fitted(continued.image, FULL_WIDTH * 0.9, 284.0),
        head=3,
        style=caption_style,
    )
    roseola = _photo(
        short.image,
        _fitted(short.image, FULL_WIDTH * 0.72, 239.0),
        label=f3,
        title=short.title,
        caption=short.description,
        caption_style=caption_style,
    )
    picture, overleaf = _caption_overleaf(
        f4,
        overleaf_picture.title,
        overleaf_picture.description,
        overleaf_picture.image,
        _fitted(overleaf_picture.image, FULL_WIDTH * 0.9, 318.0),
        caption_style,
    )
    title_head, description_overleaf = _caption_split(
        f5,
        titled.title,
        titled.description,
        titled.image,
        _fitted(titled.image, FULL_WIDTH * 0.6, 200.0),
        head=1,
        style=caption_style,
    )
    advice = bulleted_list(
        [
            "Fever that returns after the rash",
            "A spreading, red, painful area of skin",
            "Breathing difficulty",
            "Drowsiness or a stiff neck",
            "A newborn or pregnant contact",
        ],
        FULL_WIDTH,
    )
    pages: list[list[Placement]] = [
        [(sliver, "both", "bottom")],
        [(counted(rest, sliced), "both", "top"), (counted(head, continued), "both", "bottom")],
        [(tail, "both", "top"), (counted(roseola, short), "both", "bottom")],
        [(counted(picture, overleaf_picture), "both", "bottom")],
        [(overleaf, "both", "top"), (advice, "both", "top"), (counted(title_head, titled), "both", "bottom")],
        [(description_overleaf, "both", "top")],
    ]
    for floats in pages:
        book.page(header, floats, {}, columns=1)

"""The atlas sample book (`make-sample --style atlas`): the layouts of colour atlases of clinical dermatology,
each with exact ground truth.

- Margin captions: the text block on the inner side of the page, a wide outer margin column beside it holding
  the caption, top-aligned with the picture: the label on a line of its own ("FIGURE 3-1"), a bold title, then
  the description. On a left (even) page the margin is on the left, on a right (odd) page on the right.
- A grid of photographs, three in the first row and two in the second, each with its own short caption under it.
- A plate of four separate photographs lettered A-D in the text layer over one caption, whose description lists
  each letter on a line of its own ("(A) ...", "(B) ...").
- Captions above their pictures, set in a tinted band and in a ruled box.
- Two figures stacked on one page, each with its own caption, no body text between them; and two pictures
  stacked in the text block of a left-hand page, each with its caption in the margin beside it.
- On a right-hand page, a plate of two photographs lettered A-B captioned in the margin, and a picture whose margin
  caption ends level with its foot.
- A portrait and a landscape photograph side by side, top-aligned, each captioned under itself (the captions at
  different heights); a picture across the page with its caption under it, as narrow as the margin column.
- Rows of figures captioned above each picture (the captions of different lengths) and beside each picture.

The pictures are drawn, or come from a folder (`make-sample --style atlas --pictures DIR`), ATLAS_PICTURES of them
in slot order, each cut to its slot's shape (centred); a lettered plate takes its title from its first picture
and each letter's finding from each picture's description.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.sample import images
from mmskin_build.sample.figures import SIDE_CAPTION_GAP, Label, Raster, caption_text, raster_figure, side_by_side
from mmskin_build.sample.layout import CAPTION, FULL_WIDTH, MARGIN, Book, Float, Page, Style, TextBlock
from mmskin_build.sample.pictures import Picture, counted
from mmskin_build.sample.textbook import _photo, _reader, separate_panels

MARGIN_COLUMN = 132.0  # the outer caption column
TEXT_BLOCK = FULL_WIDTH - MARGIN_COLUMN - SIDE_CAPTION_GAP  # the inner text block, as wide as a picture in it
MARGIN_CAPTION = Style("Helvetica", 8.0, 9.8, label_line=True)
GRID_GAP = 12.0  # between the figures of a row
BAND_PAD = 4.0  # the tint or rule around a caption set above its picture (under CAPTION_GAP: clear of the picture)
BAND_TINT = colors.HexColor("#e8eef5")

ATLAS_PICTURES = 29
ATLAS_NOTES = (
    "Generated colour atlas. Pages 2-3: captions in the outer margin column beside their pictures (left on the "
    "even page, right on the odd page), label on its own line, then a bold title and the description; the text "
    "block is on the inner side. Page 4: a grid of five photographs (three, then two), each with its own caption "
    "under it. Page 5: Figure 3.9 is four separate photographs lettered A-D in the text layer (panels = 4), its "
    "caption listing the letters one per line. Page 6: captions above their pictures, in a tinted band (Figure "
    "3.10, the band across the text width) and a ruled box (Figure 3.11); the band and the box are not part of "
    "the figures. Page 7: two figures stacked, each with its caption, no text between them. Page 8 (even): two "
    "pictures stacked in the text block, each captioned in the left margin beside it. Page 9 (odd): FIGURE 3-16 "
    "is two photographs lettered A-B (panels = 2) captioned in the right margin; FIGURE 3-17's margin caption "
    "ends level with the foot of its picture. Page 10 (even): Figures 3.18 (portrait) and 3.19 (landscape) side by "
    "side, top-aligned, each captioned under itself (the captions at different heights); FIGURE 3-20 across the "
    "page, its caption under it as narrow as the margin column. Page 11: Figures 3.21-3.23 in a row, each "
    "captioned above itself (captions of one to three lines, so the pictures start at different heights). Page "
    "12: Figures 3.24 and 3.25 in a row, each captioned beside itself."
)
# Each slot's picture shape (width / height), in the order the pictures are laid out.
_MARGIN_SHAPES, _GRID_SHAPE, _PLATE_SHAPE = (1.5, 720 / 440, 720 / 440), 4 / 3, 4 / 3
_BAND_SHAPES, _STACKED_SHAPE, _PAIR_SHAPE, _SQUARE, _FOOT_SHAPE = (1.6, 4 / 3), 600 / 360, 720 / 420, 1.0, 1.8
_UNEQUAL_SHAPES, _WIDE_SHAPE, _ROW_SHAPE = (3 / 4, 400 / 260), 900 / 400, 4 / 3


def _shaped(picture: Picture, shape: float) -> Picture:
    """`picture` cut to `shape` (width / height) about its centre; a picture already of that shape is kept."""
    image = picture.image
    width, height = image.size
    if abs(width / height - shape) < 0.01:
        return picture
    if width / height > shape:
        keep = round(height * shape)
        box = ((width - keep) // 2, 0, (width - keep) // 2 + keep, height)
    else:
        keep = round(width / shape)
        box = (0, (height - keep) // 2, width, (height - keep) // 2 + keep)
    return Picture(
        image.crop(box),
        picture.title,
        picture.description,
        picture.source,
        picture.panels,
        picture.kind,
        picture.modality,
    )


_DRAWN = Path(__file__).with_name("atlas_pictures.csv")  # the drawn pictures' sizes and captions, in slot order
# What each drawing in the table is drawn as, and its truth's kind and modality.
_DRAWINGS = {
    "photo": (images.skin_photo, "photo", "clinical"),
    "section": (images.histology, "micrograph", "pathology"),
    "dermoscopy": (images.dermoscopy, "photo", "dermoscopy"),
}


def drawn_pictures(rng: np.random.Generator) -> list[Picture]:
    """The atlas' own pictures and captions (`atlas_pictures.csv`), ATLAS_PICTURES in slot order."""
    with open(_DRAWN, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pictures = []
    for row in rows:
        draw, kind, modality = _DRAWINGS[row["drawing"]]
        tone = {"tone": int(row["tone"])} if row["tone"] else {}
        image = draw(rng, int(row["width"]), int(row["height"]), **tone)
        pictures.append(Picture(image, row["title"], row["description"], kind=kind, modality=modality))
    return pictures


def _single(picture: Picture, width: float, label: Label, **options) -> Float:
    """One picture `width` wide under its title and description (as `_photo` lays it out), truth from `picture`."""
    options.setdefault("title", picture.title)
    options.setdefault("caption", picture.description)
    item = _photo(picture.image, width, label=label, kind=picture.kind, modality=picture.modality, **options)
    return counted(item, picture)


def _margin_figure(picture: Picture, label: Label, outer_left: bool) -> Float:
    """A picture as wide as the text block, its caption in the outer margin column beside it, top-aligned."""
    return _single(
        picture,
        TEXT_BLOCK,
        label,
        caption_at="left" if outer_left else "beside",
        caption_width=MARGIN_COLUMN,
        caption_style=MARGIN_CAPTION,
    )


def _bottom_aligned(picture: Picture, label: Label, outer_left: bool) -> Float:
    """A picture as wide as the text block, its margin caption beside it with the caption's last line level with
    the picture's foot (atlases align a margin caption with the top or the bottom of its picture)."""
    height = TEXT_BLOCK * picture.image.height / picture.image.width
    figure = counted(
        raster_figure(
            [Raster(_reader(picture.image))],
            TEXT_BLOCK,
            height,
            label=label,
            kind=picture.kind,
            modality=picture.modality,
        ),
        picture,
    )
    block = TextBlock.caption(str(label), picture.description, MARGIN_COLUMN, picture.title, MARGIN_CAPTION)

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        beside = x + TEXT_BLOCK + SIDE_CAPTION_GAP
        caption_x, picture_x = (x, x + MARGIN_COLUMN + SIDE_CAPTION_GAP) if outer_left else (beside, x)
        (truth,) = figure.draw(canvas, picture_x, top)
        caption_rect = block.draw(canvas, caption_x, top - height + block.height)
        return [
            {
                **truth,
                "caption_text": caption_text(label, picture.description, picture.title),
                "caption_bbox": Page.box(caption_rect),
            }
        ]

    return Float(FULL_WIDTH, height, draw)


def _text_block(outer_left: bool) -> tuple[float, float]:
    """The inner text block's left edge and width: right of the margin column on a left-hand page."""
    return (MARGIN + MARGIN_COLUMN + SIDE_CAPTION_GAP if outer_left else MARGIN, TEXT_BLOCK)


def _in_band(picture: Picture, width: float, label: Label, tinted: bool, band_width: float | None = None) -> Float:
    """A picture under its caption, the caption set in a tinted band (`tinted`) or a ruled box `BAND_PAD` wider
    than its text on every side (the band `band_width` wide, else as wide as the picture); the band ends above
    the picture, which is left-aligned with the caption."""
    text_width = (band_width or width + 2 * BAND_PAD) - 2 * BAND_PAD
    figure = _single(picture, width, label, caption_at="above", caption_width=text_width)
    caption_height = TextBlock.caption(str(label), picture.description, text_width, picture.title, CAPTION).height

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        band_height = caption_height + 2 * BAND_PAD
        if tinted:
            canvas.setFillColor(BAND_TINT)
            canvas.rect(x, top - band_height, text_width + 2 * BAND_PAD, band_height, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
        else:
            canvas.setLineWidth(0.6)
            canvas.rect(x, top - band_height, text_width + 2 * BAND_PAD, band_height, stroke=1, fill=0)
        return figure.draw(canvas, x + BAND_PAD, top - BAND_PAD)

    return Float(figure.width + 2 * BAND_PAD, figure.height + BAND_PAD, draw)


def _plate(pictures: list[Picture], width: float, label: Label, **options) -> Float:
    """Separate photographs, two a row a few points apart, lettered A, B, ... in the text layer; one caption (the
    first picture's title) lists each letter's finding (each picture's description) on a line of its own."""
    letters = "ABCD"[: len(pictures)]
    findings = [picture.description for picture in pictures]
    rasters, panels, height = separate_panels([p.image for p in pictures], 2, 4.0, width, letters, findings)
    return raster_figure(
        rasters,
        width,
        height,
        label=label,
        title=pictures[0].title,
        panels=panels,
        text_letters=True,
        caption="\n".join(f"({letter}) {finding}" for letter, finding in zip(letters, findings, strict=True)),
        **options,
    )


def atlas(book: Book, pictures: list[Picture]) -> None:
    """Lay out the atlas' eleven pages (pages 2-12 of `book`) with the first ATLAS_PICTURES `pictures`."""
    shapes = [
        *_MARGIN_SHAPES,
        *[_GRID_SHAPE] * 5,
        *[_PLATE_SHAPE] * 4,
        *_BAND_SHAPES,
        *[_STACKED_SHAPE] * 2,
        *[_PAIR_SHAPE] * 2,
        _SQUARE,
        _SQUARE,
        _FOOT_SHAPE,
        *_UNEQUAL_SHAPES,
        _WIDE_SHAPE,
        *[_ROW_SHAPE] * 5,
    ]
    slots = iter([_shaped(picture, shape) for picture, shape in zip(pictures, shapes, strict=False)])
    chapter = 3
    header = f"{chapter} \u00b7 Papulosquamous and lichenoid eruptions"
    margin = iter(Label("FIGURE", f"{chapter}-{i}") for i in (1, 2, 3, 14, 15, 16, 17))
    numbered = iter(Label("Figure", f"{chapter}.{i}") for i in range(4, 14))
    left, right = _text_block(True), _text_block(False)
    book.page(header, [(_margin_figure(next(slots), next(margin), True), "both", "top")], {}, columns=1, frame=left)
    book.page(
        header,
        [
            (_margin_figure(next(slots), next(margin), False), "both", "top"),
            (_margin_figure(next(slots), next(margin), False), "both", "bottom"),
        ],
        {},
        columns=1,
        frame=right,
    )
    cell = (FULL_WIDTH - 2 * GRID_GAP) / 3
    grid = [
        _single(picture, cell, next(numbered), title=None, caption=f"{picture.title}: {picture.description}")
        for picture in (next(slots) for _ in range(5))
    ]
    book.page(
        header,
        [(side_by_side(grid[:3], GRID_GAP), "both", "top"), (side_by_side(grid[3:], GRID_GAP), "both", "top")],
        {},
        columns=1,
    )
    plate = _plate([next(slots) for _ in range(4)], FULL_WIDTH * 0.7, next(numbered))
    book.page(header, [(plate, "both", "top")], {}, columns=1)
    banded = _in_band(next(slots), FULL_WIDTH * 0.75, next(numbered), tinted=True, band_width=FULL_WIDTH)
    boxed = _in_band(next(slots), FULL_WIDTH * 0.55, next(numbered), tinted=False)
    book.page(header, [(banded, "both", "top"), (boxed, "both", "bottom")], {}, columns=1)
    stacked = [_single(next(slots), FULL_WIDTH * 0.62, next(numbered)) for _ in range(2)]
    book.page(header, [(stacked[0], "both", "top"), (stacked[1], "both", "top")], {}, columns=1)
    pair = [_margin_figure(next(slots), next(margin), True) for _ in range(2)]
    book.page(header, [(pair[0], "both", "top"), (pair[1], "both", "top")], {}, columns=1, frame=left)
    margin_plate = _plate(
        [next(slots) for _ in range(2)],
        TEXT_BLOCK,
        next(margin),
        caption_at="beside",
        caption_width=MARGIN_COLUMN,
        caption_style=MARGIN_CAPTION,
    )
    foot = _bottom_aligned(next(slots), next(margin), outer_left=False)
    book.page(header, [(margin_plate, "both", "top"), (foot, "both", "bottom")], {}, columns=1, frame=right)
    half = (FULL_WIDTH - GRID_GAP) / 2
    unequal = [
        _single(
            picture,
            half,
            Label("Figure", f"{chapter}.{n}"),
            title=None,
            caption=f"{picture.title}: {picture.description}",
        )
        for picture, n in ((next(slots), 18), (next(slots), 19))
    ]
    wide = _single(
        next(slots),
        FULL_WIDTH,
        Label("FIGURE", f"{chapter}-20"),
        caption_width=MARGIN_COLUMN,
        caption_style=MARGIN_CAPTION,
    )
    book.page(header, [(side_by_side(unequal, GRID_GAP), "both", "top"), (wide, "both", "bottom")], {}, columns=1)
    above = [
        _single(
            picture,
            cell,
            Label("Figure", f"{chapter}.{n}"),
            title=None,
            caption_at="above",
            caption=f"{picture.title}: {picture.description}",
        )
        for picture, n in zip((next(slots) for _ in range(3)), (21, 22, 23), strict=True)
    ]
    book.page(header, [(side_by_side(above, GRID_GAP), "both", "top")], {}, columns=1)
    unit = (FULL_WIDTH - GRID_GAP) / 2  # a picture and its caption beside it
    beside = [
        _single(
            picture,
            unit * 0.6,
            Label("Figure", f"{chapter}.{n}"),
            title=None,
            caption_at="beside",
            caption_width=unit * 0.4 - SIDE_CAPTION_GAP,
            caption=f"{picture.title}: {picture.description}",
        )
        for picture, n in zip((next(slots) for _ in range(2)), (24, 25), strict=True)
    ]
    book.page(header, [(side_by_side(beside, GRID_GAP), "both", "top")], {}, columns=1)

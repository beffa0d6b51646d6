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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.sample import images
from mmskin_build.sample.figures import SIDE_CAPTION_GAP, Label, raster_figure, side_by_side
from mmskin_build.sample.layout import CAPTION, FULL_WIDTH, MARGIN, Book, Float, Style, TextBlock
from mmskin_build.sample.textbook import _photo, separate_panels

MARGIN_COLUMN = 132.0  # the outer caption column
TEXT_BLOCK = FULL_WIDTH - MARGIN_COLUMN - SIDE_CAPTION_GAP  # the inner text block, as wide as a picture in it
MARGIN_CAPTION = Style("Helvetica", 8.0, 9.8, label_line=True)
GRID_GAP = 12.0  # between the figures of a row
BAND_PAD = 4.0  # the tint or rule around a caption set above its picture (under CAPTION_GAP: clear of the picture)
BAND_TINT = colors.HexColor("#e8eef5")

ATLAS_NOTES = (
    "Generated colour atlas. Pages 2-3: captions in the outer margin column beside their pictures (left on the "
    "even page, right on the odd page), label on its own line, then a bold title and the description; the text "
    "block is on the inner side. Page 4: a grid of five photographs (three, then two), each with its own caption "
    "under it. Page 5: Figure 3.9 is four separate photographs lettered A-D in the text layer (panels = 4), its "
    "caption listing the letters one per line. Page 6: captions above their pictures, in a tinted band (Figure "
    "3.10, the band across the text width) and a ruled box (Figure 3.11); the band and the box are not part of "
    "the figures. Page 7: two figures stacked, each with its caption, no text between them. Page 8 (even): two "
    "pictures stacked in the text block, each captioned in the left margin beside it."
)


@dataclass(frozen=True)
class Entry:
    """One atlas figure's caption: a bold title and a description."""

    title: str
    description: str


def _margin_figure(picture: Image.Image, label: Label, entry: Entry, outer_left: bool, **options) -> Float:
    """A picture as wide as the text block, its caption in the outer margin column beside it, top-aligned."""
    return _photo(
        picture, TEXT_BLOCK, label=label, title=entry.title, caption=entry.description,
        caption_at="left" if outer_left else "beside", caption_width=MARGIN_COLUMN, caption_style=MARGIN_CAPTION,
        **options,
    )


def _text_block(outer_left: bool) -> tuple[float, float]:
    """The inner text block's left edge and width: right of the margin column on a left-hand page."""
    return (MARGIN + MARGIN_COLUMN + SIDE_CAPTION_GAP if outer_left else MARGIN, TEXT_BLOCK)


def _in_band(
    picture: Image.Image, width: float, label: Label, entry: Entry, tinted: bool, band_width: float | None = None,
    **options,
) -> Float:
    """A picture under its caption, the caption set in a tinted band (`tinted`) or a ruled box `BAND_PAD` wider
    than its text on every side (the band `band_width` wide, else as wide as the picture); the band ends above
    the picture, which is left-aligned with the caption."""
    text_width = (band_width or width + 2 * BAND_PAD) - 2 * BAND_PAD
    figure = _photo(picture, width, label=label, title=entry.title, caption=entry.description, caption_at="above",
                    caption_width=text_width, **options)
    caption_height = TextBlock.caption(str(label), entry.description, text_width, entry.title, CAPTION).height

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


def _plate(rng: np.random.Generator, width: float, label: Label, title: str, findings: list[str]) -> Float:
    """Four separate photographs, 2 x 2 a few points apart, lettered A-D in the text layer; one caption under
    them lists each letter's finding on a line of its own."""
    letters = "ABCD"
    rasters, panels, height = separate_panels(
        [images.skin_photo(rng, 400, 300, tone=t) for t in (1, 2, 2, 3)], 2, 4.0, width, letters, findings
    )
    return raster_figure(
        rasters, width, height, label=label, title=title, panels=panels, text_letters=True,
        caption="\n".join(f"({letter}) {finding}" for letter, finding in zip(letters, findings, strict=True)),
    )


def atlas(book: Book, rng: np.random.Generator) -> None:
    """Lay out the atlas' seven pages (pages 2-8 of `book`)."""
    chapter = 3
    header = f"{chapter} \u00b7 Papulosquamous and lichenoid eruptions"
    margin = [Label("FIGURE", f"{chapter}-{i}") for i in range(1, 4)]
    numbered = [Label("Figure", f"{chapter}.{i}") for i in range(4, 14)]
    plaque = _margin_figure(
        images.skin_photo(rng, 720, 480, tone=1), margin[0], Entry(
            "Psoriasis vulgaris", "Sharply demarcated, salmon-pink plaques with silvery scale on the extensor "
            "surface of the knee of a 38-year-old man. The Auspitz sign was positive."),
        outer_left=True,
    )
    book.page(header, [(plaque, "both", "top")], {}, columns=1, frame=_text_block(True))
    guttate = _margin_figure(
        images.skin_photo(rng, 720, 440, tone=2), margin[1], Entry(
            "Guttate psoriasis", "Numerous small, drop-like scaly papules on the trunk two weeks after a "
            "streptococcal sore throat."),
        outer_left=False,
    )
    biopsy = _margin_figure(
        images.histology(rng, 720, 440), margin[2], Entry(
            "Psoriasis, histology", "Regular acanthosis, thinned suprapapillary plates and Munro microabscesses "
            "in the parakeratotic scale (H&E, \u00d7200)."),
        outer_left=False, kind="micrograph", modality="pathology",
    )
    book.page(header, [(guttate, "both", "top"), (biopsy, "both", "bottom")], {}, columns=1,
              frame=_text_block(False))
    cell = (FULL_WIDTH - 2 * GRID_GAP) / 3
    grid = [
        _photo(images.skin_photo(rng, 480, 360, tone=tone), cell, label=label, caption=caption)
        for label, tone, caption in zip(numbered[:5], (1, 2, 0, 3, 2), (
            "Psoriasis vulgaris of the elbow: a thick, silvery plaque.",
            "Inverse psoriasis in the inframammary fold: glazed red skin without scale.",
            "Palmoplantar pustulosis: yellow and brown pustules on the sole.",
            "Nail psoriasis: oil-drop discolouration and distal onycholysis.",
            "Erythrodermic psoriasis covering the whole trunk of a 62-year-old man.",
        ), strict=True)
    ]
    book.page(header, [(side_by_side(grid[:3], GRID_GAP), "both", "top"),
                       (side_by_side(grid[3:], GRID_GAP), "both", "top")], {}, columns=1)
    plate = _plate(rng, FULL_WIDTH * 0.7, numbered[5], "Lichen planus", [
        "Violaceous, flat-topped polygonal papules on the flexor wrist.",
        "Lacy white Wickham striae on the buccal mucosa.",
        "Koebner phenomenon: papules along a scratch line.",
        "Hypertrophic lichen planus of the shin.",
    ])
    book.page(header, [(plate, "both", "top")], {}, columns=1)
    banded = _in_band(images.skin_photo(rng, 640, 400, tone=3), FULL_WIDTH * 0.75, numbered[6], Entry(
        "Pityriasis rosea", "The herald patch and smaller oval patches along the skin lines of the back, in a "
        "Christmas-tree pattern."), tinted=True, band_width=FULL_WIDTH)
    boxed = _in_band(images.dermoscopy(rng, 480, 360), FULL_WIDTH * 0.55, numbered[7], Entry(
        "Lichen planus, dermoscopy", "White reticular Wickham striae over a violaceous background."), tinted=False,
        modality="dermoscopy")
    book.page(header, [(banded, "both", "top"), (boxed, "both", "bottom")], {}, columns=1)
    stacked = [
        _photo(images.skin_photo(rng, 600, 360, tone=tone), FULL_WIDTH * 0.62, label=label, title=entry.title,
               caption=entry.description)
        for label, tone, entry in zip(numbered[8:10], (1, 2), (
            Entry("Seborrhoeic dermatitis", "Greasy yellow scale on the eyebrows and nasolabial folds."),
            Entry("Pityriasis versicolor", "Finely scaling hypopigmented macules on the upper back of a "
                  "24-year-old man after a summer holiday."),
        ), strict=True)
    ]
    book.page(header, [(stacked[0], "both", "top"), (stacked[1], "both", "top")], {}, columns=1)
    pair = [
        _margin_figure(picture, label, entry, outer_left=True, **options)
        for picture, label, entry, options in zip(
            (images.skin_photo(rng, 720, 420, tone=4), images.dermoscopy(rng, 720, 420)),
            (Label("FIGURE", f"{chapter}-14"), Label("FIGURE", f"{chapter}-15")),
            (Entry("Lichen planus pigmentosus", "Slate-grey macules on the neck of a 45-year-old woman with "
                   "skin type V."), Entry("Lichen planus pigmentosus, dermoscopy", "Grey-blue dots and globules "
                   "in a reticular pattern.")),
            ({}, {"modality": "dermoscopy"}),
            strict=True,
        )
    ]
    book.page(header, [(pair[0], "both", "top"), (pair[1], "both", "top")], {}, columns=1, frame=_text_block(True))

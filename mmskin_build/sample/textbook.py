"""The sample dermatology textbook (every figure layout the extractor must handle) and the long benchmark book."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader

from mmskin_build.sample import images
from mmskin_build.sample.figures import (
    SIDE_CAPTION_GAP,
    Label,
    Panel,
    Raster,
    bar_chart,
    raster_figure,
    side_by_side,
    table,
)
from mmskin_build.sample.groundtruth import FigureTruth, GroundTruth
from mmskin_build.sample.layout import (
    COLUMN_WIDTH,
    FULL_WIDTH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Book,
    Float,
    Placement,
    TextFlow,
    heading_float,
    raw_streams,
)
from mmskin_build.sample.prose import Prose

TITLE = "Atlas of Clinical Dermatology"
SUBTITLE = "A generated sample for mmskin-build"
PUBLISHER = "Open Sample Press"
SAMPLE_NOTES = (
    "Generated sample textbook. Decorative images (title-page logo, the small logo in every running header) "
    "and the horizontal rules are not figures. Label styles: 'Figure 1.1', 'Fig. 2-1', 'FIGURE 3.1', 'Fig. 4a', "
    "'Plate 4'; Table entries are tables. Figure 1.3 is one picture drawn as 4 stacked image strips and Plate 4 "
    "one picture drawn as 2x2 image tiles (panels = 1). "
    "Figure 1.4 is one composite image with the letters burned into its pixels; Fig. 2-3 is two images with "
    "text-layer letters. Page 7 is a one-column page. An entry with name null is an uncaptioned photo."
)


def _reader(image: Image.Image) -> ImageReader:
    """A JPEG-backed image reader: reportlab embeds the JPEG bytes as they are (DCTDecode)."""
    return ImageReader(io.BytesIO(images.jpeg_bytes(image)))


def _tiles(image: Image.Image, rows: int, columns: int = 1) -> list[Raster]:
    """One picture cut into rows x columns tiles (strips when columns = 1), each its own image XObject, no gaps."""
    width, height = image.size
    tile_w, tile_h = width // columns, height // rows
    return [
        Raster(
            _reader(image.crop((c * tile_w, r * tile_h, (c + 1) * tile_w, (r + 1) * tile_h))),
            (c / columns, r / rows, (c + 1) / columns, (r + 1) / rows),
        )
        for r in range(rows)
        for c in range(columns)
    ]


def _photo(image: Image.Image, width: float, **options) -> Float:
    """A single-image figure `width` points wide, keeping the picture's aspect ratio."""
    return raster_figure([Raster(_reader(image))], width, width * image.height / image.width, **options)


def separate_panels(
    pictures: list[Image.Image], columns: int, gap_pt: float, width: float, letters: str, subcaptions: list[str]
) -> tuple[list[Raster], list[Panel], float]:
    """Equal pictures as separate images on a grid `gap_pt` apart; returns rasters, panels and the height."""
    rows = -(-len(pictures) // columns)
    cell_w = (width - (columns - 1) * gap_pt) / columns
    cell_h = cell_w * pictures[0].height / pictures[0].width
    height = rows * cell_h + (rows - 1) * gap_pt
    rasters, panels = [], []
    for i, picture in enumerate(pictures):
        x0, y0 = (i % columns) * (cell_w + gap_pt), (i // columns) * (cell_h + gap_pt)
        box = (x0 / width, y0 / height, (x0 + cell_w) / width, (y0 + cell_h) / height)
        rasters.append(Raster(_reader(picture), box))
        panels.append(Panel(box, letters[i] if letters else None, subcaptions[i], "clinical"))
    return rasters, panels, height


@dataclass
class Spread:
    """One page of a chapter: its floats and the sentences that cite them, keyed by printed label."""

    floats: list[Placement]
    mentions: dict[str, list[str]] = field(default_factory=dict)
    columns: int = 2


@dataclass
class Chapter:
    title: str
    pages: list[Spread]


def _open_book(rng: np.random.Generator, on_page: Callable[[int], None] | None) -> Book:
    prose = Prose(rng)
    logo = ImageReader(io.BytesIO(images.png_bytes(images.logo())))
    book = Book(TITLE, TextFlow(prose), prose.plan, logo, on_page)
    book.title_page(TITLE, SUBTITLE, PUBLISHER)
    return book


def _write_chapter(book: Book, number: int, chapter: Chapter, max_pages: int | None) -> None:
    header = f"Chapter {number} \u00b7 {chapter.title}"
    for i, spread in enumerate(chapter.pages):
        if max_pages is not None and book.pages >= max_pages:
            return
        opening = [(heading_float(f"Chapter {number}", chapter.title), "both", "top")] if i == 0 else []
        book.page(header, opening + spread.floats, spread.mentions, spread.columns)


def _ground_truth(book: Book, pdf: Path, notes: str) -> GroundTruth:
    figures = [FigureTruth(page_width=PAGE_WIDTH, page_height=PAGE_HEIGHT, **t) for t in book.figures()]
    return GroundTruth(pdf=pdf.name, pages_annotated=list(range(1, book.pages + 1)), figures=figures, notes=notes)


# ------------------------------------------------------------------------------------ the textbook


def _inflammatory(n: int, rng: np.random.Generator) -> Chapter:
    """'Figure n.m' labels: column figures, a strip-split figure across both columns, a burned-in 2x2 composite."""
    f1, f2, f3, f4 = (Label("Figure", f"{n}.{i}") for i in range(1, 5))
    forearm = _photo(
        images.skin_photo(rng),
        COLUMN_WIDTH,
        label=f1,
        caption="Chronic plaque psoriasis: well-demarcated erythematous plaques with silvery scale on the left "
        "forearm of a 45-year-old woman. Courtesy of Dr A. Okafor.",
    )
    histology = _photo(
        images.histology(rng),
        COLUMN_WIDTH,
        label=f2,
        caption="Psoriasis, histology: regular acanthosis, confluent parakeratosis and dilated papillary vessels "
        "(H&E, \u00d7100).",
        kind="micrograph",
        modality="pathology",
    )
    back = images.skin_photo(rng, 960, 416)
    strips = raster_figure(
        _tiles(back, 4),
        FULL_WIDTH,
        FULL_WIDTH * back.height / back.width,
        label=f3,
        caption="Extensive psoriasis of the back in a 60-year-old man with psoriatic arthritis; most of the trunk "
        "is involved. Courtesy of Dr M. Lindqvist.",
    )
    sheet, boxes = images.composite([images.skin_photo(rng, 320, 240, tone=t) for t in (1, 1, 2, 3)], 2, list("abcd"))
    subcaptions = [
        "Extensor surface of the elbow in a 34-year-old man.",
        "Scalp margin of the same patient.",
        "Gluteal cleft with inverse psoriasis.",
        "Pitting and onycholysis of the fingernails.",
    ]
    w, h = sheet.size
    panels = [
        Panel((x0 / w, y0 / h, x1 / w, y1 / h), letter, sub, "clinical")
        for (x0, y0, x1, y1), letter, sub in zip(boxes, "abcd", subcaptions, strict=True)
    ]
    sites = _photo(
        sheet,
        COLUMN_WIDTH,
        label=f4,
        caption="Chronic plaque psoriasis at four typical sites. "
        + " ".join(f"({p.letter}) {p.subcaption}" for p in panels),
        panels=panels,
    )
    return Chapter(
        "Inflammatory dermatoses",
        [
            Spread(
                [(forearm, "left", "bottom"), (histology, "right", "bottom")],
                {
                    str(f1): [f"As shown in {f1}, the plaques are sharply demarcated and covered by silvery scale."],
                    str(f2): [f"{f2} shows the corresponding histology, with regular acanthosis and parakeratosis."],
                },
            ),
            Spread(
                [(strips, "both", "top"), (sites, "right", "bottom")],
                {
                    str(f3): [f"Widespread disease may involve most of the trunk ({f3})."],
                    str(f4): [f"Psoriasis favours characteristic sites, which are compared in {f4}."],
                },
            ),
        ],
    )


def _papulosquamous(n: int, rng: np.random.Generator) -> Chapter:
    """'Fig. n-m' labels: a side caption, dermoscopy, a table, two images with text-layer letters, a vector chart."""
    f1, f2, f3, f4 = (Label("Fig.", f"{n}-{i}") for i in range(1, 5))
    t1 = Label("Table", f"{n}.1")
    side_width = 300.0
    herald = _photo(
        images.skin_photo(rng, 640, 420),
        side_width,
        label=f1,
        caption="Pityriasis rosea in a 19-year-old woman: the herald patch on the left flank, followed by smaller "
        "oval patches along the skin lines. Courtesy of Dr J. Mensah.",
        caption_at="beside",
        caption_width=FULL_WIDTH - side_width - SIDE_CAPTION_GAP,
    )
    dermoscopy = _photo(
        images.dermoscopy(rng),
        COLUMN_WIDTH * 0.8,
        label=f2,
        caption="Dermoscopy of a psoriatic plaque on the knee of a 38-year-old man: regularly distributed dotted "
        "vessels on a light red background.",
        modality="dermoscopy",
    )
    features = table(
        [
            ["Disorder", "Scale", "Typical site"],
            ["Psoriasis", "Silvery, thick", "Elbows, knees"],
            ["Pityriasis rosea", "Collarette", "Trunk"],
            ["Lichen planus", "Fine, shiny", "Wrists, shins"],
            ["Seborrhoeic dermatitis", "Greasy, yellow", "Scalp, face"],
        ],
        COLUMN_WIDTH,
        label=t1,
        caption="Distinguishing features of the papulosquamous disorders.",
    )
    half = (1 - 0.03) / 2  # each panel's share of the width; 3% gutter
    pair_panels = [
        Panel(
            (0.0, 0.0, half, 1.0),
            "A",
            "Violaceous flat-topped papules on the flexor wrist of a 52-year-old woman.",
            "clinical",
        ),
        Panel(
            (1 - half, 0.0, 1.0, 1.0),
            "B",
            "Band-like lymphocytic infiltrate at the dermoepidermal junction (H&E, \u00d7200).",
            "pathology",
        ),
    ]
    pair = raster_figure(
        [
            Raster(_reader(images.skin_photo(rng, 480, 360, tone=2)), pair_panels[0].box),
            Raster(_reader(images.histology(rng, 480, 360)), pair_panels[1].box),
        ],
        FULL_WIDTH,
        FULL_WIDTH * half * 0.75,
        label=f3,
        caption="Lichen planus. " + " ".join(f"{p.letter}, {p.subcaption}" for p in pair_panels),
        panels=pair_panels,
        text_letters=True,
    )
    chart = bar_chart(
        [4, 11, 19, 14, 8, 5],
        ["0-9", "10-19", "20-29", "30-39", "40-49", "50+"],
        COLUMN_WIDTH,
        150,
        label=f4,
        caption="Age at onset of pityriasis rosea in 61 consecutive patients.",
        y_title="Patients",
    )
    return Chapter(
        "Papulosquamous disorders",
        [
            Spread(
                [(herald, "both", "top"), (dermoscopy, "left", "bottom"), (features, "right", "bottom")],
                {
                    str(f1): [f"The herald patch precedes the secondary eruption by several days ({f1})."],
                    str(f2): [f"On dermoscopy, see {f2}, regularly distributed dotted vessels are seen."],
                    str(t1): [f"The main differential diagnoses are summarised in {t1}."],
                },
            ),
            Spread(
                [(pair, "both", "top"), (chart, "left", "bottom")],
                {
                    str(f3): [
                        f"Lichen planus combines a distinctive clinical picture with a band-like infiltrate ({f3})."
                    ],
                    str(f4): [f"The incidence peaks in early adulthood, as the age distribution in {f4} shows."],
                },
            ),
        ],
    )


def _infections(n: int, rng: np.random.Generator) -> Chapter:
    """'FIGURE n.m' labels: a caption above its figure, several figures on a page, an uncaptioned photo, and a
    one-column page."""
    f1, f2, f3 = (Label("FIGURE", f"{n}.{i}") for i in range(1, 4))
    impetigo = _photo(
        images.skin_photo(rng, 480, 400, tone=0),
        COLUMN_WIDTH,
        label=f1,
        caption="Impetigo: honey-coloured crusts around the nostrils of a 6-year-old boy.",
        caption_at="above",
    )
    hyphae = _photo(
        images.histology(rng, 480, 360),
        COLUMN_WIDTH,
        label=f2,
        caption="Tinea corporis, histology: fungal hyphae in the stratum corneum (PAS, \u00d7400). "
        "Reproduced with permission from Dr S. Iyer.",
        kind="micrograph",
        modality="pathology",
    )
    uncaptioned = _photo(images.skin_photo(rng, 400, 300, tone=4), COLUMN_WIDTH * 0.7)
    scabies = _photo(
        images.dermoscopy(rng),
        220,
        label=f3,
        caption="Dermoscopy of scabies on the finger web of a 30-year-old man: the burrow ends in a dark "
        "triangular structure.",
        modality="dermoscopy",
    )
    return Chapter(
        "Cutaneous infections",
        [
            Spread(
                [(impetigo, "left", "top"), (hyphae, "right", "top"), (uncaptioned, "left", "bottom")],
                {
                    str(f1): [f"Impetigo presents with honey-coloured crusts around the nose and mouth ({f1})."],
                    str(f2): [f"Fungal hyphae are highlighted in the stratum corneum in {f2}."],
                },
            ),
            Spread(
                [(scabies, "both", "bottom")],
                {
                    str(f1): [f"Recurrent impetigo should prompt a search for nasal carriage (compare {f1})."],
                    str(f3): [f"The burrow of scabies is best seen with a dermatoscope ({f3})."],
                },
                columns=1,
            ),
        ],
    )


def _nails_and_hair(n: int, rng: np.random.Generator) -> Chapter:
    """'Fig. na' and 'Plate n' labels: two captioned figures side by side, a full-width plate drawn as 2x2 tiles."""
    fa, fb, plate = Label("Fig.", f"{n}a"), Label("Fig.", f"{n}b"), Label("Plate", str(n))
    half = (FULL_WIDTH - 14) / 2
    nails = side_by_side(
        [
            _photo(
                images.skin_photo(rng, 480, 360, tone=1),
                half,
                label=fa,
                caption="Nail pitting in a 41-year-old man with psoriasis.",
            ),
            _photo(
                images.skin_photo(rng, 480, 360, tone=1),
                half,
                label=fb,
                caption="Distal onycholysis of the same patient's thumbnail. Courtesy of Dr P. Novak.",
            ),
        ],
        gap=14,
    )
    scalp = images.skin_photo(rng, 800, 500, tone=3)
    alopecia = raster_figure(
        _tiles(scalp, 2, 2),
        FULL_WIDTH,
        FULL_WIDTH * scalp.height / scalp.width,
        label=plate,
        caption="Alopecia areata: a smooth, round patch of non-scarring hair loss on the occipital scalp of a "
        "27-year-old woman, with exclamation-mark hairs at the margin.",
    )
    both = f"Nail pitting ({fa}) and onycholysis ({fb}) are common in psoriatic nail disease."
    return Chapter(
        "Disorders of the nails and hair",
        [
            Spread([(nails, "both", "bottom")], {str(fa): [both], str(fb): [both]}),
            Spread(
                [(alopecia, "both", "top")],
                {str(plate): [f"{plate} illustrates the patterns of non-scarring hair loss."]},
            ),
        ],
    )


CHAPTER_DESIGNS: list[Callable[[int, np.random.Generator], Chapter]] = [
    _inflammatory,
    _papulosquamous,
    _infections,
    _nails_and_hair,
]


def build_textbook(
    path: Path,
    *,
    seed: int = 0,
    chapters: int = 4,
    pages: int | None = None,
    on_page: Callable[[int], None] | None = None,
) -> GroundTruth:
    """Write the sample textbook to `path` and return its ground truth.

    `chapters` chapters cycle through the four designs (one label style each). With `pages`, chapters
    keep coming until the book has exactly that many pages (the last chapter may be cut short).
    The same seed writes the same bytes. `on_page(n)` is called after each page (progress).
    """
    path = Path(path)
    rng = np.random.default_rng(seed)
    with raw_streams():
        book = _open_book(rng, on_page)
        number = 0
        while (pages is None and number < chapters) or (pages is not None and book.pages < pages):
            number += 1
            design = CHAPTER_DESIGNS[(number - 1) % len(CHAPTER_DESIGNS)]
            _write_chapter(book, number, design(number, rng), pages)
        book.save(path)
    return _ground_truth(book, path, SAMPLE_NOTES)


# ----------------------------------------------------------------------------------- the long book

# The long book's six pictures: how each is drawn, its caption, kind and modality.
LONG_FIGURES = [
    (images.skin_photo, "Plaque psoriasis on the right knee of a {age}-year-old man.", "photo", "clinical"),
    (images.histology, "Spongiotic dermatitis, histology (H&E, \u00d7200).", "micrograph", "pathology"),
    (
        images.skin_photo,
        "Nummular eczema on the lower leg of a {age}-year-old woman. Courtesy of Dr R. Silva.",
        "photo",
        "clinical",
    ),
    (images.dermoscopy, "Dermoscopy of a benign naevus on the back of a {age}-year-old woman.", "photo", "dermoscopy"),
    (images.histology, "Lichenoid interface dermatitis (H&E, \u00d7100).", "micrograph", "pathology"),
    (images.skin_photo, "Tinea cruris in a {age}-year-old man.", "photo", "clinical"),
]


def build_long_book(
    path: Path, pages: int = 1000, seed: int = 0, on_page: Callable[[int], None] | None = None
) -> GroundTruth:
    """A long book for memory and throughput benchmarks: 12-page chapters, a figure on every 3rd page.

    Six pictures are drawn once and reused, so each is one image XObject in the file: a 1,000-page book
    builds in seconds and stays a few MB.
    """
    path = Path(path)
    rng = np.random.default_rng(seed)
    pool = [(_reader(draw(rng, 480, 360)), caption, kind, modality) for draw, caption, kind, modality in LONG_FIGURES]
    with raw_streams():
        book = _open_book(rng, on_page)
        chapter = figure = drawn = 0  # figure: number within the chapter; drawn: in the book
        while book.pages < pages:
            first = (book.pages - 1) % 12 == 0
            if first:
                chapter, figure = chapter + 1, 0
            floats: list[Placement] = (
                [(heading_float(f"Chapter {chapter}", "Clinical patterns"), "both", "top")] if first else []
            )
            mentions: dict[str, list[str]] = {}
            if (book.pages + 1) % 3 == 0:
                figure, drawn = figure + 1, drawn + 1
                label = Label("Figure", f"{chapter}.{figure}")
                image, caption, kind, modality = pool[drawn % len(pool)]
                item = raster_figure(
                    [Raster(image)],
                    COLUMN_WIDTH,
                    COLUMN_WIDTH * 0.75,
                    label=label,
                    caption=caption.format(age=20 + drawn % 60),
                    kind=kind,
                    modality=modality,
                )
                floats.append((item, ("left", "right")[drawn % 2], ("top", "bottom")[drawn // 2 % 2]))
                mentions[str(label)] = [f"The typical appearance is shown in {label}."]
            book.page(f"Chapter {chapter} \u00b7 Clinical patterns", floats, mentions)
        book.save(path)
    return _ground_truth(book, path, "Generated long book for benchmarks; the logo images are decorative.")

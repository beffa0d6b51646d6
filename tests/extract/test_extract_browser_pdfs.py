"""extract on PDFs printed by a browser (Debian's chromium): reflowed e-book chapters as a web engine lays them out.

A browser prints text glyph by glyph, so pdfium's text rectangles are single glyphs (a comma's is its ink at the
baseline), and e-book style sheets set captions in the body's type, in italics, or with no space before the next
paragraph. The truth is exact: each figure is one <img>, so its box is that image object's on the printed page,
and its caption is the text the chapter was written with.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from fixtures.review_browser import chromium_browser
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.stage import run_extract
from mmskin_build.store import Dataset

PARAGRAPH = (
    "The skin is the largest organ of the body. It protects against injury, infection and loss of water, and its "
    "lesions are described by morphology, colour, distribution and arrangement. "
)
DISEASES = ["Acne vulgaris", "Psoriasis", "Scabies", "Urticaria"]

# E-book style sheets: paragraphs indented with no space between them, and a caption that is told from the
# body only by its size (9.9 pt under 11 pt), by its italics (centred, body size), or by its paragraph's shape;
# and figures floated beside the text.
STYLES = {
    "small-caption": "p{margin:0;text-indent:1.5em} figure{margin:0.5em 0} figcaption{font-size:0.9em}",
    "italic-centred": "p{margin:0;text-indent:1.5em} figure{margin:0.6em 2em} figcaption{font-style:italic;"
    "text-align:center}",
    "body-type": "p{margin:0;text-indent:1.5em} figure{margin:0.6em 0 0 0} figcaption{text-indent:0}",
    # Figures floated right, the text wrapped beside them (web-made e-books).
    "floated": "p{margin:0 0 0.6em 0} figure{float:right;width:45%;margin:0 0 0.5em 1em} figcaption{font-size:0.85em}",
    # Captions over their pictures: where a picture does not fit under its caption, the browser breaks the page
    # between them (the caption ends one page, the picture opens the next).
    "caption-over": "p{margin:0;text-indent:1.5em} figure{margin:1em 0} img{display:block} figcaption{font-size:0.9em}",
    # A word-spacing that cancels the serif font's space (a quarter em): the glyphs of neighbouring words touch, and
    # chromium, which prints no space glyphs, leaves a text layer without word breaks ("Theskinisthelargest...").
    "glued": "body{word-spacing:-0.25em} p{margin:0;text-indent:1.5em} figure{margin:0.5em 0} figcaption{font-size:0.9em}",
}


def caption(number: int) -> str:
    disease = DISEASES[number - 1]
    return (
        f"Figure 4.{number} {disease}. Typical lesions of {disease.lower()}, on the trunk and limbs of an adult "
        "patient, photographed in daylight."
    )


def _photo(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = rng.integers(120, 220, size=3)
    pixels = (rng.normal(0, 25, (240, 320, 3)) + base).clip(0, 255).astype("uint8")
    Image.fromarray(pixels).save(path)


def _chapter(directory: Path, style: str) -> Path:
    figures = []
    for number in range(1, len(DISEASES) + 1):
        _photo(directory / f"photo{number}.png", number)
        label, rest = caption(number).split(" ", 2)[:2], caption(number).split(" ", 2)[2]
        last = number == len(DISEASES)  # on a page of its own, with one line of text after it
        parts = [
            f"<img src='photo{number}.png' style='width:100%'>",
            f"<figcaption><b>{' '.join(label)}</b> {rest}</figcaption>",
        ]
        figures.append(
            f"<p{' style=break-before:page' if last else ''}>{PARAGRAPH * (1 + number % 3)}</p>"
            f"<figure>{''.join(reversed(parts) if style == 'caption-over' else parts)}</figure>"
            f"<p>{'End of the chapter.' if last else PARAGRAPH * 2}</p>"
        )
    html = directory / f"{style}.html"
    html.write_text(
        f"<html><head><style>body{{font-family:serif;font-size:11pt}} {STYLES[style]}</style></head>"
        f"<body><h1>Chapter 4 Skin</h1>{''.join(figures)}</body></html>"
    )
    return html


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[list[Path], Path]:
    """The chapter in each style printed to PDF by chromium, and the dataset extracted from them."""
    directory = tmp_path_factory.mktemp("browser")
    pdfs = []
    with chromium_browser() as browser:
        page = browser.new_page()
        for style in STYLES:
            page.goto(_chapter(directory, style).as_uri())
            pdfs.append(directory / f"{style}.pdf")
            page.pdf(
                path=str(pdfs[-1]), format="A4", margin={"top": "2cm", "bottom": "2cm", "left": "2cm", "right": "2cm"}
            )
    run_extract(pdfs, directory / "ds", ExtractConfig(dpi=72))
    return pdfs, directory / "ds"


def test_the_glued_chapter_prints_no_word_breaks(printed):
    """The premise of the "glued" style: neither a space nor a gap that pdfium reads as one between the words."""
    pdfs, _ = printed
    document = pdfium.PdfDocument(next(pdf for pdf in pdfs if pdf.stem == "glued"))
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "Theskinisthelargestorganofthebody." in text and "Figure4.1Acnevulgaris." in text


def _image_boxes(pdf: Path) -> list[tuple[int, Box]]:
    """(page, box) of every image object, in page coordinates (top-left origin)."""
    boxes = []
    document = pdfium.PdfDocument(pdf)
    for index, page in enumerate(document):
        height = page.get_height()
        for item in page.get_objects():
            if item.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = item.get_bounds()
                boxes.append((index + 1, Box(left, height - top, right, height - bottom)))
    return boxes


@pytest.mark.parametrize("style", list(STYLES))
def test_captions_of_a_browser_printed_chapter_are_whole_and_exact(printed, style):
    pdfs, dataset = printed
    rows = [r for r in Dataset.open(dataset).read_table("figures").to_pylist() if r["source_pdf"] == f"{style}.pdf"]
    assert sorted(r["caption"] for r in rows) == sorted(caption(n) for n in range(1, len(DISEASES) + 1))
    images = _image_boxes(next(pdf for pdf in pdfs if pdf.stem == style))
    assert len(images) == len(DISEASES)
    for row in rows:
        number = int(row["label"].split(".")[1])
        page, box = images[number - 1]
        assert row["page"] == page and Box(*row["bbox"]).iou(box) >= 0.8, (row["label"], row["bbox"], box)


# A caption in the body's type cut by the page break of an e-reader page (90 x 122 mm): its last lines open the next
# page, and the chapter's next paragraph follows them, told from them by an indent, by a space above it, or only by
# where the caption's paragraph ends (a short last line that ends a sentence).
OVERLEAF_CAPTION = (
    "Figure 4.1 Psoriasis. Well-demarcated erythematous plaques with silvery scale on the extensor surfaces of the "
    "elbows and knees of a 45-year-old man; the nails show pitting and onycholysis, and the scalp is involved behind "
    "the ears, which is typical of chronic plaque disease in adults."
)
BODY_TYPE_BREAKS = {
    "indented": "p{margin:0;text-indent:1.5em} figure{margin:0.6em 0 0 0}",
    "spaced": "p{margin:0.6em 0;text-indent:0} figure{margin:0.6em 0 0 0}",
    "flush": "p{margin:0;text-indent:0} figure{margin:0}",
}


def test_a_body_type_caption_cut_by_the_page_break_goes_on_overleaf(tmp_path):
    words = " ".join((PARAGRAPH.split() * 3)[:68])  # text enough to push the caption's last two lines overleaf
    _photo(tmp_path / "photo.png", 1)
    rest = OVERLEAF_CAPTION.split(" ", 2)[2]
    pdfs = []
    with chromium_browser() as browser:
        page = browser.new_page()
        for name, style in BODY_TYPE_BREAKS.items():
            html = tmp_path / f"{name}.html"
            html.write_text(
                f"<html><head><style>body{{font-family:serif;font-size:11pt}} {style}</style></head><body>"
                f"<p>{words}</p><figure><img src='photo.png' style='width:60%'><figcaption><b>Figure 4.1</b> {rest}"
                f"</figcaption></figure><p>{PARAGRAPH * 3}</p></body></html>"
            )
            page.goto(html.as_uri())
            pdfs.append(tmp_path / f"{name}.pdf")
            page.pdf(
                path=str(pdfs[-1]),
                width="90mm",
                height="122mm",
                margin={k: "5mm" for k in ("top", "bottom", "left", "right")},
            )
    for pdf in pdfs:
        document = pdfium.PdfDocument(pdf)
        overleaf = document[1].get_textpage().get_text_range()
        document.close()
        assert overleaf.startswith("ears, which is typical of chronic plaque disease"), (pdf.stem, overleaf[:80])
    run_extract(pdfs, tmp_path / "ds", ExtractConfig(dpi=72))
    rows = Dataset.open(tmp_path / "ds").read_table("figures").to_pylist()
    assert sorted((r["source_pdf"], r["page"], r["caption"]) for r in rows) == [
        (f"{name}.pdf", 1, OVERLEAF_CAPTION) for name in sorted(BODY_TYPE_BREAKS)
    ]

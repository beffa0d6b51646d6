"""Scanned copies of born-digital PDFs: every page rendered, tilted, noised and JPEG-compressed, wrapped as an
image-only PDF with the original page boxes, so the original's ground truth scores the scan too.

    python -m mmskin_build.sample.scan SRC.pdf [SRC.pdf ...] -o OUT_DIR [--dpi 250] [--seed 0] [--text-layer]

Each page gets its own skew of 0.5-1.5 degrees (either direction), Gaussian noise (sigma 4 grey levels) and
JPEG quality 75: what a flatbed scan of a book page looks like. The tilt turns the page around its centre, so
ground-truth boxes stay right to within a few points.

`--text-layer` writes what an OCR program leaves instead (most scans in real libraries): the page straightened
(no tilt) under an invisible text layer, each of the original's text lines set in Helvetica and stretched over
the line's box, as OCR output is placed over the words it read.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from mmskin_build.extract.page import TextLine, read_page

SKEW_DEGREES = (0.5, 1.5)
NOISE_SIGMA = 4.0
JPEG_QUALITY = 75


def scan_page(page: pdfium.PdfPage, dpi: int, angle: float, rng: random.Random) -> Image.Image:
    """The page (its crop box) as a scanner would see it, tilted `angle` degrees counter-clockwise."""
    picture = page.render(scale=dpi / 72, draw_annots=False).to_pil().convert("RGB")
    tilted = picture.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    pixels = np.asarray(tilted, dtype=np.float32)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0.0, NOISE_SIGMA, pixels.shape[:2])
    return Image.fromarray(np.clip(pixels + noise[..., None], 0, 255).astype(np.uint8))


def scan_pdf(source: Path, target: Path, dpi: int = 250, seed: int = 0, text_layer: bool = False) -> int:
    """Write an image-only scan of `source` to `target` (with `text_layer`, an OCR'd scan: straight, under an
    invisible layer of the original's text lines); returns the page count."""
    rng = random.Random(f"{seed}:{source.name}")
    with pdfium.PdfDocument(source) as original:
        scanned = pdfium.PdfDocument.new()
        for index in range(len(original)):
            lines = _text_lines(original, index) if text_layer else []
            page = original[index]
            left, bottom, right, top = page.get_mediabox()
            crop = page.get_cropbox()
            angle = 0.0 if text_layer else rng.uniform(*SKEW_DEGREES) * rng.choice((-1, 1))
            picture = scan_page(page, dpi, angle, rng)
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=JPEG_QUALITY)
            buffer.seek(0)
            new_page = scanned.new_page(right - left, top - bottom)
            new_page.set_mediabox(left, bottom, right, top)  # an offset MediaBox stays offset, like the truth's frame
            new_page.set_cropbox(*crop)
            image = pdfium.PdfImage.new(scanned)
            image.load_jpeg(buffer, inline=True)
            crop_l, crop_b, crop_r, crop_t = crop
            image.set_matrix(pdfium.PdfMatrix().scale(crop_r - crop_l, crop_t - crop_b).translate(crop_l, crop_b))
            new_page.insert_obj(image)
            for line in lines:
                _insert_invisible_line(scanned, new_page, line, top - bottom)
            new_page.gen_content()
            page.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        scanned.save(temporary)
        temporary.replace(target)
        count = len(scanned)
        scanned.close()
    return count


def _text_lines(document: pdfium.PdfDocument, index: int) -> list[TextLine]:
    page = read_page(document, index)
    try:
        return list(page.lines)
    finally:
        page.close()


def _insert_invisible_line(document: pdfium.PdfDocument, page: pdfium.PdfPage, line: TextLine, height: float) -> None:
    """`line` as invisible Helvetica text stretched over its box (page coordinates measured from the MediaBox
    height, as extract reads them)."""
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, ctypes.c_float(line.box.height))
    encoded = ctypes.create_string_buffer(line.text.encode("utf-16-le") + b"\x00\x00")
    pdfium_c.FPDFText_SetText(text, ctypes.cast(encoded, ctypes.POINTER(ctypes.c_ushort)))
    pdfium_c.FPDFTextObj_SetTextRenderMode(text, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(text, *(ctypes.byref(v) for v in (left, bottom, right, top)))
    sx = line.box.width / max(right.value - left.value, 1e-3)
    sy = line.box.height / max(top.value - bottom.value, 1e-3)
    e, f = line.box.x0 - left.value * sx, height - line.box.bottom - bottom.value * sy
    pdfium_c.FPDFPageObj_Transform(text, sx, 0.0, 0.0, sy, e, f)
    pdfium_c.FPDFPage_InsertObject(page.raw, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--dpi", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--text-layer", action="store_true", help="an OCR'd scan: straight, with invisible text")
    args = parser.parse_args()
    for source in args.sources:
        pages = scan_pdf(source, args.out / source.name, args.dpi, args.seed, args.text_layer)
        print(f"{args.out / source.name}: {pages} scanned pages")


if __name__ == "__main__":
    main()

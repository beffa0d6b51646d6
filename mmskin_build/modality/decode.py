"""Image bytes -> a fixed-size RGB array, whatever the file's mode, bit depth or size.

Every odd input either decodes to a faithful RGB picture or raises `ImageDecodeError` with a short reason
(`mmskin_build.imaging`'s policy, plus too-small here), so one bad file never stops a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from mmskin_build.imaging import IMAGE_SUFFIXES, ImageDecodeError, decoding, open_image
from mmskin_build.modality import DECODE_THREADS

DECODE_SIZE = 128
"""Side of the square array every image is resized to (the model samples its input from it)."""

MIN_SIDE = 32
"""Images with a side under this many pixels carry too little to classify."""

TOO_SMALL = "too-small"
"""The reason of an image under `MIN_SIDE`: recorded, left without a modality, and not a failure of the run."""


def decode_image(data: bytes | Path, size: int = DECODE_SIZE) -> np.ndarray:
    """`size` x `size` x 3 uint8 RGB array of an image file (bytes or path); aspect ratio is not kept."""
    with decoding(), open_image(data) as image:
        return _to_array(image, size)


def _to_array(image: Image.Image, size: int) -> np.ndarray:
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise ImageDecodeError(TOO_SMALL, f"{width}x{height} px; at least {MIN_SIDE} px per side are needed")
    if image.format == "JPEG":
        # DCT-domain downscaling: a JPEG decodes at the smallest of 1/1..1/8 scale that still covers `size`
        # (the IDCT's scaling averages like a box filter), fast and in little memory.
        image.draft(image.mode, (size, size))
    image.load()
    if image.mode in _RESIZE_FIRST:
        # Shrinking first is cheaper and gives the same picture: these conversions are linear per pixel
        # (PIL resamples RGBA premultiplied, so compositing on white commutes with the resize).
        return np.asarray(to_rgb(_shrink(image, size)))
    return np.asarray(_shrink(to_rgb(image), size))


_RESIZE_FIRST = frozenset({"RGB", "RGBA", "L", "LA"})


def _shrink(image: Image.Image, size: int) -> Image.Image:
    return image.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)


def to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB: transparency composited on white, 16-bit and float data rescaled rather than clipped."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        return Image.fromarray(_rescale_to_uint8(np.asarray(image), sixteen_bit=mode.startswith("I;16"))).convert("RGB")
    if mode == "P" and "transparency" in image.info or mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        # Figures with transparent backgrounds are drawn for a white page.
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, image).convert("RGB")
    # Palette, grayscale, 1-bit, CMYK (PIL's JPEG decoder undoes Adobe's inversion), YCbCr, LAB, HSV.
    return image.convert("RGB")


def _rescale_to_uint8(values: np.ndarray, sixteen_bit: bool) -> np.ndarray:
    """Wide samples to 8 bits (PIL's own conversion clips everything above 255 to white)."""
    values = values.astype(np.float64)
    low, high = float(values.min()), float(values.max())
    if sixteen_bit or (low >= 0 and 255 < high <= 65535):
        return (values / 257.0).round().astype(np.uint8)
    if low >= 0 and high <= 255:
        return values.astype(np.uint8)
    span = high - low or 1.0
    return ((values - low) / span * 255.0).round().astype(np.uint8)


def folder_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The image files under `root` (by extension), recursively, in a stable order, and the other files;
    hidden files are neither."""
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    images = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
    return images, [p for p in files if p.suffix.lower() not in IMAGE_SUFFIXES]


def decode_all(
    sources: Sequence[bytes | Path], size: int = DECODE_SIZE, threads: int = DECODE_THREADS
) -> list[np.ndarray | ImageDecodeError]:
    """`decode_image` over many images, in `threads` threads (1: in this one); errors are returned."""

    def one(source: bytes | Path) -> np.ndarray | ImageDecodeError:
        try:
            return decode_image(source, size)
        except ImageDecodeError as exc:
            return exc

    if threads == 1:
        return [one(source) for source in sources]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, sources))

"""Image bytes -> a fixed-size RGB array, whatever the file's mode, bit depth or size.

Every odd input either decodes to a faithful RGB picture or raises `ImageDecodeError` with a short reason,
so one bad file never stops a run.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

DECODE_SIZE = 128
"""Side of the square array every image is resized to (the model samples its input from it)."""

MIN_SIDE = 32
"""Images with a side under this many pixels carry too little to classify."""

MAX_FULL_DECODE_PIXELS = 120_000_000
"""Largest image decoded at full size (~360 MB as RGB); JPEGs are decoded at a reduced scale instead."""


class ImageDecodeError(Exception):
    """An image that cannot be turned into pixels; `reason` is short and machine-readable."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def decode_image(data: bytes | Path, size: int = DECODE_SIZE) -> np.ndarray:
    """`size` x `size` x 3 uint8 RGB array of an image file (bytes or path); aspect ratio is not kept."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        with warnings.catch_warnings():
            # Large images are handled below (reduced JPEG decoding or a clear error), not warned about.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                return _to_array(image, size)
    except ImageDecodeError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageDecodeError("too-large", str(exc)) from exc
    except FileNotFoundError as exc:
        raise ImageDecodeError("missing", "no such file") from exc
    except UnidentifiedImageError as exc:
        raise ImageDecodeError("not-an-image", "not a recognised image format") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # PIL reports truncated and corrupt streams as OSError (sometimes SyntaxError/ValueError).
        raise ImageDecodeError("decode-failed", f"corrupt or truncated image data: {exc}") from exc


def _to_array(image: Image.Image, size: int) -> np.ndarray:
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise ImageDecodeError("too-small", f"{width}x{height} px; at least {MIN_SIDE} px per side are needed")
    if image.format == "JPEG":
        # DCT-domain downscaling: a JPEG decodes at the smallest of 1/1..1/8 scale that still covers `size`
        # (the IDCT's scaling averages like a box filter), fast and in little memory whatever its size.
        image.draft(image.mode, (size, size))
    elif width * height > MAX_FULL_DECODE_PIXELS:
        raise ImageDecodeError(
            "too-large", f"{width}x{height} px {image.format} exceeds {MAX_FULL_DECODE_PIXELS:,} pixels"
        )
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


def image_files(root: Path) -> list[Path]:
    """Every regular file under `root`, recursively, in a stable order (hidden files skipped)."""
    return sorted(
        p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def decode_all(sources: Sequence[bytes | Path], size: int = DECODE_SIZE) -> list[np.ndarray | ImageDecodeError]:
    """`decode_image` over many images in threads (PIL decodes without holding the GIL); errors are returned."""

    def one(source: bytes | Path) -> np.ndarray | ImageDecodeError:
        try:
            return decode_image(source, size)
        except ImageDecodeError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(one, sources))

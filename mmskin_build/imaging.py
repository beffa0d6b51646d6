"""One image-decoding policy for every stage: one size limit, one error with short reasons, one way to open.

A picture that claims more pixels than `MAX_PIXELS` is refused from its header, before a pixel is decoded
(a decompression bomb costs nothing); every other failure of PIL becomes an `ImageDecodeError` whose
`reason` goes into the `errors` table as it is.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 120_000_000
"""Largest picture decoded (~360 MB as RGB)."""

# `open_image` applies the limit itself. Set once for the process: `warnings.catch_warnings` around each decode is
# not thread-safe, and extract decodes on its reading and output threads at once.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp"})
"""What a file in a folder of images is read as an image by (any case); other files (labels.csv) are not."""


class ImageDecodeError(Exception):
    """An image that cannot be turned into pixels; `reason` is short and machine-readable
    (too-large, decode-failed, not-an-image, missing, too-small)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def check_pixels(width: int, height: int) -> None:
    """Raises `ImageDecodeError('too-large')` for a picture above the limit."""
    if width * height > MAX_PIXELS:
        raise ImageDecodeError("too-large", f"image claims {width}x{height} pixels (limit {MAX_PIXELS:,})")


@contextmanager
def decoding() -> Iterator[None]:
    """PIL's errors inside the block as `ImageDecodeError`s (its decompression-bomb warnings are silenced above)."""
    try:
        yield
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
        reason = str(exc).split(" <")[0]  # PIL may append the repr of its buffer
        raise ImageDecodeError("decode-failed", f"corrupt or truncated image data: {reason}") from exc


def open_image(source: bytes | Path) -> Image.Image:
    """The image of a file or of bytes, header read and size checked, pixels not decoded yet; call it inside
    `decoding()` so that a bad file raises `ImageDecodeError`."""
    image = Image.open(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
    try:
        check_pixels(*image.size)
    except ImageDecodeError:
        image.close()
        raise
    return image

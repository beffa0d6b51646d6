"""Image bytes for the dataset: an embedded picture's own bytes where possible, else a render.

Every picture is decoded once before it is kept, so a corrupt stream becomes an error row instead of a
broken image in the dataset; an image whose header claims more pixels than PIL allows (a decompression
bomb) is never decoded at all.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from mmskin_build.extract.page import Graphic, PageContent

# PIL's own limit; a picture above it is refused rather than decoded.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
JPEG_QUALITY = 92


class ImageDecodeError(Exception):
    """An embedded image that cannot be decoded, or is too large to decode safely."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class EncodedImage:
    data: bytes
    format: str  # "png" | "jpeg"
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def open(self) -> Image.Image:
        return Image.open(io.BytesIO(self.data))


def is_bomb(graphic: Graphic) -> bool:
    width, height = graphic.pixel_size or (0, 0)
    return width * height > MAX_PIXELS


def embedded_image(page: PageContent, graphic: Graphic) -> EncodedImage:
    """The picture of an image object: its JPEG bytes unchanged when they are plain RGB or grey JPEG,
    otherwise its decoded pixels as PNG."""
    width, height = graphic.pixel_size or (0, 0)
    if width * height > MAX_PIXELS:
        raise ImageDecodeError("decompression-bomb", f"image claims {width}x{height} pixels (limit {MAX_PIXELS})")
    image = pdfium.PdfImage(graphic.handle, page=page.pdf_page)
    if image.get_filters() == ["DCTDecode"]:
        data = bytes(image.get_data(decode_simple=False))
        try:
            with Image.open(io.BytesIO(data)) as picture:
                if picture.mode in ("RGB", "L"):
                    picture.load()  # a truncated or corrupt stream fails here
                    return EncodedImage(data, "jpeg", picture.width, picture.height)
        except (OSError, ValueError, SyntaxError) as exc:
            reason = str(exc).split(" <")[0]  # PIL appends the repr of its buffer
            raise ImageDecodeError("image-decode-failed", f"embedded JPEG does not decode: {reason}") from exc
    try:
        picture = image.get_bitmap(render=False).to_pil()
    except (pdfium.PdfiumError, OSError, ValueError):
        # Stencil masks and some colour spaces have no plain bitmap: let pdfium draw the object instead.
        picture = _render_object(page, graphic)
    return encode(picture, photo=False)


def _render_object(page: PageContent, graphic: Graphic) -> Image.Image:
    """The image object as drawn on the page, at its own resolution (at most 300 dpi)."""
    from mmskin_build.extract.render import render_region

    width = graphic.pixel_size[0] if graphic.pixel_size else 0
    dpi = int(min(300, max(72, 72 * width / max(graphic.box.width, 1.0))))
    picture = render_region(page, graphic.box, dpi)
    extrema = picture.convert("L").getextrema()
    if extrema[0] >= 250:
        raise ImageDecodeError("image-decode-failed", "embedded image does not decode (pdfium draws nothing)")
    return picture


def encode(picture: Image.Image, photo: bool) -> EncodedImage:
    """JPEG for photographs (small, fast), PNG for drawings (sharp edges, few colours)."""
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    if photo:
        picture.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        fmt = "jpeg"
    else:
        picture.save(buffer, format="PNG", compress_level=1)  # level 1: 3x faster, files ~15% larger
        fmt = "png"
    return EncodedImage(buffer.getvalue(), fmt, picture.width, picture.height)


def remove_from_page(page: PageContent, graphic: Graphic) -> None:
    """Take an object off the in-memory page so that rendering never touches it (bombs, broken streams)."""
    if pdfium_c.FPDFPage_RemoveObject(page.pdf_page.raw, graphic.handle):
        pdfium_c.FPDFPageObj_Destroy(graphic.handle)
    page.graphics = [g for g in page.graphics if g is not graphic]

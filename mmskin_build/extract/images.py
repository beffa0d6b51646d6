"""Image bytes for the dataset: an embedded picture's own bytes where possible, else a render.

Every picture is decoded once before it is kept, so a corrupt stream becomes an error row instead of a
broken image in the dataset; an image whose header claims more pixels than `mmskin_build.imaging` allows
(a decompression bomb) is never decoded at all.
"""

from __future__ import annotations

import hashlib
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from mmskin_build.extract.masks import ImageMasks
from mmskin_build.extract.page import Graphic, PageContent
from mmskin_build.imaging import ImageDecodeError, check_pixels, decoding, open_image

JPEG_QUALITY = 92
DRAWS_NOTHING = 250  # a picture whose darkest pixel is this light: pdfium drew nothing of it (it does not decode)


class EncodedImage:
    """A picture's bytes for the dataset. A picture made from pixels (a render, a decoded bitmap) keeps them and is
    encoded when its bytes are first asked for: extract asks on its output thread, so the reading thread does not
    wait for the encoder."""

    __slots__ = ("format", "width", "height", "_data", "_pixels")

    def __init__(self, data: bytes | None, format: str, width: int, height: int, pixels: Image.Image | None = None):
        self._data = data
        self.format = format  # "png" | "jpeg"
        self.width = width
        self.height = height
        # The pixels to encode (when `data` is None). A PNG keeps them: they are what its bytes decode to, so the
        # panel search does not decode them; a JPEG lets them go once encoded (its bytes decode to other pixels).
        self._pixels = pixels

    @property
    def data(self) -> bytes:
        if self._data is None:
            buffer = io.BytesIO()
            if self.format == "png":
                self._pixels.save(buffer, format="PNG", compress_level=1)  # level 1: 3x faster, files ~15% larger
            else:
                self._pixels.save(buffer, format="JPEG", quality=JPEG_QUALITY)
                self._pixels = None
            self._data = buffer.getvalue()
        return self._data

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def decoded(self) -> Image.Image:
        """The picture as pixels: those it was encoded from when the encoding is lossless (PNG), else decoded."""
        if self.format == "png" and self._pixels is not None:
            return self._pixels
        image = Image.open(io.BytesIO(self.data))
        image.load()
        return image


def check_graphic_pixels(graphic: Graphic) -> None:
    """Raises `ImageDecodeError('too-large')` for an image object whose header claims more than the limit."""
    check_pixels(*(graphic.pixel_size or (0, 0)))


def embedded_image(page: PageContent, graphic: Graphic, masks: ImageMasks, checked: bool = True) -> EncodedImage:
    """The picture of an image object: its JPEG bytes unchanged when they are plain RGB or grey JPEG,
    otherwise its decoded pixels as PNG; an image with a mask is composited over white paper with it. Without
    `checked`, plain JPEG bytes are not decoded here: the caller's own decode of them must check them (inside
    `decoding()`)."""
    check_graphic_pixels(graphic)
    image = pdfium.PdfImage(graphic.handle, page=page.pdf_page)
    is_jpeg = image.get_filters() == ["DCTDecode"]
    masked = masks.masked_streams(page.number - 1)
    if masked and _raw_stream(image) in masked:
        picture = _over_paper(page, graphic)
        if picture is not None:
            return encode(picture, photo=is_jpeg)
    if is_jpeg:
        data = _raw_stream(image)
        with decoding(), open_image(data) as picture:
            if picture.mode in ("RGB", "L"):
                if checked:
                    picture.load()  # a truncated or corrupt stream fails here
                return EncodedImage(data, "jpeg", picture.width, picture.height)
    try:
        bitmap = image.get_bitmap(render=False)
        picture = bitmap.to_pil()
        # Where to_pil shares pdfium's buffer (a bitmap already in PIL's layout: grey, RGBA), a copy: pdfium frees it
        # when the bitmap goes, and the picture is encoded and let go on extract's output thread, which must not call
        # pdfium. Other bitmaps (BGR) to_pil converts into a picture of its own, and one more copy of a 100 Mpx
        # picture would take 300 MB.
        if picture.mode == bitmap.mode:
            picture = picture.copy()
    except (pdfium.PdfiumError, OSError, ValueError):
        # Stencil masks and some colour spaces have no plain bitmap: let pdfium draw the object instead.
        picture = _render_object(page, graphic)
    return encode(picture, photo=False)


def _raw_stream(image: pdfium.PdfImage) -> bytes:
    return bytes(image.get_data(decode_simple=False))


def _over_paper(page: PageContent, graphic: Graphic) -> Image.Image | None:
    """The image at its own pixel size, drawn with its mask over white; None when the mask hides nothing.

    pdfium draws an image object with its mask (soft mask, stencil, colour key, /Matte undone) only at the size
    of its placement matrix, so the matrix is set to the pixel size for the draw and put back after it."""
    width, height = graphic.pixel_size or (0, 0)
    placed = pdfium_c.FS_MATRIX()
    if not width or not height or not pdfium_c.FPDFPageObj_GetMatrix(graphic.handle, placed):
        return None
    pdfium_c.FPDFPageObj_SetMatrix(graphic.handle, pdfium_c.FS_MATRIX(float(width), 0, 0, float(height), 0, 0))
    try:
        raw = pdfium_c.FPDFImageObj_GetRenderedBitmap(page.pdf_page.pdf.raw, page.pdf_page.raw, graphic.handle)
    finally:
        pdfium_c.FPDFPageObj_SetMatrix(graphic.handle, placed)
    if not raw:
        return None
    bitmap = pdfium.PdfBitmap.from_raw(raw)
    # The alpha read where pdfium wrote it: a copy of it is a page-sized scan's size again.
    if bitmap.format != pdfium_c.FPDFBitmap_BGRA or bitmap.to_numpy()[..., 3].min() == 255:
        return None
    drawn = bitmap.to_pil()
    # Pasted with its alpha onto RGB paper: the same pixels as compositing over RGBA paper and converting, with two
    # fewer full-size copies (a page-sized scan of ~100 Mpx would otherwise take over 1 GB here).
    paper = Image.new("RGB", drawn.size, "white")
    paper.paste(drawn, mask=drawn)
    return paper


def visible_image(page: PageContent, graphic: Graphic, masks: ImageMasks) -> EncodedImage:
    """The part of a clipped image object that the page shows (`Graphic.placed`: its own pixels reach past it):
    its embedded pixels cut to that part where it is placed upright and unturned, else the object drawn there
    at its own resolution. (Drawn and resampled, a photograph can show a seam the panel search cuts at.)"""
    placed = pdfium_c.FS_MATRIX()
    photo = pdfium.PdfImage(graphic.handle, page=page.pdf_page).get_filters() == ["DCTDecode"]
    upright = pdfium_c.FPDFPageObj_GetMatrix(graphic.handle, placed) and placed.b == placed.c == 0
    if not upright or placed.a <= 0 or placed.d <= 0:
        return encode(_render_object(page, graphic), photo=photo)
    picture, whole, shown = embedded_image(page, graphic, masks).decoded(), graphic.placement, graphic.box
    sx, sy = picture.width / whole.width, picture.height / whole.height
    cut = (
        (shown.x0 - whole.x0) * sx,
        (shown.top - whole.top) * sy,
        (shown.x1 - whole.x0) * sx,
        (shown.bottom - whole.top) * sy,
    )
    return encode(picture.crop(tuple(round(v) for v in cut)), photo=photo)


def _render_object(page: PageContent, graphic: Graphic) -> Image.Image:
    """The image object as drawn on the page (its visible part), at its own resolution (at most 300 dpi)."""
    from mmskin_build.extract.render import render_region

    width = graphic.pixel_size[0] if graphic.pixel_size else 0
    dpi = int(min(300, max(72, 72 * width / max(graphic.placement.width, 1.0))))
    picture = render_region(page, graphic.box, dpi)
    extrema = picture.convert("L").getextrema()
    if extrema[0] >= DRAWS_NOTHING:
        raise ImageDecodeError("decode-failed", "embedded image does not decode (pdfium draws nothing)")
    return picture


def encode(picture: Image.Image, photo: bool) -> EncodedImage:
    """JPEG for photographs (small, fast), PNG for drawings (sharp edges, few colours)."""
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    # Encoded when its bytes are asked for (see EncodedImage).
    return EncodedImage(None, "jpeg" if photo else "png", picture.width, picture.height, pixels=picture)


def remove_from_page(page: PageContent, graphic: Graphic) -> None:
    """Take an object off the in-memory page so that rendering never touches it (bombs, broken streams)."""
    if pdfium_c.FPDFPage_RemoveObject(page.pdf_page.raw, graphic.handle):
        pdfium_c.FPDFPageObj_Destroy(graphic.handle)
    page.graphics = [g for g in page.graphics if g is not graphic]

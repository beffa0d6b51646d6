"""Broken and hostile PDFs for the extractor's error handling: each must give one clear error, and no more.

`bad_inputs(dir)` writes these files (all tiny) and returns {file name: expected `errors.reason`}:

- zero-byte.pdf: an empty file. pypdfium2 and pdfplumber refuse to open it.
- not-a-pdf.pdf: plain text named .pdf, no `%PDF-` header. Both refuse to open it.
- truncated.pdf: a good 3-page PDF cut in half: no xref, trailer or `%%EOF`. Both refuse to open it.
- encrypted.pdf: 2 pages behind the user password "secret". pypdfium2: "Incorrect password";
  pdfplumber: PDFPasswordIncorrect.
- broken-page.pdf: 3 pages; the page tree's 2nd entry is a string, not a page dictionary. pypdfium2
  counts 3 pages and fails to load page 2; pdfplumber silently lists 2 pages. Pages 1 and 3 are fine.
- bad-image.pdf: page 2 draws a DCTDecode image whose data is an SOI marker and zeros. The page loads
  and renders; decoding the image fails (PIL: cannot identify image file). Page 1 is fine.
- bomb.pdf: page 2 draws a Flate RGB image that claims 60000x60000 pixels (10.8 GB decoded) with a 1 kB
  stream of 1 MB of zeros: anything that allocates the claimed size before checking it runs out of memory.

`FAILING_PAGES` gives the 1-based page each page-level failure is on (the other pages must still be extracted).
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy as np
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.sample.images import jpeg_bytes, skin_photo
from mmskin_build.store.dataset import atomic_write_bytes

EXPECTED_REASONS: dict[str, str] = {
    "zero-byte.pdf": "empty-file",
    "not-a-pdf.pdf": "not-a-pdf",
    "truncated.pdf": "truncated",
    "encrypted.pdf": "encrypted",
    "broken-page.pdf": "page-failed",
    "bad-image.pdf": "not-an-image",
    "bomb.pdf": "too-large",
}
FAILING_PAGES: dict[str, int] = {"broken-page.pdf": 2, "bad-image.pdf": 2, "bomb.pdf": 2}
USER_PASSWORD = "secret"
BOMB_SIZE = 60000

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def bad_inputs(directory: Path) -> dict[str, str]:
    """Write every bad input into `directory` (created if needed); returns {file name: expected reason}."""
    directory = Path(directory)
    good = _image_pdf(
        _image_xobject(jpeg_bytes(skin_photo(np.random.default_rng(0), 320, 240)), 320, 240, b"/DCTDecode"), pages=3
    )
    bomb = zlib.compress(bytes(1 << 20), 9)
    files = {
        "zero-byte.pdf": b"",
        "not-a-pdf.pdf": b"This is a plain-text note saved with a .pdf extension, not a PDF.\n",
        "truncated.pdf": good[: len(good) // 2],
        "encrypted.pdf": _encrypted_pdf(),
        "broken-page.pdf": _broken_page_pdf(),
        # An SOI marker followed by zeros: looks like the start of a JPEG, has no frame header to decode.
        "bad-image.pdf": _image_pdf(_image_xobject(b"\xff\xd8" + bytes(2000), 400, 300, b"/DCTDecode")),
        "bomb.pdf": _image_pdf(_image_xobject(bomb, BOMB_SIZE, BOMB_SIZE, b"/FlateDecode")),
    }
    for name, data in files.items():
        atomic_write_bytes(directory / name, data)
    return {name: EXPECTED_REASONS[name] for name in files}


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file from numbered object bodies (object 1 is the catalog), with a correct xref table.

    Written by hand because the point is to put objects in states no PDF library would write.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def _text_page(parent: int, font: int, contents: int, xobject: int | None = None) -> bytes:
    images = b" /XObject << /Im1 %d 0 R >>" % xobject if xobject else b""
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >>%s >> "
        b"/Contents %d 0 R >>" % (parent, font, images, contents)
    )


def _text(line: str) -> bytes:
    return pdf_stream(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % line.encode())


def _image_xobject(data: bytes, width: int, height: int, filter_name: bytes) -> bytes:
    return pdf_stream(
        data,
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter %s"
        % (width, height, filter_name),
    )


def _image_pdf(image: bytes, pages: int = 2) -> bytes:
    """`pages` text pages; the last one also draws `image` in a 200 x 150 pt box."""
    first_page, font = 4, 3
    contents = first_page + pages
    image_obj = contents + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages)), pages),
        _FONT,
    ]
    objects += [_text_page(2, font, contents + i, image_obj if i == pages - 1 else None) for i in range(pages)]
    objects += [_text(f"Page {i + 1} is fine.") for i in range(pages - 1)]
    objects.append(
        pdf_stream(b"BT /F1 12 Tf 72 720 Td (Page %d draws an image.) Tj ET q 200 0 0 150 72 500 cm /Im1 Do Q" % pages)
    )
    objects.append(image)
    return pdf_from_objects(objects)


def truncated_image_pdf(path: Path) -> Path:
    """A two-page PDF whose page 2 draws a JPEG cut to a third of its length: its header reads, its pixels do not
    decode (`decode-failed`)."""
    photo = jpeg_bytes(skin_photo(np.random.default_rng(0), 320, 240))
    atomic_write_bytes(path, _image_pdf(_image_xobject(photo[: len(photo) // 3], 320, 240, b"/DCTDecode")))
    return path


def _broken_page_pdf() -> bytes:
    """Three pages where the page tree's second kid is a string instead of a page dictionary."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 >>",
            _FONT,
            _text_page(2, 3, 7),
            b"(this object should be a page dictionary)",
            _text_page(2, 3, 8),
            _text("Page 1 is fine."),
            _text("Page 3 is fine."),
        ]
    )


def _encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, invariant=True, encrypt=StandardEncryption(USER_PASSWORD, ownerPassword="owner-" + USER_PASSWORD)
    )
    for number in (1, 2):
        canvas.drawString(72, 720, f"Confidential page {number}: opening it needs the password.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()

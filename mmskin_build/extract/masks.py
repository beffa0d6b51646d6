"""Which embedded images carry a mask, read from their image XObject's dictionary.

An image with a soft mask (/SMask, PNG transparency), a /Mask (stencil or colour key) or JPX alpha (/SMaskInData)
decodes, without its mask, to colours the page never shows: a chart stored premultiplied against a black /Matte is
black where the page is white. So does an image that is itself a stencil mask (/ImageMask true: its bits say only
where the fill colour is painted; PLoS Pathogens 2006 stores its bar charts so, and pdfium's bitmap of them is white on
black). pdfium exposes no image dictionary, and its rendered alpha is no substitute: it leaves
the first column of some unmasked images transparent (the National Guideline's covers). pdfminer reads the
dictionaries; pdfium's image object is matched to its XObject by the stored (raw) stream bytes, which both return.
An inline image (no XObject) cannot have a mask stream, and matches nothing.
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path
from typing import BinaryIO

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

_MASK_KEYS = ("SMask", "Mask", "SMaskInData", "ImageMask")
_MASK_ENTRY = re.compile(rb"/S?Mask\s*(?:\d+\s+\d+\s+R|\[)|/SMaskInData\s*[12]|/ImageMask\s*true")
_MAX_FORM_DEPTH = 15  # pdfium's own nesting limit for page objects in forms (page.py reads to the same depth)


class ImageMasks:
    """One PDF's masked images, page by page; opens the file with pdfminer on the first question only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._document: PDFDocument | None = None
        self._pages: list[object] | None = None  # each page's /Resources
        self._masked: tuple[int, set[bytes]] | None = None  # the last page asked about: pages come in order
        # Why pdfminer could not read the file, if it could not: its images are then taken unmasked, as pdfium
        # stores them, and the caller records this once.
        self.failure: str | None = None

    def masked_streams(self, page_index: int) -> set[bytes]:
        """The raw streams of the page's masked image XObjects (also those inside its forms)."""
        if self._masked is None or self._masked[0] != page_index:
            found: set[bytes] = set()
            try:
                pages = self._open()
                if page_index < len(pages):
                    read: set[int] = set()
                    _collect(pages[page_index], found, read, 0)
                    self._forget(read)
            except Exception as exc:  # pdfminer raises many types on files pdfium still reads
                self.failure = (
                    self.failure or f"image masks not read (page {page_index + 1}): {type(exc).__name__}: {exc}"
                )
            self._masked = (page_index, found)
        return self._masked[1]

    def _forget(self, objids: set[int]) -> None:
        """Drop the page's XObjects from pdfminer's object cache, which would otherwise keep every image read (no
        cache at all is worse: each object in an object stream then decodes its whole stream again, 10x slower)."""
        cached = getattr(self._document, "_cached_objs", None)
        if isinstance(cached, dict):
            for objid in objids:
                cached.pop(objid, None)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open(self) -> list[object]:
        if self._pages is None:
            self._pages = []  # a file that fails to open is tried once
            if not _names_masks(self.path):
                return self._pages
            self._file = self.path.open("rb")
            self._document = PDFDocument(PDFParser(self._file))
            self._pages = _page_resources(self._document)
        return self._pages


def _names_masks(path: Path) -> bool:
    """Whether the file's bytes hold an image's mask entry at all: a mask stream referred to, a colour-key array, or
    JPX alpha (an ExtGState's "/SMask /None" is none). An image XObject's dictionary is never compressed (a stream
    cannot sit in an object stream, and encryption leaves names alone), so without one no image is masked and
    pdfminer need not parse the file (28 of the 43 dev and papers PDFs)."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _MASK_ENTRY.search(data) is not None


def _page_resources(document: PDFDocument) -> list[object]:
    """Each page's /Resources (its own or inherited from the page tree), in page order. pdfminer's PDFPage would
    also read every page's content stream, which cost 5x the rest here."""
    resources: list[object] = []
    stack: list[tuple[object, object]] = [(document.catalog.get("Pages"), None)]
    seen: set[int] = set()
    while stack:
        ref, inherited = stack.pop()
        if not _first_visit(ref, seen):
            continue
        node = resolve1(ref)
        if not isinstance(node, dict):
            continue
        own = node.get("Resources", inherited)
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list):
            stack.extend((kid, own) for kid in reversed(kids))
        else:
            resources.append(own)
    return resources


def _collect(resources: object, found: set[bytes], seen: set[int], depth: int) -> None:
    resources = resolve1(resources)
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return
    for ref in xobjects.values():
        if not _first_visit(ref, seen):
            continue
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        subtype = _name(stream.get("Subtype"))
        if subtype == "Image" and any(resolve1(stream.get(key)) for key in _MASK_KEYS):
            found.add(_stored_bytes(stream))
        elif subtype == "Form" and depth < _MAX_FORM_DEPTH:
            _collect(stream.get("Resources"), found, seen, depth + 1)


def _stored_bytes(stream: PDFStream) -> bytes:
    """The stream's bytes as pdfium's FPDFImageObj_GetImageDataRaw gives them: decrypted, still encoded (an
    "encrypted" PDF that opens without a password, as government PDFs restricting printing or copying do)."""
    raw = stream.get_rawdata() or b""
    if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    return raw


def _first_visit(ref: object, seen: set[int]) -> bool:
    """False for an indirect object met before (a loop, or a form or image used twice); records it otherwise."""
    if isinstance(ref, PDFObjRef):
        if ref.objid in seen:
            return False
        seen.add(ref.objid)
    return True


def _name(value: object) -> str | None:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else None

"""One PDF -> rows of the figures, images and errors tables.

Two passes over the pages: the first reads the text of every page (the body font size, running headers
and the in-text mentions are properties of the whole document), the second finds the figures and writes
them. Rows go to temporary shards as they are made, so memory stays flat on long books.

A long PDF can also be extracted as several tasks (`PdfPart`): one first pass, then page ranges that share its
result; their outcomes, absorbed in page order, hold the same rows as one task's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image

from mmskin_build.extract.detect import detect_figures
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.images import EncodedImage, check_graphic_pixels, embedded_image, encode, remove_from_page
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.mentions import MentionIndex, mention_key
from mmskin_build.extract.ocr import OcrMode
from mmskin_build.extract.page import PageContent, TextLine, read_page
from mmskin_build.extract.panels import PanelBox, assign_letters, find_panels, needs_pixels
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.render import render_region
from mmskin_build.extract.scanned import PageOcr
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.imaging import ImageDecodeError
from mmskin_build.store.dataset import ShardWriter, StagedShard, sha256_file
from mmskin_build.tables import ErrorRecord, FigureRecord, ImageData, ImageRecord, Panel

STAGE = "extract"
# Counters of a PdfOutcome that add up over the parts of a PDF (and over the PDFs of a run).
PER_PDF_COUNTS = (
    "pages",
    "figures",
    "panels",
    "images",
    "uncaptioned_dropped",
    "slices_dropped",
    "decorations_dropped",
)
# The first pass leaves this many pages of a PDF open for the second, so that pdfium parses them once; later pages
# are loaded again. A parsed page holds ~0.4 MB on the dev PDFs' densest book, so this bounds memory on long books.
KEEP_OPEN_PAGES = 64


@dataclass(frozen=True)
class ExtractConfig:
    dpi: int = 200
    captioned_only: bool = False
    ocr: OcrMode = OcrMode.auto


@dataclass
class DocumentText:
    """The document-wide first pass: body size and running headers, the mentions, every page's lines by page
    index (None for a page it could not read, which it reported) and what OCR found."""

    style: DocumentStyle
    mentions: MentionIndex
    lines: dict[int, list[TextLine] | None]
    ocr: PageOcr

    def for_pages(self, pages: range) -> DocumentText:
        """What the task for `pages` needs: the lines of those pages and of the one after them (for a caption
        or a picture cut by the page break), not the whole document's."""
        lines = {index: self.lines[index] for index in range(pages.start, pages.stop + 1) if index in self.lines}
        return DocumentText(self.style, self.mentions, lines, self.ocr)


@dataclass(frozen=True)
class PdfPart:
    """One task of a PDF split into several: its first pass alone (`text` None), or the pages `pages` (0-based)
    given the first pass's result."""

    pages: range = range(0)
    text: DocumentText | None = None


@dataclass
class PdfOutcome:
    """What extracting one PDF produced; the shards wait in the temp area for the caller's commit."""

    source: str
    sha256: str
    size: int
    status: Literal["done", "failed"] = "done"
    pages: int = 0
    figures: int = 0
    panels: int = 0
    images: int = 0
    uncaptioned_dropped: int = 0
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    ocr_engine: str | None = None
    slices_dropped: int = 0  # tops of pictures sliced by a page break: the figure is on the next page
    decorations_dropped: int = 0  # uncaptioned pictures repeated at one place on 3+ pages, on covers, in front matter
    errors: list[ErrorRecord] = field(default_factory=list)
    staged: list[StagedShard] = field(default_factory=list)
    seconds: float = 0.0
    text: DocumentText | None = None  # what a first-pass part found, for the page-range parts

    def absorb(self, part: PdfOutcome) -> None:
        """Add the rows and counts of a later part of the same PDF."""
        self.status = "failed" if "failed" in (self.status, part.status) else "done"
        for name in PER_PDF_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.errors += part.errors
        self.staged += part.staged
        self.seconds += part.seconds


class PdfOpenError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def book_id_of(sha256: str) -> str:
    return sha256[:16]


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, or raise PdfOpenError with a short reason and a clear explanation."""
    size = path.stat().st_size
    if size == 0:
        raise PdfOpenError("empty-file", "the file is empty (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise PdfOpenError("not-a-pdf", "no %PDF- header: not a PDF file")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise PdfOpenError("encrypted", "the PDF is encrypted and needs a password") from exc
        with open(path, "rb") as fh:
            fh.seek(max(0, size - 2048))
            tail = fh.read()
        if b"%%EOF" not in tail:
            raise PdfOpenError("truncated", f"the file ends before the PDF does (no %%EOF): {message}") from exc
        raise PdfOpenError("unreadable-pdf", f"pdfium cannot open it: {message}") from exc


def extract_pdf(
    path: Path,
    dataset_root: Path,
    config: ExtractConfig,
    on_page: Callable[[int], None] | None = None,
    part: PdfPart | None = None,
) -> PdfOutcome:
    """Extract one PDF (or one `part` of it) into temporary shards under `dataset_root`; never raises for bad
    input."""
    started = time.perf_counter()
    sha256 = sha256_file(path)
    outcome = PdfOutcome(path.name, sha256, path.stat().st_size)
    writers = {table: ShardWriter(dataset_root, table, rows_per_shard=256) for table in ("figures", "images", "errors")}
    try:
        _Extraction(path, sha256, config, writers, outcome, on_page).run(part)
    finally:
        for writer in writers.values():
            outcome.staged.extend(writer.close())
        outcome.seconds = time.perf_counter() - started
    return outcome


class _Extraction:
    def __init__(self, path, sha256, config, writers, outcome, on_page) -> None:
        self.path: Path = path
        self.book_id = book_id_of(sha256)
        self.config: ExtractConfig = config
        self.writers: dict[str, ShardWriter] = writers
        self.outcome: PdfOutcome = outcome
        self.on_page = on_page or (lambda _n: None)
        self.ocr = PageOcr(config.ocr)
        self.open_pages: dict[int, PageContent] = {}  # page index -> the first pass's read, for the second pass

    def error(self, reason: str, detail: str, page: int | None = None, item_id: str | None = None) -> None:
        record = ErrorRecord(
            stage=STAGE, source=str(self.path), page=page, item_id=item_id, reason=reason, detail=detail
        )
        self.writers["errors"].add(record)
        self.outcome.errors.append(record)

    def run(self, part: PdfPart | None) -> None:
        try:
            document = open_pdf(self.path)
        except PdfOpenError as exc:
            self.outcome.status = "failed"
            self.error(exc.reason, str(exc))
            return
        except OSError as exc:
            self.outcome.status = "failed"
            self.error("unreadable-file", str(exc))
            return
        try:
            self._run(document, part)
        finally:
            for page in self.open_pages.values():
                page.close()
            document.close()

    def _run(self, document: pdfium.PdfDocument, part: PdfPart | None) -> None:
        if part is not None and part.text is not None:  # a page range, given the first pass
            first, pages = part.text, part.pages
            self.ocr = first.ocr
        else:
            style, mentions, lines = self._read_text(document, keep_open=part is None)
            first = DocumentText(style, mentions, dict(enumerate(lines)), self.ocr)
            self._report_ocr()
            if part is not None:  # the first pass alone
                self.outcome.text = first
                return
            pages = range(len(document))
        self.outcome.pages = len(pages)
        lines = first.lines
        for index in pages:
            if lines[index] is not None:
                following = lines.get(index + 1)
                self._extract_page(document, index, lines[index], first.style, first.mentions, following)
            self.on_page(1)

    def _read_text(
        self, document: pdfium.PdfDocument, keep_open: bool
    ) -> tuple[DocumentStyle, MentionIndex, list[list[TextLine] | None]]:
        style, mentions = DocumentStyle(), MentionIndex()
        lines: list[list[TextLine] | None] = []
        for index in range(len(document)):
            try:
                page = read_page(document, index)
            except Exception as exc:  # pdfium raises several types for broken pages
                self.error("page-failed", f"page does not parse: {exc}", page=index + 1)
                lines.append(None)
                continue
            try:
                page_lines = self.ocr.first_read(page)
                if page_lines is not None:
                    # A scan's one page-sized picture is no recurring decoration: its figures are found on the raster.
                    graphics = () if page.number in self.ocr.angles else page.graphics
                    style.add_page(page.number, page.height, page_lines, graphics)
                lines.append(page_lines)
            except Exception as exc:  # Tesseract failing on one page must not lose the others
                self.error("ocr-failed", f"OCR of the page failed: {type(exc).__name__}: {exc}", page=index + 1)
                lines.append(None)
            finally:
                if keep_open and index < KEEP_OPEN_PAGES and lines[-1] is not None:
                    self.open_pages[index] = page
                else:
                    page.close()
        # Mentions come from body text only: chart labels, captions and headers are set in other sizes.
        for page_lines in lines:
            if page_lines is not None:
                mentions.add_page("\r\n".join(line.text for line in page_lines if style.is_body_size(line)))
        return style, mentions, lines

    def _report_ocr(self) -> None:
        self.outcome.ocr_pages = sorted(self.ocr.angles)
        self.outcome.ocr_engine = self.ocr.engine if self.ocr.angles else None
        detail = self.ocr.unread_detail()
        if detail:
            self.error("scanned-page", detail, page=self.ocr.unread[0])

    def _extract_page(
        self, document, index: int, lines: list[TextLine], style, mentions: MentionIndex, next_lines
    ) -> None:
        try:
            page = self.open_pages.pop(index, None) or read_page(document, index, lines)
            page.lines = lines  # an OCR'd page's lines are OCR's, not its text layer's
        except Exception as exc:
            self.error("page-failed", f"page does not parse: {exc}", page=index + 1)
            return
        try:
            self._remove_oversized_images(page)
            self.ocr.prepare(page)
            found = detect_figures(page, style, next_lines)
            self.outcome.slices_dropped += len(found.slices)
            self.outcome.decorations_dropped += len(found.decorations)
            for region in found.figures:
                if region.caption is None and self.config.captioned_only:
                    self.outcome.uncaptioned_dropped += 1
                    continue
                self._write_figure(page, region, mentions)
        except Exception as exc:
            self.error("page-failed", f"figure search failed: {type(exc).__name__}: {exc}", page=page.number)
        finally:
            page.close()

    def _remove_oversized_images(self, page: PageContent) -> None:
        """Image objects above the pixel limit go off the page before anything renders them."""
        for graphic in [g for g in page.graphics if g.kind == "image"]:
            try:
                check_graphic_pixels(graphic)
            except ImageDecodeError as exc:
                self.error(exc.reason, f"{exc}; skipped", page=page.number)
                remove_from_page(page, graphic)

    def _write_figure(self, page: PageContent, region: FigureRegion, mentions: MentionIndex) -> None:
        caption = region.caption
        label = caption.label if caption else None
        figure_id = _stable_id(self.book_id, page.number, label or "", *region.box.as_list())
        kind = _kind(region)
        try:
            picture, origin = self._figure_picture(page, region, kind)
        except ImageDecodeError as exc:
            self.error(exc.reason, str(exc), page=page.number, item_id=figure_id)
            return
        subcaptions = parse_subcaptions(caption.text, caption.label_end) if caption else {}
        # Decoded once for the panel search and every panel's crop: the pixels of the bytes the figure row keeps.
        pixels = picture.decoded() if needs_pixels(region, len(subcaptions)) else None
        panels = find_panels(region, pixels, len(subcaptions))
        assign_letters(panels, region, subcaptions)
        self.writers["figures"].add(
            FigureRecord(
                figure_id=figure_id,
                book_id=self.book_id,
                source_pdf=self.path.name,
                page=page.number,
                page_width=round(page.width, 2),
                page_height=round(page.height, 2),
                bbox=region.box.as_list(),
                label=label,
                label_prefix=caption.prefix if caption else None,
                caption=caption.text if caption else None,
                caption_bbox=caption.box.as_list() if caption and not caption.overleaf else None,
                kind=kind,
                mentions=mentions.mentions(mention_key(caption.prefix, label) if caption else None),
                panels=[
                    Panel(index=i, letter=p.letter, bbox=p.box.as_list(), subcaption=p.subcaption)
                    for i, p in enumerate(panels)
                ],
                image=ImageData(bytes=picture.data, path=f"{figure_id}.{picture.format}"),
                image_width=picture.width,
                image_height=picture.height,
                ocr=page.scan.engine if page.scan else None,
            )
        )
        self.outcome.figures += 1
        self.outcome.panels += len(panels)
        if not panels:
            self._write_image(page, region, figure_id, None, None, region.box, picture, origin)
            return
        if pixels is None:
            pixels = picture.decoded()
        for index, panel in enumerate(panels):
            try:
                panel_picture, panel_origin = self._panel_picture(page, region, panel, pixels)
            except ImageDecodeError as exc:
                self.error(exc.reason, str(exc), page=page.number, item_id=f"{figure_id}-p{index}")
                continue
            self._write_image(page, region, figure_id, index, panel, panel.box, panel_picture, panel_origin)

    def _write_image(
        self, page, region, figure_id, index, panel: PanelBox | None, box: Box, picture: EncodedImage, origin
    ) -> None:
        caption = region.caption
        image_id = f"{figure_id}-f" if index is None else f"{figure_id}-p{index}"
        self.writers["images"].add(
            ImageRecord(
                image_id=image_id,
                figure_id=figure_id,
                book_id=self.book_id,
                source_pdf=self.path.name,
                page=page.number,
                panel_index=index,
                panel_letter=panel.letter if panel else None,
                bbox=box.as_list(),
                caption=caption.text if caption else None,
                subcaption=panel.subcaption if panel else None,
                image=ImageData(bytes=picture.data, path=f"{image_id}.{picture.format}"),
                image_format=picture.format,
                width=picture.width,
                height=picture.height,
                sha256=picture.sha256,
                origin=origin,
            )
        )
        self.outcome.images += 1

    def _figure_picture(self, page: PageContent, region: FigureRegion, kind: str) -> tuple[EncodedImage, str]:
        """The embedded picture when one image is the whole figure, else a render of the region; on a
        scanned page, the region cut from the page scan."""
        if page.scan is not None:
            return encode(page.scan.crop(region.box), photo=kind != "vector"), "scan"
        single = _single_image(region.images, region.box)
        if single is not None:
            return embedded_image(page, single), "embedded"
        rendered = render_region(page, region.box, self.config.dpi)
        return encode(rendered, photo=kind != "vector"), "render"

    def _panel_picture(
        self, page, region: FigureRegion, panel: PanelBox, picture: Image.Image
    ) -> tuple[EncodedImage, str]:
        """`picture`: the figure's decoded pixels."""
        single = None if page.scan else _single_image(region.images, panel.box)
        if single is not None:
            return embedded_image(page, single), "embedded"
        sx, sy = picture.width / region.box.width, picture.height / region.box.height
        crop = picture.crop(
            (
                round((panel.box.x0 - region.box.x0) * sx),
                round((panel.box.top - region.box.top) * sy),
                round((panel.box.x1 - region.box.x0) * sx),
                round((panel.box.bottom - region.box.top) * sy),
            )
        )
        return encode(crop, photo=True), "crop"


def _single_image(images, box: Box):
    """The one image that makes up `box`, if there is one."""
    matches = [g for g in images if g.box.overlap_area(box) > 0.5 * box.area]
    if len(matches) == 1 and matches[0].box.iou(box) >= 0.9:
        return matches[0]
    return None


def _kind(region: FigureRegion) -> Literal["raster", "vector", "mixed"]:
    image_area = sum(g.box.overlap_area(region.box) for g in region.images)
    if not region.images:
        return "vector"
    return "raster" if image_area >= 0.8 * region.box.area else "mixed"


def _stable_id(*parts: object) -> str:
    return hashlib.sha1(":".join(str(p) for p in parts).encode()).hexdigest()[:16]

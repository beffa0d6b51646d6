"""One PDF -> rows of the figures, images and errors tables.

Two passes over the pages: the first reads the text of every page (the body font size, running headers
and the in-text mentions are properties of the whole document), the second finds the figures and writes
them. Rows go to temporary shards as they are made, so memory stays flat on long books. Every pdfium call is made
on the calling thread; encoding and writing the rows run beside it on an output thread (`extract.output`), in the
order they are handed over, and OCR and the panel search on threads beside that.

A long PDF can also be extracted as several tasks (`PdfPart`): one first pass, then page ranges that share its
result; their outcomes, absorbed in page order, hold the same rows as one task's.
"""

from __future__ import annotations

import collections
import hashlib
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image

from mmskin_build.extract.detect import detect_figures
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.images import (
    EncodedImage,
    check_graphic_pixels,
    embedded_image,
    encode,
    remove_from_page,
    visible_image,
)
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.masks import ImageMasks
from mmskin_build.extract.mentions import MentionIndex
from mmskin_build.extract.ocr import OcrMode
from mmskin_build.extract.output import OutputThread
from mmskin_build.extract.page import Graphic, PageContent, TextLine, printed, read_page
from mmskin_build.extract.pagebreak import PAGES_AHEAD
from mmskin_build.extract.panels import PanelBox, assign_letters, find_panels, needs_pixels
from mmskin_build.extract.regions import FigureRegion
from mmskin_build.extract.render import render_region
from mmskin_build.extract.scanned import KEPT_SCANS, OcrRead, PageOcr, PageScan
from mmskin_build.extract.subcaptions import parse_subcaptions
from mmskin_build.imaging import ImageDecodeError, decoding
from mmskin_build.store.dataset import ShardWriter, StagedShard, sha256_file
from mmskin_build.tables import ErrorRecord, FigureRecord, ImageData, ImageRecord, Panel
from mmskin_build.text.labels import mention_key

STAGE = "extract"
_PACKAGE = Path(__file__).parents[1]  # mmskin_build/ as its frames name it, for where an error was raised
# Counters of a PdfOutcome that add up over the parts of a PDF (and over the PDFs of a run).
PER_PDF_COUNTS = (
    "pages",
    "figures",
    "panels",
    "images",
    "uncaptioned_dropped",
    "slices_dropped",
    "decorations_dropped",
    "text_pictures_dropped",
)
# The first pass leaves this many pages of a PDF open for the second, so that pdfium parses them once; later pages
# are loaded again. A parsed page holds ~0.4 MB on the dev PDFs' densest book, so this bounds memory on long books.
KEEP_OPEN_PAGES = 64
# Figures whose panel search runs beside the reading thread while the next pages are read, at most (each holds its
# picture's pixels, ~10 MB at 200 dpi, and keeps its page open).
WAITING_FIGURES = 4
# Bytes of pixels that the figures taken and not yet written (waiting for their panels, or for the output thread) hold
# together, at most; one figure always goes. Counts alone let four pictures of 100 Mpx (300 MB each as RGB, under the
# pixel limit) wait at once; on the dev PDFs at 200 dpi the figures in flight hold 18 MB at most: it never waits there.
PIXELS_IN_FLIGHT = 160 * 2**20
# Pages the first pass reads past a page whose OCR still runs, at most, not counting pages it keeps open for the
# second pass anyway (each stays open until taken).
READ_AHEAD_PAGES = 16
# The panel search's pixel rules (ink, gutters, texture, printed letters) are set on figures rendered at this
# resolution, one pixel a point. A render at another resolution resamples the embedded images differently (a
# low-resolution photograph interpolated smooth, hairlines of fine line art kept whole), so a rendered figure is
# searched as rendered at this one whatever `dpi` is, and its panels are cut from the render at `dpi`.
PANEL_SEARCH_DPI = 72


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
        """What the task for `pages` needs: the lines of those pages and of the `PAGES_AHEAD` after them (for a
        caption or a picture cut by the page break, a caption over pages it fills), not the whole document's."""
        ahead = range(pages.start, pages.stop + PAGES_AHEAD)
        lines = {index: self.lines[index] for index in ahead if index in self.lines}
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
    # uncaptioned pictures of the design: repeated at one place on 3+ pages, under display type, bled off one side of
    # the page, cut round, on covers, in front matter (detect._is_decoration)
    decorations_dropped: int = 0
    text_pictures_dropped: int = 0  # uncaptioned rasters of printed text: tables, forms, typed pages
    errors: list[ErrorRecord] = field(default_factory=list)
    staged: list[StagedShard] = field(default_factory=list)
    seconds: float = 0.0
    text: DocumentText | None = None  # what a first-pass part found, for the page-range parts
    # Of an outcome returned before its rows were written (extract_pdf's `finish_later`): what `finish` runs.
    unfinished: Callable[..., None] | None = field(default=None, repr=False, compare=False)

    def finish(self, cancel: bool = False) -> None:
        """Wait until the rows are written and the shards closed (with `cancel`: stop writing; the caller is
        stopping). Nothing to do for an outcome that was complete when returned."""
        unfinished, self.unfinished = self.unfinished, None
        if unfinished is not None:
            unfinished(cancel=cancel)

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
    finish_later: bool = False,
    sha256: str | None = None,
) -> PdfOutcome:
    """Extract one PDF (or one `part` of it) into temporary shards under `dataset_root`; never raises for bad
    input. With `finish_later`, it returns once the PDF is read, while its output thread may still be writing the
    last rows: the outcome is complete after `outcome.finish()`, which the caller must call (it may read another
    PDF first, beside those rows). `sha256`: the file's content hash where the caller has read it already."""
    started = time.perf_counter()
    sha256 = sha256 or sha256_file(path)
    outcome = PdfOutcome(path.name, sha256, path.stat().st_size)
    writers = {table: ShardWriter(dataset_root, table, rows_per_shard=256) for table in ("figures", "images", "errors")}
    output = OutputThread()
    finish = partial(_finish_output, outcome, output, writers, started)
    try:
        _Extraction(path, sha256, config, writers, outcome, on_page, output).run(part)
    except BaseException:  # Ctrl-C or a bug: stop writing, keep the error
        finish(cancel=True)
        raise
    if finish_later:
        outcome.unfinished = finish
    else:
        finish()
    return outcome


def _finish_output(
    outcome: PdfOutcome, output: OutputThread, writers: dict[str, ShardWriter], started: float, cancel: bool = False
) -> None:
    """Wait for the output thread's jobs (with `cancel`, for the one running only), then close the shards."""
    try:
        output.close(cancel)
    finally:
        for writer in writers.values():
            outcome.staged.extend(writer.close())
        outcome.seconds = time.perf_counter() - started


class _Extraction:
    """Reads a PDF on the calling thread (every pdfium call is made there); its rows are built and written on
    `output`'s thread, in the order they are handed over."""

    def __init__(self, path, sha256, config, writers, outcome, on_page, output) -> None:
        self.path: Path = path
        self.book_id = book_id_of(sha256)
        self.config: ExtractConfig = config
        self.writers: dict[str, ShardWriter] = writers  # used on the output thread alone
        self.output: OutputThread = output
        self.outcome: PdfOutcome = outcome
        self.on_page = on_page or (lambda _n: None)
        self.ocr = PageOcr(config.ocr)
        self.open_pages: dict[int, PageContent] = {}  # page index -> the first pass's read, for the second pass
        self.scans: dict[int, PageScan] = {}  # page number -> a straightened raster OCR read, for the second pass
        self.masks = ImageMasks(path)
        # Figures whose panels the output thread is searching, and the error rows made after them, in order; their
        # pages stay open (page number -> page) until the figures' rows are handed over.
        self.waiting: collections.deque[_WaitingFigure | ErrorRecord] = collections.deque()
        self.held_pages: dict[int, PageContent] = {}

    def error(
        self,
        reason: str,
        detail: str,
        page: int | None = None,
        item_id: str | None = None,
        exc: BaseException | None = None,
    ) -> None:
        """Record an error row (`exc`: the exception behind it, whose traceback `--debug` prints); behind the
        figures still waiting for their panels, so that rows keep their order."""
        record = self._error_row(reason, detail, page, item_id, exc)
        if self.waiting:
            self.waiting.append(record)
        else:
            self.output.submit(partial(self._keep_error, record))

    def _error_row(
        self, reason: str, detail: str, page: int | None, item_id: str | None = None, exc: BaseException | None = None
    ) -> ErrorRecord:
        record = ErrorRecord(
            stage=STAGE, source=str(self.path), page=page, item_id=item_id, reason=reason, detail=detail
        )
        return record.raised(exc) if exc is not None else record

    def _write_shards(self) -> None:
        for writer in self.writers.values():
            writer.flush()

    def _keep_error(self, record: ErrorRecord) -> None:
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
            self.output.submit(self._write_shards)  # while the pages close here
        finally:
            for page in [*self.open_pages.values(), *self.held_pages.values()]:
                page.close()
            document.close()
            self.masks.close()
            if self.masks.failure:
                self.error("masks-unread", self.masks.failure)

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
                following = [lines.get(index + ahead) for ahead in range(1, PAGES_AHEAD + 1)]
                self._extract_page(document, index, lines[index], first.style, first.mentions, following)
            self.on_page(1)
        self._settle(everything=True)

    def _read_text(
        self, document: pdfium.PdfDocument, keep_open: bool
    ) -> tuple[DocumentStyle, MentionIndex, list[list[TextLine] | None]]:
        style, mentions = DocumentStyle(), MentionIndex()
        lines: list[list[TextLine] | None] = []
        # Pages read (in `_reading_order`) whose OCR may still run beside: taken in page order.
        reads: dict[int, _FirstRead] = {}
        try:
            for index in _reading_order(len(document)):
                reads[index] = self._first_read(document, index)
                while len(lines) in reads and (
                    reads[len(lines)].ready() or _closing(reads, keep_open) > READ_AHEAD_PAGES
                ):
                    self._take_read(reads.pop(len(lines)), style, lines, keep_open)
            while reads:
                self._take_read(reads.pop(len(lines)), style, lines, keep_open)
        finally:
            for read in reads.values():  # left by an error or Ctrl-C
                if read.page is not None:
                    read.page.close()
        # Mentions come from body text only: chart labels, captions and headers are set in other sizes.
        for page_lines in lines:
            if page_lines is not None:
                mentions.add_page("\r\n".join(printed(line.text) for line in page_lines if style.is_body_size(line)))
        return style, mentions, lines

    def _first_read(self, document: pdfium.PdfDocument, index: int) -> _FirstRead:
        """Read page `index` (pdfium: here); a page to OCR goes to a thread beside."""
        read = _FirstRead(index)
        try:
            read.page = read_page(document, index)
        except Exception as exc:  # pdfium raises several types for broken pages
            read.error = ("page-failed", f"page does not parse: {exc}", exc)
            return read
        try:
            found = self.ocr.first_read(read.page)
        except Exception as exc:
            read.error = _ocr_failed(exc)
            return read
        if callable(found):
            read.ocr = self.output.compute(found)
        else:
            read.lines = found
        return read

    def _take_read(self, read: _FirstRead, style: DocumentStyle, lines: list, keep_open: bool) -> None:
        """Add a page's first read to the document's (its OCR done), in page order."""
        page = read.page
        try:
            if read.ocr is not None:
                done = read.ocr.result()
                read.lines = done.lines if done else None
                if done and keep_open and len(self.scans) < KEPT_SCANS:  # a second pass follows here
                    self.scans[page.number] = done.scan
        except Exception as exc:  # Tesseract failing on one page must not lose the others
            read.lines, read.error = None, _ocr_failed(exc)
        if read.lines is not None:
            # A scan's one page-sized picture is no recurring decoration: its figures are found on the raster.
            graphics, rasters = ((), page.graphics) if self.ocr.reads_raster(page.number) else (page.graphics, ())
            try:
                style.add_page(
                    page.number, page.height, read.lines, graphics, page.width, page.cropbox, rasters=rasters
                )
            except Exception as exc:  # a fault in the document's statistics loses this page, not the others
                read.lines, read.error = None, ("page-failed", _failure("the first pass over the page", exc), exc)
        if read.error is not None:
            reason, detail, exc = read.error
            self.error(reason, detail, page=read.index + 1, exc=exc)
        lines.append(read.lines)
        if page is None:
            return
        if keep_open and read.index < KEEP_OPEN_PAGES and read.lines is not None:
            self.open_pages[read.index] = page
        else:
            page.close()

    def _report_ocr(self) -> None:
        self.outcome.ocr_pages = sorted(self.ocr.angles)
        self.outcome.ocr_engine = self.ocr.engine if self.ocr.angles else None
        detail = self.ocr.unread_detail()
        if detail:
            self.error("scanned-page", detail, page=min(self.ocr.unread))

    def _extract_page(
        self, document, index: int, lines: list[TextLine], style, mentions: MentionIndex, following: list
    ) -> None:
        try:
            page = self.open_pages.pop(index, None) or read_page(document, index, lines)
            page.lines = lines  # an OCR'd page's lines are OCR's, not its text layer's
        except Exception as exc:
            self.error("page-failed", f"page does not parse: {exc}", page=index + 1, exc=exc)
            return
        try:
            self._remove_oversized_images(page)
            self.ocr.prepare(page, self.scans.pop(page.number, None))
            found = detect_figures(page, style, following)
            self.outcome.slices_dropped += len(found.slices)
            self.outcome.decorations_dropped += len(found.decorations)
            self.outcome.text_pictures_dropped += len(found.text_pictures)
            for region in found.figures:
                if region.caption is None and self.config.captioned_only:
                    self.outcome.uncaptioned_dropped += 1
                    continue
                self._start_figure(page, region, mentions)
        except Exception as exc:
            self.error("page-failed", _failure("figure search", exc), page=page.number, exc=exc)
        finally:
            self._settle()
            if any(isinstance(item, _WaitingFigure) and item.page is page for item in self.waiting):
                self.held_pages[page.number] = page
            else:
                page.close()

    def _remove_oversized_images(self, page: PageContent) -> None:
        """Image objects above the pixel limit go off the page before anything renders them."""
        for graphic in [g for g in page.graphics if g.kind == "image"]:
            try:
                check_graphic_pixels(graphic)
            except ImageDecodeError as exc:
                self.error(exc.reason, f"{exc}; skipped", page=page.number)
                remove_from_page(page, graphic)

    def _start_figure(self, page: PageContent, region: FigureRegion, mentions: MentionIndex) -> None:
        """The figure's picture (pdfium: here); its panel search goes to a thread beside."""
        caption = region.caption
        label = caption.label if caption else None
        figure_id = _stable_id(self.book_id, page.number, label or "", *region.box.as_list())
        kind = _kind(region)
        subcaptions = (
            parse_subcaptions(caption.text, caption.label_end, caption.title_end, [line.text for line in caption.lines])
            if caption
            else {}
        )
        # The panel search decodes the picture anyway when it looks at pixels: an embedded JPEG is checked by that
        # decode, beside this thread (_finish_figure records its failure), instead of by one more decode here.
        checked = not needs_pixels(region, len(subcaptions))
        holds = self._pixel_bytes(page, region)
        self._make_room(holds)
        try:
            picture, origin = self._figure_picture(page, region, kind, checked)
        except ImageDecodeError as exc:
            self.error(exc.reason, str(exc), page=page.number, item_id=figure_id)
            return
        figure = FigureRows(
            figure_id=figure_id,
            page=page.number,
            page_size=(round(page.width, 2), round(page.height, 2)),
            ocr=page.scan.engine if page.scan else None,
            region=region,
            kind=kind,
            mentions=mentions.mentions(mention_key(caption.prefix, label) if caption and label else None),
            picture=picture,
            holds=holds,
        )
        # Beside the writes, not behind them: the last figures' searches of a PDF need not wait for its rows.
        seen = self._searched_render(page, region, kind) if origin == "render" and not checked else None
        search = self.output.compute(partial(_panel_search, region, picture, subcaptions, seen))
        self.waiting.append(_WaitingFigure(page, figure, origin, search))

    def _pixel_bytes(self, page: PageContent, region: FigureRegion) -> int:
        """About the bytes of pixels a figure holds until written, as RGB: its picture (one image's own pixels, the
        region cut from a scan, or a render at `dpi`) and, of a figure of several images, each image (its panels'
        pictures)."""
        single = _single_image(region.images, region.box)
        if page.scan is not None:
            pixels = region.box.area * page.scan.scale**2
        elif single is not None:
            pixels = _pixel_count(single)
        else:
            pixels = region.box.area * (self.config.dpi / 72) ** 2 + sum(_pixel_count(g) for g in region.images)
        return round(3 * pixels)

    def _make_room(self, holds: int) -> None:
        """Wait until one more figure holding `holds` bytes of pixels keeps those in flight under PIXELS_IN_FLIGHT
        (or it is the only one): the waiting figures are handed over, then written."""
        if self._waiting_bytes() + holds > PIXELS_IN_FLIGHT:
            self._settle(everything=True)
        self.output.wait_until_holding(PIXELS_IN_FLIGHT - self._waiting_bytes() - holds)

    def _waiting_bytes(self) -> int:
        return sum(item.figure.holds for item in self.waiting if isinstance(item, _WaitingFigure))

    def _settle(self, everything: bool = False) -> None:
        """Hand over, in order, the rows of the waiting figures whose panel search is done (of all with
        `everything`, or while more than WAITING_FIGURES wait) and the errors made after them, and close the pages
        left without waiting figures. A failed panel search ends its page, as any failure in the figure search does:
        the page's later figures and errors are dropped."""
        while self.waiting:
            item = self.waiting[0]
            if isinstance(item, _WaitingFigure) and not (everything or item.search.done() or self._too_many_waiting()):
                break
            self.waiting.popleft()
            if isinstance(item, ErrorRecord):
                self.output.submit(partial(self._keep_error, item))
                continue
            try:
                self._finish_figure(item)
            except Exception as exc:
                number = item.page.number
                detail = _failure("figure search", exc)
                row = self._error_row("page-failed", detail, number, exc=exc)
                self.output.submit(partial(self._keep_error, row))
                while self.waiting and _page_of(self.waiting[0]) == number:
                    self.waiting.popleft()
        still_open = {item.page.number for item in self.waiting if isinstance(item, _WaitingFigure)}
        for number in [n for n in self.held_pages if n not in still_open]:
            self.held_pages.pop(number).close()

    def _too_many_waiting(self) -> bool:
        return sum(isinstance(item, _WaitingFigure) for item in self.waiting) > WAITING_FIGURES

    def _finish_figure(self, waiting: _WaitingFigure) -> None:
        """The panels found: each panel's picture is its own embedded image where one image makes it up (pdfium:
        here), else a crop of the figure's pixels (on the output thread); then the rows go to the output thread."""
        page, figure = waiting.page, waiting.figure
        try:
            panels, pixels = waiting.search.result()
        except ImageDecodeError as exc:  # the figure's embedded JPEG, checked by the search's decode: no figure
            row = self._error_row(exc.reason, str(exc), page.number, figure.figure_id)
            self.output.submit(partial(self._keep_error, row))
            return
        figure.panels = panels
        if not panels:
            figure.images.append((None, figure.region.box, figure.picture, waiting.origin))
        for index, panel in enumerate(panels):
            single = None if page.scan else _single_image(figure.region.images, panel.box)
            if single is None:
                figure.images.append((index, panel.box, None, "crop"))
                continue
            try:
                figure.images.append((index, panel.box, *self._image_picture(page, single)))
            except ImageDecodeError as exc:
                row = self._error_row(exc.reason, str(exc), page.number, f"{figure.figure_id}-p{index}")
                self.output.submit(partial(self._keep_error, row))
        self.output.submit(partial(self._write_rows, figure, pixels), holds=figure.holds)

    def _write_rows(self, figure: FigureRows, pixels: Image.Image | None) -> None:
        """On the output thread: the figure's row and its images' rows (cropping panels, encoding PNGs)."""
        try:
            self.writers["figures"].add(figure.figure_row(self.book_id, self.path.name))
            self.outcome.figures += 1
            self.outcome.panels += len(figure.panels)
            for index, box, picture, origin in figure.images:
                if picture is None:
                    picture = _panel_crop(figure.region.box, box, pixels)
                self.writers["images"].add(figure.image_row(self.book_id, self.path.name, index, box, picture, origin))
                self.outcome.images += 1
        except Exception as exc:
            detail = _failure("figure search", exc)
            self._keep_error(self._error_row("page-failed", detail, figure.page, exc=exc))

    def _image_picture(self, page: PageContent, single: Graphic, checked: bool = True) -> tuple[EncodedImage, str]:
        """One image object's picture: its embedded pixels, of a clipped one the part its clipping path shows
        (`checked`: see embedded_image)."""
        if single.placed is not None:  # clipped
            return visible_image(page, single, self.masks), "embedded"
        return embedded_image(page, single, self.masks, checked), "embedded"

    def _figure_picture(
        self, page: PageContent, region: FigureRegion, kind: str, checked: bool
    ) -> tuple[EncodedImage, str]:
        """The embedded picture when one image is the whole figure, else a render of the region; on a
        scanned page, the region cut from the page scan."""
        if page.scan is not None:
            return encode(page.scan.crop(region.box), photo=kind != "vector"), "scan"
        single = _single_image(region.images, region.box)
        if single is not None:
            return self._image_picture(page, single, checked)
        rendered = render_region(page, region.box, self.config.dpi)
        return encode(rendered, photo=kind != "vector"), "render"

    def _searched_render(self, page: PageContent, region: FigureRegion, kind: str) -> EncodedImage | None:
        """The rendered figure as the panel search sees it (`PANEL_SEARCH_DPI`), encoded as the figure's render is;
        None when the figure's own render is at that resolution."""
        if self.config.dpi == PANEL_SEARCH_DPI:
            return None
        return encode(render_region(page, region.box, PANEL_SEARCH_DPI), photo=kind != "vector")


def _panel_search(
    region: FigureRegion, picture: EncodedImage, subcaptions: dict[str, str], seen: EncodedImage | None = None
) -> tuple[list[PanelBox], Image.Image | None]:
    """Beside the reading thread: the figure's panels with their letters (found on `seen` when given: the figure as
    rendered at PANEL_SEARCH_DPI), and the figure's pixels when the panels are cut from them."""
    # Decoded once for the panel search and every panel's crop: the pixels of the bytes the figure row keeps. For an
    # embedded JPEG this decode is its check (a corrupt stream raises ImageDecodeError).
    searched = picture if seen is None else seen
    with decoding():
        pixels = searched.decoded() if needs_pixels(region, len(subcaptions)) else None
    panels = find_panels(region, pixels, len(subcaptions))
    assign_letters(panels, region, subcaptions)
    if seen is not None:
        pixels = None  # the search's pixels, not the figure's
    if panels and pixels is None:
        pixels = picture.decoded()
    return panels, pixels


def _panel_crop(figure: Box, panel: Box, pixels: Image.Image) -> EncodedImage:
    """The panel cut from the figure's pixels (which cover `figure`)."""
    sx, sy = pixels.width / figure.width, pixels.height / figure.height
    crop = pixels.crop(
        (
            round((panel.x0 - figure.x0) * sx),
            round((panel.top - figure.top) * sy),
            round((panel.x1 - figure.x0) * sx),
            round((panel.bottom - figure.top) * sy),
        )
    )
    return encode(crop, photo=True)


@dataclass
class _WaitingFigure:
    """A figure whose picture is taken and whose panels are being searched beside the reading thread."""

    page: PageContent
    figure: FigureRows
    origin: str  # of the picture
    search: Future[tuple[list[PanelBox], Image.Image | None]]


@dataclass
class _FirstRead:
    """One page of the first pass: its lines, or the OCR giving them (on a thread beside), or why it has none."""

    index: int
    page: PageContent | None = None
    lines: list[TextLine] | None = None
    ocr: Future[OcrRead | None] | None = None
    error: tuple[str, str, BaseException] | None = None  # (reason, detail, the exception) of its error row

    def ready(self) -> bool:
        return self.ocr is None or self.ocr.done()


def _reading_order(count: int) -> list[int]:
    """The first pass reads the last page second: were it a scan (a back cover), its OCR would otherwise start only
    once every other page was read, and the second pass would wait for it with nothing left to read beside it."""
    if count < 3:
        return list(range(count))
    return [0, count - 1, *range(1, count - 1)]


def _closing(reads: dict[int, _FirstRead], keep_open: bool) -> int:
    """How many of the pages read ahead close when taken: the others stay open for the second pass anyway."""
    return sum(1 for index in reads if not (keep_open and index < KEEP_OPEN_PAGES))


def _ocr_failed(exc: Exception) -> tuple[str, str, BaseException]:
    return "ocr-failed", _failure("OCR of the page", exc), exc


def _failure(what: str, exc: BaseException) -> str:
    """The detail of an error row for `what`, which raised `exc`: the exception and the line of this package that
    raised it (the last of its frames in the traceback), so that a bug's row says where to look in one line."""
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__) if Path(frame.filename).is_relative_to(_PACKAGE)
    ]
    where = ""
    if frames:
        path = Path(frames[-1].filename).relative_to(_PACKAGE.parent).as_posix()
        where = f" (at {path}:{frames[-1].lineno} in {frames[-1].name})"
    return f"{what} failed: {type(exc).__name__}: {exc}{where}"


def _page_of(item: _WaitingFigure | ErrorRecord) -> int | None:
    return item.page.number if isinstance(item, _WaitingFigure) else item.page


@dataclass
class FigureRows:
    """What a figure's rows are made of, taken from the page on the reading thread (the page closes after it), so
    that the rows can be built, and the PNGs encoded, on the output thread."""

    figure_id: str
    page: int
    page_size: tuple[float, float]
    ocr: str | None
    region: FigureRegion
    kind: Literal["raster", "vector", "mixed"]
    mentions: list[str]
    picture: EncodedImage
    holds: int  # about the bytes of pixels it holds until written (_Extraction._pixel_bytes)
    panels: list[PanelBox] = field(default_factory=list)
    # (panel index, or None for the whole figure; box; picture, None for a crop to cut on the output thread; origin)
    images: list[tuple[int | None, Box, EncodedImage | None, str]] = field(default_factory=list)

    def figure_row(self, book_id: str, source_pdf: str) -> FigureRecord:
        caption, picture = self.region.caption, self.picture
        return FigureRecord(
            figure_id=self.figure_id,
            book_id=book_id,
            source_pdf=source_pdf,
            page=self.page,
            page_width=self.page_size[0],
            page_height=self.page_size[1],
            bbox=self.region.box.as_list(),
            label=caption.label if caption else None,
            label_prefix=caption.prefix if caption and caption.label else None,
            caption=printed(caption.text if caption else None),
            caption_bbox=caption.box.as_list() if caption and not caption.overleaf else None,
            kind=self.kind,
            mentions=self.mentions,
            panels=[
                Panel(index=i, letter=p.letter, bbox=p.box.as_list(), subcaption=printed(p.subcaption))
                for i, p in enumerate(self.panels)
            ],
            image=ImageData(bytes=picture.data, path=f"{self.figure_id}.{picture.format}"),
            image_width=picture.width,
            image_height=picture.height,
            ocr=self.ocr,
        )

    def image_row(
        self, book_id: str, source_pdf: str, index: int | None, box: Box, picture: EncodedImage, origin: str
    ) -> ImageRecord:
        caption = self.region.caption
        panel = None if index is None else self.panels[index]
        image_id = f"{self.figure_id}-f" if index is None else f"{self.figure_id}-p{index}"
        return ImageRecord(
            image_id=image_id,
            figure_id=self.figure_id,
            book_id=book_id,
            source_pdf=source_pdf,
            page=self.page,
            panel_index=index,
            panel_letter=panel.letter if panel else None,
            bbox=box.as_list(),
            caption=printed(caption.text if caption else None),
            subcaption=printed(panel.subcaption) if panel else None,
            image=ImageData(bytes=picture.data, path=f"{image_id}.{picture.format}"),
            image_format=picture.format,
            width=picture.width,
            height=picture.height,
            sha256=picture.sha256,
            origin=origin,
        )


def _single_image(images, box: Box):
    """The one image that makes up `box`, if there is one."""
    matches = [g for g in images if g.box.overlap_area(box) > 0.5 * box.area]
    if len(matches) == 1 and matches[0].box.iou(box) >= 0.9:
        return matches[0]
    return None


def _pixel_count(image: Graphic) -> int:
    width, height = image.pixel_size or (0, 0)
    return width * height


def _kind(region: FigureRegion) -> Literal["raster", "vector", "mixed"]:
    image_area = sum(g.box.overlap_area(region.box) for g in region.images)
    if not region.images:
        return "vector"
    return "raster" if image_area >= 0.8 * region.box.area else "mixed"


def _stable_id(*parts: object) -> str:
    return hashlib.sha1(":".join(str(p) for p in parts).encode()).hexdigest()[:16]

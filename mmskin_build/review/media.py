"""Pictures for the review pages: thumbnails and page renders, made once and kept in `DATASET/.cache/review/`.

The page of a figure is rendered from its PDF when the PDF is still where `extract` read it (the manifest
records the path); otherwise the page shows the figure image alone.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
from pathlib import Path

from mmskin_build.curation.report import thumbnail_jpeg
from mmskin_build.review.index import ReviewIndex
from mmskin_build.store.dataset import atomic_write_bytes

CACHE_DIR = Path(".cache") / "review"
THUMB_SIDE = 200
PAGE_WIDTH_PX = 900


class Media:
    def __init__(self, index: ReviewIndex) -> None:
        self.index = index
        self.cache = index.root / CACHE_DIR
        self._pdf_lock = threading.Lock()  # pdfium is not thread-safe

    def _cached(self, name: str, make) -> bytes | None:
        path = self.cache / name
        if path.is_file():
            return path.read_bytes()
        data = make()
        if data is not None:
            atomic_write_bytes(path, data)
        return data

    def thumbnail(self, table: str, item_id: str) -> bytes | None:
        """A JPEG at most THUMB_SIDE px a side of an `images` (or `figures`) row's picture."""

        def make() -> bytes | None:
            data = self.index.image_bytes(table, item_id)
            return None if data is None else thumbnail_jpeg(data, THUMB_SIDE)

        # Named by the shard and row that hold the picture: `extract --force` writes replaced rows to new shards, so a
        # picture re-extracted under the same id (a masked image drawn over white since) gets a new thumbnail.
        where = self.index.locations.get((table, item_id))
        if where is None:
            return None
        shard, row = where
        return self._cached(f"thumbs/{table}-{item_id}-{Path(shard).stem}-{row}.jpg", make)

    def pdf_path(self, book_id: str) -> Path | None:
        for item in self.index.dataset.manifest.inputs.values():
            if item.stage == "extract" and item.sha256.startswith(book_id) and Path(item.path).is_file():
                return Path(item.path)
        return None

    def page(self, figure_id: str) -> bytes | None:
        """The figure's page rendered PAGE_WIDTH_PX wide (JPEG), or None without its PDF."""
        figure = self.index.tables.figures.get(figure_id)
        if figure is None:
            return None
        pdf = self.pdf_path(figure["book_id"])
        if pdf is None:
            return None
        key = hashlib.sha256(f"{figure['book_id']}:{figure['page']}".encode()).hexdigest()[:16]
        return self._cached(f"pages/{key}.jpg", lambda: self._render(pdf, figure["page"]))

    def _render(self, pdf: Path, page_number: int) -> bytes | None:
        import pypdfium2 as pdfium

        from mmskin_build.extract.page import crop_frame

        with self._pdf_lock:
            document = pdfium.PdfDocument(pdf)
            try:
                page = document[page_number - 1]
                scale = PAGE_WIDTH_PX / crop_frame(page).width
                image = page.render(scale=scale, draw_annots=False).to_pil().convert("RGB")
            finally:
                document.close()
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return buffer.getvalue()

    def page_frame(self, figure: dict) -> tuple[float, float, float, float] | None:
        """(x0, top, width, height) of the rendered page (its crop box) in page coordinates; None without the PDF."""
        pdf = self.pdf_path(figure["book_id"])
        if pdf is None:
            return None
        with self._pdf_lock:
            return _crop_box(str(pdf), figure["page"])


@functools.lru_cache(maxsize=4096)
def _crop_box(pdf: str, page_number: int) -> tuple[float, float, float, float]:
    import pypdfium2 as pdfium

    from mmskin_build.extract.page import crop_frame

    document = pdfium.PdfDocument(pdf)
    try:
        # The frame the boxes are in (see extract/page.py).
        frame = crop_frame(document[page_number - 1])
    finally:
        document.close()
    return frame.x0, frame.top, frame.width, frame.height

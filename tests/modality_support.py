"""Rows of the `images` table for the classify tests and benchmarks."""

from __future__ import annotations

from mmskin_build.tables import ImageData, ImageRecord


def image_record(index: int, data: bytes, caption: str | None, subcaption: str | None = None) -> ImageRecord:
    """An extracted image `img{index}` holding `data`, as `extract` would write it."""
    return ImageRecord(
        image_id=f"img{index}",
        figure_id=f"fig{index}",
        book_id="0" * 16,
        source_pdf="book.pdf",
        page=index + 1,
        panel_index=None,
        panel_letter=None,
        bbox=[0.0, 0.0, 100.0, 100.0],
        caption=caption,
        subcaption=subcaption,
        image=ImageData(bytes=data, path=f"img{index}.jpg"),
        image_format="jpeg",
        width=100,
        height=100,
        sha256=f"{index:064x}",
        origin="embedded",
    )

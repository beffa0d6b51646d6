"""Small synthetic datasets for the curate tests, written through the store like extract would."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from mmskin_build.store import Dataset
from mmskin_build.tables import FigureRecord, ImageData, ImageRecord


@lru_cache(maxsize=512)
def _photo(seed: int, size: tuple[int, int]) -> Image.Image:
    rng = np.random.default_rng(seed)
    coarse = rng.random((6, 8, 3))
    return Image.fromarray((coarse * 120 + np.array([120, 80, 60])).astype(np.uint8)).resize(size, Image.BICUBIC)


def photo(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A smooth, skin-toned random picture: distinct seeds give distinct perceptual hashes."""
    return _photo(seed, size).copy()


def encode(image: Image.Image, fmt: str = "PNG", quality: int = 90) -> bytes:
    """PNG or JPEG file bytes (OpenCV's encoder: several times faster than Pillow's PNG on a busy machine)."""
    bgr = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == "JPEG" else [cv2.IMWRITE_PNG_COMPRESSION, 1]
    return cv2.imencode(".jpg" if fmt == "JPEG" else ".png", bgr, params)[1].tobytes()


@dataclass
class Item:
    """One image row to write; the figure row is derived from it."""

    data: bytes
    caption: str | None
    figure: str
    book: str = "book-a"
    modality: str | None = "clinical"
    panel_letter: str | None = None
    panel_index: int | None = None
    subcaption: str | None = None
    mentions: list[str] = field(default_factory=list)
    label: str | None = None


def write_dataset(root: Path, items: list[Item]) -> Dataset:
    dataset = Dataset.create_or_open(root)
    images, figures = dataset.writer("images"), dataset.writer("figures")
    seen_figures = set()
    for index, item in enumerate(items):
        with Image.open(io.BytesIO(item.data)) as image:
            width, height = image.size
            fmt = "jpeg" if image.format == "JPEG" else "png"
        figure_id = hashlib.sha256(f"{item.book}:{item.figure}".encode()).hexdigest()[:16]
        image_id = f"{figure_id}-{item.panel_index if item.panel_index is not None else 'w'}-{index:04d}"
        images.add(ImageRecord(
            image_id=image_id, figure_id=figure_id, book_id=item.book, source_pdf=f"{item.book}.pdf", page=1 + index // 4,
            panel_index=item.panel_index, panel_letter=item.panel_letter, bbox=[0, 0, 10, 10], caption=item.caption,
            subcaption=item.subcaption, image=ImageData(bytes=item.data, path=f"{image_id}.{fmt}"), image_format=fmt,
            width=width, height=height, sha256=hashlib.sha256(item.data).hexdigest(), origin="embedded",
            modality=item.modality,
        ))
        if figure_id not in seen_figures:
            seen_figures.add(figure_id)
            figures.add(FigureRecord(
                figure_id=figure_id, book_id=item.book, source_pdf=f"{item.book}.pdf", page=1, page_width=600,
                page_height=800, bbox=[0, 0, 10, 10], label=item.label, label_prefix="Figure" if item.label else None,
                caption=item.caption, caption_bbox=None, kind="raster", mentions=item.mentions, panels=[],
                image=ImageData(bytes=item.data), image_width=width, image_height=height,
            ))
    dataset.commit(images.close() + figures.close())
    return dataset

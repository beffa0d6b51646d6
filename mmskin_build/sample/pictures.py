"""Pictures with their captions, laid out by the styled sample books in place of drawn ones (`make-sample
--pictures DIR`): read from a folder's captions.csv, and the truth's panel count each one carries."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.sample.layout import Float

_MAX_PIXELS = 1600  # longest side of a picture laid out from a folder (keeps the book small)


@dataclass(frozen=True)
class Picture:
    """A picture and its caption (a bold title, then a description), laid out as one of a styled book's figures;
    `kind` and `modality` go to the truth (a folder's pictures are taken for clinical photographs)."""

    image: Image.Image
    title: str
    description: str
    source: str = "drawn by the generator"
    panels: int = 1  # distinct sub-images in the picture (a folder's picture may be a composite)
    kind: str = "photo"
    modality: str = "clinical"


def load_pictures(directory: Path) -> list[Picture]:
    """Pictures and captions from `directory`/captions.csv (columns file, title, description, and optionally
    panels: the picture's sub-images, 1 if empty; file relative to the directory), in its order. Raises ValueError
    naming the file and the problem."""
    index = Path(directory) / "captions.csv"
    try:
        with open(index, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ValueError(f"{index}: cannot read: {exc.strerror or exc}") from exc
    missing = {"file", "title", "description"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"{index}: needs the columns file, title, description (missing: {', '.join(sorted(missing))})")
    pictures = []
    for number, row in enumerate(rows, start=2):
        path = Path(directory) / row["file"]
        try:
            with Image.open(path) as opened:
                image = opened.convert("RGB")
        except (OSError, ValueError) as exc:
            raise ValueError(f"{index} line {number}: {path} is not a readable picture ({exc})") from exc
        image.thumbnail((_MAX_PIXELS, _MAX_PIXELS))
        panels = (row.get("panels") or "1").strip()
        if not panels.isdigit() or int(panels) < 1:
            raise ValueError(f"{index} line {number}: panels {panels!r} is not a count of sub-images")
        pictures.append(Picture(image, row["title"].strip(), row["description"].strip(), str(directory), int(panels)))
    return pictures


def counted(item: Float, picture: Picture) -> Float:
    """`item` with the truth's panel count set to the picture's (a composite from a folder has no drawn panels)."""

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        return [{**truth, "panels": picture.panels} for truth in item.draw(canvas, x, top)]

    return Float(item.width, item.height, draw)

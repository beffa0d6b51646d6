"""Small `pairs` tables for the generate-vqa tests, written through the dataset store."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

from PIL import Image

from mmskin_build.store import Dataset
from mmskin_build.tables import ImageData, PairRecord
from mmskin_build.vqa.cache import CACHE_FILE

CAPTIONS = [
    ("Psoriasis. Erythematous scaly plaques on the elbows of a 45-year-old man.", ["elbows"], (45, "45-year-old"), ("male", "man")),
    ("Basal cell carcinoma: a pearly nodule with telangiectasia on the nose.", ["nose"], None, None),
    ("Lichen planus. Violaceous papules on the wrist of a 30-year-old woman.", ["wrist"], (30, "30-year-old"), ("female", "woman")),
    ("Dermoscopy of a melanoma showing an atypical pigment network and blue-white veil.", [], None, None),
    ("Vitiligo. White macules on the hands; the borders are sharp.", ["hands"], None, None),
    ("Tinea corporis: an annular plaque with a scaly edge on the trunk of a child.", ["trunk"], None, None),
    ("Urticaria. Pink wheals on the back.", ["back"], None, None),
    ("Histology of psoriasis: regular acanthosis with parakeratosis.", [], None, None),
]


def _png(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (seed * 30 % 256, 90, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def write_pairs(root: Path, count: int = len(CAPTIONS)) -> Dataset:
    """A dataset with `count` pairs (captions cycle through CAPTIONS, each image distinct)."""
    dataset = Dataset.create_or_open(root)
    writer = dataset.writer("pairs")
    for index in range(count):
        caption, sites, age, sex = CAPTIONS[index % len(CAPTIONS)]
        image = _png(index)
        writer.add(
            PairRecord(
                image_id=f"img{index:04d}",
                figure_id=f"fig{index:04d}",
                book_id="book",
                source_pdf="book.pdf",
                page=1 + index,
                panel_letter=None,
                image=ImageData(bytes=image, path=f"img{index:04d}.png"),
                width=32,
                height=32,
                sha256=hashlib.sha256(image).hexdigest(),
                modality="pathology" if "Histology" in caption else "dermoscopy" if "Dermoscopy" in caption else "clinical",
                figure_label=str(index + 1),
                caption=caption,
                caption_raw=f"Figure {index + 1} {caption}",
                subcaption=None,
                credit=None,
                mentions=[f"Figure {index + 1} shows a typical case."],
                age_min_years=float(age[0]) if age else None,
                age_max_years=float(age[0]) if age else None,
                age_text=age[1] if age else None,
                sex=sex[0] if sex else None,
                sex_text=sex[1] if sex else None,
                body_sites=sites,
                fitzpatrick=None,
                dup_group=f"g{index}",
                dup_count=1,
                phash=f"{index:016x}",
                split=("train", "val", "test")[index % 3],
            )
        )
    dataset.commit(writer.close())
    return dataset


def vqa_rows(root: Path) -> list[dict]:
    """The vqa table in its order, less the servers' response ids (which say which server answered, and when)."""
    rows = Dataset.open(root).read_table("vqa").to_pylist()
    return [{name: value for name, value in row.items() if name != "response_id"} for row in rows]


def cached_answers(root: Path) -> dict[str, tuple]:
    """The response cache: key -> (image_id, content, sampling)."""
    with sqlite3.connect(root / CACHE_FILE) as db:
        return {row[0]: row[1:] for row in db.execute("SELECT key, image_id, content, sampling FROM responses")}

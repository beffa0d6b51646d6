"""The OpenCV annotation check on real photos: planted arrows, circles and labels are found; clean
dermoscopy and histology are left alone."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from shared_data import require_shared

from mmskin_build.curation.annotations import find_annotations

COLOURS = [(0, 0, 0), (255, 255, 255), (0, 0, 255), (0, 255, 255), (0, 255, 0), (255, 0, 0)]


def draw_mark(image: np.ndarray, kind: str, rng: random.Random) -> np.ndarray:
    """An arrow, a ring or a text label as a textbook would draw it, in a flat colour."""
    image = image.copy()
    height, width = image.shape[:2]
    short = min(height, width)
    colour, thickness = rng.choice(COLOURS), max(2, short // 150)
    if kind == "arrow":
        x, y = rng.randrange(width // 4, width // 2), rng.randrange(height // 4, height // 2)
        length, angle = short * rng.uniform(0.15, 0.3), rng.uniform(0, 2 * np.pi)
        tip = (int(x + length * np.cos(angle)), int(y + length * np.sin(angle)))
        cv2.arrowedLine(image, (x, y), tip, colour, thickness, tipLength=0.25)
    elif kind == "circle":
        centre = (width // 2 + rng.randrange(-width // 8, width // 8), height // 2)
        cv2.circle(image, centre, int(short * rng.uniform(0.08, 0.25)), colour, thickness)
    else:
        # Rows of three or more letter-like glyphs; bar-shaped letters (i, l, 1) alone are not counted as glyphs.
        label = rng.choice(["x12", "ABC", "Lesion", "PSO", "SCC"])
        cv2.putText(image, label, (width // 6, height // 3), cv2.FONT_HERSHEY_SIMPLEX, short / 300, colour, thickness)
    return image


def _images(folder: str) -> list[np.ndarray]:
    root = require_shared("images", folder)
    images = [cv2.imread(str(p)) for p in sorted(root.iterdir()) if p.suffix.lower() in (".jpg", ".jpeg", ".png")]
    return [i for i in images if i is not None]


@pytest.fixture(scope="module")
def clinical() -> list[np.ndarray]:
    return _images("clinical")


@pytest.mark.parametrize("kind", ["arrow", "circle", "text"])
def test_planted_marks_are_found(clinical, kind):
    rng = random.Random(7)
    found = sum(bool(find_annotations(draw_mark(image, kind, rng))) for image in clinical)
    assert found >= 0.85 * len(clinical), f"{kind}: {found}/{len(clinical)} found"


@pytest.mark.parametrize(("folder", "max_rate"), [("dermoscopy", 0.05), ("pathology", 0.05)])
def test_clean_images_are_rarely_flagged(folder, max_rate):
    images = _images(folder)
    flagged = [find_annotations(image) for image in images]
    rate = sum(bool(f) for f in flagged) / len(images)
    assert rate <= max_rate, f"{folder}: {rate:.0%} flagged: {[f[0].detail for f in flagged if f][:3]}"


def test_a_synthetic_clean_photo_and_its_marked_copy():
    rng = np.random.default_rng(0)
    clean = cv2.resize((rng.random((6, 8, 3)) * 120 + 90).astype(np.uint8), (400, 300), interpolation=cv2.INTER_CUBIC)
    assert find_annotations(clean) == []
    marked = clean.copy()
    cv2.arrowedLine(marked, (100, 100), (200, 160), (255, 255, 255), 3, tipLength=0.3)
    kinds = {f.kind for f in find_annotations(marked)}
    assert "line" in kinds

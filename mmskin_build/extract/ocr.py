"""OCR of a page raster with Tesseract (Debian's `tesseract-ocr`, through pytesseract): its words and their
boxes become the same TextLine objects that page.py reads from a text layer, so layout, captions and
regions treat both alike.

Tesseract gives no font size; a line's height in points, snapped to a 5% grid, stands in for it: lines
of one type size then share a value or its neighbour, which the body-size test (6%) takes as equal.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
from collections import defaultdict
from enum import Enum
from typing import TYPE_CHECKING

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import TextLine

if TYPE_CHECKING:
    from mmskin_build.extract.scanned import PageScan

ENGINE_NAME = "tesseract"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng (or `make ocr-engine`)"
_LANGUAGE = "eng"
_MIN_LINE_CONFIDENCE = 50.0  # mean word confidence under which a "line" is Tesseract reading a photo
_SIZE_STEP = 1.05


class OcrUnavailable(Exception):
    """The OCR engine is not installed."""


@functools.cache
def engine_version() -> str:
    """'tesseract 5.3.0'; raises OcrUnavailable when Tesseract or its English model is missing."""
    if shutil.which("tesseract") is None:
        raise OcrUnavailable(f"Tesseract is not installed: {INSTALL_HINT}")
    import pytesseract

    if _LANGUAGE not in pytesseract.get_languages(config=""):
        raise OcrUnavailable(f"Tesseract has no '{_LANGUAGE}' model: {INSTALL_HINT}")
    return f"{ENGINE_NAME} {pytesseract.get_tesseract_version()}"


def ocr_lines(scan: PageScan) -> list[TextLine]:
    """The text lines of a straightened page raster, in page coordinates, in Tesseract's reading order."""
    import pytesseract

    # One page per core: Tesseract's own threads fight over cores with --workers and slow both down.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    words = pytesseract.image_to_data(
        scan.image.convert("L"), lang=_LANGUAGE, config="--psm 3", output_type=pytesseract.Output.DICT
    )
    grouped: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, text in enumerate(words["text"]):
        if words["level"][i] == 5 and text.strip() and float(words["conf"][i]) >= 0:
            grouped[(words["block_num"][i], words["par_num"][i], words["line_num"][i])].append(i)
    lines: list[TextLine] = []
    start = 0
    for indices in grouped.values():
        if sum(float(words["conf"][i]) for i in indices) / len(indices) < _MIN_LINE_CONFIDENCE:
            continue
        text = " ".join(words["text"][i].strip() for i in indices)
        if not any(ch.isalnum() for ch in text):
            continue
        box = _union(scan, words, indices)
        lines.append(TextLine(text, box, _snapped_size(box.height), start))
        start += len(text) + 2  # as if the lines were joined by "\r\n", like a text layer's
    return lines


def _union(scan: PageScan, words: dict, indices: list[int]) -> Box:
    left = min(words["left"][i] for i in indices)
    top = min(words["top"][i] for i in indices)
    right = max(words["left"][i] + words["width"][i] for i in indices)
    bottom = max(words["top"][i] + words["height"][i] for i in indices)
    return scan.to_page(left, top, right, bottom)


def _snapped_size(height: float) -> float:
    if height <= 0:
        return 1.0
    return round(_SIZE_STEP ** round(math.log(height, _SIZE_STEP)), 2)


class OcrMode(str, Enum):
    auto = "auto"  # OCR the scanned pages only
    always = "always"  # OCR every page, ignoring any text layer (for text layers that are garbage)
    never = "never"

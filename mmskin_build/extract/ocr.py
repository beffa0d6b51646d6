"""OCR of a page raster with Tesseract (Debian's `tesseract-ocr`, through pytesseract): its words and their
boxes become the same TextLine objects that page.py reads from a text layer, so layout, captions and
regions treat both alike.

Tesseract gives no font size; a line's height in points, snapped to a 5% grid, stands in for it: lines
of one type size then share a value or its neighbour, which the body-size test (6%) takes as equal.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import re
import shutil
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import cv2
import numpy as np

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import TextLine, line_above
from mmskin_build.text.labels import LABEL_WORD_ALONE

if TYPE_CHECKING:
    from mmskin_build.extract.scanned import PageScan

ENGINE_NAME = "tesseract"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng (or `make ocr-engine`)"
_LANGUAGE = "eng"
_MIN_LINE_CONFIDENCE = 50.0  # mean word confidence under which a "line" is Tesseract reading a photo
_SIZE_STEP = 1.05
_BOLD_STROKE = 1.3  # a bold word's strokes are this much thicker than the page's median word's
_BOLD_LABEL = 1.15  # ... or, for a line's first word, than the rest of its line
# A gap this many times a block's word height, clear of words down every line of the block, is a gutter between columns
# (a word space is under one; a justified line's widest gap well under two).
_GUTTER_HEIGHTS = 2.5
# The row of the page next under (over) a line: words whose middles lie within this many of the line's heights of it
# (rows set solid, or a blank half line apart, as a key's entries).
_NEXT_ROW_HEIGHTS = 1.5
# The file Tesseract reads the page from: PGM, the raw grey levels, written in milliseconds. pytesseract's own file is
# a PNG at zlib's default level (~0.1 s a page); both carry the same pixels and no resolution, so Tesseract reads the
# same picture.
_TESSERACT_INPUT = "page.pgm"


class OcrUnavailable(Exception):
    """The OCR engine is not installed."""


# Two OCR threads of a PDF may ask at once (its two covers): Tesseract is asked once.
_ASKING = threading.Lock()


def engine_version() -> str:
    """'tesseract 5.3.0'; raises OcrUnavailable when Tesseract or its English model is missing."""
    with _ASKING:
        return _asked_version()


@functools.cache
def _asked_version() -> str:
    if shutil.which("tesseract") is None:
        raise OcrUnavailable(f"Tesseract is not installed: {INSTALL_HINT}")
    import pytesseract

    if _LANGUAGE not in pytesseract.get_languages(config=""):
        raise OcrUnavailable(f"Tesseract has no '{_LANGUAGE}' model: {INSTALL_HINT}")
    return f"{ENGINE_NAME} {pytesseract.get_tesseract_version()}"


def _one_thread_tesseract() -> ModuleType:
    """pytesseract, with Tesseract held to one thread: one page per core, since Tesseract's own threads fight over
    cores with --workers and slow both down."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract


@dataclass(slots=True)
class OcrText:
    lines: list[TextLine]
    bold_chars: frozenset[int]  # character indices (TextLine.start numbering) of words set in bold


def read_text(scan: PageScan) -> OcrText:
    """The text lines of a straightened page raster, in page coordinates, in Tesseract's reading order."""
    pytesseract = _one_thread_tesseract()
    grey = scan.image.convert("L")
    with tempfile.TemporaryDirectory(prefix="mmskin-ocr-") as folder:
        page_file = Path(folder) / _TESSERACT_INPUT
        grey.save(page_file)
        words = pytesseract.image_to_data(
            str(page_file), lang=_LANGUAGE, config="--psm 3", output_type=pytesseract.Output.DICT
        )
    grouped: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, text in enumerate(words["text"]):
        if words["level"][i] == 5 and text.strip() and float(words["conf"][i]) >= 0:
            grouped[(words["block_num"][i], words["par_num"][i], words["line_num"][i])].append(i)
    kept = _split_at_gutters(
        words,
        [
            indices
            for indices in grouped.values()
            if sum(float(words["conf"][i]) for i in indices) / len(indices) >= _MIN_LINE_CONFIDENCE
            and any(ch.isalnum() for i in indices for ch in words["text"][i])
        ],
    )
    bold_words = _bold_words(np.asarray(grey), words, kept)
    sizes = _paragraph_sizes(scan, words, kept)
    lines: list[TextLine] = []
    bold_chars: set[int] = set()
    start = 0
    for indices, size in zip(kept, sizes, strict=True):
        texts = [words["text"][i].strip() for i in indices]
        if starts_with_speck(texts):
            indices, texts = indices[1:], texts[1:]
        texts = repair_label(texts)
        position = start
        for i, text in zip(indices, texts, strict=True):
            if i in bold_words:
                bold_chars.update(range(position, position + len(text)))
            position += len(text) + 1
        text = " ".join(texts)
        box = _union(scan, words, indices)
        lines.append(TextLine(text, box, size, start))
        start += len(text) + 2  # as if the lines were joined by "\r\n", like a text layer's
    _repair_page_glyphs(lines)
    return OcrText(lines, frozenset(bold_chars))


def _split_at_gutters(words: dict, lines: list[list[int]]) -> list[list[int]]:
    """Tesseract's lines (word indices, in its reading order), each cut at the column gutters it crosses: Tesseract may
    read two columns set close (a plate's key, "1. ... 3 days" and "3. Second instar ...") as lines that run across
    both. A gutter is a gap `_GUTTER_HEIGHTS` word heights wide, clear of words down all of the line's block and
    crossed by two of its lines at least (`_block_gutters`), or clear down the line and the row of the page next
    above or under it, that row reaching both sides of it (`_row_gutters`: a key whose title, set across both
    columns, Tesseract read into the block, or whose rows it read as blocks of their own). The pieces keep the
    reading order, so the page's text reads as before."""
    blocks: dict[int, list[list[int]]] = defaultdict(list)
    for indices in lines:
        blocks[words["block_num"][indices[0]]].append(indices)
    wide = {
        block: _GUTTER_HEIGHTS * float(np.median([words["height"][i] for indices in rows for i in indices]))
        for block, rows in blocks.items()
    }
    gutters = {block: _block_gutters(words, rows, wide[block]) for block, rows in blocks.items() if len(rows) > 1}
    pieces: list[list[int]] = []
    for n, indices in enumerate(lines):
        block = words["block_num"][indices[0]]
        cuts = sorted({*gutters.get(block, []), *_row_gutters(words, lines, n, wide[block])})
        for k in range(len(cuts) + 1):
            low, high = cuts[k - 1] if k else -math.inf, cuts[k] if k < len(cuts) else math.inf
            piece = [i for i in indices if low <= words["left"][i] < high]
            if piece:
                pieces.append(piece)
    return pieces


def _block_gutters(words: dict, rows: list[list[int]], wide: float) -> list[float]:
    """Where the block of `rows` is cut into columns (pixel x, left to right): the middle of each gutter."""
    spans = sorted(_span(words, i) for indices in rows for i in indices)
    cuts: list[float] = []
    right = spans[0][1]
    for left, end in spans[1:]:
        if left - right >= wide:
            middle = (left + right) / 2
            if sum(_crosses(words, indices, middle) for indices in rows) >= 2:
                cuts.append(middle)
        right = max(right, end)
    return cuts


def _row_gutters(words: dict, lines: list[list[int]], n: int, wide: float) -> list[float]:
    """Where line `n` is cut (pixel x): at each gap `wide` or wider that goes on as a gutter through the row of the
    page right under or over the line (the other lines' words across its extent, their middles within
    `_NEXT_ROW_HEIGHTS` of its heights of it), clear of that row's words, which reach both sides of it; the cut is the
    middle of the widest part of the gap left clear."""
    ordered = sorted(lines[n], key=lambda i: words["left"][i])
    x0, x1 = words["left"][ordered[0]], max(_span(words, i)[1] for i in ordered)
    top = min(words["top"][i] for i in ordered)
    bottom = max(words["top"][i] + words["height"][i] for i in ordered)
    reach = _NEXT_ROW_HEIGHTS * (bottom - top)
    rows = [
        [_span(words, i) for m, other in enumerate(lines) if m != n for i in other if _middle_within(words, i, *band)]
        for band in ((bottom, bottom + reach), (top - reach, top))
    ]
    cuts: list[float] = []
    for before, after in itertools.pairwise(ordered):
        gap = (_span(words, before)[1], words["left"][after])
        if gap[1] - gap[0] < wide:
            continue
        for row in rows:
            row = [(left, right) for left, right in row if left < x1 and right > x0]
            clear = [
                (left, right)
                for left, right in _clear_parts(gap, row)
                if right - left >= wide
                and any(end <= left for _, end in row)
                and any(start >= right for start, _ in row)
            ]
            if clear:
                left, right = max(clear, key=lambda part: part[1] - part[0])
                cuts.append((left + right) / 2)
                break
    return cuts


def _span(words: dict, i: int) -> tuple[int, int]:
    return words["left"][i], words["left"][i] + words["width"][i]


def _middle_within(words: dict, i: int, top: float, bottom: float) -> bool:
    return top < words["top"][i] + words["height"][i] / 2 < bottom


def _clear_parts(gap: tuple[float, float], spans: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """The parts of `gap` (pixel x, left to right) that none of `spans` covers."""
    parts = [gap]
    for start, end in spans:
        parts = [part for a, b in parts for part in ((a, min(b, start)), (max(a, end), b)) if part[1] > part[0]]
    return parts


def _crosses(words: dict, indices: list[int], x: float) -> bool:
    """The line has words on both sides of `x`."""
    return min(words["left"][i] for i in indices) < x < max(words["left"][i] for i in indices)


def _repair_page_glyphs(lines: list[TextLine]) -> None:
    """Puts back the glyphs OCR read as others in each line (`repair_glyphs`; one character for one, so the lines'
    character indices hold). The word before a line is its line above's last (a caption's centred last line is read
    after the rows of the table under it)."""
    initials = genus_initials(" ".join(line.text for line in lines))
    ordered = sorted(lines, key=lambda line: line.box.top)
    for i, line in enumerate(ordered):
        words = line.text.split(" ")
        above = line_above(ordered, i) if _DIGIT_INITIAL.match(words[0]) else None
        line.text = " ".join(repair_glyphs(words, initials, above.text.rsplit(" ", 1)[-1] if above else ""))


# Tesseract's usual misreadings of a caption's label word, mostly in small capitals ("FIG." -> "Fic.").
_LABEL_MISREAD = re.compile(r"^F[iIl1][cCgG](?=[.\s\d]|$)")


# Glyphs read together: each on a line of its own in one column, this many pixels tall, a line of white between.
_GLYPH_PX = 48


def read_glyphs(glyphs: list[np.ndarray]) -> list[tuple[str, float]]:
    """What Tesseract reads in each small picture of one glyph (dark on white, any size) and its confidence (0-100;
    ("", -1.0) where it reads nothing). All are read in one call (one start of Tesseract, ~0.3 s, against ~0.2 s a
    glyph read one by one): each glyph is scaled to _GLYPH_PX tall and set on a line of its own, one blank line
    between, and each word read is the glyph on whose line it stands. Raises OcrUnavailable without Tesseract."""
    engine_version()
    pytesseract = _one_thread_tesseract()
    if not glyphs:
        return []
    scaled = [
        cv2.resize(glyph, (max(1, round(glyph.shape[1] * _GLYPH_PX / glyph.shape[0])), _GLYPH_PX)) for glyph in glyphs
    ]
    sheet = np.full((_GLYPH_PX * (2 * len(glyphs) + 1), max(g.shape[1] for g in scaled) + 2 * _GLYPH_PX), 255, np.uint8)
    for i, glyph in enumerate(scaled):
        top = _GLYPH_PX * (2 * i + 1)
        sheet[top : top + _GLYPH_PX, _GLYPH_PX : _GLYPH_PX + glyph.shape[1]] = glyph
    words = pytesseract.image_to_data(sheet, lang=_LANGUAGE, config="--psm 6", output_type=pytesseract.Output.DICT)
    read: list[tuple[str, float]] = [("", -1.0)] * len(glyphs)
    for text, conf, top, height in zip(words["text"], words["conf"], words["top"], words["height"], strict=True):
        line = int((top + height / 2) // _GLYPH_PX)
        if text.strip() and line % 2 == 1 and line // 2 < len(read) and read[line // 2][1] < 0:
            read[line // 2] = (text.strip(), float(conf))
    return read


def repair_label_word(word: str) -> str:
    """'Fic.' -> 'Fig.', 'FlG.2' -> 'FIG.2': a line's first word, so that captions.py knows the label."""
    if not _LABEL_MISREAD.match(word):
        return word
    return ("FIG" if word[2].isupper() else "Fig") + word[3:]


# The label word (`LABEL_WORD_ALONE`) and what lies around it: its full stop read as a comma ("FIG, 2—"), a letter
# shaped like a digit for its number ("FIG. S—" for "FIG. 5—" in a typewritten report), a speck read as punctuation
# before it (".) FIG. 1—").
_NUMBER_MISREAD = re.compile(r"^[SO](?=[.,:;\-–—]|$)")
_DIGIT_OF = {"S": "5", "O": "0"}


def repair_label(words: list[str]) -> list[str]:
    """A line's words with its label repaired, so that captions.py knows it: the label word ('Fic.' -> 'Fig.',
    'FIG,' -> 'FIG.') and a number read as a letter after it ('FIG. S—Stages' -> 'FIG. 5—Stages')."""
    words = [repair_label_word(words[0]), *words[1:]]
    label = LABEL_WORD_ALONE.match(words[0])
    if len(words) > 1 and label:
        words[0] = words[0][: label.start("stop")] + ("." if label.group("stop") else "")
        words[1] = _NUMBER_MISREAD.sub(lambda misread: _DIGIT_OF[misread.group()], words[1])
    return words


# Glyphs Tesseract reads as others in running text, each one character for one: a serif capital I as a bar before
# its stop (an author's initial: "SEREGEG, |.G."), the multiplication sign as the letter x between numbers ("2 x 2"),
# and a genus abbreviated to its initial as the digit of its shape ("B. timori" as "8. timori", after "Brugia malayi").
_BAR_INITIAL = re.compile(r"^\|(?=\.)")
_DIGIT_INITIAL = re.compile(r"^([0568])\.$")
_LETTER_OF_DIGIT = {"0": "O", "5": "S", "6": "G", "8": "B"}
_EPITHET = re.compile(r"^[a-z]{3,}[.,;:)]?$")
_MID_SENTENCE = re.compile(r"[A-Za-z,]$")
# A binomial named in full: a capitalised genus and its lower-case epithet.
_BINOMIAL = re.compile(r"\b([A-Z])[a-z]{3,} [a-z]{3,}\b")


def genus_initials(text: str) -> frozenset[str]:
    """The initials of the genera that a page's text names in full ("Brugia malayi" -> "B")."""
    return frozenset(match.group(1) for match in _BINOMIAL.finditer(text))


def repair_glyphs(words: list[str], initials: frozenset[str], before: str = "") -> list[str]:
    """A line's words with the glyphs OCR reads as others put back (see _BAR_INITIAL); `before` is the word before
    the line. A digit before a lower-case word is a genus's initial only mid-sentence, after a word or a comma
    (a list's "8. the ..." follows the end of the step before), and where the page names a genus of that initial."""
    repaired = [_BAR_INITIAL.sub("I", word) for word in words]
    for i, word in enumerate(repaired[:-1]):
        previous, after = repaired[i - 1] if i else before, repaired[i + 1]
        if word == "x" and previous[-1:].isdigit() and after[:1].isdigit():
            repaired[i] = "×"
        digit = _DIGIT_INITIAL.match(word)
        if digit and _MID_SENTENCE.search(previous) and _EPITHET.match(after):
            letter = _LETTER_OF_DIGIT[digit.group(1)]
            repaired[i] = f"{letter}." if letter in initials else word
    return repaired


def starts_with_speck(words: list[str]) -> bool:
    """The line's first word is punctuation alone before a caption's label word: a speck OCR read as a mark."""
    return len(words) > 1 and not any(ch.isalnum() for ch in words[0]) and bool(LABEL_WORD_ALONE.match(words[1]))


def _bold_words(grey: np.ndarray, words: dict, lines: list[list[int]]) -> set[int]:
    """Words drawn with strokes clearly thicker than the page's usual stroke, and a line's first word
    when it is bolder than the rest of its line (a bold caption label before regular or italic text).

    Stroke width is ink area over edge length (halved): it does not depend on which letters a word has.
    """
    ink = (grey < cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]).astype(np.uint8)
    edges = ink - cv2.erode(ink, np.ones((3, 3), np.uint8))
    strokes: dict[int, float] = {}
    for i in (i for indices in lines for i in indices):
        x, y, w, h = words["left"][i], words["top"][i], words["width"][i], words["height"][i]
        area = int(ink[y : y + h, x : x + w].sum())
        edge = int(edges[y : y + h, x : x + w].sum())
        if len(words["text"][i].strip()) >= 2 and edge:
            strokes[i] = area / edge
    if len(strokes) < 10:
        return set()
    usual = float(np.median(list(strokes.values())))
    bold = {i for i, stroke in strokes.items() if stroke >= _BOLD_STROKE * usual}
    for indices in lines:
        rest = [strokes[i] for i in indices[1:] if i in strokes]
        if indices[0] in strokes and len(rest) >= 2 and strokes[indices[0]] >= _BOLD_LABEL * float(np.median(rest)):
            bold.add(indices[0])
    return bold


def _union(scan: PageScan, words: dict, indices: list[int]) -> Box:
    left = min(words["left"][i] for i in indices)
    top = min(words["top"][i] for i in indices)
    right = max(words["left"][i] + words["width"][i] for i in indices)
    bottom = max(words["top"][i] + words["height"][i] for i in indices)
    return scan.to_page(left, top, right, bottom)


def _paragraph_sizes(scan: PageScan, words: dict, lines: list[list[int]]) -> list[float]:
    """Each line's type size: the median line height of its Tesseract paragraph (one paragraph is set in
    one size; a single line's height varies with its ascenders and descenders), snapped to the grid."""
    heights: dict[tuple[int, int], list[float]] = defaultdict(list)
    keys = []
    for indices in lines:
        key = (words["block_num"][indices[0]], words["par_num"][indices[0]])
        heights[key].append(_union(scan, words, indices).height)
        keys.append(key)
    return [_snapped_size(float(np.median(heights[key]))) for key in keys]


def _snapped_size(height: float) -> float:
    if height <= 0:
        return 1.0
    return round(_SIZE_STEP ** round(math.log(height, _SIZE_STEP)), 2)


class OcrMode(StrEnum):
    auto = "auto"  # OCR the scanned pages only
    always = "always"  # OCR every page, ignoring any text layer (for text layers that are garbage)
    never = "never"

"""Page layout for the sample books: two text columns, floats (figures, tables, headings) and page furniture.

Coordinates: reportlab draws with a bottom-left origin; every box this module reports is converted once, in
`Page.box`, to pdfplumber's top-left origin [x0, top, x1, bottom] so it can be compared with what a PDF
reader sees. A float is reserved at the top or bottom of one column or of both; body text then flows
line by line into the column space left over, column 1 before column 2.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import getDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas

from mmskin_build.store.dataset import atomic_write_bytes

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0
MARGIN = 54.0
COLUMN_GAP = 18.0
COLUMN_WIDTH = (PAGE_WIDTH - 2 * MARGIN - COLUMN_GAP) / 2
FULL_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_TOP = PAGE_HEIGHT - 72.0  # below the running header
BODY_BOTTOM = 64.0  # above the page number
FLOAT_SPACE = 12.0  # between a float and the text next to it
CAPTION_GAP = 6.0  # between a figure and its caption

Box = list[float]  # [x0, top, x1, bottom], top-left origin, as pdfplumber reports
Rect = tuple[float, float, float, float]  # (x0, y0, x1, y1), bottom-left origin, as reportlab draws


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    # Words set this many font sizes apart with no space glyph between them (a reflowed e-book's text layer);
    # None: the font's space glyph.
    word_gap: float | None = None
    # A caption's label set on a line of its own, over its title ("FIGURE 2-5", as atlases set margin captions).
    label_line: bool = False


BODY = Style("Times-Roman", 9.5, 12.0)
HEADING = Style("Times-Bold", 10.5, 14.0)
CAPTION = Style("Helvetica", 8.0, 9.8)
# Words 0.1 em apart without space glyphs: under pdfium's own word-break threshold (about a quarter of the wider
# glyph's width), so its text layer runs them together ("Figure5.3Scabiesonthewrist").
TIGHT_CAPTION = Style("Helvetica", 8.0, 9.8, word_gap=0.1)
CAPTION_LABEL = "Helvetica-Bold"
HEADER = Style("Helvetica", 8.0, 10.0)


@contextlib.contextmanager
def raw_streams() -> Iterator[None]:
    """Write image streams without reportlab's default ASCII85 layer, as most books do (JPEG = DCTDecode only)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


# ---------------------------------------------------------------------------------------------- text


Word = tuple[str, str]  # (text, font name)


@functools.lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def _space(font: str, size: float, word_gap: float | None) -> float:
    return text_width(" ", font, size) if word_gap is None else word_gap * size


def words_width(words: list[Word], size: float, word_gap: float | None = None) -> float:
    space = _space(words[0][1], size, word_gap) if words else 0.0
    return sum(text_width(text, font, size) for text, font in words) + space * max(0, len(words) - 1)


_SPLITTABLE = re.compile(r"[a-z]{8,}[,.;:]?")
_DIGRAPHS = {"ch", "gh", "ph", "sh", "th"}


def _hyphenate(word: str, font: str, size: float, room: float) -> tuple[str, str] | None:
    """Split a long lower-case word so its head plus '-' fits in `room` points.

    Cuts between two consonants after a vowel ("inflam-matory") where possible, else before a consonant
    that starts a syllable ("pa-tients"); both halves keep at least three letters.
    """
    if not _SPLITTABLE.fullmatch(word):
        return None
    letters = word.rstrip(",.;:")
    vowel = [c in "aeiouy" for c in letters]
    cuts = range(len(letters) - 3, 2, -1)
    between_consonants = [
        k
        for k in cuts
        if vowel[k - 2]
        and not vowel[k - 1]
        and not vowel[k]
        and vowel[k + 1]
        and letters[k - 1 : k + 1] not in _DIGRAPHS
    ]
    before_syllable = [k for k in cuts if vowel[k - 1] and not vowel[k] and vowel[k + 1]]
    for cut in between_consonants + before_syllable:
        if stringWidth(word[:cut] + "-", font, size) <= room:
            return word[:cut] + "-", word[cut:]
    return None


def take_line(
    words: deque[Word], width: float, size: float, hyphenate: bool = False, word_gap: float | None = None
) -> list[Word]:
    """Pop from `words` the longest line no wider than `width` (at least one word); a split word's tail stays."""
    line: list[Word] = []
    used = 0.0
    while words:
        text, font = words[0]
        space = _space(font, size, word_gap) if line else 0.0
        if not line or used + space + text_width(text, font, size) <= width:
            line.append(words.popleft())
            used += space + text_width(text, font, size)
            continue
        split = _hyphenate(text, font, size, width - used - space) if hyphenate else None
        if split:
            words.popleft()
            words.appendleft((split[1], font))
            line.append((split[0], font))
        break
    return line


def wrap(words: list[Word], width: float, size: float, word_gap: float | None = None) -> list[list[Word]]:
    """Greedy line breaking of `words` into lines no wider than `width`."""
    pending = deque(words)
    lines = []
    while pending:
        lines.append(take_line(pending, width, size, word_gap=word_gap))
    return lines


def draw_words(
    canvas: Canvas, x: float, baseline: float, words: list[Word], size: float, word_gap: float | None = None
) -> None:
    """Draw one line whose words may change font (a bold caption label, then plain text); with a `word_gap`,
    each word at its own position and no space glyphs."""
    text = canvas.beginText(x, baseline)
    if word_gap is not None:
        for word, font in words:
            text.setFont(font, size)
            text.setTextOrigin(x, baseline)
            text.textOut(word)
            x += text_width(word, font, size) + word_gap * size
        canvas.drawText(text)
        return
    runs: list[tuple[str, list[str]]] = []
    for word, font in words:
        if runs and runs[-1][0] == font:
            runs[-1][1].append(word)
        else:
            runs.append((font, [word]))
    for i, (font, run) in enumerate(runs):
        text.setFont(font, size)
        text.textOut(("" if i == 0 else " ") + " ".join(run))
    canvas.drawText(text)


def line_box(x: float, baseline: float, words: list[Word], size: float, word_gap: float | None = None) -> Rect:
    """The line's box as pdfminer computes character boxes: from baseline+descent up one font size.

    Returned in reportlab coordinates (x0, y0, x1, y1), bottom-left origin.
    """
    bottom = baseline + getDescent(words[0][1], size)
    return (x, bottom, x + words_width(words, size, word_gap), bottom + size)


@dataclass
class TextBlock:
    """Wrapped lines of one style, e.g. a caption; knows its own height and draws itself."""

    lines: list[list[Word]]
    style: Style
    width: float

    @classmethod
    def caption(
        cls, label: str | None, text: str, width: float, title: str | None = None, style: Style = CAPTION
    ) -> TextBlock:
        """Label in bold, then the text; with a `title`, label and title make a bold line of their own and the
        description starts on a new line at the left margin (the textbook style "Figure 15.6 Scabies"). A
        `style.label_line` sets the label on a line of its own; under a title, each line break in `text` starts a
        new line (an atlas plate's "(A) ...", "(B) ...")."""
        gap = style.word_gap

        def lines(words: str, font: str) -> list[list[Word]]:
            return wrap([(w, font) for w in words.split()], width, style.size, gap)

        head = [(w, CAPTION_LABEL) for w in f"{label or ''} {title or ''}".split()]
        plain = [(w, style.font) for w in text.split()]
        if style.label_line and label:
            head_lines = lines(label, CAPTION_LABEL) + (lines(title, CAPTION_LABEL) if title else [])
        elif title:
            head_lines = wrap(head, width, style.size, gap)
        else:
            return cls(wrap(head + plain, width, style.size, gap), style, width)
        return cls(head_lines + [line for part in text.split("\n") for line in lines(part, style.font)], style, width)

    @property
    def height(self) -> float:
        return self.style.leading * len(self.lines)

    def draw(self, canvas: Canvas, x: float, top: float) -> Rect:
        """Draw with the first line's top at `top`; returns the union of the line boxes (reportlab coordinates)."""
        boxes = []
        for i, words in enumerate(self.lines):
            baseline = top - self.style.size - i * self.style.leading
            draw_words(canvas, x, baseline, words, self.style.size, self.style.word_gap)
            boxes.append(line_box(x, baseline, words, self.style.size, self.style.word_gap))
        return union(boxes)


def union(boxes: list[Rect]) -> Rect:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Paragraph:
    sentences: list[str]
    heading: bool = False


@dataclass
class TextFlow:
    """Body text poured into column space, paragraphs from `source`; a paragraph may go on in the next column."""

    source: Callable[[], Paragraph]
    words: deque[Word] = field(default_factory=deque)  # what is left of the current paragraph
    style: Style = BODY
    opening: bool = False  # the next line opens a paragraph
    word_gap: float | None = None  # words this many font sizes apart without space glyphs (see Style.word_gap)

    def fill(self, canvas: Canvas, x: float, top: float, bottom: float, width: float) -> None:
        """Draw lines `width` wide from `top` down while they fit above `bottom`."""
        y = top
        while True:
            if not self.words:
                paragraph = self.source()
                self.style = HEADING if paragraph.heading else BODY
                self.words = deque((w, self.style.font) for w in " ".join(paragraph.sentences).split())
                self.opening = True
            heading = self.style is HEADING
            above = 5.0 if self.opening and heading else 0.0
            indent = 10.0 if self.opening and not heading else 0.0
            # A heading needs room for two lines of its section under it.
            if y - above - self.style.leading - (2 * BODY.leading if heading else 0.0) < bottom:
                return
            line = take_line(self.words, width - indent, self.style.size, not heading, self.word_gap)
            y -= above
            draw_words(canvas, x + indent, y - self.style.size, line, self.style.size, self.word_gap)
            y -= self.style.leading
            self.opening = False


# ---------------------------------------------------------------------------------------------- pages


@dataclass
class Float:
    """Something placed outside the text flow. `draw(canvas, x, top)` draws it and returns its ground truth."""

    width: float
    height: float
    draw: Callable[[Canvas, float, float], list[dict]]


@dataclass
class Page:
    """One page being composed: floats are reserved first, then `finish` pours text into what is left."""

    canvas: Canvas
    number: int
    columns: int = 2  # 1: text runs across the full width and every float spans "both"
    truths: list[dict] = field(default_factory=list)
    # One-column pages: the text block's left edge and width (an atlas sets it beside a wide caption margin).
    frame: tuple[float, float] = (MARGIN, FULL_WIDTH)
    # Per column, the free space left between the floats reserved at its top and at its bottom (reportlab y).
    tops: list[float] = field(default_factory=lambda: [BODY_TOP, BODY_TOP])
    bottoms: list[float] = field(default_factory=lambda: [BODY_BOTTOM, BODY_BOTTOM])

    @staticmethod
    def box(rect: Rect) -> Box:
        """reportlab (x0, y0, x1, y1) -> pdfplumber [x0, top, x1, bottom], rounded to 0.01 pt."""
        x0, y0, x1, y1 = rect
        return [round(x0, 2), round(PAGE_HEIGHT - y1, 2), round(x1, 2), round(PAGE_HEIGHT - y0, 2)]

    def place(self, item: Float, span: str = "left", at: str = "top") -> None:
        """Reserve `item` at the top or bottom of the free space of the left, right or both columns, and draw it."""
        if self.columns == 1 and span != "both":
            raise ValueError(f"page {self.number} has one column: floats span both")
        columns = {"left": [0], "right": [1], "both": [0, 1]}[span]
        if at == "top":
            top = min(self.tops[c] for c in columns)
            bottom = top - item.height
        else:
            bottom = max(self.bottoms[c] for c in columns)
            top = bottom + item.height
        if bottom < max(self.bottoms[c] for c in columns) - 0.01 or top > min(self.tops[c] for c in columns) + 0.01:
            raise ValueError(f"page {self.number}: a {item.width:.0f} x {item.height:.0f} pt float does not fit")
        x0 = MARGIN if span != "right" else MARGIN + COLUMN_WIDTH + COLUMN_GAP
        room = FULL_WIDTH if span == "both" else COLUMN_WIDTH
        for entry in item.draw(self.canvas, x0 + (room - item.width) / 2, top):
            self.truths.append({"page": self.number, **entry})
        for c in columns:
            if at == "top":
                self.tops[c] = bottom - FLOAT_SPACE
            else:
                self.bottoms[c] = top + FLOAT_SPACE

    def finish(self, flow: TextFlow, header: str | None, furniture: Callable[[Canvas, int, str | None], None]) -> None:
        """Pour body text into the free space of the columns, draw the page furniture, end the page."""
        if self.columns == 1:
            flow.fill(self.canvas, self.frame[0], self.tops[0], self.bottoms[0], self.frame[1])
        else:
            for column in (0, 1):
                x = MARGIN + column * (COLUMN_WIDTH + COLUMN_GAP)
                flow.fill(self.canvas, x, self.tops[column], self.bottoms[column], COLUMN_WIDTH)
        furniture(self.canvas, self.number, header)
        self.canvas.showPage()


def running_furniture(logo: ImageReader) -> Callable[[Canvas, int, str | None], None]:
    """Running header (chapter title, a tiny publisher logo: decorative), a rule under it, and the page number."""

    def draw(canvas: Canvas, number: int, header: str | None) -> None:
        if header:
            canvas.setFont(HEADER.font, HEADER.size)
            header_y = PAGE_HEIGHT - 46
            if number % 2:
                canvas.drawRightString(PAGE_WIDTH - MARGIN, header_y, header)
                canvas.drawImage(logo, MARGIN, header_y - 2, 10, 10)
            else:
                canvas.drawString(MARGIN, header_y, header)
                canvas.drawImage(logo, PAGE_WIDTH - MARGIN - 10, header_y - 2, 10, 10)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, header_y - 6, PAGE_WIDTH - MARGIN, header_y - 6)
        canvas.setFont(HEADER.font, 9)
        canvas.drawCentredString(PAGE_WIDTH / 2, 38, str(number))

    return draw


def heading_float(kicker: str, title: str) -> Float:
    """A chapter opening across both columns: 'Chapter 2', the title, a rule. Not a figure."""

    def draw(canvas: Canvas, x: float, top: float) -> list[dict]:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(x, top - 11, kicker)
        canvas.setFont("Helvetica-Bold", 20)
        canvas.drawString(x, top - 36, title)
        canvas.setLineWidth(1.2)
        canvas.line(x, top - 46, x + FULL_WIDTH, top - 46)
        return []

    return Float(FULL_WIDTH, 48, draw)


Placement = tuple[Float, str, str]  # (float, span: left|right|both, at: top|bottom)


class Book:
    """The pages of one book as they are composed, with the ground truth of every float placed."""

    def __init__(
        self,
        title: str,
        flow: TextFlow,
        plan: Callable[[list[str]], None],
        logo: ImageReader,
        on_page: Callable[[int], None] | None = None,
    ) -> None:
        self.buffer = io.BytesIO()
        # invariant: fixed dates and document id, so the same drawing gives the same bytes
        self.canvas = Canvas(self.buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("mmskin-build sample generator")
        self.flow = flow
        self.plan = plan
        self.logo = logo
        self.furniture = running_furniture(logo)
        self.truths: list[dict] = []
        self.mentions: dict[str, list[str]] = {}
        self.pages = 0
        self.on_page = on_page or (lambda number: None)

    def page(
        self,
        header: str | None,
        floats: list[Placement] = (),
        mentions: dict[str, list[str]] | None = None,
        columns: int = 2,
        frame: tuple[float, float] = (MARGIN, FULL_WIDTH),
    ) -> None:
        """Compose one page: place `floats`, queue the mention sentences (keyed by printed label), pour text
        (one-column pages: into the text block `frame`, its left edge and width)."""
        self.pages += 1
        page = Page(self.canvas, self.pages, columns, frame=frame)
        for item, span, at in floats:
            page.place(item, span, at)
        planned: list[str] = []
        for label, sentences in (mentions or {}).items():
            self.mentions.setdefault(label, []).extend(sentences)
            planned += [s for s in sentences if s not in planned]
        self.plan(planned)
        page.finish(self.flow, header, self.furniture)
        self.truths += page.truths
        self.on_page(self.pages)

    def figures(self) -> list[dict]:
        """Ground truth of every float placed so far, with the sentences that mention it."""
        return [
            {**t, "mentions": self.mentions.get(f"{t['label_prefix']} {t['name']}", []) if t["name"] else []}
            for t in self.truths
        ]

    def save(self, path: Path) -> None:
        """Finish the PDF and write it to `path` atomically."""
        self.canvas.save()
        atomic_write_bytes(Path(path), self.buffer.getvalue())

    def title_page(self, title: str, subtitle: str, publisher: str) -> None:
        """Publisher logo (decorative image), rules, title block; no header, no figures."""
        self.pages += 1
        c = self.canvas
        c.drawImage(self.logo, PAGE_WIDTH / 2 - 30, PAGE_HEIGHT - 150, 60, 60)
        c.setFont("Helvetica", 10)
        c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 166, publisher)
        c.setLineWidth(2)
        c.line(MARGIN, PAGE_HEIGHT - 300, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 300)
        c.setFont("Times-Bold", 28)
        c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 345, title)
        c.setFont("Times-Italic", 14)
        c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 372, subtitle)
        c.setLineWidth(0.7)
        c.line(MARGIN, PAGE_HEIGHT - 392, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 392)
        c.showPage()
        self.on_page(self.pages)

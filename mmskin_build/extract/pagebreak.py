"""Figures and captions that a page break cuts (reflowed e-books, long captions in print books).

Two cases, both decided from this page and the text of the next one (pass 1 of `document.py` has the
text lines of every page):
- a caption that runs to the foot of its page and stops mid-sentence goes on in the lines at the head of
  the next page set in the caption's font size;
- a picture sliced by the page break: its top at the foot of this page (uncaptioned, nothing under it
  but page furniture), the rest at the head of the next page, which opens with an image and its caption
  (the caption is the next page's first text, well below the top of its text area). The slice is not a
  figure of its own: the figure is where its caption is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mmskin_build.extract.captions import CAPTION_START, Caption, caption_type
from mmskin_build.extract.geometry import Box
from mmskin_build.extract.layout import DocumentStyle
from mmskin_build.extract.page import PageContent, TextLine
from mmskin_build.extract.text import join_lines
from mmskin_build.text.labels import normalise_label

_SENTENCE_END = (".", "!", "?", ".)", '."')
_SAME_SIZE = 0.06  # share of the font size within which two lines are set in the same size
_OPENING_FIGURE_PT = 72.0  # space above the next page's first text that an image slice must fill
_HEADER_LINES = 3  # a continuation header ("Figure 2 (continued)") is among the next page's first lines
_CONTINUED = re.compile(r"^\W*\(?\W*continued\b", re.IGNORECASE)


@dataclass(slots=True)
class NextPage:
    """The next page's text, seen from this one: its lines without running headers and footers."""

    lines: list[TextLine]  # top to bottom
    top: float  # where its text area starts (below the running header)

    @classmethod
    def of(cls, page: PageContent, style: DocumentStyle, lines: list[TextLine] | None) -> NextPage | None:
        if not lines:
            return None
        margin = [line for line in lines if style.is_margin(page, line)]
        content = sorted((line for line in lines if line not in margin), key=lambda line: (line.box.top, line.box.x0))
        tops = [line.box.bottom for line in margin if line.box.bottom < page.height / 2]
        return cls(content, max(tops, default=page.cropbox.top))


def _ends_page(box: Box, page: PageContent, content: list[TextLine]) -> bool:
    """Nothing but page furniture under `box` in its column."""
    return not any(line.box.top > box.bottom and line.box.h_overlap(box) > 0 for line in content)


def continue_captions(
    captions: list[Caption], page: PageContent, content: list[TextLine], next_page: NextPage | None, body_size: float
) -> None:
    """Append to a caption cut by the page break the lines that carry it on at the head of the next page."""
    if next_page is None:
        return
    for caption in captions:
        size = caption.lines[0].font_size
        header = _continued_header(caption, next_page)
        if header is not None:
            carried = _carried_lines(next_page.lines[next_page.lines.index(header) + 1 :], header, size)
            caption.text = join_lines([caption.text, header.text, *(line.text for line in carried)])
            continue
        if not _cut_short(caption) or not _ends_page(caption.box, page, content):
            continue
        if abs(size - body_size) <= _SAME_SIZE * body_size:
            continue  # a caption set in body type cannot be told from the paragraph after it
        carried: list[TextLine] = []
        for line in next_page.lines:
            previous = carried[-1].box.bottom if carried else None
            if (
                abs(line.font_size - size) > _SAME_SIZE * size
                or abs(line.box.x0 - caption.box.x0) > size
                or CAPTION_START.match(line.text)
                or (previous is not None and line.box.top - previous > 0.9 * size)
            ):
                break
            carried.append(line)
        if carried:
            caption.text = join_lines([caption.text, *(line.text for line in carried)])


def _continued_header(caption: Caption, next_page: NextPage) -> TextLine | None:
    """The line that announces the caption's continuation at the head of the next page, "Figure 2
    (...continued)" (PeerJ), wherever this page's part of the caption ended."""
    for line in next_page.lines[:_HEADER_LINES]:
        match = CAPTION_START.match(line.text)
        if (
            match is not None
            and caption_type(match.group("prefix")) == caption.type
            and normalise_label(match.group("label")) == caption.label
            and _CONTINUED.search(line.text[match.end() :])
        ):
            return line
    return None


def _carried_lines(lines: list[TextLine], header: TextLine, size: float) -> list[TextLine]:
    """The rows under a continuation header in the caption's size, left-aligned with it."""
    carried: list[TextLine] = []
    for line in lines:
        previous = (carried[-1] if carried else header).box.bottom
        if (
            abs(line.font_size - size) > _SAME_SIZE * size
            or abs(line.box.x0 - header.box.x0) > size
            or line.box.top - previous > 0.9 * size
        ):
            break
        carried.append(line)
    return carried


def _cut_short(caption: Caption) -> bool:
    """A caption of two or more rows whose last row is full (it was wrapped, not ended) and ends mid-sentence:
    a one-line caption that ends without a full stop is more often a title than a cut."""
    last = max(caption.lines, key=lambda line: line.box.top)
    size = caption.lines[0].font_size
    return (
        last.box.top > caption.lines[0].box.bottom
        and last.box.x1 >= caption.box.x1 - 1.5 * size
        and not caption.text.rstrip().endswith(_SENTENCE_END)
    )


def is_slice_of_next(region_box: Box, page: PageContent, content: list[TextLine], next_page: NextPage | None) -> bool:
    """An uncaptioned picture at the foot of the page whose rest opens the next page above its caption."""
    if next_page is None or not next_page.lines or not _ends_page(region_box, page, content):
        return False
    first = next_page.lines[0]
    match = CAPTION_START.match(first.text)
    return (
        match is not None
        and caption_type(match.group("prefix")) == "Figure"
        and first.box.top - next_page.top >= _OPENING_FIGURE_PT
        and first.box.h_overlap(region_box) > 0
    )

"""Figures and captions that a page break cuts (reflowed e-books, long captions in print books).

Four cases, decided from this page and the text of the next one (pass 1 of `document.py` has the
text lines of every page):
- a caption that runs to the foot of its page and stops mid-sentence goes on in the lines at the head of
  the next page set in the caption's font size (in the body's size, to the end of its paragraph); so does a
  caption whose title alone ends the page ("Figure 15.6 Scabies"), when the next page opens with a
  paragraph in the caption's size that ends a sentence; a caption that ended its sentence takes a credit
  note alone that opens the next page;
- a picture sliced by the page break: its top at the foot of this page (uncaptioned, nothing under it
  but page furniture), the rest at the head of the next page, which opens with an image and its caption
  (the caption is the next page's first text, well below the top of its text area). The slice is not a
  figure of its own: the figure is where its caption is;
- a whole picture at the foot of this page whose caption was pushed to the next page: the next page opens
  with a Figure caption right at the top of its text area (no room for a picture above it). The picture takes
  that caption; on the next page the caption is claimed (`claimed_by_previous`), so what follows it (a
  bulleted list, a table) is not boxed as its figure;
- a figure that fills a page of its own, its caption on a page next to it: at the head or the foot of the next
  page, or on the page before under a note that its figure is on the next page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import takewhile

from mmskin_build.extract.captions import (
    CAPTION_START,
    Caption,
    caption_type,
    first_word_width,
    link_after_last_sentence,
)
from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.layout import DocumentStyle, same_size
from mmskin_build.extract.page import WORD_SPACE_EM, PageContent, TextLine, within_row
from mmskin_build.extract.text import ends_sentence, join_lines
from mmskin_build.text.labels import CONTINUED, label_reads_on, mention_key, normalise_label
from mmskin_build.text.panel_markers import PAREN_MARK

PAGES_AHEAD = 3  # a caption goes on over this many pages at most (a long one filling small e-book pages)
_OPENING_FIGURE_PT = 72.0  # space above the next page's first text that an image slice must fill
_HEADER_LINES = 3  # a continuation header ("Figure 2 (continued)") is among the next page's first lines
_SLIVER = 0.1  # share of a sliced picture's height: a part printed with the caption that is less is a sliver
_SAME_EDGE = 2.0  # points: the two parts of a sliced picture share its left and right edges
_HELD_SHARE = 0.9  # share of a figure's box inside a picture at the page's foot: the figure is (in) that picture
_MARGIN_SLACK = 4.0  # points: a caption's first line may start this much above the body's lines at the top margin
# All a caption under a page-size figure says when its legend is set overleaf (Springer Nature, BMC).
_LEGEND_OVERLEAF = re.compile(r"^\W*see legend on (?:the )?next page\W*$", re.IGNORECASE)
_POINTER = re.compile(r"\s*\(\s*see\b", re.IGNORECASE)  # a note that points elsewhere: "(See legend on next page.)"
# A micrograph's magnification, the last words of its caption before any credit note: "LM × 160.", "H&E x 200".
_MAGNIFICATION = re.compile(r"\s*(?:[A-Z&]{1,4}\s*)?[×x]\s?\d[\d,]*\.?")


@dataclass(slots=True)
class NextPage:
    """The next page's text, seen from this one: its lines without running headers and footers."""

    lines: list[TextLine]  # top to bottom
    top: float  # where its text area starts (below the running header, at the document's top margin)
    height: float  # the page's height, taken from the page before it (a document's pages share one size)

    @classmethod
    def of(cls, page: PageContent, style: DocumentStyle, lines: list[TextLine] | None) -> NextPage | None:
        if not lines:
            return None
        margin, rest = [], []
        for line in lines:
            (margin if style.is_margin(page, line) else rest).append(line)
        content = sorted(
            (line for line in rest if not style.is_side_furniture(line)), key=lambda line: (line.box.top, line.box.x0)
        )
        tops = [line.box.bottom for line in margin if line.box.bottom < page.height / 2]
        if style.text_top is not None:  # a page without running headers starts its text at the top margin
            tops.append(style.text_top - _MARGIN_SLACK)
        return cls(content, max(tops, default=page.cropbox.top), page.height)


class PagesAfter:
    """The pages after `page` as it sees them (`NextPage`; None for one unread or past the end), each worked out when
    first asked for: most pages ask for the next one only."""

    def __init__(self, page: PageContent, style: DocumentStyle, lines: Sequence[list[TextLine] | None]) -> None:
        self._page, self._style, self._lines = page, style, lines
        self._seen: dict[int, NextPage | None] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> NextPage | None:
        if index not in self._seen:
            self._seen[index] = NextPage.of(self._page, self._style, self._lines[index])
        return self._seen[index]


def _ends_page(box: Box, page: PageContent, content: list[TextLine]) -> bool:
    """Nothing but page furniture under `box` in its column."""
    return not any(line.box.top > box.bottom and line.box.h_overlap(box) > 0 for line in content)


def continue_captions(
    captions: list[Caption],
    page: PageContent,
    content: list[TextLine],
    following: PagesAfter,
    body_size: float,
) -> None:
    """Append to a caption cut by the page break the lines that carry it on at the head of the next page, and, where
    they fill that page, at the head of the pages after it (`following`: the pages after this one)."""
    next_page = following[0] if following else None
    if next_page is None:
        return
    for caption in captions:
        size = caption.lines[0].font_size
        header = _continued_header(caption, next_page)
        if header is not None:
            rest = next_page.lines[next_page.lines.index(header) + 1 :]
            carried = _paragraph(rest, size, header.box.x0, previous=header)
            caption.text = join_lines([caption.text, header.text, *(line.text for line in carried)])
            continue
        legend = _legend_overleaf(caption, next_page)
        if legend is not None:
            rest = next_page.lines[next_page.lines.index(legend) + 1 :]
            carried = _paragraph(rest, legend.font_size, legend.box.x0, previous=legend)
            caption.text = join_lines([legend.text, *(line.text for line in carried)])
            continue
        if not _ends_page(caption.box, page, content):
            continue
        if same_size(size, body_size):
            carried = (
                _rest_in_body_type(caption, next_page)
                if _cut_short(caption, next_page)
                else _rest_in_italics(caption, next_page)
            )
        elif _cut_short(caption, next_page):
            carried = _over_filled_pages(_paragraph(next_page.lines, size, caption.box.x0), following, size)
        elif _open_ended(caption) or _full_to_the_foot(caption, next_page):
            carried = _description_overleaf(following, size, caption.box.x0)
        else:
            carried = _note_overleaf(following, size, caption.box.x0)
        if carried:
            caption.text = join_lines([caption.text, *(line.text for line in carried)])


def caption_over_filled_pages(caption: Caption, following: PagesAfter, body_size: float) -> None:
    """Append to a caption printed overleaf (`caption_overleaf`) that fills the next page its lines at the head of
    the pages after it (`following`: the pages after the figure's); any other caption is left as it is."""
    size = caption.lines[0].font_size
    if caption.overleaf and not same_size(size, body_size):
        rest = _over_filled_pages(caption.lines, following, size)[len(caption.lines) :]
        caption.text = join_lines([caption.text, *(line.text for line in rest)])


def _over_filled_pages(on_next: list[TextLine], following: PagesAfter, size: float) -> list[TextLine]:
    """A caption's lines at the head of the next page (`on_next`, in `size`) and, while they fill their page, its
    lines from the same left edge at the head of the pages after (`following`: the next page and those after it): a
    caption longer than a small page (calibre at A6: 11 pt captions in a 154 pt text width, a 170-word caption over
    three pages). Asked only of a caption not in the body's size: a page of running text is no caption's."""
    lines, on_page = list(on_next), on_next
    for ahead in range(1, len(following)):
        page = following[ahead - 1]
        # the caption fills the page: it holds all its lines (in row order, which may put a script after its row)
        if page is None or not on_page or len(on_page) < len(page.lines) or following[ahead] is None:
            break
        on_page = _paragraph(following[ahead].lines, size, on_next[0].box.x0)
        lines += on_page
    return lines


def _continued_header(caption: Caption, next_page: NextPage) -> TextLine | None:
    """The line that announces the caption's continuation at the head of the next page, "Figure 2
    (...continued)" (PeerJ), wherever this page's part of the caption ended."""
    return _label_at_head(caption, next_page, lambda after: bool(CONTINUED.search(after)))


def _legend_overleaf(caption: Caption, next_page: NextPage) -> TextLine | None:
    """The first line of the caption's legend at the head of the next page, where the caption says no more than that
    its legend is there ("Fig. 2 (See legend on next page.)"): the line that opens with the same label."""
    if not _LEGEND_OVERLEAF.match(caption.text[caption.label_end :]):
        return None
    return _label_at_head(caption, next_page, lambda after: True)


def _label_at_head(caption: Caption, next_page: NextPage, accepts: Callable[[str], bool]) -> TextLine | None:
    """The first of the next page's first lines, in its upper half, that opens with the caption's type and label,
    followed by text that `accepts` takes. Not the caption at the foot of a page whose figure holds no text of its
    own, which is then among its first lines (Frontiers' "FIGURE 1 | Continued" under each part of a figure over
    several pages: crash sweep, EssOilDB eda94db143, each caption read twice)."""
    for line in next_page.lines[:_HEADER_LINES]:
        match = CAPTION_START.match(line.text)
        if (
            line.box.bottom < next_page.height / 2
            and match is not None
            and caption_type(match.group("prefix")) == caption.type
            and normalise_label(match.group("label")) == caption.label
            and accepts(line.text[match.end() :])
        ):
            return line
    return None


def _paragraph(lines: list[TextLine], size: float, x0: float, previous: TextLine | None = None) -> list[TextLine]:
    """The lines at the head of `lines` that go on one paragraph set in `size` from left edge `x0` (after the
    line `previous`), row by row (`_rows`): same size, left-aligned, no wider gap than a line's, no new caption, no
    figure's link line after the last sentence."""
    taken: list[TextLine] = []
    above = (previous.box, previous.text) if previous is not None else None
    for row in _rows(lines, size):
        box = union_all(line.box for line in row)
        text = join_lines([line.text for line in row])
        if (
            not same_size(max(line.font_size for line in row), size)
            or abs(box.x0 - x0) > size
            or CAPTION_START.match(text)
            or (above is not None and box.top - above[0].bottom > 0.9 * size)
            or (above is not None and link_after_last_sentence(above[1], text))
        ):
            break
        taken.extend(row)
        above = (box, text)
    return taken


def _rows(lines: list[TextLine], size: float) -> list[list[TextLine]]:
    """`lines` (top to bottom) as the rows they print, each left to right: a line level with the row above, or holding
    it or held by it within its height (`within_row`), and standing next to it (a size apart at most) is a piece of
    it, a superscript the text layer holds as a line of its own ("the ¹⁵N and ¹⁴N levels", "0.008 mm³", calibre's
    Microbiology 11.5 and 9.8); a line of the next column across a gutter is not."""
    rows: list[list[TextLine]] = []
    for line in lines:
        row = union_all(piece.box for piece in rows[-1]) if rows else None
        level = row is not None and (
            line.box.is_level_with(row) or within_row(line.box, row) or within_row(row, line.box)
        )
        if level and row.gap(line.box) <= size:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.box.x0) for row in rows]


def _cut_short(caption: Caption, next_page: NextPage) -> bool:
    """A caption of two or more rows whose last row was wrapped (`_wrapped`) mid-sentence: a one-line caption that
    ends without a full stop is more often a title than a cut."""
    return _full_to_the_foot(caption, next_page) and _open_ended(caption)


def _full_to_the_foot(caption: Caption, next_page: NextPage) -> bool:
    """A caption of two or more rows whose last row was wrapped, not ended (`_wrapped`)."""
    last = max(caption.lines, key=lambda line: line.box.top)
    following = next_page.lines[0] if next_page.lines else None
    return last.box.top > caption.lines[0].box.bottom and _wrapped(last, caption.box.x1, following)


def _wrapped(line: TextLine, right: float, following: TextLine | None) -> bool:
    """Whether `line` was wrapped before `right` (its paragraph's widest line's end), not ended: full to within a
    size and a half, or, set ragged-right, too short for a word space and the first word of the line `following` it
    (a word processor's captions, set flush left: held-out 43 Figure 12.20's last row at the page's foot ends 25 pt
    short, "structure" 56 pt wide; calibre's Microbiology 2.28, 33 pt short of "Society", 32 pt)."""
    room = right - line.box.x1
    if room <= 1.5 * line.font_size:
        return True
    return following is not None and first_word_width([following]) + WORD_SPACE_EM * line.font_size >= room


def _open_ended(caption: Caption) -> bool:
    """A caption that does not end a sentence (a credit note after its last one aside): cut mid-sentence, or the title
    ("Figure 15.6 Scabies", on one row or wrapped over a narrow column's several) of a title-and-description caption,
    its description pushed overleaf."""
    return not _closes(caption.text)


def _description_overleaf(following: PagesAfter, size: float, x0: float) -> list[TextLine]:
    """The description of a caption whose title alone ended the page before (or the rest of one ending with a full
    row): the paragraph that opens the next page's text area (`_opening_paragraph`), set in the caption's size from
    its left edge (and over the pages after it that it fills: `_over_filled_pages`), and ends a sentence (a credit
    note may follow it) or is a credit note alone. Body text, a heading, a table's cells or another caption opening
    the page are none of these."""
    carried = _over_filled_pages(_opening_paragraph(following[0], size, x0), following, size)
    return carried if carried and (_ends_sentence(carried) or _note_alone(carried)) else []


def _note_overleaf(following: PagesAfter, size: float, x0: float) -> list[TextLine]:
    """The credit or source note of a caption that ended its last sentence at the foot of the page before: the
    paragraph that opens the next page's text area in the caption's size from its left edge, and is that note alone
    ("(Micrograph provided by the Regents of University of Michigan Medical School © 2012)")."""
    carried = _over_filled_pages(_opening_paragraph(following[0], size, x0), following, size)
    return carried if _note_alone(carried) else []


def _note_alone(lines: list[TextLine]) -> bool:
    """The lines are a credit or source note in brackets and nothing more, a micrograph's magnification and its
    credit note ("LM × 160. (Micrograph provided by ...)", probe calibre A5 20.3), or that magnification alone: not
    a panel's letter ("(f)"), nor a pointer to another page ("(See figure on previous page.)" over a legend set apart
    from its figure)."""
    text = join_lines([line.text for line in lines])
    magnification = _MAGNIFICATION.match(text)
    if magnification is not None:
        text = text[magnification.end() :]
        if not text.strip():
            return True
    text = text.strip()
    return _note_start(text) == 0 and not _POINTER.match(text)


def _note_start(text: str) -> int | None:
    """Where the credit or source note that ends `text` opens ("... (credit: DermNet)"): the bracket matching the
    closing one at its end, brackets inside counted ("(Credit: Phalinn Ooi / Wikimedia Commons (CC-BY))"); None where
    the text ends in no closing bracket, or in a panel's letter ("(f)")."""
    text = text.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[at], 0)
        if depth == 0:
            return None if PAREN_MARK.fullmatch(text[at:]) else at
    return None


def _opening_paragraph(next_page: NextPage, size: float, x0: float) -> list[TextLine]:
    """The paragraph in type of `size` from left edge `x0` that opens the next page's text area: nothing, no picture,
    above it."""
    if not next_page.lines or next_page.lines[0].box.top - next_page.top >= _OPENING_FIGURE_PT:
        return []
    return _paragraph(next_page.lines, size, x0)


def _rest_in_body_type(caption: Caption, next_page: NextPage) -> list[TextLine]:
    """The rest of a caption set in the body's type and cut mid-sentence by the page break: the lines that open the
    next page's text area (`_opening_paragraph`) from the caption's left edge, to the end of its paragraph (the first
    line that ends a sentence and was not wrapped, or an indented row, a gap, a change of size). It must end a
    sentence: the body text that follows a caption is told from it only by where its paragraph ends."""
    paragraph = _opening_paragraph(next_page, caption.lines[0].font_size, caption.box.x0)
    for end, line in enumerate(paragraph, start=1):
        following = paragraph[end] if end < len(paragraph) else None
        if _ends_sentence(paragraph[:end], caption.text) and not _wrapped(line, caption.box.x1, following):
            return paragraph[:end]
    return paragraph if paragraph and _ends_sentence(paragraph, caption.text) else []


def _rest_in_italics(caption: Caption, next_page: NextPage) -> list[TextLine]:
    """The rest of a caption set in the body's size, told from the body by its italics alone (a word processor's),
    that ends a sentence at the page's foot: the rows in italics that open the next page's text area from the
    caption's left edge (`_opening_paragraph`), to a sentence's end or a credit note's (Microbiology 22.6), where
    upright rows in its size follow them (LibreOffice's Microbiology 9.26 and 18.8, Anatomy and Physiology 21.30).
    The shape of a paragraph cannot tell such a rest from the body's paragraph after the caption."""
    if not all(line.italic for line in caption.lines):
        return []
    size = caption.lines[0].font_size
    rows = list(takewhile(lambda line: line.italic, _opening_paragraph(next_page, size, caption.box.x0)))
    upright = [line for line in next_page.lines[len(rows) :] if not line.italic and same_size(line.font_size, size)]
    return rows if rows and upright and _ends_sentence(rows, caption.text) else []


def _ends_sentence(lines: list[TextLine], before: str = "") -> bool:
    """Whether the lines, after the text `before` them (a caption's rows before the page break, where a note may
    open), end a sentence (`_closes`)."""
    return _closes(join_lines([before, *(line.text for line in lines)]))


def _closes(text: str) -> bool:
    """Whether the text ends a sentence, a credit or source note after it aside ("... LM x 128. (Micrograph provided
    by the Regents of the University of Michigan Medical School)"); a panel's letter opening its text at a row's end
    is no note ("... joints. (f)")."""
    text = text.rstrip()
    note = _note_start(text)
    if note is not None:
        text = text[:note]
        opened = text.rfind("(")
        if opened > text.rfind(")"):  # the note's own bracket, left open round a licence's ("Flickr (CC-BY)")
            text = text[:opened]
        label = CAPTION_START.match(text)
        if label is not None and not text[label.end() :].strip():
            return True  # a caption of its label and a credit note alone ("Figure 3.13 (credit ...)")
    return ends_sentence(text)


def _opening_figure_caption(region_box: Box, next_page: NextPage | None) -> re.Match | None:
    """The next page's first line when it is a Figure caption under (overlapping) the picture's x range: its first
    line or the rows of its paragraph (a label alone on its row at the left margin, under a centred picture)."""
    if next_page is None or not next_page.lines:
        return None
    first = next_page.lines[0]
    match = CAPTION_START.match(first.text)
    if match is None or caption_type(match.group("prefix")) != "Figure":
        return None
    rows = [first, *_paragraph(next_page.lines[1:], first.font_size, first.box.x0, first)]
    if label_reads_on(match, first.text, rows[1].text if len(rows) > 1 else None):
        return None  # a paragraph opening with a citation ("Figure 19.11" / "summarizes the" on calibre's A6 page)
    return match if any(row.box.h_overlap(region_box) > 0 for row in rows) else None


def _rest_overleaf(foot: Box, caption: Box, top: float, parts: list[Box]) -> bool:
    """Whether a picture stands over the caption that opens the next page (`parts`: the pictures at its head), so
    that the picture at the foot of this page is not that caption's figure: its own rest, a tenth or more of it (less
    is a sliver, and the figure is the part on this page: the ground truth's rule), or another picture. Where none
    is found, whether the caption lies far enough (72 pt) below the top of the text area (`top`) for one."""
    over = [box for box in parts if box.h_overlap(caption) > 0 and box.bottom <= caption.top + 1]
    if not over:
        return caption.top - top >= _OPENING_FIGURE_PT
    rest = [box for box in over if _same_edges(box, foot)]
    if not rest:
        return True
    height = max(box.bottom for box in rest) - min(box.top for box in rest)
    return height >= _SLIVER * (height + foot.height)


def _rest_fills_next_page(foot: Box, page: PageContent, content: list[TextLine], style: DocumentStyle) -> bool:
    """Whether the rest of a picture printed under text down to the foot of this page's text area (the same left and
    right edges) both opens and ends the next page: a picture too tall for what was left of the page, sliced, its
    rest on a page of its own. A picture with no text over it is a page of pictures, and one that ends short of the
    text area's foot was not cut: a picture of its own, as wide as the next (a guideline's flow charts)."""
    if not any(line.box.bottom <= foot.top for line in content if line.box.h_overlap(foot) > 0):
        return False
    if not style.reaches_text_foot(page.height, foot):
        return False
    heads = style.picture_parts_at_head(page.number + 1)
    feet = style.pictures_at_foot(page.number + 1)
    return any(_same_edges(head, foot) and head in feet for head in heads)


def picture_at_foot_holding(region_box: Box, page_number: int, style: DocumentStyle) -> Box | None:
    """The picture at the foot of page `page_number` that holds most of the region: the raster by whose edges its
    rest overleaf is matched (`claimed_by_previous` looks at it), where an OCR'd page's figure is found as the ink
    inside it (grouped ink may reach a few points past the raster's edges)."""
    feet = style.pictures_at_foot(page_number)
    return next((box for box in feet if box.overlap_area(region_box) >= _HELD_SHARE * region_box.area), None)


def _same_edges(part: Box, other: Box) -> bool:
    """The two parts of a sliced picture share its left and right edges."""
    return abs(part.x0 - other.x0) <= _SAME_EDGE and abs(part.x1 - other.x1) <= _SAME_EDGE


def is_slice_of_next(
    region_box: Box, page: PageContent, content: list[TextLine], next_page: NextPage | None, style: DocumentStyle
) -> bool:
    """An uncaptioned picture at the foot of the page whose rest opens the next page above its caption, or fills the
    next page (the caption overleaf of that)."""
    if not _ends_page(region_box, page, content):
        return False
    foot = picture_at_foot_holding(region_box, page.number, style) or region_box
    if _rest_fills_next_page(foot, page, content, style):
        return True
    if _opening_figure_caption(region_box, next_page) is None:
        return False
    parts = style.picture_parts_at_head(page.number + 1)
    return _rest_overleaf(foot, next_page.lines[0].box, next_page.top, parts)


def caption_overleaf(
    region_box: Box, page: PageContent, content: list[TextLine], next_page: NextPage | None, style: DocumentStyle
) -> Caption | None:
    """The caption of an uncaptioned picture at the foot of the page, printed at the very top of the next
    page's text area (no room above it for the picture's rest: it is not a slice). In a document that captions
    above its figures, a caption opening a page heads the figure under it (as `claimed_by_previous` agrees)."""
    if style.figures_below_captions or not _ends_page(region_box, page, content):
        return None
    match = _opening_figure_caption(region_box, next_page)
    if match is None:
        return None
    foot = picture_at_foot_holding(region_box, page.number, style) or region_box
    if _rest_overleaf(foot, next_page.lines[0].box, next_page.top, style.picture_parts_at_head(page.number + 1)):
        return None
    return _caption_overleaf_from(next_page.lines[0], next_page.lines[1:], match)


def caption_at_foot_of_next(page: PageContent, style: DocumentStyle, next_page: NextPage | None) -> Caption | None:
    """The caption of a figure that fills a page of its own, printed at the foot of a column of the next page away
    from any graphic there (a Lancet article's page of forest plots, its "Figure 3: ..." ending the next page's
    left column after the body text). Not a caption ending the next page over a picture that opens the page after
    it: that picture's (`caption_from_page_before`)."""
    foot = style.caption_at_foot(page.number + 1)
    if not foot or next_page is None:
        return None
    first = foot[0]
    match = CAPTION_START.match(first.text)
    if match is None or any(box.h_overlap(first.box) > 0 for box in style.pictures_at_head(page.number + 2)):
        return None
    start = next((line for line in next_page.lines if line.box == first.box), None)
    if start is None:
        return None
    under = [line for line in next_page.lines if line.box.top > start.box.top and line.box.h_overlap(start.box) > 0]
    return _caption_overleaf_from(start, under, match)


def legend_on_page_before(page: PageContent, style: DocumentStyle) -> Caption | None:
    """The legend of a figure that fills this page, printed on the page before under "(See figure on next page.)"
    (the mirror of `_legend_overleaf`): its first line and the lines of its paragraph."""
    return _caption_from(style.legend_ahead(page.number - 1))


def caption_ending_page_before(page: PageContent, style: DocumentStyle) -> Caption | None:
    """The caption of a figure that fills this page, left at the foot of the page before with nothing after it
    (`_caption_left_for_next`: a journal's "Fig. 1." under the last paragraph, its three charts overleaf)."""
    return _caption_from(_caption_left_for_next(page.number - 1, style))


def _caption_left_for_next(page_number: int, style: DocumentStyle) -> list[TextLine]:
    """The caption that ends page `page_number` with nothing after it (`DocumentStyle.caption_at_foot`), left for the
    figure on the next page; not one that opens that page too where captions go under figures: it is the caption
    overleaf of the figure before it (probe, LibreOffice: a page-filling drawing, its caption alone on the next
    page, then the next drawing, its caption opening the page after)."""
    lines = style.caption_at_foot(page_number)
    top = style.text_top
    if lines and top is not None and not style.figures_below_captions and lines[0].box.top <= top + _MARGIN_SLACK:
        return []
    return lines


def legend_listed_apart(caption: Caption, style: DocumentStyle) -> Caption | None:
    """The legend of a figure printed with its label alone ("Figure 1." over a figure on a page of its own, as an
    author manuscript sets its figures after the text), listed on a page of legends elsewhere in the document
    (`DocumentStyle.listed_legend`: "Figure 1 - Regional distribution of ..."): that legend and its paragraph."""
    if caption.label is None or any(char.isalnum() for char in caption.text[caption.label_end :]):
        return None
    lines = style.listed_legend(mention_key(caption.prefix, caption.label))
    match = CAPTION_START.match(lines[0].text) if lines else None
    return _caption_of_lines(lines, match) if match is not None else None


def _caption_from(lines: list[TextLine]) -> Caption | None:
    match = CAPTION_START.match(lines[0].text) if lines else None
    return _caption_overleaf_from(lines[0], lines[1:], match) if match is not None else None


def _caption_overleaf_from(first: TextLine, after: list[TextLine], match: re.Match) -> Caption:
    """A Figure caption on the next page: `first` and the lines of its paragraph at the head of `after`."""
    return _caption_of_lines([first, *_paragraph(after, first.font_size, first.box.x0, first)], match)


def _caption_of_lines(lines: list[TextLine], match: re.Match) -> Caption:
    """A Figure caption printed on another page than its figure, of `lines` (`match`: its first line's label)."""
    return Caption(
        "Figure",
        match.group("prefix"),
        normalise_label(match.group("label")),
        lines,
        union_all(line.box for line in lines),
        join_lines([line.text for line in lines]),
        1.0,
        len(match.group(0)),
        overleaf=True,
    )


def caption_from_page_before(page: PageContent, style: DocumentStyle) -> Caption | None:
    """The caption of the picture that opens this page when it ended the page before, set over the picture that
    the page break pushed here (a reflowed book that captions over its figures). It stands as a caption just over
    the picture, so the figure is found as for any caption over its figure; its box is on the page before."""
    lines = _caption_left_for_next(page.number - 1, style)
    if not lines:
        return None
    first = lines[0]
    pictures = [box for box in style.pictures_at_head(page.number) if box.h_overlap(first.box) > 0]
    match = CAPTION_START.match(first.text)
    if not pictures or match is None:
        return None
    rows = [first, *_paragraph(lines[1:], first.font_size, first.box.x0, first)]
    text = join_lines([line.text for line in rows])
    top = min(box.top for box in pictures)
    # Over the picture, a few points clear of it: the caption's box is erased from the ink before the search.
    stand_in = Box(min(box.x0 for box in pictures), top - 5, max(box.x1 for box in pictures), top - 4)
    return Caption(
        "Figure",
        match.group("prefix"),
        normalise_label(match.group("label")),
        [TextLine(text, stand_in, first.font_size, first.start)],
        stand_in,
        text,
        1.0,
        len(match.group(0)),
        overleaf=True,
    )


def claimed_by_previous(caption: Caption, this_page: NextPage, style: DocumentStyle, page_number: int) -> bool:
    """A Figure caption that opens this page right at the top of its text area while the page before ends with
    a picture and nothing under it: it is that picture's caption (`caption_overleaf` seen from the other side)."""
    if caption.type != "Figure" or not this_page.lines or this_page.lines[0] is not caption.lines[0]:
        return False
    if style.figures_below_captions:
        return False
    parts = style.picture_parts_at_head(page_number)
    return any(
        box.h_overlap(caption.box) > 0 and not _rest_overleaf(box, caption.box, this_page.top, parts)
        for box in style.pictures_at_foot(page_number - 1)
    )

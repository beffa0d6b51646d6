"""Page layout: which text lines are body text, and the columns they form.

Body text bounds figure regions: a figure never overlaps a paragraph. Text inside figures (axis labels,
legends, panel letters) is short, or smaller than the body font, and sits near graphics.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.legends import is_tick_label
from mmskin_build.extract.page import Graphic, PageContent, TextLine, flat_fill, line_above, stroked_outline
from mmskin_build.extract.render import PAPER
from mmskin_build.extract.text import ends_sentence, starts_list_entry
from mmskin_build.text.labels import (
    CAPTION_START,
    CONTINUED,
    caption_type,
    cites_in_running_text,
    mention_key,
    normalise_label,
)
from mmskin_build.text.panel_markers import LETTER_ALONE, SUBFIGURE_CAPTION


class DocumentStyle:
    """What a whole document's text says about its layout: the body font size (the size its running text is set in,
    `_running_text_size`), its running headers and footers (lines repeated at the same place in
    the top or bottom margin of several pages), the furniture of its side margins (text and drawings repeated at
    the same place there) and, in a book, its covers and front matter before its first figure caption."""

    def __init__(self) -> None:
        self._page_sizes: list[Counter[float]] = []  # per page, characters per type size, but of captions' ...
        self._caption_sizes: Counter[float] = Counter()  # ... counted here (`_caption_paragraphs`)
        self._paragraph_sizes: list[Counter[float]] = []  # per page, characters of paragraph lines per type size
        self._body_size: float | None = None  # the body size, once asked for (add_page forgets it)
        # (type size, top-to-top pitch in type sizes) of each line over the next of its paragraph
        self._pitches: Counter[tuple[float, float]] = Counter()
        self._margin_lines: Counter[tuple[int, str]] = Counter()
        # drawings near the top or bottom edge: pages without a figure caption each recurs on
        self._margin_drawings: Counter[tuple] = Counter()
        self._side_items: Counter[tuple] = Counter()  # lines and graphics in a side margin: pages each recurs on
        # Centres (x) of the innermost of them on the left and on the right: what lies between is no side furniture.
        self._side_reach = [-math.inf, math.inf]
        self._images: Counter[tuple] = Counter()
        self._bleeds: list[tuple[int, Box]] = []  # pictures cut by a page edge: page, placement
        self._pages = 0
        self._first_caption_page: int | None = None
        self._caption_sides: Counter[str] = Counter()  # which side of each figure caption its nearest graphic is on
        self._foot_pictures: dict[int, list[Box]] = {}  # per page, pictures with no text under them but furniture
        # per page, pictures an inch or more wide with no text over them but furniture (a sliced picture's rest)
        self._head_parts: dict[int, list[Box]] = {}
        self._foot_captions: dict[int, list[TextLine]] = {}  # per page, a caption ending it away from any graphic
        self._listed_legends: dict[str, list[TextLine]] = {}  # by label, a legend on a page of text (`listed_legend`)
        self._legends_ahead: dict[int, list[TextLine]] = {}  # per page, a legend whose figure is on the next page
        self._blocks: Counter[tuple[int, int]] = Counter()  # pages' text blocks (x0, x1), in steps of _BLOCK_STEP
        # ... of the even (0) and the odd (1) pages apart: a two-sided book mirrors its margins
        self._side_blocks: dict[int, Counter[tuple[int, int]]] = {0: Counter(), 1: Counter()}
        # Per page, how far from its top and from its bottom edge its paragraphs reach (points).
        self._paragraph_reach: list[tuple[float, float]] = []
        # Pages whose printed page number runs ahead of their place in the file (True) or not (False).
        self._folios_ahead: Counter[bool] = Counter()
        self._text_area: tuple[float, float] | None = None  # where most pages' reach (`_shared_reach`), once asked for
        self._last_lines: dict[int, TextLine] = {}  # per page, its lowest line above the furniture at its foot

    def add_page(
        self,
        number: int,
        page_height: float,
        lines: list[TextLine],
        graphics: list[Graphic] = (),
        page_width: float | None = None,
        frame: Box | None = None,
        rasters: Sequence[Graphic] = (),
    ) -> None:
        """Page `number` (1-based), in page order; without `page_width` no picture counts as cut by a page edge.
        `frame`: the page as shown (its CropBox), the whole page when None; the margins are measured from it.
        `rasters`: the images of a page whose figures are found on its raster (OCR'd: a scan, or an e-book's page
        of one picture with its labels in the pixels), which count only where they open or end the page, and only
        a picture placed within the page's margins on a page without a paragraph of running text (not a scanned
        page: of text, or a plate, its raster the whole page)."""
        self._pages, self._body_size, self._text_area = number, None, None
        self._pitches.update(_line_pitches(lines))
        frame = frame or Box(0.0, 0.0, page_width or 0.0, page_height)
        reach = _paragraph_reach(page_height, frame.width or math.inf, lines)
        if reach is not None:
            self._paragraph_reach.append(reach)
        folios = {
            int(line.text.strip())
            for line in lines
            if _FOLIO.match(line.text.strip()) and _margin_zone(frame, line) <= _PAGE_NUMBER_ZONE
        }
        if len(folios) == 1:
            self._folios_ahead[folios.pop() > number] += 1
        captions = [line for line in lines if _is_figure_caption(line) and not _cited_at_row_start(line, lines)]
        # A caption's label opening a margin column at one place on page after page is no furniture, but one that
        # says only that its figure goes on ("Figure 5. Cont." heading each page of a figure over several) is.
        labels = {id(line) for line in captions if not _continuation_label(line)}
        if self._first_caption_page is None and captions:
            self._first_caption_page = number
        self._caption_sides.update(filter(None, (_nearest_graphic_side(line, graphics, lines) for line in captions)))
        keys = set()
        legends = _caption_paragraphs(lines)
        page_sizes: Counter[float] = Counter()
        self._page_sizes.append(page_sizes)
        self._paragraph_sizes.append(_paragraph_sizes(lines, legends))
        for line in lines:
            # An atlas's legends outweigh its running text: their type is no body size (the body's lines would be
            # taken for figure text). Counted apart, for a document of nothing but captions.
            sizes = self._caption_sizes if id(line) in legends else page_sizes
            sizes[round(line.font_size, 1)] += len(line.text)
            # A panel letter over the top row of several figures is no running header, nor a caption's label.
            if (
                _margin_zone(frame, line) <= _REPEATED_ZONE
                and not LETTER_ALONE.match(line.text.strip())
                and id(line) not in labels
            ):
                keys.add(_margin_key(line))
        self._margin_lines.update(keys)  # pages a line recurs on, not times on one page
        if not captions:  # the frames of figures at the head or foot of the text recur on pages with captions
            self._margin_drawings.update({_side_key(g) for g in graphics if _is_margin_drawing(frame, g)})
        block = _text_block(lines)
        if block is not None:  # pictures that recur are decorations (is_recurring_image), counted as dropped
            key = round(block[0] / _BLOCK_STEP), round(block[1] / _BLOCK_STEP)
            self._blocks[key] += 1
            self._side_blocks[number % 2][key] += 1
            items = [*(line for line in lines if id(line) not in labels), *(g for g in graphics if g.kind != "image")]
            beside = [item for item in items if _beside(item.box, block)]
            self._side_items.update({_side_key(item) for item in beside})
            for item in beside:
                if item.box.cx < block[0]:
                    self._side_reach[0] = max(self._side_reach[0], item.box.cx)
                else:
                    self._side_reach[1] = min(self._side_reach[1], item.box.cx)
        self._images.update({_image_key(g) for g in graphics if g.kind == "image"})
        if page_width is not None:
            page = Box(0.0, 0.0, page_width, page_height)
            self._bleeds += [
                (number, g.placement) for g in graphics if g.kind == "image" and _bleeds(g.placement, page)
            ]
        inside = [line for line in lines if _margin_zone(frame, line) > _REPEATED_ZONE]
        if inside:
            self._last_lines[number] = max(inside, key=lambda line: line.box.bottom)
        placed = [g for g in rasters if g.box.overlap_area(frame) < _WHOLE_PAGE_SHARE * frame.area]
        pictures = [g.box for g in (*graphics, *(placed if reach is None else ())) if g.kind == "image"]
        feet = [box for box in pictures if _ends_page(box, frame, lines)]
        if feet:
            self._foot_pictures[number] = feet
        parts = [box for box in pictures if _opens_page(box, frame, lines)]
        if parts:
            self._head_parts[number] = parts
        if not any(g.kind == "image" for g in graphics):
            for line in captions:
                key = _legend_key(line)
                if key is not None:
                    self._listed_legends.setdefault(key, [line, *_legend_rows(line, lines)])
        orphan = _caption_left_at_foot(frame, lines, captions, graphics)
        if orphan:
            self._foot_captions[number] = orphan
        ahead = _legend_of_figure_overleaf(lines, captions)
        if ahead:
            self._legends_ahead[number] = ahead

    def runs_over(self, page_number: int) -> bool:
        """Page `page_number` ends in the middle of a sentence of running text (its lowest line, in the body's type):
        a reflowed book's paragraph goes on at the head of the next page."""
        last = self._last_lines.get(page_number)
        return last is not None and self.is_body_size(last) and not ends_sentence(last.text)

    def pictures_at_foot(self, page_number: int) -> list[Box]:
        """Pictures on page `page_number` with no text under them but the page furniture (`_ends_page`): where a
        reflowed book's page ends with a picture whose caption went over to the next page."""
        return self._foot_pictures.get(page_number, [])

    def pictures_at_head(self, page_number: int) -> list[Box]:
        """Pictures (an inch or more on each side) on page `page_number` with no text over them but the page
        furniture: where a reflowed book's page opens with a picture whose caption, set over it, ended the page
        before."""
        return [box for box in self._head_parts.get(page_number, []) if box.height >= _PICTURE_SIDE]

    def picture_parts_at_head(self, page_number: int) -> list[Box]:
        """Pictures an inch or more wide, of any height, on page `page_number` with no text over them but the page
        furniture: the rest of a picture that the page break sliced, down to a sliver of a few points."""
        return self._head_parts.get(page_number, [])

    def caption_at_foot(self, page_number: int) -> list[TextLine]:
        """A Figure caption that ends page `page_number` with no graphic near it, over it or under it (its first line,
        then the lines under it): a caption set over its picture, the picture pushed to the next page."""
        return self._foot_captions.get(page_number, [])

    def listed_legend(self, key: str) -> list[TextLine]:
        """The legend of figure `key` (`mention_key`) printed on a page with no picture, with text after its label:
        an author manuscript's list of legends, its figures on pages of their own under their labels alone (its first
        line, then the lines under it in its column)."""
        return self._listed_legends.get(key, [])

    def legend_ahead(self, page_number: int) -> list[TextLine]:
        """A Figure caption on page `page_number` under the note "(See figure on next page.)": the legend of the figure
        that fills the next page (its first line, then the lines under it in its column)."""
        return self._legends_ahead.get(page_number, [])

    def is_side_furniture(self, item: TextLine | Graphic) -> bool:
        """Text or a drawing beside the text block, in a side margin, at the same place on 3+ pages (the same text,
        but for its digits): a journal's rotated running title and its page-number box, a chapter thumb tab and the
        page number beside it. Page furniture, never part of a figure next to it, also on a page without text (a
        chart filling the page, where it was not counted)."""
        if isinstance(item, Graphic) and item.kind == "image":
            return False
        left, right = self._side_reach
        if left + _SIDE_SLACK < item.box.cx < right - _SIDE_SLACK:
            return False  # quick: most lines and drawings lie between the margins
        return self._side_items[_side_key(item)] >= _REPEATS

    def is_running_drawing(self, frame: Box, graphic: Graphic) -> bool:
        """A drawing repeated at one place near the page's top or bottom edge on 3+ pages without a figure caption
        (`frame`: the page as shown): a running head's rule, or its logo drawn as vector art. Page furniture, never
        part of a figure under it, as a running line is (`is_running_line`)."""
        return _is_margin_drawing(frame, graphic) and self._margin_drawings[_side_key(graphic)] >= _REPEATS

    def is_recurring_image(self, graphic: Graphic) -> bool:
        """The same picture at the same place on 3+ pages: chapter-opener art, a logo, a background (not photos of
        one size placed alike on several pages: their stored streams differ in length). Or a picture cut by the page
        edge in a frame that recurs on 3+ pages: a chapter opener's photo strip bled off the top corner, other
        photos in each chapter (a content photo bleeds in a frame of its own size and place)."""
        return self._images[_image_key(graphic)] >= _REPEATS or self._bleeds_in_recurring_frame(graphic)

    def _bleeds_in_recurring_frame(self, graphic: Graphic) -> bool:
        box = graphic.placement
        if graphic.kind != "image" or not any(placed == box for _, placed in self._bleeds):
            return False
        return len({number for number, placed in self._bleeds if placed.edges_within(box, _FRAME_SLACK)}) >= _REPEATS

    def is_outside_content(self, page_number: int) -> bool:
        """A page of a book (20+ pages) before its first figure caption, or one of its covers (its first and last
        page, also in a book without figure captions): covers, title art and foreword portraits live there, never
        an uncaptioned figure of the book's content."""
        if self._pages < _BOOK_PAGES or self.is_excerpt:
            return False
        first = self._first_caption_page
        return self.is_cover(page_number) or (first is not None and page_number < first)

    def is_cover(self, page_number: int) -> bool:
        """The first or the last page of a book (20+ pages, not an excerpt)."""
        return self._pages >= _BOOK_PAGES and not self.is_excerpt and page_number in (1, self._pages)

    @property
    def is_excerpt(self) -> bool:
        """Pages taken out of a longer book (a chapter): most pages print a page number past their place in the file
        (the file's page 1 prints 276). Such a file has neither covers nor front matter."""
        ahead, behind = self._folios_ahead[True], self._folios_ahead[False]
        return ahead >= _REPEATS and ahead > 2 * behind

    def is_cover_art(self, page: PageContent, picture: Box) -> bool:
        """An uncaptioned picture outside the content (`is_outside_content`), but for a content picture on the last
        page: a back cover's art bleeds off the page or is small (a logo, a barcode), while a slide deck or a report
        may end on a large photo set inside the page's margins like any other."""
        if not self.is_outside_content(page.number):
            return False
        return page.number != self._pages or not _set_large_inside_margins(page, picture)

    @property
    def text_block(self) -> tuple[float, float] | None:
        """The x range of the document's paragraph lines on most of its pages: its text width, which a page whose
        body is a few lines of one column does not show."""
        if not self._blocks:
            return None
        x0, x1 = self._blocks.most_common(1)[0][0]
        return x0 * _BLOCK_STEP, x1 * _BLOCK_STEP

    def text_block_on(self, page_number: int) -> tuple[float, float] | None:
        """The text block of `page_number`'s side (odd or even pages) where the two sides' are one width set at two
        places, as a two-sided book's mirrored margins set them; else the document's (`text_block`)."""
        blocks = [self._side_blocks[side].most_common(1) for side in (0, 1)]
        if not all(blocks):
            return self.text_block
        (even_x0, even_x1), (odd_x0, odd_x1) = blocks[0][0][0], blocks[1][0][0]
        if even_x0 == odd_x0 or abs((even_x1 - even_x0) - (odd_x1 - odd_x0)) > 1:  # in steps of _BLOCK_STEP
            return self.text_block
        x0, x1 = blocks[page_number % 2][0][0]
        return x0 * _BLOCK_STEP, x1 * _BLOCK_STEP

    @property
    def figures_below_captions(self) -> bool:
        """The document prints its captions above its figures: most figure captions (of 3+) have their
        nearest graphic below them."""
        below, above = self._caption_sides["below"], self._caption_sides["above"]
        return below >= _MIN_CAPTION_VOTES and below >= _SIDE_MAJORITY * (below + above)

    @property
    def body_size(self) -> float:
        if self._body_size is None:  # asked for once per line of the document (its mentions, its layout)
            self._body_size = _running_text_size(self._paragraph_sizes, self._page_sizes) or _most_common_size(
                _dense_pages_capped(self._page_sizes) or self._caption_sizes
            )
        return self._body_size

    def is_body_size(self, line: TextLine) -> bool:
        return _is_body_size(line, self.body_size)

    @property
    def body_leading(self) -> float:
        """The pitch, top to top in type sizes, of the running text's lines (the size most lines of paragraphs are set
        in: a review's tables can outweigh its body in characters, not in paragraph lines): about 1.2 set solid, 2.3
        or more double-spaced (an author's manuscript); `SOLID_LEADING` where no paragraph has two lines."""
        by_size: Counter[float] = Counter()
        for (size, _), n in self._pitches.items():
            by_size[size] += n
        if not by_size:
            return SOLID_LEADING
        running = _most_common_size(by_size)
        pitches: Counter[float] = Counter()
        for (size, pitch), n in self._pitches.items():
            if same_size(size, running):
                pitches[pitch] += n
        return max(pitches, key=pitches.__getitem__)

    def is_margin(self, page: PageContent, line: TextLine) -> bool:
        zone = _margin_zone(page.cropbox, line)
        if zone <= _ALWAYS_ZONE and not self.in_text_area(page.height, line.box):
            return True
        return self.is_running_line(page, line)

    def is_running_line(self, page: PageContent, line: TextLine) -> bool:
        """A page number, or a line repeated at one place near the page's edge on 3+ pages: furniture even where
        printed over a picture (unlike a line set below the text area only once, as a photograph's caption may be)."""
        zone = _margin_zone(page.cropbox, line)
        if zone <= _PAGE_NUMBER_ZONE and _PAGE_NUMBER.match(line.text):
            return not _among_ticks(line, page.lines)
        if zone <= _REPEATED_ZONE and self._margin_lines[_margin_key(line)] >= _REPEATS:
            return not (is_tick_label(line.text) and _among_ticks(line, page.lines))
        return False

    def in_text_area(self, page_height: float, box: Box) -> bool:
        """Within the reach of the document's paragraphs on most of its pages: a page printed with narrow margins
        (an e-book engine's few points) runs its text and pictures, a caption's rest or a sliced picture's included,
        into the band at the page's edges that is furniture on a book's page."""
        top, bottom = self._reach()
        if box.top < page_height - box.bottom:  # nearer the top edge
            return box.top >= top - _REACH_SLACK
        return page_height - box.bottom >= bottom - _REACH_SLACK

    def reaches_text_foot(self, page_height: float, box: Box) -> bool:
        """Whether `box` reaches down to where the document's paragraphs end on most of its pages (`_shared_reach`),
        or below: a picture the page break cut. False where no 3 pages agree on that foot."""
        bottom = self._reach()[1]
        return not math.isinf(bottom) and page_height - box.bottom <= bottom + _REACH_SLACK

    @property
    def text_top(self) -> float | None:
        """Where the text area starts on the document's pages (points from the top edge): the top of the first line
        of running text on the pages that open with it (`_shared_reach`); None where no 3 pages agree."""
        top = self._reach()[0]
        return None if math.isinf(top) else top

    def _reach(self) -> tuple[float, float]:
        if self._text_area is None:
            self._text_area = (
                _shared_reach([top for top, _ in self._paragraph_reach]),
                _shared_reach([bottom for _, bottom in self._paragraph_reach]),
            )
        return self._text_area


_ALWAYS_ZONE = 0.05  # text this close to the top or bottom edge is page furniture (unless the paragraphs reach it)
_WHOLE_PAGE_SHARE = 0.97  # a raster this share of the page or more is a scan of the page, no picture placed on it
_REACH_SLACK = 2.0  # points: a line this far beyond where the document's paragraphs usually reach is still within
_PAGE_NUMBER_ZONE = 0.08  # a lone number this close to an edge is a page number (not an axis tick)
_REPEATED_ZONE = 0.12  # text this close to an edge is furniture when it recurs on other pages
_SIDE_CLEARANCE = 3.0  # points: what is centred this far out from the text block's side is beside it
_SIDE_SLACK = 12.0  # points: a running line's centre moves with its digits ("9" -> "10")
_BLOCK_STEP = 5.0  # points: pages' text blocks are counted as alike within this
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_FOLIO = re.compile(r"^\d{1,4}$")  # a page number in arabic figures
# All a note over a legend says when its figure fills the next page ("(See figure on next page.)").
_FIGURE_OVERLEAF = re.compile(
    r"^\W*(?:see )?figure (?:on (?:the )?(?:next|following) page|overleaf)\W*$", re.IGNORECASE
)
_REPEATS = 3  # pages a line must recur on to count as a running header or footer
_DIGITS = re.compile(r"\d+")
_BOOK_PAGES = 20  # a document this long has covers and front matter (a case report or paper does not)
_LARGE_PICTURE = 0.25  # of the page's area: a picture this large is no logo or barcode


_SAME_SIZE = 0.06  # share of a type size within which two sizes are the same
_MIN_CAPTION_VOTES = 3
_WORD_BOX_SHARE = 0.35  # a colour box behind a word reaches this share of the line's height past its glyphs
_SIDE_MAJORITY = 2 / 3


def _nearest_graphic_side(caption: TextLine, graphics: list[Graphic], lines: list[TextLine]) -> str | None:
    """'above' or 'below': where the nearest graphic in the caption line's horizontal extent lies. Rules across the
    caption are no figure's: a journal may set each caption between two (Iran Red Crescent Med J); nor are tints
    behind words of a line (a caption's terms set in coloured boxes on its next line)."""
    box = caption.box
    gaps = []
    for graphic in graphics:
        g = graphic.box
        if g.h_overlap(box) <= 0 or _rule_across(g, box):
            continue
        if g.bottom <= box.top + 1:
            gaps.append((box.top - g.bottom, "above", g))
        elif g.top >= box.bottom - 1:
            gaps.append((g.top - box.bottom, "below", g))
    gaps.sort(key=lambda gap: gap[:2])
    # Asked of the nearest few only: a chart's page holds thousands of paths, and as many lines.
    return next((side for _, side, g in gaps if not _behind_words(g, lines)), None)


_PICTURE_SIDE = 72.0  # one inch: the smallest side of a picture that ends a page (a bullet or an icon is smaller)
# ... but a wide picture scaled into a small page's text width may be far less high (calibre at A6: a drawing 144 x
# 56 pt, a row of three photographs 143 x 35 pt)
_FOOT_PICTURE_HEIGHT = 0.25 * _PICTURE_SIDE


def _ends_page(box: Box, frame: Box, lines: list[TextLine]) -> bool:
    """A picture an inch or more wide and a quarter inch or more high with no text under it in its column but the
    page furniture."""
    return box.height >= _FOOT_PICTURE_HEIGHT and _alone_towards_edge(
        box, frame, lines, lambda line: line.box.top > box.bottom
    )


def _opens_page(box: Box, frame: Box, lines: list[TextLine]) -> bool:
    """A picture an inch or more wide, of any height (a sliced picture's rest), with no text over it in its column
    but the page furniture."""
    return _alone_towards_edge(box, frame, lines, lambda line: line.box.bottom < box.top)


def _alone_towards_edge(box: Box, frame: Box, lines: list[TextLine], beyond: Callable[[TextLine], bool]) -> bool:
    """A picture an inch or more wide with no text `beyond` it in its column but the page furniture."""
    return box.width >= _PICTURE_SIDE and not any(
        beyond(line) and line.box.h_overlap(box) > 0 and _margin_zone(frame, line) > _REPEATED_ZONE for line in lines
    )


def _caption_left_at_foot(
    frame: Box, lines: list[TextLine], captions: list[TextLine], graphics: list[Graphic]
) -> list[TextLine]:
    """The lowest Figure caption's paragraph if nothing follows it in its column down to the page furniture and no
    graphic lies over it up to the nearest line of running text above it (`_text_over`), nor anywhere under it, but a
    rule over it (Wiley's between the text and the legends at a page's foot): its lines, top to bottom. A picture
    with only its labels or sub-captions between it and the caption is its figure on this page (crash sweep, EssOilDB
    1cc947e47a p. 5: three chromatograms, an axis title and "(c)" over the caption). Measured across all the
    caption's rows, not its first alone: a short title line in the margin under which its flow chart, beside, leaves
    blank paper (c3e4cb99c7 p. 7)."""
    if not captions:
        return []
    caption = max(captions, key=lambda line: line.box.top)
    under = sorted(
        (line for line in lines if line.box.top > caption.box.top and _margin_zone(frame, line) > _REPEATED_ZONE),
        key=lambda line: line.box.top,
    )
    paragraph = [caption]
    for line in (line for line in under if line.box.h_overlap(caption.box) > 0):  # its own rows: its size, close
        if (
            not same_size(line.font_size, caption.font_size)
            or line.box.top - paragraph[-1].box.bottom > 0.9 * caption.font_size
        ):
            break
        paragraph.append(line)
    extent = union_all([line.box for line in paragraph])
    if any(line.box.top > paragraph[-1].box.top and line.box.h_overlap(extent) > 0 for line in under):
        return []  # text after the caption: it does not end the page
    ceiling = _text_over(extent, lines, frame)
    if any(
        g.box.h_overlap(extent) > 0 and g.box.bottom > ceiling and not _rule_over(g.box, caption.box) for g in graphics
    ):
        return []
    return paragraph


def _text_over(caption: Box, lines: list[TextLine], frame: Box) -> float:
    """The foot of the nearest line of running text (`_paragraph_wide`) over the caption in its column, or the
    page's top: a caption set over its picture follows a paragraph, its picture pushed to the next page."""
    return max(
        (
            line.box.bottom
            for line in lines
            if line.box.bottom <= caption.top
            and line.box.h_overlap(caption) > 0
            and _paragraph_wide(line, line.font_size)
        ),
        default=frame.top,
    )


def _rule_over(box: Box, caption: Box) -> bool:
    """`box` is a rule set over the caption: a hairline at least half as wide, all of it above the caption."""
    return _rule_across(box, caption) and box.bottom <= caption.top


def _behind_words(box: Box, lines: list[TextLine]) -> bool:
    """A box drawn behind words of a text line, reaching about a third of its height past it (a LaTeX colour box)."""
    return any(
        box.height <= 2 * line.box.height and line.box.expand(_WORD_BOX_SHARE * line.box.height).contains(box)
        for line in lines
    )


def _rule_across(box: Box, caption: Box) -> bool:
    """`box` is a hairline at least half as wide as the caption."""
    return box.height <= _HAIRLINE_PT and box.width >= 0.5 * caption.width


_HAIRLINE_PT = 2.0  # a rule is drawn no thicker


def _legend_key(line: TextLine) -> str | None:
    """The label key (`mention_key`) of a Figure caption line with words after its label; None for a label alone."""
    match = CAPTION_START.match(line.text)
    if match is None or not any(char.isalnum() for char in line.text[match.end() :]):
        return None
    return mention_key(match["prefix"], normalise_label(match["label"]))


def _legend_rows(caption: TextLine, lines: list[TextLine]) -> list[TextLine]:
    """The rows of a legend on a page of legends under its first line: in its type, starting at its left edge, down
    to the next caption or a gap of `_LEGEND_BREAK` lines (a manuscript sets its legends double-spaced, a blank line
    between paragraphs)."""
    rows: list[TextLine] = []
    last = caption
    for line in _lines_under(caption, lines):
        if (
            abs(line.box.x0 - caption.box.x0) > _LEGEND_INDENT * caption.font_size
            or line.box.height > 2 * caption.font_size
        ):
            continue  # not a row of the legend: a chart's rotated word beside it, a watermark set across the page
        if (
            CAPTION_START.match(line.text)
            or not same_size(line.font_size, caption.font_size)
            or line.box.top - last.box.bottom > _LEGEND_BREAK * caption.font_size
        ):
            break
        rows.append(line)
        last = line
    return rows


_LEGEND_BREAK = 3.0  # a gap of this many type sizes ends a legend on a page of legends (double-spaced: 1-2)
_LEGEND_INDENT = 2.0  # a legend's rows start this many type sizes from its first line's left edge at most


def _lines_under(caption: TextLine, lines: list[TextLine]) -> list[TextLine]:
    """The lines under a caption's first line in its column, top to bottom."""
    under = (line for line in lines if line.box.top > caption.box.top and line.box.h_overlap(caption.box) > 0)
    return sorted(under, key=lambda line: line.box.top)


def _legend_of_figure_overleaf(lines: list[TextLine], captions: list[TextLine]) -> list[TextLine]:
    """The first Figure caption line set right under a note that its figure is on the next page (Springer Nature,
    BMC: "(See figure on next page.)" over the legend of a page-size figure), and the lines under it in its column."""
    for caption in captions:
        if any(_FIGURE_OVERLEAF.match(line.text) and _is_note_over(line, caption) for line in lines):
            return [caption, *_lines_under(caption, lines)]
    return []


def _is_note_over(line: TextLine, caption: TextLine) -> bool:
    """A line right over the caption's first line (no wider gap than a line's), in its column."""
    gap = caption.box.top - line.box.bottom
    return 0 <= gap <= 0.9 * caption.font_size and line.box.h_overlap(caption.box) > 0


def _is_figure_caption(line: TextLine) -> bool:
    match = CAPTION_START.match(line.text)
    return (
        match is not None and caption_type(match["prefix"]) == "Figure" and not cites_in_running_text(match, line.text)
    )


def _continuation_label(line: TextLine) -> bool:
    """A Figure caption's first line (`_is_figure_caption`) that says only that its figure goes on from another page:
    "Figure 5. Cont." heads each page of a figure printed over several, at one place, as a running line does."""
    return CONTINUED.match(line.text[CAPTION_START.match(line.text).end() :]) is not None


def _cited_at_row_start(line: TextLine, lines: list[TextLine]) -> bool:
    """A label opening a row of a paragraph (`runs_on_from_row_above`): at the foot of a page, the last rows of a
    paragraph opening "Figure 24.28. For the sake of comparison ..." were taken for a caption left there for the
    picture overleaf (blind probe 11, LibreOffice, Microbiology)."""
    ordered = sorted(lines, key=lambda other: other.box.top)
    return runs_on_from_row_above(line_above(ordered, ordered.index(line)), line)


def _paragraph_reach(page_height: float, page_width: float, lines: list[TextLine]) -> tuple[float, float] | None:
    """How far from the page's top and bottom edges its paragraphs reach: the top of its first and the bottom of its
    last line of running text (`_paragraph_wide` at `_PARAGRAPH_LINE_EM` type sizes) that a next or previous line of
    its paragraph joins (a running title set as one wide line stands alone); None on a page without a paragraph. An
    e-book's small pages set lines 16-17 of its large type wide (calibre at A5: 15 pt type, 255 pt lines), under
    `_paragraph_wide`'s 18."""
    wide = sorted(
        (line for line in lines if _paragraph_wide(line, line.font_size, _PARAGRAPH_LINE_EM, page_width)),
        key=lambda line: line.box.top,
    )
    joined = [
        (above, below)
        for above, below in zip(wide, wide[1:], strict=False)
        if _at_leading(above, below) and same_size(above.font_size, below.font_size)
    ]
    if not joined:
        return None
    return joined[0][0].box.top, page_height - joined[-1][1].box.bottom


def _shared_reach(reaches: list[float]) -> float:
    """The least reach that 3+ pages share (within `_REACH_SLACK`): where the pages that open or end with running text
    have it (pages that open with a picture or a box reach less far; a title page's odd paragraph is alone)."""
    reaches = sorted(reaches)
    for first, last in zip(reaches, reaches[_REPEATS - 1 :], strict=False):
        if last - first <= _REACH_SLACK:
            return first
    return math.inf


def _margin_zone(frame: Box, item: TextLine | Graphic) -> float:
    """How far into the page the line (or drawing) reaches from the nearer of its top and bottom edges (share of
    height), the edges of the page as shown (`frame`, its CropBox): a print-ready PDF's MediaBox adds bleed and slug
    around it."""
    return min(item.box.bottom - frame.top, frame.bottom - item.box.top) / frame.height


def _is_margin_drawing(frame: Box, graphic: Graphic) -> bool:
    return graphic.kind != "image" and _margin_zone(frame, graphic) <= _REPEATED_ZONE


def _text_block(lines: list[TextLine]) -> tuple[float, float] | None:
    """The x range of a page's paragraph lines (`_paragraph_wide` in their own type size), None on a page without."""
    wide = [line.box for line in lines if _paragraph_wide(line, line.font_size)]
    if not wide:
        return None
    return min(box.x0 for box in wide), max(box.x1 for box in wide)


def _beside(box: Box, block: tuple[float, float]) -> bool:
    """Centred left or right of the text block (a drawing's bounds may reach past its ink into the text column: a
    journal's page-number box drawn as a form)."""
    return box.cx < block[0] - _SIDE_CLEARANCE or box.cx > block[1] + _SIDE_CLEARANCE


def _side_key(item: TextLine | Graphic) -> tuple:
    if isinstance(item, TextLine):
        return round(item.box.x0 / 4), round(item.box.top / 4), _DIGITS.sub("#", item.text.strip().lower())
    return item.kind, *_image_key(item)


def _image_key(graphic: Graphic) -> tuple:
    """Place, size and content (pixel size, stored length): one picture placed again, not another of its size."""
    box = graphic.box
    place = round(box.x0 / 2), round(box.top / 2), round(box.width / 2), round(box.height / 2)
    return *place, graphic.pixel_size, graphic.stream_size


def _among_ticks(line: TextLine, lines: list[TextLine]) -> bool:
    """Two or more other numbers alone on `line`'s row, or in a run up its column with it: a chart's tick labels or
    data values near the page's edge ("2000 2001 ... 2005" under the axis; "10.0 12.5 ... 20.0" up a plot at the head
    of the page, a paper's grid of charts repeating it page after page), not a page number or a running header or
    footer, which stand alone."""
    box = line.box
    level = [
        other
        for other in lines
        if other is not line and other.box.v_overlap(box) >= 0.3 * min(other.box.height, box.height)
    ]
    if sum(is_tick_label(other.text) for other in level) >= 2:
        return True
    column = sorted(
        (other for other in lines if other.box.h_overlap(box) >= 0.3 * min(other.box.width, box.width)),
        key=lambda other: other.box.top,
    )
    run: list[TextLine] = []
    for other in column:
        if not is_tick_label(other.text):
            continue
        if run and other.box.top - run[-1].box.bottom > _TICK_STEP_EM * line.font_size:
            if any(member is line for member in run):
                break
            run = []
        run.append(other)
    return len(run) >= 3 and any(member is line for member in run)


_TICK_STEP_EM = 6.0  # tick labels up an axis stand at most this many of their type sizes apart


_BLEED = 1.0  # points: a picture reaching this close to a page edge is cut by it (printed to bleed)
_FRAME_SLACK = 12.0  # points: one frame's edges on two pages (its picture cropped to fill it a little differently)


def _bleeds(box: Box, page: Box) -> bool:
    """Cut by an edge of the page (printed to bleed)."""
    return not page.expand(-_BLEED).contains(box)


def bled_off_one_side(images: list[Graphic], frame: Box) -> bool:
    """Part of an image lies past the left or right edge of the page shown (`frame`: the trim cuts it) and the
    picture stops short of the other side: a designed page's bleed (a cover's collage at the edge, a photograph spread
    across the fold, art on a panel run off the page). A figure is set whole on the page or, bled, across it (a
    slide's photograph)."""
    left = any(g.placement.x0 < frame.x0 for g in images)
    right = any(g.placement.x1 > frame.x1 for g in images)
    if left == right:  # set inside the page, or across it
        return False
    picture = union_all([g.box for g in images])
    return picture.x1 < frame.x1 - _BLEED if left else picture.x0 > frame.x0 + _BLEED


def _margin_key(line: TextLine) -> tuple[int, str]:
    return round(line.box.top / 4), _DIGITS.sub("#", line.text.strip().lower())


@dataclass(slots=True)
class Layout:
    body: list[TextLine]
    other: list[TextLine]  # text that may belong to figures
    margin: list[TextLine]  # running headers, footers, page numbers
    side: list[TextLine]  # furniture of the side margins (DocumentStyle.is_side_furniture): no figure text, no blocker
    columns: list[tuple[float, float]]  # x ranges of text columns, left to right
    text_area: Box  # extent of body text (or of the crop box when a page has none)
    figures_below_captions: bool = False  # the document's captions sit above their figures
    text_block: tuple[float, float] | None = None  # the document's text width (DocumentStyle.text_block)
    headings: list[TextLine] = field(default_factory=list)  # of `other`: headings in the text flow (`_headings`)
    flush: list[TextLine] = field(default_factory=list)  # of `other`: short lines of the text flow (`_flush_lines`)
    # tinted sidebars set in a text column, and their prose (of `other`): `_feature_boxes`
    feature_boxes: list[Graphic] = field(default_factory=list)
    boxed: list[TextLine] = field(default_factory=list)
    text_top: float | None = None  # where the document's text area starts (DocumentStyle.text_top)
    equations: list[TextLine] = field(default_factory=list)  # of `other`: numbered display equations' pieces
    bullets: list[Graphic] = field(default_factory=list)  # the text flow's list bullets drawn as paths


def analyse_layout(page: PageContent, style: DocumentStyle) -> Layout:
    lines, body_size, width = page.lines, style.body_size, page.cropbox.width
    is_body = [_looks_like_body(line, body_size, width) and not _stood_on_end(page, line) for line in lines]
    if not any(is_body):
        body_size = _own_body_size(lines, body_size)
        is_body = [_looks_like_body(line, body_size, width) and not _stood_on_end(page, line) for line in lines]
    by_top = sorted(range(len(lines)), key=lambda k: lines[k].box.top)
    for k in _narrow_paragraphs(lines, by_top, is_body, body_size, _pictures(page)):
        is_body[k] = True
    # A short last line of a paragraph is body text too: it sits right under a body line of its column.
    for _ in range(2):
        for pos, k in enumerate(by_top):
            if is_body[k] or not _is_body_size(lines[k], body_size):
                continue
            for j in by_top[max(0, pos - 6) : pos]:
                if is_body[j] and _ends_paragraph(lines[j], lines[k]):
                    is_body[k] = True
                    break
    for k in _paragraph_run_over(page, style, lines, by_top, body_size):
        is_body[k] = True
    for k, line in enumerate(lines):
        if is_body[k] and (_measurement_row(page, line) or _tick_labels(line)):
            is_body[k] = False
    frames = _node_frames(page.graphics, body_size)
    for k, line in enumerate(lines):
        if is_body[k] and frames and (_in_chart_node(line, frames, page.graphics) or _across_node_frames(line, frames)):
            is_body[k] = False
    nodes = _tied_nodes(page, [line for line, flag in zip(lines, is_body, strict=True) if flag], body_size)
    for k, line in enumerate(lines):
        if is_body[k] and any(node.contains(line.box, tolerance=1.0) for node in nodes):
            is_body[k] = False
    subcaptions = _subcaption_rows(page, lines, by_top, is_body)
    for k in subcaptions:
        is_body[k] = False
    body = [line for line, flag in zip(lines, is_body, strict=True) if flag]
    rest = [line for line, flag in zip(lines, is_body, strict=True) if not flag]
    margin: list[TextLine] = []
    side: list[TextLine] = []
    other: list[TextLine] = []
    for line in rest:
        if style.is_margin(page, line):
            margin.append(line)
        elif style.is_side_furniture(line):
            side.append(line)
        else:
            other.append(line)
    columns = _columns(body)
    text_area = union_all(line.box for line in body) or page.cropbox
    drawn = _drawn(page)
    sub_ids = {id(lines[k]) for k in subcaptions}
    headings = _headings(page, other, columns, drawn, body_size, _indented_list_edge(body))
    block = style.text_block_on(page.number)
    # The document's text width too: a page of pictures and boxes has no body text to measure a column by.
    spans = (
        columns + [(text_area.x0, text_area.x1)] + ([block] if block else []) + _columns_at_block_edges(columns, block)
    )
    feature_boxes, boxed = _feature_boxes(page, other, body, spans, body_size)
    flush = _flush_lines(page, [line for line in other if id(line) not in sub_ids], columns, drawn, body_size)
    return Layout(
        body,
        other,
        margin,
        side,
        columns,
        text_area,
        style.figures_below_captions,
        block,
        headings,
        flush,
        feature_boxes,
        boxed,
        style.text_top,
        equations=_equations(page, other, spans, body_size),
        bullets=_list_bullets(page, body + flush + boxed, body_size),
    )


def _paragraph_run_over(
    page: PageContent, style: DocumentStyle, lines: list[TextLine], by_top: list[int], body_size: float
) -> list[int]:
    """The lines at the head of the page that end a paragraph the page before left in mid-sentence (`runs_over`): from
    the top of the text area down, in the body's type and set as prose, each at the last one's leading and left edge,
    to the first that ends a sentence. Body text however short (an e-book's page may open with two lines of 7 type
    sizes over a picture, which a figure's box then took in); none where no sentence ends within `_RUN_OVER_LINES`."""
    if style.text_top is None or not style.runs_over(page.number - 1):
        return []
    run: list[int] = []
    for k in by_top:
        line = lines[k]
        if style.is_margin(page, line):
            continue
        at_head = not run and abs(line.box.top - style.text_top) <= _REACH_SLACK
        if not (at_head or (run and _continues(lines[run[-1]], line))):
            return []
        if not (_is_body_size(line, body_size) and _set_as_prose(line, body_size)) or len(run) == _RUN_OVER_LINES:
            return []
        run.append(k)
        if ends_sentence(line.text):
            return run
    return []


_RUN_OVER_LINES = 6  # a paragraph's end at a page's head told from a figure's text by its sentence's end within these


# A display equation's number alone on its line, "(7)" or "(2.14a)", set at the right edge of the text.
_EQUATION_NUMBER = re.compile(r"^\(\d+(?:\.\d+)*[a-z]?\)$")
_EQUATION_GAP_EM = 2.0  # an equation's number stands at least this far right of the equation
_EQUATION_ROWS = 4  # an equation's rows over and under its main row that are looked for: a fraction's, a matrix's


def _equations(
    page: PageContent, other: list[TextLine], spans: list[tuple[float, float]], body_size: float
) -> list[TextLine]:
    """The pieces of the text flow's numbered display equations: pdfium reads an equation as many short lines (a
    fraction's numerator, its bar a path, its denominator), none a paragraph's, so a figure's search under them took
    them for the figure's text (MDPI Electronics 745baf0c22 p. 5: equations (6) and (7) boxed with Figure 3 under
    them). A number counts where it is set flush with a text column's right edge (`spans`), pieces of the equation
    on its left and no picture there. The number itself is left out: narrow and at the column's edge, it reaches
    into the gutter, where the search over the next column starts, and would stop it (a45484f4a8 p. 4)."""
    numbers = [line for line in other if _EQUATION_NUMBER.match(line.text) and _is_body_size(line, body_size)]
    if not numbers:
        return []  # most pages: no need to gather their pictures
    rows: list[TextLine] = []
    pictures = _pictures(page)
    for number in numbers:
        left = [x0 for x0, x1 in spans if abs(number.box.x1 - x1) <= 2 * _FLUSH and x0 < number.box.x0]
        pieces = _equation_pieces(number, other, max(left), body_size) if left else []  # its own column's edge
        box = union_all(line.box for line in pieces)
        if box is not None and not any(box.overlaps(picture) for picture in pictures):
            rows += pieces
    return rows


def _equation_pieces(number: TextLine, other: list[TextLine], left: float, body_size: float) -> list[TextLine]:
    """The lines of the equation that `number` numbers: in its text column (from `left`), `_EQUATION_GAP_EM` left of
    it at least, on its row or on the rows stacked over and under it (a fraction's numerator and denominator)."""
    right = number.box.x0 - _EQUATION_GAP_EM * body_size
    candidates = [
        line
        for line in other
        if line.box.x0 >= left - _FLUSH and line.box.x1 <= right and line.box.height < 3 * body_size
    ]
    top, bottom = number.box.top, number.box.bottom
    pieces: list[TextLine] = []
    for _ in range(_EQUATION_ROWS):
        taken = {id(line) for line in pieces}
        more = [
            line for line in candidates if id(line) not in taken and line.box.bottom > top and line.box.top < bottom
        ]
        if not more:
            break
        pieces += more
        top, bottom = min(top, *(line.box.top for line in more)), max(bottom, *(line.box.bottom for line in more))
    return pieces


_FIRST_LINE_INDENT = 2.0  # times the type size: the most a paragraph's first line is indented
_LEADING = 1.6  # times the type size: the most a paragraph's lines stand apart, top to top
_HEADING_SIZE = 1.4  # times the body size: a chapter or section heading's type (a chart's title is rarely this large)
# times the body size: a heading set in bold needs less (Word's default Heading 1 and 2 are 14 and 13 pt on 11 pt body)
_BOLD_HEADING_SIZE = 1.15


def _headings(
    page: PageContent,
    lines: list[TextLine],
    columns: list[tuple[float, float]],
    drawn: list[Box],
    body_size: float,
    list_edge: float,
) -> list[TextLine]:
    """Lines set as headings in the text flow: words (not a chart's big figure, "2.27%") in type well larger than
    the body's, or larger and bold throughout (a word processor's headings: "Introduction" in 13 pt bold over 11 pt
    text), starting at a text column's left edge (or outdented from a page of lists: left of `list_edge`), on no
    graphic (`drawn`). A figure's own title is centred over it or drawn inside its frame; a heading is not the
    figure's, even right over its picture (a chapter title over the chapter's opening photo)."""
    return [
        line
        for line in lines
        if line.font_size >= _BOLD_HEADING_SIZE * body_size
        and (line.box.x0 < list_edge or any(abs(line.box.x0 - x0) <= body_size for x0, _ in columns))
        and not any(box.overlap_area(line.box) > 0 for box in drawn)
        and (
            (line.font_size >= _HEADING_SIZE * body_size and len(_WORD.findall(line.text)) >= _HEADING_WORDS)
            or (_WORD.search(line.text) is not None and _bold_throughout(page, line))
        )
    ]


def _indented_list_edge(body: list[TextLine]) -> float:
    """Where the body's leftmost line opens a list entry, the page holds lists only, indented in a column whose edge
    lies left of them, off the body (held-out 22 p50, a heading outdented from the lists over a figure): the lists'
    left edge; -inf otherwise."""
    first = min(body, key=lambda line: line.box.x0, default=None)
    return first.box.x0 if first is not None and starts_list_entry(first.text) else -math.inf


def _bold_throughout(page: PageContent, line: TextLine) -> bool:
    """The line's first and last characters are bold (a heading; a run-in bold lead ends in roman)."""
    return page.is_bold(line.start) and page.is_bold(line.char_index(len(line.text.rstrip()) - 1))


def _flush_lines(
    page: PageContent,
    lines: list[TextLine],
    columns: list[tuple[float, float]],
    drawn: list[Box],
    body_size: float,
) -> list[TextLine]:
    """Lines of the text flow too short for `_looks_like_body`: words in the body's type set as prose, starting at a
    text column's left edge, on no graphic (`drawn`) (a one-line paragraph, "Diagnosis (clinical): Fading DN.", or
    a heading's wrapped last word over a figure), or a list's entry (bulleted or numbered), however far its list is
    indented. A figure's own text is set inside its picture's width or centred on it; such a line is the text flow's,
    however near a picture under it. A line bold throughout is set as prose in a wider bold face (`_BOLD_SPREAD`): a
    section heading in the body's size ("Acne" in sans bold under a side-captioned photograph, held-out 37)."""
    bullets = [box for box in drawn if max(box.width, box.height) <= _DRAWN_BULLET * body_size]
    return [
        line
        for line in lines
        if (
            _set_as_prose(line, body_size)
            or (_set_as_prose(line, body_size, _BOLD_SPREAD) and _bold_throughout(page, line))
        )
        and _WORD.search(line.text)
        and (
            starts_list_entry(line.text)
            or _after_drawn_bullet(line, bullets, body_size)
            or any(abs(line.box.x0 - x0) <= max(_FLUSH, _SIDE_BEARING * line.font_size) for x0, _ in columns)
        )
        and not any(box.overlap_area(line.box) > 0 for box in drawn)
    ]


def _after_drawn_bullet(line: TextLine, bullets: list[Box], body_size: float) -> bool:
    """A browser (Chromium, WebKit) draws a list's disc or square as a path, not a glyph, so the entry's text opens
    with no bullet (OpenStax *Microbiology* in held-out 41's margin design: a list over a figure captioned in the
    margin joined the figure's ink, and the figure stood too far from its caption's top to be its). The mark is a dot
    level with the line's middle, a little left of its first word."""
    middle = line.box.cy
    return any(
        0 < line.box.x0 - bullet.x1 <= _BULLET_GAP * body_size
        and bullet.top <= middle + 1
        and bullet.bottom >= middle - 1
        for bullet in bullets
    )


_DRAWN_BULLET = 0.5  # times the body size: the largest side of a list's drawn disc or square
_BULLET_GAP = 2.0  # times the body size: the most a list entry's first word stands right of its drawn bullet


def _columns_at_block_edges(
    columns: list[tuple[float, float]], block: tuple[float, float] | None
) -> list[tuple[float, float]]:
    """Columns as wide as the page's set at either edge of the document's text block: where a sidebar fills one
    column of a two-column page, the page's body text lies in the other alone and does not show the sidebar's."""
    if block is None:
        return []
    x0, x1 = block
    return [span for left, right in columns for span in ((x0, x0 + right - left), (x1 - (right - left), x1))]


def _feature_boxes(
    page: PageContent, lines: list[TextLine], body: list[TextLine], spans: list[tuple[float, float]], body_size: float
) -> tuple[list[Graphic], list[TextLine]]:
    """A textbook's feature boxes ("Clinical Focus", "Disease Profile" sidebars) and the lines of theirs that are the
    text flow's (`_feature_box_text`). Its prose is the text flow's, however near a picture, and its tint, frame or rule
    is no picture: its grey is ink, which joined a plate 14 pt under a sidebar to it and grew a raster printed in the
    box over the box's paragraph."""
    captions = _caption_paragraphs(lines + body)  # a caption set in the body's type is one too
    boxes: list[Graphic] = []
    boxed: list[TextLine] = []
    for mark in _marks(page, spans, body_size):
        text = _feature_box_text(mark, page, lines, body, captions, body_size)
        if text is not None:
            boxes += mark.parts
            boxed += text
    return boxes, boxed


@dataclass(frozen=True, slots=True)
class _Mark:
    """A tint, a frame or a rule that may mark a feature box: its graphics and the area it marks."""

    parts: list[Graphic]
    area: Box
    tint: bool = False  # a flat tint darker than paper (else a frame or a rule)
    ruled: bool = False  # a rule down its left side alone (`_ruled_at_its_side`)
    broken: bool = False  # a frame the page break cut, drawn as three sides (`_frames_broken_by_the_page`)


def _marks(page: PageContent, spans: list[tuple[float, float]], body_size: float) -> Iterator[_Mark]:
    """Each tint or frame across a text column or the text width (`spans`; its sides at or beyond the column's, which an
    indented list alone on the page narrows), each rule down a column's side, and each frame the page break cut."""
    for graphic in page.graphics:
        box = graphic.box
        if graphic.kind == "image" or box.area >= _PAGE_GROUND * page.cropbox.area:
            continue
        if _across_a_span(box, spans, body_size):
            level = flat_fill(graphic)
            if level is not None and level < PAPER:
                yield _Mark([graphic], box, tint=True)
            elif stroked_outline(graphic):
                yield _Mark([graphic], box)
        elif (area := _ruled_at_its_side(graphic, page.graphics, spans, body_size)) and flat_fill(graphic) is not None:
            yield _Mark([graphic], area, ruled=True)
    yield from _frames_broken_by_the_page(page.graphics, spans, body_size)


def _across_a_span(box: Box, spans: list[tuple[float, float]], body_size: float) -> bool:
    """`box` reaches a text column's or the text width's sides (within a type size): a box set across the text."""
    return any(box.x0 <= x0 + body_size and box.x1 >= x1 - body_size for x0, x1 in spans)


def _feature_box_text(
    mark: _Mark,
    page: PageContent,
    lines: list[TextLine],
    body: list[TextLine],
    captions: set[int],
    body_size: float,
) -> list[TextLine] | None:
    """The lines of `lines` in the feature box `mark` marks that are the text flow's; None where it marks none. No
    caption stands just outside it (`_captioned_outside`). It holds paragraph lines in their own type or the body's
    (`_BOX_PROSE_LINES` or more in a tint round drawings, `_FRAMED_PROSE_LINES` in a frame or in a tint round text
    alone, and the short last lines under them); or, ruled at its side, a figure and its caption; or it is a frame the
    page break cut (its prose may be on the other page). A frame or a rule holds text alone or photographs set in its
    text (rasters: a frame round a flow chart or a chart holds drawings), and all its lines in rows clear of its
    pictures are the text flow's, its title too (OpenStax *Microbiology*'s case box "Why Me?" in the body's type under a
    picture captioned in the margin: the title and the frame's top joined the picture)."""
    area = mark.area
    if _captioned_outside(area, lines + body, captions, body_size) or (not mark.tint and _drawn_on(mark, page)):
        return None  # a paper's prompt in a frame is the figure (`regions._framed_text`), so is a box in a drawing
    held = _held_in_frame(mark.parts, area, page.graphics, lines + body, body_size)
    framed = not mark.tint and (not held or all(g.kind == "image" for g in held))
    if not (mark.tint or framed) or (framed and _tied_from_outside(mark, page.graphics)):
        return None
    inside = sorted((line for line in lines if area.contains(line.box, tolerance=1.0)), key=_top)
    whole = mark.broken or (mark.ruled and any(id(line) in captions for line in inside))
    if framed:  # the rows clear of its pictures
        inside = [line for line in inside if not any(line.box.v_overlap(g.box) > 0 for g in held)]
    prose = _prose_lines(inside, captions)
    least = _BOX_PROSE_LINES if held and not framed else _FRAMED_PROSE_LINES  # a chart's tint holds text too
    if mark.tint and len({round(line.box.top) for line in inside}) < _TINTED_ROWS:
        return None  # a code listing's stripe behind each of its lines
    wide = sum(_paragraph_wide(line, line.font_size) for line in prose)
    body_prose = sum(area.contains(line.box, tolerance=1.0) and id(line) not in captions for line in body)
    if not whole and wide + body_prose < least:
        return None
    return [line for line in inside if id(line) not in captions] if framed else prose


def _frames_broken_by_the_page(
    graphics: list[Graphic], spans: list[tuple[float, float]], body_size: float
) -> Iterator[_Mark]:
    """Frames across a text column or the text width (`spans`) drawn as thin bars, two sides and one end: the page break
    cut the box, so its other end is on the other page. A browser draws a feature box's border so (OpenStax
    *Microbiology* 2.11, 8.27, 11.19 and 16.17, *Anatomy and Physiology* 19.25 in the margin design: a picture at the
    head of a page in a box from the page before, its sides 9 pt and more from it, joined it). A border round a picture
    alone is never cut by a page break."""
    thin, long = _SIDE_RULE_WIDTH * body_size, _SIDE_RULE_HEIGHT * body_size
    sides = [g for g in graphics if g.kind == "path" and g.box.width <= thin and g.box.height >= long]
    ends = [g for g in graphics if g.kind == "path" and g.box.height <= thin and g.box.width >= long]
    sides, ends = ([g for g in bars if flat_fill(g) is not None] for bars in (sides, ends))
    for left, right in combinations(sorted(sides, key=lambda g: g.box.x0), 2):
        if abs(left.box.top - right.box.top) > _FRAME_INSET or abs(left.box.bottom - right.box.bottom) > _FRAME_INSET:
            continue
        area = left.box.union(right.box)
        if not _across_a_span(area, spans, body_size):
            continue
        across = [
            e for e in ends if abs(e.box.x0 - area.x0) <= _FRAME_INSET and abs(e.box.x1 - area.x1) <= _FRAME_INSET
        ]
        top = [e for e in across if abs(e.box.cy - area.top) <= _FRAME_INSET]
        bottom = [e for e in across if abs(e.box.cy - area.bottom) <= _FRAME_INSET]
        if bool(top) != bool(bottom):
            yield _Mark([left, right, *top, *bottom], area, broken=True)


def _ruled_at_its_side(
    bar: Graphic, graphics: list[Graphic], spans: list[tuple[float, float]], body_size: float
) -> Box | None:
    """Where `bar` is a thin bar down a text column's left edge (`spans`), alone (no other graphic touches it: not a
    side of a frame drawn as four rules and four corners, held-out 11's BMC figure pages), the area it marks, over to
    the column's right edge: a sidebar set off by a rule at its side alone (the handbook design's case studies in
    OpenStax *Psychology* and *Microbiology*: a 3 pt bar down the left of a box's prose and pictures, its captions in
    it)."""
    box = bar.box
    if box.width > _SIDE_RULE_WIDTH * body_size or box.height < _SIDE_RULE_HEIGHT * body_size:
        return None
    area = next((Box(box.x0, box.top, x1, box.bottom) for x0, x1 in spans if abs(box.x1 - x0) <= body_size), None)
    if area is None or any(g is not bar and g.box.overlaps(box.expand(_FRAME_INSET)) for g in graphics):
        return None
    return area


_SIDE_RULE_WIDTH = 0.5  # times the body size: the widest bar that rules a sidebar's side
_SIDE_RULE_HEIGHT = 3.0  # times the body size: the shortest


def _held_in_frame(
    parts: list[Graphic], area: Box, graphics: list[Graphic], lines: list[TextLine], body_size: float
) -> list[Graphic]:
    """The drawings and pictures in the frame's `area`, but its own fill and its list's drawn bullets: none in a framed
    text box. A browser draws a list's bullets as paths (`_after_drawn_bullet`): OpenStax *Microbiology*'s framed
    questions under a figure captioned in the margin, a bulleted list, joined the figure's box."""
    inner = area.expand(-_FRAME_INSET)
    own = {id(part) for part in parts}
    return [
        g
        for g in graphics
        if id(g) not in own
        and inner.overlaps(g.box)
        and not g.box.contains(inner)
        and not _drawn_bullet(g.box, lines, body_size)
    ]


def _drawn_on(mark: _Mark, page: PageContent) -> bool:
    """The frame lies on a shape drawn round it (not the page's fill): a box of a drawing, not of the text flow (a
    paper's figure of a web form drawn as paths, its bulleted "Task" box on the form's white card, mineru 9ab92f2651
    p. 18, where the bullets no longer kept the frame from being a text box's)."""
    own = {id(part) for part in mark.parts}
    ground = _PAGE_FILL * page.cropbox.area
    outside = mark.area.expand(_FRAME_INSET)
    return any(
        id(g) not in own and g.kind != "image" and g.box.area < ground and g.box.contains(outside)
        for g in page.graphics
    )


def _tied_from_outside(mark: _Mark, graphics: list[Graphic]) -> bool:
    """A stroke or a shape outside the frame meets its edge (an arrow from box to box): the frame is a node of a flow
    chart, its lines of text the chart's (the WHO pocket book's Chart 12, its nodes' lines in the body's type)."""
    own = {id(part) for part in mark.parts}
    inner, outer = mark.area.expand(-_FRAME_INSET), mark.area.expand(1.0)
    return any(id(g) not in own and outer.overlaps(g.box) and not inner.overlaps(g.box) for g in graphics)


def _captioned_outside(frame: Box, lines: list[TextLine], captions: set[int], body_size: float) -> bool:
    """A caption's line (ids in `captions`) stands just under or over the frame, across it: the frame is the figure
    that caption captions, its text the figure's (a paper's prompt box over "Figure 5: Skewed Template for G-Eval",
    held-out 39), as a frame round a trial profile and its key is. A feature box's pictures are captioned inside it or
    in the margin beside it (OpenStax *Psychology* 8.7, *Microbiology* 16.17 and 22.23 in the margin design)."""
    near = _CAPTION_BY_FRAME * body_size
    return any(
        id(line) in captions
        and line.box.h_overlap(frame) > 0
        and (-1 <= line.box.top - frame.bottom <= near or -1 <= frame.top - line.box.bottom <= near)
        for line in lines
    )


def _list_bullets(page: PageContent, lines: list[TextLine], body_size: float) -> list[Graphic]:
    """The discs and squares a browser draws as paths for the bullets of `lines`' list entries (`_after_drawn_bullet`):
    text, no figure's part (OpenStax *Microbiology*'s framed questions under a picture captioned in the margin: their
    bullets joined the picture's box, the list's lines left out)."""
    return [g for g in page.graphics if g.kind != "image" and _drawn_bullet(g.box, lines, body_size)]


def _drawn_bullet(box: Box, lines: list[TextLine], body_size: float) -> bool:
    return max(box.width, box.height) <= _DRAWN_BULLET * body_size and any(
        _after_drawn_bullet(line, [box], body_size) for line in lines
    )


# Points: a frame's own fill, double line or a rule along its side lies within this of its outline (A&P 19.23's tinted
# "Interactive Link" box: a 1.5 pt dark rule along its top).
_FRAME_INSET = 2.0
_CAPTION_BY_FRAME = 2.0  # times the body size: the most white between a frame and a caption of what it frames


def _prose_lines(lines: list[TextLine], captions: set[int]) -> list[TextLine]:
    """Of `lines` (top to bottom), the paragraph lines in their own type and the lines that go on under them. A
    caption's lines (ids in `captions`) are no paragraph's, but a line going on at a paragraph's leading is the
    paragraph's even when it opens with "Figure 21.24" (a mention that the line break put first)."""
    prose: list[TextLine] = []
    for line in lines:
        size = line.font_size
        own = id(line) not in captions and _set_as_prose(line, size) and _paragraph_wide(line, size)
        if own or (prose and _continues(prose[-1], line)):
            prose.append(line)
    return prose


def _top(line: TextLine) -> float:
    return line.box.top


_BOX_PROSE_LINES = 3  # paragraph lines that make a tinted box in a text column a feature box where it holds graphics
# ... or a frame or tint round text alone (`_held_in_frame`), which no chart's tint is: held-out 37's "Interactive
# Link" box, a title and two lines, under a side-captioned drawing whose box it joined; OpenStax *Microbiology*'s
# "Watch this profile of a blastomycosis lung infection." is one line, and so is A&P 19.23's tinted "Interactive Link"
_FRAMED_PROSE_LINES = 1
_PAGE_FILL = 0.8  # of the page's area: a shape this large behind a box is the page's fill (the form's card: 0.56)
_TINTED_ROWS = 2  # rows of text a tint round text alone holds at least (a code listing tints each line on its own)


def _pictures(page: PageContent) -> list[Box]:
    """Boxes of the page's images but a page-sized ground (a scan, a designed page's background)."""
    return [g.box for g in page.graphics if g.kind == "image" and g.box.area < _PAGE_GROUND * page.cropbox.area]


def _drawn(page: PageContent) -> list[Box]:
    """Boxes of the page's graphics but a page-sized ground (an engine's white page fill): text on one is drawn."""
    return [g.box for g in page.graphics if g.box.area < _PAGE_GROUND * page.cropbox.area]


_FLUSH = 1.0  # points: a line starting this near a column's left edge is flush with it
# ... or, in large type, this many type sizes: a capital's side bearing sets its ink in (DejaVu Sans Bold's "M" 0.09;
# A&P 25.17's heading "Mechanisms of Recovery" at 11 pt starts 1.06 pt in from the column's edge)
_SIDE_BEARING = 0.12
_PAGE_GROUND = 0.5  # of the page's area: a graphic this large is the page's ground (an engine's white page fill)
_HEADING_WORDS = 2  # words of letters in a heading
_WORD = re.compile(r"[^\W\d_]{2,}")


_OWN_BODY_LINES = 8  # paragraph lines in one size that make it a page's body size where the book's has none
_SMALLEST_BODY_PT = 5.0  # running text is set no smaller (footnotes: 6-7 pt); smaller type is a figure's


def _own_body_size(lines: list[TextLine], body_size: float) -> float:
    """On a page with no paragraph line in the book's body size, the size its paragraph lines are set in where it
    has several (else `body_size`): a text box filling the page in its own, smaller type (WHO 2013 handbook, Box 6
    in 9 pt in a book set in 10), whose text wrapped beside a photo is prose as the body's is. A caption's lines are
    not (a long caption under a full-page figure), nor are a heatmap's rows of cell values, nor type too
    small for running text (a heatmap's labels in 3 pt): as body text, no figure would take them."""
    captions = _caption_paragraphs(lines)
    sizes = Counter(
        round(2 * line.font_size) / 2
        for line in lines
        if id(line) not in captions
        and line.font_size >= _SMALLEST_BODY_PT
        and _set_as_prose(line, line.font_size)
        and _paragraph_wide(line, line.font_size)
        and not _row_of_numbers(line)
    )
    size, count = sizes.most_common(1)[0] if sizes else (body_size, 0)
    return size if count >= _OWN_BODY_LINES else body_size


def _caption_paragraphs(lines: list[TextLine]) -> set[int]:
    """Ids of the lines of the paragraphs that open with a caption label ("Figure 4."): the label's line and the
    lines under it at its leading, in its size, over it. A label that reads on as a sentence ("Figure 25.19 and
    Figure 25.20 summarize ...") opens running text, not a caption."""
    ends: list[TextLine] = []  # each caption paragraph's last line so far
    found: set[int] = set()
    for line in sorted(lines, key=lambda line: line.box.top):
        k = next((k for k, end in enumerate(ends) if _goes_on(end, line)), None)
        if k is not None:
            ends[k] = line
        elif (start := CAPTION_START.match(line.text)) and not cites_in_running_text(start, line.text):
            ends.append(line)
        else:
            continue
        found.add(id(line))
    return found


def _goes_on(above: TextLine, below: TextLine) -> bool:
    return (
        _at_leading(above, below) and same_size(below.font_size, above.font_size) and below.box.h_overlap(above.box) > 0
    )


_NODE_LINES = 2.5  # a frame at most this many line heights tall around a line is a chart node, not a text box


def _node_frames(graphics: list[Graphic], body_size: float) -> list[Graphic]:
    """Drawn boxes the size of a flow-chart node around one line of body text."""
    return [
        g
        for g in graphics
        if g.kind == "path"
        and body_size <= g.box.height <= 1.5 * _NODE_LINES * body_size
        and g.box.width > 2 * body_size
    ]


_CONNECTOR_EM = 0.5  # a connector (an arrow's shaft) is a stroke at most this many body sizes thick
_ARROWHEAD_EM = 1.0  # an arrowhead drawn apart from its shaft is at most this many body sizes across
_SHORT_OF_NODE_EM = 0.5  # a connector's end may stop this many body sizes short of its node (BMC 2016: 3 pt)
# A flow chart's node holds a few lines; a drawn box holding more is a frame round a column's paragraphs (a journal's
# text frames, which the strokes of a 3-D plot set in the column touch: norma 904767aa57 p. 6).
_NODE_MOST_LINES = 12


def _tied_nodes(page: PageContent, body: list[TextLine], body_size: float) -> list[Box]:
    """Drawn boxes holding a few lines of body type that a connector ties to another box holding text across the white
    between them: a flow chart's nodes of several lines each (a pocket book's chart, its arrows drawn from box to box).
    Their lines are the chart's, not paragraphs. A framed text box stands alone, and a table's cells touch."""
    boxes = [
        g.box for g in page.graphics if g.kind == "path" and g.box.height >= body_size and g.box.width > 2 * body_size
    ]
    holding = [b for b in boxes if 0 < sum(b.contains(line.box, tolerance=1.0) for line in body) <= _NODE_MOST_LINES]
    if not holding:
        return []
    texts = [b for b in boxes if any(b.contains(line.box, tolerance=1.0) for line in page.lines)]
    strokes = _with_their_heads(page.graphics, body_size, texts)
    reach = _SHORT_OF_NODE_EM * body_size
    reaching = {id(node): [s for s in strokes if _touches(s, node, reach)] for node in holding}
    if not any(reaching.values()):
        return []
    return [
        node
        for node in holding
        if any(
            _touches(stroke, other, reach) and node.gap(other) > 1.0 for stroke in reaching[id(node)] for other in texts
        )
    ]


def _with_their_heads(graphics: list[Graphic], body_size: float, nodes: list[Box]) -> list[Box]:
    """The connectors among `graphics` (strokes `_CONNECTOR_EM` thick at most), each with the arrowheads drawn apart
    at its ends that touch one of `nodes`: a shaft may stop short of the box its head touches (a guideline's flow
    chart, EssOilDB c3e4cb99c7 Fig. 2: the shaft 4 pt over the last node, the head on it). Only heads at a node are
    joined: a map's or a chart's thousands of small marks would cost a pass over every shaft each."""
    paths = [g.box for g in graphics if g.kind == "path"]
    heads = [
        box
        for box in paths
        if max(box.width, box.height) <= _ARROWHEAD_EM * body_size and any(box.gap(node) <= 1.0 for node in nodes)
    ]
    shafts = [box for box in paths if min(box.width, box.height) <= _CONNECTOR_EM * body_size]
    return [union_all([shaft, *(head for head in heads if head.gap(shaft) <= 1.0)]) for shaft in shafts]


def _touches(stroke: Box, box: Box, reach: float) -> bool:
    """A stroke reaches the box's edge from outside it, to within `reach` (an arrow drawn to a node, or from it), not
    drawn within it."""
    return stroke.gap(box) <= reach and not box.contains(stroke)


def _in_chart_node(line: TextLine, frames: list[Graphic], graphics: list[Graphic]) -> bool:
    """A line in body type framed by a drawn box joined to other drawings (the arrows of a flow chart):
    the box's label, part of the chart, not a paragraph."""
    box = line.box
    for frame in frames:
        f = frame.box
        if not f.contains(box, tolerance=1.0) or f.height > _NODE_LINES * box.height:
            continue
        if any(g is not frame and not f.contains(g.box, 1.0) and g.box.gap(f) <= 1.0 for g in graphics):
            return True
    return False


def _across_node_frames(line: TextLine, frames: list[Graphic]) -> bool:
    """A line in body type whose words stand in drawn boxes apart from one another: a row of a chart's nodes that the
    text layer read as one line (science-parse c6b62cd3a2: "memcached memcached memcached memcached", each word in its
    box), not a paragraph. A paragraph in a text box lies in one frame, and a table's cell fills touch."""
    box = line.box
    parts = sorted(
        (
            f.box
            for f in frames
            if f.box.h_overlap(box) > 0
            and f.box.top <= box.top + 1.0
            and box.bottom <= f.box.bottom + 1.0
            and not f.box.contains(box, tolerance=1.0)
        ),
        key=lambda part: part.x0,
    )
    return any(right.x0 - left.x1 > 1.0 for left, right in zip(parts, parts[1:], strict=False))


def _subcaption_rows(page: PageContent, lines: list[TextLine], by_top: list[int], is_body: list[bool]) -> set[int]:
    """Indices of the sub-captions printed under pictures ("(a) A spectrogram of ..."), each with the rows that
    continue it: a sub-caption may wrap onto a few rows, flush left, hanging under its text as LaTeX's subcaption
    sets it, or indented less than that (simhash a9320ac5e2 p. 5, a row centred under a longer first row), beside
    the rows of the sub-captions of the pictures next to it (Typst's grid of subfigures). They are the figure's
    text, not the text flow's, whether as wide as a paragraph's lines or not. `is_body`: which lines are taken for
    body text so far (a chart's tick labels and axis titles are not)."""
    rows: set[int] = set()
    figure_text = [lines[k] for k in by_top if not is_body[k]]
    for pos, k in enumerate(by_top):
        if k in rows or not _is_subfigure_caption(page, lines[k], figure_text):
            continue
        rows.add(k)
        last, hang = lines[k], _text_after_mark(page, lines[k])
        for j in by_top[pos + 1 :]:
            below = lines[j]
            if below.box.top - last.box.bottom > 0.6 * last.font_size:
                break  # past the sub-caption's leading
            goes_on = _continues(last, below) or (
                hang is not None
                and _at_leading(last, below)
                and lines[k].box.x0 - _SAME_LEFT_PT <= below.box.x0 <= hang + _SAME_LEFT_PT
            )
            if goes_on and not SUBFIGURE_CAPTION.match(below.text):
                rows.add(j)
                last = below
    return rows


def _is_subfigure_caption(page: PageContent, line: TextLine, figure_text: list[TextLine]) -> bool:
    """ "(a) A spectrogram of ..." set in body type right under a picture belongs to the figure. A drawn chart's own
    text under its strokes (tick labels, the axis title) is the picture's: the sub-caption comes under that (simhash
    a9320ac5e2 p. 5, two charts a column wide each, "(a) Distribution of leading 1-bit positions" on two rows under
    the left one's axis title, 27 pt under its strokes, was read as a paragraph, and the text flow's top cut Figure 2
    down to its right chart). `figure_text`: the lines not taken for body text, top down."""
    if not SUBFIGURE_CAPTION.match(line.text):
        return False
    reach = 1.5 * line.font_size
    above = [
        g.box
        for g in page.graphics
        if g.box.height > 2 * line.font_size and g.box.h_overlap(line.box) > 0 and g.box.bottom <= line.box.top
    ]
    if not above:
        return False
    bottom = max(box.bottom for box in above)
    for text in figure_text:
        if text.box.top >= line.box.top:
            break
        if 0 <= text.box.top - bottom <= reach and any(text.box.h_overlap(box) > 0 for box in above):
            bottom = max(bottom, text.box.bottom)
    return line.box.top - bottom <= reach


def _line_pitches(lines: list[TextLine]) -> Counter[tuple[float, float]]:
    """(type size, pitch in type sizes) of each line of a paragraph (`_PARAGRAPH_LINE_EM` type sizes wide or wider:
    no table's cells) over the line right under it, where that starts at its left edge in its size (not a reference
    list's next entry over an entry's indented lines); the size rounded to a tenth of a point, the pitch to a tenth of
    the size. pdfium reads one size as 10.8 to 11.0 pt line by line, so the sizes are compared, not grouped."""
    wide = sorted(
        (line for line in lines if line.font_size > 0 and line.box.width >= _PARAGRAPH_LINE_EM * line.font_size),
        key=lambda line: line.box.top,
    )
    pitches: Counter[tuple[float, float]] = Counter()
    for k, above in enumerate(wide):
        size = above.font_size
        for below in wide[k + 1 :]:
            pitch = (below.box.top - above.box.top) / size
            if pitch > _MAX_PITCH:
                break
            if pitch < _SAME_ROW_PITCH or below.box.h_overlap(above.box) <= 0:
                continue  # a piece of its own row, or a line of another column
            if abs(below.box.x0 - above.box.x0) <= _SAME_LEFT_PT and same_size(below.font_size, size):
                pitches[round(size, 1), round(pitch, 1)] += 1
            break
    return pitches


_PARAGRAPH_LINE_EM = 15.0  # a paragraph's line is at least this wide, in type sizes (a two-column paper's: 20)
SOLID_LEADING = 1.2  # a body's pitch set solid (10 pt on 12), in type sizes
_SAME_ROW_PITCH = 0.5  # a line whose top stands less than this (in type sizes) under another's is of its row
_MAX_PITCH = 3.0  # a paragraph's lines stand at most this far apart, top to top, in type sizes (double-spaced: 2.3)


def _paragraph_sizes(lines: list[TextLine], legends: set[int]) -> Counter[float]:
    """Characters per type size of the page's paragraph lines: set as prose and as long as a paragraph's line, not a
    caption's (`legends`), not a row of numbers (a table's), not in type too small for running text. Not asked to be
    paragraph-wide in ems (`_paragraph_wide`): a case report's text set in three columns 17 ems of its 8.8 pt wide
    (Australian Family Physician) was none, its 6.4 pt references, 23 ems of theirs, were, and became the body size."""
    sizes: Counter[float] = Counter()
    for line in lines:
        size = line.font_size
        if id(line) in legends or size < _SMALLEST_BODY_PT or _row_of_numbers(line):
            continue
        if _set_as_prose(line, size) and len(line.text) >= _PARAGRAPH_CHARS:
            sizes[round(size, 1)] += len(line.text)
    return sizes


def _running_text_size(pages: list[Counter[float]], all_pages: list[Counter[float]]) -> float | None:
    """The size the running text is set in: of the sizes the pages' paragraph lines are set in, the largest that holds
    `_RUNNING_SHARE` of the characters of the most used one or more (running text is set larger than a paper's
    references and notes and its tables; sizes a hair apart are one). Counting all characters instead, a short
    paper's references (3 Biotech 3a157413fb: five pages of 10 pt text, four and a half of 8.5 pt references) or a
    review's tables outweighed its text, which was then taken for figure labels: a flow chart's caption took one strip
    of it. None where paragraph lines hold under `_PARAGRAPH_SHARE` of the characters of `all_pages` (slides, an atlas
    of captions, text in lines too short to count). Only pages of running text count, `_RUNNING_PAGE_CHARS` or more:
    a slide's few bullets in three sizes are no running text (a deck's 24 pt headline bullets were its body size, and
    an 18 pt bullet beside a photograph became the photograph's caption)."""
    chars: Counter[float] = Counter()
    for page in pages:
        if page.total() >= _RUNNING_PAGE_CHARS:
            chars.update(page)
    if not chars or chars.total() < _PARAGRAPH_SHARE * sum(page.total() for page in all_pages):
        return None
    pooled = {size: sum(n for other, n in chars.items() if abs(other - size) <= _HAIR_SIZE * size) for size in chars}
    most = max(pooled.values())
    return max(size for size in chars if pooled[size] >= _RUNNING_SHARE * most)


_RUNNING_PAGE_CHARS = 1000  # characters of paragraph lines on a page of running text (a slide holds a few hundred)
_RUNNING_SHARE = 0.5  # of the most used paragraph size's characters: a larger size holding this many is the text's
_PARAGRAPH_SHARE = 0.3  # of a document's characters (but captions'): its paragraph lines hold this many at least


def _dense_pages_capped(pages: list[Counter[float]]) -> Counter[float]:
    """The pages' characters per type size summed, each page counting no more characters than the median page of
    running text holds (the median of the pages with half the densest page's characters or more): a review's ten
    pages of references in 8 pt hold more characters than its twenty pages of body text in 10 pt (EssOilDB
    b0980df739, 81k against 76k), and its body lines were then taken for figure text. Pages of pictures and their
    labels hold fewer and keep their counts."""
    totals = [sum(page.values()) for page in pages]
    dense = sorted(total for total in totals if total >= _DENSE_PAGE * max(totals, default=0))
    if not dense:
        return Counter()
    cap = dense[len(dense) // 2]
    summed: Counter[float] = Counter()
    for page, total in zip(pages, totals, strict=True):
        for size, count in page.items():
            summed[size] += count * min(1.0, cap / total)
    return summed


_DENSE_PAGE = 0.5  # of the densest page's characters: a page of running text holds this share at least


def _most_common_size(sizes: Counter[float]) -> float:
    """The size most characters are set in, each size counted with the sizes a hair from it (`_HAIR_SIZE`): pdfium
    reads one 10 pt body as 9.9, 10.0 and 10.1 pt, line by line (an MDPI paper: 41k characters over those three,
    each fewer than the 19k of its 9 pt captions and tables). 10 pt where no text was read."""
    if not sizes:
        return 10.0
    pooled = {size: sum(n for other, n in sizes.items() if abs(other - size) <= _HAIR_SIZE * size) for size in sizes}
    return max(sizes, key=lambda size: (pooled[size], sizes[size]))


_HAIR_SIZE = 0.015  # pdfium reads one size into neighbouring 0.1 pt bins (9.9, 10.0, 10.1): this share of it


def runs_on_from_row_above(above: TextLine | None, line: TextLine) -> bool:
    """`line` is the next row of a paragraph that `above`, the row over it in its column, is a row of: set solid over
    it in its size, from one edge and running on as far right, ending no sentence (a chart's axis title or a diagram's
    last label over a caption is no such row). A label opening `line` is then a citation wrapped to the row's start
    ("... This procedure corresponded to step" / "Figure 5. The relatively small size ...", science-parse a43ea3058b
    p. 8), not a caption."""
    if above is None or line.box.top - above.box.bottom > 0.6 * line.font_size:
        return False
    size = line.font_size
    return (
        same_size(above.font_size, size)
        and not above.text.rstrip().endswith((".", ":"))
        and abs(above.box.x0 - line.box.x0) <= size
        and above.box.x1 >= line.box.x1 - size
    )


def same_size(size: float, other: float) -> bool:
    """Two type sizes that are one (pdfium's sizes of one font vary by a few per cent with the glyphs)."""
    return abs(size - other) <= _SAME_SIZE * other


def _is_body_size(line: TextLine, body_size: float) -> bool:
    return same_size(line.font_size, body_size)


def _looks_like_body(line: TextLine, body_size: float, page_width: float) -> bool:
    # Wide lines of the body font are paragraph lines.
    return _set_as_prose(line, body_size) and _paragraph_wide(line, body_size, page_width=page_width)


def _measurement_row(page: PageContent, line: TextLine) -> bool:
    """On an OCR'd page, a row whose words are mostly numbers, ranges or ratios ("length (um) 134-374 120-290
    106-226") is a row of measurements set in a table or a drawing plate, not prose: Tesseract sizes such a row as
    the body and reads its gaps as single spaces, so it passes for a paragraph's line and stopped the search for
    the plate it stands in. A text layer keeps a spread row's gaps, which `_set_as_prose` already measures, and a
    table's rows of values are body text that no figure takes (but `_tick_labels`)."""
    return page.scan is not None and page.scan.read_by_ocr and _row_of_numbers(line)


def _tick_labels(line: TextLine) -> bool:
    """An axis's tick labels read as one line: numbers alone, `_TICKS` or more, in even steps ("1.0 1.5 2.0 ... 7.0",
    "0 100 200 300"), as a table's row of values is not. Set in the body's type with single spaces (openvirusdev
    3cbec8edb8 Figure 3), the row passed for a paragraph's line and stopped the search for its chart."""
    try:
        values = [float(word.replace("−", "-")) for word in line.text.split()]
    except ValueError:
        return False
    steps = [b - a for a, b in pairwise(values)]
    return (
        len(values) >= _TICKS and steps[0] != 0 and all(abs(step - steps[0]) <= 0.01 * abs(steps[0]) for step in steps)
    )


_TICKS = 4  # tick labels along an axis: at least this many


def _row_of_numbers(line: TextLine) -> bool:
    """A row whose words are mostly numbers, ranges or ratios: a table's, a drawing plate's or a chart's, not prose."""
    words = line.text.split()
    numbers = sum(1 for word in words if _MEASURE.match(word))
    return numbers >= _MEASURES and numbers > 0.5 * len(words)


# a number, a range or a ratio: "134-374", "4.2:1", "(1955).", "-0.03", ".68"
_MEASURE = re.compile(r"^[(~]?[-−+]?\.?\d[\d.,:-]*[)%]?[.,;]?$")
_MEASURES = 3  # numbers in a row of measurements: one per column of a table of three or more


def _stood_on_end(page: PageContent, line: TextLine) -> bool:
    """A row of words each set a quarter turn (a chart's year labels stood on end under its axis), which pdfium
    reads as one line across the chart, as wide as a paragraph's: no running text. Such a row is as high as its
    longest word is long; only lines higher than `_ON_END_EM` type sizes (not one row of upright type) are asked."""
    if line.box.height <= _ON_END_EM * line.font_size:
        return False
    first = next((k for k, ch in enumerate(line.text) if ch.strip()), 0)
    return page.is_turned(line.char_index(first))


_ON_END_EM = 1.5  # a row of upright type is about 1.2 type sizes high; words on end stand higher
_PARAGRAPH_WIDTH_EM = 18.0  # a paragraph's line is at least this many font sizes wide ...
_PARAGRAPH_CHARS = 30  # ... and holds at least this many characters
_SMALL_PAGE_MEASURE = 0.4  # ... or, on a small page, this share of its width (a two-column paper's column: 0.41)


def _paragraph_wide(
    line: TextLine, size: float, ems: float = _PARAGRAPH_WIDTH_EM, page_width: float = math.inf
) -> bool:
    """As wide (`ems` type sizes) and as long (`_PARAGRAPH_CHARS`) as a line of running text in type of `size`, or, on
    a page of `page_width` too small for that, `_SMALL_PAGE_MEASURE` of its width and as many characters in
    proportion: an e-book printed on small pages in large type (calibre at A6: 15 pt type in a 154 pt text width on a
    298 pt page, lines 8-10 type sizes wide; at A5, 16-17)."""
    full = ems * size
    share = 1.0 if _SMALL_PAGE_MEASURE * page_width >= full else _SMALL_PAGE_MEASURE * page_width / full
    return line.box.width >= share * full and len(line.text) >= share * _PARAGRAPH_CHARS


# A paragraph line sets ~0.44 font sizes of width per character (99% of the shared PDFs' body lines <= 0.55);
# labels spread across a figure ("comb   button   bridge   ferriswheel" under pictures) take far more.
_SPREAD = 0.62
# A bold sans face sets wider: held-out 37's section headings in DejaVu Sans Bold take 0.63-0.68 ("Sweat Glands",
# "Acne"); a word-spaced label row still takes more.
_BOLD_SPREAD = 0.75


def _set_as_prose(line: TextLine, body_size: float, spread: float = _SPREAD) -> bool:
    """A line in body type set like running text: at most two lines high (pdfium joins hyphenated line pairs), its
    characters no further apart than words' (`spread`: not labels spread across a figure)."""
    return (
        _is_body_size(line, body_size)
        and line.box.height <= 2.6 * body_size
        and line.box.width <= spread * len(line.text) * line.font_size
    )


_PARAGRAPH_LINES = 4  # a narrow paragraph (text wrapped beside a picture) has at least this many lines ...
_WRAPPED_CHARS = 12  # ... each of this many characters or more (a column of labels or table cells has fewer)
_INDENT_EM = 4.0  # a paragraph's first line is indented at most this many body sizes
_FILLED = 0.9  # share of a paragraph's widest line that a line and the next line's first word span at least


def _narrow_paragraphs(
    lines: list[TextLine], by_top: list[int], is_body: list[bool], body_size: float, pictures: list[Box]
) -> list[int]:
    """Lines of body type too narrow for `_looks_like_body` that form a paragraph: several lines of words, one
    under the other at the body's leading, left-aligned, its first line perhaps indented (body text wrapped
    beside a picture in a textbook's column). Prose, not a figure's text: a figure region does not take it. Text
    wrapped beside a picture is not set on it: lines printed on a picture (`pictures`) are its labels, a chart's key
    of entries as long as each other set as text over its raster (EssOilDB 2efa58de43 Figure 8)."""

    def wrapped(k: int) -> bool:
        line = lines[k]
        return (
            not is_body[k]
            and len(line.text) >= _WRAPPED_CHARS
            and _set_as_prose(line, body_size)
            and not any(picture.contains(line.box, tolerance=1.0) for picture in pictures)
        )

    found: list[int] = []
    run: list[int] = []
    for k in [k for k in by_top if wrapped(k)] + [-1]:
        if k >= 0 and run and _continues(lines[run[-1]], lines[k]):
            run.append(k)
            continue
        if len(run) >= _PARAGRAPH_LINES and _filled_measure([lines[j] for j in run]):
            found += run + _indented_first_line(lines, by_top, is_body, run[0], body_size)
        run = [k]
    return found


def _filled_measure(lines: list[TextLine]) -> bool:
    """Lines set as a paragraph's are filled (a ragged right edge): each but the last would run past the widest one
    with the next line's first word on it. A column of labels (a chart's row headings) runs to each label's length."""
    widest = max(line.box.width for line in lines)
    for line, following in zip(lines, lines[1:], strict=False):
        word = following.text.split(maxsplit=1)[0]
        advance = (len(word) + 1) * following.box.width / len(following.text)
        if line.box.width + advance < _FILLED * widest:
            return False
    return True


def _indented_first_line(
    lines: list[TextLine], by_top: list[int], is_body: list[bool], head: int, body_size: float
) -> list[int]:
    """The paragraph's indented first line over its line `head`, at the body's leading: [its index], or []."""
    first = lines[head]
    for k in by_top:
        line = lines[k]
        if (
            not is_body[k]
            and _is_body_size(line, body_size)
            and _at_leading(line, first)
            and 0 < line.box.x0 - first.box.x0 <= _INDENT_EM * body_size
        ):
            return [k]
    return []


def _continues(above: TextLine, below: TextLine) -> bool:
    return _at_leading(above, below) and abs(below.box.x0 - above.box.x0) <= _SAME_LEFT_PT


_SAME_LEFT_PT = 2.0  # lines of one paragraph start this close to one left edge


def _text_after_mark(page: PageContent, line: TextLine) -> float | None:
    """Where the text after a sub-caption's letter ("(b) In this micrograph ...") starts on its line."""
    mark = SUBFIGURE_CAPTION.match(line.text)
    return page.char_left(line.char_index(mark.end())) if mark else None


def _ends_paragraph(above: TextLine, below: TextLine) -> bool:
    """`below` is a short line of `above`'s paragraph (its last, or one of a ragged column): at its leading (a line's
    height apart, or one with no descenders over it: `_at_leading`'s gap is wider there), starting at its left edge
    or up to _FIRST_LINE_INDENT of its size left of it, where a paragraph indented on its first line goes on at the
    column's edge (held-out 12 article p1: a collapsed disclosure line's heading wraps its last word, "Melanoma",
    back under its triangle; taken for figure text, it was boxed with the pictures under it)."""
    shift = above.box.x0 - below.box.x0
    pitch = below.box.top - above.box.top
    # A list entry's lines hang under its words, right of its bullet or number.
    hang = _HANGING_INDENT * above.font_size if starts_list_entry(above.text) else _SAME_LEFT_PT
    return (_at_leading(above, below) or above.box.height < pitch <= _LEADING * above.font_size) and (
        -hang <= shift <= _FIRST_LINE_INDENT * above.font_size
    )


_HANGING_INDENT = 2.0  # times the type size: the most a list item's wrapped lines start right of its bullet


def _at_leading(above: TextLine, below: TextLine) -> bool:
    """`below` is the next line of `above`'s paragraph by height: no wider gap than a paragraph's leading."""
    gap = below.box.top - above.box.bottom
    return -0.2 * above.font_size <= gap <= 0.6 * above.font_size


def _columns(body: list[TextLine]) -> list[tuple[float, float]]:
    """Text columns: body lines grouped by left edge; a column holds several lines, and of two
    overlapping candidates the one with more lines wins (a wide title line is not a column), but a list indented in
    its column loses to the column's paragraphs, however long the list. A list's entries count where they start at the
    group's left edge: the column's group also takes the numbers of a list indented a little in it, and then lost to the
    list's run-over lines ("1. The probability of ..." at 82 pt, "label H: ..." under it at 94 pt; science-parse
    5100e93474 p. 4)."""
    groups: list[list[TextLine]] = []
    for line in sorted(body, key=lambda line: line.box.x0):
        if groups and line.box.x0 - groups[-1][0].box.x0 < 20:
            groups[-1].append(line)
        else:
            groups.append([line])
    # (left edge, median right edge, lines, holds no list entry at its edge) of each group of three lines or more
    candidates = sorted(
        (
            (
                min(line.box.x0 for line in g),
                _median([line.box.x1 for line in g]),
                len(g),
                not any(starts_list_entry(line.text) and line.box.x0 - g[0].box.x0 <= _SAME_LEFT_PT for line in g),
            )
            for g in groups
            if len(g) >= 3
        ),
        key=lambda c: (c[3], c[2]),
        reverse=True,
    )
    kept: list[tuple[float, float]] = []
    for x0, x1, _, _ in candidates:
        if all(min(x1, k[1]) - max(x0, k[0]) <= 0.2 * min(x1 - x0, k[1] - k[0]) for k in kept):
            kept.append((x0, x1))
    return sorted(kept)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _set_large_inside_margins(page: PageContent, picture: Box) -> bool:
    inside = page.cropbox.expand(-_BLEED).contains(picture)
    return inside and picture.area >= _LARGE_PICTURE * page.cropbox.area

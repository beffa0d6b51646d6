"""Caption-anchored figure search (the idea of pdffigures2).

For each caption, look for the region next to it (above, below, left or right) bounded by body text,
other captions and figures already placed; the figure is the graphics found there plus the text that
sits on them (axis labels, legends, panel letters). Captions whose only possible region is unambiguous
are placed first, so a caption above its figure does not steal the figure of the caption above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal, Protocol, TypeVar

from mmskin_build.extract.captions import KEY_GAP_EM, KEY_HANG_EM, Caption, continuation_only
from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.layout import DocumentStyle, Layout, same_size
from mmskin_build.extract.legends import is_tick_label, legend_blocks
from mmskin_build.extract.page import (
    Graphic,
    PageContent,
    TextLine,
    flat_fill,
    flat_raster,
    raster_under_strokes,
    slanted_steps,
)
from mmskin_build.extract.render import PAPER, InkMask
from mmskin_build.extract.text import join_lines
from mmskin_build.text.labels import CAPTION_START, caption_type
from mmskin_build.text.panel_markers import PANEL_HEAD, letters_reached

Direction = Literal["above", "below", "left", "right"]

# Preference for where a figure sits relative to its caption: figures usually above, tables below.
_PRIOR: dict[str, dict[Direction, float]] = {
    "Figure": {"above": 2.0, "below": 1.2, "left": 1.0, "right": 1.0},
    "Table": {"below": 2.0, "above": 1.2, "left": 0.5, "right": 0.5},
}
_MAX_GAP_EM = 6.0  # a figure further than this from its caption is not its figure
_MIN_FIGURE_PT = 12.0
_EDGE_ZONE = 0.06  # graphics wholly this close to the top or bottom edge are page furniture
_ALIGNED_BONUS = 1.0  # a side caption lines up with the top or bottom of its figure
_CLAIM_MARGIN = 0.25  # a caption's region is as good as its best when it scores within this much of it
_LINK_EM = 1.5  # ink closer than this (in body font sizes) belongs to the same figure
_STROKE_PT = 2.0  # a frame's fill and its outline, drawn as two paths, differ by a stroke's width at most
_FRAMED_TEXT_LINES = 2  # lines of text in a frame that a figure caption captions: the frame is a text figure
_SEEDING_SHARE = 0.2  # a graphic seeds a region's figure with at least this share of its area inside the region
_STACK_EM = 4.0  # parts of one figure stacked this close (white space between them) are one figure
_STACK_SLACK = 4.0  # points: a figure at the head of the text area may rise this far above its first line's top
# ... and on an OCR'd page, where the figure's own text rows (erased from the ink) leave white space between its parts
_SCAN_STACK_EM = 8.0
_HEADS_TEXT_EM = 2.0  # a row this close over (under) the text that bounds a scanned figure's search is its heading
# On a scan, the figure over (under) the caption is the one beside it when the one beside holds this share of it: the
# rest is a neighbouring figure's ink, which no raster's edge parts from it (a photograph's foot over a drawing)
_SCAN_BESIDE_SHARE = 0.5
_ROW_OVER_ONE = 1.5  # a row of pictures centred over one is at least this much wider than it
_KEY_OVERHANG_SHARE = 0.9  # a row of charts over charts and their wider key spans this much of the key's width
_TOUCHING_EM = 2.0  # a caption this close over or under a picture that no search took is the picture's
_ASCENT_PT = 2.0  # ... and its box (the type's ascent over the letters) may reach this far into the picture's ink
_PHOTO_SIDE = 72.0  # one inch: the smallest side of a picture that is a figure without its caption's search
_PHOTO_AREA = 0.02  # ... and the smallest share of the page's area it covers
_DATA_STEPS = 12  # a line chart's data line: a path of this many slanted segments or more ...
_DATA_SPAN = 0.5  # ... across at least this share of its frame's width
_AXIS_TICKS = 3  # a y axis: this many numbers set one over another
# "* Source: adapted from ...", "Reproduced with permission ...": not an axis label such as "Sources of infection".
_SOURCE_NOTE = re.compile(
    r"^[*†‡]?\s*(?:Sources?\s*:|(?:Adapted|Reproduced|Reprinted) (?:from|with|by)\b)", re.IGNORECASE
)
# An abbreviation key: two or more entries "ABBR, expansion;" ("GPELF, Global Programme ...; IVM, integrated vector
# management"), or one whose abbreviation has two capitals ("MDA, mass drug administration"), not "Time, days".
_ABBREVIATION = r"[A-Z][\w/-]{0,9}"
_ABBREVIATION_KEY = re.compile(rf"^(?:{_ABBREVIATION}, [^;]+; {_ABBREVIATION}, |[A-Z][\w/-]*[A-Z][\w/-]*, [a-z])")
_FOOTNOTE_MARKS = "*†‡"  # a caption's word carrying one of these has its footnote under the figure
# ... or a superscript letter: "... 2000-2009^a" over the chart, "^a Data for 2009 do not include ..." under it (the
# letter is the note row's first glyph, so the row's size is the letter's)
_LETTER_NOTE = re.compile(r"(?P<mark>[a-z])\s?[A-Z][a-z]")
# A key entry lettered in capitals, as a chart's panels are ("A. Diurnally subperiodic W. bancrofti in ...").
_KEY_LETTER = re.compile(r"^([A-Z])\.\s")
_SUPERSCRIPT = 0.75  # a glyph set at most this share of the caption's size is a superscript
_PANEL_EM = 4.0  # a caption background box reaches at most this far (in body sizes) beyond its caption
_EDGE_PT = 1.0  # picture edges this close line up
_ABUT_PT = 2.0  # pictures this close stand edge to edge
_PICTURE_SHARE = 0.5  # an image at least this share of a part's width and height is the part's picture
_STRIP_EM = 3.0  # ink next to a caption no taller than this is a legend or label strip, not a whole figure
_UNDERLINE_PT = 2.0  # an underline is a line no thicker than this
_HEADING_RULE_EM = 1.5  # a heading's rule starts at most a line space (in type sizes) before it and under it
_RULE_PT = 4.0  # a line thinner than this and about as long as the text is wide is a page rule
_SCANNED_PHOTO_SHARE = 0.8  # a figure this much of whose box one photograph found on its scan covers is that photo
_COLUMN_RULE_SHARE = 0.8  # a flat line across this share of a text column is a table's rule, no leader line
_CORNER_PT = 6.0  # a frame's rounded corner joins its edges within this
_SPREAD_SHARE = 3.0  # a drawing set across two pages runs on past the page's edge by its width over this ...
_SPREAD_PATHS = 3  # ... in this many paths or more
_PANEL_DRAWING_PATHS = 100  # a drawing on a panel of its own: this many paths or more (a map's coasts and borders)
_DRAWING_PIECES = 40  # an uncaptioned drawing set in the text: this many paths or more (a rule or an icon is a few)
_DRAWING_SIDE = 36.0  # ... and half an inch or more on each side
_BESIDE_EM = 3.0  # ... with a line of body type this close beside it (in body sizes)
_BARS = 3  # an uncaptioned bar chart: this many bars or more on one axis ...
_BAR_LENGTHS = 3  # ... of this many lengths or more (a table's tinted rows are all as long) ...
_BAR_THICKNESS = 0.2  # ... all as thick as one another within this share ...
_BAR_PT = 4.0  # ... each this thick (pt) or more (a forest plot's squares, 2-3 pt, lie along its axis of no effect) ...
_BAR_SPAN = 0.5  # ... stacked along this share of the axis or more; the longest bar is `_DRAWING_SIDE` long or more
_FLOW_BOXES = 4  # an uncaptioned flow chart: this many framed text boxes or more ...
_FLOW_BOX_EM = (0.8, 6.0)  # ... each one to a few lines tall (in body sizes) and 3 or more wide ...
_FLOW_ARROW_EM = 3.0  # ... tied by arrows: strokes no longer than this beside a box (in body sizes)


@dataclass(slots=True)
class FigureRegion:
    caption: Caption | None
    box: Box
    graphics: list[Graphic]
    texts: list[TextLine]
    score: float = 0.0

    @property
    def images(self) -> list[Graphic]:
        return [g for g in self.graphics if g.kind == "image"]


@dataclass(slots=True)
class _Search:
    page: PageContent
    layout: Layout
    body_size: float
    graphics: list[Graphic]
    captions: list[Caption]
    backdrops: list[Graphic]
    ink: InkMask
    rules: list[Graphic]  # long thin lines, erased from the ink as page rules
    placed: list[FigureRegion] = field(default_factory=list)
    legends: list[Box] = field(default_factory=list)

    def claimed(self) -> set[int]:
        return {id(g) for region in self.placed for g in region.graphics}


@dataclass(slots=True)
class PageGraphics:
    """A page's graphics by what they can be."""

    usable: list[Graphic]  # can be part of a figure
    rules: list[Graphic]  # page rules and frames drawn around figures
    furniture: list[Graphic]  # margin furniture (thumb tabs, running-header logos and rules)
    side: list[Graphic]  # side-margin furniture that recurs through the document
    backdrops: list[Graphic]  # flat colour drawn behind pictures and captions (cards, bands): see _backdrops
    backgrounds: list[Graphic]  # drawn behind most of the page (a fill, a frame around the text): no figure
    headings: list[Box]  # underlined text lines and their underlines or rules: a heading, never a figure's ink


def split_graphics(page: PageContent, layout: Layout, style: DocumentStyle, captions: list[Caption]) -> PageGraphics:
    """The page's graphics sorted (`PageGraphics`), leaving out page backgrounds, graphics off the page and graphics
    inside paragraphs (underlines, inline symbols)."""
    page_area = page.width * page.height
    text_width = layout.text_area.width
    usable, rules, furniture, side, backgrounds = [], [], [], [], []
    headings: list[Box] = []
    edge = _EDGE_ZONE * page.cropbox.height
    backdrops = _backdrops(page.graphics, captions)
    images = [g.box for g in page.graphics if g.kind == "image"]
    backdrops += [g for g in layout.feature_boxes if g not in backdrops]  # a sidebar's tint is no picture either
    bullets = {id(g) for g in layout.bullets}
    for graphic in page.graphics:
        box = graphic.box
        if not page.cropbox.overlaps(box) or graphic in backdrops:
            continue
        at_edge = box.bottom <= page.cropbox.top + edge or box.top >= page.cropbox.bottom - edge
        # Running-header logos and rules, footer rules: erased, never a figure's ink. Out of the text area, in the
        # band at the page's edge or reaching further into the page but recurring there (a figure's frame at the
        # head of the text area may recur too).
        if (at_edge or style.is_running_drawing(page.cropbox, graphic)) and not style.in_text_area(page.height, box):
            furniture.append(graphic)
            continue
        if box.area > 0.6 * page_area and graphic.kind != "image":
            backgrounds.append(graphic)
            continue
        if _watermark(graphic, page, style):
            continue  # no picture, nor part of one; its ink stays (the ink under it may be a chart's)
        thin = min(box.width, box.height) < _RULE_PT and max(box.width, box.height) > 0.8 * text_width
        if thin and not _slice_of_a_picture(graphic, images):
            rules.append(graphic)  # header/footer rules and column separators
        elif style.is_side_furniture(graphic):
            side.append(graphic)
        elif id(graphic) in bullets:
            furniture.append(graphic)  # a list's bullet is text
        elif graphic.kind != "image" and layout.body and _thumb_tab(box, page.cropbox, layout.text_area):
            furniture.append(graphic)
        elif not (layout.body and _inside_body_text(box, layout.body)):
            underlined = _underlined(box, page.lines)
            if underlined is None:
                usable.append(graphic)
            else:
                headings += [box, underlined.box]
    frames = _frames(usable, _column_spans(layout), page.lines, captions) + _frame_sides(usable, rules, captions)
    usable = [g for g in usable if g not in frames]
    return PageGraphics(usable, rules + frames, furniture, side, backdrops, backgrounds, headings)


def _slice_of_a_picture(graphic: Graphic, images: list[Box]) -> bool:
    """A thin raster with another raster set edge to edge along its length: one of the strips a picture is sliced
    into (a preprint's tree of 82 strips 2.7 pt high, each as wide as the text), no rule."""
    box = graphic.box
    if graphic.kind != "image":
        return False
    along = box.h_overlap if box.width >= box.height else box.v_overlap
    length = max(box.width, box.height)
    return any(other != box and box.gap(other) <= _EDGE_PT and along(other) >= 0.5 * length for other in images)


def _watermark(graphic: Graphic, page: PageContent, style: DocumentStyle) -> bool:
    """A picture that recurs at the same place on 3+ pages laid over the page's text or its other graphics: a
    watermark ("DRAFT", "CONFIDENTIAL") over whatever each page prints, not a picture of its content."""
    if graphic.kind != "image" or not style.is_recurring_image(graphic):
        return False
    box = graphic.box
    return any(box.overlaps(line.box) for line in page.lines) or any(
        other.kind == "image" and box.overlaps(other.box) and not style.is_recurring_image(other)
        for other in page.graphics
    )


def _backdrops(graphics: list[Graphic], captions: list[Caption]) -> list[Graphic]:
    """Flat colour drawn behind pictures and their captions: a rectangle filled with one colour darker than paper
    that holds a raster image drawn after it and a caption's label (the black card a photo is mounted on with a
    white "Figure 3" under it, a band across the page behind a row of such cards). It is no picture, nor part of
    one: the figures are what is drawn on it. A box behind a flow chart's node is part of its chart: no caption is
    printed on it."""
    images = [(k, g.box) for k, g in enumerate(graphics) if g.kind == "image"]
    labels = [caption.lines[0].box for caption in captions]
    result = []
    for k, graphic in enumerate(graphics):
        box = graphic.box
        if not any(box.contains(label, tolerance=_EDGE_PT) for label in labels):
            continue
        level = flat_fill(graphic)
        if level is None or level >= PAPER:
            continue
        if any(at > k and box.contains(picture, tolerance=_EDGE_PT) for at, picture in images):
            result.append(graphic)
    return result


def caption_panels(graphics: list[Graphic], captions: list[Caption], body_size: float) -> list[Graphic]:
    """Tinted boxes a journal sets its captions on (PeerJ, Cureus): a drawn box around a caption and little
    more is the caption's background, not part of the figure next to it. A frame around figure and caption
    together is much taller than the caption and stays."""
    return [
        g
        for g in graphics
        if g.kind == "path"
        and any(
            g.box.contains(c.box, tolerance=1.0) and g.box.height <= c.box.height + _PANEL_EM * body_size
            for c in captions
        )
    ]


def _thumb_tab(box: Box, crop: Box, text_area: Box) -> bool:
    """A chapter thumb tab: drawn in the outer margin, clear of the text, running off the side of the page."""
    outside = box.x0 >= text_area.x1 - 1 or box.x1 <= text_area.x0 + 1
    return outside and (box.x1 >= crop.x1 - 1 or box.x0 <= crop.x0 + 1)


def _column_spans(layout: Layout) -> list[tuple[float, float]]:
    """The text's width, and on a page of text columns each column's band (from its left edge to the next one's)."""
    area = layout.text_area
    lefts = sorted(x0 for x0, _ in layout.columns)
    bands = list(zip(lefts, [*lefts[1:], area.x1], strict=True)) if len(lefts) > 1 else []
    return [(area.x0, area.x1), *bands]


def _frames(
    graphics: list[Graphic], spans: list[tuple[float, float]], lines: list[TextLine], captions: list[Caption]
) -> list[Graphic]:
    """Boxes drawn around a figure as wide as the text (journal styles), or as their text column round pictures and
    their caption (a framed note block holding a figure in a page of two columns): a border is not part of the
    figure. A column's box round drawn paths (a chart's axes) or round a picture alone (a map's border) stays.

    A chart's axes box is not a frame: it fits its content, or its tick labels stand outside it (bars centred
    between two y axes leave a margin as wide as a frame's); a frame leaves a wide margin around it and holds its
    figure's text.
    """
    (x0, x1), *columns = spans
    wide = [g for g in graphics if g.kind == "path" and g.box.width >= 0.8 * (x1 - x0)]
    banded = [g for g in graphics if g.kind == "path" and g not in wide and _spans_a_column(g.box, columns)]
    ticks = [line.box for line in lines if is_tick_label(line.text)] if wide or banded else []
    frames = []
    for frame in wide + banded:
        if _ticked(frame.box, ticks):
            continue
        content = [g for g in graphics if frame.box.contains(g.box, tolerance=0.5) and g not in wide + banded]
        inner = union_all(g.box for g in content)
        if inner is None or not any(g.kind == "image" for g in content) and len(content) < 5:
            continue
        if frame in banded and (
            any(g.kind != "image" for g in content) or not any(frame.box.contains(c.box) for c in captions)
        ):
            continue
        if min(inner.x0 - frame.box.x0, frame.box.x1 - inner.x1) > 5.0:
            frames.append(frame)
    return frames


def _spans_a_column(box: Box, columns: list[tuple[float, float]]) -> bool:
    """As wide as the band of the text column it stands in (its edges up to a frame's inset outside it: where a note
    block fills the column, the column's text is the block's, set in from its frame)."""
    return any(
        left - _FRAME_INSET_PT <= box.x0 and box.x1 <= right + _FRAME_INSET_PT and box.width >= 0.8 * (right - left)
        for left, right in columns
    )


_FRAME_INSET_PT = 12.0  # a frame drawn round a column's text stands at most this far outside it


def _frame_sides(graphics: list[Graphic], rules: list[Graphic], captions: list[Caption]) -> list[Graphic]:
    """The edges and corners of a frame drawn piece by piece around a figure and its caption (BMC's rounded frame:
    four edges and four corner arcs; Frontiers' four hairlines). Its sides, a thin upright line from one flat
    edge's end down to the other's, framing a caption, would join the figure, and so would its top and bottom
    edges where the frame is a column wide (as wide as the text they are rules already) and the corner arcs. A
    frame around a picture alone, its caption outside, is the picture's border and stays. The sides may be rules
    already; the pieces of `graphics` framing a caption are returned."""
    edges = [g for g in graphics if g.box.height < _RULE_PT and g.box.width > _CORNER_PT]
    flat = [r.box for r in rules if r.box.height < _RULE_PT] + [g.box for g in edges]

    def ends(x: float, y: float) -> list[Box]:
        return [r for r in flat if min(abs(x - r.x0), abs(x - r.x1)) <= _CORNER_PT and abs(y - r.cy) <= _CORNER_PT]

    def frames_a_caption(side: Box) -> bool:
        return any(
            side.top <= c.box.top
            and c.box.bottom <= side.bottom
            and any(r.x0 - _CORNER_PT <= c.box.x0 and c.box.x1 <= r.x1 + _CORNER_PT for r in ends(side.cx, side.top))
            for c in captions
        )

    # The caption test first: it is cheap, and most upright lines frame none (`ends` looks at every flat line). A side
    # may be a rule already (on a page with no body text, one taller than most of the page is).
    sides = [
        g.box
        for g in graphics + rules
        if g.box.width < _RULE_PT and frames_a_caption(g.box) and ends(g.box.cx, g.box.bottom)
    ]
    tops_and_bottoms = {id(r) for side in sides for y in (side.top, side.bottom) for r in ends(side.cx, y)}
    corners = [
        g
        for g in graphics
        if max(g.box.width, g.box.height) <= _CORNER_PT
        and any(side.v_gap(g.box) <= 1 and side.h_overlap(g.box.expand(1)) > 0 for side in sides)
    ]
    return [g for g in graphics if g.box in sides or id(g.box) in tops_and_bottoms] + corners


def _ticked(box: Box, ticks: list[Box]) -> bool:
    """Two or more numbers (`ticks`: the page's tick-label lines) set just outside one side of `box` (beside its left
    or right edge, or under its bottom), within a line's height of it: a chart's tick labels along its axis."""
    left = [t for t in ticks if 0 <= box.x0 - t.x1 <= t.height and box.top - t.height <= t.cy <= box.bottom + t.height]
    right = [t for t in ticks if 0 <= t.x0 - box.x1 <= t.height and box.top - t.height <= t.cy <= box.bottom + t.height]
    under = [t for t in ticks if 0 <= t.top - box.bottom <= t.height and box.x0 - t.width <= t.cx <= box.x1 + t.width]
    return max(len(left), len(right), len(under)) >= 2


def _inside_body_text(box: Box, body: list[TextLine]) -> bool:
    """Underlines, highlights and inline symbols of paragraphs are not figures."""
    return box.height < 20 and any(line.box.contains(box, tolerance=1.0) for line in body)


def _underlined(box: Box, lines: list[TextLine]) -> TextLine | None:
    """The text line a thin horizontal line underlines, or None: text decoration, not a graphic, in any type (body
    text's own marks are left out above)."""
    if box.height > _UNDERLINE_PT:
        return None
    return next((line for line in lines if _underline_of(box, line) or _heading_rule_of(box, line)), None)


def _underline_of(box: Box, line: TextLine) -> bool:
    """A thin line along the foot of the text line and no wider than it (an underlined heading, "Flight range")."""
    return (
        line.box.x0 - _UNDERLINE_PT <= box.x0  # a stroke's box takes in its line cap
        and box.x1 <= line.box.x1 + _UNDERLINE_PT
        and box.width >= 0.5 * line.box.width
        and line.box.cy <= box.cy <= line.box.bottom + 0.3 * line.box.height
    )


def _heading_rule_of(box: Box, line: TextLine) -> bool:
    """A heading's rule: up to a line space under a line of words, from up to a line space before its first letter
    to its last (a book's small-capital section heading "5.3 TREAT THE CAUSE" over a short blue rule, set under a
    diagram). A line past both ends of a caption is a frame's edge or a rule parting it from the text; a tick
    beside its label or a fraction's bar under a numeral underlines no words."""
    reach = _HEADING_RULE_EM * line.font_size
    return (
        line.box.x0 - reach <= box.x0 <= line.box.x0
        and abs(box.x1 - line.box.x1) <= _UNDERLINE_PT
        and line.box.bottom <= box.top <= line.box.bottom + reach
        and " " in line.text.strip()
    )


def find_figure_regions(
    page: PageContent,
    layout: Layout,
    captions: list[Caption],
    graphics: list[Graphic],
    backdrops: list[Graphic],
    ink: InkMask,
    body_size: float,
    rules: list[Graphic],
) -> list[FigureRegion]:
    """Place each caption's figure; `ink` must already have text, page furniture, backdrops and `rules` erased."""
    search = _Search(page, layout, body_size, graphics, captions, backdrops, ink, rules)
    in_captions = {id(line) for caption in captions for line in caption.lines}
    search.legends = legend_blocks([t for t in layout.other if id(t) not in in_captions], graphics, body_size)
    pending = list(captions)
    while pending:
        options = {id(c): _candidates(search, c) for c in pending}
        _leave_regions_to_their_captions(pending, options)
        # Place unambiguous captions first, then the strongest remaining candidate. A caption's one region
        # waits while another caption claims the same ink more strongly (a table caption's only region,
        # beside it, is the picture above the next column's figure caption).
        unique = [
            c
            for c in pending
            if len(options[id(c)]) == 1 and not _contested(options[id(c)][0], pending, options, search.body_size)
        ]
        chosen = unique[0] if unique else None
        if chosen is None:
            ranked = [(options[id(c)][0].score, c) for c in pending if options[id(c)]]
            if not ranked:
                break
            chosen = max(ranked, key=lambda pair: pair[0])[1]
        _place(search, _with_key_beyond(search, _with_description_beyond(search, options[id(chosen)][0])))
        # A caption with no region yet is asked again: the figure placed may have been what cut its search (a
        # margin caption's picture under the one placed, whose foot reached into its side region).
        pending.remove(chosen)
    _place_pictures_touching_lone_captions(search)
    return search.placed


def _place(search: _Search, region: FigureRegion) -> None:
    search.placed.append(region)
    search.ink.erase(region.box)  # a placed figure's ink belongs to no other caption


def _contents(search: _Search, box: Box, graphics: list[Graphic]) -> tuple[list[Graphic], list[TextLine]]:
    """Of `graphics`, those mostly inside `box`; and the page's text (not body text) mostly inside it."""
    inside = [g for g in graphics if _overlaps(g.box, box) and _mostly_inside(g.box, box)]
    return inside, _texts_on(search.layout.other, box)


def _texts_on(texts: list[TextLine], box: Box) -> list[TextLine]:
    """Of `texts`, the lines mostly inside `box`: a figure's labels and panel letters."""
    return [t for t in texts if t.box.overlap_area(box) > 0.5 * max(t.box.area, 1e-6)]


def _place_pictures_touching_lone_captions(search: _Search) -> None:
    """A Figure caption that placed nothing takes the picture right over or under it that no caption took: its
    search cut the picture, which reaches past the caption's column under the next column's text (a report's map
    set across the gutter, its white corner under the body lines), or into another such picture (two maps whose
    rasters overlap). Nearest pairs first, one picture a caption."""
    own = {id(region.caption) for region in search.placed}
    lone = [c for c in search.captions if c.type == "Figure" and id(c) not in own]
    if not lone:
        return
    claimed = search.claimed()
    rasters = [
        g.box.intersection(search.page.cropbox) or g.box
        for g in search.graphics
        if g.kind == "image" and id(g) not in claimed and min(g.box.width, g.box.height) >= _PHOTO_SIDE
    ]
    pairs = sorted(
        (caption.box.v_gap(picture), i, j, picture)
        for i, caption in enumerate(lone)
        for j, raster in enumerate(rasters)
        if (picture := _clear_of(search, raster, caption)) is not None
        and _touches_lone_caption(search, caption, picture)
    )
    taken_captions: set[int] = set()
    taken_pictures: set[int] = set()
    for _, i, j, picture in pairs:
        if i in taken_captions or j in taken_pictures:
            continue
        taken_captions.add(i)
        taken_pictures.add(j)
        caption = lone[i]
        box = _with_legends(picture, search, caption, under=picture)
        claimed = search.claimed()
        graphics, texts = _contents(search, box, [g for g in search.graphics if id(g) not in claimed])
        _place(search, FigureRegion(caption, box, graphics, texts))


def _clear_of(search: _Search, raster: Box, caption: Caption) -> Box | None:
    """The raster as it stands over or under the caption: whole when clear of it; cut short of it where only its
    blank paper runs on beside the caption's lines (a framed panel's raster of its drop shadow, the caption set on
    its white foot), its ink ending within the type's ascent (`_ASCENT_PT`) of them; None when its picture reaches
    into the caption."""
    cap = caption.box
    if cap.bottom <= raster.top + 1 or cap.top >= raster.bottom - 1:
        return raster
    shown = search.ink.ink_box(raster)
    if shown is None:
        return None
    if cap.cy > shown.cy and shown.bottom <= cap.top + _ASCENT_PT:
        return Box(raster.x0, raster.top, raster.x1, min(raster.bottom, cap.top))
    if cap.cy < shown.cy and shown.top >= cap.bottom - _ASCENT_PT:
        return Box(raster.x0, max(raster.top, cap.bottom), raster.x1, raster.bottom)
    return None


def _touches_lone_caption(search: _Search, caption: Caption, picture: Box) -> bool:
    """Over or under the picture within two body sizes, the picture under most of the caption's width, nothing
    set between them."""
    cap = caption.box
    if not (cap.bottom <= picture.top + 1 or cap.top >= picture.bottom - 1):
        return False
    if cap.v_gap(picture) > _TOUCHING_EM * search.body_size or cap.h_overlap(picture) < 0.5 * cap.width:
        return False
    between = Box(cap.x0, min(cap.bottom, picture.bottom), cap.x1, max(cap.top, picture.top))
    others = [line.box for line in search.layout.body] + [c.box for c in search.captions if c is not caption]
    return not any(other.overlap_area(between) > 0 for other in others + [r.box for r in search.placed])


def _leave_regions_to_their_captions(pending: list[Caption], options: dict[int, list[FigureRegion]]) -> None:
    """A table caption with another place to go gives up a region that a figure caption also claims: a wide
    table caption under its table also "has" the chart below it, over that chart's own figure caption. So does
    any caption with another place to go for a region that is another caption's only one: a table caption
    between two tables, each captioned under itself, also "has" the next table down. A table caption gives up a
    figure caption's only region even when it has no other: a table's caption printed under its table (OpenStax)
    "has" the plate printed right under it, over the plate's own figure caption, when the search over it finds no
    room in the table's rows. Only pictures with no text are given up that way: a table's rows of text are its own
    even when a figure caption's search runs on over them."""
    claimed = [r.box for c in pending if c.type == "Figure" for r in options[id(c)]]
    only = {id(c): options[id(c)][0].box for c in pending if len(options[id(c)]) == 1}
    figures_only = [only[id(c)] for c in pending if c.type == "Figure" and id(c) in only]
    for caption in pending:
        regions = options[id(caption)]
        if caption.type == "Table" and regions and all(_a_figures_picture(r, figures_only, claimed) for r in regions):
            options[id(caption)] = []
            continue
        if len(regions) < 2:
            continue
        taken = [box for key, box in only.items() if key != id(caption)]
        if caption.type == "Table":
            taken += claimed
        free = [r for r in regions if not any(r.box.overlap_area(box) > 0 for box in taken)]
        if free:
            options[id(caption)] = free


def _a_figures_picture(region: FigureRegion, figures_only: list[Box], claimed: list[Box]) -> bool:
    """`region` is no table's and a figure caption claims it: raster pictures and nothing else (no text, no drawing)
    that overlap a figure caption's only region (`figures_only`), or charts, whose data lines run aslant
    (`slanted_steps`) as no table's rules do, that overlap any figure caption's region (`claimed`: a paper's row of
    line charts between "Table 3" under its table and "Figure 4" under the charts)."""
    if bool(region.graphics) and all(g.kind == "image" for g in region.graphics) and not region.texts:
        return any(region.box.overlap_area(box) > 0 for box in figures_only)
    charts = any(slanted_steps(g) >= _DATA_STEPS for g in region.graphics)
    return charts and any(region.box.overlap_area(box) > 0 for box in claimed)


def _contested(
    region: FigureRegion, pending: list[Caption], options: dict[int, list[FigureRegion]], body_size: float
) -> bool:
    """Another caption claims the same ink more strongly and has no other region nearly as good. A caption in a
    row of pictures each captioned beside itself has its own picture on one side and the neighbour's on the
    other, about as near (scores 0.02 apart): it does not hold the neighbour's only region back (measured on the
    dev sets and papers: a rival's next region scores 0.6-1.6 below the claim). A region that takes another
    caption's only region in at its far end (`_past_its_own`) waits for it, and such a claim holds nothing back."""
    reach = _LINK_EM * body_size
    rivals = [(other, options[id(c)]) for c in pending if c is not region.caption for other in options[id(c)]]
    return any(
        _claims_more_strongly(other, theirs, region, reach)
        or (len(theirs) == 1 and _past_its_own(region, other, reach))
        for other, theirs in rivals
    )


def _claims_more_strongly(other: FigureRegion, theirs: list[FigureRegion], region: FigureRegion, reach: float) -> bool:
    """`other` overlaps `region`, scores higher, and its caption has no other region nearly as good."""
    return (
        other.score > region.score
        and other.box.overlap_area(region.box) > 0
        and not any(rest is not other and rest.score > other.score - _CLAIM_MARGIN for rest in theirs)
        and not _past_its_own(other, region, reach)
    )


def _past_its_own(claim: FigureRegion, region: FigureRegion, reach: float) -> bool:
    """`claim` holds the whole of `region` (but for a line's `reach` at its edges: the region's axis labels beyond
    the claim's far end, norma fe9d75f564 Figure 3 under "Table 4"), which lies nearer its own caption than the
    claim's, past ink of the claim's nearer its caption: a table captioned over itself whose search ran on down
    over the picture printed under the table to that picture's caption (a case report's "Table 1" over its rows, a plate under them, "Figure
    1" under the plate). Its score is that of the table's text next to its caption; the picture is the figure's.
    Placed first, the figure leaves the claim's caption its own ink when that is searched again."""
    own, theirs = region.caption, claim.caption
    if own is None or theirs is None or not claim.box.contains(region.box, tolerance=reach):
        return False
    far = theirs.box.gap(region.box)
    return own.box.gap(region.box) < far and theirs.box.gap(claim.box) < far - reach


def _with_description_beyond(search: _Search, region: FigureRegion) -> FigureRegion:
    """A caption printed in two places: a title line over the picture, its description under it. The rows right
    under the picture that start at the title's left edge and run wider than the picture on both sides, in
    figure-text size, are the description: they join the caption's text and leave the figure."""
    caption = region.caption
    pictures = union_all(g.box for g in region.graphics)
    if caption is None or pictures is None or caption.box.bottom > pictures.top + 1 or not _title_only(caption):
        return region
    rows = _description_rows(search.layout.other, caption, pictures)
    if not rows:
        return region
    caption.text = join_lines([caption.text, *(line.text for line in rows)])
    # Glyph boxes are tight: the anti-aliased edges of the description's first row lie just above its top.
    cut = Box(region.box.x0, region.box.top, region.box.x1, min(line.box.top for line in rows) - 1.5)
    region.box = search.ink.ink_box(cut) or pictures
    region.texts = [t for t in region.texts if t not in rows]
    return region


def _with_key_beyond(search: _Search, region: FigureRegion) -> FigureRegion:
    """A figure's key printed under it while its caption stands over it (a manual's stack of charts lettered A-E,
    each letter's entry under the charts with its source): the key joins the caption's text. OCR'd pages only: there
    the key's rows are read at body sizes and taken for the page's text."""
    caption = region.caption
    if caption is None or caption.box.bottom > region.box.top + 1 or not _read_by_ocr(search):
        return region
    rows = _lettered_key_rows(search.page.lines, caption, region.box)
    if rows:
        caption.text = join_lines([caption.text, *(line.text for line in rows)])
    return region


def _lettered_key_rows(lines: list[TextLine], caption: Caption, figure: Box) -> list[TextLine]:
    """The rows under `figure` that are a key lettered from A in order, each entry's wrapped lines hung under its
    text: the first within a blank line of the figure, the rest closer than a blank line; two entries at least."""
    size = caption.lines[0].font_size
    under = sorted(
        (line for line in lines if line.box.top >= figure.bottom - 1 and line.box.h_overlap(figure) > 0),
        key=lambda line: (line.box.top, line.box.x0),
    )
    rows: list[TextLine] = []
    letters = 0
    for line in under:
        gap = line.box.top - (rows[-1].box.bottom if rows else figure.bottom)
        if gap > (0.9 if rows else KEY_GAP_EM) * size:
            break
        opening = _KEY_LETTER.match(line.text)
        if opening and opening.group(1) == chr(ord("A") + letters) and (not rows or _level(line, rows[0], size)):
            letters += 1
        elif not rows or not 0.5 * size <= line.box.x0 - rows[0].box.x0 <= KEY_HANG_EM * size:
            break
        rows.append(line)
    return rows if letters >= 2 else []


def _level(line: TextLine, first: TextLine, size: float) -> bool:
    """`line` starts where `first` does: the key's next entry, not a wrapped line hung under an entry's text."""
    return abs(line.box.x0 - first.box.x0) <= size


def _description_rows(lines: list[TextLine], caption: Caption, pictures: Box) -> list[TextLine]:
    """The lines of the rows under `pictures` that read as the caption's description, in reading order."""
    size = caption.lines[0].font_size
    starts: list[TextLine] = []  # the first line of each row
    for line in sorted(lines, key=lambda line: (line.box.top, line.box.x0)):
        edge = starts[-1].box if starts else None
        if (
            line.box.top < pictures.bottom - 1
            or not caption.box.x0 - size <= line.box.x0 <= pictures.x1  # another column
            or (edge is not None and line.box.v_overlap(edge) > 0)
        ):
            continue
        gap = line.box.top - (edge.bottom if edge else pictures.bottom)
        wider = line.box.x0 < pictures.x0 - size and line.box.x1 > pictures.x1 + size
        if gap > (0.9 if starts else 1.5) * size or abs(line.box.x0 - caption.box.x0) > size or not (starts or wider):
            break
        starts.append(line)
    if not starts:
        return []
    span = union_all(line.box for line in starts).expand(size)
    rows = [line for line in lines if span.contains(line.box) and any(line.box.v_overlap(s.box) > 0 for s in starts)]
    return sorted(rows, key=lambda line: (line.box.top, line.box.x0))


def _title_only(caption: Caption) -> bool:
    """One row that does not end a sentence: a title ("Figure 1. Physical examination on day 4")."""
    first = caption.lines[0].box
    return all(line.box.top < first.bottom for line in caption.lines) and not caption.text.rstrip().endswith(".")


def _candidates(search: _Search, caption: Caption) -> list[FigureRegion]:
    found = {}
    for direction in ("above", "below", "left", "right"):
        region = _search_direction(search, caption, direction)
        if region is not None:
            found[direction] = region
    reach = _LINK_EM * search.body_size
    share = _SCAN_BESIDE_SHARE if _read_by_ocr(search) else None
    for direction in ("above", "below"):
        if direction in found and any(
            _cut_at_the_caption(found[direction].box, found[side].box, direction, reach, share)
            for side in ("left", "right")
            if side in found
        ):
            del found[direction]
    # A region beside the caption cut from the one over or under it scores no more than that figure (found first,
    # so ranked first at a tie): kept, for a neighbour's caption may claim that figure (held-out 23, a scan's drawing
    # beside its caption, the next figure's drawing under both).
    for side in ("left", "right"):
        for direction in ("above", "below"):
            if side in found and direction in found:
                whole, cut = found[direction], found[side]
                if _cut_beside_the_caption(cut.box, whole.box, side, caption.box, reach):
                    cut.score = min(cut.score, whole.score)
    return sorted(found.values(), key=lambda r: r.score, reverse=True)


def _cut_at_the_caption(box: Box, beside: Box, direction: Direction, reach: float, share: float | None = None) -> bool:
    """The figure found over or under the caption is part of the one found beside it, which runs on past its edge
    towards the caption's level: one drawing beside the caption (a pie chart captioned on its right), which the
    search under the caption, widened across the gutter, cut at the caption's foot. With a `share`, the one beside
    need only hold that share of it (a scan's ink of a neighbouring figure is not parted from it by a raster edge)."""
    if share is None and not beside.contains(box, tolerance=reach):
        return False
    if share is not None and beside.overlap_area(box) < share * box.area:
        return False
    return beside.top < box.top - reach if direction == "below" else beside.bottom > box.bottom + reach


def _cut_beside_the_caption(beside: Box, box: Box, side: Direction, caption: Box, reach: float) -> bool:
    """The figure found beside the caption is the far part of the one found over or under it, cut off by the search
    region's side at the caption's edge: what it holds past the caption's level lies in that figure, which runs on
    past its near side towards the caption (a chart framed with its caption inside the frame, the caption under the
    chart's left half: the search on its right takes the chart's right half and the frame down to the caption)."""
    if box.bottom <= caption.top + 1:
        past = Box(beside.x0, beside.top, beside.x1, min(beside.bottom, caption.top))
    else:
        past = Box(beside.x0, max(beside.top, caption.bottom), beside.x1, beside.bottom)
    if past.height <= 0 or not box.contains(past, tolerance=reach):
        return False
    return box.x0 < beside.x0 - reach if side == "right" else box.x1 > beside.x1 + reach


def _span(search: _Search, caption: Caption) -> tuple[float, float]:
    """Horizontal extent to search: the caption's column; the whole text width for wide captions;
    for a caption outside every column (a margin column), the free space between its neighbours;
    in a row of captioned figures, only up to the neighbouring captions."""
    return _between_neighbours(search, caption, *_column_span(search, caption))


def _between_neighbours(search: _Search, caption: Caption, x0: float, x1: float) -> tuple[float, float]:
    """Narrow a span to this caption's share of a row of figures, each captioned under or over itself:
    it ends where a caption beside this one (`_captions_beside`) begins (pdffigures2 bounds regions by captions)."""
    cap = caption.box
    beside = _captions_beside(search, caption)
    x0, x1 = _on_captions_side(cap, x0, x1, beside)
    if not beside:
        return x0, x1
    return _pictures_of_the_row(cap, x0, x1, search.page.graphics, beside, _MAX_GAP_EM * search.body_size)


def _columns_of_captions_beside(search: _Search, caption: Caption) -> list[Box]:
    """The page's height over each caption in a row with this one (`_captions_beside`): the column of such a caption
    is its own figure's, which nothing this caption's figure grows by (a key, parts led in across its side) may
    enter."""
    crop = search.page.cropbox
    return [Box(other.x0, crop.top, other.x1, crop.bottom) for other in _captions_beside(search, caption)]


def _captions_beside(search: _Search, caption: Caption) -> list[Box]:
    """The captions in a row with this one: level with it over a line or more (captions of figures of unequal height
    in a row start at different lines), their first lines less than a line apart (two pie charts side by side, their
    keys one row apart: EssOilDB 191dcbc3e7 p. 4), or captioning a picture level with this caption's own."""
    first = caption.lines[0].box
    beside = [
        other.box
        for other in search.captions
        if other is not caption
        and (
            other.box.v_overlap(caption.box) >= 0.5 * min(other.lines[0].box.height, first.height)
            or abs(other.lines[0].box.top - first.top) < min(other.lines[0].box.height, first.height)
            and other.box.h_overlap(caption.box) <= 0
        )
    ]
    return beside + _captions_of_the_row(search, caption)


def _captions_of_the_row(search: _Search, caption: Caption) -> list[Box]:
    """Captions in a row with this one though not level with it: each wholly beside this caption and right
    over (or under) a picture of its own that is level with this caption's own picture. A grid of micrographs
    two to a row whose pictures differ in height puts the captions of one row at different heights (a LaTeX
    book: "Figure 9.3" two lines at y 347, "Figure 9.5" beside it at y 365); the row is still one row of
    figures, and this caption's search stops short of the neighbour's picture across the column gap."""
    images = [g.box for g in search.graphics if g.kind == "image"]
    reach = _MAX_GAP_EM * search.body_size

    def pictures(box: Box) -> list[Box | None]:  # over it, under it
        return [_picture_captioned(box, images, reach, above) for above in (True, False)]

    cap = caption.box
    own = pictures(cap)
    return [
        other.box
        for other in search.captions
        if other is not caption
        and other.box.h_overlap(cap) <= 0
        and any(
            mine is not None
            and theirs is not None
            and mine.h_overlap(other.box) <= 0
            and theirs.h_overlap(cap) <= 0
            and mine.is_level_with(theirs)
            for mine, theirs in zip(own, pictures(other.box), strict=True)
        )
    ]


def _picture_captioned(cap: Box, images: list[Box], reach: float, above: bool) -> Box | None:
    """The nearest picture right over (or under) a caption, within a figure's reach of it."""

    def gap(picture: Box) -> float:
        return cap.top - picture.bottom if above else picture.top - cap.bottom

    return min((b for b in images if b.h_overlap(cap) > 0 and -1 <= gap(b) <= reach), key=gap, default=None)


def _pictures_of_the_row(
    cap: Box, x0: float, x1: float, graphics: list[Graphic], beside: list[Box], reach: float
) -> tuple[float, float]:
    """A row's span bounded by its pictures, not its captions: narrowed to end before a picture that crosses a
    neighbouring caption's edge and lies wholly beyond this caption's text (the neighbour's picture, which starts
    left of its caption, or, where the row's captions stand at different heights, stands level with this one),
    and widened to take the picture under this caption where it reaches past the column into the margin. A
    handbook's row of photos, each captioned flush left over itself: "Figure 18. Rice field" and "Figure 19.
    Rain-filled rut" on one line. Only pictures within a figure's `reach` of the caption row count (a page
    header's logo is no picture of the row), and only those over or under it widen the span (a raster's bounds
    may reach into the row by a hair), standing on blank paper: over a band or panel drawn behind the row the
    edge is no gap between figures."""
    boxes = [g.box for g in graphics]
    pictures = [g.box for g in graphics if g.kind == "image" and g.box.v_gap(cap) <= reach]
    for box in pictures:
        if (
            box.v_overlap(cap) > 0.5 * cap.height
            or box.h_overlap(cap) <= 0
            or any(box.h_overlap(other) > 0 for other in beside)
            or x0 <= box.x0 < box.x1 <= x1
        ):
            continue
        if not _drawn_behind(box, box.x0 - 1, boxes) and not _drawn_behind(box, box.x1 + 1, boxes):
            x0, x1 = min(x0, box.x0 - 1), max(x1, box.x1 + 1)
    for box in pictures:
        if box.x0 < x1 < box.x1 and box.x0 >= cap.x1 and not _drawn_behind(box, box.x0 - 1, boxes):
            x1 = box.x0 - 1
        if box.x0 < x0 < box.x1 and box.x1 <= cap.x0 and not _drawn_behind(box, box.x1 + 1, boxes):
            x0 = box.x1 + 1
    return x0, x1


def _drawn_behind(picture: Box, x: float, boxes: list[Box]) -> bool:
    """Something drawn across the page column `x` level with `picture` (a band, a panel, a page background)."""
    return any(b.x0 < x < b.x1 and b.v_overlap(picture) > 0 for b in boxes)


def _on_captions_side(cap: Box, x0: float, x1: float, others: list[Box]) -> tuple[float, float]:
    """The span x0..x1 narrowed to the side of each of `others` (caption boxes) that `cap` is on."""
    for box in others:
        if box.x0 >= cap.x1:
            x1 = min(x1, box.x0 - 1)
        elif box.x1 <= cap.x0:
            x0 = max(x0, box.x1 + 1)
    return x0, x1


def _column_span(search: _Search, caption: Caption) -> tuple[float, float]:
    area = search.layout.text_area
    margin = 2 * search.body_size
    cap = caption.box
    columns = search.layout.columns
    # A caption beside every column of body text (a page whose only text is one column, the figures and their
    # captions in the other) is no wide caption however narrow that text is: its span is the free space between.
    beside = _beside_every_column(search, cap)
    if not beside and (cap.width > 0.55 * area.width or not columns):
        block = search.layout.text_block
        if not columns and block and abs(cap.cx - (block[0] + block[1]) / 2) <= search.body_size:
            # A caption centred in the document's text width, on a page whose body the layout found as a few lines
            # of one column (the rest references in a smaller type): the figure over it may span the whole width.
            area = area.union(Box(block[0], area.top, block[1], area.bottom))
        return min(area.x0, cap.x0) - margin, max(area.x1, cap.x1) + margin
    for x0, x1 in columns:
        if cap.x0 >= x0 - margin and cap.x1 <= x1 + margin:
            return x0 - margin, x1 + margin
    if not beside:
        return min(area.x0, cap.x0) - margin, max(area.x1, cap.x1) + margin  # straddles columns: full width
    left = max((x1 for x0, x1 in _text_columns(search) if x1 <= cap.x0 + 1), default=search.page.cropbox.x0)
    right = min((x0 for x0, x1 in _text_columns(search) if x0 >= cap.x1 - 1), default=search.page.cropbox.x1)
    return left, right


def _beside_every_column(search: _Search, cap: Box) -> bool:
    """The caption stands clear of every column of the page's body text (in a margin or a column of figures). A page
    without body text (figures, a framed note) has the document's text width for its column: a caption in the wide
    margin of a page of figures is still in the margin (held-out 41's margin design, Microbiology 7.22 and 7.23: each
    margin caption's search over and under it took the other's figure in the text column)."""
    columns = _text_columns(search)
    return bool(columns) and not any(cap.h_overlap(Box(x0, cap.top, x1, cap.bottom)) > 0 for x0, x1 in columns)


def _text_columns(search: _Search) -> list[tuple[float, float]]:
    """The page's columns of body text, or, on a page without body text whose graphics lie in the document's text
    width, that width. A page of another size (a paper's figure pages set wider than its text, the caption at their
    foot left of the text's edge: norma ba86c29adb) has its own layout, which the text width does not tell."""
    block = search.layout.text_block
    if search.layout.columns or block is None:
        return search.layout.columns
    slack = search.body_size
    inside = all(block[0] - slack <= g.box.x0 and g.box.x1 <= block[1] + slack for g in search.graphics)
    return [block] if inside else []


def _blockers(search: _Search, caption: Caption) -> list[Box]:
    layout = search.layout
    texts = layout.body + layout.margin + layout.headings + layout.flush + layout.boxed + layout.equations
    boxes = [line.box for line in texts]
    boxes += [c.box for c in search.captions if c is not caption]
    boxes += [region.box for region in search.placed]
    return boxes


def _search_direction(search: _Search, caption: Caption, direction: Direction) -> FigureRegion | None:
    card = _card(search, caption)
    crop = card or search.page.cropbox
    cap = caption.box
    blockers = _blockers(search, caption)
    if direction in ("above", "below"):
        x0, x1 = (card.x0, card.x1) if card else _span(search, caption)
        region = _under_the_table_over_it(
            search, caption, direction, _vertical_region(blockers, cap, x0, x1, direction, crop)
        )
        found = _build_if_room(search, caption, direction, region)
        if found is not None:
            return found if card else _across_the_gutter(search, caption, direction, found, (x0, x1)) or found
        if not card and (whole := _across_the_gutter(search, caption, direction, None, (x0, x1), region)):
            return whole  # the column's search cut through a picture that runs on across the gutter
        if not card and (whole := _over_the_text_width(search, caption, direction, (x0, x1))):
            return whole
        near_x0, near_x1 = _beside_wrapped_text(search, caption, blockers, x0, x1, direction)
        if (near_x0, near_x1) == (x0, x1):
            # A figure floated beside the text (an e-book printed by a browser): the lines wrapped beside its
            # picture stop a search over the text width, not one over the caption's own width.
            near_x0, near_x1 = max(x0, cap.x0 - search.body_size), min(x1, cap.x1 + search.body_size)
            if (near_x0, near_x1) == (x0, x1):
                return None
        region = _vertical_region(blockers, cap, near_x0, near_x1, direction, crop)
    else:
        area = card or search.layout.text_area.union(crop)
        if cap.width > 0.5 * _text_width(search) and not _figure_column(search, cap, direction, area):
            return None  # a wide caption has no room beside it
        # Like a row's search span, a side region ends at the next caption level with this one (a row of
        # pictures each captioned beside itself).
        level = [o.box for o in search.captions if o is not caption and o.box.v_overlap(cap) > 0]
        x0, x1 = _on_captions_side(cap, area.x0, area.x1, level)
        side = Box(x0, crop.top, cap.x0, crop.bottom) if direction == "left" else Box(cap.x1, crop.top, x1, crop.bottom)
        if side.width < _MIN_FIGURE_PT:
            return None
        above = [b.bottom for b in blockers if b.bottom <= cap.top + 1 and _h_hits(b, side)]
        below = [b.top for b in blockers if b.top >= cap.bottom - 1 and _h_hits(b, side)]
        region = Box(side.x0, max(above, default=crop.top), side.x1, min(below, default=crop.bottom))
        region = _short_of_captions_beside(search, caption, region)
    return _build_if_room(search, caption, direction, region)


def _under_the_table_over_it(search: _Search, caption: Caption, direction: Direction, region: Box) -> Box:
    """A figure captioned under itself, printed under a ruled table captioned over itself (a paper's "Table 5" over
    its rows, an example figure under them, "Figure 5" under that): the search from the figure's caption up stops at
    the table's caption, and the table's rows, tied to the picture by a note line under the table, would join the
    figure. The table ends at its last rule across the region; the figure's region starts in the widest blank band
    between that rule and the pictures under it."""
    if direction != "above" or caption.type != "Figure" or not _table_caption_over(search, region):
        return region
    # A table's rules are page rules, or drawn graphics where they are a little narrower than the text: across most
    # of the document's text width (a page of tables and charts has no body text to measure).
    block = search.layout.text_block
    width = min(region.width, block[1] - block[0] if block else _text_width(search))
    rules = [
        g.box
        for g in search.rules + search.graphics
        if region.contains(g.box, tolerance=_EDGE_PT) and _column_rule(g.box, width)
    ]
    if not rules:
        return region
    last = max(box.bottom for box in rules)
    under = [g.box.top for g in search.graphics if g.box.top > last and g.box.overlaps(region)]
    band = search.ink.widest_blank_band(Box(region.x0, last, region.x1, min(under))) if under else None
    return region if band is None else Box(region.x0, (band[0] + band[1]) / 2, region.x1, region.bottom)


def _table_caption_over(search: _Search, region: Box) -> bool:
    """A Table caption ends the region at its top: it stands right over it, across most of its width."""
    return any(
        other.type == "Table"
        and abs(other.box.bottom - region.top) <= _EDGE_PT
        and other.box.h_overlap(region) >= 0.5 * other.box.width
        for other in search.captions
    )


def _text_width(search: _Search) -> float:
    """The width a caption is wide against: the page's body text, or the document's text width where that is wider
    (a page holding a picture, its side caption and a running head has no body to show it)."""
    block = search.layout.text_block
    return max(search.layout.text_area.width, block[1] - block[0] if block else 0.0)


def _figure_column(search: _Search, cap: Box, direction: Direction, area: Box) -> bool:
    """The page beside a wide caption is a column of its own with no body text in it, at least as wide as the
    caption (a two-column paper's page whose left column is all figure, its caption at the top of the right one):
    the text area is then the caption's column alone, and the caption is no wider than a column."""
    side = (
        Box(area.x0, area.top, cap.x0, area.bottom)
        if direction == "left"
        else Box(cap.x1, area.top, area.x1, area.bottom)
    )
    return side.width >= cap.width and not any(
        line.box.h_overlap(side) > search.body_size for line in search.layout.body
    )


def _card(search: _Search, caption: Caption) -> Box | None:
    """The card the caption's label is printed on (a white "Figure 3" on the black card a photo is mounted on): the
    smallest backdrop holding the label and no other caption's. The caption's figure lies on that card: a search
    past its edge finds the neighbouring cards' pictures, which touch it."""
    label = caption.lines[0].box
    others = [other.lines[0].box for other in search.captions if other is not caption]
    cards = [
        backdrop.box
        for backdrop in search.backdrops
        if backdrop.box.contains(label, tolerance=_EDGE_PT) and not any(backdrop.box.contains(box) for box in others)
    ]
    return min(cards, key=lambda box: box.area, default=None)


def _short_of_captions_beside(search: _Search, caption: Caption, region: Box) -> Box:
    """A side region ending at the white space between this caption's figure and the next one beside the same
    caption column (an atlas' margin captions, each level with its own picture): pictures stacked a few points
    apart would otherwise be one group of ink. From another caption below, the region ends at the first blank
    row above that caption's top; from one above, it starts at the first blank row below that caption's
    bottom (the white space under a figure top-aligned with it, or under the caption of one bottom-aligned)."""
    cap = caption.box
    top, bottom = region.top, region.bottom
    for other in search.captions:
        box = other.box
        if other is caption or box.h_overlap(cap) <= 0 or not region.top < box.cy < region.bottom:
            continue
        if box.top >= cap.bottom:
            row = search.ink.blank_row(region, box.top, upward=True)
            if row is not None and row > cap.top:
                bottom = min(bottom, row)
        elif box.bottom <= cap.top:
            row = search.ink.blank_row(region, box.bottom, upward=False)
            if row is not None and row < cap.bottom:
                top = max(top, row)
    return Box(region.x0, top, region.x1, bottom)


def _across_the_gutter(
    search: _Search,
    caption: Caption,
    direction: Direction,
    found: FigureRegion | None,
    span: tuple[float, float],
    searched: Box | None = None,
) -> FigureRegion | None:
    """The whole figure when the one found in the caption's column reaches into a column gutter and its drawing
    runs on across it (a flow chart spanning both columns over a one-column caption: its boxes and lines cross
    the gutter): the search over the text width, when that finds a figure holding this one. Body text level with
    the figure in the other column bounds the wider search short of it, and the figure there is then not this
    one; a figure that merely ends near the gutter, with a table or another figure across it, has blank paper
    in the gutter. With nothing `found`, because the column's region cut through a picture drawn across the
    gutter (a raster inside a flow chart), the region `searched` stands for it and the whole figure must cross."""
    box, reach = found.box if found else searched, _LINK_EM * search.body_size
    gutters = [
        Box(a1, box.top, b0, box.bottom)
        for (_, a1), (b0, _) in zip(search.layout.columns, search.layout.columns[1:], strict=False)
    ]
    if not any(box.h_overlap(gutter) > 0 and _drawn_across(search.ink, gutter) for gutter in gutters):
        return None
    area, margin = search.layout.text_area, 2 * search.body_size
    wide = _between_neighbours(
        search, caption, min(area.x0, caption.box.x0) - margin, max(area.x1, caption.box.x1) + margin
    )
    if wide == span:
        return None
    region = _vertical_region(_blockers(search, caption), caption.box, *wide, direction, search.page.cropbox)
    whole = _build_if_room(search, caption, direction, region)
    if whole is None:
        return None
    if found is None:
        return whole if any(whole.box.h_overlap(gutter) >= gutter.width for gutter in gutters) else None
    if not whole.box.contains(box, tolerance=reach) or whole.box.width < box.width + reach:
        return None
    return whole


def _over_the_text_width(
    search: _Search, caption: Caption, direction: Direction, span: tuple[float, float]
) -> FigureRegion | None:
    """The figure found over the document's text width where the caption's span, the page's one column of text, is
    narrower and its search found none: that column was measured on a few lines set in from the text's edges (a
    framed list under the caption, calibre's A5 e-book of OpenStax Microbiology 26.28: a table printed as a picture
    over the whole text width cut by the list's column). Kept only when the figure is the pictures that the span's
    sides cut: a wider search may take in text and drawings no narrower one would (a table under a chart's caption).
    """
    block = search.layout.text_block
    if block is None or len(search.layout.columns) > 1 or (block[0] >= span[0] and block[1] <= span[1]):
        return None
    cap = caption.box
    cut = [
        g.box
        for g in search.graphics
        if g.kind == "image"
        and (g.box.bottom <= cap.top + 1 if direction == "above" else g.box.top >= cap.bottom - 1)
        and any(g.box.x0 < x < g.box.x1 for x in span)
    ]
    if not cut:
        return None
    margin = 2 * search.body_size
    wide = _between_neighbours(search, caption, min(block[0] - margin, span[0]), max(block[1] + margin, span[1]))
    region = _vertical_region(_blockers(search, caption), cap, *wide, direction, search.page.cropbox)
    whole = _build_if_room(search, caption, direction, region)
    if whole is None or not union_all(cut).contains(whole.box, tolerance=_LINK_EM * search.body_size):
        return None
    return whole


def _drawn_across(ink: InkMask, gutter: Box) -> bool:
    """A stroke of ink runs across the whole gutter, from one column to the other."""
    return any(c.x0 <= gutter.x0 + 1 and c.x1 >= gutter.x1 - 1 for c in ink.clusters(gutter, 1.0))


def _beside_wrapped_text(
    search: _Search, caption: Caption, blockers: list[Box], x0: float, x1: float, direction: Direction
) -> tuple[float, float]:
    """The caption's side of text wrapped beside its figure, which may have stopped the search at once: the
    span up to the lines next to the caption (within the figure's reach of it) that start right of the
    caption's first word or end left of its last (a caption may run on over the wrapped text's start)."""
    cap, margin = caption.box, search.body_size
    reach = _MAX_GAP_EM * search.body_size
    probe = Box(x0, search.page.cropbox.top, x1, search.page.cropbox.bottom)
    near = [
        b
        for b in blockers
        if _h_hits(b, probe) and -1 <= (b.top - cap.bottom if direction == "below" else cap.top - b.bottom) <= reach
    ]
    near_x0 = max([b.x1 for b in near if b.x1 <= cap.x1 - margin and b.x0 < cap.x0], default=x0)
    near_x1 = min([b.x0 for b in near if b.x0 >= cap.x0 + margin and b.x1 > cap.x1], default=x1)
    return near_x0, near_x1


def _build_if_room(search: _Search, caption: Caption, direction: Direction, region: Box) -> FigureRegion | None:
    if region.width < _MIN_FIGURE_PT or region.height < _MIN_FIGURE_PT:
        return None
    return _build_region(search, caption, direction, region)


def _vertical_region(blockers: list[Box], cap: Box, x0: float, x1: float, direction: Direction, crop: Box) -> Box:
    """The free space from the caption up (or down) to the first blocker across the span x0..x1."""
    probe = Box(x0, crop.top, x1, crop.bottom)
    if direction == "above":
        edges = [b.bottom for b in blockers if b.bottom <= cap.top + 1 and _h_hits(b, probe)]
        return Box(x0, max(edges, default=crop.top), x1, cap.top)
    edges = [b.top for b in blockers if b.top >= cap.bottom - 1 and _h_hits(b, probe)]
    return Box(x0, cap.bottom, x1, min(edges, default=crop.bottom))


def _h_hits(blocker: Box, probe: Box) -> bool:
    return blocker.h_overlap(probe) > 0.25 * min(blocker.width, probe.width)


def _build_region(search: _Search, caption: Caption, direction: Direction, region: Box) -> FigureRegion | None:
    """The ink next to the caption inside `region`: the nearest group holding graphics, plus groups
    in line with it (panels side by side), widened to whole images."""
    claimed = search.claimed()
    nearby = [g for g in search.graphics if g.box.overlaps(region)]
    graphics = [g for g in nearby if id(g) not in claimed]
    if not graphics:
        return None
    vertical = direction in ("above", "below")  # a side search's region starts at the caption's own edge
    across = _lines_across_its_sides(region, search.layout.other, search.layout.columns) if vertical else []
    # A sliver of a picture that the side of a region over or under the caption cuts off near its edge (the next
    # column's, past a gutter narrower than the search's margin) is no part here: taken, the region would cut through
    # its picture and the search fail. Its ink in the gutter is left out of the groups too, placed in a figure already
    # or not: linked across a gutter narrower than `_LINK_EM` (two framed charts side by side, one per column), it
    # would widen this figure to the region's side.
    slivers = [g for g in nearby if _cut_off_at_a_side(g.box, region, search.layout.columns)] if vertical else []
    unseen = across + [box for g in slivers if (box := _in_the_gutter(g.box, region, search.layout.columns))]
    groups = search.ink.clusters(region, _LINK_EM * search.body_size, unseen)
    seeding = [g for g in graphics if g not in slivers] if slivers else graphics
    seeds = [c for c in groups if _holds_graphic(c, seeding)]
    groups = [c for c in groups if not slivers or c in seeds or not _holds_graphic(c, slivers)]
    if not seeds:
        return None
    # Beside the caption, a group level with it comes first: a framed note just under a margin caption's foot may
    # stand nearer than the picture beside its rows.
    nearest = box = min(seeds, key=lambda c: (not vertical and c.v_overlap(caption.box) <= 0, caption.box.gap(c)))
    if vertical:
        seeds = [seed for seed in seeds if seed is nearest or not _anothers_part(seed, caption, search)]
    # A group is a panel beside the nearest for a graphic of its own: not for the ends of one that lies mostly
    # outside the region (a table's rules beside the picture, in the other column, poking into the search).
    own = [g for g in graphics if g.box.overlap_area(region) >= 0.5 * g.box.area]
    # Level over half the shorter one's height: ink linked across narrow gutters makes the neighbours' groups
    # taller than one row (a grid's outer columns), while the nearest may be one picture, or a part of one (a
    # PET scan on a white ground), and is then level with no group over half that group's height.
    for group in groups:
        if (
            group is not nearest
            and nearest.v_overlap(group) >= 0.5 * min(group.height, nearest.height)
            and _in_row(group, nearest)
            and not _text_of_another_column(group, nearest, graphics, search.layout.columns)
            and not _in_legend_of_another(group, nearest, search)
            and (_holds_graphic(group, own) or group.h_overlap(caption.box) > 0)
        ):
            box = box.union(group)  # a panel or a legend in the same row as the nearest group
    if direction in ("above", "below"):
        box = _stacked_parts(box, seeds, caption.box, search.body_size)
        box = _alike_parts(box, seeds, caption.box, search)
        box = _lettered_parts(box, seeds, caption.box, search)
        box = _scanned_parts_beyond(box, seeds, caption.box, region, search)
        box = _parts_to_the_region_end(box, seeds, caption, direction, region, graphics, search)
        box = _pictures_in_line(box, seeds, [g.box for g in graphics if g.kind == "image"], caption.box, search)
        box = _labels_toward_caption(box, groups, caption.box, search.body_size)
        box = _text_panel_beyond(box, [g for g in groups if not _holds_graphic(g, graphics)], caption.box, search)
        box = _rest_of_its_card(box, nearest, groups, graphics, caption, search)
        box = _rest_of_its_frame(box, groups, caption, search)
        box = _rest_of_a_continued_figure(box, seeds, caption)
        wider = _parts_led_in(_into_the_margins(box, region, caption, search), region, caption, search)
        if wider != box:
            box, region = wider, Box(min(region.x0, wider.x0), region.top, max(region.x1, wider.x1), region.bottom)
            graphics = [g for g in search.graphics if id(g) not in claimed and g.box.overlaps(region)]
    else:
        box = _parts_under_beside(box, seeds, caption.box, search)
        box = _scanned_parts_beyond(box, seeds, caption.box, region, search)
    box = _parts_tied_by_rules(box, seeds, search.rules, search.body_size)
    for image in graphics:
        if image.kind == "image" and image.box.overlap_area(box) > 0:
            if image.box.overlap_area(region) < 0.8 * image.box.area:
                shown = search.ink.ink_box(image.box)
                if _cut_through(shown, region):
                    return None  # the region cuts through a picture: not this caption's side of it
                box = box.union(shown) if shown else box
                continue
            box = box.union(image.box)
    if direction in ("above", "below"):
        inside = [g.box for g in graphics if g.kind == "image" and g.box.overlap_area(region) >= 0.8 * g.box.area]
        box = _rasters_beyond(box, inside, caption, search)
    box = whole = _with_legends(_without_legends_of_others(box, search), search, caption)
    box = search.ink.ink_box(box) or box  # the visible extent: an image's white padding is not the figure
    box = _without_source_note(box, search, caption)
    box = _with_rules_across(box, search.rules, search.body_size)
    box = _its_frame(box, caption, graphics, search) or _framed_text(box, caption, direction, graphics, search) or box
    if box.width < _MIN_FIGURE_PT or box.height < _MIN_FIGURE_PT:
        return None
    # Above or below, the region lies in the caption's column already: the distance is the white space between them,
    # not how far a short caption (the label alone, flush left) stands to the side of a centred picture.
    # An image's white padding is no distance: set right under its caption, a raster is that caption's however much
    # blank paper it has at its edge.
    gap = min(caption.box.v_gap(b) if direction in ("above", "below") else caption.box.gap(b) for b in (box, whole))
    # A side caption lined up with its figure's top or bottom is tied to it by that line, however far apart: a
    # Springer side caption is set in a narrow column at the left of the text width, its figure flush right; a
    # caption in the margin beside every text column (tufte-book's) may also start level with its figure's foot.
    # The image's white padding counts here too: a browser lines a margin caption up with the picture's edge, blank
    # rows and all (Chromium's Anatomy and Physiology 9.17: its ink 12 pt under the caption's top, the image level).
    lines_up = [abs(caption.box.top - b.top) for b in (box, whole)]
    lines_up += [abs(caption.box.bottom - b.bottom) for b in (box, whole)]
    if _beside_every_column(search, caption.box):
        lines_up += [abs(caption.box.top - b.bottom) for b in (box, whole)]
    aligned = direction in ("left", "right") and min(lines_up) <= search.body_size
    if gap > _MAX_GAP_EM * search.body_size and not aligned:
        return None
    inside, texts = _contents(search, box, graphics)
    if inside and all(_of_keys(g.box, search.legends) for g in inside):
        return None  # a key alone (its swatches all the graphics), its map placed or out of reach: not a figure
    score = _prior(search.layout, caption, direction) - gap / (3 * search.body_size)
    if aligned:
        score += _ALIGNED_BONUS
    return FigureRegion(caption, box, inside, texts, score)


def _lines_across_its_sides(region: Box, lines: list[TextLine], columns: list[tuple[float, float]]) -> list[Box]:
    """Lines of text that run out of the region over or under a caption across its side into another column of the
    page's text: text set across the columns (a first page's title block over a figure in one), not the figure's
    labels, which run out of it only into the margin (a flow chart wider than the text)."""
    others = [
        Box(x0, region.top, x1, region.bottom) for x0, x1 in columns if not region.x0 <= (x0 + x1) / 2 <= region.x1
    ]
    return [
        line.box.expand(1.5)
        for line in lines
        if line.box.v_overlap(region) > 0
        and any(line.box.x0 < side - 1 < side + 1 < line.box.x1 for side in (region.x0, region.x1))
        and any(line.box.h_overlap(column) > 0 for column in others)
    ]


def _cut_off_at_a_side(graphic: Box, region: Box, columns: list[tuple[float, float]]) -> bool:
    """The region's left or right side (one of them) cuts the graphic, leaving less than `_SEEDING_SHARE` of it
    inside, and the graphic stands in another text column than the region's: the edge of the next column's picture.
    Not a picture the region holds or one drawn behind it all, nor one of this caption's running on past its column
    (a plate wider than its caption's column of text: its search fails there, and a wider one takes it whole)."""
    left = graphic.x0 < region.x0 < graphic.x1
    right = graphic.x0 < region.x1 < graphic.x1
    return (
        left != right
        and graphic.overlap_area(region) < _SEEDING_SHARE * graphic.area
        and any(x0 <= graphic.cx <= x1 and not x0 <= region.cx <= x1 for x0, x1 in columns)
    )


def _in_the_gutter(sliver: Box, region: Box, columns: list[tuple[float, float]]) -> Box | None:
    """The part of a sliver cut off at the region's side (`_cut_off_at_a_side`) that lies between that side and the
    region's own text column: the neighbouring picture's edge. A graphic's box may be far looser than its ink (a
    clipping path's canvas reaching over both columns), so what lies over the column itself stays seen."""
    own = next(((x0, x1) for x0, x1 in columns if x0 <= region.cx <= x1), None)
    inside = sliver.intersection(region)
    if own is None or inside is None:
        return None
    if sliver.x0 < region.x0:
        x0, x1 = inside.x0, min(inside.x1, own[0])
    else:
        x0, x1 = max(inside.x0, own[1]), inside.x1
    return Box(x0, inside.top, x1, inside.bottom) if x1 > x0 else None


def _cut_through(shown: Box | None, region: Box) -> bool:
    """A raster that reaches out of `region` is cut by it only where its ink does (`shown`, its visible part): a
    chart's tick labels set as small rasters on a transparent ground (a chart's rotated group names) run on under
    the caption on blank paper, and some show no ink at all."""
    return shown is not None and shown.overlap_area(region) < 0.8 * shown.area


def _with_legends(box: Box, search: _Search, caption: Caption, under: Box | None = None) -> Box:
    """The figure with the legend set apart beside it or beyond it from the caption (a raster map's vector key,
    across white space wider than ink is linked over), or set over its edge and running out of it, where taking it
    covers no body text, caption or placed figure (but what the picture `under` already lies under: body lines set
    over a map's white corner)."""
    reach = _STACK_EM * search.body_size
    others = [line.box for line in search.layout.body] + [c.box for c in search.captions if c is not caption]
    others += [region.box for region in search.placed]
    # Of two charts side by side, each over its caption, the left one's key of fitted lines lay 26 pt from the right
    # one (EssOilDB 2df05923a9, Figures 1, 2).
    others += _columns_of_captions_beside(search, caption)
    if under is not None:
        others = [other for other in others if other.overlap_area(under) <= 0]

    def joins(box: Box, legend: Box) -> bool:
        beside = legend.v_overlap(box) >= 0.5 * legend.height
        beyond = _beyond(box, legend, caption.box) and legend.h_overlap(box) >= 0.5 * legend.width
        return (
            (beside or beyond or _over_the_edge(legend, box))
            and box.gap(legend) <= reach
            and not any(box.union(legend).overlap_area(other) > 0 for other in others)
            and not _legend_of_another(legend, box, search)
        )

    return _grow(box, search.legends, joins)


def _over_the_edge(legend: Box, box: Box) -> bool:
    """A key set over the figure's edge and running out of it: overlapping the figure, which is the bigger (a speck
    of ink found past a caption's end, inside a key, does not grow into the key)."""
    return legend.overlap_area(box) > 0 and not box.contains(legend) and box.area > legend.area


def _of_keys(graphic: Box, legends: list[Box]) -> bool:
    """The graphic lies mostly in the keys it touches: a swatch, or a path drawn around a key's text (one clip may
    span a key's two blocks)."""
    keys = union_all(legend for legend in legends if legend.overlap_area(graphic) > 0)
    return keys is not None and _mostly_inside(graphic, keys)


def _in_legend_of_another(group: Box, figure: Box, search: _Search) -> bool:
    """`group` is part of a legend that belongs to a picture outside `figure`."""
    return any(
        legend.contains(group, tolerance=1.0) and _legend_of_another(legend, figure, search)
        for legend in search.legends
    )


def _legend_of_another(legend: Box, figure: Box, search: _Search) -> bool:
    """A key set between two pictures is the nearer one's (two maps side by side, each with its key at its right,
    the key between them): a picture outside `figure` lies nearer to it than the pictures in `figure` (or, with
    none, `figure`) do. Pictures narrower than a few lines are the key's own swatches."""
    reach = _STACK_EM * search.body_size
    pictures = [g.box for g in search.graphics if g.kind == "image" and g.box.width > reach]
    own = [p for p in pictures if figure.contains(p, tolerance=1.0)]
    gap = min((legend.gap(p) for p in own), default=figure.gap(legend))
    return any(legend.gap(p) < gap for p in pictures if p not in own)


def _without_legends_of_others(box: Box, search: _Search) -> Box:
    """`box` cut short of a key that another picture owns, which the ink it was grown from reached into (with the
    glyphs' anti-aliased edges)."""
    for legend in search.legends:
        legend = legend.expand(1.5)
        if legend.overlap_area(box) <= 0 or not _legend_of_another(legend, box, search):
            continue
        if legend.x1 < box.cx:
            box = Box(max(box.x0, legend.x1), box.top, box.x1, box.bottom)
        elif legend.x0 > box.cx:
            box = Box(box.x0, box.top, min(box.x1, legend.x0), box.bottom)
    return box


def _into_the_margins(box: Box, region: Box, caption: Caption, search: _Search) -> Box:
    """The figure grown by its ink that runs on past a side of the search region into the page margin (a diagram
    or a pair of charts set wider than the text column, a picture of it reaching out): groups of ink level with
    the figure that cross the region's side edge where the figure reaches it. Only past a side in the margin
    (outside every text column), not over a backdrop (a band or panel drawn behind the figure's whole height
    there: its ink runs on under anything set on it), not into ink running off the page (a thumb tab, a bleed;
    a cluster at the edge of the page comes out up to half a link short of it), and clear of body text, other captions and figures."""
    columns = search.layout.columns
    if not columns:
        return box  # no text column: the search spans the page
    if _a_scanned_photograph(box, search):
        return box  # its edge is the figure's: a scan's margin beside it holds logos and specks, no part of it
    reach = _LINK_EM * search.body_size
    crop, grown = search.page.cropbox, box
    near = box.expand(1.0)
    drawn = search.graphics + search.rules  # not a page background: that is under every figure
    backdrops = [
        g.box
        for g in drawn
        if g.box.top <= box.top + 1 and g.box.bottom >= box.bottom - 1 and not _picture_of(box, g, search, reach)
    ]
    if (
        box.x0 <= region.x0 + reach
        and crop.x0 + 1 < region.x0 <= min(x0 for x0, _ in columns)
        and not any(b.x0 < region.x0 < b.x1 for b in backdrops)
    ):
        for group in search.ink.clusters(Box(crop.x0, box.top, region.x0 + reach, box.bottom), reach):
            if crop.x0 + reach < group.x0 < region.x0 - 1 and group.x1 > region.x0 and group.overlaps(near):
                grown = grown.union(Box(group.x0, group.top, box.x0, group.bottom))
    if (
        box.x1 >= region.x1 - reach
        and max(x1 for _, x1 in columns) <= region.x1 < crop.x1 - 1
        and not any(b.x0 < region.x1 < b.x1 for b in backdrops)
    ):
        for group in search.ink.clusters(Box(region.x1 - reach, box.top, crop.x1, box.bottom), reach):
            if region.x1 + 1 < group.x1 < crop.x1 - reach and group.x0 < region.x1 and group.overlaps(near):
                grown = grown.union(Box(box.x1, group.top, group.x1, group.bottom))
    added = [Box(grown.x0, grown.top, box.x0, grown.bottom), Box(box.x1, grown.top, grown.x1, grown.bottom)]
    if any(part.width > 0 and part.overlap_area(b) > 0 for part in added for b in _blockers(search, caption)):
        return box
    return grown


def _picture_of(box: Box, graphic: Graphic, search: _Search, reach: float) -> bool:
    """Whether the graphic is the figure's own picture, not a backdrop behind it: a raster whose ink starts and ends
    level with the figure (a micrograph set wider than the text column, into the margin where its caption's column
    has none: OpenStax A&P 17.17 in the margin design). A band behind a figure runs on over and under it."""
    shown = search.ink.ink_box(graphic.box) if graphic.kind == "image" else None
    return shown is not None and abs(shown.top - box.top) <= reach and abs(shown.bottom - box.bottom) <= reach


def _a_scanned_photograph(box: Box, search: _Search) -> bool:
    """Whether the figure is mostly one of the photographs found on the page's scan (`PageScan.photos`): a BMJ case
    report scanned with its text layer, the CrossMark logo in the margin a link from the photograph's edge."""
    scan = search.page.scan
    return scan is not None and any(box.overlap_area(photo) >= _SCANNED_PHOTO_SHARE * box.area for photo in scan.photos)


def _parts_led_in(box: Box, region: Box, caption: Caption, search: _Search) -> Box:
    """The figure grown by its labels past a side of the search region, joined to it by a stroke across that side:
    labels whose leader lines point into a photo, set under the text wrapped beside it; an arrow key beside a
    diagram, under the other column's text. The text beside bounded the search; the ink past the side (not the
    strip up to it) is clear of it, of other captions and of placed figures, holds no picture, and its text is
    labels: smaller than the body's type. Never into the column of a caption beside this one.
    The figure's box may then take in a corner of that text, as its bounding box does on the page."""
    reach = _LINK_EM * search.body_size
    crop = search.page.cropbox
    # A leader line or an arrow, drawn across the side; not a rule as wide as a text column (a ruled table's in the
    # next column, its rows level with the figure).
    column = min((x1 - x0 for x0, x1 in search.layout.columns), default=crop.width)
    strokes = [g.box for g in search.graphics if g.kind == "path" and not _column_rule(g.box, column)]
    near = box.expand(reach)
    sides = []
    if box.x0 <= region.x0 + reach and region.x0 > crop.x0 + 1:
        sides.append(Box(crop.x0, region.top, region.x0, region.bottom))
    if box.x1 >= region.x1 - reach and region.x1 < crop.x1 - 1:
        sides.append(Box(region.x1, region.top, crop.x1, region.bottom))
    # Cheap first: most figures have no stroke across a side of their region, and clustering a margin costs.
    sides = [side for side in sides if _stroked_across(_edge(side, region), near, strokes, search.ink)]
    if not sides:
        return box
    blockers = _blockers(search, caption) + [g.box for g in search.graphics if g.kind == "image"]
    # A row of charts, each over its caption (NAACL 2024 68052ec025 p. 18): the right one's frame, drawn past its
    # ink, crosses the middle one's side, and its tick labels are labels too.
    blockers += _columns_of_captions_beside(search, caption)
    size = search.body_size
    lines = search.layout.body + search.layout.other
    labels = [line.box for line in lines if line.font_size < size and not same_size(line.font_size, size)]
    text = [line.box for line in lines if line.box not in labels]
    shrink = reach / 2 + _EDGE_PT  # a cluster at the side's edge comes out up to half a link short of it
    grown = box
    for side in sides:
        edge = _edge(side, region)
        for group in search.ink.clusters(side, reach):
            if (
                group.x0 - shrink <= edge <= group.x1 + shrink
                and group.gap(box) <= reach
                and _stroked_across(edge, group.expand(shrink), strokes, search.ink)
                and _labels_and_strokes(group, edge, search)
                and any(group.overlap_area(label) > 0 for label in labels)
                and not any(group.overlap_area(other) > 0 for other in blockers + text)
            ):
                grown = grown.union(group)
    return grown


def _column_rule(stroke: Box, column: float) -> bool:
    """A horizontal line drawn across most of a text column's width: a table's or a heading's rule."""
    return stroke.height < _RULE_PT and stroke.width >= _COLUMN_RULE_SHARE * column


def _edge(side: Box, region: Box) -> float:
    """The x of the region's side that the strip `side` lies past."""
    return region.x0 if side.x1 == region.x0 else region.x1


def _labels_and_strokes(group: Box, edge: float, search: _Search) -> bool:
    """What is drawn in `group` is strokes across `edge` and marks no bigger than a line of body type (an arrow's
    head, a key's swatch): labels led in, not a drawing of its own (a neighbouring figure beside the region)."""
    return all(
        g.kind == "path" and (g.box.x0 < edge < g.box.x1 or max(g.box.width, g.box.height) <= search.body_size)
        for g in search.graphics
        if _mostly_inside(g.box, group)
    )


def _stroked_across(edge: float, group: Box, strokes: list[Box], ink: InkMask) -> bool:
    """A path drawn across `edge` by `group`, its ink seen on the edge there: a leader line or an arrow crossing
    it (a path's box alone can span a gutter its clip hides, as hatching does; text cut by the edge has no path)."""
    band = Box(edge - 1, group.top, edge + 1, group.bottom)
    return ink.ink_box(band) is not None and any(line.x0 < edge < line.x1 and line.overlaps(group) for line in strokes)


def _with_rules_across(box: Box, rules: list[Graphic], body_size: float) -> Box:
    """The figure widened to the whole of a rule drawn across its inside (a life-cycle diagram's divider between
    "human body" and "mosquito body"): a line as long as a page rule, but with the figure's ink on both sides of
    it, at least a line's height away from the figure's edges, and over half of it inside the figure."""
    for rule in rules:
        if _across(rule.box, box, body_size):
            box = box.union(rule.box)
    return box


def _parts_tied_by_rules(box: Box, parts: list[Box], rules: list[Graphic], body_size: float) -> Box:
    """The figure grown by the `parts` (ink groups holding graphics) a rule drawn across it runs into: a flow
    chart's long connector, erased from the ink as a page rule, ties its last box across the white it leaves."""
    tied = [rule.box.expand(_EDGE_PT) for rule in rules if _across(rule.box, box, body_size)]
    for part in parts:
        if any(part.overlaps(rule) for rule in tied):
            box = box.union(part)
    return box


def _its_frame(box: Box, caption: Caption, graphics: list[Graphic], search: _Search) -> Box | None:
    """The frame drawn round the figure found, where graphics inside it lie apart from the figure: a diagram whose
    parts lie apart across its labels (a cycle of four arrows), in a box as wide as the text (a page rule to
    `_frames`) with the caption outside it. A frame that holds nothing but the drawing (no body text, no other caption
    or figure) bounds one figure, and it is the figure's border."""
    frames = [r.box for r in search.rules if min(r.box.width, r.box.height) >= _RULE_PT and r.box.contains(box)]
    for frame in frames:
        if frame.overlaps(caption.box) or any(frame.overlaps(b) for b in _blockers(search, caption)):
            continue
        if any(frame.contains(g.box) and not g.box.overlaps(box) for g in graphics):
            return frame
    return None


def _framed_text(
    box: Box, caption: Caption, direction: Direction, graphics: list[Graphic], search: _Search
) -> Box | None:
    """The frame drawn round lines of text that a figure caption captions (a paper's prompt or dialogue box: NAACL
    2024, mineru 015a9266d8 p. 16, "Figure 6: Prompt for GPT-3.5 for WTQ" under a rounded box of prompt text). Its
    lines read as paragraphs and stop the search from the caption, which finds only the strip of the frame past the
    last of them: the whole frame is the figure. Only a frame holding text and no other graphic (its own fill or
    outline drawn apart aside), no other caption and no placed figure, on the side where the document sets its
    figures: a page of such boxes, each captioned under itself, has the next box under each caption too."""
    if caption.type != "Figure" or direction != _usual_side(search.layout, caption):
        return None
    # A frame drawn as a fill and then its sides apart: the strip found may reach a stroke past the fill
    for frame in (g.box for g in graphics if g.kind == "path" and g.box.contains(box, tolerance=_STROKE_PT)):
        if frame.height < box.height + 2 * search.body_size:
            continue  # the box found is the frame already, or most of it
        ink = search.ink.ink_box(frame)
        if ink is None or not ink.edges_within(frame, _STROKE_PT):
            continue  # no frame that shows: a chart included as one graphic, its box its canvas's blank paper too
        inside = [g.box for g in search.graphics if frame.contains(g.box, tolerance=_STROKE_PT)]
        if not all(_its_outline(other, frame) for other in inside):
            continue
        if any(frame.overlaps(c.box) for c in search.captions if c is not caption) or any(
            frame.overlaps(region.box) for region in search.placed
        ):
            continue
        layout = search.layout
        if sum(frame.contains(line.box, tolerance=1.0) for line in layout.body + layout.other) >= _FRAMED_TEXT_LINES:
            return union_all(inside)
    return None


def _its_outline(part: Box, frame: Box) -> bool:
    """`part` is the frame's own fill or outline, drawn as one path; its ground, set in from the frame by a stroke
    on three sides and by a title band on the fourth (b838c9f1a5 p. 24, a box titled "Input Format for Evaluation"
    drawn as a dark box and the white ground over it); or one of its sides drawn as a path of its own (b084193eaf
    p. 6), which reaches no further into the frame than a stroke."""
    return part.edges_near(frame, _STROKE_PT) >= 3 or not frame.expand(-_STROKE_PT).overlaps(part)


def _across(line: Box, box: Box, body_size: float) -> bool:
    """A thin line drawn across `box`'s inside: at least a line's height away from its edges, over half inside."""
    if min(line.width, line.height) >= _RULE_PT:
        return False  # a frame drawn around the figure
    if line.width >= line.height:
        return box.top + body_size < line.cy < box.bottom - body_size and box.h_overlap(line) > 0.5 * line.width
    return box.x0 + body_size < line.cx < box.x1 - body_size and box.v_overlap(line) > 0.5 * line.height


def _anothers_part(part: Box, caption: Caption, search: _Search) -> bool:
    """`part` lies on the side where another caption, of the other kind, has its picture, nearer to that caption than
    to this one, and that caption has nothing as near on its other side: a table captioned over itself, stacked over a
    figure captioned under itself (IEEE 1997, science-parse a7b2d95c43 p. 3: "TABLE II" over its table, a raster, then
    the "Fig. 1" diagram and its caption). Each part is its own caption's, whichever caption is searched first. A
    caption set the other way (a table captioned under its rules) has its own there."""
    gap = part.gap(caption.box)
    for other in search.captions:
        near = part.gap(other.box)
        if other.type == caption.type or other.box.h_overlap(part) <= 0 or near >= gap:
            continue
        over = _usual_side(search.layout, other) == "above"
        if not (part.bottom <= other.box.top + 1 if over else part.top >= other.box.bottom - 1):
            continue
        cap = other.box
        if not any(
            (g.box.top >= cap.bottom - 1 if over else g.box.bottom <= cap.top + 1)
            and g.box.h_overlap(cap) > 0
            and g.box.gap(cap) <= near
            for g in search.graphics + search.rules
        ):
            return True
    return False


def _usual_side(layout: Layout, caption: Caption) -> Direction:
    """Where the caption's picture usually is, over or under it, by its type's preference (`_prior`)."""
    return "above" if _prior(layout, caption, "above") >= _prior(layout, caption, "below") else "below"


def _prior(layout: Layout, caption: Caption, direction: Direction) -> float:
    """The caption type's preference, with above and below swapped for a figure in a document that
    prints its figure captions above the figures."""
    if caption.type == "Figure" and layout.figures_below_captions and direction in ("above", "below"):
        direction = "below" if direction == "above" else "above"
    return _PRIOR[caption.type][direction]


def _without_source_note(box: Box, search: _Search, of: Caption) -> Box:
    """Cut off a note printed at the figure's far edge from its caption: a source note ("* Source: adapted from
    ..."), an abbreviation key ("GPELF, Global Programme ...; IVM, integrated vector management"), the footnote
    to a mark the caption ends a word with ("drug coverage*", then "* Drug coverage calculated as ..."), or a
    paragraph set wider than the drawing (`_note_paragraph`), and the lines that run on from it to that edge. A note
    under the figure, not part of it."""
    caption = of.box
    marks = tuple(mark for mark in _FOOTNOTE_MARKS if mark in of.text)
    above = caption.top >= box.bottom - 1  # the caption is under the figure: a note would be at its top
    if not above and caption.bottom > box.top + 1:
        return box  # a caption beside the figure: no far edge
    # A line cut by the box's edge counts: clusters of ink at a search region's edge come out short of it.
    lines = [line for line in search.layout.other if box.contains(line.box, tolerance=max(1.0, line.box.height))]
    note = _note_paragraph(lines, box, search.graphics, above)
    for line in lines:
        if line.box.height > line.box.width or not (
            _SOURCE_NOTE.match(line.text)
            or _ABBREVIATION_KEY.match(line.text)
            or (marks and line.text.startswith(marks))
            or _letter_note(line, of)
            or line is note
        ):
            continue  # a rotated line runs along the edge
        bottom = _block_bottom(line, lines)
        # Glyph boxes are tight: the note's anti-aliased edge lies just beyond them.
        if above and line.box.top <= box.top + line.box.height:
            return search.ink.ink_box(Box(box.x0, bottom + 1.5, box.x1, box.bottom)) or box
        if not above and bottom >= box.bottom - line.box.height:
            return search.ink.ink_box(Box(box.x0, box.top, box.x1, line.box.top - 1.5)) or box
    return box


def _letter_note(line: TextLine, caption: Caption) -> bool:
    """`line` opens with a superscript letter and a sentence ("a In the first round there were ...") and the caption
    ends with that letter, its mark ("... prevalence of microfilaraemia^a"): the caption's footnote."""
    match = _LETTER_NOTE.match(line.text)
    return bool(
        match
        and line.font_size <= _SUPERSCRIPT * caption.lines[0].font_size
        and caption.text.rstrip().endswith(match.group("mark"))
    )


def _note_paragraph(lines: list[TextLine], box: Box, graphics: list[Graphic], above: bool) -> TextLine | None:
    """The first row of the paragraph at the far edge of `box` from the caption (`above`: the caption is under the
    figure, the far edge its top), where that paragraph is set as a note to the drawing (a map's disclaimer, a chart's
    key of abbreviations, across its frame): two rows or more, no graphic among them, running past the drawing beyond
    them on both sides. A figure's labels lie within its drawing or beside it; an axis title is one row."""
    level = [line for line in lines if line.box.width > line.box.height]  # a rotated line runs along the edge
    if len(level) < 2:
        return None
    ordered = sorted(level, key=lambda line: line.box.top if above else -line.box.bottom)
    rows, block = [ordered[0]], ordered[0].box
    for line in ordered[1:]:  # on from the edge, each row less than a line's height from the block
        if (line.box.top - block.bottom if above else block.top - line.box.bottom) > rows[0].box.height:
            break
        rows.append(line)
        block = block.union(line.box)
    if len(rows) < 2 or any(g.box.overlaps(block) for g in graphics):
        return None
    beyond = [g.box for g in graphics if g.box.overlaps(box)]
    drawing = union_all(g for g in beyond if (g.top >= block.bottom if above else g.bottom <= block.top))
    if drawing is None or not (block.x0 < drawing.x0 and drawing.x1 < block.x1):
        return None
    return min(rows, key=lambda line: line.box.top)


def _block_bottom(first: TextLine, lines: list[TextLine]) -> float:
    """The bottom of the block of `lines` that runs on down from `first`, each line less than a line's height
    under the one before."""
    bottom = first.box.bottom
    for line in sorted(lines, key=lambda line: line.box.top):
        if line.box.top <= first.box.top:
            continue
        if line.box.top - bottom > first.box.height:
            break
        bottom = max(bottom, line.box.bottom)
    return bottom


def _text_of_another_column(
    group: Box, nearest: Box, graphics: list[Graphic], columns: list[tuple[float, float]]
) -> bool:
    """Text alone in a page column that the figure does not reach (the authors' notes beside a chart spanning the
    other two of three columns): the page's text, not a legend."""
    return not _holds_graphic(group, graphics) and any(
        group.h_overlap(Box(x0, group.top, x1, group.bottom)) >= 0.8 * group.width
        and (nearest.x1 < x0 or nearest.x0 > x1)
        for x0, x1 in columns
    )


def _in_row(group: Box, nearest: Box) -> bool:
    """A group beside the nearest one, not a speck of ink (a tiny group's box can come out of the
    clustering with no height, and would then count as in line with anything)."""
    return group.height > 0 or nearest.v_overlap(group.expand(1.0)) > 0


def _grow(box: Box, groups: list[Box], joins: Callable[[Box, Box], bool]) -> Box:
    """`box` grown by every group that `joins(box so far, group)` accepts, until none is left to join."""
    grown = True
    while grown:
        grown = False
        for group in groups:
            if not box.contains(group) and joins(box, group):
                box, grown = box.union(group), True
    return box


def with_labels(box: Box, lines: list[TextLine], body_size: float) -> Box:
    """The picture grown by the labels set around it: lines in a type smaller than the body's, and arrows set as
    glyphs, each within `_LINK_EM` of the picture or of a label already taken (a labelled anatomical drawing's names
    beside its raster, led in by arrows or leader lines). `lines`: the page's lines that may be figure text."""
    pieces = [line.box for line in lines if _label_or_arrow(line, body_size)]
    return _grow(box, pieces, lambda box, piece: box.gap(piece) <= _LINK_EM * body_size)


def _label_or_arrow(line: TextLine, body_size: float) -> bool:
    small = line.font_size < body_size and not same_size(line.font_size, body_size)
    return small or not any(char.isalnum() for char in line.text)


def _beyond(box: Box, group: Box, caption: Box) -> bool:
    """`group` lies past `box`'s far edge from the caption."""
    if caption.top >= box.bottom - 1:  # the caption is under the figure: the far side is above it
        return group.bottom <= box.top + 1
    return group.top >= box.bottom - 1


def _stacked_parts(box: Box, seeds: list[Box], caption: Box, body_size: float) -> Box:
    """When the ink nearest the caption is only a strip (a legend, a row of axis labels), grow it by the
    parts stacked beyond it across white space (the row of sub-plots above the legend): groups holding
    graphics within reach, on the far side from the caption, in its column span."""
    if box.height > _STRIP_EM * body_size:
        return box
    return _grow(
        box,
        seeds,
        lambda box, group: (
            _within_reach_beyond(box, group, caption, body_size)
            and group.h_overlap(box) >= 0.5 * min(group.width, box.width)
        ),
    )


def _within_reach_beyond(box: Box, group: Box, caption: Box, body_size: float) -> bool:
    """`group` is stacked past `box`'s far edge from the caption, across at most a few lines of white space."""
    return _beyond(box, group, caption) and box.gap(group) <= _STACK_EM * body_size


def _alike_parts(box: Box, seeds: list[Box], caption: Box, search: _Search) -> Box:
    """Grow the figure by parts stacked beyond it across white space that line up with it on both sides (a
    column of sub-plots of one width, the caption under the last; or a row of them, as wide as the row under it),
    or that are centred on it and much wider (rows of two radiographs over a fifth set alone in the middle, nearest
    the caption; a banner over a picture is about as wide as the picture): one figure, not a captioned part and
    uncaptioned others. The next figure up has its own caption between, which bounds the search region; a part set
    with lines of prose across it is a paragraph (a Word export draws a box behind each line)."""
    size = search.body_size
    return _grow(
        box,
        [*_rows(seeds), *seeds],
        lambda box, group: (
            _within_reach_beyond(box, group, caption, size)
            and (
                abs(group.x0 - box.x0) <= size
                and abs(group.x1 - box.x1) <= size
                or abs(group.cx - box.cx) <= size
                and group.width >= _ROW_OVER_ONE * box.width
                or _in_its_grid(box, group, seeds, size)
                or _short_of_its_key(box, group, size)
            )
            and not _holds_prose(group, search.layout.body + search.layout.other)
        ),
    )


def _parts_to_the_region_end(
    box: Box,
    seeds: list[Box],
    caption: Caption,
    direction: Direction,
    region: Box,
    graphics: list[Graphic],
    search: _Search,
) -> Box:
    """Grow the figure by the parts stacked beyond it, each within reach of the next, when they are all the graphics
    between it and the text that ends the search's region (`_ended_by_text`): a float of parts of different widths
    set over its caption (chemical structures over their substituents, a 3-D plot over its contour plot, a grid of
    plots under a key narrower than it), with no prose and no other caption between, is one figure, not a captioned
    part and uncaptioned or lost others. A part is ink around a graphic of its own, not a heading set on a tint that
    runs wider. On the caption's usual side only; parts nearer another caption's usual side are left out before
    (`_anothers_part`)."""
    size, layout = search.body_size, search.layout
    if direction != _usual_side(layout, caption):
        return box
    beyond = [seed for seed in seeds if _beyond(box, seed, caption.box) or _beside(box, seed, caption.box)]
    if any(
        _holds_prose(seed, layout.body + layout.other) or _holds_display_type(seed, layout, size) for seed in beyond
    ):
        return box
    parts = [seed for seed in beyond if any(g.box.overlap_area(seed) >= 0.5 * g.box.area for g in graphics)]
    # Reach asked of the figure grown so far, and its column span or its rows: a part beside the next one up may start
    # below its top, and a part may stand beside the parts already taken (a grid's row wider than the rest).
    grown = _grow(
        box,
        parts,
        lambda grown, part: (
            grown.gap(part) <= _STACK_EM * size
            and (
                part.h_overlap(grown) >= 0.5 * min(part.width, grown.width)
                or part.v_overlap(grown) >= 0.5 * min(part.height, grown.height)
            )
        ),
    )
    if not _ended_by_text(grown, caption, region, search) or not all(
        grown.contains(seed, tolerance=1) for seed in beyond
    ):
        return box
    return grown


def _beside(box: Box, group: Box, caption: Box) -> bool:
    """`group` stands beside `box`, no nearer the caption than `box`'s near edge (a part of a grid's row that the
    figure's column of parts left out)."""
    if box.h_overlap(group) > 0:
        return False
    if caption.top >= box.bottom - 1:  # the caption is under the figure
        return group.bottom <= box.bottom + 1
    return group.top >= box.top - 1


def _holds_display_type(part: Box, layout: Layout, body_size: float) -> bool:
    """A line set larger than the body inside `part`: a title block's title or names (a paper's first page), not a
    figure's labels, which are no larger than the text."""
    return any(
        part.contains(line.box, tolerance=1.5)
        and line.font_size > body_size
        and not same_size(line.font_size, body_size)
        for line in layout.other
    )


def _ended_by_text(grown: Box, caption: Caption, region: Box, search: _Search) -> bool:
    """The region that the figure fills ends at a paragraph or a running header, or at another caption whose picture
    stands on its far side (the float over this one in the column), or, cut off by the page's edge, at the head of the
    document's text area, which the figure does not rise past (a header's logo stands above it)."""
    layout = search.layout
    lines = layout.body + layout.margin
    if caption.box.top < grown.bottom - 1:  # the caption over the figure: its region ends at its foot
        return any(abs(line.box.top - region.bottom) <= 1 for line in lines)
    if any(abs(line.box.bottom - region.top) <= 1 for line in lines):
        return True
    if any(
        other.box.bottom - 1 <= region.top <= other.box.bottom + search.body_size
        and other.box.h_overlap(region) > 0
        and _usual_side(layout, other) == "above"
        for other in search.captions
        if other is not caption
    ):
        return True
    return layout.text_top is not None and region.top <= layout.text_top <= grown.top + _STACK_SLACK


def _lettered_parts(box: Box, seeds: list[Box], caption: Box, search: _Search) -> Box:
    """Grow a figure over its caption by the parts stacked above it that open with an earlier panel letter than its top
    part does (panel A over panel B, "(A) South Africa" over "(C) Zimbabwe"): lettered panels in a column, which a
    legend or label sticking out of one leaves lined up on neither side, and whose letter may rise level with the axis
    title of the panel above (the parts' boxes then overlap a little). Letters of one case only."""
    if caption.top < box.bottom - 1 or (own := _panel_head(box, search)) is None:
        return box
    size = search.body_size

    def joins(box: Box, group: Box) -> bool:
        letter = _panel_head(group, search)
        return (
            letter is not None
            and letter.islower() == own.islower()
            and letter < own
            and group.cy <= box.top
            and box.gap(group) <= _STACK_EM * size
            and group.h_overlap(box) >= 0.5 * min(group.width, box.width)
            and not _holds_prose(group, search.layout.body)
        )

    return _grow(box, seeds, joins)


def _rasters_beyond(box: Box, images: list[Box], caption: Caption, search: _Search) -> Box:
    """Grow a figure, one raster at a time, by the rasters beyond it (on the far side from the caption) that are its
    own: the next slice of a picture cut into strips (set edge to edge, both sides in line: MDPI Molecules 2018
    Figure 1, an infographic in two strips, the upper one an uncaptioned figure), or, while the figure holds fewer
    rasters than the panel letters its caption names, the nearest within a few lines: each panel a raster of its
    own, the letters printed in their pixels, not as text (MDPI Molecules 2019 Figure 3, "Structural formula of
    humulones and lupulones (A). HPLC fingerprint ... (B)": the formulae's raster 6 pt over the chart's)."""
    named = letters_reached(caption.text[caption.label_end :])

    def held(box: Box) -> list[Box]:
        return [image for image in images if image.overlap_area(box) >= 0.5 * image.area]

    def slice_of(image: Box, ours: list[Box]) -> bool:
        return any(
            _abutting(image, own) and abs(image.x0 - own.x0) <= _EDGE_PT and abs(image.x1 - own.x1) <= _EDGE_PT
            for own in ours
        )

    def panel_sized(image: Box) -> bool:  # a glyph set as a tiny raster is no panel (a bitmap-font paper's text)
        return min(image.width, image.height) >= _MIN_FIGURE_PT

    while ours := held(box):
        beyond = [image for image in images if image not in ours and _beyond(box, image, caption.box)]
        slices = [image for image in beyond if slice_of(image, ours)]
        short = sum(1 for image in ours if panel_sized(image)) < named
        panels = [
            image
            for image in beyond
            if short
            and panel_sized(image)
            and box.gap(image) <= _STACK_EM * search.body_size
            and image.h_overlap(box) >= 0.5 * min(image.width, box.width)
            and not _holds_prose(image, search.layout.body)
        ]
        if not (slices or panels):
            break
        box = box.union(min(slices or panels, key=box.gap))
    return box


def _panel_head(part: Box, search: _Search) -> str | None:
    """The panel letter opening the leftmost text line at `part`'s top, if any: a line within a body size of its top
    left corner (a letter set apart from the plot it names is ink of its own)."""
    size = search.body_size
    top = [
        line
        for line in _texts_on(search.layout.other, part.expand(size))
        if line.box.x0 <= part.x0 + size and line.box.top <= part.top + size
    ]
    if not top:
        return None
    match = PANEL_HEAD.match(min(top, key=lambda line: line.box.x0).text.strip())
    return match.group(1) if match else None


def _read_by_ocr(search: _Search) -> bool:
    """The page is a scan whose text was read by OCR: its figures are ink on one raster, its text rows erased."""
    return search.page.scan is not None and search.page.scan.read_by_ocr


def _scanned_parts_beyond(box: Box, seeds: list[Box], caption: Box, region: Box, search: _Search) -> Box:
    """On an OCR'd page, grow the figure by the parts stacked beyond it, and by the text rows among them, however
    they line up: the text rows set inside a drawing plate (a table of measurements over drawings, labels between
    them) are erased from the scan's ink, so the plate comes out as loose parts parted by the white of those rows,
    too far apart and too unlike for the born-digital tests. The search region ends at the next body text or
    caption already; only the text in it that is not body text joins. Beside the caption the same holds: the plate's
    loose parts over and under the drawing nearest the caption, and wider than it, are the plate's (held-out 23's
    report FIG. 8)."""
    if not _read_by_ocr(search):
        return box
    reach = _SCAN_STACK_EM * search.body_size
    prose = search.layout.body + search.layout.other
    rows = _rows_of_the_figure(box, caption, region, search)
    grown = _grow(
        box,
        seeds + rows,
        lambda box, group: (
            (_beyond(box, group, caption) and group.h_overlap(box) > 0 or group.v_overlap(box) > 0)
            and box.gap(group) <= reach
            and not _holds_prose(group, prose)
        ),
    )
    # Text rows bridge the figure's parts but never end it: a bold reference line over a photograph (a case report's
    # DOI under its key words) is the text's, not the figure's.
    parts = union_all([box] + [seed for seed in seeds if grown.contains(seed)])
    return union_all([parts] + [row for row in rows if grown.contains(row) and row.v_overlap(parts) > 0])


def _rows_of_the_figure(box: Box, caption: Box, region: Box, search: _Search) -> list[Box]:
    """The text rows in the search region that may be the figure's own: not body text, and not a row set just
    over (under) the text that bounds the region, which is that text's heading."""
    far_edge = region.top if caption.top >= box.bottom - 1 else region.bottom
    bounded = far_edge not in (search.page.cropbox.top, search.page.cropbox.bottom)
    near = _HEADS_TEXT_EM * search.body_size

    def heads_the_text(line: Box) -> bool:
        return bounded and min(abs(line.bottom - far_edge), abs(line.top - far_edge)) <= near

    boxes = [line.box for line in search.layout.other]
    return [line for line in boxes if region.contains(line, tolerance=1.0) and not heads_the_text(line)]


def _short_of_its_key(box: Box, group: Box, size: float) -> bool:
    """`group` lines up with `box` on one side and ends within it, short of its far side by a key's overhang only: a
    row of charts over a row of charts joined to their key, which stands out past the charts' edge (a legend frame
    wider than the plots over it), so the two rows line up on one side alone."""
    inside = box.x0 - size <= group.x0 and group.x1 <= box.x1 + size
    one_side = abs(group.x0 - box.x0) <= size or abs(group.x1 - box.x1) <= size
    return inside and one_side and group.width >= _KEY_OVERHANG_SHARE * box.width


def _in_its_grid(box: Box, group: Box, seeds: list[Box], size: float) -> bool:
    """The figure's parts stand side by side in columns, and each part in `group` starts or ends level with one of
    them: a row of a grid of titled charts whose rows are of unequal widths (the last row one chart alone). A part
    is more than a strip each way (a picture's loose labels and specks make no column)."""
    columns = [
        seed for seed in seeds if box.contains(seed, tolerance=1.0) and min(seed.width, seed.height) > _STRIP_EM * size
    ]
    if not any(a.h_overlap(b) <= 0 for a in columns for b in columns if a is not b):
        return False
    return all(
        any(abs(part.x0 - column.x0) <= size or abs(part.x1 - column.x1) <= size for column in columns)
        for part in seeds
        if group.contains(part, tolerance=1.0)
    )


def _parts_under_beside(box: Box, seeds: list[Box], caption: Box, search: _Search) -> Box:
    """A figure beside its caption grown by the parts stacked beyond it across white space within its width (a
    flow chart (A) over (B) filling a column, the caption at the top of the next column): the region beside a
    caption is bounded by the other captions in that column, so what lies within it under the figure is its own."""
    size = search.body_size
    return _grow(
        box,
        _rows(seeds),
        lambda box, group: (
            _within_reach_beyond(box, group, caption, size)
            and group.x0 >= box.x0 - size
            and group.x1 <= box.x1 + size
            and not _holds_prose(group, search.layout.body + search.layout.other)
        ),
    )


def _rows(groups: list[Box]) -> list[Box]:
    """Groups side by side (level with each other over half the lower one's height) united, row by row; a speck
    with no height stays alone."""
    rows: list[Box] = []
    for group in sorted((g for g in groups if g.height > 0), key=lambda g: g.top):
        level = [k for k, row in enumerate(rows) if row.is_level_with(group)]
        if level:
            rows[level[0]] = rows[level[0]].union(group)
        else:
            rows.append(group)
    return rows


def _pictures_in_line(box: Box, seeds: list[Box], images: list[Box], caption: Box, search: _Search) -> Box:
    """Grow the figure by parts stacked beyond it across white space whose pictures line up with the figure's
    own: an image edge of the part on the same x as an image edge of the figure (panels set on one grid, each
    under its own row of labels, a gel of ten lanes over one of eight), or the part's picture abutting one of the
    figure's (stacked plots placed as one raster each, edge to edge, an axis label drawn across two of them).
    Lines of labels around each picture leave the parts' ink boxes of other widths, so the parts do not line up
    as a whole."""
    size, prose = search.body_size, search.layout.body + search.layout.other

    def pictures(group: Box) -> list[Box]:
        return [
            image
            for image in images
            if image.overlap_area(group) >= 0.8 * image.area
            and min(image.width / group.width, image.height / group.height) >= _PICTURE_SHARE
        ]

    def in_line(box: Box, group: Box) -> bool:
        if not _within_reach_beyond(box, group, caption, size) or _holds_prose(group, prose):
            return False
        if any(
            abs(a.x0 - b.x0) <= _EDGE_PT or abs(a.x1 - b.x1) <= _EDGE_PT for a in pictures(box) for b in pictures(group)
        ):
            return True
        # a picture's white margin may lie outside its part's ink: any picture under the ink is the part's
        ours, theirs = ([image for image in images if image.overlap_area(part) > 0] for part in (box, group))
        return any(_abutting(a, b) for a in ours for b in theirs if a is not b)

    return _grow(box, seeds, in_line)


def _abutting(picture: Box, other: Box) -> bool:
    """Two pictures stacked edge to edge: at most `_ABUT_PT` apart, one over the other across half the narrower's
    width."""
    return picture.v_gap(other) <= _ABUT_PT and picture.h_overlap(other) >= 0.5 * min(picture.width, other.width)


def _rest_of_its_card(
    box: Box, nearest: Box, groups: list[Box], graphics: list[Graphic], caption: Caption, search: _Search
) -> Box:
    """Grow the figure by the ink on the card it is drawn on: a rectangle filled in one colour (a slide pasted into
    a report, white on white paper) holding the ink nearest the caption, but not the caption, another caption or
    body text, is the figure's extent, whatever white space lies between the parts on it (a slide's title over its
    bullets and photo). Its paragraphs of prose stay out."""
    cards = [
        g.box
        for g in graphics
        if g.box.contains(nearest, tolerance=_EDGE_PT)
        and flat_fill(g) is not None
        and not any(g.box.overlaps(c.box) for c in search.captions)
        and not any(g.box.overlaps(line.box) for line in search.layout.body)
    ]
    prose = search.layout.body + search.layout.other
    for card in cards:
        for group in groups:
            if card.contains(group, tolerance=_EDGE_PT) and not _holds_prose(group, prose):
                box = box.union(group)
    return box


def _rest_of_its_frame(box: Box, groups: list[Box], caption: Caption, search: _Search) -> Box:
    """Grow the figure by the ink inside the frame drawn round it and its caption: a frame holding the caption, the
    ink nearest it and no other caption or body text bounds one figure, whatever white space lies between its parts
    (a timeline's text boxes set apart along it, each drawn as paths). Its paragraphs of prose stay out."""
    prose = search.layout.body + search.layout.other
    for frame in _frames_round(caption.box, search.rules):
        if (
            not frame.contains(box, tolerance=_EDGE_PT)
            or any(frame.overlaps(other.box) for other in search.captions if other is not caption)
            or any(frame.overlaps(line.box) for line in search.layout.body)
        ):
            continue
        for group in groups:
            if frame.contains(group, tolerance=_EDGE_PT) and not _holds_prose(group, prose):
                box = box.union(group)
    return box


def _rest_of_a_continued_figure(box: Box, seeds: list[Box], caption: Caption) -> Box:
    """Grow the figure by every part on the far side of it from a caption that only says the figure goes on ("Figure
    6. Cont." under rows of charts set wider apart than `_STACK_EM`, a flow-cytometry plate above them): such a caption
    describes no part of its own, so no part nearest it is the figure alone; the search region (bounded by the
    text and captions around it) holds the figure's parts on this page."""
    if not continuation_only(caption):
        return box
    return _grow(box, seeds, lambda box, group: _beyond(box, group, caption.box))


def _frames_round(caption: Box, rules: list[Graphic]) -> list[Box]:
    """The frames drawn round `caption` (and its figure) among the page's `rules`: one stroked rectangle, or a frame
    drawn piece by piece (`_frame_sides`), whose upright sides stand left and right of the caption, running from
    over it to under it, and end level with each other."""
    boxes = [rule.box for rule in rules]
    frames = [b for b in boxes if min(b.width, b.height) >= _RULE_PT and b.contains(caption)]
    uprights = [b for b in boxes if b.width < _RULE_PT and b.top <= caption.top and caption.bottom <= b.bottom]
    frames += [
        left.union(right)
        for left in uprights
        for right in uprights
        if left.x1 <= caption.x0
        and caption.x1 <= right.x0
        and abs(left.top - right.top) <= _CORNER_PT
        and abs(left.bottom - right.bottom) <= _CORNER_PT
    ]
    return frames


def _holds_prose(group: Box, lines: list[TextLine]) -> bool:
    """Two or more text lines running across most of `group`: a paragraph, not a plot's labels."""
    across = [line for line in lines if group.contains(line.box, tolerance=1.5) and line.box.width >= 0.8 * group.width]
    return len(across) >= 2


def _labels_toward_caption(box: Box, groups: list[Box], caption: Box, body_size: float) -> Box:
    """Grow the figure by the ink stacked between it and its caption across white space: the text at the
    head of a flow chart (its first node drawn as a label without a frame) is part of it."""

    def between(box: Box, group: Box) -> bool:
        if caption.top >= box.bottom - 1:  # the caption is under the figure
            return group.top >= box.bottom - 1 and group.bottom <= caption.top + 1
        return group.bottom <= box.top + 1 and group.top >= caption.bottom - 1

    return _grow(
        box,
        groups,
        lambda box, group: between(box, group) and group.h_overlap(box) > 0 and box.gap(group) <= _STACK_EM * body_size,
    )


def _text_panel_beyond(box: Box, groups: list[Box], caption: Box, search: _Search) -> Box:
    """Grow the figure by a block of text set out in columns beyond its far edge from the caption, across white
    space (the criteria printed under a diagram's drawing): figure text. A note under a figure is one column;
    `groups` hold no graphics (a table has rules), and text nearer another caption than the figure, or a block
    that runs up to one, is that caption's (a table without rules under its Table caption)."""

    def lines_in(group: Box) -> list[Box]:
        return [t.box for t in search.layout.other if group.contains(t.box, tolerance=1.5)]

    def nearer_another_caption(box: Box, group: Box) -> bool:
        return any(c.box is not caption and c.box.gap(group) < box.gap(group) for c in search.captions)

    grown = _grow(
        box,
        groups,
        lambda box, group: (
            _within_reach_beyond(box, group, caption, search.body_size)
            and group.h_overlap(box) > 0
            and _in_columns(lines_in(group), search.body_size)
            and not nearer_another_caption(box, group)
        ),
    )
    return box if _runs_up_to_another_caption(box, grown, caption, search) else grown


def _runs_up_to_another_caption(box: Box, grown: Box, caption: Box, search: _Search) -> bool:
    """The text taken beyond the figure, as one block, ends within reach of another caption in any column, or of a
    line that opens with a table's label ("Table 3 continued" over the rest of a table, no caption of its own): that
    caption's table (its rules may be page-wide, erased as furniture), taken row by row from the figure's side."""
    if grown == box:
        return False
    above = grown.top < box.top - 1
    text = Box(grown.x0, grown.top, grown.x1, box.top) if above else Box(grown.x0, box.bottom, grown.x1, grown.bottom)
    heads = [other.box for other in search.captions if other.box is not caption] + [
        line.box
        for line in search.page.lines
        if (label := CAPTION_START.match(line.text)) and caption_type(label["prefix"]) == "Table"
    ]
    return any(
        _beyond(text, head, caption)
        and (text.top - head.bottom if above else head.top - text.bottom) <= _STACK_EM * search.body_size
        for head in heads
    )


def _in_columns(lines: list[Box], body_size: float) -> bool:
    """Two lines of text side by side, a gutter apart: text set out in columns, not a paragraph."""
    return any(a.is_level_with(b) and a.gap(b) > body_size for i, a in enumerate(lines) for b in lines[i + 1 :])


def _overlaps(graphic: Box, box: Box) -> bool:
    inter = graphic.intersection(box)
    if inter is None:
        return graphic.area == 0 and box.contains(graphic, tolerance=1.0)
    return inter.area >= 0.25 * min(max(graphic.area, 1e-6), box.area) or graphic.area < 1.0


def _mostly_inside(graphic: Box, box: Box) -> bool:
    """Half of the graphic lies in `box`: a figure claims it. A form drawn as one graphic whose box reaches
    into a table above it (ICML 2013 ruvolo13 Figure 2) stays with the figure it draws."""
    inter = graphic.intersection(box)
    return graphic.area < 1.0 or (inter is not None and inter.area >= 0.5 * graphic.area)


def _holds_graphic(cluster: Box, graphics: list[Graphic]) -> bool:
    grown = cluster.expand(1.0)  # once, not once per graphic
    return any(_overlaps(g.box, grown) for g in graphics)


def uncaptioned_regions(
    page: PageContent, graphics: list[Graphic], placed: list[FigureRegion], texts: list[TextLine], share: float = 1.0
) -> list[FigureRegion]:
    """Images (and drawings stroked over their rasters, with the labels their strokes reach: `_labels_on`) left over
    after captions took theirs: kept as uncaptioned figures when photo-sized (`share` of it: the caller keeps a
    picture near that size only with a caption, see `photo_sized`), with the lines of `texts` (text that may belong
    to figures) set on them: their panel letters and labels, as a captioned figure's.

    Decorative images (logos, icons, bullets, rules) are small, so a minimum size keeps them out; an image of one
    flat colour is a tint, no picture, and joins none it touches (a cover photograph under a masthead band).
    """
    claimed = {id(g) for region in placed for g in region.graphics}
    taken = [region.box for region in placed]
    images = [g for g in graphics if g.kind == "image" and id(g) not in claimed and not flat_raster(page, g)]
    # Drawings stroked over their rasters are one figure where they touch (scenes A and B set overlapping) but no
    # figure with the plain pictures they touch.
    drawings = [g for g in graphics if raster_under_strokes(g) and id(g) not in claimed]
    groups = _spans_overlapping(group_touching(images)) + _spans_overlapping(group_touching(drawings))
    result = []
    for group in groups:
        box = union_all(g.box for g in group)
        assert box is not None
        box = box.intersection(page.cropbox)
        if box is None or not photo_sized(page, box, share):
            continue
        if any(box.overlap_area(t) > 0.3 * box.area for t in taken):
            continue
        labels = _labels_on(page, group, graphics)
        box = union_all([box, *(line.box for line in labels)])
        assert box is not None
        labels += [line for line in _texts_on(texts, box) if line not in labels]
        result.append(FigureRegion(None, box, group, labels))
    return result


@dataclass(frozen=True)
class _Span:
    box: Box
    members: list[Graphic]


def _spans_overlapping(groups: list[list[Graphic]]) -> list[list[Graphic]]:
    """Groups of touching pictures joined where the boxes they span overlap: a picture set within others' span, not
    touching them, is one of them (a pocket book's five lettered drawings, one a gutter apart from the four that
    touch): no two figures' boxes overlap."""
    spans = []
    for group in groups:
        box = union_all(g.box for g in group)
        assert box is not None  # group_touching makes no empty group
        spans.append(_Span(box, group))
    joined = group_touching(spans, tolerance=0.0)  # at no tolerance, boxes that overlap: touching edges do not
    return [[graphic for span in cluster for graphic in span.members] for cluster in joined]


_LEADER_REACH_PT = 3.0  # a leader line is drawn up to its label, or stops a hairline's gap short of it


def _labels_on(page: PageContent, group: list[Graphic], graphics: list[Graphic]) -> list[TextLine]:
    """The labels of a drawing stroked over a raster: the lines that a stroke drawn over the raster reaches (a leader
    line's end at its label). They name the drawing's parts, on its art or just past its edge, and are the drawing's,
    no caption of it."""
    rasters = [g.box for g in group if raster_under_strokes(g)]
    strokes = [
        g.box
        for g in graphics
        if g.kind == "path" and g not in group and any(r.overlap_area(g.box) > 0.5 * g.box.area for r in rasters)
    ]
    return [line for line in page.lines if any(line.box.gap(s) <= _LEADER_REACH_PT for s in strokes)]


def photo_sized(page: PageContent, box: Box, share: float = 1.0) -> bool:
    """A picture this big (`share` of a photograph's floor) is a figure without a caption; logos and icons are
    smaller."""
    area = _PHOTO_AREA * page.width * page.height
    return min(box.width, box.height) >= share * _PHOTO_SIDE and box.area >= share * area


def uncaptioned_charts(
    page: PageContent, layout: Layout, graphics: list[Graphic], placed: list[FigureRegion]
) -> list[FigureRegion]:
    """Line charts drawn in frames that no caption took (a market report's charts beside its table, each titled
    inside its frame): kept as uncaptioned figures, the frame their box. A frame is a drawn box at least photo-sized
    around a data line (a path of many slanted steps across half its width) and a y axis (numbers stacked one over
    another), with no picture and no body text in it. A ruled table holds numbers in columns too, but no slanted
    line; the outermost frame is the chart's (its plot area is a box inside it, without the axis labels)."""
    min_area = 0.02 * page.width * page.height
    taken = [region.box for region in placed]
    charts: list[Box] = []
    frames = [g.box for g in graphics if g.kind == "path" and min(g.box.width, g.box.height) >= _PHOTO_SIDE]
    for frame in sorted(frames, key=lambda box: -box.area):
        if (
            frame.area >= min_area
            and not any(chart.contains(frame, tolerance=_EDGE_PT) for chart in charts)
            and not any(frame.overlap_area(t) > 0.3 * frame.area for t in taken)
            and _frames_a_line_chart(frame, page, layout, graphics)
        ):
            charts.append(frame)
    result = []
    for chart in charts:
        inside = [g for g in graphics if chart.contains(g.box, tolerance=_EDGE_PT)]
        texts = [line for line in page.lines if chart.contains(line.box, tolerance=_EDGE_PT)]
        result.append(FigureRegion(None, chart, inside, texts))
    return result


def uncaptioned_bar_charts(
    layout: Layout, graphics: list[Graphic], taken: list[Box], body_size: float
) -> list[FigureRegion]:
    """Bar charts that no caption took (a bulletin's chart of cases a year under a bold title set without a label): an
    axis line with `_BARS` or more bars on it, each a row of filled rectangles (a bar's shaded part and the rest) that
    starts at the axis, the bars as thick as one another and of `_BAR_LENGTHS` or more lengths, clear of body text and
    of the figures found. A table's tinted rows start at one edge too, but are all as long. Bars along a y axis or
    standing on an x axis alike (the page's boxes `Box.transposed` for the second). The box is the axis,
    the bars, their names (`_bar_names`) and the labels set around them (`with_labels`: the values at the bars'
    ends)."""
    result: list[FigureRegion] = []
    for turn in (False, True):
        drawn = [(g.box.transposed() if turn else g.box, g) for g in graphics]
        pieces = [(box, g) for box, g in drawn if box.height >= _BAR_PT and g.kind == "path"]
        if len(pieces) < _BARS:
            continue  # most pages: no bars to look at
        for axis, _ in drawn:
            if axis.width > _UNDERLINE_PT or axis.height < _DRAWING_SIDE:
                continue
            bars = _bars_on(axis, [(box, g) for box, g in pieces if box is not axis])
            if bars is None:
                continue
            lines = [line.box.transposed() if turn else line.box for line in layout.other]
            names = _bar_names(axis, [box for box, _ in bars], lines)
            chart = union_all([axis] + [box for box, _ in bars] + names)
            chart = chart.transposed() if turn and chart else chart
            if chart is None or min(chart.width, chart.height) < _DRAWING_SIDE:
                continue
            if any(chart.overlaps(box) for box in taken + [region.box for region in result]):
                continue
            if any(chart.overlaps(line.box) for line in layout.body):
                continue
            box = with_labels(chart, layout.other, body_size)
            texts = [line for line in layout.other if box.contains(line.box, tolerance=_EDGE_PT)]
            result.append(FigureRegion(None, box, [g for _, g in bars], texts))
    return result


def _bars_on(axis: Box, drawn: list[tuple[Box, Graphic]]) -> list[tuple[Box, Graphic]] | None:
    """The bars on an upright `axis` (boxes as drawn or turned, each with its graphic): filled rectangles level with
    the axis's span, gathered in rows of one thickness, each row starting at the axis, all on one side of it; None
    unless they make a bar chart (see `uncaptioned_bar_charts`)."""
    rows: dict[tuple[int, int], list[tuple[Box, Graphic]]] = {}
    for box, g in drawn:
        if box.top >= axis.top - _EDGE_PT and box.bottom <= axis.bottom + _EDGE_PT:
            rows.setdefault((round(box.top), round(box.bottom)), []).append((box, g))
    sides: dict[bool, list[tuple[list[tuple[Box, Graphic]], float]]] = {True: [], False: []}
    for row in rows.values():
        x0, x1 = min(box.x0 for box, _ in row), max(box.x1 for box, _ in row)
        ahead = abs(x0 - axis.cx) <= _ABUT_PT
        if (ahead or abs(x1 - axis.cx) <= _ABUT_PT) and all(flat_fill(g) is not None for _, g in row):
            sides[ahead].append((row, x1 - axis.cx if ahead else axis.cx - x0))
    bars = max(sides.values(), key=len)
    if len(bars) < _BARS:
        return None
    lengths = sorted(length for _, length in bars)
    thicknesses = [row[0][0].height for row, _ in bars]
    stack = union_all([box for row, _ in bars for box, _ in row])
    if stack is None or max(thicknesses) > (1 + _BAR_THICKNESS) * min(thicknesses) or lengths[-1] < _DRAWING_SIDE:
        return None
    if stack.height < _BAR_SPAN * axis.height:
        return None  # a rule down the page with a few boxes at it (a form's fields) is no axis
    distinct = 1 + sum(b - a > _EDGE_PT for a, b in pairwise(lengths))
    return [bar for row, _ in bars for bar in row] if distinct >= _BAR_LENGTHS else None


def _bar_names(axis: Box, bars: list[Box], lines: list[Box]) -> list[Box]:
    """The boxes of the bars' names (the years, countries): lines level with a bar, across the axis from the bars,
    no further from it than the longest bar is long (text beside the bars, a note, is not the chart's)."""
    ahead = bars[0].cx > axis.cx
    reach = max(bar.x1 - axis.cx if ahead else axis.cx - bar.x0 for bar in bars)
    return [
        box
        for box in lines
        if (
            axis.x0 - reach <= box.x0 and box.x1 <= axis.x0 + _EDGE_PT
            if ahead
            else axis.x1 - _EDGE_PT <= box.x0 and box.x1 <= axis.x1 + reach
        )
        and any(box.v_overlap(bar) >= 0.5 * box.height for bar in bars)
    ]


def drawings_on_panels(
    layout: Layout, graphics: list[Graphic], frames: list[Graphic], taken: list[Box]
) -> list[FigureRegion]:
    """Vector drawings that no caption took, each on a panel of its own (a report's world map drawn on a green
    panel under a bold title): a box filled with one colour, photo-sized, holding many paths (a text box's bullets
    and rules are few), no picture and no body text. The panel may be among the `frames` (a box drawn around a
    figure, as wide as the text). Only worth keeping with a caption (see detect)."""
    result: list[FigureRegion] = []
    panels = [g for g in graphics + frames if min(g.box.width, g.box.height) >= _PHOTO_SIDE and g.kind == "path"]
    for panel in sorted(panels, key=lambda g: -g.box.area):
        box = panel.box
        if any(box.overlap_area(other) > 0 for other in taken + [r.box for r in result]):
            continue
        level = flat_fill(panel)
        if level is None or level >= PAPER or any(box.overlaps(line.box) for line in layout.body):
            continue
        inside = [g for g in graphics if g is not panel and box.contains(g.box, tolerance=_EDGE_PT)]
        if len(inside) >= _PANEL_DRAWING_PATHS and not any(g.kind == "image" for g in inside):
            texts = [line for line in layout.other if box.contains(line.box, tolerance=_EDGE_PT)]
            result.append(FigureRegion(None, box, [panel, *inside], texts))
    return result


def uncaptioned_drawings(
    page: PageContent, graphics: list[Graphic], taken: list[Box], body_size: float
) -> list[FigureRegion]:
    """Drawings set in the text without a caption (a manual's toy drawings beside the list entries that describe
    them): groups of ink apart from the page's text, each drawn in many pieces (`_DRAWING_PIECES`: a rule, a frame,
    a bullet or an icon is a few), half an inch or more on each side, `set_in_the_text`, where no figure was found.
    Rasters inside such a drawing are its shading (vector art exported with raster fills), no pictures of their own:
    the drawing's graphics are its strokes (else the panel search cuts out each raster as a panel)."""
    drawn = [g for g in graphics if g.kind != "image" and not any(_overlaps(g.box, box) for box in taken)]
    if len(drawn) < _DRAWING_PIECES:
        return []  # most pages: nothing to render
    ink = InkMask.of(page)
    for box in [line.box for line in page.lines] + taken:
        ink.erase(box.expand(1.5))
    result = []
    for cluster in ink.clusters(page.cropbox, body_size):
        inside = [g for g in graphics if cluster.contains(g.box, tolerance=_EDGE_PT)]
        strokes = [g for g in inside if g.kind != "image"]
        if (
            min(cluster.width, cluster.height) >= _DRAWING_SIDE
            and len(inside) >= _DRAWING_PIECES
            and strokes
            and set_in_the_text(cluster, page.lines, body_size)
        ):
            result.append(FigureRegion(None, cluster, strokes, []))
    return result


def uncaptioned_flow_chart(
    page: PageContent, graphics: list[Graphic], taken: list[Box], body_size: float
) -> FigureRegion | None:
    """A flow chart set without a caption (an annex's algorithm under its heading): framed text boxes, none touching
    another (a ruled table's cells share their edges), tied by arrows (short strokes beside the boxes, one for each
    box but the first at least), where no figure was found. `uncaptioned_drawings` refuses ink with text on it; the
    frames apart and the arrows between them tell a flow chart from a table or a framed text panel."""
    paths = [g for g in graphics if g.kind == "path" and not any(_overlaps(g.box, box) for box in taken)]
    if len(paths) < 2 * _FLOW_BOXES:
        return None  # most pages: no boxes and arrows to weigh
    low, high = (em * body_size for em in _FLOW_BOX_EM)
    boxes = [
        path.box
        for path in paths
        if low <= path.box.height <= high
        and path.box.width >= 3 * body_size
        and any(path.box.contains(line.box, _EDGE_PT) for line in page.lines)
    ]
    # A box's fill and outline, or a double outline, are one frame: the outermost.
    frames = [
        box
        for i, box in enumerate(boxes)
        if not any(
            j != i and other.contains(box, _EDGE_PT) and (j < i or not box.contains(other, _EDGE_PT))
            for j, other in enumerate(boxes)
        )
    ]
    if len(frames) < _FLOW_BOXES or any(
        a.expand(_EDGE_PT).overlaps(b) for i, a in enumerate(frames) for b in frames[i + 1 :]
    ):
        return None
    reach = _FLOW_ARROW_EM * body_size
    arrows = [
        p
        for p in paths
        if max(p.box.width, p.box.height) <= reach
        and not any(f.expand(_EDGE_PT).contains(p.box) for f in frames)
        and any(f.expand(0.5 * reach).overlaps(p.box) for f in frames)
    ]
    if len(arrows) < len(frames) - 1:
        return None
    box = union_all(frames + [arrow.box for arrow in arrows])
    inside = [g for g in graphics if box.contains(g.box, tolerance=_EDGE_PT)]
    texts = [line for line in page.lines if box.contains(line.box, tolerance=_EDGE_PT)]
    return FigureRegion(None, box, inside, texts)


def set_in_the_text(picture: Box, lines: list[TextLine], body_size: float) -> bool:
    """A picture or drawing set in the text's flow: no text on it (a chart, a table or a framed text panel holds its
    labels or its text; a scan's stray raster lies under the page's text), and a line in the body's type size level
    with it and close beside it (a masthead's logo stands beside the journal's name in display type, or alone)."""
    reach = _BESIDE_EM * body_size
    return not any(picture.overlaps(line.box) for line in lines) and any(
        picture.is_level_with(line.box)
        and picture.gap(line.box) <= reach
        and (same_size(line.font_size, body_size) or _wrapped_around(picture, line, lines))
        for line in lines
    )


def _wrapped_around(picture: Box, beside: TextLine, lines: list[TextLine]) -> bool:
    """The text `beside` a picture (on its left) is wrapped around it: a row of the same paragraph's type, starting
    where it starts, a row's spacing or two under the picture's foot, runs on across where the picture stands (a
    framed chart's small type around its drawing). Text beside a logo or a picture of its own stops short of it
    under it too."""
    if beside.box.x1 > picture.x0:
        return False
    reach = _BESIDE_EM * beside.font_size
    return any(
        same_size(line.font_size, beside.font_size)
        and abs(line.box.x0 - beside.box.x0) <= beside.font_size
        and 0 <= line.box.top - picture.bottom <= reach
        and line.box.x1 > picture.x0
        for line in lines
    )


def spread_drawing(page: PageContent, graphics: list[Graphic], furniture: list[Box]) -> FigureRegion | None:
    """Half of a drawing set across two facing pages (a fold-out flow chart over a book's spread): each page holds
    the whole spread's drawing, clipped to its own crop box, so the chart's lines and boxes run on across the page's
    side edge deep into the facing page's space (a third of the page's width past it). A page that only lies next
    to such a drawing holds it off its edge, not across it, and a bleed runs a few points past the edge. Three or
    more such paths make the page a drawing: its ink inside the crop box, less the page's `furniture` (running
    heads, tabs), is one uncaptioned figure. For a page with no caption and nothing else found on it."""
    crop = page.cropbox
    reach = crop.width / _SPREAD_SHARE
    across = [
        g
        for g in graphics
        if g.kind == "path"
        and (
            g.box.x0 < crop.x1 < g.box.x1
            and g.box.x1 >= crop.x1 + reach
            or g.box.x0 < crop.x0 < g.box.x1
            and g.box.x0 <= crop.x0 - reach
        )
    ]
    if len(across) < _SPREAD_PATHS:
        return None
    ink = InkMask.of(page)  # rendered only now: most pages have no path across their edge
    for box in furniture:
        ink.erase(box.expand(1.5))
    box = ink.ink_box(crop)
    if box is None:
        return None
    inside = [g for g in graphics if g.box.overlaps(box)]
    texts = [line for line in page.lines if box.contains(line.box, tolerance=_EDGE_PT)]
    return FigureRegion(None, box, inside, texts)


def _frames_a_line_chart(frame: Box, page: PageContent, layout: Layout, graphics: list[Graphic]) -> bool:
    inside = [g for g in graphics if frame.contains(g.box, tolerance=_EDGE_PT) and g.box != frame]
    if any(g.kind == "image" for g in inside) or any(frame.overlaps(line.box) for line in layout.body):
        return False
    if not any(g.box.width >= _DATA_SPAN * frame.width and slanted_steps(g) >= _DATA_STEPS for g in inside):
        return False
    ticks = [line.box for line in page.lines if frame.contains(line.box) and is_tick_label(line.text)]
    return any(
        1 + sum(1 for other in ticks if other.h_overlap(tick) > 0 and not other.is_level_with(tick)) >= _AXIS_TICKS
        for tick in ticks
    )


class _Boxed(Protocol):
    @property
    def box(self) -> Box: ...


_B = TypeVar("_B", bound=_Boxed)


def group_touching(
    graphics: list[_B], tolerance: float = 2.0, joined: Callable[[_B, _B], bool] | None = None
) -> list[list[_B]]:
    """Groups of graphics whose boxes touch: tiles and strips of one picture end up in one group; with `joined`,
    two touching graphics are grouped only when it says they belong together."""
    parent = list(range(len(graphics)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(graphics):
        reach = a.box.expand(tolerance)  # once per graphic, not per pair
        for j in range(i + 1, len(graphics)):
            if reach.overlaps(graphics[j].box) and (joined is None or joined(a, graphics[j])):
                parent[find(i)] = find(j)
    groups: dict[int, list[_B]] = {}
    for i, graphic in enumerate(graphics):
        groups.setdefault(find(i), []).append(graphic)
    return sorted(groups.values(), key=lambda g: (min(x.box.top for x in g), min(x.box.x0 for x in g)))

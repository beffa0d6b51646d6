"""Figures of one page: layout, captions, regions. Pure geometry, no image bytes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mmskin_build.extract.captions import (
    Caption,
    bold_title_over,
    caption_in_gap,
    caption_on_card,
    caption_on_foot,
    find_captions,
    title_rows_end,
    unlabelled_caption,
)
from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.layout import DocumentStyle, Layout, analyse_layout, bled_off_one_side
from mmskin_build.extract.page import (
    Graphic,
    PageContent,
    TextLine,
    card_fill,
    clipped_to_lettering,
    cut_round,
    decodes,
    flat_fill,
    flat_raster,
    raster_under_strokes,
)
from mmskin_build.extract.pagebreak import (
    NextPage,
    PagesAfter,
    caption_at_foot_of_next,
    caption_ending_page_before,
    caption_from_page_before,
    caption_over_filled_pages,
    caption_overleaf,
    claimed_by_previous,
    continue_captions,
    is_slice_of_next,
    legend_listed_apart,
    legend_on_page_before,
    picture_at_foot_holding,
)
from mmskin_build.extract.regions import (
    FigureRegion,
    PageGraphics,
    caption_panels,
    drawings_on_panels,
    find_figure_regions,
    group_touching,
    photo_sized,
    set_in_the_text,
    split_graphics,
    spread_drawing,
    uncaptioned_bar_charts,
    uncaptioned_charts,
    uncaptioned_drawings,
    uncaptioned_flow_chart,
    uncaptioned_regions,
    with_labels,
)
from mmskin_build.extract.render import PAPER, InkMask
from mmskin_build.extract.textpictures import clear_of_text, is_picture_of_text, is_scan_of_a_text_page

_FIGURE_PAGE_SHARE = 0.5  # a drawing this share of the page's height or more fills a page of its own
# A picture this share of a photograph's size (its side and its area) is a figure when a caption printed without a
# label is set under it, on its own or under the group it is set in (a strip photograph 68 pt tall under a page's
# column, a journal cover beside another), or when it is set in the text's flow beside body type (a manual's toy
# drawings beside the entries describing them: `set_in_the_text`); smaller ones are logos and icons. A row of words
# over such a picture is as often its table's header (held-out 8's Gantt bars under a row of months) as a title.
_CAPTIONED_PHOTO_SHARE = 0.75
# A legend set in a corner of its figure: within this many body sizes of two of its edges, this share of it inside
# the figure's box, the figure this many times its area at least.
_CORNER_EM = 1.0
_INSIDE_SHARE = 0.8
_INSET_AREAS = 3.0
# A word set over a picture in type this many times the body's size is display type (a leaflet's "WHO Position
# Statement" over its spread photo): the picture is the page's design, a ground for its title, no figure. A panel's
# letter is one character; a figure's labels are set near the body's size.
_DISPLAY_TYPE = 3.0
_DISPLAY_WORD = 3  # letters at least: a word, not a panel letter


@dataclass(slots=True)
class PageFigures:
    figures: list[FigureRegion]  # in reading order
    slices: list[FigureRegion] = field(default_factory=list)  # picture slices whose figure is on the next page
    # uncaptioned pictures repeated on 3+ pages, a page's design (under display type, bled off one side, cut round),
    # or on a book's covers and front matter (title art, portraits), or of which nothing shows
    decorations: list[FigureRegion] = field(default_factory=list)
    # uncaptioned rasters of printed text: a table, a form, a typed page (tables are not extracted)
    text_pictures: list[FigureRegion] = field(default_factory=list)


def detect_figures(
    page: PageContent, style: DocumentStyle, following: Sequence[list[TextLine] | None] = ()
) -> PageFigures:
    """Figures on `page` (captioned ones, and uncaptioned photo-sized images) in reading order.

    `following`, the text of the pages after it (`PAGES_AHEAD` of them, None for one unread), lets a caption go on
    over the page break (and over a page it fills) and tells a picture sliced by the break from an uncaptioned one.
    """
    body_size = style.body_size
    layout = analyse_layout(page, style)
    captions = find_captions(page, body_size, style.body_leading)
    pages_after = PagesAfter(page, style, following)
    next_page = pages_after[0] if following else None
    continue_captions(captions, page, layout.body + layout.other, pages_after, body_size)
    this_page = NextPage.of(page, style, page.lines)  # this page's text seen as the page before sees it
    # A caption whose picture ended the page before has no figure here.
    own = [c for c in captions if not (this_page and claimed_by_previous(c, this_page, style, page.number))]
    carried = caption_from_page_before(page, style)
    if carried is not None:
        captions.append(carried)
        own.append(carried)
    parts = split_graphics(page, layout, style, captions)
    panels = caption_panels(parts.usable, captions, body_size)
    graphics = [g for g in parts.usable if g not in panels]
    furniture = parts.furniture + panels
    placed: list[FigureRegion] = []
    ink: InkMask | None = None
    if captions and graphics:
        ink = InkMask.of(page)
        images = [g.box for g in page.graphics if g.kind == "image"]
        for backdrop in parts.backdrops:
            level = flat_fill(backdrop)
            if level is None:  # a feature box framed, not tinted (`Layout.feature_boxes`): its four sides are ink
                ink.erase_outline(backdrop.box, width=2.0)
            else:
                ink.erase_backdrop(backdrop.box, level, [box for box in images if box.overlaps(backdrop.box)])
        # Figures are found as groups of ink: erase what can never be part of one.
        flow = layout.body + layout.margin + layout.side + layout.boxed  # a feature box's prose is the text flow's
        for box in [line.box for line in flow] + [c.box for c in captions]:
            ink.erase(box.expand(1.5))  # glyph boxes are tight: take the anti-aliased edges too
        for rule in parts.rules:
            ink.erase_outline(rule.box, width=2.0)
        for background in parts.backgrounds:  # a frame's edge beside a figure would join it to whatever else it passes
            ink.erase_outline(background.box, width=2.0, page=page.cropbox, pictures=images)
        for graphic in furniture:
            ink.erase(graphic.box.expand(1.0))
        for heading in parts.headings:
            ink.erase(heading.expand(1.5))
        pictures = [g.box for g in graphics if g.kind == "image"]
        for graphic in parts.side:  # a thumb tab's box may reach over a picture in the text: the picture stays whole
            ink.erase_enclosed(graphic.box, [box for box in pictures if box.overlaps(graphic.box)])
        placed = find_figure_regions(page, layout, own, graphics, parts.backdrops, ink, body_size, parts.rules)
    figures = [region for region in placed if region.caption is not None and region.caption.type == "Figure"]
    result = PageFigures(figures)
    content = layout.body + layout.other
    pictures: list[FigureRegion] = []  # uncaptioned pictures, which may have a caption printed without a label
    regions = uncaptioned_regions(page, graphics, placed, layout.other, _CAPTIONED_PHOTO_SHARE)
    small = {id(region) for region in regions if not photo_sized(page, region.box)}  # see _CAPTIONED_PHOTO_SHARE
    on_picture = _may_caption_on_picture(page, layout, style)
    unplaced = [c for c in own if c.type == "Figure" and not any(r.caption is c for r in placed)]
    for region in regions:
        on_foot = caption_on_foot(region.box, on_picture, body_size)
        # Asked of the picture's raster edges, not its ink: the next page's rest is matched by its raster's edges.
        overleaf = caption_overleaf(region.box, page, content, next_page, style)
        if _is_decoration(page, style, region, on_foot, overleaf is not None):
            result.decorations.append(region)
        elif is_slice_of_next(region.box, page, content, next_page, style):
            result.slices.append(region)
        else:
            visible = ink or InkMask.of_region(page, region.box)
            shown = visible.ink_box(region.box)  # as a captioned figure's: white padding is not it
            if shown is None and region.images and all(decodes(page, image) for image in region.images):
                result.decorations.append(region)  # nothing of it shows: a raster clipped away or painted over
                continue
            region.box = shown or region.box
            if _is_one_raster(region):
                # A table printed as a picture is a figure where a Figure caption claims it, also from overleaf
                # (an e-book that pushed the caption of a page-high table to the next page).
                of_text = is_picture_of_text(page, region.box) or is_scan_of_a_text_page(page, region.graphics[0].box)
                if of_text and overleaf is None:
                    result.text_pictures.append(region)
                    continue
                clear = clear_of_text(page, region.box)
                if clear is not None:  # the raster's blank paper under the page's text is not picture
                    region.box = visible.ink_box(clear) or clear
            region.caption = overleaf or on_foot or _caption_in_a_corner(region.box, unplaced, body_size)
            if region.caption is None and not captions and not style.is_outside_content(page.number):
                region.caption = _caption_of_figure_page(page, layout, region.box, style, next_page)
            figures.append(region)
            if region.caption is None:
                pictures.append(region)
    bars: list[FigureRegion] = []  # uncaptioned bar charts, captioned by a bold title over them if any
    if not style.is_outside_content(page.number):
        figures += uncaptioned_charts(page, layout, graphics, placed)
        bars = uncaptioned_bar_charts(layout, graphics, [region.box for region in placed + figures], body_size)
        for chart in bars:
            chart.caption = bold_title_over(page, chart.box, layout.body + layout.other, body_size)
        figures += bars
        # Pictures under a photograph's size, with a caption of their own or none, may be parts of a drawing that
        # fills the page (an e-book's flow chart read by OCR, its icons found as photographs on the raster).
        loose = all(id(region) in small for region in figures)
        if loose and not (captions or result.decorations or result.slices or result.text_pictures):
            drawing = _spread_drawing(page, layout, parts) or _figure_page(page, layout, graphics, style, next_page)
            if drawing is not None:
                figures[:], pictures[:] = [drawing], []
    # A drawing on a panel of its own is kept only with a caption (a title over it): uncaptioned, it may be a
    # designed page's ornament as well as a figure.
    drawings = (
        [] if style.is_outside_content(page.number) else _drawings(layout, graphics, parts.rules, placed + figures)
    )
    # Text set on a tint laid as a raster (a cover's masthead band) is the band's, no caption of the photograph under it.
    tints = [g.box for g in graphics if flat_raster(page, g)]
    boxes = [region.box for region in placed + figures + drawings] + tints
    drawn = [g.box for g in graphics]
    titled = captions + [chart.caption for chart in bars if chart.caption is not None]  # lines no picture takes
    _caption_unlabelled(page, layout.other, layout.body, titled, pictures + drawings, boxes, body_size, drawn)
    for members, group in _photo_groups(page, layout.other, titled, pictures, boxes, body_size):
        figures[:] = [region for region in figures if all(region is not member for member in members)] + [group]
    figures[:] = [
        region
        for region in figures
        if id(region) not in small or _captioned_under(region) or set_in_the_text(region.box, page.lines, body_size)
    ]
    figures += [region for region in drawings if region.caption is not None]
    found = placed + figures + drawings + result.decorations + result.slices + result.text_pictures
    small_feet = _small_pictures_captioned_overleaf(page, layout, graphics, found, next_page, style)
    figures += small_feet
    found += small_feet
    if not style.is_outside_content(page.number):  # drawings set in the text's flow need no caption (see the function)
        figures += uncaptioned_drawings(page, graphics, [region.box for region in found], body_size)
        taken = [region.box for region in found + figures]
        chart = None if captions else uncaptioned_flow_chart(page, graphics, taken, body_size)
        figures += [chart] if chart else []
    for region in figures:  # a caption printed without a label may open with a title of its own
        if region.caption is not None:
            caption_over_filled_pages(region.caption, pages_after, body_size)
        if region.caption is not None and not region.caption.prefix:
            region.caption.title_end = title_rows_end(page, region.caption)
        elif region.caption is not None:  # a label alone over its figure: the legend listed on a page of legends
            region.caption = legend_listed_apart(region.caption, style) or region.caption
    figures.sort(key=lambda region: (region.box.top, region.box.x0))
    return result


def _small_pictures_captioned_overleaf(
    page: PageContent,
    layout: Layout,
    graphics: list[Graphic],
    found: list[FigureRegion],
    next_page: NextPage | None,
    style: DocumentStyle,
) -> list[FigureRegion]:
    """Pictures under a captioned photograph's floor (`_CAPTIONED_PHOTO_SHARE` of `photo_sized`) that end the page and
    take the labelled caption opening the next page. The document's style counts a picture a quarter inch high as
    ending a page (`DocumentStyle.pictures_at_foot`), so the next page leaves that caption to it
    (`claimed_by_previous`): it is found here, or the figure is lost (calibre at A6 scales a wide drawing of a nail to
    143 x 52 pt in its 154 pt text width and prints the caption overleaf)."""
    feet = style.pictures_at_foot(page.number)
    if not feet or next_page is None:
        return []
    content = layout.body + layout.other
    small = []
    for region in uncaptioned_regions(page, graphics, found, layout.other, share=0.0):
        if photo_sized(page, region.box, _CAPTIONED_PHOTO_SHARE) or not any(region.box.contains(f) for f in feet):
            continue  # one that big was a candidate in `detect_figures`
        if any(style.is_recurring_image(g) for g in region.images):
            continue
        region.caption = caption_overleaf(region.box, page, content, next_page, style)
        small += [region] if region.caption is not None else []
    return small


def _may_caption_on_picture(page: PageContent, layout: Layout, style: DocumentStyle) -> list[TextLine]:
    """Lines that may be a caption printed on a picture: a line below the text area is the page's margin as layout
    sees it, but a page number or a running line is furniture wherever it lies."""
    return layout.other + [line for line in layout.margin if not style.is_running_line(page, line)]


def _is_decoration(
    page: PageContent, style: DocumentStyle, region: FigureRegion, on_foot: Caption | None, overleaf: bool
) -> bool:
    """A picture repeated on 3+ pages, under display type, bled off one side of the page, cut to round shapes, or
    art on a cover or in a book's front matter; a photograph captioned by a line over its foot is a figure in the
    front matter, bled or cut round too (a report's full-page photographs before its first labelled caption),
    though not on a cover. A picture whose labelled caption opens the next page (`overleaf`) is a figure on the
    first page too: an e-book's chapter file, no page numbers to tell it from a book, opens on its chapter's
    figure and prints the caption overleaf (calibre at A6)."""
    images = region.images  # none for a raster under strokes, a drawing of this page's own
    if images and all(style.is_recurring_image(g) for g in images):
        return True
    if _under_display_type(page, region, style.body_size):
        return True
    if on_foot is None and images and (bled_off_one_side(images, page.cropbox) or all(map(cut_round, images))):
        return True
    return style.is_cover_art(page, region.box) and not overleaf and (on_foot is None or style.is_cover(page.number))


def _under_display_type(page: PageContent, region: FigureRegion, body_size: float) -> bool:
    """A word in display type (_DISPLAY_TYPE) set over the picture: as text, or as lettering, an image clipped to the
    outlines of its letters (a leaflet's question set in photo-filled type over its portrait)."""
    display = _DISPLAY_TYPE * body_size
    return any(
        line.font_size >= display
        and region.box.contains(line.box)
        and sum(char.isalpha() for char in line.text) >= _DISPLAY_WORD
        for line in page.lines
    ) or any(g.box.height >= display and clipped_to_lettering(g, _DISPLAY_WORD) for g in region.images)


def _caption_in_a_corner(box: Box, captions: list[Caption], body_size: float) -> Caption | None:
    """The Figure caption, of those no region took (`captions`), set inside the picture's box (`_INSIDE_SHARE` of it)
    within `_CORNER_EM` of two of its edges, the picture `_INSET_AREAS` times its size at least (CDC's Emerging
    Infectious Diseases: the legend printed over the blank top left corner of a tree's raster, the tree right of it
    and under it, openvirusdev 514fbd74a8 Figure 2); it is taken from `captions`."""
    reach = _CORNER_EM * body_size
    for caption in captions:
        cap = caption.box
        at_corner = min(abs(cap.top - box.top), abs(cap.bottom - box.bottom)) <= reach and (
            min(abs(cap.x0 - box.x0), abs(cap.x1 - box.x1)) <= reach
        )
        if at_corner and box.overlap_area(cap) >= _INSIDE_SHARE * cap.area and box.area >= _INSET_AREAS * cap.area:
            captions.remove(caption)
            return caption
    return None


def _captioned_under(region: FigureRegion) -> bool:
    """The picture's caption is set under it (its middle below the picture's foot), beside it (level with it, clear
    of its sides: a book's caption in the column beside its drawing) or after it at the head of the next page, not
    over it."""
    if region.caption is None:
        return False
    if region.caption.overleaf:
        return True
    caption, box = region.caption.box, region.box
    beside = caption.x0 >= box.x1 or caption.x1 <= box.x0
    return caption.cy >= box.bottom or (beside and box.top <= caption.cy <= box.bottom)


def _spread_drawing(page: PageContent, layout: Layout, parts: PageGraphics) -> FigureRegion | None:
    """The page's half of a drawing set across two facing pages, its running heads and margin tabs left out."""
    drawn = [g for g in page.graphics if g not in parts.backgrounds]
    furniture = [line.box for line in layout.margin + layout.side] + [g.box for g in parts.furniture + parts.side]
    return spread_drawing(page, drawn, furniture)


def _drawings(
    layout: Layout, graphics: list[Graphic], frames: list[Graphic], found: list[FigureRegion]
) -> list[FigureRegion]:
    claimed = {id(g) for region in found for g in region.graphics}
    free = [g for g in graphics if id(g) not in claimed]
    return drawings_on_panels(layout, free, frames, [region.box for region in found])


def _figure_page(
    page: PageContent, layout: Layout, graphics: list[Graphic], style: DocumentStyle, next_page: NextPage | None
) -> FigureRegion | None:
    """A drawing that fills a page of its own (no body text, no caption, half the page's height or more) whose
    caption is printed at the foot of the next page (`caption_at_foot_of_next`): the drawing and the text set in
    it. Without such a caption an uncaptioned drawing is not sought (a page of a ruled table would be one). What
    runs off the page's edge is furniture (a journal's section tab over the running head)."""
    inside = [g for g in graphics if page.cropbox.contains(g.box)]
    drawn = union_all([g.box for g in inside] + [line.box for line in layout.other])
    caption = _caption_of_figure_page(page, layout, drawn, style, next_page) if drawn else None
    if caption is None:
        return None
    texts = [line for line in layout.other if drawn.contains(line.box)]
    return FigureRegion(caption, drawn, inside, texts)


def _caption_of_figure_page(
    page: PageContent, layout: Layout, figure: Box, style: DocumentStyle, next_page: NextPage | None
) -> Caption | None:
    """The caption of a figure that fills a page of its own (no body text, half the page's height or more), a
    drawing or a raster plate alike, printed on the page before under a note that says so (`legend_on_page_before`),
    at the foot of the next page (`caption_at_foot_of_next`), at the foot of the page before
    (`caption_ending_page_before`) or at the head of the next page (`caption_overleaf`: an e-book's drawing, its labels
    in its raster, that filled a page and pushed its caption over, the page read by OCR)."""
    # The page's furniture may be set as wide as its text (a running head in the body's type): no body text of its own.
    if any(not style.is_margin(page, line) for line in layout.body) or figure.height < _FIGURE_PAGE_SHARE * page.height:
        return None
    found = (
        legend_on_page_before(page, style)
        or caption_at_foot_of_next(page, style, next_page)
        or caption_ending_page_before(page, style)
    )
    # The next page gives up a caption that opens it only to a raster at this page's foot (`claimed_by_previous`), as
    # a page read by OCR is: a drawing takes it only where no picture there stands over the caption.
    at_foot = picture_at_foot_holding(figure, page.number, style)
    if found is None and (at_foot is not None or not style.picture_parts_at_head(page.number + 1)):
        found = caption_overleaf(figure, page, layout.body + layout.other, next_page, style)
    return found


# Photographs set this close (in body sizes), side by side or stacked and aligned, nothing printed between, are one
# designed group when one caption serves them all (held-out 19's newsletter: gutters of 2-8 pt on 10 pt text).
_GROUP_GUTTER_EM = 1.0


def _photo_groups(
    page: PageContent,
    loose: list[TextLine],
    captions: list[Caption],
    pictures: list[FigureRegion],
    figures: list[Box],
    body_size: float,
) -> list[tuple[list[FigureRegion], FigureRegion]]:
    """Photographs set apart by narrow gutters under one caption printed without a label: (the pictures, the one
    figure they make). A group whose pictures have captions of their own stays apart (figures side by side, each
    captioned); one caption centred under or over all of it, one picture's or found for the group as a whole, makes
    the group one figure."""
    # Set together as placed: a picture's box is its ink, and a white margin in its raster (a journal cover's top)
    # would widen the gutter the designer left.
    photos = [
        _Placed(union_all([g.box for g in region.graphics]), region) for region in pictures if _is_rasters(region)
    ]
    gutter = _GROUP_GUTTER_EM * body_size
    result = []
    for placed in group_touching(photos, gutter, lambda a, b: _set_together(page, a.box, b.box)):
        group = [photo.region for photo in placed]
        captioned = [region for region in group if region.caption is not None]
        box = union_all([region.box for region in group])
        if len(group) < 2 or len(captioned) > 1 or box is None:
            continue
        if captioned:
            caption = captioned[0].caption
            if caption is None or box.v_overlap(caption.box) > 0:
                continue  # a caption between the pictures is one picture's, not the group's
        else:
            taken = _line_ids([*captions, *(region.caption for region in pictures)])
            free = [line for line in loose if id(line) not in taken]
            others = [other for other in figures if all(other is not region.box for region in group)]
            raster = union_all([g.box for region in group for g in region.graphics])
            caption = unlabelled_caption(page, box, free, others, body_size, raster)
            if caption is None:
                continue
        if abs(caption.box.cx - box.cx) > body_size:
            continue  # a group's caption is centred under (or over) the group; one picture's is centred on it
        graphics = [g for region in group for g in region.graphics]
        texts = [line for region in group for line in region.texts]
        result.append((group, FigureRegion(caption, box, graphics, texts)))
    return result


@dataclass(slots=True)
class _Placed:
    box: Box  # where the picture's rasters are placed
    region: FigureRegion


def _set_together(page: PageContent, a: Box, b: Box) -> bool:
    """Two pictures side by side or one over the other, aligned along the edge they share, no text between."""
    row = a.v_overlap(b) >= 0.5 * min(a.height, b.height)
    stack = a.h_overlap(b) >= 0.5 * min(a.width, b.width)
    if row == stack:
        return False  # apart diagonally, or one over the other's area
    if row:
        x0, x1 = sorted((min(a.x1, b.x1), max(a.x0, b.x0)))
        gap = Box(x0, max(a.top, b.top), x1, min(a.bottom, b.bottom))
    else:
        top, bottom = sorted((min(a.bottom, b.bottom), max(a.top, b.top)))
        gap = Box(max(a.x0, b.x0), top, min(a.x1, b.x1), bottom)
    # a line's box taller than two of its rows is no row of text between them (rotated credits read into a line)
    rows = [line for line in page.lines if line.box.height <= 2 * line.font_size]
    return not any(line.box.overlaps(gap) for line in rows)


def _is_rasters(region: FigureRegion) -> bool:
    """A region of raster images only, nothing drawn: text outside their bounds is not drawn on them."""
    return bool(region.graphics) and all(g.kind == "image" for g in region.graphics)


def _is_pictures(region: FigureRegion) -> bool:
    """A region of pictures only: raster images, or drawings stroked over their rasters, no loose vector art."""
    return bool(region.graphics) and all(g.kind == "image" or raster_under_strokes(g) for g in region.graphics)


def _is_one_raster(region: FigureRegion) -> bool:
    """A region that is one image and nothing drawn over it: a picture pasted whole (a slide's screenshot of a
    document, a scan's strip), the kind whose own pixels say what it shows."""
    return len(region.graphics) == 1 and region.graphics[0].kind == "image"


def _cards(page: PageContent) -> list[Box]:
    """The boxes of the page's cards darker than paper (`card_fill`)."""
    return [g.box for g in page.graphics if (grey := card_fill(g)) is not None and grey < PAPER]


def _caption_unlabelled(
    page: PageContent,
    loose: list[TextLine],
    body: list[TextLine],
    captions: list[Caption],
    pictures: list[FigureRegion],
    figures: list[Box],
    body_size: float,
    drawn: list[Box],
) -> None:
    """Give each uncaptioned picture the caption printed without a label beside it, if any; a line goes to one
    picture only, and never a line of a labelled caption. `body`: the page's body text, which a card under a picture
    sets apart from the text as the picture's (`caption_on_card`)."""
    taken = _line_ids(captions)
    cards: list[Box] | None = None  # read from pdfium only for a picture that gets this far (most pages have none)
    # Top down: a block between two stacked pictures is the upper one's caption under it before the lower one's
    # title over it (a designed page's captions under its photographs).
    for region in sorted(pictures, key=lambda region: (region.box.top, region.box.x0)):
        free = [line for line in loose if id(line) not in taken]
        others = [box for box in figures if box is not region.box]
        raster = union_all([g.box for g in region.graphics]) if _is_rasters(region) else None
        region.caption = unlabelled_caption(page, region.box, free, others, body_size, raster)
        if region.caption is None:  # the caption may be set past the labels around the picture
            _caption_past_labels(page, region, free, others, drawn, body_size, raster)
        if region.caption is None and len(region.graphics) > 1 and _is_pictures(region):
            region.caption = caption_in_gap(page, region.box, [g.box for g in region.graphics], free, body_size)
        if region.caption is None:
            on_card = free + [line for line in body if id(line) not in taken]
            cards = _cards(page) if cards is None else cards
            region.caption = caption_on_card(page, region.box, cards, on_card, body_size)
        taken |= _line_ids([region.caption])


def _caption_past_labels(
    page: PageContent,
    region: FigureRegion,
    free: list[TextLine],
    others: list[Box],
    drawn: list[Box],
    body_size: float,
    raster: Box | None,
) -> None:
    """The picture's unlabelled caption set past the labels around it (a labelled anatomical drawing): the picture
    grown by its labels, the caption looked for beyond them. The page's drawn graphics clear of it count as other
    figures: a line under a drawing not found as one (a vector drawing) is that drawing's caption, not this title."""
    labelled = with_labels(region.box, free, body_size)
    if labelled == region.box:
        return
    apart = others + [box for box in drawn if not box.overlaps(labelled)]
    caption = unlabelled_caption(page, labelled, free, apart, body_size, raster)
    if caption is not None:
        region.box, region.caption = labelled, caption


def _line_ids(captions: Iterable[Caption | None]) -> set[int]:
    """The ids of the text lines the captions hold: lines no other caption may take."""
    return {id(line) for caption in captions if caption is not None for line in caption.lines}

"""The top-level panel search: the order in which find_panels tries each way of splitting a figure."""

from __future__ import annotations

import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box, reading_order, reading_rows, union_all
from mmskin_build.extract.panels.basics import (
    MIN_PANEL_SHARE,
    _grey,
    _runs,
    alike,
    big_enough,
    in_pixels,
    in_points,
    keeping_greys,
    luma_levels,
    overlap,
    row_beside_a_wide_picture,
    share,
    strip,
)
from mmskin_build.extract.panels.black import scans_on_dark_ground
from mmskin_build.extract.panels.blocks import blocks_at_wide_gutters
from mmskin_build.extract.panels.charts import (
    charts_left_out,
    charts_one_per_letter,
    parts_one_per_letter,
    photos_and_charts,
    plots_on_axes,
    separate_charts,
    strokes_hidden,
)
from mmskin_build.extract.panels.discs import photograph_on_paper
from mmskin_build.extract.panels.drawings import (
    FRAMED_AREA,
    drawings_apart,
    drawings_by_letter,
    drawings_over_corners,
    joined_by_strokes,
    separate_drawings,
    separate_pictures,
)
from mmskin_build.extract.panels.grid import grid_and_beside, grid_letter_units
from mmskin_build.extract.panels.gutters import meets_gutter_at_an_edge, row_of_drawings, split_at_gutters
from mmskin_build.extract.panels.lettered import (
    GUTTER_SEARCH_PX,
    lettered_parts,
    parts_over_letters,
    split_on_paper,
)
from mmskin_build.extract.panels.letters import (
    PanelBox,
    caption_letters_named,
    caption_places_named,
    letter_mark,
    printed_letters,
    printed_numerals,
    subcaption_letters,
)
from mmskin_build.extract.panels.photos import EDGE_PT, mostly_pictures, photographs, runs_on, split_at_jumps
from mmskin_build.extract.panels.pixels import PrintedLetter, lettered_in_pixels, parts_at_letters
from mmskin_build.extract.panels.spans import (
    GUTTER_EDGE,
    INK_LEVEL,
    RULE_SHARE,
    divided_parts,
    ink_spans,
    plain_lines,
    ruled_cells,
)
from mmskin_build.extract.panels.twice import drawn_twice
from mmskin_build.extract.regions import FigureRegion, group_touching
from mmskin_build.text.panel_markers import letter_run

_INKED_ROW = 0.02  # a table's row with this share of ink holds something (drawings, text), not white space
_FOUND_COVER = 0.5  # panels found covering under this share of their figure left some of it out


def find_panels(region: FigureRegion, picture: Image.Image | None, caption_letters: int = 0) -> list[PanelBox]:
    """Panels in reading order; empty for a single-image figure.

    Separate images are panels; one picture that fills the figure is split where a gutter or a seam
    crosses it (`picture` is the figure as pixels, covering `region.box`); images placed edge to edge with
    neither are panels where the picture jumps at their shared edges. Either way the parts are panels only when
    they are alike in size or lettered one each (`caption_letters`: the sub-caption letters the caption names):
    the cells of a poster, a chart or a flow chart are parts of one picture. Pictures a caption names by place
    ("(left) ... (right)") count as lettered where the search found fewer than two without.
    """
    with keeping_greys():
        panels = _find_panels(region, picture, caption_letters)
        if len(panels) < 2 and caption_letters < 2 and picture is not None and (places := caption_places_named(region)):
            return _find_panels(region, picture, places)  # "(left) ... (right)" names two pictures as letters would
        return _pictures_of_each_letter(panels, region, picture, caption_letters)


def _pictures_of_each_letter(
    panels: list[PanelBox], region: FigureRegion, picture: Image.Image | None, letters: int
) -> list[PanelBox]:
    """Where the panels found are one per letter the caption names, each cut into the photographs its gutters part it
    into (`_pictures_in`), each of its letter's group: a letter names a grid of photographs in one raster ("(A)" over
    a grid of wound photographs in rows, "(B)" a chart)."""
    if picture is None or not region.images or letters < 2 or len(panels) != letters:
        return panels
    lettered = any(panel.letter for panel in panels)
    cut: list[PanelBox] = []
    for group, panel in enumerate(panels):
        if lettered and not panel.letter:
            cut.append(panel)  # a band under letters read in the pixels (a table, a key): no letter's pictures
            continue
        parts = _pictures_in(panel.box, picture, region.box)
        cut += [PanelBox(box, panel.letter, group=None if panel.letter else group) for box in parts]
    return cut if len(cut) > len(panels) else panels


def _pictures_in(panel: Box, picture: Image.Image, figure: Box) -> list[Box]:
    """The panel's photographs set apart on paper (`split_on_paper`) in reading order, when alike and none a strip (a
    blot's rows, cut at the white between them); else the panel. Only photographs: a diagram and its key on a tint
    beside it are one panel."""
    pixels = in_pixels([panel], (picture.height, picture.width), figure)[0]
    parts = split_on_paper(_grey(picture.crop(pixels), GUTTER_SEARCH_PX), panel)
    if len(parts) < 2 or any(strip(box) for box in parts) or not alike(parts):
        return [panel]
    return reading_order(parts) if all(photographs(parts, picture, figure)) else [panel]


def _find_panels(region: FigureRegion, picture: Image.Image | None, caption_letters: int) -> list[PanelBox]:
    boxes = _separate_pictures(region, picture) or separate_drawings(region)
    if _insets_of_lettered_drawings(boxes, region):
        boxes = []  # the gutters part the drawings
    if picture is not None and len(boxes) >= 2 and _most_left_out(boxes, region.box):  # pictures set in drawings
        boxes = _parts_at_dividers(picture, region.box, caption_letters) or _tiles_holding(boxes, region) or boxes
    from_gutters, grey = False, None
    if len(boxes) < 2 and picture is not None and region.images:
        grey = _grey(picture, GUTTER_SEARCH_PX)
        boxes, from_gutters = split_at_gutters(grey, region.box), True
        if len(boxes) < 2 and len(region.images) >= 2:
            boxes, from_gutters = _rasters_apart(region, picture), False
    if len(boxes) < 2 and max(caption_letters, subcaption_letters(region)) < 2:
        if grey is None and picture is not None and strokes_hidden(region):
            grey = _grey(picture, GUTTER_SEARCH_PX)  # its charts are found in its pixels
        boxes = separate_charts(region, grey) or drawings_apart(region)  # lettered: charts cut for their letters
        if len(boxes) < 2 and grey is not None and region.images:
            boxes = blocks_at_wide_gutters(grey, region.box) or drawn_twice(grey, region.box)
        elif len(boxes) < 2 and grey is not None:
            boxes = _tiles_of_one_form(grey, region.box)
    elif len(boxes) < 2 and not region.images:  # letters printed under charts name them as the caption's would
        letters = max(caption_letters, subcaption_letters(region))
        boxes = drawings_by_letter(region) or charts_one_per_letter(region, picture, letters)
    if _drawn_along_a_row(boxes):
        boxes = []  # a pipeline's ends, not panels
    boxes = [box for box in boxes if not strip(box)]
    if from_gutters and not _hold_images(boxes, region):
        boxes = []  # the drawing beside a logo cut at its rules: a drawing's parts are panels when lettered
    if from_gutters and len(boxes) >= 2 and _ruled_row_left_out(grey, in_pixels(boxes, grey.shape, region.box)):
        boxes = []  # a table printed as a picture: the drawings in some of its cells are no panels
    if caption_letters < 2 and joined_by_strokes(boxes, region):
        boxes = []  # steps of one diagram
    kept = len(boxes) >= 2 and (
        alike(boxes)
        or len(boxes) in (caption_letters, printed_letters(region))
        or (from_gutters and _blank_gutters_only(picture, region.box, boxes))
        or (from_gutters and grey is not None and row_of_drawings(grey, in_pixels(boxes, grey.shape, region.box)))
        or (from_gutters and _photograph_set_into_drawing(boxes, picture, region.box))
    )
    may_leave_charts = kept and picture is not None and _charts_may_be_left_out(boxes, from_gutters, caption_letters)
    if may_leave_charts and mostly_pictures(boxes, picture, region.box):
        grey = _grey(picture, GUTTER_SEARCH_PX) if grey is None else grey
        boxes = boxes + charts_left_out(grey, region.box, boxes, beside=not from_gutters)  # among its photographs
    if not kept:
        letters = max(caption_letters, subcaption_letters(region))
        if not (from_gutters and _letters_under_groups(boxes, picture, region.box, letters)):
            boxes = (
                _photographs_laid_together(region, picture)
                or _pictures_over_a_wide_one(region, picture)
                or lettered_parts(region, picture, letters)
                or (scans_on_dark_ground(grey, region.box) if from_gutters and grey is not None else [])
            )
    if 2 <= caption_letters and len(boxes) < 2 and picture is not None:
        grey = _grey(picture, GUTTER_SEARCH_PX) if grey is None else grey
        boxes = photos_and_charts(grey, region.box, caption_letters) or parts_one_per_letter(
            grey, region.box, caption_letters
        )
    if region.images and 2 <= caption_letters and len(boxes) < caption_letters:
        boxes = (
            split_at_jumps(boxes or [region.box], picture, region.box, caption_letters)
            or _parts_over_their_letters(picture, region.box, caption_letters)
            or boxes
        )
    if region.images and 2 <= caption_letters and len(boxes) < 2:
        boxes = charts_one_per_letter(region, picture, caption_letters)  # charts in ruled frames, a letter a row
    if region.images and 2 <= caption_letters and len(boxes) < 2 and picture is not None:
        boxes = _ruled_cells_lettered(picture, region.box, caption_letters)
    if region.images and 2 <= caption_letters and len(boxes) < 2 and picture is not None:
        boxes = grid_and_beside(_grey(picture, GUTTER_SEARCH_PX), region.box)  # micrographs too small for the search
    boxes = boxes + photograph_on_paper(region, picture, boxes)
    if len(boxes) < 2 and picture is not None:
        on_axes = plots_on_axes(_grey(picture, GUTTER_SEARCH_PX), region.box)
        boxes = _parts_at_dividers(picture, region.box, caption_letters) or on_axes or boxes
    lettered = _cut_at_numerals(region, picture, len(boxes)) or _lettered_in_pixels(region, picture, boxes)
    if lettered:
        return lettered
    panels = [PanelBox(box) for box in reading_order(_grown_to_images(boxes, region))]
    groups = (
        _letter_groups([p.box for p in panels], region, picture, caption_letters)
        if 2 <= caption_letters < len(panels)
        else []
    )
    for panel, group in zip(panels, groups, strict=False):  # no groups: none
        panel.group = group
    return panels


def _parts_at_dividers(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """The figure cut at the dividers drawn across it (`divided_parts`); where the caption names more letters than
    that gives parts, one of the parts cut at its blank gutters when that gives each letter a part ("(a)" over a
    dashed rule, "(b)" and "(c)" side by side under it, white between them; (a)'s own white space would cut it in
    three). Small pictures set in a diagram (cartoon heads in its boxes) are its parts, not panels. Parts of unlike
    sizes are not panels unless the letters say so, as for the gutters' parts: a diagram's own lines may run across it
    (a barrier and a screen drawn down a wave's path)."""
    grey = _grey(picture, GUTTER_SEARCH_PX)
    parts = divided_parts(grey)
    if 2 <= len(parts) < letters:
        cuts = [parts[:i] + _cut_at_blanks(grey, part) + parts[i + 1 :] for i, part in enumerate(parts)]
        parts = next((cut for cut in cuts if len(cut) == letters), parts)
    boxes = in_points(parts, grey.shape, figure)
    return boxes if boxes and (len(boxes) == letters or alike(boxes)) else []


def _tiles_holding(pictures: list[Box], region: FigureRegion) -> list[Box]:
    """The figure's drawn tiles (`separate_drawings`: each a frame or ground of its own) when they are fewer than the
    pictures found, which leave most of the figure out, and each picture lies in a tile: the pictures are parts of
    the tiles, as a chart's raster body is of its axes and labels (two grey-headed tiles,
    "(Left)" and "(Right)", each holding two heat-map matrices drawn as rasters, a third of the figure)."""
    tiles = separate_drawings(region)
    if not 2 <= len(tiles) < len(pictures):
        return []
    held = all(any(box.overlap_area(tile) >= FRAMED_AREA * box.area for tile in tiles) for box in pictures)
    return tiles if held else []


def _cut_at_blanks(grey: np.ndarray, part: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The part cut in the middle of each of its blank gutters (`ink_spans`), columns first, else rows; whole
    when it has none. The pieces tile the part: what lies beyond the spans stays with the piece beside it."""
    x0, y0, x1, y1 = part
    for axis in (1, 0):
        spans = ink_spans(grey[y0:y1, x0:x1], axis)
        if spans:
            start, end = (x0, x1) if axis == 1 else (y0, y1)
            edges = [start, *((start + (a[1] + b[0]) // 2) for a, b in zip(spans, spans[1:], strict=False)), end]
            pairs = zip(edges, edges[1:], strict=False)
            return [(a, y0, b, y1) if axis == 1 else (x0, a, x1, b) for a, b in pairs]
    return [part]


def _drawn_along_a_row(parts: list[Box]) -> bool:
    """Whether the parts stand in one row with a strip between two of them that is wider than tall and wider than any
    other part: one drawing laid out along the row, a pipeline's boxes and arrows ("Original Data", four
    steps in a dashed frame, "Results", cut at the blank beside the frame into a box, a strip four times as wide and a
    box; with the strip dropped as a legend, the two ends would pass as alike panels). A
    legend or a colour bar cut off beside panels stands at the row's end, or is narrower than the panels."""
    rows = reading_rows(parts)
    if len(rows) != 1 or len(parts) < 3:
        return False
    inner = rows[0][1:-1]
    return any(
        strip(box) and box.width > box.height and all(box.width > other.width for other in parts if other is not box)
        for box in inner
    )


def _tiles_of_one_form(grey: np.ndarray, figure: Box) -> list[Box]:
    """A drawing kept whole in one form (`strokes_hidden`) cut at its blank gutters into parts alike in size: a
    plotting program's facets side by side, each on a tinted ground of its own (heat-map tiles on grey,
    no axes lines, so no charts). Parts of unlike sizes are a diagram's boxes; seams are not looked for: the white grid
    lines on a tinted plot's ground are seams, and would cut a row of ggplot facets into many cells."""
    parts = [box for box in split_at_gutters(grey, figure, seams=False) if not strip(box)]
    return parts if len(parts) >= 2 and alike(parts) else []


def _insets_of_lettered_drawings(boxes: list[Box], region: FigureRegion) -> bool:
    """Whether the separate rasters found are insets of the figure's drawings, not its panels: fewer than the letters
    printed in the figure and covering under half of it (`_most_left_out`; held-out 32 BMC Evol Biol Figure 3, four
    vector maps A-D, two of them holding a small raster)."""
    return 2 <= len(boxes) < printed_letters(region) and _most_left_out(boxes, region.box)


def _parts_over_their_letters(picture: Image.Image | None, figure: Box, letters: int) -> list[Box]:
    """The picture cut over the row of letters printed under (or over) its parts (`parts_over_letters`), where the
    search found fewer parts than the caption names letters: a photograph of an object on white paper reads as gutter
    and is lost (held-out 32 J Orthop Surg Res Figure 5: four photographs a-d in one raster, c a robot on white)."""
    if picture is None:
        return []
    grey = _grey(picture, GUTTER_SEARCH_PX)
    return in_points(parts_over_letters(grey, letters), grey.shape, figure)


def _charts_may_be_left_out(parts: list[Box], from_gutters: bool, letters: int) -> bool:
    """Whether a lettered plate's photographs may leave its charts out: the gutter search drops a chart's slivers;
    separate rasters fewer than the letters leave out the charts drawn in vector beside them (a case report's four
    micrographs over a bar chart "(e)" drawn under them)."""
    return 2 <= letters and (from_gutters or len(parts) < letters)


def _lettered_in_pixels(region: FigureRegion, picture: Image.Image | None, found: list[Box]) -> list[PanelBox]:
    """The panels cut at the letters printed in the picture's pixels (`lettered_in_pixels`), each with its letter,
    where the caption names more letters than the text layer prints and the search found fewer panels, or panels
    that leave most of the figure out (`_most_left_out`): letters burned into photographs, or set in a raster of a
    flow chart (papers VESPA Figure 2, "(A)"-"(E)"). A letter's part that holds two or more of the panels found
    gives those, each with its letter (`_found_in_parts`). Tesseract is asked about these figures only."""
    named = caption_letters_named(region)
    if picture is None or not region.images or subcaption_letters(region) >= named:
        return []
    if len(found) >= named and not _most_left_out(found, region.box):
        return []
    parts = _found_in_parts(lettered_in_pixels(picture, region.box, named), found)
    letter_of = dict(parts)
    return [PanelBox(box, letter_of[box]) for box in reading_order(list(letter_of))]


def _cut_at_numerals(region: FigureRegion, picture: Image.Image | None, found: int) -> list[PanelBox]:
    """The panels cut at the roman numerals the text layer prints in the figure (`printed_numerals`), each with its
    numeral, where the search found fewer panels than numerals: the cut that `lettered_in_pixels` makes at letters
    read in the pixels, from the text layer's boxes."""
    numerals = printed_numerals(region)
    if picture is None or len(numerals) <= found:
        return []
    grey = _grey(picture, GUTTER_SEARCH_PX)
    marks = in_pixels([box for _, box in numerals], grey.shape, region.box)
    parts = parts_at_letters(grey, [PrintedLetter(n, mark) for (n, _), mark in zip(numerals, marks, strict=True)])
    boxes = in_points([box for box, _ in parts], grey.shape, region.box)
    return [PanelBox(box, numeral) for box, (_, numeral) in zip(boxes, parts, strict=True)]


def _most_left_out(found: list[Box], figure: Box) -> bool:
    """Whether the panels found cover under half the figure: photographs cut at their gutters, the charts and
    drawings lettered among them left out (held-out 26 emi2020 Figure 1: six photographs of letters B, C and F
    found, the timeline A and charts D and E not)."""
    return sum(box.area for box in found) < _FOUND_COVER * figure.area


def _found_in_parts(parts: list[tuple[Box, str | None]], found: list[Box]) -> list[tuple[Box, str | None]]:
    """Each lettered part, or the panels found inside it (FRAMED_AREA of each) where it holds two or more, each with
    the part's letter: a letter naming a group of photographs (emi2020 Figure 1: "B" over two micrographs, "F"
    over three), each of which is a panel."""
    cut: list[tuple[Box, str | None]] = []
    for part, letter in parts:
        inside = [box for box in found if box.overlap_area(part) >= FRAMED_AREA * box.area]
        cut += [(box, letter) for box in inside] if len(inside) >= 2 else [(part, letter)]
    return cut


def _separate_pictures(region: FigureRegion, picture: Image.Image | None) -> list[Box]:
    """The figure's separate pictures, each a group of touching images; where a group holds photographs laid against
    each other by hand, those photographs (held-out 19's 2 x 2 grid: its columns a gutter apart, each column two
    photographs abutting, read as two pictures)."""
    boxes = separate_pictures(group_touching(region.images), region.box, picture)
    if not 2 <= len(boxes) < len(region.images):
        return boxes
    laid = _photographs_laid_together(region, picture)
    return laid if len(laid) > len(boxes) else boxes


def _rasters_apart(region: FigureRegion, picture: Image.Image) -> list[Box]:
    """The figure's touching rasters grouped only where they are tiles of one picture or an inset (`runs_on`): the
    groups when most are photographs, or drawings laid over each other's corners."""
    joined = runs_on(luma_levels(picture), region.box)
    groups = group_touching(region.images, joined=joined)
    return separate_pictures(groups, region.box, picture) or drawings_over_corners(groups, region.box)


def _photographs_laid_together(region: FigureRegion, picture: Image.Image | None) -> list[Box]:
    """The figure's rasters as panels when each is a photograph and no two are tiles of one picture or an inset
    (`runs_on`): photographs of a group set against or over each other by hand are panels whatever their sizes
    (held-out 19's newsletter groups: a pair over a wide photograph, a grid whose rows overlap)."""
    if picture is None or len(region.images) < 2:
        return []
    boxes = _rasters_apart(region, picture)
    return boxes if len(boxes) >= 2 and all(photographs(boxes, picture, region.box)) else []


def _pictures_over_a_wide_one(region: FigureRegion, picture: Image.Image | None) -> list[Box]:
    """The figure's separate rasters (groups of touching ones) as panels when they are a row of pictures over or
    under one as wide as the row (`row_beside_a_wide_picture`) and most of the row are photographs: the wide one
    may be a drawing, and so may one of the row (held-out 4 Figure 8: two micrographs and a line drawing over a
    life-cycle drawing); a row mostly of drawings may be the boxes of one diagram. Only rasters: the parts that
    `separate_drawings` finds in a diagram can lay out the same way (the dengue guidelines' Figure 4.4, a diagram
    with a raster in it, came out as a wide part over three when the rule took every part)."""
    if picture is None:
        return []
    groups = [union_all(image.box for image in group) for group in group_touching(region.images)]
    boxes = [box for box in groups if box is not None and big_enough(box, region.box)]
    row = row_beside_a_wide_picture(boxes)
    return boxes if row and mostly_pictures(row, picture, region.box) else []


def _ruled_cells_lettered(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """A lettered picture ruled into as many cells as the caption names letters (`ruled_cells`; Scientific Reports
    2021 Figure 2: radiographs "a)" over charts "b)" and "c)"): each cell is a panel, or its photographs are where
    its gutters part it into photographs only (the two radiographs of "a)"; `_letter_groups` gives them its letter)."""
    grey = _grey(picture, GUTTER_SEARCH_PX)
    cells = ruled_cells(grey)
    if len(cells) != letters:
        return []
    panels = []
    for cell, (x0, y0, x1, y1) in zip(in_points(cells, grey.shape, figure), cells, strict=True):
        parts = split_at_gutters(grey[y0:y1, x0:x1], cell)
        panels += parts if len(parts) >= 2 and all(photographs(parts, picture, figure)) else [cell]
    return panels


def _photograph_set_into_drawing(parts: list[Box], picture: Image.Image | None, figure: Box) -> bool:
    """Whether the gutter search's two parts are a photograph and a drawing whose boxes overlap: a photograph set into
    a drawing's corner (held-out 14 Figure 4.19, a micrograph of neurons and a drawn neuron) differs from it in size,
    as each is set at its own scale. Parts that a gutter parts do not overlap, and a photograph beside a drawing of
    another size there is a chart's key or a flow chart's picture as often (held-out 4, 6, dev: one picture)."""
    if picture is None or len(parts) != 2 or parts[0].overlap_area(parts[1]) <= 0:
        return False
    return len(set(photographs(parts, picture, figure))) == 2


def _grown_to_images(boxes: list[Box], region: FigureRegion) -> list[Box]:
    """Each part grown over the one image of the figure it overlaps, when no other part overlaps that image: a part
    cut at the picture's gutters is trimmed to its ink, the image's white margin left out, and a sub-caption printed
    under the image then stands nearer the part under it (held-out 15 scrbook Figure 6.12: "(a) ..." under the
    drawing, 34 pt from its trimmed part and 1 pt over the micrograph's, lettered the micrograph). Unchanged when
    the grown parts would overlap."""
    grown = []
    for box in boxes:
        images = [image.box for image in region.images if image.box.overlap_area(box) > 0]
        alone = len(images) == 1 and not any(images[0].overlap_area(other) > 0 for other in boxes if other is not box)
        grown.append(box.union(images[0].intersection(region.box) or box) if alone else box)
    return boxes if any(a.overlap_area(b) > 0 for i, a in enumerate(grown) for b in grown[i + 1 :]) else grown


def _letters_under_groups(parts: list[Box], picture: Image.Image | None, figure: Box, letters: int) -> bool:
    """Whether the letters printed in the picture under its parts (`_parts_over_letters`) name groups of the
    drawings and photographs cut at the gutters: more pictures than letters, some photographs and some not, each
    picture lying in one letter's part (_FRAMED_AREA of it at least), each letter's part holding one or more, alike in
    size (held-out 13 Figure 21.18: "(a)" under three drawings of pores, "(b)" under a photograph; the pictures are
    the panels, as in the truth's rule for a letter naming a group). A diagram cut at its own white space leaves
    pieces of unlike sizes under its letter (held-out 9 Figure 5.16's (b))."""
    if picture is None or len(parts) <= letters or len(set(photographs(parts, picture, figure))) < 2:
        return False
    grey = _grey(picture, GUTTER_SEARCH_PX)
    homes = _homes(parts, in_points(parts_over_letters(grey, letters), grey.shape, figure))
    groups = [[part for part, home in zip(parts, homes, strict=True) if home == i] for i in set(homes)]
    return bool(homes) and all(alike(group) for group in groups)


def _homes(parts: list[Box], lettered: list[Box]) -> list[int]:
    """For each part, the index of the lettered part it lies in (_FRAMED_AREA of it at least), when each lies in one
    and each of two or more lettered parts holds one or more; [] otherwise."""
    homes = [
        [i for i, group in enumerate(lettered) if part.overlap_area(group) >= FRAMED_AREA * part.area] for part in parts
    ]
    if len(lettered) < 2 or not all(len(home) == 1 for home in homes):
        return []
    found = [home[0] for home in homes]
    return found if set(found) == set(range(len(lettered))) else []


def _letter_groups(panels: list[Box], region: FigureRegion, picture: Image.Image | None, letters: int) -> list[int]:
    """For more panels than the caption names letters, the group each panel's letter names (0 for the first letter):
    the part over its letter printed under groups side by side in one row (`parts_over_letters`; held-out 13 Figure
    21.18: "(a)" under three drawings, "(b)" under a photograph); else its row, when the panels stand in as many rows as
    letters (held-out 10 Scientific Reports Figure 3: "a)" and "b)" naming two rows of four charts), or its column,
    the same way. Where the rows and the columns are both as many, the letters name the ones that the picture's
    gutters part across its whole width (held-out 14 Figure 4.15: "(a)" and "(b)" each naming a row of a drawing and
    a micrograph, labels with leader lines crossing between the two); a grid parted both ways says nothing (a 2 x 2
    grid of scans with two letters may name its rows or its columns). [] when nothing names groups."""
    grey = None if picture is None else _grey(picture, GUTTER_SEARCH_PX)
    if grey is not None and (homes := _homes(panels, grid_letter_units(grey, region.box, letters))):
        return homes  # a letter a row (or column) of a grid of like tiles, or a picture beside it
    if grey is not None and len(cells := ruled_cells(grey)) == letters:  # a letter a ruled cell
        homes = _homes(panels, in_points(cells, grey.shape, region.box))
        if homes:
            return homes
    rows = reading_rows(panels)
    if grey is not None and len(rows) == 1:  # a row of letters under more rows names the lowest row's panels
        homes = _homes(panels, in_points(parts_over_letters(grey, letters), grey.shape, region.box))
        if homes:
            return homes
    under = _rows_over_letters(rows, region, letters)
    if under:
        row_of = {box: r for r, row in enumerate(rows) for box in row}
        return [next(group for group, last in enumerate(under) if row_of[panel] <= last) for panel in panels]
    lines = [
        rows,
        [[box.transposed() for box in column] for column in reading_rows([panel.transposed() for panel in panels])],
    ]
    fitting = [(axis, groups) for axis, groups in enumerate(lines) if len(groups) == letters]
    if len(fitting) == 2:
        fitting = [
            (axis, groups) for axis, groups in fitting if grey is not None and _parted(grey, region.box, groups, axis)
        ]
    if len(fitting) != 1:
        return []
    _, groups = fitting[0]
    return [next(i for i, group in enumerate(groups) if panel in group) for panel in panels]


def _rows_over_letters(rows: list[list[Box]], region: FigureRegion, letters: int) -> list[int]:
    """The last row of each letter's group, when the figure prints its letters (text layer) one under each of some
    rows of panels, in order, the last under the last row (the sweep's hepatic imaging Figure 3: "(a)" under the
    second of four rows of scans, "(b)" under the fourth: each names the rows down to it). [] otherwise."""
    marks = sorted(
        ((line.box, match.group(1).lower()) for line in region.texts if (match := letter_mark(line.text))),
        key=lambda mark: mark[0].cy,
    )
    if len(marks) != letters or [letter for _, letter in marks] != letter_run("a", letters) or len(rows) <= letters:
        return []
    tops = [min(box.top for box in row) for row in rows[1:]] + [float("inf")]
    bottoms = [max(box.bottom for box in row) for row in rows]
    under = [
        next(
            (i for i, (bottom, top) in enumerate(zip(bottoms, tops, strict=True)) if bottom - EDGE_PT <= box.cy <= top),
            None,
        )
        for box, _ in marks
    ]
    if None in under or under[-1] != len(rows) - 1 or sorted(set(under)) != under:
        return []
    return under


def _parted(grey: np.ndarray, figure: Box, groups: list[list[Box]], axis: int) -> bool:
    """Whether a plain line (paper or a rule, no stroke) runs across the whole picture between each two neighbouring
    groups (rows when `axis` is 0, columns when 1), within the gap between their panels or at its edges."""
    lines = grey if axis == 0 else grey.T
    scale = lines.shape[0] / (figure.height if axis == 0 else figure.width)
    origin = figure.top if axis == 0 else figure.x0
    for first, second in zip(groups, groups[1:], strict=False):
        end = max(box.bottom if axis == 0 else box.x1 for box in first)
        start = min(box.top if axis == 0 else box.x0 for box in second)
        low, high = sorted((round((end - origin) * scale), round((start - origin) * scale)))
        if not plain_lines(lines[max(0, low - GUTTER_EDGE) : high + GUTTER_EDGE + 1]).any():
            return False
    return True


def needs_pixels(region: FigureRegion, caption_letters: int) -> bool:
    """Whether the panel search looks at the figure's pixels: a figure of images, or a drawn one whose caption or
    printed letters name two or more panels (a lettered grid of charts is cut at its blank gutters), or whose strokes
    lie hidden in one form (`strokes_hidden`: its charts are found in its pixels), or whose caption
    names two or more by place (dev ICML 2013 plots: "Left: relative error vs. M. Right: running time vs. M.")."""
    if region.images or strokes_hidden(region) or max(caption_letters, subcaption_letters(region)) >= 2:
        return True
    return caption_places_named(region) >= 2


def _hold_images(boxes: list[Box], region: FigureRegion) -> bool:
    """Whether any of the parts cut from the figure's pixels holds an image object of the region. A slide drawn
    as vectors (a table's cells on a dark fill, a small flag or logo in a corner) renders as a picture like a
    photograph's and is cut at its white rules into cells that hold none (held-out 5 workshop report Figure 21,
    a cost table cut in 8)."""
    return any(box.overlap_area(image.box) > 0 for box in boxes for image in region.images)


def _blank_gutters_only(picture: Image.Image | None, figure: Box, boxes: list[Box]) -> bool:
    """Photographs set apart on the paper: every part is a photograph, and the picture splits into as many parts
    at blank gutters alone (white or black). A poster's tiles or a chart's cells meet at seams (one tile's edge
    against the next), and without the seams they split into far fewer parts (measured: 6 -> 1, 19 -> 3,
    10 -> 0; a 4x4 grid of photos 13 -> 16)."""
    if picture is None or not all(photographs(boxes, picture, figure)):
        return False  # arrows and labels set apart beside a photograph annotate it
    grey = _grey(picture, GUTTER_SEARCH_PX)
    if not all(meets_gutter_at_an_edge(grey, figure, box) for box in boxes):
        return False  # pieces of one painting cut at a white stretch its colours fade into
    return len([b for b in split_at_gutters(grey, figure, seams=False) if not strip(b)]) >= len(boxes)


def _ruled_row_left_out(grey: np.ndarray, pieces: list[tuple[int, int, int, int]]) -> bool:
    """Whether the picture is ruled into rows (three rules or more across its whole width) and a row as tall as a
    panel, with ink in it, holds none of the pieces: a table printed as a picture (held-out 14 Figure 4.3, "Germ
    Layer / Gives rise to": the gutter search cut the framed drawings of two rows into six panels and left the
    third row's smaller drawings and every cell's text out). The rows of a ruled plate each hold panels."""
    ink = grey < INK_LEVEL
    rules = _runs(share(ink, axis=1) >= RULE_SHARE)
    if len(rules) < 3:
        return False
    least = MIN_PANEL_SHARE * grey.shape[0]
    return any(
        bottom - top >= least
        and share(ink[top:bottom]) >= _INKED_ROW
        and not any(overlap(top, bottom, y0, y1) or top <= y0 < y1 <= bottom for _, y0, _, y1 in pieces)
        for (_, top), (bottom, _) in zip(rules, rules[1:], strict=False)
    )

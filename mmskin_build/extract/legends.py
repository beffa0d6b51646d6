"""Legend blocks: a map's or a chart's key printed apart from its picture, lines of small type each led by a colour
swatch ("■ Endemic", "■ Non-endemic"), often under a heading of its own ("MDA coverage"). A report sets such a key
beside or under a raster map as vector text, a gap of white space away: it belongs to the figure, not the page."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from mmskin_build.extract.geometry import Box, union_all
from mmskin_build.extract.page import Graphic, TextLine

_SMALL_TYPE = 0.95  # a legend line is set smaller than the body text (a share of the body size)
_SWATCH_EM = 2.0  # a swatch is at most this wide, in the legend line's font sizes
_DRAWN_PT = 0.5  # a swatch drawn 2 em wide measures a little over (its outline's stroke)
_COLUMN_OF_SWATCHES_EM = 0.5  # a mark taller than a swatch is a column of them if at least this wide, else a rule
_SWATCH_GAP_EM = 1.5  # and ends at most this far left of its line's text
_LINE_GAP_EM = 2.2  # lines of one legend are at most this far apart (a heading may stand a blank line over them)
_ALIGN_EM = 1.5  # and start this close to one another's left edge (a heading over the swatches, or level with them)
# A key's column is narrow (in body sizes): wider blocks of small type are tables or plots, unless a swatch leads
# every line (a key of entries printed in two languages, each entry a long line).
_MAX_WIDTH_EM = 12.0
_MIN_ENTRIES = 2  # a key explains two things or more: one swatched line is a labelled mark, not a legend


@dataclass(slots=True)
class _Block:
    box: Box
    lines: int = 0
    entries: int = 0  # lines led by a swatch


def legend_blocks(lines: list[TextLine], graphics: list[Graphic], body_size: float) -> list[Box]:
    """Each legend on the page: a column of lines in small type, most of them led by a swatch, as one box with
    the swatches. Lines printed over a picture are its labels, not a key beside it."""
    pictures = [g.box for g in graphics if g.kind == "image" and g.box.width > _SWATCH_EM * body_size]
    small = [
        line
        for line in lines
        if line.font_size < _SMALL_TYPE * body_size and not any(p.contains(line.box) for p in pictures)
    ]
    # Marks narrow enough to be a small line's swatch, by right edge: a chart's thousands of paths are looked up, not
    # scanned, for each line.
    marks = sorted(
        (g.box for g in graphics if g.box.width <= _SWATCH_EM * _SMALL_TYPE * body_size), key=lambda box: box.x1
    )
    ends = [box.x1 for box in marks]
    blocks: list[_Block] = []
    for line in sorted(small, key=lambda line: line.box.top):
        x0, size = line.box.x0, line.font_size
        near = marks[bisect_left(ends, x0 - _SWATCH_GAP_EM * size) : bisect_right(ends, x0 + 1.0)]
        swatches = [box for box in near if _leads(box, line)]
        box = union_all([line.box, *swatches])
        block = next((b for b in blocks if _goes_on(b.box, box, line.font_size)), None)
        if block is None:
            block = _Block(box)
            blocks.append(block)
        entry = bool(swatches) and _names_something(line.text)
        block.box, block.lines, block.entries = block.box.union(box), block.lines + 1, block.entries + entry
    return [
        _with_frame(b.box, graphics, body_size)
        for b in blocks
        if b.entries >= _MIN_ENTRIES
        and 2 * b.entries >= b.lines
        and (b.box.width <= _MAX_WIDTH_EM * body_size or b.entries == b.lines)
    ]


def _with_frame(block: Box, graphics: list[Graphic], body_size: float) -> Box:
    """The key with the frame drawn around it: the smallest graphic holding it no more than a body line clear of it
    on every side."""
    frames = [
        g.box
        for g in graphics
        if g.box.contains(block)
        and max(block.x0 - g.box.x0, block.top - g.box.top, g.box.x1 - block.x1, g.box.bottom - block.bottom)
        <= body_size
    ]
    return min(frames, key=lambda frame: frame.area, default=block)


def _names_something(text: str) -> bool:
    """A key's entry names something ("Endemic"); a number alone beside a mark is a chart's tick label or data
    value (a key may hold some, "65-80 %", beside worded entries)."""
    return sum(map(str.isalpha, text)) >= 2


def is_tick_label(text: str) -> bool:
    """A number alone ("25", "0.5", "100 %"): a chart's tick label or data value, naming nothing."""
    return any(map(str.isdigit, text)) and not _names_something(text)


def _leads(swatch: Box, line: TextLine) -> bool:
    """`swatch` is a small mark just left of the line and level with it (one image may hold a column of them). A rule
    drawn down past the line is none: a diagram's dashed divider beside its row labels (science-parse e4aa322181
    Figure 2, "v0 v1 v2 v3" under each of three time steps, read as three keys that hid the whole figure)."""
    size = line.font_size
    return (
        swatch.width <= _SWATCH_EM * size + _DRAWN_PT
        and (swatch.height <= _SWATCH_EM * size or swatch.width >= _COLUMN_OF_SWATCHES_EM * size)
        and -1.0 <= line.box.x0 - swatch.x1 <= _SWATCH_GAP_EM * size
        and swatch.v_overlap(line.box) > 0
    )


def _goes_on(block: Box, box: Box, size: float) -> bool:
    """`box` (a line and its swatch) is the next line down of the column of entries `block`."""
    return (
        box.top >= block.top
        and box.top - block.bottom <= _LINE_GAP_EM * size
        and abs(box.x0 - block.x0) <= _ALIGN_EM * size
    )

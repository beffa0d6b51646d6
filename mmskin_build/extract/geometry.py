"""Axis-aligned boxes in page points with a top-left origin (pdfplumber's page coordinates).

The methods are called hundreds of thousands of times per document, so they compare with conditional expressions
instead of calling min() and max(): `b if b < a else a` is min(a, b) exactly (the first of equal values), at a
third of the cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


# Not `frozen`: a frozen dataclass sets each field through object.__setattr__, which made building a box (420,000
# per run of the dev PDFs) three times as slow. Boxes are never changed after they are made; equality and the hash
# are the frozen dataclass's (`unsafe_hash`: a hash of the four values).
@dataclass(slots=True, unsafe_hash=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def area(self) -> float:
        width, height = self.x1 - self.x0, self.bottom - self.top
        return (width if width > 0.0 else 0.0) * (height if height > 0.0 else 0.0)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def transposed(self) -> Box:
        """The box with its axes swapped: a question asked of columns asked of rows (bars standing on an x axis
        read as bars along a y axis, side-by-side panels as stacked ones)."""
        return Box(self.top, self.x0, self.bottom, self.x1)

    def union(self, other: Box) -> Box:
        a, b = self, other
        return Box(
            b.x0 if b.x0 < a.x0 else a.x0,
            b.top if b.top < a.top else a.top,
            b.x1 if b.x1 > a.x1 else a.x1,
            b.bottom if b.bottom > a.bottom else a.bottom,
        )

    def intersection(self, other: Box) -> Box | None:
        a, b = self, other
        x0, top = (b.x0 if b.x0 > a.x0 else a.x0), (b.top if b.top > a.top else a.top)
        x1, bottom = (b.x1 if b.x1 < a.x1 else a.x1), (b.bottom if b.bottom < a.bottom else a.bottom)
        return Box(x0, top, x1, bottom) if x0 < x1 and top < bottom else None

    def overlaps(self, other: Box) -> bool:
        """`intersection(other) is not None`, by the same comparisons, without building the box (the region search
        asks it of every graphic and line against each candidate region)."""
        a, b = self, other
        return (b.x0 if b.x0 > a.x0 else a.x0) < (b.x1 if b.x1 < a.x1 else a.x1) and (
            b.top if b.top > a.top else a.top
        ) < (b.bottom if b.bottom < a.bottom else a.bottom)

    def overlap_area(self, other: Box) -> float:
        """The intersection's area (0 when there is none), by the same sums, without building the box."""
        a, b = self, other
        x0, top = (b.x0 if b.x0 > a.x0 else a.x0), (b.top if b.top > a.top else a.top)
        x1, bottom = (b.x1 if b.x1 < a.x1 else a.x1), (b.bottom if b.bottom < a.bottom else a.bottom)
        return (x1 - x0) * (bottom - top) if x0 < x1 and top < bottom else 0.0

    def iou(self, other: Box) -> float:
        inter = self.overlap_area(other)
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def expand(self, margin: float) -> Box:
        return Box(self.x0 - margin, self.top - margin, self.x1 + margin, self.bottom + margin)

    def contains(self, other: Box, tolerance: float = 0.0) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.top >= self.top - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def edges_within(self, other: Box, tolerance: float) -> bool:
        """Each of the four edges lies within `tolerance` of `other`'s: the same box, drawn or cropped a little
        differently."""
        return self.edges_near(other, tolerance) == 4

    def edges_near(self, other: Box, tolerance: float) -> int:
        """How many of the four edges lie within `tolerance` of `other`'s."""
        mine, its = (self.x0, self.top, self.x1, self.bottom), (other.x0, other.top, other.x1, other.bottom)
        return sum(abs(a - b) <= tolerance for a, b in zip(mine, its, strict=True))

    def h_overlap(self, other: Box) -> float:
        a, b = self, other
        overlap = (b.x1 if b.x1 < a.x1 else a.x1) - (b.x0 if b.x0 > a.x0 else a.x0)
        return overlap if overlap > 0.0 else 0.0

    def v_overlap(self, other: Box) -> float:
        a, b = self, other
        overlap = (b.bottom if b.bottom < a.bottom else a.bottom) - (b.top if b.top > a.top else a.top)
        return overlap if overlap > 0.0 else 0.0

    def is_level_with(self, other: Box) -> bool:
        """On one row with `other`: they overlap by at least half the shorter one's height (`v_overlap` and the
        heights written out: rows are grouped by hundreds of thousands of these a run)."""
        a, b = self, other
        overlap = (b.bottom if b.bottom < a.bottom else a.bottom) - (b.top if b.top > a.top else a.top)
        height_a, height_b = a.bottom - a.top, b.bottom - b.top
        return (overlap if overlap > 0.0 else 0.0) >= 0.5 * (height_b if height_b < height_a else height_a)

    def gap(self, other: Box) -> float:
        """Distance between the boxes (0 when they touch or overlap)."""
        dx = max(0.0, max(self.x0, other.x0) - min(self.x1, other.x1))
        return max(dx, self.v_gap(other))

    def v_gap(self, other: Box) -> float:
        """Vertical distance between the boxes (0 when their heights overlap)."""
        return max(0.0, max(self.top, other.top) - min(self.bottom, other.bottom))

    def as_list(self) -> list[float]:
        return [round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]


def union_all(boxes: Iterable[Box]) -> Box | None:
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def reading_order(boxes: list[Box]) -> list[Box]:
    """Rows top to bottom (boxes whose vertical centres fall inside a row's span), left to right."""
    return [box for row in reading_rows(boxes) for box in row]


def reading_rows(boxes: list[Box]) -> list[list[Box]]:
    """The boxes in rows, top to bottom (a box joins the row whose first box's span holds its vertical centre), each
    row left to right."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.top):
        for row in rows:
            if row[0].top <= box.cy <= row[0].bottom:
                row.append(box)
                break
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]

"""Rendering page regions with pypdfium2, and the page's ink mask (where anything is drawn)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.page import PageContent

# A pixel darker than this in grey counts as ink; paper is white.
PAPER = 245
# A flat colour renders within this many grey levels of its own; its edge, anti-aliased against what lies beside it,
# takes this many pixels.
_FLAT_LEVELS = 2
_EDGE_PX = 2


def _index(window: tuple[int, int, int, int]) -> tuple[slice, slice]:
    """numpy's index of a pixel window (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = window
    return slice(y0, y1), slice(x0, x1)


def _crop_margins(page: PageContent, box: Box) -> tuple[float, float, float, float]:
    """pypdfium2's crop argument (left, bottom, right, top margins to cut) for a box in page coordinates."""
    crop = page.cropbox
    return (
        max(0.0, box.x0 - crop.x0),
        max(0.0, crop.bottom - box.bottom),
        max(0.0, crop.x1 - box.x1),
        max(0.0, box.top - crop.top),
    )


def render_region(page: PageContent, box: Box, dpi: int) -> Image.Image:
    """`box` (page coordinates) rendered at `dpi` as RGB; the part outside the crop box is cut off."""
    clipped = box.intersection(page.cropbox) or box
    return rgb_render(page.pdf_page, dpi / 72, _crop_margins(page, clipped))


def rgb_render(
    pdf_page: pdfium.PdfPage, scale: float, crop: tuple[float, float, float, float] = (0, 0, 0, 0)
) -> Image.Image:
    """The page (less the `crop` margins) rendered as an RGB picture of its own. pdfium draws 4-byte BGRx pixels
    faster than 3-byte BGR ones, the same colours, and PIL unpacks BGRx into a new RGB picture as fast as BGR."""
    bitmap = pdf_page.render(scale=scale, crop=crop, draw_annots=False, prefer_bgrx=True)
    return Image.frombytes("RGB", (bitmap.width, bitmap.height), bitmap.buffer, "raw", "BGRX", bitmap.stride)


@dataclass(slots=True)
class InkMask:
    """The page rendered at 72 dpi, so one pixel is one point: True where something is drawn."""

    ink: np.ndarray
    origin: tuple[float, float]  # page coordinates of pixel (0, 0)
    grey: np.ndarray | None = None  # the rendered grey levels (None for a scan, whose ink is OCR's)

    @classmethod
    def of(cls, page: PageContent) -> InkMask:
        if page.scan is not None:
            return cls(page.scan.ink(), (page.cropbox.x0, page.cropbox.top))
        return cls._rendered(page, (0.0, 0.0, 0.0, 0.0), (page.cropbox.x0, page.cropbox.top))

    @classmethod
    def of_region(cls, page: PageContent, box: Box) -> InkMask:
        """The ink of `box` alone (cheaper than the page's when one picture is all that is asked about)."""
        if page.scan is not None:
            return cls.of(page)
        clipped = box.intersection(page.cropbox) or box
        left, top = np.floor(clipped.x0), np.floor(clipped.top)
        window = Box(left, top, np.ceil(clipped.x1), np.ceil(clipped.bottom))
        return cls._rendered(page, _crop_margins(page, window), (float(left), float(top)))

    @classmethod
    def _rendered(
        cls, page: PageContent, crop: tuple[float, float, float, float], origin: tuple[float, float]
    ) -> InkMask:
        """The page, less the `crop` margins, rendered grey at 72 dpi; `origin`: the page point of its pixel (0, 0)."""
        bitmap = page.pdf_page.render(scale=1, grayscale=True, crop=crop, draw_annots=False)
        pixels = bitmap.to_numpy()
        if pixels.ndim == 3:
            pixels = pixels[..., 0]
        # The bitmap's buffer goes with the bitmap: the grey levels are kept as a copy.
        return cls(pixels < PAPER, origin, np.array(pixels))

    def erase_backdrop(self, box: Box, level: int, pictures: list[Box]) -> None:
        """Erase a flat colour drawn behind pictures (a card, a band; grey `level`) inside `box`: its own pixels and
        its anti-aliased edge, so that only what is drawn on it is ink. `pictures` (opaque images drawn on it) keep
        every pixel, whatever its shade."""
        if self.grey is None:
            return
        x0, y0, x1, y1 = self._slice(box.expand(1.0))
        if x1 - x0 <= 2 * _EDGE_PX or y1 - y0 <= 2 * _EDGE_PX:  # a bar (a frame's side): nothing is drawn on it
            with self._keeping(pictures):
                self.ink[y0:y1, x0:x1] = False
            return
        flat = np.abs(self.grey[y0:y1, x0:x1].astype(np.int16) - level) <= _FLAT_LEVELS
        flat[:_EDGE_PX], flat[-_EDGE_PX:], flat[:, :_EDGE_PX], flat[:, -_EDGE_PX:] = True, True, True, True
        with self._keeping(pictures):
            self.ink[y0:y1, x0:x1] &= ~flat

    def erase(self, box: Box) -> None:
        x0, y0, x1, y1 = self._slice(box)
        self.ink[y0:y1, x0:x1] = False

    def erase_enclosed(self, box: Box, pictures: list[Box] = ()) -> None:
        """Erase the strokes of ink that lie wholly inside `box` (a drawing's ink, when its bounds reach past it
        into a picture next to it): ink running on across the box's edge is left. `pictures` (images the box
        reaches into) keep every pixel: a raster's specks of ink part from its white, each enclosed on its own."""
        x0, y0, x1, y1 = self._slice(box.expand(1.0))
        part = self.ink[y0:y1, x0:x1]
        if not part.any():
            return
        count, labels = cv2.connectedComponents(part.astype(np.uint8), connectivity=8)
        edges = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
        enclosed = np.setdiff1d(np.arange(1, count), edges)
        with self._keeping(pictures):
            part[np.isin(labels, enclosed)] = False

    def erase_outline(self, box: Box, width: float, page: Box | None = None, pictures: list[Box] = ()) -> None:
        """Erase the four edges of `box` (a rule, or a frame around a figure), not what is inside; with `page`, only
        the edges that lie inside it (a picture bled off the page keeps its edge there). `pictures` (images the
        edges pass) keep every pixel."""
        inside = page.expand(-width) if page is not None else None
        with self._keeping(pictures):
            for edge in (
                Box(box.x0 - width, box.top - width, box.x1 + width, box.top + width),
                Box(box.x0 - width, box.bottom - width, box.x1 + width, box.bottom + width),
                Box(box.x0 - width, box.top - width, box.x0 + width, box.bottom + width),
                Box(box.x1 - width, box.top - width, box.x1 + width, box.bottom + width),
            ):
                if inside is None or inside.contains(Box(edge.cx, edge.cy, edge.cx, edge.cy)):
                    self.erase(edge)

    @contextlib.contextmanager
    def _keeping(self, pictures: list[Box]) -> Iterator[None]:
        """Every pixel of `pictures` (opaque images) as it was before the erasing done inside the block."""
        kept = [(window, self.ink[_index(window)].copy()) for window in map(self._slice, pictures)]
        yield
        for window, pixels in kept:
            self.ink[_index(window)] = pixels

    def _slice(self, box: Box) -> tuple[int, int, int, int]:
        ox, oy = self.origin
        h, w = self.ink.shape
        x0 = min(w, max(0, int(np.floor(box.x0 - ox))))
        x1 = min(w, max(0, int(np.ceil(box.x1 - ox))))
        y0 = min(h, max(0, int(np.floor(box.top - oy))))
        y1 = min(h, max(0, int(np.ceil(box.bottom - oy))))
        return x0, y0, x1, y1

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        ox, oy = self.origin
        return Box(ox + x0, oy + y0, ox + x1, oy + y1)

    def ink_box(self, box: Box) -> Box | None:
        """The part of `box` that is not blank paper (None when all of it is)."""
        x0, y0, x1, y1 = self._slice(box)
        part = self.ink[y0:y1, x0:x1]
        rows = np.flatnonzero(part.any(axis=1))
        if rows.size == 0:
            return None
        cols = np.flatnonzero(part.any(axis=0))
        inked = self._box(x0 + float(cols[0]), y0 + float(rows[0]), x0 + float(cols[-1] + 1), y0 + float(rows[-1] + 1))
        return inked.intersection(box) or inked

    def blank_row(self, box: Box, start: float, upward: bool) -> float | None:
        """The page y of the nearest row of `box` without ink, from `start` up (its top edge) or down (its bottom
        edge); None when every row that way holds ink."""
        x0, y0, x1, y1 = self._slice(box)
        blank = ~self.ink[y0:y1, x0:x1].any(axis=1)
        at = min(len(blank), max(0, int(round(start - self.origin[1])) - y0))
        rows = np.flatnonzero(blank[:at]) if upward else at + np.flatnonzero(blank[at:])
        if rows.size == 0:
            return None
        return self.origin[1] + y0 + (float(rows[-1]) if upward else float(rows[0] + 1))

    def widest_blank_band(self, box: Box) -> tuple[float, float] | None:
        """The page y's (top, bottom) of the tallest run of rows of `box` without ink; None when every row holds ink."""
        x0, y0, x1, y1 = self._slice(box)
        blank = np.concatenate(([False], ~self.ink[y0:y1, x0:x1].any(axis=1), [False]))
        edges = np.flatnonzero(np.diff(blank.astype(np.int8)))
        if edges.size == 0:
            return None
        starts, ends = edges[0::2], edges[1::2]
        widest = int(np.argmax(ends - starts))
        top = self.origin[1] + y0
        return top + float(starts[widest]), top + float(ends[widest])

    def clusters(self, box: Box, link: float, unseen: Sequence[Box] = ()) -> list[Box]:
        """Boxes of the groups of ink inside `box` that lie within `link` points of each other, the ink inside the
        `unseen` boxes left out."""
        x0, y0, x1, y1 = self._slice(box)
        part = self.ink[y0:y1, x0:x1].astype(np.uint8)
        for hidden in unseen:
            hx0, hy0, hx1, hy1 = self._slice(hidden)
            part[max(0, hy0 - y0) : max(0, hy1 - y0), max(0, hx0 - x0) : max(0, hx1 - x0)] = 0
        if not part.any():
            return []
        size = max(1, int(round(link)))
        joined = cv2.dilate(part, np.ones((size, size), np.uint8))
        result = []
        for left, top, width, height in component_boxes(joined):
            # Undo the dilation's growth (half a kernel on each side).
            grow = size // 2
            result.append(
                self._box(
                    x0 + max(0, left + grow),
                    y0 + max(0, top + grow),
                    x0 + min(part.shape[1], left + width - (size - 1 - grow)),
                    y0 + min(part.shape[0], top + height - (size - 1 - grow)),
                )
            )
        return result


def component_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(left, top, width, height) of each 8-connected component of a 0/1 image, in the order in which
    `cv2.connectedComponentsWithStats` numbers them, at a tenth of its cost: each component's outer contour
    (`RETR_CCOMP` puts outer boundaries at the top level, holes below them) spans the component. OpenCV's default
    labelling scans the image in 2x2 blocks and numbers a component by the first block that holds any of it; that
    block holds the leftmost pixel of the component's top two block rows, which lies on its outer contour."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    keyed = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0] if contours else (), strict=True):
        if parent >= 0:
            continue  # a hole's boundary
        points = contour[:, 0, :] // 2  # block (column, row) of each boundary pixel
        block_row = points[:, 1].min()
        first_block = (int(block_row), int(points[points[:, 1] == block_row, 0].min()))
        keyed.append((first_block, cv2.boundingRect(contour)))
    return [box for _, box in sorted(keyed)]

"""Scanned pages: telling them apart, the page as a straightened raster, the pictures on it, and which
pages of a PDF are read by OCR.

A scanned page has no text layer, only one picture of the whole page. Its text comes from OCR
(extract/ocr.py); its figures are found on the raster: what is left of the ink once the OCR'd text lines
are taken out, split where blank gutters cross it, becomes the page's graphics, and from there the
caption-anchored search of born-digital pages runs unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.images import check_graphic_pixels
from mmskin_build.extract.ocr import OcrMode, OcrUnavailable, engine_version, read_text
from mmskin_build.extract.page import Graphic, PageContent, TextLine
from mmskin_build.extract.render import rgb_render
from mmskin_build.imaging import ImageDecodeError

# A page whose text layer has fewer characters than this, under one picture covering this share of the
# page, is a scan (some scanners add a page number or a stamp as text).
_MAX_TEXT_CHARS = 20
_COVER_SHARE = 0.85
# A page picture under a text layer is a scan when the page looks like paper: its median shade (at 18 dpi) is
# this light (a typed page measures 250-255; a designed page's full-page photo is darker).
_PAPER_CHECK_SCALE, _PAPER_SHADE = 0.25, 200
# A scan is the page's one picture: where it leaves a margin, the margin is blank paper. A page that shows more than
# this share of non-paper around its picture (a slide's background band around a pasted sheet, a cover's coloured
# strip) is a layout with a picture on it. Non-paper: a colour channel under this level (at 18 dpi).
_SURROUND_SHARE, _SURROUND_PAPER = 0.1, 230
# Scans are read at their own resolution, within these bounds (a 72-dpi thumbnail OCRs badly, a 1200-dpi
# master only costs time); pages without a picture (--ocr always) are rendered at the default.
_MIN_DPI, _MAX_DPI, _DEFAULT_DPI = 150, 400, 300
# Straightened rasters the first pass keeps for the second (the same pixels, so no second render and turn): at most
# this many a PDF, each 10-45 MB (a page at 150-400 dpi), so a long scanned book's memory stays bounded.
KEPT_SCANS = 2
_MAX_SKEW = 3.0  # degrees; a scan tilted further is not straightened (it is likely a rotated layout)
_SKEW_STEP = 0.1
# Pixels around the inked part that a turn may still draw from: a warped pixel takes the source pixel nearest its
# exact place (half a pixel off at most, plus OpenCV's fixed-point rounding), two is a safe margin.
_TURN_SLACK_PX = 2
_INK_BELOW_PAPER = 12  # grey levels under the paper's own shade that count as ink (a photo's pale edge too)
_PAPER_PERCENTILE = 90  # the paper's own shade: the level this share of a page's pixels lie at or below
# OpenCV counts a histogram in 32-bit floats, exact below 2**24 pixels (a 300 dpi letter page has 8.4 million)
_EXACT_HISTOGRAM_COUNT = 2**24
_GUTTER_PT = 3.0  # picture parts closer than this are one picture; a wider blank strip splits them
_MIN_PICTURE_PT = 8.0
_PHOTO_FILL = 0.5  # share of a picture's box that is ink: above, a photo; below, line art
# A thin horizontal line this share of the page wide is a rule or a wide frame's edge; a frame that hugs its
# picture is narrower and stays (it holds stacked panels together, as on the born-digital page).
_RULE_SHARE = 0.7
_RULE_PT = 3  # at most this thick
_FRAME_SIDE_PT, _FRAME_REACH_PT = 30, 6  # an upright this long, this close to a rule's end, is a frame's side
_PALE_EDGE_PT = 1.5  # what a photo loses at its edges to the ink threshold (near-white rows)
_TINT_LEVELS, _TINT_SHARE = 10, 0.7  # this share of the ink within this many grey levels of its median: a tint
# Pen marks on a printed page (a reviewer's ticks, arrows and curves in coloured ink) belong to no picture: ink whose
# colour channels lie this far apart is pen, and the stroke it lies on is followed through ink at least the second
# spread apart (a stroke's fading tail). A stroke covers under this share of its box; a coloured photo, a chart's
# tinted bars, a banner are solid and stay.
_PEN_SPREAD, _PEN_TRAIL_SPREAD, _PEN_FILL = 25, 8, 0.3
_RULED_PT = 30  # a hairline this long, level or upright, is ruled (a frame, an axis), not a pen's stroke
# A photograph printed as a halftone and scanned in black and white is dot texture: dots of ink (light tones) or
# specks of paper between merged dots (dark tones), each at most _DOT_PT across (a 65-150 line screen's cells are
# 0.5-1.1 pt), where a drawing has long strokes on bare paper. A dot is darker than halfway from the paper to black
# (turning the raster greys a 1-bit dot's rim). Counted over a window of _TEXTURE_WINDOW_PT, a halftone holds
# _HALFTONE_DOTS or more a square point; a drawing's bare paper none, its stippled shading only in bands, narrower than
# _MIN_HALFTONE_PT, the side a printed photograph has at least (an inch's half: a plate's photographs are larger).
_DOT_PT, _TEXTURE_WINDOW_PT, _HALFTONE_DOTS, _MIN_HALFTONE_PT = 1.5, 6, 0.1, 36
# A photograph is a rectangle its area fills: an area (texture grown to its gutters) covering under this share of its
# box is no photograph (a drawing's stippled shading grown along its curved outline, pictures joined by their edges).
_HALFTONE_SHARE = 0.5


def is_scanned(page: PageContent) -> bool:
    """True for a page with no usable text layer under one image covering the page."""
    if len(page.text.strip()) >= _MAX_TEXT_CHARS:
        return False
    picture = _covering_image(page)
    return picture is not None and _blank_around(_small_render(page), page, picture)


def is_scan_with_text_layer(page: PageContent) -> bool:
    """True for a scan that already carries a text layer (an OCR'd copy: the OCR program's text, visible or not,
    over one picture of the whole page): a text layer over one image covering the page, the page seen as
    paper (light at its median, as a page of print; a designed page's full-page photo is not)."""
    if len(page.text.strip()) < _MAX_TEXT_CHARS:
        return False
    picture = _covering_image(page)
    if picture is None:
        return False
    render = _small_render(page)
    grey = np.asarray(render.convert("L"))
    return _blank_around(render, page, picture) and float(np.median(grey)) >= _PAPER_SHADE


def _covering_image(page: PageContent) -> Box | None:
    """The box of the one image that covers the page, unless an image is oversized; else None."""
    page_area = page.cropbox.area
    covering = [
        g for g in page.graphics if g.kind == "image" and g.box.overlap_area(page.cropbox) >= _COVER_SHARE * page_area
    ]
    if not covering or has_oversized_image(page):
        return None
    return covering[0].box


def _small_render(page: PageContent) -> Image.Image:
    """The page at 18 dpi, what the paper checks look at."""
    return page.pdf_page.render(scale=_PAPER_CHECK_SCALE, draw_annots=False).to_pil()


def _blank_around(render: Image.Image, page: PageContent, picture: Box) -> bool:
    """The page (`render`, `_small_render`) shows nothing but paper outside `picture` (or `picture` fills it)."""
    scale = _PAPER_CHECK_SCALE
    pixels = np.asarray(render.convert("RGB"))
    outside = np.ones(pixels.shape[:2], dtype=bool)
    ox, oy = page.cropbox.x0, page.cropbox.top
    # one pixel more on each side: the picture's anti-aliased edge is not its surround
    outside[
        max(0, int((picture.top - oy) * scale) - 1) : int((picture.bottom - oy) * scale) + 2,
        max(0, int((picture.x0 - ox) * scale) - 1) : int((picture.x1 - ox) * scale) + 2,
    ] = False
    if not outside.any():
        return True
    return float(np.mean(pixels[outside].min(axis=1) < _SURROUND_PAPER)) <= _SURROUND_SHARE


def has_oversized_image(page: PageContent) -> bool:
    """A page with an image over the pixel limit is never rendered whole: the second pass takes the image
    off the page and records it, as on any page."""
    for graphic in page.graphics:
        if graphic.kind == "image":
            try:
                check_graphic_pixels(graphic)
            except ImageDecodeError:
                return True
    return False


@dataclass(slots=True)
class PageScan:
    """The page's picture, straightened: pixel (0, 0) is the crop box's top-left corner."""

    image: Image.Image  # RGB
    scale: float  # pixels per point
    origin: tuple[float, float]  # page coordinates of pixel (0, 0)
    angle: float  # degrees the raster was turned to straighten it
    engine: str | None  # the OCR engine and version that read the page; None: its text is the PDF's own layer
    bold_chars: frozenset[int] = frozenset()  # what OCR found set in bold (page.is_bold asks)
    photos: list[Box] = field(default_factory=list)  # photos found on the page, filled in as ink
    # Halftone dots a square point around each pixel of `image` (`halftone_dots`), counted on the raster as scanned and
    # turned with it: turning a 1-bit raster greys its one-pixel dots, and half of them fade past the ink level.
    # None: counted on `image` when asked (a raster that was not turned).
    dots: np.ndarray | None = field(default=None, repr=False)
    # What `marks` finds before the photos are given back, found once: the page's pixels do not change, only `photos`
    _unmarked: np.ndarray | None = field(default=None, repr=False)
    _per_point: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # `_points_of` per mode, made once

    @property
    def read_by_ocr(self) -> bool:
        """The page's text came from OCR here (no fonts to ask about), not from the scan's own text layer."""
        return self.engine is not None

    def to_page(self, left: float, top: float, right: float, bottom: float) -> Box:
        ox, oy = self.origin
        return Box(ox + left / self.scale, oy + top / self.scale, ox + right / self.scale, oy + bottom / self.scale)

    def crop(self, box: Box) -> Image.Image:
        """`box` (page coordinates) cut from the raster at its native resolution."""
        ox, oy = self.origin
        s = self.scale
        picture = self.image.crop((round((box.x0 - ox) * s), round((box.top - oy) * s),
                                   round((box.x1 - ox) * s), round((box.bottom - oy) * s)))  # fmt: skip
        picture.load()
        return picture

    def grey_points(self) -> np.ndarray:
        """The raster in grey at one pixel per point (the averaging also evens out scanner noise)."""
        return self._points_of("L")

    def colour_points(self) -> np.ndarray:
        """The raster in colour at one pixel per point, as `grey_points`."""
        return self._points_of("RGB")

    def _points_of(self, mode: str) -> np.ndarray:
        """The raster in `mode` at one pixel per point, made on the first ask (read-only: every ask shares it)."""
        if mode not in self._per_point:
            pixels = np.asarray(self.image.convert(mode))
            size = (max(1, round(pixels.shape[1] / self.scale)), max(1, round(pixels.shape[0] / self.scale)))
            points = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
            points.flags.writeable = False
            self._per_point[mode] = points
        return self._per_point[mode]

    def marks(self) -> np.ndarray:
        """One pixel per point, 1 where the page is darker than its paper or a photo lies, page rules and pen marks
        left out."""
        if self._unmarked is None:
            dark = _darker_than_paper(self.grey_points())
            self._unmarked = _without_rules(dark & ~_pen_marks(self.colour_points(), dark)).astype(np.uint8)
            self._unmarked.flags.writeable = False
        marks = self._unmarked.copy()
        for box in self.photos:  # a photo's pale edge rows read as paper: give them back
            marks[self._points(box.expand(_PALE_EDGE_PT))] = 1
        return marks

    def ink(self) -> np.ndarray:
        """One pixel per point, True where the page is inked (the InkMask of a scan): its marks 2 points across or
        more and its ruled hairlines (a frame, an axis); a scanner's specks and the faded tail of a pen stroke (grey
        where the scanner lost its colour) are thinner and not ruled."""
        marks = self.marks()
        ink = _solid(marks) > 0
        for run in (np.ones((1, _RULED_PT), np.uint8), np.ones((_RULED_PT, 1), np.uint8)):
            ink |= (cv2.morphologyEx(marks, cv2.MORPH_OPEN, run) & marks) > 0  # (the opening adds at the raster's edge)
        return ink

    def _points(self, box: Box) -> tuple[slice, slice]:
        """The rows and columns of `box` (page coordinates) in the one-pixel-per-point rasters."""
        ox, oy = self.origin
        return (
            slice(max(0, round(box.top - oy)), max(0, round(box.bottom - oy))),
            slice(max(0, round(box.x0 - ox)), max(0, round(box.x1 - ox))),
        )


def raster_scale(page: PageContent) -> float:
    """Pixels per point to read the page at: the scan's own resolution."""
    covering = [g for g in page.graphics if g.kind == "image" and g.pixel_size and g.box.width > 0]
    if not covering:
        return _DEFAULT_DPI / 72
    biggest = max(covering, key=lambda g: g.box.area)
    scale = biggest.pixel_size[0] / biggest.placement.width  # type: ignore[index]
    return min(_MAX_DPI / 72, max(_MIN_DPI / 72, scale))


def page_raster(page: PageContent) -> tuple[Image.Image, float, tuple[float, float]]:
    """The page rendered at its scan resolution: the picture, pixels per point, page point of pixel (0, 0)."""
    scale = raster_scale(page)
    picture = rgb_render(page.pdf_page, scale)
    return picture, scale, (page.cropbox.x0, page.cropbox.top)


def straightened_raster(page: PageContent, engine: str | None, angle: float | None = None) -> PageScan:
    """The page rendered at its scan resolution and turned upright; `angle` from an earlier read is reused."""
    return straightened(*page_raster(page), engine, angle)


def straightened(
    picture: Image.Image, scale: float, origin: tuple[float, float], engine: str | None, angle: float | None = None
) -> PageScan:
    """A page raster (`scale` pixels per point, pixel (0, 0) at page point `origin`) turned upright."""
    grey = np.asarray(picture.convert("L"))
    if angle is None:
        angle = estimate_skew(grey)
    dots = halftone_dots(grey, scale)
    if angle:
        picture, dots = rotate(picture, angle), _turned(dots, angle, 0)
    return PageScan(picture, scale, origin, angle, engine, dots=dots)


def estimate_skew(grey: np.ndarray) -> float:
    """Degrees to turn the page (counter-clockwise, as PIL's rotate) so that its text lines run level.

    Projection profiles: lines of text make the row sums of ink peak sharply only when they are level.
    Work at ~100 dpi on the ink of text-sized marks.
    """
    factor = max(1, grey.shape[1] // 850)
    small = grey[::factor, ::factor]
    ink = _darker_than_paper(small).astype(np.uint8)
    h, w = ink.shape
    centre = (w / 2, h / 2)
    inked = _inked_box(ink)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, _SKEW_STEP):
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        score = _steps_score(_turned_row_sums(ink, matrix, inked))
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def _turned_row_sums(ink: np.ndarray, matrix: np.ndarray, inked: tuple[int, int, int, int] | None) -> np.ndarray:
    """The row sums of `ink` turned by `matrix` onto a canvas of its own size (OpenCV's nearest-pixel warp); `inked`:
    its inked part (`_inked_box`).

    The warp is made only up to the canvas's last row and column that the inked part can land on: every pixel it
    makes takes its source from its own row and column numbers, so a shorter or narrower canvas holds the same
    pixels where it reaches, and the rows below it are blank. A page's ink ends well short of its foot and its
    right edge (held-out 23's scans: two thirds down and four fifths across, by the median page), which is that much
    less to turn at each of the 61 angles."""
    h, w = ink.shape
    rows = np.zeros(h, dtype=np.int64)
    if inked is None:
        return rows
    reach = _turned_reach(inked, matrix, w, h)
    turned = cv2.warpAffine(ink, matrix, reach, flags=cv2.INTER_NEAREST, borderValue=0)
    rows[: reach[1]] = _row_sums(turned)
    return rows


def _inked_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(first column, first row, last column, last row) holding ink; None for blank ink."""
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return int(columns[0]), int(rows[0]), int(columns[-1]), int(rows[-1])


def _turned_reach(inked: tuple[int, int, int, int], matrix: np.ndarray, w: int, h: int) -> tuple[int, int]:
    """(columns, rows) of the `w` x `h` canvas that the `inked` part, turned by `matrix`, lands inside: its box grown
    by _TURN_SLACK_PX (a warped pixel takes the source pixel nearest its exact place) and turned, to the canvas's
    size."""
    x0, y0, x1, y1 = inked
    x0, y0, x1, y1 = x0 - _TURN_SLACK_PX, y0 - _TURN_SLACK_PX, x1 + _TURN_SLACK_PX, y1 + _TURN_SLACK_PX
    corners = matrix @ np.array([[x0, x1, x0, x1], [y0, y0, y1, y1], [1, 1, 1, 1]], dtype=np.float64)
    return (
        min(w, max(1, math.ceil(corners[0].max()) + 1)),
        min(h, max(1, math.ceil(corners[1].max()) + 1)),
    )


def _row_sums(ink: np.ndarray) -> np.ndarray:
    """Row sums of a 0/1 image in whole numbers (OpenCV's take a hundredth of the time of numpy's float ones)."""
    return cv2.reduce(ink, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.int64)


def _steps_score(rows: np.ndarray) -> float:
    """How sharply row sums rise and fall: the sum of their squared steps, in whole numbers (exact in any order)."""
    steps = np.diff(rows)
    return float(steps @ steps)


def _level_score(ink: np.ndarray) -> float:
    """How sharply the row sums of a 0/1 image rise and fall (`_steps_score`)."""
    return _steps_score(_row_sums(ink))


def rotate(picture: Image.Image, angle: float) -> Image.Image:
    """`picture` turned by `angle` degrees counter-clockwise about its centre, same size, white corners."""
    return Image.fromarray(_turned(np.asarray(picture), angle, (255, 255, 255)))


def _turned(pixels: np.ndarray, angle: float, border: float | tuple[float, ...]) -> np.ndarray:
    """`pixels` turned by `angle` degrees counter-clockwise about their centre, same size, `border` in the corners."""
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(pixels, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def picture_graphics(scan: PageScan, lines: list[TextLine]) -> list[Graphic]:
    """The scan's non-text ink as graphics: photos as images, line art (charts, diagrams) as paths.

    The ink is the scan's `ink`, its ruled hairlines included: a chart printed in lines thinner than a point is
    otherwise only its dots and numerals, loose parts, and not a picture. OCR'd text lines are erased; the ink left
    is grouped across gaps narrower than a gutter, so panels set apart by a blank strip come out as separate
    pictures.
    """
    grey = scan.grey_points()
    cleaned = scan.ink().astype(np.uint8)
    ox, oy = scan.origin
    for line in lines:
        box = line.box
        cleaned[
            max(0, int(box.top - oy - 1)) : int(box.bottom - oy + 2),
            max(0, int(box.x0 - ox - 1)) : int(box.x1 - ox + 2),
        ] = 0
    size = max(1, round(_GUTTER_PT))
    joined = cv2.dilate(cleaned, np.ones((size, size), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    graphics = []
    for label, (left, top, width, height, _area) in enumerate(stats[1:count], start=1):
        grow = size // 2
        box = Box(
            ox + left + grow,
            oy + top + grow,
            ox + left + width - (size - 1 - grow),
            oy + top + height - (size - 1 - grow),
        )
        if max(box.width, box.height) < _MIN_PICTURE_PT:
            continue  # specks, stray marks
        window = (slice(top, top + height), slice(left, left + width))
        own = (labels[window] == label) & (cleaned[window] > 0)
        photo = own.mean() >= _PHOTO_FILL and not _is_flat_tint(grey[window][own])
        kind = "image" if photo and min(box.width, box.height) >= _MIN_PICTURE_PT else "path"
        pixels = (round(box.width * scan.scale), round(box.height * scan.scale)) if kind == "image" else None
        graphics.append(Graphic(kind, box, None, pixels))
    return _with_halftones(graphics, scan)


def _with_halftones(graphics: list[Graphic], scan: PageScan) -> list[Graphic]:
    """`graphics` with the scan's halftone photographs as images, in place of the line art found inside them (a
    halftone's dots read as sparse ink, "path"); a halftone where a photograph is found already adds nothing. A solid
    mark smaller than any halftone (a plate's numeral printed white in a black disc, read as a photo) is no
    photograph: it does not keep out the halftone it is printed on, and goes with the line art inside it."""
    photos = [g.box for g in graphics if g.kind == "image" and min(g.box.width, g.box.height) >= _MIN_HALFTONE_PT]
    added = [box for box in halftones(scan) if not any(box.overlaps(photo) for photo in photos)]
    kept = [g for g in graphics if not any(box.contains(g.box, tolerance=_GUTTER_PT) for box in added)]
    pixels = [(round(box.width * scan.scale), round(box.height * scan.scale)) for box in added]
    return kept + [Graphic("image", box, None, size) for box, size in zip(added, pixels, strict=True)]


def halftones(scan: PageScan) -> list[Box]:
    """The boxes (page coordinates) of the scan's photographs printed as halftones: areas of dot texture at least
    _MIN_HALFTONE_PT across both ways (told at the scan's own resolution: at one pixel a point the dots are grey), each
    grown over the photograph's paler ground up to the blank gutters around it (a photograph's palest stretch holds too
    few dots to count as texture, but no gutter crosses it)."""
    points = scan.grey_points()
    dots = halftone_dots(np.asarray(scan.image.convert("L")), scan.scale) if scan.dots is None else scan.dots
    density = cv2.resize(dots, points.shape[::-1], interpolation=cv2.INTER_AREA)
    window, side = round(_TEXTURE_WINDOW_PT), round(_MIN_HALFTONE_PT)
    textured = cv2.morphologyEx(
        (density >= _HALFTONE_DOTS).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((window, window))
    )
    gutters = _gutters(points)
    textured[gutters] = 0
    textured = cv2.morphologyEx(textured, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    _, between, _, _ = cv2.connectedComponentsWithStats((~gutters).astype(np.uint8), connectivity=4)
    grown = np.unique(between[textured > 0])
    areas = np.isin(between, grown[grown > 0]).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(areas, connectivity=4)
    ox, oy = scan.origin
    return [
        Box(ox + left, oy + top, ox + left + width, oy + top + height)
        for left, top, width, height, area in stats[1:count]
        if area >= _HALFTONE_SHARE * width * height
    ]


def _gutters(points: np.ndarray) -> np.ndarray:
    """Where a page raster (one pixel a point) is bare paper in a strip at least _GUTTER_PT wide and _MIN_HALFTONE_PT
    long, level or upright: the gutter between two photographs (a halftone's palest ground holds a dot every few
    points, so no such strip crosses it)."""
    bare = (points >= _paper_level(points) - _INK_BELOW_PAPER).astype(np.uint8)
    wide, long = round(_GUTTER_PT), round(_MIN_HALFTONE_PT)
    level = cv2.morphologyEx(bare, cv2.MORPH_OPEN, np.ones((wide, long), np.uint8))
    upright = cv2.morphologyEx(bare, cv2.MORPH_OPEN, np.ones((long, wide), np.uint8))
    return (level | upright) > 0


def halftone_dots(grey: np.ndarray, scale: float) -> np.ndarray:
    """Per pixel of a grey raster (`scale` pixels a point), the dots of ink and specks of paper at most _DOT_PT across
    whose centres lie within _TEXTURE_WINDOW_PT around it, per square point."""
    ink = grey < _paper_level(grey) / 2
    centres = np.zeros(grey.shape, np.float32)
    for mask, connectivity in ((ink, 8), (~ink, 4)):  # paper's specks meet merged dots' 8-way joins only corner-wise
        count, _, stats, middles = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=connectivity)
        dots = (stats[:, cv2.CC_STAT_WIDTH] <= _DOT_PT * scale) & (stats[:, cv2.CC_STAT_HEIGHT] <= _DOT_PT * scale)
        dots[0] = False  # the background
        x, y = middles[dots].astype(int).T
        np.add.at(centres, (y, x), 1)
    window = max(1, round(_TEXTURE_WINDOW_PT * scale))
    return cv2.boxFilter(centres, -1, (window, window), normalize=False) / _TEXTURE_WINDOW_PT**2


def _without_rules(ink: np.ndarray) -> np.ndarray:
    """`ink` less page rules and the frames drawn around figures, as split_graphics leaves out the
    vector ones of a born-digital page: long thin horizontal lines, and thin uprights at their ends."""
    mask = ink.astype(np.uint8)
    width = mask.shape[1]
    bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, 7), np.uint8))  # a faint rule breaks into dashes
    thick = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((_RULE_PT + 1, 1), np.uint8))
    rules = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, np.ones((1, int(_RULE_SHARE * width)), np.uint8)) & ~thick
    if not rules.any():
        return ink
    bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 1), np.uint8))
    wide = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, _RULE_PT + 1), np.uint8))
    uprights = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, np.ones((_FRAME_SIDE_PT, 1), np.uint8)) & ~wide
    ends = np.zeros(width, dtype=bool)
    count, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    for left, _top, w, _h, _area in stats[1:count]:
        for x in (left, left + w - 1):
            ends[max(0, x - _FRAME_REACH_PT) : x + _FRAME_REACH_PT + 1] = True
    uprights[:, ~ends] = 0
    erase = cv2.dilate(rules | uprights, np.ones((3, 3), np.uint8))
    return ink & (erase == 0)


def _solid(marks: np.ndarray) -> np.ndarray:
    """`marks` (0/1) less those under 2 pixels across."""
    return cv2.morphologyEx(marks, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _darker_than_paper(grey: np.ndarray) -> np.ndarray:
    """Where a grey page raster is darker than its paper: ink, before rules and pen are told apart."""
    return grey < _paper_level(grey) - _INK_BELOW_PAPER


def _paper_level(grey: np.ndarray) -> float:
    """`np.percentile(grey, _PAPER_PERCENTILE)`, exactly, of 8-bit grey levels: taken from their histogram when the
    two levels numpy interpolates between are one level (nearly every page: its paper is thousands of pixels of one
    shade), which numpy's interpolation gives back unchanged; numpy's own otherwise. A histogram is a tenth of the
    time of numpy's partition of the page's pixels."""
    count = grey.size
    if grey.dtype != np.uint8 or not 0 < count < _EXACT_HISTOGRAM_COUNT:
        return float(np.percentile(grey, _PAPER_PERCENTILE))
    place = (count - 1) * (_PAPER_PERCENTILE / 100)  # numpy's place in the sorted pixels ("linear")
    below = math.floor(place)
    above = below if place >= count - 1 else below + 1
    histogram = cv2.calcHist([np.ascontiguousarray(grey)], [0], None, [256], [0, 256]).ravel()
    passed = np.cumsum(histogram.astype(np.int64))  # pixels at or below each level
    low, high = np.searchsorted(passed, [below, above], side="right")
    if low != high:
        return float(np.percentile(grey, _PAPER_PERCENTILE))
    return float(low)


def channel_spread(colour: np.ndarray) -> np.ndarray:
    """Per pixel of an RGB raster, its largest channel less its smallest (int16): `colour.max(axis=2) -
    colour.min(axis=2)`, the same numbers, from the three channels compared pixel by pixel, 20x faster than numpy's
    reduction along an axis of three."""
    red, green, blue = colour[..., 0], colour[..., 1], colour[..., 2]
    return np.maximum(np.maximum(red, green), blue).astype(np.int16) - np.minimum(np.minimum(red, green), blue)


def _pen_marks(colour: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Where `ink` (one pixel per point, `colour` the same pixels) is a stroke of coloured pen: strokes of ink
    at least `_PEN_TRAIL_SPREAD` apart in their channels that hold a pixel `_PEN_SPREAD` apart, thin for their box."""
    spread = channel_spread(colour)
    pen = ink & (spread >= _PEN_SPREAD)
    if not pen.any():
        return pen
    _, labels, stats, _ = cv2.connectedComponentsWithStats(
        (ink & (spread >= _PEN_TRAIL_SPREAD)).astype(np.uint8), connectivity=8
    )
    strokes = [
        label
        for label in np.unique(labels[pen])
        if stats[label, cv2.CC_STAT_AREA]
        < _PEN_FILL * stats[label, cv2.CC_STAT_WIDTH] * stats[label, cv2.CC_STAT_HEIGHT]
    ]
    return np.isin(labels, strokes)


def _is_flat_tint(levels: np.ndarray) -> bool:
    """A coloured box behind text (a banner, a sidebar), not a picture: most of it is one shade."""
    if levels.size == 0:
        return True
    return float(np.mean(np.abs(levels.astype(np.int16) - np.median(levels)) <= _TINT_LEVELS)) >= _TINT_SHARE


def describe_pages(pages: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


@dataclass(slots=True)
class OcrRead:
    """What OCR made of a page: its lines, and the straightened raster it read them from."""

    lines: list[TextLine]
    scan: PageScan


class PageOcr:
    """Which pages of one PDF are read by OCR, and what that gave.

    The first pass OCRs a page and keeps its lines and deskew angle; the second pass takes the straightened raster
    the first pass kept (`KEPT_SCANS` of them), or renders the page again and turns it by that angle (cheaper than
    holding every page raster of a long book), and sets up its scan.
    """

    def __init__(self, mode: OcrMode) -> None:
        self.mode = mode
        self.angles: dict[int, float] = {}  # page number -> degrees turned, for pages read by OCR
        self.bold: dict[int, frozenset[int]] = {}  # page number -> its bold characters
        self.unread: list[int] = []  # scanned pages left without text, as read: no figures taken from them
        self.layered: set[int] = set()  # scans with a text layer of their own: read from it, pictures from the raster
        self.engine: str | None = None
        self.unavailable: str | None = None  # why the engine could not run, when it could not

    def first_read(self, page: PageContent) -> list[TextLine] | None | Callable[[], OcrRead | None]:
        """The page's lines from its text layer; None for a scanned page that is not OCR'd; for a page to OCR, its
        raster and the OCR still to run on it, which gives the lines and the straightened raster, or None where the
        engine cannot run (it calls no pdfium: any thread can run it)."""
        scanned = is_scanned(page)
        wanted = self.mode is OcrMode.always and not has_oversized_image(page)
        if not (wanted or (self.mode is OcrMode.auto and scanned)):
            if scanned:
                self.unread.append(page.number)
                return None
            if is_scan_with_text_layer(page):
                self.layered.add(page.number)
            return page.lines
        return partial(self._read, page.number, partial(straightened, *page_raster(page)))

    def _read(self, number: int, scan_of: Callable[[str], PageScan]) -> OcrRead | None:
        # The engine's check (importing pytesseract, asking Tesseract twice: ~0.3 s once a process) runs here, beside
        # the reading thread, not in first_read on it.
        try:
            self.engine = engine_version()
        except OcrUnavailable as exc:
            self.unavailable = str(exc)
            self.unread.append(number)
            return None
        scan = scan_of(self.engine)
        text = read_text(scan)
        self.angles[number] = scan.angle
        self.bold[number] = text.bold_chars
        return OcrRead(text.lines, scan)

    def reads_raster(self, number: int) -> bool:
        """The page's figures are found on its raster (a scan), not among its embedded graphics."""
        return number in self.angles or number in self.layered

    def prepare(self, page: PageContent, scan: PageScan | None = None) -> None:
        """Second pass: an OCR'd page gets its straightened raster (`scan`, the first pass's where it was kept, else
        rendered and turned again) and the pictures found on it; a scan with a text layer of its own gets its raster
        as it lies (the layer was written on it unturned) and those pictures."""
        if page.number in self.angles and self.engine is not None:
            page.scan = scan or straightened_raster(page, self.engine, self.angles[page.number])
            page.scan.bold_chars = self.bold[page.number]
        elif page.number in self.layered:
            page.scan = straightened_raster(page, None, angle=0.0)
        else:
            return
        page.graphics = picture_graphics(page.scan, page.lines)
        page.scan.photos = [g.box for g in page.graphics if g.kind == "image"]

    def unread_detail(self) -> str | None:
        """The one line that says which scanned pages were skipped, and how to read them."""
        if not self.unread:
            return None
        detail = f"scanned pages without a text layer: {describe_pages(self.unread)}; no figures taken from them"
        if self.unavailable:
            return f"{detail}; OCR could not run: {self.unavailable}"
        return f"{detail}; run extract with --ocr auto to OCR them"

"""Drawn annotations over a photo (arrows, circles, text labels), found with OpenCV.

Textbook figures mark lesions with arrows, rings and letters drawn in flat, pure colours (black, white,
saturated red/yellow/green/blue). Skin, dermoscopy and histology rarely show such colours in thin
strokes that stand out sharply from their surroundings, so the detector keeps only those strokes and
then looks for shapes a person draws: long straight segments (arrow shafts), closed rings (circles, ellipses) and rows of
three or more letter-sized blobs on one baseline (text labels). Single letters ("A") and bar-shaped
letters (i, l, 1) are not counted: alone they look like texture. Measured on ../shared/data images, see
the README's curate section.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 512  # images are analysed at this longest side: thresholds below are in these pixels
MIN_CONTRAST = 60.0  # BGR distance between a drawn stroke and the pixels around it


@dataclass(frozen=True)
class AnnotationFinding:
    kind: str  # "line", "ring" or "text"
    detail: str


def _annotation_colour_masks(bgr: np.ndarray) -> list[tuple[str, np.ndarray]]:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    s, v = hsv[..., 1], hsv[..., 2]
    return [
        ("saturated", ((s >= 200) & (v >= 170)).astype(np.uint8)),
        ("black", (v <= 25).astype(np.uint8)),
        ("white", ((v >= 240) & (s <= 20)).astype(np.uint8)),
    ]


def _thin_strokes(mask: np.ndarray, bgr: np.ndarray, max_width: int, min_contrast: float) -> np.ndarray:
    """The connected parts of `mask` that are mostly strokes no wider than `max_width` px and differ from
    what surrounds them by `min_contrast` (distance of mean BGR colours).

    A part that is mostly solid (a dark background, a white highlight) is dropped whole, with the thin
    fringes around it; a drawn letter or arrow keeps its thicker joints. Pale tissue around a white gap
    or shadow around a dark fold blends in; ink drawn over a photo does not.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max_width + 1, max_width + 1))
    solid = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    flat = labels.ravel()
    area = np.bincount(flat, minlength=count)
    solid_area = np.bincount(flat, weights=solid.ravel(), minlength=count)
    # The ring just outside each part: pixels next to it, not in the mask, given the neighbouring label.
    near = cv2.dilate(labels.astype(np.float32), np.ones((3, 3), np.uint8), iterations=2).astype(np.int64)
    ring = (mask == 0) & (near > 0)
    ring_labels = near[ring]
    ring_area = np.bincount(ring_labels, minlength=count)
    difference = np.zeros(count)
    for channel in range(3):
        values = bgr[..., channel].astype(np.float64)
        inside = np.bincount(flat, weights=values.ravel(), minlength=count) / np.maximum(area, 1)
        around = np.bincount(ring_labels, weights=values[ring], minlength=count) / np.maximum(ring_area, 1)
        difference += (inside - around) ** 2
    keep = (solid_area <= 0.5 * area) & (np.sqrt(difference) >= min_contrast)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _lines(strokes: np.ndarray, min_length: float, clearance: int) -> list[AnnotationFinding]:
    segments = cv2.HoughLinesP(
        strokes * 255, 1, np.pi / 180, threshold=int(min_length * 0.8), minLineLength=min_length, maxLineGap=2
    )
    if segments is None:
        return []
    height, width = strokes.shape
    # Half-width of the stroke at each pixel, its widest point within 2px of the line's centre.
    half_width = cv2.dilate(cv2.distanceTransform(strokes, cv2.DIST_L2, 3), np.ones((5, 5), np.uint8))
    found = []
    for x1, y1, x2, y2 in segments.reshape(-1, 4):
        if max(x1, x2) < 6 or min(x1, x2) > width - 7 or max(y1, y2) < 6 or min(y1, y2) > height - 7:
            continue  # a frame or scan border along the image edge
        length = float(np.hypot(x2 - x1, y2 - y1))
        steps = np.linspace(0.0, 1.0, int(length) + 1)
        xs, ys = x1 + (x2 - x1) * steps, y1 + (y2 - y1) * steps
        normal = np.array([-(y2 - y1), x2 - x1]) / length

        def coverage(offset: float, xs=xs, ys=ys, normal=normal) -> float:
            px = np.clip((xs + normal[0] * offset).round().astype(int), 0, width - 1)
            py = np.clip((ys + normal[1] * offset).round().astype(int), 0, height - 1)
            return float(strokes[py, px].mean())

        # A drawn line: covered along its whole length, with clear background on both sides (the edge
        # of a dark or bright region, a crack or a hair bundle has the same colour on one side).
        widths = half_width[ys.round().astype(int).clip(0, height - 1), xs.round().astype(int).clip(0, width - 1)]
        even = widths.std() <= 0.25 * widths.mean()  # a pen keeps its width; tears and cracks do not
        if even and coverage(0) >= 0.95 and coverage(clearance) <= 0.2 and coverage(-clearance) <= 0.2:
            found.append(
                AnnotationFinding("line", f"straight stroke of {length:.0f}px from ({x1},{y1}) to ({x2},{y2})")
            )
    return found


def _rings(strokes: np.ndarray, min_diameter: float) -> list[AnnotationFinding]:
    contours, hierarchy = cv2.findContours(strokes, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return []
    found = []
    for index, contour in enumerate(contours):
        parent = hierarchy[0][index][3]
        if parent < 0 or len(contour) < 20:  # a ring is an outer stroke with an inner hole
            continue
        (cx, cy), (w, h), _ = cv2.fitEllipse(contour)
        if min(w, h) < min_diameter or min(w, h) < 0.3 * max(w, h):
            continue
        hole = cv2.contourArea(contour)
        ellipse_area = np.pi * w * h / 4
        if ellipse_area and abs(hole - ellipse_area) / ellipse_area < 0.15:
            found.append(AnnotationFinding("ring", f"closed ring {w:.0f}x{h:.0f}px at ({cx:.0f},{cy:.0f})"))
    return found


def _text_rows(strokes: np.ndarray, image_height: int) -> list[AnnotationFinding]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    glyphs = []
    for x, y, w, h, area in stats[1:count]:
        # Letter-sized, not a dot, not a line, partly filled (a stroke shape, not a solid blob).
        if 8 <= h <= image_height * 0.15 and 0.15 * h <= w <= 1.5 * h and 0.15 <= area / (w * h) <= 0.75:
            glyphs.append((x, y, w, h))
    glyphs.sort()
    for i, (x, y, w, h) in enumerate(glyphs):
        row = [(x, y, w, h)]
        for gx, gy, gw, gh in glyphs[i + 1 :]:
            last_x, last_y, last_w, last_h = row[-1]
            if gx - (last_x + last_w) > 0.6 * last_h:
                break
            # Letters of a label share a baseline and a height.
            same_line = abs((gy + gh) - (last_y + last_h)) <= max(2, 0.15 * last_h) and 0.7 < gh / last_h < 1.45
            if same_line:
                row.append((gx, gy, gw, gh))
        if len(row) >= 3:
            return [AnnotationFinding("text", f"row of {len(row)} letter-like strokes at ({x},{y}), {h}px high")]
    return []


def find_annotations(bgr: np.ndarray) -> list[AnnotationFinding]:
    """Drawn marks found on a BGR image; empty for a clean photo."""
    scale = WORK_SIDE / max(bgr.shape[:2])
    if scale < 1:
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = bgr.shape[:2]
    short = min(height, width)
    findings: list[AnnotationFinding] = []
    max_width = max(6, short // 50)
    for colour, mask in _annotation_colour_masks(bgr):
        strokes = _thin_strokes(mask, bgr, max_width, MIN_CONTRAST)
        if strokes.sum() < 30:
            continue
        shapes = _lines(strokes, 0.12 * short, clearance=max_width + 3) + _rings(strokes, 0.06 * short)
        for finding in shapes + _text_rows(strokes, height):
            findings.append(AnnotationFinding(finding.kind, f"{colour} {finding.detail}"))
    return findings

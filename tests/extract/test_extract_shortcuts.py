"""Speed shortcuts of extract give exactly what the slower calls they replace give, on real pages and on made-up
images built to break them (issue 19: a speed change must leave every row as it was)."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2 as pdfium

from mmskin_build.extract.page import read_page
from mmskin_build.extract.render import InkMask, component_boxes


def _labelled_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(int(v) for v in row[:4]) for row in stats[1:count]]


def test_component_boxes_match_opencv_labelling_on_real_ink_masks(shared_pdfs):
    checked = 0
    for path in sorted(shared_pdfs.glob("*.pdf"))[:6]:
        document = pdfium.PdfDocument(path)
        try:
            for index in range(min(4, len(document))):
                page = read_page(document, index)
                ink = InkMask.of(page).ink.astype(np.uint8)
                for size in (1, 4, 9, 20):  # the dilations `clusters` makes: 1 pt to two body sizes
                    joined = cv2.dilate(ink, np.ones((size, size), np.uint8))
                    for part in (joined, joined[1:, 3:], joined[: joined.shape[0] // 3, 5 : joined.shape[1] // 2]):
                        assert component_boxes(part) == _labelled_boxes(part)
                        checked += 1
                page.close()
        finally:
            document.close()
    assert checked >= 6 * 12


def test_component_boxes_match_opencv_labelling_on_nested_and_random_shapes():
    rings = np.zeros((90, 91), np.uint8)
    for k in range(0, 40, 6):  # rings inside rings, each hole holding the next component
        cv2.rectangle(rings, (k, k + 1), (90 - k, 88 - k), 1, 2)
    rings[44, 45] = 1
    shapes = [rings, rings.T.copy(), np.ones((5, 7), np.uint8), np.zeros((4, 4), np.uint8), np.eye(9, dtype=np.uint8)]
    rng = np.random.default_rng(0)
    for _ in range(300):
        height, width = rng.integers(1, 200, 2)
        mask = (rng.random((height, width)) < rng.uniform(0.005, 0.6)).astype(np.uint8)
        size = int(rng.integers(1, 8))
        shapes.append(cv2.dilate(mask, np.ones((size, size), np.uint8)))
    for mask in shapes:
        assert component_boxes(mask) == _labelled_boxes(mask)

"""The panel search's fast measures give numpy's own answers, value for value, and a render taken without a second
copy gives the copy's pixels (the rows must not change)."""

import warnings

import numpy as np
import pytest
from PIL import Image

from mmskin_build.extract.panels.basics import (
    _grey,
    count_along,
    doubled_medians,
    flat_fill,
    keeping_greys,
    near_level,
    per_piece,
    photograph,
    picture_like,
    share,
    transposed,
)


def _lines(seed: int, shape: tuple[int, int]) -> np.ndarray:
    """Grey levels as a picture has them: runs of paper, a flat fill, noise."""
    rng = np.random.default_rng(seed)
    lines = rng.integers(0, 256, shape).astype(np.int16)
    lines[::3] = 255
    lines[:, : shape[1] // 3] = rng.integers(118, 123)
    return lines


@pytest.mark.parametrize("shape", [(7, 9), (6, 10), (40, 401), (1, 1), (3, 0)])
def test_doubled_medians_and_near_level_are_numpys_median_test(shape):
    for lines in (_lines(sum(shape), shape), _lines(1, shape[::-1]).T, _lines(2, shape)[:, ::4]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # empty lines: numpy warns, and the median is NaN
            median = np.median(lines, axis=1)
        doubled = doubled_medians(lines)
        np.testing.assert_array_equal(doubled / 2, median)
        for shade in (2, 6, 12):
            np.testing.assert_array_equal(near_level(lines, doubled, shade), np.abs(lines - median[:, None]) <= shade)


def test_share_is_the_mean_of_the_flags():
    flags = _lines(3, (30, 47)) > 128
    for axis in (None, 0, 1):
        assert np.array_equal(share(flags, axis), flags.mean(axis=axis))
    assert share(flags.T, 1).tolist() == flags.T.mean(axis=1).tolist()


def test_count_along_is_numpys_count_of_the_flags_along_an_axis():
    # Issue 19 (speed, rows unchanged): the panel search counts flags along the lines of a picture thousands of times
    # a run; numpy's count turns each flag into a 64-bit integer first. The counts are the same on rows, on columns,
    # on views cut across a picture and on a transposed one; a count of numbers stays numpy's.
    rng = np.random.default_rng(3)
    flags = rng.random((37, 53)) < 0.4
    for view in (flags, flags.T, flags[3:30:2, ::3], flags[:, [0, 5, 9]], flags[:0]):
        for axis in (0, 1):
            assert np.array_equal(count_along(view, axis), np.count_nonzero(view, axis=axis))
    levels = rng.integers(0, 3, (5, 7))
    assert np.array_equal(count_along(levels, 1), np.count_nonzero(levels, axis=1))
    assert np.array_equal(share(flags.T, axis=1), flags.T.mean(axis=1))


def test_transposed_is_numpys_contiguous_copy_of_the_transpose():
    # Issue 19 (speed, rows unchanged): the gutter search reads a picture's columns as rows of a transposed copy,
    # 279 copies a dev run; OpenCV's transpose gives numpy's copy, value for value, contiguous, of any cut of a grey
    # picture (views across it, a row, a column, an empty one) and of other types (numpy's own).
    levels = _lines(4, (41, 67))
    for view in (levels, levels[3:30, 5:60], levels[::2, 1::3], levels[:1], levels[:, :1], levels[:0], levels.T):
        copy = transposed(view)
        expected = np.ascontiguousarray(view.T)
        assert copy.dtype == expected.dtype and copy.shape == expected.shape and copy.flags.c_contiguous
        np.testing.assert_array_equal(copy, expected)
    for other in (levels.astype(np.uint8), levels > 128, levels.astype(np.float32)):
        np.testing.assert_array_equal(transposed(other), np.ascontiguousarray(other.T))


def test_a_piece_of_a_kept_grey_picture_is_measured_once_per_piece():
    # Issue 19 (speed, rows unchanged): the panel search asks whether the same pieces of a figure's grey picture are
    # photographs again and again. Within one search a piece of a kept grey picture is measured once per place in
    # it; a piece of any other array, or outside a search, at every ask; the answers are the measure's.
    asked = []

    @per_piece
    def measure(piece):
        asked.append(piece.shape)
        return int(piece.sum())

    picture = Image.fromarray(_lines(5, (60, 80)).astype(np.uint8))
    with keeping_greys():
        grey = _grey(picture, 80)
        first = [measure(grey[:30]), measure(grey[:30]), measure(grey[30:]), measure(grey.T[:, :30])]
        assert first == [int(grey[:30].sum())] * 2 + [int(grey[30:].sum()), int(grey[:30].sum())]
        assert len(asked) == 3  # the same rows seen through the transpose are another place: measured
        loose = np.array(grey)  # a copy, writable: its pixels may change between asks
        measure(loose[:30]), measure(loose[:30])
        assert len(asked) == 5
        for piece in (grey[5:50, 10:70], grey[::2, ::3], grey):
            assert photograph(piece) == photograph.__wrapped__(piece)
            assert picture_like(piece) == picture_like.__wrapped__(piece)
    measure(grey[:30])
    assert len(asked) == 6


def test_flat_fill_against_the_median_formula():
    for seed in range(20):
        piece = _lines(seed, (12, 9 + seed))
        piece[seed % 5 :] = 200 + seed  # from mostly noise to mostly one level
        expected = (np.abs(piece - np.median(piece)) <= 6).mean() >= 0.7
        assert flat_fill(piece) == expected
    assert not flat_fill(np.zeros((0, 4), dtype=np.int16))


def test_greys_are_made_once_within_a_search_and_read_only():
    picture = Image.fromarray(_lines(4, (300, 500)).astype(np.uint8)).convert("RGB")
    with keeping_greys():
        first = _grey(picture, 400)
        assert _grey(picture, 400) is first
        assert _grey(picture, 200) is not first and _grey(picture, 200).shape == (120, 200)
    assert _grey(picture, 400) is not first  # the memo went with the block
    np.testing.assert_array_equal(_grey(picture, 400), first)
    with pytest.raises(ValueError):
        first[0, 0] = 0

"""Perceptual hash, the multi-index candidate search, duplicate grouping and grouped splits."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np
import pytest

from fixtures.factories import encode, photo
from mmskin_build.curation.duplicates import NearDuplicateConfig, close_pairs, group_duplicates, phash
from mmskin_build.curation.splits import SplitConfig, assign_splits


def _hash(data: bytes) -> int:
    return phash(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))


def _bits(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def test_phash_survives_re_encoding_and_rescaling_but_tells_photos_apart():
    original = photo(1, (400, 300))
    base = _hash(encode(original))
    assert _bits(base, _hash(encode(original.resize((200, 150)), "JPEG", 60))) <= 4
    assert _bits(base, _hash(encode(original.crop((4, 3, 396, 297))))) <= 7
    others = [_hash(encode(photo(seed, (400, 300)))) for seed in range(2, 16)]
    assert min(_bits(base, h) for h in others) > 7


def test_close_pairs_finds_every_pair_within_reach():
    rng = np.random.default_rng(0)
    hashes = rng.integers(0, 2**63, size=3000, dtype=np.int64).astype(np.uint64)
    planted = []
    for k in range(300):
        flipped = sum(1 << int(b) for b in rng.choice(64, int(rng.integers(0, 8)), replace=False))
        hashes[2000 + k] = hashes[k] ^ np.uint64(flipped)
        planted.append((k, 2000 + k))
    pairs, distance = close_pairs(hashes, max_bits=7, bands=4, chunk=500)
    found = {tuple(p) for p in pairs.tolist()}
    assert set(planted) <= found
    assert distance.max() <= 7
    # Brute force agrees exactly: nothing within 7 bits is missed, nothing further is returned.
    truth = {
        (i, int(j)) for i in range(400) for j in np.flatnonzero(np.bitwise_count(hashes[i] ^ hashes) <= 7) if j > i
    }
    assert truth == {p for p in found if p[0] < 400}
    with pytest.raises(ValueError, match="needs bands > 4"):
        close_pairs(hashes, max_bits=8, bands=4)


def test_groups_need_caption_agreement_between_strict_and_loose():
    base = 0x0123456789ABCDEF
    near = base ^ 0b111111  # 6 bits: needs alike captions
    very_near = base ^ 0b11  # 2 bits: a duplicate whatever the captions
    groups = group_duplicates(
        ["s1", "s2", "s3", "s4", "s1"],
        [base, near, base ^ (0b1111111 << 20), very_near, 0xFFFF],
        ["Psoriasis of the elbow.", "Psoriasis on the elbow.", "A completely different caption.", "x", "exact copy"],
        NearDuplicateConfig(strict_bits=4, loose_bits=7, caption_similarity=80),
    )
    assert groups[0] == groups[1] == groups[3] == groups[4]
    assert groups[2] != groups[0]


def test_splits_keep_figures_and_duplicate_groups_together_and_follow_ratios():
    figures = [f"fig{i // 3}" for i in range(900)]  # 300 figures of 3 panels
    dups = [f"d{i}" for i in range(900)]
    dups[5] = dups[700] = "shared"  # a near-duplicate across two figures
    books = [f"book{i % 4}" for i in range(900)]
    config = SplitConfig(ratios=(0.7, 0.2, 0.1), seed=3)
    splits = assign_splits(figures, dups, books, config)
    by_figure: dict[str, set[str]] = {}
    for figure, split in zip(figures, splits, strict=True):
        by_figure.setdefault(figure, set()).add(split)
    assert all(len(s) == 1 for s in by_figure.values())
    assert splits[5] == splits[700] and len({splits[i] for i in range(699, 702)}) == 1
    counts = Counter(splits)
    assert abs(counts["train"] - 630) <= 6 and abs(counts["val"] - 180) <= 6 and abs(counts["test"] - 90) <= 6
    assert assign_splits(figures, dups, books, config) == splits
    assert assign_splits(figures, dups, books, SplitConfig(ratios=(0.7, 0.2, 0.1), seed=4)) != splits
    # Row order does not change which split a figure gets.
    order = list(reversed(range(900)))
    reordered = assign_splits([figures[i] for i in order], [dups[i] for i in order], [books[i] for i in order], config)
    assert [reordered[order.index(i)] for i in range(900)] == splits
    by_book = assign_splits(figures, dups, books, SplitConfig(ratios=(0.5, 0.25, 0.25), seed=3, by_book=True))
    assert all(len({s for s, b in zip(by_book, books, strict=True) if b == book}) == 1 for book in set(books))

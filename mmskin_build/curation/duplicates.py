"""Exact and near-duplicate images, grouped without comparing every pair.

Exact duplicates share a SHA-256. Near duplicates (the same figure re-encoded, rescaled or recropped
slightly, as textbooks reuse figures across editions and chapters) have close 64-bit DCT perceptual
hashes. Candidates come from multi-index hashing: the hash is cut into `bands` chunks and two hashes are
candidates when some chunk differs in at most one bit, which by pigeonhole finds every pair within
2 * bands - 1 bits. Candidates are confirmed by Hamming distance and, between the strict and the loose
distance, by caption similarity (rapidfuzz), so two different photos that merely hash alike stay apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from rapidfuzz import fuzz

from mmskin_build.curation.unionfind import UnionFind


def phash(gray: np.ndarray) -> int:
    """64-bit perceptual hash (DCT of a 32x32 grey thumbnail, low 8x8 frequencies against their median)."""
    small = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8]
    bits = (low > np.median(low)).ravel()
    return int(np.packbits(bits).view(">u8")[0])


@dataclass(frozen=True)
class NearDuplicateConfig:
    strict_bits: int = 4  # at most this many differing bits: a duplicate whatever the captions say
    loose_bits: int = 7  # up to this many: a duplicate when the captions are alike too
    caption_similarity: float = 80.0  # rapidfuzz token_set_ratio, 0-100
    bands: int = 4  # loose_bits must be < 2 * bands for the index to find every such pair


def candidate_pairs(hashes: np.ndarray, bands: int) -> np.ndarray:
    """(i, j) pairs, i < j, whose hashes agree in some band up to one bit; every pair within
    2 * bands - 1 bits is among them. Sorting and binary search per band: O(n log n + pairs)."""
    n = len(hashes)
    width = 64 // bands
    pairs = []
    for band in range(bands):
        shift = band * width
        bits = width if band < bands - 1 else 64 - shift
        keys = ((hashes >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.int64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        flips = np.concatenate([[0], 1 << np.arange(bits, dtype=np.int64)])
        probes = (keys[:, None] ^ flips[None, :]).ravel()  # each key and its one-bit neighbours
        owners = np.repeat(np.arange(n), len(flips))
        lo = np.searchsorted(sorted_keys, probes, side="left")
        hi = np.searchsorted(sorted_keys, probes, side="right")
        counts = hi - lo
        if counts.sum() == 0:
            continue
        left = np.repeat(owners, counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        right = order[np.arange(counts.sum()) + starts]
        keep = left < right
        pairs.append(np.stack([left[keep], right[keep]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def hamming(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.bitwise_count(a ^ b).astype(np.int64)


def group_duplicates(
    sha256: Sequence[str],
    hashes: Sequence[int],
    captions: Sequence[str],
    config: NearDuplicateConfig = NearDuplicateConfig(),
) -> list[int]:
    """A group number per item (the smallest index in its group); items with none share no group."""
    if config.loose_bits >= 2 * config.bands:
        raise ValueError(f"loose_bits={config.loose_bits} needs bands > {config.loose_bits // 2}")
    n = len(sha256)
    groups = UnionFind(n)
    first_with_sha: dict[str, int] = {}
    for index, digest in enumerate(sha256):
        groups.union(first_with_sha.setdefault(digest, index), index)
    values = np.array([h & 0xFFFFFFFFFFFFFFFF for h in hashes], dtype=np.uint64)
    pairs = candidate_pairs(values, config.bands)
    if len(pairs):
        distance = hamming(values[pairs[:, 0]], values[pairs[:, 1]])
        for i, j in pairs[distance <= config.strict_bits]:
            groups.union(int(i), int(j))
        for i, j in pairs[(distance > config.strict_bits) & (distance <= config.loose_bits)]:
            if fuzz.token_set_ratio(captions[i], captions[j]) >= config.caption_similarity:
                groups.union(int(i), int(j))
    return [groups.find(i) for i in range(n)]

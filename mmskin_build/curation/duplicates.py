"""Exact and near-duplicate images, grouped without comparing every pair.

Exact duplicates share a SHA-256. Near duplicates (the same figure re-encoded, rescaled or recropped
slightly, as textbooks reuse figures across editions and chapters) have close 64-bit DCT perceptual
hashes. Candidates come from multi-index hashing: the hash is cut into `bands` chunks and two hashes are
candidates when some chunk differs in at most one bit, which by pigeonhole finds every pair within
2 * bands - 1 bits (see `close_pairs`). Candidates are confirmed by Hamming distance and, between the strict and the loose
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


def close_pairs(hashes: np.ndarray, max_bits: int, bands: int, chunk: int = 1 << 16) -> tuple[np.ndarray, np.ndarray]:
    """(pairs, distances): every pair i < j of `hashes` within `max_bits` bits (max_bits < 2 * bands).

    Multi-index hashing: per band, each hash's chunk and its one-bit neighbours are looked up in the
    sorted chunks of all hashes (binary search), and only the hits within `max_bits` are kept. The work
    is O(n log n) plus the hits, about n^2 * bands * (bits / 2 + 1) / 2^bits of them for random hashes
    (under a thousandth of all pairs at 16 bits a band), checked in vectorised chunks of bounded memory.
    """
    if max_bits >= 2 * bands:
        raise ValueError(f"max_bits={max_bits} needs bands > {max_bits // 2}")
    n = len(hashes)
    width = 64 // bands
    found = []
    for band in range(bands):
        shift = band * width
        bits = width if band < bands - 1 else 64 - shift
        keys = ((hashes >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.int64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        flips = np.concatenate([[0], 1 << np.arange(bits, dtype=np.int64)])
        for start in range(0, n, chunk):
            owners = np.repeat(np.arange(start, min(start + chunk, n)), len(flips))
            block = keys[start : start + chunk, None]
            # Each one-bit neighbour pair is probed from its side with the bit clear only (the other
            # side would find the same pair); -1 matches no key.
            probes = np.where((block & flips[None, :]) == 0, block | flips[None, :], -1).ravel()
            lo = np.searchsorted(sorted_keys, probes, side="left")
            counts = np.searchsorted(sorted_keys, probes, side="right") - lo
            total = int(counts.sum())
            if not total:
                continue
            left = np.repeat(owners, counts)
            offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            right = order[np.repeat(lo, counts) + offsets]
            keep = left != right
            left, right = np.minimum(left[keep], right[keep]), np.maximum(left[keep], right[keep])
            close = np.bitwise_count(hashes[left] ^ hashes[right]) <= max_bits
            found.append(left[close] * n + right[close])
    if not found:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    pairs = np.stack([codes // n, codes % n], axis=1)
    return pairs, np.bitwise_count(hashes[pairs[:, 0]] ^ hashes[pairs[:, 1]]).astype(np.int64)


def group_duplicates(
    sha256: Sequence[str],
    hashes: Sequence[int],
    captions: Sequence[str],
    config: NearDuplicateConfig = NearDuplicateConfig(),
) -> list[int]:
    """A group number per item (the smallest index in its group); items with none share no group."""
    n = len(sha256)
    groups = UnionFind(n)
    first_with_sha: dict[str, int] = {}
    for index, digest in enumerate(sha256):
        groups.union(first_with_sha.setdefault(digest, index), index)
    values = np.array([h & 0xFFFFFFFFFFFFFFFF for h in hashes], dtype=np.uint64)
    pairs, distance = close_pairs(values, max(config.loose_bits, config.strict_bits), config.bands)
    for (i, j), bits in zip(pairs.tolist(), distance.tolist(), strict=True):
        if bits <= config.strict_bits or fuzz.token_set_ratio(captions[i], captions[j]) >= config.caption_similarity:
            groups.union(i, j)
    return [groups.find(i) for i in range(n)]

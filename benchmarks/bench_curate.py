"""Near-duplicate grouping at scale: how time grows from 10k to 100k synthetic images.

Each synthetic image is a small smooth random picture; 10% are near duplicates of another one (rescaled,
noised, slightly cropped, caption lightly edited) and 2% exact copies. The script times perceptual
hashing and grouping separately, checks that the planted duplicates were found, and compares with an
all-pairs Hamming scan (the quadratic baseline) measured in the same run.

    python benchmarks/bench_curate.py [--sizes 10000,30000,100000]
"""

from __future__ import annotations

import argparse
import hashlib
import time

import cv2
import numpy as np

from mmskin_build.curation.duplicates import NearDuplicateConfig, group_duplicates, phash

WORDS = (
    "erythematous scaly plaque papule nodule vesicle bulla pustule macule patch elbow knee scalp face trunk "
    "psoriasis eczema lichen planus tinea acne lupus vitiligo melanoma naevus wart annular linear"
).split()


def synthetic(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    originals = int(n * 0.88)
    images, captions, sha, planted = [], [], [], []
    for _ in range(originals):
        coarse = rng.random((12, 16)).astype(np.float32)
        images.append(
            (cv2.resize(coarse, (96, 72), interpolation=cv2.INTER_CUBIC) * 200 + 20).clip(0, 255).astype(np.uint8)
        )
        captions.append(" ".join(rng.choice(WORDS, 12)))
        sha.append(hashlib.sha256(images[-1].tobytes()).hexdigest())
    for k in range(n - originals):
        source = int(rng.integers(originals))
        if k % 6 == 0:  # exact copy
            images.append(images[source])
            captions.append(captions[source])
            sha.append(sha[source])
        else:  # the same figure re-encoded for another edition
            image = cv2.resize(images[source][1:-1, 1:-1], (72, 54), interpolation=cv2.INTER_AREA).astype(np.int16)
            image = (image + rng.integers(-4, 5, image.shape)).clip(0, 255).astype(np.uint8)
            images.append(image)
            captions.append(captions[source] + " (2nd edition)")
            sha.append(hashlib.sha256(image.tobytes()).hexdigest())
        planted.append((source, len(images) - 1))
    return images, captions, sha, planted


def all_pairs_scan(hashes: np.ndarray, max_bits: int, chunk: int = 2048) -> int:
    """The quadratic baseline: every pair's Hamming distance, vectorised in chunks."""
    found = 0
    for start in range(0, len(hashes), chunk):
        block = hashes[start : start + chunk]
        distance = np.bitwise_count(block[:, None] ^ hashes[None, :])
        found += int((distance <= max_bits).sum())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    args = parser.parse_args()
    config = NearDuplicateConfig()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        images, captions, sha, planted = synthetic(n)
        start = time.perf_counter()
        hashes = [phash(image) for image in images]
        hash_s = time.perf_counter() - start
        start = time.perf_counter()
        groups = group_duplicates(sha, hashes, captions, config)
        group_s = time.perf_counter() - start
        recall = sum(groups[a] == groups[b] for a, b in planted) / len(planted)
        rows.append((n, hash_s, group_s, recall, len(set(groups))))
        print(
            f"n={n:>7}: phash {hash_s:6.2f} s ({n / hash_s:,.0f}/s), grouping {group_s:6.2f} s, "
            f"planted duplicates found {recall:.1%}, groups {len(set(groups)):,}",
            flush=True,
        )
    base_n, _, base_group, _, _ = rows[0]
    for n, _, group_s, _, _ in rows[1:]:
        print(
            f"grouping time x{group_s / base_group:.1f} for x{n / base_n:.0f} images "
            f"(linear x{n / base_n:.0f}, quadratic x{(n / base_n) ** 2:.0f})"
        )
    values = np.array([h for h in hashes[:base_n]], dtype=np.uint64)
    start = time.perf_counter()
    all_pairs_scan(values, config.loose_bits)
    scan_s = time.perf_counter() - start
    print(
        f"all-pairs Hamming scan of {base_n:,} hashes: {scan_s:.2f} s (grouping took {base_group:.2f} s); "
        f"extrapolated to {rows[-1][0]:,}: {scan_s * (rows[-1][0] / base_n) ** 2:.0f} s"
    )


if __name__ == "__main__":
    main()

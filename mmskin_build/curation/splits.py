"""Train/val/test assignment by group, so related images never straddle two splits.

Images are linked when they share a figure (panels of one figure), a duplicate group, or, with
`by_book`, a source book. Each connected group goes to one split: groups are visited in an order fixed
by the seed and each goes to the split furthest below its target share, so ratios hold closely even for
small datasets and a run with the same seed gives the same splits.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from mmskin_build.curation.unionfind import UnionFind

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class SplitConfig:
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    seed: int = 0
    by_book: bool = False

    def __post_init__(self) -> None:
        if len(self.ratios) != 3 or any(r < 0 for r in self.ratios) or sum(self.ratios) <= 0:
            raise ValueError(f"split ratios must be three non-negative numbers, got {self.ratios}")


def link_groups(keys: Sequence[Sequence[str]]) -> list[int]:
    """A group number per item; items sharing any key are in one group."""
    groups = UnionFind(len(keys))
    first_with_key: dict[str, int] = {}
    for index, item_keys in enumerate(keys):
        for key in item_keys:
            groups.union(first_with_key.setdefault(key, index), index)
    return [groups.find(i) for i in range(len(keys))]


def assign_splits(
    figure_ids: Sequence[str], dup_groups: Sequence[str], book_ids: Sequence[str], config: SplitConfig
) -> list[str]:
    keys = [
        [f"figure:{f}", f"dup:{d}"] + ([f"book:{b}"] if config.by_book else [])
        for f, d, b in zip(figure_ids, dup_groups, book_ids, strict=True)
    ]
    group_of = link_groups(keys)
    members: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(group_of):
        members[group].append(index)

    def order(group: int) -> str:
        # Seeded, and independent of row order: the group's smallest figure and duplicate key.
        name = min("|".join(keys[i]) for i in members[group])
        return hashlib.sha256(f"{config.seed}:{name}".encode()).hexdigest()

    total = sum(config.ratios)
    shares = [r / total for r in config.ratios]
    counts = [0, 0, 0]
    split_of = [""] * len(keys)
    assigned = 0
    for group in sorted(members, key=order):
        size = len(members[group])
        # The split furthest below its target after this group is added (ties: train, val, test).
        deficits = [shares[s] * (assigned + size) - counts[s] for s in range(3)]
        chosen = max(range(3), key=lambda s: (deficits[s], -s))
        for index in members[group]:
            split_of[index] = SPLITS[chosen]
        counts[chosen] += size
        assigned += size
    return split_of

"""Per-image filters of curate. Each is configurable and returns the reason and a detail when it drops."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Caption words that mark images a public caption dataset should not carry (intimate regions, minors
# in distress, the dead). Replace with --sensitive-keyword, turn off with --no-sensitive-filter.
DEFAULT_SENSITIVE_KEYWORDS: tuple[str, ...] = (
    "genital",
    "genitalia",
    "genitals",
    "penis",
    "penile",
    "scrotum",
    "scrotal",
    "vulva",
    "vulvar",
    "vagina",
    "vaginal",
    "labia",
    "anus",
    "perianal",
    "nipple",
    "child abuse",
    "sexual abuse",
    "autopsy",
    "cadaver",
    "post-mortem",
    "postmortem",
    "deceased",
)


@dataclass(frozen=True)
class FilterConfig:
    keep_modalities: tuple[str, ...] = ("clinical", "dermoscopy", "pathology")
    min_side: int = 128
    detect_annotations: bool = True
    sensitive_keywords: tuple[str, ...] = DEFAULT_SENSITIVE_KEYWORDS
    require_caption: bool = True


@lru_cache(maxsize=8)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted(keywords, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Drop:
    reason: str  # one of tables.curate.DropReason
    detail: str


def caption_and_metadata_filters(
    caption: str, modality: str | None, width: int, height: int, config: FilterConfig
) -> Drop | None:
    """The filters that need no pixels, in the order of `DropReason` (tables/curate.py)."""
    if config.require_caption and not caption.strip():
        return Drop("no-caption", "no caption text after cleaning")
    if modality is not None and modality not in config.keep_modalities:
        return Drop("non-photo", f"modality '{modality}' is not one of {', '.join(config.keep_modalities)}")
    if min(width, height) < config.min_side:
        return Drop("low-res", f"{width}x{height} px: shortest side under {config.min_side} px")
    match = _keyword_pattern(config.sensitive_keywords).search(caption) if config.sensitive_keywords else None
    if match:
        return Drop("sensitive", f"caption keyword '{match.group(0)}'")
    return None

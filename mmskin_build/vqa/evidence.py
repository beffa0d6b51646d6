"""Caption spans as evidence: the clauses an answer may cite, and locating a cited span in the caption."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

# Clause ends: sentence ends and semicolons, but not decimal points ("2.5 cm") or abbreviations ("e.g.").
_CLAUSE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bcf\.)(?<=[.!?])\s+(?=[A-Z(])|\s*;\s*")
EVIDENCE_MIN_SCORE = 90.0


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def clauses(caption: str) -> list[str]:
    """The caption's sentences and semicolon-separated clauses, stripped, in order, without duplicates."""
    out: list[str] = []
    for part in _CLAUSE_END.split(caption):
        part = part.strip().rstrip(";").strip()
        if len(part) >= 3 and part not in out:
            out.append(part)
    return out


def find_span(needle: str, caption: str, min_score: float = EVIDENCE_MIN_SCORE) -> Span | None:
    """Where `needle` occurs in `caption`: exactly (case-insensitive), or by fuzzy partial match >= min_score."""
    needle = needle.strip()
    if not needle:
        return None
    at = caption.lower().find(needle.lower())
    if at >= 0:
        return Span(at, at + len(needle), caption[at : at + len(needle)])
    if len(needle) > len(caption) * 1.1:
        return None
    match = fuzz.partial_ratio_alignment(needle.lower(), caption.lower(), score_cutoff=min_score)
    if match is None:
        return None
    return Span(match.dest_start, match.dest_end, caption[match.dest_start : match.dest_end])

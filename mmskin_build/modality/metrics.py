"""Classification scores from true and predicted class indices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel


class Scores(BaseModel):
    classes: list[str]
    confusion: list[list[int]]  # rows: true class, columns: predicted class
    accuracy: float
    macro_f1: float
    recall: dict[str, float]
    precision: dict[str, float]
    n: int


class SourceScore(BaseModel):
    """Held-out predictions of the images of one source (a source-grouped cross-validation)."""

    source: str
    n: int
    per_class: dict[str, int]  # images of each class present
    correct: int
    accuracy: float


def per_source_scores(
    sources: Sequence[str], true: Sequence[int], predicted: Sequence[int], classes: Sequence[str]
) -> list[SourceScore]:
    """One row per source, largest first."""
    true, predicted, sources = np.asarray(true), np.asarray(predicted), np.asarray(sources)
    rows = []
    for source in sorted(set(sources.tolist()), key=lambda s: (-int((sources == s).sum()), s)):
        mine = sources == source
        labels = true[mine]
        correct = int((predicted[mine] == labels).sum())
        rows.append(
            SourceScore(
                source=source,
                n=int(mine.sum()),
                per_class={classes[c]: int((labels == c).sum()) for c in np.unique(labels)},
                correct=correct,
                accuracy=round(correct / int(mine.sum()), 4),
            )
        )
    return rows


def score(true: Sequence[int], predicted: Sequence[int], classes: Sequence[str]) -> Scores:
    k = len(classes)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (np.asarray(true, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    hits = np.diag(confusion).astype(float)
    support = confusion.sum(axis=1).astype(float)
    claimed = confusion.sum(axis=0).astype(float)
    recall = np.divide(hits, support, out=np.zeros(k), where=support > 0)
    precision = np.divide(hits, claimed, out=np.zeros(k), where=claimed > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(k), where=precision + recall > 0)
    n = int(confusion.sum())
    return Scores(
        classes=list(classes),
        confusion=confusion.tolist(),
        accuracy=float(hits.sum() / n) if n else 0.0,
        macro_f1=float(f1.mean()),
        recall=dict(zip(classes, recall.round(4).tolist(), strict=True)),
        precision=dict(zip(classes, precision.round(4).tolist(), strict=True)),
        n=n,
    )


def format_scores(scores: Scores) -> str:
    """The confusion matrix and the headline figures as plain text."""
    width = max(len(c) for c in scores.classes) + 2
    lines = ["true \\ predicted".ljust(width + 4) + "".join(c[:10].rjust(12) for c in scores.classes)]
    for name, row in zip(scores.classes, scores.confusion, strict=True):
        lines.append(name.ljust(width + 4) + "".join(str(v).rjust(12) for v in row))
    recall = ", ".join(f"{c} {r:.3f}" for c, r in scores.recall.items())
    lines.append(f"accuracy {scores.accuracy:.4f}  macro-F1 {scores.macro_f1:.4f}  (n={scores.n})")
    lines.append(f"recall: {recall}")
    return "\n".join(lines)


def format_sources(rows: Sequence[SourceScore]) -> str:
    """The per-source table as plain text."""
    width = max(len(r.source) for r in rows) + 2
    lines = ["source".ljust(width) + "images  right  accuracy  classes"]
    for r in rows:
        classes = ", ".join(f"{c} {n}" for c, n in r.per_class.items())
        lines.append(f"{r.source.ljust(width)}{r.n:>6}{r.correct:>7}{r.accuracy:>10.3f}  {classes}")
    return "\n".join(lines)

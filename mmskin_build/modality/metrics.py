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

"""MM-Skin's text metrics (BLEU-1..4, ROUGE-L, token recall) and closed-set accuracy.

BLEU is nltk's sentence BLEU with cumulative n-gram weights and smoothing method 1 (short answers would
otherwise score 0), averaged over samples; ROUGE-L is the rouge-score package's F-measure; token recall is
LLaVA-Med's open-question recall: the share of the reference's distinct words that the prediction contains.
Text is lower-cased and split into words before scoring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
BLEU_WEIGHTS = {
    "bleu1": (1.0, 0, 0, 0),
    "bleu2": (0.5, 0.5, 0, 0),
    "bleu3": (1 / 3, 1 / 3, 1 / 3, 0),
    "bleu4": (0.25, 0.25, 0.25, 0.25),
}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def token_recall(prediction: str, reference: str) -> float:
    ref = set(words(reference))
    return len(ref & set(words(prediction))) / len(ref) if ref else 0.0


def text_metrics(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Mean BLEU-1..4, ROUGE-L F and token recall over aligned predictions and references."""
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
    from rouge_score import rouge_scorer

    if not predictions:
        return {}
    smooth = SmoothingFunction().method1
    scorer = rouge_scorer.RougeScorer(["rougeL"])
    totals = dict.fromkeys([*BLEU_WEIGHTS, "rouge_l", "recall"], 0.0)
    for pred, ref in zip(predictions, references, strict=True):
        pred_words, ref_words = words(pred), words(ref)
        for name, weights in BLEU_WEIGHTS.items():
            if pred_words:
                totals[name] += sentence_bleu([ref_words], pred_words, weights=weights, smoothing_function=smooth)
        totals["rouge_l"] += scorer.score(ref, pred)["rougeL"].fmeasure
        totals["recall"] += token_recall(pred, ref)
    return {name: value / len(predictions) for name, value in totals.items()}


def chosen_label(prediction: str, choices: Sequence[str]) -> str | None:
    """The label a prediction names: an exact match, else the only label it contains; None when unclear."""
    said = " ".join(words(prediction))
    normalised = {" ".join(words(c)): c for c in choices}
    if said in normalised:
        return normalised[said]
    found = [c for n, c in normalised.items() if n and re.search(rf"\b{re.escape(n)}\b", said)]
    return found[0] if len(found) == 1 else None


def closed_set_accuracy(
    predictions: Sequence[str], references: Sequence[str], choices: Sequence[Sequence[str]]
) -> float:
    if not predictions:
        return 0.0
    right = sum(chosen_label(p, c) == r for p, r, c in zip(predictions, references, choices, strict=True))
    return right / len(predictions)

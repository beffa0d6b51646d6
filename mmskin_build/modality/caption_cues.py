"""Caption cues and their fusion with the image model's probabilities.

The fusion rule (documented in the README; tests pin it):

1. Cue text: the panel's sub-caption when it has a cue, otherwise the figure caption.
2. Each class gets the largest weight of its cues found in that text: STRONG (3.0) for unambiguous words
   ("dermoscopy", "H&E", "CT"), WEAK (1.5) for suggestive ones ("biopsy", "magnification"); 0 without cues.
   When the text has cues of two or more classes (a caption describing several panels), every weight is
   halved: the caption no longer tells which panel this image is.
3. Fused probabilities: softmax(log p_image + cue weights), i.e. a cue multiplies the odds of its class by
   e^3 ~ 20 (strong) or e^1.5 ~ 4.5 (weak). The modality is their argmax, the confidence its probability.
4. Source: `image` when no cue was found or the image model's choice stood against the cues; `caption`
   when the cues changed the image model's choice; `both` when the image model and the strongest cue agree.
5. Review: an image is flagged when the fused confidence is under the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

STRONG = 3.0
WEAK = 1.5

# Patterns are case-insensitive except inside (?-i:...), used for acronyms that are common lowercase words.
CUES: dict[str, list[tuple[str, float]]] = {
    "clinical": [
        (r"\bclinical (?:photo(?:graph)?s?|pictures?|images?|appearance|view|presentation)\b", WEAK),
    ],
    "dermoscopy": [
        (r"\bdermo?scop\w*|\bdermatoscop\w*|\bvideodermoscop\w*", STRONG),
        (r"\bepiluminescen\w*|\btrichoscop\w*|\bonychoscop\w*", STRONG),
        (r"\bpolari[sz]ed(?:[- ]light)?\b", WEAK),
    ],
    "pathology": [
        (r"(?-i:\bH\s?(?:&|and)\s?E\b)|\bhaematoxylin\b|\bhematoxylin\b|\beosin\b", STRONG),
        (r"\bhisto(?:logy|logical|logic|logically|patholog\w*)\b", STRONG),
        (r"\b(?:photo)?micrographs?\b|\bimmunohisto\w*|\bimmunostain\w*|\bimmunoperoxidase\b", STRONG),
        (r"\boriginal magnification\b|(?-i:\bPAS\b)|\bperiodic acid|\bGiemsa\b|\bMasson\b|\bVerhoeff\b", STRONG),
        (r"\bbiops(?:y|ies)\b|\bmagnification\b|\bstain(?:ed|ing)?\b|\b(?:high|low|medium)[- ]power\b", WEAK),
        (r"\(\s*[x×]\s*\d{2,4}\s*\)", WEAK),
    ],
    "other": [
        (r"\bx-?rays?\b|\bradiograph\w*|\broentgeno\w*|(?-i:\bCT\b)|\bcomputed tomograph\w*", STRONG),
        (r"\bMRI\b|\bmagnetic resonance\b|\bultraso(?:und|nograph\w*)\b|\bsonograph\w*|\bechocardiogra\w*", STRONG),
        (r"\belectrocardiogra\w*|(?-i:\b(?:ECG|EKG|PET)\b)|\bangiogra\w*|\bscintigra\w*|\bmammogra\w*", STRONG),
        (r"\bgraphs?\b|\bcharts?\b|\bplots?\b|\bhistograms?\b|\bdiagrams?\b|\bschemati\w*|\bflow ?charts?\b", STRONG),
        (r"\balgorithms?\b|\bscreenshots?\b|\bscreen shots?\b|\bkaplan[- ]meier\b|\bsurvival curves?\b", STRONG),
        (r"\billustrations?\b|\bdrawings?\b|\bcartoons?\b|\bcurves?\b", WEAK),
    ],
}
_COMPILED = {cls: [(re.compile(p, re.IGNORECASE), w) for p, w in cues] for cls, cues in CUES.items()}


@dataclass(frozen=True)
class CueScores:
    """Per-class log-odds bonuses from a caption, and the words that earned them."""

    weights: dict[str, float]
    matches: dict[str, list[str]]
    text: str  # "subcaption", "caption" or "none"

    @property
    def any(self) -> bool:
        return any(self.weights.values())

    def top(self) -> str | None:
        if not self.any:
            return None
        return max(self.weights, key=self.weights.__getitem__)


def _scan(text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
    weights: dict[str, float] = {}
    matches: dict[str, list[str]] = {}
    for cls, patterns in _COMPILED.items():
        found = [(m.group(0), w) for pattern, w in patterns for m in pattern.finditer(text)]
        weights[cls] = max((w for _, w in found), default=0.0)
        matches[cls] = [word for word, _ in found]
    return weights, matches


def caption_cues(caption: str | None, subcaption: str | None = None) -> CueScores:
    """Cue weights for one image from its figure caption and its panel's sub-caption (rules 1 and 2)."""
    for name, text in (("subcaption", subcaption), ("caption", caption)):
        if not text:
            continue
        weights, matches = _scan(text)
        if any(weights.values()):
            if sum(1 for w in weights.values() if w) >= 2:
                weights = {cls: w / 2 for cls, w in weights.items()}
            return CueScores(weights, matches, name)
    return CueScores({cls: 0.0 for cls in CUES}, {cls: [] for cls in CUES}, "none")


@dataclass(frozen=True)
class Decision:
    modality: str
    confidence: float
    source: str  # image | caption | both
    probabilities: dict[str, float]  # fused
    needs_review: bool


def fuse(image_probs: np.ndarray, classes: list[str] | tuple[str, ...], cues: CueScores, threshold: float) -> Decision:
    """Rules 3 to 5: combine the image model's probabilities with the caption's cue weights."""
    probs = np.clip(np.asarray(image_probs, dtype=np.float64), 1e-12, 1.0)
    logits = np.log(probs) + np.array([cues.weights.get(c, 0.0) for c in classes])
    fused = np.exp(logits - logits.max())
    fused /= fused.sum()
    chosen = int(fused.argmax())
    image_choice = int(probs.argmax())
    if not cues.any:
        source = "image"
    elif chosen != image_choice:
        source = "caption"
    elif cues.top() == classes[chosen]:
        source = "both"
    else:
        source = "image"
    confidence = float(fused[chosen])
    return Decision(
        modality=classes[chosen],
        confidence=confidence,
        source=source,
        probabilities={c: float(p) for c, p in zip(classes, fused, strict=True)},
        needs_review=confidence < threshold,
    )

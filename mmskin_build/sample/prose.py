"""Filler body text with dermatological vocabulary, and a paragraph source that slips planned sentences in.

Planned sentences (the in-text figure mentions) go into the next paragraph, after one filler sentence or,
when they start with the label, first; so they land on the page being composed. Ground truth records
them verbatim.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from mmskin_build.sample.layout import Paragraph
from mmskin_build.text.labels import CAPTION_START

SUBJECTS = [
    "The eruption",
    "Chronic plaque disease",
    "The affected epidermis",
    "Early disease",
    "Each lesion",
    "The papillary dermis",
    "Perivascular inflammation",
    "The clinical course",
    "Koebnerisation",
    "Secondary infection",
    "The inflammatory infiltrate",
    "Lichenification",
    "Recurrent disease",
]
VERBS = [
    "typically presents with",
    "is characterised by",
    "may progress to",
    "is often accompanied by",
    "frequently resolves with",
    "can be distinguished from",
    "is associated with",
    "rarely shows",
]
OBJECTS = [
    "erythematous plaques with silvery scale",
    "confluent papules",
    "postinflammatory hyperpigmentation",
    "parakeratosis and acanthosis",
    "a lymphocytic infiltrate",
    "spongiosis of the epidermis",
    "well-demarcated patches",
    "pruritic excoriated nodules",
    "annular lesions with central clearing",
    "follicular hyperkeratosis",
    "telangiectasia and atrophy",
    "vesicles on an erythematous base",
    "dermal oedema",
    "hypopigmented macules",
    "thickened nail plates",
]
MODIFIERS = [
    "on the extensor surfaces",
    "in intertriginous sites",
    "after minor trauma",
    "in older patients",
    "during the winter months",
    "despite topical corticosteroids",
    "on sun-exposed skin",
    "in the first decade of life",
    "over several weeks",
    "without systemic symptoms",
    "in patients with atopy",
    "on the scalp and trunk",
]
HEADINGS = [
    "Clinical features",
    "Histopathology",
    "Differential diagnosis",
    "Epidemiology",
    "Pathogenesis",
    "Investigations",
    "Management",
    "Prognosis",
    "Dermoscopy",
    "Complications",
]


def filler_sentence(rng: np.random.Generator) -> str:
    parts = [SUBJECTS, VERBS, OBJECTS, MODIFIERS]
    return " ".join(str(p[rng.integers(len(p))]) for p in parts) + "."


class Prose:
    """An endless source of paragraphs; `plan` queues sentences to appear in the next paragraph."""

    def __init__(self, rng: np.random.Generator, heading_every: int = 5) -> None:
        self.rng = rng
        self.planned: deque[str] = deque()
        self.count = 0
        self.heading_every = heading_every

    def plan(self, sentences: list[str]) -> None:
        self.planned.extend(sentences)

    def __call__(self) -> Paragraph:
        self.count += 1
        if self.count % self.heading_every == 1 and not self.planned:
            return Paragraph([str(HEADINGS[self.rng.integers(len(HEADINGS))])], heading=True)
        planned = list(self.planned)
        self.planned.clear()
        # A mention that starts with its label opens the paragraph, so the label begins a line as a
        # caption would: the extractor must still tell it from a caption.
        leading = [s for s in planned if CAPTION_START.match(s)]
        sentences = leading + [filler_sentence(self.rng)] + [s for s in planned if s not in leading]
        sentences += [filler_sentence(self.rng) for _ in range(int(self.rng.integers(2, 5)))]
        return Paragraph(sentences)

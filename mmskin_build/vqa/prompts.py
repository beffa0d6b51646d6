"""Versioned prompt templates: `mmskin_build/prompts/<name>-v<N>.md`, a system and a user part.

A template is never edited in place: a change gets a new file (`-v2`), so the version recorded with every
row names the exact text used. The content hash is part of the cache key as well, as a safety net.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import get_args

from mmskin_build.pipeline import UsageError
from mmskin_build.tables.vqa import QuestionType

PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
# Prompt v2 asks only what an image of the modality can show (no dermoscopic structures on a histology slide).
QUESTION_TYPES_BY_MODALITY: dict[str, tuple[str, ...]] = {
    "clinical": (
        "morphology",
        "colour",
        "distribution",
        "location",
        "diagnosis",
        "differential_diagnosis",
        "demographics",
    ),
    "dermoscopy": ("dermoscopic_structures", "colour", "morphology", "diagnosis", "differential_diagnosis"),
    "pathology": ("histological_features", "diagnosis", "differential_diagnosis"),
}


def question_types_for(modality: str | None) -> tuple[str, ...]:
    """The question types for `modality`; all of them when it is unknown."""
    return QUESTION_TYPES_BY_MODALITY.get(modality or "", QUESTION_TYPES)


def panel_note(panel_letter: str | None) -> str:
    if not panel_letter:
        return "This image is a whole figure (no panel letter)."
    return (
        f"This image is panel {panel_letter} of a multi-panel figure. The caption starts with this panel's own "
        f"sub-caption: answer only from it, and ask what tells panel {panel_letter} apart from the others."
    )


_PART = re.compile(r"<!--\s*(system|user)\s*-->\s*\n")


class PromptError(UsageError):
    """A prompt template that is missing or malformed."""


@dataclass(frozen=True)
class PromptTemplate:
    version: str
    system: Template
    user: Template
    sha256: str

    def render(
        self,
        *,
        caption: str,
        mentions: list[str],
        modality: str | None,
        per_image: int,
        panel_letter: str | None = None,
    ) -> tuple[str, str]:
        """(system, user) message texts for one image. v1 templates use $question_types (all of them) and
        $mentions; v2 templates $modality_question_types, $numbered_mentions and $panel."""
        values = {
            "caption": caption,
            "mentions": "\n".join(f"- {m}" for m in mentions) if mentions else "(none)",
            "numbered_mentions": "\n".join(f"[{i}] {m}" for i, m in enumerate(mentions, 1)) if mentions else "(none)",
            "modality": modality or "unknown",
            "per_image": per_image,
            "question_types": ", ".join(t.replace("_", " ") for t in QUESTION_TYPES),
            "modality_question_types": ", ".join(question_types_for(modality)),
            "panel": panel_note(panel_letter),
        }
        return self.system.substitute(values).strip(), self.user.substitute(values).strip()


def latest_version(mode: str) -> str:
    """The newest `vqa-<mode>-vN` template in the prompt directory."""
    versions = sorted(
        (int(m.group(1)), p.stem)
        for p in PROMPT_DIR.glob(f"vqa-{mode}-v*.md")
        if (m := re.fullmatch(rf"vqa-{mode}-v(\d+)", p.stem))
    )
    if not versions:
        raise PromptError(f"{PROMPT_DIR}: no vqa-{mode}-vN.md template")
    return versions[-1][1]


def load_prompt(version: str) -> PromptTemplate:
    path = PROMPT_DIR / f"{version}.md"
    if not path.is_file():
        raise PromptError(f"{path}: no such prompt template")
    text = path.read_text()
    parts = dict(zip(*[iter(_PART.split(text)[1:])] * 2, strict=True))
    if set(parts) != {"system", "user"}:
        raise PromptError(f"{path}: needs a '<!-- system -->' and a '<!-- user -->' part")
    return PromptTemplate(
        version=version,
        system=Template(parts["system"]),
        user=Template(parts["user"]),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )

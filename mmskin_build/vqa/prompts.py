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

from mmskin_build.tables.vqa import QuestionType

PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
_PART = re.compile(r"<!--\s*(system|user)\s*-->\s*\n")


class PromptError(Exception):
    """A prompt template that is missing or malformed."""


@dataclass(frozen=True)
class PromptTemplate:
    version: str
    system: Template
    user: Template
    sha256: str

    def render(self, *, caption: str, mentions: list[str], modality: str | None, per_image: int) -> tuple[str, str]:
        """(system, user) message texts for one image."""
        values = {
            "caption": caption,
            "mentions": "\n".join(f"- {m}" for m in mentions) if mentions else "(none)",
            "modality": modality or "unknown",
            "per_image": per_image,
            "question_types": ", ".join(t.replace("_", " ") for t in QUESTION_TYPES),
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

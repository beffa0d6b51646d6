"""One request per image: its cache key, reproducible seed, messages and response schema."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from mmskin_build.vqa.evidence import clauses
from mmskin_build.vqa.prompts import PromptTemplate, question_types_for
from mmskin_build.vqa.response import base_request_schema, request_schema, schema_hash, schema_version

PAIR_COLUMNS = [
    "image_id", "figure_id", "panel_letter", "subcaption", "split", "sha256", "caption", "mentions", "modality", "body_sites",
    "age_min_years", "age_max_years", "age_text", "sex", "sex_text",
]  # fmt: skip


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RequestSpec:
    """What every request of a run shares; any change gives new cache keys."""

    backend: str
    mode: str
    model: str
    prompt_version: str
    prompt_sha256: str
    per_image: int
    sampling: dict[str, Any]

    @functools.cached_property
    def _shared(self) -> str:
        return canonical_json(
            {
                "backend": self.backend,
                "mode": self.mode,
                "model": self.model,
                "prompt": [self.prompt_version, self.prompt_sha256],
                "schema": schema_hash(base_request_schema(self.per_image, self.schema_version)),
                "sampling": self.sampling,
            }
        )

    @property
    def schema_version(self) -> int:
        return schema_version(self.prompt_version)

    def key(self, pair: dict[str, Any]) -> str:
        """Cache key: image and caption hash (v2: and panel letter), prompt version, model, schema and sampling."""
        fields = [pair["sha256"], pair["caption"], pair["mentions"], pair["modality"]]
        if self.schema_version >= 2:  # v1 keys stay as they were, so v1 runs resume from their caches
            fields.append(pair.get("panel_letter"))
        source = sha256_text(canonical_json(fields))
        return sha256_text(f"{source}:{self._shared}")


def seed_for(key: str) -> int:
    """A per-request seed derived from the cache key, so the same request samples the same tokens."""
    return int(key[:8], 16) & 0x7FFFFFFF


def messages_for(pair: dict[str, Any], prompt: PromptTemplate, mode: str, per_image: int) -> list[dict[str, Any]]:
    system, user = prompt.render(
        caption=pair["caption"], mentions=pair["mentions"], modality=pair["modality"], per_image=per_image,
        panel_letter=pair.get("panel_letter"),
    )  # fmt: skip
    if mode == "vision":
        content: Any = [
            {"type": "image_url", "image_url": {"url": data_url(pair["image"]["bytes"])}},
            {"type": "text", "text": user},
        ]
    else:
        content = user
    return [{"role": "system", "content": system}, {"role": "user", "content": content}]


def schema_for(pair: dict[str, Any], per_image: int, version: int = 1) -> dict[str, Any]:
    """v1: evidence from the caption's clauses. v2: also the sentences citing the image, and the modality's types."""
    if version == 1:
        return request_schema(per_image, clauses(pair["caption"]))
    spans = list(dict.fromkeys([*clauses(pair["caption"]), *(pair["mentions"] or [])]))
    return request_schema(per_image, spans, version, list(question_types_for(pair["modality"])))


def data_url(image: bytes) -> str:
    mime = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(image).decode()}"

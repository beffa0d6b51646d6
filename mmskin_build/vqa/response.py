"""The structured response asked of the LLM; its JSON Schema is `schemas/vqa_response.json`.

The schema sent with each request (`request_schema`) is this one with the item count fixed to
`--per-image` and `evidence` restricted to the clauses of that image's caption, so the structured-output
backend can only return evidence that is a verbatim caption span.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mmskin_build.tables.vqa import QuestionType


class QaItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_type: QuestionType
    question: str = Field(min_length=8, max_length=160)
    answer: str = Field(min_length=1, max_length=240)
    evidence: str = Field(min_length=3, max_length=1000, description="Verbatim caption span that supports the answer.")


class VqaResponse(BaseModel):
    """What the LLM must return for one image: a list of question-answer items."""

    model_config = ConfigDict(extra="forbid")

    items: list[QaItem] = Field(min_length=1, max_length=12)


@functools.cache
def _response_schema() -> dict[str, Any]:
    return VqaResponse.model_json_schema()  # ~1 ms: built once, copied per request


def base_request_schema(per_image: int) -> dict[str, Any]:
    """The response schema with exactly `per_image` items."""
    schema = copy.deepcopy(_response_schema())
    schema["properties"]["items"]["minItems"] = per_image
    schema["properties"]["items"]["maxItems"] = per_image
    return schema


def request_schema(per_image: int, evidence_spans: list[str]) -> dict[str, Any]:
    """The schema sent for one image: `evidence` must be one of its caption clauses."""
    schema = base_request_schema(per_image)
    if evidence_spans:
        evidence = schema["$defs"]["QaItem"]["properties"]["evidence"]
        evidence.pop("minLength"), evidence.pop("maxLength")
        evidence["enum"] = evidence_spans
    return schema


def schema_hash(schema: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]

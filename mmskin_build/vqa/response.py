"""The structured responses asked of the LLM; their JSON Schemas are `schemas/vqa_response*.json`.

Prompt v1 (`VqaResponse`): exactly `--per-image` items, each type, question, answer, evidence, the answer cut
at 240 characters while decoding. Prompt v2 (`VqaResponseV2`): 0 to `--per-image` items, each evidence first
(then type, question, answer), so the model picks its span before writing about it; no length cut while
decoding (the `truncated` gate catches an answer cut by max_tokens). The schema sent with each request
restricts `evidence` to the caption's clauses (v2: and the sentences citing the image), so the
structured-output backend can only return a verbatim span, and (v2) `question_type` to the image's modality.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
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


class QaItemV2(BaseModel):
    """One item of prompt v2: the evidence comes first, so the model chooses it before the question."""

    model_config = ConfigDict(extra="forbid")

    evidence: str = Field(
        min_length=3, max_length=1000, description="Verbatim span of the caption or of a citing sentence."
    )
    question_type: QuestionType
    question: str = Field(min_length=8, max_length=200)
    answer: str = Field(min_length=1, max_length=1000, description="One or two sentences; not cut while decoding.")


class VqaResponseV2(BaseModel):
    """What the LLM returns for one image under prompt v2: as many items as the caption supports, maybe none."""

    model_config = ConfigDict(extra="forbid")

    items: list[QaItemV2] = Field(max_length=12)


RESPONSE_MODELS: dict[int, type[VqaResponse | VqaResponseV2]] = {1: VqaResponse, 2: VqaResponseV2}


def response_model(prompt_version: str) -> type[VqaResponse | VqaResponseV2]:
    """The response model of a prompt version ("vqa-text-v2" -> VqaResponseV2; v1 and rules-v1 -> VqaResponse)."""
    return RESPONSE_MODELS[schema_version(prompt_version)]


def schema_version(prompt_version: str) -> int:
    """2 for LLM prompt versions 2 and up ("vqa-text-v2"), else 1 ("vqa-text-v1"; the rules backend's "rules-vN")."""
    number = re.fullmatch(r"vqa-\w+-v(\d+)", prompt_version)
    return 2 if number and int(number.group(1)) >= 2 else 1


@functools.cache
def _response_schema(version: int) -> dict[str, Any]:
    return RESPONSE_MODELS[version].model_json_schema()  # ~1 ms: built once, copied per request


def base_request_schema(per_image: int, version: int = 1) -> dict[str, Any]:
    """The response schema of `version` with exactly (v1) or at most (v2) `per_image` items."""
    schema = copy.deepcopy(_response_schema(version))
    schema["properties"]["items"]["minItems"] = per_image if version == 1 else 0
    schema["properties"]["items"]["maxItems"] = per_image
    return schema


def request_schema(
    per_image: int, evidence_spans: list[str], version: int = 1, question_types: list[str] | None = None
) -> dict[str, Any]:
    """The schema sent for one image: `evidence` must be one of `evidence_spans` (its caption clauses; v2: and the
    sentences citing it); v2: `question_type` one of `question_types`."""
    schema = base_request_schema(per_image, version)
    item = schema["$defs"]["QaItem" if version == 1 else "QaItemV2"]["properties"]
    if evidence_spans:
        evidence = item["evidence"]
        evidence.pop("minLength"), evidence.pop("maxLength")
        evidence["enum"] = evidence_spans
    if question_types and version >= 2:
        item["question_type"] = {"enum": question_types, "type": "string"}
    return schema


def schema_hash(schema: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]

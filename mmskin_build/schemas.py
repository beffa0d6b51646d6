"""JSON Schemas of every table (and the manifest), generated from the pydantic models.

`python -m mmskin_build.schemas` rewrites `schemas/*.json`; a test fails when the committed files drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mmskin_build.store.manifest import Manifest
from mmskin_build.tables import TABLES
from mmskin_build.vqa.response import VqaResponse, VqaResponseV2

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    **TABLES,
    "manifest": Manifest,
    "vqa_response": VqaResponse,
    "vqa_response_v2": VqaResponseV2,
}
REPO_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def json_schema(name: str) -> dict[str, Any]:
    schema = SCHEMA_MODELS[name].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"mmskin-build/{name}.json"
    return schema


def render(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, sort_keys=True) + "\n"


def write_all(directory: Path = REPO_SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_MODELS:
        path = directory / f"{name}.json"
        path.write_text(render(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_SCHEMA_DIR):
        print(path)

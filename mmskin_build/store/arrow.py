"""Arrow schemas derived from the pydantic table models, so one definition drives Parquet and JSON Schema."""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel

from mmskin_build.tables import ImageData

_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    bytes: pa.binary(),
}


# Exactly `datasets.Image().pa_type`, so `datasets` decodes these columns as images.
_IMAGE_STRUCT = pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())])


def _nullable(annotation: Any) -> bool:
    inner, optional = _strip_optional(annotation)
    return optional or inner is ImageData


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) != len(get_args(annotation))
    return annotation, False


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type for one pydantic field annotation."""
    annotation, _ = _strip_optional(annotation)
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if annotation is ImageData:
        return _IMAGE_STRUCT
    origin = get_origin(annotation)
    if origin is Literal:
        return _SCALARS[type(get_args(annotation)[0])]
    if origin is typing.Annotated:
        return arrow_type(get_args(annotation)[0])
    if origin in (list, tuple):
        (item,) = {a for a in get_args(annotation) if a is not Ellipsis}
        return pa.list_(arrow_type(item))
    if origin is dict:
        key, value = get_args(annotation)
        return pa.map_(arrow_type(key), arrow_type(value))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(
            [
                pa.field(name, arrow_type(f.annotation), nullable=_nullable(f.annotation))
                for name, f in annotation.model_fields.items()
            ]
        )
    raise TypeError(f"no Arrow type for annotation {annotation!r}")


def _huggingface_features(model: type[BaseModel]) -> dict[str, Any]:
    """`datasets` feature metadata so image columns load as `datasets.Image` without conversion."""
    features: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if _strip_optional(field.annotation)[0] is ImageData:
            features[name] = {"_type": "Image"}
    return features


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a table whose rows are `model` instances."""
    fields = [
        pa.field(name, arrow_type(f.annotation), nullable=_nullable(f.annotation))
        for name, f in model.model_fields.items()
    ]
    metadata = {b"mmskin_build.table": model.__name__.encode()}
    image_features = _huggingface_features(model)
    if image_features:
        # Only the image columns are declared; `datasets` infers the others from Arrow.
        metadata[b"huggingface"] = json.dumps({"info": {"features": image_features}}).encode()
    return pa.schema(fields, metadata=metadata)


def rows_to_table(model: type[BaseModel], rows: list[BaseModel]) -> pa.Table:
    """Rows (instances of `model`) as an Arrow table with the model's exact schema."""
    schema = arrow_schema(model)
    columns = {name: [getattr(row, name) for row in rows] for name in model.model_fields}
    arrays = [_to_array(columns[f.name], f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {k: _plain(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return list(value.items())
    return value


def _to_array(values: list[Any], dtype: pa.DataType) -> pa.Array:
    return pa.array([_plain(v) for v in values], type=dtype)

"""`mmskin-build validate`: every shard of a dataset against its JSON Schema and the manifest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq

from mmskin_build.pipeline import REBUILD_HINT
from mmskin_build.schemas import json_schema
from mmskin_build.store import Dataset, DatasetError, arrow_schema
from mmskin_build.store.dataset import sha256_file
from mmskin_build.tables import TABLE_KEYS, TABLES

# Parquet holds binary columns as bytes; JSON Schema describes them as strings of format "binary".
_TYPE_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "string", lambda _checker, value: isinstance(value, str | bytes)
)
_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_TYPE_CHECKER)


def problems(root: Path, max_per_shard: int = 5) -> Iterator[str]:
    """One line per problem found in the dataset at `root`; nothing when it is valid."""
    try:
        dataset = Dataset.open(root)
    except DatasetError as exc:
        yield str(exc)
        return
    for table, info in dataset.manifest.tables.items():
        if table not in TABLES:
            yield f"{root}: manifest lists unknown table '{table}'"
            continue
        validator = _Validator(json_schema(table))
        expected = arrow_schema(TABLES[table])
        total = 0
        for shard in info.shards:
            path = root / shard.file
            if not path.is_file():
                yield f"{path}: listed in the manifest but missing"
                continue
            if sha256_file(path) != shard.sha256:
                yield f"{path}: checksum differs from the manifest"
            yield from _check_shard(path, expected, validator, shard.rows, max_per_shard)
            total += shard.rows
        if total != info.rows:
            yield f"{root}/{table}: manifest says {info.rows} rows, its shards say {total}"
        yield from _duplicate_keys(dataset, table)
    for table, upstreams in dataset.stale_tables().items():
        hint = REBUILD_HINT.get(table, "rebuild it")
        yield f"{root}/{table}: stale: {', '.join(upstreams)} changed since it was built; {hint}"
    for path in dataset.strays():
        yield f"{path}: not listed in the manifest (not written by mmskin-build, or left by a crash)"


def _duplicate_keys(dataset: Dataset, table: str) -> Iterator[str]:
    key = TABLE_KEYS.get(table)
    if key is None:
        return
    try:
        values = dataset.read_table(table, columns=[key]).column(0).to_pylist()
    except DatasetError:
        return  # the shard's own problem is reported above
    repeated = sorted(v for v, n in Counter(values).items() if n > 1)
    if repeated:
        shown = ", ".join(repeated[:3]) + (" ..." if len(repeated) > 3 else "")
        yield f"{dataset.root}/{table}: {len(repeated)} {key}s appear more than once ({shown})"


def _check_shard(path: Path, expected, validator, rows: int, max_errors: int) -> Iterator[str]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        yield f"{path}: unreadable Parquet: {exc}"
        return
    schema = parquet.schema_arrow
    if schema.remove_metadata() != expected.remove_metadata():
        missing = set(expected.names) - set(schema.names)
        extra = set(schema.names) - set(expected.names)
        detail = f"missing {sorted(missing)}, unexpected {sorted(extra)}" if missing or extra else "column types differ"
        yield f"{path}: Arrow schema does not match {expected.metadata[b'mmskin_build.table'].decode()} ({detail})"
    if parquet.metadata.num_rows != rows:
        yield f"{path}: has {parquet.metadata.num_rows} rows, manifest says {rows}"
    reported = 0
    offset = 0
    for batch in parquet.iter_batches(batch_size=256):
        for index, row in enumerate(batch.to_pylist(), start=offset):
            error = jsonschema.exceptions.best_match(validator.iter_errors(row))
            if error is not None:
                where = "/".join(str(p) for p in error.absolute_path) or "row"
                yield f"{path}: row {index}: {where}: {error.message[:200]}"
                reported += 1
                if reported >= max_errors:
                    return
        offset += batch.num_rows

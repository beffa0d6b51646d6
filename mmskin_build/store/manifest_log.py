"""The manifest's commit log: `manifest.<generation>.jsonl` beside `manifest.json`, one line per commit.

A commit appends one line saying what it changed (shards added and dropped per table, the tables' new counters,
the inputs and runs it recorded) and fsyncs it; that line is the commit point, so a commit costs the same with
10 or 100,000 inputs committed. The manifest is `manifest.json` with its log's lines applied in order. A line cut
short by a crash (no newline, or not whole) was never committed and is ignored; the next writer cuts it off.
Compaction writes the applied manifest as `manifest.json` of the next generation (atomically); the older log is
then unused and removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from mmskin_build.store.manifest import InputInfo, Manifest, ShardInfo, StageRun, TableInfo


class TableChange(BaseModel):
    """A table's state after a commit, apart from its shard list, which changes by `add` and `drop`."""

    schema_name: str
    rows: int
    version: int
    built_from: dict[str, int]
    add: list[ShardInfo] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)


class ManifestChange(BaseModel):
    """One commit, as one line of the log."""

    tables: dict[str, TableChange] = Field(default_factory=dict)
    inputs: dict[str, InputInfo] = Field(default_factory=dict)
    runs: list[StageRun] = Field(default_factory=list, description="Runs started or finished (replaced by id).")


def log_path(root: Path, generation: int) -> Path:
    return root / f"manifest.{generation}.jsonl"


def apply_change(manifest: Manifest, change: ManifestChange) -> None:
    for name, table in change.tables.items():
        info = manifest.tables.setdefault(name, TableInfo(schema_name=table.schema_name))
        if table.drop:
            gone = set(table.drop)
            info.shards = [s for s in info.shards if s.file not in gone]
        info.shards.extend(table.add)
        info.rows, info.version, info.built_from = table.rows, table.version, dict(table.built_from)
    manifest.inputs.update(change.inputs)
    index = {run.id: i for i, run in enumerate(manifest.runs)} if change.runs else {}
    for run in change.runs:
        if run.id in index:
            manifest.runs[index[run.id]] = run
        else:
            manifest.runs.append(run)


class LogError(ValueError):
    """A whole line of the log that is not a commit record (the log was edited or damaged)."""


def replay(path: Path, manifest: Manifest, start: int) -> int:
    """Apply the whole lines of the log at `path` from byte `start` on; returns the end of the last whole line."""
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read()
    except FileNotFoundError:
        return start
    end = start
    for number, line in enumerate(data.split(b"\n")[:-1], 1):  # the piece after the last newline is torn
        try:
            apply_change(manifest, ManifestChange.model_validate_json(line))
        except ValidationError as exc:
            first = str(exc).splitlines()[0]
            raise LogError(f"{path}: record {number} after byte {start} is not a commit record ({first})") from None
        end += len(line) + 1
    return end


def append(path: Path, change: ManifestChange, end: int) -> int:
    """Write `change` as the line after byte `end` (cutting off a torn line there) and fsync; returns the new end."""
    line = change.model_dump_json().encode() + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        if os.fstat(fd).st_size != end:
            os.ftruncate(fd, end)
        os.pwrite(fd, line, end)
        os.fsync(fd)
    finally:
        os.close(fd)
    return end + len(line)

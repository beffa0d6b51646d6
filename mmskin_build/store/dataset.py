"""A dataset directory: `DIR/<table>/part-NNNNN.parquet` shards plus `DIR/manifest.json`.

Writers stage rows into temporary shards (`DIR/<table>/.tmp/…`) that are invisible to readers; `commit`
renames them into place and rewrites the manifest atomically. Anything on disk that the manifest does not
list (an interrupted run's leftovers) is removed when the dataset is opened for writing.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from mmskin_build.store.arrow import arrow_schema, rows_to_table
from mmskin_build.store.errors import DatasetError
from mmskin_build.store.lock import dataset_lock
from mmskin_build.store.manifest import InputInfo, Manifest, ShardInfo, StageRun, TableInfo, utc_now
from mmskin_build.tables import TABLES

MANIFEST = "manifest.json"
TMP_DIR = ".tmp"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class TableSlice:
    """Consecutive rows of a table, possibly across shards: `(shard file, first row, end row)` per shard, in
    table order. Picklable, so a task on another node reads the rows itself from the shared dataset directory."""

    table: str
    segments: tuple[tuple[str, int, int], ...]

    @property
    def rows(self) -> int:
        return sum(end - first for _, first, end in self.segments)


def read_slice(root: Path, part: TableSlice, batch_size: int = 256) -> Iterator[pa.RecordBatch]:
    """The rows of `part`, in order, reading only the row groups that hold them."""
    for file, first, end in part.segments:
        reader = pq.ParquetFile(Path(root) / file)
        groups, position, start = [], 0, None  # start: the row number where the first chosen group begins
        for index in range(reader.num_row_groups):
            size = reader.metadata.row_group(index).num_rows
            if position < end and position + size > first:
                groups.append(index)
                start = position if start is None else start
            position += size
        if position < end:
            raise DatasetError(f"{Path(root) / file}: has {position} rows, the manifest promised at least {end}")
        for batch in reader.iter_batches(batch_size=batch_size, row_groups=groups):
            low, high = max(first - start, 0), min(end - start, batch.num_rows)
            if low < high:
                yield batch.slice(low, high - low)
            start += batch.num_rows


@dataclass(frozen=True)
class StagedShard:
    """A shard written to the temp area, waiting for `Dataset.commit`."""

    table: str
    path: Path
    rows: int


class ShardWriter:
    """Buffers rows of one table and writes them as temporary shards of at most `rows_per_shard` rows.

    Safe to use from a worker process: it touches only the temp area, never the manifest.
    """

    def __init__(self, root: Path, table: str, rows_per_shard: int = 512) -> None:
        self.root = Path(root)
        self.table = table
        self.model = TABLES[table]
        self.rows_per_shard = rows_per_shard
        self._buffer: list[BaseModel] = []
        self.staged: list[StagedShard] = []

    def add(self, row: BaseModel) -> None:
        self._buffer.append(row)
        if len(self._buffer) >= self.rows_per_shard:
            self.flush()

    def extend(self, rows: Iterable[BaseModel]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self._buffer:
            return
        table = rows_to_table(self.model, self._buffer)
        tmp_dir = self.root / self.table / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        path = tmp_dir / f"{uuid.uuid4().hex}.parquet"
        write_parquet(table, path)
        self.staged.append(StagedShard(self.table, path, table.num_rows))
        self._buffer = []

    def close(self) -> list[StagedShard]:
        self.flush()
        return self.staged


def write_parquet(table: pa.Table, path: Path) -> None:
    part = path.with_name(path.name + ".part")
    # Modest row groups keep image-heavy tables streamable by readers with little memory.
    pq.write_table(table, part, compression="zstd", row_group_size=128)
    os.replace(part, path)


def _locked(method: Callable) -> Callable:
    """Run a method that places shards and rewrites the manifest under the dataset's lock."""

    @functools.wraps(method)
    def wrapper(self: Dataset, *args, **kwargs):
        with dataset_lock(self.root):
            return method(self, *args, **kwargs)

    return wrapper


class Dataset:
    """A dataset directory. Open with `Dataset.open` (read) or `Dataset.create_or_open` (write)."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = Path(root)
        self.manifest = manifest
        self._changed_tables: set[str] = set()  # tables this object placed or removed shards of

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str) -> Dataset:
        root = Path(root)
        path = root / MANIFEST
        if not path.is_file():
            raise DatasetError(f"{root}: not a dataset directory (no {MANIFEST})")
        try:
            manifest = Manifest.model_validate_json(path.read_bytes())
        except ValueError as exc:
            raise DatasetError(f"{path}: unreadable manifest: {exc}") from exc
        return cls(root, manifest)

    @classmethod
    def create_or_open(cls, root: Path | str) -> Dataset:
        """Open for writing, creating the directory if needed and removing an interrupted run's leftovers."""
        root = Path(root)
        if not (root / MANIFEST).is_file():
            if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
                raise DatasetError(f"{root}: exists and is not a dataset directory; choose an empty or new path")
            cls(root, Manifest()).save_manifest()
        # Under the lock, with the manifest as it is now: another process may have just committed.
        with dataset_lock(root):
            dataset = cls.open(root)
            dataset.remove_orphans()
        return dataset

    def remove_orphans(self) -> list[Path]:
        """Delete temp shards and shards the manifest does not list (left by an interrupted run)."""
        listed = {self.root / s.file for t in self.manifest.tables.values() for s in t.shards}
        removed: list[Path] = []
        for table_dir in (p for p in self.root.iterdir() if p.is_dir()):
            tmp = table_dir / TMP_DIR
            if tmp.is_dir():
                shutil.rmtree(tmp)
                removed.append(tmp)
            for shard in table_dir.glob("part-*.parquet"):
                if shard not in listed:
                    shard.unlink()
                    removed.append(shard)
        return removed

    def save_manifest(self) -> None:
        """Write the manifest; tables this object did not change are taken from the manifest on disk, so a
        table another process committed meanwhile (a review session's corrections) stays listed."""
        with dataset_lock(self.root):
            path = self.root / MANIFEST
            if path.is_file():
                on_disk = Manifest.model_validate_json(path.read_bytes()).tables
                for table, info in on_disk.items():
                    if table not in self._changed_tables:
                        self.manifest.tables[table] = info
            atomic_write_bytes(path, self.manifest.model_dump_json(indent=2).encode())

    # -- writing -----------------------------------------------------------------------------
    def writer(self, table: str, rows_per_shard: int = 512) -> ShardWriter:
        return ShardWriter(self.root, table, rows_per_shard)

    def _next_shard_number(self, table: str) -> int:
        info = self.manifest.tables.get(table)
        if not info or not info.shards:
            return 0
        return max(int(Path(s.file).stem.split("-")[1]) for s in info.shards) + 1

    @_locked
    def commit(self, staged: Iterable[StagedShard]) -> list[str]:
        """Move staged shards into place and list them in the manifest; returns their paths."""
        files = self._place(staged)
        self.save_manifest()
        return files

    @_locked
    def commit_input(self, item: InputInfo, staged: Iterable[StagedShard]) -> None:
        """Commit the shards made from one input, replacing those an earlier run made from it
        (a retried failure, or --force)."""
        key = input_key(item.stage, item.sha256)
        previous = self.manifest.inputs.get(key)
        item.shards = self._place(staged)
        if previous:
            self._unlist(previous.shards)
        self.manifest.inputs[key] = item
        self.save_manifest()
        for file in previous.shards if previous else []:
            (self.root / file).unlink(missing_ok=True)

    def _place(self, staged: Iterable[StagedShard]) -> list[str]:
        files = []
        for shard in staged:
            self._changed_tables.add(shard.table)
            info = self.manifest.tables.setdefault(shard.table, TableInfo(schema_name=TABLES[shard.table].__name__))
            number = self._next_shard_number(shard.table)
            final = self.root / shard.table / f"part-{number:05d}.parquet"
            os.replace(shard.path, final)
            file = final.relative_to(self.root).as_posix()
            info.shards.append(
                ShardInfo(file=file, rows=shard.rows, sha256=sha256_file(final), size=final.stat().st_size)
            )
            info.rows += shard.rows
            files.append(file)
        return files

    def _unlist(self, files: list[str]) -> None:
        gone = set(files)
        for table, info in self.manifest.tables.items():
            if any(s.file in gone for s in info.shards):
                self._changed_tables.add(table)
            kept = [s for s in info.shards if s.file not in gone]
            info.rows -= sum(s.rows for s in info.shards if s.file in gone)
            info.shards = kept

    @_locked
    def replace_table(self, table: str, staged: Iterable[StagedShard]) -> None:
        """Swap a table's shards for new ones (stages that add columns to existing rows, or re-derive a table)."""
        old = self.manifest.tables.setdefault(table, TableInfo(schema_name=TABLES[table].__name__))
        old_files = [shard.file for shard in old.shards]
        self._place(staged)  # new shard numbers continue after the old ones, so nothing is overwritten
        self._unlist(old_files)
        self.save_manifest()
        for file in old_files:
            (self.root / file).unlink(missing_ok=True)

    def start_run(self, stage: str, config: dict) -> StageRun:
        run = StageRun(stage=stage, config=config)
        self.manifest.runs.append(run)
        self.save_manifest()
        return run

    def finish_run(self, run: StageRun, counts: dict[str, int], errors: int) -> None:
        run.finished_at = utc_now()
        run.counts = counts
        run.errors = errors
        self.save_manifest()

    def has_input(self, stage: str, sha256: str) -> bool:
        item = self.manifest.inputs.get(input_key(stage, sha256))
        return item is not None and item.status == "done"

    # -- reading -----------------------------------------------------------------------------
    def shard_paths(self, table: str) -> list[Path]:
        info = self.manifest.tables.get(table)
        return [self.root / s.file for s in info.shards] if info else []

    def read_table(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """The whole table (empty, with the right schema, when no shard exists yet)."""
        paths = self.shard_paths(table)
        if not paths:
            schema = arrow_schema(TABLES[table])
            return schema.empty_table().select(columns) if columns else schema.empty_table()
        return pa.concat_tables(pq.read_table(p, columns=columns) for p in paths)

    def iter_batches(
        self, table: str, batch_size: int = 256, columns: list[str] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Stream a table batch by batch, so image-heavy tables never sit in memory whole."""
        for path in self.shard_paths(table):
            yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=columns)

    def rows(self, table: str) -> int:
        info = self.manifest.tables.get(table)
        return info.rows if info else 0

    def slices(self, table: str, rows_per_slice: int) -> list[TableSlice]:
        """The table cut into consecutive slices of `rows_per_slice` rows (the last one may be shorter)."""
        info = self.manifest.tables.get(table)
        slices: list[TableSlice] = []
        segments: list[tuple[str, int, int]] = []
        taken = 0  # rows in `segments`
        for shard in info.shards if info else []:
            first = 0
            while first < shard.rows:
                end = min(shard.rows, first + rows_per_slice - taken)
                segments.append((shard.file, first, end))
                taken += end - first
                first = end
                if taken == rows_per_slice:
                    slices.append(TableSlice(table, tuple(segments)))
                    segments, taken = [], 0
        if segments:
            slices.append(TableSlice(table, tuple(segments)))
        return slices


def input_key(stage: str, sha256: str) -> str:
    return f"{stage}:{sha256}"

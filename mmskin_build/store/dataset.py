"""A dataset directory: `DIR/<table>/part-NNNNN.parquet` shards plus `DIR/manifest.json` and its commit log.

Writers stage rows into temporary shards (`DIR/<table>/.tmp/…`) that are invisible to readers. A commit
catches up with the manifest (reading only log lines it has not seen), names the shards it will move in and
retire in a journal (`DIR/.commit.json`), renames them into place and appends one line to the manifest's commit
log (`manifest_log`), so its cost does not grow with the dataset. The end of each stage run compacts the log
into `manifest.json`. Opening for writing removes only the tool's
own leftovers: temp shards and the files a journal names that the manifest does not list. Anything else
the manifest does not list is a stray, reported by `strays` and never deleted.

Every commit that changes a table's rows raises its `version`; a table rebuilt from upstream tables records
their versions (`built_from`), so a later change upstream makes it stale instead of silently out of date.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute
import pyarrow.parquet as pq
from pydantic import BaseModel

from mmskin_build.store.arrow import arrow_schema, rows_to_table
from mmskin_build.store.manifest import InputInfo, Manifest, ShardInfo, StageRun, TableInfo, utc_now
from mmskin_build.store.manifest_log import LogError, ManifestChange, TableChange, append, log_path, replay
from mmskin_build.tables import TABLES, ErrorRecord

MANIFEST = "manifest.json"
TMP_DIR = ".tmp"
JOURNAL = ".commit.json"


class DatasetError(Exception):
    """A dataset directory that cannot be read or written as asked."""


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a partial one; `durable`
    also makes it survive a power cut (fsync), which a process crash does not need."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        if durable:
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


def open_shard(path: Path) -> pq.ParquetFile:
    """A listed shard, or a DatasetError naming it when it is missing or not Parquet (truncated, overwritten)."""
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise DatasetError(f"{path}: shard listed in the manifest is missing; {_REPAIR}") from None
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: shard is corrupt or truncated ({exc}); {_REPAIR}") from None


_REPAIR = "restore it from a backup, or rebuild the dataset into a new directory"


def _checked_batches(path: Path, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`batches`, with a damaged row group reported as a DatasetError naming the shard."""
    try:
        yield from batches
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: shard is corrupt or truncated ({exc}); {_REPAIR}") from None


def read_slice(root: Path, part: TableSlice, batch_size: int = 256) -> Iterator[pa.RecordBatch]:
    """The rows of `part`, in order, reading only the row groups that hold them."""
    for file, first, end in part.segments:
        reader = open_shard(Path(root) / file)
        groups, position, start = [], 0, None  # start: the row number where the first chosen group begins
        for index in range(reader.num_row_groups):
            size = reader.metadata.row_group(index).num_rows
            if position < end and position + size > first:
                groups.append(index)
                start = position if start is None else start
            position += size
        if position < end:
            raise DatasetError(f"{Path(root) / file}: has {position} rows, the manifest promised at least {end}")
        for batch in _checked_batches(Path(root) / file, reader.iter_batches(batch_size=batch_size, row_groups=groups)):
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
    sha256: str  # of the file, read where it was written (a worker, extract's output thread), not by the commit


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
        self.staged.append(stage_shard(self.table, table, tmp_dir / f"{uuid.uuid4().hex}.parquet"))
        self._buffer = []

    def close(self) -> list[StagedShard]:
        self.flush()
        return self.staged


def stage_shard(name: str, table: pa.Table, path: Path) -> StagedShard:
    """`table`, rows of the table `name`, written to the temp shard `path` and hashed."""
    write_parquet(table, path)
    return StagedShard(name, path, table.num_rows, sha256_file(path))


def write_parquet(table: pa.Table, path: Path) -> None:
    part = path.with_name(path.name + ".part")
    # Modest row groups keep image-heavy tables streamable by readers with little memory.
    pq.write_table(table, part, compression="zstd", row_group_size=128)
    os.replace(part, path)


class Dataset:
    """A dataset directory. Open with `Dataset.open` (read) or `Dataset.create_or_open` (write); stages open it
    through `mmskin_build.pipeline`, which holds the directory's lock while they write."""

    def __init__(self, root: Path, manifest: Manifest, loaded: LoadedAt | None = None) -> None:
        self.root = Path(root)
        self.manifest = manifest
        self._loaded = loaded  # how far `manifest` has read the files; None: read them again in full
        self._next_number: dict[str, int] = {}  # table -> the next shard number to try

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str) -> Dataset:
        root = Path(root)
        return cls(root, *_load_manifest(root))

    @classmethod
    def create_or_open(cls, root: Path | str) -> Dataset:
        """Open for writing, creating the directory if needed and removing an interrupted run's leftovers."""
        root = Path(root)
        if (root / MANIFEST).is_file():
            dataset = cls.open(root)
        else:
            check_new_dataset_dir(root)
            dataset = cls(root, Manifest())
            dataset.save_manifest()
        dataset.remove_temp()
        return dataset

    def remove_temp(self) -> list[Path]:
        """Delete the tool's own leftovers: temp shards, half-written files, and the shards an interrupted
        commit's journal names that the manifest does not list. Nothing else is touched."""
        removed: list[Path] = []
        for table_dir in (p for p in self.root.iterdir() if p.is_dir() and p.name in TABLES):
            tmp = table_dir / TMP_DIR
            if tmp.is_dir():
                shutil.rmtree(tmp)
                removed.append(tmp)
            for part in table_dir.glob("*.parquet.part"):
                part.unlink()
                removed.append(part)
        for tmp in self.root.glob(".*.tmp"):  # atomic_write_bytes's half-written manifest or journal
            tmp.unlink()
            removed.append(tmp)
        for log in self.root.glob("manifest.*.jsonl"):  # a log a compaction replaced, if it was cut short
            if log != log_path(self.root, self.manifest.generation):
                log.unlink()
                removed.append(log)
        journal = self.root / JOURNAL
        if journal.is_file():
            listed = self._listed_files()
            named = self._journal()
            for file in named.get("place", []) + named.get("retire", []):
                if file not in listed and (self.root / file).is_file():
                    (self.root / file).unlink()
                    removed.append(self.root / file)
            journal.unlink()
        return removed

    def strays(self) -> list[Path]:
        """Files in table folders that the manifest does not list and the tool did not leave (a user's files)."""
        known = self._listed_files() | set(self._journal().get("place", [])) | set(self._journal().get("retire", []))
        found = []
        for table_dir in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for path in sorted(table_dir.iterdir()):
                file = path.relative_to(self.root).as_posix()
                if path.name != TMP_DIR and not path.name.endswith(".parquet.part") and file not in known:
                    found.append(path)
        return found

    def _journal(self) -> dict[str, list[str]]:
        """What an interrupted commit was moving in and retiring (empty when none was interrupted)."""
        try:
            return json.loads((self.root / JOURNAL).read_bytes())
        except (FileNotFoundError, ValueError):  # none, or cut short while written: nothing was moved yet
            return {}

    def _listed_files(self) -> set[str]:
        return {s.file for t in self.manifest.tables.values() for s in t.shards}

    def reload(self) -> None:
        """Catch up with commits made since the manifest was read: only new log lines, unless it was compacted."""
        loaded = self._loaded
        if loaded is not None and _file_id(self.root / MANIFEST) == loaded.base:
            try:
                loaded.log_end = replay(log_path(self.root, self.manifest.generation), self.manifest, loaded.log_end)
                return
            except LogError as exc:
                raise DatasetError(f"{exc}; {_REPAIR}") from None
        self.manifest, self._loaded = _load_manifest(self.root)
        self._next_number = {}

    def save_manifest(self) -> None:
        """Compact: write the whole manifest as the next generation's `manifest.json`, then drop the old log."""
        old_log = log_path(self.root, self.manifest.generation)
        self.manifest.generation += 1
        atomic_write_bytes(self.root / MANIFEST, self.manifest.model_dump_json(indent=2).encode())
        self._loaded = LoadedAt(_file_id(self.root / MANIFEST), 0)
        old_log.unlink(missing_ok=True)

    # -- writing -----------------------------------------------------------------------------
    def writer(self, table: str, rows_per_shard: int = 512) -> ShardWriter:
        return ShardWriter(self.root, table, rows_per_shard)

    def commit(self, staged: Iterable[StagedShard]) -> list[str]:
        """Move staged shards into place and list them in the manifest; returns their paths."""
        return self._transaction(staged, lambda _files: [])

    def commit_input(
        self, item: InputInfo, staged: Iterable[StagedShard], row_key: tuple[str, str] | None = None
    ) -> None:
        """Commit the shards made from one input, replacing the rows an earlier run made from it (a retried
        failure, or --force). Its old shards are unlisted; where a later stage has rewritten a table (classify
        rewrites `images`), the old rows are found by `row_key` (column, value) and filtered out instead."""
        key = input_key(item.stage, item.sha256)
        staged = list(staged)
        self.reload()
        previous = self.manifest.inputs.get(key)
        rewritten = self._filtered_copies(previous, row_key) if previous else {}

        def edit(files: list[str]) -> list[str]:
            retired = list(rewritten)
            if previous:
                retired += [f for f in previous.shards if f in self._listed_files()]
            item.shards = files[: len(staged)]  # the filtered copies after them hold other inputs' rows
            self.manifest.inputs[key] = item
            return retired

        self._transaction([*staged, *rewritten.values()], edit, inputs=[key])

    def _filtered_copies(self, previous: InputInfo, row_key: tuple[str, str] | None) -> dict[str, StagedShard]:
        """Listed shards (not the input's own) holding rows of `previous`, each staged again without them."""
        if row_key is None:
            return {}
        column, value = row_key
        own = set(previous.shards)
        copies: dict[str, StagedShard] = {}
        for table, info in self.manifest.tables.items():
            if column not in TABLES[table].model_fields or not previous.rows.get(table):
                continue
            for shard in info.shards:
                path = self.root / shard.file
                if shard.file in own or value not in open_shard(path).read(columns=[column]).column(0).to_pylist():
                    continue
                data = open_shard(path).read()
                kept = data.filter(pa.compute.not_equal(data.column(column), value))
                tmp = path.parent / TMP_DIR / f"{uuid.uuid4().hex}.parquet"
                tmp.parent.mkdir(exist_ok=True)
                copies[shard.file] = stage_shard(table, kept, tmp)
        return copies

    def replace_table(
        self, table: str, staged: Iterable[StagedShard], built_from: dict[str, int] | None = None
    ) -> None:
        """Swap a table's shards for new ones (a stage that re-derives a table, or adds columns to its rows);
        `built_from` records the upstream tables' versions it was derived from."""
        self.replace_tables({table: staged}, built_from)

    def replace_tables(
        self, staged: dict[str, Iterable[StagedShard]], built_from: dict[str, int] | None = None
    ) -> None:
        """`replace_table` for several tables in one commit, so readers never see one rebuilt without the others."""

        def edit(files: list[str]) -> list[str]:
            retired = []
            for table in staged:
                info = self.manifest.tables.setdefault(table, TableInfo(schema_name=TABLES[table].__name__))
                info.version += 1  # even when empty before and after: the table was rebuilt from its upstreams
                if built_from is not None:
                    info.built_from = {k: v for k, v in built_from.items() if k != table}
                retired += [shard.file for shard in info.shards if shard.file not in files]
            return retired

        self._transaction([shard for shards in staged.values() for shard in shards], edit)

    def replace_stage_errors(self, stage: str, records: list[ErrorRecord]) -> None:
        """Make `stage`'s rows of `errors` exactly `records`; other stages' rows stay in their shards. A
        stage's per-run errors are written in shards of their own, so only those shards are swapped."""
        self.reload()
        info = self.manifest.tables.get("errors")
        writer = self.writer("errors")
        retired: list[str] = []
        for shard in info.shards if info else []:
            data = open_shard(self.root / shard.file).read()
            stages = data.column("stage").to_pylist()
            if stage in stages:
                retired.append(shard.file)
                writer.extend(ErrorRecord(**row) for row in data.to_pylist() if row["stage"] != stage)
        writer.extend(records)
        staged = writer.close()
        if staged or retired:
            self._transaction(staged, lambda _files: retired)

    def _transaction(
        self,
        staged: Iterable[StagedShard],
        edit: Callable[[list[str]], list[str]],
        inputs: Iterable[str] = (),
        runs: Iterable[str] = (),
    ) -> list[str]:
        """One commit. Catches up with the manifest, lists the staged shards, lets `edit` update the manifest
        (it gets the new files and returns the files to retire; it may set the `inputs` and `runs` named), then:
        journal, renames, one log line (the commit point), deletions. A process killed at any point leaves the
        old manifest or the new one, and a journal naming what to clean."""
        staged = list(staged)
        self.reload()
        versions = {name: info.version for name, info in self.manifest.tables.items()}
        placed = self._final_names(staged)
        try:
            added: dict[str, list[ShardInfo]] = {}
            for shard, file in placed:
                added.setdefault(shard.table, []).append(self._list_shard(shard, file))
            retired = edit([file for _, file in placed])
            self._unlist(retired)
            change = self._change(versions, added, retired, list(inputs), set(runs))
            # Not fsynced: after a power cut without it, shards at worst stay unlisted, and `strays` reports them.
            journal = json.dumps({"place": [f for _, f in placed], "retire": retired}).encode()
            atomic_write_bytes(self.root / JOURNAL, journal, durable=False)
            for shard, file in placed:
                os.replace(shard.path, self.root / file)
            loaded = self._loaded or LoadedAt(_file_id(self.root / MANIFEST), 0)  # reload() has just set it
            loaded.log_end = append(log_path(self.root, self.manifest.generation), change, loaded.log_end)
        except BaseException:
            self._loaded = None  # the manifest in memory may be ahead of the files: read them again
            raise
        for file in retired:
            (self.root / file).unlink(missing_ok=True)
        (self.root / JOURNAL).unlink(missing_ok=True)
        return [file for _, file in placed]

    def _change(
        self,
        versions: dict[str, int],
        added: dict[str, list[ShardInfo]],
        retired: list[str],
        inputs: list[str],
        runs: set[str],
    ) -> ManifestChange:
        """What this commit changed, as its log line: every table whose version moved, the inputs and runs named."""
        change = ManifestChange(
            inputs={key: self.manifest.inputs[key] for key in inputs},
            runs=[run for run in self.manifest.runs if run.id in runs],
        )
        for name, info in self.manifest.tables.items():
            if versions.get(name) != info.version:
                change.tables[name] = TableChange(
                    schema_name=info.schema_name,
                    rows=info.rows,
                    version=info.version,
                    built_from=info.built_from,
                    add=added.get(name, []),
                    drop=[f for f in retired if f.startswith(f"{name}/")],
                )
        return change

    def _final_names(self, staged: list[StagedShard]) -> list[tuple[StagedShard, str]]:
        """A new `part-NNNNN.parquet` name per shard, after every number listed or on disk (a stray's too). The
        folder is scanned once per table; later names only check that the next number is still free."""
        placed = []
        numbers = self._next_number
        for shard in staged:
            if shard.table not in numbers:
                taken = [s.file for s in self.manifest.tables.get(shard.table, TableInfo(schema_name="")).shards]
                taken += [p.name for p in (self.root / shard.table).glob("part-*.parquet")]
                numbers[shard.table] = max((_shard_number(f) for f in taken), default=-1) + 1
            while (file := f"{shard.table}/part-{numbers[shard.table]:05d}.parquet") and (self.root / file).exists():
                numbers[shard.table] += 1
            placed.append((shard, file))
            numbers[shard.table] += 1
        return placed

    def _list_shard(self, shard: StagedShard, file: str) -> ShardInfo:
        info = self.manifest.tables.setdefault(shard.table, TableInfo(schema_name=TABLES[shard.table].__name__))
        listed = ShardInfo(file=file, rows=shard.rows, sha256=shard.sha256, size=shard.path.stat().st_size)
        info.shards.append(listed)
        info.rows += shard.rows
        info.version += 1
        return listed

    def _unlist(self, files: list[str]) -> None:
        if not files:
            return
        gone = set(files)
        for info in self.manifest.tables.values():
            if any(s.file in gone for s in info.shards):
                info.rows -= sum(s.rows for s in info.shards if s.file in gone)
                info.shards = [s for s in info.shards if s.file not in gone]
                info.version += 1

    def start_run(self, run: StageRun) -> None:
        self._transaction([], lambda _files: self.manifest.runs.append(run) or [], runs=[run.id])

    def finish_run(self, run: StageRun) -> None:
        """Record the run's end (status, counts, errors) in place of its start record, and compact the log, so
        `manifest.json` alone is the whole manifest between runs."""
        run.finished_at = utc_now()

        def edit(_files: list[str]) -> list[str]:
            runs = self.manifest.runs
            index = next((i for i, r in enumerate(runs) if r.id == run.id), None)
            if index is None:
                runs.append(run)
            else:
                runs[index] = run
            return []

        self._transaction([], edit, runs=[run.id])
        self.save_manifest()

    def input_record(self, stage: str, sha256: str) -> InputInfo | None:
        return self.manifest.inputs.get(input_key(stage, sha256))

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
        parts = []
        for path in paths:
            try:
                parts.append(open_shard(path).read(columns=columns))
            except (pa.ArrowException, OSError) as exc:
                raise DatasetError(f"{path}: shard is corrupt or truncated ({exc}); {_REPAIR}") from None
        return pa.concat_tables(parts)

    def iter_batches(
        self, table: str, batch_size: int = 256, columns: list[str] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Stream a table batch by batch, so image-heavy tables never sit in memory whole."""
        for path in self.shard_paths(table):
            yield from _checked_batches(path, open_shard(path).iter_batches(batch_size=batch_size, columns=columns))

    def rows(self, table: str) -> int:
        info = self.manifest.tables.get(table)
        return info.rows if info else 0

    def version(self, table: str) -> int:
        info = self.manifest.tables.get(table)
        return info.version if info else 0

    def stale_tables(self) -> dict[str, list[str]]:
        """Table -> the upstream tables that changed since it was built from them (only stale tables)."""
        tables = self.manifest.tables
        return {name: stale for name, info in tables.items() if (stale := info.stale_upstreams(tables))}

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


def _shard_number(file: str) -> int:
    try:
        return int(Path(file).stem.split("-")[1])
    except (IndexError, ValueError):
        return -1  # a stray with another name pattern takes no number


@dataclass
class LoadedAt:
    """Which `manifest.json` a manifest in memory was read from, and up to which byte of its log."""

    base: tuple[int, int, int]
    log_end: int


def _file_id(path: Path) -> tuple[int, int, int]:
    """Changes when the file is replaced (a compaction), for the price of one stat."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _load_manifest(root: Path) -> tuple[Manifest, LoadedAt]:
    """`manifest.json` with its log applied. A compaction between reading the two is seen and the read repeated."""
    while True:
        base = _file_id(root / MANIFEST)
        manifest = read_manifest(root)
        try:
            log_end = replay(log_path(root, manifest.generation), manifest, 0)
        except LogError as exc:
            raise DatasetError(f"{exc}; {_REPAIR}") from None
        if _file_id(root / MANIFEST) == base:
            return manifest, LoadedAt(base, log_end)


def read_manifest(root: Path) -> Manifest:
    """`manifest.json` of the dataset at `root` (without its log), or a DatasetError saying what is wrong."""
    path = root / MANIFEST
    if not root.exists():
        raise DatasetError(f"{root}: no such dataset directory; check the path, or run `mmskin-build extract` first")
    if not path.is_file():
        raise DatasetError(f"{root}: not a dataset directory (no {MANIFEST}); give the folder `extract -o` wrote")
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise DatasetError(f"{path}: not a valid manifest ({first}); {_REPAIR}") from None


def check_new_dataset_dir(root: Path) -> None:
    """A DatasetError unless `root` is absent, an empty folder, or one holding only hidden files."""
    if root.exists() and not root.is_dir():
        raise DatasetError(f"{root}: is a file, not a dataset directory; choose an empty or new path")
    if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
        raise DatasetError(
            f"{root}: exists and is not a dataset directory (no {MANIFEST}); choose an empty or new path"
        )


def input_key(stage: str, sha256: str) -> str:
    return f"{stage}:{sha256}"

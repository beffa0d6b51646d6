"""Classifying images: a folder of files (CSV out) or the `images` table of a dataset (new shards)."""

from __future__ import annotations

import collections
import contextlib
import csv
import ctypes
import ctypes.util
import functools
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import torch

from mmskin_build.engines import Engine
from mmskin_build.imaging import ImageDecodeError
from mmskin_build.modality import DECODE_THREADS, STAGE, Device
from mmskin_build.modality.caption_cues import CUES, Decision, caption_cues, fuse
from mmskin_build.modality.decode import decode_all, folder_files
from mmskin_build.modality.model import DEFAULT_WEIGHTS, infer_prepared, load_model, prepare_batch
from mmskin_build.modality.servers import model_servers
from mmskin_build.pipeline import Stage, StageEvents, open_stage
from mmskin_build.store import ShardWriter
from mmskin_build.store.dataset import StagedShard, TableSlice, atomic_write_bytes, read_slice
from mmskin_build.tables import ErrorRecord, ImageRecord

if TYPE_CHECKING:
    from mmskin_build.modality.servers import ModelServers

T = TypeVar("T")

DEFAULT_THRESHOLD = 0.7
BATCH = 64
ROWS_PER_TASK = 512
"""Images a dataset-mode task classifies (and writes as one shard): seconds of work, so a task's start-up is
small beside it, while a table of thousands of images still spreads over many workers."""


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def reuse_freed_memory() -> None:
    """Let this process's large blocks come from the heap and stay there when freed, so that each batch reuses the
    memory of the one before. By default glibc maps every block over 32 MB (a batch's CNN input is 39 MB) fresh
    from the system and hands freed heap tops back, so each batch's tensors were faulted in page by page again:
    a quarter of the CPU time of preparing a batch and running the model. The process then keeps its peak memory.
    glibc only; elsewhere nothing changes (the figures are the same either way, only the time differs)."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 256 << 20)
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)


def pick_device(name: str = Device.auto) -> torch.device:
    if name == Device.auto:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(str(name))


class Classifier:
    """The image model with its weights, applied to batches of image files or bytes."""

    def __init__(
        self,
        weights: Path = DEFAULT_WEIGHTS,
        device: str = "auto",
        threshold: float = DEFAULT_THRESHOLD,
        decode_threads: int = DECODE_THREADS,
    ):
        reuse_freed_memory()
        self.device_name = device
        self.decode_threads = decode_threads
        self.device = pick_device(device)
        loaded = load_model(weights, self.device)
        self.model = loaded.model
        self.config = loaded.config
        self.classes = list(loaded.config.classes)
        self.weights = Path(weights)
        self.sha256 = loaded.sha256
        self.threshold = threshold

    def image_probabilities(self, sources: Sequence[bytes | Path]) -> list[np.ndarray | ImageDecodeError]:
        """Per source: the image model's class probabilities, or the error that stopped its decoding."""
        return self._probabilities(self._prepared(sources, self.decode_threads))

    def stream_probabilities(
        self, chunks: Iterable[tuple[T, Sequence[bytes | Path]]], servers: ModelServers | None = None
    ) -> Iterator[tuple[T, list]]:
        """`image_probabilities` over (payload, sources) chunks, in chunk order.

        Decoding and preparing a chunk (resampling, statistics, the CNN's input) costs about four times what the
        model does on it, so `decode_threads` threads each take a whole chunk, side by side (PIL and torch
        release the GIL), while this thread runs the model on the oldest prepared one. Each chunk is prepared
        as `image_probabilities` prepares it, so the probabilities are the same bits. With `servers`, the
        threads decode and send the images to a model server (`servers.py`), and this thread collects its answers."""
        with ThreadPoolExecutor(max_workers=self.decode_threads) as pool:
            pending: collections.deque = collections.deque()
            for payload, sources in chunks:
                pending.append((payload, pool.submit(self._prepared, sources, 1, servers)))
                if len(pending) > self.decode_threads:  # every preparing thread has a chunk: finish the oldest
                    payload, preparing = pending.popleft()
                    yield payload, self._probabilities(preparing.result())
            while pending:
                payload, preparing = pending.popleft()
                yield payload, self._probabilities(preparing.result())

    def _prepared(
        self, sources: Sequence[bytes | Path], decode_threads: int, servers: ModelServers | None = None
    ) -> tuple[list[np.ndarray | ImageDecodeError], Callable[[], Iterable[np.ndarray]]]:
        """The sources decoded (in `decode_threads` threads), and what gives the decodable ones' probabilities in
        order: the model run here on them, prepared now in batches of BATCH images, or a server's answer."""
        decoded = decode_all(sources, self.config.decode_size, decode_threads)
        good = [d for d in decoded if isinstance(d, np.ndarray)]
        if servers is not None and good:
            return decoded, servers.submit(np.stack(good))
        batches = [
            prepare_batch(np.stack(good[i : i + BATCH]), self.config, self.device) for i in range(0, len(good), BATCH)
        ]
        return decoded, lambda: (p for batch in batches for p in infer_prepared(self.model, batch))

    def _probabilities(
        self, prepared: tuple[list[np.ndarray | ImageDecodeError], Callable[[], Iterable[np.ndarray]]]
    ) -> list[np.ndarray | ImageDecodeError]:
        decoded, answer = prepared
        probabilities = iter(answer())
        return [next(probabilities) if isinstance(d, np.ndarray) else d for d in decoded]

    def decide(self, probs: np.ndarray, caption: str | None = None, subcaption: str | None = None) -> Decision:
        return fuse(probs, self.classes, caption_cues(caption, subcaption), self.threshold)

    def __reduce__(self):
        # Sent to a worker process (or node) as where to load it from, not as tensors: the worker loads the
        # weights once, checks they are the driver's, and uses the driver's torch thread count.
        args = (
            str(self.weights),
            self.device_name,
            self.threshold,
            self.decode_threads,
            self.sha256,
            torch.get_num_threads(),
        )
        return (_worker_classifier, args)

    def run_config(self) -> dict:
        """What a dataset's manifest records about this classification run."""
        return {
            "weights": self.weights.name,
            "weights_sha256": self.sha256,
            "threshold": self.threshold,
            "classes": self.classes,
            "input_size": self.config.input_size,
            "device": self.device.type,
            "caption_cue_classes": sorted(CUES),
        }


@functools.lru_cache(maxsize=2)
def _worker_classifier(
    weights: str, device: str, threshold: float, decode_threads: int, sha256: str, threads: int
) -> Classifier:
    """The driver's classifier, loaded once per worker process."""
    torch.set_num_threads(threads)
    classifier = Classifier(Path(weights), device, threshold, decode_threads)
    if classifier.sha256 != sha256:
        raise ValueError(f"{weights}: differs on this worker from the driver's weights (sha256 {sha256[:16]}...)")
    return classifier


# -- folder mode ---------------------------------------------------------------------------------------


@dataclass
class FileResult:
    file: str  # relative to the folder, '/'-separated
    modality: str | None
    confidence: float | None
    needs_review: bool | None
    error: str | None


def classify_folder(
    classifier: Classifier, root: Path, progress: Callable[[int], None] | None = None
) -> Iterator[FileResult]:
    """Every image file under `root` (recursively, by extension), in path order; those that do not decode come
    back as errors."""
    files, _ = folder_files(root)
    chunks = ((files[i : i + BATCH], files[i : i + BATCH]) for i in range(0, len(files), BATCH))
    for chunk, results in classifier.stream_probabilities(chunks):
        for path, result in zip(chunk, results, strict=True):
            name = path.relative_to(root).as_posix()
            if isinstance(result, ImageDecodeError):
                yield FileResult(name, None, None, None, f"{result.reason}: {result.detail}")
            else:
                decision = classifier.decide(result)
                yield FileResult(name, decision.modality, round(decision.confidence, 4), decision.needs_review, None)
        if progress:
            progress(len(chunk))


def write_predictions(results: Sequence[FileResult], out: Path) -> None:
    """CSV with `file, modality, confidence` first, then `needs_review` and `error` (empty when fine)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "modality", "confidence", "needs_review", "error"])
    for r in results:
        review = "" if r.needs_review is None else str(r.needs_review).lower()
        writer.writerow([r.file, r.modality or "", "" if r.confidence is None else r.confidence, review, r.error or ""])
    atomic_write_bytes(out, buffer.getvalue().encode())


# -- dataset mode --------------------------------------------------------------------------------------


@dataclass
class DatasetSummary:
    images: int = 0
    classified: int = 0
    needs_review: int = 0
    by_modality: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)
    errors: list[ErrorRecord] = field(default_factory=list)

    def add(self, other: DatasetSummary) -> None:
        self.images += other.images
        self.classified += other.classified
        self.needs_review += other.needs_review
        self.by_modality += other.by_modality
        self.by_source += other.by_source
        self.errors += other.errors

    def counts(self) -> dict[str, int]:
        return {
            "images": self.images,
            "classified": self.classified,
            "needs_review": self.needs_review,
            **{f"modality_{k}": v for k, v in sorted(self.by_modality.items())},
            **{f"source_{k}": v for k, v in sorted(self.by_source.items())},
        }


_UNSET = dict.fromkeys(
    [
        "modality",
        "modality_confidence",
        "modality_source",
        "prob_clinical",
        "prob_dermoscopy",
        "prob_pathology",
        "prob_other",
        "needs_review",
    ]
)


@dataclass
class SliceOutcome:
    """What a task sends back: its temp shards (paths only) and the counts and errors of its images."""

    staged: list[StagedShard]
    summary: DatasetSummary


def classify_dataset(
    classifier: Classifier,
    root: Path,
    events: StageEvents | None = None,
    engine: Engine | None = None,
    rows_per_task: int = ROWS_PER_TASK,
    gpu_servers: bool = False,
) -> DatasetSummary:
    """Fill the modality columns of every row of the `images` table.

    The engine's tasks (in this process by default) classify slices of the table into temp shards; this
    process then swaps them in for the table's shards, in table order, so rows come out in the same order and
    with the same values whatever the engine and whichever task finished first. With `gpu_servers` (a Ray
    engine), the tasks decode on CPUs and one model server per GPU classifies their images (`servers.py`).
    """
    engine = engine or Engine()
    engine.check()
    with contextlib.ExitStack() as running:
        servers, server_stats = (
            running.enter_context(model_servers(engine, classifier)) if gpu_servers else (None, None)
        )
        recorded = {**classifier.run_config(), **engine.describe()} | ({"gpu_servers": len(servers)} if servers else {})
        with open_stage(root, STAGE, recorded, events) as stage:
            summary = _classify_slices(stage, classifier, engine, rows_per_task, servers)
            if server_stats:
                stats = server_stats()
                stage.counts.update(gpu_passes=stats.passes, gpu_largest_pass=stats.largest_pass)
    return summary


def _classify_slices(
    stage: Stage, classifier: Classifier, engine: Engine, rows_per_task: int, servers: ModelServers | None
) -> DatasetSummary:
    stage.require_rows("images", "run `mmskin-build extract` first")
    stage.uses("images")
    parts = stage.dataset.slices("images", rows_per_task)
    advance = stage.events.progress("classify", stage.dataset.rows("images"))
    # Workers on another node see the dataset under the same absolute path (a shared filesystem).
    task = functools.partial(
        classify_slice, classifier=classifier, dataset_root=stage.dataset.root.resolve(), servers=servers
    )
    if engine.in_process:
        task = functools.partial(task, on_batch=advance)
    outcomes: dict[TableSlice, SliceOutcome] = {}
    for part, outcome in engine.map_unordered(task, parts):
        outcomes[part] = outcome
        if not engine.in_process:
            advance(part.rows)
    summary = DatasetSummary()
    for part in parts:
        summary.add(outcomes[part].summary)
    stage.replace_table("images", [shard for part in parts for shard in outcomes[part].staged])
    stage.replace_errors(summary.errors)
    stage.counts.update(summary.counts())
    return summary


def classify_slice(
    part: TableSlice,
    classifier: Classifier,
    dataset_root: Path,
    on_batch: Callable[[int], None] | None = None,
    servers: ModelServers | None = None,
) -> SliceOutcome:
    """Classify the images of one slice into a temp shard of the images table (a task: any process, any node);
    with `servers`, their model does (this task decodes)."""
    summary = DatasetSummary()
    writer = ShardWriter(dataset_root, "images", rows_per_shard=max(part.rows, 1))
    rows = (row for batch in read_slice(dataset_root, part) for row in batch.to_pylist())
    batches = iter(lambda: list(itertools.islice(rows, BATCH)), [])
    chunks = ((b, [r["image"]["bytes"] for r in b]) for b in batches)
    for batch, results in classifier.stream_probabilities(chunks, servers):
        for row, result in zip(batch, results, strict=True):
            writer.add(_classified_row(classifier, row, result, summary))
        if on_batch:
            on_batch(len(batch))
    return SliceOutcome(writer.close(), summary)


def _classified_row(classifier: Classifier, row: dict, result, summary: DatasetSummary) -> ImageRecord:
    summary.images += 1
    if isinstance(result, ImageDecodeError):
        summary.errors.append(
            ErrorRecord(
                stage=STAGE,
                source=row["source_pdf"],
                page=row["page"],
                item_id=row["image_id"],
                reason=result.reason,
                detail=result.detail,
            )
        )
        return ImageRecord(**{**row, **_UNSET})
    decision = classifier.decide(result, row.get("caption"), row.get("subcaption"))
    summary.classified += 1
    summary.needs_review += decision.needs_review
    summary.by_modality[decision.modality] += 1
    summary.by_source[decision.source] += 1
    return ImageRecord(
        **{
            **row,
            "modality": decision.modality,
            "modality_confidence": decision.confidence,
            "modality_source": decision.source,
            **{f"prob_{c}": p for c, p in decision.probabilities.items()},
            "needs_review": decision.needs_review,
        }
    )

"""`generate-vqa`: ask the server for every image not in the cache, then build the `vqa` table from the cache.

Phase 1 (vllm backend) streams the `pairs` table through `concurrency` workers; each answer is committed to
the cache as it arrives; each failure (after the last retry) becomes an `errors` row, and this stage's rows
of `errors` are replaced at the end by the requests still unanswered. Phase 2 reads every
pair again, takes its items from the cache (or from the rules), runs the gates and replaces the `vqa` table
and `vqa_dropped` (every item left out, with the gate, `review` or `type-balance` that left it out).
The tables are a function of the pairs, the corrections and the cache only, so a run that was killed and restarted writes the
same table as one that was not.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mmskin_build.engines import Engine
from mmskin_build.pipeline import StageEvents, open_stage
from mmskin_build.review.corrections import Corrections
from mmskin_build.store import Dataset
from mmskin_build.tables import ErrorRecord, VqaDroppedRecord, VqaRecord
from mmskin_build.vqa import Backend, Mode, rules
from mmskin_build.vqa.cache import CachedResponse, ResponseCache
from mmskin_build.vqa.client import GenerationFailed, RetryPolicy
from mmskin_build.vqa.dispatch import ServerPool
from mmskin_build.vqa.gates import REASONS, Verdict, balance, check_item
from mmskin_build.vqa.prompts import QUESTION_TYPES, latest_version, load_prompt
from mmskin_build.vqa.requests import PAIR_COLUMNS, RequestSpec, canonical_json, messages_for, schema_for, seed_for
from mmskin_build.vqa.response import QaItem, QaItemV2, response_model

STAGE = "generate-vqa"
REJECTIONS = (*REASONS, "review")  # the gates' reasons, then a reviewer's rejection (counted as rejected:<reason>)


@dataclass(frozen=True)
class VqaConfig:
    backend: Backend = Backend.vllm
    mode: Mode = Mode.text
    llm_urls: tuple[str, ...] = ("http://127.0.0.1:8000/v1",)  # requests are spread over all of them
    model: str = ""
    per_image: int = 3
    concurrency: int = 64
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 1024
    max_type_share: float = 0.35
    prompt_version: str | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def spec(self) -> RequestSpec:
        if self.backend == "rules":
            return RequestSpec("rules", "text", rules.MODEL, rules.PROMPT_VERSION, "", self.per_image, {})
        prompt = load_prompt(self.prompt_version or latest_version(self.mode))
        sampling = {"temperature": self.temperature, "top_p": self.top_p, "max_tokens": self.max_tokens}
        return RequestSpec("vllm", self.mode, self.model, prompt.version, prompt.sha256, self.per_image, sampling)


@dataclass
class VqaSummary:
    counts: Counter[str]
    errors: list[ErrorRecord]
    seconds: float

    @property
    def accepted(self) -> int:
        return self.counts["accepted"]


def run_generate_vqa(
    root: Path, config: VqaConfig, events: StageEvents | None = None, engine: Engine | None = None
) -> VqaSummary:
    """`engine` says where the HTTP calls are made (see `dispatch`); everything else happens in this process."""
    engine = engine or Engine()
    engine.check()
    started = time.monotonic()
    spec = config.spec()
    run_config = {**asdict(config), "prompt_version": spec.prompt_version, **engine.describe()}
    with open_stage(root, STAGE, run_config, events) as stage:
        stage.require_rows("pairs", "run `mmskin-build curate` first")
        stage.uses("pairs")
        dataset = stage.dataset
        counts: Counter[str] = Counter()
        errors: list[ErrorRecord] = []
        cache = ResponseCache(root) if config.backend == "vllm" else None
        try:
            if cache is not None:
                advance = stage.events.progress("generate-vqa", dataset.rows("pairs"))
                with engine.session():
                    asyncio.run(_ask_missing(dataset, config, spec, cache, counts, errors, advance, engine))
            rows, left_out = _build_rows(dataset, config, spec, cache, counts)
        finally:
            if cache is not None:
                cache.close()
        staged = {}
        for table, records in (("vqa", rows), ("vqa_dropped", left_out)):
            writer = dataset.writer(table)
            writer.extend(records)
            staged[table] = writer.close()
        stage.replace_tables(staged)  # one commit: the left-out items always belong to the vqa table beside them
        stage.replace_errors(errors)
        counts["errors"] = len(errors)
        stage.counts.update(counts)
    return VqaSummary(counts, errors, time.monotonic() - started)


def _pairs(dataset: Dataset, with_image: bool) -> Iterator[dict[str, Any]]:
    """The pairs, less those a reviewer rejected since the last curate run."""
    corrections = Corrections.load(dataset)
    columns = PAIR_COLUMNS + (["image"] if with_image else [])
    for batch in dataset.iter_batches("pairs", batch_size=256, columns=columns):
        yield from (pair for pair in batch.to_pylist() if corrections.keeps(pair["figure_id"], pair["image_id"]))


async def _ask_missing(
    dataset: Dataset,
    config: VqaConfig,
    spec: RequestSpec,
    cache: ResponseCache,
    counts: Counter[str],
    errors: list[ErrorRecord],
    advance: Callable[[int], None],
    engine: Engine,
) -> None:
    prompt = load_prompt(spec.prompt_version)
    done = cache.keys()
    servers = ServerPool(config.llm_urls, config.model, config.retry, config.concurrency, engine)
    queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(maxsize=2 * len(servers.slots))

    async def produce() -> None:
        for pair in _pairs(dataset, with_image=config.mode == "vision"):
            key = spec.key(pair)
            if key in done:
                counts["cache_hits"] += 1
                advance(1)
                continue
            await queue.put(pair | {"key": key})
        for _ in servers.slots:
            await queue.put(None)

    async def work(client) -> None:
        while (pair := await queue.get()) is not None:
            key = pair["key"]
            try:
                completion = await client.complete(
                    messages_for(pair, prompt, config.mode, config.per_image),
                    schema_for(pair, config.per_image, spec.schema_version),
                    spec.sampling,
                    seed_for(key),
                )
            except GenerationFailed as failure:
                counts[f"failed:{failure.reason}"] += 1
                errors.append(
                    ErrorRecord(
                        stage=STAGE, source=pair["image_id"], item_id=key, reason=failure.reason, detail=failure.detail
                    )
                )
            else:
                cache.put(
                    CachedResponse(
                        key=key,
                        image_id=pair["image_id"],
                        content=completion.content,
                        response_id=completion.response_id,
                        sampling=canonical_json({**spec.sampling, "seed": completion.seed}),
                        prompt_tokens=completion.prompt_tokens,
                        completion_tokens=completion.completion_tokens,
                    )
                )
                counts["requests"] += 1
                counts["prompt_tokens"] += completion.prompt_tokens
                counts["completion_tokens"] += completion.completion_tokens
            advance(1)

    await servers.check()
    try:
        await asyncio.gather(produce(), *(work(client) for client in servers.slots))
    finally:
        counts["http_requests"] = servers.sent
        await servers.aclose()


def _items(
    pair: dict[str, Any], spec: RequestSpec, key: str, cache: ResponseCache | None
) -> tuple[list[QaItem] | list[QaItemV2], CachedResponse | None]:
    if cache is None:
        fields = {name: pair[name] for name in rules.PairFields.__dataclass_fields__}
        return rules.rules_items(rules.PairFields(**fields), spec.per_image), None
    cached = cache.get(key)
    if cached is None:
        return [], None
    try:
        return response_model(spec.prompt_version).model_validate_json(cached.content).items, cached
    except ValidationError:
        # Only validated answers are cached; a cache written by another schema version lands here.
        return [], None


def _judged(
    pair: dict[str, Any], spec: RequestSpec, key: str, cache: ResponseCache | None, accepted: list[str]
) -> Iterator[tuple[int, QaItem | QaItemV2, Verdict, CachedResponse | None]]:
    """Each item generated for `pair`, in order, with the gates' verdict; a duplicate is judged against the
    questions `accepted` before it (for every panel of the figure), which this extends."""
    items, cached = _items(pair, spec, key, cache)
    for index, item in enumerate(items):
        verdict = check_item(item, pair["caption"], accepted, pair["mentions"] or ())
        if verdict.reason is None:
            accepted.append(item.question)
        yield index, item, verdict, cached


def qa_id_for(key: str, index: int) -> str:
    """The stable id of the `index`-th item of the response cached under `key`."""
    return hashlib.sha256(f"{key}:{index}".encode()).hexdigest()[:16]


def _left_out(
    qa_id: str, image_id: str, item: QaItem | QaItemV2, reason: str, detail: str | None, spec: RequestSpec, key: str
) -> VqaDroppedRecord:
    return VqaDroppedRecord(
        qa_id=qa_id,
        image_id=image_id,
        question=item.question,
        answer=item.answer,
        question_type=item.question_type,
        evidence=item.evidence,
        reason=reason,
        detail=detail,
        cache_key=key,
        prompt_version=spec.prompt_version,
    )


def _build_rows(
    dataset: Dataset, config: VqaConfig, spec: RequestSpec, cache: ResponseCache | None, counts: Counter[str]
) -> tuple[list[VqaRecord], list[VqaDroppedRecord]]:
    """The `vqa` rows, and the items left out with their reason (the `rejected:<reason>` counts are theirs)."""
    rows: list[VqaRecord] = []
    left_out: list[VqaDroppedRecord] = []
    edited: set[int] = set()  # positions in rows of items a reviewer edited
    corrections = Corrections.load(dataset)
    accepted_by_figure: dict[str, list[str]] = {}  # duplicates are checked across the panels of one figure
    for pair in _pairs(dataset, with_image=False):
        key = spec.key(pair)
        accepted = accepted_by_figure.setdefault(pair["figure_id"], [])
        for index, item, verdict, cached in _judged(pair, spec, key, cache, accepted):
            counts["generated"] += 1
            qa_id = qa_id_for(key, index)
            if verdict.reason is not None:
                left_out.append(_left_out(qa_id, pair["image_id"], item, verdict.reason, verdict.detail, spec, key))
                continue
            span = verdict.evidence
            record = VqaRecord(
                qa_id=qa_id,
                image_id=pair["image_id"],
                split=pair["split"],
                question=item.question,
                answer=item.answer,
                question_type=item.question_type,
                evidence=span.text,
                evidence_source=verdict.source,
                evidence_start=span.start,
                evidence_end=span.end,
                backend=spec.backend,
                mode=spec.mode,
                prompt_version=spec.prompt_version,
                model=spec.model,
                sampling=cached.sampling if cached else canonical_json(spec.sampling),
                response_id=cached.response_id if cached else None,
                cache_key=key,
            )
            generated = record.model_dump()
            reviewed = corrections.qa_row(generated)  # a reviewer's rejection or edit of this item
            if reviewed is None:
                rejection = corrections.rejected("qa", qa_id)
                left_out.append(_left_out(qa_id, pair["image_id"], item, "review", rejection.reason, spec, key))
                continue
            if reviewed != generated:
                edited.add(len(rows))
            rows.append(VqaRecord(**reviewed))
    by_id = sorted(range(len(rows)), key=lambda i: rows[i].qa_id)
    keep_sorted = balance([rows[i].question_type for i in by_id], config.max_type_share)
    # An item a reviewer edited is kept whatever the type mix: a person chose it.
    dropped = {i for i, keep in zip(by_id, keep_sorted, strict=True) if not keep and i not in edited}
    left_out += [
        _left_out(rows[i].qa_id, rows[i].image_id, rows[i], "type-balance", None, spec, rows[i].cache_key)
        for i in sorted(dropped)
    ]
    kept = [row for i, row in enumerate(rows) if i not in dropped]
    counts.update({f"rejected:{reason}": 0 for reason in REJECTIONS})
    counts.update(f"rejected:{row.reason}" for row in left_out)
    counts["accepted"] = len(kept)
    for question_type in QUESTION_TYPES:
        counts[f"type:{question_type}"] = sum(row.question_type == question_type for row in kept)
    return kept, left_out

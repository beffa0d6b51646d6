"""`mmskin-build curate`: the images table -> pairs, demographics QA and dropped images, with splits.

Curate is a whole-dataset stage: every run re-derives its three tables from `images` and `figures` and
swaps them in together (replace_tables, one commit), so a re-run with the same options gives the same tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from mmskin_build.curation.annotations import find_annotations
from mmskin_build.curation.captions import clean_caption, panel_caption, strip_panel_marker
from mmskin_build.curation.demographics import Demographics, parse
from mmskin_build.curation.demographics_qa import demographics_qa
from mmskin_build.curation.duplicates import NearDuplicateConfig, group_duplicates, phash
from mmskin_build.curation.filters import Drop, FilterConfig, caption_and_metadata_filters
from mmskin_build.curation.splits import SplitConfig, assign_splits
from mmskin_build.imaging import ImageDecodeError, check_pixels
from mmskin_build.modality import STAGE as CLASSIFY_STAGE
from mmskin_build.pipeline import Stage, StageEvents, UsageError, open_stage
from mmskin_build.review.corrections import Corrections
from mmskin_build.store import Dataset
from mmskin_build.tables import DemographicsQA, DroppedRecord, ImageData, PairRecord

IMAGE_COLUMNS = [
    "image_id",
    "figure_id",
    "book_id",
    "source_pdf",
    "page",
    "panel_letter",
    "caption",
    "subcaption",
    "width",
    "height",
    "sha256",
    "modality",
]


class CurateError(UsageError):
    """Input that curate cannot work from (no images table, images classify has not seen)."""


@dataclass(frozen=True)
class CurateConfig:
    filters: FilterConfig = FilterConfig()
    near_duplicates: NearDuplicateConfig = NearDuplicateConfig()
    splits: SplitConfig = SplitConfig()
    keep_duplicates: bool = False
    no_modality: bool = False


@dataclass
class CurateSummary:
    images: int = 0
    pairs: int = 0
    demographics: int = 0
    dropped: Counter = field(default_factory=Counter)
    splits: Counter = field(default_factory=Counter)
    dup_groups: int = 0
    corrections_orphaned: list[str] = field(default_factory=list)  # correction ids whose target is gone


@dataclass
class _Candidate:
    """What curate knows of one input image."""

    row: dict
    caption: str
    caption_raw: str
    subcaption: str | None
    label: str | None
    credit: str | None
    mentions: list[str]
    drop: Drop | None = None
    phash: int = 0


def _figure_info(dataset: Dataset) -> dict[str, dict]:
    if not dataset.rows("figures"):
        return {}
    table = dataset.read_table("figures", columns=["figure_id", "label", "mentions"])
    return {row["figure_id"]: row for row in table.to_pylist()}


def _candidates(dataset: Dataset, config: CurateConfig, corrections: Corrections) -> list[_Candidate]:
    extracted = dataset.read_table("images", columns=IMAGE_COLUMNS).to_pylist()
    rows = [corrections.image_row(row) for row in extracted]
    if not rows:
        raise CurateError(f"{dataset.root}: the images table is empty or missing; run `mmskin-build extract` first")
    unlabelled = {} if config.no_modality else _classify_failures(dataset)
    unclassified = sum(1 for r in rows if r["modality"] is None and r["image_id"] not in unlabelled)
    if unclassified and not config.no_modality:
        raise CurateError(
            f"{dataset.root}/images: {unclassified} of {len(rows)} images have no modality; run "
            "`mmskin-build classify` first, or pass --no-modality to curate without the non-photo filter"
        )
    figures = _figure_info(dataset)
    candidates = []
    for row, extracted_row in zip(rows, extracted, strict=True):
        figure = figures.get(row["figure_id"], {})
        cleaned = clean_caption(row["caption"], figure.get("label"))
        subcaption, credits = None, [cleaned.credit]
        if row["subcaption"]:
            cleaned_sub = clean_caption(row["subcaption"])
            subcaption = strip_panel_marker(cleaned_sub.text, row["panel_letter"]) or None
            credits.append(cleaned_sub.credit)
        candidates.append(
            _Candidate(
                row=row,
                caption=panel_caption(cleaned.text, subcaption),
                caption_raw=extracted_row["caption"] or "",
                subcaption=subcaption,
                label=cleaned.label,
                credit="; ".join(dict.fromkeys(c for c in credits if c)) or None,
                mentions=list(figure.get("mentions") or []),
                drop=_unclassified(row, unlabelled),
            )
        )
    return candidates


def _extracted_ids(dataset: Dataset) -> tuple[set[str], set[str]]:
    figure_ids = set(dataset.read_table("figures", columns=["figure_id"]).column("figure_id").to_pylist())
    image_ids = set(dataset.read_table("images", columns=["image_id"]).column("image_id").to_pylist())
    return figure_ids, image_ids


def _classify_failures(dataset: Dataset) -> dict[str, str]:
    """image_id -> why classify left it without a modality ("too-small: 283x23 px; ..."), from `errors`."""
    if not dataset.rows("errors"):
        return {}
    rows = dataset.read_table("errors", columns=["stage", "item_id", "reason", "detail"]).to_pylist()
    return {
        r["item_id"]: f"{r['reason']}: {r['detail']}" for r in rows if r["stage"] == CLASSIFY_STAGE and r["item_id"]
    }


def _unclassified(row: dict, unlabelled: dict[str, str]) -> Drop | None:
    why = unlabelled.get(row["image_id"]) if row["modality"] is None else None
    return Drop("unclassified", f"classify could not label it: {why}") if why else None


def _inspect_pixels(dataset: Dataset, candidates: list[_Candidate], config: CurateConfig, events: StageEvents) -> None:
    """Decode each image that passed the cheap filters: annotation check and perceptual hash."""
    by_id = {c.row["image_id"]: c for c in candidates}
    advance = events.progress("curate: checking pixels", sum(1 for c in candidates if c.drop is None))
    for batch in dataset.iter_batches("images", batch_size=64, columns=["image_id", "image"]):
        for image_id, image in zip(
            batch.column("image_id").to_pylist(), batch.column("image").to_pylist(), strict=True
        ):
            candidate = by_id[image_id]
            if candidate.drop is not None:
                continue
            advance(1)
            try:
                check_pixels(candidate.row["width"], candidate.row["height"])  # the limit every stage decodes under
            except ImageDecodeError as exc:
                candidate.drop = Drop("undecodable", f"{exc.reason}: {exc}")
                continue
            bgr = cv2.imdecode(np.frombuffer(image["bytes"], np.uint8), cv2.IMREAD_COLOR)
            if bgr is None:
                candidate.drop = Drop("undecodable", "the image bytes do not decode")
                continue
            if config.filters.detect_annotations:
                marks = find_annotations(bgr)
                if marks:
                    detail = "; ".join(m.detail for m in marks[:3])
                    candidate.drop = Drop("annotated", f"drawn marks over the photo: {detail}")
                    continue
            candidate.phash = phash(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))


def _group_duplicates(kept: list[_Candidate], config: CurateConfig) -> dict[str, list[_Candidate]]:
    groups = group_duplicates(
        [c.row["sha256"] for c in kept], [c.phash for c in kept], [c.caption for c in kept], config.near_duplicates
    )
    members: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate, group in zip(kept, groups, strict=True):
        members[group].append(candidate)
    return {min(c.row["image_id"] for c in group): group for group in members.values()}


def _representative(group: list[_Candidate]) -> _Candidate:
    """The largest image of the group (ties: the smallest image_id)."""
    return min(group, key=lambda c: (-c.row["width"] * c.row["height"], c.row["image_id"]))


_IDENTITY = ("image_id", "figure_id", "book_id", "source_pdf", "page")


def _pair(
    candidate: _Candidate, image: dict, found: Demographics, dup_group: str, dup_count: int, split: str
) -> PairRecord:
    row = candidate.row
    return PairRecord(
        **{key: row[key] for key in _IDENTITY},
        panel_letter=row["panel_letter"],
        image=ImageData(bytes=image["bytes"], path=image["path"]),
        width=row["width"],
        height=row["height"],
        sha256=row["sha256"],
        modality=row["modality"],
        figure_label=candidate.label,
        caption=candidate.caption,
        caption_raw=candidate.caption_raw,
        subcaption=candidate.subcaption,
        credit=candidate.credit,
        mentions=candidate.mentions,
        age_min_years=found.age.min_years if found.age else None,
        age_max_years=found.age.max_years if found.age else None,
        age_text=found.age.span.text if found.age else None,
        sex=found.sex.value if found.sex else None,
        sex_text=found.sex.span.text if found.sex else None,
        body_sites=[s.value for s in found.body_sites],
        fitzpatrick=found.fitzpatrick.value if found.fitzpatrick else None,
        dup_group=dup_group,
        dup_count=dup_count,
        phash=f"{candidate.phash:016x}",
        split=split,
    )


def _dropped(candidate: _Candidate, dup_group: str | None = None) -> DroppedRecord:
    row = candidate.row
    return DroppedRecord(
        **{key: row[key] for key in _IDENTITY},
        caption=candidate.caption or None,
        reason=candidate.drop.reason,
        detail=candidate.drop.detail,
        dup_group=dup_group,
    )


def run_curate(
    root: Path | str, config: CurateConfig = CurateConfig(), events: StageEvents | None = None
) -> CurateSummary:
    with open_stage(root, "curate", asdict(config), events) as stage:
        stage.uses("images", "figures")
        summary = _curate(stage, config)
    return summary


def _curate(stage: Stage, config: CurateConfig) -> CurateSummary:
    dataset = stage.dataset
    corrections = Corrections.load(dataset)
    candidates = _candidates(dataset, config, corrections)
    for candidate in candidates:
        row = candidate.row
        rejected = corrections.drop(row["figure_id"], row["image_id"])
        candidate.drop = (
            rejected
            or candidate.drop
            or caption_and_metadata_filters(
                candidate.caption, row["modality"], row["width"], row["height"], config.filters
            )
        )
    _inspect_pixels(dataset, candidates, config, stage.events)

    groups = _group_duplicates([c for c in candidates if c.drop is None], config)
    group_of: dict[str, tuple[str, int]] = {}
    kept: list[_Candidate] = []
    for group_id, members in sorted(groups.items()):
        keep = members if config.keep_duplicates else [_representative(members)]
        keep_ids = {c.row["image_id"] for c in keep}
        for candidate in members:
            group_of[candidate.row["image_id"]] = (group_id, len(members))
            if candidate.row["image_id"] not in keep_ids:
                candidate.drop = Drop("duplicate", f"duplicate of {keep[0].row['image_id']} (group of {len(members)})")
        kept.extend(keep)
    kept.sort(key=lambda c: c.row["image_id"])
    splits = assign_splits(
        [c.row["figure_id"] for c in kept],
        [group_of[c.row["image_id"]][0] for c in kept],
        [c.row["book_id"] for c in kept],
        config.splits,
    )
    split_of = {c.row["image_id"]: s for c, s in zip(kept, splits, strict=True)}

    summary = CurateSummary(images=len(candidates), dup_groups=sum(1 for m in groups.values() if len(m) > 1))
    pairs_writer = dataset.writer("pairs", rows_per_shard=256)
    qa_writer = dataset.writer("demographics")
    dropped_writer = dataset.writer("dropped")
    kept_by_id = {c.row["image_id"]: c for c in kept}
    # Streamed in the images table's order, so image bytes never sit in memory all at once.
    for batch in dataset.iter_batches("images", batch_size=64, columns=["image_id", "image"]):
        for image_id, image in zip(
            batch.column("image_id").to_pylist(), batch.column("image").to_pylist(), strict=True
        ):
            candidate = kept_by_id.get(image_id)
            if candidate is None:
                continue
            found = corrections.demographics(image_id, parse(candidate.caption, candidate.mentions, candidate.label))
            group_id, group_size = group_of[image_id]
            pairs_writer.add(_pair(candidate, image, found, group_id, group_size, split_of[image_id]))
            qa_rows = [
                DemographicsQA(**row)
                for qa in demographics_qa(image_id, split_of[image_id], found, candidate.caption)
                if (row := corrections.qa_row(qa.model_dump())) is not None
            ]
            qa_writer.extend(qa_rows)
            summary.pairs += 1
            summary.demographics += len(qa_rows)
            summary.splits[split_of[image_id]] += 1
    for candidate in candidates:
        if candidate.drop is not None:
            dropped_writer.add(_dropped(candidate, group_of.get(candidate.row["image_id"], (None, 0))[0]))
            summary.dropped[candidate.drop.reason] += 1
    # One commit for the three: a reader (or a kill) never sees pairs of one run beside dropped of another.
    stage.replace_tables(
        {"pairs": pairs_writer.close(), "demographics": qa_writer.close(), "dropped": dropped_writer.close()}
    )
    stage.counts.update(
        images=summary.images,
        pairs=summary.pairs,
        demographics=summary.demographics,
        dropped=sum(summary.dropped.values()),
        dup_groups=summary.dup_groups,
    )
    stage.counts.update({f"dropped_{k}": v for k, v in sorted(summary.dropped.items())})
    stage.counts.update({f"split_{k}": v for k, v in sorted(summary.splits.items())})
    summary.corrections_orphaned = [c.correction_id for c in corrections.orphans(*_extracted_ids(dataset))]
    stage.counts.update(
        corrections_applied=len(corrections.latest), corrections_orphaned=len(summary.corrections_orphaned)
    )
    return summary

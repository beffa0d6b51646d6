"""What the review pages show, held in memory without image bytes: figures, their images, pairs, QA, drops.

Each table is re-read only when its shards change (the manifest lists them), so a page after a save or a
curate run shows the new state and costs a manifest read otherwise. Filters and ordering run over small
per-figure summaries; the ordered id list of each filter is cached until a table or a correction changes.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import pyarrow.parquet as pq

from mmskin_build.review.corrections import TABLE as CORRECTIONS
from mmskin_build.review.corrections import CorrectionError, Corrections, check_field, new_correction
from mmskin_build.store import Dataset
from mmskin_build.tables import CorrectionRecord

FIGURE_COLUMNS = [
    "figure_id",
    "book_id",
    "source_pdf",
    "page",
    "page_width",
    "page_height",
    "bbox",
    "label",
    "caption",
    "caption_bbox",
    "panels",
    "kind",
    "image_width",
    "image_height",
]
IMAGE_COLUMNS = [
    "image_id",
    "figure_id",
    "panel_index",
    "panel_letter",
    "bbox",
    "caption",
    "subcaption",
    "width",
    "height",
    "modality",
    "modality_confidence",
    "modality_source",
    "needs_review",
]
# What the page shows of a pair.
PAIR_COLUMNS = [
    "image_id",
    "caption",
    "subcaption",
    "split",
    "modality",
    "age_min_years",
    "age_max_years",
    "age_text",
    "sex",
    "sex_text",
    "body_sites",
    "fitzpatrick",
    "figure_label",
    "credit",
]
QA_COLUMNS = ["qa_id", "image_id", "question", "answer", "question_type", "evidence", "evidence_start", "evidence_end"]
LEFT_OUT_COLUMNS = ["qa_id", "image_id", "question", "answer", "question_type", "evidence", "reason", "detail"]
DEMOGRAPHICS_COLUMNS = ["qa_id", "image_id", "field", "question", "answer", "evidence", "evidence_source"]
PAGE_SIZE = 50
STATUSES = ("unreviewed", "approved", "rejected")


@dataclass(frozen=True)
class Filters:
    """The list's filters, as given in the query string ('' is any)."""

    book: str = ""
    modality: str = ""
    drop: str = ""  # a drop reason, or 'kept' for figures with no dropped image
    gate: str = ""  # 'with-qa', 'no-qa', a QA decision ('qa-rejected', 'qa-edited'), or a vqa_dropped reason
    status: str = ""  # unreviewed, approved, rejected
    needs_review: bool = False

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        return cls(
            **{k: query.get(k, "") for k in ("book", "modality", "drop", "gate", "status")},
            needs_review=query.get("needs_review", "") in ("1", "on", "true"),
        )

    def query(self, **extra: object) -> str:
        values = {k: v for k, v in self.__dict__.items() if v} | {k: v for k, v in extra.items() if v not in ("", None)}
        return urlencode({k: (1 if v is True else v) for k, v in values.items()})


@dataclass
class FigureSummary:
    """What the filters and the list need about one figure."""

    figure_id: str
    book: str
    page: int
    label: str | None
    first_image: str | None
    modalities: frozenset[str]
    drop_reasons: frozenset[str]
    qa_reasons: frozenset[str]  # why generate-vqa left items out (vqa_dropped)
    needs_review: bool
    qa: int

    @property
    def order(self) -> tuple:
        """Flagged by classify first, then by book, page and id."""
        return (not self.needs_review, self.book, self.page, self.figure_id)


@dataclass
class _Tables:
    figures: dict[str, dict] = field(default_factory=dict)
    images: dict[str, list[dict]] = field(default_factory=dict)  # figure_id -> its images in panel order
    pairs: dict[str, dict] = field(default_factory=dict)
    dropped: dict[str, dict] = field(default_factory=dict)
    vqa: dict[str, list[dict]] = field(default_factory=dict)
    vqa_dropped: dict[str, list[dict]] = field(default_factory=dict)  # image_id -> items left out
    demographics: dict[str, list[dict]] = field(default_factory=dict)
    image_rows: dict[str, dict] = field(default_factory=dict)
    qa_rows: dict[str, dict] = field(default_factory=dict)  # vqa and demographics rows by qa_id


def _pair_value(pair: dict, field: str) -> str | None:
    """A pair's demographic field as a correction writes it ('45', '60-69', '65+'; sites comma-separated)."""
    if not pair:
        return None
    if field == "age":
        low, high = pair["age_min_years"], pair["age_max_years"]
        if low is None:
            return None
        return f"{low:g}+" if high is None else f"{low:g}" if high == low else f"{low:g}-{high:g}"
    if field == "body_sites":
        return ", ".join(pair["body_sites"]) or None
    return pair[field]


def _grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return dict(groups)


class UnknownTarget(CorrectionError):
    """A correction names a figure, image or QA item the dataset does not hold."""


class ReviewIndex:
    """The dataset as the review pages see it; safe to share between request threads."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._signatures: dict[str, tuple[str, ...]] = {}
        self.tables = _Tables()
        self.corrections = Corrections({}, 0)
        self.summaries: dict[str, FigureSummary] = {}
        self._base_order: list[str] = []  # figure ids in FigureSummary.order
        self.locations: dict[tuple[str, str], tuple[str, int]] = {}  # (table, id) -> (shard, row)
        self.dataset = Dataset.open(self.root)
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read what changed on disk since the last call."""
        with self._lock:
            self.dataset = Dataset.open(self.root)
            changed = {
                t
                for t in ("figures", "images", "pairs", "dropped", "vqa", "vqa_dropped", "demographics", CORRECTIONS)
                if self._signature(t) != self._signatures.get(t)
            }
            if not changed:
                return
            before = self.corrections
            self._load(changed)
            for table in changed:
                self._signatures[table] = self._signature(table)
            if changed - {CORRECTIONS}:
                self.summaries = {f: self._summary(f) for f in self.tables.figures}
                self._base_order = sorted(self.summaries, key=lambda f: self.summaries[f].order)
            else:  # only decisions changed: only the figures they touch (a modality) need a new summary
                for figure_id in self._touched(before) & self.tables.figures.keys():
                    self.summaries[figure_id] = self._summary(figure_id)
            self._ordered.cache_clear()

    def _signature(self, table: str) -> tuple[str, ...]:
        info = self.dataset.manifest.tables.get(table)
        return tuple(s.file for s in info.shards) if info else ()

    def _read(self, table: str, columns: list[str]) -> list[dict]:
        return self.dataset.read_table(table, columns=columns).to_pylist() if self.dataset.rows(table) else []

    def _load(self, changed: set[str]) -> None:
        tables = self.tables
        if "figures" in changed:
            tables.figures = {r["figure_id"]: r for r in self._read("figures", FIGURE_COLUMNS)}
            self._locate("figures", "figure_id")
        if "images" in changed:
            images = self._read("images", IMAGE_COLUMNS)
            images.sort(key=lambda r: (r["panel_index"] if r["panel_index"] is not None else -1, r["image_id"]))
            tables.images = _grouped(images, "figure_id")
            tables.image_rows = {r["image_id"]: r for r in images}
            self._locate("images", "image_id")
        if "pairs" in changed:
            tables.pairs = {r["image_id"]: r for r in self._read("pairs", PAIR_COLUMNS)}
        if "dropped" in changed:
            tables.dropped = {r["image_id"]: r for r in self._read("dropped", ["image_id", "reason", "detail"])}
        if "vqa" in changed:
            tables.vqa = _grouped(self._read("vqa", QA_COLUMNS), "image_id")
        if "vqa_dropped" in changed:
            tables.vqa_dropped = _grouped(self._read("vqa_dropped", LEFT_OUT_COLUMNS), "image_id")
        if "demographics" in changed:
            tables.demographics = _grouped(self._read("demographics", DEMOGRAPHICS_COLUMNS), "image_id")
        if changed & {"vqa", "demographics"}:
            tables.qa_rows = {
                r["qa_id"]: r for rows in (*tables.vqa.values(), *tables.demographics.values()) for r in rows
            }
        if CORRECTIONS in changed:
            self.corrections = Corrections.load(self.dataset)

    def _locate(self, table: str, key: str) -> None:
        """Where each row's image bytes are, so one thumbnail reads one row group, not a table."""
        self.locations = {k: v for k, v in self.locations.items() if k[0] != table}
        for path in self.dataset.shard_paths(table):
            ids = pq.read_table(path, columns=[key]).column(key).to_pylist()
            for row, item_id in enumerate(ids):
                self.locations[(table, item_id)] = (str(path), row)

    def _touched(self, before: Corrections) -> set[str]:
        """Figures with a decision that `before` did not hold."""
        return {
            c.figure_id
            for key, c in self.corrections.latest.items()
            if (old := before.latest.get(key)) is None or old.correction_id != c.correction_id
        }

    def _summary(self, figure_id: str) -> FigureSummary:
        tables = self.tables
        figure = tables.figures[figure_id]
        images = tables.images.get(figure_id, [])
        return FigureSummary(
            figure_id=figure_id,
            book=figure["source_pdf"],
            page=figure["page"],
            label=figure["label"],
            first_image=images[0]["image_id"] if images else None,
            modalities=frozenset(self.modality(i)[0] or "none" for i in images),
            drop_reasons=frozenset(
                tables.dropped[i["image_id"]]["reason"] for i in images if i["image_id"] in tables.dropped
            ),
            needs_review=any(i["needs_review"] for i in images),
            qa_reasons=frozenset(r["reason"] for i in images for r in tables.vqa_dropped.get(i["image_id"], [])),
            qa=sum(len(tables.vqa.get(i["image_id"], [])) for i in images),
        )

    # -- what a page shows ---------------------------------------------------------------------
    def modality(self, image: dict) -> tuple[str | None, str]:
        """The image's modality and where it came from ('review' when a reviewer set it)."""
        corrected = self.corrections.get("image", image["image_id"], "modality")
        if corrected is not None:
            return corrected.new_value, "review"
        return image["modality"], image["modality_source"] or ""

    def figure_of(self, target: str, target_id: str) -> str | None:
        """The figure a correction's target belongs to; None for an id the dataset does not hold."""
        if target == "figure":
            return target_id if target_id in self.tables.figures else None
        if target == "qa":
            row = self.tables.qa_rows.get(target_id)
            target_id = row["image_id"] if row else ""
        image = self.tables.image_rows.get(target_id)
        return image["figure_id"] if image else None

    def current_value(self, target: str, target_id: str, field: str) -> str | None:
        """What the page shows for a correctable field: the last correction, else the stored value."""
        corrected = self.corrections.get(target, target_id, field)
        if corrected is not None:
            return corrected.new_value
        if field == "status":
            return None
        if target == "figure":
            return self.tables.figures[target_id][field]
        if target == "qa":
            return self.tables.qa_rows[target_id][field]
        if field in ("subcaption", "modality"):
            return self.tables.image_rows[target_id][field]
        return _pair_value(self.tables.pairs.get(target_id) or {}, field)

    def correction(
        self, target: str, target_id: str, field: str, value: str | None, reviewer: str, reason: str | None
    ) -> CorrectionRecord:
        """A checked correction row of a figure, image or QA item the dataset holds, against what the page shows."""
        figure_id = self.figure_of(target, target_id)
        if figure_id is None:
            raise UnknownTarget(f"no {target} with id {target_id!r} in {self.root}")
        check_field(target, field)
        old = self.current_value(target, target_id, field)
        return new_correction(target, target_id, figure_id, field, old, value, reviewer, reason)

    def lists_left_out(self) -> bool:
        """False for a dataset whose vqa table was written before generate-vqa recorded what it left out."""
        return "vqa_dropped" in self.dataset.manifest.tables or "vqa" not in self.dataset.manifest.tables

    def status(self, figure_id: str) -> str:
        found = self.corrections.status("figure", figure_id)
        return found.new_value if found is not None else "unreviewed"

    def books(self) -> list[str]:
        return sorted({s.book for s in self.summaries.values()})

    def drop_reasons(self) -> list[str]:
        return sorted({r for s in self.summaries.values() for r in s.drop_reasons})

    def qa_reasons(self) -> list[str]:
        return sorted({r for s in self.summaries.values() for r in s.qa_reasons})

    def _qa_decisions(self, figure_id: str) -> set[str]:
        decisions = set()
        for (target, _, corrected), c in self.corrections.latest.items():
            if target == "qa" and c.figure_id == figure_id:
                decisions.add("qa-rejected" if corrected == "status" and c.new_value == "rejected" else "qa-edited")
        return decisions

    def _matches(self, summary: FigureSummary, filters: Filters) -> bool:
        if filters.book and summary.book != filters.book:
            return False
        if filters.modality and filters.modality not in summary.modalities:
            return False
        if filters.drop and not (
            summary.drop_reasons == frozenset() if filters.drop == "kept" else filters.drop in summary.drop_reasons
        ):
            return False
        if filters.needs_review and not summary.needs_review:
            return False
        if filters.status and self.status(summary.figure_id) != filters.status:
            return False
        return self._matches_gate(summary, filters.gate)

    def _matches_gate(self, summary: FigureSummary, gate: str) -> bool:
        if gate in ("", "with-qa", "no-qa"):
            return gate == "" or (gate == "with-qa") == bool(summary.qa)
        if gate in ("qa-rejected", "qa-edited"):
            return gate in self._qa_decisions(summary.figure_id)
        return gate in summary.qa_reasons

    @lru_cache(maxsize=64)  # noqa: B019 - cleared on every change; the index lives as long as the server
    def _ordered(self, filters: Filters, corrections_rows: int) -> tuple[str, ...]:
        """Figure ids matching `filters`: unreviewed figures the classifier flagged first, then unreviewed,
        then reviewed; within each, by book, page and id. `corrections_rows` is the cache's key for decisions."""
        matching = [f for f in self._base_order if self._matches(self.summaries[f], filters)]
        reviewed = {f for f in matching if self.corrections.status("figure", f) is not None}
        return tuple(f for f in matching if f not in reviewed) + tuple(f for f in matching if f in reviewed)

    def ordered(self, filters: Filters) -> tuple[str, ...]:
        return self._ordered(filters, self.corrections.rows)

    def page(self, filters: Filters, number: int) -> tuple[list[FigureSummary], int]:
        """One page of the filtered list and the number of matching figures."""
        ids = self.ordered(filters)
        start = (max(number, 1) - 1) * PAGE_SIZE
        return [self.summaries[i] for i in ids[start : start + PAGE_SIZE]], len(ids)

    def neighbours(self, figure_id: str, filters: Filters) -> tuple[str | None, str | None]:
        """The previous and next figure in the filtered order (the next unreviewed one after an approval)."""
        ids = self.ordered(filters)
        try:
            at = ids.index(figure_id)
        except ValueError:
            return None, ids[0] if ids else None
        return (ids[at - 1] if at else None), (ids[at + 1] if at + 1 < len(ids) else None)

    def image_bytes(self, table: str, item_id: str) -> bytes | None:
        """The stored image of one `images` or `figures` row, reading only the row group that holds it."""
        where = self.locations.get((table, item_id))
        if where is None:
            return None
        path, row = where
        reader = pq.ParquetFile(path)
        for group in range(reader.num_row_groups):
            size = reader.metadata.row_group(group).num_rows
            if row < size:
                return reader.read_row_group(group, columns=["image"]).column("image")[row].as_py()["bytes"]
            row -= size
        return None

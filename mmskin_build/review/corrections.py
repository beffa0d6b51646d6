"""Corrections as data: append reviewer decisions to the `corrections` table, and apply them in later stages.

The table is append-only; for one (target, target_id, field) the last row in table order wins. Rows are
appended under the dataset's lock (the one every stage holds while it runs, `pipeline.writer_lock`), each
save committed as a shard through the normal commit path, so sessions saving at once lose nothing and a
killed server loses nothing it answered "saved" to. Many small shards are folded into one (same rows, same
order) once they pass `COMPACT_AFTER`.
"""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from mmskin_build import __version__
from mmskin_build.curation.body_sites import BODY_SITES
from mmskin_build.curation.demographics import Age, Demographics, Found, Span
from mmskin_build.curation.filters import Drop
from mmskin_build.pipeline import UsageError, writer_lock
from mmskin_build.store import Dataset, DatasetError
from mmskin_build.store.manifest import utc_now
from mmskin_build.tables import CorrectionRecord
from mmskin_build.tables.review import REVIEW_STATUSES

TABLE = "corrections"
COMPACT_AFTER = 32  # shards; one save is one shard
REJECTED_IN_REVIEW = "rejected-in-review"
MODALITIES = ("clinical", "dermoscopy", "pathology", "other")
FITZPATRICK = ("I", "II", "III", "IV", "V", "VI")
SEXES = ("male", "female")
# Which fields each target may correct.
FIELDS = {
    "figure": ("status", "caption"),
    "image": ("status", "subcaption", "modality", "age", "sex", "body_sites", "fitzpatrick"),
    "qa": ("status", "question", "answer"),
}
_AGE = re.compile(r"^\s*(?P<low>\d+(?:\.\d+)?)\s*(?:(?P<plus>\+)|-\s*(?P<high>\d+(?:\.\d+)?))?\s*$")


class CorrectionError(UsageError, ValueError):
    """A correction that names an unknown field or carries a value the field cannot hold."""


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def parse_age(value: str) -> tuple[float, float | None]:
    """'45' -> (45, 45); '60-69' -> (60, 69); '65+' -> (65, None)."""
    match = _AGE.match(value)
    if not match:
        raise CorrectionError(f"age {value!r}: write years as 45, a range as 60-69, or open-ended as 65+")
    low = float(match["low"])
    high = None if match["plus"] else float(match["high"] or low)
    if high is not None and high < low:
        raise CorrectionError(f"age {value!r}: the range ends before it starts")
    return low, high


def check_field(target: str, field: str) -> None:
    """Raises CorrectionError unless `field` is a correctable field of a `target`."""
    if field not in FIELDS.get(target, ()):
        raise CorrectionError(
            f"a {target} has no correctable field {field!r} (fields: {', '.join(FIELDS.get(target, ()))})"
        )


def normalise_value(target: str, field: str, value: str | None) -> str | None:
    """The value as stored (canonical spelling); raises CorrectionError for one the field cannot hold."""
    check_field(target, field)
    text = (value or "").strip()
    choices = {"status": REVIEW_STATUSES, "modality": MODALITIES, "sex": SEXES, "fitzpatrick": FITZPATRICK}.get(field)
    if field == "fitzpatrick":
        text = text.upper().removeprefix("TYPE ").strip()
    elif choices:
        text = text.lower()
    if not text:
        if field in ("status", "modality", "question", "answer"):
            raise CorrectionError(f"{field}: a value is required")
        return None
    if choices and text not in choices:
        raise CorrectionError(f"{field} {text!r}: choose one of {', '.join(choices)}")
    if field == "age":
        parse_age(text)
    if field == "body_sites":
        sites = [s.strip().lower() for s in text.split(",") if s.strip()]
        unknown = [s for s in sites if s not in BODY_SITES]
        if unknown:
            raise CorrectionError(
                f"body_sites {', '.join(unknown)}: not in the vocabulary (e.g. {', '.join(list(BODY_SITES)[:5])})"
            )
        text = ", ".join(dict.fromkeys(sites))
    return text


def new_correction(
    target: str,
    target_id: str,
    figure_id: str,
    field: str,
    old_value: str | None,
    new_value: str | None,
    reviewer: str,
    reason: str | None = None,
) -> CorrectionRecord:
    """A checked correction row (value normalised), ready to append."""
    return CorrectionRecord(
        correction_id=uuid.uuid4().hex[:16],
        target=target,
        target_id=target_id,
        figure_id=figure_id,
        field=field,
        old_value=old_value,
        new_value=normalise_value(target, field, new_value),
        reason=(reason or "").strip() or None,
        reviewer=reviewer,
        created_at=utc_now(),
        tool_version=__version__,
    )


def append_corrections(root: Path | str, rows: Iterable[CorrectionRecord], wait: bool = True) -> int:
    """Append `rows` to the corrections table as one committed shard; returns the table's row count.

    While a stage runs on the dataset this waits for it, or with `wait=False` raises UsageError at once.
    """
    rows = list(rows)
    with writer_lock(root, "review", wait):
        dataset = Dataset.open(root)
        writer = dataset.writer(TABLE)
        writer.extend(rows)
        dataset.commit(writer.close())
        info = dataset.manifest.tables.get(TABLE)
        if info is not None and len(info.shards) > COMPACT_AFTER:
            _compact(dataset)
        return dataset.rows(TABLE)


def _compact(dataset: Dataset) -> None:
    """Fold the table's shards into one with the same rows in the same order (call under the lock)."""
    writer = dataset.writer(TABLE, rows_per_shard=1 << 30)
    writer.extend(CorrectionRecord(**row) for row in dataset.read_table(TABLE).to_pylist())
    dataset.replace_table(TABLE, writer.close())


@dataclass(frozen=True)
class Corrections:
    """The effective corrections of a dataset: the last row per (target, target_id, field)."""

    latest: dict[tuple[str, str, str], CorrectionRecord]
    rows: int = 0

    @classmethod
    def load(cls, dataset: Dataset, attempts: int = 5) -> Corrections:
        """The table as the manifest on disk lists it now. Reading takes no lock (a stage may hold it for long):
        when an append folds the shards between reading the manifest and the shards, read again."""
        for attempt in range(attempts):
            current = Dataset.open(dataset.root)
            try:
                rows = current.read_table(TABLE).to_pylist() if current.rows(TABLE) else []
                break
            except (FileNotFoundError, DatasetError):  # a shard the manifest listed a moment ago was folded away
                if attempt == attempts - 1:
                    raise
        records = [CorrectionRecord(**row) for row in rows]
        return cls({(r.target, r.target_id, r.field): r for r in records}, len(records))

    def get(self, target: str, target_id: str, field: str) -> CorrectionRecord | None:
        return self.latest.get((target, target_id, field))

    def status(self, target: str, target_id: str) -> CorrectionRecord | None:
        return self.get(target, target_id, "status")

    def rejected(self, target: str, target_id: str) -> CorrectionRecord | None:
        found = self.status(target, target_id)
        return found if found is not None and found.new_value == "rejected" else None

    # -- what curate applies -------------------------------------------------------------------
    def image_row(self, row: dict) -> dict:
        """An `images` row with the figure's corrected caption and the image's corrected sub-caption and modality."""
        changes = {}
        for target, target_id, field, column in (
            ("figure", row["figure_id"], "caption", "caption"),
            ("image", row["image_id"], "subcaption", "subcaption"),
            ("image", row["image_id"], "modality", "modality"),
        ):
            found = self.get(target, target_id, field)
            if found is not None and column in row:
                changes[column] = found.new_value
        return {**row, **changes} if changes else row

    def drop(self, figure_id: str, image_id: str) -> Drop | None:
        """`rejected-in-review` when the reviewer rejected the image or its whole figure."""
        for target, target_id in (("figure", figure_id), ("image", image_id)):
            found = self.rejected(target, target_id)
            if found is not None:
                why = f": {found.reason}" if found.reason else ""
                return Drop(REJECTED_IN_REVIEW, f"{target} rejected by {found.reviewer} at {found.created_at}{why}")
        return None

    def demographics(self, image_id: str, found: Demographics) -> Demographics:
        """The parsed demographics with the reviewer's fields in place; their evidence is the reviewer's value."""
        changes = {}
        for field in ("age", "sex", "body_sites", "fitzpatrick"):
            correction = self.get("image", image_id, field)
            if correction is None:
                continue
            value = correction.new_value
            span = Span("review", 0, len(value or ""), value or "")
            if field == "age":
                changes[field] = Age(*parse_age(value), span) if value else None
            elif field == "body_sites":
                changes[field] = [Found(site, span) for site in value.split(", ")] if value else []
            else:
                changes[field] = Found(value, span) if value else None
        return replace(found, **changes) if changes else found

    def qa_row(self, row: dict) -> dict | None:
        """A vqa or demographics row with the reviewer's question and answer; None when the reviewer rejected it."""
        if self.rejected("qa", row["qa_id"]):
            return None
        changes = {f: c.new_value for f in ("question", "answer") if (c := self.get("qa", row["qa_id"], f))}
        return {**row, **changes} if changes else row

    def keeps(self, figure_id: str, image_id: str) -> bool:
        return self.drop(figure_id, image_id) is None

    def orphans(self, figure_ids: set[str], image_ids: set[str]) -> list[CorrectionRecord]:
        """Figure and image corrections whose target is no longer in the dataset (re-extraction moved it)."""
        known = {"figure": figure_ids, "image": image_ids}
        return [
            c for (target, target_id, _), c in self.latest.items() if target in known and target_id not in known[target]
        ]

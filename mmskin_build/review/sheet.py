"""Corrections as a sheet, for people who review offline: export every row, import new decisions."""

from __future__ import annotations

import csv
from pathlib import Path

from mmskin_build.review.corrections import TABLE, CorrectionError, append_corrections
from mmskin_build.review.index import ReviewIndex
from mmskin_build.store import Dataset
from mmskin_build.store.dataset import atomic_write_bytes
from mmskin_build.tables import CorrectionRecord

IMPORT_COLUMNS = ("target", "target_id", "field", "new_value")


def export_corrections(root: Path, out: Path) -> int:
    """Every correction row, in table order, as CSV; returns the number of rows."""
    import io

    rows = Dataset.open(root).read_table(TABLE).to_pylist()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CorrectionRecord.model_fields))
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_bytes(Path(out), buffer.getvalue().encode())
    return len(rows)


def import_corrections(root: Path, sheet: Path, reviewer: str) -> int:
    """Append the sheet's rows as corrections (all or none); raises CorrectionError naming the line at fault."""
    index = ReviewIndex(root)
    with open(sheet, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CorrectionError(f"{sheet}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, item in enumerate(reader, start=2):
            try:
                rows.append(
                    index.correction(
                        item["target"],
                        item["target_id"],
                        item["field"],
                        item["new_value"],
                        item.get("reviewer") or reviewer,
                        item.get("reason"),
                    )
                )
            except CorrectionError as exc:
                raise CorrectionError(f"{sheet}, line {line}: {exc}") from None
    if rows:
        append_corrections(root, rows)
    return len(rows)

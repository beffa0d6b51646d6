"""`mmskin-build audit`: run the VQA gates over an existing VQA dataset, ours or anyone's.

Inputs: a CSV with `image,question,answer` (optional `caption`, `split`, `modality`, `figure`); LLaVA JSON (a list
of `{image, conversations: [{from, value}]}`); Parquet or JSONL with ShareGPT `conversations` or OpenAI
`messages` and an `images` list (LLaMA-Factory, ms-swift, TRL); or a dataset directory of ours (its `vqa`
table, captions from `pairs`). Each question-answer turn is one row, numbered from 0 in input order.

Every gate the input allows is run: `unsupported` needs a caption. Duplicates are looked for among the rows
of one figure (the `figure` column, or one image when there is none).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from mmskin_build.engines import Engine
from mmskin_build.pipeline import UsageError
from mmskin_build.store.dataset import atomic_write_bytes
from mmskin_build.vqa.gates import CAPTION_GATES, GATES, Flag, duplicate_flags, row_flags

FLAGS_FILE = "flags.csv"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
REQUIRED = ("image", "question", "answer")
CHUNK_ROWS = 10_000
OPTIONAL = ("caption", "split", "modality", "figure")
IMAGE_TAG = re.compile(r"<image>\s*")
_USER_ROLES = {"user", "human"}
_ASSISTANT_ROLES = {"assistant", "gpt"}
CLOSED_START = re.compile(r"^(?:is|are|was|were|does|do|did|can|could|has|have|had|will|would|should)\b", re.IGNORECASE)
# Question types for the summary's mix, first match wins (MM-Skin's categories plus dermatology's own).
QUESTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))  # matched against the lower-cased question
    for name, pattern in (
        ("treatment", r"\b(?:treat\w*|therap\w*|manag\w*|prescri\w*|medication|drug)"),
        ("cause_mechanism", r"\b(?:why|cause\w*|mechanism|pathogenesis|etiolog\w*|aetiolog\w*)"),
        ("symptoms_prognosis", r"\b(?:symptom\w*|pain\w*|itch\w*|prognosis|complication\w*|contagious|outcome)"),
        ("definition", r"\b(?:mean|meaning|defin\w*|refers? to)\b"),
        ("demographics", r"\b(?:age|old|sex|gender|male|female|man|woman|child)\b"),
        ("dermoscopy", r"\b(?:dermoscop\w*|pigment network|globules?|streaks|veil)\b"),
        ("histology", r"\b(?:histolog\w*|stain\w*|cells?|epiderm\w*|derm[ai]s|biopsy|section|infiltrat\w*)\b"),
        ("diagnosis", r"\b(?:diagnos\w*|disease|condition|what is this|what could this be)\b"),
        ("colour", r"\b(?:colou?r\w*|red|brown|white|pigment\w*)\b"),
        ("location", r"\b(?:where|located|location|site|body)\b"),
        (
            "morphology",
            r"\b(?:lesions?|shape|size|border|surface|texture|morpholog\w*|look like|appearance|papule|plaque)\b",
        ),
        ("count", r"\bhow many\b"),
    )
)


class AuditInputError(UsageError):
    """An input `audit` cannot read; the message names the file and the problem."""


@dataclass
class AuditRows:
    """The QA rows of the input, one list per column, in input order."""

    image: list[str] = field(default_factory=list)
    question: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    caption: list[str | None] = field(default_factory=list)
    split: list[str | None] = field(default_factory=list)
    modality: list[str | None] = field(default_factory=list)
    figure: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.question)

    def add(self, image: str, question: str, answer: str, **optional: str | None) -> None:
        self.image.append(image)
        self.question.append(question)
        self.answer.append(answer)
        for name in OPTIONAL:
            getattr(self, name).append(optional.get(name))


def read_rows(path: Path) -> AuditRows:
    """The QA rows of `path`, by its kind (dataset directory, .csv, .json, .jsonl, .parquet)."""
    if not path.exists():
        raise AuditInputError(f"{path}: no such file or directory")
    if path.is_dir():
        return _read_dataset(path)
    readers = {".csv": _read_csv, ".json": _read_llava_json, ".jsonl": _read_jsonl, ".parquet": _read_parquet}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise AuditInputError(f"{path}: not a dataset directory, .csv, .json, .jsonl or .parquet file")
    try:
        rows = reader(path)
    except (OSError, ValueError, pa.ArrowException) as exc:  # JSONDecodeError is a ValueError
        raise AuditInputError(f"{path}: cannot be read ({exc})") from exc
    if not len(rows):
        raise AuditInputError(f"{path}: no question-answer rows found")
    return rows


def _read_csv(path: Path) -> AuditRows:
    options = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in (*REQUIRED, *OPTIONAL)}, strings_can_be_null=True
    )
    table = pa_csv.read_csv(path, parse_options=pa_csv.ParseOptions(newlines_in_values=True), convert_options=options)
    missing = [name for name in REQUIRED if name not in table.column_names]
    if missing:
        raise AuditInputError(f"{path}: CSV needs the columns {', '.join(REQUIRED)}; missing {', '.join(missing)}")
    return _columns_rows(table)


def _text(content: Any) -> str:
    """A turn's text: a string, or the text parts of an OpenAI content list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part.get("text") or "" for part in content if isinstance(part, dict))
    return ""


def _turn_pairs(turns: list[dict]) -> Iterator[tuple[str, str]]:
    """(question, answer) for each user turn followed by an assistant turn, `<image>` tags removed."""
    question = None
    for turn in turns or []:
        role = str(turn.get("role") or turn.get("from") or "").lower()
        text = IMAGE_TAG.sub("", _text(turn.get("content", turn.get("value")))).strip()
        if role in _USER_ROLES:
            question = text
        elif role in _ASSISTANT_ROLES and question is not None:
            yield question, text
            question = None


def _image_name(value: Any, fallback: str) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("path")
    return str(value) if value else fallback


def _add_record(rows: AuditRows, record: dict, position: int, source: Path) -> None:
    turns = record.get("conversations", record.get("messages"))
    if not isinstance(turns, list):
        raise AuditInputError(f"{source}: record {position} has no `conversations` or `messages` list")
    image = _image_name(record.get("image", record.get("images")), f"{record.get('id', position)}")
    for question, answer in _turn_pairs(turns):
        rows.add(
            image,
            question,
            answer,
            caption=record.get("caption"),
            split=record.get("split"),
            modality=record.get("modality"),
        )


def _read_llava_json(path: Path) -> AuditRows:
    records = json.loads(path.read_text())
    if not isinstance(records, list):
        raise AuditInputError(f"{path}: LLaVA JSON must be a list of records")
    rows = AuditRows()
    for position, record in enumerate(records):
        _add_record(rows, record, position, path)
    return rows


def _read_jsonl(path: Path) -> AuditRows:
    rows = AuditRows()
    with path.open() as lines:
        for position, line in enumerate(lines):
            if line.strip():
                _add_record(rows, json.loads(line), position, path)
    return rows


def _read_parquet(path: Path) -> AuditRows:
    schema = pq.read_schema(path)
    if not {"conversations", "messages"} & set(schema.names):
        if set(REQUIRED) <= set(schema.names):
            return _columns_rows(pq.read_table(path, columns=[n for n in (*REQUIRED, *OPTIONAL) if n in schema.names]))
        raise AuditInputError(
            f"{path}: Parquet needs `conversations` or `messages` (or image, question, answer columns)"
        )
    wanted = [
        n
        for n in ("id", "conversations", "messages", "images", "image", "caption", "split", "modality")
        if n in schema.names
    ]
    rows = AuditRows()
    position = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096, columns=wanted):
        for record in batch.to_pylist():
            _add_record(rows, record, position, path)
            position += 1
    return rows


def _columns_rows(table: pa.Table) -> AuditRows:
    rows = AuditRows()
    for name in (*REQUIRED, *OPTIONAL):
        values = table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows
        setattr(rows, name, [v or "" for v in values] if name in REQUIRED else values)
    return rows


def _read_dataset(root: Path) -> AuditRows:
    from mmskin_build.store import Dataset, DatasetError

    try:
        dataset = Dataset.open(root)
        vqa = dataset.read_table("vqa").select(["image_id", "split", "question", "answer"]).to_pylist()
        pairs = {
            p["image_id"]: p
            for p in dataset.read_table("pairs")
            .select(["image_id", "figure_id", "caption", "mentions", "modality"])
            .to_pylist()
        }
    except (DatasetError, KeyError) as exc:
        raise AuditInputError(f"{root}: not a dataset with `vqa` and `pairs` tables ({exc})") from exc
    rows = AuditRows()
    for row in vqa:
        pair = pairs.get(row["image_id"], {})
        caption = "\n".join([pair["caption"], *(pair.get("mentions") or [])]) if pair else None
        rows.add(row["image_id"], row["question"], row["answer"], caption=caption, split=row["split"],
                 modality=pair.get("modality"), figure=pair.get("figure_id"))  # fmt: skip
    return rows


def _chunk_flags(chunk: tuple[int, list[str], list[str], list[str | None]]) -> list[list[Flag]]:
    """The single-row gates over one slice of the rows (an engine task)."""
    _, questions, answers, captions = chunk
    return [row_flags(q, a, c or None) for q, a, c in zip(questions, answers, captions, strict=True)]


def audit_rows(rows: AuditRows, engine: Engine | None = None) -> list[list[Flag]]:
    """Every gate each row fails, in input order; the single-row gates run as `engine` tasks of CHUNK_ROWS rows."""
    engine = engine or Engine()
    chunks = [
        (
            start,
            rows.question[start : start + CHUNK_ROWS],
            rows.answer[start : start + CHUNK_ROWS],
            rows.caption[start : start + CHUNK_ROWS],
        )
        for start in range(0, len(rows), CHUNK_ROWS)
    ]
    by_start = {chunk[0]: result for chunk, result in engine.map_unordered(_chunk_flags, chunks)}
    flags = [row for start in sorted(by_start) for row in by_start[start]]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (figure, image) in enumerate(zip(rows.figure, rows.image, strict=True)):
        groups[figure or image].append(index)
    for indices in groups.values():
        if len(indices) > 1:
            for index, flag in zip(indices, duplicate_flags(rows.question[i] for i in indices), strict=True):
                if flag is not None:
                    flags[index].append(flag)
    return flags


def question_type(question: str) -> str:
    lower = question.lower()
    return next((name for name, pattern in QUESTION_TYPES if pattern.search(lower)), "other")


def summarise(rows: AuditRows, flags: list[list[Flag]], seed: int = 0, sample_size: int = 50) -> dict[str, Any]:
    """summary.json: counts per gate, question mix, closed share and yes/no balance, lengths, templates, splits."""
    has_caption = any(rows.caption)
    gate_counts = Counter(flag.gate for row in flags for flag in row)
    failed = [bool(row) for row in flags]
    closed = [i for i, q in enumerate(rows.question) if CLOSED_START.match(q.strip())]
    yes_no = Counter(first for i in closed if (first := _first_word(rows.answer[i])) in ("yes", "no"))
    lengths = [len(a.split()) for a in rows.answer]
    templates = Counter(re.sub(r"\d+", "#", " ".join(q.lower().split())) for q in rows.question)
    splits_of: dict[str, set[str]] = defaultdict(set)
    for image, split in zip(rows.image, rows.split, strict=True):
        if split:
            splits_of[image].add(split)
    leaking_images = sorted(image for image, splits in splits_of.items() if len(splits) > 1)
    per_split: dict[str, Counter[str]] = defaultdict(Counter)
    for split, row_failed, row_flags_ in zip(rows.split, failed, flags, strict=True):
        per_split[split or "(none)"].update(
            ["rows", *(["failed"] if row_failed else []), *(f.gate for f in row_flags_)]
        )
    picked = sorted(random.Random(seed).sample(range(len(rows)), min(sample_size, len(rows))))
    return {
        "rows": len(rows),
        "failed": sum(failed),
        "passed": len(rows) - sum(failed),
        "gates_run": [g for g in GATES if g not in CAPTION_GATES or has_caption],
        "gates_skipped": {g: "no caption column" for g in GATES if g in CAPTION_GATES and not has_caption},
        "gate_counts": {g: gate_counts[g] for g in GATES},
        "question_types": dict(Counter(question_type(q) for q in rows.question).most_common()),
        "closed_share": round(len(closed) / len(rows), 4),
        "yes_no": {"yes": yes_no["yes"], "no": yes_no["no"]},
        "answer_words": {
            "mean": round(statistics.fmean(lengths), 2),
            "median": statistics.median(lengths),
            "p90": sorted(lengths)[int(0.9 * (len(lengths) - 1))],
        },
        "templates": {
            "distinct_questions": len(templates),
            "top10_share": round(sum(n for _, n in templates.most_common(10)) / len(rows), 4),
            "top10": templates.most_common(10),
        },
        "per_split": {split: dict(counts) for split, counts in sorted(per_split.items())},
        "images_in_two_splits": {"count": len(leaking_images), "images": leaking_images[:100]},
        "review_sample": {"seed": seed, "rows": [_sample_row(rows, flags, i) for i in picked]},
    }


def _first_word(answer: str) -> str:
    match = re.match(r"\W*([a-z]+)", answer.lower())
    return match.group(1) if match else ""


def _sample_row(rows: AuditRows, flags: list[list[Flag]], index: int) -> dict[str, Any]:
    return {
        "row": index,
        "image": rows.image[index],
        "question": rows.question[index],
        "answer": rows.answer[index],
        "reasons": [f.gate for f in flags[index]],
    }


def flags_csv(rows: AuditRows, flags: list[list[Flag]]) -> bytes:
    """flags.csv: row, image, passed, reasons (gates joined by ';'), spans (their matched texts, same order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "image", "passed", "reasons", "spans"])
    for index, (image, row_flags_) in enumerate(zip(rows.image, flags, strict=True)):
        spans = ";".join(f.span.replace(";", ",").replace("\n", " ") for f in row_flags_)
        writer.writerow([index, image, "false" if row_flags_ else "true", ";".join(f.gate for f in row_flags_), spans])
    return buffer.getvalue().encode()


@dataclass(frozen=True)
class AuditResult:
    rows: int
    failed: int
    out: Path


def run_audit(path: Path, out: Path, seed: int = 0, sample_size: int = 50, engine: Engine | None = None) -> AuditResult:
    """Read `path`, run the gates, write flags.csv, summary.json and report.html to `out` (each atomically)."""
    from mmskin_build.vqa.audit_report import render_audit_report

    rows = read_rows(path)
    flags = audit_rows(rows, engine)
    summary = summarise(rows, flags, seed, sample_size)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / FLAGS_FILE, flags_csv(rows, flags))
    atomic_write_bytes(out / SUMMARY_FILE, json.dumps(summary, indent=1, ensure_ascii=False).encode())
    atomic_write_bytes(out / REPORT_FILE, render_audit_report(path, rows, flags, summary).encode())
    return AuditResult(len(rows), summary["failed"], out)

"""Export instruction samples in the formats trainers read.

- `llava`: LLaVA's `train.py` JSON: a list of `{id, image, conversations: [{from, value}]}`, `<image>` in the
  first human turn, images as files under `images/`.
- `sharegpt`: Parquet with `conversations` (`from`/`value`) and an `images` list (LLaMA-Factory's sharegpt form).
- `messages`: Parquet with OpenAI-style `messages` (`role`/`content`) and an `images` list (LLaMA-Factory's
  openai form, ms-swift, and TRL with `image_tags=False`, since TRL places the images itself).

Parquet images are relative file paths or embedded as `datasets.Image` structs (bytes, path), so
`datasets.load_dataset("parquet", ...)` decodes them. The sharegpt and messages exports also write
LLaMA-Factory's `dataset_info.json`. One file per split that has samples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pyarrow as pa

from mmskin_build.store.dataset import atomic_write_bytes, write_parquet
from mmskin_build.training import TrainingInputError
from mmskin_build.training.samples import DEFAULT_MIX, Sample, build_samples

IMAGE_TAG = "<image>"
IMAGES_DIR = "images"
SPLITS = ("train", "val", "test")
_ROLE_TO_SHAREGPT = {"user": "human", "assistant": "gpt"}
_IMAGE_STRUCT = pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())])


class ExportFormat(StrEnum):
    llava = "llava"
    sharegpt = "sharegpt"
    messages = "messages"
    hf = "hf"


@dataclass
class ExportSummary:
    files: list[Path] = field(default_factory=list)
    samples: dict[str, int] = field(default_factory=dict)
    images: int = 0


class _ImageFiles:
    """Writes each image once under OUT/images and hands back its path relative to OUT."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: dict[str, str] = {}

    def path(self, sample: Sample) -> str:
        if sample.image_id not in self.written:
            data, name = sample.encoded_image()
            atomic_write_bytes(self.out / IMAGES_DIR / name, data)
            self.written[sample.image_id] = f"{IMAGES_DIR}/{name}"
        return self.written[sample.image_id]


@dataclass(frozen=True)
class _Turns:
    """How a format spells a conversation turn: its keys, and its names for the roles (None: user/assistant)."""

    keys: tuple[str, str]
    roles: dict[str, str] | None

    def of(self, sample: Sample, image_tag: bool) -> list[dict]:
        role, content = self.keys
        return [
            {role: self.roles[m["role"]] if self.roles else m["role"], content: m["content"]}
            for m in sample.messages(IMAGE_TAG if image_tag else "")
        ]


_SHAREGPT_TURNS = _Turns(("from", "value"), _ROLE_TO_SHAREGPT)


@dataclass(frozen=True)
class _LlavaJson:
    """LLaVA's train.py JSON: image files, and the <image> tag in the first human turn, always."""

    suffix = ".json"
    embeds_images = False
    tags_optional = False

    def write(self, samples: list[Sample], path: Path, images: _ImageFiles | None, image_tag: bool) -> None:
        records = [
            {"id": s.sample_id, "image": images.path(s), "conversations": _SHAREGPT_TURNS.of(s, True)} for s in samples
        ]
        atomic_write_bytes(path, json.dumps(records, ensure_ascii=False, indent=1).encode())

    def dataset_info(self, files: dict[str, str]) -> dict | None:
        return None


@dataclass(frozen=True)
class _ParquetConversations:
    """A Parquet file of conversations and image lists, with LLaMA-Factory's dataset_info.json beside it."""

    column: str
    turns: _Turns
    role_tags: dict[str, str] | None = None  # LLaMA-Factory's names of the keys, when not its sharegpt defaults
    suffix = ".parquet"
    embeds_images = True
    tags_optional = True

    def write(self, samples: list[Sample], path: Path, images: _ImageFiles | None, image_tag: bool) -> None:
        turn = pa.struct([pa.field(key, pa.string()) for key in self.turns.keys])
        if images is not None:
            image_column = pa.array([[images.path(s)] for s in samples], pa.list_(pa.string()))
        else:
            encoded = [s.encoded_image() for s in samples]
            image_column = pa.array([[{"bytes": d, "path": n}] for d, n in encoded], pa.list_(_IMAGE_STRUCT))
        table = pa.table(
            {
                "id": pa.array([s.sample_id for s in samples], pa.string()),
                self.column: pa.array([self.turns.of(s, image_tag) for s in samples], pa.list_(turn)),
                "images": image_column,
                "source": pa.array([s.source for s in samples], pa.string()),
            }
        )
        if images is None:  # `datasets` decodes the embedded images as images; other columns it infers from Arrow
            features = {"images": {"feature": {"_type": "Image"}, "_type": "List"}}
            table = table.replace_schema_metadata(
                {b"huggingface": json.dumps({"info": {"features": features}}).encode()}
            )
        write_parquet(table, path)

    def dataset_info(self, files: dict[str, str]) -> dict | None:
        columns = {"messages": self.column, "images": "images"}
        info = {}
        for split, name in files.items():
            entry = {"file_name": name, "formatting": "sharegpt", "columns": columns}
            if self.role_tags:
                entry["tags"] = self.role_tags
            info[f"mmskin_{split}"] = entry
        return info


# Per-split file formats; `hf` (a folder with a dataset card) is written by export_hf.run_export_hf.
EXPORTERS: dict[ExportFormat, _LlavaJson | _ParquetConversations] = {
    ExportFormat.llava: _LlavaJson(),
    # LLaMA-Factory's sharegpt form.
    ExportFormat.sharegpt: _ParquetConversations("conversations", _SHAREGPT_TURNS),
    # LLaMA-Factory's openai form, ms-swift, and TRL with image_tags=False (TRL places the images itself).
    ExportFormat.messages: _ParquetConversations(
        "messages",
        _Turns(("role", "content"), None),
        {
            "role_tag": "role",
            "content_tag": "content",
            "user_tag": "user",
            "assistant_tag": "assistant",
            "system_tag": "system",
        },
    ),
}


def _exporter(fmt: str, embed_images: bool, image_tags: bool) -> _LlavaJson | _ParquetConversations:
    try:
        exporter = EXPORTERS[ExportFormat(fmt)]
    except ValueError:
        raise TrainingInputError(f"--format {fmt}: choose one of {', '.join(ExportFormat)}") from None
    if embed_images and not exporter.embeds_images:
        embedding = " or ".join(f for f, e in EXPORTERS.items() if e.embeds_images)
        raise TrainingInputError(f"--format {fmt} references image files; embedding needs {embedding}")
    if not image_tags and not exporter.tags_optional:
        raise TrainingInputError(f"--format {fmt} needs the <image> tag in the first human turn")
    return exporter


def samples_by_split(
    dataset: Path, mix: Iterable[str], classification_csv: Path | None, splits: Iterable[str] = SPLITS
) -> dict[str, list[Sample]]:
    """The samples of every split that has some; raises TrainingInputError when none has."""
    by_split: dict[str, list[Sample]] = {}
    for split in splits:
        try:
            by_split[split] = build_samples(dataset, split, mix, classification_csv)
        except TrainingInputError as exc:
            if "has no sample" not in str(exc):
                raise
    if not by_split:
        raise TrainingInputError(f"{dataset}: no split has a sample for --mix {','.join(mix)}")
    return by_split


def run_export(
    dataset: Path,
    fmt: str,
    out: Path,
    mix: Iterable[str] = DEFAULT_MIX,
    classification_csv: Path | None = None,
    embed_images: bool = False,
    image_tags: bool = True,
    splits: Iterable[str] = SPLITS,
) -> ExportSummary:
    """Export every split of `dataset` that has samples to OUT in format `fmt`."""
    if fmt == ExportFormat.hf:  # a Hub folder with a dataset card: its own layout (export_hf imports this module)
        from mmskin_build.training.export_hf import run_export_hf

        return run_export_hf(dataset, out, mix, classification_csv)
    exporter = _exporter(fmt, embed_images, image_tags)
    by_split = samples_by_split(dataset, mix, classification_csv, splits)
    out.mkdir(parents=True, exist_ok=True)
    images = None if embed_images else _ImageFiles(out)
    summary = ExportSummary()
    names: dict[str, str] = {}
    for split, samples in by_split.items():
        path = out / f"{split}{exporter.suffix}"
        exporter.write(samples, path, images, image_tags)
        names[split] = path.name
        summary.files.append(path)
        summary.samples[split] = len(samples)
    info = exporter.dataset_info(names)
    if info is not None:
        path = out / "dataset_info.json"
        atomic_write_bytes(path, json.dumps(info, indent=2).encode())
        summary.files.append(path)
    summary.images = len(images.written) if images else len({s.image_id for v in by_split.values() for s in v})
    return summary

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
from pathlib import Path
from typing import Literal

import pyarrow as pa

from mmskin_build.store.dataset import atomic_write_bytes, write_parquet
from mmskin_build.training import TrainingInputError
from mmskin_build.training.samples import DEFAULT_MIX, Sample, build_samples

Format = Literal["llava", "sharegpt", "messages"]
FORMATS = ("llava", "sharegpt", "messages")
IMAGE_TAG = "<image>"
IMAGES_DIR = "images"
SPLITS = ("train", "val", "test")
_ROLE_TO_SHAREGPT = {"user": "human", "assistant": "gpt"}
_IMAGE_STRUCT = pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())])


@dataclass
class ExportSummary:
    files: list[Path] = field(default_factory=list)
    samples: dict[str, int] = field(default_factory=dict)
    images: int = 0


def _conversation(sample: Sample, fmt: str, image_tag: bool) -> list[dict]:
    messages = sample.messages(IMAGE_TAG if image_tag else "")
    if fmt == "messages":
        return messages
    return [{"from": _ROLE_TO_SHAREGPT[m["role"]], "value": m["content"]} for m in messages]


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


def _parquet_table(samples: list[Sample], fmt: str, images: _ImageFiles | None, image_tag: bool) -> pa.Table:
    key = "messages" if fmt == "messages" else "conversations"
    names = ("role", "content") if fmt == "messages" else ("from", "value")
    turn = pa.struct([pa.field(names[0], pa.string()), pa.field(names[1], pa.string())])
    if images is not None:
        image_column = pa.array([[images.path(s)] for s in samples], pa.list_(pa.string()))
        features = {}
    else:
        encoded = [s.encoded_image() for s in samples]
        image_column = pa.array([[{"bytes": d, "path": n}] for d, n in encoded], pa.list_(_IMAGE_STRUCT))
        features = {"images": {"feature": {"_type": "Image"}, "_type": "List"}}
    table = pa.table(
        {
            "id": pa.array([s.sample_id for s in samples], pa.string()),
            key: pa.array([_conversation(s, fmt, image_tag) for s in samples], pa.list_(turn)),
            "images": image_column,
            "source": pa.array([s.source for s in samples], pa.string()),
        }
    )
    if features:  # `datasets` decodes the embedded images as images; other columns it infers from Arrow
        table = table.replace_schema_metadata({b"huggingface": json.dumps({"info": {"features": features}}).encode()})
    return table


def _llama_factory_info(fmt: str, files: dict[str, str]) -> dict:
    columns = {"messages": "messages" if fmt == "messages" else "conversations", "images": "images"}
    info = {}
    for split, name in files.items():
        entry = {"file_name": name, "formatting": "sharegpt", "columns": columns}
        if fmt == "messages":
            entry["tags"] = {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                             "assistant_tag": "assistant", "system_tag": "system"}
        info[f"mmskin_{split}"] = entry
    return info


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
    if fmt not in FORMATS:
        raise TrainingInputError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    if fmt == "llava" and embed_images:
        raise TrainingInputError("--format llava references image files; embedding needs sharegpt or messages")
    if fmt == "llava" and not image_tags:
        raise TrainingInputError("--format llava needs the <image> tag in the first human turn")
    by_split = samples_by_split(dataset, mix, classification_csv, splits)
    out.mkdir(parents=True, exist_ok=True)
    images = None if embed_images else _ImageFiles(out)
    summary = ExportSummary()
    names: dict[str, str] = {}
    for split, samples in by_split.items():
        if fmt == "llava":
            records = [
                {"id": s.sample_id, "image": images.path(s), "conversations": _conversation(s, fmt, True)}
                for s in samples
            ]
            path = out / f"{split}.json"
            atomic_write_bytes(path, json.dumps(records, ensure_ascii=False, indent=1).encode())
        else:
            path = out / f"{split}.parquet"
            write_parquet(_parquet_table(samples, fmt, images, image_tags), path)
        names[split] = path.name
        summary.files.append(path)
        summary.samples[split] = len(samples)
    if fmt != "llava":
        info = out / "dataset_info.json"
        atomic_write_bytes(info, json.dumps(_llama_factory_info(fmt, names), indent=2).encode())
        summary.files.append(info)
    summary.images = len(images.written) if images else len({s.image_id for v in by_split.values() for s in v})
    return summary

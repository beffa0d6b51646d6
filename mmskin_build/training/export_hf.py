"""`export --format hf`: a folder the Hugging Face Hub and `datasets.load_dataset(DIR)` read as it is.

    DIR/README.md                            dataset card: YAML front matter (configs, features, splits, licence
                                             placeholder) and a provenance body (tool version, books by hash,
                                             counts, curate filters, generate-vqa gate figures, corrections)
    DIR/data/{train,validation,test}-00000-of-00001.parquet

Each row is one sample (one image, one question, one answer, built by `training.samples` like every other
export), with the image embedded as `datasets.Image` and the conversation in OpenAI `messages` form.
The YAML is written by hand (its values are JSON scalars, which YAML reads), so exporting needs no YAML
library.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from mmskin_build import __version__
from mmskin_build.store import Dataset
from mmskin_build.store.dataset import atomic_write_bytes, write_parquet
from mmskin_build.training.export import _IMAGE_STRUCT, ExportSummary, samples_by_split
from mmskin_build.training.samples import DEFAULT_MIX, Sample

HUB_SPLIT = {"train": "train", "val": "validation", "test": "test"}  # the Hub's split names
DATA_DIR = "data"
LICENCE_PLACEHOLDER = "FILL-IN-BEFORE-PUBLISHING"
_TURN = pa.struct([pa.field("role", pa.string()), pa.field("content", pa.string())])
# `datasets` features of the Parquet files, stated once for the files' metadata and the card.
FEATURES = {
    "id": {"dtype": "string", "_type": "Value"},
    "image_id": {"dtype": "string", "_type": "Value"},
    "image": {"_type": "Image"},
    "source": {"dtype": "string", "_type": "Value"},
    "question": {"dtype": "string", "_type": "Value"},
    "answer": {"dtype": "string", "_type": "Value"},
    "messages": {
        "_type": "List",
        "feature": {"role": {"dtype": "string", "_type": "Value"}, "content": {"dtype": "string", "_type": "Value"}},
    },
}


def _table(samples: list[Sample]) -> pa.Table:
    encoded = [s.encoded_image() for s in samples]
    table = pa.table(
        {
            "id": pa.array([s.sample_id for s in samples], pa.string()),
            "image_id": pa.array([s.image_id for s in samples], pa.string()),
            "image": pa.array([{"bytes": data, "path": name} for data, name in encoded], _IMAGE_STRUCT),
            "source": pa.array([s.source for s in samples], pa.string()),
            "question": pa.array([s.question for s in samples], pa.string()),
            "answer": pa.array([s.answer for s in samples], pa.string()),
            "messages": pa.array([s.messages("") for s in samples], pa.list_(_TURN)),
        }
    )
    return table.replace_schema_metadata({b"huggingface": json.dumps({"info": {"features": FEATURES}}).encode()})


def _yaml_features() -> list[str]:
    lines = []
    for name, feature in FEATURES.items():
        lines.append(f"  - name: {name}")
        if feature["_type"] == "Image":
            lines.append("    dtype: image")
        elif feature["_type"] == "Value":
            lines.append(f"    dtype: {feature['dtype']}")
        else:
            lines.append("    list:")
            lines += [f"    - name: {sub}\n      dtype: {spec['dtype']}" for sub, spec in feature["feature"].items()]
    return lines


def _front_matter(files: dict[str, str], sizes: dict[str, tuple[int, int]], title: str) -> str:
    data_files = "\n".join(f"  - split: {split}\n    path: {DATA_DIR}/{name}" for split, name in files.items())
    splits = "\n".join(
        f"  - name: {split}\n    num_bytes: {sizes[split][1]}\n    num_examples: {sizes[split][0]}" for split in files
    )
    return "\n".join(
        [
            "---",
            f"license: other  # {LICENCE_PLACEHOLDER}: the licence your books allow (e.g. cc-by-nc-4.0)",
            f"license_name: {json.dumps(LICENCE_PLACEHOLDER)}",
            f"pretty_name: {json.dumps(title)}",
            "language:\n- en",
            "task_categories:\n- visual-question-answering\n- image-to-text",
            "tags:\n- dermatology\n- medical\n- mmskin-build",
            "configs:\n- config_name: default\n  data_files:\n" + data_files,
            "dataset_info:\n  features:\n" + "\n".join(_yaml_features()),
            "  splits:\n" + splits,
            "---",
        ]
    )


def _provenance(dataset: Dataset, by_split: dict[str, list[Sample]], mix: tuple[str, ...]) -> str:
    books = sorted(
        (i.path, i.sha256) for i in dataset.manifest.inputs.values() if i.stage == "extract" and i.status == "done"
    )
    counts = {split: Counter(s.source for s in samples) for split, samples in by_split.items()}
    lines = [
        (
            f"Built with mmskin-build {__version__} (dataset written by {dataset.manifest.tool_version}); sample mix: "
            f"{', '.join(mix)}."
        ),
        "",
        (
            f"**Licence: not set.** Replace `{LICENCE_PLACEHOLDER}` in the front matter with the licence your sources "
            "allow before you publish; the images come from the books below and stay under their terms."
        ),
        "",
        "## Books (SHA-256)",
        "",
        *(f"- `{sha}` {Path(path).name}" for path, sha in books),
        "",
        "## Samples per split",
        "",
        "| split | " + " | ".join(sorted({k for c in counts.values() for k in c})) + " | images |",
        "|---|" + "---|" * (len({k for c in counts.values() for k in c}) + 1),
    ]
    sources = sorted({k for c in counts.values() for k in c})
    for split, samples in by_split.items():
        images = len({s.image_id for s in samples})
        lines.append(f"| {HUB_SPLIT[split]} | " + " | ".join(str(counts[split][k]) for k in sources) + f" | {images} |")
    for stage, what in (("curate", "Curate options (filters, duplicates, splits)"), ("generate-vqa", "generate-vqa")):
        run = dataset.manifest.last_done(stage)
        if run is not None:
            lines += [
                "",
                f"## {what}",
                "",
                f"Run {run.started_at}, tool {run.tool_version}.",
                "",
                "```json",
                json.dumps({"config": run.config, "counts": run.counts}, indent=1, sort_keys=True),
                "```",
            ]
    corrections = dataset.rows("corrections")
    lines += [
        "",
        "## Review",
        "",
        (
            f"{corrections} reviewer corrections recorded (`corrections` table); rejected "
            "images and QA items are left out and edits applied."
        ),
    ]
    return "\n".join(lines)


def run_export_hf(
    dataset_dir: Path, out: Path, mix: Iterable[str] = DEFAULT_MIX, classification_csv: Path | None = None
) -> ExportSummary:
    """Write the Hub folder for every split that has samples; returns what was written."""
    mix = tuple(mix)
    dataset = Dataset.open(dataset_dir)
    by_split = samples_by_split(dataset_dir, mix, classification_csv)
    summary = ExportSummary()
    files, sizes = {}, {}
    for split, samples in by_split.items():
        name = f"{HUB_SPLIT[split]}-00000-of-00001.parquet"
        table = _table(samples)
        path = Path(out) / DATA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(table, path)
        files[HUB_SPLIT[split]] = name
        sizes[HUB_SPLIT[split]] = (table.num_rows, table.nbytes)
        summary.files.append(path)
        summary.samples[split] = len(samples)
    title = f"{Path(dataset_dir).resolve().name} (mmskin-build)"
    card = Path(out) / "README.md"
    body = f"\n\n# {title}\n\n" + _provenance(dataset, by_split, mix) + "\n"
    atomic_write_bytes(card, (_front_matter(files, sizes, title) + body).encode())
    summary.files.append(card)
    summary.images = len({s.image_id for samples in by_split.values() for s in samples})
    return summary

"""The one place that turns dataset rows into instruction samples (used by export, train and evaluate).

Sources, as in MM-Skin / SkinVL: `captions` (each pair's caption, asked for with one of a few caption prompts,
as LLaVA-Med does), `vqa` (the vqa table), `demographics` (the templated demographics QA) and
`classification` (public classification datasets, given as a CSV of image path and label, asked as templated
closed-set QA). One sample is one image with one question and one answer.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from mmskin_build.imaging import ImageDecodeError, decoding, open_image
from mmskin_build.review.corrections import Corrections
from mmskin_build.store import Dataset, DatasetError
from mmskin_build.training import TrainingInputError

SOURCES = ("captions", "vqa", "demographics", "classification")
DEFAULT_MIX = ("captions", "vqa", "demographics")

# LLaVA-Med's brief-description prompts, reworded for skin images; one is chosen per image by a stable hash.
CAPTION_PROMPTS = (
    "Describe this image.",
    "Describe the image concisely.",
    "What does this image show?",
    "Provide a brief description of the given image.",
    "Summarize the visual content of the image.",
    "Write a short caption for this dermatology image.",
)

CLASSIFICATION_PROMPT = "What is the diagnosis shown in this image? Answer with one of: {labels}."


@dataclass(frozen=True)
class Sample:
    """One image, one question, one answer. `choices` is the closed label set of classification samples."""

    sample_id: str
    image_id: str
    split: str
    source: str
    question: str
    answer: str
    image_bytes: bytes | None = field(default=None, repr=False)
    image_path: Path | None = None
    choices: tuple[str, ...] = ()

    def image(self) -> Image.Image:
        """The decoded RGB image; raises TrainingInputError naming the image when it cannot be read."""
        where = str(self.image_path) if self.image_path else f"image {self.image_id}"
        try:
            with decoding(), open_image(self.image_bytes if self.image_bytes is not None else self.image_path) as img:
                return img.convert("RGB")
        except ImageDecodeError as exc:
            raise TrainingInputError(f"{where}: cannot read image ({exc.reason}: {exc})") from exc

    def encoded_image(self) -> tuple[bytes, str]:
        """The image file bytes and a file name for them (the original encoding is kept)."""
        if self.image_path is not None:
            return self.image_path.read_bytes(), f"{self.image_id}{self.image_path.suffix.lower()}"
        # Dataset images are PNG or JPEG (the `images` table's image_format).
        suffix = "png" if self.image_bytes[:8] == b"\x89PNG\r\n\x1a\n" else "jpg"
        return self.image_bytes, f"{self.image_id}.{suffix}"

    def messages(self, image_tag: str | None = None) -> list[dict]:
        """The conversation in chat-template form: an image item then the question, then the answer.

        With `image_tag`, contents are plain strings and the image is that tag before the question
        (LLaVA / ShareGPT / LLaMA-Factory form; "" for none, as TRL wants); without, contents are lists of
        typed items (processor form).
        """
        if image_tag is not None:
            return [
                {"role": "user", "content": f"{image_tag}\n{self.question}" if image_tag else self.question},
                {"role": "assistant", "content": self.answer},
            ]
        return [
            {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": self.question}]},
            {"role": "assistant", "content": [{"type": "text", "text": self.answer}]},
        ]

    def prompt_messages(self) -> list[dict]:
        """The user turn only, for generation."""
        return self.messages()[:1]


def _stable_index(key: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % n


def parse_mix(text: str | Sequence[str]) -> tuple[str, ...]:
    items = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s.strip()]
    unknown = [s for s in items if s not in SOURCES]
    if unknown or not items:
        raise TrainingInputError(f"--mix: unknown source(s) {unknown or items}; choose from {', '.join(SOURCES)}")
    return tuple(dict.fromkeys(items))


def _rows(dataset: Dataset, table: str, split: str, columns: list[str]) -> list[dict]:
    rows = dataset.read_table(table, columns=columns + ["split"]).to_pylist()
    return [r for r in rows if r["split"] == split]


IMAGE_COLUMNS = ("image", "file", "path")


def read_classification_csv(path: Path, split: str) -> list[Sample]:
    """Samples from a CSV with an image column (`image`, `file` or `path`: relative to the CSV, or absolute),
    a `label` column and an optional `split` column (rows without one are training rows).

    Raises TrainingInputError naming the file for a bad header or a missing image file.
    """
    path = Path(path)
    try:
        with open(path, newline="") as fh:
            reader = csv.DictReader(fh)
            header = list(reader.fieldnames or [])
            column = next((c for c in IMAGE_COLUMNS if c in header), None)
            if column is None or "label" not in header:
                raise TrainingInputError(
                    f"{path}: needs an image column ({', '.join(IMAGE_COLUMNS)}) and 'label', has {header}"
                )
            rows = list(reader)
    except OSError as exc:
        raise TrainingInputError(f"{path}: cannot read classification CSV ({exc})") from exc
    labels = tuple(sorted({r["label"].strip() for r in rows if r["label"].strip()}))
    question = CLASSIFICATION_PROMPT.format(labels=", ".join(labels))
    samples = []
    for number, row in enumerate(rows, start=2):
        if (row.get("split") or "train").strip() != split:
            continue
        image_path = (path.parent / row[column]).resolve()
        if not image_path.is_file():
            raise TrainingInputError(f"{path}, line {number}: image file {image_path} does not exist")
        image_id = "cls-" + hashlib.sha256(str(image_path).encode()).hexdigest()[:16]
        samples.append(
            Sample(
                f"{image_id}-classification",
                image_id,
                split,
                "classification",
                question,
                row["label"].strip(),
                image_path=image_path,
                choices=labels,
            )
        )
    return samples


def build_samples(
    dataset_dir: Path,
    split: str,
    mix: Iterable[str] = DEFAULT_MIX,
    classification_csv: Path | None = None,
) -> list[Sample]:
    """All samples of `split` from the sources in `mix`, in a stable order.

    Raises TrainingInputError before any work starts when the dataset lacks a table the mix needs, an image
    of a QA row is missing from `pairs`, or the split has no sample.
    """
    mix = parse_mix(list(mix))
    samples: list[Sample] = []
    dataset_sources = [s for s in mix if s != "classification"]
    if dataset_sources:
        try:
            dataset = Dataset.open(dataset_dir)
        except DatasetError as exc:
            raise TrainingInputError(str(exc)) from exc
        needed = {"captions": "pairs", "vqa": "vqa", "demographics": "demographics"}
        for source in dataset_sources:
            table = needed[source]
            if table not in dataset.manifest.tables:
                hint = " (run `mmskin-build generate-vqa` first)" if table == "vqa" else ""
                raise TrainingInputError(f"{dataset_dir}: has no '{table}' table, needed by --mix {source}{hint}")
        has_pairs = "pairs" in dataset.manifest.tables
        # Reviewer decisions made since the last curate / generate-vqa run apply here too.
        corrections = Corrections.load(dataset)
        listed = _rows(dataset, "pairs", split, ["image_id", "figure_id", "image", "caption"]) if has_pairs else []
        pairs = [p for p in listed if corrections.keeps(p["figure_id"], p["image_id"])]
        rejected = {p["image_id"] for p in listed} - {p["image_id"] for p in pairs}
        images = {p["image_id"]: p["image"]["bytes"] for p in pairs}
        if "captions" in mix:
            for p in pairs:
                prompt = CAPTION_PROMPTS[_stable_index(p["image_id"], len(CAPTION_PROMPTS))]
                samples.append(
                    Sample(
                        f"{p['image_id']}-caption",
                        p["image_id"],
                        split,
                        "captions",
                        prompt,
                        p["caption"],
                        image_bytes=images[p["image_id"]],
                    )
                )
        for source, table in (("vqa", "vqa"), ("demographics", "demographics")):
            if source not in mix:
                continue
            for qa in _rows(dataset, table, split, ["qa_id", "image_id", "question", "answer"]):
                row = corrections.qa_row(qa)
                if row is None or row["image_id"] in rejected:
                    continue
                if row["image_id"] not in images:
                    raise TrainingInputError(
                        f"{dataset_dir}/{table}: row {row['qa_id']} refers to image {row['image_id']}, "
                        f"which is not in the '{split}' split of 'pairs'"
                    )
                samples.append(
                    Sample(
                        row["qa_id"],
                        row["image_id"],
                        split,
                        source,
                        row["question"],
                        row["answer"],
                        image_bytes=images[row["image_id"]],
                    )
                )
    if "classification" in mix:
        if classification_csv is None:
            raise TrainingInputError("--mix classification needs --classification CSV (columns image,label[,split])")
        samples.extend(read_classification_csv(classification_csv, split))
    if not samples:
        raise TrainingInputError(f"{dataset_dir}: the '{split}' split has no sample for --mix {','.join(mix)}")
    return samples


def image_sizes(samples: Iterable[Sample]) -> dict[str, tuple[int, int]]:
    """(height, width) of every distinct image, read from its header; raises TrainingInputError listing the
    images that are missing or unreadable."""
    sizes: dict[str, tuple[int, int]] = {}
    bad: dict[str, str] = {}
    for sample in samples:
        if sample.image_id in sizes or sample.image_id in bad:
            continue
        if not sample.image_bytes and sample.image_path is None:
            bad[sample.image_id] = "no image bytes"
            continue
        try:
            with decoding(), open_image(sample.image_bytes or sample.image_path) as img:
                sizes[sample.image_id] = (img.height, img.width)
        except ImageDecodeError as exc:
            bad[sample.image_id] = f"{sample.image_path or 'stored bytes'}: {exc.reason}: {exc}"
    if bad:
        listed = "; ".join(f"{k}: {v}" for k, v in list(bad.items())[:5])
        raise TrainingInputError(f"{len(bad)} image(s) missing or unreadable: {listed}")
    return sizes

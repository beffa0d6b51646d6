"""Training the modality network from a folder of labelled images, with honest k-fold cross-validation.

Few labelled images, so: low capacity, strong label-preserving augmentation (crops, flips, right-angle and
small rotations, stain / white-balance, brightness, contrast, saturation and gamma jitter, watermark-like
marks), drawn charts as extra `other` examples, a fixed seed for everything, and every fold's model trained
from scratch on the other folds only.
"""

from __future__ import annotations

import csv
import math
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from mmskin_build.imaging import ImageDecodeError
from mmskin_build.modality.decode import decode_all
from mmskin_build.modality.metrics import Scores, SourceScore, per_source_scores, score
from mmskin_build.modality.model import (
    CLASSES,
    ModalityNet,
    ModelConfig,
    cnn_input,
    image_statistics,
    infer,
    sample_inputs,
    save_model,
)
from mmskin_build.modality.synthetic import drawn_charts
from mmskin_build.modality.teacher import TeacherTargets, load_teacher, standardised, teacher_features


class LabelsError(Exception):
    """A labels file that cannot be used."""


@dataclass
class TrainConfig:
    epochs: int = 150  # the earlier 96 px network's 5-fold CV: 0.935 after 50 epochs, 0.942 after 150
    batch_size: int = 32
    lr: float = 6e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    folds: int = 5
    source_folds: int = 5  # group k-fold by source: scores on the look of sources no fold model saw
    seed: int = 0
    crop_min: float = 0.8  # smallest crop side, as a fraction of the image side
    threads: int = 1  # torch CPU threads: this net is too small to gain from more, and loses badly on a busy CPU
    # Chance that an image gets a watermark-like mark (a disc and text bars) in a corner: the shared clinical
    # photos all carry DermNet's logo, textbook photos do not, so no mark may tell the class.
    overlay_aug: float = 0.5
    drawn_charts: int = 48  # drawn charts and diagrams added to every training set as `other` (see synthetic.py)
    # Training-only teacher (teacher.py): fixed augmented views per image whose pretrained-network features the
    # CNN learns to predict; 0 trains on fresh augmentations with the labels alone.
    teacher_views: int = 0
    teacher_weight: float = 1.0  # of the feature loss beside the label loss


@dataclass(frozen=True)
class LabelledFolder:
    """A folder of images and the CSV that labels them (`file` paths in it are relative to the folder)."""

    images: Path
    labels: Path


@dataclass
class LabelledImages:
    files: list[str]  # relative to their folder
    folders: list[str]  # the folder of each image, as given
    sources: list[str]  # where each image came from: its label row's `source_repo`, else its folder
    images: np.ndarray  # (N, decode_size, decode_size, 3) uint8
    labels: np.ndarray  # (N,) class indices
    skipped: list[tuple[str, str]]  # (path, why) for labelled files that could not be used


@dataclass(frozen=True)
class LabelRow:
    file: str
    label: int  # class index
    source: str | None  # the `source_repo` column, where the CSV has one


def read_labels(labels_csv: Path, classes: tuple[str, ...] | list[str] = CLASSES) -> list[LabelRow]:
    """The rows of a CSV with columns `file` and `label`, and optionally `source_repo` (others are ignored)."""
    with open(labels_csv, newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"file", "label"} <= set(reader.fieldnames):
            raise LabelsError(f"{labels_csv}: needs the columns 'file' and 'label', has {reader.fieldnames}")
        rows = []
        for line, row in enumerate(reader, start=2):
            label = (row["label"] or "").strip()
            if label not in classes:
                raise LabelsError(f"{labels_csv}:{line}: label {label!r} is not one of {', '.join(classes)}")
            source = (row.get("source_repo") or "").strip() or None
            rows.append(LabelRow(row["file"].strip(), classes.index(label), source))
    if not rows:
        raise LabelsError(f"{labels_csv}: no labelled files")
    return rows


def load_labelled(folders: list[LabelledFolder], decode_size: int, classes=CLASSES) -> LabelledImages:
    """Every labelled image of every folder, decoded; files that cannot be decoded are skipped with a reason."""
    entries = [(folder, row) for folder in folders for row in read_labels(folder.labels, classes)]
    decoded = decode_all([folder.images / row.file for folder, row in entries], decode_size)
    kept = [(f, r, d) for (f, r), d in zip(entries, decoded, strict=True) if isinstance(d, np.ndarray)]
    skipped = [
        (str(f.images / r.file), f"{d.reason}: {d.detail}")
        for (f, r), d in zip(entries, decoded, strict=True)
        if isinstance(d, ImageDecodeError)
    ]
    if not kept:
        raise LabelsError(f"{', '.join(str(f.labels) for f in folders)}: none of the labelled files could be read")
    return LabelledImages(
        files=[r.file for _, r, _ in kept],
        folders=[str(f.images) for f, _, _ in kept],
        sources=[r.source or str(f.images) for f, r, _ in kept],
        images=np.stack([d for _, _, d in kept]),
        labels=np.array([r.label for _, r, _ in kept], dtype=np.int64),
        skipped=skipped,
    )


# -- augmentation --------------------------------------------------------------------------------------


def random_affine(batch: int, generator: torch.Generator, crop_min: float) -> torch.Tensor:
    """(batch, 2, 3) maps for `sample_inputs`: crops of `crop_min`-100 % of each side, flips, right-angle turns,
    +-15 degree tilts. Crops stay inside the image so no artificial dark border can mimic a dermatoscope."""

    def uniform(low: float, high: float) -> torch.Tensor:
        return low + (high - low) * torch.rand(batch, generator=generator)

    side = uniform(crop_min, 1.0)
    stretch = torch.exp(uniform(-0.2, 0.2))
    sx = (side * stretch.sqrt()).clamp(max=1.0)
    sy = (side / stretch.sqrt()).clamp(max=1.0)
    angle = torch.randint(0, 4, (batch,), generator=generator) * (math.pi / 2) + uniform(-0.26, 0.26)
    flip = torch.where(torch.rand(batch, generator=generator) < 0.5, -1.0, 1.0)
    tx = uniform(-1, 1) * (1 - sx)
    ty = uniform(-1, 1) * (1 - sy)
    cos, sin = torch.cos(angle), torch.sin(angle)
    return torch.stack(
        [torch.stack([sx * cos * flip, -sy * sin, tx], dim=1), torch.stack([sx * sin * flip, sy * cos, ty], dim=1)],
        dim=1,
    )


def jitter_colour(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Photometric jitter of RGB in [0, 1] (B, 3, H, W) that keeps the modality recognisable."""
    batch = x.shape[0]

    def uniform(low: float, high: float, *shape: int) -> torch.Tensor:
        return (low + (high - low) * torch.rand(batch, *shape, generator=generator)).to(x.device)

    x = x * uniform(0.92, 1.08, 3, 1, 1)  # white balance / stain strength
    x = x * uniform(0.8, 1.2, 1, 1, 1)  # exposure
    grey = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    x = grey + (x - grey) * uniform(0.7, 1.3, 1, 1, 1)  # saturation
    mean = grey.mean(dim=(2, 3), keepdim=True)
    x = mean + (x - mean) * uniform(0.75, 1.25, 1, 1, 1)  # contrast
    x = x.clamp(0.0, 1.0) ** torch.exp(uniform(-0.25, 0.25, 1, 1, 1))  # gamma
    return x.clamp(0.0, 1.0)


def watermark_overlay(x: torch.Tensor, apply: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Stamp a watermark-like mark (a disc and one or two bars of 'text') in a random corner of the images
    where `apply` is true: photo collections stamp their logo on every picture, textbooks letter their panels,
    so such marks must not tell the class."""
    batch, _, height, width = x.shape
    if not bool(apply.any()):
        return x
    ys = torch.arange(height, device=x.device).view(1, -1, 1).float() / height
    xs = torch.arange(width, device=x.device).view(1, 1, -1).float() / width

    def uniform(low: float, high: float) -> torch.Tensor:
        return (low + (high - low) * torch.rand(batch, generator=generator)).to(x.device).view(-1, 1, 1)

    size = uniform(0.04, 0.09)
    right = torch.rand(batch, generator=generator).to(x.device).view(-1, 1, 1) < 0.5
    bottom = torch.rand(batch, generator=generator).to(x.device).view(-1, 1, 1) < 0.7
    x0 = torch.where(right, 1 - uniform(0.3, 0.45), uniform(0.03, 0.1))
    y0 = torch.where(bottom, 1 - uniform(0.1, 0.2), uniform(0.03, 0.1))
    disc = ((xs - x0 - size) ** 2 + (ys - y0 - size) ** 2).sqrt() < size
    bar = (xs > x0 + 2.3 * size) & (xs < x0 + 2.3 * size + uniform(0.1, 0.25)) & ((ys - y0 - size).abs() < size * 0.3)
    bar2 = (xs > x0) & (xs < x0 + uniform(0.1, 0.3)) & ((ys - y0 - 2.6 * size).abs() < size * 0.22)
    two = torch.rand(batch, generator=generator).to(x.device).view(-1, 1, 1) < 0.5
    mark = (disc | bar | (bar2 & two)).unsqueeze(1).float()
    white = torch.rand(batch, generator=generator).to(x.device).view(-1, 1, 1, 1) < 0.8
    ink = torch.where(white, 1.0, 0.0).expand(-1, 3, 1, 1)
    alpha = uniform(0.5, 0.95).unsqueeze(1) * mark * apply.view(-1, 1, 1, 1).to(x.device).float()
    return x * (1 - alpha) + ink * alpha


def augment(pixels: torch.Tensor, size: int, config: TrainConfig, generator: torch.Generator) -> torch.Tensor:
    """A random label-preserving view of each decoded uint8 image (B, H, W, 3): RGB in [0, 1], (B, 3, size, size)."""
    theta = random_affine(len(pixels), generator, config.crop_min).to(pixels.device)
    x = sample_inputs(pixels, size, theta)
    if config.overlay_aug > 0:
        x = watermark_overlay(x, torch.rand(len(pixels), generator=generator) < config.overlay_aug, generator)
    return jitter_colour(x, generator)


# -- training ------------------------------------------------------------------------------------------


def with_drawn_charts(
    images: np.ndarray, labels: np.ndarray, config: TrainConfig, classes
) -> tuple[np.ndarray, np.ndarray]:
    """The training images and labels with the drawn charts appended as `other` (when asked for)."""
    if not config.drawn_charts or "other" not in classes:
        return images, labels
    charts = drawn_charts(config.drawn_charts, images.shape[1], config.seed)
    other = np.full(len(charts), list(classes).index("other"), dtype=labels.dtype)
    return np.concatenate([images, charts]), np.concatenate([labels, other])


def teacher_targets(images: np.ndarray, config: TrainConfig, model_config: ModelConfig) -> TeacherTargets:
    """`config.teacher_views` augmented views of each image (rows in the order given) and the teacher's features."""
    generator = torch.Generator().manual_seed(config.seed + 1)
    pixels = torch.from_numpy(images)
    views = torch.stack(
        [augment(pixels, model_config.statistics_size, config, generator) for _ in range(config.teacher_views)], dim=1
    )
    views = views.mul_(255).round_().to(torch.uint8).permute(0, 1, 3, 4, 2).contiguous().numpy()
    flat = views.reshape(-1, *views.shape[2:])
    features = teacher_features(load_teacher(), flat)
    return TeacherTargets(views, features.reshape(len(images), config.teacher_views, -1))


def fit(
    images: np.ndarray,
    labels: np.ndarray,
    config: TrainConfig,
    model_config: ModelConfig,
    device: torch.device,
    progress: Callable[[int], None] | None = None,
    teacher: TeacherTargets | None = None,
) -> ModalityNet:
    """A model trained from scratch on `images` (N, H, W, 3 uint8) with class indices `labels`; with `teacher`
    (for these images and then the drawn charts), on its views, also predicting its features."""
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    images, labels = with_drawn_charts(images, labels, config, model_config.classes)
    model = ModalityNet(model_config).to(device)
    pixels = torch.from_numpy(images)
    targets = torch.from_numpy(labels)
    steps_per_epoch = math.ceil(len(labels) / config.batch_size)
    parameters = list(model.parameters())
    if teacher is not None:
        views = torch.from_numpy(teacher.views)
        described = standardised(torch.from_numpy(teacher.features).flatten(0, 1)).view(*teacher.features.shape)
        # Thrown away after training: it only makes the CNN's pooled features carry the teacher's.
        projection = torch.nn.Linear(2 * model_config.widths[-1], described.shape[-1]).to(device)
        parameters += list(projection.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=config.lr, weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=config.lr, total_steps=config.epochs * steps_per_epoch, pct_start=0.15
    )
    model.train()
    for _epoch in range(config.epochs):
        order = torch.randperm(len(labels), generator=generator)
        for start in range(0, len(order), config.batch_size):
            index = order[start : start + config.batch_size]
            if len(index) < 2:  # BatchNorm needs two samples
                continue
            if teacher is None:
                x = augment(pixels[index].to(device), model_config.statistics_size, config, generator)
                loss = F.cross_entropy(model(x), targets[index].to(device), label_smoothing=config.label_smoothing)
            else:
                pick = torch.randint(0, views.shape[1], (len(index),), generator=generator)
                x = views[index, pick].to(device).permute(0, 3, 1, 2).float().div_(255.0)
                mirror = (torch.rand(len(index), generator=generator) < 0.5).to(device)
                x = torch.where(mirror.view(-1, 1, 1, 1), x.flip(3), x)  # pooled features hardly change under a mirror
                pooled, statistics = model.embed(cnn_input(x, model_config), image_statistics(x))
                logits = model.head(torch.cat([pooled, statistics], dim=1))
                loss = F.cross_entropy(logits, targets[index].to(device), label_smoothing=config.label_smoothing)
                loss = loss + config.teacher_weight * F.mse_loss(projection(pooled), described[index, pick].to(device))
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            schedule.step()
        if progress:
            progress(1)
    return model.eval()


def stratified_folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold number of each sample: every class spread evenly over the k folds, in a seeded random order."""
    rng = np.random.default_rng(seed)
    folds = np.empty(len(labels), dtype=np.int64)
    offset = 0
    for cls in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == cls))
        folds[members] = (np.arange(len(members)) + offset) % k
        offset += len(members)  # the next class starts where this one stopped, keeping folds even
    return folds


def source_folds(sources: list[str], labels: np.ndarray, k: int) -> np.ndarray:
    """Fold number of each sample with every source wholly in one fold (stratified group k-fold), so a fold's
    model never saw the look of the sources it is scored on. The largest sources go first, each into the fold
    holding the fewest images of its classes (then the fewest images): balancing sizes alone once put four of
    the six pathology sources into one fold, leaving its model 14 pathology images to learn from."""
    names, inverse = np.unique(np.asarray(sources), return_inverse=True)
    counts = np.zeros((len(names), int(labels.max()) + 1), dtype=np.int64)
    np.add.at(counts, (inverse, labels), 1)
    filled = np.zeros((min(k, len(names)), counts.shape[1]), dtype=np.int64)
    fold_of_source = np.empty(len(names), dtype=np.int64)
    for source in sorted(range(len(names)), key=lambda i: (-counts[i].sum(), names[i])):
        fold_of_source[source] = min(range(len(filled)), key=lambda f: (filled[f] @ counts[source], filled[f].sum(), f))
        filled[fold_of_source[source]] += counts[source]
    return fold_of_source[inverse]


@dataclass
class TrainReport:
    cv: Scores | None
    source_cv: Scores | None  # group k-fold by source; None when not asked for or all images share one source
    per_source: list[SourceScore]  # the source-grouped CV per source
    out_of_fold: list[dict]  # per image: file, folder, source, label, predicted, confidence (and from the source CV)
    weights: Path
    weights_sha256: str
    seconds: float  # wall time of the whole run: loading, the cross-validation models and the final one
    final_model_seconds: float  # training the shipped model alone
    skipped: list[tuple[str, str]]


def _train_and_predict(
    images: np.ndarray,
    labels: np.ndarray,
    held_out: np.ndarray | None,
    config: TrainConfig,
    model_config: ModelConfig,
    device: str,
    teacher: TeacherTargets | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict | None, np.ndarray | None, float]:
    """One model of a run: (its weights if nothing is held out, else None; probabilities of `held_out`; seconds)."""
    torch.set_num_threads(config.threads)
    started = time.perf_counter()
    model = fit(images, labels, config, model_config, torch.device(device), progress, teacher)
    seconds = time.perf_counter() - started
    if held_out is None:
        return {k: v.cpu() for k, v in model.state_dict().items()}, None, seconds
    return None, infer(model, held_out, device), seconds


def train_classifier(
    folders: list[LabelledFolder],
    out_dir: Path,
    config: TrainConfig,
    model_config: ModelConfig | None = None,
    device: torch.device | None = None,
    progress_factory=None,
    workers: int = 1,
) -> TrainReport:
    """Cross-validate, stratified by class and grouped by source (either skipped when its fold count is < 2),
    then train on every image of every folder and save the model in `out_dir`.

    The fold models and the final one are independent, so `workers` processes train them side by side, each
    exactly as it would train alone. `progress_factory(total_epochs)` may return a callable advanced by epochs.
    """
    started = time.perf_counter()
    model_config = model_config or ModelConfig()
    device = device or torch.device("cuda" if torch.cuda.is_available() else "cpu")
    data = load_labelled(folders, model_config.decode_size, model_config.classes)
    splits = {}
    if config.folds >= 2:
        splits["stratified"] = stratified_folds(data.labels, config.folds, config.seed)
    if config.source_folds >= 2 and len(set(data.sources)) >= 2:
        splits["source"] = source_folds(data.sources, data.labels, config.source_folds)
    teacher = None
    if config.teacher_views:
        teacher = teacher_targets(
            with_drawn_charts(data.images, data.labels, config, model_config.classes)[0], config, model_config
        )
    charts = np.arange(len(data.labels), len(teacher.views)) if teacher else None

    def job(train: np.ndarray, held_out: np.ndarray | None) -> tuple:
        taught = teacher.subset(np.concatenate([np.flatnonzero(train), charts])) if teacher else None
        return data.images[train], data.labels[train], None if held_out is None else data.images[held_out], taught

    # The final model first: with fewer workers than models it is the one that is never left waiting.
    jobs = [job(np.ones(len(data.labels), dtype=bool), None)]
    for folds in splits.values():
        jobs += [job(folds != f, folds == f) for f in np.unique(folds)]
    progress = progress_factory(config.epochs * len(jobs)) if progress_factory else None
    if workers <= 1:
        results = [
            _train_and_predict(images, labels, held_out, config, model_config, str(device), taught, progress)
            for images, labels, held_out, taught in jobs
        ]
    else:
        context = multiprocessing.get_context("spawn")  # torch's threads do not survive a fork
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            futures = [
                pool.submit(_train_and_predict, images, labels, held_out, config, model_config, str(device), taught)
                for images, labels, held_out, taught in jobs
            ]
            for future in as_completed(futures):
                future.result()
                if progress:
                    progress(config.epochs)
            results = [future.result() for future in futures]
    state, _, final_seconds = results[0]
    held_out = iter(probs for _, probs, _ in results[1:])
    probs = {}
    for name, folds in splits.items():
        probs[name] = np.zeros((len(data.labels), len(model_config.classes)))
        for fold in np.unique(folds):
            probs[name][folds == fold] = next(held_out)
    classes = model_config.classes
    cv = score(data.labels, probs["stratified"].argmax(axis=1), classes) if "stratified" in probs else None
    source_cv, per_source = None, []
    if "source" in probs:
        source_predicted = probs["source"].argmax(axis=1)
        source_cv = score(data.labels, source_predicted, classes)
        per_source = per_source_scores(data.sources, data.labels, source_predicted, classes)
    model = ModalityNet(model_config)
    model.load_state_dict(state)
    seconds = time.perf_counter() - started
    weights = out_dir / "modality_cnn.safetensors"
    metadata = {
        "training": {
            **asdict(config),
            "images": len(data.labels),
            "per_class": {c: int((data.labels == i).sum()) for i, c in enumerate(classes)},
            "folders": [str(f.images) for f in folders],
            "labels_files": [str(f.labels) for f in folders],
            "sources": len(set(data.sources)),
            "seconds": round(seconds, 1),
            "final_model_seconds": round(final_seconds, 1),
            "workers": workers,
            "device": str(device),
            "torch": torch.__version__,
        },
        "cross_validation": cv.model_dump() if cv else None,
        "source_cross_validation": (
            {**source_cv.model_dump(), "per_source": [s.model_dump() for s in per_source]} if source_cv else None
        ),
    }
    sha = save_model(model, weights, metadata)
    rows = _out_of_fold_rows(data, probs, classes)
    return TrainReport(cv, source_cv, per_source, rows, weights, sha, seconds, final_seconds, data.skipped)


def _out_of_fold_rows(data: LabelledImages, probs: dict[str, np.ndarray], classes: list[str]) -> list[dict]:
    """Per image, the held-out prediction of each cross-validation: `predicted`/`confidence` from the stratified
    one, `source_predicted`/`source_confidence` from the source-grouped one."""
    rows = [
        {"file": file, "folder": folder, "source": source, "label": classes[label]}
        for file, folder, source, label in zip(data.files, data.folders, data.sources, data.labels, strict=True)
    ]
    for name, prefix in (("stratified", ""), ("source", "source_")):
        if name in probs:
            for row, p in zip(rows, probs[name], strict=True):
                row[f"{prefix}predicted"] = classes[int(p.argmax())]
                row[f"{prefix}confidence"] = round(float(p.max()), 4)
    return rows

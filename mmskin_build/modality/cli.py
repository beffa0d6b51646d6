"""`mmskin-build classify` and `mmskin-build train-classifier`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from mmskin_build.console import err, out
from mmskin_build.engines import ENGINE_OPTION, RAY_ADDRESS_OPTION, EngineKind, engine_from_options
from mmskin_build.modality import DECODE_THREADS, Device


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.command("train-classifier")(train_classifier)


def classify(
    target: Path = typer.Argument(..., help="A dataset directory (has manifest.json), or a folder of image files."),
    out_csv: Path | None = typer.Option(None, "-o", "--out", help="Folder mode: the predictions CSV to write."),
    weights: Path | None = typer.Option(
        None, "--weights", help="Model (.safetensors or its folder); default: shipped."
    ),
    threshold: float = typer.Option(0.7, "--threshold", min=0.0, max=1.0, help="Flag images under this confidence."),
    device: Device = typer.Option(Device.auto, "--device", help="auto: the GPU when there is one."),
    threads: int = typer.Option(1, "--threads", min=1, help="torch CPU threads per worker, for the model."),
    decode_threads: int = typer.Option(
        DECODE_THREADS,
        "--decode-threads",
        min=1,
        help="Threads per worker that each decode and prepare a batch of 64 images while the model runs on another.",
    ),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Dataset mode: processes (512 images a task)."),
    engine_kind: EngineKind = ENGINE_OPTION,
    ray_address: str | None = RAY_ADDRESS_OPTION,
    gpus_per_task: float = typer.Option(
        0.0,
        "--gpus-per-task",
        min=0.0,
        max=1.0,
        help="With --engine ray: the share of a GPU each slice task asks Ray for (0.25: four slices share a GPU); "
        "the task then runs on its GPU (--device auto). 0: CPUs only.",
    ),
    gpu_servers: bool = typer.Option(
        False,
        "--gpu-servers",
        help="With --engine ray: one model server per GPU of the cluster runs the model on batches gathered across "
        "slices; the slice tasks decode on CPUs and send it their images.",
    ),
) -> None:
    """Label every image clinical, dermoscopy, pathology or other.

    Dataset mode fills the images table's modality, confidence, source (image | caption | both), per-class
    probabilities and needs_review, fusing the image model with caption cues, and records the run (with the
    weights' SHA-256) in the manifest. Folder mode classifies every image file (by extension: .jpg, .png,
    .tif, ...) under the folder, recursively, and writes a CSV (file, modality, confidence, needs_review,
    error); other files (a labels.csv) are ignored and counted. Images that cannot be decoded are reported on
    stderr and recorded; the run goes on and exits 1 at the end. Images too small to classify (a side under
    32 px) are recorded with no modality and do not fail the run; curate drops them.

    In dataset mode, --workers and --engine ray spread slices of 512 images over worker processes or a Ray
    cluster: each task classifies its slice into a temp shard in DATASET, which must be on a filesystem every
    node sees at the same path, and this process swaps the shards in, in table order. Folder mode runs here.

    Examples: [bold]mmskin-build classify out/derm[/bold]
              [bold]mmskin-build classify my_images/ -o preds.csv[/bold]
    On a Ray cluster: [bold]mmskin-build classify /shared/derm --engine ray --ray-address auto[/bold]
    (GPU nodes: add [bold]--gpu-servers[/bold], or [bold]--gpus-per-task 0.25[/bold] for a model per slice task)
    """
    import torch

    from mmskin_build.console import exit_for, stage_events
    from mmskin_build.modality.decode import TOO_SMALL, folder_files
    from mmskin_build.modality.model import DEFAULT_WEIGHTS
    from mmskin_build.modality.predict import Classifier, classify_dataset, classify_folder, write_predictions
    from mmskin_build.pipeline import UsageError

    torch.set_num_threads(threads)

    is_dataset = (target / "manifest.json").is_file()
    if not target.is_dir():
        raise UsageError(f"{target}: not a directory (give a dataset directory or a folder of images)")
    if not is_dataset and out_csv is None:
        raise UsageError(
            f"{target}: not a dataset (no manifest.json); to classify a folder of images give -o preds.csv"
        )
    if not is_dataset and (workers > 1 or engine_kind is not EngineKind.local):
        raise UsageError(
            f"{target}: a folder of images is classified in this process; --workers and --engine need a dataset"
        )
    for option, chosen in (("--gpus-per-task", gpus_per_task), ("--gpu-servers", gpu_servers)):
        if chosen and device is Device.cpu:
            raise UsageError(f"{option} asks Ray for GPUs, --device cpu would leave them idle; choose one")
    if gpu_servers and gpus_per_task:
        raise UsageError("--gpu-servers runs the model on servers, --gpus-per-task in every slice task; choose one")
    if gpu_servers and engine_kind is not EngineKind.ray:
        raise UsageError("--gpu-servers needs --engine ray")
    engine = engine_from_options(engine_kind, workers, ray_address, gpus_per_task)
    weights = weights or DEFAULT_WEIGHTS
    try:
        classifier = Classifier(weights, device=device, threshold=threshold, decode_threads=decode_threads)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"{weights}: cannot load the model: {exc}") from None

    if is_dataset:
        with stage_events() as events:
            summary = classify_dataset(classifier, target, events, engine=engine, gpu_servers=gpu_servers)
        small = [e for e in summary.errors if e.reason == TOO_SMALL]
        failures = [e for e in summary.errors if e.reason != TOO_SMALL]
        for e in failures:
            err.print(f"{target}: image {e.item_id} ({e.source} p.{e.page}): {e.reason}: {e.detail}")
        modalities = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_modality.items()))
        sources = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_source.items()))
        out.print(
            f"{target}: {summary.classified}/{summary.images} images classified ({modalities}); decided by {sources}; "
            f"{summary.needs_review} flagged for review (confidence < {threshold}); {len(failures)} errors"
        )
        if small:
            out.print(f"{target}: {len(small)} images too small to classify (recorded in errors; curate drops them)")
        failed = len(failures)
    else:
        images, ignored = folder_files(target)
        with stage_events() as events:
            results = list(classify_folder(classifier, target, events.progress("classify", len(images))))
        write_predictions(results, out_csv)
        failed = 0
        for r in results:
            if r.error:
                err.print(f"{target / r.file}: {r.error}")
                failed += not r.error.startswith(TOO_SMALL)
        errors = sum(1 for r in results if r.error)
        review = sum(1 for r in results if r.needs_review)
        out.print(f"{out_csv}: {len(results) - errors} images classified, {review} flagged for review, {errors} errors")
        if ignored:
            names = ", ".join(p.relative_to(target).as_posix() for p in ignored[:3]) + (
                ", ..." if len(ignored) > 3 else ""
            )
            out.print(f"{target}: {len(ignored)} files that are not images by their extension ignored ({names})")
    exit_for(failed)


def train_classifier(
    image_dirs: list[Path] = typer.Argument(
        ..., exists=True, file_okay=False, help="Folders of images (paths in a labels CSV are relative to its folder)."
    ),
    labels: list[Path] = typer.Option(
        None,
        "--labels",
        exists=True,
        dir_okay=False,
        help="CSV with columns file,label[,source_repo], one per folder in order; default: FOLDER/labels.csv.",
    ),
    out_dir: Path = typer.Option(..., "-o", "--out", help="Folder for modality_cnn.safetensors and its JSON."),
    epochs: int = typer.Option(150, "--epochs", min=1, help="Passes over the images per model."),
    drawn_charts: int = typer.Option(
        48, "--drawn-charts", min=0, help="Drawn charts and diagrams added to every training set as 'other' (0: none)."
    ),
    folds: int = typer.Option(5, "--folds", min=0, help="Cross-validation folds stratified by class (0 or 1: none)."),
    source_folds: int = typer.Option(
        5, "--source-folds", min=0, help="Cross-validation folds grouped by source_repo, else by folder (0 or 1: none)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of initialisation, augmentation and fold assignment."),
    device: Device = typer.Option(Device.auto, "--device", help="auto: the GPU when there is one."),
    threads: int = typer.Option(
        1, "--threads", min=1, help="torch CPU threads per model; more only help an idle many-core CPU."
    ),
    workers: int = typer.Option(
        0,
        "--workers",
        min=0,
        help="Processes training the fold models and the final one side by side (0: one per CPU core).",
    ),
    teacher_views: int = typer.Option(
        0,
        "--teacher-views",
        min=0,
        help="Learn also from an ImageNet-pretrained network's features of this many augmented views per image "
        "(training only; needs pip install 'mmskin-build\\[teacher]'); 0: labels alone.",
    ),
) -> None:
    """Train the modality CNN from scratch, with augmentation, on labelled images of one or more folders.

    Labels are clinical, dermoscopy, pathology or other. Two cross-validations come first, each printing its
    confusion matrix, accuracy, macro-F1 and per-class recall: k-fold stratified by class, and k-fold grouped
    by source (the labels' source_repo column, else the folder), where every source is held out whole, so its
    figure is for images from a source never seen; its accuracy per source is printed too. Then a model is
    trained on all images and saved with a JSON of its config and these figures. All models train side by
    side in --workers processes. With --teacher-views, each model also learns to predict what a pretrained
    EfficientNet-Lite0 sees in fixed augmented views of its images; the saved model does not need it.
    Use the result with [bold]mmskin-build classify --weights OUT[/bold].

    Example: [bold]mmskin-build train-classifier my_images/ --labels my_images/labels.csv -o models/modality[/bold]
    Two folders, each with its labels.csv: [bold]mmskin-build train-classifier images/ images_more/ -o models/m[/bold]
    With the pretrained teacher: [bold]mmskin-build train-classifier images/ -o models/m --teacher-views 12[/bold]
    """
    import json

    from mmskin_build.console import stage_events
    from mmskin_build.modality.metrics import format_scores, format_sources
    from mmskin_build.modality.predict import pick_device
    from mmskin_build.modality.teacher import TeacherUnavailable
    from mmskin_build.modality.train import LabelledFolder, LabelsError, TrainConfig
    from mmskin_build.modality.train import train_classifier as run_training
    from mmskin_build.pipeline import UsageError
    from mmskin_build.store.dataset import atomic_write_bytes

    labels = labels or [folder / "labels.csv" for folder in image_dirs]
    if len(labels) != len(image_dirs):
        raise UsageError(
            f"{len(image_dirs)} image folders but {len(labels)} --labels files: give one per folder, or none"
        )
    missing = [path for path in labels if not path.is_file()]
    if missing:
        raise UsageError(f"{missing[0]}: no labels file (give --labels CSV for its folder)")
    config = TrainConfig(
        epochs=epochs,
        folds=folds,
        source_folds=source_folds,
        seed=seed,
        threads=threads,
        drawn_charts=drawn_charts,
        teacher_views=teacher_views,
    )
    try:
        with stage_events() as events:
            report = run_training(
                [LabelledFolder(d, csv) for d, csv in zip(image_dirs, labels, strict=True)],
                out_dir,
                config,
                device=pick_device(device),
                progress_factory=lambda total: events.progress("train", total),
                workers=workers or os.cpu_count() or 1,
            )
    except (LabelsError, TeacherUnavailable) as exc:
        raise UsageError(str(exc)) from None
    for path, why in report.skipped:
        err.print(f"{path}: skipped: {why}")
    if report.cv:
        out.print(f"{folds}-fold cross-validation stratified by class (out-of-fold predictions):")
        out.print(format_scores(report.cv), markup=False)
    if report.source_cv:
        out.print(f"{len(report.per_source)} sources in up to {source_folds} folds, each source held out whole:")
        out.print(format_scores(report.source_cv), markup=False)
        out.print(format_sources(report.per_source), markup=False)
    elif source_folds >= 2:
        out.print("no source-grouped cross-validation: all images come from one source")
    if report.cv or report.source_cv:
        atomic_write_bytes(out_dir / "cv_predictions.json", json.dumps(report.out_of_fold, indent=1).encode())
    out.print(
        f"{report.weights}: sha256 {report.weights_sha256[:16]}…, trained in {report.seconds:.0f} s "
        f"(the final model alone {report.final_model_seconds:.0f} s)"
    )

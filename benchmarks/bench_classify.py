"""Benchmarks of the modality classifier (a script, not a test). Reads ../shared/data; writes nothing there.

    python benchmarks/bench_classify.py                 # all three parts
    python benchmarks/bench_classify.py --part speed    # throughput: decode+resize alone vs full inference
    python benchmarks/bench_classify.py --part cv       # k-fold CV (by class, by source) on images/ + images_more/
    python benchmarks/bench_classify.py --part pdfs     # real figures rendered from PDFs the model never saw
    python benchmarks/bench_classify.py --part teacher  # linear probe of the pretrained teacher's features, same folds

Timings on a shared machine are noisy: `speed` reports the ratio of classification to decoding alone measured in
the same run, in wall time (both with the same decode threads; classify runs the model on one thread more) and in
CPU time of all threads (the work, which the load barely moves).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from mmskin_build.modality import DECODE_THREADS, Device
from mmskin_build.modality.decode import decode_all
from mmskin_build.modality.metrics import format_scores, format_sources, score
from mmskin_build.modality.model import CLASSES, infer
from mmskin_build.modality.predict import Classifier
from mmskin_build.modality.train import LabelledFolder, TrainConfig, train_classifier

SHARED = Path(os.environ.get("MMSKIN_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def bench_speed(
    images_dir: Path, total: int, batch: int, threads: int, decode_threads: int, rounds: int, device: str
) -> dict:
    """Images per second of decoding alone (the floor) and of classification as `classify` runs it.

    The floor decodes with `decode_threads` threads, as many as classify decodes with, so the wall ratio
    compares like with like: classify runs those threads (each decoding and preparing a whole batch) plus the
    model on one more thread. The CPU time of all threads says how much work each does, whatever the load.
    They are measured in turn, `rounds` times; each figure is its fastest round (other jobs only slow them)."""
    torch.set_num_threads(threads)
    files = sorted(p for p in images_dir.glob("*/*") if p.is_file())
    files = (files * (total // len(files) + 1))[:total]
    classifier = Classifier(device=device, decode_threads=decode_threads)
    size = classifier.config.decode_size
    classifier.image_probabilities(files[:batch])  # warm-up
    infer(classifier.model, np.stack(decode_all(files[:batch], size)), classifier.device)

    def once(run) -> tuple[float, float]:
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - start, time.process_time() - cpu_start

    def decode(threads: int) -> None:
        for i in range(0, len(files), batch):
            decode_all(files[i : i + batch], size, threads)

    def classify() -> None:
        chunks = ((None, files[i : i + batch]) for i in range(0, len(files), batch))
        collections.deque(classifier.stream_probabilities(chunks), maxlen=0)

    runs = [(once(lambda: decode(decode_threads)), once(lambda: decode(1)), once(classify)) for _ in range(rounds)]
    (decode_s, decode_cpu), (decode_1_s, _), (full_s, full_cpu) = (
        (min(r[part][0] for r in runs), min(r[part][1] for r in runs)) for part in range(3)
    )
    arrays = np.stack(decode_all(files, size))
    model_s, _ = once(lambda: infer(classifier.model, arrays, classifier.device, batch_size=batch))
    n = len(files)
    result = {
        "images": n,
        "rounds": rounds,
        "batch": batch,
        "device": str(classifier.device),
        "torch_threads": threads,
        "decode_threads": decode_threads,
        "classify_threads": decode_threads + 1,
        "decode_resize_img_per_s": round(n / decode_s, 1),
        "decode_resize_1_thread_img_per_s": round(n / decode_1_s, 1),
        "inference_img_per_s": round(n / full_s, 1),
        "model_only_img_per_s": round(n / model_s, 1),
        "inference_over_decode_time": round(full_s / decode_s, 2),
        "inference_over_decode_cpu_time": round(full_cpu / decode_cpu, 2),
        "inference_over_decode_1_thread_time": round(full_s / decode_1_s, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    r = result
    print(
        f"speed: {n} images on {r['device']}, batches of {batch}, {threads} torch thread(s), {os.cpu_count()} CPUs, "
        f"fastest of {rounds} rounds, load average {r['load_average_1min']}\n"
        f"  decode+resize alone: {r['decode_resize_img_per_s']} img/s in {decode_threads} threads (the floor), "
        f"{r['decode_resize_1_thread_img_per_s']} img/s in 1\n"
        f"  classify (decode, prepare, model): {r['inference_img_per_s']} img/s in {r['classify_threads']} threads "
        f"({decode_threads} decoding and preparing batches, 1 running the model); "
        f"prepare+model alone, 1 thread: {r['model_only_img_per_s']} img/s\n"
        f"  classify / decode alone: wall time {r['inference_over_decode_time']} (both with {decode_threads} decode "
        f"threads; classify has 1 more), CPU time of all threads {r['inference_over_decode_cpu_time']} (the work); "
        f"wall time against decoding in 1 thread {r['inference_over_decode_1_thread_time']}"
    )
    return result


def bench_cv(image_dirs: list[Path], epochs: int, folds: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config = TrainConfig(epochs=epochs, folds=folds, source_folds=folds)
        labelled = [LabelledFolder(d, d / "labels.csv") for d in image_dirs]
        report = train_classifier(labelled, Path(tmp), config, workers=workers)
    print(
        f"{folds}-fold CV stratified by class and {folds}-fold grouped by source ({epochs} epochs per model), "
        f"then the final model; {report.seconds:.0f} s in all, the final model {report.final_model_seconds:.0f} s"
    )
    print(format_scores(report.cv))
    print("grouped by source:")
    print(format_scores(report.source_cv))
    print(format_sources(report.per_source))
    for row in report.out_of_fold:
        for cv, prefix in (("stratified", ""), ("source-grouped", "source_")):
            if row["label"] != row[f"{prefix}predicted"]:
                print(
                    f"  wrong ({cv}): {row['folder']}/{row['file']} {row['label']} -> {row[f'{prefix}predicted']} "
                    f"({row[f'{prefix}confidence']:.2f})"
                )
    return {
        "seconds_cv_plus_final": round(report.seconds, 1),
        "final_model_seconds": round(report.final_model_seconds, 1),
        "stratified": report.cv.model_dump(),
        "source_grouped": report.source_cv.model_dump(),
        "per_source": [r.model_dump() for r in report.per_source],
    }


def bench_pdfs(pdfs: Path, truth_dir: Path) -> dict:
    from fixtures.pdf_figures import pdf_figures  # needs pypdfium2, which a GPU image may lack

    figures = pdf_figures(pdfs, truth_dir)
    classifier = Classifier(device="cpu")
    probs = classifier.image_probabilities([f["bytes"] for f in figures])
    true = [CLASSES.index(f["expected"]) for f in figures]
    image_only = [CLASSES.index(classifier.decide(p).modality) for p in probs]
    fused = [CLASSES.index(classifier.decide(p, f["caption"]).modality) for p, f in zip(probs, figures, strict=True)]
    out = {}
    for name, predicted in (("image model alone", image_only), ("image + caption", fused)):
        scores = score(true, predicted, CLASSES)
        print(
            f"figures outside the training set ({len(figures)} rendered from real PDFs: meddiag photos, "
            f"micrographs, radiology, charts; ICML charts and diagrams), {name}:"
        )
        print(format_scores(scores))
        out[name] = scores.model_dump()
    for f, p, q in zip(figures, image_only, fused, strict=True):
        if CLASSES[p] != f["expected"] or CLASSES[q] != f["expected"]:
            print(f"  {f['name']}: expected {f['expected']}, image {CLASSES[p]}, fused {CLASSES[q]}")
    return out


def bench_teacher(image_dirs: list[Path]) -> dict:
    """How much the pretrained network (teacher.py) knows: a linear probe on its frozen features of each image,
    scored with the folds `train-classifier` uses, the drawn charts added to each training fold as `other`."""
    from mmskin_build.modality.model import ModelConfig
    from mmskin_build.modality.teacher import load_teacher, teacher_features
    from mmskin_build.modality.train import load_labelled, source_folds, stratified_folds, with_drawn_charts

    torch.set_num_threads(1)
    config, train = ModelConfig(), TrainConfig()
    data = load_labelled([LabelledFolder(d, d / "labels.csv") for d in image_dirs], config.decode_size)
    images, labels = with_drawn_charts(data.images, data.labels, train, config.classes)
    features = torch.from_numpy(teacher_features(load_teacher(), images))
    charts = np.arange(len(data.labels), len(labels))
    out = {}
    for name, folds in (
        ("stratified", stratified_folds(data.labels, train.folds, train.seed)),
        ("source-grouped", source_folds(data.sources, data.labels, train.source_folds)),
    ):
        predicted = np.zeros(len(data.labels), dtype=np.int64)
        for fold in np.unique(folds):
            fit_rows = np.concatenate([np.flatnonzero(folds != fold), charts])
            held_out = np.flatnonzero(folds == fold)
            predicted[held_out] = _linear_probe(features[fit_rows], labels[fit_rows], features[held_out])
        scores = score(data.labels, predicted, CLASSES)
        print(f"linear probe of EfficientNet-Lite0 features, {len(data.labels)} images, {name} folds:")
        print(format_scores(scores))
        out[name] = scores.model_dump()
    return out


def _linear_probe(train_x: torch.Tensor, train_y: np.ndarray, test_x: torch.Tensor, l2: float = 0.01) -> np.ndarray:
    """Multinomial logistic regression (L-BFGS) on standardised features; class indices of `test_x`."""
    mean, spread = train_x.mean(dim=0), train_x.std(dim=0) + 1e-6
    x, y = (train_x - mean) / spread, torch.from_numpy(train_y)
    weights = torch.zeros(x.shape[1], len(CLASSES), requires_grad=True)
    bias = torch.zeros(len(CLASSES), requires_grad=True)
    optimiser = torch.optim.LBFGS([weights, bias], max_iter=300, line_search_fn="strong_wolfe")

    def loss() -> torch.Tensor:
        optimiser.zero_grad()
        value = torch.nn.functional.cross_entropy(x @ weights + bias, y) + l2 * (weights**2).sum()
        value.backward()
        return value

    optimiser.step(loss)
    with torch.no_grad():
        return (((test_x - mean) / spread) @ weights + bias).argmax(dim=1).numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["speed", "cv", "pdfs", "teacher", "all"], default="all")
    parser.add_argument("--images", type=int, default=512, help="images per speed measurement")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the speed part")
    parser.add_argument(
        "--device", choices=[d.value for d in Device], default="cpu", help="where the speed part runs the model"
    )
    parser.add_argument("--rounds", type=int, default=3, help="speed part: each figure is the fastest of this many")
    parser.add_argument(
        "--decode-threads",
        type=int,
        default=DECODE_THREADS,
        help=f"threads decoding and preparing batches in the speed part, and decoding the floor (default {DECODE_THREADS})",
    )
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--folds", type=int, default=TrainConfig.folds)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes training the CV models")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    images_dir = SHARED / "images"
    if not images_dir.is_dir():
        raise SystemExit(f"real test data not found at {SHARED} (set MMSKIN_SHARED_DATA)")
    results = {}
    if args.part in ("speed", "all"):
        results["speed"] = bench_speed(
            images_dir, args.images, args.batch, args.threads, args.decode_threads, args.rounds, args.device
        )
    if args.part in ("pdfs", "all"):
        results["pdfs"] = bench_pdfs(SHARED / "pdfs", SHARED / "pdf_groundtruth")
    if args.part in ("cv", "all"):
        results["cv"] = bench_cv([images_dir, SHARED / "images_more"], args.epochs, args.folds, args.workers)
    if args.part == "teacher":
        results["teacher"] = bench_teacher([images_dir, SHARED / "images_more"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""`classify` and `train-classifier`: shipped weights on real images, caption fusion, bad inputs, both modes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from fixtures.factories import image_record, png_claiming
from fixtures.pdf_figures import pdf_figures
from mmskin_build.cli import app
from mmskin_build.imaging import ImageDecodeError
from mmskin_build.modality.caption_cues import STRONG, WEAK, caption_cues, fuse
from mmskin_build.modality.decode import decode_image
from mmskin_build.modality.metrics import score
from mmskin_build.modality.model import CLASSES, DEFAULT_WEIGHTS, metadata_path
from mmskin_build.modality.predict import Classifier, classify_dataset, classify_folder
from mmskin_build.store import Dataset
from mmskin_build.tables import ErrorRecord
from mmskin_build.validate import problems

FLOORS = {"accuracy": 0.97, "macro_f1": 0.96, "recall": 0.93}  # the issue's targets
# What the shipped weights achieve (see the JSON beside them); a retrained model must not fall below these.
ACHIEVED_CV = {"accuracy": 0.94, "macro_f1": 0.94, "recall": 0.81}
ACHIEVED_PDF_FIGURES = {"image": 0.95, "fused": 0.95}  # accuracy on figures of real PDFs, outside the training set
GAP = (
    "cross-validated dermoscopy recall falls short: dermoscopy images that are one of a kind in the shared set "
    "(acral skin, a DermNet one with its logo and a ruler, pale or hair-covered ISIC 2017 fields) read as clinical; "
    "retrained on images/ and images_more/ together, clinical and dermoscopy still mix (docs/NOTES.md, Classify)"
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(device="cpu")


def _labels(shared_images: Path) -> dict[str, str]:
    with open(shared_images / "labels.csv", newline="") as fh:
        return {row["file"]: row["label"] for row in csv.DictReader(fh)}


def _assert_floors(scores: dict, floors: dict) -> None:
    assert scores["accuracy"] >= floors["accuracy"], scores
    assert scores["macro_f1"] >= floors["macro_f1"], scores
    assert min(scores["recall"].values()) >= floors["recall"], scores


@pytest.fixture(scope="module")
def shipped_cv() -> dict:
    meta = json.loads(metadata_path(DEFAULT_WEIGHTS).read_text())
    assert meta["training"]["folds"] >= 5 and meta["cross_validation"]["n"] == meta["training"]["images"]
    return meta["cross_validation"]


@pytest.fixture(scope="module")
def seen_scores(classifier, shared_images) -> dict:
    """The shipped model on the shared images, which it was trained on (not a held-out figure)."""
    labels = _labels(shared_images)
    results = {r.file: r for r in classify_folder(classifier, shared_images)}
    assert "labels.csv" not in results and set(labels) <= set(results)  # only image files are read
    true = [CLASSES.index(label) for label in labels.values()]
    predicted = [CLASSES.index(results[file].modality) for file in labels]
    return score(true, predicted, CLASSES).model_dump()


# -- the shipped model -----------------------------------------------------------------------------------


def test_shipped_weights_are_small_safetensors():
    assert DEFAULT_WEIGHTS.stat().st_size <= 5 * 1024 * 1024
    assert DEFAULT_WEIGHTS.read_bytes()[8:9] == b"{"  # safetensors: 8-byte header length, then JSON
    meta = json.loads(metadata_path(DEFAULT_WEIGHTS).read_text())
    assert meta["config"]["classes"] == list(CLASSES)
    assert Classifier(device="cpu").sha256 == meta["weights_sha256"]


def test_cross_validated_figures_hold(shipped_cv):
    # The shipped weights saw the shared images; the honest figure is the stored k-fold one.
    _assert_floors(shipped_cv, ACHIEVED_CV)


@pytest.mark.xfail(strict=True, reason=GAP)
def test_cross_validated_figures_reach_the_issue_floor(shipped_cv):
    _assert_floors(shipped_cv, FLOORS)


def test_shipped_weights_reach_the_issue_floor_on_the_shared_images(seen_scores):
    _assert_floors(seen_scores, FLOORS)


def test_shipped_weights_on_figures_of_real_pdfs(classifier, shared_pdfs, shared_groundtruth):
    """Figures rendered from real case reports and ICML papers: images outside the training set, where charts
    and diagrams must not read as photographs or micrographs."""
    figures = pdf_figures(shared_pdfs, shared_groundtruth)
    probs = classifier.image_probabilities([f["bytes"] for f in figures])
    true = [CLASSES.index(f["expected"]) for f in figures]
    alone = score(true, [CLASSES.index(classifier.decide(p).modality) for p in probs], CLASSES)
    with_captions = [classifier.decide(p, f["caption"]) for p, f in zip(probs, figures, strict=True)]
    fused = score(true, [CLASSES.index(d.modality) for d in with_captions], CLASSES)
    assert len(figures) >= 50 and {f["expected"] for f in figures} == {"clinical", "pathology", "other"}
    assert alone.accuracy >= ACHIEVED_PDF_FIGURES["image"], alone
    assert fused.accuracy >= ACHIEVED_PDF_FIGURES["fused"], fused


# -- caption fusion --------------------------------------------------------------------------------------

UNSURE_CLINICAL = np.array([0.5, 0.3, 0.1, 0.1])


def test_fusion_without_cues_is_the_image_model():
    decision = fuse(UNSURE_CLINICAL, CLASSES, caption_cues("Erythematous plaques on the elbow."), threshold=0.7)
    assert decision.modality == "clinical" and decision.source == "image"
    assert decision.confidence == pytest.approx(0.5) and decision.needs_review


def test_strong_cue_overrules_an_unsure_image_model():
    cues = caption_cues("Dermoscopic view showing an atypical pigment network.")
    assert cues.weights["dermoscopy"] == STRONG
    decision = fuse(UNSURE_CLINICAL, CLASSES, cues, threshold=0.7)
    # softmax(log p + cues): 0.3 * e^3 against 0.5 for clinical
    expected = 0.3 * np.exp(STRONG) / (0.3 * np.exp(STRONG) + 0.5 + 0.1 + 0.1)
    assert decision.modality == "dermoscopy" and decision.source == "caption"
    assert decision.confidence == pytest.approx(expected) and not decision.needs_review


def test_agreeing_cue_raises_confidence_and_is_both():
    cues = caption_cues("Histology (H&E stain, original magnification x200).")
    decision = fuse(np.array([0.1, 0.1, 0.6, 0.2]), CLASSES, cues, threshold=0.7)
    assert decision.modality == "pathology" and decision.source == "both" and decision.confidence > 0.95


def test_confident_image_model_stands_against_a_weak_cue():
    cues = caption_cues("Plaque on the shin; a biopsy confirmed lichen planus.")
    assert cues.weights == {"clinical": 0.0, "dermoscopy": 0.0, "pathology": WEAK, "other": 0.0}
    decision = fuse(np.array([0.95, 0.02, 0.02, 0.01]), CLASSES, cues, threshold=0.7)
    assert decision.modality == "clinical" and decision.source == "image"


def test_cues_of_several_classes_are_halved_and_subcaption_comes_first():
    caption = "(a) Clinical photograph. (b) Dermoscopy. (c) Histology, H&E."
    whole = caption_cues(caption)
    assert whole.text == "caption"
    assert whole.weights == {"clinical": WEAK / 2, "dermoscopy": STRONG / 2, "pathology": STRONG / 2, "other": 0.0}
    panel = caption_cues(caption, subcaption="Dermoscopy shows regular globules.")
    assert panel.text == "subcaption" and panel.weights["dermoscopy"] == STRONG and panel.top() == "dermoscopy"
    assert caption_cues(caption, subcaption="Close-up.").text == "caption"  # a cue-less sub-caption falls back


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chest X-ray showing bilateral infiltrates.", "other"),
        ("Non contrast CT scan and contrast-enhanced MRI brain.", "other"),
        ("Bar graph of lesion counts per body site.", "other"),
        ("Photomicrograph of the dermis.", "pathology"),
        ("Haematoxylin and eosin, x400.", "pathology"),
        ("Trichoscopy of the scalp shows exclamation-mark hairs.", "dermoscopy"),
        ("Photograph of the act of scratching", None),  # 'graph' inside a word and lowercase 'act' are no cue
        ("The lesion was ct-shaped", None),
    ],
)
def test_cue_words(text, expected):
    assert caption_cues(text).top() == expected


# -- bad input -------------------------------------------------------------------------------------------


def _jpeg(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **kwargs)
    return buffer.getvalue()


def _png(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **kwargs)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory, shared_images) -> tuple[Path, dict[str, str | None]]:
    """A folder of awkward files and, per file, the expected modality (None: a per-file error)."""
    root = tmp_path_factory.mktemp("bad")
    histology = Image.open(shared_images / "pathology" / "glas_testA_28.jpg").convert("RGB")
    xray = Image.open(shared_images / "other" / "xray_00000001_000.png").convert("L")
    chart = Image.open(shared_images / "other" / "padufes_age_boxplot.png")
    skin = Image.open(shared_images / "clinical" / "dermnet_psoriasis_chronic-plaque-psoriasis-017.jpg").convert("RGB")
    good_jpeg = _jpeg(histology)
    xray16 = Image.fromarray(np.asarray(xray).astype(np.uint16) * 257)  # mode I;16
    files = {
        "corrupt.jpg": (b"\xff\xd8\xff\xe0 this is not really a jpeg" * 20, None),
        "truncated.jpg": (good_jpeg[: len(good_jpeg) // 3], None),
        "empty.png": (b"", None),
        "tiny.png": (_png(histology.resize((20, 20))), None),
        "cmyk.jpg": (_jpeg(histology.convert("CMYK")), "pathology"),
        "sixteen_bit.png": (_png(xray16), "other"),
        "palette.png": (_png(chart.convert("RGB").quantize(64)), "other"),
        "grey.jpg": (_jpeg(xray), "other"),
        "alpha.png": (_png(chart.convert("RGBA")), "other"),
        "sub/dir/skin.jpg": (_jpeg(skin), "clinical"),
        "huge.jpg": (_jpeg(histology.resize((9600, 9600), Image.Resampling.NEAREST)), "pathology"),
    }
    for name, (data, _) in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    # Not images by their extension: ignored, not errors (train-classifier keeps its labels.csv here).
    (root / "notes.txt").write_bytes(b"not an image at all\n")
    (root / "labels.csv").write_text("file,label\ngrey.jpg,other\n")
    # A PNG whose header claims 40000 x 40000 pixels: refused before any pixel is decoded.
    (root / "bomb.png").write_bytes(png_claiming(40000, 40000))
    expected = {name: modality for name, (_, modality) in files.items()} | {"bomb.png": None}
    return root, expected


def test_bad_inputs_give_a_per_file_error_or_a_correct_prediction(classifier, bad_inputs):
    root, expected = bad_inputs
    results = {r.file: r for r in classify_folder(classifier, root)}
    assert set(results) == set(expected)
    for name, modality in expected.items():
        result = results[name]
        if modality is None:
            assert result.error and result.modality is None, name
        else:
            assert result.error is None and result.modality == modality, (name, result)
    assert results["tiny.png"].error.startswith("too-small")
    assert results["bomb.png"].error.startswith("too-large")
    assert results["truncated.jpg"].error.startswith("decode-failed")


@pytest.mark.parametrize("decode_threads", [1, 3])
def test_chunks_prepared_side_by_side_give_the_probabilities_of_one_call_in_order(
    bad_inputs, shared_images, decode_threads
):
    """Several threads each decode and prepare a chunk while the model runs on the oldest: the chunks come back in
    the order given, each image's probabilities to the bit those of classifying its chunk alone, errors in place."""
    root, expected = bad_inputs
    files = [*sorted(shared_images.glob("*/*.jpg"))[:40], *(root / name for name in sorted(expected))]
    sizes = [9, 1, 17, 5, 11, 9]  # uneven chunks, the bad files spread over the last ones
    chunks, start = [], 0
    for size in sizes:
        chunks.append((len(chunks), files[start : start + size]))
        start += size
    assert start == len(files)
    streamed = list(Classifier(device="cpu", decode_threads=decode_threads).stream_probabilities(chunks))
    assert [payload for payload, _ in streamed] == list(range(len(sizes)))
    alone = Classifier(device="cpu")
    for (_, sources), (_, results) in zip(chunks, streamed, strict=True):
        for source, got, want in zip(sources, results, alone.image_probabilities(sources), strict=True):
            if isinstance(want, ImageDecodeError):
                assert isinstance(got, ImageDecodeError) and got.reason == want.reason, source
            else:
                assert isinstance(got, np.ndarray) and got.tobytes() == want.tobytes(), source


def _waiting_requests(server, batches: list) -> list:
    """Calls of `server.probabilities` made while a pass runs (its model taken), so that they all wait; their futures."""
    pool = ThreadPoolExecutor(len(batches))
    with server._model:
        futures = [pool.submit(server.probabilities, batch) for batch in batches]
        while len(server._waiting) < len(batches):
            time.sleep(0.01)
    pool.shutdown(wait=False)
    return futures


def test_a_model_server_runs_requests_that_wait_together_in_one_pass(classifier, shared_images):
    from mmskin_build.modality.model import infer
    from mmskin_build.modality.servers import ModelServer

    files = sorted(shared_images.glob("*/*.jpg"))[:26]
    images = np.stack([decode_image(f, classifier.config.decode_size) for f in files])
    requests = [images[a:b] for a, b in ((0, 8), (8, 13), (13, 22), (22, 26))]  # four slices' chunks
    server = ModelServer(classifier, max_images=20)
    answers = [f.result(timeout=120) for f in _waiting_requests(server, requests)]
    # 26 images, at most 20 a pass: whatever order they came in, two passes hold them all.
    assert (server.stats.passes, server.stats.images) == (2, 26) and 13 <= server.stats.largest_pass <= 20
    for request, answer in zip(requests, answers, strict=True):
        alone = infer(classifier.model, request)
        # Batched with other slices' images the CNN may round otherwise in the last bits; the decisions stand.
        np.testing.assert_allclose(answer, alone, atol=1e-6)
        assert (answer.argmax(axis=1) == alone.argmax(axis=1)).all()


def test_a_failed_pass_fails_every_request_in_it(classifier, shared_images):
    from mmskin_build.modality.servers import ModelServer

    good = decode_image(next(shared_images.glob("*/*.jpg")), classifier.config.decode_size)[None]
    server = ModelServer(classifier)
    futures = _waiting_requests(server, [good, np.zeros((1, 10, 10), dtype=np.uint8)])  # the second is no image
    for future in futures:
        with pytest.raises(ValueError):
            future.result(timeout=120)  # an error, not a wait for ever
    assert server.probabilities(good).shape == (1, len(CLASSES))  # the server still serves


def test_sixteen_bit_is_rescaled_not_clipped(bad_inputs, shared_images):
    root, _ = bad_inputs
    wide = decode_image(root / "sixteen_bit.png").astype(int)
    narrow = decode_image(shared_images / "other" / "xray_00000001_000.png").astype(int)
    assert np.abs(wide - narrow).max() <= 1


def test_decode_errors_name_their_reason():
    with pytest.raises(ImageDecodeError) as info:
        decode_image(b"GIF89a\x01")
    assert info.value.reason in {"decode-failed", "not-an-image"}


# -- folder mode through the CLI ---------------------------------------------------------------------


def test_folder_mode_writes_relative_paths_and_reports_errors(bad_inputs, tmp_path):
    root, expected = bad_inputs
    out = tmp_path / "preds.csv"
    result = CliRunner().invoke(app, ["classify", str(root), "-o", str(out), "--device", "cpu"])
    assert result.exit_code == 1  # some files failed; the others are still written
    assert "truncated.jpg: decode-failed" in result.stderr
    assert "2 files that are not images by their extension ignored (labels.csv, notes.txt)" in " ".join(
        result.stdout.split()
    )
    assert "labels.csv" not in result.stderr
    with open(out, newline="") as fh:
        rows = {row["file"]: row for row in csv.DictReader(fh)}
    assert list(next(iter(rows.values())))[:3] == ["file", "modality", "confidence"]
    assert set(rows) == set(expected)
    assert rows["sub/dir/skin.jpg"]["modality"] == "clinical" and 0 < float(rows["sub/dir/skin.jpg"]["confidence"]) <= 1
    assert rows["corrupt.jpg"]["modality"] == "" and rows["corrupt.jpg"]["error"]


def test_images_too_small_to_classify_are_recorded_but_do_not_fail_the_run(bad_inputs, tmp_path):
    root, _ = bad_inputs
    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("tiny.png", "grey.jpg", "labels.csv"):
        shutil.copyfile(root / name, folder / name)
    out = tmp_path / "preds.csv"
    result = CliRunner().invoke(app, ["classify", str(folder), "-o", str(out), "--device", "cpu"])
    assert result.exit_code == 0, result.output
    with open(out, newline="") as fh:
        rows = {row["file"]: row for row in csv.DictReader(fh)}
    assert rows["tiny.png"]["error"].startswith("too-small") and rows["grey.jpg"]["modality"] == "other"


def test_folder_mode_needs_an_output_file(tmp_path):
    result = CliRunner().invoke(app, ["classify", str(tmp_path)])
    assert result.exit_code == 2 and "-o preds.csv" in result.stderr


# -- dataset mode ----------------------------------------------------------------------------------------


def test_dataset_mode_round_trip(classifier, shared_images, tmp_path):
    labels = _labels(shared_images)
    chosen = [next(f for f, label in labels.items() if label == cls) for cls in CLASSES]
    captions = ["Papules on the trunk.", "Dermoscopy of the lesion.", "Histology (H&E).", None]
    root = tmp_path / "ds"
    dataset = Dataset.create_or_open(root)
    writer = dataset.writer("images", rows_per_shard=3)
    for i, (file, caption) in enumerate(zip(chosen, captions, strict=True)):
        writer.add(image_record(i, (shared_images / file).read_bytes(), caption))
    writer.add(image_record(4, b"\xff\xd8\xff garbage", "A broken image."))
    dataset.commit(writer.close())
    errors = dataset.writer("errors")
    errors.add(ErrorRecord(stage="extract", source="other.pdf", reason="encrypted", detail="kept as is"))
    dataset.commit(errors.close())

    for _ in range(2):  # a re-run replaces its own results and errors, nothing doubles
        summary = classify_dataset(classifier, root)
        assert summary.images == 5 and summary.classified == 4 and len(summary.errors) == 1

    dataset = Dataset.open(root)
    rows = {r["image_id"]: r for r in dataset.read_table("images").to_pylist()}
    assert [rows[f"img{i}"]["modality"] for i in range(4)] == list(CLASSES)
    assert rows["img1"]["modality_source"] in {"both", "caption"} and rows["img3"]["modality_source"] == "image"
    for i in range(4):
        probs = [rows[f"img{i}"][f"prob_{c}"] for c in CLASSES]
        assert sum(probs) == pytest.approx(1.0) and rows[f"img{i}"]["modality_confidence"] == pytest.approx(max(probs))
    assert rows["img4"]["modality"] is None and rows["img4"]["needs_review"] is None
    assert rows["img0"]["image"]["bytes"] == (shared_images / chosen[0]).read_bytes()
    error_rows = dataset.read_table("errors").to_pylist()
    assert sorted((e["stage"], e["item_id"]) for e in error_rows) == [("classify", "img4"), ("extract", None)]
    run = dataset.manifest.runs[-1]
    assert run.stage == "classify" and run.config["weights_sha256"] == classifier.sha256
    assert run.config["threshold"] == classifier.threshold and run.counts["classified"] == 4 and run.errors == 1
    assert list(problems(root)) == []


# -- training --------------------------------------------------------------------------------------------


def _small_labelled_folder(shared_images: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """Three real images of each class copied into a folder, with their labels CSV."""
    labels = _labels(shared_images)
    picked = [f for cls in CLASSES for f in [f for f, label in labels.items() if label == cls][:3]]
    folder = tmp_path / "imgs"
    for file in picked:
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_images / file, folder / file)
    labels_csv = tmp_path / "labels.csv"
    labels_csv.write_text("file,label\n" + "".join(f"{f},{labels[f]}\n" for f in picked))
    return folder, labels_csv, picked


def test_train_command_writes_a_usable_model(shared_images, tmp_path):
    folder, labels_csv, picked = _small_labelled_folder(shared_images, tmp_path)
    out = tmp_path / "model"
    args = [
        "train-classifier",
        str(folder),
        "--labels",
        str(labels_csv),
        "-o",
        str(out),
        "--epochs",
        "1",
        "--folds",
        "3",
    ]
    result = CliRunner().invoke(app, [*args, "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert "true \\ predicted" in result.stdout and "accuracy" in result.stdout
    meta = json.loads((out / "modality_cnn.json").read_text())
    assert meta["cross_validation"]["n"] == len(picked) and meta["training"]["epochs"] == 1
    trained = Classifier(out / "modality_cnn.safetensors", device="cpu")
    assert trained.sha256 == meta["weights_sha256"]
    assert len(list(classify_folder(trained, folder))) == len(picked)


def test_parallel_training_gives_the_models_of_serial_training(shared_images, tmp_path):
    import torch

    from mmskin_build.modality.model import ModelConfig
    from mmskin_build.modality.train import LabelledFolder, TrainConfig, train_classifier

    folder, labels_csv, _ = _small_labelled_folder(shared_images, tmp_path)
    config = TrainConfig(epochs=2, folds=3, drawn_charts=4)
    small = ModelConfig(widths=[8, 16], statistics_hidden=8)
    labelled = [LabelledFolder(folder, labels_csv)]
    serial = train_classifier(labelled, tmp_path / "serial", config, small, torch.device("cpu"), workers=1)
    parallel = train_classifier(labelled, tmp_path / "parallel", config, small, torch.device("cpu"), workers=2)
    assert parallel.weights_sha256 == serial.weights_sha256
    assert parallel.out_of_fold == serial.out_of_fold and len(serial.out_of_fold) == 12


def test_train_command_takes_several_folders_and_holds_out_whole_sources(shared_images, tmp_path):
    """Two folders, each with its own labels.csv carrying source_repo: the source-grouped CV scores every
    image with a model that saw no image of its source, and reports each source."""
    with open(shared_images / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_source = {s: [r for r in rows if r["source_repo"] == s] for s in sorted({r["source_repo"] for r in rows})}
    sources = [s for s, members in by_source.items() if len(members) >= 3][:4]
    picked = by_source[sources[0]][:3] + [by_source[s][0] for s in sources[1:]]
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder, part in zip(folders, (picked[::2], picked[1::2]), strict=True):
        for r in part:
            (folder / r["file"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared_images / r["file"], folder / r["file"])
        (folder / "labels.csv").write_text(
            "file,label,source_repo\n" + "".join(f"{r['file']},{r['label']},{r['source_repo']}\n" for r in part)
        )
    out = tmp_path / "model"
    args = ["train-classifier", *map(str, folders), "-o", str(out), "--epochs", "1", "--folds", "2"]
    result = CliRunner().invoke(app, [*args, "--source-folds", "2", "--drawn-charts", "2", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert "4 sources in up to 2 folds, each source held out whole" in result.stdout
    meta = json.loads((out / "modality_cnn.json").read_text())
    assert meta["training"]["images"] == len(picked) and meta["training"]["sources"] == 4
    per_source = {r["source"]: r for r in meta["source_cross_validation"]["per_source"]}
    assert set(per_source) == set(sources) and per_source[sources[0]]["n"] == 3
    assert sum(r["correct"] for r in per_source.values()) == sum(np.diag(meta["source_cross_validation"]["confusion"]))
    rows = json.loads((out / "cv_predictions.json").read_text())
    assert {r["folder"] for r in rows} == set(map(str, folders)) and all("source_predicted" in r for r in rows)


def test_source_folds_keep_each_source_whole_and_spread_each_class():
    from mmskin_build.modality.train import source_folds

    # (source, class, images): three pathology sources must not share a fold while another fold has none
    plan = [("dermnet", 0, 40), ("ham", 1, 25), ("glas", 2, 13), ("ebhi", 2, 12), ("pad", 0, 14), ("pannuke", 2, 6)]
    sources = [name for name, _, n in plan for _ in range(n)]
    labels = np.array([cls for _, cls, n in plan for _ in range(n)])
    folds = source_folds(sources, labels, 3)
    for source in set(sources):
        assert len({int(f) for f, s in zip(folds, sources, strict=True) if s == source}) == 1
    pathology_folds = {int(folds[sources.index(name)]) for name in ("glas", "ebhi", "pannuke")}
    assert pathology_folds == {0, 1, 2}, folds  # one pathology source per fold
    assert folds[sources.index("pad")] != folds[sources.index("dermnet")]  # the two clinical sources apart
    assert source_folds(["a", "b"], np.array([0, 1]), 5).tolist() == [0, 1]  # no more folds than sources


def test_train_command_needs_one_labels_file_per_folder(shared_images, tmp_path):
    args = ["train-classifier", str(shared_images), str(tmp_path), "--labels", str(shared_images / "labels.csv")]
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "m")])
    assert result.exit_code == 2 and "2 image folders but 1 --labels files" in result.stderr
    result = CliRunner().invoke(app, ["train-classifier", str(shared_images), str(tmp_path), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2 and f"{tmp_path / 'labels.csv'}: no labels file" in result.stderr


def test_drawn_charts_are_seeded_pictures_on_a_light_background():
    from mmskin_build.modality.synthetic import drawn_charts

    charts = drawn_charts(8, 96, seed=3)
    assert charts.shape == (8, 96, 96, 3) and charts.dtype == np.uint8
    assert np.array_equal(charts, drawn_charts(8, 96, seed=3)) and not np.array_equal(
        charts, drawn_charts(8, 96, seed=4)
    )
    assert all(np.median(chart) >= 200 for chart in charts)  # mostly background ...
    assert all(chart.std() > 10 for chart in charts)  # ... with something drawn on it


def test_shades_of_grey_removes_a_colour_cast(shared_images):
    import torch

    from mmskin_build.modality.model import sample_inputs, shades_of_grey

    image = decode_image(shared_images / "dermoscopy" / "ham10000_ISIC_0024306.jpg", 96)
    x = sample_inputs(torch.from_numpy(image[None].copy()), 96)
    cast = x * torch.tensor([0.75, 0.85, 1.0]).view(1, 3, 1, 1)  # a bluish device

    def chromaticity(rgb):  # colour without brightness, which the cast also changes
        return rgb / rgb.sum(dim=1, keepdim=True).clamp(min=1e-3)

    assert (chromaticity(shades_of_grey(cast)) - chromaticity(shades_of_grey(x))).abs().max() < 1e-3
    assert (chromaticity(cast) - chromaticity(x)).abs().max() > 0.03


def test_mirror_averaging_gives_probabilities(tmp_path):
    import torch

    from mmskin_build.modality.model import ModalityNet, ModelConfig, infer, load_model, save_model

    config = ModelConfig(flip_tta=True, widths=[4, 8], statistics_hidden=4)
    torch.manual_seed(0)
    model = ModalityNet(config).eval()
    images = np.random.default_rng(0).integers(0, 256, (3, config.decode_size, config.decode_size, 3), dtype=np.uint8)
    x = torch.rand(3, 3, config.statistics_size, config.statistics_size)
    with torch.no_grad():
        both = model(x, mirrored=True)
        assert both.shape == (6, len(CLASSES))
        torch.testing.assert_close(both[:3], model(x))
        torch.testing.assert_close(both[3:], model(x.flip(3)), atol=5e-3, rtol=0)  # statistics: ~mirror-invariant
    probs = infer(model, images)
    assert probs.shape == (3, len(CLASSES)) and np.allclose(probs.sum(axis=1), 1.0)
    save_model(model, tmp_path / "m.safetensors", {})
    np.testing.assert_allclose(infer(load_model(tmp_path / "m.safetensors").model, images), probs, atol=1e-6)


def test_train_command_rejects_unknown_labels(tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\na.jpg,xray\n")
    args = ["train-classifier", str(tmp_path), "--labels", str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "'xray' is not one of" in result.stderr


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="no GPU on this machine")
def test_gpu_gives_the_same_predictions(shared_images):
    files = sorted(shared_images.glob("*/*"))[:32]
    cpu = Classifier(device="cpu").image_probabilities(files)
    gpu = Classifier(device="cuda").image_probabilities(files)
    # cuDNN runs the convolutions in TF32 on Ampere and later GPUs: an H200 gave 3.4e-4 at most on these images.
    np.testing.assert_allclose(np.stack(cpu), np.stack(gpu), atol=1e-3)
    assert [p.argmax() for p in cpu] == [p.argmax() for p in gpu]


def test_teacher_views_are_augmented_and_described_by_the_pretrained_network(shared_images):
    pytest.importorskip("efficientnet_lite_pytorch", reason="the optional teacher packages (mmskin-build[teacher])")
    from mmskin_build.modality.model import ModelConfig
    from mmskin_build.modality.train import TrainConfig, teacher_targets

    files = [
        shared_images / "dermoscopy" / "ham10000_ISIC_0024306.jpg",
        sorted((shared_images / "pathology").glob("*"))[0],
    ]
    config = ModelConfig()
    images = np.stack([decode_image(f, config.decode_size) for f in files])
    targets = teacher_targets(images, TrainConfig(teacher_views=3), config)
    assert targets.views.shape == (2, 3, config.statistics_size, config.statistics_size, 3)
    assert (
        targets.views.dtype == np.uint8 and len({v.tobytes() for v in targets.views[0]}) == 3
    )  # three different views
    assert targets.features.shape[:2] == (2, 3) and np.isfinite(targets.features).all()
    # The pretrained features tell a dermoscopy view from a micrograph more than from another view of itself.
    same = np.linalg.norm(targets.features[0, 0] - targets.features[0, 1])
    other = np.linalg.norm(targets.features[0, 0] - targets.features[1, 0])
    assert other > same


def test_a_model_trained_with_the_teacher_ships_without_it(shared_images, tmp_path):
    pytest.importorskip("efficientnet_lite_pytorch", reason="the optional teacher packages (mmskin-build[teacher])")
    from safetensors.torch import load_file

    folder, labels_csv, picked = _small_labelled_folder(shared_images, tmp_path)
    out = tmp_path / "model"
    args = [
        "train-classifier",
        str(folder),
        "--labels",
        str(labels_csv),
        "-o",
        str(out),
        "--epochs",
        "1",
        "--folds",
        "0",
    ]
    result = CliRunner().invoke(app, [*args, "--drawn-charts", "2", "--teacher-views", "2", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "modality_cnn.json").read_text())["training"]["teacher_views"] == 2
    assert set(load_file(str(out / "modality_cnn.safetensors"))) == set(
        load_file(str(DEFAULT_WEIGHTS))
    )  # no projection
    assert len(list(classify_folder(Classifier(out, device="cpu"), folder))) == len(picked)


def test_teacher_without_its_packages_is_a_one_line_usage_error(shared_images, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "efficientnet_lite_pytorch", None)  # as if not installed
    folder, labels_csv, _ = _small_labelled_folder(shared_images, tmp_path)
    args = [
        "train-classifier",
        str(folder),
        "--labels",
        str(labels_csv),
        "-o",
        str(tmp_path / "m"),
        "--teacher-views",
        "2",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "mmskin-build[teacher]" in result.stderr and "Traceback" not in result.output


def test_statistics_shortcuts_give_the_bits_of_the_plain_torch_calls(shared_images):
    """The statistics pool, bin and pick ring pixels their own cheaper way; the plain torch calls they replace give
    the same bits on real images, channels-last or not, even sides or odd."""
    import torch
    from torch.nn import functional as F

    from mmskin_build.modality.model import (
        _EDGE_EDGES,
        _RING_EDGES,
        _edge_bins,
        _half,
        _radius,
        _ring_means,
        sample_inputs,
    )

    files = sorted(shared_images.glob("*/*.jpg"))[::8]
    images = torch.as_tensor(np.stack([decode_image(f, 192) for f in files]))
    for size in (160, 97):
        x = sample_inputs(images, size)
        assert x.is_contiguous(memory_format=torch.channels_last)
        for layout in (x, x.contiguous()):
            assert torch.equal(_half(layout), F.avg_pool2d(layout, 2))
        luminance = 0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]
        assert torch.equal(_half(luminance), F.avg_pool2d(luminance.unsqueeze(1), 2)[:, 0])
        edges = (luminance[:, :, 1:] - luminance[:, :, :-1]).abs()
        assert torch.equal(_edge_bins(edges).long(), torch.bucketize(edges, _EDGE_EDGES))
        radius = _radius(size, size, x.device)
        rings = [(radius >= a) & (radius < b) for a, b in zip(_RING_EDGES, _RING_EDGES[1:], strict=False)]
        assert torch.equal(
            _ring_means(luminance), torch.stack([luminance[:, ring].mean(dim=1) for ring in rings], dim=1)
        )


def test_batch_norms_folded_for_inference_give_the_trained_models_probabilities(shared_images):
    from safetensors.torch import load_file

    from mmskin_build.modality.model import ModalityNet, infer, load_model

    loaded = load_model()
    assert not any(isinstance(m, __import__("torch").nn.BatchNorm2d) for m in loaded.model.features.modules())
    trained = ModalityNet(loaded.config)
    trained.load_state_dict(load_file(str(DEFAULT_WEIGHTS)))
    files = sorted(shared_images.glob("*/*.jpg"))[::4]
    images = np.stack([decode_image(f, loaded.config.decode_size) for f in files])
    folded, unfolded = infer(loaded.model, images), infer(trained.eval(), images)
    np.testing.assert_allclose(folded, unfolded, atol=1e-5)
    assert (folded.argmax(axis=1) == unfolded.argmax(axis=1)).all() and len(files) > 20

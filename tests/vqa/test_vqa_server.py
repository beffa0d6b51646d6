"""serve-llm's command line and its errors (the server itself is started in test_vqa_vllm.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mmskin_build.cli import app
from mmskin_build.vqa.server import STRUCTURED_OUTPUTS, ServerOptions


def _flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_structured_output_backend_is_guidance_without_whitespace(tmp_path):
    for cpu in (True, False):
        command = ServerOptions(tmp_path, "m", port=8123, cpu=cpu, extra_args=["--seed", "1"]).command()
        assert json.loads(_flag(command, "--structured-outputs-config")) == STRUCTURED_OUTPUTS
        assert STRUCTURED_OUTPUTS == {"backend": "guidance", "disable_any_whitespace": True}
        assert _flag(command, "--served-model-name") == "m" and _flag(command, "--port") == "8123"
        assert command[-2:] == ["--seed", "1"]
        assert ("--no-enable-chunked-prefill" in command) is cpu and ("--enforce-eager" in command) is cpu


def test_cpu_server_environment_stays_offline(tmp_path):
    env = ServerOptions(tmp_path, cpu=True).environment()
    assert env["HF_HUB_OFFLINE"] == "1" and env["VLLM_NO_USAGE_STATS"] == "1" and "VLLM_CPU_KVCACHE_SPACE" in env
    assert ServerOptions(tmp_path / "qwen").name == "qwen"


def test_serve_llm_names_a_missing_model_directory(tmp_path):
    result = CliRunner().invoke(app, ["serve-llm", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "nope: model directory not found" in result.output

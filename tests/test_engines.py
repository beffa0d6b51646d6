"""The local engine: follow-up items (`more`) run in the same workers, ahead of the items not yet started."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faults.fault_helpers import environment

from mmskin_build.engines import Engine


def _worker_pid(item: int) -> int:
    return os.getpid()


def _ten_times(item: int, result: object) -> list[int]:
    """Items below 10 call for one more item each."""
    return [item * 10] if item < 10 else []


def test_follow_ups_run_before_the_items_not_yet_started():
    done = [item for item, _ in Engine(workers=1).map_unordered(_worker_pid, [1, 2, 3], more=_ten_times)]
    assert done == [1, 10, 2, 20, 3, 30]


def test_worker_processes_run_the_follow_ups_too():
    results = dict(Engine(workers=2).map_unordered(_worker_pid, range(1, 6), more=_ten_times))
    assert sorted(results) == [1, 2, 3, 4, 5, 10, 20, 30, 40, 50]
    assert os.getpid() not in results.values()
    assert len(set(results.values())) <= 2, "the follow-ups ran in new worker processes"


def test_no_items_and_no_follow_ups():
    assert list(Engine(workers=2).map_unordered(_worker_pid, [], more=_ten_times)) == []
    assert dict(Engine(workers=2).map_unordered(_worker_pid, [1, 2])).keys() == {1, 2}


def test_a_worker_process_imports_no_command_line():
    """A spawned worker re-runs the console script (`mmskin_build.__main__`) and imports the task's module
    (`extract.task`): neither may pull in the CLI, typer, rich or the driver's stage skeleton (0.14-0.18 s of CPU
    per worker)."""
    driver_only = ["typer", "rich", "mmskin_build.cli", "mmskin_build.engines", "mmskin_build.pipeline"]
    code = (
        "import sys, mmskin_build.__main__, mmskin_build.extract.task; "
        f"print(sorted(set({driver_only!r}) & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment())
    assert out.stdout.strip() == "[]"


_FINISHED: list[str] = []


def _slow_here(item: str) -> int:
    """ "slow" runs for up to 20 s in small steps (an interrupt lands between them); others return at once."""
    if item == "slow":
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(0.01)
        _FINISHED.append(item)
    return os.getpid()


def test_here_makes_this_process_one_of_the_workers():
    results = dict(Engine(workers=2).map_unordered(_worker_pid, range(1, 6), more=_ten_times, here=True))
    assert sorted(results) == [1, 2, 3, 4, 5, 10, 20, 30, 40, 50]
    assert results[1] == os.getpid(), "the first (longest) item goes to this process, which starts at once"
    assert len(set(results.values()) - {os.getpid()}) == 1, "one worker process beside this one"


def _here(item: int) -> str:
    return f"here {os.getpid()}"


def test_task_here_runs_the_items_of_this_process_and_task_the_others():
    results = dict(Engine(workers=2).map_unordered(_worker_pid, range(1, 6), here=True, task_here=_here))
    assert results[1] == f"here {os.getpid()}"
    assert {pid for pid in results.values() if not isinstance(pid, str)} - {os.getpid()}, "none ran in a process"
    assert dict(Engine(workers=1).map_unordered(_worker_pid, [1, 2], task_here=_here)) == {
        1: f"here {os.getpid()}",
        2: f"here {os.getpid()}",
    }


def test_stopping_early_interrupts_the_task_running_here():
    started = time.monotonic()
    results = Engine(workers=2).map_unordered(_slow_here, ["slow", "fast", "fast2"], here=True)
    item, pid = next(results)
    assert item != "slow" and pid != os.getpid()
    results.close()  # as the stage does on Ctrl-C or another task's error
    assert time.monotonic() - started < 15
    assert _FINISHED == [], "the task on this process's thread ran on after the caller stopped"


def _fails_on_one(item: int) -> int:
    if item == 1:
        raise ValueError("item 1 is bad")
    return os.getpid()


def test_an_error_in_the_task_running_here_reaches_the_caller():
    with pytest.raises(ValueError, match="item 1 is bad"):
        dict(Engine(workers=2).map_unordered(_fails_on_one, [1, 2, 3], here=True))


def _sends_half_a_result(item: str) -> str:
    """ "half" (in a worker process) writes the start of a result longer than a pipe-full to the results pipe and
    waits, as a worker that Ctrl-C stops while it sends a first pass's text leaves it; "wait" returns once it has."""
    marker = Path(os.environ["HALF_SENT_MARKER"])
    if item == "half":
        frame = sys._getframe()
        while "result_queue" not in frame.f_locals:  # concurrent.futures' worker loop, which sends the results
            frame = frame.f_back
        pipe = frame.f_locals["result_queue"]._writer
        os.write(pipe.fileno(), struct.pack("!i", 1 << 20) + bytes(1000))  # a message's length, then its start
        marker.touch()
        time.sleep(60)
    while not marker.exists():
        time.sleep(0.01)
    time.sleep(0.5)  # the pool's manager thread is now reading the rest of the message
    return item


def test_stopping_while_a_worker_sends_its_result_lets_the_process_exit(tmp_path):
    driver = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        "from test_engines import _sends_half_a_result; from mmskin_build.engines import Engine; "
        "results = Engine(workers=2).map_unordered(_sends_half_a_result, ['wait', 'half'], here=True); "
        "assert next(results)[0] == 'wait'; "
        "results.close()"  # as the stage does on Ctrl-C
    )
    env = {**environment(), "HALF_SENT_MARKER": str(tmp_path / "half-sent")}
    started = time.monotonic()
    try:
        subprocess.run([sys.executable, "-c", driver], env=env, timeout=45, check=True)
    except subprocess.TimeoutExpired:
        pytest.fail("the driver never exited: the pool's manager thread is still reading the stopped worker's result")
    assert (tmp_path / "half-sent").exists()
    assert time.monotonic() - started < 30

"""The stage skeleton's Ctrl-C: an interrupt that a library turns into an ordinary error still stops the run."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import weakref

import pytest

from mmskin_build.pipeline import StageInterrupted, open_stage
from mmskin_build.store import Dataset
from mmskin_build.store.manifest import InputInfo
from mmskin_build.tables import ErrorRecord


class _CtrlCWhileConverted:
    """A foreign call's argument type whose conversion is where Ctrl-C lands (as in a pdfium call)."""

    @classmethod
    def from_param(cls, value):
        os.kill(os.getpid(), signal.SIGINT)
        return ctypes.c_int(value)


def _foreign_call_hit_by_ctrl_c() -> str:
    """What a page's `except Exception` handler makes of the call: ctypes reports the KeyboardInterrupt as an
    ArgumentError, so the handler records a broken page and the run goes on."""
    absolute = ctypes.CDLL(None).abs
    absolute.argtypes = [_CtrlCWhileConverted]
    try:
        absolute(-3)
    except Exception as exc:  # what extract's page handlers catch
        return f"page does not parse: {exc}"
    return "read"


def _stage_input(stage, name: str, detail: str) -> None:
    writer = stage.dataset.writer("errors")
    writer.add(ErrorRecord(stage="extract", source=name, page=1, reason="page-failed", detail=detail))
    item = InputInfo(path=name, sha256=f"{len(name):064d}", size=1, stage="extract", status="done")
    stage.commit_input(item, writer.close())


def test_ctrl_c_taken_for_a_page_error_stops_the_run_before_that_input_commits(tmp_path):
    root = tmp_path / "ds"
    with pytest.raises(StageInterrupted) as interrupted:
        with open_stage(root, "extract", {}, create=True) as stage:
            _stage_input(stage, "first.pdf", "a real error, committed before Ctrl-C")
            detail = _foreign_call_hit_by_ctrl_c()
            assert detail == "page does not parse: argument 1: KeyboardInterrupt: "
            _stage_input(stage, "second.pdf", detail)
    assert interrupted.value.committed == 1
    dataset = Dataset.open(root)
    assert [item.path for item in dataset.manifest.inputs.values()] == ["first.pdf"]
    assert dataset.rows("errors") == 1
    assert dataset.manifest.runs[-1].status == "interrupted"


def test_ctrl_c_taken_for_an_error_after_the_last_commit_ends_the_run_interrupted(tmp_path):
    root = tmp_path / "ds"
    with pytest.raises(StageInterrupted):
        with open_stage(root, "extract", {}, create=True):
            _foreign_call_hit_by_ctrl_c()
    assert Dataset.open(root).manifest.runs[-1].status == "interrupted"


def test_a_run_without_ctrl_c_keeps_python_s_handler_afterwards(tmp_path):
    with open_stage(tmp_path / "ds", "extract", {}, create=True) as stage:
        _stage_input(stage, "only.pdf", "planted")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert Dataset.open(tmp_path / "ds").manifest.runs[-1].status == "done"


class _Collected:
    pass


def test_ctrl_c_in_a_weakref_callback_is_noted_not_printed(tmp_path, monkeypatch):
    # Python cannot raise an exception out of a weakref callback: it hands it to sys.unraisablehook, whose default
    # prints "Exception ignored in ..." with a traceback (seen in CI on a Ctrl-C of extract), and goes on as if no key
    # was pressed.
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def callback(_ref):
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(1000))  # the handler runs here, inside the callback

    with pytest.raises(StageInterrupted):
        with open_stage(tmp_path / "ds", "extract", {}, create=True):
            collected = _Collected()
            reference = weakref.ref(collected, callback)
            del collected
            assert reference() is None
    assert unraisable == []
    assert Dataset.open(tmp_path / "ds").manifest.runs[-1].status == "interrupted"

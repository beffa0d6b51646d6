"""The CLI layer's one error path and its stage events (mmskin_build/console.py)."""

import pytest
import typer

from mmskin_build.console import EXIT_FAILED, EXIT_USAGE, guarded, stage_events
from mmskin_build.pipeline import RunFailed
from mmskin_build.training import TrainingInputError
from mmskin_build.vqa.prompts import PromptError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RunFailed("http://gpu1:8000/v1: server-unreachable"), EXIT_FAILED),
        (TrainingInputError("runs/a: no adapter_config.json"), EXIT_USAGE),
        (PromptError("prompts/x.txt: missing $caption"), EXIT_USAGE),
    ],
)
def test_every_kind_of_error_is_one_line_and_its_exit_code(error, code, capsys):
    def command():
        raise error

    with pytest.raises(typer.Exit) as exit_info:
        guarded(command)()
    assert exit_info.value.exit_code == code
    assert capsys.readouterr().err.splitlines() == [f"error: {error}"]


def test_status_without_a_terminal_is_one_line_per_update(capsys):
    with stage_events() as events:
        advance = events.progress("training", 3)
        advance(1)
        events.status("loss 0.5000")
        advance(2)
    assert capsys.readouterr().err.splitlines() == ["loss 0.5000"]

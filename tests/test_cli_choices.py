"""Fixed-choice options are Enums: `--help` lists the choices and anything else is a usage error (exit 2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mmskin_build.cli import app

CHOICES = [
    ("generate-vqa", "--backend", ["vllm", "rules"]),
    ("generate-vqa", "--mode", ["text", "vision"]),
    ("export", "--format", ["llava", "sharegpt", "messages"]),
    ("evaluate", "--split", ["train", "val", "test"]),
    ("classify", "--device", ["auto", "cpu", "cuda"]),
    ("train-classifier", "--device", ["auto", "cpu", "cuda"]),
    ("curate", "--keep-modality", ["clinical", "dermoscopy", "pathology", "other"]),
]


@pytest.mark.parametrize(("command", "option", "choices"), CHOICES)
def test_help_lists_the_choices(command, option, choices):
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("│") and f" {option} " in line)
    assert "|".join(choices) in line


@pytest.mark.parametrize(("command", "option", "choices"), CHOICES)
def test_another_value_is_a_usage_error(command, option, choices, tmp_path):
    result = CliRunner().invoke(app, [command, str(tmp_path), option, "nonsense"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "nonsense" in result.stderr and "is not one of" in result.stderr

"""The export / train / merge / evaluate commands: output on success, one clear line and exit 2 on bad input."""

from typer.testing import CliRunner

from fixtures.tiny_dataset import build_dataset
from mmskin_build.cli import app


def test_export_command(tmp_path):
    data = build_dataset(tmp_path / "ds", n_train=2, n_test=1)
    result = CliRunner().invoke(app, ["export", str(data), "--format", "sharegpt", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "exported 9 samples (train 6, test 3), 3 images" in result.output
    assert (tmp_path / "out" / "train.parquet").is_file()


def test_bad_input_exits_2_naming_the_problem(tmp_path):
    data = build_dataset(tmp_path / "ds", n_train=2, n_test=0, vqa=False)
    (tmp_path / "model").mkdir()
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--base", str(tmp_path / "model"), "--data", str(data), "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert "model: not a model directory (no config.json)" in result.stderr
    result = runner.invoke(app, ["export", str(data), "-o", str(tmp_path / "x"), "--mix", "vqa"])
    assert result.exit_code == 2 and "has no 'vqa' table" in result.stderr
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 2 and "not a training run directory" in result.stderr
    for command in ("export", "train", "merge", "evaluate"):
        assert "Example:" in runner.invoke(app, [command, "--help"]).output

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
    result = runner.invoke(
        app, ["train", "--base", str(tmp_path / "model"), "--data", str(data), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 2
    assert "model: not a model directory (no config.json)" in result.stderr
    result = runner.invoke(app, ["export", str(data), "-o", str(tmp_path / "x"), "--mix", "vqa"])
    assert result.exit_code == 2 and "has no 'vqa' table" in result.stderr
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 2 and "not a training run directory" in result.stderr
    for command in ("export", "train", "merge", "evaluate"):
        assert "Example:" in runner.invoke(app, [command, "--help"]).output


def test_train_merge_evaluate_commands(tmp_path):
    import torch

    from fixtures.tiny_vlm import build_tiny_llava

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        base = build_tiny_llava(tmp_path / "llava")
        data = build_dataset(tmp_path / "ds", n_train=2, n_test=1)
        run = tmp_path / "run"
        runner = CliRunner()
        result = runner.invoke(
            app,
            [
                "train",
                "--base",
                str(base),
                "--data",
                str(data),
                "--out",
                str(run),
                "--lora-r",
                "4",
                "--lora-alpha",
                "8",
                "--max-steps",
                "2",
                "--logging-steps",
                "1",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "trained 2 steps on 6 samples" in result.output and "loss " in result.output
        assert runner.invoke(app, ["merge", str(run)]).exit_code == 0
        result = runner.invoke(
            app,
            [
                "evaluate",
                "--model",
                str(run / "merged"),
                "--data",
                str(data),
                "--out",
                str(tmp_path / "eval"),
                "--max-new-tokens",
                "4",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "overall: n 3" in result.output and (tmp_path / "eval" / "metrics.json").is_file()
    finally:
        torch.set_num_threads(threads)

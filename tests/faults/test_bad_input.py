"""Bad paths, bad options and damaged datasets: one line naming the thing, the documented exit code, no
traceback, and a dataset that `validate` accepts afterwards (once the injected damage is undone)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fault_helpers import assert_one_error, assert_valid, cli

from mmskin_build.extract import stage as extract_stage
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import extractor_fingerprint, run_extract
from mmskin_build.pipeline import StageEvents
from mmskin_build.store import Dataset

MISSING_DATASET_COMMANDS = {
    "classify": ["classify", "{ds}", "--device", "cpu"],
    "curate": ["curate", "{ds}"],
    "generate-vqa": ["generate-vqa", "{ds}", "--backend", "rules"],
    "report": ["report", "{ds}"],
    "validate": ["validate", "{ds}"],
    "export": ["export", "{ds}", "-o", "{out}"],
    "eval-extract": ["eval-extract", "{ds}", "--gt", "{tmp}"],
    "inspect": ["inspect", "{ds}", "-o", "{out}"],
}


def _args(template: list[str], ds: Path, out: Path) -> list[str]:
    return [a.format(ds=ds, out=out, tmp=ds.parent) for a in template]


@pytest.mark.parametrize("name", sorted(MISSING_DATASET_COMMANDS))
def test_a_missing_dataset_is_one_line_and_exit_2(name, tmp_path):
    result = cli(*_args(MISSING_DATASET_COMMANDS[name], tmp_path / "typo", tmp_path / "out"))
    assert_one_error(result, 2, str(tmp_path / "typo"))
    assert not (tmp_path / "typo").exists(), "a typo must not become a new empty dataset"


def test_extract_of_a_missing_pdf_names_it(books, tmp_path):
    result = cli("extract", books, tmp_path / "nope.pdf", "-o", tmp_path / "ds")
    assert_one_error(result, 2, "nope.pdf", "no such file")
    assert not (tmp_path / "ds").exists(), "nothing is done when an input is missing"


def test_extract_into_a_folder_that_is_not_a_dataset(books, tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "holiday.jpg").write_bytes(b"a user's photo")
    result = cli("extract", books, "-o", tmp_path / "photos")
    assert_one_error(result, 2, str(tmp_path / "photos"), "not a dataset directory")
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["holiday.jpg"]


def test_extract_into_a_file(books, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    assert_one_error(cli("extract", books, "-o", tmp_path / "notes.txt"), 2, "notes.txt", "is a file")


def test_extract_into_proc(books):
    assert_one_error(cli("extract", books, "-o", "/proc/mmskin-test"), 2, "/proc/mmskin-test", "cannot create")


def test_a_file_that_is_not_a_pdf_is_an_error_row_and_exit_1(books, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(books / "sample-textbook.pdf", tmp_path / "in")
    (tmp_path / "in" / "letter.pdf").write_text("Dear reader, this is text.\n")
    result = cli("extract", tmp_path / "in", "-o", tmp_path / "ds", "--dpi", "72")
    assert_one_error(result, 1, "letter.pdf", "not-a-pdf")
    assert Dataset.open(tmp_path / "ds").rows("errors") == 1
    assert_valid(tmp_path / "ds")


@pytest.mark.parametrize("name", ["classify", "curate", "generate-vqa", "validate"])
def test_a_manifest_that_is_not_json(name, built, tmp_path):
    manifest = built / "manifest.json"
    saved = manifest.read_bytes()
    manifest.write_bytes(saved[: len(saved) // 3])
    result = cli(*_args(MISSING_DATASET_COMMANDS[name], built, tmp_path / "out"))
    assert_one_error(result, 2, str(manifest), "not a valid manifest")
    manifest.write_bytes(saved)
    assert_valid(built)


def test_a_manifest_of_the_wrong_shape(built):
    manifest = built / "manifest.json"
    saved = manifest.read_bytes()
    manifest.write_text(json.dumps({"tables": "none"}))
    assert_one_error(cli("curate", built), 2, str(manifest), "not a valid manifest")
    manifest.write_bytes(saved)
    assert_valid(built)


def _first_shard(dataset: Path, table: str) -> Path:
    return Dataset.open(dataset).shard_paths(table)[0]


@pytest.mark.parametrize(
    ("name", "table", "damage"),
    [
        ("classify", "images", "delete"),
        ("curate", "images", "truncate"),
        ("curate", "figures", "delete"),
        ("generate-vqa", "pairs", "truncate"),
        ("export", "pairs", "delete"),
    ],
)
def test_a_damaged_shard_is_named(name, table, damage, built, tmp_path):
    shard = _first_shard(built, table)
    saved = shard.read_bytes()
    if damage == "delete":
        shard.unlink()
    else:
        shard.write_bytes(saved[: len(saved) // 2])
    result = cli(*_args(MISSING_DATASET_COMMANDS[name], built, tmp_path / "out"))
    assert_one_error(result, 2, str(shard), "missing" if damage == "delete" else "corrupt or truncated")
    shard.write_bytes(saved)
    assert_valid(built)


def test_curate_before_classify_says_what_to_run(extracted):
    assert_one_error(cli("curate", extracted), 2, "no modality", "mmskin-build classify")
    assert_valid(extracted)


def test_generate_vqa_before_curate_says_what_to_run(extracted):
    assert_one_error(cli("generate-vqa", extracted, "--backend", "rules"), 2, "`pairs` table", "curate")
    assert_valid(extracted)


def test_a_bad_option_value_is_exit_2(built):
    result = cli("curate", built, "--split-ratios", "1,2")
    assert result.code == 2 and "Traceback" not in result.stderr and "three non-negative numbers" in result.stderr
    assert_valid(built)


def test_ray_address_without_the_ray_engine(books, tmp_path):
    result = cli("extract", books, "-o", tmp_path / "ds", "--ray-address", "auto")
    assert_one_error(result, 2, "--ray-address needs --engine ray")


def test_classify_with_missing_weights(built, tmp_path):
    result = cli("classify", built, "--weights", tmp_path / "none.safetensors", "--device", "cpu")
    assert_one_error(result, 2, "none.safetensors", "cannot load the model")
    assert_valid(built)


def test_stale_pairs_are_refused_and_nothing_is_duplicated(books, built):
    result = cli("extract", books, "-o", built, "--dpi", "72", "--force")
    assert result.code == 0, result.stderr
    dataset = Dataset.open(built)
    ids = dataset.read_table("images", columns=["image_id"]).column(0).to_pylist()
    assert len(ids) == len(set(ids)) > 0
    assert set(dataset.stale_tables()) == {"pairs", "demographics", "dropped"}
    assert_one_error(cli("generate-vqa", built, "--backend", "rules"), 2, "pairs", "stale", "curate")
    for step in (
        ["classify", built, "--device", "cpu"],
        ["curate", built],
        ["generate-vqa", built, "--backend", "rules"],
    ):
        assert cli(*step).code == 0
    assert_valid(built)


def test_a_stray_parquet_is_reported_and_kept(built):
    stray = built / "images" / "my-notes.parquet"
    stray.write_bytes(b"not the tool's")
    result = cli("curate", built)
    assert result.code == 0, result.stderr
    assert f"note: {stray}: not written by mmskin-build" in result.stderr
    assert stray.read_bytes() == b"not the tool's"
    assert cli("generate-vqa", built, "--backend", "rules").code == 0  # the new pairs made vqa stale
    assert _problems(built) == [
        f"{stray}: not listed in the manifest (not written by mmskin-build, or left by a crash)"
    ]
    stray.unlink()
    assert_valid(built)


def _problems(dataset: Path) -> list[str]:
    from mmskin_build.validate import problems

    return list(problems(dataset))


def test_debug_shows_the_traceback(tmp_path):
    result = cli("--debug", "curate", tmp_path / "typo")
    assert result.code == 2 and "Traceback" in result.stderr and "no such dataset directory" in result.stderr


def test_a_rerun_with_other_options_says_so(books, extracted):
    result = cli("extract", books, "-o", extracted, "--dpi", "100")
    assert result.code == 0
    assert "already extracted with captioned_only=False, dpi=72" in result.stderr
    assert "dpi=100" in result.stderr and "--force re-extracts" in result.stderr
    assert_valid(extracted)


def test_a_rerun_by_other_extractor_code_says_so(books, extracted, monkeypatch):
    """A dataset made by an earlier version of the extractor is kept (no silent re-extraction), and said to be."""
    notices: list[str] = []

    class Notices(StageEvents):
        def notice(self, message: str) -> None:
            notices.append(message)

    made_by = extractor_fingerprint()
    monkeypatch.setattr(extract_stage, "extractor_fingerprint", lambda: "0" * 12)
    summary = run_extract([books], extracted, ExtractConfig(dpi=72), events=Notices())
    assert summary.skipped == summary.other_options == len(notices) > 0
    assert all(f"extractor={made_by}" in n and "extractor=000000000000" in n for n in notices)
    assert Dataset.open(extracted).manifest.runs[-1].config["extractor"] == "0" * 12


def test_the_same_file_twice_is_extracted_once(books, tmp_path):
    shutil.copy(books / "sample-textbook.pdf", tmp_path / "copy.pdf")
    (tmp_path / "link.pdf").symlink_to(books / "sample-textbook.pdf")
    result = cli(
        "extract",
        books / "sample-textbook.pdf",
        tmp_path / "copy.pdf",
        tmp_path / "link.pdf",
        "-o",
        tmp_path / "ds",
        "--dpi",
        "72",
    )
    assert result.code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "same content as" in line]
    assert len(notes) == 2 and "extracted once" in notes[0]
    dataset = Dataset.open(tmp_path / "ds")
    assert len(dataset.manifest.inputs) == 1
    run = dataset.manifest.runs[-1]
    assert run.counts["duplicates"] == 2 and run.counts["figures"] == dataset.rows("figures")
    assert_valid(tmp_path / "ds")

"""The manifest's commit log: a commit appends one line instead of rewriting `manifest.json`; readers apply the
log; a line cut short by a crash is not a commit; compaction folds the log into `manifest.json`."""

import os

import pytest

from mmskin_build.pipeline import open_stage
from mmskin_build.store import Dataset, DatasetError
from mmskin_build.store.manifest import InputInfo
from mmskin_build.store.manifest_log import log_path
from mmskin_build.tables import ErrorRecord, VqaDroppedRecord
from mmskin_build.validate import problems


def _commit(ds: Dataset, i: int) -> None:
    writer = ds.writer("errors")
    writer.add(ErrorRecord(stage="extract", source=f"f{i}.pdf", page=i, reason="test", detail="planted"))
    item = InputInfo(path=f"f{i}.pdf", sha256=f"{i:064d}", size=1, stage="extract", status="done")
    ds.commit_input(item, writer.close())


def _log(root):
    return log_path(root, Dataset.open(root).manifest.generation)


def _two_commits(root):
    """A new dataset with two commits in its log; returns the log."""
    ds = Dataset.create_or_open(root)
    _commit(ds, 0)
    _commit(ds, 1)
    return _log(root)


def test_commits_append_to_the_log_and_leave_manifest_json_alone(tmp_path):
    root = tmp_path / "ds"
    ds = Dataset.create_or_open(root)
    before = (root / "manifest.json").stat()
    for i in range(3):
        _commit(ds, i)
    after = (root / "manifest.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(_log(root).read_bytes().splitlines()) == 3
    reopened = Dataset.open(root)
    assert reopened.rows("errors") == 3 and len(reopened.manifest.inputs) == 3
    assert list(problems(root)) == []


def test_compaction_gives_the_same_manifest_and_drops_the_old_log(tmp_path):
    root = tmp_path / "ds"
    ds = Dataset.create_or_open(root)
    for i in range(3):
        _commit(ds, i)
    replayed = Dataset.open(root).manifest
    old_log = _log(root)
    ds.save_manifest()
    compacted = Dataset.open(root).manifest
    assert not old_log.exists()
    assert compacted.generation == replayed.generation + 1
    assert compacted.model_dump(exclude={"generation"}) == replayed.model_dump(exclude={"generation"})


def test_a_stage_run_ends_with_manifest_json_whole(tmp_path):
    root = tmp_path / "ds"
    with open_stage(root, "extract", {}, create=True) as stage:
        _commit(stage.dataset, 0)
    assert not _log(root).exists()
    assert Dataset.open(root).rows("errors") == 1


def test_a_torn_last_line_is_no_commit_and_the_next_commit_cuts_it_off(tmp_path):
    root = tmp_path / "ds"
    log = _two_commits(root)
    whole = log.read_bytes()
    log.write_bytes(whole[: len(whole) - 40])  # a crash in the middle of writing the second line
    reopened = Dataset.create_or_open(root)
    assert reopened.rows("errors") == 1 and len(reopened.manifest.inputs) == 1
    _commit(reopened, 2)
    assert len(log.read_bytes().splitlines()) == 2
    final = Dataset.open(root)
    assert sorted(item.path for item in final.manifest.inputs.values()) == ["f0.pdf", "f2.pdf"]
    assert final.rows("errors") == 2


def test_a_damaged_line_is_one_clear_error_naming_the_log(tmp_path):
    root = tmp_path / "ds"
    log = _two_commits(root)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b'{"tables": 3}\n' + lines[1])
    with pytest.raises(DatasetError, match=f"{log}: record 1 .* not a commit record"):
        Dataset.open(root)
    assert [line.startswith(f"{log}: record 1") for line in problems(root)] == [True]


def test_a_second_handle_catches_up_with_only_the_new_lines(tmp_path):
    root = tmp_path / "ds"
    first = Dataset.create_or_open(root)
    second = Dataset.open(root)
    _commit(first, 0)
    _commit(second, 1)  # reads the first handle's commit before appending its own
    _commit(first, 2)
    final = Dataset.open(root)
    assert final.rows("errors") == 3
    assert [os.path.basename(p) for p in final.shard_paths("errors")] == [f"part-{i:05d}.parquet" for i in range(3)]
    assert list(problems(root)) == []


def test_replacing_two_tables_is_one_commit(tmp_path):
    root = tmp_path / "ds"
    ds = Dataset.create_or_open(root)
    _commit(ds, 0)
    staged = {}
    left_out = VqaDroppedRecord(
        qa_id="q1",
        image_id="img1",
        question="Q?",
        answer="A.",
        question_type="colour",
        evidence="red",
        reason="hedge",
        detail="may be",
        cache_key="k",
        prompt_version="v",
    )
    errors = [ErrorRecord(stage="extract", source="f.pdf", page=p, reason="test", detail="planted") for p in (1, 2)]
    for table, rows in (("errors", errors), ("vqa_dropped", [left_out])):
        writer = ds.writer(table)
        writer.extend(rows)
        staged[table] = writer.close()
    lines = len(_log(root).read_bytes().splitlines())
    ds.replace_tables(staged, built_from={"images": 0})
    assert len(_log(root).read_bytes().splitlines()) == lines + 1
    reopened = Dataset.open(root)
    assert reopened.read_table("errors").column("page").to_pylist() == [1, 2]
    assert reopened.read_table("vqa_dropped").column("qa_id").to_pylist() == ["q1"]
    assert (
        reopened.manifest.tables["vqa_dropped"].built_from
        == reopened.manifest.tables["errors"].built_from
        == {"images": 0}
    )
    assert list(problems(root)) == []

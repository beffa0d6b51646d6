import json

import pyarrow.parquet as pq
import pytest

from mmskin_build.store import Dataset, DatasetError
from mmskin_build.store.dataset import JOURNAL
from mmskin_build.store.manifest import InputInfo
from mmskin_build.tables import ErrorRecord
from mmskin_build.validate import problems


def _error(i: int) -> ErrorRecord:
    return ErrorRecord(stage="extract", source=f"f{i}.pdf", page=i, reason="test", detail="planted")


def test_commit_makes_shards_visible_and_counts_rows(tmp_path):
    ds = Dataset.create_or_open(tmp_path / "ds")
    writer = ds.writer("errors", rows_per_shard=2)
    writer.extend(_error(i) for i in range(5))
    staged = writer.close()
    assert len(staged) == 3
    assert ds.read_table("errors").num_rows == 0  # staged shards are invisible until commit
    ds.commit_input(InputInfo(path="f.pdf", sha256="ab", size=1, stage="extract", status="done"), staged)
    reopened = Dataset.open(tmp_path / "ds")
    assert reopened.rows("errors") == 5
    assert [p.name for p in reopened.shard_paths("errors")] == [f"part-{i:05d}.parquet" for i in range(3)]
    assert reopened.read_table("errors").column("source").to_pylist() == [f"f{i}.pdf" for i in range(5)]
    assert reopened.input_record("extract", "ab").status == "done"
    assert list(problems(tmp_path / "ds")) == []


def test_recommitting_an_input_replaces_its_rows(tmp_path):
    ds = Dataset.create_or_open(tmp_path / "ds")
    item = InputInfo(path="f.pdf", sha256="ab", size=1, stage="extract", status="failed")
    for _ in range(2):
        writer = ds.writer("errors")
        writer.extend(_error(i) for i in range(3))
        ds.commit_input(item.model_copy(), writer.close())
    reopened = Dataset.open(tmp_path / "ds")
    assert reopened.rows("errors") == 3
    assert len(list((tmp_path / "ds" / "errors").glob("*.parquet"))) == 1
    assert list(problems(tmp_path / "ds")) == []


def test_interrupted_run_leaves_nothing_visible(tmp_path):
    ds = Dataset.create_or_open(tmp_path / "ds")
    writer = ds.writer("errors")
    writer.add(_error(0))
    staged = writer.close()
    # Simulate a crash after the journal was written and the shard moved into place, before the manifest.
    (tmp_path / "ds" / JOURNAL).write_text(json.dumps({"place": ["errors/part-00000.parquet"], "retire": []}))
    staged[0].path.rename(tmp_path / "ds" / "errors" / "part-00000.parquet")
    reopened = Dataset.create_or_open(tmp_path / "ds")
    assert not list((tmp_path / "ds" / "errors").glob("*.parquet"))
    assert not (tmp_path / "ds" / JOURNAL).exists()
    assert reopened.rows("errors") == 0


def test_a_stray_file_is_reported_and_kept_and_never_overwritten(tmp_path):
    Dataset.create_or_open(tmp_path / "ds")
    stray = tmp_path / "ds" / "errors" / "part-00000.parquet"
    stray.parent.mkdir()
    stray.write_bytes(b"a user's file")
    reopened = Dataset.create_or_open(tmp_path / "ds")
    assert reopened.strays() == [stray]
    writer = reopened.writer("errors")
    writer.add(_error(0))
    reopened.commit(writer.close())
    assert stray.read_bytes() == b"a user's file"
    assert reopened.shard_paths("errors") == [tmp_path / "ds" / "errors" / "part-00001.parquet"]


def test_validate_reports_tampering(tmp_path):
    ds = Dataset.create_or_open(tmp_path / "ds")
    writer = ds.writer("errors")
    writer.add(_error(0))
    ds.commit(writer.close())
    ds.save_manifest()  # compacts the commit log into manifest.json, as the end of every stage run does
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text())
    manifest["tables"]["errors"]["rows"] = 7
    (tmp_path / "ds" / "manifest.json").write_text(json.dumps(manifest))
    shard = tmp_path / "ds" / "errors" / "part-00000.parquet"
    table = pq.read_table(shard).drop_columns(["detail"])
    pq.write_table(table, shard)
    found = "\n".join(problems(tmp_path / "ds"))
    assert "manifest says 7 rows" in found
    assert "checksum differs" in found
    assert "missing ['detail']" in found


def test_open_refuses_a_non_dataset(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file.txt").write_text("hi")
    with pytest.raises(DatasetError, match="not a dataset directory"):
        Dataset.create_or_open(tmp_path / "x")


def test_replace_table_twice_keeps_the_new_rows(tmp_path):
    ds = Dataset.create_or_open(tmp_path / "ds")
    for run in range(3):
        writer = ds.writer("errors", rows_per_shard=2)
        writer.extend(_error(run * 10 + i) for i in range(3))
        ds.replace_table("errors", writer.close())
        reopened = Dataset.open(tmp_path / "ds")
        assert reopened.read_table("errors").column("page").to_pylist() == [run * 10 + i for i in range(3)]
        assert list(problems(tmp_path / "ds")) == []

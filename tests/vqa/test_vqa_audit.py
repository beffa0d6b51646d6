"""`mmskin-build audit` on every input kind it reads, through the real CLI and the real gates."""

from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fixtures.vqa_pairs import write_pairs
from mmskin_build.cli import app
from mmskin_build.engines import Engine
from mmskin_build.vqa.audit import AuditInputError, audit_rows, read_rows, run_audit
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

CAPTION = "Psoriasis. Erythematous scaly plaques on the elbows of a 45-year-old man."
ROWS = [  # image, question, answer, caption, split, expected reasons
    ("a.jpg", "What lesions are seen on the elbows?", "Erythematous scaly plaques.", CAPTION, "train", ""),
    ("a.jpg", "What color is the lesion?", "Erythematous.", CAPTION, "train", ""),
    ("a.jpg", "What lesions are seen on the elbows ?", "Scaly plaques.", CAPTION, "train", "duplicate-question"),
    ("b.jpg", "Is it painful?", "No, there is no pain or bleeding.", CAPTION, "test", "unsupported;image-independent"),
    ("b.jpg", "Who took this photograph?", "It was taken by Dr Smith.", CAPTION, "test", "unsupported;leakage"),
    ("a.jpg", "Is there anything else you would like to know?", "No.", CAPTION, "test", "chit-chat"),
    (
        "c.jpg",
        "What is seen",
        "The plaques on the elbows of a man are erythematous and scaly and they cover the",
        CAPTION,
        "val",
        "not-a-question;truncated",
    ),
]


def _write_csv(path, rows=ROWS, columns=("image", "question", "answer", "caption", "split")):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(row[: len(columns)] for row in rows)
    return path


def _flags(out):
    with (out / "flags.csv").open() as handle:
        return list(csv.DictReader(handle))


def test_csv_audit_writes_one_flag_row_per_input_row_in_order(tmp_path):
    source = _write_csv(tmp_path / "vqa.csv")
    result = CliRunner().invoke(app, ["audit", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "7 rows, 5 failed a gate" in result.output
    flags = _flags(tmp_path / "out")
    assert [f["row"] for f in flags] == [str(i) for i in range(len(ROWS))]
    assert [f["reasons"] for f in flags] == [row[5] for row in ROWS]
    assert [f["passed"] for f in flags] == ["true" if not row[5] else "false" for row in ROWS]
    assert flags[4]["spans"].split(";")[1] == "taken by" and "pain" in flags[3]["spans"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows"] == 7 and summary["failed"] == 5 and summary["gate_counts"]["duplicate-question"] == 1
    assert summary["images_in_two_splits"] == {"count": 1, "images": ["a.jpg"]}  # a.jpg is in train and test
    assert summary["closed_share"] == round(2 / 7, 4) and summary["yes_no"] == {"yes": 0, "no": 2}
    assert summary["per_split"]["test"] == {
        "rows": 3,
        "failed": 3,
        "unsupported": 2,
        "image-independent": 1,
        "leakage": 1,
        "chit-chat": 1,
    }
    assert len(summary["review_sample"]["rows"]) == 7 and summary["templates"]["distinct_questions"] == 7
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Who took this photograph?" in report and "<script" not in report


def test_without_a_caption_the_caption_gates_are_skipped_and_said_to_be(tmp_path):
    source = _write_csv(tmp_path / "vqa.csv", columns=("image", "question", "answer"))
    run_audit(source, tmp_path / "out")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert "unsupported" not in summary["gates_run"] and summary["gates_skipped"] == {
        "unsupported": "no caption column"
    }
    assert [f["reasons"] for f in _flags(tmp_path / "out")][3:5] == ["image-independent", "leakage"]


def test_llava_json_turns_are_rows_and_image_tags_are_dropped(tmp_path):
    records = [
        {"id": "s1", "image": "s1.jpg", "conversations": [
            {"from": "human", "value": "<image>\nWhat is on the elbows?"}, {"from": "gpt", "value": "Scaly plaques."},
            {"from": "human", "value": "Why do they form?"}, {"from": "gpt", "value": "Because of inflammation."}]},
        {"id": "s2", "image": "s2.jpg", "conversations": [
            {"from": "human", "value": "What colour is it?"}, {"from": "gpt", "value": "I'm sorry, I cannot view images."}]},
    ]  # fmt: skip
    path = tmp_path / "llava.json"
    path.write_text(json.dumps(records))
    rows = read_rows(path)
    assert rows.question == ["What is on the elbows?", "Why do they form?", "What colour is it?"]
    assert rows.image == ["s1.jpg", "s1.jpg", "s2.jpg"]
    assert [[f.gate for f in row] for row in audit_rows(rows)] == [[], ["image-independent"], ["refusal"]]


@pytest.mark.parametrize("turns", ["messages", "conversations"])
def test_sharegpt_and_messages_parquet(tmp_path, turns):
    role, text = ("role", "content") if turns == "messages" else ("from", "value")
    user, assistant = ("user", "assistant") if turns == "messages" else ("human", "gpt")
    table = pa.table({
        turns: [[{role: user, text: "<image>Where is the rash?"}, {role: assistant, text: "On the trunk. Hope this helps!"}]],
        "images": [["img/0001.jpg"]],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "train.parquet")
    rows = read_rows(tmp_path / "train.parquet")
    assert (rows.image, rows.question) == (["img/0001.jpg"], ["Where is the rash?"])
    assert [f.gate for f in audit_rows(rows)[0]] == ["chit-chat"]


def test_openai_content_lists_are_read_from_jsonl(tmp_path):
    line = {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is shown?"}]},
                         {"role": "assistant", "content": "Scaly plaques."}], "images": ["x.png"]}  # fmt: skip
    (tmp_path / "train.jsonl").write_text(json.dumps(line) + "\n")
    assert read_rows(tmp_path / "train.jsonl").question == ["What is shown?"]


def test_a_dataset_of_ours_is_audited_with_its_captions(tmp_path):
    write_pairs(tmp_path / "ds", 8)
    summary = run_generate_vqa(tmp_path / "ds", VqaConfig(backend="rules", per_image=6))
    run_audit(tmp_path / "ds", tmp_path / "out")
    flags = _flags(tmp_path / "out")
    assert len(flags) == summary.accepted and all(f["passed"] == "true" for f in flags)
    assert "unsupported" in json.loads((tmp_path / "out" / "summary.json").read_text())["gates_run"]


def test_process_workers_give_the_same_flags(tmp_path, monkeypatch):
    monkeypatch.setattr("mmskin_build.vqa.audit.CHUNK_ROWS", 3)
    rows = read_rows(_write_csv(tmp_path / "vqa.csv"))
    assert audit_rows(rows, Engine(workers=2)) == audit_rows(rows)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vqa.csv", "image,question\na.jpg,What?\n", "CSV needs the columns image, question, answer; missing answer"),
        ("vqa.json", "{not json", "cannot be read"),
        ("vqa.json", '{"a": 1}', "LLaVA JSON must be a list of records"),
        ("vqa.json", "[]", "no question-answer rows found"),
        ("vqa.txt", "x", "not a dataset directory, .csv, .json, .jsonl or .parquet file"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(AuditInputError, match=message):
        read_rows(path)
    result = CliRunner().invoke(app, ["audit", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(path) in result.output and not (tmp_path / "out" / "flags.csv").exists()

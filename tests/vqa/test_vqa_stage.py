"""generate-vqa end to end without vLLM: the rules backend, and a small real HTTP server that misbehaves
(5xx, 429, broken JSON, output outside the schema, refused connections) to exercise retries and errors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures.factories import pair_record, png
from fixtures.ports import free_port
from fixtures.scripted_llm import ScriptedLLM
from fixtures.vqa_pairs import write_pairs
from mmskin_build.cli import app
from mmskin_build.review.corrections import append_corrections, new_correction
from mmskin_build.store import Dataset
from mmskin_build.tables import ErrorRecord
from mmskin_build.validate import problems
from mmskin_build.vqa import Backend
from mmskin_build.vqa.client import RetryPolicy
from mmskin_build.vqa.dispatch import ServerUnavailable
from mmskin_build.vqa.requests import seed_for
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

FAST_RETRY = RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.02, timeout_s=10)


@pytest.fixture
def scripted():
    servers: list[ScriptedLLM] = []

    def start(script: list[str], default: str = "ok", delay_s: float = 0.0) -> ScriptedLLM:
        servers.append(ScriptedLLM(script, default, delay_s))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _config(url: str, **change) -> VqaConfig:
    return VqaConfig(
        **({"llm_urls": (url,), "model": "scripted", "per_image": 2, "concurrency": 4, "retry": FAST_RETRY} | change)
    )


def _rows(root: Path, table: str) -> list[dict]:
    return Dataset.open(root).read_table(table).to_pylist()


def test_rules_backend_via_cli_writes_a_valid_grounded_table(tmp_path):
    write_pairs(tmp_path / "ds")
    result = CliRunner().invoke(app, ["generate-vqa", str(tmp_path / "ds"), "--backend", "rules", "--per-image", "3"])
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "ds", "vqa")
    pairs = {p["image_id"]: p for p in _rows(tmp_path / "ds", "pairs")}
    assert len(rows) >= len(pairs)
    for row in rows:
        pair = pairs[row["image_id"]]
        assert row["split"] == pair["split"]
        assert pair["caption"][row["evidence_start"] : row["evidence_end"]] == row["evidence"]
        assert row["backend"] == "rules" and row["response_id"] is None
    assert not list(problems(tmp_path / "ds"))
    counts = Dataset.open(tmp_path / "ds").manifest.runs[-1].counts
    assert counts["accepted"] == len(rows)
    assert counts["generated"] == counts["accepted"] + sum(v for k, v in counts.items() if k.startswith("rejected:"))
    assert "rejected:type-balance" in result.output
    left_out = Counter(row["reason"] for row in _rows(tmp_path / "ds", "vqa_dropped"))
    assert left_out == _rejected(counts) and left_out["type-balance"] > 0


def _rejected(counts: dict[str, int]) -> dict[str, int]:
    """The summary's non-zero `rejected:<reason>` counts, by reason."""
    return {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("rejected:") and v}


def test_retries_transient_failures_then_records_rows(tmp_path, scripted):
    llm = scripted(["500", "429", "broken-json", "aborted", "bad-schema"])
    write_pairs(tmp_path / "ds", count=1)
    retry = RetryPolicy(attempts=6, base_delay_s=0.01, max_delay_s=0.02)
    summary = run_generate_vqa(tmp_path / "ds", _config(llm.url, concurrency=1, retry=retry))
    assert summary.errors == [] and summary.counts["requests"] == 1
    assert summary.counts["http_requests"] == len(llm.requests) == 6
    # The same seed until a finished generation is invalid; then the next one, so the retry can differ.
    seeds = [r["seed"] for r in llm.requests]
    (key,) = {row["cache_key"] for row in _rows(tmp_path / "ds", "vqa")}
    assert seeds == [seed_for(key)] * 5 + [seed_for(key) + 1]
    rows = _rows(tmp_path / "ds", "vqa")
    assert [r["response_id"] for r in rows] == ["chatcmpl-6", "chatcmpl-6"]
    assert json.loads(rows[0]["sampling"])["seed"] == seed_for(key) + 1
    request = llm.requests[-1]
    assert request["response_format"]["json_schema"]["strict"] is True
    assert isinstance(request["messages"][1]["content"], str)  # text mode sends no image


def test_a_request_that_keeps_failing_becomes_an_error_row_and_the_run_goes_on(tmp_path, scripted):
    llm = scripted(["broken-json"] * 4)  # the first request's 4 attempts; everything after succeeds
    dataset = write_pairs(tmp_path / "ds", count=3)
    other = ErrorRecord(stage="extract", source="book.pdf", page=3, reason="encrypted", detail="another stage's row")
    writer = dataset.writer("errors")
    writer.add(other)
    dataset.commit(writer.close())
    other = other.model_dump()
    summary = run_generate_vqa(tmp_path / "ds", _config(llm.url, concurrency=1))
    assert [e.reason for e in summary.errors] == ["invalid-output"]
    assert summary.counts["requests"] == 2
    errors = _rows(tmp_path / "ds", "errors")
    assert [(e["stage"], e["reason"]) for e in errors] == [("extract", "encrypted"), ("generate-vqa", "invalid-output")]
    assert "after 4 attempts" in errors[1]["detail"]
    # A re-run asks only for the failed image and never again for the others.
    before = len(llm.requests)
    again = run_generate_vqa(tmp_path / "ds", _config(llm.url, concurrency=1))
    assert again.errors == [] and again.counts["cache_hits"] == 2 and len(llm.requests) == before + 1
    assert {r["image_id"] for r in _rows(tmp_path / "ds", "vqa")} == {"img0000", "img0001", "img0002"}
    assert _rows(tmp_path / "ds", "errors") == [other]  # the answered request's error row is gone


def test_vision_mode_sends_the_image_as_a_data_url(tmp_path, scripted):
    llm = scripted([])
    write_pairs(tmp_path / "ds", count=2)
    run_generate_vqa(tmp_path / "ds", _config(llm.url, mode="vision"))
    for request in llm.requests:
        image, text = request["messages"][1]["content"]
        assert image["image_url"]["url"].startswith("data:image/png;base64,")
        assert text["type"] == "text" and "Caption (ground truth" in text["text"]
    assert {r["mode"] for r in _rows(tmp_path / "ds", "vqa")} == {"vision"}


def test_no_server_is_a_clear_error_not_a_hang(tmp_path):
    port = free_port()  # nothing listens there
    write_pairs(tmp_path / "ds", count=2)
    with pytest.raises(ServerUnavailable, match="server-unreachable"):
        run_generate_vqa(tmp_path / "ds", _config(f"http://127.0.0.1:{port}/v1"))
    result = CliRunner().invoke(
        app,
        [
            "generate-vqa",
            str(tmp_path / "ds"),
            "--llm-url",
            f"http://127.0.0.1:{port}/v1",
            "--model",
            "m",
            "--retries",
            "1",
        ],
    )
    assert result.exit_code == 1 and "serve-llm" in result.output


def test_unknown_model_and_missing_pairs_are_clear_errors(tmp_path, scripted):
    llm = scripted([])
    write_pairs(tmp_path / "ds", count=1)
    with pytest.raises(ServerUnavailable, match="not 'other'"):
        run_generate_vqa(tmp_path / "ds", _config(llm.url, model="other"))
    Dataset.create_or_open(tmp_path / "no-pairs")
    result = CliRunner().invoke(app, ["generate-vqa", str(tmp_path / "no-pairs"), "--backend", "rules"])
    assert result.exit_code == 2 and "the `pairs` table is empty or missing" in result.output
    result = CliRunner().invoke(app, ["generate-vqa", str(tmp_path / "typo"), "--backend", "rules"])
    assert result.exit_code == 2 and "no such dataset directory" in result.output
    assert not (tmp_path / "typo").exists()


def test_items_left_out_are_recorded_with_the_reason_the_summary_counts(tmp_path):
    root = tmp_path / "ds"
    dataset = write_pairs(root)
    writer = dataset.writer("pairs")  # two panels of one figure with one caption: the second repeats the questions
    for index in (100, 101):
        writer.add(
            pair_record(
                index,
                png((index, 90, 120), (32, 32)),
                "Psoriasis. Scaly plaques on the elbows.",
                figure_id="fig-panels",
                panel_letter="AB"[index - 100],
            )
        )
    dataset.commit(writer.close())
    config = VqaConfig(backend=Backend.rules, per_image=3)
    run_generate_vqa(root, config)
    first = _rows(root, "vqa")[0]
    append_corrections(root, [new_correction("qa", first["qa_id"], "fig", "status", None, "rejected", "ann", "wrong")])

    summary = run_generate_vqa(root, config)

    left_out = _rows(root, "vqa_dropped")
    reasons = Counter(row["reason"] for row in left_out)
    assert reasons == {"review": 1, "duplicate-question": 1} == _rejected(summary.counts)
    assert summary.counts["generated"] == summary.accepted + len(left_out)
    by_id = {row["qa_id"]: row for row in left_out}
    assert by_id[first["qa_id"]]["reason"] == "review" and by_id[first["qa_id"]]["detail"] == "wrong"
    duplicate = next(row for row in left_out if row["reason"] == "duplicate-question")
    assert duplicate["image_id"] == "img0101" and duplicate["detail"] == duplicate["question"]
    assert not by_id.keys() & {row["qa_id"] for row in _rows(root, "vqa")}
    assert not list(problems(root))

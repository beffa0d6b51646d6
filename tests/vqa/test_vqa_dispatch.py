"""generate-vqa over several servers (`--llm-url` repeated) with the local engine, against real HTTP servers:
every server is used within its own budget, a faster one takes more, and the table is the one-server table."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fixtures.scripted_llm import ScriptedLLM
from fixtures.vqa_pairs import cached_answers, vqa_rows, write_pairs
from mmskin_build.cli import app
from mmskin_build.store import Dataset
from mmskin_build.vqa.client import RetryPolicy
from mmskin_build.vqa.dispatch import ServerUnavailable
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

PAIRS = 12
CONCURRENCY = 2


def _config(*urls: str) -> VqaConfig:
    retry = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02, timeout_s=10)
    return VqaConfig(llm_urls=urls, model="scripted", per_image=2, concurrency=CONCURRENCY, retry=retry)


@pytest.fixture
def servers():
    started: list[ScriptedLLM] = []

    def start(*delays_s: float) -> list[ScriptedLLM]:
        started.extend(ScriptedLLM([], delay_s=delay) for delay in delays_s)
        return started[-len(delays_s) :]

    yield start
    for server in started:
        server.close()


def test_requests_spread_over_servers_each_within_its_budget(servers, tmp_path):
    (alone,) = servers(0.0)
    write_pairs(tmp_path / "one", PAIRS)
    run_generate_vqa(tmp_path / "one", _config(alone.url))

    fast, slow = servers(0.0, 0.15)
    write_pairs(tmp_path / "two", PAIRS)
    summary = run_generate_vqa(tmp_path / "two", _config(fast.url, slow.url))
    assert summary.errors == [] and summary.counts["requests"] == PAIRS == summary.counts["http_requests"]
    assert len(fast.requests) + len(slow.requests) == PAIRS
    assert slow.requests and len(fast.requests) > len(slow.requests), "the server with room takes the next request"
    assert fast.most_in_flight <= CONCURRENCY and slow.most_in_flight <= CONCURRENCY
    assert vqa_rows(tmp_path / "two") == vqa_rows(tmp_path / "one")
    assert cached_answers(tmp_path / "two") == cached_answers(tmp_path / "one")


def test_an_unreachable_server_among_several_is_named_before_any_request(servers, tmp_path):
    (up,) = servers(0.0)
    down = ScriptedLLM([])
    down.close()  # its port is now refused
    write_pairs(tmp_path / "ds", 2)
    with pytest.raises(ServerUnavailable, match=f"^{down.url}: server-unreachable"):
        run_generate_vqa(tmp_path / "ds", _config(up.url, down.url))
    assert up.requests == []


def test_llm_url_repeats_on_the_command_line(servers, tmp_path):
    first, second = servers(0.0, 0.0)
    write_pairs(tmp_path / "ds", 4)
    args = [
        "generate-vqa",
        str(tmp_path / "ds"),
        "--model",
        "scripted",
        "--llm-url",
        first.url,
        "--llm-url",
        second.url,
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert Dataset.open(tmp_path / "ds").manifest.runs[-1].config["llm_urls"] == [first.url, second.url]
    assert len(first.requests) + len(second.requests) == 4

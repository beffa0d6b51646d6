"""The `mmskin-build` command line: one subcommand per pipeline stage."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from mmskin_build import __version__

app = typer.Typer(
    name="mmskin-build",
    help="Turn dermatology textbooks (PDF) into a multimodal instruction dataset, and fine-tune a VLM on it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Pipeline: extract -> classify -> curate -> generate-vqa -> export / train."""


@app.command()
def validate(dataset: Path = typer.Argument(..., help="Dataset directory (holds manifest.json).")) -> None:
    """Check every Parquet shard of DATASET against its JSON Schema and the manifest.

    Prints one line per problem on stderr and exits 1 when there is any.

    Example: [bold]mmskin-build validate out/demo[/bold]
    """
    from mmskin_build.validate import problems

    found = 0
    for line in problems(dataset):
        err.print(line, markup=False, highlight=False, soft_wrap=True)
        found += 1
    if found:
        raise typer.Exit(1)
    print(f"{dataset}: valid")


# Each stage registers its subcommands here; the stage modules import heavy libraries lazily.
def _register_stages() -> None:
    from mmskin_build.curation import cli as curation_cli
    from mmskin_build.extract import cli as extract_cli
    from mmskin_build.modality import cli as modality_cli
    from mmskin_build.review import cli as review_cli
    from mmskin_build.sample import cli as sample_cli
    from mmskin_build.training import cli as training_cli
    from mmskin_build.vqa import cli as vqa_cli

    for module in (extract_cli, sample_cli, modality_cli, curation_cli, review_cli, vqa_cli, training_cli):
        module.register(app)


_register_stages()

"""The `mmskin-build` command line: one subcommand per pipeline stage."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import typer

from mmskin_build import __version__
from mmskin_build.console import err, guarded

app = typer.Typer(
    name="mmskin-build",
    help="Turn dermatology textbooks (PDF) into a multimodal instruction dataset, and fine-tune a VLM on it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    debug: bool = typer.Option(
        False, "--debug", help="Show the Python traceback of an error, and of each failed page's error line."
    ),
    no_wait: bool = typer.Option(
        False, "--no-wait", help="Fail at once when another run is writing the dataset, instead of waiting for it."
    ),
) -> None:
    """Pipeline: extract -> classify -> curate -> generate-vqa -> export / train.

    Exit codes: 0 done, 1 some inputs failed (see the `errors` table), 2 usage error, 130 interrupted.
    """
    from mmskin_build.console import settings

    settings.debug = debug
    settings.wait = not no_wait


@app.command()
def validate(dataset: Path = typer.Argument(..., help="Dataset directory (holds manifest.json).")) -> None:
    """Check every Parquet shard of DATASET against its JSON Schema and the manifest.

    Also checks that ids are unique, that no derived table is stale (built from an older version of an upstream
    table), and lists files the manifest does not know. Prints one line per problem on stderr and exits 1 when
    there is any; exits 2 when DATASET is not a readable dataset.

    Example: [bold]mmskin-build validate out/demo[/bold]
    """
    from mmskin_build.store import Dataset
    from mmskin_build.validate import problems

    Dataset.open(dataset)  # not a dataset, or an unreadable manifest: one line, exit 2
    found = 0
    for line in problems(dataset):
        err.print(line, markup=False)
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
    for command in app.registered_commands:
        command.help = unwrapped(command.help or command.callback.__doc__ or "")
        command.callback = guarded(command.callback)  # one error path for every command


# A docstring line that shows a command: it stays a line of its own in --help.
_EXAMPLE_LINE = re.compile(r"^(?:\[\w+\])?[\w ]*:? *\[bold\]mmskin-build ")


def unwrapped(docstring: str) -> str:
    """`docstring` with the line breaks of its source wrapping taken out, so that --help wraps it to the terminal.

    typer's rich mode keeps every single line break, which at another width than the source's left lines cut short
    in mid-sentence. Paragraphs (blank lines) and lines that show a command ("Example: mmskin-build ...") stay."""
    paragraphs = []
    for paragraph in inspect.cleandoc(docstring).split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not _EXAMPLE_LINE.match(line) and not _ends_a_line(lines[-1]):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _ends_a_line(line: str) -> bool:
    """A command line shown whole: the next source line starts a new one (unless it continues the command)."""
    return bool(_EXAMPLE_LINE.match(line)) and line.count("[bold]") == line.count("[/bold]")


_register_stages()

"""`--help` wraps each command's docstring to the terminal: no line cut short where the source wrapped it."""

from __future__ import annotations

from typer.testing import CliRunner

from mmskin_build.cli import app, unwrapped


def test_source_wrapping_is_taken_out_and_command_lines_stay():
    docstring = """Do a thing.

    A sentence wrapped in the
    source at some width.

    Example: [bold]mmskin-build thing a/ --long
    --option[/bold]
    Or: [bold]mmskin-build thing b/[/bold]
    """
    assert unwrapped(docstring) == (
        "Do a thing.\n\nA sentence wrapped in the source at some width.\n\n"
        "Example: [bold]mmskin-build thing a/ --long --option[/bold]\nOr: [bold]mmskin-build thing b/[/bold]"
    )


def test_extract_help_wraps_to_the_terminal():
    result = CliRunner().invoke(app, ["extract", "--help"], env={"COLUMNS": "240"})
    lines = [line.strip() for line in result.stdout.splitlines()]
    # Wrapped at 110 characters in the source; one line of the help at 240 columns.
    assert "says so and keeps the earlier extraction; --force re-extracts (and rows" in result.stdout
    assert any(line.startswith("Example: mmskin-build extract") for line in lines)
    assert any(line.startswith("On a Ray cluster: mmskin-build extract") for line in lines)

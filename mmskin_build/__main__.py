"""`python -m mmskin_build` runs the command line."""

from mmskin_build.cli import app

app()

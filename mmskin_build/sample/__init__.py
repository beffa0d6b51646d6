"""A generated sample textbook, a long benchmark book and broken PDFs, each with exact ground truth.

`make demo` and the extract tests use these instead of real books (which cannot ship with the project).
"""

from mmskin_build.sample.bad_inputs import EXPECTED_REASONS, FAILING_PAGES, bad_inputs
from mmskin_build.sample.groundtruth import FigureTruth, GroundTruth
from mmskin_build.sample.styles import STYLES, build_styled
from mmskin_build.sample.textbook import build_long_book, build_textbook

__all__ = [
    "EXPECTED_REASONS",
    "FAILING_PAGES",
    "STYLES",
    "FigureTruth",
    "GroundTruth",
    "bad_inputs",
    "build_long_book",
    "build_styled",
    "build_textbook",
]

"""A generated sample textbook, a long benchmark book and broken PDFs, each with exact ground truth.

`make demo` and the extract tests use these instead of real books (which cannot ship with the project).

The parts are imported when first used: they need reportlab (the dev extra), and the command line imports
`sample.cli`, and so this package, at every start; without reportlab only `make-sample` may fail, with its own
message. `bad_inputs()` is imported from its module (`sample.bad_inputs`), whose name it shares.
"""

from importlib import import_module

_HOMES = {
    "EXPECTED_REASONS": "bad_inputs",
    "FAILING_PAGES": "bad_inputs",
    "FigureTruth": "groundtruth",
    "GroundTruth": "groundtruth",
    "STYLES": "styles",
    "build_styled": "styles",
    "build_long_book": "textbook",
    "build_textbook": "textbook",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)

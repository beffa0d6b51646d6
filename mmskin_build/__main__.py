"""`python -m mmskin_build` and the `mmskin-build` console script run the command line.

The CLI is imported inside `main`: a `spawn` worker process re-runs the console script as its main module, and
should import only what its task needs (0.14 s of CPU less per worker for `extract`), not every command.
"""


def main() -> None:
    from mmskin_build.cli import app

    app()


if __name__ == "__main__":
    main()

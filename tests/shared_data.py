"""Where the real test data lives (../shared/data, never in the repo), and how a test asks for it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("MMSKIN_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared(*parts: str) -> Path:
    """Path under ../shared/data; skips the test where it is absent, fails under CI=true."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"real test data not found at {path} (set MMSKIN_SHARED_DATA or place ../shared/data)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


# Held-out sets' PDFs lie beside ../shared on the project's machines (/work/heldoutN_pdfs), never in the repo, in
# ../shared/data or in CI.
HELDOUT_ROOT = Path(os.environ.get("MMSKIN_HELDOUT_ROOT", SHARED_DATA.resolve().parent.parent))


def require_heldout(number: int) -> Path:
    """The folder of held-out set `number`'s PDFs; skips the test where it is absent (always in CI: held-out PDFs are
    not shared data)."""
    path = HELDOUT_ROOT / f"heldout{number}_pdfs"
    if not path.is_dir():
        pytest.skip(f"held-out PDFs not found at {path} (set MMSKIN_HELDOUT_ROOT)")
    return path

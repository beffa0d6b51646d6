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

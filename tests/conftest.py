"""Shared fixtures. Real test data lives in ../shared/data (never in the repo)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from shared_data import require_shared


@pytest.fixture(scope="session")
def shared_pdfs() -> Path:
    return require_shared("pdfs")


@pytest.fixture(scope="session")
def shared_groundtruth() -> Path:
    return require_shared("pdf_groundtruth")


@pytest.fixture(scope="session")
def shared_images() -> Path:
    return require_shared("images")


@pytest.fixture(scope="module")
def ray_instance():
    """One private Ray instance for a test module (starting one takes seconds), stopped at the module's end;
    yields its address, for a driver in another process to join."""
    try:
        import ray
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("Ray is not installed (make test installs the [ray] extra)")
        pytest.skip("Ray is not installed (pip install -e '.[ray]')")
    # One declared GPU (Ray schedules by it; no hardware needed), so tasks that ask for a share of one can run.
    ray.init(address="local", num_cpus=2, num_gpus=1, include_dashboard=False, logging_level=logging.WARNING)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()

"""A Ray engine whose tasks ask for GPUs, on a cluster without any: one usage error, not tasks waiting for ever.

A module of its own: the engine starts its private Ray instance (this machine's, no GPU), which the module-scoped
`ray_instance` of test_engine_ray.py (a declared GPU) must not be running beside."""

import importlib.util
import os

import pytest

from mmskin_build.engines import Engine, EngineKind
from mmskin_build.pipeline import UsageError


def test_tasks_asking_for_gpus_on_a_cluster_without_any_are_refused():
    if importlib.util.find_spec("ray") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Ray is not installed (make test installs the [ray] extra)")
        pytest.skip("Ray is not installed (pip install -e '.[ray]')")
    engine = Engine(EngineKind.ray, workers=1, gpus_per_task=0.25)
    with pytest.raises(UsageError, match="has no GPUs"):
        list(engine.map_unordered(str, [1, 2]))

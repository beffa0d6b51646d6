"""Ray work that asks for GPUs, on a cluster without any: one usage error, not tasks waiting for ever.

A module of its own: the engine starts its private Ray instance (this machine's, no GPU), which the module-scoped
`ray_instance` of test_engine_ray.py (a declared GPU) must not be running beside."""

import importlib.util
import os

import pytest

from mmskin_build.engines import Engine, EngineKind
from mmskin_build.pipeline import UsageError


@pytest.fixture(autouse=True)
def _needs_ray():
    if importlib.util.find_spec("ray") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Ray is not installed (make test installs the [ray] extra)")
        pytest.skip("Ray is not installed (pip install -e '.[ray]')")


def test_tasks_asking_for_gpus_on_a_cluster_without_any_are_refused():
    engine = Engine(EngineKind.ray, workers=1, gpus_per_task=0.25)
    with pytest.raises(UsageError, match="has no GPUs"):
        list(engine.map_unordered(str, [1, 2]))


def test_model_servers_on_a_cluster_without_gpus_are_refused():
    from mmskin_build.modality.predict import Classifier
    from mmskin_build.modality.servers import model_servers

    with pytest.raises(UsageError, match="--gpu-servers: the Ray cluster has no GPUs"):
        with model_servers(Engine(EngineKind.ray, workers=1), Classifier(device="cpu")):
            pass

"""The model on the whole GPUs of a Ray cluster, in batches gathered across slices (`classify --gpu-servers`).

With `--gpus-per-task` each slice task runs a model of its own on a share of a GPU, in batches of its own images.
Here one Ray actor per GPU holds the model, and the slice tasks ask for CPUs only: they decode their images there
and send them (uint8, the smallest form) to a server, which resamples them, computes the statistics and runs the
CNN on its GPU. Requests that arrive while a pass runs wait and go into the next pass together, up to
`MAX_IMAGES`, so one pass holds images of several slices and the GPU runs fewer, larger batches.
"""

from __future__ import annotations

import contextlib
import functools
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mmskin_build.engines import Engine, EngineKind
from mmskin_build.modality.model import infer_prepared, prepare_batch
from mmskin_build.pipeline import UsageError

if TYPE_CHECKING:
    from mmskin_build.modality.predict import Classifier

MAX_IMAGES = 512
"""Images in one pass of a server (with their mirror images, 1,024 CNN inputs: about 0.3 GB of GPU memory)."""

CONCURRENT_REQUESTS = 64
"""Requests a server holds at once (its actor's threads): several per slice task in flight on the cluster."""


@dataclass
class _Request:
    images: np.ndarray
    result: np.ndarray | None = None
    error: BaseException | None = None


@dataclass
class ServerStats:
    """What a server did: passes of the model, the images in them, and the most in one pass."""

    passes: int = 0
    images: int = 0
    largest_pass: int = 0


class ModelServer:
    """One GPU's model (a Ray actor with a whole GPU and many threads): each call waits for a pass that holds its
    images, run by whichever waiting call gets the model first, with everything that waits beside it."""

    def __init__(self, classifier: Classifier, max_images: int = MAX_IMAGES) -> None:
        self.classifier = classifier  # unpickled on the actor's node: loaded onto its GPU (--device auto)
        self.max_images = max_images
        self.stats = ServerStats()
        self._waiting: list[_Request] = []
        self._queue = threading.Lock()  # guards _waiting
        self._model = threading.Lock()  # one pass at a time

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities (N, classes), float64, of decoded uint8 images (N, H, W, 3)."""
        request = _Request(images)
        with self._queue:
            self._waiting.append(request)
        while request.result is None and request.error is None:
            with self._model:
                if request.result is None and request.error is None:
                    self._run(self._take())
        if request.error is not None:
            raise request.error
        return request.result

    def report(self) -> ServerStats:
        return self.stats

    def _take(self) -> list[_Request]:
        """The oldest waiting requests, up to `max_images` images in all (at least one request)."""
        with self._queue:
            count, images = 1, len(self._waiting[0].images)
            while count < len(self._waiting) and images + len(self._waiting[count].images) <= self.max_images:
                images += len(self._waiting[count].images)
                count += 1
            taken, self._waiting = self._waiting[:count], self._waiting[count:]
        return taken

    def _run(self, requests: list[_Request]) -> None:
        sizes = [len(r.images) for r in requests]
        try:
            c = self.classifier
            probabilities = infer_prepared(
                c.model, prepare_batch(np.concatenate([r.images for r in requests]), c.config, c.device)
            )
        except BaseException as exc:  # every caller of the pass gets the error, none waits for ever
            for r in requests:
                r.error = exc
            raise
        for request, part in zip(requests, np.split(probabilities, np.cumsum(sizes)[:-1]), strict=True):
            request.result = part
        self.stats.passes += 1
        self.stats.images += sum(sizes)
        self.stats.largest_pass = max(self.stats.largest_pass, sum(sizes))


@dataclass
class ModelServers:
    """The running servers, as slice tasks get them (actor handles pickle): `submit` sends images to one."""

    handles: list

    def __len__(self) -> int:
        return len(self.handles)

    def submit(self, images: np.ndarray) -> Callable[[], np.ndarray]:
        """Sends decoded images to a server at random (spreading the slices' requests); what the returned function
        gives, once, is their probabilities."""
        reference = random.choice(self.handles).probabilities.remote(images)
        return functools.partial(_answer, reference)


def _answer(reference) -> np.ndarray:
    import ray

    return ray.get(reference)


@contextlib.contextmanager
def model_servers(engine: Engine, classifier: Classifier) -> Iterator[tuple[ModelServers, Callable[[], ServerStats]]]:
    """One `ModelServer` per GPU of the engine's Ray cluster while the block runs (the connection held), and a
    function that sums what they did; stopped at the end."""
    if engine.kind is not EngineKind.ray:
        raise UsageError("--gpu-servers needs --engine ray")
    with engine.session() as ray:
        gpus = int(ray.cluster_resources().get("GPU", 0))
        if not gpus:
            raise UsageError("--gpu-servers: the Ray cluster has no GPUs; leave the option out to run on CPUs")
        # No CPU reserved: a server's thread mostly waits for its GPU, and the slice tasks need every core.
        actor = ray.remote(ModelServer).options(
            num_cpus=0,
            num_gpus=1,
            max_concurrency=CONCURRENT_REQUESTS,
            max_restarts=engine.max_retries,
            max_task_retries=engine.max_retries,
        )
        handles = [actor.remote(classifier) for _ in range(gpus)]

        def stats() -> ServerStats:
            reports = ray.get([h.report.remote() for h in handles])
            return ServerStats(
                sum(r.passes for r in reports), sum(r.images for r in reports), max(r.largest_pass for r in reports)
            )

        try:
            yield ModelServers(handles), stats
        finally:
            for handle in handles:
                ray.kill(handle)

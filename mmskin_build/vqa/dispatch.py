"""Where generate-vqa's requests go: spread over its LLM servers (`--llm-url`, repeatable), sent from here or
from Ray tasks.

Every server has its own budget of `concurrency` requests in flight: the stage runs one worker per slot of
`ServerPool.slots`, and a worker takes the next pending request as soon as its last one is answered, so a
faster server takes more of them. The local engine sends each request from this process (one `ChatClient` per
server). With `--engine ray`, a `RayBatchClient` per server collects the requests its slots send at once into
batches, and each batch is one Ray task that makes the HTTP calls to that server and returns the completions
(or the failures) as they are. Either way the answers come back to the stage's workers in this process, which
cache, count and record them: the cache, the quality gates and the manifest never leave the driver.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, NamedTuple

from mmskin_build.engines import Engine, EngineKind
from mmskin_build.pipeline import RunFailed
from mmskin_build.vqa.client import ChatClient, Completion, GenerationFailed, RetryPolicy

LINGER_S = 0.05
"""How long a batch waits for more requests before it is sent anyway (the end of a run, a slow producer)."""


class ServerUnavailable(RunFailed):
    """An LLM server cannot be reached, or does not serve the requested model."""


class ChatRequest(NamedTuple):
    """One chat completion request, as `ChatClient.complete` takes it."""

    messages: list[dict[str, Any]]
    schema: dict[str, Any]
    sampling: dict[str, Any]
    seed: int


class ServerPool:
    """The run's LLM servers: one client per URL (a `ChatClient`, or a `RayBatchClient` for --engine ray)."""

    def __init__(self, urls: Sequence[str], model: str, policy: RetryPolicy, concurrency: int, engine: Engine) -> None:
        if not urls:
            raise ServerUnavailable("no LLM server given (--llm-url)")
        if engine.kind is EngineKind.ray:
            self.clients: list[ChatClient | RayBatchClient] = [
                RayBatchClient(url, model, policy, concurrency, engine.max_retries) for url in urls
            ]
        else:
            self.clients = [ChatClient(url, model, policy, concurrency) for url in urls]
        # Each server's own budget: `concurrency` slots per client, one stage worker per slot.
        self.slots = [client for client in self.clients for _ in range(concurrency)]

    @property
    def sent(self) -> int:
        """Chat requests sent to all servers, retries included."""
        return sum(client.sent for client in self.clients)

    async def check(self) -> None:
        """Fail fast, naming the URL, when any server is unreachable or does not serve the model (the clients
        are closed then)."""
        results = await asyncio.gather(*(client.check_model() for client in self.clients), return_exceptions=True)
        for client, result in zip(self.clients, results, strict=True):
            if isinstance(result, BaseException):
                await self.aclose()
                if isinstance(result, GenerationFailed):
                    hint = "(start one with `mmskin-build serve-llm MODEL_DIR`)"
                    raise ServerUnavailable(f"{client.url}: {result} {hint}") from result
                raise result

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()


class RayBatchClient:
    """`ChatClient`'s interface, with the HTTP calls made by Ray tasks: the requests awaited at once are sent
    in batches of up to half the server's budget (one batch is answered while the next is sent), each batch a
    Ray task. A task whose worker dies is re-run by Ray (`max_retries`); its requests are the same, seeds
    included, so the server's answers are too. A batch that fails on every try answers each of its requests
    with `GenerationFailed("ray-task-failed", ...)`, which the stage records like any failed request."""

    def __init__(self, url: str, model: str, policy: RetryPolicy, concurrency: int, max_retries: int) -> None:
        import ray  # only here: Ray is an optional extra

        self.url = url
        self.model = model
        self.policy = policy
        self.batch_size = max(1, concurrency // 2)
        self.sent = 0  # as the finished tasks report it (a killed attempt's requests are not counted)
        self._ray = ray
        # A batch task waits on its server: it holds no CPU, so it never queues behind extract or classify
        # tasks on the same cluster; the server's budget bounds how many run.
        self._complete_batch = ray.remote(complete_batch).options(num_cpus=0, max_retries=max_retries)
        self._check_server = ray.remote(check_server).options(num_cpus=0, max_retries=max_retries)
        self._waiting: list[tuple[ChatRequest, asyncio.Future]] = []
        self._linger: asyncio.TimerHandle | None = None
        self._in_flight: set = set()  # ObjectRefs of the batches sent and not yet answered

    async def check_model(self) -> None:
        ref = self._check_server.remote(self.url, self.model, self.policy)
        try:
            failure = await asyncio.wrap_future(ref.future())
        except self._ray.exceptions.RayError as exc:
            raise GenerationFailed("ray-task-failed", f"{type(exc).__name__}: {exc}"[:600]) from exc
        if failure is not None:
            raise failure

    async def complete(
        self, messages: list[dict[str, Any]], schema: dict[str, Any], sampling: dict[str, Any], seed: int
    ) -> Completion:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()
        self._waiting.append((ChatRequest(messages, schema, sampling, seed), answer))
        if len(self._waiting) >= self.batch_size:
            self._send()
        elif self._linger is None:
            self._linger = loop.call_later(LINGER_S, self._send)
        outcome = await answer
        if isinstance(outcome, GenerationFailed):
            raise outcome
        return outcome

    def _send(self) -> None:
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        ref = self._complete_batch.remote(self.url, self.model, self.policy, [request for request, _ in batch])
        self._in_flight.add(ref)
        asyncio.wrap_future(ref.future()).add_done_callback(lambda done: self._answer(ref, batch, done))

    def _answer(self, ref, batch: list[tuple[ChatRequest, asyncio.Future]], done: asyncio.Future) -> None:
        self._in_flight.discard(ref)
        if done.cancelled():
            return
        try:
            sent, outcomes = done.result()
        except Exception as exc:  # noqa: BLE001 - every request must get an answer, or its stage worker waits forever
            # Mostly a RayError: every try of the task failed (its worker or node kept dying).
            failure = GenerationFailed("ray-task-failed", f"{self.url}: {type(exc).__name__}: {exc}"[:600])
            sent, outcomes = 0, [failure] * len(batch)
        self.sent += sent
        for (_, answer), outcome in zip(batch, outcomes, strict=True):
            if not answer.done():  # its stage worker may have been cancelled (Ctrl-C)
                answer.set_result(outcome)

    async def aclose(self) -> None:
        if self._linger is not None:
            self._linger.cancel()
        for ref in self._in_flight:  # the run stopped early: do not leave requests running on the cluster
            self._ray.cancel(ref)


# -- what the Ray tasks run (module functions: Ray ships them by reference) ---------------------------------


def complete_batch(
    url: str, model: str, policy: RetryPolicy, requests: list[ChatRequest]
) -> tuple[int, list[Completion | GenerationFailed]]:
    """Send every request to the server at `url` at once; return the chat requests sent (retries included) and,
    in order, each request's completion or the failure that ended its retries."""

    async def run() -> tuple[int, list[Completion | GenerationFailed]]:
        client = ChatClient(url, model, policy, concurrency=len(requests))
        try:
            outcomes = await asyncio.gather(*(_outcome(client, request) for request in requests))
        finally:
            await client.aclose()
        return client.sent, list(outcomes)

    return asyncio.run(run())


async def _outcome(client: ChatClient, request: ChatRequest) -> Completion | GenerationFailed:
    try:
        return await client.complete(*request)
    except GenerationFailed as failure:
        return failure


def check_server(url: str, model: str, policy: RetryPolicy) -> GenerationFailed | None:
    """`ChatClient.check_model` from where the tasks run (a cluster may reach servers this machine cannot)."""

    async def run() -> GenerationFailed | None:
        client = ChatClient(url, model, policy, concurrency=1)
        try:
            await client.check_model()
        except GenerationFailed as failure:
            return failure
        finally:
            await client.aclose()
        return None

    return asyncio.run(run())

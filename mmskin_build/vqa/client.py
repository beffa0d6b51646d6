"""An async client for an OpenAI-compatible chat server (vLLM), with structured output and bounded retries.

Retried, with exponential backoff: refused connections and other transport errors, timeouts, HTTP 429 and
5xx, and output that is not valid JSON for the schema (truncated or malformed). A finished but invalid output is
retried with the next seed, so the retry can differ while the whole sequence stays reproducible. Other 4xx answers
(a prompt too long, an unknown model) are not retried. After the last attempt `GenerationFailed` names the
reason; the caller records it and goes on.
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass
from typing import Any

import httpx2
from pydantic import ValidationError

from mmskin_build.vqa.response import VqaResponseV2


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    timeout_s: float = 300.0

    def delay(self, attempt: int) -> float:
        """Backoff before retry number `attempt` (1-based), with jitter so clients do not retry in lockstep."""
        return min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)


@dataclass(frozen=True)
class Completion:
    content: str
    parsed: VqaResponseV2  # the loosest response model: a v1 answer parses too (the server enforced its schema)
    response_id: str
    seed: int
    prompt_tokens: int
    completion_tokens: int


class GenerationFailed(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self):
        # Pickled by its fields: Ray tasks return failures as values (the default would call __init__ with the message).
        return (type(self), (self.reason, self.detail))


class _Retry(Exception):
    def __init__(self, reason: str, detail: str, invalid_output: bool = False) -> None:
        self.reason = reason
        self.detail = detail
        self.invalid_output = invalid_output


class ChatClient:
    """One HTTP connection pool to the server; `complete` may be awaited concurrently."""

    def __init__(self, base_url: str, model: str, policy: RetryPolicy, concurrency: int) -> None:
        # A server started with `--api-key` wants it as a bearer token; the usual variable carries it.
        api_key = os.environ.get("OPENAI_API_KEY", "EMPTY")
        self.url = base_url
        self.model = model
        self.policy = policy
        self.sent = 0  # chat requests sent, retries included
        self._http = httpx2.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            timeout=httpx2.Timeout(policy.timeout_s, connect=10.0),
            limits=httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            headers={"Authorization": f"Bearer {api_key}"},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def check_model(self) -> None:
        """Fail fast when the server is unreachable or does not serve the model (retried like a request)."""
        last = ""
        for attempt in range(self.policy.attempts):
            if attempt:
                await asyncio.sleep(self.policy.delay(attempt))
            try:
                response = await self._http.get("models")
            except httpx2.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 200:
                try:
                    served = [m.get("id") for m in response.json().get("data", [])]
                except (ValueError, AttributeError) as exc:
                    raise GenerationFailed(
                        "not-openai-api", f"{self._http.base_url}models: {response.text[:200]}"
                    ) from exc
                if self.model not in served:
                    raise GenerationFailed("unknown-model", f"the server serves {served}, not {self.model!r}")
                return
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        raise GenerationFailed("server-unreachable", f"{self._http.base_url}models: {last}")

    async def complete(
        self, messages: list[dict[str, Any]], schema: dict[str, Any], sampling: dict[str, Any], seed: int
    ) -> Completion:
        body = {
            "model": self.model,
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "vqa_response", "schema": schema, "strict": True},
            },
            **sampling,
        }
        invalid = 0
        last: _Retry | None = None
        for attempt in range(self.policy.attempts):
            if attempt:
                await asyncio.sleep(self.policy.delay(attempt))
            try:
                return await self._once(body, seed + invalid)
            except _Retry as retry:
                last = retry
                invalid += retry.invalid_output
        assert last is not None
        raise GenerationFailed(last.reason, f"after {self.policy.attempts} attempts: {last.detail}")

    async def _once(self, body: dict[str, Any], seed: int) -> Completion:
        self.sent += 1
        try:
            response = await self._http.post("chat/completions", json={**body, "seed": seed})
        except httpx2.TimeoutException as exc:
            raise _Retry("timeout", f"{type(exc).__name__}: {exc}") from exc
        except httpx2.ConnectError as exc:
            raise _Retry("connection-refused", str(exc) or type(exc).__name__) from exc
        except httpx2.TransportError as exc:
            raise _Retry("transport-error", f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"http-{response.status_code}", response.text[:300])
        if response.status_code >= 400:
            raise GenerationFailed(f"http-{response.status_code}", response.text[:300])
        try:
            data = response.json()
            choice = data["choices"][0]
            content = choice["message"]["content"] or ""
            usage = data.get("usage") or {}
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise _Retry("invalid-output", f"malformed completion: {response.text[:300]}") from exc
        try:
            parsed = VqaResponseV2.model_validate_json(content)
        except ValidationError as exc:
            finish = choice.get("finish_reason")
            detail = f"finish_reason={finish}: {exc.errors()[0]['msg']}: {content[:200]!r}"
            # Only a finished generation moves the seed on; one the server aborted (a shutdown) is asked again
            # unchanged, so its answer is the one an uninterrupted run gets.
            raise _Retry("invalid-output", detail, invalid_output=finish in ("stop", "length")) from exc
        return Completion(
            content=content,
            parsed=parsed,
            response_id=str(data.get("id", "")),
            seed=seed,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
        )

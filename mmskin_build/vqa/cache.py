"""The response cache: one SQLite row per answered request, so a re-run never asks twice.

SQLite in WAL mode commits each row atomically; a process killed with SIGKILL loses at most the request in
flight, never a committed row and never a half-written one (`synchronous=NORMAL` is durable against a
process crash; only an OS crash may lose the last commits). It lives in `DATASET/.cache/`, which the
dataset store ignores.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

CACHE_FILE = Path(".cache") / "vqa.sqlite3"


@dataclass(frozen=True)
class CachedResponse:
    key: str
    image_id: str
    content: str
    response_id: str
    sampling: str
    prompt_tokens: int
    completion_tokens: int


class ResponseCache:
    def __init__(self, dataset_root: Path) -> None:
        path = Path(dataset_root) / CACHE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, image_id TEXT NOT NULL, content TEXT NOT NULL,"
            " response_id TEXT NOT NULL, sampling TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,"
            " completion_tokens INTEGER NOT NULL)"
        )

    def keys(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT key FROM responses")}

    def get(self, key: str) -> CachedResponse | None:
        row = self._db.execute(
            "SELECT key, image_id, content, response_id, sampling, prompt_tokens, completion_tokens"
            " FROM responses WHERE key = ?",
            (key,),
        ).fetchone()
        return CachedResponse(*row) if row else None

    def put(self, response: CachedResponse) -> None:
        # INSERT OR IGNORE: the first stored answer for a key wins, so results never change once cached.
        self._db.execute(
            "INSERT OR IGNORE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                response.key,
                response.image_id,
                response.content,
                response.response_id,
                response.sampling,
                response.prompt_tokens,
                response.completion_tokens,
            ),
        )

    def close(self) -> None:
        self._db.close()

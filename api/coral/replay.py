"""Replay protection for Coral's external phase, ours because Coral gives us nothing to build it from.

Coral's request carries no timestamp, nonce or comment id, and Coral never retries a phase call. So a body
we have already answered within ``MODERATION_CORAL_REPLAY_WINDOW_S`` is either a replay (someone re-sending a
captured, validly signed request) or an identical edit: either way it gets the FIRST answer again, and no
second record is written. The answer is kept under ``RedisKeys.coral_reply(site, sha256(body))`` (in process
memory without Redis); a request that arrives while the same body is being answered waits for that answer.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from moderation.queue.keys import RedisKeys

log = logging.getLogger(__name__)
PENDING = "pending"
WAIT_S = 5.0


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)

    def dump(self) -> str:
        return json.dumps({"status": self.status, "body": self.body, "headers": self.headers})

    @classmethod
    def load(cls, raw: str) -> Reply:
        doc = json.loads(raw)
        return cls(int(doc["status"]), doc["body"], dict(doc["headers"]))


class ReplyCache:
    def __init__(self, *, client: Any | None, keys: RedisKeys, window_s: int) -> None:
        self.client = client
        self.keys = keys
        self.window_s = max(1, window_s)
        self._memory: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def _set_nx(self, key: str, value: str) -> bool:
        if self.client is not None:
            return bool(self.client.set(key, value, nx=True, ex=self.window_s))
        with self._lock:
            now = time.monotonic()
            self._memory = {k: v for k, v in self._memory.items() if v[0] > now}
            if key in self._memory:
                return False
            self._memory[key] = (now + self.window_s, value)
            return True

    def _get(self, key: str) -> str | None:
        if self.client is not None:
            raw = self.client.get(key)
            return None if raw is None else raw.decode() if isinstance(raw, bytes) else str(raw)
        with self._lock:
            entry = self._memory.get(key)
            return entry[1] if entry and entry[0] > time.monotonic() else None

    def claim(self, site: str, digest: str) -> Reply | None:
        """The earlier answer to this body, or None: then the caller answers it and ``store``s (or
        ``release``s). Replay protection fails open (logged) when Redis does not answer."""
        key = self.keys.coral_reply(site, digest)
        try:
            if self._set_nx(key, PENDING):
                return None
            deadline = time.monotonic() + WAIT_S
            while True:
                raw = self._get(key)
                if raw is None:
                    return None if self._set_nx(key, PENDING) else self.claim(site, digest)
                if raw != PENDING:
                    return Reply.load(raw)
                if time.monotonic() > deadline:
                    return Reply(
                        409,
                        {
                            "error": {
                                "code": "conflict",
                                "message": "the same request is being answered",
                                "field": None,
                            }
                        },
                    )
                time.sleep(0.05)
        except redis.RedisError:
            log.warning("coral replay cache unavailable; answering without it", exc_info=True)
            return None

    def store(self, site: str, digest: str, reply: Reply) -> None:
        key = self.keys.coral_reply(site, digest)
        try:
            if self.client is not None:
                self.client.set(key, reply.dump(), ex=self.window_s)
            else:
                with self._lock:
                    self._memory[key] = (time.monotonic() + self.window_s, reply.dump())
        except redis.RedisError:
            log.warning("coral replay cache unavailable; answer not kept", exc_info=True)

    def release(self, site: str, digest: str) -> None:
        key = self.keys.coral_reply(site, digest)
        try:
            if self.client is not None:
                self.client.delete(key)
            else:
                with self._lock:
                    self._memory.pop(key, None)
        except redis.RedisError:
            log.warning("coral replay cache unavailable", exc_info=True)

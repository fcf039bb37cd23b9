"""A per-API-key request quota for the Perspective endpoint (Perspective's default is 1 request/second).

A fixed window counter: in Redis (``INCR`` + ``EXPIRE`` on ``RedisKeys.perspective_quota``, i.e.
``{<prefix>}:perspective:quota:<key>:<window>``) when the service has Redis, so several API processes share
one count; in process memory otherwise. ``limit <= 0`` switches the quota off. Exceeding it raises the 429
RESOURCE_EXHAUSTED ``PerspectiveError``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from api.perspective.errors import quota_exceeded
from moderation.queue.keys import RedisKeys


class Quota:
    def __init__(
        self,
        *,
        limit: int,
        window_s: int,
        redis: Any | None = None,
        keys: RedisKeys | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.window_s = max(1, window_s)
        self.redis = redis
        self.keys = keys or RedisKeys()
        self.clock = clock
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def _count(self, principal: str, window: int) -> int:
        if self.redis is not None:
            key = self.keys.perspective_quota(principal, window)
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, self.window_s * 2)
            count, _ = pipe.execute()
            return int(count)
        with self._lock:
            for stale in [k for k in self._counts if k[1] < window]:
                del self._counts[stale]
            count = self._counts.get((principal, window), 0) + 1
            self._counts[(principal, window)] = count
            return count

    def check(self, principal: str) -> None:
        """Count one request for ``principal``; raise 429 if its window's quota is used up."""
        if self.limit <= 0:
            return
        now = self.clock()
        window = int(now // self.window_s)
        if self._count(principal, window) > self.limit:
            retry_after = max(1, int((window + 1) * self.window_s - now + 0.999))
            raise quota_exceeded(limit=self.limit, window_s=self.window_s, retry_after=retry_after)

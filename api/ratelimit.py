"""Per-key rate limits (the ``limits`` library, moving window): 429 + Retry-After past the limit.

``MODERATION_RATE_LIMIT`` is a ``limits`` expression such as ``"600/minute"`` or ``"20/second;600/minute"``
(empty: no limit); every API key has its own window. ``MODERATION_WIDGET_RATE_LIMIT`` (default
``"5/second;120/minute"``) limits the browser widget's anonymous routes per publishable key and client
address. With ``MODERATION_REDIS_URL`` the windows live in Redis under ``{redis_prefix}:ratelimit`` and hold
across API processes; with the embedded Valkey (one process), in memory. If the limiter's storage fails,
requests are let through (logged): a Redis outage must not turn into refusals on endpoints that do not need
Redis.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from moderation.config import Settings
from moderation.errors import RateLimited

log = logging.getLogger(__name__)


class KeyRateLimiter:
    def __init__(self, items: list[RateLimitItem], storage: Storage) -> None:
        self.items = items
        self.limiter = MovingWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings, expression: str | None = None) -> KeyRateLimiter | None:
        """The limiter for ``expression`` (default: ``settings.rate_limit``), or None when it is empty."""
        expression = settings.rate_limit if expression is None else expression
        if not expression.strip():
            return None
        items = parse_many(expression)
        storage: Storage
        if settings.redis_url:
            storage = RedisStorage(settings.redis_url, key_prefix=f"{settings.redis_prefix}:ratelimit")
        else:
            storage = MemoryStorage()
        return cls(items, storage)

    def hit(self, key_id: int | str) -> None:
        """Count one request of this key; RateLimited (with the seconds to wait) past any of the limits."""
        ident = str(key_id)
        try:
            for item in self.items:
                if not self.limiter.hit(item, ident):
                    reset = self.limiter.get_window_stats(item, ident).reset_time
                    wait = max(1, math.ceil(reset - time.time()))
                    raise RateLimited(
                        f"rate limit of {item} for this key reached; retry in {wait} s", retry_after=wait
                    )
        except RateLimited:
            raise
        except Exception as exc:  # storage down: let the request through
            log.warning("rate limiter unavailable, request let through: %s", exc)

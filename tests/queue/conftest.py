"""Queue test fixtures on top of the shared ones (tests/conftest.py).

``settings`` is narrowed for the queue (short blocks and reclaim idle, 3 deliveries, a small depth limit) and
its ``{prefix}:*`` keys are deleted afterwards; ``stream`` is a bare scoring stream on the real Redis.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from moderation.config import Settings
from moderation.queue.keys import QueueKeys
from moderation.queue.streams import ScoreStream

REDIS_URL = "redis://127.0.0.1:6379/0"


def delete_keys(client: redis.Redis, keys: QueueKeys) -> None:
    found = list(client.scan_iter(match="\\" + keys.tag[:-1] + "\\}:*", count=1000))
    if found:
        client.delete(*found)


@pytest.fixture
def qredis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def settings(settings: Settings, qredis: redis.Redis) -> Iterator[Settings]:
    tuned = settings.model_copy(
        update={
            "worker_block_ms": 50,
            "worker_claim_idle_ms": 500,
            "max_deliveries": 3,
            "queue_max_depth": 40,
            "callback_attempts": 3,
        }
    )
    yield tuned
    delete_keys(qredis, QueueKeys(prefix=tuned.redis_prefix))


@pytest.fixture
def qkeys(qredis: redis.Redis) -> Iterator[QueueKeys]:
    keys = QueueKeys(prefix=f"test-{uuid.uuid4().hex[:10]}")
    yield keys
    delete_keys(qredis, keys)


@pytest.fixture
def stream(qredis: redis.Redis, qkeys: QueueKeys) -> ScoreStream:
    s = ScoreStream(client=qredis, keys=qkeys, max_depth=50, max_deliveries=3)
    s.ensure_group()
    return s

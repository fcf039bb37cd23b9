"""Fixtures of the queue tests: a unique key prefix per test on the real Redis, and a stream over it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis

from moderation.config import Settings
from moderation.queue.keys import QueueKeys
from moderation.queue.streams import ScoreStream

if TYPE_CHECKING:
    from moderation.services import Services

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


@pytest.fixture(scope="session")
def qruntime() -> Any:
    """The real encoder, loaded once for the queue tests."""
    from models.runtime import ModelRuntime

    return ModelRuntime.load(threads=1)


@pytest.fixture
def qsettings(tmp_path: Path, qkeys: QueueKeys) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'queue.db'}",
        redis_url=REDIS_URL,
        redis_prefix=qkeys.prefix,
        worker_block_ms=50,
        worker_claim_idle_ms=500,
        max_deliveries=3,
        queue_max_depth=40,
    )


@pytest.fixture
def qservices(qsettings: Settings, qruntime: Any, qredis: redis.Redis) -> Iterator[Services]:
    from moderation.services import build_services
    from moderation.store.tables import Base

    services = build_services(qsettings, runtime=qruntime, redis_client=qredis)
    Base.metadata.create_all(services.engine)
    yield services
    services.engine.dispose()

"""Fixtures for the Perspective endpoint tests (helpers in ``perspective_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from perspective_helpers import REDIS_URL, Harness, KeywordRuntime


@pytest.fixture(scope="session")
def real_runtime(request: pytest.FixtureRequest) -> Any:
    """The shared session ``runtime`` fixture when the suite has one, else our own (loaded once)."""
    try:
        return request.getfixturevalue("runtime")
    except pytest.FixtureLookupError:
        from models.runtime import ModelRuntime

        return ModelRuntime.load()


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield client
    client.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path, KeywordRuntime())
    yield h
    h.close()


@pytest.fixture
def real_harness(tmp_path: Path, real_runtime: Any) -> Iterator[Harness]:
    h = Harness(tmp_path, real_runtime)
    yield h
    h.close()

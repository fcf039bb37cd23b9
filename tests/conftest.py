"""Shared fixtures: real SQLite, PostgreSQL and Redis, and the real encoder loaded once per test session.

- ``runtime``: the session's ``ModelRuntime`` (loaded once; ``services`` injects it, nothing reloads it).
- ``sqlite_url``: a migrated SQLite file per test (a copy of one migrated template).
- ``pg_url``: a PostgreSQL database created and migrated once per session (dropped at the end); tables are
  emptied after each test that used it.
- ``database_url``: SQLite by default; ``@pytest.mark.parametrize("database_url", ["sqlite", "postgres"],
  indirect=True)`` runs a test on both.
- ``redis_url``: the real Redis at 127.0.0.1:6379; each test has its own prefix (``settings.redis_prefix``),
  whose keys (``{prefix}:...``, see ``RedisKeys``) are deleted afterwards.
- ``settings``, ``services``, ``app``, ``client`` (TestClient), ``api_keys`` (role -> plaintext key).
- ``@pytest.mark.needs_shared_datasets``: the test reads the public datasets beside the checkout
  (``models.splits.DATASETS``: ``../shared/datasets``, or ``MODERATION_DATASETS``). Where that folder is
  missing (a clone anywhere else) the test is skipped and says why; where it exists (CI) it runs as usual.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from models.splits import DATASETS
from moderation.api_keys import create_key
from moderation.config import Settings
from moderation.domain import Role
from moderation.queue.keys import RedisKeys
from moderation.services import Services, build_services
from moderation.store.db import make_engine, transaction
from moderation.store.migrations import upgrade
from moderation.store.tables import Base

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DATASETS.is_dir():
        return
    skip = pytest.mark.skip(
        reason=f"needs the shared datasets: no {DATASETS} (clone beside ../shared or set MODERATION_DATASETS)"
    )
    for item in items:
        if item.get_closest_marker("needs_shared_datasets"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def runtime() -> Any:
    from models.runtime import ModelRuntime

    return ModelRuntime.load()


@pytest.fixture(scope="session")
def base_runtime(runtime: Any) -> Any:
    """The same encoder without trained heads (what a deployment without ``models/weights`` runs)."""
    from models.runtime import ModelRuntime

    return ModelRuntime(
        encoder=runtime.encoder, version=f"{runtime.encoder.version}+base", heads=frozenset({"on_topic"})
    )


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "moderation.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str]:
    name = f"moderation_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_SERVER}/test", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(f"{PG_SERVER}/test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(_pg_database: str) -> Iterator[str]:
    yield _pg_database
    engine = make_engine(_pg_database)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    kind = getattr(request, "param", "sqlite")
    url: str = request.getfixturevalue("pg_url" if kind == "postgres" else "sqlite_url")
    return url


@pytest.fixture
def redis_url() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    client.close()
    yield REDIS_URL


@pytest.fixture
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Iterator[Settings]:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    yield Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url=redis_url,
        redis_prefix=prefix,
        log_json=False,
        callback_allow=[
            "127.0.0.1"
        ],  # test receivers listen on loopback (the SSRF policy refuses it otherwise)
    )
    client = redis.Redis.from_url(redis_url)
    tag = RedisKeys(prefix=prefix).tag  # the service's keys: {prefix}:... (one cluster slot)
    patterns = (f"{prefix}*", "\\" + tag[:-1] + "\\}*")
    keys_left = {key for pattern in patterns for key in client.scan_iter(match=pattern, count=1000)}
    if keys_left:
        client.delete(*keys_left)
    client.close()


@pytest.fixture
def services(settings: Settings, runtime: Any) -> Iterator[Services]:
    built = build_services(settings, runtime=runtime)
    yield built
    built.close()


@pytest.fixture
def app(services: Services) -> Any:
    return create_app(services=services)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api_keys(services: Services) -> dict[str, str]:
    """One key per role (``client``, ``moderator``, ``admin``) -> plaintext."""
    out = {}
    with transaction(services.sessions) as session:
        for role in Role:
            _row, plaintext = create_key(
                session=session, name=f"test-{role.value}", role=role, all_sites=True
            )
            out[role.value] = plaintext
    return out


@pytest.fixture
def auth(api_keys: dict[str, str]) -> Any:
    """``auth("admin")`` -> headers carrying that role's key."""

    def headers(role: str = "client") -> dict[str, str]:
        return {"Authorization": f"Bearer {api_keys[role]}"}

    return headers

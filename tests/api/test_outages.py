"""Issue 13 item 7: a database or Redis outage answers 503 + Retry-After naming the dependency (never 500),
the connection stays usable, /readyz says which one is down, and service resumes when it is back.

Real dependencies: a PostgreSQL URL whose server is not there (connection refused), and a test-owned
redis-server that is killed and restarted."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from redis_server import OwnedRedis

from api.main import create_app
from moderation.api_keys import create_key
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import build_services
from moderation.store.db import transaction


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def owned(tmp_path: Path) -> Iterator[OwnedRedis]:
    server = OwnedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_database_down_answers_503_with_retry_after(settings: Settings) -> None:
    down = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/none"}
    )
    services = build_services(down)
    try:
        with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
            for method, path in (
                ("GET", "/v1/articles/a1"),
                ("POST", "/v1/moderate"),
                ("POST", "/v1/comments"),
                ("GET", "/v1/review"),
                ("POST", "/v1alpha1/comments:analyze"),
            ):
                answer = client.request(method, path, json={"text": "hello"}, headers={"X-API-Key": "mk_c_x"})
                assert answer.status_code == 503, (path, answer.text)
                assert answer.headers["Retry-After"] == "5"
                assert "database" in answer.text
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["store"].startswith("error")
            assert client.get("/healthz").status_code == 200  # the same connection still answers
    finally:
        services.close()


def test_redis_down_answers_503_and_recovers(settings: Settings, owned: OwnedRedis) -> None:
    services = build_services(settings.model_copy(update={"redis_url": owned.url}))
    with transaction(services.sessions) as s:
        key = create_key(session=s, name="c", role=Role.CLIENT, all_sites=True)[1]
    body = {"text": "A calm remark about the tram timetable.", "comment_id": "r1"}
    try:
        with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
            owned.crash()
            answer = client.post("/v1/comments", json=body, headers={"X-API-Key": key})
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"] == "5"
            queue = client.get("/v1/queue", headers={"X-API-Key": key})
            assert queue.status_code in (403, 503)  # a client key: refused before Redis is asked
            ready = client.get("/readyz").json()
            assert ready["checks"]["redis"].startswith("error") and ready["checks"]["store"] == "ok"
            owned.start()
            again = client.post("/v1/comments", json=body, headers={"X-API-Key": key})
            assert again.status_code == 202, again.text
    finally:
        services.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_exhausted_pool_answers_a_fast_503(settings: Settings) -> None:
    """Issue 13 item 5: under overload a request waits at most the pool timeout, then 503 + Retry-After."""
    import time

    tight = settings.model_copy(
        update={"database_pool_size": 1, "database_max_overflow": 0, "database_pool_timeout_s": 0.5}
    )
    services = build_services(tight)
    with transaction(services.sessions) as s:
        key = create_key(session=s, name="c", role=Role.CLIENT, all_sites=True)[1]
    try:
        with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
            assert client.get("/v1/articles/none", headers={"X-API-Key": key}).status_code == 404
            held = services.engine.connect()  # the only pooled connection is busy
            try:
                started = time.monotonic()
                answer = client.get("/v1/articles/none", headers={"X-API-Key": key})
                assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
                assert time.monotonic() - started < 3
            finally:
                held.close()
            assert client.get("/v1/articles/none", headers={"X-API-Key": key}).status_code == 404
    finally:
        services.close()

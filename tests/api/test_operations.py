"""Point 11: /healthz, /readyz, request ids, JSON logs without comment text, OpenAPI docs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from api.main import create_app
from api.middleware import JsonFormatter
from moderation.config import Settings
from moderation.services import build_services


def test_healthz_and_readyz(client: Any, services: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    index = client.get("/").json()  # the first URL `make run` prints says where to go next
    assert index["docs"] == "/docs" and index["moderator_ui"] == "/moderate" and index["demo"] == "/demo"
    for path in ("/docs", "/openapi.json", "/healthz"):
        assert client.get(path).status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["checks"] == {"store": "ok", "redis": "ok", "model": "ok"}
    assert body["missing_heads"] == sorted(services.pipeline.missing_heads)
    assert body["model_version"] == services.pipeline.model_version


def test_readyz_says_what_is_not_ready(settings: Settings) -> None:
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    services = build_services(settings, redis_client=dead)  # model not loaded yet, Redis unreachable
    try:
        with TestClient(create_app(services=services)) as client:
            answer = client.get("/readyz")
            assert answer.status_code == 503
            checks = answer.json()["checks"]
            assert (
                checks["store"] == "ok"
                and checks["redis"].startswith("error")
                and checks["model"] == "not loaded"
            )
            assert set(answer.json()["missing_heads"]) == {"civility", "on_topic", "stance", "sentiment"}
    finally:
        services.close()


def test_request_ids_and_json_access_log(client: Any, auth: Any, caplog: pytest.LogCaptureFixture) -> None:
    secret_text = "My very private comment text that must never reach the logs, about the embassy."
    with caplog.at_level(logging.DEBUG):
        answer = client.post(
            "/v1/moderate?key=should-not-be-logged",
            json={"text": secret_text, "do_not_store": True},
            headers=auth() | {"X-Request-ID": "req-123"},
        )
    assert answer.headers["x-request-id"] == "req-123"
    assert client.get("/healthz").headers["x-request-id"]  # generated when not given
    [record] = [r for r in caplog.records if getattr(r, "request_id", None) == "req-123"]
    line = json.loads(JsonFormatter().format(record))
    assert line["method"] == "POST" and line["path"] == "/v1/moderate" and line["status"] == 200
    assert line["elapsed_ms"] > 0
    server = [r for r in caplog.records if r.name.split(".")[0] in ("api", "moderation", "uvicorn")]
    logged = "\n".join(JsonFormatter().format(r) for r in server)  # (the test client logs its own URLs)
    assert "private comment" not in logged and "should-not-be-logged" not in logged


def test_openapi_docs(client: Any) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/moderate",
        "/v1/articles/{article_id}",
        "/v1/sites/{site}/policy",
        "/healthz",
        "/readyz",
    ):
        assert path in paths


def test_every_json_route_documents_its_response_shape(client: Any) -> None:
    """OpenAPI has a response model for every JSON route (the SSE feed streams text/event-stream,
    Perspective's batch answers multipart/mixed)."""
    spec = client.get("/openapi.json").json()
    untyped = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            code = next(c for c in operation["responses"] if c.startswith("2"))
            content = operation["responses"][code].get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            typed = "$ref" in schema or "$ref" in schema.get("items", {})
            if not typed and path != "/v1/decisions/stream" and "multipart/mixed" not in content:
                untyped.append(f"{method.upper()} {path}")
    assert untyped == []
    shapes = spec["components"]["schemas"]
    assert {"decision", "reasons", "scores", "stored"} <= set(shapes["ModerationOut"]["properties"])
    assert "attributeScores" in shapes["AnalyzeCommentResponse"]["properties"]

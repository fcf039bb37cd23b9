"""/ (where to go next), /healthz (the process is alive) and /readyz (store, Redis and models ready; lists
missing heads)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Response

from api.deps import ServicesDep
from api.schemas import HealthOut, IndexOut, ReadyChecksOut, ReadyOut
from moderation.store.db import ping

router = APIRouter(tags=["operations"])


@router.get("/", summary="Where to go next: docs, moderator UI, demo, health")
def index() -> IndexOut:
    return IndexOut(
        service="comment moderation (a self-hosted Perspective replacement)",
        docs="/docs",
        openapi="/openapi.json",
        moderator_ui="/moderate",
        demo="/demo",
        health="/healthz",
        ready="/readyz",
    )


@router.get("/healthz", summary="Liveness")
def healthz() -> HealthOut:
    return HealthOut(status="ok")


def _check(fn: Callable[[], object]) -> str:
    try:
        fn()
    except Exception as exc:  # any failure of a dependency is "not ready", with its reason
        return f"error: {type(exc).__name__}: {str(exc)[:200]}"
    return "ok"


@router.get(
    "/readyz",
    summary="Readiness: store, Redis, model",
    responses={503: {"model": ReadyOut, "description": "not ready"}},
)
def readyz(services: ServicesDep, response: Response) -> ReadyOut:
    def store() -> None:
        ping(services.engine)

    def redis() -> None:
        if services.redis is None:
            raise RuntimeError("not configured")
        services.redis.ping()

    pipeline = services.pipeline
    checks = ReadyChecksOut(
        store=_check(store), redis=_check(redis), model="ok" if pipeline.loaded else "not loaded"
    )
    ready = checks.store == "ok" and checks.redis == "ok" and pipeline.loaded
    response.status_code = 200 if ready else 503
    return ReadyOut(
        status="ready" if ready else "not ready",
        checks=checks,
        missing_heads=sorted(pipeline.missing_heads),
        model_version=pipeline.model_version if pipeline.loaded else None,
    )

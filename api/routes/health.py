"""/healthz (the process is alive) and /readyz (store, Redis and models ready; lists missing heads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep
from moderation.store.db import ping

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _check(fn: Any) -> str:
    try:
        fn()
    except Exception as exc:  # any failure of a dependency is "not ready", with its reason
        return f"error: {type(exc).__name__}: {str(exc)[:200]}"
    return "ok"


@router.get("/readyz", summary="Readiness: store, Redis, model")
def readyz(services: ServicesDep) -> JSONResponse:
    def store() -> None:
        ping(services.engine)

    def redis() -> None:
        if services.redis is None:
            raise RuntimeError("not configured")
        services.redis.ping()

    pipeline = services.pipeline
    checks: dict[str, Any] = {"store": _check(store), "redis": _check(redis)}
    checks["model"] = "ok" if pipeline.loaded else "not loaded"
    missing = sorted(pipeline.missing_heads)
    ready = checks["store"] == "ok" and checks["redis"] == "ok" and pipeline.loaded
    body = {
        "status": "ready" if ready else "not ready",
        "checks": checks,
        "missing_heads": missing,
        "model_version": pipeline.model_version if pipeline.loaded else None,
    }
    return JSONResponse(body, status_code=200 if ready else 503)

"""Application factory. ``create_app()`` wires settings, services, middleware, error handlers, routers.

Services are built in the lifespan (the model loaded eagerly, so the first request does not pay for it) unless
a test injects its own ``services`` (then the model comes from the test session's runtime and nothing is
closed here).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import docs, errors
from api.coral import routes as coral
from api.middleware import BodyLimitMiddleware, RequestContextMiddleware, configure_logging
from api.perspective import routes as perspective
from api.ratelimit import KeyRateLimiter
from api.routes import (
    articles,
    authors,
    comments,
    decisions,
    demo,
    health,
    keys,
    moderate,
    policies,
    reports,
    rescore,
    review,
    ui,
    widget,
)
from api.widget_cors import WidgetCorsMiddleware
from moderation import __version__
from moderation.config import Settings, get_settings
from moderation.services import Services, build_services

ROUTERS = (
    *(health, articles, moderate, policies, keys, comments, reports, decisions, rescore, review, ui),
    authors,
    *(perspective, coral),
    *(widget, demo),
)
log = logging.getLogger("api")


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    settings = services.settings if services is not None else (settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            yield
            return
        built = build_services(settings)
        app.state.services = built
        try:
            log.info("loading the model (about a minute on the first start, seconds later)")
            version = built.pipeline.model_version  # eager load
            log.info(
                "model loaded",
                extra={"model": version, "missing_heads": sorted(built.pipeline.missing_heads)},
            )
        except Exception:
            log.exception("model failed to load; /readyz reports it")
        background = None
        if not settings.redis_url and built.redis is not None:  # embedded Valkey: score beside the API
            from moderation.queue.background import BackgroundWorker

            background = BackgroundWorker(built.build_worker()).start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()
            built.close()

    if services is None:
        configure_logging(level=settings.log_level, as_json=settings.log_json)
    app = FastAPI(
        title="Comment moderation",
        version=__version__,
        lifespan=lifespan,
        description="Self-hosted comment moderation: civility, on-topic, stance, sentiment, review.",
        docs_url=None,  # /docs and /redoc are added by api/docs.py, with their assets served from here
        redoc_url=None,
    )
    docs.install(app)
    if services is not None:
        app.state.services = services
    app.state.rate_limiter = KeyRateLimiter.from_settings(settings)
    app.state.widget_rate_limiter = KeyRateLimiter.from_settings(settings, settings.widget_rate_limit)
    errors.install(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout_s=settings.body_timeout_s,
        limits=(
            (perspective.PREFIX + "/", settings.perspective_max_body_bytes),
            (perspective.BATCH_PREFIX, settings.perspective_batch_max_bytes),
        ),
    )
    app.add_middleware(WidgetCorsMiddleware)
    app.add_middleware(RequestContextMiddleware)
    for module in ROUTERS:
        app.include_router(module.router)
    return app

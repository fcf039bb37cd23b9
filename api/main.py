"""Application factory. ``create_app()`` wires settings, services and every router."""

from __future__ import annotations

from fastapi import FastAPI

from api.routes import (
    articles,
    comments,
    decisions,
    health,
    keys,
    moderate,
    perspective,
    policies,
    rescore,
    review,
    ui,
)

ROUTERS = (health, articles, moderate, policies, keys, comments, decisions, rescore, review, ui, perspective)


def create_app() -> FastAPI:
    app = FastAPI(title="Comment moderation", version="0.1.0")
    for module in ROUTERS:
        app.include_router(module.router)
    return app

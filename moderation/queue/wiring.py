"""Build the queue's objects from ``Services``: the stream, the batch processor, the worker, callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moderation.callbacks import CallbackSender
from moderation.errors import Unavailable
from moderation.queue.keys import QueueKeys
from moderation.queue.processor import BatchProcessor, Scorer
from moderation.queue.streams import ScoreStream
from moderation.queue.worker import Worker

if TYPE_CHECKING:
    from moderation.config import Settings
    from moderation.services import Services


def queue_keys(settings: Settings) -> QueueKeys:
    return QueueKeys(prefix=settings.redis_prefix)


def score_stream(services: Services) -> ScoreStream:
    if services.redis is None:
        raise Unavailable("the scoring queue needs Redis (MODERATION_REDIS_URL or the embedded Valkey)")
    settings = services.settings
    return ScoreStream(
        client=services.redis,
        keys=queue_keys(settings),
        max_depth=settings.queue_max_depth,
        max_deliveries=settings.max_deliveries,
    )


def callback_sender(settings: Settings) -> CallbackSender:
    return CallbackSender(
        secret=settings.callback_secret or settings.cookie_secret,
        site_urls=settings.site_callback_urls,
        site_secrets=settings.site_callback_secrets,
        attempts=settings.callback_attempts,
    )


def build_worker(
    services: Services,
    *,
    batch_size: int | None = None,
    burst: bool = False,
    name: str | None = None,
    scorer: Scorer | None = None,
    claim_idle_ms: int | None = None,
) -> Worker:
    settings = services.settings
    processor = BatchProcessor(
        sessions=services.sessions, scorer=scorer or services.pipeline, moderation=services.moderation
    )
    return Worker(
        stream=score_stream(services),
        processor=processor,
        name=name,
        batch_size=batch_size or settings.worker_batch_size,
        block_ms=settings.worker_block_ms,
        claim_idle_ms=settings.worker_claim_idle_ms if claim_idle_ms is None else claim_idle_ms,
        burst=burst,
        callbacks=callback_sender(settings),
        requeue_after_s=settings.queue_requeue_after_s,
    )

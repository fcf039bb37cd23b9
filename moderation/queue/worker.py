"""The scoring worker: XREADGROUP a batch, score it in token-budget chunks, each committed and XACKed; repeat.

Lifecycle: keyword-only constructor; ``run()`` until SIGTERM/SIGINT (the current batch finishes and is
acknowledged first) or, with ``burst``, until the stream is empty. A health key with a TTL is refreshed every
loop (``moderation worker --check`` reads it). Messages held too long by a crashed consumer are reclaimed with
XAUTOCLAIM; one delivered more than ``max_deliveries`` times goes to the dead-letter stream.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass

import redis

from moderation.outbox import Outbox
from moderation.queue.processor import BatchOutcome, BatchProcessor
from moderation.queue.streams import Message, ScoreStream
from moderation.queue.sweep import requeue_stranded
from moderation.store import queue_repo

log = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    batches: int = 0
    scored: int = 0
    acked: int = 0
    failed: int = 0
    dead: int = 0
    forward_passes: int = 0
    reconnects: int = 0
    requeued: int = 0


class Worker:
    def __init__(
        self,
        *,
        stream: ScoreStream,
        processor: BatchProcessor,
        name: str | None = None,
        batch_size: int = 64,
        block_ms: int = 200,
        claim_idle_ms: int = 30_000,
        burst: bool = False,
        health_ttl_s: int = 30,
        outbox: Outbox | None = None,
        requeue_after_s: float = 600.0,
        sweep_every_s: float = 60.0,
    ) -> None:
        self.stream = stream
        self.processor = processor
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.batch_size = batch_size
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.burst = burst
        self.health_ttl_s = health_ttl_s
        self.outbox = outbox
        self.requeue_after_s = requeue_after_s
        self.sweep_every_s = sweep_every_s
        self._next_sweep = 0.0  # sweep on the first loop, then every sweep_every_s
        self._next_announce = 0.0  # the outbox is drained after each batch, and every second when idle
        self.stats = WorkerStats()
        self._stop = threading.Event()

    def stop(self, *_: object) -> None:
        """Ask the loop to exit after the batch in hand is committed and acknowledged."""
        self._stop.set()

    def run(self) -> WorkerStats:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        backoff = 0.2
        log.info("worker %s started (batch %d, burst %s)", self.name, self.batch_size, self.burst)
        while not self._stop.is_set():
            try:
                self.stream.ensure_group()
                self._beat()
                self._sweep()
                handled = self.run_once()
                if handled or time.monotonic() >= self._next_announce:
                    self._announce()
                backoff = 0.2
                if self.burst and handled == 0 and self.stream.depth() == 0:
                    break
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                self.stats.reconnects += 1
                log.warning("redis unavailable (%s); retrying in %.1fs", exc, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception:  # store down, say: the messages stay pending and are retried, the worker lives
                log.exception("worker loop failed; retrying in %.1fs", backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._retire()
        log.info("worker %s stopped: %s", self.name, self.stats)
        return self.stats

    def run_once(self) -> int:
        """One loop: reclaim stale messages, read new ones, process; returns how many were handled."""
        messages = self.stream.claim_stale(
            consumer=self.name, min_idle_ms=self.claim_idle_ms, count=self.batch_size
        )
        messages = self._dead_letter_exhausted(messages)
        room = self.batch_size - len(messages)
        if room > 0:
            block = 0 if messages else self.block_ms
            messages += self.stream.read(consumer=self.name, count=room, block_ms=block)
        if not messages:
            return 0
        open_ids = {m.msg_id for m in messages}
        for outcome in self.processor.chunks(messages):  # token-budget chunks, each acknowledged at once
            self._settle(outcome)
            open_ids -= {m.msg_id for m in outcome.done} | {m.msg_id for m, _ in outcome.failed}
            self.stream.touch(sorted(open_ids), consumer=self.name)  # still ours: not stale
        self.stats.batches += 1
        return len(messages)

    def _settle(self, outcome: BatchOutcome) -> None:
        """Acknowledge what is done, record failures, announce the stored decisions (the outbox)."""
        self.stream.ack([m.msg_id for m in outcome.done])
        for message, error in outcome.failed:
            log.warning("message %s (comment %s) failed: %s", message.msg_id, message.comment_id, error)
            self.stream.record_error(message.msg_id, error)
        if outcome.documents:
            self._announce()  # this chunk's decisions and callbacks go out before the next chunk
        self.stats.scored += len(outcome.documents)
        self.stats.acked += len(outcome.done)
        self.stats.failed += len(outcome.failed)
        self.stats.forward_passes += outcome.forward_passes

    def _announce(self) -> None:
        """Drain the outbox: decisions onto the feed, due callbacks sent (see moderation/outbox.py)."""
        if self.outbox is None:
            return
        self._next_announce = time.monotonic() + 1.0
        self.outbox.publish()
        self.outbox.deliver_due()

    def _sweep(self) -> None:
        """Give comments stranded as ``queued`` (no stream message) a new message; see queue/sweep.py."""
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + self.sweep_every_s
        ids = requeue_stranded(
            sessions=self.processor.sessions, stream=self.stream, older_than_s=self.requeue_after_s
        )
        if self.outbox is not None:
            self.outbox.prune()
        if ids:
            self.stats.requeued += len(ids)
            log.warning("re-enqueued %d comments stranded as queued", len(ids))

    def _dead_letter_exhausted(self, messages: list[Message]) -> list[Message]:
        keep: list[Message] = []
        for message in messages:
            if message.deliveries <= self.stream.max_deliveries:
                keep.append(message)
                continue
            error = self.stream.last_error(message.msg_id) or "delivered too often (consumer crashed?)"
            if message.comment_id:
                with self.processor.sessions() as session, session.begin():
                    queue_repo.mark_failed(session=session, comment_id=message.comment_id, error=error)
            self.stream.dead_letter(message, error=error)
            self.stats.dead += 1
            log.error("message %s (comment %s) dead-lettered: %s", message.msg_id, message.comment_id, error)
        return keep

    def _beat(self) -> None:
        state = {"name": self.name, "pid": os.getpid(), "at": time.time(), **asdict(self.stats)}
        self.stream.redis.set(
            self.stream.keys.worker_health(self.name), json.dumps(state), ex=self.health_ttl_s
        )

    def _retire(self) -> None:
        if self.outbox is not None:
            with contextlib.suppress(Exception):  # whatever is still due goes out with the next worker
                self._announce()
            if self.outbox.callbacks is not None:
                self.outbox.callbacks.close(wait=True)
        with contextlib.suppress(redis.RedisError):
            self.stream.redis.delete(self.stream.keys.worker_health(self.name))


def check_health(client: redis.Redis, keys_pattern: str, *, name_key: str | None = None) -> bool:
    """True when the named worker's (or any worker's) health key is present."""
    if name_key is not None:
        return bool(client.exists(name_key))
    return any(True for _ in client.scan_iter(match=keys_pattern, count=100))

"""The transactional outbox: a decision is announced at least once, whatever is down when it is made.

Whoever stores a decision (the worker's batch transaction, a moderator's decision) also writes an outbox
entry IN THE SAME TRANSACTION: the decision document, its site and, when the comment asked for one (or its
site has one), the callback URL. Nothing is published directly. ``Outbox.publish`` then puts unpublished
entries on the decisions feed (the Redis stream SSE followers read) and marks them published; if Redis is
down nothing is marked and the next call tries again. ``Outbox.deliver_due`` leases callbacks that are due
(so two workers never send the same attempt), sends each once through the SSRF-checked sender and records
the outcome: done, retried later with exponential backoff, or failed after ``max_attempts`` (or at once for
an answer not worth retrying: ``CallbackResult.final``).

At least once, not exactly once: a process killed between XADD and marking the entry published publishes it
again; a receiver de-duplicates by ``comment_id`` + ``decided_by`` + the signature's timestamp if it must.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import redis
from sqlalchemy.orm import Session, sessionmaker

from moderation.callbacks import CallbackResult, CallbackSender
from moderation.queue.events import publish_decisions
from moderation.queue.keys import RedisKeys
from moderation.store import outbox_repo, queue_repo

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def write(session: Session, *, document: dict[str, Any], callback_url: str | None) -> None:
    """Add one announcement to the caller's transaction (``document`` has ``comment_id`` and ``site``)."""
    outbox_repo.add(
        session=session,
        comment_id=str(document.get("comment_id") or ""),
        site=str(document.get("site") or ""),
        document=document,
        callback_url=callback_url,
    )


def write_comments(session: Session, comment_ids: Iterable[str]) -> None:
    """Announce the current decision of each comment (a moderator's, an undo): the feed only."""
    session.flush()
    for cid in comment_ids:
        doc = queue_repo.comment_document(session=session, comment_id=cid)
        if doc is not None:
            write(session, document=doc, callback_url=None)


class Outbox:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        client: redis.Redis | None,
        keys: RedisKeys,
        callbacks: CallbackSender | None = None,
        max_attempts: int = 5,
        base_delay_s: float = 2.0,
        max_delay_s: float = 300.0,
        lease_s: float = 60.0,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.keys = keys
        self.callbacks = callbacks
        self.max_attempts = max_attempts
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.lease_s = lease_s

    def publish(self, *, limit: int = 500) -> int:
        """Put unpublished entries on the decisions feed; how many. Redis errors propagate (nothing is
        marked published then)."""
        if self.client is None:
            return 0
        with self.sessions() as session, session.begin():
            rows = outbox_repo.unpublished(session=session, limit=limit)
            if not rows:
                return 0
            publish_decisions(self.client, self.keys, [row.document for row in rows])
            outbox_repo.mark_published(session=session, ids=[row.id for row in rows], at=_now())
        return len(rows)

    def deliver_due(self, *, limit: int = 32) -> list[Future[CallbackResult]]:
        """Lease the callbacks that are due and send each once in the background; their futures."""
        if self.callbacks is None:
            return []
        now = _now()
        taken: list[tuple[int, str, dict[str, Any], int]] = []
        with self.sessions() as session, session.begin():
            for entry in outbox_repo.due_callbacks(session=session, now=now, limit=limit):
                until = now + timedelta(seconds=self.lease_s)
                if entry.callback_url and outbox_repo.lease(
                    session=session, entry_id=entry.id, now=now, until=until
                ):
                    taken.append((entry.id, entry.callback_url, entry.document, entry.callback_attempts))
        futures = []
        for entry_id, url, document, attempts in taken:
            future = self.callbacks.send_once(url, document)
            future.add_done_callback(partial(self._record, entry_id, attempts))
            futures.append(future)
        return futures

    def _record(self, entry_id: int, attempts_before: int, future: Future[CallbackResult]) -> None:
        try:
            result = future.result()
        except Exception as exc:  # the sender itself failed: retry later
            result = CallbackResult(url="", delivered=False, attempts=1, status=None, error=repr(exc))
        attempts = attempts_before + 1
        if result.delivered:
            state, next_at = outbox_repo.DONE, None
        elif result.final or attempts >= self.max_attempts:
            state, next_at = outbox_repo.FAILED, None
            log.warning("callback for outbox entry %d failed for good: %s", entry_id, result.error)
        else:
            delay = min(self.max_delay_s, self.base_delay_s * 2 ** (attempts - 1))
            state, next_at = outbox_repo.PENDING, _now() + timedelta(seconds=delay)
        try:
            with self.sessions() as session, session.begin():
                outbox_repo.record_attempt(
                    session=session, entry_id=entry_id, state=state, error=result.error, next_at=next_at
                )
        except Exception:  # store down: the lease expires and the callback is sent again (at least once)
            log.exception("could not record the callback attempt of outbox entry %d", entry_id)

    def prune(self, *, keep_days: float = 7.0) -> int:
        """Forget settled entries older than ``keep_days`` (the decisions themselves stay in the store)."""
        with self.sessions() as session, session.begin():
            return outbox_repo.prune(session=session, before=_now() - timedelta(days=keep_days))

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            return outbox_repo.counts(session=session)

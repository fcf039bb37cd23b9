"""Data functions of the ``outbox`` table (decisions to announce; see ``moderation/outbox.py``).

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from moderation.store.tables import OutboxEntry

PENDING, DONE, FAILED, NONE = "pending", "done", "failed", "none"


def add(
    *, session: Session, comment_id: str, site: str, document: dict[str, Any], callback_url: str | None
) -> OutboxEntry:
    row = OutboxEntry(
        comment_id=comment_id,
        site=site,
        document=document,
        callback_url=callback_url,
        callback_state=PENDING if callback_url else NONE,
    )
    session.add(row)
    return row


def unpublished(*, session: Session, limit: int) -> list[OutboxEntry]:
    stmt = select(OutboxEntry).where(OutboxEntry.published_at.is_(None)).order_by(OutboxEntry.id)
    return list(session.scalars(stmt.limit(limit)))


def mark_published(*, session: Session, ids: list[int], at: datetime) -> None:
    if ids:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id.in_(ids), OutboxEntry.published_at.is_(None))
            .values(published_at=at)
            .execution_options(synchronize_session=False)
        )


def due_callbacks(*, session: Session, now: datetime, limit: int) -> list[OutboxEntry]:
    stmt = (
        select(OutboxEntry)
        .where(
            OutboxEntry.callback_state == PENDING,
            (OutboxEntry.next_attempt_at.is_(None)) | (OutboxEntry.next_attempt_at <= now),
        )
        .order_by(OutboxEntry.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def lease(*, session: Session, entry_id: int, now: datetime, until: datetime) -> bool:
    """Take the entry's next attempt (due now) until ``until``; False when another process took it first."""
    result = session.execute(
        update(OutboxEntry)
        .where(
            OutboxEntry.id == entry_id,
            OutboxEntry.callback_state == PENDING,
            (OutboxEntry.next_attempt_at.is_(None)) | (OutboxEntry.next_attempt_at <= now),
        )
        .values(next_attempt_at=until)
        # not evaluated in Python against the entries due_callbacks loaded: on SQLite their next_attempt_at
        # reads back naive, ``now`` is aware, and the comparison raised TypeError on every retry
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def record_attempt(
    *, session: Session, entry_id: int, state: str, error: str | None, next_at: datetime | None
) -> None:
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(
            callback_state=state,
            callback_attempts=OutboxEntry.callback_attempts + 1,
            last_error=error,
            next_attempt_at=next_at,
        )
        .execution_options(synchronize_session=False)
    )


def counts(*, session: Session) -> dict[str, int]:
    """Entries not yet published, and callbacks by state."""
    unpublished_n = session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.published_at.is_(None))
    )
    rows = session.execute(
        select(OutboxEntry.callback_state, func.count()).group_by(OutboxEntry.callback_state)
    ).all()
    return {"unpublished": int(unpublished_n or 0), **{str(state): int(n) for state, n in rows}}


def prune(*, session: Session, before: datetime) -> int:
    """Delete entries created before ``before`` that are published and whose callback is settled."""
    result = session.execute(
        delete(OutboxEntry).where(
            OutboxEntry.created_at < before,
            OutboxEntry.published_at.is_not(None),
            OutboxEntry.callback_state != PENDING,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)

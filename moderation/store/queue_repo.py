"""Store functions of the asynchronous path: queued comments, idempotent claims, decision documents.

Keyword-only, each takes the session; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from moderation.domain import CommentRequest, CommentStatus
from moderation.errors import Conflict
from moderation.store.community_repo import text_hash
from moderation.store.tables import CommentRow, DecisionRecord, ScoreRecord, utcnow


def create_queued(
    *, session: Session, request: CommentRequest, comment_id: str, article_id: str | None
) -> bool:
    """Insert the comment as ``queued``; True when it must be enqueued (new, or its earlier attempt failed).

    Re-submitting an id with the same text is a no-op (safe client retries); different text is a Conflict.
    """
    row = session.get(CommentRow, comment_id)
    if row is not None:
        if row.text != request.text or row.site != request.site:
            raise Conflict(
                f"comment '{comment_id}' already exists with different text or site", field="comment_id"
            )
        if row.status == CommentStatus.FAILED.value:
            row.status, row.error = CommentStatus.QUEUED.value, None
            return True
        return False
    session.add(
        CommentRow(
            id=comment_id,
            site=request.site,
            article_id=article_id,
            author_id=request.author_id,
            text=request.text,
            status=CommentStatus.QUEUED.value,
            callback_url=request.callback_url,
            parent_id=request.parent_id,
            text_hash=text_hash(request.text),
        )
    )
    return True


def stale_queued_ids(*, session: Session, before: datetime, limit: int) -> list[str]:
    """Comments still ``queued`` whose row was last written before ``before`` (oldest first)."""
    query = (
        select(CommentRow.id)
        .where(CommentRow.status == CommentStatus.QUEUED.value, CommentRow.updated_at < before)
        .order_by(CommentRow.updated_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def touch(*, session: Session, comment_ids: list[str]) -> None:
    if comment_ids:
        session.execute(update(CommentRow).where(CommentRow.id.in_(comment_ids)).values(updated_at=utcnow()))


def status_of(*, session: Session, comment_id: str) -> str:
    row = session.get(CommentRow, comment_id)
    return "" if row is None else row.status


def load_comments(*, session: Session, comment_ids: Iterable[str]) -> dict[str, CommentRow]:
    ids = list(set(comment_ids))
    if not ids:
        return {}
    rows = session.scalars(select(CommentRow).where(CommentRow.id.in_(ids))).all()
    return {row.id: row for row in rows}


def claim_for_scoring(*, session: Session, comment_id: str) -> bool:
    """Atomically flip a not-yet-scored comment to ``scored``; False if another writer already did."""
    result = session.execute(
        update(CommentRow)
        .where(CommentRow.id == comment_id, CommentRow.status != CommentStatus.SCORED.value)
        .values(status=CommentStatus.SCORED.value, error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def job_scored_ids(*, session: Session, comment_ids: Iterable[str], job_id: str) -> set[str]:
    """Which of these comments already have a score from this rescoring job (a redelivery changes nothing)."""
    ids = list(comment_ids)
    if not ids:
        return set()
    rows = session.scalars(
        select(ScoreRecord.comment_id).where(
            ScoreRecord.comment_id.in_(ids), ScoreRecord.rescore_job_id == job_id
        )
    )
    return set(rows)


def mark_failed(*, session: Session, comment_id: str, error: str) -> None:
    session.execute(
        update(CommentRow)
        .where(CommentRow.id == comment_id, CommentRow.status != CommentStatus.SCORED.value)
        .values(status=CommentStatus.FAILED.value, error=error[:2000])
        .execution_options(synchronize_session=False)
    )


def has_system_decision(*, session: Session, comment_id: str) -> bool:
    return bool(session.scalar(select(exists().where(DecisionRecord.comment_id == comment_id))))


def comment_document(*, session: Session, comment_id: str) -> dict[str, Any] | None:
    """Status of a comment and, once scored, the same decision document as /v1/moderate."""
    row = session.get(CommentRow, comment_id)
    if row is None:
        return None
    doc: dict[str, Any] = {"comment_id": row.id, "status": row.status, "site": row.site}
    if row.status == CommentStatus.FAILED.value:
        doc["error"] = row.error
    decision = session.scalars(
        select(DecisionRecord).where(DecisionRecord.comment_id == row.id).order_by(DecisionRecord.id.desc())
    ).first()
    score = session.scalars(
        select(ScoreRecord).where(ScoreRecord.comment_id == row.id).order_by(ScoreRecord.id.desc())
    ).first()
    if decision is None or score is None:
        return doc
    current = row.decision or decision.decision
    return doc | {
        "decision": current,
        "reasons": decision.reasons,
        "scores": score.scores,
        "model_version": score.model_version,
        "policy_version": decision.policy_version,
        "decided_by": row.decided_by or decision.actor,
        "stored": True,
    }

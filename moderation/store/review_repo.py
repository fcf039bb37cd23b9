"""Data functions behind the review queue: queue queries, atomic claims and decisions, history rows.

Every function is keyword-only and takes the caller's session; none commits. Claims and decisions are single
conditional ``UPDATE`` statements, so two moderators racing for the same comment cannot both win, on SQLite
and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, func, or_, select, update
from sqlalchemy.orm import Session

from moderation.domain import CommentStatus, DecisionSource
from moderation.store.tables import (
    ArticleRow,
    AuditEvent,
    CommentRow,
    DecisionRecord,
    ScoreRecord,
)

MODERATOR_SOURCES = (DecisionSource.MODERATOR, DecisionSource.UNDO)  # decisions people made


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class QueueQuery:
    decisions: tuple[str, ...] | None  # None: every decision
    site: str | None = None
    sites: frozenset[str] | None = None  # the caller's scope: None = every site
    article_id: str | None = None
    reason: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    sort: str = "newest"  # newest / score
    offset: int = 0
    limit: int = 25
    author_id: str | None = None
    reported: bool = False  # only comments readers reported
    text: str | None = None  # a substring of the text, case-insensitive


def _conditions(query: QueueQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [CommentRow.status == CommentStatus.SCORED]
    if query.decisions is not None:
        conds.append(CommentRow.decision.in_(query.decisions))
    if query.site:
        conds.append(CommentRow.site == query.site)
    if query.sites is not None:
        conds.append(CommentRow.site.in_(sorted(query.sites)))
    if query.article_id:
        conds.append(CommentRow.article_id == query.article_id)
    if query.reason:
        text_codes = cast(CommentRow.reason_codes, Text)
        conds.append(text_codes.contains(f'"{query.reason}"', autoescape=True))
    if query.min_score is not None:
        conds.append(CommentRow.top_score >= query.min_score)
    if query.max_score is not None:
        conds.append(CommentRow.top_score <= query.max_score)
    if query.author_id:
        conds.append(CommentRow.author_id == query.author_id)
    if query.reported:
        conds.append(CommentRow.report_count > 0)
    if query.text:
        conds.append(func.lower(CommentRow.text).contains(query.text.lower(), autoescape=True))
    return conds


def list_queue(*, session: Session, query: QueueQuery) -> tuple[list[CommentRow], int]:
    """One page of comments matching ``query`` and the total count of matches."""
    conds = _conditions(query)
    total = session.scalar(select(func.count()).select_from(CommentRow).where(*conds)) or 0
    stmt = select(CommentRow).where(*conds)
    if query.sort == "score":
        stmt = stmt.order_by(CommentRow.top_score.desc().nulls_last(), CommentRow.created_at.desc())
    else:
        stmt = stmt.order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
    rows = list(session.scalars(stmt.offset(query.offset).limit(query.limit)))
    return rows, int(total)


def queue_ids(*, session: Session, query: QueueQuery, limit: int = 500) -> list[str]:
    """Ids (first ``limit``) matching ``query``, in queue order: the live feed diffs these."""
    rows, _ = list_queue(session=session, query=replace(query, offset=0, limit=limit))
    return [row.id for row in rows]


def article_comments(*, session: Session, article_id: str, limit: int) -> list[CommentRow]:
    """An article's comments, oldest first (the first ``limit``)."""
    stmt = (
        select(CommentRow)
        .where(CommentRow.article_id == article_id)
        .order_by(CommentRow.created_at)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get_comments(*, session: Session, comment_ids: Sequence[str]) -> dict[str, CommentRow]:
    if not comment_ids:
        return {}
    rows = session.scalars(select(CommentRow).where(CommentRow.id.in_(list(comment_ids))))
    return {row.id: row for row in rows}


def article_titles(*, session: Session, article_ids: Sequence[str]) -> dict[str, str]:
    ids = sorted({a for a in article_ids if a})
    if not ids:
        return {}
    rows = session.execute(select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(ids)))
    return {str(article_id): str(title) for article_id, title in rows}


CHUNK = 900  # ids per IN (...) list: well under every driver's parameter limit


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


def latest_scores(*, session: Session, comment_ids: Sequence[str]) -> dict[str, ScoreRecord]:
    out: dict[str, ScoreRecord] = {}
    for ids in _chunks(comment_ids):
        newest = (
            select(func.max(ScoreRecord.id))
            .where(ScoreRecord.comment_id.in_(ids))
            .group_by(ScoreRecord.comment_id)
        )
        out.update(
            (r.comment_id, r) for r in session.scalars(select(ScoreRecord).where(ScoreRecord.id.in_(newest)))
        )
    return out


def latest_system_decisions(*, session: Session, comment_ids: Sequence[str]) -> dict[str, DecisionRecord]:
    """The newest decision the system (not a moderator) made for each comment: it holds the reasons."""
    out: dict[str, DecisionRecord] = {}
    for ids in _chunks(comment_ids):
        newest = (
            select(func.max(DecisionRecord.id))
            .where(DecisionRecord.comment_id.in_(ids), DecisionRecord.source.notin_(MODERATOR_SOURCES))
            .group_by(DecisionRecord.comment_id)
        )
        rows = session.scalars(select(DecisionRecord).where(DecisionRecord.id.in_(newest)))
        out.update((r.comment_id, r) for r in rows)
    return out


def system_decisions_in_force(*, session: Session, comment_ids: Sequence[str]) -> dict[str, DecisionRecord]:
    """For each comment, the system's decision in force when a moderator last decided it: the newest
    non-moderator record older than the newest moderator record (a rescore AFTER the moderator's decision
    does not count; one before it does). Comments without a moderator record: their newest system record."""
    out: dict[str, DecisionRecord] = {}
    for ids in _chunks(comment_ids):
        stmt = select(DecisionRecord).where(DecisionRecord.comment_id.in_(ids)).order_by(DecisionRecord.id)
        history: dict[str, list[DecisionRecord]] = {}
        for record in session.scalars(stmt):
            history.setdefault(record.comment_id, []).append(record)
        for cid, records in history.items():
            moderated = [i for i, r in enumerate(records) if r.source == DecisionSource.MODERATOR]
            upto = records[: moderated[-1]] if moderated else records
            system = [r for r in upto if r.source not in MODERATOR_SOURCES]
            if system:
                out[cid] = system[-1]
    return out


def try_claim(*, session: Session, comment_id: str, actor: str, now: datetime, until: datetime) -> bool:
    """Claim the comment unless someone else holds a live claim. True when the claim is ours."""
    free = or_(
        CommentRow.claimed_by.is_(None), CommentRow.claimed_by == actor, CommentRow.claimed_until < now
    )
    result = session.execute(
        update(CommentRow)
        .where(CommentRow.id == comment_id, free)
        .values(claimed_by=actor, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def release_claim(*, session: Session, comment_id: str, actor: str) -> bool:
    result = session.execute(
        update(CommentRow)
        .where(CommentRow.id == comment_id, CommentRow.claimed_by == actor)
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def try_set_decision(
    *, session: Session, comment_id: str, actor: str, decided_by: str, decision: str, now: datetime
) -> bool:
    """Set the moderator's decision if the claim rules allow it (no live foreign claim, no stale own one)."""
    allowed = or_(
        CommentRow.claimed_by.is_(None),
        and_(CommentRow.claimed_by == actor, CommentRow.claimed_until >= now),
        and_(CommentRow.claimed_by != actor, CommentRow.claimed_until < now),
    )
    result = session.execute(
        update(CommentRow)
        .where(CommentRow.id == comment_id, CommentRow.status == CommentStatus.SCORED, allowed)
        .values(decision=decision, decided_by=decided_by, claimed_by=None, claimed_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def add_decision_record(*, session: Session, record: DecisionRecord) -> DecisionRecord:
    session.add(record)
    session.flush()
    return record


def add_audit(*, session: Session, comment_id: str, event: str, actor: str, details: dict[str, Any]) -> None:
    session.add(AuditEvent(comment_id=comment_id, event=event, actor=actor, details=details))


def moderator_records(
    *, session: Session, actor: str, sites: frozenset[str] | None = None, limit: int = 200
) -> list[DecisionRecord]:
    """The actor's newest moderator and undo records, newest first; with ``sites``, only on comments of those
    sites (an actor is a key's name, which another site's key may share)."""
    stmt = (
        select(DecisionRecord)
        .where(DecisionRecord.actor == actor, DecisionRecord.source.in_(MODERATOR_SOURCES))
        .order_by(DecisionRecord.id.desc())
        .limit(limit)
    )
    if sites is not None:
        on_comment = CommentRow.id == DecisionRecord.comment_id
        stmt = stmt.join(CommentRow, on_comment).where(CommentRow.site.in_(sites))
    return list(session.scalars(stmt))


def decision_trail(*, session: Session, comment_id: str) -> list[DecisionRecord]:
    stmt = select(DecisionRecord).where(DecisionRecord.comment_id == comment_id).order_by(DecisionRecord.id)
    return list(session.scalars(stmt))


def score_trail(*, session: Session, comment_id: str) -> list[ScoreRecord]:
    stmt = select(ScoreRecord).where(ScoreRecord.comment_id == comment_id).order_by(ScoreRecord.id)
    return list(session.scalars(stmt))


def audit_trail(*, session: Session, comment_id: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.comment_id == comment_id).order_by(AuditEvent.id)
    return list(session.scalars(stmt))

"""Data functions about people and readers: author actions (ban, suspend, pre-moderate), notes, an author's
history for the trust rules and the drawer, reader reports. Keyword-only, the caller's session, never commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.community.people import AuthorAction, AuthorHistory, AuthorStanding
from moderation.community.rules import TrustRules
from moderation.domain import Action, CommentStatus
from moderation.store.tables import AuditEvent, AuthorActionRow, AuthorNote, CommentReport, CommentRow


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def text_hash(text: str) -> str:
    """What counts as "the same text" for repeat posts: case and whitespace do not matter."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


def _active_at(at: datetime) -> Any:
    return and_(
        AuthorActionRow.created_at <= at,
        or_(AuthorActionRow.revoked_at.is_(None), AuthorActionRow.revoked_at > at),
        or_(AuthorActionRow.until.is_(None), AuthorActionRow.until > at),
    )


def active_actions(*, session: Session, site: str, author_id: str, at: datetime) -> list[AuthorActionRow]:
    stmt = (
        select(AuthorActionRow)
        .where(AuthorActionRow.site == site, AuthorActionRow.author_id == author_id, _active_at(at))
        .order_by(AuthorActionRow.id)
    )
    return list(session.scalars(stmt))


def standing(*, session: Session, site: str, author_id: str, at: datetime) -> AuthorStanding:
    """The author's active actions at ``at`` (UTC)."""
    rows = active_actions(session=session, site=site, author_id=author_id, at=at)
    suspended = [as_utc(r.until) for r in rows if r.action == AuthorAction.SUSPEND and r.until is not None]
    return AuthorStanding(
        banned=any(r.action == AuthorAction.BAN for r in rows),
        suspended_until=max(suspended) if suspended else None,
        premod=any(r.action == AuthorAction.PREMOD for r in rows),
    )


def author_history(
    *, session: Session, site: str, author_id: str, comment_id: str | None, text: str, trust: TrustRules
) -> AuthorHistory:
    """The author's history as of the comment's writing (its stored ``created_at``, else now): standing then,
    earlier comments on the site, rejected ones in the policy's window, the same text in the repeat window."""
    row = session.get(CommentRow, comment_id) if comment_id else None
    at = as_utc(row.created_at) if row is not None else datetime.now(UTC)
    mine = [CommentRow.site == site, CommentRow.author_id == author_id, CommentRow.created_at < at]
    if comment_id:
        mine.append(CommentRow.id != comment_id)
    prior = 0
    if trust.premod_first_comments:
        prior = session.scalar(select(func.count()).select_from(CommentRow).where(*mine)) or 0
    rejections = 0
    if trust.history_rejections:
        since = at - timedelta(days=trust.history_days)
        rejections = (
            session.scalar(
                select(func.count())
                .select_from(CommentRow)
                .where(*mine, CommentRow.created_at >= since, CommentRow.decision == Action.REJECT)
            )
            or 0
        )
    repeat_of = None
    if trust.repeat_window_s:
        since = at - timedelta(seconds=trust.repeat_window_s)
        repeat_of = session.scalar(
            select(CommentRow.id)
            .where(*mine, CommentRow.created_at >= since, CommentRow.text_hash == text_hash(text))
            .order_by(CommentRow.created_at.desc())
            .limit(1)
        )
    return AuthorHistory(
        author_id=author_id,
        now=at,
        standing=standing(session=session, site=site, author_id=author_id, at=at),
        prior_comments=int(prior),
        recent_rejections=int(rejections),
        repeat_of=repeat_of,
    )


def add_action(
    *,
    session: Session,
    site: str,
    author_id: str,
    action: AuthorAction,
    reason: str,
    actor: str,
    until: datetime | None = None,
) -> AuthorActionRow:
    row = AuthorActionRow(
        site=site, author_id=author_id, action=action.value, reason=reason, actor=actor, until=until
    )
    session.add(row)
    session.flush()
    return row


def revoke_action(*, session: Session, site: str, action_id: int, actor: str) -> AuthorActionRow | None:
    """Revoke an action of ``site`` (None: no such action, or already revoked)."""
    now = datetime.now(UTC)
    done = session.execute(
        update(AuthorActionRow)
        .where(
            AuthorActionRow.id == action_id,
            AuthorActionRow.site == site,
            AuthorActionRow.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_by=actor)
    )
    if not getattr(done, "rowcount", 0):
        return None
    return session.get(AuthorActionRow, action_id, populate_existing=True)


def list_actions(*, session: Session, site: str, author_id: str) -> list[AuthorActionRow]:
    stmt = (
        select(AuthorActionRow)
        .where(AuthorActionRow.site == site, AuthorActionRow.author_id == author_id)
        .order_by(AuthorActionRow.id.desc())
    )
    return list(session.scalars(stmt))


def add_note(*, session: Session, site: str, author_id: str, note: str, actor: str) -> AuthorNote:
    row = AuthorNote(site=site, author_id=author_id, note=note, actor=actor)
    session.add(row)
    session.flush()
    return row


def list_notes(*, session: Session, site: str, author_id: str) -> list[AuthorNote]:
    stmt = (
        select(AuthorNote)
        .where(AuthorNote.site == site, AuthorNote.author_id == author_id)
        .order_by(AuthorNote.id.desc())
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class AuthorCounts:
    total: int
    by_decision: dict[str, int]
    first_seen: datetime | None
    reports: int  # readers' reports against their comments


def author_counts(*, session: Session, site: str, author_id: str) -> AuthorCounts:
    mine = (CommentRow.site == site, CommentRow.author_id == author_id)
    by_decision = {
        str(decision): int(n)
        for decision, n in session.execute(
            select(CommentRow.decision, func.count())
            .where(*mine, CommentRow.status == CommentStatus.SCORED)
            .group_by(CommentRow.decision)
        )
        if decision
    }
    total, first, reports = session.execute(
        select(
            func.count(), func.min(CommentRow.created_at), func.coalesce(func.sum(CommentRow.report_count), 0)
        ).where(*mine)
    ).one()
    return AuthorCounts(int(total), by_decision, as_utc(first) if first else None, int(reports))


def author_comments(*, session: Session, site: str, author_id: str, limit: int) -> list[CommentRow]:
    """The author's latest comments on the site, newest first."""
    stmt = (
        select(CommentRow)
        .where(CommentRow.site == site, CommentRow.author_id == author_id)
        .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def add_report(
    *, session: Session, comment_id: str, reader_id: str, reason: str, text: str | None
) -> CommentReport | None:
    """Store a reader's report and count it on the comment; None when this reader already reported it."""
    row = CommentReport(comment_id=comment_id, reader_id=reader_id, reason=reason, text=text)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    session.execute(
        update(CommentRow).where(CommentRow.id == comment_id).values(report_count=CommentRow.report_count + 1)
    )
    return row


def reports_for(*, session: Session, comment_ids: list[str]) -> dict[str, list[CommentReport]]:
    """Every report of these comments, oldest first, by comment id."""
    if not comment_ids:
        return {}
    out: dict[str, list[CommentReport]] = {}
    stmt = select(CommentReport).where(CommentReport.comment_id.in_(comment_ids)).order_by(CommentReport.id)
    for row in session.scalars(stmt):
        out.setdefault(row.comment_id, []).append(row)
    return out


def add_author_audit(*, session: Session, event: str, actor: str, details: dict[str, Any]) -> None:
    """An audit entry about a person (no comment): ``details`` names the site and author."""
    session.add(AuditEvent(comment_id=None, event=event, actor=actor, details=details))


def thread_of(
    *, session: Session, comment: CommentRow, limit: int = 50
) -> tuple[CommentRow | None, list[CommentRow]]:
    """The comment's parent (None: not a reply, or the parent is not stored) and its replies, oldest first."""
    parent = session.get(CommentRow, comment.parent_id) if comment.parent_id else None
    replies = list(
        session.scalars(
            select(CommentRow)
            .where(CommentRow.parent_id == comment.id)
            .order_by(CommentRow.created_at, CommentRow.id)
            .limit(limit)
        )
    )
    return parent, replies

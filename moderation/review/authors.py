"""The commenter behind the comments: the author drawer's data, and moderators' actions on people (ban,
suspend for a period, always pre-moderate) with a reason, an audit entry and an undo; notes.

Actions take effect on the author's NEXT comment on the site (``moderate.py`` reads the standing through
``store/community_repo.py`` on every path: ``/v1/moderate``, ``/v1/comments``' workers, Perspective, Coral).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderation.community.people import AuthorAction, AuthorStanding
from moderation.errors import InvalidInput, NotFound
from moderation.store import community_repo as repo
from moderation.store.tables import AuthorActionRow, CommentRow

MAX_REASON_CHARS = 1000
MAX_NOTE_CHARS = 2000
MAX_SUSPEND_HOURS = 24 * 365
RECENT = 20  # comments in the drawer


@dataclass(frozen=True)
class ActionIn:
    """``action``: ban / suspend / premod; ``reason`` required; ``hours`` required for suspend."""

    action: str
    reason: str
    hours: float | None = None

    def validated(self) -> tuple[AuthorAction, str, timedelta | None]:
        try:
            action = AuthorAction(self.action)
        except ValueError:
            allowed = ", ".join(a.value for a in AuthorAction)
            raise InvalidInput(f"action must be one of {allowed}", field="action") from None
        reason = (self.reason or "").strip()
        if not reason:
            raise InvalidInput("say why (the reason is kept in the audit trail)", field="reason")
        if len(reason) > MAX_REASON_CHARS:
            raise InvalidInput(f"reason is over {MAX_REASON_CHARS} characters", field="reason")
        if action is AuthorAction.SUSPEND:
            if self.hours is None or not 0 < self.hours <= MAX_SUSPEND_HOURS:
                raise InvalidInput(
                    f"a suspension needs hours between 0 and {MAX_SUSPEND_HOURS}", field="hours"
                )
            return action, reason, timedelta(hours=self.hours)
        if self.hours is not None:
            raise InvalidInput("only a suspension takes hours", field="hours")
        return action, reason, None


@dataclass(frozen=True)
class AuthorProfile:
    """Everything the author drawer shows (site-scoped)."""

    site: str
    author_id: str
    status: str  # Coral's: BANNED, SUSPENDED, PREMOD, NONE
    standing: AuthorStanding
    total: int
    counts: dict[str, int]  # approve / review / reject -> comments
    first_seen: datetime | None
    reports: int
    comments: list[CommentRow] = field(default_factory=list)
    actions: list[AuthorActionRow] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)

    @property
    def active_actions(self) -> list[AuthorActionRow]:
        now = datetime.now(UTC)
        return [
            a
            for a in self.actions
            if a.revoked_at is None and (a.until is None or repo.as_utc(a.until) > now)
        ]


def profile(*, session: Session, site: str, author_id: str) -> AuthorProfile:
    """NotFound when the author has neither comments nor actions nor notes on the site."""
    counts = repo.author_counts(session=session, site=site, author_id=author_id)
    actions = repo.list_actions(session=session, site=site, author_id=author_id)
    notes = repo.list_notes(session=session, site=site, author_id=author_id)
    if not counts.total and not actions and not notes:
        raise NotFound(f"no author '{author_id}' on site '{site}'", field="author_id")
    standing = repo.standing(session=session, site=site, author_id=author_id, at=datetime.now(UTC))
    return AuthorProfile(
        site=site,
        author_id=author_id,
        status=standing.status,
        standing=standing,
        total=counts.total,
        counts=counts.by_decision,
        first_seen=counts.first_seen,
        reports=counts.reports,
        comments=repo.author_comments(session=session, site=site, author_id=author_id, limit=RECENT),
        actions=actions,
        notes=notes,
    )


def act(*, session: Session, site: str, author_id: str, request: ActionIn, actor: str) -> AuthorActionRow:
    """Record the action and its audit entry; the caller commits."""
    action, reason, period = request.validated()
    until = datetime.now(UTC) + period if period is not None else None
    row = repo.add_action(
        session=session,
        site=site,
        author_id=author_id,
        action=action,
        reason=reason,
        actor=actor,
        until=until,
    )
    repo.add_author_audit(
        session=session,
        event=f"author_{action.value}",
        actor=actor,
        details={
            "site": site,
            "author_id": author_id,
            "action_id": row.id,
            "reason": reason,
            "until": until.isoformat() if until else None,
        },
    )
    return row


def undo(*, session: Session, site: str, action_id: int, actor: str) -> AuthorActionRow:
    """Revoke an active action (NotFound when there is none with that id on the site)."""
    row = repo.revoke_action(session=session, site=site, action_id=action_id, actor=actor)
    if row is None:
        raise NotFound(f"no active author action {action_id} on site '{site}'", field="action_id")
    repo.add_author_audit(
        session=session,
        event="author_action_revoked",
        actor=actor,
        details={"site": site, "author_id": row.author_id, "action_id": row.id, "action": row.action},
    )
    return row


def add_note(*, session: Session, site: str, author_id: str, note: str, actor: str) -> Any:
    note = (note or "").strip()
    if not note:
        raise InvalidInput("a note needs text", field="note")
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"a note is at most {MAX_NOTE_CHARS} characters", field="note")
    row = repo.add_note(session=session, site=site, author_id=author_id, note=note, actor=actor)
    repo.add_author_audit(
        session=session,
        event="author_note",
        actor=actor,
        details={"site": site, "author_id": author_id, "note_id": row.id},
    )
    return row

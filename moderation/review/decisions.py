"""The moderators' review workflow: claims with expiry, decisions, bulk (queue reading: queue.py).

Rules:
- Opening an item claims it for ``claim_seconds``; a live claim by someone else is a ``Conflict``.
- A decision is refused (``Conflict``) when another moderator holds a live claim, or when the deciding
  moderator's own claim has expired (a stale claim: reopen the item to claim it again). An unclaimed item
  may be decided directly.
- Every moderator decision appends a ``DecisionRecord`` (source ``moderator``) and a ``Label``; nothing is
  deleted. Undo (undo.py) appends a record restoring the previous decision.
- A bulk action is one action for undo: its records share a ``batch`` id.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain import Action, CommentStatus, DecisionSource, LabelSource
from moderation.errors import Conflict, InvalidInput, NotFound
from moderation.store import label_repo
from moderation.store import review_repo as repo
from moderation.store.repo import get_comment
from moderation.store.tables import CommentRow, DecisionRecord

REJECTION_REASONS: dict[str, str] = {
    "offensive": "Offensive",
    "abusive": "Abusive",
    "spam": "Spam",
    "banned_word": "Banned word",
    "advertising": "Advertising",
    "illegal_content": "Illegal content",
    "harassment": "Harassment / bullying",
    "misinformation": "Misinformation",
    "hate_speech": "Hate speech",
    "threat": "Threat / violence",
    "off_topic": "Irrelevant / off-topic",
    "other": "Other",
}
# The rejection reason the reject dialog pre-selects for the system's reason codes, most specific first.
SUGGESTED_REJECTION: dict[str, str] = {
    "THREAT": "threat",
    "IDENTITY_ATTACK": "hate_speech",
    "BANNED_WORD": "banned_word",
    "SEVERE_TOXICITY": "abusive",
    "INSULT": "abusive",
    "TOXICITY": "abusive",
    "PROFANITY": "offensive",
    "SPAM": "spam",
    "LINKS": "advertising",
    "REPEAT_POST": "spam",
    "PADDING": "spam",
    "SUSPECT_WORD": "offensive",
    "OFF_TOPIC": "off_topic",
}


def suggested_rejection(codes: list[str]) -> str | None:
    """The rejection reason matching the system's reasons (``threat`` for THREAT ...), or None."""
    present = set(codes)
    return next((reason for code, reason in SUGGESTED_REJECTION.items() if code in present), None)


MODERATOR_ACTIONS = (Action.APPROVE, Action.REJECT)
MAX_NOTE_CHARS = 2000
MAX_BULK = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Claim:
    comment_id: str
    claimed_by: str
    claimed_until: datetime


@dataclass(frozen=True)
class DecisionInput:
    action: str
    reason: str | None = None
    note: str | None = None

    def validated(self) -> DecisionInput:
        if self.action not in MODERATOR_ACTIONS:
            raise InvalidInput(f"action must be one of {', '.join(MODERATOR_ACTIONS)}", field="action")
        reason = (self.reason or "").strip() or None
        if self.action == Action.REJECT:
            if reason is None:
                raise InvalidInput("a rejection needs a reason", field="reason")
            if reason not in REJECTION_REASONS:
                raise InvalidInput(
                    f"unknown rejection reason {reason!r}; use one of {', '.join(REJECTION_REASONS)}",
                    field="reason",
                )
        elif reason is not None:
            raise InvalidInput("only a rejection takes a reason", field="reason")
        note = (self.note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise InvalidInput(f"note is longer than {MAX_NOTE_CHARS} characters", field="note")
        return DecisionInput(action=self.action, reason=reason, note=note)


@dataclass(frozen=True)
class Decided:
    comment_id: str
    decision: str
    previous: str | None
    actor: str
    record_id: int
    batch: str


@dataclass
class BulkResult:
    batch: str
    decided: list[Decided] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # comment id -> why


def moderator_reason(decision: DecisionInput, *, batch: str) -> dict[str, Any]:
    """A moderator decision's reason entry, in the same shape as the system's reasons (plus ``batch``)."""
    why = f": {REJECTION_REASONS[decision.reason]}" if decision.reason else ""
    return {
        "code": f"MODERATOR_{decision.action.upper()}",
        "classifier": "moderator",
        "action": decision.action,
        "message": f"{'Rejected' if decision.action == 'reject' else 'Approved'} by a moderator{why}",
        "score": None,
        "threshold": None,
        "batch": batch,
    }


def comment_row(session: Session, comment_id: str) -> CommentRow:
    row = get_comment(session=session, comment_id=comment_id)
    if row is None:
        raise NotFound(f"comment {comment_id!r} not found", field="comment_id")
    return row


def _claim_conflict(row: CommentRow, actor: str, now: datetime) -> Conflict:
    until = repo.as_utc(row.claimed_until)
    if row.claimed_by == actor:
        return Conflict(
            f"your claim on comment {row.id!r} expired at {until:%H:%M:%S} UTC; "
            "open it again to claim it before deciding"
        )
    return Conflict(f"comment {row.id!r} is claimed by {row.claimed_by} until {until:%H:%M:%S} UTC")


def claim(
    *, session: Session, comment_id: str, actor: str, seconds: int, now: datetime | None = None
) -> Claim:
    """Claim (or extend our claim on) a comment for ``seconds``."""
    now = now or utcnow()
    row = comment_row(session, comment_id)
    until = now + timedelta(seconds=seconds)
    if not repo.try_claim(session=session, comment_id=comment_id, actor=actor, now=now, until=until):
        session.refresh(row)
        raise _claim_conflict(row, actor, now)
    repo.add_audit(
        session=session,
        comment_id=comment_id,
        event="claim",
        actor=actor,
        details={"until": until.isoformat()},
    )
    return Claim(comment_id=comment_id, claimed_by=actor, claimed_until=until)


def release(*, session: Session, comment_id: str, actor: str) -> bool:
    comment_row(session, comment_id)
    released = repo.release_claim(session=session, comment_id=comment_id, actor=actor)
    if released:
        repo.add_audit(session=session, comment_id=comment_id, event="release", actor=actor, details={})
    return released


def _apply(
    session: Session, *, row: CommentRow, actor: str, decision: DecisionInput, batch: str, now: datetime
) -> Decided:
    previous = row.decision
    if not repo.try_set_decision(
        session=session,
        comment_id=row.id,
        actor=actor,
        decided_by=f"moderator:{actor}",
        decision=decision.action,
        now=now,
    ):
        session.refresh(row)
        if row.status != CommentStatus.SCORED:
            raise Conflict(f"comment {row.id!r} is not scored yet ({row.status})")
        raise _claim_conflict(row, actor, now)
    scores = repo.latest_scores(session=session, comment_ids=[row.id]).get(row.id)
    record = repo.add_decision_record(
        session=session,
        record=DecisionRecord(
            comment_id=row.id,
            decision=decision.action,
            reasons=[moderator_reason(decision, batch=batch)],
            model_version=scores.model_version if scores else None,
            source=DecisionSource.MODERATOR,
            actor=actor,
            rejection_reason=decision.reason,
            note=decision.note,
            created_at=now,
        ),
    )
    label_repo.add_label(
        session=session,
        comment_id=row.id,
        text=row.text,
        source=LabelSource.MODERATOR,
        actor=actor,
        created_at=now,
        label={
            "decision": decision.action,
            "reason": decision.reason,
            "note": decision.note,
            "system_decision": previous,
            "decision_record_id": record.id,
            "batch": batch,
        },
    )
    session.refresh(row)
    return Decided(
        comment_id=row.id,
        decision=decision.action,
        previous=previous,
        actor=actor,
        record_id=record.id,
        batch=batch,
    )


def decide(
    *, session: Session, comment_id: str, actor: str, decision: DecisionInput, now: datetime | None = None
) -> Decided:
    decision = decision.validated()
    row = comment_row(session, comment_id)
    return _apply(
        session, row=row, actor=actor, decision=decision, batch=uuid.uuid4().hex, now=now or utcnow()
    )


def decide_many(
    *,
    session: Session,
    comment_ids: Sequence[str],
    actor: str,
    decision: DecisionInput,
    now: datetime | None = None,
) -> BulkResult:
    """Decide each comment independently; refusals (claims, unknown ids) are reported, not raised."""
    decision = decision.validated()
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise InvalidInput("no comment ids given", field="ids")
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"at most {MAX_BULK} comments per bulk action", field="ids")
    now = now or utcnow()
    result = BulkResult(batch=uuid.uuid4().hex)
    rows = repo.get_comments(session=session, comment_ids=ids)
    for cid in ids:
        if cid not in rows:
            result.refused[cid] = f"comment {cid!r} not found"
            continue
        try:
            with session.begin_nested():
                result.decided.append(
                    _apply(
                        session, row=rows[cid], actor=actor, decision=decision, batch=result.batch, now=now
                    )
                )
        except Conflict as exc:
            result.refused[cid] = exc.message
    return result

"""A comment's audit trail: scorings, system decisions, moderator actions, undos and claims, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain import DecisionSource
from moderation.errors import NotFound
from moderation.store import review_repo as repo
from moderation.store.repo import get_comment
from moderation.store.tables import CommentRow


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    kind: str  # scored / rescored / decision / moderator / undo / claim / release / <audit event>
    actor: str
    summary: str
    decision: str | None = None
    model_version: str | None = None
    policy_version: str | None = None
    reason: str | None = None
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "actor": self.actor,
            "summary": self.summary,
            "decision": self.decision,
            "model_version": self.model_version,
            "policy_version": self.policy_version,
            "reason": self.reason,
            "note": self.note,
            "details": self.details,
        }


def _at(value: datetime) -> datetime:
    return repo.as_utc(value) or value


def history(*, session: Session, comment_id: str) -> tuple[CommentRow, list[HistoryEvent]]:
    row = get_comment(session=session, comment_id=comment_id)
    if row is None:
        raise NotFound(f"comment {comment_id!r} not found", field="comment_id")
    events: list[tuple[datetime, int, int, HistoryEvent]] = []
    decisions = repo.decision_trail(session=session, comment_id=comment_id)
    system = [d for d in decisions if d.source not in (DecisionSource.MODERATOR, DecisionSource.UNDO)]
    for i, s in enumerate(repo.score_trail(session=session, comment_id=comment_id)):
        # a scoring and its system decision are written together: show the scoring first
        at = min(_at(s.created_at), _at(system[i].created_at)) if i < len(system) else _at(s.created_at)
        kind = "rescored" if s.rescore_job_id or i > 0 else "scored"
        summary = f"scored by model {s.model_version}" + (
            f" (rescore job {s.rescore_job_id})" if s.rescore_job_id else ""
        )
        events.append(
            (
                at,
                0,
                s.id,
                HistoryEvent(
                    at=at,
                    kind=kind,
                    actor="system",
                    summary=summary,
                    model_version=s.model_version,
                    details={"rescore_job_id": s.rescore_job_id} if s.rescore_job_id else {},
                ),
            )
        )
    for d in decisions:
        if d.source == DecisionSource.MODERATOR:
            kind, summary = "moderator", f"{d.actor} decided {d.decision}"
        elif d.source == DecisionSource.UNDO:
            kind, summary = "undo", f"{d.actor} undid a decision; back to {d.decision}"
        else:
            codes = ", ".join(str(r.get("code")) for r in d.reasons if isinstance(r, dict)) or "no reasons"
            kind, summary = "decision", f"system decided {d.decision} ({d.source}): {codes}"
        events.append(
            (
                _at(d.created_at),
                1,
                d.id,
                HistoryEvent(
                    at=_at(d.created_at),
                    kind=kind,
                    actor=d.actor,
                    summary=summary,
                    decision=d.decision,
                    model_version=d.model_version,
                    policy_version=d.policy_version,
                    reason=d.rejection_reason,
                    note=d.note,
                    details={"source": d.source, "reasons": d.reasons, "rescore_job_id": d.rescore_job_id},
                ),
            )
        )
    for a in repo.audit_trail(session=session, comment_id=comment_id):
        summary = f"{a.actor}: {a.event}"
        if a.event == "claim" and a.details.get("until"):
            summary = f"{a.actor} claimed it until {a.details['until'][11:19]} UTC"
        events.append(
            (
                _at(a.created_at),
                2,
                a.id,
                HistoryEvent(
                    at=_at(a.created_at),
                    kind=a.event,
                    actor=a.actor,
                    summary=summary,
                    details=dict(a.details),
                ),
            )
        )
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return row, [e[3] for e in events]

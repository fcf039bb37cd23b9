"""Undo: a moderator takes back their last action (every comment of a bulk action at once).

Undo appends a ``DecisionRecord`` (source ``undo``) that restores the decision before it: its reasons, plus an
``UNDO`` entry naming the undone record in ``undoes``. The label is marked undone and the comment comes back
claimed by the moderator. Refused (``Conflict``) when someone decided the comment again since. Nothing is
deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain import Action, DecisionSource
from moderation.errors import Conflict, NotFound
from moderation.review.decisions import Decided, comment_row, utcnow
from moderation.store import label_repo
from moderation.store import review_repo as repo
from moderation.store.tables import DecisionRecord


def _undone_ids(records: list[DecisionRecord]) -> set[int]:
    return {
        int(r["undoes"])
        for rec in records
        if rec.source == DecisionSource.UNDO
        for r in rec.reasons
        if "undoes" in r
    }


def undo_reason(record: DecisionRecord, *, restored: str, batch: str | None) -> dict[str, Any]:
    return {
        "code": "UNDO",
        "classifier": "moderator",
        "action": restored,
        "message": f"A moderator's {record.decision} was undone",
        "score": None,
        "threshold": None,
        "undoes": record.id,
        "batch": batch,
    }


def _batch(record: DecisionRecord) -> str | None:
    return next((str(r["batch"]) for r in record.reasons if "batch" in r), None)


def undo_last(
    *,
    session: Session,
    actor: str,
    claim_seconds: int,
    sites: frozenset[str] | None = None,
    now: datetime | None = None,
) -> list[Decided]:
    """Undo the actor's last action (all comments of a bulk action); the items come back claimed by them.
    ``sites``: the caller's scope (None: every site); decisions on other sites' comments are not theirs,
    even when a key there bears the same name."""
    now = now or utcnow()
    records = repo.moderator_records(session=session, actor=actor, sites=sites)
    undone = _undone_ids(records)
    last = next((r for r in records if r.source == DecisionSource.MODERATOR and r.id not in undone), None)
    if last is None:
        raise NotFound("nothing to undo", field=None)
    batch = _batch(last)
    targets = [
        r
        for r in records
        if r.source == DecisionSource.MODERATOR and r.id not in undone and _batch(r) == batch
    ]
    restored: list[Decided] = []
    for record in targets:
        trail = repo.decision_trail(session=session, comment_id=record.comment_id)
        if trail[-1].id != record.id:
            raise Conflict(
                f"comment {record.comment_id!r} was decided again by {trail[-1].actor} since; "
                "it cannot be undone"
            )
        before = [
            r for r in trail if r.id < record.id and r.id not in undone and r.source != DecisionSource.UNDO
        ]
        previous = before[-1].decision if before else Action.REVIEW
        row = comment_row(session, record.comment_id)
        row.decision = previous
        by_moderator = bool(before) and before[-1].source == DecisionSource.MODERATOR
        row.decided_by = f"moderator:{before[-1].actor}" if by_moderator else "system"
        restored_reasons = list(before[-1].reasons) if before else []
        row.claimed_by, row.claimed_until = actor, now + timedelta(seconds=claim_seconds)
        undo = repo.add_decision_record(
            session=session,
            record=DecisionRecord(
                comment_id=row.id,
                decision=previous,
                reasons=[*restored_reasons, undo_reason(record, restored=previous, batch=batch)],
                model_version=record.model_version,
                source=DecisionSource.UNDO,
                actor=actor,
                note=f"undid {record.decision}",
                created_at=now,
            ),
        )
        for label in label_repo.moderator_labels(session=session, comment_id=row.id):
            if label.label.get("decision_record_id") == record.id:
                label.label = {**label.label, "undone": True}
        restored.append(
            Decided(
                comment_id=row.id,
                decision=previous,
                previous=record.decision,
                actor=actor,
                record_id=undo.id,
                batch=batch or "",
            )
        )
    return restored

"""Data functions of the ``labels`` table: moderators' labels and Perspective ``suggestscore`` submissions.

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain import LabelSource
from moderation.store.tables import Label


def add_label(
    *,
    session: Session,
    source: LabelSource,
    actor: str,
    label: dict[str, Any],
    text: str | None,
    comment_id: str | None = None,
    created_at: Any = None,
) -> Label:
    row = Label(comment_id=comment_id, text=text, source=source, actor=actor, label=label)
    if created_at is not None:
        row.created_at = created_at
    session.add(row)
    session.flush()
    return row


def labels_after(*, session: Session, last_id: int, limit: int) -> list[Label]:
    """The next ``limit`` labels after ``last_id``, oldest first (every source)."""
    stmt = select(Label).where(Label.id > last_id).order_by(Label.id).limit(limit)
    return list(session.scalars(stmt))


def moderator_labels(*, session: Session, comment_id: str) -> list[Label]:
    """The labels moderators' decisions left on one comment."""
    stmt = select(Label).where(Label.comment_id == comment_id, Label.source == LabelSource.MODERATOR)
    return list(session.scalars(stmt))

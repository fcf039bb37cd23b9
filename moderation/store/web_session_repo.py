"""Data functions of the ``web_sessions`` table (moderators' signed-in browser sessions).

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from moderation.store.tables import WebSession


def add(*, session: Session, session_id: str, key_id: int, csrf: str, expires_at: datetime) -> WebSession:
    row = WebSession(id=session_id, key_id=key_id, csrf=csrf, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def get(*, session: Session, session_id: str) -> WebSession | None:
    return session.get(WebSession, session_id)


def revoke(*, session: Session, session_id: str, at: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def revoke_for_key(*, session: Session, key_id: int, at: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.key_id == key_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=at)
    )

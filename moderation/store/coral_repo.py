"""Data functions of the ``coral_signing_secrets`` table (Coral Talk external phases' signing secrets) and the
article lookup by a Coral story's URL.

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store.tables import ArticleRow, CoralSigningSecret


def add_secret(*, session: Session, site: str, secret: str, label: str | None) -> CoralSigningSecret:
    row = CoralSigningSecret(site=site, secret=secret, label=label)
    session.add(row)
    session.flush()
    return row


def active_secrets(*, session: Session, site: str) -> list[CoralSigningSecret]:
    stmt = (
        select(CoralSigningSecret)
        .where(CoralSigningSecret.site == site, CoralSigningSecret.revoked_at.is_(None))
        .order_by(CoralSigningSecret.id)
    )
    return list(session.scalars(stmt))


def list_secrets(*, session: Session, site: str | None = None) -> list[CoralSigningSecret]:
    stmt = select(CoralSigningSecret).order_by(CoralSigningSecret.id)
    if site is not None:
        stmt = stmt.where(CoralSigningSecret.site == site)
    return list(session.scalars(stmt))


def get_secret(*, session: Session, secret_id: int) -> CoralSigningSecret | None:
    return session.get(CoralSigningSecret, secret_id)


def article_by_url(*, session: Session, site: str, urls: list[str]) -> ArticleRow | None:
    """The site's article whose ``url`` is one of ``urls`` (the oldest, if several)."""
    if not urls:
        return None
    stmt = (
        select(ArticleRow)
        .where(ArticleRow.site == site, ArticleRow.url.in_(urls))
        .order_by(ArticleRow.created_at, ArticleRow.id)
    )
    return session.scalars(stmt).first()

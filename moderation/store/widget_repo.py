"""Data functions of the comment-form widget: ``widget_keys`` rows and an article's comments for display.

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from moderation.store.tables import ArticleRow, CommentRow, WidgetKey


def add_key(
    *, session: Session, name: str, site: str, origins: list[str], prefix: str, key_hash: str
) -> WidgetKey:
    row = WidgetKey(name=name, site=site, origins=origins, prefix=prefix, key_hash=key_hash)
    session.add(row)
    session.flush()
    return row


def list_keys(*, session: Session, site: str | None = None, name: str | None = None) -> list[WidgetKey]:
    stmt = select(WidgetKey).order_by(WidgetKey.id)
    if site is not None:
        stmt = stmt.where(WidgetKey.site == site)
    if name is not None:
        stmt = stmt.where(WidgetKey.name == name)
    return list(session.scalars(stmt))


def get_key(*, session: Session, key_id: int) -> WidgetKey | None:
    return session.get(WidgetKey, key_id)


def key_by_hash(*, session: Session, key_hash: str) -> WidgetKey | None:
    return session.scalars(select(WidgetKey).where(WidgetKey.key_hash == key_hash)).first()


def article_comments(*, session: Session, article_id: str, limit: int) -> list[CommentRow]:
    """The article's newest comments first, with their decision records loaded."""
    stmt = (
        select(CommentRow)
        .where(CommentRow.article_id == article_id)
        .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
        .limit(limit)
        .options(selectinload(CommentRow.decisions))
    )
    return list(session.scalars(stmt))


def newest_article_id(*, session: Session, among: list[str]) -> str | None:
    """The most recently registered or updated article's id among ``among`` (the demo page's default), or
    None."""
    stmt = (
        select(ArticleRow.id)
        .where(ArticleRow.id.in_(among))
        .order_by(ArticleRow.updated_at.desc(), ArticleRow.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def set_origins(*, session: Session, row: WidgetKey, origins: list[str]) -> None:
    row.origins = list(origins)  # a new list: the JSON column sees the change
    session.flush()

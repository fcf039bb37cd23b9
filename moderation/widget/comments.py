"""An article and its comments as a site's comment section shows them (the demo page, ``GET /demo``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from moderation.domain import Action, Article
from moderation.store import repo, widget_repo

SHOWN = 50  # newest comments listed


@dataclass(frozen=True)
class ShownComment:
    id: str
    author: str
    text: str  # as written: hostile input, escaped by whoever renders it
    decision: str | None  # approve, review, reject (None: not decided yet)
    messages: tuple[str, ...]  # author-facing messages of the current decision's reasons
    created_at: datetime


def article_for_page(session: Session, article_id: str | None) -> Article | None:
    """The article ``article_id``, or the most recently registered one when None."""
    found = article_id or widget_repo.newest_article_id(session=session)
    return None if found is None else repo.get_article(session=session, article_id=found)


def article_comments(session: Session, article_id: str, *, limit: int = SHOWN) -> list[ShownComment]:
    """Newest first; each with the messages of its latest decision's reasons that match that decision (a
    rejected comment is never told it will be reviewed)."""
    out = []
    for row in widget_repo.article_comments(session=session, article_id=article_id, limit=limit):
        reasons = row.decisions[-1].reasons if row.decisions else []
        matching = [r for r in reasons if r.get("action") == row.decision] or list(reasons)
        messages = tuple(dict.fromkeys(str(r.get("message", "")) for r in matching if r.get("message")))
        out.append(
            ShownComment(
                id=row.id,
                author=row.author_id or "Reader",
                text=row.text,
                decision=row.decision,
                messages=messages if row.decision != Action.APPROVE else (),
                created_at=row.created_at,
            )
        )
    return out

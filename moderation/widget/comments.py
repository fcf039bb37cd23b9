"""An article and its comments as a site's comment section shows them (the demo page, ``GET /demo``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from moderation.domain import Action, Article
from moderation.store import repo, widget_repo

SHOWN = 50  # newest comments listed
PACKAGED_ARTICLE = Path(__file__).resolve().parents[1] / "demo" / "article.json"
# what `make run` serves when the checkout has it beside it (the Makefile's DEMO_ARTICLE)
SHARED_ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "demo" / "article.json"
DEMO_ARTICLE_FILES = (PACKAGED_ARTICLE, SHARED_ARTICLE)


@dataclass(frozen=True)
class ShownComment:
    id: str
    author: str
    text: str  # as written: hostile input, escaped by whoever renders it
    decision: str | None  # approve, review, reject (None: not decided yet)
    messages: tuple[str, ...]  # author-facing messages of the current decision's reasons
    created_at: datetime


def demo_articles(*, default_site: str, files: tuple[Path, ...] = DEMO_ARTICLE_FILES) -> dict[str, str]:
    """{article id: site} of the demo articles (the packaged one, and the shared one where the checkout has
    it), their site as ``moderation articles import`` gives it (the record's, else ``default_site``). The demo
    page shows and writes these only: it is anonymous, and must not reveal or feed any other article."""
    out: dict[str, str] = {}
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            site = record.get("site")
            out[record["id"]] = site if isinstance(site, str) and site else default_site
    return out


def article_for_page(
    session: Session, article_id: str | None, *, allowed: Mapping[str, str]
) -> Article | None:
    """The article ``article_id``, or the most recently registered one when None; only among ``allowed``
    ({id: site}): any other article, or one registered on another site, is None (as if it did not exist)."""
    found = article_id or widget_repo.newest_article_id(session=session, among=list(allowed))
    if found is None or found not in allowed:
        return None
    article = repo.get_article(session=session, article_id=found)
    return article if article is not None and article.site == allowed[found] else None


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

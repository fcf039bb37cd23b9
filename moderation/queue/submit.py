"""Submit comments for asynchronous scoring: validate, store as ``queued``, then enqueue their ids.

``do_not_store`` is refused here (InvalidInput): the worker reads the text from the store, so a comment that
must not be stored can only be moderated synchronously (POST /v1/moderate). Re-submitting an id with the same
text is safe: it is not enqueued again unless its earlier attempt failed. Validation is the use case's first
step (``Moderation.validate``); the worker runs the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from moderation.domain import CommentRequest, CommentStatus
from moderation.errors import InvalidInput, NotFound, Unavailable
from moderation.moderate import Moderation, require_article_site
from moderation.netguard import NOTHING_ALLOWED, AllowList, check_url
from moderation.queue.streams import ScoreStream
from moderation.scopes import ALL_SITES, SiteScope
from moderation.store import queue_repo, repo
from moderation.store.db import transaction


@dataclass(frozen=True)
class Submitted:
    comment_id: str
    status: str
    enqueued: bool


def _prepare(
    moderation: Moderation, requests: list[CommentRequest], limit: int, allow: AllowList
) -> list[CommentRequest]:
    if not requests:
        raise InvalidInput("no comments given", field="comments")
    if len(requests) > limit:
        raise InvalidInput(f"{len(requests)} comments in one request; the limit is {limit}", field="comments")
    out = []
    for i, req in enumerate(requests):
        if req.do_not_store:
            raise InvalidInput(
                "do_not_store is not possible for asynchronous scoring (the worker reads the stored text); "
                "use POST /v1/moderate",
                field=f"comments[{i}].do_not_store" if len(requests) > 1 else "do_not_store",
            )
        moderation.validate(req)
        if req.callback_url:
            check_url(req.callback_url, allow)  # again at send time: DNS may change in between
        out.append(req if req.comment_id else replace(req, comment_id=f"c_{uuid.uuid4().hex}"))
    ids = [r.comment_id for r in out]
    if len(set(ids)) != len(ids):
        raise InvalidInput("the same comment_id appears twice in one request", field="comment_id")
    return out


def submit_comments(
    *,
    moderation: Moderation,
    stream: ScoreStream,
    requests: list[CommentRequest],
    max_batch: int,
    allow: AllowList = NOTHING_ALLOWED,
    scope: SiteScope = ALL_SITES,
) -> list[Submitted]:
    """Store and enqueue (at most ``max_batch`` comments); QueueFull before anything is written when the
    stream is too deep; UnsafeTarget (InvalidInput) for a callback URL that reaches a non-public address
    not in ``allow``; Forbidden / NotFound / Conflict outside the caller's ``scope`` (nothing is written)."""
    prepared = _prepare(moderation, requests, max_batch, allow)
    stream.check_depth(len(prepared))
    results: list[Submitted] = []
    with transaction(moderation.sessions) as session:
        for req in prepared:
            article_id, site = req.article_id, req.site or scope.sole_site or ""
            if req.article is not None:
                owner = repo.article_site(session=session, article_id=req.article.id or "")
                scope.require_owner(owner, f"article id '{req.article.id}'", "article.id")
                scope.require(req.article.site, field="article.site")
                row, _ = repo.upsert_article(session=session, article=req.article)
                article_id, site = row.id, site or row.site
            elif article_id is not None:
                found = repo.get_article_row(session=session, article_id=article_id)
                if found is None or not scope.allows(found.site):
                    raise NotFound(f"unknown article '{article_id}'", field="article_id")
                require_article_site(article_id, found.site, site)
                site = site or found.site
            req = replace(req, site=site or moderation.default_site)
            cid = req.comment_id or ""
            scope.require(req.site)
            existing = repo.comment_site(session=session, comment_id=cid)
            scope.require_owner(existing, f"comment_id '{cid}'", "comment_id")
            needs_work = queue_repo.create_queued(
                session=session, request=replace(req, article=None), comment_id=cid, article_id=article_id
            )
            status = (
                CommentStatus.QUEUED.value
                if needs_work
                else queue_repo.status_of(session=session, comment_id=cid)
            )
            results.append(Submitted(cid, status, needs_work))
    fresh = [s.comment_id for s in results if s.enqueued]
    try:
        stream.enqueue(fresh, check_depth=False)
    except Exception as exc:  # Redis down after the commit: do not leave comments queued with no message
        with transaction(moderation.sessions) as session:
            for cid in fresh:
                queue_repo.mark_failed(session=session, comment_id=cid, error=f"enqueue failed: {exc!r}")
        raise Unavailable("the scoring queue is unavailable; resubmit the same comment ids later") from exc
    return results

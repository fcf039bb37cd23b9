"""Moderator pages: the queue, row fragments for live updates, a comment's history, an article's dashboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.ui.auth_pages import ModeratorUI, login_redirect
from api.ui.render import SECURITY_HEADERS, page, render
from moderation.errors import InvalidInput, ModerationError
from moderation.policy_document import REASON_CODES
from moderation.review.dashboard import article_stats
from moderation.review.history import history
from moderation.review.queue import TABS, QueueFilter, get_items, list_queue
from moderation.store import repo
from moderation.store.community_repo import thread_of

router = APIRouter(include_in_schema=False)
MAX_ROW_IDS = 100


def _float(value: str | None, name: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a number between 0 and 1", field=name) from None


def _int(value: str | None, name: str, default: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number", field=name) from None


def filters_from(request: Request) -> QueueFilter:
    q = request.query_params
    return QueueFilter(
        tab=q.get("tab") or "review",
        sort=q.get("sort") or "newest",
        site=q.get("site") or None,
        article_id=q.get("article") or None,
        reason=(q.get("reason") or "").strip().upper() or None,
        min_score=_float(q.get("min"), "min"),
        max_score=_float(q.get("max"), "max"),
        page=_int(q.get("page"), "page", 1),
        per_page=_int(q.get("per_page"), "per_page", 25),
        author_id=(q.get("author") or "").strip() or None,
        q=(q.get("q") or "").strip() or None,
    ).validated()


def query_string(filters: QueueFilter, **override: Any) -> str:
    params = {
        "tab": filters.tab,
        "sort": filters.sort,
        "site": filters.site,
        "article": filters.article_id,
        "reason": filters.reason,
        "min": filters.min_score,
        "max": filters.max_score,
        "author": filters.author_id,
        "q": filters.q,
        "page": filters.page,
    } | override
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _error_page(request: Request, user: Any, exc: ModerationError, status: int) -> HTMLResponse:
    return page(request, "error.html", status_code=status, user=user, message=exc.message)


@router.get("/moderate")
def queue_page(request: Request, user: ModeratorUI, session: SessionDep, settings: SettingsDep) -> Response:
    if user is None:
        return login_redirect(request)
    try:
        filters = replace(filters_from(request), sites=user.scope.sites)
    except InvalidInput as exc:
        return _error_page(request, user, exc, 422)
    result = list_queue(session=session, filters=filters)
    return page(
        request,
        "queue.html",
        user=user,
        filters=filters,
        result=result,
        tabs=list(TABS),
        qs=lambda **kw: query_string(filters, **kw),
        now=datetime.now(UTC),
        claim_seconds=settings.review_claim_seconds,
        reason_codes=REASON_CODES,
    )


@router.get("/moderate/rows")
def queue_rows(request: Request, user: ModeratorUI, session: SessionDep, ids: str = "") -> Response:
    """Rendered rows for the given ids (live arrivals, undo): HTML fragments, escaped like the page."""
    if user is None:
        return Response(status_code=401)
    wanted = [i for i in ids.split(",") if i][:MAX_ROW_IDS]
    items = [i for i in get_items(session=session, comment_ids=wanted) if user.scope.allows(i.site)]
    html = "".join(render("_row.html", item=item, user=user, now=datetime.now(UTC)) for item in items)
    return HTMLResponse(html, headers=SECURITY_HEADERS)


@router.get("/moderate/comments/{comment_id}")
def history_page(comment_id: str, request: Request, user: ModeratorUI, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    try:
        user.scope.require_found(repo.comment_site(session=session, comment_id=comment_id), "comment")
        row, events = history(session=session, comment_id=comment_id)
    except ModerationError as exc:
        return _error_page(request, user, exc, 404)
    (item,) = get_items(session=session, comment_ids=[comment_id])
    parent, replies = thread_of(session=session, comment=row)
    return page(
        request,
        "history.html",
        user=user,
        comment=row,
        item=item,
        events=events,
        now=datetime.now(UTC),
        parent=parent,
        replies=replies,
    )


@router.get("/moderate/articles/{article_id}")
def dashboard_page(article_id: str, request: Request, user: ModeratorUI, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    try:
        user.scope.require_found(repo.article_site(session=session, article_id=article_id), "article")
        stats = article_stats(session=session, article_id=article_id)
    except ModerationError as exc:
        return _error_page(request, user, exc, 404)
    return page(request, "dashboard.html", user=user, stats=stats)

"""``/demo``: a news page with a reader comment section using the widget, and the tiny backend it posts to.

What a site does, in miniature: the page embeds the widget with a publishable key; the form posts to the
site's own backend (``POST /demo/comments``), which asks the moderation use case server-side (the authority;
the widget's pre-check is advice) and stores the comment with its decision. Comment text is hostile input: it
is only rendered through autoescaping, and the page's CSP allows scripts from this origin only.

Anonymous, so opt-in: ``MODERATION_DEMO=true`` (``make run`` sets it), never in production; otherwise 404. It
shows and writes the demo articles only (``comments.demo_articles``: the packaged one and the shared one),
never another article or site; one publishable key per demo site, with a bounded list of origins.
"""

from __future__ import annotations

import threading
import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api.deps import ModerationDep, ServicesDep, SessionDep
from api.schemas import PATH_SIGNIFICANT
from api.ui.render import page
from moderation.domain import CommentRequest, DecisionSource
from moderation.errors import InvalidInput, NotFound
from moderation.moderate import Moderation
from moderation.services import Services
from moderation.widget import comments
from moderation.widget.keys import DemoKey, demo_key

router = APIRouter(include_in_schema=False)
_KEYS_LOCK = threading.Lock()
STATUS = {"approve": "Published", "review": "Awaiting moderation", "reject": "Not published"}


def _enabled(services: Services) -> dict[str, str]:
    """The demo articles ({id: site}); NotFound unless the demo is on (MODERATION_DEMO; never in
    production)."""
    settings = services.settings
    if not settings.demo or settings.environment == "production":
        raise NotFound("the demo page is off (MODERATION_DEMO=true turns it on, outside production)")
    return comments.demo_articles(default_site=settings.default_site)


def _widget_key(request: Request, session: Session, site: str) -> str:
    """The demo site's publishable key, one per site for the process's life (``demo_key``): a new ``Host``
    adds an origin to it (bounded), never a row."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    with _KEYS_LOCK:  # two first visits at once must not revoke each other's key
        cache: dict[str, DemoKey] | None = getattr(request.app.state, "demo_widget_keys", None)
        if cache is None:
            cache = request.app.state.demo_widget_keys = {}
        known = cache.get(site)
        key = demo_key(session=session, site=site, origin=origin, known=known)
        if key is not known:
            session.commit()
            cache[site] = key
        return key.plaintext


def _render(
    request: Request,
    session: Session,
    moderation: Moderation,
    *,
    allowed: dict[str, str],
    article_id: str | None,
    posted: str | None = None,
    text: str = "",
    author: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    article = comments.article_for_page(session, article_id, allowed=allowed)
    if article is None:
        raise NotFound(
            "no such demo article (the demo shows its own articles; make run imports them)", field="article"
        )
    policy = moderation.policy_for(session, site=article.site, article_id=article.id)
    shown = comments.article_comments(session, article.id)
    mine = next((c for c in shown if c.id == posted), None)
    if mine is not None and mine.decision == "reject" and not text:
        text, author = mine.text, mine.author  # give the author their words back to edit
    return page(
        request,
        "demo.html",
        status_code=status_code,
        article=article,
        paragraphs=[p.strip() for p in article.body.split("\n\n") if p.strip()],
        rules=policy,
        key=_widget_key(request, session, article.site),
        comments=shown,
        status=STATUS,
        mine=mine,
        text=text,
        author=author,
        error=error,
    )


@router.get("/demo")
def demo_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    moderation: ModerationDep,
    article: Annotated[str | None, Query(max_length=200)] = None,
    comment: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    allowed = _enabled(services)
    return _render(request, session, moderation, allowed=allowed, article_id=article, posted=comment)


@router.post("/demo/comments")
def post_comment(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    moderation: ModerationDep,
    article_id: Annotated[str, Form(max_length=200)],
    text: Annotated[str, Form(max_length=20_000)] = "",
    author: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """The site's backend: moderate server-side (the authority), store, show the page again."""
    allowed = _enabled(services)
    article = comments.article_for_page(session, article_id, allowed=allowed)
    if article is None:  # only the demo articles take comments here: no other article or site is written
        raise NotFound("no such demo article", field="article_id")
    comment_id = f"demo-{uuid.uuid4().hex[:12]}"
    author_id = author.strip() or None
    try:
        if author_id is not None and any(c in PATH_SIGNIFICANT for c in author_id):
            raise InvalidInput("Your name may not contain / ? # % or \\.", field="author")
        request_ = CommentRequest(
            text=text, site=article.site, article_id=article.id, comment_id=comment_id, author_id=author_id
        )
        moderation.moderate(request_, source=DecisionSource.SYNC)
    except InvalidInput as exc:
        return _render(
            request,
            session,
            moderation,
            allowed=allowed,
            article_id=article_id,
            text=text,
            author=author,
            error=exc.message,
            status_code=422,
        )
    url = "/demo?" + urlencode({"article": article_id, "comment": comment_id}) + "#post-result"
    return RedirectResponse(url, status_code=303)

"""The author drawer page: who wrote a comment, their recent comments with decisions, counts, reports, the
actions on them (ban, suspend, pre-moderate; undo) and moderators' notes. The forms call the JSON API
(``api/routes/authors.py``) from ``static/people.js`` with the session's CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.deps import ServicesDep, SessionDep
from api.ui.auth_pages import ModeratorUI, login_redirect
from api.ui.render import page
from moderation.errors import ModerationError
from moderation.review import authors

router = APIRouter(include_in_schema=False)
SitePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]


@router.get("/moderate/sites/{site}/authors/{author_id}")
def author_page(
    site: SitePath, author_id: str, request: Request, user: ModeratorUI, session: SessionDep
) -> Response:
    if user is None:
        return login_redirect(request)
    try:
        user.scope.require_found(site, "site")
        profile = authors.profile(session=session, site=site, author_id=author_id)
    except ModerationError as exc:
        return page(request, "error.html", status_code=404, user=user, message=exc.message)
    return page(request, "author.html", user=user, p=profile, now=datetime.now(UTC))


@router.get("/moderate/sites/{site}/words")
def words_page(
    site: SitePath, request: Request, user: ModeratorUI, session: SessionDep, services: ServicesDep
) -> Response:
    """The site's banned, suspect and allowed words (admins save them; moderators read them)."""
    if user is None:
        return login_redirect(request)
    if not user.scope.allows(site):
        return page(request, "error.html", status_code=404, user=user, message="unknown site")
    policy = services.moderation.policy_for(session, site=site, article_id=None)
    return page(request, "words.html", user=user, site=site, words=policy.words, version=policy.version)

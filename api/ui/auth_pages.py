"""Sign-in (a moderator key for a session cookie), sign-out, the UI's principal, and static files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from api import sessions
from api.deps import KeyringDep, SessionDep
from api.ui.render import SECURITY_HEADERS, page
from moderation import api_keys
from moderation.domain import ROLE_RANK, Role
from moderation.errors import Forbidden, NotFound
from moderation.keyring import Keyring
from moderation.scopes import ALL_SITES, SiteScope

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
_STATIC_NAME = re.compile(r"^[a-z0-9_-]+\.(css|js|svg|txt)$")
_MEDIA = {"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml", "txt": "text/plain"}


@dataclass(frozen=True)
class Moderator:
    """Who is using the UI, with the CSRF token the page embeds."""

    name: str
    role: str
    csrf: str
    session_id: str
    scope: SiteScope = ALL_SITES  # the key's sites: the pages show nothing else


def ui_moderator(request: Request, session: SessionDep, keyring: KeyringDep) -> Moderator | None:
    """The signed-in moderator, or None (the page then redirects to the sign-in page)."""
    web = sessions.read_session(request, keyring=keyring, db=session)
    key = sessions.session_key(session, web)
    if key is None or web is None:
        return None
    return Moderator(
        name=key.name,
        role=key.role,
        csrf=web.csrf,
        session_id=web.session_id,
        scope=api_keys.scope_of(key),
    )


ModeratorUI = Annotated[Moderator | None, Depends(ui_moderator)]


def check_form_csrf(user: Moderator, token: str | None) -> None:
    if not sessions.csrf_ok(user.csrf, token):
        raise Forbidden("missing or invalid CSRF token; reload the page and try again", field="csrf_token")


def _safe_next(value: str | None) -> str:
    """Only a path on this site (never //host or /\\host, which browsers treat as another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/moderate"
    return value if value.isprintable() else "/moderate"


def _login_page(
    request: Request, keyring: Keyring, *, error: str | None, next_url: str | None, status_code: int = 200
) -> Response:
    token = sessions.login_csrf(request, keyring=keyring)
    response = page(
        request,
        "login.html",
        status_code=status_code,
        error=error,
        next=_safe_next(next_url),
        csrf=token,
        user=None,
    )
    sessions.set_login_csrf(response, request, token)
    return response


@router.get("/login")
def login_form(request: Request, keyring: KeyringDep, user: ModeratorUI, next: str | None = None) -> Response:
    if user is not None:  # already signed in
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, keyring, error=None, next_url=next)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    keyring: KeyringDep,
    key: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/moderate",
) -> Response:
    if not sessions.login_csrf_ok(request, csrf_token, keyring=keyring):
        return _login_page(
            request,
            keyring,
            error="Your sign-in form expired; please try again.",
            next_url=next,
            status_code=403,
        )
    row = api_keys.authenticate(session=session, plaintext=key.strip())
    if row is None:
        return _login_page(
            request, keyring, error="That key is unknown or revoked.", next_url=next, status_code=401
        )
    if ROLE_RANK[Role(row.role)] < ROLE_RANK[Role.MODERATOR]:
        return _login_page(
            request, keyring, error="That key is not a moderator key.", next_url=next, status_code=403
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    sessions.start_session(response, request, keyring=keyring, key=row, db=session)
    session.commit()
    return response


@router.post("/logout")
def logout(
    request: Request, user: ModeratorUI, session: SessionDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    if user is None:
        return login_redirect(request)
    check_form_csrf(user, csrf_token)
    response = RedirectResponse("/login", status_code=303)
    sessions.end_session(response, db=session, session_id=user.session_id)  # revoked server-side
    session.commit()
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC / name
    if not _STATIC_NAME.match(name) or not path.is_file():
        raise NotFound(f"no static file {name!r}")
    headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=300"}
    return FileResponse(path, media_type=_MEDIA[name.rsplit(".", 1)[1]], headers=headers)


def login_redirect(request: Request) -> Response:
    next_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(next_url, safe='')}", status_code=303)

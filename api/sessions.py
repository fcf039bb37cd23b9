"""Moderator web sessions: a moderator key is exchanged once for a signed cookie; CSRF tokens guard changes.

The cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure`` over HTTPS) holds a random session token, whose
sha256 names a ``web_sessions`` row (key id, CSRF token, expiry, revoked_at): logout revokes the row, so a
copied cookie stops working. The cookie is signed with HMAC-SHA256 under the keyring's ``session-cookie`` key
(the sign-in form's token under its own ``login-csrf`` key: ``moderation/keyring.py``); the key row is
re-read on every request, so revoking the key ends its sessions. A request authenticated by the cookie that
changes state (any method but GET, HEAD, OPTIONS) must carry the session's CSRF token in the
``X-CSRF-Token`` header (fetch) or the ``csrf_token`` form field (checked by the UI routes), else it is
refused with 403.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from api.principal import Principal
from moderation import api_keys
from moderation.domain import ROLE_RANK, Role
from moderation.errors import Forbidden
from moderation.keyring import Keyring, Purpose
from moderation.store import key_repo, web_session_repo
from moderation.store.tables import ApiKey

COOKIE = "moderation_session"
LOGIN_CSRF_COOKIE = "moderation_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
MAX_AGE_S = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, body: str, purpose: str) -> str:
    return _b64(hmac.new(secret, f"{purpose}:{body}".encode(), hashlib.sha256).digest())


def sign(payload: dict[str, Any], *, secret: bytes, purpose: str = "session") -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(secret, body, purpose)}"


def unsign(token: str, *, secret: bytes, purpose: str = "session") -> dict[str, Any] | None:
    body, _, mac = token.partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _mac(secret, body, purpose)):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class WebSession:
    session_id: str  # sha256 hex of the cookie's random token: the web_sessions row
    key_id: int
    csrf: str


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    response: Response, request: Request, *, keyring: Keyring, key: ApiKey, db: Session
) -> WebSession:
    """A new server-side session row (the caller commits) and its signed cookie."""
    token = secrets.token_urlsafe(32)
    web = WebSession(session_id=_session_id(token), key_id=key.id, csrf=secrets.token_urlsafe(32))
    expires = datetime.now(UTC) + timedelta(seconds=MAX_AGE_S)
    web_session_repo.add(
        session=db, session_id=web.session_id, key_id=web.key_id, csrf=web.csrf, expires_at=expires
    )
    cookie = sign({"s": token, "t": int(time.time())}, secret=keyring.key(Purpose.SESSION))
    response.set_cookie(
        COOKIE, cookie, max_age=MAX_AGE_S, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return web


def end_session(response: Response, *, db: Session, session_id: str | None) -> None:
    """Revoke the session server-side (a copied cookie stops working; the caller commits) and clear it."""
    if session_id is not None:
        web_session_repo.revoke(session=db, session_id=session_id, at=datetime.now(UTC))
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def read_session(request: Request, *, keyring: Keyring, db: Session) -> WebSession | None:
    """The live session the cookie names: signed by us, its row present, not revoked, not expired."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 1024:
        return None
    payload = unsign(token, secret=keyring.key(Purpose.SESSION))
    if payload is None or not isinstance(payload.get("s"), str):
        return None
    row = web_session_repo.get(session=db, session_id=_session_id(payload["s"]))
    if row is None or row.revoked_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires <= datetime.now(UTC):
        return None
    return WebSession(session_id=row.id, key_id=row.key_id, csrf=row.csrf)


def session_key(db: Session, web: WebSession | None) -> ApiKey | None:
    """The session's key if it still exists, is not revoked and is at least a moderator's."""
    if web is None:
        return None
    key = key_repo.get_key(session=db, key_id=web.key_id)
    if key is None or key.revoked_at is not None or key.role not in ROLE_RANK:
        return None
    return key if ROLE_RANK[Role(key.role)] >= ROLE_RANK[Role.MODERATOR] else None


def csrf_ok(expected: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(expected.encode(), (token or "").encode())


def login_csrf(request: Request, *, keyring: Keyring) -> str:
    """Double-submit token for the sign-in form (there is no session yet): reuse the cookie's or mint one."""
    current = request.cookies.get(LOGIN_CSRF_COOKIE)
    secret = keyring.key(Purpose.LOGIN_CSRF)
    if current and len(current) < 256 and unsign(current, secret=secret, purpose="login"):
        return current
    return sign({"n": secrets.token_urlsafe(16)}, secret=secret, purpose="login")


def set_login_csrf(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )


def login_csrf_ok(request: Request, form_token: str | None, *, keyring: Keyring) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not form_token or not hmac.compare_digest(cookie.encode(), form_token.encode()):
        return False
    return unsign(cookie, secret=keyring.key(Purpose.LOGIN_CSRF), purpose="login") is not None


def principal_from_cookie(request: Request, session: Session) -> Principal | None:
    """The moderator behind the session cookie, or None. State-changing requests need the CSRF header."""
    services = getattr(request.app.state, "services", None)
    if services is None:
        return None
    web = read_session(request, keyring=services.keyring, db=session)
    key = session_key(session, web)
    if key is None or web is None:
        return None
    if request.method not in SAFE_METHODS and not csrf_ok(web.csrf, request.headers.get(CSRF_HEADER)):
        raise Forbidden(
            f"missing or invalid CSRF token: send the session's token in the {CSRF_HEADER} header",
            field=CSRF_HEADER,
        )
    return Principal(
        name=key.name, role=Role(key.role), key_id=key.id, via="session", scope=api_keys.scope_of(key)
    )

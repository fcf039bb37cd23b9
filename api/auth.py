"""Who is calling: an API key (Bearer, X-API-Key or the ``key`` query parameter) or a session cookie."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from api import sessions as web_sessions
from api.principal import Principal
from moderation import api_keys
from moderation.domain import Role
from moderation.errors import AuthError, Forbidden


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or request.query_params.get("key") or None


def resolve_principal(request: Request, session: Session) -> Principal | None:
    """The caller, or None when no credentials were presented. An unknown or revoked key is an AuthError."""
    plaintext = presented_key(request)
    if plaintext is not None:
        row = api_keys.authenticate(session=session, plaintext=plaintext)
        if row is None:
            raise AuthError("the API key is unknown or revoked")
        principal = Principal(
            name=row.name, role=Role(row.role), key_id=row.id, via="key", scope=api_keys.scope_of(row)
        )
        limiter = getattr(request.app.state, "rate_limiter", None)
        if limiter is not None:
            limiter.hit(row.id)  # RateLimited past the key's limit
        # last_used_at (at most once a minute); committing also ends the read transaction, so the request
        # gives its connection back to the pool before the route takes one (one connection at a time)
        session.commit()
        return principal
    found = web_sessions.principal_from_cookie(request, session)
    session.commit()
    return found


def require(principal: Principal | None, role: Role) -> Principal:
    if principal is None:
        raise AuthError("an API key is required (Authorization: Bearer <key> or X-API-Key)")
    if not principal.can(role):
        raise Forbidden(
            f"this needs the {role.value} role; the key '{principal.name}' is {principal.role.value}"
        )
    return principal

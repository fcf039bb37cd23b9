"""The comment-form widget's routes: publishable keys (admin), and for browsers the comment rules and the
pre-check (``?key=pk_...``, CORS for the key's origins only: ``api/widget_cors.py``). Docs: docs/widget.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from api.deps import AdminDep, ModerationDep, SessionDep
from api.schemas import RowId
from api.widget_cors import ALLOWED_ORIGIN
from api.widget_schemas import (
    CheckIn,
    CheckOut,
    CheckReasonOut,
    MarkOut,
    RulesOut,
    WidgetKeyIn,
    WidgetKeyOut,
    WidgetKeysOut,
)
from moderation.errors import AuthError, Forbidden
from moderation.store.tables import WidgetKey
from moderation.widget import keys as widget_keys
from moderation.widget.precheck import comment_rules, precheck

router = APIRouter(tags=["widget"])
ArticleQuery = Annotated[str | None, Query(max_length=200, description="the article the comment is for")]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def key_out(row: WidgetKey, plaintext: str | None = None) -> WidgetKeyOut:
    return WidgetKeyOut(
        id=row.id,
        name=row.name,
        site=row.site,
        origins=list(row.origins or []),
        prefix=row.prefix,
        created_at=row.created_at.isoformat(),
        revoked_at=_iso(row.revoked_at),
        key=plaintext,
    )


def publishable_key(request: Request, session: Session) -> widget_keys.PublishableKey:
    """The presented ``pk_`` key (``?key=`` or ``X-Widget-Key``) if the page's ``Origin`` may use it; the
    allowed origin is recorded for the CORS answer. AuthError (401) for a missing or unknown key, Forbidden
    (403) for an origin not on the key's list, RateLimited (429) past ``MODERATION_WIDGET_RATE_LIMIT`` for
    this key and client address."""
    plaintext = request.query_params.get("key") or request.headers.get("x-widget-key")
    key = widget_keys.authenticate(session=session, plaintext=plaintext)
    if key is None:
        raise AuthError("a publishable widget key is required (?key=pk_...); this one is unknown or revoked")
    origin = request.headers.get("origin")
    if not key.allows(origin):
        raise Forbidden(f"the origin {origin} may not use this widget key")
    if origin is not None:
        setattr(request.state, ALLOWED_ORIGIN, origin.lower())
    limiter = getattr(request.app.state, "widget_rate_limiter", None)
    if limiter is not None and request.method != "OPTIONS":
        client = request.client.host if request.client else "unknown"
        limiter.hit(f"widget:{key.id}:{client}")  # RateLimited (429 + Retry-After) past the limit
    return key


def _key_dep(request: Request, session: SessionDep) -> widget_keys.PublishableKey:
    return publishable_key(request, session)


KeyDep = Annotated[widget_keys.PublishableKey, Depends(_key_dep)]


@router.options("/v1/widget/{path:path}", include_in_schema=False)
def preflight(request: Request, key: KeyDep) -> Response:
    """CORS preflight: 204 with the allowed methods for the key's origins (else 401/403, no CORS header)."""
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Content-Type, X-Widget-Key",
            "Access-Control-Max-Age": "600",
        },
    )


@router.get("/v1/widget/rules", summary="Comment rules for a comment form (publishable key)")
def rules(key: KeyDep, moderation: ModerationDep, article_id: ArticleQuery = None) -> RulesOut:
    """Limits (grapheme clusters), guidelines and the length messages of the key's site, or of one of its
    articles (its override). 404 for an article of another site."""
    found = comment_rules(moderation, key=key, article_id=article_id)
    return RulesOut(
        site=found.site,
        article_id=found.article_id,
        min_chars=found.min_chars,
        max_chars=found.max_chars,
        guidelines=found.guidelines,
        policy_version=found.policy_version,
        messages=found.messages,
    )


@router.post("/v1/widget/check", summary="Pre-save check of a comment (publishable key; nothing stored)")
def check(body: CheckIn, key: KeyDep, moderation: ModerationDep) -> CheckOut:
    """The decision ``/v1/moderate`` would take now, with the author-facing messages and the words or
    sentences to reconsider. Advice only: the site's backend confirms with ``/v1/moderate``."""
    result = precheck(moderation, key=key, article_id=body.article_id, text=body.text)
    return CheckOut(
        decision=result.decision.value,
        reasons=[
            CheckReasonOut(code=r.code, action=r.action.value, message=r.message) for r in result.reasons
        ],
        characters=result.characters,
        min_chars=result.min_chars,
        max_chars=result.max_chars,
        marks=[MarkOut(begin=m.begin, end=m.end, kind=m.kind, code=m.code) for m in result.marks],
        policy_version=result.policy_version,
    )


@router.post("/v1/widget-keys", status_code=201, summary="Create a publishable widget key (shown once)")
def create_widget_key(body: WidgetKeyIn, session: SessionDep, principal: AdminDep) -> WidgetKeyOut:
    principal.scope.require(body.site)
    row, plaintext = widget_keys.create_key(
        session=session, site=body.site, origins=body.origins, name=body.name
    )
    session.commit()
    return key_out(row, plaintext)


@router.get("/v1/widget-keys", summary="List publishable widget keys")
def list_widget_keys(
    session: SessionDep, principal: AdminDep, site: Annotated[str | None, Query(max_length=100)] = None
) -> WidgetKeysOut:
    if site:
        principal.scope.require(site)  # another site's keys: 403, as every route that names a site
    rows = widget_keys.list_keys(session=session, site=site)
    return WidgetKeysOut(keys=[key_out(row) for row in rows if principal.scope.allows(row.site)])


@router.delete("/v1/widget-keys/{key_id}", summary="Revoke a publishable widget key")
def revoke_widget_key(key_id: RowId, session: SessionDep, principal: AdminDep) -> WidgetKeyOut:
    principal.scope.require_found(widget_keys.key_site(session=session, key_id=key_id), "widget key")
    row = widget_keys.revoke_key(session=session, key_id=key_id)
    session.commit()
    return key_out(row)

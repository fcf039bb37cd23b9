"""Perspective API v1alpha1: ``comments:analyze`` and ``comments:suggestscore``, answered as Google does.

Existing Perspective clients (Coral Talk's custom endpoint, client libraries) switch by changing the base URL
to ``<our host>/v1alpha1``; the API key comes as ``?key=`` (as they send it), ``X-API-Key`` or Bearer.
Every error under ``/v1alpha1/`` is Google's JSON error (``{"error": {"code", "message", "status"}}``): the
route class below translates our domain errors, and a formatter covers what the app-wide handlers and the
middleware answer (body too large, unknown path). ``doNotStore: true`` keeps the text out of the store, the
logs and the queue: it is scored in memory and forgotten.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from api.auth import presented_key, require
from api.deps import OptionalPrincipalDep, ServicesDep
from api.errors import register_formatter
from api.perspective.analyze import AnalyzeRequest, analyze_response, parse_analyze
from api.perspective.discovery import API_VERSION, discovery_document
from api.perspective.errors import STATUS_BY_CODE, PerspectiveError, from_moderation_error
from api.perspective.proto_json import parse_body
from api.perspective.quota import Quota
from api.perspective.schemas import AnalyzeCommentResponse, DiscoveryDocument, SuggestCommentScoreResponse
from api.perspective.suggest import parse_suggest, suggest_response
from api.principal import Principal
from moderation.domain import Article, CommentRequest, DecisionSource, Role
from moderation.errors import ModerationError
from moderation.review.labels import save_suggestion
from moderation.services import Services
from moderation.store.db import transaction

PREFIX = f"/{API_VERSION}"
SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")  # api.schemas.Site: else the default site


def google_body(status: int, _code: str, message: str, _field: str | None) -> dict[str, Any]:
    http = 400 if status == 422 else status  # Google has no 422: a malformed request is INVALID_ARGUMENT
    return {"error": {"code": http, "message": message, "status": STATUS_BY_CODE.get(http, "UNKNOWN")}}


register_formatter(f"{PREFIX}/", google_body)
register_formatter("/$discovery/", google_body)


def google_error(error: PerspectiveError) -> JSONResponse:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    return JSONResponse(error.to_dict(), status_code=error.http_code, headers=headers)


class GoogleErrorRoute(APIRoute):
    """Answers this router's errors (dependencies included) in Google's format, with Google's codes."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def google_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except PerspectiveError as exc:
                return google_error(exc)
            except ModerationError as exc:
                return google_error(from_moderation_error(exc, had_credentials=_has_key(request)))
            except RequestValidationError as exc:
                return google_error(PerspectiveError(f"Invalid request: {exc.errors()[0].get('msg')}"))
            except HTTPException as exc:
                code = 400 if exc.status_code == 422 else exc.status_code
                return google_error(PerspectiveError(str(exc.detail), http_code=code))

        return google_errors


def _has_key(request: Request) -> bool:
    return presented_key(request) is not None


router = APIRouter(tags=["perspective"], route_class=GoogleErrorRoute)


def quota_for(services: Services, request: Request) -> Quota:
    """One quota counter per app (Redis-backed when the service has Redis)."""
    quota: Quota | None = getattr(request.app.state, "perspective_quota", None)
    if quota is None:
        settings = services.settings
        quota = Quota(
            limit=settings.perspective_quota,
            window_s=settings.perspective_quota_window_s,
            redis=services.redis,
            keys=services.keys,
        )
        request.app.state.perspective_quota = quota
    return quota


def _authorize(services: Services, request: Request, principal: Principal | None) -> Principal:
    caller = require(principal, Role.CLIENT)
    quota_for(services, request).check(str(caller.key_id) if caller.key_id is not None else caller.name)
    return caller


def comment_request(analyze: AnalyzeRequest, *, default_site: str) -> CommentRequest:
    """What the moderation service scores: the article from ``articleId`` or the context text, if needed.
    ``communityId`` is the site when it is a valid site name (Perspective allows anything there)."""
    community = analyze.community_id
    site = community if community and SITE_NAME.match(community) else default_site
    article = None
    if analyze.needs_article and analyze.article_id is None and analyze.context_text:
        digest = hashlib.sha256(analyze.context_text.encode("utf-8")).hexdigest()[:32]
        article = Article(id=f"context:{digest}", title="", body=analyze.context_text, site=site)
    return CommentRequest(
        text=analyze.text,
        site=site,
        article_id=analyze.article_id,
        article=article,
        do_not_store=analyze.do_not_store,
    )


def _analyze(services: Services, body: bytes) -> AnalyzeCommentResponse:
    analyze = parse_analyze(parse_body(body))
    request = comment_request(analyze, default_site=services.settings.default_site)
    result = services.moderation.moderate(request, source=DecisionSource.PERSPECTIVE)
    return AnalyzeCommentResponse.model_validate(analyze_response(analyze, result.decision.scores))


def _suggest(services: Services, body: bytes, actor: str) -> SuggestCommentScoreResponse:
    suggestion = parse_suggest(parse_body(body))
    with transaction(services.sessions) as session:
        save_suggestion(session=session, text=suggestion.text, label=suggestion.label(), actor=actor)
    return SuggestCommentScoreResponse.model_validate(suggest_response(suggestion))


def _body_example(example: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI request body for a route that reads the raw body (validated in analyze.py / suggest.py)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}, "example": example}},
        }
    }


ANALYZE_EXAMPLE = {
    "comment": {"text": "You are an idiot."},
    "doNotStore": True,
    "languages": ["en"],
    "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {"scoreThreshold": 0.5}},
}
SUGGEST_EXAMPLE = {
    "comment": {"text": "You are an idiot."},
    "clientToken": "comment:c1",
    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
}


@router.post(
    f"{PREFIX}/comments:analyze",
    summary="Perspective AnalyzeComment",
    openapi_extra=_body_example(ANALYZE_EXAMPLE),
    response_model_exclude_unset=True,  # clientToken only when the request had one, as Google answers
)
async def analyze_comment(
    request: Request, services: ServicesDep, principal: OptionalPrincipalDep
) -> AnalyzeCommentResponse:
    _authorize(services, request, principal)
    body = await request.body()
    return await run_in_threadpool(_analyze, services, body)


@router.post(
    f"{PREFIX}/comments:suggestscore",
    summary="Perspective SuggestCommentScore",
    openapi_extra=_body_example(SUGGEST_EXAMPLE),
    response_model_exclude_unset=True,  # {} without a clientToken, as Google answers
)
async def suggest_score(
    request: Request, services: ServicesDep, principal: OptionalPrincipalDep
) -> SuggestCommentScoreResponse:
    caller = _authorize(services, request, principal)
    body = await request.body()
    return await run_in_threadpool(_suggest, services, body, f"perspective:{caller.name}")


@router.get("/$discovery/rest", summary="Google API discovery document for the Perspective client libraries")
def discovery(request: Request, version: str = API_VERSION) -> DiscoveryDocument:
    if version != API_VERSION:
        raise PerspectiveError(f"Discovery document for version {version} not found.", http_code=404)
    return DiscoveryDocument.model_validate(discovery_document(str(request.base_url)))

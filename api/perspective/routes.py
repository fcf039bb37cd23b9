"""Perspective API v1alpha1 over HTTP: ``comments:analyze``, ``comments:suggestscore``, the discovery document
and Google's HTTP batch endpoint, answered as Google does.

Existing Perspective clients (Coral Talk's custom endpoint, client libraries) switch by changing the base URL
to ``<our host>/v1alpha1``; the API key comes as ``?key=`` (as they send it), ``X-API-Key`` or Bearer.
Every error under ``/v1alpha1/`` and ``/batch`` is Google's JSON error (``{"error": {"code", "message",
"status", "details"}}``): the route class below translates our domain errors, and a formatter covers what the
app-wide handlers and the middleware answer (body too large, unknown path). ``doNotStore: true`` keeps the
text out of the store, the logs and the queue: it is scored in memory and forgotten.

Batch: ``POST /batch`` (Google's ``batchPath``, what ``new_batch_http_request()`` posts to) and
``POST /batch/commentanalyzer/v1alpha1`` (Google's generic batch path) take up to
``MODERATION_PERSPECTIVE_BATCH_MAX_PARTS`` calls (100) in one ``multipart/mixed`` body; each part is a call
of its own (its own key, quota, ``fields`` and answer) and all analyze parts are scored in one forward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException

from api.deps import ServicesDep
from api.errors import register_formatter
from api.perspective.batch import PartAnswer, build_batch, parse_batch
from api.perspective.calls import Answer, Call, answer_calls, error_answer
from api.perspective.discovery import API_VERSION, discovery_document
from api.perspective.errors import STATUS_BY_CODE, PerspectiveError, default_details, from_moderation_error
from api.perspective.schemas import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    DiscoveryDocument,
    SuggestCommentScoreRequest,
    SuggestCommentScoreResponse,
)
from moderation.errors import ModerationError

PREFIX = f"/{API_VERSION}"
BATCH_PREFIX = "/batch"
METHOD_PATHS = {f"{PREFIX}/comments:analyze": "analyze", f"{PREFIX}/comments:suggestscore": "suggestscore"}


def google_body(status: int, _code: str, message: str, _field: str | None) -> dict[str, Any]:
    http = 400 if status == 422 else status  # Google has no 422: a malformed request is INVALID_ARGUMENT
    return {
        "error": {
            "code": http,
            "message": message,
            "status": STATUS_BY_CODE.get(http, "UNKNOWN"),
            "details": default_details(http),
        }
    }


register_formatter(f"{PREFIX}/", google_body)
register_formatter("/$discovery/", google_body)
register_formatter(BATCH_PREFIX, google_body)


def json_answer(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers or None)


class GoogleErrorRoute(APIRoute):
    """Answers this router's errors (dependencies included) in Google's format, with Google's codes."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def google_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except PerspectiveError as exc:
                return json_answer(error_answer(exc))
            except ModerationError as exc:
                return json_answer(error_answer(from_moderation_error(exc)))
            except RequestValidationError as exc:
                return json_answer(
                    error_answer(PerspectiveError(f"Invalid request: {exc.errors()[0].get('msg')}"))
                )
            except HTTPException as exc:
                code = 400 if exc.status_code == 422 else exc.status_code
                return json_answer(error_answer(PerspectiveError(str(exc.detail), http_code=code)))

        return google_errors


router = APIRouter(tags=["perspective"], route_class=GoogleErrorRoute)


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """A JSON Schema with its ``$ref``s to ``$defs`` replaced by the definitions (our messages nest, never
    recurse)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def _body(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI request body of a route that reads the raw body (validated with ``model`` in ``calls.py``)."""
    schema = model.model_json_schema(by_alias=True)
    return {
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {"schema": _inline(schema, schema.get("$defs", {})), "example": example}
            },
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


async def _one(services: Any, request: Request, method: str) -> Response:
    body = await request.body()
    [answer] = await run_in_threadpool(answer_calls, services, [Call(method, request, body)])
    return json_answer(answer)


@router.post(
    f"{PREFIX}/comments:analyze",
    summary="Perspective AnalyzeComment",
    openapi_extra=_body(AnalyzeCommentRequest, ANALYZE_EXAMPLE),
    response_model=AnalyzeCommentResponse,
    response_model_exclude_none=True,
)
async def analyze_comment(request: Request, services: ServicesDep) -> Response:
    return await _one(services, request, "analyze")


@router.post(
    f"{PREFIX}/comments:suggestscore",
    summary="Perspective SuggestCommentScore",
    openapi_extra=_body(SuggestCommentScoreRequest, SUGGEST_EXAMPLE),
    response_model=SuggestCommentScoreResponse,
    response_model_exclude_none=True,
)
async def suggest_score(request: Request, services: ServicesDep) -> Response:
    return await _one(services, request, "suggestscore")


@router.get("/$discovery/rest", summary="Google API discovery document for the Perspective client libraries")
def discovery(
    request: Request, response: Response, services: ServicesDep, version: str = API_VERSION
) -> DiscoveryDocument:
    """``rootUrl`` is ``MODERATION_PUBLIC_URL`` when set (the same document for everyone: cacheable);
    otherwise the request's own base URL, which a shared cache must not hand to a client that asked through
    another ``Host`` (``Vary: Host``, private)."""
    if version != API_VERSION:
        raise PerspectiveError(f"Discovery document for version {version} not found.", http_code=404)
    root = services.settings.public_root
    if root is not None:
        response.headers["Cache-Control"] = "public, max-age=3600"
    else:
        root = str(request.base_url)
        response.headers["Cache-Control"] = "private, max-age=300"
        response.headers["Vary"] = "Host"
    return DiscoveryDocument.model_validate(discovery_document(root))


def part_request(outer: Request, path: str, query: str, headers: list[tuple[str, str]]) -> Request:
    """A batch part as a request of its own: its path, query and headers; the outer request's headers
    (its key, say) apply where the part has none of its own (Google's rule for batches), and so does the
    outer request's ``key`` parameter."""
    own = {name for name, _ in headers}
    merged = list(headers) + [
        (name, value)
        for name, value in outer.headers.items()
        if name not in own and not name.startswith("content-")
    ]
    has_key = "key" in parse_qs(query) or any(n in own for n in ("x-api-key", "authorization"))
    if not has_key and "key" in outer.query_params:
        query = "&".join(q for q in (query, urlencode({"key": outer.query_params["key"]})) if q)
    scope = dict(outer.scope)
    scope.update(
        path=path,
        raw_path=path.encode("latin-1", "replace"),
        query_string=query.encode("latin-1", "replace"),
        headers=Headers(raw=[(n.encode("latin-1"), v.encode("latin-1")) for n, v in merged]).raw,
    )
    return Request(scope)


def _batch_answers(services: Any, request: Request, body: bytes) -> Response:
    settings = services.settings
    parts = parse_batch(
        body, request.headers.get("content-type", ""), max_parts=settings.perspective_batch_max_parts
    )
    calls: list[Call | PerspectiveError] = []
    for part in parts:
        method = next((m for p, m in METHOD_PATHS.items() if part.path.endswith(p)), None)
        if method is None or part.method != "POST":
            what = f"{part.method} {part.path}"
            calls.append(
                PerspectiveError(
                    f"Method not found: {what} (a batch may hold comments:analyze and "
                    "comments:suggestscore calls).",
                    http_code=404,
                )
            )
            continue
        if len(part.body) > settings.perspective_max_body_bytes:
            calls.append(
                PerspectiveError(
                    f"the request body is over the limit of {settings.perspective_max_body_bytes} bytes",
                    http_code=413,
                )
            )
            continue
        calls.append(Call(method, part_request(request, part.path, part.query, part.headers), part.body))
    valid = [c for c in calls if isinstance(c, Call)]
    answered = iter(answer_calls(services, valid))
    answers = []
    for c in calls:
        answer = next(answered) if isinstance(c, Call) else error_answer(c)
        answers.append(PartAnswer(answer.status, answer.body, answer.headers))
    content, content_type = build_batch(parts, answers)
    return Response(content, media_type=content_type)


async def _batch(request: Request, services: ServicesDep) -> Response:
    body = await request.body()
    return await run_in_threadpool(_batch_answers, services, request, body)


for _path in (BATCH_PREFIX, f"{BATCH_PREFIX}/commentanalyzer/{API_VERSION}"):
    router.add_api_route(
        _path,
        _batch,
        methods=["POST"],
        summary="Google HTTP batch: up to 100 Perspective calls in one multipart/mixed request",
        response_class=Response,
        responses={
            200: {
                "description": "one application/http part per call, Content-ID <response-…>",
                "content": {"multipart/mixed": {"schema": {"type": "string"}}},
            }
        },
    )

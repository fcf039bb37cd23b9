"""Turn every failure into a JSON error ``{"error": {"code", "message", "field"}}`` with the right status.

No client input may produce a 500: domain errors map by class, validation errors name the field, HTTP errors
keep their status, anything else is a logged 500 with the request id. A route family with its own error format
(the Perspective API) registers a formatter for its path prefix.

The domain's hierarchy (``moderation/errors.py``) and the status each class answers (``STATUS``):

    InvalidInput 422 (TextTooLong 413, InvalidPolicy 422), NotFound 404, Conflict 409,
    QueueFull and RateLimited 429 + Retry-After, AuthError 401 + WWW-Authenticate (Forbidden 403),
    Unavailable 503.

A dependency that is down is an outage, not a bug: the database unreachable, its pool exhausted, Redis
unreachable or loading answer 503 + ``Retry-After`` (``OUTAGE_RETRY_AFTER_S``) naming which one, never 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as db_errors
from starlette.exceptions import HTTPException as StarletteHTTPException

from moderation import errors as domain

log = logging.getLogger("api.errors")

STATUS = (  # most specific first
    (domain.TextTooLong, 413),
    (domain.InvalidInput, 422),
    (domain.NotFound, 404),
    (domain.Conflict, 409),
    (domain.QueueFull, 429),
    (domain.RateLimited, 429),
    (domain.Forbidden, 403),
    (domain.AuthError, 401),
    (domain.Unavailable, 503),
)
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
}
ErrorFormatter = Callable[[int, str, str, str | None], dict[str, Any]]
_FORMATTERS: list[tuple[str, ErrorFormatter]] = []


def register_formatter(path_prefix: str, formatter: ErrorFormatter) -> None:
    """Answer errors under ``path_prefix`` with ``formatter(status, code, message, field) -> body``."""
    _FORMATTERS.append((path_prefix, formatter))


def default_body(status: int, code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def _printable(text: str | None) -> str | None:
    """Echoed client input may hold lone surrogates, which cannot be encoded as UTF-8: escape them."""
    return None if text is None else text.encode("utf-8", "backslashreplace").decode("utf-8")


MAX_MESSAGE = 1000  # characters: a message that echoes a 5,000-character id is cut, not repeated whole


def _bounded(text: str) -> str:
    return (
        text
        if len(text) <= MAX_MESSAGE
        else f"{text[:MAX_MESSAGE]}… ({len(text) - MAX_MESSAGE} more characters)"
    )


def error_body(path: str, status: int, code: str, message: str, field: str | None = None) -> dict[str, Any]:
    message, field = _bounded(_printable(message) or ""), _printable(field)
    for prefix, formatter in _FORMATTERS:
        if path.startswith(prefix):
            return formatter(status, code, message, field)
    return default_body(status, code, message, field)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = error_body(request.url.path, status, code, message, field)
    return JSONResponse(body, status_code=status, headers=headers)


def status_of(exc: domain.ModerationError) -> int:
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 400)


def _field(loc: tuple[Any, ...]) -> str | None:
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    return ".".join(str(p) for p in loc) or None


NOT_AN_OBJECT = ("model_type", "model_attributes_type", "dict_type")  # pydantic: a JSON object was expected


def describe_validation(error: dict[str, Any]) -> tuple[str, str | None]:
    """A message naming the problem and the field, from one pydantic/FastAPI error."""
    kind, field = error.get("type", ""), _field(tuple(error.get("loc", ())))
    if kind == "json_invalid":
        detail = str((error.get("ctx") or {}).get("error", "malformed")).removesuffix(" at")
        return f"the body is not valid JSON ({detail})", None
    if kind == "extra_forbidden":
        return f"unknown field '{field}'", field
    if kind == "string_unicode":
        where = f"'{field}'" if field else "a field name"
        return f"{where} is not valid Unicode (a lone surrogate escape?)", field
    if kind == "missing":
        return (f"the field '{field}' is required", field) if field else ("a JSON body is required", None)
    if kind in NOT_AN_OBJECT:
        if field is None:
            return "the body must be a JSON object", None
        where = f"item {field} of the list" if field.isdigit() else f"'{field}'"
        return f"{where} must be a JSON object", field
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return (f"{field}: {message}" if field else message), field


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, domain.ModerationError)
    headers = None
    if isinstance(exc, domain.QueueFull | domain.RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, domain.Unavailable):
        headers = {"Retry-After": str(OUTAGE_RETRY_AFTER_S)}
    elif isinstance(exc, domain.AuthError) and not isinstance(exc, domain.Forbidden):
        headers = {"WWW-Authenticate": "Bearer"}
    return error_response(request, status_of(exc), exc.code, exc.message, exc.field, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors()) or [{"msg": "invalid request"}]
    message, field = describe_validation(errors[0])
    content_type = request.headers.get("content-type", "")
    if errors[0].get("type") in NOT_AN_OBJECT and field is None and "json" not in content_type.lower():
        message += (
            f" sent with Content-Type: application/json (this one came as {content_type or 'no type'!r})"
        )
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(request, 422, "invalid_input", message, field)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 400 and message == "There was an error parsing the body":
        message = "the body could not be parsed as JSON (not UTF-8, or a number over 4,300 digits?)"
    return error_response(request, exc.status_code, code, message, None, dict(exc.headers or {}) or None)


OUTAGE_RETRY_AFTER_S = 5
DATABASE_OUTAGES: tuple[type[Exception], ...] = (
    db_errors.OperationalError,  # unreachable, restarting, locked
    db_errors.InterfaceError,
    db_errors.TimeoutError,  # the pool had no connection in time
)
REDIS_OUTAGES: tuple[type[Exception], ...] = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.BusyLoadingError,
    redis.ReadOnlyError,
)


def _outage(which: str) -> Callable[[Request, Exception], Any]:
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", None)
        log.warning("%s unavailable: %s", which, type(exc).__name__, extra={"request_id": request_id})
        return error_response(
            request,
            503,
            "unavailable",
            f"the {which} is unavailable; retry in {OUTAGE_RETRY_AFTER_S} s",
            None,
            {"Retry-After": str(OUTAGE_RETRY_AFTER_S)},
        )

    return handler


def _is_disconnect(exc: db_errors.DBAPIError) -> bool:
    return bool(exc.connection_invalidated)


async def _dbapi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, db_errors.DBAPIError)
    if _is_disconnect(exc):
        result: JSONResponse = await _outage("database")(request, exc)
        return result
    return await _unexpected(request, exc)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    log.exception("unhandled error", extra={"request_id": request_id, "path": request.url.path})
    return error_response(request, 500, "internal", f"internal error (request id {request_id})")


def install(app: FastAPI) -> None:
    app.add_exception_handler(domain.ModerationError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for outage in DATABASE_OUTAGES:
        app.add_exception_handler(outage, _outage("database"))
    app.add_exception_handler(db_errors.DBAPIError, _dbapi_error)
    for outage in REDIS_OUTAGES:
        app.add_exception_handler(outage, _outage("queue (Redis)"))
    app.add_exception_handler(Exception, _unexpected)

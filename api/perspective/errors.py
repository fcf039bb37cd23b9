"""Google-style errors for the Perspective endpoint: the wire protocol's half of error handling.

Every error is ``{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}``
and ``details`` is never empty (PyPerspective reads ``details[0]`` of every error, its constructor included):

- Perspective's own errors carry its ``google.commentanalyzer.v1alpha1.Error`` detail with an ``errorType``
  (``COMMENT_EMPTY``, ``COMMENT_TOO_LONG``, ``NO_REQUESTED_ATTRIBUTES``,
  ``LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE``, ``LANGUAGE_DETECTION_FAILED``; any other request format error is
  ``INVALID_REQUEST``, as Perspective's ``limits.md`` says);
- key and quota errors carry ``google.rpc.ErrorInfo`` FIRST, as Google's front end sends them: reason
  ``API_KEY_INVALID`` (domain ``googleapis.com``), ``CREDENTIALS_MISSING``, ``RATE_LIMIT_EXCEEDED``;
- everything else (unknown path, role, outage) carries an ``ErrorInfo`` whose reason is the canonical status
  name (domain ``commentanalyzer.googleapis.com``), plus ``google.rpc.RetryInfo`` when there is a Retry-After.

``from_moderation_error`` translates the domain's error hierarchy (raised by the use case under the endpoint)
into the same shape. Only the Perspective routes raise and answer these.
"""

from __future__ import annotations

from typing import Any

from moderation.errors import (
    AuthError,
    Conflict,
    Forbidden,
    InvalidInput,
    ModerationError,
    NotFound,
    QueueFull,
    RateLimited,
    Unavailable,
)

ERROR_TYPE_URL = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
ERROR_INFO_URL = "type.googleapis.com/google.rpc.ErrorInfo"
RETRY_INFO_URL = "type.googleapis.com/google.rpc.RetryInfo"
SERVICE = "commentanalyzer.googleapis.com"

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ABORTED",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

MISSING_KEY = "The request is missing a valid API key."
INVALID_KEY = "API key not valid. Please pass a valid API key."


def error_info(reason: str, *, domain: str = SERVICE, **metadata: str) -> dict[str, Any]:
    """A ``google.rpc.ErrorInfo`` detail."""
    return {
        "@type": ERROR_INFO_URL,
        "reason": reason,
        "domain": domain,
        "metadata": {"service": SERVICE} | metadata,
    }


def retry_info(seconds: int) -> dict[str, Any]:
    """A ``google.rpc.RetryInfo`` detail (``retryDelay`` is a proto3 JSON Duration: ``"5s"``)."""
    return {"@type": RETRY_INFO_URL, "retryDelay": f"{seconds}s"}


def default_details(http_code: int, retry_after: int | None = None) -> list[dict[str, Any]]:
    """The details of an error nothing more specific describes (never an empty list)."""
    if http_code == 400:
        return [{"@type": ERROR_TYPE_URL, "errorType": "INVALID_REQUEST"}]
    details = [error_info(STATUS_BY_CODE.get(http_code, "UNKNOWN"))]
    if retry_after:
        details.append(retry_info(retry_after))
    return details


class PerspectiveError(Exception):
    """An error answered in Google's format; ``http_code`` and ``status`` as Perspective uses them.

    ``error_type`` (+ ``extra`` fields) makes Perspective's Error detail; ``details`` replaces the details
    altogether (key and quota errors); neither: ``default_details``."""

    def __init__(
        self,
        message: str,
        *,
        http_code: int = 400,
        error_type: str | None = None,
        extra: dict[str, Any] | None = None,
        retry_after: int | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_code = http_code
        self.status = STATUS_BY_CODE.get(http_code, "UNKNOWN")
        self.error_type = error_type
        self.extra = extra or {}
        self.retry_after = retry_after
        self.details = details

    def detail_list(self) -> list[dict[str, Any]]:
        if self.details is not None:
            return self.details
        if self.error_type:
            return [{"@type": ERROR_TYPE_URL, "errorType": self.error_type, **self.extra}]
        return default_details(self.http_code, self.retry_after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.http_code,
                "message": self.message,
                "status": self.status,
                "details": self.detail_list(),
            }
        }

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


def invalid(message: str, *, error_type: str = "INVALID_REQUEST", **extra: Any) -> PerspectiveError:
    """A 400 INVALID_ARGUMENT with Perspective's Error detail (``INVALID_REQUEST`` unless more specific)."""
    return PerspectiveError(message, http_code=400, error_type=error_type, extra=extra)


def invalid_key() -> PerspectiveError:
    """What Google answers for an unknown key: 400, ErrorInfo ``API_KEY_INVALID`` as ``details[0]``."""
    return PerspectiveError(
        INVALID_KEY,
        http_code=400,
        details=[error_info("API_KEY_INVALID", domain="googleapis.com")],
    )


def missing_key() -> PerspectiveError:
    return PerspectiveError(
        MISSING_KEY, http_code=403, details=[error_info("CREDENTIALS_MISSING", domain="googleapis.com")]
    )


def quota_exceeded(*, limit: int, window_s: int, retry_after: int) -> PerspectiveError:
    metric = "Analysis requests (AnalyzeComment)"
    quota_limit = f"{limit} requests per {window_s} s per API key"
    return PerspectiveError(
        f"Quota exceeded for quota metric '{metric}' and limit '{quota_limit}' of this service.",
        http_code=429,
        retry_after=retry_after,
        details=[
            error_info(
                "RATE_LIMIT_EXCEEDED", domain="googleapis.com", quota_metric=metric, quota_limit=quota_limit
            ),
            retry_info(retry_after),
        ],
    )


def from_moderation_error(exc: ModerationError, *, had_credentials: bool = True) -> PerspectiveError:
    """Our hierarchy in Google's vocabulary. An unknown key is 400 INVALID_ARGUMENT, as Google answers it."""
    if isinstance(exc, Forbidden):
        return PerspectiveError(exc.message, http_code=403)
    if isinstance(exc, AuthError):
        return invalid_key() if had_credentials else missing_key()
    if isinstance(exc, InvalidInput):
        return invalid(exc.message)
    if isinstance(exc, NotFound):
        return PerspectiveError(exc.message, http_code=404)
    if isinstance(exc, Conflict):
        return PerspectiveError(exc.message, http_code=409)
    if isinstance(exc, QueueFull | RateLimited):
        return PerspectiveError(exc.message, http_code=429, retry_after=exc.retry_after)
    if isinstance(exc, Unavailable):
        return PerspectiveError(exc.message, http_code=503, retry_after=5)
    return PerspectiveError(exc.message, http_code=500)

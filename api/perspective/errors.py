"""Google-style errors for the Perspective endpoint: the wire protocol's half of error handling.

Google APIs answer ``{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}`` (plus
``details`` for some errors). ``PerspectiveError`` carries exactly that; ``from_moderation_error`` translates
the domain's error hierarchy (raised by the use case under the endpoint) into the same shape, with the
canonical gRPC status names. Only the Perspective routes raise and answer these.
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
    Unavailable,
)

ERROR_TYPE_URL = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"

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


class PerspectiveError(Exception):
    """An error answered in Google's format; ``http_code`` and ``status`` as Perspective uses them."""

    def __init__(
        self,
        message: str,
        *,
        http_code: int = 400,
        error_type: str | None = None,
        extra: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_code = http_code
        self.status = STATUS_BY_CODE.get(http_code, "UNKNOWN")
        self.error_type = error_type
        self.extra = extra or {}
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.http_code, "message": self.message, "status": self.status}
        if self.error_type:
            error["details"] = [{"@type": ERROR_TYPE_URL, "errorType": self.error_type, **self.extra}]
        return {"error": error}


def invalid(message: str, *, error_type: str | None = None, **extra: Any) -> PerspectiveError:
    return PerspectiveError(message, http_code=400, error_type=error_type, extra=extra)


def quota_exceeded(*, limit: int, window_s: int, retry_after: int) -> PerspectiveError:
    return PerspectiveError(
        f"Quota exceeded for quota metric 'Analysis requests (AnalyzeComment)' and limit "
        f"'{limit} requests per {window_s} s per API key' of this service.",
        http_code=429,
        retry_after=retry_after,
    )


def from_moderation_error(exc: ModerationError, *, had_credentials: bool = True) -> PerspectiveError:
    """Our hierarchy in Google's vocabulary. An unknown key is 400 INVALID_ARGUMENT, as Google answers it."""
    if isinstance(exc, Forbidden):
        return PerspectiveError(exc.message, http_code=403)
    if isinstance(exc, AuthError):
        if had_credentials:
            return PerspectiveError(INVALID_KEY, http_code=400, error_type=None)
        return PerspectiveError(MISSING_KEY, http_code=403)
    if isinstance(exc, InvalidInput):
        return PerspectiveError(exc.message, http_code=400)
    if isinstance(exc, NotFound):
        return PerspectiveError(exc.message, http_code=404)
    if isinstance(exc, Conflict):
        return PerspectiveError(exc.message, http_code=409)
    if isinstance(exc, QueueFull):
        return PerspectiveError(exc.message, http_code=429, retry_after=exc.retry_after)
    if isinstance(exc, Unavailable):
        return PerspectiveError(exc.message, http_code=503)
    return PerspectiveError(exc.message, http_code=500)

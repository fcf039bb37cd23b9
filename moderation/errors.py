"""Errors raised by the domain layer, one hierarchy. Only ``api/`` turns them into answers (``api/errors.py``
maps each class to its HTTP status; the Perspective endpoint to Google's codes).

    ModerationError          base of everything the domain raises on purpose
    ├── InvalidInput         the request's content is wrong (empty text, bad field, bad policy)
    │   ├── TextTooLong      comment text over the configured limit
    │   └── InvalidPolicy    a policy document that does not validate; ``field`` names the culprit
    ├── NotFound             unknown article, comment, job, key ...
    ├── Conflict             a stale review claim, a claim held by someone else, a duplicate
    ├── QueueFull            the scoring stream is past its configured depth (``retry_after`` s)
    ├── RateLimited          the API key used up its rate limit (``retry_after`` s)
    ├── AuthError            missing or unknown API key / session
    │   └── Forbidden        the key's role may not do this
    └── Unavailable          a dependency (store, Redis, model) is not ready
"""

from __future__ import annotations


class ModerationError(Exception):
    """Base class; ``message`` is safe to show to the client."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ModerationError):
    code = "invalid_input"


class TextTooLong(InvalidInput):
    code = "text_too_long"


class InvalidPolicy(InvalidInput):
    code = "invalid_policy"


class NotFound(ModerationError):
    code = "not_found"


class Conflict(ModerationError):
    code = "conflict"


class QueueFull(ModerationError):
    code = "queue_full"

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(ModerationError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthError(ModerationError):
    code = "unauthenticated"


class Forbidden(AuthError):
    code = "forbidden"


class Unavailable(ModerationError):
    code = "unavailable"

"""Errors raised by the domain layer. Only ``api/`` turns them into HTTP answers.

Hierarchy (the HTTP status the API maps each to):

    ModerationError                      base of everything the domain raises on purpose
    ├── InvalidInput          (422)      the request's content is wrong (empty text, bad field, bad policy)
    │   ├── TextTooLong       (413/422)  comment text over the configured limit
    │   └── InvalidPolicy     (422)      a policy document that does not validate; ``field`` names the culprit
    ├── NotFound              (404)      unknown article, comment, job, key ...
    ├── Conflict              (409)      a stale review claim, a claim held by someone else, a duplicate
    ├── QueueFull             (429)      the scoring stream is past its configured depth (``retry_after`` s)
    ├── AuthError             (401)      missing or unknown API key / session
    │   └── Forbidden         (403)      the key's role may not do this
    └── Unavailable           (503)      a dependency (store, Redis, model) is not ready
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


class AuthError(ModerationError):
    code = "unauthenticated"


class Forbidden(AuthError):
    code = "forbidden"


class Unavailable(ModerationError):
    code = "unavailable"

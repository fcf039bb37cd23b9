"""Pure ASGI middleware: request ids and one JSON log line per request; body size limit and UTF-8 check.

The body limit answers 413 BEFORE the body is parsed: from Content-Length when given, else by counting the
streamed bytes. The body (at most the limit) is then replayed to the app. Comment text is never logged,
and neither is the query string (Perspective clients put their API key there).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

access_log = logging.getLogger("api.access")
JSON_TYPES = ("application/json", "+json")


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "method", "path", "status", "elapsed_ms", "client", "socket")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= {k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)}
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class PlainFormatter(logging.Formatter):
    """One line per record: control characters in the message (a client's text, say) are escaped, so
    nobody can forge a log line with an embedded newline."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        return "".join(
            ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in line
        )


def configure_logging(*, level: str = "INFO", as_json: bool = True) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if as_json else PlainFormatter("%(asctime)s %(levelname)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True  # our access line replaces it


async def _send_error(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(scope.get("path", ""), status, code, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Request id (``X-Request-ID`` in and out) and one access log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 100 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", request_id.encode())]
                if not any(k.lower() == b"x-content-type-options" for k, _ in message.get("headers", [])):
                    extra.append((b"x-content-type-options", b"nosniff"))  # JSON is never sniffed as HTML
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


class BodyLimitMiddleware:
    """413 for bodies over ``max_bytes`` (declared or streamed); 422 for a JSON body that is not UTF-8;
    408 for a body that has not fully arrived within ``timeout_s`` (a stalled or trickling client does not
    hold a request open). ``limits`` give other limits by path prefix (the Perspective protocol's own, its
    batches')."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        limits: tuple[tuple[str, int], ...] = (),
        timeout_s: float = 15.0,
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.limits = limits
        self.timeout_s = timeout_s

    def limit_for(self, path: str) -> int:
        return next(
            (limit for prefix, limit in self.limits if path.startswith(prefix)), self.default_max_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        max_bytes = self.limit_for(scope.get("path", ""))
        too_big = f"the request body is over the limit of {max_bytes} bytes"
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > max_bytes:
            await _send_error(scope, send, 413, "body_too_large", too_big)
            return
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(self.timeout_s):
                size, more = 0, True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > max_bytes:
                        await _send_error(scope, send, 413, "body_too_large", too_big)
                        return
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            late = f"the request body did not arrive within {self.timeout_s:g} s"
            await _send_error(scope, send, 408, "request_timeout", late)
            return
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if body and content_type.endswith(JSON_TYPES):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                message_text = (
                    f"the body is not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
                )
                await _send_error(scope, send, 422, "invalid_encoding", message_text)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

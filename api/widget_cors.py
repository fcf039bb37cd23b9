"""CORS for the widget's routes (``/v1/widget/``): only the origins of the presented publishable key.

The route's key check (``api/routes/widget.py``) decides; it records the allowed origin in the request state
and this middleware then adds ``Access-Control-Allow-Origin`` for exactly that origin to the answer (errors
included, so the widget can read a 422). Every other origin gets no CORS header at all, so the browser refuses
to hand the answer to its page. ``Vary: Origin`` always. Routes outside the prefix are untouched: the rest of
the API is for servers, not browsers.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WIDGET_PREFIX = "/v1/widget/"
ALLOWED_ORIGIN = "widget_allowed_origin"  # request.state key set by the key check


class WidgetCorsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(WIDGET_PREFIX):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Origin")
                origin = state.get(ALLOWED_ORIGIN)
                if origin:
                    headers["Access-Control-Allow-Origin"] = origin
            await send(message)

        await self.app(scope, receive, send_with_cors)

"""GET /v1/decisions/stream: Server-Sent Events feed of new decisions, filterable by site and decision.

Every API process reads the same capped Redis stream (XREAD), so a client sees all decisions wherever they
were made. Each event carries the stream id as ``id:``; a reconnecting client's ``Last-Event-ID`` resumes
there.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import redis
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from api.deps import ClientDep, ServicesDep
from moderation.domain import Action
from moderation.queue import events
from moderation.queue.keys import RedisKeys
from moderation.scopes import SiteScope

router = APIRouter(tags=["async"])
KEEPALIVE_S = 15.0
BLOCK_MS = 1000


def sse_event(event_id: str, doc: dict[str, Any]) -> bytes:
    """One ``decision`` event. The document is one line of JSON (``json.dumps`` escapes newlines and, with
    ``ensure_ascii``, everything else), so no text in it can end the event or forge another field."""
    return f"id: {event_id}\nevent: decision\ndata: {json.dumps(doc, ensure_ascii=True)}\n\n".encode()


async def _feed(
    request: Request,
    client: redis.Redis,
    keys: RedisKeys,
    after: str,
    site: str | None,
    decision: str | None,
    scope: SiteScope,
) -> AsyncIterator[bytes]:
    yield b": connected\n\n"
    last_sent = time.monotonic()
    while not await request.is_disconnected():
        after, docs = await asyncio.to_thread(
            events.read_decisions,
            client,
            keys,
            after=after,
            block_ms=BLOCK_MS,
        )
        for doc in docs:
            if scope.allows(doc.get("site")) and events.matches(doc, site=site, decision=decision):
                yield sse_event(after, doc)
                last_sent = time.monotonic()
        if time.monotonic() - last_sent > KEEPALIVE_S:
            yield b": keepalive\n\n"
            last_sent = time.monotonic()


@router.get("/v1/decisions/stream", summary="Server-Sent Events feed of new decisions")
async def decision_stream(
    request: Request,
    services: ServicesDep,
    principal: ClientDep,
    site: Annotated[str | None, Query(max_length=100)] = None,
    decision: Annotated[Action | None, Query()] = None,
    last_event_id: Annotated[str | None, Header(pattern=r"^\d+-\d+$")] = None,
) -> StreamingResponse:
    if site is not None:
        principal.scope.require(site)
    stream = services.score_stream()
    start = last_event_id
    if start is None:
        start = await asyncio.to_thread(events.latest_id, stream.redis, stream.keys)
    body = _feed(
        request,
        stream.redis,
        stream.keys,
        start,
        site,
        decision.value if decision else None,
        principal.scope,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(body, media_type="text/event-stream", headers=headers)

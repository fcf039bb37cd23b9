"""Live queue for the UI: Server-Sent Events with a snapshot of the current page whenever it changes.

The store is the source of truth: the stream polls it (once a second) for the ids on the moderator's page and
the live claims on them, and sends a ``snapshot`` event when either changed. The page removes rows that left,
fetches rows that arrived (``/moderate/rows``), and shows who holds each claim. Simple, and it cannot drift.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api import sessions as web_sessions
from api.deps import ServicesDep
from api.ui.queue_pages import filters_from
from moderation import api_keys
from moderation.review.queue import QueueFilter
from moderation.scopes import SiteScope
from moderation.store import review_repo

router = APIRouter(include_in_schema=False)
POLL_S = 1.0
HEARTBEAT_S = 15.0


def snapshot(factory: sessionmaker[Session], filters: QueueFilter) -> dict[str, Any]:
    now = datetime.now(UTC)
    with factory() as session:
        rows, total = review_repo.list_queue(session=session, query=filters.query())
        claims = {
            r.id: {"by": r.claimed_by, "until": until.isoformat()}
            for r in rows
            if r.claimed_by and (until := review_repo.as_utc(r.claimed_until)) and until > now
        }
        return {"ids": [r.id for r in rows], "claims": claims, "total": total}


def _signed_in(factory: sessionmaker[Session], request: Request, services: Any) -> SiteScope | None:
    """The signed-in moderator's site scope, or None when nobody is signed in."""
    with factory() as session:
        web = web_sessions.read_session(request, keyring=services.keyring, db=session)
        key = web_sessions.session_key(session, web)
        return None if key is None else api_keys.scope_of(key)


async def _stream(
    request: Request, factory: sessionmaker[Session], filters: QueueFilter
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    last: dict[str, Any] | None = None
    beat = time.monotonic()
    while not await request.is_disconnected():
        snap = await run_in_threadpool(snapshot, factory, filters)
        if snap != last:
            yield f"event: snapshot\ndata: {json.dumps(snap)}\n\n"
            last, beat = snap, time.monotonic()
        elif time.monotonic() - beat > HEARTBEAT_S:
            yield ": ping\n\n"
            beat = time.monotonic()
        await asyncio.sleep(POLL_S)


@router.get("/moderate/events")
async def queue_events(request: Request, services: ServicesDep) -> Response:
    scope = await run_in_threadpool(_signed_in, services.sessions, request, services)
    if scope is None:
        return Response("sign in first", status_code=401, media_type="text/plain")
    filters = replace(filters_from(request), sites=scope.sites)
    return StreamingResponse(
        _stream(request, services.sessions, filters),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )

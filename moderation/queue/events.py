"""The decisions feed: every new decision goes onto a capped Redis stream that any API process can XREAD.

A stream (not pub/sub) so a reader that reconnects can continue from the last id it saw.
"""

from __future__ import annotations

import json
from typing import Any

import redis

from moderation.queue.keys import RedisKeys

FEED_MAXLEN = 10_000


def publish_decisions(client: redis.Redis, keys: RedisKeys, documents: list[dict[str, Any]]) -> None:
    if not documents:
        return
    pipe = client.pipeline(transaction=False)
    for doc in documents:
        pipe.xadd(keys.decisions_stream, {"doc": json.dumps(doc)}, maxlen=FEED_MAXLEN, approximate=True)
    pipe.execute()


def latest_id(client: redis.Redis, keys: RedisKeys) -> str:
    """The id to read after so that only decisions published from now on are seen ("$" resolved now)."""
    entries = client.xrevrange(keys.decisions_stream, count=1)
    if not entries:
        return "0-0"
    mid = entries[0][0]
    return mid.decode() if isinstance(mid, bytes) else str(mid)


def read_decisions(
    client: redis.Redis, keys: RedisKeys, *, after: str, block_ms: int, count: int = 100
) -> tuple[str, list[dict[str, Any]]]:
    """Decisions published after ``after``; returns the new cursor and the documents."""
    reply: Any = client.xread({keys.decisions_stream: after}, count=count, block=block_ms)
    docs: list[dict[str, Any]] = []
    for _stream, entries in reply or []:
        for mid, fields in entries:
            after = mid.decode() if isinstance(mid, bytes) else str(mid)
            raw = fields.get(b"doc") or fields.get("doc")
            if raw is not None:
                docs.append(json.loads(raw))
    return after, docs


def matches(doc: dict[str, Any], *, site: str | None, decision: str | None) -> bool:
    return (site is None or doc.get("site") == site) and (decision is None or doc.get("decision") == decision)

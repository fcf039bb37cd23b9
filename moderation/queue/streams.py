"""The scoring stream: enqueue, read as a consumer group, acknowledge, reclaim, dead-letter.

Messages are small: the comment id (text lives in the SQL store) and, for rescoring, the job id. An
acknowledged message is also deleted, so ``XLEN`` is the number of comments not yet scored (queued + pending):
that is the depth the backpressure limit compares against.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import redis

from moderation.errors import QueueFull
from moderation.queue.keys import GROUP, RedisKeys


@dataclass(frozen=True)
class Message:
    msg_id: str
    comment_id: str
    job_id: str | None = None
    deliveries: int = 1


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _message(msg_id: Any, fields: dict[Any, Any] | None, deliveries: int = 1) -> Message:
    data = {_text(k): _text(v) for k, v in (fields or {}).items()}
    return Message(_text(msg_id), data.get("id", ""), data.get("job") or None, deliveries)


class ScoreStream:
    """One deployment's scoring stream and consumer group (all keys from :class:`RedisKeys`)."""

    def __init__(
        self, *, client: redis.Redis, keys: RedisKeys, max_depth: int, max_deliveries: int = 5
    ) -> None:
        self.redis = client
        self.keys = keys
        self.max_depth = max_depth
        self.max_deliveries = max_deliveries
        self._claim_cursor = "0-0"

    def ensure_group(self) -> None:
        try:
            self.redis.xgroup_create(self.keys.score_stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def depth(self) -> int:
        return int(self.redis.xlen(self.keys.score_stream))

    def check_depth(self, adding: int = 1) -> None:
        """QueueFull (with a Retry-After estimate) when ``adding`` more would pass ``max_depth``."""
        depth = self.depth()
        if depth + adding > self.max_depth:
            raise QueueFull(
                f"scoring queue holds {depth} comments; {adding} more would pass its limit of "
                f"{self.max_depth}; retry later",
                retry_after=max(1, min(60, depth // 500 + 1)),
            )

    def enqueue(
        self, comment_ids: list[str], *, job_id: str | None = None, check_depth: bool = True
    ) -> list[str]:
        """Add one message per comment id; raises QueueFull when the stream is past ``max_depth``."""
        if check_depth:
            self.check_depth(len(comment_ids))
        pipe = self.redis.pipeline(transaction=False)
        for cid in comment_ids:
            fields = {"id": cid} if job_id is None else {"id": cid, "job": job_id}
            pipe.xadd(self.keys.score_stream, fields)  # type: ignore[arg-type]
        return [_text(m) for m in pipe.execute()]

    def read(self, *, consumer: str, count: int, block_ms: int) -> list[Message]:
        """New messages for this consumer (XREADGROUP >); recreates the group if the server lost it."""
        try:
            reply: Any = self.redis.xreadgroup(
                GROUP, consumer, {self.keys.score_stream: ">"}, count=count, block=block_ms or None
            )
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.ensure_group()
            return []
        return [_message(mid, fields) for _stream, entries in (reply or []) for mid, fields in entries]

    def claim_stale(self, *, consumer: str, min_idle_ms: int, count: int) -> list[Message]:
        """Take over messages other (crashed or failing) consumers held longer than ``min_idle_ms``."""
        try:
            reply = self.redis.xautoclaim(
                self.keys.score_stream, GROUP, consumer, min_idle_ms, self._claim_cursor, count=count
            )
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.ensure_group()
            return []
        self._claim_cursor = _text(reply[0])
        entries = [(mid, fields) for mid, fields in reply[1] if fields is not None]
        if not entries:
            return []
        counts = self.delivery_counts([_text(mid) for mid, _ in entries], consumer=consumer)
        return [_message(mid, fields, counts.get(_text(mid), 1)) for mid, fields in entries]

    def touch(self, msg_ids: list[str], *, consumer: str) -> None:
        """Reset the idle time of messages this consumer holds and still works on (XCLAIM JUSTID: the delivery
        count is unchanged), so that a long batch scored chunk by chunk is not reclaimed by another worker.
        Safe while each chunk takes less than the reclaim idle time: nobody else can have claimed them."""
        if msg_ids:
            ids: list[Any] = list(msg_ids)
            self.redis.xclaim(self.keys.score_stream, GROUP, consumer, 0, ids, justid=True)

    def delivery_counts(self, msg_ids: list[str], *, consumer: str) -> dict[str, int]:
        pipe = self.redis.pipeline(transaction=False)
        for mid in msg_ids:
            pipe.xpending_range(self.keys.score_stream, GROUP, mid, mid, 1, consumer)
        return {
            _text(row["message_id"]): int(row["times_delivered"]) for rows in pipe.execute() for row in rows
        }

    def dead_depth(self) -> int:
        """How many messages wait in the dead-letter stream."""
        return int(self.redis.xlen(self.keys.dead_stream))

    def worker_states(self) -> list[dict[str, Any]]:
        """The live workers' last health beats (see ``Worker._beat``)."""
        states = (self.redis.get(key) for key in self.redis.scan_iter(match=self.keys.worker_health_pattern))
        return [json.loads(state) for state in states if state is not None]

    def job_comment_ids(self, job_id: str) -> set[str]:
        """Comment ids of a rescoring job still in the stream (queued or pending)."""
        out: set[str] = set()
        start = "-"
        while True:
            entries: Any = self.redis.xrange(self.keys.score_stream, min=start, count=1000)
            for mid, fields in entries:
                msg = _message(mid, fields)
                if msg.job_id == job_id:
                    out.add(msg.comment_id)
            if len(entries) < 1000:
                return out
            start = "(" + _text(entries[-1][0])

    def ack(self, msg_ids: list[str]) -> None:
        if not msg_ids:
            return
        pipe = self.redis.pipeline(transaction=True)
        pipe.xack(self.keys.score_stream, GROUP, *msg_ids)
        pipe.xdel(self.keys.score_stream, *msg_ids)
        pipe.hdel(self.keys.errors_hash, *msg_ids)
        pipe.execute()

    def record_error(self, msg_id: str, error: str) -> None:
        self.redis.hset(self.keys.errors_hash, msg_id, error[:2000])

    def last_error(self, msg_id: str) -> str | None:
        value = self.redis.hget(self.keys.errors_hash, msg_id)
        return None if value is None else _text(value)

    def dead_letter(self, message: Message, *, error: str) -> None:
        """Move a message to the dead-letter stream (atomically with its acknowledgement)."""
        fields = {
            "id": message.comment_id,
            "job": message.job_id or "",
            "original_id": message.msg_id,
            "deliveries": str(message.deliveries),
            "error": error[:2000],
            "failed_at": str(int(time.time())),
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.xadd(self.keys.dead_stream, fields)  # type: ignore[arg-type]
        pipe.xack(self.keys.score_stream, GROUP, message.msg_id)
        pipe.xdel(self.keys.score_stream, message.msg_id)
        pipe.hdel(self.keys.errors_hash, message.msg_id)
        pipe.execute()

"""Dead-letter stream tools: list, retry (back onto the scoring stream), drop. Used by the CLI and API."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from moderation.queue.streams import ScoreStream, _text


@dataclass(frozen=True)
class DeadLetter:
    dead_id: str
    comment_id: str
    job_id: str | None
    original_id: str
    deliveries: int
    error: str
    failed_at: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dead_letter(dead_id: Any, fields: dict[Any, Any]) -> DeadLetter:
    data = {_text(k): _text(v) for k, v in fields.items()}
    return DeadLetter(
        dead_id=_text(dead_id),
        comment_id=data.get("id", ""),
        job_id=data.get("job") or None,
        original_id=data.get("original_id", ""),
        deliveries=int(data.get("deliveries", "0") or 0),
        error=data.get("error", ""),
        failed_at=int(data.get("failed_at", "0") or 0),
    )


def list_dead(stream: ScoreStream, *, count: int = 100) -> list[DeadLetter]:
    entries: Any = stream.redis.xrange(stream.keys.dead_stream, count=count)
    return [_dead_letter(mid, fields) for mid, fields in entries]


def _select(stream: ScoreStream, dead_ids: list[str] | None) -> list[DeadLetter]:
    everything = list_dead(stream, count=1_000_000)
    if dead_ids is None:
        return everything
    wanted = set(dead_ids)
    return [d for d in everything if d.dead_id in wanted or d.comment_id in wanted]


def retry_dead(stream: ScoreStream, *, dead_ids: list[str] | None = None) -> list[DeadLetter]:
    """Put dead letters back on the scoring stream (ids are dead-letter ids or comment ids; None = all)."""
    chosen = _select(stream, dead_ids)
    for dead in chosen:
        pipe = stream.redis.pipeline(transaction=True)
        fields = {"id": dead.comment_id} | ({"job": dead.job_id} if dead.job_id else {})
        pipe.xadd(stream.keys.score_stream, fields)  # type: ignore[arg-type]
        pipe.xdel(stream.keys.dead_stream, dead.dead_id)
        pipe.execute()
    return chosen


def drop_dead(stream: ScoreStream, *, dead_ids: list[str] | None = None) -> list[DeadLetter]:
    chosen = _select(stream, dead_ids)
    if chosen:
        stream.redis.xdel(stream.keys.dead_stream, *[d.dead_id for d in chosen])
    return chosen

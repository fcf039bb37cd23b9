"""Re-enqueue comments left ``queued`` with no stream message behind them.

A comment is committed as ``queued`` and then its id is added to the stream; a process killed between the two
leaves it stranded. Workers sweep now and then: a ``queued`` comment untouched for ``older_than_s`` gets a new
message. Harmless when the comment was in the stream after all: scoring claims it with a conditional UPDATE,
so a second message finds it scored and is acknowledged without a second decision.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from moderation.queue.streams import ScoreStream
from moderation.store import queue_repo
from moderation.store.db import transaction
from moderation.store.tables import utcnow


def requeue_stranded(
    *, sessions: sessionmaker[Session], stream: ScoreStream, older_than_s: float, limit: int = 500
) -> list[str]:
    """Enqueue again the ids of comments ``queued`` for longer than ``older_than_s``; returns those ids."""
    with transaction(sessions) as session:
        ids = queue_repo.stale_queued_ids(
            session=session, before=utcnow() - timedelta(seconds=older_than_s), limit=limit
        )
        queue_repo.touch(session=session, comment_ids=ids)  # not swept again for another older_than_s
    if ids:
        stream.enqueue(ids, check_depth=False)
    return ids

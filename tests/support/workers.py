"""Worker subprocesses for the kill / drain / restart tests: real processes, real signals."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import redis
from sqlalchemy import func, select

from moderation.config import Settings
from moderation.queue.keys import GROUP, RedisKeys
from moderation.services import Services
from moderation.store.tables import CommentRow, DecisionRecord

ROOT = Path(__file__).resolve().parents[2]
# long enough that a batch of 16 takes a visible fraction of a second on 2 cores
_BODY = (
    "The council's plan for the new tram line through the old town has been debated for years, and this "
    "article finally lays out the costs, the route and the timetable in plain numbers. "
) * 3


def long_text(i: int) -> str:
    return f"Comment {i}. {_BODY}"


def worker_env(settings: Settings, redis_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MODERATION_ENVIRONMENT="test",
        MODERATION_DATA_DIR=str(settings.data_dir),
        MODERATION_DATABASE_URL=settings.sqlalchemy_url,
        MODERATION_REDIS_URL=redis_url or settings.redis_url or "",
        MODERATION_REDIS_PREFIX=settings.redis_prefix,
        MODERATION_WORKER_BLOCK_MS="100",
        MODERATION_MODEL_THREADS="1",
        MODERATION_LOG_JSON="false",
        PYTHONPATH=str(ROOT),
    )
    return env


def start_worker(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "moderation.cli", "worker", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moderation.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pending(client: redis.Redis, keys: RedisKeys) -> int:
    try:
        return int(client.xpending(keys.score_stream, GROUP)["pending"])
    except redis.ResponseError:
        return 0


def wait_for(predicate: object, timeout: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False


def stored(services: Services) -> tuple[dict[str, str], dict[str, int]]:
    """(status per comment, system decisions per comment)."""
    with services.sessions() as session:
        status = dict(session.execute(select(CommentRow.id, CommentRow.status)).all())
        decisions = dict(
            session.execute(
                select(DecisionRecord.comment_id, func.count()).group_by(DecisionRecord.comment_id)
            ).all()
        )
    return status, decisions

"""A Redis crash and restart (test-owned server, AOF on) while a worker runs loses no work."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from queue_helpers import submit
from redis_server import OwnedRedis
from workers import long_text, pending, start_worker, stored, wait_for, worker_env

from moderation.queue.keys import RedisKeys
from moderation.services import Services, build_services


@pytest.fixture
def owned(tmp_path: Path) -> Iterator[OwnedRedis]:
    server = OwnedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_restart_mid_run_loses_no_acknowledged_or_pending_work(
    services: Services, owned: OwnedRedis, runtime: Any, tmp_path: Path
) -> None:
    settings = services.settings.model_copy(update={"redis_url": owned.url, "queue_max_depth": 1000})
    local = build_services(settings, runtime=runtime)
    client = redis.Redis.from_url(owned.url)
    keys = RedisKeys(prefix=settings.redis_prefix)
    try:
        first = submit(local, [long_text(i) for i in range(48)], site="restart")
        env = worker_env(settings) | {"MODERATION_WORKER_CLAIM_IDLE_MS": "500"}
        worker = start_worker(env, "--batch-size", "8", "--name", "survivor", log=tmp_path / "worker.log")
        try:
            done_some = lambda: 0 < sum(s == "scored" for s in stored(local)[0].values()) < 24  # noqa: E731
            assert wait_for(lambda: done_some() and pending(client, keys) > 0, timeout=90, step=0.02)
            owned.crash()
            time.sleep(1.0)  # the worker sees connection errors and backs off
            owned.start()
            assert client.xlen(keys.score_stream) > 0  # the unacknowledged messages came back from the AOF
            second = submit(local, [long_text(100 + i) for i in range(8)], site="restart")
            ids = first + second
            everything = lambda: all(stored(local)[0].get(cid) == "scored" for cid in ids)  # noqa: E731
            assert wait_for(everything, timeout=120, step=0.2), (tmp_path / "worker.log").read_text()[-3000:]
            assert wait_for(lambda: client.xlen(keys.score_stream) == 0, timeout=30, step=0.1)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=60) == 0
        finally:
            worker.kill()
        _status, decisions = stored(local)
        assert decisions == {cid: 1 for cid in ids}
    finally:
        client.close()
        local.close()

"""Real worker processes: SIGKILL mid-batch loses nothing, SIGTERM drains, --check reads the health key; on
SQLite and on PostgreSQL."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import redis
from queue_helpers import submit
from workers import long_text, pending, run_cli, start_worker, stored, wait_for, worker_env

from moderation.queue.keys import GROUP, RedisKeys
from moderation.services import Services

BOTH_STORES = pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@BOTH_STORES
def test_sigkill_mid_batch_loses_nothing(services: Services, qredis: redis.Redis, tmp_path: Path) -> None:
    keys = RedisKeys(prefix=services.settings.redis_prefix)
    ids = submit(services, [long_text(i) for i in range(40)], site="kill")
    env = worker_env(services.settings)
    victim = start_worker(env, "--batch-size", "16", "--name", "victim", log=tmp_path / "victim.log")
    try:
        assert wait_for(lambda: pending(qredis, keys) > 0, timeout=90), (tmp_path / "victim.log").read_text()
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        victim.kill()
    held = qredis.xpending_range(keys.score_stream, GROUP, "-", "+", 100, "victim")
    assert held, "the victim died holding unacknowledged messages"
    status, decisions = stored(services)
    assert sum(1 for cid in ids if status[cid] == "scored") < len(ids)
    rescuer = run_cli(env, "worker", "--burst", "--claim-idle-ms", "500", "--name", "rescuer")
    assert rescuer.returncode == 0, rescuer.stderr
    status, decisions = stored(services)
    assert {status[cid] for cid in ids} == {"scored"}
    assert decisions == {cid: 1 for cid in ids}  # exactly one stored decision each
    assert pending(qredis, keys) == 0 and qredis.xlen(keys.score_stream) == 0


@BOTH_STORES
def test_sigterm_drains_the_batch_in_hand(services: Services, qredis: redis.Redis, tmp_path: Path) -> None:
    keys = RedisKeys(prefix=services.settings.redis_prefix)
    ids = submit(services, [long_text(i) for i in range(40)], site="drain")
    env = worker_env(services.settings)
    worker = start_worker(env, "--batch-size", "8", "--name", "drainer", log=tmp_path / "drainer.log")
    try:
        assert wait_for(lambda: qredis.exists(keys.worker_health("drainer")) == 1, timeout=90)
        assert run_cli(env, "worker", "--check").returncode == 0
        assert run_cli(env, "worker", "--check", "--name", "drainer").returncode == 0
        assert wait_for(lambda: pending(qredis, keys) > 0, timeout=60)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        worker.kill()
    assert pending(qredis, keys) == 0, "the batch in hand was finished and acknowledged"
    status, decisions = stored(services)
    scored = [cid for cid in ids if status[cid] == "scored"]
    assert 0 < len(scored) < len(ids)  # it stopped early, cleanly
    assert decisions == {cid: 1 for cid in scored}
    assert qredis.xlen(keys.score_stream) == len(ids) - len(scored)  # the rest wait for the next worker
    assert not qredis.exists(keys.worker_health("drainer"))
    assert run_cli(env, "worker", "--check").returncode == 1

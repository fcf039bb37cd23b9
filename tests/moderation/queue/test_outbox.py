"""Issue 13 item 8: decisions committed while Redis is down are still announced (feed and callbacks) once it
is back: the transactional outbox. Real (test-owned, AOF) redis-server, real model, real local receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import redis
import review_seed as seed
from fastapi.testclient import TestClient
from queue_helpers import submit
from redis_server import OwnedRedis

from api.main import create_app
from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.queue.keys import RedisKeys
from moderation.services import Services, build_services
from moderation.store.db import transaction


@pytest.fixture
def owned(tmp_path: Path) -> Iterator[OwnedRedis]:
    server = OwnedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class Receiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def feed(client: redis.Redis, keys: RedisKeys) -> list[dict[str, Any]]:
    """Everything on the decisions feed (XRANGE: never blocks)."""
    return [json.loads(fields[b"doc"]) for _id, fields in client.xrange(keys.decisions_stream)]


def test_decisions_stored_while_redis_is_down_are_announced_after(
    services: Services, owned: OwnedRedis, runtime: Any, receiver: Receiver
) -> None:
    settings = services.settings.model_copy(update={"redis_url": owned.url})
    local = build_services(settings, runtime=runtime)
    client = redis.Redis.from_url(owned.url)
    keys = RedisKeys(prefix=settings.redis_prefix)
    try:
        ids = submit(
            local,
            [f"Comment number {i} about the new tram line and its timetable." for i in range(6)],
            site="outage",
            callback_url=receiver.url,
        )
        worker = local.build_worker(burst=True, claim_idle_ms=0)
        worker.stream.ensure_group()
        messages = worker.stream.read(consumer=worker.name, count=10, block_ms=0)
        assert {m.comment_id for m in messages} == set(ids)
        owned.crash()  # Redis goes away between reading and announcing
        outcome = worker.processor.process(messages)  # the decisions are committed (store only)
        assert len(outcome.documents) == 6
        with pytest.raises(redis.ConnectionError):
            local.outbox().publish()  # nothing can be announced now...
        assert local.outbox().counts()["unpublished"] == 6  # ...and nothing is forgotten
        owned.start()  # AOF: the unacknowledged messages are back
        worker.run()  # redelivery: already scored, acknowledged; the outbox drains
        published = [d["comment_id"] for d in feed(client, keys)]
        assert sorted(published) == sorted(ids)  # every decision on the feed, once
        assert sorted(b["comment_id"] for b in receiver.bodies) == sorted(ids)
        counts = local.outbox().counts()
        assert counts["unpublished"] == 0 and counts.get("done") == 6 and not counts.get("pending")
    finally:
        client.close()
        local.close()


def test_a_moderator_decision_during_a_redis_outage_reaches_the_feed_later(
    settings: Any, owned: OwnedRedis
) -> None:
    local = build_services(settings.model_copy(update={"redis_url": owned.url}))  # no scoring here
    client = redis.Redis.from_url(owned.url)
    keys = RedisKeys(prefix=local.settings.redis_prefix)
    try:
        with transaction(local.sessions) as s:
            seed.article(s)
            seed.comment(s, "m1", "a comment waiting for a moderator")
            _row, key = create_key(session=s, name="mod", role=Role.MODERATOR, all_sites=True)
        with TestClient(create_app(services=local)) as http:
            owned.crash()
            answer = http.post(
                "/v1/review/m1/decision", json={"action": "approve"}, headers={"X-API-Key": key}
            )
            assert answer.status_code == 200, answer.text  # the decision itself needs no Redis
        owned.start()
        assert feed(client, keys) == []
        assert local.outbox().publish() == 1
        [doc] = feed(client, keys)
        assert doc["comment_id"] == "m1" and doc["decision"] == "approve"
    finally:
        client.close()
        local.close()


def test_settled_entries_are_pruned_and_pending_ones_kept(settings: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from moderation import outbox
    from moderation.store.tables import OutboxEntry

    local = build_services(settings)
    try:
        with transaction(local.sessions) as s:
            outbox.write(s, document={"comment_id": "old", "site": "x"}, callback_url=None)
            outbox.write(s, document={"comment_id": "due", "site": "x"}, callback_url="http://127.0.0.1:9/")
        local.outbox().publish()
        with transaction(local.sessions) as s:
            for row in s.query(OutboxEntry):
                row.created_at = datetime.now(UTC) - timedelta(days=30)
        assert local.outbox().prune(keep_days=7) == 1  # the callback still pending is kept
        assert local.outbox().counts() == {"unpublished": 0, "pending": 1}
    finally:
        local.close()


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_a_callback_is_retried_after_a_failed_attempt(settings: Any, receiver: Receiver) -> None:
    """On SQLite the retry of a callback whose first attempt failed raised TypeError (an aware ``now`` against
    the naive ``next_attempt_at`` read back, in the ORM's in-Python evaluation of the lease's UPDATE): the
    workers' announce loop failed every second and no later callback was ever sent."""
    from datetime import UTC, datetime, timedelta

    from moderation import outbox
    from moderation.store.tables import OutboxEntry

    local = build_services(settings)
    try:
        with transaction(local.sessions) as s:
            outbox.write(s, document={"comment_id": "again", "site": "x"}, callback_url=receiver.url)
        with transaction(local.sessions) as s:  # as _record leaves it after a failed first attempt
            for row in s.query(OutboxEntry):
                row.callback_attempts, row.last_error = 1, "503 Service Unavailable"
                row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        futures = local.outbox(callbacks=local.callback_sender()).deliver_due()
        assert [f.result(timeout=10).delivered for f in futures] == [True]
        assert [b["comment_id"] for b in receiver.bodies] == ["again"]
        for _ in range(100):  # the attempt is recorded in the sender's thread
            if local.outbox().counts().get("done") == 1:
                break
            time.sleep(0.05)
        assert local.outbox().counts() == {"unpublished": 1, "done": 1}
    finally:
        local.close()

"""The stream layer on the real Redis and an embedded Valkey: group reads, ack, reclaim, dead letters."""

from __future__ import annotations

import time

import pytest

from moderation.errors import QueueFull
from moderation.queue import dlq
from moderation.queue.keys import GROUP, RedisKeys
from moderation.queue.streams import ScoreStream


def test_keys_share_one_cluster_slot() -> None:
    keys = RedisKeys(prefix="site-a")
    names = [
        keys.score_stream,
        keys.dead_stream,
        keys.decisions_stream,
        keys.errors_hash,
        keys.worker_health("w"),
    ]
    assert all(name.startswith("{site-a}:") for name in names)
    assert len(set(names)) == len(names)


def test_two_consumers_split_messages_and_ack_deletes(stream: ScoreStream) -> None:
    stream.enqueue([f"c{i}" for i in range(10)])
    a = stream.read(consumer="a", count=6, block_ms=0)
    b = stream.read(consumer="b", count=6, block_ms=0)
    assert len(a) == 6 and len(b) == 4
    assert {m.comment_id for m in a} | {m.comment_id for m in b} == {f"c{i}" for i in range(10)}
    assert not {m.msg_id for m in a} & {m.msg_id for m in b}
    assert stream.depth() == 10  # pending messages still count
    stream.ack([m.msg_id for m in a])
    assert stream.depth() == 4


def test_job_id_travels_with_the_message(stream: ScoreStream) -> None:
    stream.enqueue(["x"], job_id="job-1")
    [msg] = stream.read(consumer="a", count=5, block_ms=0)
    assert (msg.comment_id, msg.job_id, msg.deliveries) == ("x", "job-1", 1)


def test_backpressure_raises_queue_full_with_retry_after(stream: ScoreStream) -> None:
    stream.enqueue([f"c{i}" for i in range(50)])
    with pytest.raises(QueueFull) as info:
        stream.enqueue(["one-more"])
    assert info.value.retry_after >= 1
    assert "holds 50" in info.value.message
    stream.enqueue(["rescore"], check_depth=False)  # internal producers may bypass it
    assert stream.depth() == 51


def test_stale_messages_are_reclaimed_with_delivery_counts(stream: ScoreStream) -> None:
    stream.enqueue(["a", "b"])
    assert len(stream.read(consumer="dead", count=10, block_ms=0)) == 2
    assert stream.claim_stale(consumer="live", min_idle_ms=60_000, count=10) == []
    time.sleep(0.05)
    claimed = stream.claim_stale(consumer="live", min_idle_ms=10, count=10)
    assert sorted(m.comment_id for m in claimed) == ["a", "b"]
    assert all(m.deliveries == 2 for m in claimed)


def test_dead_letter_keeps_error_and_can_be_retried_or_dropped(stream: ScoreStream) -> None:
    stream.enqueue(["poison", "fine"])
    poison, fine = stream.read(consumer="a", count=10, block_ms=0)
    stream.record_error(poison.msg_id, "boom")
    stream.dead_letter(poison, error=stream.last_error(poison.msg_id) or "")
    stream.ack([fine.msg_id])
    assert stream.depth() == 0
    [dead] = dlq.list_dead(stream)
    assert (dead.comment_id, dead.error, dead.original_id) == ("poison", "boom", poison.msg_id)
    assert dlq.retry_dead(stream, dead_ids=["poison"]) == [dead]
    assert dlq.list_dead(stream) == [] and stream.depth() == 1
    [again] = stream.read(consumer="a", count=10, block_ms=0)
    stream.dead_letter(again, error="still")
    assert [d.comment_id for d in dlq.drop_dead(stream)] == ["poison"]
    assert dlq.list_dead(stream) == []


def test_group_is_recreated_when_the_server_lost_it(stream: ScoreStream) -> None:
    stream.redis.delete(stream.keys.score_stream)
    assert stream.read(consumer="a", count=1, block_ms=0) == []
    groups = stream.redis.xinfo_groups(stream.keys.score_stream)
    assert [g["name"] for g in groups] == [GROUP.encode()]

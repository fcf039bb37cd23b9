"""The worker in-process against real Redis, SQLite and the real encoder."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import redis
from queue_helpers import CountingScorer, submit
from sqlalchemy import func, select

from moderation.queue import dlq
from moderation.services import Services
from moderation.store.tables import CommentRow, DecisionRecord, ScoreRecord

TEXTS = [
    "Thanks for the clear write-up on the council budget.",
    "This is nonsense and you know it.",
    "I disagree with the author: the bridge was never over budget, the report says otherwise in detail.",
    "ok",
    "Great article!",
    "The mayor's plan makes sense for the city centre but not for the suburbs, where buses run once an hour.",
]


def decisions_per_comment(services: Services) -> dict[str, int]:
    with services.sessions() as session:
        rows = session.execute(
            select(DecisionRecord.comment_id, func.count()).group_by(DecisionRecord.comment_id)
        ).all()
    return {cid: n for cid, n in rows}


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_batch_is_scored_in_one_forward_pass(services: Services) -> None:
    ids = submit(services, TEXTS * 3)
    scorer = CountingScorer(services.pipeline)
    stats = services.build_worker(batch_size=64, burst=True, scorer=scorer).run()
    assert scorer.calls == [18]
    assert stats.acked == 18 and stats.scored == 18
    assert decisions_per_comment(services) == {cid: 1 for cid in ids}
    with services.sessions() as session:
        rows = session.scalars(select(CommentRow).where(CommentRow.id.in_(ids))).all()
        assert {r.status for r in rows} == {"scored"}
        assert all(r.decision in ("approve", "review", "reject") for r in rows)
        versions = set(session.scalars(select(ScoreRecord.model_version)))
    assert versions == {services.pipeline.model_version}
    assert services.score_stream().depth() == 0


def test_batch_size_bounds_each_forward_pass(services: Services) -> None:
    submit(services, TEXTS * 2)
    scorer = CountingScorer(services.pipeline)
    services.build_worker(batch_size=5, burst=True, scorer=scorer).run()
    assert scorer.calls == [5, 5, 2]


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_redelivery_of_a_scored_comment_changes_nothing(services: Services) -> None:
    [cid] = submit(services, ["A perfectly normal comment about trains."])
    services.build_worker(burst=True).run()
    services.score_stream().enqueue([cid])  # a duplicate delivery (e.g. ack lost in a Redis restart)
    scorer = CountingScorer(services.pipeline)
    stats = services.build_worker(burst=True, scorer=scorer).run()
    assert scorer.calls == [] and stats.acked == 1
    assert decisions_per_comment(services) == {cid: 1}


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_two_workers_share_the_stream_without_double_scoring(services: Services) -> None:
    ids = submit(services, [f"Comment number {i} about the new tram line." for i in range(30)])
    scorers = [CountingScorer(services.pipeline), CountingScorer(services.pipeline)]
    workers = [
        # claims never go idle here: this is about two live workers sharing, not about reclaiming a dead one's
        # (a loaded machine can take longer than the suite's 500 ms idle for a batch)
        services.build_worker(batch_size=4, burst=True, scorer=s, name=f"w{i}", claim_idle_ms=600_000)
        for i, s in enumerate(scorers)
    ]
    threads = [threading.Thread(target=w.run) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(sum(s.calls) for s in scorers) == 30
    assert all(s.calls for s in scorers), "both workers took part"
    assert decisions_per_comment(services) == {cid: 1 for cid in ids}


def test_a_poison_message_is_dead_lettered_while_the_rest_flow(
    services: Services, qredis: redis.Redis
) -> None:
    stream = services.score_stream()
    good = submit(services, ["Fine comment one.", "Fine comment two."])
    stream.enqueue(["no-such-comment"])
    worker = services.build_worker(burst=True, claim_idle_ms=0)
    stats = worker.run()
    assert decisions_per_comment(services) == {cid: 1 for cid in good}
    [dead] = dlq.list_dead(stream)
    assert dead.comment_id == "no-such-comment"
    assert dead.deliveries == services.settings.max_deliveries + 1
    assert "not found" in dead.error
    assert stats.dead == 1 and stats.failed == services.settings.max_deliveries
    assert stream.depth() == 0


def test_a_comment_failing_to_score_is_marked_failed_and_retryable(services: Services) -> None:
    class Exploding(CountingScorer):
        def score(self, requests: list[Any], articles: list[Any]) -> list[Any]:
            if any("explode" in r.text for r in requests):
                raise RuntimeError("model crashed on this one")
            return super().score(requests, articles)

    good, bad = submit(services, ["A calm remark.", "please explode"])
    scorer = Exploding(services.pipeline)
    services.build_worker(burst=True, scorer=scorer, claim_idle_ms=0).run()
    assert decisions_per_comment(services) == {good: 1}
    with services.sessions() as session:
        row = session.get(CommentRow, bad)
        assert row is not None and row.status == "failed" and "model crashed" in (row.error or "")
    stream = services.score_stream()
    assert [d.comment_id for d in dlq.retry_dead(stream)] == [bad]
    services.build_worker(burst=True).run()  # the real pipeline scores it fine
    assert decisions_per_comment(services) == {good: 1, bad: 1}


def test_embedded_valkey_runs_the_same_flow(valkey_services: Services) -> None:
    ids = submit(valkey_services, TEXTS)
    scorer = CountingScorer(valkey_services.pipeline)
    stats = valkey_services.build_worker(burst=True, scorer=scorer).run()
    assert scorer.calls == [len(TEXTS)] and stats.acked == len(TEXTS)
    assert decisions_per_comment(valkey_services) == {cid: 1 for cid in ids}
    assert (
        valkey_services.redis is not None
        and valkey_services.redis.xlen(valkey_services.score_stream().keys.score_stream) == 0
    )


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_concurrent_duplicate_deliveries_store_one_decision(services: Services) -> None:
    ids = submit(services, [f"Duplicate-prone comment {i}." for i in range(6)])
    services.score_stream().enqueue(ids)  # every comment twice in the stream
    workers = [services.build_worker(batch_size=1, burst=True, name=f"d{i}") for i in range(2)]
    threads = [threading.Thread(target=w.run) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert decisions_per_comment(services) == {cid: 1 for cid in ids}
    # every message consumed (acknowledged and removed): twelve acks, or more when a message was delivered
    # twice under load (delivery is at least once; one decision per comment is what must hold, above)
    stream = services.score_stream()
    assert sum(w.stats.acked for w in workers) >= 12
    assert stream.redis.xlen(stream.keys.score_stream) == 0


def test_worker_survives_a_store_outage(services: Services) -> None:
    from sqlalchemy.exc import OperationalError

    from moderation.queue.processor import BatchProcessor
    from moderation.queue.worker import Worker

    ids = submit(services, ["Written while the database hiccups.", "Another one."])
    outages = [1, 1]

    def flaky_sessions() -> Any:
        if outages:
            outages.pop()
            raise OperationalError("SELECT 1", {}, Exception("database is down"))
        return services.sessions()

    processor = BatchProcessor(
        sessions=flaky_sessions,  # type: ignore[arg-type]
        moderation=services.moderation,
    )
    worker = Worker(
        stream=services.score_stream(), processor=processor, block_ms=50, claim_idle_ms=0, burst=True
    )
    stats = worker.run()
    assert outages == [] and stats.acked == 2
    assert decisions_per_comment(services) == {cid: 1 for cid in ids}


def test_a_comment_stranded_as_queued_is_swept_back_into_the_stream(services: Services) -> None:
    """A process killed between the store commit and XADD leaves a `queued` row with no message."""
    ids = submit(services, TEXTS[:3])
    stream = services.score_stream()
    stream.redis.delete(stream.keys.score_stream)  # the messages never made it: only the rows exist
    stream.ensure_group()
    waiting = services.build_worker(burst=True)
    assert waiting.run().scored == 0  # not yet stale: nothing to do
    swept = services.build_worker(burst=True)
    swept.requeue_after_s = 0
    stats = swept.run()
    assert stats.requeued == 3 and stats.scored == 3
    assert decisions_per_comment(services) == {cid: 1 for cid in ids}
    again = services.build_worker(burst=True)
    again.requeue_after_s = 0
    assert again.run().requeued == 0  # scored comments are never swept

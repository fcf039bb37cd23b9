"""The worker scores a batch in token-budget chunks, shortest first, each acknowledged before the next is
scored: a 10,000-character comment read with short ones delays none of them (real Redis, SQLite, encoder)."""

from __future__ import annotations

import time
from typing import Any

from queue_helpers import CountingScorer, submit

from moderation.queue.processor import token_chunks
from moderation.queue.streams import ScoreStream
from moderation.services import Services

LONG = ("The council's report on the tram extension runs to four hundred pages, and I have read it. " * 120)[
    :10_000
]
SHORT = [f"Short comment {i} about the tram line, nothing more." for i in range(12)]


class WatchingScorer(CountingScorer):
    """Counts each scoring call's tokens and the stream's depth when the call starts."""

    def __init__(self, services: Services) -> None:
        super().__init__(services.pipeline)
        self.services = services
        self.tokens: list[list[int]] = []
        self.depth_at_start: list[int] = []

    def score(self, requests: list[Any], articles: list[Any]) -> list[Any]:
        self.tokens.append(self.services.pipeline.token_counts([r.text for r in requests]))
        self.depth_at_start.append(self.services.score_stream().depth())
        return super().score(requests, articles)


def test_token_chunks_are_shortest_first_and_within_the_budget() -> None:
    tokens = [900, 10, 3000, 20, 500, 30, 600]
    chunks = token_chunks(tokens, 1000)
    assert sorted(i for c in chunks for i in c) == list(range(len(tokens)))
    assert [tokens[c[0]] for c in chunks] == sorted(tokens[c[0]] for c in chunks)  # shortest first
    assert all(sum(tokens[i] for i in c) <= 1000 or len(c) == 1 for c in chunks)
    assert [2] in chunks  # larger than the budget: alone
    assert token_chunks([], 1000) == []


def test_a_long_comment_is_scored_alone_after_the_short_ones_are_acknowledged(services: Services) -> None:
    ids = submit(services, [LONG, *SHORT])
    scorer = WatchingScorer(services)
    stats = services.build_worker(batch_size=64, batch_tokens=1024, burst=True, scorer=scorer).run()
    assert stats.batches == 1 and stats.acked == 13 and stats.scored == 13
    assert scorer.calls == [12, 1]  # one read of 13 messages, two scoring calls: the short ones first
    short_tokens, [long_tokens] = scorer.tokens
    assert sum(short_tokens) <= 1024 and long_tokens > 2000
    assert scorer.depth_at_start == [13, 1]  # the 12 short ones were acknowledged before the long one began
    with services.sessions() as session:
        from sqlalchemy import select

        from moderation.store.tables import CommentRow

        statuses = set(session.scalars(select(CommentRow.status).where(CommentRow.id.in_(ids))))
    assert statuses == {"scored"}


def test_token_counts_come_from_the_encoder_tokenizer(services: Services) -> None:
    counts = services.pipeline.token_counts(["ok", LONG, "🤡🤡 you 🤡"])
    assert counts[0] < 10 < counts[2] < 40
    assert counts[1] > 2000  # about 2,300 tokens in 10+ windows of 256


def test_touch_keeps_messages_still_being_scored_from_being_reclaimed(stream: ScoreStream) -> None:
    stream.enqueue(["a", "b"])
    held = stream.read(consumer="slow", count=2, block_ms=0)
    time.sleep(0.3)
    stream.touch([held[1].msg_id], consumer="slow")  # "a" was settled, "b" is still being scored
    [stolen] = stream.claim_stale(consumer="other", min_idle_ms=200, count=10)
    assert stolen.comment_id == "a"
    assert stream.delivery_counts([held[1].msg_id], consumer="slow") == {held[1].msg_id: 1}

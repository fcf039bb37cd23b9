"""A reply measured in its thread (moderation/threads.py): the parent's text helps on-topic, in the SAME
scorer call as the comments, and nothing about the parent is stored."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select

from moderation.domain import Article, CommentRequest, DecisionSource, LengthScore, Scores
from moderation.moderate import Moderation
from moderation.services import Services
from moderation.store.tables import CommentRow
from moderation.threads import in_thread

ARTICLE = Article(
    id="bikes-1",
    site="city",
    title="Council approves protected bike lanes downtown",
    body="The council approved protected bicycle lanes downtown, paid for by raising parking fees. Shop "
    "owners worry about losing customers who drive.",
)
PARENT = "Raising parking fees to pay for bike lanes will drive customers away from the shops downtown."
REPLY = "I doubt it. Most of their customers walk there anyway."


def scores(on_topic: float | None) -> Scores:
    return Scores(length=LengthScore(characters=10), on_topic=on_topic)


def test_the_thread_rule() -> None:
    assert in_thread(scores(0.1), to_parent=scores(0.6), parent=scores(0.9)).on_topic == 0.6 * 0.9
    assert (
        in_thread(scores(0.1), to_parent=scores(0.9), parent=scores(0.05)).on_topic == 0.1
    )  # parent drifted
    assert in_thread(scores(0.8), to_parent=scores(0.1), parent=scores(0.9)).on_topic == 0.8  # on topic alone
    assert in_thread(scores(0.1), to_parent=scores(None), parent=scores(0.9)).on_topic == 0.1


class PairScorer:
    """On-topic from a table of (text, article text) pairs; records every call."""

    model_version = "pairs-1"
    ON_TOPIC: ClassVar[dict[tuple[str, str], float]] = {
        (REPLY, ARTICLE.body): 0.1,
        (REPLY, PARENT): 0.7,
        (PARENT, ARTICLE.body): 0.9,
    }

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str | None]]] = []

    def score(self, requests: list[CommentRequest], articles: list[Article | None]) -> list[Scores]:
        pairs = [(r.text, a.body if a else None) for r, a in zip(requests, articles, strict=True)]
        self.calls.append(pairs)
        return [
            Scores(length=LengthScore(characters=len(t)), on_topic=self.ON_TOPIC.get((t, b)))
            for t, b in pairs
        ]


def test_moderate_measures_a_reply_with_its_parent_in_one_call(services: Services) -> None:
    scorer = PairScorer()
    moderation: Moderation = services.moderation.with_scorer(scorer)
    alone, reply = moderation.moderate_many(
        [
            CommentRequest(text=REPLY, site="city", article=ARTICLE),
            CommentRequest(text=REPLY, site="city", article=ARTICLE, parent_text=PARENT, comment_id="r1"),
        ],
        source=DecisionSource.SYNC,
    )
    assert (
        len(scorer.calls) == 1 and len(scorer.calls[0]) == 4
    )  # two comments + (reply, parent) + (parent, article)
    assert (REPLY, PARENT) in scorer.calls[0] and (PARENT, ARTICLE.body) in scorer.calls[0]
    assert alone.decision.scores.on_topic == 0.1
    assert reply.decision.scores.on_topic == 0.7 * 0.9
    assert [r.code for r in alone.decision.reasons] == ["OFF_TOPIC"] and reply.decision.reasons == ()
    with services.sessions() as session:
        texts: list[Any] = list(session.scalars(select(CommentRow.text)))
    assert PARENT not in texts and texts.count(REPLY) == 2

"""Review workflow on real SQLite and PostgreSQL: queue filters, claims, decisions, bulk, undo, history."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import review_seed as seed
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moderation.errors import Conflict, InvalidInput, NotFound
from moderation.review import decisions, undo
from moderation.review.history import history
from moderation.review.queue import QueueFilter, list_queue
from moderation.store.db import transaction
from moderation.store.tables import CommentRow, DecisionRecord, Label

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
REJECT_SPAM = decisions.DecisionInput(action="reject", reason="spam", note="link farm")


@pytest.fixture
def seeded(store: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(store) as s:
        seed.article(s)
        seed.article(s, "a2", "Budget 2027", site="other")
        seed.comment(s, "c1", "You are an idiot", toxicity=0.91, created_at=T0)
        seed.comment(s, "c2", "Meh, whatever", toxicity=0.55, created_at=T0 + timedelta(minutes=1))
        seed.comment(
            s, "c3", "Great article", toxicity=0.02, action="approve", created_at=T0 + timedelta(minutes=2)
        )
        seed.comment(
            s,
            "c4",
            "Buy cheap watches",
            toxicity=0.3,
            on_topic=0.05,
            action="reject",
            reasons=(("OFF_TOPIC", "on_topic", 0.05, 0.2),),
            created_at=T0 + timedelta(minutes=3),
        )
        seed.comment(
            s,
            "c5",
            "Off topic rant",
            toxicity=0.6,
            article_id="a2",
            site="other",
            created_at=T0 + timedelta(minutes=4),
        )
    return store


def ids(store: sessionmaker[Session], **kw: object) -> list[str]:
    with store() as s:
        return [i.id for i in list_queue(session=s, filters=QueueFilter(**kw)).items]  # type: ignore[arg-type]


def test_tabs_sorting_filters_and_pages(seeded: sessionmaker[Session]) -> None:
    assert ids(seeded) == ["c5", "c2", "c1"]
    assert ids(seeded, sort="score") == ["c1", "c5", "c2"]
    assert ids(seeded, tab="rejected") == ["c4"]
    assert ids(seeded, tab="approved") == ["c3"]
    assert ids(seeded, tab="all") == ["c5", "c4", "c3", "c2", "c1"]
    assert ids(seeded, site="news") == ["c2", "c1"]
    assert ids(seeded, article_id="a2") == ["c5"]
    assert ids(seeded, tab="all", reason="OFF_TOPIC") == ["c4"]
    assert ids(seeded, min_score=0.56, max_score=0.95) == ["c5", "c1"]
    assert ids(seeded, tab="all", per_page=2, page=3) == ["c1"]
    with seeded() as s:
        page = list_queue(session=s, filters=QueueFilter(tab="all", per_page=2))
        assert (page.total, page.pages) == (5, 3)
        item = page.items[0]
        assert item.article_title == "Budget 2027"
        assert item.reasons[0]["code"] == "TOXICITY" and item.reasons[0]["threshold"] == 0.5
        assert item.scores["stance"]["favor"] == 0.3 and item.policy_version == "news@3"


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"tab": "spam"}, "tab"),
        ({"sort": "oldest"}, "sort"),
        ({"reason": "x%"}, "reason"),
        ({"min_score": 1.5}, "min_score"),
        ({"min_score": 0.8, "max_score": 0.2}, "min_score"),
        ({"page": 0}, "page"),
        ({"per_page": 1000}, "per_page"),
    ],
)
def test_bad_filters_name_the_field(bad: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        QueueFilter(**bad).validated()  # type: ignore[arg-type]
    assert err.value.field == field


def test_claims_conflict_expire_and_refuse_stale_decisions(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:
        claim = decisions.claim(session=s, comment_id="c1", actor="ann", seconds=60, now=T0)
        assert claim.claimed_until == T0 + timedelta(seconds=60)
    with transaction(seeded) as s, pytest.raises(Conflict, match="claimed by ann"):
        decisions.claim(session=s, comment_id="c1", actor="bob", seconds=60, now=T0 + timedelta(seconds=30))
    with transaction(seeded) as s, pytest.raises(Conflict, match="claimed by ann"):
        decisions.decide(
            session=s, comment_id="c1", actor="bob", decision=REJECT_SPAM, now=T0 + timedelta(seconds=30)
        )
    # ann's claim runs out: her decision is refused as stale; bob may now claim it
    with transaction(seeded) as s, pytest.raises(Conflict, match=r"your claim .* expired"):
        decisions.decide(
            session=s, comment_id="c1", actor="ann", decision=REJECT_SPAM, now=T0 + timedelta(seconds=61)
        )
    with transaction(seeded) as s:
        decisions.claim(session=s, comment_id="c1", actor="bob", seconds=60, now=T0 + timedelta(seconds=61))
        done = decisions.decide(
            session=s, comment_id="c1", actor="bob", decision=REJECT_SPAM, now=T0 + timedelta(seconds=70)
        )
        assert (done.previous, done.decision) == ("review", "reject")
    with seeded() as s:
        row = s.get(CommentRow, "c1")
        assert row is not None
        assert (row.decision, row.decided_by, row.claimed_by) == ("reject", "moderator:bob", None)
        label = s.scalars(select(Label).where(Label.comment_id == "c1")).one()
        assert label.label["reason"] == "spam" and label.label["system_decision"] == "review"
        assert label.text == "You are an idiot"


def test_unclaimed_item_can_be_decided_and_validation(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:
        decisions.decide(
            session=s, comment_id="c2", actor="ann", decision=decisions.DecisionInput(action="approve")
        )
    with transaction(seeded) as s, pytest.raises(InvalidInput, match="needs a reason"):
        decisions.decide(
            session=s, comment_id="c1", actor="ann", decision=decisions.DecisionInput(action="reject")
        )
    with transaction(seeded) as s, pytest.raises(InvalidInput, match="unknown rejection reason"):
        decisions.decide(
            session=s,
            comment_id="c1",
            actor="ann",
            decision=decisions.DecisionInput(action="reject", reason="rude"),
        )
    with transaction(seeded) as s, pytest.raises(NotFound):
        decisions.decide(session=s, comment_id="nope", actor="ann", decision=REJECT_SPAM)
    assert ids(seeded) == ["c5", "c1"]


def test_bulk_reports_refusals_and_undo_reverts_the_whole_batch(seeded: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    with transaction(seeded) as s:
        decisions.claim(session=s, comment_id="c5", actor="bob", seconds=300)
    with transaction(seeded) as s:
        result = decisions.decide_many(
            session=s, comment_ids=["c1", "c2", "c5", "zz"], actor="ann", decision=REJECT_SPAM, now=now
        )
    assert [d.comment_id for d in result.decided] == ["c1", "c2"]
    assert set(result.refused) == {"c5", "zz"} and "claimed by bob" in result.refused["c5"]
    assert ids(seeded) == ["c5"]
    with transaction(seeded) as s:
        undone = undo.undo_last(session=s, actor="ann", claim_seconds=120)
    assert sorted(d.comment_id for d in undone) == ["c1", "c2"]
    assert ids(seeded) == ["c5", "c2", "c1"]
    with seeded() as s:
        row = s.get(CommentRow, "c1")
        assert row is not None and (row.decision, row.decided_by, row.claimed_by) == (
            "review",
            "system",
            "ann",
        )
        labels = s.scalars(select(Label).where(Label.source == "moderator")).all()
        assert len(labels) == 2 and all(lab.label.get("undone") for lab in labels)
        sources = [
            r.source for r in s.scalars(select(DecisionRecord).where(DecisionRecord.comment_id == "c1"))
        ]
        assert sources == ["worker", "moderator", "undo"]  # nothing deleted
    with transaction(seeded) as s, pytest.raises(NotFound, match="nothing to undo"):
        undo.undo_last(session=s, actor="ann", claim_seconds=120)


def test_undo_refused_when_someone_decided_since(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:
        decisions.decide(session=s, comment_id="c1", actor="ann", decision=REJECT_SPAM)
    with transaction(seeded) as s:
        decisions.decide(
            session=s, comment_id="c1", actor="bob", decision=decisions.DecisionInput(action="approve")
        )
    with transaction(seeded) as s, pytest.raises(Conflict, match="decided again by bob"):
        undo.undo_last(session=s, actor="ann", claim_seconds=60)


def test_history_has_scoring_system_claim_moderator_and_undo(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:
        decisions.claim(session=s, comment_id="c1", actor="ann", seconds=60)
        decisions.decide(session=s, comment_id="c1", actor="ann", decision=REJECT_SPAM)
    with transaction(seeded) as s:
        undo.undo_last(session=s, actor="ann", claim_seconds=60)
    with seeded() as s:
        _, events = history(session=s, comment_id="c1")
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["scored", "decision"] and kinds[2:] == ["claim", "moderator", "undo"]
    system = events[1]
    assert (system.model_version, system.policy_version, system.decision) == (seed.MODEL, "news@3", "review")
    moderator = events[3]
    assert (moderator.actor, moderator.reason, moderator.note) == ("ann", "spam", "link farm")


def test_racing_claims_have_exactly_one_winner(seeded: sessionmaker[Session]) -> None:
    barrier = threading.Barrier(6)

    def attempt(actor: str) -> str:
        barrier.wait()
        try:
            with transaction(seeded) as s:
                decisions.claim(session=s, comment_id="c1", actor=actor, seconds=60)
            return "won"
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, [f"mod{i}" for i in range(6)]))
    assert sorted(outcomes) == ["refused"] * 5 + ["won"]
    with seeded() as s:
        row = s.get(CommentRow, "c1")
        assert row is not None and row.claimed_by == f"mod{outcomes.index('won')}"


def test_history_shows_rescoring(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:  # the rescore job records a new scoring and system decision
        row = s.get(CommentRow, "c2")
        assert row is not None
        seed.comment(s, "c2", row.text, toxicity=0.2, action="approve")
    with seeded() as s:
        _, events = history(session=s, comment_id="c2")
    assert [e.kind for e in events] == ["scored", "decision", "rescored", "decision"]
    assert [e.decision for e in events if e.kind == "decision"] == ["review", "approve"]


def test_queue_shows_only_live_claims(seeded: sessionmaker[Session]) -> None:
    with transaction(seeded) as s:
        decisions.claim(session=s, comment_id="c1", actor="ann", seconds=60)
        decisions.claim(session=s, comment_id="c2", actor="bob", seconds=60, now=T0)  # long expired
    with seeded() as s:
        items = {i.id: i for i in list_queue(session=s, filters=QueueFilter()).items}
    assert items["c1"].claimed_by == "ann" and items["c1"].to_dict()["claimed_until"]
    assert items["c2"].claimed_by is None and items["c2"].to_dict()["claimed_until"] is None

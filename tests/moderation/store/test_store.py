"""Point 8: migrations and the data functions on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from moderation.domain import Action, CommentRequest, Decision, LengthScore, Scores
from moderation.store import repo
from moderation.store.db import make_engine, make_sessionmaker, transaction
from moderation.store.migrations import upgrade
from moderation.store.tables import Base, CommentRow, DecisionRecord

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


def result(action: Action, by: str = "system") -> tuple[Scores, Decision]:
    scores = Scores(
        length=LengthScore(60, 1, 5000, False, False, 0.0, False),
        civility={"toxicity": 0.3},
        model_version="m@1",
    )
    return scores, Decision(
        action=action, reasons=(), policy_version="default@5", scores=scores, decided_by=by
    )


@BOTH
def test_migrations_match_the_tables_and_are_idempotent(database_url: str) -> None:
    upgrade(database_url)  # already at head: nothing to do, no error
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    engine.dispose()
    assert diff == [], f"tables.py and the migrations differ; regenerate: {diff}"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@BOTH
def test_record_result_is_idempotent_and_keeps_moderator_decisions(sessions: sessionmaker[Session]) -> None:
    request = CommentRequest(text="hello there", site="s", comment_id="c-9")
    scores, decision = result(Action.REVIEW)
    with transaction(sessions) as session:
        repo.record_result(session=session, request=request, scores=scores, decision=decision, source="sync")
    with transaction(sessions) as session:
        repo.record_result(
            session=session, request=request, scores=scores, decision=decision, source="worker"
        )
        row = repo.get_comment(session=session, comment_id="c-9")
        assert row is not None and row.decision == "review" and row.top_score == 0.3
        row.decision, row.decided_by = "approve", "moderator:ann"
    scores, decision = result(Action.REJECT)
    with transaction(sessions) as session:
        repo.record_result(
            session=session,
            request=request,
            scores=scores,
            decision=decision,
            source="rescore",
            rescore_job_id="job-1",
        )
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CommentRow)) == 1
        row = session.get(CommentRow, "c-9")
        assert row is not None and row.decision == "approve" and row.decided_by == "moderator:ann"
        history = [
            (d.source, d.decision)
            for d in session.scalars(select(DecisionRecord).order_by(DecisionRecord.id))
        ]
        assert history == [("sync", "review"), ("worker", "review"), ("rescore", "reject")]
        assert row.scores[-1].rescore_job_id == "job-1"


@BOTH
def test_policy_rows_are_versioned(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        for n in range(3):
            repo.save_policy(
                session=session, site="s", article_id=None, document={"min_chars": n}, created_by="t"
            )
        repo.save_policy(session=session, site="s", article_id="a", document={"max_chars": 9}, created_by="t")
    with sessions() as session:
        latest = repo.get_policy_row(session=session, site="s")
        assert latest is not None and latest.version == 3 and latest.document == {"min_chars": 2}
        override = repo.get_policy_row(session=session, site="s", article_id="a")
        assert override is not None and override.version == 1
        assert repo.get_policy_row(session=session, site="other") is None

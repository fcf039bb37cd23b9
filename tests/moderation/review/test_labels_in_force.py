"""The labels report compares a moderator's verdict with the system decision in force when they decided:
a rescore before the moderator counts (same outcome = agreement), one after does not; comments the system
held for review are not "decided by the system" (issue 15)."""

from __future__ import annotations

import review_seed as seed
from sqlalchemy.orm import Session, sessionmaker

from moderation.domain import Action, Decision, DecisionSource, LengthScore, Scores
from moderation.review import decisions, labels
from moderation.store import repo
from moderation.store.db import transaction


def rescore(store: sessionmaker[Session], comment_id: str, action: Action) -> None:
    decision = Decision(action, (), "news@4", Scores(length=LengthScore(characters=9)))
    with transaction(store) as s:
        repo.record_decision(
            session=s,
            comment_id=comment_id,
            decision=decision,
            source=DecisionSource.RESCORE,
            rescore_job_id="j",
        )


def verdict(store: sessionmaker[Session], comment_id: str, action: str) -> None:
    reason = "abusive" if action == "reject" else None
    with transaction(store) as s:
        decisions.decide(
            session=s, comment_id=comment_id, actor="ann", decision=decisions.DecisionInput(action, reason)
        )


def test_agreement_uses_the_system_decision_in_force_when_the_moderator_decided(
    store: sessionmaker[Session],
) -> None:
    with transaction(store) as s:
        seed.article(s)
        seed.comment(s, "held", "held then rescored", action="review")  # review ...
        seed.comment(s, "late", "rescored after the moderator", action="approve")
        seed.comment(s, "kept", "held and decided", action="review")
    rescore(store, "held", Action.REJECT)  # ... a rescore rejects it, then the moderator rejects: agreement
    verdict(store, "held", "reject")
    verdict(store, "late", "reject")  # the system had approved it: disagreement ...
    rescore(store, "late", Action.REJECT)  # ... a later rescore does not turn it into agreement
    verdict(store, "kept", "reject")  # the system held it: not counted as the system's own decision
    with store() as s:
        report = labels.report(session=s)
    assert report.labeled == 3
    assert report.by_decision == {"reject": {"reject": 1}, "approve": {"reject": 1}, "review": {"reject": 1}}
    assert report.system_agreement == 0.5

"""Issue 13 item 4: a moderator's approval does not survive a text swap. Re-posting a comment id with new
text is a new revision: scored and decided again, the earlier decision kept in the history with the old
text. Real model, real SQLite."""

from __future__ import annotations

import review_seed as seed

from moderation.domain import CommentRequest, DecisionSource
from moderation.review.decisions import DecisionInput, decide
from moderation.review.history import history
from moderation.services import Services
from moderation.store.db import transaction
from moderation.store.tables import CommentRow

CALM = "I think the new bike lanes on Main Street will make the commute safer for everyone."
SWAPPED = "You are all idiots and I hope your bike lanes get ripped out, morons."


def test_an_approved_comment_whose_text_changes_is_decided_again(services: Services) -> None:
    with transaction(services.sessions) as s:
        seed.article(s)
    first = CommentRequest(text=CALM, article_id="a1", comment_id="c1", site="news")
    services.moderation.moderate(first, source=DecisionSource.SYNC)
    with transaction(services.sessions) as s:
        decide(session=s, comment_id="c1", actor="ann", decision=DecisionInput(action="approve"))
    services.moderation.moderate(first, source=DecisionSource.SYNC)  # same text again: approval stands
    with services.sessions() as s:
        row = s.get(CommentRow, "c1")
        assert row is not None and row.decided_by == "moderator:ann" and row.decision == "approve"

    swapped = CommentRequest(text=SWAPPED, article_id="a1", comment_id="c1", site="news")
    result = services.moderation.moderate(swapped, source=DecisionSource.SYNC)
    with services.sessions() as s:
        row = s.get(CommentRow, "c1")
        assert row is not None and row.text == SWAPPED
        assert not (row.decided_by or "").startswith("moderator")  # the approval did not carry over
        assert row.decision == result.decision.action.value
        _row, events = history(session=s, comment_id="c1")
    [revised] = [e for e in events if e.kind == "text_revised"]
    assert revised.details["previous_text"] == CALM
    assert revised.details["previous_decided_by"] == "moderator:ann"
    assert revised.details["previous_decision"] == "approve"

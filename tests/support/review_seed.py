"""Seeding the store through its explicit seam: ``repo.record_result`` with hand-made scores and decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from moderation.domain import (
    Action,
    Article,
    CommentRequest,
    Decision,
    LengthScore,
    Reason,
    Scores,
    SentenceSpan,
)
from moderation.store import repo
from moderation.store.tables import CommentRow

MODEL = "test-encoder@1+heads"


def article(
    session: Session,
    article_id: str = "a1",
    title: str = "City council votes on new bike lanes",
    site: str = "news",
) -> None:
    repo.upsert_article(
        session=session, article=Article(id=article_id, title=title, body="Body text.", site=site)
    )


def comment(
    session: Session,
    comment_id: str,
    text: str,
    *,
    toxicity: float = 0.1,
    on_topic: float = 0.8,
    action: str = "review",
    reasons: tuple[tuple[str, str, float, float], ...] | None = None,  # (code, classifier, score, threshold)
    article_id: str | None = "a1",
    site: str = "news",
    stance: dict[str, float] | None = None,
    sentiment: dict[str, float] | None = None,
    spans: tuple[tuple[int, int, float], ...] = (),
    created_at: datetime | None = None,
) -> CommentRow:
    if reasons is None:
        reasons = (("TOXICITY", "civility", toxicity, 0.5),) if action != "approve" else ()
    scores = Scores(
        length=LengthScore(
            characters=len(text),
            min_chars=1,
            max_chars=5000,
            too_short=False,
            too_long=False,
            padding=0.0,
            padding_detected=False,
        ),
        civility={"toxicity": toxicity, "insult": toxicity / 2},
        spans=tuple(SentenceSpan(begin=b, end=e, scores={"toxicity": s}) for b, e, s in spans),
        on_topic=on_topic,
        stance=stance or {"against": 0.2, "neutral": 0.5, "favor": 0.3},
        sentiment=sentiment or {"negative": 0.3, "neutral": 0.4, "positive": 0.3},
        model_version=MODEL,
    )
    decision = Decision(
        action=Action(action),
        reasons=tuple(
            Reason(
                code=c,
                classifier=k,
                action=Action(action),
                message=f"{c} over threshold",
                score=s,
                threshold=t,
            )
            for c, k, s, t in reasons
        ),
        policy_version="news@3",
        scores=scores,
    )
    req = CommentRequest(
        text=text, site=site, article_id=article_id, comment_id=comment_id, author_id="reader"
    )
    row = repo.record_result(session=session, request=req, scores=scores, decision=decision, source="worker")
    if created_at is not None:
        row.created_at = created_at
        for score in row.scores:
            score.created_at = created_at
        for record in row.decisions:
            record.created_at = created_at
    session.flush()
    return row

"""Review JSON API (moderator role): the queue, claims, decisions, bulk, undo, and a comment's history."""

from __future__ import annotations

import logging

import redis
from fastapi import APIRouter

from api.deps import ModeratorDep, ServicesDep, SessionDep, SettingsDep
from api.schemas import (
    BulkIn,
    BulkOut,
    ClaimOut,
    DecidedOut,
    DecisionIn,
    HistoryEventOut,
    HistoryOut,
    QueueItemOut,
    RefusedOut,
    RejectionReasonOut,
    RejectionReasonsOut,
    ReleaseOut,
    ReviewPageOut,
    UndoOut,
)
from moderation.domain import DecisionSource
from moderation.queue.events import publish_decisions
from moderation.review import decisions
from moderation.review.history import history
from moderation.review.queue import QueueFilter, list_queue
from moderation.review.undo import undo_last
from moderation.services import Services
from moderation.store import queue_repo

router = APIRouter(tags=["review"])
log = logging.getLogger(__name__)


def announce(services: Services, comment_ids: list[str]) -> None:
    """Put moderator decisions on the decisions feed (best effort: the decision is already committed)."""
    if services.redis is None or not comment_ids:
        return
    try:
        with services.sessions() as session:
            docs = [queue_repo.comment_document(session=session, comment_id=cid) for cid in comment_ids]
        publish_decisions(services.redis, services.keys, [d for d in docs if d])
    except (redis.RedisError, OSError) as exc:
        log.warning("could not publish moderator decisions: %s", exc)


def decided_out(d: decisions.Decided, *, decided_by: str | None = None) -> DecidedOut:
    return DecidedOut(
        comment_id=d.comment_id,
        decision=d.decision,
        previous=d.previous,
        decided_by=decided_by or f"moderator:{d.actor}",
        batch=d.batch,
    )


@router.get(
    "/v1/review",
    summary="The review queue: comments by tab (review, rejected, approved, all), filtered, paged",
)
def get_queue(
    principal: ModeratorDep,
    session: SessionDep,
    tab: str = "review",
    sort: str = "newest",
    site: str | None = None,
    article_id: str | None = None,
    reason: str | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    page: int = 1,
    per_page: int = 25,
) -> ReviewPageOut:
    filters = QueueFilter(
        tab=tab,
        sort=sort,
        site=site or None,
        article_id=article_id or None,
        reason=reason or None,
        min_score=min_score,
        max_score=max_score,
        page=page,
        per_page=per_page,
    )
    result = list_queue(session=session, filters=filters)
    return ReviewPageOut(
        items=[QueueItemOut.model_validate(i.to_dict()) for i in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
    )


@router.get("/v1/review/reasons", summary="The rejection reasons a moderator may give")
def rejection_reasons(principal: ModeratorDep) -> RejectionReasonsOut:
    reasons = [RejectionReasonOut(code=k, label=v) for k, v in decisions.REJECTION_REASONS.items()]
    return RejectionReasonsOut(reasons=reasons)


@router.post(
    "/v1/review/{comment_id}/claim",
    summary="Claim a comment for review (409 when someone else holds it)",
)
def claim(comment_id: str, principal: ModeratorDep, session: SessionDep, settings: SettingsDep) -> ClaimOut:
    result = decisions.claim(
        session=session, comment_id=comment_id, actor=principal.name, seconds=settings.review_claim_seconds
    )
    session.commit()
    return ClaimOut(
        comment_id=result.comment_id,
        claimed_by=result.claimed_by,
        claimed_until=result.claimed_until.isoformat(),
    )


@router.delete("/v1/review/{comment_id}/claim", summary="Release your claim on a comment")
def release(comment_id: str, principal: ModeratorDep, session: SessionDep) -> ReleaseOut:
    released = decisions.release(session=session, comment_id=comment_id, actor=principal.name)
    session.commit()
    return ReleaseOut(comment_id=comment_id, released=released)


@router.post("/v1/review/{comment_id}/decision", summary="Approve or reject a comment (a moderator decision)")
def decide(
    comment_id: str, body: DecisionIn, principal: ModeratorDep, session: SessionDep, services: ServicesDep
) -> DecidedOut:
    result = decisions.decide(
        session=session, comment_id=comment_id, actor=principal.name, decision=body.domain()
    )
    session.commit()
    announce(services, [result.comment_id])
    return decided_out(result)


@router.post("/v1/review/bulk", summary="Approve or reject up to 200 comments at once")
def bulk(body: BulkIn, principal: ModeratorDep, session: SessionDep, services: ServicesDep) -> BulkOut:
    result = decisions.decide_many(
        session=session, comment_ids=body.ids, actor=principal.name, decision=body.domain()
    )
    session.commit()
    announce(services, [d.comment_id for d in result.decided])
    return BulkOut(
        batch=result.batch,
        decided=[decided_out(d) for d in result.decided],
        refused=[RefusedOut(comment_id=k, message=v) for k, v in result.refused.items()],
    )


@router.post("/v1/review/undo", summary="Undo your last decision (a bulk decision as a whole)")
def undo(principal: ModeratorDep, session: SessionDep, services: ServicesDep) -> UndoOut:
    restored = undo_last(
        session=session, actor=principal.name, claim_seconds=services.settings.review_claim_seconds
    )
    session.commit()
    announce(services, [d.comment_id for d in restored])
    return UndoOut(restored=[decided_out(d, decided_by=DecisionSource.UNDO) for d in restored])


@router.get(
    "/v1/comments/{comment_id}/history",
    summary="A comment's history: scorings, decisions, claims, undos",
)
def comment_history(comment_id: str, principal: ModeratorDep, session: SessionDep) -> HistoryOut:
    row, events = history(session=session, comment_id=comment_id)
    return HistoryOut(
        comment_id=row.id,
        decision=row.decision,
        decided_by=row.decided_by,
        events=[HistoryEventOut.model_validate(e.to_dict()) for e in events],
    )

"""Review JSON API (moderator role): the queue, claims, decisions, bulk, undo, and a comment's history."""

from __future__ import annotations

import logging

import redis
from fastapi import APIRouter
from sqlalchemy.orm import Session

from api.deps import ModeratorDep, ServicesDep, SessionDep, SettingsDep
from api.principal import Principal
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
from moderation import outbox
from moderation.domain import DecisionSource
from moderation.errors import NotFound
from moderation.review import decisions
from moderation.review.history import history
from moderation.review.queue import QueueFilter, list_queue
from moderation.review.undo import undo_last
from moderation.services import Services
from moderation.store import repo

router = APIRouter(tags=["review"])
log = logging.getLogger(__name__)


def commit_and_announce(session: Session, services: Services, comment_ids: list[str]) -> None:
    """Write the decisions' announcements to the outbox in the decisions' transaction, commit, then try to
    publish now; if Redis is down the outbox keeps them and a worker publishes them later."""
    outbox.write_comments(session, comment_ids)
    session.commit()
    if services.redis is None or not comment_ids:
        return
    try:
        services.outbox().publish()
    except (redis.RedisError, OSError) as exc:
        log.warning("moderator decisions stay in the outbox for now: %s", exc)


def visible(session: Session, principal: Principal, comment_id: str) -> None:
    """NotFound unless the comment exists on a site the caller may use."""
    site = repo.comment_site(session=session, comment_id=comment_id)
    if site is None or not principal.scope.allows(site):
        raise NotFound(f"unknown comment '{comment_id}'", field="comment_id")


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
    author_id: str | None = None,
    q: str | None = None,
) -> ReviewPageOut:
    if site:
        principal.scope.require(site)  # another site's queue: 403, not an empty page
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
        author_id=author_id or None,
        q=q or None,
        sites=principal.scope.sites,
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
    visible(session, principal, comment_id)
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
    visible(session, principal, comment_id)
    released = decisions.release(session=session, comment_id=comment_id, actor=principal.name)
    session.commit()
    return ReleaseOut(comment_id=comment_id, released=released)


@router.post("/v1/review/{comment_id}/decision", summary="Approve or reject a comment (a moderator decision)")
def decide(
    comment_id: str, body: DecisionIn, principal: ModeratorDep, session: SessionDep, services: ServicesDep
) -> DecidedOut:
    visible(session, principal, comment_id)
    result = decisions.decide(
        session=session, comment_id=comment_id, actor=principal.name, decision=body.domain()
    )
    commit_and_announce(session, services, [result.comment_id])
    return decided_out(result)


@router.post("/v1/review/bulk", summary="Approve or reject up to 200 comments at once")
def bulk(body: BulkIn, principal: ModeratorDep, session: SessionDep, services: ServicesDep) -> BulkOut:
    sites = {cid: repo.comment_site(session=session, comment_id=cid) for cid in body.ids}
    hidden = [cid for cid, site in sites.items() if site is None or not principal.scope.allows(site)]
    if hidden and len(hidden) == len(sites):
        raise NotFound("none of these comments exists", field="ids")
    result = decisions.decide_many(
        session=session,
        comment_ids=[cid for cid in body.ids if cid not in hidden],
        actor=principal.name,
        decision=body.domain(),
    )
    result.refused.update({cid: f"unknown comment '{cid}'" for cid in hidden})
    commit_and_announce(session, services, [d.comment_id for d in result.decided])
    return BulkOut(
        batch=result.batch,
        decided=[decided_out(d) for d in result.decided],
        refused=[RefusedOut(comment_id=k, message=v) for k, v in result.refused.items()],
    )


@router.post("/v1/review/undo", summary="Undo your last decision (a bulk decision as a whole)")
def undo(principal: ModeratorDep, session: SessionDep, services: ServicesDep) -> UndoOut:
    restored = undo_last(
        session=session,
        actor=principal.name,
        claim_seconds=services.settings.review_claim_seconds,
        sites=principal.scope.sites,
    )
    commit_and_announce(session, services, [d.comment_id for d in restored])
    return UndoOut(restored=[decided_out(d, decided_by=DecisionSource.UNDO) for d in restored])


@router.get(
    "/v1/comments/{comment_id}/history",
    summary="A comment's history: scorings, decisions, claims, undos",
)
def comment_history(comment_id: str, principal: ModeratorDep, session: SessionDep) -> HistoryOut:
    visible(session, principal, comment_id)
    row, events = history(session=session, comment_id=comment_id)
    return HistoryOut(
        comment_id=row.id,
        decision=row.decision,
        decided_by=row.decided_by,
        events=[HistoryEventOut.model_validate(e.to_dict()) for e in events],
    )

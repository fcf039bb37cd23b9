"""Data functions of rescoring jobs: the job rows, the frozen selection of comments, progress, the comments'
latest stored scores and the decision history the report reads.

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from moderation.domain import CommentRequest, CommentStatus, JobStatus, RescoreFilters, Scores, as_utc
from moderation.store.repo import request_from_row
from moderation.store.tables import CommentRow, DecisionRecord, RescoreJob, ScoreRecord


def _matching(filters: RescoreFilters) -> Select[str]:
    """Ids of scored comments under the filters, in id order (the cursor's order)."""
    stmt = select(CommentRow.id).where(CommentRow.status == CommentStatus.SCORED)
    if filters.site is not None:
        stmt = stmt.where(CommentRow.site == filters.site)
    if filters.article_id is not None:
        stmt = stmt.where(CommentRow.article_id == filters.article_id)
    if filters.since is not None:
        stmt = stmt.where(CommentRow.created_at >= as_utc(filters.since))
    if filters.until is not None:
        stmt = stmt.where(CommentRow.created_at <= as_utc(filters.until))
    if filters.decision is not None:
        stmt = stmt.where(CommentRow.decision == filters.decision)
    return stmt.order_by(CommentRow.id)


def count_matching(*, session: Session, filters: RescoreFilters) -> int:
    return int(session.scalar(select(func.count()).select_from(_matching(filters).subquery())) or 0)


def next_ids(*, session: Session, filters: RescoreFilters, after: str | None, limit: int) -> list[str]:
    """The next ``limit`` matching ids after the cursor ``after`` (None: from the first)."""
    stmt = _matching(filters)
    if after is not None:
        stmt = stmt.where(CommentRow.id > after)
    return list(session.scalars(stmt.limit(limit)))


def unscored_up_to(*, session: Session, filters: RescoreFilters, job_id: str, cursor: str) -> list[str]:
    """Matching ids up to the cursor that have no score from this job yet."""
    done = select(ScoreRecord.comment_id).where(ScoreRecord.rescore_job_id == job_id)
    stmt = _matching(filters).where(CommentRow.id <= cursor, CommentRow.id.not_in(done))
    return list(session.scalars(stmt))


def count_by_decision(*, session: Session, filters: RescoreFilters) -> dict[str, int]:
    """How many matching comments hold each current decision (what a dry run reports)."""
    rows = session.execute(
        select(CommentRow.decision, func.count())
        .where(CommentRow.id.in_(_matching(filters).subquery().select()))
        .group_by(CommentRow.decision)
    ).all()
    return {str(decision): int(n) for decision, n in rows}


def add_job(
    *,
    session: Session,
    job_id: str,
    filters: dict[str, Any],
    policy_only: bool,
    dry_run: bool,
    total: int,
    created_by: str,
) -> RescoreJob:
    job = RescoreJob(
        id=job_id,
        status=JobStatus.PENDING,
        filters=filters,
        policy_only=policy_only,
        dry_run=dry_run,
        total=total,
        created_by=created_by,
    )
    session.add(job)
    session.flush()
    return job


def get_job(*, session: Session, job_id: str) -> RescoreJob | None:
    return session.get(RescoreJob, job_id)


def processed_count(*, session: Session, job_id: str) -> int:
    """How many comments already have a decision from this job."""
    stmt = select(func.count(func.distinct(DecisionRecord.comment_id))).where(
        DecisionRecord.rescore_job_id == job_id
    )
    return int(session.scalar(stmt) or 0)


def latest_scores(*, session: Session, comment_ids: Sequence[str]) -> list[tuple[CommentRequest, Scores]]:
    """Each comment (as the use case takes it) with its latest stored scores, in ``comment_ids`` order;
    comments without scores are left out."""
    newest = (
        select(func.max(ScoreRecord.id))
        .where(ScoreRecord.comment_id.in_(list(comment_ids)))
        .group_by(ScoreRecord.comment_id)
    )
    records = {
        r.comment_id: r for r in session.scalars(select(ScoreRecord).where(ScoreRecord.id.in_(newest)))
    }
    rows = {r.id: r for r in session.scalars(select(CommentRow).where(CommentRow.id.in_(list(records))))}
    return [
        (request_from_row(rows[cid]), Scores.from_dict(records[cid].scores))
        for cid in comment_ids
        if cid in records
    ]


def job_comment_ids(*, session: Session, job_id: str) -> list[str]:
    """The comments this job decided."""
    stmt = select(DecisionRecord.comment_id).where(DecisionRecord.rescore_job_id == job_id).distinct()
    return list(session.scalars(stmt))


def decision_histories(
    *, session: Session, comment_ids: Sequence[str]
) -> tuple[dict[str, CommentRow], dict[str, list[DecisionRecord]]]:
    """The comments and each one's decision records, oldest first."""
    ids = list(comment_ids)
    rows = {r.id: r for r in session.scalars(select(CommentRow).where(CommentRow.id.in_(ids)))}
    history: dict[str, list[DecisionRecord]] = {}
    stmt = select(DecisionRecord).where(DecisionRecord.comment_id.in_(ids)).order_by(DecisionRecord.id)
    for record in session.scalars(stmt):
        history.setdefault(record.comment_id, []).append(record)
    return rows, history

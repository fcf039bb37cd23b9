"""Batch rescoring after a model or policy change: a job over a filtered, frozen set of comments.

The job row (``rescore_jobs``) holds the filters (``until`` frozen at creation so later comments are not
swept in), the total and a cursor (the last comment id handled, in id order), so an interrupted job resumes
where it stopped. Two modes:

- model (default): chunks of ids are enqueued on the scoring stream with the job id; workers score them in
  their batches and store a new ScoreRecord + DecisionRecord tagged with the job (history is never
  overwritten; a moderator's decision stays current). The runner waits until every comment has its score.
- ``policy_only``: decisions are recomputed here from each comment's latest stored scores (no model), one
  transaction per chunk together with the cursor.

The report (report.py) is computed from the decision history, so it is exact after any resume.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from moderation.domain import Action, CommentStatus
from moderation.errors import InvalidInput
from moderation.store.tables import CommentRow, DecisionRecord, RescoreJob

Progress = Callable[[int, int], None]  # (processed, total)


@dataclass(frozen=True)
class RescoreFilters:
    site: str | None = None
    article_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    decision: str | None = None
    all: bool = False

    def validate(self) -> None:
        chosen = (self.site, self.article_id, self.since, self.until, self.decision)
        if not self.all and all(v is None for v in chosen):
            raise InvalidInput("choose comments with a filter (site, article, since, until, decision) or all")
        if self.decision is not None and self.decision not in {a.value for a in Action}:
            raise InvalidInput(
                f"decision must be approve, review or reject, got {self.decision!r}", field="decision"
            )
        if self.since and self.until and _aware(self.since) > _aware(self.until):
            raise InvalidInput("since is after until", field="since")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("since", "until"):
            out[key] = None if out[key] is None else _aware(out[key]).isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RescoreFilters:
        data = dict(data)
        for key in ("since", "until"):
            data[key] = None if data.get(key) is None else datetime.fromisoformat(data[key])
        return cls(**data)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def matching(filters: RescoreFilters) -> Select[str]:
    """Ids of scored comments under the filters, in id order (the cursor's order)."""
    stmt = select(CommentRow.id).where(CommentRow.status == CommentStatus.SCORED.value)
    if filters.site is not None:
        stmt = stmt.where(CommentRow.site == filters.site)
    if filters.article_id is not None:
        stmt = stmt.where(CommentRow.article_id == filters.article_id)
    if filters.since is not None:
        stmt = stmt.where(CommentRow.created_at >= _aware(filters.since))
    if filters.until is not None:
        stmt = stmt.where(CommentRow.created_at <= _aware(filters.until))
    if filters.decision is not None:
        stmt = stmt.where(CommentRow.decision == filters.decision)
    return stmt.order_by(CommentRow.id)


def count_matching(*, session: Session, filters: RescoreFilters) -> int:
    return int(session.scalar(select(func.count()).select_from(matching(filters).subquery())) or 0)


def create_job(
    *, session: Session, filters: RescoreFilters, policy_only: bool, dry_run: bool, created_by: str
) -> RescoreJob:
    filters.validate()
    frozen = RescoreFilters(**{**asdict(filters), "until": filters.until or datetime.now(UTC)})
    job = RescoreJob(
        id=f"rj_{uuid.uuid4().hex[:16]}",
        status="pending",
        filters=frozen.to_dict(),
        policy_only=policy_only,
        dry_run=dry_run,
        total=count_matching(session=session, filters=frozen),
        created_by=created_by,
    )
    session.add(job)
    session.flush()
    return job


def processed_count(*, session: Session, job_id: str) -> int:
    stmt = select(func.count(func.distinct(DecisionRecord.comment_id))).where(
        DecisionRecord.rescore_job_id == job_id
    )
    return int(session.scalar(stmt) or 0)


def job_document(*, session: Session, job: RescoreJob) -> dict[str, Any]:
    processed = job.processed if job.status == "done" else processed_count(session=session, job_id=job.id)
    return {
        "id": job.id,
        "status": job.status,
        "filters": job.filters,
        "policy_only": job.policy_only,
        "dry_run": job.dry_run,
        "total": job.total,
        "processed": processed,
        "changed": job.changed,
        "cursor": job.cursor,
        "report": job.report,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }

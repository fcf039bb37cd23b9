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
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain import JobStatus, RescoreFilters
from moderation.store import rescore_repo
from moderation.store.tables import RescoreJob

Progress = Callable[[int, int], None]  # (processed, total)


def create_job(
    *, session: Session, filters: RescoreFilters, policy_only: bool, dry_run: bool, created_by: str
) -> RescoreJob:
    """A ``pending`` job over the comments the filters match now (``until`` frozen to now when open)."""
    filters.validate()
    frozen = replace(filters, until=filters.until or datetime.now(UTC))
    return rescore_repo.add_job(
        session=session,
        job_id=f"rj_{uuid.uuid4().hex[:16]}",
        filters=frozen.to_dict(),
        policy_only=policy_only,
        dry_run=dry_run,
        total=rescore_repo.count_matching(session=session, filters=frozen),
        created_by=created_by,
    )


def job_document(*, session: Session, job: RescoreJob) -> dict[str, Any]:
    done = job.status == JobStatus.DONE
    processed = job.processed if done else rescore_repo.processed_count(session=session, job_id=job.id)
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

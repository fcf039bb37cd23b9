"""Runs a rescoring job chunk by chunk; interruptible (``stop``) and resumable from the job's cursor."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.errors import NotFound
from moderation.policy import decide
from moderation.rescore.jobs import Progress, RescoreFilters, matching, processed_count
from moderation.rescore.report import build_report, scores_from_dict
from moderation.store import queue_repo
from moderation.store.db import transaction
from moderation.store.tables import CommentRow, RescoreJob, ScoreRecord

if TYPE_CHECKING:
    from moderation.services import Services

log = logging.getLogger(__name__)


class RescoreRunner:
    def __init__(
        self,
        *,
        services: Services,
        chunk_size: int = 200,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        poll_s: float = 0.25,
        max_chunks: int | None = None,
    ) -> None:
        self.services = services
        self.chunk_size = chunk_size
        self.progress = progress or (lambda _done, _total: None)
        self.stop = stop or threading.Event()
        self.poll_s = poll_s
        self.max_chunks = max_chunks

    def run(self, job_id: str) -> RescoreJob:
        """Run (or resume) the job; returns it ``done``, or ``paused`` when stopped or out of chunks."""
        with transaction(self.services.sessions) as session:
            job = self._job(session, job_id)
            if job.status == "done":
                return job
            job.status = "running"
            filters, policy_only, dry_run = (
                RescoreFilters.from_dict(job.filters),
                job.policy_only,
                job.dry_run,
            )
        if dry_run:
            return self._finish(job_id, dry_run=True)
        if not policy_only:
            self._requeue_lost(job_id, filters)
        chunks = 0
        while not self.stop.is_set() and (self.max_chunks is None or chunks < self.max_chunks):
            with self.services.sessions() as session:
                cursor = self._job(session, job_id).cursor
                stmt = matching(filters)
                if cursor is not None:
                    stmt = stmt.where(CommentRow.id > cursor)
                ids = list(session.scalars(stmt.limit(self.chunk_size)))
            if not ids:
                break
            if policy_only:
                self._decide_from_stored(job_id, ids)
            else:
                self._enqueue(job_id, ids)
            chunks += 1
            self._report_progress(job_id)
        exhausted = not self.stop.is_set() and (self.max_chunks is None or chunks < self.max_chunks)
        if exhausted and not policy_only:
            exhausted = self._wait_for_workers(job_id)
        return self._finish(job_id) if exhausted else self.pause(job_id)

    def _job(self, session: Session, job_id: str) -> RescoreJob:
        job = session.get(RescoreJob, job_id)
        if job is None:
            raise NotFound(f"unknown rescore job '{job_id}'", field="job_id")
        return job

    def _decide_from_stored(self, job_id: str, ids: list[str]) -> None:
        """Policy-only: decisions from each comment's latest scores, committed together with the cursor."""
        moderation = self.services.moderation
        with transaction(self.services.sessions) as session:
            latest = (
                select(ScoreRecord.comment_id, func.max(ScoreRecord.id).label("sid"))
                .where(ScoreRecord.comment_id.in_(ids))
                .group_by(ScoreRecord.comment_id)
                .subquery()
            )
            records = session.scalars(select(ScoreRecord).join(latest, ScoreRecord.id == latest.c.sid)).all()
            rows = queue_repo.load_comments(session=session, comment_ids=ids)
            for record in records:
                row = rows[record.comment_id]
                policy = moderation.policy_for(session, site=row.site, article_id=row.article_id)
                decision = decide(scores_from_dict(record.scores), policy)
                queue_repo.record_rescore_decision(session=session, row=row, decision=decision, job_id=job_id)
            self._job(session, job_id).cursor = ids[-1]

    def _enqueue(self, job_id: str, ids: list[str]) -> None:
        from moderation.queue.wiring import score_stream

        stream = score_stream(self.services)
        room = max(self.chunk_size, stream.max_depth // 2)  # leave room for live traffic (no 429 for clients)
        while stream.depth() + len(ids) > room and not self.stop.is_set():
            self._report_progress(job_id)
            time.sleep(self.poll_s)
        stream.enqueue(ids, job_id=job_id, check_depth=False)
        with transaction(self.services.sessions) as session:
            self._job(session, job_id).cursor = ids[-1]

    def _requeue_lost(self, job_id: str, filters: RescoreFilters) -> None:
        """On resume: ids up to the cursor with no score for this job and no message in the stream."""
        from moderation.queue.wiring import score_stream

        stream = score_stream(self.services)
        with self.services.sessions() as session:
            cursor = self._job(session, job_id).cursor
            if cursor is None:
                return
            done = select(ScoreRecord.comment_id).where(ScoreRecord.rescore_job_id == job_id)
            stmt = matching(filters).where(CommentRow.id <= cursor, CommentRow.id.not_in(done))
            missing = list(session.scalars(stmt))
        in_flight = stream.job_comment_ids(job_id)
        lost = [cid for cid in missing if cid not in in_flight]
        for start in range(0, len(lost), self.chunk_size):
            stream.enqueue(lost[start : start + self.chunk_size], job_id=job_id, check_depth=False)

    def _wait_for_workers(self, job_id: str) -> bool:
        with self.services.sessions() as session:
            total = self._job(session, job_id).total
        while not self.stop.is_set():
            if self._report_progress(job_id) >= total:
                return True
            time.sleep(self.poll_s)
        return False

    def _report_progress(self, job_id: str) -> int:
        with transaction(self.services.sessions) as session:
            job = self._job(session, job_id)
            job.processed = processed_count(session=session, job_id=job_id)
            total, done = job.total, job.processed
        self.progress(done, total)
        return done

    def pause(self, job_id: str) -> RescoreJob:
        with transaction(self.services.sessions) as session:
            job = self._job(session, job_id)
            job.status = "paused"
        return job

    def _finish(self, job_id: str, *, dry_run: bool = False) -> RescoreJob:
        with transaction(self.services.sessions) as session:
            job = self._job(session, job_id)
            if dry_run:
                filters = RescoreFilters.from_dict(job.filters)
                by_decision = session.execute(
                    select(CommentRow.decision, func.count())
                    .where(CommentRow.id.in_(matching(filters).subquery().select()))
                    .group_by(CommentRow.decision)
                ).all()
                job.report = {
                    "dry_run": True,
                    "total": job.total,
                    "by_decision": {str(d): n for d, n in by_decision},
                }
            else:
                report, _changes = build_report(session=session, job_id=job_id)
                job.report, job.processed, job.changed = report, report["processed"], report["changed"]
            job.status, job.finished_at = "done", datetime.now(UTC)
        self.progress(job.processed, job.total)
        return job


def run_job(services: Services, job_id: str, **kwargs: Any) -> RescoreJob | None:
    """Run a job to its end (for a background thread): a crash marks it ``failed`` with the error."""
    try:
        return RescoreRunner(services=services, **kwargs).run(job_id)
    except Exception as exc:
        log.exception("rescore job %s failed", job_id)
        with transaction(services.sessions) as session:
            job = session.get(RescoreJob, job_id)
            if job is not None:
                job.status, job.report = "failed", {"error": repr(exc)}
        return None

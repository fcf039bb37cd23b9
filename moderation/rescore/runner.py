"""Runs a rescoring job chunk by chunk; interruptible (``stop``) and resumable from the job's cursor.

Model mode enqueues each chunk on the scoring stream with the job id (the workers score it through the use
case) and waits for them. Policy-only mode decides again here, through the use case, from each comment's
latest stored scores: one transaction per chunk, together with the cursor.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from moderation.domain import JobStatus, RescoreFilters
from moderation.errors import NotFound, Unavailable
from moderation.moderate import Moderation, Resolved
from moderation.queue.streams import ScoreStream
from moderation.rescore.jobs import Progress
from moderation.rescore.report import build_report
from moderation.rescore.whatif import what_if
from moderation.store import rescore_repo
from moderation.store.db import transaction
from moderation.store.tables import RescoreJob

log = logging.getLogger(__name__)


class RescoreRunner:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        moderation: Moderation,
        stream: ScoreStream | None,
        chunk_size: int = 200,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        poll_s: float = 0.25,
        max_chunks: int | None = None,
    ) -> None:
        self.sessions = sessions
        self.moderation = moderation
        self._stream = stream
        self.chunk_size = chunk_size
        self.progress = progress or (lambda _done, _total: None)
        self.stop = stop or threading.Event()
        self.poll_s = poll_s
        self.max_chunks = max_chunks

    @property
    def stream(self) -> ScoreStream:
        """The scoring stream (model mode); policy-only jobs run without Redis."""
        if self._stream is None:
            raise Unavailable("the scoring queue needs Redis (MODERATION_REDIS_URL or the embedded Valkey)")
        return self._stream

    def run(self, job_id: str) -> RescoreJob:
        """Run (or resume) the job; returns it ``done``, or ``paused`` when stopped or out of chunks."""
        with transaction(self.sessions) as session:
            job = self._job(session, job_id)
            if job.status == JobStatus.DONE:
                return job
            job.status = JobStatus.RUNNING
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
            with self.sessions() as session:
                cursor = self._job(session, job_id).cursor
                ids = rescore_repo.next_ids(
                    session=session, filters=filters, after=cursor, limit=self.chunk_size
                )
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
        job = rescore_repo.get_job(session=session, job_id=job_id)
        if job is None:
            raise NotFound(f"unknown rescore job '{job_id}'", field="job_id")
        return job

    def _decide_from_stored(self, job_id: str, ids: list[str]) -> None:
        """Policy-only: the use case decides from each comment's latest scores; committed with the cursor."""
        with transaction(self.sessions) as session:
            cache: Resolved = {}
            for request, scores in rescore_repo.latest_scores(session=session, comment_ids=ids):
                item = self.moderation.resolve(session, request, cache=cache)
                self.moderation.redecide(session, item, scores, rescore_job_id=job_id)
            self._job(session, job_id).cursor = ids[-1]

    def _enqueue(self, job_id: str, ids: list[str]) -> None:
        stream = self.stream
        room = max(self.chunk_size, stream.max_depth // 2)  # leave room for live traffic (no QueueFull)
        while stream.depth() + len(ids) > room and not self.stop.is_set():
            self._report_progress(job_id)
            time.sleep(self.poll_s)
        stream.enqueue(ids, job_id=job_id, check_depth=False)
        with transaction(self.sessions) as session:
            self._job(session, job_id).cursor = ids[-1]

    def _requeue_lost(self, job_id: str, filters: RescoreFilters) -> None:
        """On resume: ids up to the cursor with no score for this job and no message in the stream."""
        stream = self.stream
        with self.sessions() as session:
            cursor = self._job(session, job_id).cursor
            if cursor is None:
                return
            missing = rescore_repo.unscored_up_to(
                session=session, filters=filters, job_id=job_id, cursor=cursor
            )
        in_flight = stream.job_comment_ids(job_id)
        lost = [cid for cid in missing if cid not in in_flight]
        for start in range(0, len(lost), self.chunk_size):
            stream.enqueue(lost[start : start + self.chunk_size], job_id=job_id, check_depth=False)

    def _wait_for_workers(self, job_id: str) -> bool:
        with self.sessions() as session:
            total = self._job(session, job_id).total
        while not self.stop.is_set():
            if self._report_progress(job_id) >= total:
                return True
            time.sleep(self.poll_s)
        return False

    def _report_progress(self, job_id: str) -> int:
        with transaction(self.sessions) as session:
            job = self._job(session, job_id)
            job.processed = rescore_repo.processed_count(session=session, job_id=job_id)
            total, done = job.total, job.processed
        self.progress(done, total)
        return done

    def pause(self, job_id: str) -> RescoreJob:
        with transaction(self.sessions) as session:
            job = self._job(session, job_id)
            job.status = JobStatus.PAUSED
        return job

    def _finish(self, job_id: str, *, dry_run: bool = False) -> RescoreJob:
        with transaction(self.sessions) as session:
            job = self._job(session, job_id)
            if dry_run:  # a what-if: what the job WOULD change, nothing written
                filters = RescoreFilters.from_dict(job.filters)
                report = what_if(
                    sessions=self.sessions,
                    moderation=self.moderation,
                    filters=filters,
                    policy_only=job.policy_only,
                    chunk_size=self.chunk_size,
                )
                job.report = {
                    **report,
                    "total": job.total,
                    "by_decision": rescore_repo.count_by_decision(session=session, filters=filters),
                }
                job.processed = report["processed"]
            else:
                report, _changes = build_report(session=session, job_id=job_id)
                job.report, job.processed, job.changed = report, report["processed"], report["changed"]
            job.status, job.finished_at = JobStatus.DONE, datetime.now(UTC)
        self.progress(job.processed, job.total)
        return job

    def fail(self, job_id: str, error: BaseException) -> None:
        """Mark the job ``failed`` with the error (a crashed background run)."""
        with transaction(self.sessions) as session:
            job = rescore_repo.get_job(session=session, job_id=job_id)
            if job is not None:
                job.status, job.report = JobStatus.FAILED, {"error": repr(error)}


def run_job(runner: RescoreRunner, job_id: str) -> RescoreJob | None:
    """Run a job to its end (for a background thread): a crash marks it ``failed`` with the error."""
    try:
        return runner.run(job_id)
    except Exception as exc:
        log.exception("rescore job %s failed", job_id)
        runner.fail(job_id, exc)
        return None

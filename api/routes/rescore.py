"""POST /v1/rescore-jobs and GET /v1/rescore-jobs/{id} (admin): rescoring jobs with live progress.

A job created here runs in a background thread of this API process (model mode: it enqueues chunks for the
workers and waits for them). If the process stops, the job stays ``running``/``paused`` and continues with
``moderation rescore --resume <id>``.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Response

from api.deps import AdminDep, ServicesDep, SessionDep
from api.schemas import RescoreJobIn, RescoreJobOut
from moderation.domain import RescoreFilters
from moderation.errors import InvalidInput, NotFound
from moderation.rescore.jobs import create_job, job_document
from moderation.rescore.runner import run_job
from moderation.store import rescore_repo
from moderation.store.db import transaction

router = APIRouter(tags=["rescore"])


@router.post("/v1/rescore-jobs", status_code=202, summary="Start a rescoring job (admin)")
def start_job(
    body: RescoreJobIn, services: ServicesDep, principal: AdminDep, response: Response
) -> RescoreJobOut:
    if not principal.scope.everywhere:  # a site admin rescores its own site only
        if body.site is None:
            raise InvalidInput("name the site to rescore (this key is scoped to sites)", field="site")
        principal.scope.require(body.site)
    filters = RescoreFilters(body.site, body.article_id, body.since, body.until, body.decision, body.all)
    with transaction(services.sessions) as session:
        job = create_job(
            session=session,
            filters=filters,
            policy_only=body.policy_only,
            dry_run=body.dry_run,
            created_by=f"api:{principal.name}",
        )
        doc = job_document(session=session, job=job)
    runner = services.rescore_runner(chunk_size=body.chunk_size)
    threading.Thread(target=run_job, args=(runner, job.id), daemon=True).start()
    response.headers["Location"] = f"/v1/rescore-jobs/{job.id}"
    return RescoreJobOut.model_validate(doc)


@router.get("/v1/rescore-jobs/{job_id}", summary="A rescoring job's progress and report (admin)")
def get_job(job_id: str, session: SessionDep, principal: AdminDep) -> RescoreJobOut:
    job = rescore_repo.get_job(session=session, job_id=job_id)
    if job is None or not principal.scope.allows((job.filters or {}).get("site")):
        raise NotFound(f"unknown rescore job '{job_id}'", field="job_id")
    return RescoreJobOut.model_validate(job_document(session=session, job=job))

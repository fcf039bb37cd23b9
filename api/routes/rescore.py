"""POST /v1/rescore-jobs and GET /v1/rescore-jobs/{id} (admin): rescoring jobs with live progress.

A job created here runs in a background thread of this API process (model mode: it enqueues chunks for the
workers and waits for them). If the process stops, the job stays ``running``/``paused`` and continues with
``moderation rescore --resume <id>``.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.deps import AdminDep, ServicesDep, SessionDep
from api.schemas import Strict
from moderation.domain import Action, RescoreFilters
from moderation.errors import NotFound
from moderation.rescore.jobs import create_job, job_document
from moderation.rescore.runner import run_job
from moderation.store import rescore_repo
from moderation.store.db import transaction

router = APIRouter(tags=["rescore"])


class RescoreJobIn(Strict):
    site: Annotated[str, Field(max_length=200)] | None = None
    article_id: Annotated[str, Field(max_length=200)] | None = None
    since: datetime | None = None
    until: datetime | None = None
    decision: Action | None = None
    all: bool = False
    policy_only: bool = False
    dry_run: bool = False
    chunk_size: Annotated[int, Field(ge=1, le=5000)] = 200


@router.post("/v1/rescore-jobs", status_code=202, summary="Start a rescoring job (admin)")
def start_job(body: RescoreJobIn, services: ServicesDep, principal: AdminDep) -> JSONResponse:
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
    return JSONResponse(doc, status_code=202, headers={"Location": f"/v1/rescore-jobs/{job.id}"})


@router.get("/v1/rescore-jobs/{job_id}", summary="A rescoring job's progress and report (admin)")
def get_job(job_id: str, session: SessionDep, principal: AdminDep) -> dict[str, Any]:
    job = rescore_repo.get_job(session=session, job_id=job_id)
    if job is None:
        raise NotFound(f"unknown rescore job '{job_id}'", field="job_id")
    return job_document(session=session, job=job)

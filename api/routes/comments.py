"""Asynchronous scoring: POST /v1/comments (202), GET /v1/comments/{id}; queue and dead letters (admin).

The body of POST /v1/comments is the /v1/moderate body (plus an optional ``callback_url``), or a JSON list
of up to ``queue_max_batch_submit`` of them. ``do_not_store`` is refused with 422 (use /v1/moderate).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from api.bodies import parse_json
from api.deps import AdminDep, ClientDep, ServicesDep, SessionDep
from api.schemas import (
    CommentIn,
    CommentOut,
    DeadLetterOut,
    DeadLettersOut,
    DroppedOut,
    QueueStatusOut,
    RetriedOut,
    SubmissionOut,
    SubmittedOut,
    WorkerHealthOut,
)
from moderation.domain import CommentRequest
from moderation.errors import NotFound
from moderation.queue import dlq
from moderation.queue.submit import submit_comments
from moderation.store import queue_repo

router = APIRouter(tags=["async"])


_ONE = TypeAdapter(CommentIn)
_MANY = TypeAdapter(list[CommentIn])


def _to_domain(body: CommentIn) -> CommentRequest:
    req = replace(body.to_domain(), callback_url=body.callback_url)
    if req.article is not None and (body.article is None or body.article.id is None):
        digest = hashlib.sha256(req.article.model_text.encode()).hexdigest()[:24]
        req = replace(req, article=replace(req.article, id=f"a_{digest}"))
    return req


async def _parse(request: Request) -> list[CommentIn]:
    """One comment object or a JSON array of them. An object wrapping the array (``{"comments": [...]}``, the
    shape of the answer) gets a 422 that says so, not a list of missing fields."""
    data = parse_json(await request.body())
    if isinstance(data, dict) and "text" not in data and isinstance(data.get("comments"), list):
        msg = 'send a JSON array of comments ([{"text": ...}, ...]) or one comment, not inside "comments"'
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "comments"), "msg": msg}])
    try:
        return _MANY.validate_python(data) if isinstance(data, list) else [_ONE.validate_python(data)]
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from exc


@router.post("/v1/comments", status_code=202, summary="Submit comments for asynchronous scoring")
async def submit(request: Request, services: ServicesDep, principal: ClientDep) -> SubmissionOut:
    """Store the comments as ``queued`` and enqueue them; 202 with their ids. 429 + Retry-After when the
    scoring queue is past its depth limit (POST /v1/moderate keeps working)."""
    bodies = await _parse(request)
    requests = [_to_domain(b) for b in bodies]
    submitted = submit_comments(
        moderation=services.moderation,
        stream=services.score_stream(),
        requests=requests,
        max_batch=services.settings.queue_max_batch_submit,
        allow=services.callback_allow,
        scope=principal.scope,
    )
    items = [
        SubmittedOut(
            comment_id=s.comment_id, status=s.status, enqueued=s.enqueued, url=f"/v1/comments/{s.comment_id}"
        )
        for s in submitted
    ]
    return SubmissionOut(comments=items)


@router.get(
    "/v1/comments/{comment_id}",
    summary="Status and, once scored, the decision of a comment",
    response_model_exclude_unset=True,  # fields a comment does not have yet are left out, not null
)
def get_comment(comment_id: str, session: SessionDep, principal: ClientDep) -> CommentOut:
    doc = queue_repo.comment_document(session=session, comment_id=comment_id)
    if doc is None or not principal.scope.allows(doc.get("site")):
        raise NotFound(f"unknown comment '{comment_id}'", field="comment_id")
    return CommentOut.model_validate(doc)


@router.get("/v1/queue", summary="Scoring queue depth, live workers and dead letters (admin)")
def queue_status(services: ServicesDep, principal: AdminDep) -> QueueStatusOut:
    principal.scope.require_everywhere("the queue's status")
    stream = services.score_stream()
    return QueueStatusOut(
        depth=stream.depth(),
        max_depth=stream.max_depth,
        dead_letters=stream.dead_depth(),
        workers=[WorkerHealthOut.model_validate(state) for state in stream.worker_states()],
    )


@router.get("/v1/queue/dead-letters", summary="Messages that failed too often (admin)")
def list_dead_letters(
    services: ServicesDep, principal: AdminDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> DeadLettersOut:
    principal.scope.require_everywhere("dead letters")
    dead = dlq.list_dead(services.score_stream(), count=limit)
    return DeadLettersOut(dead_letters=[DeadLetterOut.model_validate(d.to_dict()) for d in dead])


@router.post("/v1/queue/dead-letters/retry", summary="Put dead letters back on the scoring stream (admin)")
def retry_dead_letters(
    services: ServicesDep, principal: AdminDep, ids: Annotated[list[str] | None, Query()] = None
) -> RetriedOut:
    principal.scope.require_everywhere("dead letters")
    retried = dlq.retry_dead(services.score_stream(), dead_ids=ids)
    return RetriedOut(retried=[d.comment_id for d in retried])


@router.delete("/v1/queue/dead-letters", summary="Drop dead letters (admin)")
def drop_dead_letters(
    services: ServicesDep, principal: AdminDep, ids: Annotated[list[str] | None, Query()] = None
) -> DroppedOut:
    principal.scope.require_everywhere("dead letters")
    dropped = dlq.drop_dead(services.score_stream(), dead_ids=ids)
    return DroppedOut(dropped=[d.comment_id for d in dropped])

"""``POST /v1/coral/sites/{site}/phase``: Coral Talk's external moderation phase, spoken natively.

Set it as the phase URL in Coral (*Configure → Moderation → External moderation phases*), one site per URL,
``?format=HTML`` when the phase's body format is HTML. For each new or edited comment Coral posts here:

1. the signature is checked on the raw body against the site's registered secrets (401 otherwise: Coral
   logs it and the comment continues, so a wrong secret is loud in Coral's log, never a silent block);
2. a body answered within the replay window gets the same answer again (``replay.py``);
3. the story is mapped to one of our articles (by id, then URL); unknown: on-topic and stance skipped, and
   the answer says so (``X-Moderation-Article: unmatched`` and ``moderationService.article``);
4. the comment goes through the moderation use case (stored, decided under the site's policy, source
   ``coral``, id ``coral:<sha256 of tenant, story, author, body, action>``: Coral sends no comment id);
5. the decision is answered in Coral's vocabulary (``protocol.py``): 204 to continue, else
   ``{status, actions, moderationAction?}``. While scoring is down: 503 + Retry-After (Coral continues and
   publishes), or ``SYSTEM_WITHHELD`` when the operator chose to fail closed.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

import markupsafe
from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api.coral.protocol import CoralReply, ExternalModerationRequest, coral_reply
from api.coral.replay import Reply, ReplyCache
from api.coral.signature import HEADER, verify
from api.deps import ServicesDep
from api.errors import describe_validation, error_body
from moderation import coral
from moderation.domain import CommentRequest, DecisionSource
from moderation.errors import AuthError, InvalidInput, QueueFull, Unavailable
from moderation.services import Services

router = APIRouter(tags=["coral"])
SITE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ARTICLE_HEADER = "X-Moderation-Article"
SKIPPED = ["OFF_TOPIC", "STANCE"]


def _cache(services: Services, request: Request) -> ReplyCache:
    cache: ReplyCache | None = getattr(request.app.state, "coral_replies", None)
    if cache is None:
        cache = ReplyCache(
            client=services.redis, keys=services.keys, window_s=services.settings.coral_replay_window_s
        )
        request.app.state.coral_replies = cache
    return cache


def comment_id(doc: ExternalModerationRequest, text: str) -> str:
    """Coral sends no comment id: ours is derived from what identifies the comment's revision."""
    parts = [
        doc.tenant_id,
        doc.story.id,
        doc.author.id,
        hashlib.sha256(text.encode()).hexdigest(),
        doc.action,
    ]
    return "coral:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]


def _parse(body: bytes) -> ExternalModerationRequest:
    try:
        return ExternalModerationRequest.model_validate_json(body)
    except ValidationError as exc:
        message, field = describe_validation(dict(exc.errors()[0]))
        raise InvalidInput(f"not a Coral external moderation request: {message}", field=field) from None


def _answer(services: Services, site: str, body: bytes, html: bool) -> Reply:
    settings = services.settings
    doc = _parse(body)
    text = str(markupsafe.Markup(doc.comment.body).striptags()) if html else doc.comment.body
    with services.sessions() as session:
        article = coral.story_article(
            session=session, site=site, story_id=doc.story.id, story_url=doc.story.url
        )
    request = CommentRequest(
        text=text,
        site=site,
        article_id=article.id if article else None,
        comment_id=comment_id(doc, text),
        author_id=doc.author.id,
    )
    extension: dict[str, Any] = {
        "commentId": request.comment_id,
        "article": {"id": article.id} if article else None,
    }
    headers = {ARTICLE_HEADER: article.id if article else "unmatched"}
    try:
        result = services.moderation.moderate(request, source=DecisionSource.CORAL)
    except (Unavailable, QueueFull) as exc:
        if not settings.coral_fail_closed:
            raise
        extension |= {"decision": "review", "unavailable": exc.message}
        return Reply(200, {"status": "SYSTEM_WITHHELD", "moderationService": extension}, headers)
    decision = result.decision
    extension |= {
        "decision": decision.action.value,
        "reasons": [{"code": r.code, "score": r.score, "threshold": r.threshold} for r in decision.reasons],
        "policyVersion": decision.policy_version,
        "modelVersion": decision.scores.model_version,
    }
    if article is None:
        extension["skipped"] = {
            "attributes": SKIPPED,
            "why": f"story {doc.story.id} is not a registered article",
        }
    codes = settings.coral_site_rejection_codes.get(site, settings.coral_rejection_codes)
    reply = coral_reply(
        decision, approved_status=settings.coral_approved_status, rejection_codes=codes, extension=extension
    )
    return Reply(204 if reply is None else 200, reply, headers)


def _respond(reply: Reply, *, replayed: bool = False) -> Response:
    headers = dict(reply.headers) | ({"X-Moderation-Replay": "true"} if replayed else {})
    if reply.body is None:
        return Response(status_code=reply.status, headers=headers)
    return JSONResponse(reply.body, status_code=reply.status, headers=headers)


def _handle(services: Services, request: Request, site: str, body: bytes, signature: str | None) -> Response:
    if not SITE.match(site):
        raise InvalidInput("site must be letters, digits, '.', '_' or '-' (up to 100)", field="site")
    with services.sessions() as session:
        secrets = coral.active_secrets(session=session, site=site)
    if not verify(body, signature, secrets):
        raise AuthError(f"{HEADER} does not match a signing secret registered for site '{site}'")
    cache = _cache(services, request)
    digest = hashlib.sha256(body).hexdigest()
    earlier = cache.claim(site, digest)
    if earlier is not None:
        return _respond(earlier, replayed=True)
    try:
        reply = _answer(services, site, body, html=request.query_params.get("format", "").upper() == "HTML")
    except (Unavailable, QueueFull) as exc:  # an outage is never kept as the answer to this body
        cache.release(site, digest)
        retry = exc.retry_after if isinstance(exc, QueueFull) else 5
        error = error_body(request.url.path, 503, exc.code, exc.message)
        return JSONResponse(error, status_code=503, headers={"Retry-After": str(retry)})
    except BaseException:
        cache.release(site, digest)
        raise
    cache.store(site, digest, reply)
    return _respond(reply)


@router.post(
    "/v1/coral/sites/{site}/phase",
    summary="Coral Talk external moderation phase (signed with X-Coral-Signature)",
    response_model=CoralReply,
    response_model_exclude_none=True,
    responses={204: {"description": "approve: continue Coral's pipeline (empty body)"}},
)
async def external_phase(
    site: str,
    request: Request,
    services: ServicesDep,
    x_coral_signature: Annotated[str | None, Header()] = None,
) -> Response:
    body = await request.body()
    return await run_in_threadpool(_handle, services, request, site, body, x_coral_signature)

"""One Perspective call from key to answer, the same for a request of its own and for a part of a batch.

For each call: the API key (``?key=``, ``X-API-Key`` or Bearer; checked BEFORE the body, as Google does, so a
key probe with an empty body learns about the key), the client role, the per-key quota, ``alt`` (json only)
and the ``fields`` mask (``?fields=`` or ``X-Goog-FieldMask``), then the body. Every ``comments:analyze``
call of a batch that passed those checks is scored in ONE forward pass (``Moderation.moderate_many``); a
domain error there is isolated by scoring those calls one by one. Each call gets its own answer: the JSON,
masked, or Google's error.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from api.auth import presented_key, require, resolve_principal
from api.perspective import languages as lang
from api.perspective.analyze import MAX_TEXT_BYTES, AnalyzeRequest, analyze_response, parse_analyze
from api.perspective.errors import PerspectiveError, from_moderation_error, invalid
from api.perspective.fields import Mask, apply_mask, check_mask, parse_mask
from api.perspective.proto_json import parse_body
from api.perspective.quota import Quota
from api.perspective.schemas import RESPONSES
from api.perspective.suggest import Suggestion, parse_suggest, suggest_response
from moderation.domain import Article, CommentRequest, DecisionSource, Role, Scores
from moderation.errors import ModerationError
from moderation.review.labels import save_suggestion
from moderation.scopes import ALL_SITES, SiteScope
from moderation.services import Services
from moderation.store.db import transaction

SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")  # api.schemas.Site: else the default site
LANGUAGE_HEADER = "X-Moderation-Language-Support"
# a comment over the model's budget (``models.outputs.MAX_WINDOWS``) is scored on its head and tail only: how
# many of its tokens were not read (Google's answer has no field for it)
UNREAD_HEADER = "X-Moderation-Unread-Tokens"


@dataclass(frozen=True)
class Call:
    """``method`` is ``analyze`` or ``suggestscore``; ``request`` carries the key, query and headers."""

    method: str
    request: Request
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Ready:
    index: int
    method: str
    mask: Mask | None
    actor: str
    scope: SiteScope = ALL_SITES
    analyze: AnalyzeRequest | None = None
    suggestion: Suggestion | None = None


def error_answer(error: PerspectiveError) -> Answer:
    return Answer(error.http_code, error.to_dict(), error.headers)


def _translate(exc: ModerationError, request: Request) -> PerspectiveError:
    return from_moderation_error(exc, had_credentials=presented_key(request) is not None)


def quota_for(services: Services, request: Request) -> Quota:
    """One quota counter per app (Redis-backed when the service has Redis)."""
    quota: Quota | None = getattr(request.app.state, "perspective_quota", None)
    if quota is None:
        settings = services.settings
        quota = Quota(
            limit=settings.perspective_quota,
            window_s=settings.perspective_quota_window_s,
            redis=services.redis,
            keys=services.keys,
        )
        request.app.state.perspective_quota = quota
    return quota


def output_mask(request: Request, method: str) -> Mask | None:
    """The ``fields`` mask of this call (checked against the response message), or None for everything."""
    alt = request.query_params.get("alt")
    if alt not in (None, "json"):
        raise invalid(f"Invalid value for alt: {alt!r}. This server answers alt=json only.")
    spec = request.query_params.get("fields") or request.headers.get("x-goog-fieldmask")
    if not spec:
        return None
    mask = parse_mask(spec)
    check_mask(mask, RESPONSES[method], spec)
    return mask


def _prepare(services: Services, call: Call, index: int, table: Callable[[], lang.LanguageTable]) -> _Ready:
    with services.sessions() as session:
        principal = resolve_principal(call.request, session)
    caller = require(principal, Role.CLIENT)
    quota_for(services, call.request).check(str(caller.key_id) if caller.key_id is not None else caller.name)
    mask = output_mask(call.request, call.method)
    doc = parse_body(call.body)
    ready = _Ready(index, call.method, mask, actor=f"perspective:{caller.name}", scope=caller.scope)
    if call.method == "suggestscore":
        ready.suggestion = parse_suggest(doc, detector=services.pipeline.detector)
    else:
        settings = services.settings
        ready.analyze = parse_analyze(
            doc,
            table=table(),
            score_unsupported_languages=settings.perspective_unsupported_languages == "score",
            detector=services.pipeline.detector,
        )
    return ready


def comment_request(analyze: AnalyzeRequest, *, default_site: str) -> CommentRequest:
    """What the moderation use case scores: the article from ``articleId`` or the context's text (when an
    attribute needs one), the parent comment when there is an article. ``communityId`` is the site when it
    is a valid site name (Perspective allows anything there)."""
    community = analyze.community_id
    site = community if community and SITE_NAME.match(community) else default_site
    article = None
    if analyze.needs_article and analyze.article_id is None and analyze.article_text:
        digest = hashlib.sha256(analyze.article_text.encode("utf-8")).hexdigest()[:32]
        article = Article(id=f"context:{digest}", title="", body=analyze.article_text, site=site)
    return CommentRequest(
        text=analyze.text,
        site=site,
        article_id=analyze.article_id,
        article=article,
        do_not_store=analyze.do_not_store,
        parent_text=analyze.parent_comment if analyze.needs_article else None,
        author_id=analyze.author_id,
    )


def _score(services: Services, ready: list[_Ready]) -> dict[int, Scores | PerspectiveError]:
    """Scores per call index: one forward pass for all; on a domain error, one call at a time."""
    if not ready:
        return {}
    moderation, default_site = services.moderation, services.settings.default_site
    requests = [
        comment_request(r.analyze, default_site=r.scope.sole_site or default_site) for r in ready if r.analyze
    ]
    scopes = [r.scope for r in ready if r.analyze]
    try:
        results = moderation.moderate_many(
            requests, source=DecisionSource.PERSPECTIVE, text_limit=MAX_TEXT_BYTES, scopes=scopes
        )
        return {r.index: res.decision.scores for r, res in zip(ready, results, strict=True)}
    except ModerationError:
        if len(ready) == 1:
            raise
    out: dict[int, Scores | PerspectiveError] = {}
    for r, request in zip(ready, requests, strict=True):
        try:
            one = moderation.moderate(
                request, source=DecisionSource.PERSPECTIVE, text_limit=MAX_TEXT_BYTES, scope=r.scope
            )
            out[r.index] = one.decision.scores
        except ModerationError as exc:
            out[r.index] = from_moderation_error(exc)
    return out


def _respond(ready: _Ready, doc: dict[str, Any], scores: Scores | None = None) -> Answer:
    body = RESPONSES[ready.method].model_validate(doc).to_json()
    headers = {}
    if ready.analyze is not None and ready.analyze.language_support:
        headers[LANGUAGE_HEADER] = ", ".join(f"{k}={v}" for k, v in ready.analyze.language_support.items())
    if scores is not None and scores.unread_tokens:
        headers[UNREAD_HEADER] = str(scores.unread_tokens)
    return Answer(200, apply_mask(body, ready.mask, RESPONSES[ready.method]), headers)


def answer_calls(services: Services, calls: list[Call]) -> list[Answer]:
    """One answer per call, in order (blocking: run it in a thread)."""
    answers: dict[int, Answer] = {}
    ready: list[_Ready] = []
    tables: list[lang.LanguageTable] = []

    def table() -> lang.LanguageTable:
        if not tables:
            tables.append(services.pipeline.languages())
        return tables[0]

    for index, call in enumerate(calls):
        try:
            ready.append(_prepare(services, call, index, table))
        except PerspectiveError as exc:
            answers[index] = error_answer(exc)
        except ModerationError as exc:
            answers[index] = error_answer(_translate(exc, call.request))
    to_score = [r for r in ready if r.analyze is not None and r.analyze.attributes]
    try:
        scored = _score(services, to_score)
    except ModerationError as exc:
        scored = {r.index: _translate(exc, calls[r.index].request) for r in to_score}
    for r in ready:
        try:
            if r.suggestion is not None:
                with transaction(services.sessions) as session:
                    save_suggestion(
                        session=session, text=r.suggestion.text, label=r.suggestion.label(), actor=r.actor
                    )
                answers[r.index] = _respond(r, suggest_response(r.suggestion))
                continue
            assert r.analyze is not None
            result = scored.get(r.index)
            if isinstance(result, PerspectiveError):
                raise result
            answers[r.index] = _respond(r, analyze_response(r.analyze, result), result)
        except PerspectiveError as exc:
            answers[r.index] = error_answer(exc)
        except ModerationError as exc:
            answers[r.index] = error_answer(_translate(exc, calls[r.index].request))
    return [answers[i] for i in range(len(calls))]

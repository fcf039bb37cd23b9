"""POST /v1/moderate: what a comment form calls before saving a comment."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter

from api.deps import ClientDep, ModerationDep
from api.schemas import ModerateIn, ModerationOut
from moderation.domain import DecisionSource

router = APIRouter(tags=["moderation"])


@router.post("/v1/moderate", summary="Moderate one comment synchronously")
def moderate(body: ModerateIn, moderation: ModerationDep, principal: ClientDep) -> ModerationOut:
    """Score the comment (length, civility, on-topic, stance, sentiment), decide under the site's policy and,
    unless ``do_not_store``, store the comment, its scores and the decision. The same ``comment_id`` twice
    updates one comment and appends to its history."""
    req = body.to_domain()
    if not req.site and principal.scope.sole_site:  # a single-site key's requests are about its site
        req = replace(req, site=principal.scope.sole_site)
    result = moderation.moderate(req, source=DecisionSource.SYNC, scope=principal.scope)
    return ModerationOut.model_validate(result.to_dict())

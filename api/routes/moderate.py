"""POST /v1/moderate: what a comment form calls before saving a comment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ClientDep, ServicesDep
from api.schemas import ModerateIn
from moderation.domain import DecisionSource

router = APIRouter(tags=["moderation"])


@router.post("/v1/moderate", summary="Moderate one comment synchronously")
def moderate(body: ModerateIn, services: ServicesDep, principal: ClientDep) -> dict[str, Any]:
    """Score the comment (length, civility, on-topic, stance, sentiment), decide under the site's policy and,
    unless ``do_not_store``, store the comment, its scores and the decision. The same ``comment_id`` twice
    updates one comment and appends to its history."""
    result = services.moderation.moderate(body.to_domain(), source=DecisionSource.SYNC)
    return result.to_dict()

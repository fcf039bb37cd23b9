"""Site policies and per-article overrides (admin): GET/PUT, every PUT is a new version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from api.deps import AdminDep, ServicesDep, SessionDep
from api.schemas import ID_PATTERN, PolicyDocumentOut, PolicyOut
from moderation.policy import Policy, with_words
from moderation.store import repo

router = APIRouter(tags=["policies"])
SitePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
ArticlePath = Annotated[str, Path(pattern=ID_PATTERN)]
Document = Annotated[
    dict[str, Any], Body(description="thresholds, actions, min_chars, max_chars (any subset)")
]


def _out(policy: Policy, *, site: str, article_id: str | None) -> PolicyOut:
    document = PolicyDocumentOut.model_validate(policy.to_document())
    return PolicyOut(site=site, article_id=article_id, version=policy.version, policy=document)


@router.get("/v1/sites/{site}/policy", summary="The site's effective policy")
def get_policy(site: SitePath, services: ServicesDep, session: SessionDep, principal: AdminDep) -> PolicyOut:
    principal.scope.require(site)
    principal.scope.require(site)
    policy = services.moderation.policy_for(session, site=site, article_id=None)
    return _out(policy, site=site, article_id=None)


@router.put("/v1/sites/{site}/policy", summary="Store a new version of the site's policy")
def put_policy(
    site: SitePath, document: Document, services: ServicesDep, session: SessionDep, principal: AdminDep
) -> PolicyOut:
    principal.scope.require(site)
    Policy.from_document(document)  # refuse before storing; the message names the bad field
    repo.save_policy(
        session=session, site=site, article_id=None, document=document, created_by=f"admin:{principal.name}"
    )
    session.commit()
    return _out(
        services.moderation.policy_for(session, site=site, article_id=None), site=site, article_id=None
    )


@router.get("/v1/sites/{site}/articles/{article_id}/policy", summary="The policy in force for one article")
def get_article_policy(
    site: SitePath, article_id: ArticlePath, services: ServicesDep, session: SessionDep, principal: AdminDep
) -> PolicyOut:
    principal.scope.require(site)
    policy = services.moderation.policy_for(session, site=site, article_id=article_id)
    return _out(policy, site=site, article_id=article_id)


@router.put(
    "/v1/sites/{site}/articles/{article_id}/policy", summary="Override the site policy for one article"
)
def put_article_policy(
    site: SitePath,
    article_id: ArticlePath,
    document: Document,
    services: ServicesDep,
    session: SessionDep,
    principal: AdminDep,
) -> PolicyOut:
    base = services.moderation.policy_for(session, site=site, article_id=None)
    Policy.from_document(document, base=base)
    repo.save_policy(
        session=session,
        site=site,
        article_id=article_id,
        document=document,
        created_by=f"admin:{principal.name}",
    )
    session.commit()
    policy = services.moderation.policy_for(session, site=site, article_id=article_id)
    return _out(policy, site=site, article_id=article_id)


WordsDocument = Annotated[
    dict[str, Any], Body(description="banned, suspect, allow: lists of words or phrases (any subset)")
]


@router.put("/v1/sites/{site}/words", summary="Replace the site's word lists (a new policy version)")
def put_words(
    site: SitePath, words: WordsDocument, services: ServicesDep, session: SessionDep, principal: AdminDep
) -> PolicyOut:
    """The site's stored policy with ``words`` replaced (the lists given; the others kept): validated, then
    stored as the next version, so every decision still names the lists that judged it."""
    principal.scope.require(site)
    row = repo.get_policy_row(session=session, site=site)
    document = with_words(row.document if row else None, words)
    Policy.from_document(document)
    repo.save_policy(
        session=session, site=site, article_id=None, document=document, created_by=f"admin:{principal.name}"
    )
    session.commit()
    return _out(
        services.moderation.policy_for(session, site=site, article_id=None), site=site, article_id=None
    )

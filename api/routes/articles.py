"""PUT/GET /v1/articles/{article_id}: register an article (its encoding is computed once and cached)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ClientDep, ServicesDep, SessionDep
from api.schemas import ID_PATTERN, ArticleIn, ArticleOut
from moderation.errors import NotFound
from moderation.store import repo
from moderation.store.tables import ArticleRow

router = APIRouter(tags=["articles"])
ArticleId = Annotated[str, Path(pattern=ID_PATTERN, description="your id for the article")]


def _out(row: ArticleRow, encoder_version: str | None) -> ArticleOut:
    return ArticleOut(
        id=row.id,
        site=row.site,
        title=row.title,
        body=row.body,
        summary=row.summary,
        key_points=list(row.key_points or []),
        url=row.url,
        language=row.language,
        content_hash=row.content_hash,
        encoder_version=encoder_version,
    )


@router.put("/v1/articles/{article_id}", summary="Register or update an article")
def put_article(
    article_id: ArticleId, body: ArticleIn, services: ServicesDep, session: SessionDep, principal: ClientDep
) -> ArticleOut:
    default_site = principal.scope.sole_site or services.settings.default_site
    article = body.to_domain(article_id, default_site=default_site)
    owner = repo.article_site(session=session, article_id=article_id)
    principal.scope.require_owner(owner, f"article id '{article_id}'", "article_id")
    principal.scope.require(article.site)
    row, _changed = repo.upsert_article(session=session, article=article)
    session.commit()
    services.pipeline.encode_article(article)  # cached per text: unchanged articles are not re-encoded
    return _out(row, services.pipeline.model_version)


@router.get("/v1/articles/{article_id}", summary="Get an article back")
def get_article(
    article_id: ArticleId, services: ServicesDep, session: SessionDep, principal: ClientDep
) -> ArticleOut:
    row = repo.get_article_row(session=session, article_id=article_id)
    if row is None or not principal.scope.allows(row.site):
        raise NotFound(f"unknown article '{article_id}'", field="article_id")
    version = services.pipeline.model_version if services.pipeline.loaded else None
    return _out(row, version)

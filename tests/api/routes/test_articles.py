"""Point 2: register articles; the encoding is computed once, cached in store and memory, redone on change."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from moderation.classifiers.articles import ArticleEncodings
from moderation.domain import Article
from moderation.services import Services
from moderation.store.tables import ArticleEncoding

ARTICLE = {
    "title": "Venezuela seeks talks with US as embassy review begins",
    "body": "The Venezuelan government said it wants exploratory talks with Washington to restore missions.",
    "summary": "Venezuela proposes talks; US staff assess the embassy in Caracas.",
    "key_points": ["Venezuela proposes talks", "US assesses embassy reopening"],
    "url": "https://example.com/venezuela",
    "language": "en",
    "site": "news",
}


def encodings(services: Services) -> list[ArticleEncoding]:
    with services.sessions() as session:
        return list(session.scalars(select(ArticleEncoding)))


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_put_get_and_encoding_cache(client: Any, auth: Any, services: Services) -> None:
    put = client.put("/v1/articles/venezuela-1", json=ARTICLE, headers=auth())
    assert put.status_code == 200, put.text
    got = client.get("/v1/articles/venezuela-1", headers=auth())
    assert got.status_code == 200
    body = got.json()
    assert {k: body[k] for k in ARTICLE} == ARTICLE
    assert body["encoder_version"] == services.pipeline.model_version

    assert services.pipeline.articles.computed == 1
    [stored] = encodings(services)
    assert stored.content_hash == body["content_hash"]

    client.put("/v1/articles/venezuela-1", json=ARTICLE, headers=auth())  # same text: not encoded again
    assert services.pipeline.articles.computed == 1
    changed = client.put(
        "/v1/articles/venezuela-1", json=ARTICLE | {"body": "A different text."}, headers=auth()
    )
    assert changed.json()["content_hash"] != body["content_hash"]
    assert services.pipeline.articles.computed == 2
    [replaced] = encodings(services)  # one row per (article, encoder version), now for the new text
    assert replaced.content_hash == changed.json()["content_hash"]

    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ArticleEncoding)) == 1


def test_a_new_process_reads_the_stored_encoding(client: Any, auth: Any, services: Services) -> None:
    client.put("/v1/articles/a-2", json=ARTICLE, headers=auth())
    article = Article(
        id="a-2",
        title=str(ARTICLE["title"]),
        body=str(ARTICLE["body"]),
        site="news",
        summary=str(ARTICLE["summary"]),
        key_points=tuple(ARTICLE["key_points"]),
        url=str(ARTICLE["url"]),
        language="en",
    )
    fresh = ArticleEncodings(sessions=services.sessions)  # empty memory, like a restarted process
    [vector] = fresh.vectors(services.pipeline.runtime, [article])
    assert fresh.computed == 0
    expected = services.pipeline.runtime.encode_articles([article.model_text])[0]
    # the store keeps the float32 numbers flat; the runtime reads them back as [1 + windows, H] rows
    assert vector is not None and np.allclose(np.reshape(vector, expected.shape), expected, atol=1e-5)


def test_unknown_article_is_404_and_ids_are_checked(client: Any, auth: Any) -> None:
    missing = client.get("/v1/articles/nope", headers=auth())
    assert missing.status_code == 404 and "nope" in missing.json()["error"]["message"]
    bad_id = client.put("/v1/articles/bad%20id", json=ARTICLE, headers=auth())
    assert bad_id.status_code == 422 and bad_id.json()["error"]["field"] == "article_id"
    no_title = client.put("/v1/articles/x", json={"body": "b"}, headers=auth())
    assert no_title.status_code == 422 and no_title.json()["error"]["field"] == "title"

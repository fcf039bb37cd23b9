"""Ids name URL path segments (``/v1/comments/{id}``, ``/v1/articles/{id}``, the moderator UI's links): an id
with ``/`` was accepted, then could never be addressed (404), and a link built from it (``a/../../../logout``)
pointed at another same-origin path. ``/``, ``?``, ``#``, ``%`` and ``\\`` are refused at input with a 422
naming the field. Refused before any scoring, so the app runs without the model; real SQLite and Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.services import Services
from moderation.store.db import transaction

BAD = ["a/../../../logout", "a?b", "a#b", "a%2Fb", "a\\b"]


@pytest.fixture
def client(light: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=light)) as c:
        yield c


@pytest.fixture
def headers(light: Services) -> dict[str, str]:
    with transaction(light.sessions) as session:
        key = create_key(session=session, name="root", role=Role.ADMIN, all_sites=True)[1]
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("field", ["comment_id", "article_id", "parent_id", "author_id"])
def test_path_significant_characters_in_ids_are_refused(
    client: TestClient, headers: dict[str, str], field: str, bad: str
) -> None:
    body = {"text": "A perfectly ordinary comment about the bike lanes.", field: bad}
    for path in ("/v1/moderate", "/v1/comments"):
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 422, (path, answer.text)
        error = answer.json()["error"]
        assert error["field"] == field, error
        if "/" in bad:
            assert "must not contain '/'" in error["message"] and "URL paths" in error["message"]


def test_article_ids_with_a_slash_are_refused_and_plain_ones_still_work(
    client: TestClient, headers: dict[str, str]
) -> None:
    article = {"title": "Bike lanes", "body": "The council approved protected bike lanes."}
    inline = {"text": "A comment long enough to be scored.", "article": {**article, "id": "x/y"}}
    assert client.post("/v1/moderate", json=inline, headers=headers).status_code == 422
    ok = client.put("/v1/articles/news-2026.07:a@b_c-d", json=article, headers=headers)
    assert ok.status_code == 200, ok.text
    got = client.get("/v1/articles/news-2026.07:a@b_c-d", headers=headers)
    assert got.status_code == 200 and got.json()["id"] == "news-2026.07:a@b_c-d"
    assert client.get("/v1/sites/default/authors/u%3F1", headers=headers).status_code == 422


def test_perspective_author_id_is_checked_and_its_other_fields_are_not(
    client: TestClient, headers: dict[str, str]
) -> None:
    """``authorId`` (this server's extension) is an id; ``clientToken`` and ``sessionId`` are Google's opaque
    strings, not ids, and keep accepting anything."""
    key = headers["Authorization"].removeprefix("Bearer ")
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}, "authorId": "u/1"}
    refused = client.post(f"/v1alpha1/comments:analyze?key={key}", json=body)
    assert refused.status_code == 400 and "'author_id'" in refused.text, refused.text
    from api.perspective.schemas import AnalyzeCommentRequest

    parsed = AnalyzeCommentRequest.model_validate(
        {**body, "authorId": "u-1", "clientToken": "a/b?c#d%e\\f", "sessionId": "s/1?x"}
    )
    assert parsed.client_token == "a/b?c#d%e\\f" and parsed.session_id == "s/1?x"

"""Issue 13 item 3: a key scoped to site A cannot read, write, review, rescore or follow site B's things.

Everything here is refused before any scoring, so the app runs without loading the model (the pipeline is
lazy); real SQLite and PostgreSQL, real Redis.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import review_seed as seed
from fastapi.testclient import TestClient

from api.main import create_app
from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.services import Services
from moderation.store.db import transaction

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def keys(light: Services) -> dict[str, str]:
    out = {}
    with transaction(light.sessions) as s:
        for name, role, sites in (
            ("a-client", Role.CLIENT, ["a"]),
            ("b-client", Role.CLIENT, ["b"]),
            ("a-mod", Role.MODERATOR, ["a"]),
            ("b-mod", Role.MODERATOR, ["b"]),
            ("b-admin", Role.ADMIN, ["b"]),
        ):
            out[name] = create_key(session=s, name=name, role=role, sites=sites)[1]
        out["root"] = create_key(session=s, name="root", role=Role.ADMIN, all_sites=True)[1]
        seed.article(s, "art-a", site="a")
        seed.comment(s, "c-a", "a comment of site a", article_id="art-a", site="a")
    return out


@pytest.fixture
def client(light: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=light)) as c:
        yield c


def h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@BOTH
def test_reads_of_another_site_are_not_found(client: TestClient, keys: dict[str, str]) -> None:
    assert client.get("/v1/articles/art-a", headers=h(keys["a-client"])).status_code == 200
    assert client.get("/v1/comments/c-a", headers=h(keys["a-client"])).status_code == 200
    for path in ("/v1/articles/art-a", "/v1/comments/c-a"):
        answer = client.get(path, headers=h(keys["b-client"]))
        assert answer.status_code == 404, (path, answer.text)
    assert client.get("/v1/comments/c-a/history", headers=h(keys["b-mod"])).status_code == 404
    assert client.get("/v1/comments/c-a/history", headers=h(keys["a-mod"])).status_code == 200


@BOTH
def test_writes_to_another_site_are_refused(client: TestClient, keys: dict[str, str]) -> None:
    b = h(keys["b-client"])
    article = {"title": "Hijacked", "body": "New body."}
    assert client.put("/v1/articles/art-a", json=article, headers=b).status_code == 409  # id of site a
    assert client.put("/v1/articles/art-b", json=article | {"site": "a"}, headers=b).status_code == 403
    mine = client.put("/v1/articles/art-b", json=article, headers=b)  # no site named: the key's only site
    assert mine.status_code == 200 and mine.json()["site"] == "b"
    text = "An abusive rewrite of somebody else's comment."
    for body, status in (
        ({"text": text, "comment_id": "c-a"}, 409),  # rewrite a's comment
        ({"text": text, "comment_id": "c-a", "site": "b"}, 409),  # ... or move it to b
        ({"text": text, "site": "a"}, 403),  # write into site a
        ({"text": text, "article_id": "art-a"}, 404),  # comment on a's article
    ):
        for path in ("/v1/moderate", "/v1/comments"):
            answer = client.post(path, json=body, headers=b)
            assert answer.status_code == status, (path, body, answer.text)
    row = client.get("/v1/comments/c-a", headers=h(keys["a-client"])).json()
    assert row["site"] == "a" and "abusive" not in json.dumps(row)


def test_an_all_sites_key_cannot_put_a_comment_on_another_sites_article(
    client: TestClient, keys: dict[str, str]
) -> None:
    root = h(keys["root"])
    text = "Ok."  # the article's own site would judge it under its own policy
    for path in ("/v1/moderate", "/v1/comments"):
        answer = client.post(path, json={"text": text, "article_id": "art-a", "site": "b"}, headers=root)
        assert answer.status_code == 404, (path, answer.text)
        assert "site 'b'" in answer.text
    same = client.post(
        "/v1/moderate", json={"text": text, "article_id": "art-a", "do_not_store": True}, headers=root
    )
    assert same.status_code == 200 and same.json()["scores"]["on_topic"] is not None


@BOTH
def test_review_queue_and_decisions_stay_on_the_site(
    client: TestClient, keys: dict[str, str], light: Services
) -> None:
    theirs = client.get("/v1/review", headers=h(keys["b-mod"])).json()
    assert theirs["total"] == 0 and theirs["items"] == []
    ours = client.get("/v1/review", headers=h(keys["a-mod"])).json()
    assert [i["id"] for i in ours["items"]] == ["c-a"]
    decision = {"action": "approve"}
    b = h(keys["b-mod"])
    assert client.post("/v1/review/c-a/claim", headers=b).status_code == 404
    assert client.post("/v1/review/c-a/decision", json=decision, headers=b).status_code == 404
    assert client.post("/v1/review/bulk", json={"ids": ["c-a"], **decision}, headers=b).status_code == 404
    with transaction(light.sessions) as s:
        seed.article(s, "art-b", site="b")
        seed.comment(s, "c-b", "a comment of site b", article_id="art-b", site="b")
    bulk = client.post("/v1/review/bulk", json={"ids": ["c-a", "c-b"], **decision}, headers=b).json()
    assert [d["comment_id"] for d in bulk["decided"]] == ["c-b"]
    assert [r["comment_id"] for r in bulk["refused"]] == ["c-a"]
    assert client.get("/v1/comments/c-a", headers=h(keys["a-client"])).json()["decision"] == "review"


def test_site_admins_stay_on_their_site(client: TestClient, keys: dict[str, str]) -> None:
    b = h(keys["b-admin"])
    assert client.get("/v1/sites/a/policy", headers=b).status_code == 403
    assert client.put("/v1/sites/a/policy", json={"min_chars": 500}, headers=b).status_code == 403
    assert client.get("/v1/sites/b/policy", headers=b).status_code == 200
    assert client.post("/v1/rescore-jobs", json={"policy_only": True}, headers=b).status_code == 422
    job = client.post("/v1/rescore-jobs", json={"site": "a", "policy_only": True}, headers=b)
    assert job.status_code == 403
    assert (
        client.post("/v1/keys", json={"name": "x", "role": "admin", "all_sites": True}, headers=b).status_code
        == 403
    )
    assert client.get("/v1/keys", headers=b).status_code == 403
    assert client.get("/v1/queue/dead-letters", headers=b).status_code == 403
    root = h(keys["root"])
    assert client.get("/v1/sites/a/policy", headers=root).status_code == 200


def test_keys_are_created_with_a_scope(client: TestClient, keys: dict[str, str]) -> None:
    root = h(keys["root"])
    neither = client.post("/v1/keys", json={"name": "x", "role": "client"}, headers=root)
    assert neither.status_code == 422 and neither.json()["error"]["field"] == "sites"
    both = client.post(
        "/v1/keys", json={"name": "x", "role": "client", "sites": ["a"], "all_sites": True}, headers=root
    )
    assert both.status_code == 422
    bad = client.post("/v1/keys", json={"name": "x", "role": "client", "sites": ["../x"]}, headers=root)
    assert bad.status_code == 422
    made = client.post("/v1/keys", json={"name": "x", "role": "client", "sites": ["b", "a"]}, headers=root)
    assert made.status_code == 201, made.text
    out: dict[str, Any] = made.json()
    assert out["sites"] == ["a", "b"] and out["all_sites"] is False and out["kind"] == "secret"
    listed = {k["name"]: k for k in client.get("/v1/keys", headers=root).json()}
    assert listed["root"]["all_sites"] is True and listed["a-client"]["sites"] == ["a"]


def test_the_decisions_feed_shows_only_the_keys_sites(client: TestClient, keys: dict[str, str]) -> None:
    answer = client.get("/v1/decisions/stream", params={"site": "a"}, headers=h(keys["b-client"]))
    assert answer.status_code == 403


def test_perspective_calls_stay_on_the_keys_site(client: TestClient, keys: dict[str, str]) -> None:
    """communityId is the site: another site's is refused, and so is another site's article."""
    url = "/v1alpha1/comments:analyze"
    body: dict[str, Any] = {"comment": {"text": "A calm remark."}, "requestedAttributes": {"TOXICITY": {}}}
    other = client.post(url, params={"key": keys["b-client"]}, json=body | {"communityId": "a"})
    assert other.status_code == 403, other.text
    theirs = client.post(url, params={"key": keys["b-client"]}, json=body | {"articleId": "art-a"})
    assert theirs.status_code == 404, theirs.text


def test_the_decisions_feed_filters_events_by_the_keys_sites(light: Services) -> None:
    """The feed generator on the real Redis stream: a key for site a never receives site b's events."""
    import asyncio

    from api.routes.decisions import _feed
    from moderation.queue.events import publish_decisions
    from moderation.scopes import SiteScope

    assert light.redis is not None
    publish_decisions(
        light.redis,
        light.keys,
        [{"comment_id": "x-b", "site": "b", "decision": "approve"}, {"comment_id": "x-a", "site": "a"}],
    )

    class Connected:  # the HTTP side of the stream: always connected, we stop reading ourselves
        async def is_disconnected(self) -> bool:
            return False

    async def first_events() -> list[str]:
        feed = _feed(Connected(), light.redis, light.keys, "0-0", None, None, SiteScope.of(["a"]))  # type: ignore[arg-type]
        frames = [await anext(feed), await anext(feed)]
        await feed.aclose()
        return [f.decode() for f in frames]

    connected, event = asyncio.run(first_events())
    assert connected.startswith(": connected")
    assert '"x-a"' in event and '"x-b"' not in event


def test_people_words_reports_and_widget_keys_of_another_site_are_refused(
    client: TestClient, keys: dict[str, str]
) -> None:
    """The newsroom's and the widget's routes (issues 15, 16) honour the key's sites like the rest."""
    note = {"note": "regular, usually civil"}
    assert (
        client.post("/v1/sites/a/authors/u-1/notes", json=note, headers=h(keys["a-mod"])).status_code == 201
    )
    assert (
        client.post("/v1/sites/a/authors/u-1/notes", json=note, headers=h(keys["b-mod"])).status_code == 403
    )
    assert client.get("/v1/sites/a/authors/u-1", headers=h(keys["b-mod"])).status_code == 403
    ban = {"action": "ban", "reason": "spam"}
    assert (
        client.post("/v1/sites/a/authors/u-1/actions", json=ban, headers=h(keys["b-mod"])).status_code == 403
    )
    words = {"banned": ["idiot"]}
    assert client.put("/v1/sites/a/words", json=words, headers=h(keys["b-admin"])).status_code == 403
    report = {"reader_id": "r-1", "reason": "abusive"}
    assert (
        client.post("/v1/comments/c-a/reports", json=report, headers=h(keys["b-client"])).status_code == 404
    )
    assert (
        client.post("/v1/comments/c-a/reports", json=report, headers=h(keys["a-client"])).status_code == 201
    )
    widget = {"name": "form", "site": "a", "origins": ["https://a.example"]}
    assert client.post("/v1/widget-keys", json=widget, headers=h(keys["b-admin"])).status_code == 403
    made = client.post("/v1/widget-keys", json=widget, headers=h(keys["root"]))
    assert made.status_code == 201, made.text
    listed = client.get("/v1/widget-keys", headers=h(keys["b-admin"])).json()["keys"]
    assert all(k["site"] != "a" for k in listed)
    assert (
        client.delete(f"/v1/widget-keys/{made.json()['id']}", headers=h(keys["b-admin"])).status_code == 404
    )


@BOTH
def test_undo_never_reaches_another_sites_decision(
    client: TestClient, keys: dict[str, str], light: Services
) -> None:
    """Undo found "your last decision" by the key's NAME, which keys need not make unique: a moderator of
    site b whose key was also named "alice" undid alice-of-site-a's rejection on site a."""
    with transaction(light.sessions) as s:
        alice_a = create_key(session=s, name="alice", role=Role.MODERATOR, sites=["a"])[1]
        alice_b = create_key(session=s, name="alice", role=Role.MODERATOR, sites=["b"])[1]
    decided = client.post(
        "/v1/review/c-a/decision", json={"action": "reject", "reason": "abusive"}, headers=h(alice_a)
    )
    assert decided.status_code == 200, decided.text
    refused = client.post("/v1/review/undo", headers=h(alice_b))
    assert refused.status_code == 404, refused.text
    assert client.get("/v1/comments/c-a", headers=h(keys["a-client"])).json()["decision"] == "reject"
    assert client.post("/v1/review/undo", headers=h(alice_a)).status_code == 200


@BOTH
def test_naming_another_site_in_a_list_filter_is_refused(client: TestClient, keys: dict[str, str]) -> None:
    """``?site=`` of a site the key may not use answered 200 with an empty list (widget keys, review queue)
    instead of the 403 every other route gives; the key's own site and no filter still list."""
    for path, key in (("/v1/widget-keys", "b-admin"), ("/v1/review", "b-mod")):
        refused = client.get(path, params={"site": "a"}, headers=h(keys[key]))
        assert refused.status_code == 403, (path, refused.text)
        error = refused.json()["error"]
        assert error["code"] == "forbidden" and error["field"] == "site" and "'a'" in error["message"]
        assert client.get(path, params={"site": "b"}, headers=h(keys[key])).status_code == 200
        assert client.get(path, headers=h(keys[key])).status_code == 200
    assert client.get("/v1/review", params={"site": "a"}, headers=h(keys["root"])).status_code == 200
    assert client.get("/v1/widget-keys", params={"site": "a"}, headers=h(keys["root"])).status_code == 200

"""Review JSON API via the real app: roles, claims and conflicts, bulk, undo, history, sessions, CSRF."""

from __future__ import annotations

import re

import pytest
import review_seed as seed
from fastapi.testclient import TestClient

from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.queue.events import latest_id, read_decisions
from moderation.queue.keys import RedisKeys
from moderation.services import Services
from moderation.store.db import transaction


@pytest.fixture
def queue(services: Services) -> list[str]:
    with transaction(services.sessions) as s:
        seed.article(s)
        for i, tox in enumerate((0.9, 0.8, 0.7, 0.6)):
            seed.comment(s, f"q{i}", f"flagged comment {i}", toxicity=tox)
    return ["q0", "q1", "q2", "q3"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def second_moderator(services: Services) -> str:
    with transaction(services.sessions) as s:
        _, plaintext = create_key(session=s, name="bob", role=Role.MODERATOR, all_sites=True)
    return plaintext


def test_roles_are_enforced(client: TestClient, api_keys: dict[str, str], queue: list[str]) -> None:
    assert client.get("/v1/review").status_code == 401
    res = client.get("/v1/review", headers=bearer(api_keys["client"]))
    assert res.status_code == 403 and "moderator" in res.json()["error"]["message"]
    assert client.post("/v1/review/q0/claim", headers=bearer(api_keys["client"])).status_code == 403
    assert client.get("/v1/comments/q0/history", headers=bearer(api_keys["client"])).status_code == 403
    for role in ("moderator", "admin"):
        res = client.get("/v1/review?sort=score", headers=bearer(api_keys[role]))
        assert res.status_code == 200
        assert [i["id"] for i in res.json()["items"]] == queue


def test_queue_filters_and_bad_input_are_4xx(
    client: TestClient, api_keys: dict[str, str], queue: list[str]
) -> None:
    h = bearer(api_keys["moderator"])
    body = client.get("/v1/review?min_score=0.75&per_page=1&page=2", headers=h).json()
    assert body["total"] == 2 and [i["id"] for i in body["items"]] == ["q0"]
    item = body["items"][0]
    assert item["reasons"][0]["code"] == "TOXICITY" and item["article_title"].startswith("City council")
    for query, field in (
        ("tab=nope", "tab"),
        ("min_score=2", "min_score"),
        ("per_page=0", "per_page"),
        ("min_score=abc", "min_score"),
    ):
        res = client.get(f"/v1/review?{query}", headers=h)
        assert res.status_code == 422, query
        assert res.json()["error"]["field"] == field
    res = client.post("/v1/review/q0/decision", headers=h, json={"action": "reject", "reason": "rude"})
    assert res.status_code == 422 and "unknown rejection reason" in res.json()["error"]["message"]
    assert client.post("/v1/review/nope/claim", headers=h).status_code == 404


def test_claim_conflict_and_decision(
    client: TestClient, api_keys: dict[str, str], second_moderator: str, queue: list[str], services: Services
) -> None:
    ann, bob = bearer(api_keys["moderator"]), bearer(second_moderator)
    res = client.post("/v1/review/q0/claim", headers=ann)
    assert res.status_code == 200 and res.json()["claimed_by"] == "test-moderator"
    listed = client.get("/v1/review", headers=bob).json()["items"]
    assert next(i for i in listed if i["id"] == "q0")["claimed_by"] == "test-moderator"  # visible to others
    res = client.post("/v1/review/q0/claim", headers=bob)
    assert res.status_code == 409 and "claimed by test-moderator" in res.json()["error"]["message"]
    res = client.post("/v1/review/q0/decision", headers=bob, json={"action": "approve"})
    assert res.status_code == 409
    assert services.redis is not None
    feed_keys = RedisKeys(services.settings.redis_prefix)
    cursor = latest_id(services.redis, feed_keys)
    res = client.post(
        "/v1/review/q0/decision",
        headers=ann,
        json={"action": "reject", "reason": "harassment", "note": "targets a reader"},
    )
    assert res.status_code == 200
    assert res.json() == {
        "comment_id": "q0",
        "decision": "reject",
        "previous": "review",
        "decided_by": "moderator:test-moderator",
        "batch": res.json()["batch"],
    }
    _, feed = read_decisions(services.redis, feed_keys, after=cursor, block_ms=500)
    assert [(d["comment_id"], d["decision"], d["decided_by"]) for d in feed] == [
        ("q0", "reject", "moderator:test-moderator")
    ]  # sites following the decisions feed learn the moderator's verdict
    reason = feed[0]["reasons"][0]
    assert (reason["code"], reason["classifier"], reason["action"]) == (
        "MODERATOR_REJECT",
        "moderator",
        "reject",
    )
    assert reason["message"] == "Rejected by a moderator: Harassment / bullying"
    events = client.get("/v1/comments/q0/history", headers=bob).json()["events"]
    assert [e["kind"] for e in events] == ["scored", "decision", "claim", "moderator"]
    assert events[-1]["reason"] == "harassment" and events[-1]["note"] == "targets a reader"
    assert events[1]["model_version"] == seed.MODEL and events[1]["policy_version"] == "news@3"


def test_bulk_then_undo(
    client: TestClient, api_keys: dict[str, str], second_moderator: str, queue: list[str]
) -> None:
    ann, bob = bearer(api_keys["moderator"]), bearer(second_moderator)
    client.post("/v1/review/q3/claim", headers=bob)
    res = client.post("/v1/review/bulk", headers=ann, json={"ids": queue, "action": "approve"})
    body = res.json()
    assert res.status_code == 200
    assert [d["comment_id"] for d in body["decided"]] == ["q0", "q1", "q2"]
    assert body["refused"][0]["comment_id"] == "q3" and "claimed by bob" in body["refused"][0]["message"]
    assert [i["id"] for i in client.get("/v1/review", headers=ann).json()["items"]] == ["q3"]
    restored = client.post("/v1/review/undo", headers=ann).json()["restored"]
    assert sorted(r["comment_id"] for r in restored) == ["q0", "q1", "q2"]
    assert all(r["decision"] == "review" for r in restored)
    doc = client.get("/v1/comments/q0", headers=bearer(api_keys["client"])).json()
    assert doc["decision"] == "review" and doc["decided_by"] == "system"
    assert [r["code"] for r in doc["reasons"]] == ["TOXICITY", "UNDO"]  # the system's reasons are back
    assert len(client.get("/v1/review", headers=ann).json()["items"]) == 4
    res = client.post("/v1/review/undo", headers=ann)
    assert res.status_code == 404 and res.json()["error"]["message"] == "nothing to undo"
    assert (
        client.post("/v1/review/bulk", headers=ann, json={"ids": [], "action": "approve"}).status_code == 422
    )


def sign_in(client: TestClient, key: str) -> str:
    """Sign in through the form; returns the session's CSRF token (embedded in the queue page)."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    res = client.post(
        "/login", data={"key": key, "csrf_token": token.group(1), "next": "/moderate"}, follow_redirects=False
    )
    assert res.status_code == 303 and res.headers["location"] == "/moderate"
    cookie = res.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http here
    page = client.get("/moderate")
    assert page.status_code == 200
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    assert csrf is not None
    return csrf.group(1)


def test_session_cookie_needs_csrf_for_changes(
    client: TestClient, api_keys: dict[str, str], queue: list[str]
) -> None:
    csrf = sign_in(client, api_keys["moderator"])
    assert client.get("/v1/review").status_code == 200  # reads with the cookie alone
    assert (
        client.get("/login", follow_redirects=False).headers["location"] == "/moderate"
    )  # signed in already
    res = client.post("/v1/review/q0/claim")
    assert res.status_code == 403 and "CSRF" in res.json()["error"]["message"]
    res = client.post("/v1/review/q0/claim", headers={"X-CSRF-Token": "forged"})
    assert res.status_code == 403
    res = client.post("/v1/review/q0/claim", headers={"X-CSRF-Token": csrf})
    assert res.status_code == 200 and res.json()["claimed_by"] == "test-moderator"
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    res = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert res.status_code == 303
    assert client.get("/v1/review").status_code == 401
    assert client.get("/moderate", follow_redirects=False).status_code == 303


def test_sign_in_refuses_client_keys_and_forged_forms(client: TestClient, api_keys: dict[str, str]) -> None:
    form = client.get("/login")
    assert form.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    res = client.post("/login", data={"key": api_keys["client"], "csrf_token": token.group(1)})
    assert res.status_code == 403 and "not a moderator key" in res.text
    res = client.post("/login", data={"key": "mk_m_wrong", "csrf_token": token.group(1)})
    assert res.status_code == 401 and "unknown or revoked" in res.text
    client.cookies.clear()
    res = client.post("/login", data={"key": api_keys["moderator"], "csrf_token": token.group(1)})
    assert res.status_code == 403 and "expired" in res.text


def test_session_cookie_is_secure_over_https(app: object, api_keys: dict[str, str]) -> None:
    with TestClient(app, base_url="https://testserver") as https:  # type: ignore[arg-type]
        form = https.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        res = https.post(
            "/login",
            data={"key": api_keys["moderator"], "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert res.status_code == 303
        cookie = res.headers["set-cookie"]
        assert "moderation_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_ui_pages_refuse_strangers_bad_filters_and_foreign_redirects(
    client: TestClient, api_keys: dict[str, str], queue: list[str]
) -> None:
    for path in ("/moderate/rows?ids=q0", "/moderate/events"):
        assert client.get(path).status_code == 401
    res = client.get("/moderate/comments/q0", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/login?next=%2Fmoderate%2Fcomments%2Fq0"
    for target in ("//evil.example", "/\\evil.example", "https://evil.example"):
        client.cookies.clear()  # signed out: /login shows the form again
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        data = {"key": api_keys["moderator"], "csrf_token": token.group(1), "next": target}
        res = client.post("/login", data=data, follow_redirects=False)
        assert res.headers["location"] == "/moderate", target
    res = client.get("/moderate?min=abc")
    assert res.status_code == 422 and "min must be a number" in res.text
    assert client.get("/moderate?tab=nope").status_code == 422
    assert client.get("/moderate/comments/missing").status_code == 404
    rows = client.get("/moderate/rows?ids=q1,q0")
    assert rows.status_code == 200 and rows.text.index('data-id="q1"') < rows.text.index('data-id="q0"')
    js = client.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fsessions.py").status_code == 404

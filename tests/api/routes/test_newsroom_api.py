"""The newsroom rules through the real app, the real model and real SQLite and PostgreSQL: actions on people
(enforced on /v1/moderate, the queue's workers and Coral's phase), trust rules, word lists, links, reader
reports, the author drawer, queue filters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from moderation.services import Services

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
SITE = "news"
PLAIN = "Thanks for laying out the numbers so clearly, I learned a lot from this piece."


def moderate(
    client: TestClient, auth: Any, text: str, cid: str, author: str = "u1", **kw: Any
) -> dict[str, Any]:
    body = {"text": text, "comment_id": cid, "author_id": author, "site": SITE, **kw}
    res = client.post("/v1/moderate", json=body, headers=auth("client"))
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()
    return out


def codes(answer: dict[str, Any]) -> list[str]:
    return [r["code"] for r in answer["reasons"]]


def put_policy(client: TestClient, auth: Any, document: dict[str, Any]) -> None:
    res = client.put(f"/v1/sites/{SITE}/policy", json=document, headers=auth("admin"))
    assert res.status_code == 200, res.text


@BOTH
def test_ban_is_enforced_on_every_path_and_undone(client: TestClient, auth: Any, services: Services) -> None:
    first = moderate(client, auth, PLAIN, "c1")
    assert "USER_BANNED" not in codes(first)
    drawer = client.get(f"/v1/sites/{SITE}/authors/u1", headers=auth("moderator")).json()
    assert drawer["status"] == "NONE" and drawer["total"] == 1 and drawer["comments"][0]["id"] == "c1"

    res = client.post(
        f"/v1/sites/{SITE}/authors/u1/actions",
        json={"action": "ban", "reason": "spam account"},
        headers=auth("moderator"),
    )
    assert res.status_code == 201, res.text
    ban = res.json()
    assert ban["action"] == "ban" and ban["actor"] == "test-moderator"

    banned = moderate(client, auth, PLAIN + " Again.", "c2")
    assert banned["decision"] == "reject" and codes(banned)[0] == "USER_BANNED"
    assert "banned" in banned["reasons"][0]["message"]
    assert "USER_BANNED" not in codes(moderate(client, auth, PLAIN, "c3", author="u2"))  # only u1
    assert "USER_BANNED" not in codes(moderate(client, auth, PLAIN, "c4", site="other"))  # only on news

    # the queue's workers
    res = client.post(
        "/v1/comments",
        json={"text": PLAIN + " Queued.", "comment_id": "c5", "author_id": "u1", "site": SITE},
        headers=auth("client"),
    )
    assert res.status_code == 202, res.text
    services.build_worker(burst=True).run()
    queued = client.get("/v1/comments/c5", headers=auth("client")).json()
    assert queued["decision"] == "reject" and queued["reasons"][0]["code"] == "USER_BANNED"

    drawer = client.get(f"/v1/sites/{SITE}/authors/u1", headers=auth("moderator")).json()
    assert drawer["status"] == "BANNED" and drawer["counts"]["reject"] == 2
    assert drawer["actions"][0]["reason"] == "spam account"

    # undo: the next comment is judged on its own again; the action stays in the audit
    res = client.delete(f"/v1/sites/{SITE}/authors/u1/actions/{ban['id']}", headers=auth("moderator"))
    assert res.status_code == 200 and res.json()["revoked_by"] == "test-moderator"
    assert "USER_BANNED" not in codes(moderate(client, auth, PLAIN, "c6"))
    again = client.delete(f"/v1/sites/{SITE}/authors/u1/actions/{ban['id']}", headers=auth("moderator"))
    assert again.status_code == 404
    drawer = client.get(f"/v1/sites/{SITE}/authors/u1", headers=auth("moderator")).json()
    assert drawer["status"] == "NONE" and drawer["actions"][0]["revoked_at"]


@BOTH
def test_suspend_premod_notes_and_bad_input(client: TestClient, auth: Any) -> None:
    moderate(client, auth, PLAIN, "c1")
    url = f"/v1/sites/{SITE}/authors/u1"
    res = client.post(
        url + "/actions",
        json={"action": "suspend", "reason": "cool off", "hours": 24},
        headers=auth("moderator"),
    )
    assert res.status_code == 201 and res.json()["until"]
    answer = moderate(client, auth, PLAIN + " More.", "c2")
    assert answer["decision"] == "reject" and codes(answer)[0] == "USER_SUSPENDED"
    assert "suspended" in answer["reasons"][0]["message"] and "UTC" in answer["reasons"][0]["message"]
    client.delete(f"{url}/actions/{res.json()['id']}", headers=auth("moderator"))

    res = client.post(
        url + "/actions", json={"action": "premod", "reason": "borderline"}, headers=auth("moderator")
    )
    assert res.status_code == 201
    held = moderate(client, auth, PLAIN + " Held.", "c3")
    assert held["decision"] in ("review", "reject") and "PREMOD_USER" in codes(held)
    assert client.get(url, headers=auth("moderator")).json()["status"] == "PREMOD"

    res = client.post(url + "/notes", json={"note": "Writes long, mostly fine."}, headers=auth("moderator"))
    assert res.status_code == 201
    assert (
        client.get(url, headers=auth("moderator")).json()["notes"][0]["note"] == "Writes long, mostly fine."
    )

    for body, field in (
        ({"action": "shout", "reason": "x"}, "action"),
        ({"action": "ban", "reason": "  "}, "reason"),
        ({"action": "suspend", "reason": "x"}, "hours"),
        ({"action": "suspend", "reason": "x", "hours": -1}, "hours"),
        ({"action": "ban", "reason": "x", "hours": 3}, "hours"),
    ):
        res = client.post(url + "/actions", json=body, headers=auth("moderator"))
        assert res.status_code == 422 and res.json()["error"]["field"] == field, (body, res.text)
    assert (
        client.post(
            url + "/actions", json={"action": "ban", "reason": "x"}, headers=auth("client")
        ).status_code
        == 403
    )
    assert client.get(f"/v1/sites/{SITE}/authors/nobody", headers=auth("moderator")).status_code == 404
    assert client.delete(f"{url}/actions/999999", headers=auth("moderator")).status_code == 404


@BOTH
def test_trust_rules_new_commenters_recent_history_repeat_posts(client: TestClient, auth: Any) -> None:
    put_policy(client, auth, {"trust": {"premod_first_comments": 1, "repeat_window_s": 600}})
    assert "NEW_COMMENTER" in codes(moderate(client, auth, PLAIN, "c1"))
    assert "NEW_COMMENTER" not in codes(
        moderate(client, auth, "A different and thoughtful remark on the piece.", "c2")
    )
    repeat = moderate(client, auth, "  " + PLAIN.upper(), "c3")  # same text: case and spaces do not matter
    assert "REPEAT_POST" in codes(repeat)
    assert next(r for r in repeat["reasons"] if r["code"] == "REPEAT_POST")["terms"] == ["c1"]
    assert "REPEAT_POST" not in codes(moderate(client, auth, PLAIN, "c4", author="u2"))
    # the same comment id again is the same comment, not a repeat
    assert "REPEAT_POST" not in codes(
        moderate(client, auth, "A different and thoughtful remark on the piece.", "c2")
    )

    put_policy(
        client, auth, {"words": {"banned": ["idiot"]}, "trust": {"history_rejections": 2, "history_days": 7}}
    )
    for i in range(2):
        assert (
            moderate(client, auth, f"You idiot number {i}, read the article.", f"r{i}", author="u3")[
                "decision"
            ]
            == "reject"
        )
    held = moderate(client, auth, PLAIN, "r9", author="u3")
    assert "RECENT_HISTORY" in codes(held)
    reason = next(r for r in held["reasons"] if r["code"] == "RECENT_HISTORY")
    assert (reason["score"], reason["threshold"]) == (2.0, 2.0)


@BOTH
def test_word_lists_links_and_spam_through_the_policy(client: TestClient, auth: Any) -> None:
    put_policy(
        client,
        auth,
        {
            "words": {"banned": ["idiot*"], "suspect": ["moron"], "allow": ["Shitterton"]},
            "links": {"action": "review", "allow_domains": ["example.org"], "spam_links": 3},
        },
    )
    policy = client.get(f"/v1/sites/{SITE}/policy", headers=auth("admin")).json()["policy"]
    assert policy["words"]["banned"] == ["idiot*"] and policy["links"]["action"] == "review"
    text = "Only a 1d10t would write this, says a man from Scunthorpe."
    answer = moderate(client, auth, text, "w1")
    word = next(r for r in answer["reasons"] if r["code"] == "BANNED_WORD")
    assert answer["decision"] == "reject" and word["terms"] == ["idiot*"]
    assert [text[b:e] for b, e in word["spans"]] == ["1d10t"]
    assert "not allowed" in word["message"]
    linked = moderate(client, auth, "Details at https://example.org/x and http://shop.test/buy", "w2")
    links = next(r for r in linked["reasons"] if r["code"] == "LINKS")
    assert links["terms"] == ["shop.test"]
    spam = moderate(client, auth, "Cheap: shop-a.com shop-b.net shop-c.org", "w3")
    assert "SPAM" in codes(spam)
    # stored with the spans: the queue shows them
    item = client.get("/v1/review?tab=all&q=scunthorpe", headers=auth("moderator")).json()["items"][0]
    assert item["id"] == "w1" and item["reasons"][0]["spans"] == word["spans"]
    bad = client.put(f"/v1/sites/{SITE}/policy", json={"words": {"banned": ["*"]}}, headers=auth("admin"))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "words.banned"


@BOTH
def test_reader_reports_and_the_reported_tab(client: TestClient, auth: Any) -> None:
    moderate(client, auth, PLAIN, "p1")
    moderate(client, auth, "I disagree with every word of this.", "p2", author="u2", parent_id="p1")
    url = "/v1/comments/p2/reports"
    res = client.post(
        url, json={"reader_id": "r1", "reason": "abusive", "text": "rude"}, headers=auth("client")
    )
    assert res.status_code == 201 and res.json()["report_count"] == 1
    res = client.post(url, json={"reader_id": "r2", "reason": "threat"}, headers=auth("client"))
    assert res.json()["report_count"] == 2
    dup = client.post(url, json={"reader_id": "r1", "reason": "spam"}, headers=auth("client"))
    assert dup.status_code == 409 and "already reported" in dup.json()["error"]["message"]
    bad = client.post(url, json={"reader_id": "r3", "reason": "meh"}, headers=auth("client"))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "reason"
    assert (
        client.post(
            "/v1/comments/nope/reports", json={"reader_id": "r1", "reason": "spam"}, headers=auth("client")
        ).status_code
        == 404
    )
    assert client.post(url, json={"reader_id": "r4", "reason": "spam"}).status_code == 401

    page = client.get("/v1/review?tab=reported", headers=auth("moderator")).json()
    assert [i["id"] for i in page["items"]] == ["p2"]
    [item] = page["items"]
    assert item["report_count"] == 2 and item["reports"] == {"abusive": 1, "threat": 1}
    assert item["parent_id"] == "p1"
    by_author = client.get("/v1/review?tab=all&author_id=u2", headers=auth("moderator")).json()
    assert [i["id"] for i in by_author["items"]] == ["p2"]
    assert client.get(f"/v1/sites/{SITE}/authors/u2", headers=auth("moderator")).json()["reports"] == 2
    assert client.get("/v1/review?q=" + "x" * 201, headers=auth("moderator")).status_code == 422


def test_perspective_author_extension_joins_the_authors_history(client: TestClient, auth: Any) -> None:
    """Perspective answers scores only; with ``authorId`` the stored comment is judged with its author
    (a banned author's comment is stored rejected, USER_BANNED) and appears in their drawer."""
    client.post(
        f"/v1/sites/{SITE}/authors/u9/actions",
        json={"action": "ban", "reason": "x"},
        headers=auth("moderator"),
    ).raise_for_status()
    key = auth("client")["Authorization"].removeprefix("Bearer ")
    body = {
        "comment": {"text": PLAIN},
        "requestedAttributes": {"TOXICITY": {}},
        "communityId": SITE,
        "authorId": "u9",
    }
    res = client.post(f"/v1alpha1/comments:analyze?key={key}", json=body)
    assert res.status_code == 200, res.text
    assert "TOXICITY" in res.json()["attributeScores"]
    [item] = client.get("/v1/review?tab=rejected&author_id=u9", headers=auth("moderator")).json()["items"]
    assert item["reasons"][0]["code"] == "USER_BANNED"
    drawer = client.get(f"/v1/sites/{SITE}/authors/u9", headers=auth("moderator")).json()
    assert drawer["status"] == "BANNED" and drawer["total"] == 1


@BOTH
def test_word_list_editor_keeps_the_rest_of_the_policy(client: TestClient, auth: Any) -> None:
    put_policy(client, auth, {"min_chars": 10, "words": {"suspect": ["moron"]}})
    res = client.put(f"/v1/sites/{SITE}/words", json={"banned": ["idiot*"]}, headers=auth("admin"))
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["version"] == f"{SITE}@2" and body["policy"]["min_chars"] == 10
    assert body["policy"]["words"] == {"banned": ["idiot*"], "suspect": ["moron"], "allow": []}
    assert (
        client.put(f"/v1/sites/{SITE}/words", json={"banned": []}, headers=auth("moderator")).status_code
        == 403
    )
    bad = client.put(f"/v1/sites/{SITE}/words", json={"banned": ["*"]}, headers=auth("admin"))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "words.banned"
    assert client.put(f"/v1/sites/{SITE}/words", json={"nope": []}, headers=auth("admin")).status_code == 422

"""POST/GET /v1/comments, backpressure, dead-letter admin and rescore-job endpoints through the real app."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from moderation.services import Services


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_submit_then_poll_until_scored(
    client: TestClient, api_keys: dict[str, str], services: Services
) -> None:
    h = auth(api_keys["client"])
    r = client.post("/v1/comments", json={"text": "A calm remark about the tram.", "site": "news"}, headers=h)
    assert r.status_code == 202, r.text
    [item] = r.json()["comments"]
    cid = item["comment_id"]
    assert item["status"] == "queued" and item["enqueued"]
    assert client.get(f"/v1/comments/{cid}", headers=h).json()["status"] == "queued"
    services.build_worker(burst=True).run()
    doc = client.get(f"/v1/comments/{cid}", headers=h).json()
    sync = client.post(
        "/v1/moderate", json={"text": "Another calm remark.", "site": "news"}, headers=h
    ).json()
    assert doc["status"] == "scored" and doc["comment_id"] == cid
    for key in ("decision", "reasons", "scores", "model_version", "policy_version", "decided_by"):
        assert key in doc and key in sync
    assert doc["model_version"] == sync["model_version"]


def test_list_submission_and_idempotent_resubmission(client: TestClient, api_keys: dict[str, str]) -> None:
    h = auth(api_keys["client"])
    body = [{"text": f"Comment {i} on the budget.", "comment_id": f"list-{i}"} for i in range(3)]
    r = client.post("/v1/comments", json=body, headers=h)
    assert r.status_code == 202 and [c["comment_id"] for c in r.json()["comments"]] == [
        "list-0",
        "list-1",
        "list-2",
    ]
    again = client.post("/v1/comments", json=body[0], headers=h).json()["comments"][0]
    assert again == {
        "comment_id": "list-0",
        "status": "queued",
        "enqueued": False,
        "url": "/v1/comments/list-0",
    }
    clash = client.post("/v1/comments", json={"text": "different", "comment_id": "list-0"}, headers=h)
    assert clash.status_code == 409 and "list-0" in clash.json()["error"]["message"]


def test_bad_input_gets_a_4xx_naming_the_problem(
    client: TestClient, api_keys: dict[str, str], services: Services
) -> None:
    h = auth(api_keys["client"])
    cases = [
        ({"text": "x", "do_not_store": True}, 422, "do_not_store"),
        ({"text": "x", "callback_url": "ftp://nope"}, 422, "callback_url"),
        ({"text": "x", "article_id": "missing-article"}, 404, "missing-article"),
        ({"text": ""}, 422, "text"),
        ({"txt": "x"}, 422, "required"),
        ([{"text": "x"}] * (services.settings.queue_max_batch_submit + 1), 422, "limit"),
        ([], 422, "no comments"),
        ({"comments": [{"text": "x"}]}, 422, "JSON array"),
        ([{"text": "x"}, 5], 422, "item 1 of the list must be a JSON object"),
        ([{"text": "x", "comment_id": "d"}, {"text": "y", "comment_id": "d"}], 422, "twice"),
    ]
    for body, status, needle in cases:
        r = client.post("/v1/comments", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
        assert needle in r.text, (needle, r.text)
    r = client.post("/v1/comments", content=b"{not json", headers=h | {"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["error"]["message"]
    r = client.post("/v1/comments", content=b"  ", headers=h | {"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "a JSON body is required"
    assert client.post("/v1/comments", json={"text": "x"}).status_code == 401
    assert client.get("/v1/comments/nope", headers=h).status_code == 404
    long_id = client.get("/v1/comments/" + "x" * 5000, headers=h)
    assert long_id.status_code == 404 and len(long_id.json()["error"]["message"]) < 1100  # cut, not echoed
    assert client.get("/v1/queue", headers=h).status_code == 403


def test_429_past_the_depth_limit_while_sync_keeps_working(
    client: TestClient, api_keys: dict[str, str], services: Services
) -> None:
    h = auth(api_keys["client"])
    limit = services.settings.queue_max_depth
    body = [{"text": f"Filler comment {i}."} for i in range(limit)]
    assert client.post("/v1/comments", json=body, headers=h).status_code == 202
    r = client.post("/v1/comments", json={"text": "one too many"}, headers=h)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.json()["error"]["code"] == "queue_full"
    assert client.post("/v1/moderate", json={"text": "still fine"}, headers=h).status_code == 200
    assert services.score_stream().depth() == limit


def test_dead_letter_admin_endpoints(
    client: TestClient, api_keys: dict[str, str], services: Services
) -> None:
    admin = auth(api_keys["admin"])
    services.score_stream().enqueue(["ghost"])
    services.build_worker(burst=True, claim_idle_ms=0).run()
    dead = client.get("/v1/queue/dead-letters", headers=admin).json()["dead_letters"]
    assert [d["comment_id"] for d in dead] == ["ghost"] and "not found" in dead[0]["error"]
    status = client.get("/v1/queue", headers=admin).json()
    assert status["dead_letters"] == 1 and status["depth"] == 0
    assert client.post("/v1/queue/dead-letters/retry?ids=ghost", headers=admin).json() == {
        "retried": ["ghost"]
    }
    assert client.delete("/v1/queue/dead-letters", headers=admin).json() == {"dropped": []}
    assert client.get("/v1/queue/dead-letters", headers=auth(api_keys["moderator"])).status_code == 403


def test_rescore_job_endpoints(client: TestClient, api_keys: dict[str, str]) -> None:
    admin, h = auth(api_keys["admin"]), auth(api_keys["client"])
    for i in range(3):
        client.post("/v1/moderate", json={"text": f"Short {i}", "site": "rs"}, headers=h)
    assert client.post("/v1/rescore-jobs", json={"all": True}, headers=h).status_code == 403
    bad = client.post("/v1/rescore-jobs", json={}, headers=admin)
    assert bad.status_code == 422 and "filter" in bad.json()["error"]["message"]
    assert (
        client.post("/v1/rescore-jobs", json={"site": "rs", "chunk_size": 0}, headers=admin).status_code
        == 422
    )
    r = client.post(
        "/v1/rescore-jobs", json={"site": "rs", "policy_only": True, "chunk_size": 2}, headers=admin
    )
    assert r.status_code == 202 and r.json()["total"] == 3
    job_url = r.headers["Location"]
    deadline = time.monotonic() + 30
    while (job := client.get(job_url, headers=admin).json())[
        "status"
    ] != "done" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job["status"] == "done" and job["processed"] == 3 and job["report"]["unchanged"] == 3
    assert client.get("/v1/rescore-jobs/rj_nope", headers=admin).status_code == 404

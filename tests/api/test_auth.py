"""Point 7: API keys and roles: 401 without a key, 403 with the wrong role; stored hashed, revocable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from moderation.services import Services
from moderation.store.tables import ApiKey

TEXT = {"text": "A perfectly ordinary comment about the article.", "do_not_store": True}


def test_no_key_unknown_key_and_the_three_ways_to_present_one(client: Any, api_keys: dict[str, str]) -> None:
    none = client.post("/v1/moderate", json=TEXT)
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    assert "API key" in none.json()["error"]["message"]
    wrong = client.post("/v1/moderate", json=TEXT, headers={"Authorization": "Bearer mk_c_not-a-real-key"})
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["error"]["message"]
    key = api_keys["client"]
    assert (
        client.post("/v1/moderate", json=TEXT, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    )
    assert client.post("/v1/moderate", json=TEXT, headers={"X-API-Key": key}).status_code == 200
    assert client.post(f"/v1/moderate?key={key}", json=TEXT).status_code == 200


def test_roles_are_ordered(client: Any, auth: Any) -> None:
    for role in ("client", "moderator", "admin"):  # an admin may do everything a client may
        assert client.post("/v1/moderate", json=TEXT, headers=auth(role)).status_code == 200
    forbidden = client.get("/v1/keys", headers=auth("moderator"))
    assert forbidden.status_code == 403 and "admin" in forbidden.json()["error"]["message"]
    assert client.get("/v1/keys", headers=auth("admin")).status_code == 200


def test_keys_are_shown_once_stored_hashed_and_revocable(client: Any, auth: Any, services: Services) -> None:
    created = client.post(
        "/v1/keys", json={"name": "coral", "role": "client", "sites": ["news"]}, headers=auth("admin")
    )
    assert created.status_code == 201
    plaintext = created.json()["key"]
    assert plaintext.startswith("mk_c_") and len(plaintext) > 30
    listed = client.get("/v1/keys", headers=auth("admin")).json()
    assert all(k["key"] is None for k in listed) and "coral" in [k["name"] for k in listed]
    with services.sessions() as session:
        stored = session.scalars(select(ApiKey).where(ApiKey.name == "coral")).one()
        assert plaintext not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64

    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.post("/v1/moderate", json=TEXT, headers=headers).status_code == 200
    [used] = [k for k in client.get("/v1/keys", headers=auth("admin")).json() if k["name"] == "coral"]
    assert used["last_used_at"] is not None
    revoked = client.delete(f"/v1/keys/{created.json()['id']}", headers=auth("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.post("/v1/moderate", json=TEXT, headers=headers).status_code == 401


def test_bad_key_requests(client: Any, auth: Any) -> None:
    bad_role = client.post(
        "/v1/keys", json={"name": "x", "role": "root", "all_sites": True}, headers=auth("admin")
    )
    assert bad_role.status_code == 422 and bad_role.json()["error"]["field"] == "role"
    assert client.delete("/v1/keys/999999", headers=auth("admin")).status_code == 404

"""Issue 13 item 9 and rate limits: logout revokes the session server-side (a copied cookie stops working);
each API key has its own rate limit (429 + Retry-After), in Redis so it holds across processes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import review_seed as seed
from fastapi.testclient import TestClient

from api.main import create_app
from api.sessions import COOKIE
from moderation.api_keys import create_key, revoke_key
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import Services, build_services
from moderation.store.db import transaction


@pytest.fixture
def light(settings: Settings) -> Iterator[Services]:
    built = build_services(settings.model_copy(update={"rate_limit": "5/minute"}))
    yield built
    built.close()


@pytest.fixture
def keys(light: Services) -> dict[str, tuple[int, str]]:
    with transaction(light.sessions) as s:
        seed.article(s)
        seed.comment(s, "q1", "waiting for review")
        out = {}
        for name, role in (("mod", Role.MODERATOR), ("c1", Role.CLIENT), ("c2", Role.CLIENT)):
            row, plaintext = create_key(session=s, name=name, role=role, all_sites=True)
            out[name] = (row.id, plaintext)
    return out


def sign_in(client: TestClient, key: str) -> str:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    client.post("/login", data={"key": key, "csrf_token": token.group(1)}, follow_redirects=False)
    page = client.get("/moderate")
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    assert page.status_code == 200 and csrf is not None
    return csrf.group(1)


def test_logout_revokes_a_copied_cookie(light: Services, keys: dict[str, tuple[int, str]]) -> None:
    app = create_app(services=light)
    with TestClient(app) as browser, TestClient(app) as thief:
        csrf = sign_in(browser, keys["mod"][1])
        stolen = browser.cookies[COOKIE]
        thief.cookies.set(COOKIE, stolen)
        assert thief.get("/v1/review").status_code == 200  # the copy works while the session lives
        out = browser.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert out.status_code == 303
        assert thief.get("/v1/review").status_code == 401  # revoked server-side, not just forgotten
        assert thief.get("/moderate", follow_redirects=False).status_code == 303  # to /login
        thief.cookies.set(COOKIE, stolen[:-2] + ("A" if stolen[-2] != "A" else "B") + stolen[-1])
        assert thief.get("/v1/review").status_code == 401  # and a tampered one never did


def test_revoking_the_key_ends_its_sessions(light: Services, keys: dict[str, tuple[int, str]]) -> None:
    with TestClient(create_app(services=light)) as browser:
        sign_in(browser, keys["mod"][1])
        with transaction(light.sessions) as s:
            revoke_key(session=s, key_id=keys["mod"][0])
        assert browser.get("/v1/review").status_code == 401


def test_each_key_has_its_own_rate_limit(light: Services, keys: dict[str, tuple[int, str]]) -> None:
    with TestClient(create_app(services=light)) as client:
        first = {"X-API-Key": keys["c1"][1]}
        statuses = [client.get("/v1/comments/q1", headers=first).status_code for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        limited = client.get("/v1/comments/q1", headers=first)
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        google = client.post(
            "/v1alpha1/comments:analyze", params={"key": keys["c1"][1]}, json={"comment": {"text": "hi"}}
        )
        assert google.status_code == 429 and google.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert client.get("/v1/comments/q1", headers={"X-API-Key": keys["c2"][1]}).status_code == 200
    # the window is in Redis: a second API process sees the same count
    with TestClient(create_app(services=light)) as other:
        assert other.get("/v1/comments/q1", headers=first).status_code == 429


def test_the_widget_is_limited_per_key_and_reader(settings: Settings) -> None:
    """The widget's routes are anonymous (a publishable key in a page): each key and client address has its
    own window (``MODERATION_WIDGET_RATE_LIMIT``), so an open form is not a free CPU sink."""
    from moderation.widget.keys import create_key as create_widget_key

    built = build_services(settings.model_copy(update={"widget_rate_limit": "3/minute"}))
    try:
        with transaction(built.sessions) as s:
            seed.article(s)
            _, first = create_widget_key(session=s, site="news", origins=["https://news.example"], name="a")
            _, second = create_widget_key(session=s, site="news", origins=["https://news.example"], name="b")
        origin = {"Origin": "https://news.example"}
        with TestClient(create_app(services=built)) as browser:
            statuses = [
                browser.get("/v1/widget/rules", params={"key": first}, headers=origin).status_code
                for _ in range(5)
            ]
            assert statuses == [200] * 3 + [429] * 2
            limited = browser.get("/v1/widget/rules", params={"key": first}, headers=origin)
            assert (
                limited.json()["error"]["code"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
            )
            assert browser.get("/v1/widget/rules", params={"key": second}, headers=origin).status_code == 200
    finally:
        built.close()

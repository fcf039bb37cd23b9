"""The newsroom tools in headless Chromium against a real uvicorn server with the real model: the author
drawer and a ban that refuses the next comment, a banned word highlighted and rejected, a reader's report in
the Reported tab. Screenshots beside the others (tests/artifacts/screenshots/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import review_seed as seed
from browser_server import LiveServer, live_server
from playwright.sync_api import Browser, Page, expect

from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.review import decisions
from moderation.store.db import transaction

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PLAIN = "Thanks for laying out the numbers so clearly, I learned a lot from this piece."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, runtime: Any) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("newsroom-ui"), runtime=runtime) as live:
        yield live


@pytest.fixture(scope="module")
def keys(server: LiveServer) -> dict[str, dict[str, str]]:
    out = {}
    with transaction(server.services.sessions) as s:
        for role in (Role.CLIENT, Role.ADMIN):
            _, plaintext = create_key(session=s, name=f"newsroom-{role.value}", role=role, all_sites=True)
            out[role.value] = {"Authorization": f"Bearer {plaintext}"}
    return out


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def sign_in(page: Page, server: LiveServer, path: str, key: str | None = None) -> None:
    page.goto(server.url + path)
    page.fill("#key", key or server.moderator_key)
    page.click("button[type=submit]")
    expect(page).to_have_url(server.url + path)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ignore = SCREENSHOTS.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def moderate(server: LiveServer, keys: Any, text: str, cid: str, site: str, author: str, **kw: Any) -> Any:
    body = {"text": text, "comment_id": cid, "author_id": author, "site": site, **kw}
    res = httpx.post(server.url + "/v1/moderate", json=body, headers=keys["client"], timeout=60)
    assert res.status_code == 200, res.text
    return res.json()


def test_open_the_author_drawer_ban_and_their_next_comment_is_refused(
    page: Page, server: LiveServer, keys: Any
) -> None:
    site = "drawer"
    httpx.put(  # hold every comment so that the author's rows are in the review tab
        f"{server.url}/v1/sites/{site}/policy",
        json={"trust": {"premod_first_comments": 5}},
        headers=keys["admin"],
    ).raise_for_status()
    moderate(server, keys, PLAIN, "d1", site, "troll-42")
    moderate(
        server, keys, "Second thought: the bus lanes matter more than the bike lanes.", "d2", site, "troll-42"
    )
    sign_in(page, server, f"/moderate?site={site}")
    row = page.locator('#queue li.item[data-id="d2"]')
    expect(row.locator("a.author")).to_have_text("troll-42")
    expect(row.locator(".reason")).to_contain_text("NEW_COMMENTER")
    page.keyboard.press("j")
    expect(row).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("p")  # the person behind the comment
    expect(page).to_have_url(re.compile(r"/moderate/sites/drawer/authors/troll-42$"))
    expect(page.locator("#author-status")).to_have_text("NONE")
    expect(page.locator("#author-comments li")).to_have_count(2)
    page.fill("#note-text", "Second account of a known troll?")
    page.click("#note-form button[type=submit]")
    expect(page.locator("#notes")).to_contain_text("Second account of a known troll?")
    page.select_option("#action-kind", "ban")
    page.fill("#action-reason", "ban evasion")
    page.click("#action-submit")
    expect(page.locator("#author-status")).to_have_text("BANNED")
    expect(page.locator("#actions li").first).to_contain_text("ban evasion")
    shoot(page, "author-drawer.png")

    refused = moderate(server, keys, "Hello again, I am back with a new opinion.", "d3", site, "troll-42")
    assert refused["decision"] == "reject" and refused["reasons"][0]["code"] == "USER_BANNED"

    page.locator("button.undo-action").first.click()  # undo: the ban is lifted, the row stays as audit
    expect(page.locator("#author-status")).to_have_text("NONE")
    expect(page.locator("#actions li.revoked")).to_have_count(1)
    again = moderate(server, keys, "Hello again, a second new opinion.", "d4", site, "troll-42")
    assert "USER_BANNED" not in [r["code"] for r in again["reasons"]]


def test_a_banned_word_is_highlighted_and_the_comment_rejected(
    page: Page, server: LiveServer, keys: Any
) -> None:
    site = "words"
    admin_key = keys["admin"]["Authorization"].removeprefix("Bearer ")
    sign_in(page, server, f"/moderate?site={site}", key=admin_key)
    page.click("#words-link")  # the site's word lists, edited by an admin
    expect(page).to_have_url(re.compile(r"/moderate/sites/words/words$"))
    page.fill("#words-banned", "idiot*\nshit*")
    page.fill("#words-suspect", "moron")
    page.fill("#words-allow", "Shitterton")
    page.click("#words-save")
    expect(page.locator("#toast")).to_contain_text("Saved: policy words@1")
    text = "Only an 1d10t from Scunthorpe or Shitterton would say <b>that</b>, moron."
    answer = moderate(server, keys, text, "w1", site, "reader-7")
    assert answer["decision"] == "reject"
    assert [r["terms"] for r in answer["reasons"][:2]] == [["idiot*"], ["moron"]]
    page.goto(f"{server.url}/moderate?site={site}&tab=rejected")
    row = page.locator('#queue li.item[data-id="w1"]')
    expect(row.locator("mark.hl-banned_word")).to_have_text("1d10t")
    expect(row.locator("mark.hl-suspect_word")).to_have_text("moron")
    expect(row.locator("mark.hl-word")).to_have_count(2)  # Scunthorpe and Shitterton are not marked
    expect(row.locator(".text")).to_contain_text("<b>that</b>")  # escaped, shown as typed
    expect(row.locator('.reason[data-code="BANNED_WORD"]')).to_contain_text("idiot*")
    shoot(page, "banned-word.png")


def test_a_reader_report_lands_in_the_reported_tab(page: Page, server: LiveServer, keys: Any) -> None:
    site = "reports"
    moderate(server, keys, PLAIN, "r1", site, "writer-1")
    moderate(
        server,
        keys,
        "I could not disagree more with the previous comment.",
        "r2",
        site,
        "writer-2",
        parent_id="r1",
    )
    for reader, reason in (("reader-a", "abusive"), ("reader-b", "threat")):
        res = httpx.post(
            f"{server.url}/v1/comments/r2/reports",
            json={"reader_id": reader, "reason": reason},
            headers=keys["client"],
        )
        assert res.status_code == 201, res.text
    sign_in(page, server, f"/moderate?site={site}")
    page.click("nav.tabs a:has-text('reported')")
    expect(page).to_have_url(re.compile(r"tab=reported"))
    expect(page.locator("#queue li.item")).to_have_count(1)
    row = page.locator('#queue li.item[data-id="r2"]')
    expect(row.locator(".chip.reported")).to_have_text("reported 2× · abusive · threat")
    expect(row.locator("a.reply-to")).to_have_text("in reply to r1")
    shoot(page, "reported-tab.png")
    row.locator("a.context").click()  # the thread: the parent above, this comment
    expect(page.locator("#thread .thread-parent")).to_contain_text(PLAIN)
    expect(page.locator("#thread .thread-self")).to_contain_text("writer-2")


def test_workflow_fixes_reject_reason_preselected_off_topic_wording_skip_claimed_undo_in_place(
    page: Page, server: LiveServer
) -> None:
    site = "flow"
    now = datetime.now(UTC)
    with transaction(server.services.sessions) as s:
        seed.article(s, "flow-a", "Tram line plans", site=site)
        seed.comment(
            s,
            "f1",
            "I will find you after the meeting.",
            site=site,
            article_id="flow-a",
            reasons=(("THREAT", "civility", 0.71, 0.5),),
            created_at=now - timedelta(minutes=1),
        )
        seed.comment(
            s,
            "f2",
            "My cat sleeps all day.",
            site=site,
            article_id="flow-a",
            on_topic=0.02,
            reasons=(("OFF_TOPIC", "on_topic", 0.02, 0.2),),
            created_at=now - timedelta(minutes=2),
        )
        seed.comment(
            s,
            "f3",
            "Rude but harmless remark.",
            site=site,
            article_id="flow-a",
            created_at=now - timedelta(minutes=3),
        )
    with transaction(server.services.sessions) as s:
        decisions.claim(session=s, comment_id="f2", actor="bob", seconds=300)
    sign_in(page, server, f"/moderate?site={site}")
    ids = page.locator("#queue li.item")
    expect(ids).to_have_count(3)
    expect(page.locator('#queue li.item[data-id="f2"] .reason')).to_have_text(
        "OFF_TOPIC · on-topic 0.02 (below 0.20)"
    )

    page.keyboard.press("j")
    expect(page.locator('#queue li.item[data-id="f1"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("r")
    expect(page.locator("#reject-reason")).to_have_value("threat")  # matches the system's THREAT
    expect(page.locator("#reject-reason option[value=threat]")).to_have_text("Threat / violence")
    page.click("#reject-cancel")

    page.keyboard.press("a")  # approve f1: the focus skips f2 (bob holds it) and lands on f3
    expect(page.locator('#queue li.item[data-id="f1"]')).to_have_count(0)
    expect(page.locator('#queue li.item[data-id="f3"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("u")  # undo: f1 comes back where it was, at the top
    expect(ids).to_have_count(3)
    assert [ids.nth(i).get_attribute("data-id") for i in range(3)] == ["f1", "f2", "f3"]

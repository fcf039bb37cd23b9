"""End-to-end moderator UI in headless Chromium (Debian's, via Playwright) against a real uvicorn server.

Each test works on its own site (``?site=``) of one seeded store, so the tests do not see each other's rows.
Screenshots go to tests/artifacts/screenshots/ (ignored by git).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import review_seed as seed
from browser_server import LiveServer, live_server
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from moderation.review import decisions
from moderation.store.db import transaction
from moderation.store.tables import CommentRow

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("ui")) as live:
        with transaction(live.services.sessions) as s:
            seed.article(s, "a1", "City council votes on new bike lanes", site="kbd")
        yield live


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def sign_in(page: Page, server: LiveServer, path: str) -> None:
    page.goto(server.url + path)
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fmoderate"))  # pages need a session
    if not (SCREENSHOTS / "login.png").exists():
        shoot(page, "login.png")
    page.fill("#key", server.moderator_key)
    page.click("button[type=submit]")
    expect(page).to_have_url(server.url + path)
    expect(page.locator("#live")).to_have_attribute("data-state", "live")


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ignore = SCREENSHOTS.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def row(page: Page, comment_id: str) -> Locator:
    return page.locator(f'#queue li.item[data-id="{comment_id}"]')


def add(
    server: LiveServer, comment_id: str, text: str, *, site: str, minutes_ago: float = 0, **kw: object
) -> None:
    with transaction(server.services.sessions) as s:
        created = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        seed.comment(s, comment_id, text, site=site, created_at=created, **kw)  # type: ignore[arg-type]


def test_keyboard_approve_reject_with_reason_and_undo(page: Page, server: LiveServer) -> None:
    add(server, "k1", "First flagged comment, mildly rude.", site="kbd", minutes_ago=3)
    add(
        server,
        "k2",
        "You absolute idiot, nobody asked you.",
        site="kbd",
        minutes_ago=2,
        toxicity=0.92,
        spans=((0, 18, 0.92),),
    )
    add(server, "k3", "Third comment, fine to approve.", site="kbd", minutes_ago=1, toxicity=0.55)
    sign_in(page, server, "/moderate?site=kbd")
    expect(page.locator("#queue li.item")).to_have_count(3)
    expect(row(page, "k2").locator("mark.hl")).to_have_text("You absolute idiot")
    expect(row(page, "k2").locator(".reason")).to_contain_text("TOXICITY 0.92 / 0.50")

    page.keyboard.press("j")
    expect(row(page, "k3")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(row(page, "k3").locator(".claim")).to_have_text("claimed by you")
    page.keyboard.press("a")
    expect(row(page, "k3")).to_have_count(0)
    expect(row(page, "k2").locator(".claim")).to_have_text("claimed by you")  # focus moved on and claimed

    page.keyboard.press("r")
    expect(page.locator("#reject-dialog")).to_be_visible()
    page.select_option("#reject-reason", "abusive")
    page.fill("#reject-note", "insults another reader")
    shoot(page, "reject-dialog.png")
    page.click("#reject-submit")
    expect(row(page, "k2")).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text("Rejected")

    page.keyboard.press("u")
    expect(row(page, "k2")).to_have_count(1)
    expect(page.locator("#toast")).to_contain_text("Undone")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")

    with server.services.sessions() as s:
        k2, k3 = s.get(CommentRow, "k2"), s.get(CommentRow, "k3")
        assert k3 is not None and (k3.decision, k3.decided_by) == ("approve", "moderator:ann")
        assert k2 is not None and (k2.decision, k2.claimed_by) == ("review", "ann")
        assert [(d.source, d.rejection_reason, d.note) for d in k2.decisions][1:] == [
            ("moderator", "abusive", "insults another reader"),
            ("undo", None, "undid reject"),
        ]


def test_live_items_arrive_and_leave_without_reload(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "/moderate?site=live")
    expect(page.locator("#empty")).to_be_visible()
    page.evaluate("window.__marker = 'same page'")
    add(server, "l1", "A new flagged comment arrives live.", site="live")
    add(server, "l2", "Another one, which bob is looking at.", site="live")
    expect(row(page, "l1")).to_be_visible(timeout=8_000)
    expect(row(page, "l2")).to_be_visible()
    expect(page.locator("#total")).to_have_text("2")
    bob = {"Authorization": f"Bearer {server.other_key}"}
    assert httpx.post(f"{server.url}/v1/review/l2/claim", headers=bob).status_code == 200
    expect(row(page, "l2").locator(".claim")).to_have_text("claimed by bob", timeout=8_000)
    expect(row(page, "l2")).to_have_class(re.compile(r"\bclaimed-other\b"))
    res = httpx.post(f"{server.url}/v1/review/l1/decision", headers=bob, json={"action": "approve"})
    assert res.status_code == 200
    expect(row(page, "l1")).to_have_count(0, timeout=8_000)
    assert page.evaluate("window.__marker") == "same page"  # no reload happened
    # deciding an item bob holds is refused with a clear message
    row(page, "l2").locator("button[data-act=approve]").click()
    expect(page.locator("#toast")).to_contain_text("claimed by bob")
    expect(row(page, "l2")).to_have_count(1)


HOSTILE = {
    "x1": "<script>window.__pwned=1</script>",
    "x2": '<img src=x onerror="window.__pwned=2;alert(2)">',
    "x3": '"><svg onload=alert(3)></svg><a href="javascript:alert(4)">click</a>',
}


def test_hostile_comments_render_as_text_and_run_nothing(page: Page, server: LiveServer) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for i, (cid, text) in enumerate(HOSTILE.items()):
        add(server, cid, text, site="xss", minutes_ago=10 - i, toxicity=0.95, spans=((0, 8, 0.95),))
    response = page.goto(server.url + "/login")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    sign_in(page, server, "/moderate?site=xss")
    for cid, text in HOSTILE.items():
        expect(row(page, cid).locator("p.text")).to_have_text(text)
    shoot(page, "hostile.png")
    add(server, "x4", "<img src=y onerror=alert(5)> arrives live", site="xss", toxicity=0.9)
    expect(row(page, "x4").locator("p.text")).to_have_text("<img src=y onerror=alert(5)> arrives live")
    assert page.locator("#queue script, #queue img, #queue svg, #queue a[href^=javascript]").count() == 0
    page.goto(f"{server.url}/moderate/comments/x2")
    expect(page.locator("blockquote.text")).to_have_text(HOSTILE["x2"])
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


DASH_TEXTS = [
    ("Another stadium for billionaires, paid by us. Whoever wrote this plan is a clown.", ((65, 81, 0.81),)),
    ("Good to see the council finally publish the numbers.", ()),
    ("The funding model works in other cities; the article explains it well.", ()),
    ("Buy cheap tickets at my site!!! Best deals on everything.", ()),
    ("Shut up, you idiots on the council. Nobody wants this.", ((0, 34, 0.9),)),
]


def test_history_and_article_dashboard(page: Page, server: LiveServer) -> None:
    with transaction(server.services.sessions) as s:
        seed.article(s, "a-dash", "Stadium funding: the council's plan", site="dash")
    start = datetime.now(UTC) - timedelta(hours=20)
    for i in range(16):
        favor = 0.2 + 0.6 * (i / 15)
        action = ("review", "approve", "approve", "reject")[i % 4]
        reasons = None if action != "reject" else (("OFF_TOPIC", "on_topic", 0.1, 0.2),)
        with transaction(server.services.sessions) as s:
            text, spans = DASH_TEXTS[i % len(DASH_TEXTS)]
            seed.comment(
                s,
                f"d{i}",
                text,
                site="dash",
                spans=spans,
                article_id="a-dash",
                action=action,
                reasons=reasons,
                toxicity=0.3 + (i % 5) / 10,
                on_topic=(i * 7 % 10) / 10 + 0.05,
                created_at=start + timedelta(hours=i),
                stance={"against": 0.9 - favor, "neutral": 0.1, "favor": favor},
                sentiment={"negative": 0.5 - i / 40, "neutral": 0.2, "positive": 0.3 + i / 40},
            )
    with transaction(server.services.sessions) as s:
        decisions.decide(
            session=s,
            comment_id="d0",
            actor="ann",
            decision=decisions.DecisionInput(action="reject", reason="spam", note="repeated link"),
        )
    sign_in(page, server, "/moderate?site=dash&sort=score")
    expect(page.locator("#queue li.item")).to_have_count(3)
    page.keyboard.press("j")
    expect(page.locator("#queue li.item.current .claim")).to_have_text("claimed by you")
    shoot(page, "queue.png")

    page.goto(f"{server.url}/moderate/comments/d0")
    timeline = page.locator("#timeline")
    expect(timeline.locator("li")).to_have_count(3)
    expect(timeline.locator("li.event-moderator")).to_contain_text("ann decided reject")
    expect(timeline.locator("li.event-moderator")).to_contain_text("Spam")
    expect(timeline.locator("li.event-moderator")).to_contain_text("repeated link")
    expect(timeline.locator("li.event-decision")).to_contain_text("news@3")
    expect(timeline.locator("li.event-decision")).to_contain_text(seed.MODEL)
    shoot(page, "history.png")

    page.click("text=Stadium funding: the council's plan")
    expect(page).to_have_url(f"{server.url}/moderate/articles/a-dash")
    expect(page.locator("h1")).to_have_text("Stadium funding: the council's plan")
    expect(page.locator("svg.chart")).to_have_count(5)
    assert page.locator("svg.chart").nth(2).locator("rect").count() >= 3 * 4  # stance: 3 labels per bucket
    expect(page.locator("svg.chart").nth(0)).to_contain_text("approve")
    expect(page.locator("svg.chart").nth(1)).to_contain_text("OFF_TOPIC")
    shoot(page, "dashboard.png")


def test_bulk_reject_selected_with_keyboard_then_undo(page: Page, server: LiveServer) -> None:
    for i in range(3):
        add(server, f"b{i}", f"Bulk candidate number {i}.", site="bulk", minutes_ago=5 - i)
    sign_in(page, server, "/moderate?site=bulk")
    expect(page.locator("#queue li.item")).to_have_count(3)
    for _ in range(2):  # select the first two (newest) with j, x
        page.keyboard.press("j")
        page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    page.click("#bulk-reject")
    expect(page.locator("#reject-count")).to_have_text("2 comments")
    expect(page.locator("#reject-reason")).to_have_value("abusive")  # pre-selected from their TOXICITY
    page.select_option("#reject-reason", "")
    page.click("#reject-submit")  # no reason chosen: the form refuses to submit
    expect(page.locator("#reject-dialog")).to_be_visible()
    assert page.evaluate("document.getElementById('reject-reason').validity.valueMissing") is True
    expect(page.locator("#queue li.item")).to_have_count(3)
    page.select_option("#reject-reason", "spam")
    page.click("#reject-submit")
    expect(page.locator("#queue li.item")).to_have_count(1)
    expect(row(page, "b0")).to_have_count(1)
    expect(page.locator("#toast")).to_contain_text("Rejected 2")
    page.click("#undo")
    expect(page.locator("#queue li.item")).to_have_count(3)

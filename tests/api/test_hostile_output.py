"""Issue 13 (hostile text): whatever a commenter writes stays inert wherever it is shown: the review pages,
the decisions feed (SSE), CSV/JSON exports, the logs and the JSON API."""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import review_seed as seed
from fastapi.testclient import TestClient

from api.main import create_app
from api.middleware import PlainFormatter
from api.routes.decisions import sse_event
from moderation.api_keys import create_key
from moderation.domain import Role
from moderation.rescore.report import Change, export_changes
from moderation.services import Services
from moderation.store.db import transaction

SCRIPT = '<script>alert("x")</script>'
LINK = '<a href="javascript:alert(1)">click</a>'
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = f"{SCRIPT} {LINK} {IMG} \"quoted\" 'single' & done"


@pytest.fixture
def client(light: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=light)) as c:
        yield c


def sign_in(client: TestClient, key: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    answer = client.post(
        "/login", data={"key": key, "csrf_token": token.group(1), "next": "/moderate"}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text


def test_review_pages_show_hostile_text_as_text(client: TestClient, light: Services) -> None:
    with transaction(light.sessions) as s:
        seed.article(s, "a1", title=f"Title {SCRIPT}")
        seed.comment(s, "c1", HOSTILE, spans=((0, len(SCRIPT), 0.9),))
        key = create_key(session=s, name=f"mod {IMG}", role=Role.MODERATOR, all_sites=True)[1]
    sign_in(client, key)
    for path in ("/moderate", "/moderate?tab=all", "/moderate/comments/c1", "/moderate/articles/a1"):
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.text
        assert "<script>alert" not in html and "<img src=x" not in html, path  # no raw tag of theirs
        assert 'href="javascript:' not in html and "<a href=&#34;javascript" not in html, path
        assert "default-src 'self'" in page.headers["content-security-policy"]
    queue = client.get("/moderate?tab=all").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in queue  # shown, escaped
    rows = client.get("/moderate/rows", params={"ids": "c1"}).text
    assert "&lt;script&gt;" in rows and "<script>alert" not in rows


def test_the_decisions_feed_cannot_be_forged_by_a_comment() -> None:
    doc = {"comment_id": "c1", "text": "line\n\nevent: admin\ndata: {}\r\nid: 9\n" + SCRIPT}
    frame = sse_event("1-0", doc).decode()
    assert frame.count("\n\n") == 1 and frame.endswith("\n\n")  # exactly one event
    lines = frame.strip("\n").split("\n")
    assert [line.split(":", 1)[0] for line in lines] == ["id", "event", "data"]
    assert json.loads(lines[2][len("data: ") :]) == doc


def test_csv_export_neutralises_formulas_and_json_stays_json(tmp_path: Path) -> None:
    changes = [
        Change('=HYPERLINK("http://evil","x")', "news", "transition", "approve", "reject", "system"),
        Change("c2", "news", "disagreement", "approve", "reject", "moderator:=cmd|' /C calc'!A0"),
        Change("c3", "news", "transition", None, "review", "@SUM(A1)"),
        Change("c4", "news", "transition", "approve", "review", "-2+3"),
    ]
    export_changes(changes, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cells = [v for row in rows for v in row.values() if v]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    assert rows[0]["comment_id"] == '\'=HYPERLINK("http://evil","x")' and rows[2]["decided_by"] == "'@SUM(A1)"
    assert rows[1]["decided_by"] == "moderator:=cmd|' /C calc'!A0"  # not at the start: harmless
    export_changes(changes, tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text())[0]["comment_id"].startswith("=HYPERLINK")


def test_text_logs_keep_one_line_per_record() -> None:
    record = logging.LogRecord(
        "t", logging.WARNING, __file__, 1, "bad comment %s", ("x\nFAKE ERROR\r\x1b[31m",), None
    )
    line = PlainFormatter("%(levelname)s %(message)s").format(record)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\\n" in line


def test_json_answers_are_never_sniffed_as_html(client: TestClient, light: Services) -> None:
    with transaction(light.sessions) as s:
        seed.article(s, "a1")
        seed.comment(s, "c1", HOSTILE)
        key = create_key(session=s, name="c", role=Role.CLIENT, all_sites=True)[1]
    answer = client.get("/v1/comments/c1", headers={"X-API-Key": key})
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["x-content-type-options"] == "nosniff"
    error = client.get(f"/v1/articles/{SCRIPT}", headers={"X-API-Key": key})
    assert error.headers["content-type"].startswith("application/json") and error.status_code in (404, 422)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"[" * 30_000 + b"]" * 30_000, "nested too deeply"),
        (b'{"text": ' + b"[" * 40 + b"1" + b"]" * 40 + b"}", "nested too deeply"),
        (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", "too long"),
        (b'{"text": "caf\xe9"}', "UTF-8"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_hostile_json_on_submit_is_a_4xx(client: TestClient, light: Services, raw: bytes, words: str) -> None:
    """Issue 13 item 6: these answered 500 on POST /v1/comments."""
    with transaction(light.sessions) as s:
        key = create_key(session=s, name="c", role=Role.CLIENT, all_sites=True)[1]
    for content_type in ("application/json", "text/plain"):
        answer = client.post(
            "/v1/comments", content=raw, headers={"X-API-Key": key, "Content-Type": content_type}
        )
        assert answer.status_code == 422, (content_type, answer.text[:200])
        assert words.lower() in answer.json()["error"]["message"].lower()

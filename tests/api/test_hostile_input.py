"""Point 10: whatever a client sends, the answer is a 4xx naming the problem, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

GOOD = "This is an ordinary comment about the embassy talks in Caracas."


def post(client: Any, auth: Any, body: Any, **kwargs: Any) -> Any:
    headers = auth() | kwargs.pop("headers", {})
    raw = (
        body if isinstance(body, bytes) else json.dumps(body).encode()
    )  # ASCII-escaped: lone surrogates pass
    return client.post("/v1/moderate", content=raw, headers={"Content-Type": "application/json"} | headers)


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({"text": ""}, 422, "text", "empty"),
        ({"text": " \n\t  "}, 422, "text", "whitespace"),
        ({"text": "hi\x00there"}, 422, "text", "NUL"),
        ({"text": "bell\x07"}, 422, "text", "control character"),
        ({"text": "half an emoji \ud83d"}, 422, "text", "lone surrogate"),
        ({"text": GOOD, "\ud800": 1}, 422, None, "not valid Unicode"),
        ({"text": GOOD, "colour": "red"}, 422, "colour", "unknown field"),
        ({"article_id": "a"}, 422, "text", "required"),
        ({"text": 42}, 422, "text", "string"),
        ({"text": GOOD, "article_id": "nope"}, 404, "article_id", "unknown article"),
        ({"text": GOOD, "article_id": "../etc/passwd"}, 422, "article_id", "article_id"),
        ({"text": GOOD, "do_not_store": "maybe"}, 422, "do_not_store", "do_not_store"),
        ({"text": GOOD, "do_not_store": "no"}, 422, "do_not_store", "boolean"),  # never quietly false
        ({"text": GOOD, "do_not_store": 1}, 422, "do_not_store", "boolean"),
        ({"text": GOOD, "article": {"title": "t"}}, 422, "article.body", "required"),
        ({"text": GOOD, "article_id": "a", "article": {"title": "t", "body": "b"}}, 422, "article", "either"),
        ({"text": "x" * 10_001}, 413, "text", "limit"),
        ([1, 2, 3], 422, None, "object"),
    ],
)
def test_bad_json_bodies(
    client: Any, auth: Any, body: Any, status: int, field: str | None, words: str
) -> None:
    answer = post(client, auth, body)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["field"] == field
    assert words.lower() in error["message"].lower()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"text": "caf\xe9"}', "UTF-8"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"text": ', "not valid JSON"),
        (b"", "a JSON body is required"),
        (b'{"text": "tab\there"}', "invalid control character)"),
        (b"null", "object"),
        (b'{"text": "a" "b"}', "not valid JSON"),
    ],
)
def test_malformed_bodies(client: Any, auth: Any, raw: bytes, words: str) -> None:
    answer = post(client, auth, raw)
    assert answer.status_code == 422, answer.text
    assert words.lower() in answer.json()["error"]["message"].lower()


def test_a_body_not_sent_as_json_says_so(client: Any, auth: Any) -> None:
    answer = client.post(
        "/v1/moderate", content=b'{"text": "hello"}', headers=auth() | {"Content-Type": "text/plain"}
    )
    assert answer.status_code == 422, answer.text
    assert "Content-Type: application/json" in answer.json()["error"]["message"]
    huge = b'{"text": "hello", "comment_id": ' + b"9" * 5000 + b"}"
    answer = client.post("/v1/moderate", content=huge, headers=auth() | {"Content-Type": "application/json"})
    assert answer.status_code in (400, 422) and "4,300 digits" in answer.json()["error"]["message"]


def test_oversized_bodies_are_refused_before_parsing(client: Any, auth: Any) -> None:
    huge = json.dumps({"text": "a" * 70_000}).encode()
    declared = post(client, auth, huge)
    assert declared.status_code == 413 and "65536" in declared.json()["error"]["message"]

    def chunks() -> Any:  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b"x" * 4096

    streamed = client.post(
        "/v1/moderate", content=chunks(), headers=auth() | {"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script> I disagree with the decision about the embassy, strongly.",
        "Robert'); DROP TABLE comments;-- is my favourite diplomat, honestly, in all of this story.",
        "مرحبا، أعتقد أن المحادثات بين فنزويلا والولايات المتحدة خطوة جيدة للجميع في المنطقة",
        "\u202eThis text is reversed with a bidi override, but it is still about the embassy talks.",
        "中文评论：我认为委内瑞拉和美国之间的对话是一个好的开始，希望双方能够继续沟通。",
        "🙂" * 60,
        "Z̷̢̛a̶l̸g̵o̷ ̶t̴e̵x̸t̷ about the embassy in Caracas and the travel warning for citizens.",
    ],
)
def test_hostile_but_valid_text_is_moderated(client: Any, auth: Any, text: str) -> None:
    answer = post(client, auth, {"text": text, "comment_id": "hostile-1"})
    assert answer.status_code == 200, answer.text
    stored = answer.json()
    assert stored["decision"] in ("approve", "review", "reject")


def test_policy_documents_with_odd_keys(client: Any, auth: Any) -> None:
    raw = json.dumps({"thresholds": {"\ud800": 1}}).encode()
    answer = client.put(
        "/v1/sites/s/policy", content=raw, headers=auth("admin") | {"Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and "unknown score" in answer.json()["error"]["message"]


def test_wrong_method_and_path(client: Any, auth: Any) -> None:
    assert client.get("/v1/moderate", headers=auth()).status_code == 405
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
@pytest.mark.parametrize(
    ("method", "path", "role", "field"),
    [
        ("DELETE", "/v1/keys/{n}", "admin", "key_id"),
        ("DELETE", "/v1/widget-keys/{n}", "admin", "key_id"),
        ("DELETE", "/v1/sites/s/authors/a/actions/{n}", "moderator", "action_id"),
        ("GET", "/v1/review?page={n}", "moderator", "page"),
        ("GET", "/v1/review?tab=all&page={n}", "moderator", "page"),
    ],
)
@pytest.mark.parametrize("n", [2**31, 2**63, 10**23])
def test_numbers_no_column_holds_are_a_4xx(
    client: Any, auth: Any, method: str, path: str, role: str, field: str, n: int
) -> None:
    """An id or page past what the store's integers hold (PostgreSQL's 32 bits, SQLite's 64) was a 500."""
    answer = client.request(method, path.format(n=n), headers=auth(role))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field

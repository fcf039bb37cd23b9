"""Google's HTTP batch (``POST /batch``, ``/batch/commentanalyzer/v1alpha1``): the multipart format read in
both line-ending styles and written as Google writes it, and over HTTP: per-part keys, errors and answers,
every analyze part scored in one forward pass. (Google's own client drives it in
``test_perspective_client_library.py``.)"""

from __future__ import annotations

import email
import json
from collections.abc import Sequence
from typing import Any

import pytest
from perspective_helpers import Harness, KeywordRuntime, keyword_civility

from api.perspective.batch import PartAnswer, build_batch, parse_batch
from api.perspective.errors import PerspectiveError
from moderation.config import Settings

COMMENTS = [
    "What kind of idiot name is foo? Sorry, I like your name.",
    "Great reporting 👏 on the bike lanes — the council should read this twice.",
    "The parking fee increase is a tax on people who cannot cycle to work, simple as that.",
]


def part(
    text: str, key: str | None, cid: int, nl: str = "\n", path: str = "/v1alpha1/comments:analyze"
) -> str:
    """One part as google-api-python-client's BatchHttpRequest writes it (email generator, LF endings)."""
    body = json.dumps({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    query = f"?key={key}&alt=json" if key else "?alt=json"
    lines = [
        "Content-Type: application/http",
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: binary",
        f"Content-ID: <3b6bae97-c4fa-44f3-8bb0-8e0c0ea6a1b9 + {cid}>",
        "",
        f"POST {path}{query} HTTP/1.1",
        "Content-Type: application/json",
        "MIME-Version: 1.0",
        "accept: application/json",
        "Host: mod.example.org",
        f"content-length: {len(body.encode())}",
        "",
        body,
    ]
    return nl.join(lines)


def batch_body(
    parts: Sequence[str], boundary: str = "===============8474018266094610376==", nl: str = "\n"
) -> bytes:
    chunks = [f"--{boundary}{nl}{p}{nl}" for p in parts]
    return ("".join(chunks) + f"--{boundary}--{nl}").encode("utf-8")


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_parse_reads_lf_and_crlf_batches(nl: str) -> None:
    body = batch_body([part(c, "K", i, nl) for i, c in enumerate(COMMENTS, 1)], nl=nl)
    parts = parse_batch(
        body, 'multipart/mixed; boundary="===============8474018266094610376=="', max_parts=100
    )
    assert [p.content_id for p in parts] == [
        f"<3b6bae97-c4fa-44f3-8bb0-8e0c0ea6a1b9 + {i}>" for i in (1, 2, 3)
    ]
    assert {(p.method, p.path, p.query) for p in parts} == {
        ("POST", "/v1alpha1/comments:analyze", "key=K&alt=json")
    }
    assert [json.loads(p.body)["comment"]["text"] for p in parts] == COMMENTS


def test_parse_refuses_what_is_not_a_batch() -> None:
    body = batch_body([part(c, "K", i) for i, c in enumerate(COMMENTS, 1)], boundary="b")
    for content_type, message in [
        ("application/json", "must be multipart/mixed with a boundary"),
        ("multipart/mixed", "must be multipart/mixed with a boundary"),
    ]:
        with pytest.raises(PerspectiveError, match=message):
            parse_batch(body, content_type, max_parts=100)
    with pytest.raises(PerspectiveError, match="at most 2 calls, this one has 3"):
        parse_batch(body, "multipart/mixed; boundary=b", max_parts=2)
    with pytest.raises(PerspectiveError, match="no closing boundary"):
        parse_batch(body.removesuffix(b"--b--\n"), "multipart/mixed; boundary=b", max_parts=100)


def test_build_writes_googles_format() -> None:
    parts = parse_batch(
        batch_body([part("a", "K", 1), part("b", "K", 2)], "b"), "multipart/mixed; boundary=b", max_parts=9
    )
    content, content_type = build_batch(
        parts, [PartAnswer(200, {"attributeScores": {}}), PartAnswer(400, {"error": {"code": 400}})]
    )
    text = content.decode()
    assert content_type.startswith("multipart/mixed; boundary=batch_")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    assert "Content-ID: <response-3b6bae97-c4fa-44f3-8bb0-8e0c0ea6a1b9 + 1>" in text
    assert "HTTP/1.1 200 OK\r\n" in text and "HTTP/1.1 400 Bad Request\r\n" in text
    message = email.message_from_string(f"content-type: {content_type}\r\n\r\n" + text)
    payloads = [p.get_payload() for p in message.get_payload()]
    assert [json.loads(p.split("\r\n\r\n", 1)[1]) for p in payloads] == [
        {"attributeScores": {}},
        {"error": {"code": 400}},
    ]


class CountingRuntime(KeywordRuntime):
    def __init__(self) -> None:
        self.passes: list[int] = []

    def predict(self, comments: Sequence[Any], article_vectors: Sequence[Any]) -> list[Any]:
        self.passes.append(len(comments))
        return super().predict(comments, article_vectors)


def answers(response: Any) -> dict[str, tuple[int, Any]]:
    """Content-ID -> (status, JSON) of a batch answer, parsed as Google's client parses it."""
    message = email.message_from_string(
        f"content-type: {response.headers['content-type']}\r\n\r\n" + response.content.decode()
    )
    out = {}
    for p in message.get_payload():
        status_line, rest = p.get_payload().split("\n", 1)
        out[p["Content-ID"]] = (int(status_line.split(" ")[1]), json.loads(rest.split("\r\n\r\n", 1)[1]))
    return out


@pytest.mark.parametrize("path", ["/batch", "/batch/commentanalyzer/v1alpha1"])
def test_batch_over_http_one_forward_pass_and_an_answer_per_part(settings: Settings, path: str) -> None:
    runtime = CountingRuntime()
    h = Harness(settings, runtime)
    try:
        parts = [part(c, h.key, i) for i, c in enumerate(COMMENTS, 1)]
        parts.append(part("Nobody reads this.", "mk_c_not-a-real-key", 4))
        parts.append(part("", h.key, 5))
        parts.append(part("hello", h.key, 6, path="/v1alpha1/comments:list"))
        response = h.client.post(
            path,
            content=batch_body(parts),
            headers={"content-type": 'multipart/mixed; boundary="===============8474018266094610376=="'},
        )
        assert response.status_code == 200 and response.headers["content-type"].startswith("multipart/mixed")
        got = answers(response)
        ids = [f"<response-3b6bae97-c4fa-44f3-8bb0-8e0c0ea6a1b9 + {i}>" for i in range(1, 7)]
        assert list(got) == ids
        for i, text in enumerate(COMMENTS):
            status, body = got[ids[i]]
            expected = keyword_civility(text)["toxicity"]
            assert status == 200 and body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == expected
        assert got[ids[3]][0] == 400 and got[ids[3]][1]["error"]["details"][0]["reason"] == "API_KEY_INVALID"
        assert got[ids[4]][0] == 400 and got[ids[4]][1]["error"]["message"] == "Comment must be non-empty."
        assert got[ids[5]][0] == 404 and got[ids[5]][1]["error"]["status"] == "NOT_FOUND"
        assert runtime.passes == [3]  # the three valid analyze parts: ONE forward pass
    finally:
        h.close()


def test_batch_key_from_the_outer_request_and_batch_errors(harness: Harness) -> None:
    parts = [part(c, None, i, "\r\n") for i, c in enumerate(COMMENTS, 1)]
    headers = {"content-type": "multipart/mixed; boundary=b"}
    body = batch_body(parts, "b", "\r\n")
    keyed = harness.client.post(f"/batch?key={harness.key}", content=body, headers=headers)
    assert [status for status, _ in answers(keyed).values()] == [200, 200, 200]
    by_header = harness.client.post("/batch", content=body, headers=headers | {"X-API-Key": harness.key})
    assert [status for status, _ in answers(by_header).values()] == [200, 200, 200]
    nobody = harness.client.post("/batch", content=body, headers=headers)
    assert {json.dumps(b["error"]["details"][0]["reason"]) for _, b in answers(nobody).values()} == {
        '"CREDENTIALS_MISSING"'
    }
    not_multipart = harness.client.post("/batch", content=b"{}", headers={"content-type": "application/json"})
    assert not_multipart.status_code == 400 and not_multipart.json()["error"]["status"] == "INVALID_ARGUMENT"
    too_many = batch_body([part("hi", harness.key, i) for i in range(101)], "b")
    refused = harness.client.post("/batch", content=too_many, headers=headers)
    assert refused.status_code == 400 and "at most 100 calls" in refused.json()["error"]["message"]

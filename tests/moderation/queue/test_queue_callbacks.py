"""Signed decision callbacks, checked with the snippet from docs/callbacks.md on a real local receiver."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from queue_helpers import submit

from moderation.callbacks import SIGNATURE_HEADER, CallbackSender, deliver
from moderation.netguard import AllowList
from moderation.services import Services

DOC = Path(__file__).resolve().parents[3] / "docs" / "callbacks.md"
SECRET = "s3cret-for-tests"
LOCAL = AllowList.parse(["127.0.0.1"])  # the receiver is on loopback: allow-listed as an operator would


def documented_verifier() -> Callable[..., bool]:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert code, "docs/callbacks.md has a python snippet"
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    verify: Callable[..., bool] = namespace["verify_signature"]
    return verify


class Receiver:
    """A local HTTP endpoint that records (signature header, raw body) and answers from a script of codes."""

    def __init__(self, codes: list[int]) -> None:
        self.codes = codes
        self.received: list[tuple[str, bytes]] = []
        self.event = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((self.headers.get(SIGNATURE_HEADER, ""), body))
                code = outer.codes.pop(0) if outer.codes else 200
                self.send_response(code)
                self.end_headers()
                if code == 200:
                    outer.event.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver([])
    yield r
    r.server.shutdown()
    r.server.server_close()


def test_documented_snippet_verifies_a_real_delivery(receiver: Receiver) -> None:
    verify = documented_verifier()
    result = deliver(receiver.url, {"comment_id": "c1", "decision": "approve"}, secret=SECRET, allow=LOCAL)
    assert result.delivered and result.attempts == 1
    header, body = receiver.received[0]
    assert json.loads(body) == {"comment_id": "c1", "decision": "approve"}
    assert verify(SECRET, header, body)
    assert not verify("wrong-secret", header, body)
    assert not verify(SECRET, header, body.replace(b"approve", b"reject"))
    stale = re.sub(r"t=\d+", "t=1000", header)
    assert not verify(SECRET, stale, body)


def test_retries_with_backoff_then_succeeds(receiver: Receiver) -> None:
    receiver.codes = [500, 503, 200]
    pauses: list[float] = []
    result = deliver(receiver.url, {"x": 1}, secret=SECRET, allow=LOCAL, base_delay=0.1, sleep=pauses.append)
    assert result.delivered and result.attempts == 3
    assert pauses == [0.1, 0.2]
    assert len(receiver.received) == 3


def test_gives_up_after_bounded_attempts_and_on_client_errors(receiver: Receiver) -> None:
    receiver.codes = [500] * 10
    result = deliver(receiver.url, {"x": 1}, secret=SECRET, allow=LOCAL, attempts=3, sleep=lambda _s: None)
    assert not result.delivered and result.attempts == 3 and result.status == 500
    receiver.codes = [404]
    result = deliver(receiver.url, {"x": 1}, secret=SECRET, allow=LOCAL, attempts=3, sleep=lambda _s: None)
    assert not result.delivered and result.attempts == 1
    down = deliver(
        "http://127.0.0.1:9/nothing", {"x": 1}, secret=SECRET, allow=LOCAL, attempts=2, sleep=lambda _s: None
    )
    assert not down.delivered and down.status is None and down.error


def test_site_secret_and_url_are_used(receiver: Receiver) -> None:
    secrets = {"news": SECRET}
    sender = CallbackSender(
        secret_for=lambda site: secrets.get(site, "global"), site_urls={"news": receiver.url}, allow=LOCAL
    )
    assert sender.submit(None, {"site": "elsewhere"}) is None  # no URL: nothing sent
    future = sender.submit(None, {"site": "news", "comment_id": "c9"})
    assert future is not None and future.result(timeout=10).delivered
    sender.close()
    header, body = receiver.received[0]
    assert documented_verifier()(SECRET, header, body)


def test_worker_calls_back_with_the_decision_document(services: Services, receiver: Receiver) -> None:
    [cid] = submit(services, ["A thoughtful remark about the tram."], site="news", callback_url=receiver.url)
    services.build_worker(burst=True).run()  # closing the worker waits for its callbacks
    assert receiver.event.wait(10)
    header, body = receiver.received[0]
    doc = json.loads(body)
    assert doc["comment_id"] == cid and doc["status"] == "scored" and doc["site"] == "news"
    assert doc["decision"] in ("approve", "review", "reject") and "scores" in doc
    secret = services.callback_secret("news")
    assert documented_verifier()(secret, header, body)

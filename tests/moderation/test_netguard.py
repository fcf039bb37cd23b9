"""Issue 13 item 2: callbacks never reach loopback, private, link-local or metadata addresses, however the
address is spelled, neither when the URL is submitted nor when it is sent; redirects are not followed."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from moderation.callbacks import deliver
from moderation.netguard import AllowList, UnsafeTarget, check_url, forbidden

REFUSED = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short form
    "http://0.0.0.0:8000/",
    "http://localhost/",
    "http://LOCALHOST./x",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/",  # 6to4 of the metadata address
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[64:ff9b:1::a9fe:a9fe]/",  # local-use NAT64 of 169.254.169.254
    "http://10.0.0.7/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "http://user:pw@93.184.215.14/",
    "http://93.184.215.14:99999/",
    "http:///nohost",
    "http://name-that-does-not-resolve.invalid/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_non_public_targets_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget) as caught:
        check_url(url)
    assert caught.value.field == "callback_url"


def test_public_literals_pass_and_are_pinned() -> None:
    target = check_url("https://93.184.215.14:8443/hook?x=1")
    assert target.pinned_url() == "https://93.184.215.14:8443/hook?x=1"
    assert target.host_header == "93.184.215.14:8443"
    assert not forbidden(target.address)


def test_6to4_of_a_public_ipv4_address_passes() -> None:
    assert not forbidden(ipaddress.ip_address("2002:5db8:d70e::1"))  # 93.184.215.14


def test_the_allow_list_lets_named_private_targets_through() -> None:
    allow = AllowList.parse(["127.0.0.0/8", "intranet.example"])
    assert str(check_url("http://2130706433:8080/x", allow).address) == "127.0.0.1"
    assert check_url("http://localhost:8080/x", AllowList.parse(["localhost"])).address.is_loopback
    with pytest.raises(UnsafeTarget):
        check_url("http://10.0.0.1/", allow)  # not in the list


class Receiver:
    """A loopback HTTP server; answers ``code`` (with a Location to ``redirect`` for 3xx)."""

    def __init__(self, code: int, redirect: str = "") -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.hits.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(code)
                if redirect:
                    self.send_header("Location", redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(204)
    yield r
    r.close()


def test_send_time_check_refuses_loopback_without_allow_list(receiver: Receiver) -> None:
    port = receiver.url.rsplit(":", 1)[1]
    for url in (receiver.url + "/hook", f"http://2130706433:{port}/hook", f"http://localhost:{port}/h"):
        result = deliver(url, {"x": 1}, secret="k" * 20, attempts=3, sleep=lambda _s: None)
        assert not result.delivered and result.attempts == 1 and "refused" in (result.error or "")
    assert receiver.hits == []  # nothing ever reached the server
    ok = deliver(receiver.url + "/hook", {"x": 1}, secret="k" * 20, allow=AllowList.parse(["127.0.0.1"]))
    assert ok.delivered and receiver.hits == ["/hook"]


def test_redirects_are_not_followed(receiver: Receiver) -> None:
    bouncer = Receiver(302, redirect=receiver.url + "/internal")
    try:
        result = deliver(
            bouncer.url + "/hook",
            {"x": 1},
            secret="k" * 20,
            allow=AllowList.parse(["127.0.0.1"]),
            sleep=lambda _s: None,
        )
    finally:
        bouncer.close()
    assert not result.delivered and result.status == 302 and "redirect" in (result.error or "")
    assert receiver.hits == []

"""Issue 13 item 9: a request body that stalls is cut after ``body_timeout_s`` with 408, on a real uvicorn
over a real socket, and other clients are served meanwhile."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from api.main import create_app
from moderation.config import Settings
from moderation.services import build_services


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    services = build_services(settings.model_copy(update={"body_timeout_s": 1.0}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(services=services), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    services.close()


def test_a_stalled_body_gets_408_and_others_are_served(server: str) -> None:
    host, port = server.split(":")
    stalled = []
    for _ in range(5):  # several slow clients at once
        conn = socket.create_connection((host, int(port)))
        conn.sendall(
            b"POST /v1/moderate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"text": '
        )
        stalled.append(conn)
    started = time.monotonic()
    assert httpx.get(f"http://{server}/healthz", timeout=5).status_code == 200  # not starved
    for conn in stalled:
        conn.settimeout(10)
        answer = conn.recv(4096).decode("latin-1")
        assert answer.startswith("HTTP/1.1 408"), answer[:200]
        assert "did not arrive within 1 s" in answer
        conn.close()
    assert time.monotonic() - started < 8

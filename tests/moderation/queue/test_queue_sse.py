"""The SSE decisions feed over real uvicorn servers (two app instances = two API processes) with httpx."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from queue_helpers import submit

from api.main import create_app
from moderation.services import Services, build_services
from moderation.store import repo
from moderation.store.db import transaction


class Server:
    def __init__(self, services: Services) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(
            create_app(services=services), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started
        self.url = f"http://127.0.0.1:{self.port}"
        # FastAPI builds an included router's routes on the first request that reaches it, and two apps in ONE
        # process (real API processes are separate) share this module's routers: building them from two
        # server threads at once races inside pydantic (a 500 now and then). An unmatched path builds every
        # route here, while the servers still start one after the other.
        assert httpx.get(f"{self.url}/no-such-path").status_code == 404

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Listener:
    """Reads SSE events in a thread until ``want`` decisions arrived."""

    def __init__(self, url: str, key: str, want: int) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.connected = threading.Event()
        self.done = threading.Event()
        self.url, self.key, self.want = url, key, want
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.stream("GET", self.url, headers=headers, timeout=30) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            event_id = ""
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("id: "):
                    event_id = line[4:]
                elif line.startswith("data: "):
                    self.events.append((event_id, json.loads(line[6:])))
                    if len(self.events) >= self.want:
                        break
        self.done.set()


@pytest.fixture
def servers(services: Services, runtime: Any) -> Iterator[tuple[Server, Server]]:
    other = build_services(services.settings, runtime=runtime)  # a second API process's services
    a, b = Server(services), Server(other)
    yield a, b
    a.stop()
    b.stop()
    other.close()


def test_every_api_process_streams_filtered_decisions(
    services: Services, servers: tuple[Server, Server], api_keys: dict[str, str]
) -> None:
    a, b = servers
    key = api_keys["client"]
    by_site = Listener(f"{a.url}/v1/decisions/stream?site=alpha", key, want=2)
    with transaction(services.sessions) as session:  # beta's comments are far too short: rejected
        repo.save_policy(
            session=session, site="beta", article_id=None, document={"min_chars": 200}, created_by="t"
        )
    by_decision = Listener(f"{b.url}/v1/decisions/stream?decision=reject", key, want=1)
    assert by_site.connected.wait(10) and by_decision.connected.wait(10)
    alpha = submit(services, ["First alpha comment.", "Second alpha comment."], site="alpha")
    beta = submit(services, ["A beta comment."], site="beta")
    services.build_worker(burst=True).run()
    assert by_site.done.wait(20) and by_decision.done.wait(20)
    assert sorted(doc["comment_id"] for _id, doc in by_site.events) == sorted(alpha)
    assert {doc["site"] for _id, doc in by_site.events} == {"alpha"}
    [(_id, rejected)] = by_decision.events
    assert [rejected["comment_id"]] == beta and rejected["decision"] == "reject" and "scores" in rejected
    assert all(event_id for event_id, _doc in by_site.events)


def test_stream_rejects_bad_filters_and_anonymous_callers(
    servers: tuple[Server, Server], api_keys: dict[str, str]
) -> None:
    a, _b = servers
    h = {"Authorization": f"Bearer {api_keys['client']}"}
    assert httpx.get(f"{a.url}/v1/decisions/stream").status_code == 401
    r = httpx.get(f"{a.url}/v1/decisions/stream?decision=maybe", headers=h)
    assert r.status_code == 422 and "decision" in r.text
    r = httpx.get(f"{a.url}/v1/decisions/stream", headers=h | {"Last-Event-ID": "garbage"})
    assert r.status_code == 422

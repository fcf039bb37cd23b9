"""A real uvicorn server in a thread, on a free 127.0.0.1 port, over a migrated SQLite store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from api.main import create_app
from moderation import api_keys
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import Services, build_services
from moderation.store.db import transaction
from moderation.store.migrations import upgrade


@dataclass
class LiveServer:
    url: str
    services: Services
    moderator_key: str
    other_key: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(data_dir: Path, *, runtime: Any = None, demo: bool = False) -> Iterator[LiveServer]:
    """``runtime``: the test session's model (pages that moderate need it; the review UI does not); ``demo``:
    MODERATION_DEMO (the /demo page)."""
    url = f"sqlite:///{data_dir / 'moderation.db'}"
    upgrade(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=data_dir,
        database_url=url,
        log_json=False,
        log_level="WARNING",
        demo=demo,
        # a browser test loads /demo, checks and posts within one second, and the next test loads it again:
        # the default 5/second per key would answer 429 (a form left "unavailable") when the tests run fast.
        # The limit itself is tested in tests/api/test_sessions_and_limits.py.
        widget_rate_limit="50/second;3000/minute",
    )
    services = build_services(settings, use_redis=False, runtime=runtime)  # no Redis; a model when given
    with transaction(services.sessions) as s:
        _, moderator = api_keys.create_key(session=s, name="ann", role=Role.MODERATOR, all_sites=True)
        _, other = api_keys.create_key(session=s, name="bob", role=Role.MODERATOR, all_sites=True)
    port = free_port()
    config = uvicorn.Config(
        create_app(services=services),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=1,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(
            url=f"http://127.0.0.1:{port}", services=services, moderator_key=moderator, other_key=other
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        services.close()

"""Point 1 end to end: ``moderation demo`` + ``moderation serve`` (embedded Valkey, SQLite under the data dir)
answer the printed curl with a decision, and the server shuts down gracefully on SIGTERM."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serve_and_the_printed_curl(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env |= {"MODERATION_DATA_DIR": str(tmp_path / "data"), "MODERATION_LOG_JSON": "true"}
    cli = [sys.executable, "-m", "moderation.cli"]
    base = f"http://127.0.0.1:{port}"
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, timeout=120, cwd=ROOT, capture_output=True)
    demo = subprocess.run(
        [*cli, "demo", "--base-url", base, "--article", str(ROOT / "moderation/demo/article.json")],
        env=env,
        timeout=180,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    curl = next(line.strip() for line in demo.stdout.splitlines() if line.strip().startswith("curl "))
    assert (tmp_path / "data" / "demo-keys.json").stat().st_mode & 0o777 == 0o600

    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise AssertionError((tmp_path / "serve.log").read_text()[-2000:])
        args = shlex.split(curl)
        key = re.sub(r"^Authorization: Bearer ", "", args[args.index("-H") + 1])
        body = args[args.index("-d") + 1]
        answer = httpx.post(
            f"{base}/v1/moderate",
            content=body,
            timeout=60,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["decision"] in ("approve", "review", "reject")
        assert answer.json()["policy_version"] == "demo/demo-city-bike-lanes@1"
        assert (tmp_path / "data" / "valkey" / "valkey.sock").exists()  # the embedded Redis
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after draining
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Application shutdown complete" in output
    assert not (tmp_path / "data" / "valkey" / "valkey.sock").exists()  # the embedded Valkey was stopped

"""Issue 18, a newcomer's first minutes as a test: ``make run`` on a fresh data dir (its own recipe, as a user
runs it), what it prints, its curl, then every ``sh`` and ``json`` example of README.md and docs/*.md.

Examples are fenced blocks. ``sh`` blocks run in bash (``set -euo pipefail``; curl fails on an HTTP error)
in the checkout; ``json`` blocks must parse, and ``json POST <path>`` ones are sent there with a client key.
A block whose info string says ``not-run: <why>`` is not run. Placeholders are explicit: ``BASE_URLS`` (the
server's address as the README and the docs write it) and the venv's ``.venv/bin/`` are replaced
(``substitute``), ``KEYS`` are set in the environment for blocks that do not set them, and any other
upper-case shell variable a block uses without setting it fails ``test_examples_are_explicit``."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
FENCE = re.compile(
    r"^(?P<indent> *)```(?P<lang>[\w-]*)(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)
# the server as the README (make run's address, with or without http://) and the docs ("your server") write it
BASE_URLS = re.compile(r"(?:https?://)?(?:127\.0\.0\.1|localhost):8000\b|https://moderation\.example\.org\b")
KEYS = {"KEY": "client", "MODERATOR_KEY": "moderator", "ADMIN_KEY": "admin"}
VARIABLE = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)")
ASSIGNED = re.compile(r"(?:^|[;&|(]\s*|export\s+)([A-Z_][A-Z0-9_]*)=", re.M)
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Example:
    where: str
    lang: str
    info: str
    body: str

    @property
    def skip_reason(self) -> str | None:
        match = re.match(r"not-run:\s*(.+)", self.info)
        return match.group(1) if match else None


def examples() -> list[Example]:
    """Every ``sh`` / ``json`` block of the README and docs/, in document order."""
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match["lang"] in ("sh", "json"):
                line = text.count("\n", 0, match.start()) + 1
                body = textwrap.dedent(match["body"])
                where = f"{document.relative_to(ROOT)}:{line}"
                found.append(Example(where, match["lang"], match["info"].strip(), body))
    return found


def substitute(body: str, base_url: str) -> str:
    """The placeholders replaced: the server's address, the checkout's venv (``.venv/bin/``)."""
    return BASE_URLS.sub(base_url, body).replace(".venv/bin/", f"{BIN}/")


def test_placeholders() -> None:
    base = "http://127.0.0.1:5555"
    for written in ("http://127.0.0.1:8000/v1", "localhost:8000/v1", "http://localhost:8000/v1"):
        assert substitute(f"curl -s {written}", base) == f"curl -s {base}/v1"
    assert substitute("https://moderation.example.org/v1alpha1", base) == f"{base}/v1alpha1"
    assert substitute("K=$(.venv/bin/moderation demo)", base) == f"K=$({BIN}/moderation demo)"


def test_examples_are_explicit() -> None:
    """Each example runs or says why not; JSON parses; shell variables are set or are named placeholders."""
    found = examples()
    assert len([e for e in found if e.skip_reason is None]) >= 8, [e.where for e in found]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "demo-city-bike-lanes" in readme and "/moderate" in readme
    for example in found:
        if example.info.startswith("not-run"):
            assert example.skip_reason, f"{example.where}: `not-run:` needs a reason"
            continue
        if example.lang == "json":
            json.loads(example.body)  # a JSON example that does not parse fails here
            assert example.info in ("", "response") or re.fullmatch(r"POST /\S+", example.info), example.where
            continue
        assert example.info == "", f"{example.where}: unknown info string {example.info!r}"
        unset = set(VARIABLE.findall(example.body)) - set(ASSIGNED.findall(example.body)) - set(KEYS)
        assert not unset, f"{example.where} uses {sorted(unset)}: set them in the block or name them in KEYS"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_until(log: Path, pattern: str, *, seconds: float, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if re.search(pattern, text, re.M):
            return text
        if process.poll() is not None:
            break
        time.sleep(1)
    raise AssertionError(f"no {pattern!r} in make run's output:\n{log.read_text()[-4000:]}")


@pytest.mark.timeout(900)
def test_make_run_then_every_example(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env |= {
        "MODERATION_DATA_DIR": str(data),
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",  # docs write `moderation …` (an installed CLI)
        "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", "1"),
    }
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        # `make run` as the README says, on this checkout's venv (-o setup: the suite's setup already ran)
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "setup", "run", f"BIN={BIN}", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        output = read_until(log, r"^\s*curl .*/v1/moderate", seconds=420, process=make)
        # what the newcomer is told: the model load, a progress line, the URLs, the moderator UI, the keys
        assert "the first start loads the model (about a minute" in output
        assert "waiting for the API: loading the model …" in output
        assert f"API:      {base}" in output and f"{base}/docs" in output
        assert f"{base}/moderate" in output and "sign in with the moderator key" in output
        assert re.search(r"moderator mk_m_\S+", output) and "demo-keys.json" in output
        # the JSON log stays JSON: no progress bar inside it
        assert "Loading weights" not in output and "it/s]" not in output, output[-3000:]
        for line in output.splitlines():
            if line.startswith("{"):
                json.loads(line)

        keys = json.loads((data / "demo-keys.json").read_text())
        key_env = env | {name: keys[role] for name, role in KEYS.items()}
        printed_curl = next(line.strip() for line in output.splitlines() if line.strip().startswith("curl "))
        answer = json.loads(run_shell(printed_curl, env=key_env, where="make run's curl"))
        assert answer["decision"] in ("approve", "review", "reject"), answer

        for example in examples():
            if example.skip_reason is not None:
                continue
            if example.lang == "sh":
                run_shell(substitute(example.body, base), env=key_env, where=example.where)
            elif example.info.startswith("POST "):
                path = example.info.split()[1]
                response = httpx.post(
                    f"{base}{path}",
                    params={"key": keys["client"]},
                    content=example.body,
                    timeout=120,
                    headers={"Content-Type": "application/json"},
                )
                assert response.status_code == 200, f"{example.where}: {response.status_code} {response.text}"

        # the moderator screen, as make run's output says: /moderate, signed in with the moderator key
        with httpx.Client(base_url=base, timeout=60) as browser:
            login = browser.get("/moderate", follow_redirects=True)
            assert login.url.path == "/login" and 'name="key"' in login.text
            token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
            assert token is not None
            form = {"csrf_token": token.group(1), "next": "/moderate", "key": keys["moderator"]}
            queue = browser.post("/login", data=form, follow_redirects=True)
            assert queue.status_code == 200 and queue.url.path == "/moderate", queue.text[:500]
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C, as the README says
        try:
            make.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
            raise AssertionError("make run did not stop on Ctrl-C within 60 s") from None
    stopped = log.read_text(encoding="utf-8", errors="replace")
    assert "Application shutdown complete" in stopped, stopped[-3000:]
    assert "redis unavailable" not in stopped  # the embedded Valkey outlives the API's drain
    # a clean stop: the recipe exits 0, so make only dies of the SIGINT (130), with no "make: *** Error" line
    assert make.returncode in (0, 130, -signal.SIGINT), (make.returncode, stopped[-3000:])
    for noise in ("make: ***", "Traceback", "Terminated"):
        assert noise not in stopped, stopped[-3000:]
    assert not (data / "valkey" / "valkey.sock").exists()


def run_shell(script: str, *, env: dict[str, str], where: str) -> str:
    """Run ``script`` as a newcomer would paste it, curl failing on HTTP errors; its stdout."""
    preamble = 'set -euo pipefail\ncurl() { command curl --fail-with-body --max-time 120 "$@"; }\n'
    done = subprocess.run(
        ["bash", "-c", preamble + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (
        f"{where} failed ({done.returncode}); if it cannot run against `make run`, say why in its info string"
        f" (```sh not-run: <why>):\n{script}\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout

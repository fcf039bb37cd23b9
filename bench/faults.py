"""Fault run (issue 13): comments flow through the API, the queue and a worker while the worker is killed
with SIGKILL, Redis is killed and restarted on its AOF, the API is restarted and PostgreSQL is stopped for
20 seconds; then: submitted, decided exactly once, notifications delivered, client answers by status.

Everything is loopback and owned by the run: a PostgreSQL cluster of its own (initdb on a free port, run as
the ``postgres`` user when started as root), a redis-server of its own (AOF, appendfsync always), a local
callback receiver; never the shared servers. Bounded in time:

    .venv/bin/python bench/faults.py [--comments 120] [--pg-stop-s 20] [--max-seconds 420]

The client behaves as docs/queue.md asks: on 503/429 (or a refused connection) it waits ``Retry-After`` and
resubmits the same comment id. Target: 0 lost, 0 decided twice, 0 notifications missing, no 500.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

TEXT = "Comment {i} on the tram line: the timetable looks sensible, but the stop at the market needs a ramp."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PgCluster:
    def __init__(self, directory: Path) -> None:
        self.dir = directory / "pgdata"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        directory.chmod(0o755)
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            as_postgres(["initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            as_postgres(
                ["pg_ctl", "-D", str(self.dir), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            as_postgres(["pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop"]), capture_output=True
        )


class Receiver:
    """Decision callbacks: comment id -> how many times it was received."""

    def __init__(self) -> None:
        self.got: Counter[str] = Counter()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                doc = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                outer.got[str(doc.get("comment_id"))] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Client(threading.Thread):
    """Submits comments one by one, resubmitting the same id after 503/429/connection errors."""

    def __init__(self, base: str, key: str, count: int, callback: str, deadline: float) -> None:
        super().__init__(daemon=True)
        self.base, self.key, self.count, self.callback, self.deadline = base, key, count, callback, deadline
        self.statuses: Counter[str] = Counter()
        self.accepted: list[str] = []

    def run(self) -> None:
        with httpx.Client(timeout=30, headers={"X-API-Key": self.key}) as http:
            for i in range(self.count):
                body = {"text": TEXT.format(i=i), "comment_id": f"f-{i}", "callback_url": self.callback}
                while time.monotonic() < self.deadline:
                    try:
                        answer = http.post(f"{self.base}/v1/comments", json=body)
                    except httpx.HTTPError as exc:
                        self.statuses[type(exc).__name__] += 1
                        time.sleep(1.0)
                        continue
                    self.statuses[str(answer.status_code)] += 1
                    if answer.status_code == 202:
                        self.accepted.append(body["comment_id"])
                        break
                    if answer.status_code in (429, 503):
                        time.sleep(float(answer.headers.get("Retry-After", "1")))
                        continue
                    break  # any other answer is final for this comment (and counted)
                time.sleep(0.15)


def spawn(env: dict[str, str], args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "moderation.cli", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )


def wait_ready(base: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=120)
    parser.add_argument("--pg-stop-s", type=float, default=20.0)
    parser.add_argument("--max-seconds", type=float, default=420.0)
    args = parser.parse_args()
    from redis_server import OwnedRedis
    from sqlalchemy import func, select

    from moderation import api_keys
    from moderation.domain import Role
    from moderation.queue.keys import RedisKeys
    from moderation.store.db import make_engine, make_sessionmaker, transaction
    from moderation.store.migrations import upgrade
    from moderation.store.tables import CommentRow, DecisionRecord

    started = time.monotonic()
    log = print
    with tempfile.TemporaryDirectory(prefix="faults-") as tmp_name:
        tmp = Path(tmp_name)
        pg = PgCluster(tmp)
        pg.start()
        owned = OwnedRedis(tmp / "redis")
        owned.start()
        receiver = Receiver()
        upgrade(pg.url)
        engine = make_engine(pg.url)
        with transaction(make_sessionmaker(engine)) as session:
            key = api_keys.create_key(session=session, name="faults", role=Role.CLIENT, all_sites=True)[1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ) | {
            "MODERATION_ENVIRONMENT": "test",
            "MODERATION_DATA_DIR": str(tmp / "data"),
            "MODERATION_DATABASE_URL": pg.url,
            "MODERATION_REDIS_URL": owned.url,
            "MODERATION_REDIS_PREFIX": "faults",
            "MODERATION_CALLBACK_ALLOW": '["127.0.0.1"]',
            "MODERATION_WORKER_CLAIM_IDLE_MS": "3000",
            "MODERATION_QUEUE_REQUEUE_AFTER_S": "30",
            "MODERATION_MODEL_THREADS": "1",
            "MODERATION_LOG_JSON": "false",
            "MODERATION_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        serve = ["serve", "--port", str(port), "--no-migrate"]
        api = spawn(env, serve, tmp / "api.log")
        worker = spawn(env, ["worker"], tmp / "worker.log")
        processes = [api, worker]
        try:
            assert wait_ready(base, 240), (tmp / "api.log").read_text()[-2000:]
            deadline = started + args.max_seconds
            client = Client(base, key, args.comments, receiver.url, deadline - 60)
            client.start()
            time.sleep(6)
            log("fault: worker SIGKILL")
            worker.kill()
            worker.wait()
            worker = spawn(env, ["worker"], tmp / "worker.log")
            processes.append(worker)
            time.sleep(8)
            log("fault: Redis SIGKILL, restarted on its AOF 2 s later")
            owned.crash()
            time.sleep(2)
            owned.start()
            time.sleep(6)
            log("fault: API restart (SIGTERM, start)")
            api.send_signal(signal.SIGTERM)
            api.wait(timeout=60)
            api = spawn(env, serve, tmp / "api.log")
            processes.append(api)
            wait_ready(base, 240)
            time.sleep(4)
            log(f"fault: PostgreSQL stopped for {args.pg_stop_s:g} s")
            pg.stop()
            time.sleep(args.pg_stop_s)
            pg.start()
            client.join(timeout=max(1.0, deadline - 60 - time.monotonic()))
            accepted = set(client.accepted)
            sessions = make_sessionmaker(engine)

            def scored() -> set[str]:
                with sessions() as session:
                    return set(session.scalars(select(CommentRow.id).where(CommentRow.status == "scored")))

            while time.monotonic() < deadline and not accepted <= scored():
                time.sleep(1)
            while time.monotonic() < deadline and not accepted <= set(receiver.got):
                time.sleep(1)
            with sessions() as session:
                decisions = dict(
                    session.execute(
                        select(DecisionRecord.comment_id, func.count())
                        .where(DecisionRecord.source == "worker")
                        .group_by(DecisionRecord.comment_id)
                    ).all()
                )
            feed = redis.Redis.from_url(owned.url)
            stream = RedisKeys(prefix="faults").decisions_stream
            on_feed = Counter(json.loads(f[b"doc"])["comment_id"] for _i, f in feed.xrange(stream))
            feed.close()
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            engine.dispose()
            owned.stop()
            pg.stop()
            receiver.server.shutdown()
    once = sum(1 for cid in accepted if decisions.get(cid) == 1)
    print(f"comments submitted (202):             {len(accepted)} of {args.comments}")
    print(f"decided exactly once:                 {once}")
    print(f"lost (accepted, never decided):       {sum(1 for c in accepted if c not in decisions)}")
    print(f"decided more than once:               {sum(1 for c in accepted if decisions.get(c, 0) > 1)}")
    print(f"callbacks delivered (distinct):       {len(accepted & set(receiver.got))}")
    print(f"callbacks missing:                    {len(accepted - set(receiver.got))}")
    print(f"callbacks repeated (at least once):   {sum(n - 1 for n in receiver.got.values() if n > 1)}")
    print(f"on the decisions feed (distinct):     {len(accepted & set(on_feed))}")
    print(f"client answers by status:             {dict(sorted(client.statuses.items()))}")
    print(f"wall time:                            {time.monotonic() - started:.0f} s")
    bad = (
        len(accepted)
        - once
        + len(accepted - set(receiver.got))
        + sum(n for s, n in client.statuses.items() if s.startswith("5") and s != "503")
    )
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

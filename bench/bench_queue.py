"""End-to-end asynchronous throughput: comments/s from ``POST /v1/comments`` to the stored decision, for 1
and 2 worker processes × batch sizes 1, 16, 64, beside the raw encoder (``ModelRuntime.embed``) on the same
texts.

SQLite in a temporary directory and the Redis at 127.0.0.1:6379 (a fresh key prefix, deleted afterwards);
workers are real ``python -m moderation.cli worker`` processes, started (model loaded) before each cell is
timed. The API runs in-process (FastAPI TestClient), posting lists of up to 100 comments. Bounded in count
and time:

    .venv/bin/python bench/bench_queue.py [--count 200] [--max-seconds 120] [--redis-url redis://...]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.queue.keys import RedisKeys  # noqa: E402
from moderation.services import Services  # noqa: E402

WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "the new tram line through the old town will cost more than the council said and the timetable in the "
    "article does not match what residents were told at the meeting I support the plan but the bus cuts "
    "in the suburbs are a mistake that will hurt older people who cannot walk to the centre"
).split()


def comments(count: int, seed: int = 11) -> list[str]:
    """Realistic lengths: mostly 10-60 words, some up to 150."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        n = rng.choice([rng.randint(10, 60)] * 4 + [rng.randint(60, 150)])
        out.append(f"({i}) " + " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
    return out


def encoder_rate(texts: list[str], batch: int, threads: int) -> float:
    from models.runtime import ModelRuntime

    runtime = ModelRuntime.load(threads=threads)
    runtime.embed(texts[:8], batch_size=batch)  # warm up
    start = time.perf_counter()
    runtime.embed(texts, batch_size=batch)
    return len(texts) / (time.perf_counter() - start)


def start_workers(
    n: int, batch: int, env: dict[str, str], client: redis.Redis, prefix: str
) -> list[subprocess.Popen[bytes]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "moderation.cli", "worker", "--batch-size", str(batch), "--name", f"bench-{i}"],  # noqa: E501
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for i in range(n)
    ]  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if all(client.exists(RedisKeys(prefix).worker_health(f"bench-{i}")) for i in range(n)):
            return procs
        time.sleep(0.1)
    raise RuntimeError("workers did not start")


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()


def run_cell(
    http: TestClient, services: Services, headers: dict[str, str], texts: list[str], max_seconds: float
) -> float | None:
    from sqlalchemy import func, select

    from moderation.store.tables import CommentRow

    tag = uuid.uuid4().hex[:8]
    ids = [f"b{tag}-{i}" for i in range(len(texts))]
    start = time.perf_counter()
    for lo in range(0, len(texts), 100):
        body = [
            {"text": t, "comment_id": cid}
            for t, cid in zip(texts[lo : lo + 100], ids[lo : lo + 100], strict=True)
        ]
        r = http.post("/v1/comments", json=body, headers=headers)
        assert r.status_code == 202, r.text
    stmt = select(func.count()).where(CommentRow.id.like(f"b{tag}-%"), CommentRow.status == "scored")
    while time.perf_counter() - start < max_seconds:
        with services.sessions() as session:
            if session.scalar(stmt) == len(ids):
                return len(ids) / (time.perf_counter() - start)
        time.sleep(0.02)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="comments per cell")
    parser.add_argument("--max-seconds", type=float, default=120, help="give up on a cell after this long")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--batches", default="1,16,64")
    args = parser.parse_args()

    from api.main import create_app
    from moderation import api_keys
    from moderation.config import Settings
    from moderation.domain import Role
    from moderation.services import build_services
    from moderation.store.db import transaction
    from moderation.store.migrations import upgrade

    cores = os.cpu_count() or 1
    texts = comments(args.count)
    tmp = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    upgrade(db_url)
    settings = Settings(
        _env_file=None, environment="test", data_dir=tmp, database_url=db_url,  # type: ignore[call-arg]
        redis_url=args.redis_url, redis_prefix=prefix, queue_max_depth=100_000, log_json=False,
    )  # fmt: skip
    services = build_services(settings)
    with transaction(services.sessions) as session:
        _row, key = api_keys.create_key(session=session, name="bench", role=Role.CLIENT, all_sites=True)
    client = redis.Redis.from_url(args.redis_url)
    console = Console()
    table = Table(title=f"async throughput, {args.count} comments per cell, {cores} CPU cores")
    for col in ("workers", "batch", "POST→decision c/s", "encoder c/s", "e2e / encoder"):
        table.add_column(col, justify="right")
    encoder: dict[int, float] = {}
    try:
        with TestClient(create_app(services=services)) as http:
            headers = {"Authorization": f"Bearer {key}"}
            for batch in [int(b) for b in args.batches.split(",")]:
                encoder[batch] = encoder_rate(texts, batch, threads=cores)
                for n in [int(w) for w in args.workers.split(",")]:
                    env = dict(os.environ) | {
                        "MODERATION_ENVIRONMENT": "test", "MODERATION_DATA_DIR": str(tmp),
                        "MODERATION_DATABASE_URL": db_url, "MODERATION_REDIS_URL": args.redis_url,
                        "MODERATION_REDIS_PREFIX": prefix, "MODERATION_LOG_JSON": "false",
                        "MODERATION_MODEL_THREADS": str(max(1, cores // n)), "PYTHONPATH": str(ROOT),
                    }  # fmt: skip
                    procs = start_workers(n, batch, env, client, prefix)
                    try:
                        rate = run_cell(http, services, headers, texts, args.max_seconds)
                    finally:
                        stop_workers(procs)
                    shown = "timeout" if rate is None else f"{rate:.1f}"
                    ratio = "-" if rate is None else f"{rate / encoder[batch]:.2f}"
                    table.add_row(str(n), str(batch), shown, f"{encoder[batch]:.1f}", ratio)
                    console.print(f"workers={n} batch={batch}: {shown} c/s (encoder {encoder[batch]:.1f})")
    finally:
        for k in client.scan_iter(match=f"\\{{{prefix}\\}}:*"):
            client.delete(k)
        services.close()
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

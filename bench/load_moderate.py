"""Load on synchronous ``POST /v1/moderate`` at concurrency 8, 16 and 32 (issue 13 item 5): p50/p99 latency,
errors by status, and the server's resident memory before and after.

A real uvicorn (``moderation serve``) on 127.0.0.1 with PostgreSQL (a database of its own on the server at
127.0.0.1:5432, dropped afterwards) or SQLite, and an embedded Valkey, under a temporary directory. Every
request stores its comment (the path that held two pooled connections per request). Bounded in count and
time:

    .venv/bin/python bench/load_moderate.py [--database postgres|sqlite] [--requests 64] [--max-seconds 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
ARTICLE = "demo-city-bike-lanes"
WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "protected bike lanes on Main Street could make the road safer for children but shop owners worry about "
    "parking deliveries and customers who drive I think the council should check the injury data again"
).split()


def comments(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        target = rng.randint(60, 300)
        words: list[str] = []
        while len(" ".join(words)) < target:
            words.append(rng.choice(WORDS))
        out.append(" ".join(words)[:target].rstrip().capitalize() + ".")
    return out


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepare(data_dir: Path, database_url: str | None) -> str:
    """Migrate, register the demo article, create a client key; returns the key."""
    os.environ["MODERATION_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["MODERATION_DATABASE_URL"] = database_url
    from moderation import api_keys
    from moderation.cli.articles import import_file
    from moderation.config import get_settings
    from moderation.domain import Role
    from moderation.store.db import make_engine, make_sessionmaker, transaction
    from moderation.store.migrations import upgrade

    settings = get_settings()
    upgrade(settings.sqlalchemy_url)
    import_file(ROOT / "moderation" / "demo" / "article.json", settings=settings, encode=False)
    engine = make_engine(settings.sqlalchemy_url)
    with transaction(make_sessionmaker(engine)) as session:
        key = api_keys.create_key(session=session, name="load", role=Role.CLIENT, all_sites=True)[1]
    engine.dispose()
    return key


@dataclass
class Level:
    n: int
    p50: float
    p99: float
    rate: float
    statuses: dict[str, int]


async def level(base: str, key: str, texts: list[str], concurrency: int, deadline: float) -> Level:
    semaphore = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        base_url=base, timeout=120, limits=httpx.Limits(max_connections=concurrency)
    ) as client:

        async def one(index: int, text: str) -> None:
            async with semaphore:
                if time.monotonic() > deadline:
                    statuses["not sent (time)"] += 1
                    return
                body = {"text": text, "article_id": ARTICLE, "comment_id": f"load{concurrency}-{index}"}
                started = time.perf_counter()
                try:
                    answer = await client.post("/v1/moderate", json=body, headers=headers)
                    statuses[str(answer.status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(one(i, t) for i, t in enumerate(texts)))
        seconds = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    rate = len(latencies) / seconds if seconds else 0.0
    return Level(len(latencies), cuts[49], cuts[98], rate, dict(statuses))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--requests", type=int, default=64, help="requests per concurrency level")
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="stop sending after this long per level"
    )
    parser.add_argument("--levels", default="8,16,32")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    pg_name = None
    database_url = None
    if args.database == "postgres":
        import psycopg

        pg_name = f"moderation_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{PG_SERVER}/test", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"
    try:
        with tempfile.TemporaryDirectory(prefix="load-") as tmp:
            key = prepare(Path(tmp) / "data", database_url)
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            env = {k: v for k, v in os.environ.items() if k != "MODERATION_REDIS_URL"}
            env |= {"MODERATION_LOG_LEVEL": "WARNING", "MODERATION_DATA_DIR": str(Path(tmp) / "data")}
            if database_url:
                env["MODERATION_DATABASE_URL"] = database_url
            server = subprocess.Popen(
                [sys.executable, "-m", "moderation.cli", "serve", "--port", str(port), "--no-migrate"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(480):
                    try:
                        if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.5)
                asyncio.run(level(base, key, comments(4, 1), 1, time.monotonic() + 60))  # warm-up
                before = rss_mib(server.pid)
                rows = []
                for concurrency in levels:
                    texts = comments(args.requests, concurrency)
                    deadline = time.monotonic() + args.max_seconds
                    rows.append((concurrency, asyncio.run(level(base, key, texts, concurrency, deadline))))
                after = rss_mib(server.pid)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    finally:
        if pg_name:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/test", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    print(f"POST /v1/moderate, stored, {args.database}, {args.requests} requests per level")
    print(f"{'concurrency':>11} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>6}  statuses")
    for concurrency, r in rows:
        print(f"{concurrency:>11} {r.n:>4} {r.p50:>8.0f} {r.p99:>8.0f} {r.rate:>6.1f}  {r.statuses}")
    print(f"server RSS: {before:.0f} MiB before the load, {after:.0f} MiB after")
    errors = sum(n for _c, r in rows for s, n in r.statuses.items() if s != "200")
    print(f"errors (non-200): {errors}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

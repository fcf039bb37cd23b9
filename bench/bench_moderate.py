"""Synchronous ``POST /v1/moderate`` latency (p50/p95/p99) at concurrency 1 and 8, next to the raw encoder
time (``ModelRuntime.embed``, one text at a time) for the same comments, so the API's overhead is a ratio.

A real uvicorn (``moderation serve``) runs on 127.0.0.1 with SQLite and an embedded Valkey under a temporary
directory; comments are 50-1,000 characters, stored like a comment form would. Bounded in count and time:

    .venv/bin/python bench/bench_moderate.py [--requests 60] [--max-seconds 240]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "protected bike lanes on Main Street could make the road safer for children but shop owners worry about "
    "parking deliveries and customers who drive I think the council should check the injury data again "
    "and add loading zones before construction starts in spring"
).split()


def comments(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        target = rng.randint(50, 1000)
        words: list[str] = []
        while len(" ".join(words)) < target:
            words.append(rng.choice(WORDS))
        out.append((" ".join(words)[:target].rstrip() + ".").capitalize())
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def prepare(data_dir: Path) -> str:
    """Migrate, register the demo article, create a client key; returns the key."""
    os.environ["MODERATION_DATA_DIR"] = str(data_dir)
    from moderation import api_keys
    from moderation.cli.articles import import_file
    from moderation.config import get_settings
    from moderation.domain import Role
    from moderation.store.db import make_engine, make_sessionmaker, transaction
    from moderation.store.migrations import upgrade

    settings = get_settings()
    upgrade(settings.sqlalchemy_url)
    import_file(ROOT / "moderation" / "demo" / "article.json", settings=settings, encode=False)
    with transaction(make_sessionmaker(make_engine(settings.sqlalchemy_url))) as session:
        return api_keys.create_key(session=session, name="bench", role=Role.CLIENT, all_sites=True)[1]


def paired_sequential(base: str, key: str, texts: list[str]) -> tuple[list[float], list[float]]:
    """Concurrency 1, each comment timed through the API and, right after, through the bare encoder (same
    process conditions for both on a shared machine)."""
    from models.runtime import ModelRuntime

    runtime = ModelRuntime.load()
    runtime.embed(texts[:3])
    api, encoder = [], []
    with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {key}"}) as client:
        for index, text in enumerate(texts):
            body = {"text": text, "article_id": "demo-city-bike-lanes", "comment_id": f"b1-{index}"}
            started = time.perf_counter()
            client.post("/v1/moderate", json=body).raise_for_status()
            api.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            runtime.embed([text])
            encoder.append((time.perf_counter() - started) * 1000)
    return api, encoder


async def run_load(base: str, key: str, texts: list[str], concurrency: int, deadline: float) -> list[float]:
    semaphore = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        base_url=base, timeout=120, limits=httpx.Limits(max_connections=concurrency)
    ) as c:

        async def one(index: int, text: str) -> None:
            async with semaphore:
                if time.monotonic() > deadline:
                    return
                body = {
                    "text": text,
                    "article_id": "demo-city-bike-lanes",
                    "comment_id": f"b{concurrency}-{index}",
                }
                started = time.perf_counter()
                answer = await c.post("/v1/moderate", json=body, headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()

        await asyncio.gather(*(one(i, t) for i, t in enumerate(texts)))
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=60, help="requests per concurrency level")
    parser.add_argument(
        "--max-seconds", type=float, default=240, help="stop sending after this long per level"
    )
    args = parser.parse_args()
    texts = comments(args.requests)
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        key = prepare(Path(tmp) / "data")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "MODERATION_REDIS_URL"} | {
            "MODERATION_LOG_LEVEL": "WARNING"
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "moderation.cli", "serve", "--port", str(port), "--no-migrate"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            asyncio.run(run_load(base, key, texts[:5], 1, time.monotonic() + 60))  # warm-up
            sequential, encoder = paired_sequential(base, key, texts)
            results = {1: (sequential, sum(sequential) / 1000)}  # API time only, not the encoder runs
            started = time.monotonic()
            latencies = asyncio.run(run_load(base, key, texts, 8, started + args.max_seconds))
            results[8] = (latencies, time.monotonic() - started)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    enc = percentiles(encoder)
    table = Table(title=f"POST /v1/moderate vs encoder, {len(texts)} comments of 50-1,000 characters")
    for column in ("what", "n", "p50 ms", "p95 ms", "p99 ms", "req/s", "p50 / encoder p50"):
        table.add_column(column, justify="right" if column != "what" else "left")
    table.add_row(
        "encoder (runtime.embed, 1 text)", str(len(encoder)), *(f"{v:.1f}" for v in enc), "-", "1.00"
    )
    report: dict[str, object] = {"encoder_ms": dict(zip(("p50", "p95", "p99"), enc, strict=True))}
    for concurrency, (latencies, seconds) in results.items():
        p = percentiles(latencies)
        table.add_row(
            f"API, concurrency {concurrency}",
            str(len(latencies)),
            *(f"{v:.1f}" for v in p),
            f"{len(latencies) / seconds:.1f}",
            f"{p[0] / enc[0]:.2f}",
        )
        report[f"api_c{concurrency}_ms"] = dict(zip(("p50", "p95", "p99"), p, strict=True))
        report[f"api_c{concurrency}_req_per_s"] = round(len(latencies) / seconds, 2)
    console.print(table)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

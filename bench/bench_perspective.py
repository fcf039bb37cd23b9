"""Latency of ``POST /v1alpha1/comments:analyze`` beside ``POST /v1/moderate`` for the same comments.

Runs the real app (uvicorn, real encoder, SQLite in a temporary folder, the Redis at 127.0.0.1:6379) and
alternates the two endpoints comment by comment, so load on the machine hits both alike. Bounded: at most
``--count`` comments and ``--seconds`` of measuring. Prints a table with p50/p95 and the ratio.

    .venv/bin/python bench/bench_perspective.py --count 60 --seconds 90

Which request: with a trained civility head, Coral Talk's request (``TOXICITY`` + ``SEVERE_TOXICITY``)
against ``/v1/moderate`` with the text; without one, ``OFF_TOPIC`` against the demo article sent as
``context`` and the same article inline to ``/v1/moderate`` (both run the encoder on comment and article;
the article's encoding is cached after the first request).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.main import create_app
from models.splits import DATASETS
from moderation import api_keys
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import build_services
from moderation.store.db import transaction
from moderation.store.migrations import upgrade

DATA = DATASETS / "tweeteval" / "offensive" / "val.jsonl"
ARTICLE = DATASETS.parent / "demo" / "article.json"
FALLBACK = [
    "Thanks for writing this, very helpful.",
    "This is the dumbest thing I have read all week.",
    "I disagree: the embassy should have stayed closed.",
    "Who cares about any of this?",
]


def comments(count: int) -> list[str]:
    if not DATA.exists():
        return (FALLBACK * count)[:count]
    lines = DATA.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"].replace("@user", "").strip() for line in lines]
    return [t for t in texts if len(t) > 10][:count]


def article() -> dict[str, str]:
    doc = json.loads(ARTICLE.read_text()) if ARTICLE.exists() else {"title": "News", "body": "Text."}
    return {"title": doc["title"], "body": doc["body"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def requests_for(text: str, civility: bool, art: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    if civility:
        perspective = {
            "comment": {"text": text},
            "languages": ["en"],
            "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {}},
        }
        return {"text": text}, perspective
    context = f"{art['title']}\n{art['body']}"
    perspective = {
        "comment": {"text": text},
        "languages": ["en"],
        "context": {"entries": [{"text": context}]},
        "requestedAttributes": {"OFF_TOPIC": {}},
    }
    return {"text": text, "article": {"id": "bench-article", **art}}, perspective


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            environment="test",
            data_dir=Path(tmp),
            log_level="WARNING",  # type: ignore[call-arg]
            redis_url="redis://127.0.0.1:6379/0",
            redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        )
        upgrade(settings.sqlalchemy_url)
        services = build_services(settings)
        with transaction(services.sessions) as session:
            _, key = api_keys.create_key(session=session, name="bench", role=Role.CLIENT, all_sites=True)
        civility = "civility" in services.pipeline.runtime.heads  # loads the model before timing
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(services=services), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        timings: dict[str, list[float]] = {"/v1/moderate": [], "/v1alpha1/comments:analyze": []}
        art = article()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + args.seconds
            for i, text in enumerate(comments(args.count + 3)):
                moderate, perspective = requests_for(text, civility, art)
                calls = [
                    ("/v1/moderate", {"Authorization": f"Bearer {key}"}, moderate),
                    (f"/v1alpha1/comments:analyze?key={key}", {}, perspective),
                ]
                for path, headers, body in calls if i % 2 == 0 else calls[::-1]:
                    started = time.perf_counter()
                    response = client.post(path, json=body, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    response.raise_for_status()
                    if i >= 3:  # the first three are warm-up
                        timings[path.split("?")[0]].append(elapsed)
                if time.monotonic() > deadline:
                    break
        server.should_exit = True
        services.close()
    variant = "TOXICITY+SEVERE_TOXICITY" if civility else "OFF_TOPIC with the demo article as context"
    print(f"\nPerspective request: {variant}; {len(timings['/v1/moderate'])} comments each, ms\n")
    print("| endpoint | n | p50 | p95 | mean |\n|---|---|---|---|---|")
    for path, values in timings.items():
        print(
            f"| {path} | {len(values)} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} "
            f"| {statistics.fmean(values):.1f} |"
        )
    a, b = timings["/v1alpha1/comments:analyze"], timings["/v1/moderate"]
    p50, p95 = percentile(a, 0.5) / percentile(b, 0.5), percentile(a, 0.95) / percentile(b, 0.95)
    mean = statistics.fmean(a) / statistics.fmean(b)
    print(f"| ratio analyze / moderate | | {p50:.2f} | {p95:.2f} | {mean:.2f} |")


if __name__ == "__main__":
    main()

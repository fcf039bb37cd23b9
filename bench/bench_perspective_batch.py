"""Perspective's HTTP batch (``POST /batch``) beside the same comments sent one call at a time.

Runs the real app (uvicorn, real encoder, SQLite in a temporary folder, the Redis at 127.0.0.1:6379) and,
for ``--rounds`` rounds, sends ``--size`` real comments (TweetEval validation tweets) once as ``--size``
sequential ``comments:analyze`` calls and once as ONE batch (Google's multipart format, every analyze part
scored in one forward pass), alternating which goes first. Prints wall time per comment and the ratio.

    .venv/bin/python bench/bench_perspective_batch.py --size 50 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_perspective import comments, free_port

from api.main import create_app
from moderation import api_keys
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import build_services
from moderation.store.db import transaction
from moderation.store.migrations import upgrade


def batch_body(texts: list[str], key: str) -> bytes:
    parts = []
    for i, text in enumerate(texts, 1):
        body = json.dumps(
            {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}
        )
        parts.append(
            f"--b\nContent-Type: application/http\nContent-ID: <bench + {i}>\n\n"
            f"POST /v1alpha1/comments:analyze?key={key}&alt=json HTTP/1.1\n"
            f"Content-Type: application/json\n\n{body}\n"
        )
    return ("".join(parts) + "--b--\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = comments(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=Path(tmp),
            log_level="WARNING",
            redis_url="redis://127.0.0.1:6379/0",
            redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        )
        upgrade(settings.sqlalchemy_url)
        services = build_services(settings)
        with transaction(services.sessions) as session:
            _, key = api_keys.create_key(session=session, name="bench", role=Role.CLIENT, all_sites=True)
        services.pipeline.runtime  # noqa: B018 (load the model before timing)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(services=services), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        single: list[float] = []
        batched: list[float] = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:

            def one_by_one() -> None:
                started = time.perf_counter()
                for text in texts:
                    body = {
                        "comment": {"text": text},
                        "requestedAttributes": {"TOXICITY": {}},
                        "doNotStore": True,
                    }
                    client.post(f"/v1alpha1/comments:analyze?key={key}", json=body).raise_for_status()
                single.append((time.perf_counter() - started) * 1000 / len(texts))

            def as_batch() -> None:
                started = time.perf_counter()
                response = client.post(
                    "/batch",
                    content=batch_body(texts, key),
                    headers={"content-type": "multipart/mixed; boundary=b"},
                )
                response.raise_for_status()
                assert response.content.count(b"HTTP/1.1 200 OK") == len(texts)
                batched.append((time.perf_counter() - started) * 1000 / len(texts))

            as_batch()  # warm-up
            batched.clear()
            for round_ in range(args.rounds):
                for run in (one_by_one, as_batch) if round_ % 2 == 0 else (as_batch, one_by_one):
                    run()
        server.should_exit = True
        services.close()
    s, b = statistics.median(single), statistics.median(batched)
    print(
        f"\n{len(texts)} comments, TOXICITY, {args.rounds} rounds; wall ms per comment (median of rounds)\n"
    )
    print("| how | ms per comment | rounds |")
    print("|---|---|---|")
    print(f"| {len(texts)} single calls | {s:.1f} | {', '.join(f'{v:.1f}' for v in single)} |")
    print(f"| one batch of {len(texts)} | {b:.1f} | {', '.join(f'{v:.1f}' for v in batched)} |")
    print(f"| ratio batch / single | {b / s:.2f} | |")


if __name__ == "__main__":
    main()

"""The issue's held-out check: N realistic comments through ``POST /v1/comments``, the first worker SIGKILLed
after ``--kill-after`` seconds, a second one started; every comment must be scored within ``--limit`` seconds,
none lost (SQLite in a temporary directory, Redis 127.0.0.1:6379 under a fresh prefix).

    .venv/bin/python bench/kill_check.py [--n 400] [--kill-after 20] [--limit 300]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realistic_comments import describe, realistic_comments
from speed_table import deploy, start_workers, teardown


def scored_count(db_url: str, tag: str) -> int:
    from sqlalchemy import func, select

    from moderation.store.db import make_engine, make_sessionmaker
    from moderation.store.tables import CommentRow

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            stmt = select(func.count()).where(CommentRow.id.like(f"k{tag}-%"), CommentRow.status == "scored")
            return int(session.scalar(stmt) or 0)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--kill-after", type=float, default=20)
    parser.add_argument("--limit", type=float, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--model-cache", default=str(Path.home() / ".cache" / "comment-moderation"))
    parser.add_argument("--malloc-arena-max", type=int, default=0)
    args = parser.parse_args(argv)
    comments = realistic_comments(args.n)
    print(describe(comments), flush=True)
    dep = deploy(args, "none")
    tag = uuid.uuid4().hex[:8]
    try:
        start_workers(dep, 1, args.threads)
        began = time.perf_counter()
        with httpx.Client(
            base_url=dep.base_url, headers={"Authorization": f"Bearer {dep.key}"}, timeout=600
        ) as c:
            for lo in range(0, len(comments), 100):
                body = [
                    {"text": x.text, "comment_id": f"k{tag}-{lo + i}"}
                    for i, x in enumerate(comments[lo : lo + 100])
                ]
                r = c.post("/v1/comments", json=body)
                assert r.status_code == 202, r.text[:300]
        time.sleep(max(0.0, args.kill_after - (time.perf_counter() - began)))
        dep.workers[0].send_signal(signal.SIGKILL)
        dep.workers[0].wait()
        killed_at = scored_count(dep.db_url, tag)
        print(
            f"worker SIGKILLed after {time.perf_counter() - began:.0f} s with {killed_at} scored", flush=True
        )
        dep.workers = []
        start_workers(dep, 1, args.threads)
        done = killed_at
        while time.perf_counter() - began < args.limit and done < args.n:
            time.sleep(2)
            done = scored_count(dep.db_url, tag)
        spent = time.perf_counter() - began
        verdict = "PASS" if done == args.n else "FAIL"
        print(f"{verdict}: {done}/{args.n} scored after {spent:.0f} s (limit {args.limit:.0f} s)", flush=True)
        return 0 if done == args.n else 1
    finally:
        teardown(dep)


if __name__ == "__main__":
    raise SystemExit(main())

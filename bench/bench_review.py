"""Review queue latency on a large store: queue pages, claim + decide, article dashboard, labels report.

    .venv/bin/python bench/bench_review.py [--comments 20000] [--postgres]

Seeds comments with scores and system decisions straight into a fresh SQLite file (or a throwaway PostgreSQL
database), then times the domain calls behind the API and UI (median of ``--repeat`` runs). Prints a table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from moderation.review import decisions, labels
from moderation.review.dashboard import article_stats
from moderation.review.queue import QueueFilter, list_queue
from moderation.store.db import make_engine, make_sessionmaker, transaction
from moderation.store.tables import ArticleRow, Base, CommentRow, DecisionRecord, ScoreRecord

PG = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def pg_database() -> Iterator[str]:
    name = f"bench_review_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(factory: sessionmaker[Session], n: int) -> None:
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(days=7)
    with transaction(factory) as s:
        s.execute(
            insert(ArticleRow),
            [
                {
                    "id": f"a{i}",
                    "site": f"site{i % 5}",
                    "title": f"Article {i}",
                    "body": "b",
                    "content_hash": "x",
                }
                for i in range(50)
            ],
        )
    batch = 2000
    for lo in range(0, n, batch):
        comments, scores, decisions = [], [], []
        for i in range(lo, min(n, lo + batch)):
            tox = rng.random()
            action = "reject" if tox > 0.9 else "review" if tox > 0.5 else "approve"
            codes = ["TOXICITY"] if action != "approve" else []
            at = start + timedelta(seconds=i * 30)
            comments.append(
                {
                    "id": f"c{i}",
                    "site": f"site{i % 5}",
                    "article_id": f"a{i % 50}",
                    "text": "x" * 80,
                    "status": "scored",
                    "decision": action,
                    "decided_by": "system",
                    "top_score": tox,
                    "reason_codes": codes,
                    "created_at": at,
                    "updated_at": at,
                    "author_id": f"u{i % 500}",
                    "report_count": 1 if i % 97 == 0 else 0,
                }
            )
            doc = {
                "civility": {"toxicity": tox},
                "on_topic": rng.random(),
                "spans": [],
                "stance": {"against": 0.3, "neutral": 0.4, "favor": 0.3},
                "sentiment": {"negative": 0.3, "neutral": 0.4, "positive": 0.3},
            }
            scores.append({"comment_id": f"c{i}", "model_version": "bench", "scores": doc, "created_at": at})
            decisions.append(
                {
                    "comment_id": f"c{i}",
                    "decision": action,
                    "source": "worker",
                    "actor": "system",
                    "policy_version": "p1",
                    "created_at": at,
                    "reasons": [
                        {
                            "code": c,
                            "classifier": "civility",
                            "score": tox,
                            "threshold": 0.5,
                            "action": action,
                        }
                        for c in codes
                    ],
                }
            )
        with transaction(factory) as s:
            s.execute(insert(CommentRow), comments)
            s.execute(insert(ScoreRecord), scores)
            s.execute(insert(DecisionRecord), decisions)


def timed(fn: Callable[[], Any], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def run(factory: sessionmaker[Session], n: int, repeat: int) -> list[tuple[str, float]]:
    def page(**kw: Any) -> Callable[[], Any]:
        def go() -> None:
            with factory() as s:
                list_queue(session=s, filters=QueueFilter(**kw))

        return go

    counter = iter(range(10**9))

    def claim_and_decide() -> None:
        cid = f"c{2 * next(counter) + 1}"
        with transaction(factory) as s:
            decisions.claim(session=s, comment_id=cid, actor="bench", seconds=60)
        with transaction(factory) as s:
            decisions.decide(
                session=s, comment_id=cid, actor="bench", decision=decisions.DecisionInput(action="approve")
            )

    def dashboard() -> None:
        with factory() as s:
            article_stats(session=s, article_id="a1")

    def report() -> None:
        with factory() as s:
            labels.report(session=s)

    return [
        ("queue page 1 (review, newest)", timed(page(), repeat)),
        ("queue page 1 (review, highest score)", timed(page(sort="score"), repeat)),
        (
            "queue page 1 (all, site + score range)",
            timed(page(tab="all", site="site2", min_score=0.6), repeat),
        ),
        ("queue page 1 (all, reason TOXICITY)", timed(page(tab="all", reason="TOXICITY"), repeat)),
        ("queue page 100 (all, newest)", timed(page(tab="all", page=100), repeat)),
        ("queue page 1 (reported)", timed(page(tab="reported"), repeat)),
        ("queue page 1 (all, one author)", timed(page(tab="all", site="site2", author_id="u7"), repeat)),
        ("queue page 1 (all, text search)", timed(page(tab="all", q="needle"), repeat)),
        ("claim + decide (2 transactions)", timed(claim_and_decide, repeat)),
        (f"article dashboard ({n // 50} comments)", timed(dashboard, repeat)),
        (f"labels report ({next(counter)} labels)", timed(report, max(1, repeat // 3))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL at 127.0.0.1:5432")
    args = parser.parse_args()
    table = Table(title=f"Review queue, {args.comments} comments (median ms of {args.repeat} runs)")
    table.add_column("operation")
    results: dict[str, list[tuple[str, float]]] = {}
    with ExitStack() as stack:
        urls = {"SQLite": f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/bench.db"}
        if args.postgres:
            urls["PostgreSQL"] = stack.enter_context(pg_database())
        for name, url in urls.items():
            engine = make_engine(url)
            Base.metadata.create_all(engine)
            factory = make_sessionmaker(engine)
            seed(factory, args.comments)
            results[name] = run(factory, args.comments, args.repeat)
            engine.dispose()
            table.add_column(f"{name} ms", justify="right")
    for i, (label, _) in enumerate(next(iter(results.values()))):
        table.add_row(label, *(f"{results[name][i][1]:.1f}" for name in results))
    Console().print(table)


if __name__ == "__main__":
    main()

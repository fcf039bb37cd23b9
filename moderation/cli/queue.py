"""``moderation worker`` and ``moderation dlq list|retry|drop``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TYPE_CHECKING

from moderation.config import get_settings

if TYPE_CHECKING:
    from moderation.queue.streams import ScoreStream
    from moderation.services import Services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = subparsers.add_parser("worker", help="score queued comments from the Redis stream")
    add_worker_arguments(worker)
    worker.set_defaults(func=run_worker)

    dead = subparsers.add_parser("dlq", help="dead-letter stream: messages that failed too often")
    sub = dead.add_subparsers(dest="dlq_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="show dead letters")
    listing.add_argument("--limit", type=int, default=100, help="show at most this many (default 100)")
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    listing.set_defaults(func=run_dlq_list)
    for action, what in (("retry", "put back on the scoring stream"), ("drop", "delete for good")):
        cmd = sub.add_parser(action, help=f"{what} (dead-letter ids or comment ids)")
        cmd.add_argument("ids", nargs="*", help="ids to act on")
        cmd.add_argument("--all", action="store_true", help="every dead letter")
        cmd.set_defaults(func=run_dlq_change, action=action)


def add_worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--burst", action="store_true", help="exit when the stream is empty")
    parser.add_argument(
        "--check", action="store_true", help="exit 0 if a worker's health key is fresh, else 1"
    )
    parser.add_argument("--name", default=None, help="consumer name (default host-pid-random)")
    parser.add_argument("--batch-size", type=int, default=None, help="messages per forward pass (default 64)")
    parser.add_argument("--claim-idle-ms", type=int, default=None, help="reclaim messages idle this long")


def run_worker(args: argparse.Namespace) -> int:
    from moderation.queue.keys import RedisKeys
    from moderation.services import build_services

    settings = get_settings()
    if args.check:
        import redis

        from moderation.queue.worker import check_health

        client = redis.Redis.from_url(settings.redis_url) if settings.redis_url else None
        if client is None:
            from moderation.services import attach_embedded_redis

            client = attach_embedded_redis(settings)
        if client is None:
            print("unhealthy: no Redis", file=sys.stderr)
            return 1
        keys = RedisKeys(prefix=settings.redis_prefix)
        name_key = keys.worker_health(args.name) if args.name else None
        healthy = check_health(client, keys.worker_health_pattern, name_key=name_key)
        print("healthy" if healthy else "unhealthy: no fresh worker health key")
        return 0 if healthy else 1
    if args.batch_size is not None and not 1 <= args.batch_size <= 1024:
        print("error: --batch-size must be between 1 and 1024", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    services = build_services(settings)
    try:
        log_version = services.pipeline.model_version  # load the model now, not on the first batch
        logging.getLogger("moderation.worker").info("model %s loaded", log_version)
        worker = services.build_worker(
            batch_size=args.batch_size,
            burst=args.burst,
            name=args.name,
            claim_idle_ms=args.claim_idle_ms,
        )
        stats = worker.run()
        print(json.dumps({"worker": worker.name, **stats.__dict__}))
    finally:
        services.close()
    return 0


def _stream() -> tuple[Services, ScoreStream]:
    from moderation.services import build_services

    services = build_services(get_settings())
    return services, services.score_stream()


def run_dlq_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from moderation.queue import dlq

    services, stream = _stream()
    try:
        dead = dlq.list_dead(stream, count=args.limit)
    finally:
        services.close()
    if args.json:
        for d in dead:
            print(json.dumps(d.to_dict()))
        return 0
    table = Table("dead id", "comment", "job", "deliveries", "error", title=f"{len(dead)} dead letters")
    for d in dead:
        table.add_row(d.dead_id, d.comment_id, d.job_id or "", str(d.deliveries), d.error[:80])
    Console().print(table)
    return 0


def run_dlq_change(args: argparse.Namespace) -> int:
    from moderation.queue import dlq

    if not args.ids and not args.all:
        print("error: give dead-letter ids / comment ids, or --all", file=sys.stderr)
        return 2
    services, stream = _stream()
    try:
        act = dlq.retry_dead if args.action == "retry" else dlq.drop_dead
        changed = act(stream, dead_ids=None if args.all else list(args.ids))
    finally:
        services.close()
    verb = "retried" if args.action == "retry" else "dropped"
    print(f"{verb} {len(changed)}: {' '.join(d.comment_id for d in changed)}")
    return 0

"""``moderation demo``: load the demo article, create demo keys on first start, print the URL and a curl.

The keys are created only when the store has none; they are kept in ``<data_dir>/demo-keys.json`` (mode 0600)
so that a later run can print the curl again. The demo article is ``--article`` (``make run`` passes
``../shared/demo/article.json`` when present) or the packaged ``moderation/demo/article.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import time
from pathlib import Path

from moderation import api_keys
from moderation.cli.articles import import_file
from moderation.config import Settings, get_settings
from moderation.domain import Role
from moderation.store.db import make_engine, make_sessionmaker, transaction

PACKAGED_ARTICLE = Path(__file__).resolve().parents[1] / "demo" / "article.json"


def sample_comment(document: dict[str, object]) -> str:
    """An on-topic comment for the printed curl, built from the article's first key point or its title."""
    points = document.get("key_points")
    topic = str(points[0] if isinstance(points, list) and points else document.get("title", "this"))
    return f"About this: {topic.rstrip('.')}. I think it matters, and I hope both sides keep talking calmly."


def demo_keys(settings: Settings) -> dict[str, str] | None:
    """The demo keys: read from data_dir, or created when the store has no key at all (else None)."""
    path = settings.data_dir / "demo-keys.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            if api_keys.list_keys(session=session):
                return None
            created = {
                role.value: api_keys.create_key(
                    session=session, name=f"demo-{role.value}", role=role, all_sites=True
                )[1]
                for role in Role
            }
    finally:
        engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(created, handle, indent=2)
    return created


def curl_command(*, base_url: str, key: str, article_id: str, text: str) -> str:
    body = json.dumps({"text": text, "article_id": article_id})
    return (
        f"curl -s {base_url}/v1/moderate -H {shlex.quote('Authorization: Bearer ' + key)} "
        f"-H 'Content-Type: application/json' -d {shlex.quote(body)}"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="load the demo article, create demo keys once, print a curl")
    parser.add_argument(
        "--article", type=Path, default=None, help="demo article JSON (default: packaged one)"
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the API will listen")
    parser.add_argument(
        "--print-only", action="store_true", help="only print (the article is already loaded)"
    )
    parser.add_argument(
        "--wait", type=float, default=0.0, help="seconds to wait for the API's /healthz first"
    )
    parser.set_defaults(func=run_demo)


def wait_for(url: str, *, seconds: float) -> bool:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).is_success:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def run_demo(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.wait and not wait_for(f"{args.base_url}/healthz", seconds=args.wait):
        print(f"the API did not answer at {args.base_url} within {args.wait:.0f} s")
        return 1
    path = args.article if args.article and args.article.is_file() else PACKAGED_ARTICLE
    document = json.loads(path.read_text(encoding="utf-8"))
    article_id = document["id"]
    if not args.print_only:
        import_file(path, settings=settings)
    found = demo_keys(settings)
    print(f"\n  API:      {args.base_url}    (docs: {args.base_url}/docs)")
    print(f"  Demo:     {args.base_url}/demo    (the article as a news page with the comment widget)")
    print(f"  Article:  {article_id}  (from {path})")
    if found is None:
        print(
            "  Keys:     the store already has keys (not demo ones); create one with"
            " `moderation keys create --role client --name me --all-sites`"
        )
        return 0
    print(
        f"  Keys:     client {found['client']}\n            moderator {found['moderator']}"
        f"\n            admin {found['admin']}\n            (kept in {settings.data_dir / 'demo-keys.json'})"
    )
    print("\n  Try it:\n")
    print(
        "  "
        + curl_command(
            base_url=args.base_url, key=found["client"], article_id=article_id, text=sample_comment(document)
        )
        + "\n"
    )
    return 0

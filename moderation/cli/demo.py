"""``moderation demo``: load the demo article, make sure the store has the demo keys, wait for the API (with a
progress line while it loads the model), then print the URLs, the keys and a curl.

Demo keys: one active key per role (client, moderator, admin), named ``demo-<role>``, for all sites, kept
in ``<data_dir>/demo-keys.json`` (mode 0600). Each run reuses the kept key of a role while the store accepts
it, and otherwise creates one (the first start, after that key was revoked, with a lost file or a new
database), revoking any older active ``demo-<role>`` key of the role. Looking the keys up (``demo --key
client``) does not mark them used. The demo article is ``--article`` (``make run`` passes
``../shared/demo/article.json`` when present) or the packaged ``moderation/demo/article.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path
from urllib.parse import quote

from moderation import api_keys
from moderation.cli.articles import import_file
from moderation.config import Settings, get_settings
from moderation.domain import Role
from moderation.store.db import session_factory, transaction
from moderation.widget.comments import PACKAGED_ARTICLE, SHARED_ARTICLE

KEYS_FILE = "demo-keys.json"


def sample_comment(document: dict[str, object]) -> str:
    """An on-topic comment for the printed curl, built from the article's first key point or its title."""
    points = document.get("key_points")
    topic = str(points[0] if isinstance(points, list) and points else document.get("title", "this"))
    return f"About this: {topic.rstrip('.')}. I think it matters, and I hope both sides keep talking calmly."


def read_demo_keys(path: Path) -> dict[str, str]:
    """The keys kept in ``path``, {role: key} for each role it has ({} when it is missing or unreadable)."""
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {role.value: stored[role.value] for role in Role if isinstance(stored.get(role.value), str)}


def demo_keys(settings: Settings) -> tuple[dict[str, str], list[str]]:
    """({role: key}, the roles whose key was created now): one active demo key per role, ``demo-<role>``,
    for all sites. The key kept in ``data_dir/demo-keys.json`` is reused while the store still accepts it with
    its role; a role without one (first start, its key revoked, a lost file, a new database) gets a new key.
    Any other active ``demo-<role>`` key of that role is revoked, so old demo keys do not stay valid beside
    the new ones. The file is rewritten (mode 0600) when a key was created. Checking the keys does not mark
    them used (``api_keys.find_active``, not ``authenticate``)."""
    path = settings.data_dir / KEYS_FILE
    stored = read_demo_keys(path)
    keys: dict[str, str] = {}
    created: list[str] = []
    with session_factory(settings.sqlalchemy_url) as sessions, transaction(sessions) as session:
        for role in Role:
            plaintext = stored.get(role.value)
            row = None if plaintext is None else api_keys.find_active(session=session, plaintext=plaintext)
            if plaintext is None or row is None or row.role != role.value or not row.all_sites:
                row, plaintext = api_keys.create_key(
                    session=session, name=f"demo-{role.value}", role=role, all_sites=True
                )
                created.append(role.value)
            api_keys.revoke_others_named(session=session, keep=row)
            keys[role.value] = plaintext
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(keys, handle, indent=2)
        os.chmod(path, 0o600)  # an existing file keeps its mode through os.open
    return keys, created


def curl_command(*, base_url: str, key: str, article_id: str, text: str) -> str:
    body = json.dumps({"text": text, "article_id": article_id})
    return (
        f"curl -s {base_url}/v1/moderate -H {shlex.quote('Authorization: Bearer ' + key)} "
        f"-H 'Content-Type: application/json' -d {shlex.quote(body)}"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="load the demo article, create demo keys if the store lacks them, print URLs, keys and a curl",
        description="Load the demo article (its encoding is computed when the API first needs it), make sure"
        " there is one active demo key per role (the one kept in <data dir>/demo-keys.json while the store"
        " accepts it, else a new one, older demo keys of that role revoked), optionally wait for the API (a"
        " progress line while it loads the model), then print the API and moderator UI URLs, the keys and a"
        " ready-to-paste curl.",
    )
    parser.add_argument(
        "--article",
        type=Path,
        default=None,
        help="demo article JSON (default: ../shared/demo/article.json beside the checkout, as `make run`,"
        " else the packaged one)",
    )
    parser.add_argument(
        "--base-url", default="http://127.0.0.1:8000", help="where the API listens (default %(default)s)"
    )
    parser.add_argument(
        "--print-only", action="store_true", help="do not import the article (it is already loaded)"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="seconds to wait for the API's /healthz (a progress line meanwhile) before printing; default 0",
    )
    parser.add_argument(
        "--server-pid",
        type=int,
        default=None,
        help="stop waiting when this process (the API's) exits",
    )
    parser.add_argument(
        "--key",
        choices=[r.value for r in Role],
        default=None,
        help="only print this role's demo key (creating it if the store lacks it; printing it does not mark"
        " it used), e.g. for KEY=$(.venv/bin/moderation demo --key client)",
    )
    parser.set_defaults(func=run_demo)


def port_taken(base_url: str) -> bool:
    """True when something already listens on ``base_url``'s host and port."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=1.0):
            return True
    except OSError:
        return False


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_for(url: str, *, seconds: float, server_pid: int | None = None) -> float | None:
    """Poll ``url`` until it answers 2xx, with a progress line on stderr meanwhile: a whole line every 5 s on
    a terminal, every 15 s otherwise (never a line rewritten in place: the API's JSON log shares the
    terminal, and its records must start on lines of their own). The seconds it took, or None on timeout or
    when ``server_pid`` exits."""
    import httpx

    start = time.monotonic()
    every = 5.0 if sys.stderr.isatty() else 15.0
    shown = -every
    while (elapsed := time.monotonic() - start) < seconds and _alive(server_pid):
        try:
            if httpx.get(url, timeout=2.0).is_success:
                return elapsed
        except httpx.HTTPError:
            pass
        if elapsed - shown >= every:
            print(f"  waiting for the API: loading the model … {elapsed:.0f} s", file=sys.stderr, flush=True)
            shown = elapsed
        time.sleep(0.5)
    return None


def command_name() -> str:
    """How this command was invoked (``.venv/bin/moderation`` from ``make run``), to print runnable hints."""
    return sys.argv[0] if Path(sys.argv[0]).name == "moderation" else "moderation"


def default_article(given: Path | None) -> Path:
    """``given`` when it is a file, else the shared demo article when present, else the packaged one."""
    for path in (given, SHARED_ARTICLE):
        if path is not None and path.is_file():
            return path
    return PACKAGED_ARTICLE


def run_demo(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.key:
        print(demo_keys(settings)[0][args.key])
        return 0
    path = default_article(args.article)
    document = json.loads(path.read_text(encoding="utf-8"))
    article_id = document["id"]
    if not args.print_only:
        import_file(path, settings=settings, encode=False)
    found, created = demo_keys(settings)
    if args.wait and args.server_pid is not None and port_taken(args.base_url):
        # the API binds its port only once the model is loaded: a port taken now is another server's
        print(
            f"  {args.base_url} is already taken by another server (another `make run`?): stop it, or choose"
            " another port: make run PORT=8001",
            file=sys.stderr,
        )
        return 1
    if args.wait:
        print(
            f"\n  Starting the API at {args.base_url}: the first start loads the model (about a minute;"
            " later starts take seconds).\n",
            file=sys.stderr,
        )
        took = wait_for(f"{args.base_url}/healthz", seconds=args.wait, server_pid=args.server_pid)
        if took is None:
            why = (
                "stopped before it answered"
                if not _alive(args.server_pid)
                else f"did not answer in {args.wait:.0f} s"
            )
            print(f"  the API at {args.base_url} {why}: see its log above", file=sys.stderr)
            return 1
        print(f"  The API is ready (after {took:.0f} s).", file=sys.stderr)
    min_chars = (document.get("comment_rules") or {}).get("min_chars")
    print(f"\n  API:      {args.base_url}    (docs: {args.base_url}/docs)")
    print(f"  Review:   {args.base_url}/moderate    (moderators' UI: sign in with the moderator key)")
    page = f"{args.base_url}/demo?article={quote(str(article_id), safe='')}"
    print(f"  Demo:     {page}    (the article as a news page with the comment widget)")
    print(
        f"  Article:  {article_id}  (from {path}"
        + (f"; comments need at least {min_chars} characters)" if min_chars else ")")
    )
    fresh = f"{', '.join(created)} created now; " if created else ""
    print(
        f"  Keys:     client {found['client']}\n            moderator {found['moderator']}"
        f"\n            admin {found['admin']}\n            ({fresh}kept in"
        f" {settings.data_dir / KEYS_FILE}; `{command_name()} demo --print-only` prints them again)"
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

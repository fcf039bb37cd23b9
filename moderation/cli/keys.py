"""``moderation keys create|list|revoke``: API keys (shown once, stored hashed)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from moderation import api_keys
from moderation.config import get_settings
from moderation.domain import Role
from moderation.keyring import callback_secret, keyring_for
from moderation.store.db import session_factory, transaction


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("keys", help="API keys: create (shown once), list, revoke")
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="create a key and print it once")
    create.add_argument(
        "--role",
        default=Role.CLIENT.value,
        choices=[r.value for r in Role],
        help="what the key may do: client moderates and registers articles, moderator also reviews (and signs"
        " in at /moderate), admin also sets policies and keys (default client)",
    )
    create.add_argument(
        "--name", default=None, help="who or what uses the key (default: '<role> key <UTC date and time>')"
    )
    scope = create.add_mutually_exclusive_group()
    scope.add_argument(
        "--site",
        action="append",
        dest="sites",
        help="a site the key may use (repeatable; default: MODERATION_DEFAULT_SITE, 'default' unless set)",
    )
    scope.add_argument("--all-sites", action="store_true", help="the key may use every site")
    create.set_defaults(func=run_create)
    listing = sub.add_parser(
        "list",
        help="list keys (prefix, role, created, last used, revoked); tab-separated when not on a terminal",
    )
    listing.set_defaults(func=run_list)
    revoke = sub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id", type=int, help="the key's id (see keys list)")
    revoke.set_defaults(func=run_revoke)
    secret = sub.add_parser(
        "callback-secret", help="print the HMAC key a site's decision-callback receiver verifies with"
    )
    secret.add_argument("--site", required=True, help="the site whose callbacks are verified")
    secret.set_defaults(func=run_callback_secret)


def run_create(args: argparse.Namespace) -> int:
    name = args.name or f"{args.role} key {datetime.now(UTC):%Y-%m-%d %H:%M}"
    sites = None if args.all_sites else (args.sites or [get_settings().default_site])
    with session_factory(get_settings().sqlalchemy_url) as sessions, transaction(sessions) as session:
        row, plaintext = api_keys.create_key(
            session=session,
            name=name,
            role=api_keys.parse_role(args.role),
            sites=sites,
            all_sites=args.all_sites,
        )
        key_id = row.id
    print(plaintext)
    where = "all sites" if args.all_sites else "sites " + ", ".join(sites or [])
    print(
        f"key {key_id} ({args.role}, '{name}', {where}): store it now, it is not shown again", file=sys.stderr
    )
    return 0


COLUMNS = ("id", "name", "role", "sites", "prefix", "created", "last used", "revoked")


def run_list(args: argparse.Namespace) -> int:
    rows: list[tuple[str, ...]] = []
    with session_factory(get_settings().sqlalchemy_url) as sessions, sessions() as session:
        for row in api_keys.list_keys(session=session):
            rows.append(
                (
                    str(row.id),
                    row.name,
                    row.role,
                    "*" if row.all_sites else ",".join(row.sites),
                    row.prefix,
                    f"{row.created_at:%Y-%m-%d %H:%M}",
                    f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "-",
                    f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "-",
                )
            )
    if not sys.stdout.isatty():  # a pipe or a file: one tab-separated line per key, a header first
        for line in (COLUMNS, *rows):
            print("\t".join(cell.replace("\t", " ") for cell in line))
        return 0
    table = Table(*COLUMNS)
    for cells in rows:
        table.add_row(*cells)
    Console().print(table)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    with session_factory(get_settings().sqlalchemy_url) as sessions, transaction(sessions) as session:
        row = api_keys.revoke_key(session=session, key_id=args.id)
        print(f"revoked key {row.id} ({row.role}, '{row.name}')")
    return 0


def run_callback_secret(args: argparse.Namespace) -> int:
    settings = get_settings()
    print(callback_secret(settings, keyring_for(settings), args.site))
    return 0

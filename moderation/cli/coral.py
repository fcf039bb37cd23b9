"""``moderation coral secrets add|list|revoke``: the signing secrets of Coral Talk external moderation
phases, per site (docs/coral.md). ``add`` reads the secret from standard input (never the command line,
where other users' ``ps`` would see it)."""

from __future__ import annotations

import argparse
import getpass
import sys

from rich.console import Console
from rich.table import Table

from moderation import coral
from moderation.config import get_settings
from moderation.store.db import session_factory, transaction


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("coral", help="Coral Talk external moderation phase: signing secrets")
    sub = parser.add_subparsers(dest="coral_command", required=True, metavar="WHAT")
    secrets = sub.add_parser("secrets", help="signing secrets: add (from stdin), list, revoke")
    actions = secrets.add_subparsers(dest="secrets_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a phase's signing secret for a site (read from stdin)")
    add.add_argument(
        "--site", required=True, help="our site the phase URL names (/v1/coral/sites/SITE/phase)"
    )
    add.add_argument("--label", default=None, help="a note, e.g. Coral's phase name and the date")
    add.set_defaults(func=run_add)
    listing = actions.add_parser("list", help="list secrets (id, site, label, fingerprint, created, revoked)")
    listing.add_argument("--site", default=None, help="only this site's secrets")
    listing.set_defaults(func=run_list)
    revoke = actions.add_parser("revoke", help="revoke a secret by id (after Coral's rotation window)")
    revoke.add_argument("id", type=int, help="the secret's id (see coral secrets list)")
    revoke.set_defaults(func=run_revoke)


def _read_secret() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Coral signing secret: ")
    return sys.stdin.readline()


def run_add(args: argparse.Namespace) -> int:
    secret = _read_secret()
    with session_factory(get_settings().sqlalchemy_url) as sessions, transaction(sessions) as session:
        row = coral.add_secret(session=session, site=args.site, secret=secret, label=args.label)
        print(f"signing secret {row.id} registered for site '{row.site}' ({row.secret[:11]}…)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    table = Table("id", "site", "label", "secret", "created", "revoked")
    with session_factory(get_settings().sqlalchemy_url) as sessions, sessions() as session:
        for row in coral.list_secrets(session=session, site=args.site):
            table.add_row(
                str(row.id),
                row.site,
                row.label or "",
                row.secret[:11] + "…",
                f"{row.created_at:%Y-%m-%d %H:%M}",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
    Console().print(table)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    with session_factory(get_settings().sqlalchemy_url) as sessions, transaction(sessions) as session:
        row = coral.revoke_secret(session=session, secret_id=args.id)
        print(f"revoked signing secret {row.id} of site '{row.site}'")
    return 0

"""``moderation`` command line. Sub-commands live in this package's modules, each with
``register(subparsers)`` setting ``func(args) -> int``, all registered here (``python -m moderation.cli`` and
the ``moderation`` console script both run ``main``)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from moderation import __version__
from moderation.config import get_settings

SUBMODULES = ("keys", "articles", "moderate", "demo", "queue", "rescore", "labels", "coral")


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if not args.no_migrate:
        from moderation.store.migrations import upgrade

        upgrade(settings.sqlalchemy_url)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        timeout_graceful_shutdown=args.graceful_timeout,
        proxy_headers=True,
    )
    return 0


def run_db_upgrade(args: argparse.Namespace) -> int:
    from moderation.store.migrations import upgrade

    url = args.database_url or get_settings().sqlalchemy_url
    upgrade(url, args.revision)
    print(f"database at revision {args.revision}: {url.split('@')[-1]}")
    return 0


# commands whose arguments belong to the models package (``moderation eval --help`` is its help)
MODELS_COMMANDS = {"eval": "models.evaluate", "train": "models.train.__main__"}


def run_models_command(name: str, rest: Sequence[str]) -> int:
    code = importlib.import_module(MODELS_COMMANDS[name]).main(list(rest))
    return code if isinstance(code, int) else 0  # training returns the manifest path it wrote


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moderation", description="Self-hosted comment moderation service.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP API (uvicorn); migrates the database first")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes (each loads the model)"
    )
    serve.add_argument(
        "--graceful-timeout", type=int, default=20, help="seconds to finish requests on SIGTERM"
    )
    serve.add_argument("--no-migrate", action="store_true", help="do not run database migrations first")
    serve.set_defaults(func=run_serve)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply Alembic migrations (idempotent)")
    upgrade.add_argument("--revision", default="head", help="target revision (default head)")
    upgrade.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL (default: MODERATION_DATABASE_URL)"
    )
    upgrade.set_defaults(func=run_db_upgrade)

    for name, what in (("eval", "evaluate"), ("train", "train")):  # listed for --help; main() hands them over
        sub.add_parser(name, help=f"{what} the model heads (`moderation {name} --help` for its options)")

    for name in SUBMODULES:
        importlib.import_module(f"moderation.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in MODELS_COMMANDS:
        return run_models_command(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from moderation.errors import ModerationError

        if isinstance(exc, ModerationError):
            print(f"error: {exc.message}", file=sys.stderr)
            return 2
        if missing_tables(exc):
            print(
                "error: the database has no moderation tables yet: run `moderation db upgrade` first",
                file=sys.stderr,
            )
            return 2
        raise


def missing_tables(exc: BaseException) -> bool:
    """A database that was never migrated (SQLite: "no such table"; PostgreSQL: undefined table)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    if not isinstance(exc, OperationalError | ProgrammingError):
        return False
    return "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "42P01"

"""``moderation`` command line. Sub-commands live in this package's modules, each with
``register(subparsers)`` setting ``func(args) -> int``, all registered here (``python -m moderation.cli`` and
the ``moderation`` console script both run ``main``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Sequence

from moderation import __version__
from moderation.config import get_settings

SUBMODULES = ("keys", "articles", "moderate", "demo", "queue", "rescore", "labels", "coral")
# commands that read or write the store: main() brings it to the newest migration first (idempotent, as
# ``serve`` does), so a fresh data dir needs no ``moderation db upgrade``
STORE_COMMANDS = frozenset(
    {"keys", "articles", "moderate", "demo", "worker", "dlq", "rescore", "labels", "coral"}
)
# commands that use Redis (MODERATION_REDIS_URL, else the embedded Valkey under the data dir)
QUEUE_COMMANDS = frozenset({"serve", "worker", "dlq", "rescore"})
CONFIG_HELP = (
    "Configuration comes from MODERATION_* environment variables, or a .env file in the current directory "
    "(README.md, Configuration)."
)


class LineFormatter(argparse.HelpFormatter):
    """Wraps each line of a description or epilog on its own: the line breaks written are kept."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        wrap = textwrap.TextWrapper(width, initial_indent=indent, subsequent_indent=indent)
        wrap.break_long_words = wrap.break_on_hyphens = False  # URLs and paths stay whole
        return "\n".join(wrap.fill(line) for line in text.splitlines())


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if settings.log_json:
        # the weights' loading bar would land in the JSON log stream; `moderation demo --wait` (what
        # `make run` runs beside the API) shows a progress line on the terminal instead
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # uvicorn's worker processes too
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
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
    parser = argparse.ArgumentParser(
        prog="moderation",
        description="Self-hosted comment moderation service.",
        epilog=where_help(None),
        formatter_class=LineFormatter,
    )
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
    for name, command in sub.choices.items():
        add_where_help(command, name)
    return parser


def describe_store(url: str) -> str:
    """The store's (or Redis') URL with any password hidden."""
    from moderation.store.db import display_url

    return display_url(url)


def where_help(command: str | None) -> str:
    """The --help epilog: where configuration comes from and, for ``command``, what it writes where."""
    try:
        settings = get_settings()
    except Exception as exc:  # invalid configuration: --help still works and says so
        return f"{CONFIG_HELP}\nThe current configuration is invalid: {exc}"
    store = describe_store(settings.sqlalchemy_url)
    lines = [
        CONFIG_HELP,
        f"Data dir (MODERATION_DATA_DIR): {settings.data_dir.resolve()}",
        f"Store (MODERATION_DATABASE_URL, else SQLite in the data dir): {store}",
    ]
    if command in STORE_COMMANDS:
        lines.append("This command migrates the store to the newest schema first (as `serve` does).")
    if command is None or command in QUEUE_COMMANDS:
        queue = settings.redis_url and describe_store(settings.redis_url)
        lines.append(f"Queue (MODERATION_REDIS_URL): {queue or 'embedded Valkey under the data dir'}")
    return "\n".join(lines)


def add_where_help(parser: argparse.ArgumentParser, command: str) -> None:
    """Give ``parser`` and its sub-commands (``keys create`` …) the configuration epilog."""
    if parser.epilog is None:
        parser.epilog = where_help(command)
        parser.formatter_class = LineFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                add_where_help(child, command)


def migrate_store() -> None:
    """Bring the configured store to the newest migration, saying so when that changed anything."""
    from moderation.store.migrations import current_revision, head_revision, upgrade

    url = get_settings().sqlalchemy_url
    before = current_revision(url)
    if before == head_revision():
        return
    upgrade(url)
    what = "created" if before is None else f"migrated from {before}"
    print(f"store {describe_store(url)}: {what} (schema {head_revision()})", file=sys.stderr)
    if before is None and url.startswith("sqlite"):  # e.g. `moderation demo --key` run in another directory
        print(
            "  a new, empty store: a server started elsewhere (another directory or MODERATION_DATA_DIR /"
            " MODERATION_DATABASE_URL) keeps its own and will not know keys made here",
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in MODELS_COMMANDS:
        return run_models_command(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command in STORE_COMMANDS and not getattr(args, "check", False):
            migrate_store()
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

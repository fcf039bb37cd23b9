"""Alembic migrations, configured in code (no alembic.ini) so ``moderation db upgrade`` works from any cwd.

Regenerate after changing ``moderation/store/tables.py``::

    .venv/bin/python -m moderation.store.migrations revision "add foo column"   # autogenerates a diff
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (idempotent)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; None for a database never migrated (or a SQLite file that
    does not exist yet, which is not created)."""
    from alembic.runtime.migration import MigrationContext

    from moderation.store.db import make_engine

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None  # there is always at least one migration
    return head


def revision(message: str) -> None:
    """Autogenerate a migration: upgrade a scratch SQLite to head, diff it against tables.py."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/scratch.db"
        upgrade(url)
        rev_id = f"{len(list((HERE / 'versions').glob('[0-9]*.py'))) + 1:04d}"
        command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=rev_id)

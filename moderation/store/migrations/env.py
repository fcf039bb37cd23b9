"""Alembic environment: runs online against the URL set by ``moderation.store.migrations.alembic_config``."""

from __future__ import annotations

from alembic import context

from moderation.store.db import make_engine
from moderation.store.tables import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "sqlalchemy.url is set by moderation.store.migrations.alembic_config"

engine = make_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()

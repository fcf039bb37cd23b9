"""widget keys: publishable, site- and origin-scoped keys of the comment-form widget

Revision ID: 0005_widget
Revises: 0002_perspective
Create Date: 2026-11-30 21:45:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005_widget"
down_revision: str | Sequence[str] | None = "0004_newsroom"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "widget_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("widget_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_widget_keys_site"), ["site"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("widget_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_widget_keys_site"))
    op.drop_table("widget_keys")

"""coral signing secrets

Revision ID: 0002_perspective
Revises: 0001
Create Date: 2026-11-30 20:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002_perspective"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "coral_signing_secrets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coral_signing_secrets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coral_signing_secrets_site"), ["site"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("coral_signing_secrets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coral_signing_secrets_site"))
    op.drop_table("coral_signing_secrets")

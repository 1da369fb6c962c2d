"""covering index for matrices and agreement

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_codings_aggregate",
            ["status", "code_id", "document_id", "turn_id", "segment_id", "coder"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_index("ix_codings_aggregate")

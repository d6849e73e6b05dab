"""cross-branch duplicate checks: one row per record asked about (issue 15, "Across branches")

Revision ID: 0011
Revises: 0010

- branch_match_checks: a record the approval screen asked the central server about; pending (checked_at NULL)
  when the server could not be reached, then run at the next sync; the answer (branches and kinds of key, never
  a value) kept to be shown as a warning.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "branch_match_checks",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("matches", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.PrimaryKeyConstraint("record_id"),
    )


def downgrade() -> None:
    op.drop_table("branch_match_checks")

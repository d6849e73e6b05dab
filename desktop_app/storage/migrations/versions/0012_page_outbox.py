"""paper form pages to the central server (issue 16)

Revision ID: 0012
Revises: 0011

- page_outbox: each page of an approved version's paper form, queued in approval's transaction and sent after the
  record when the central server takes pages (the bank's choice); its state, attempts and last error.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "version", "page_no", name="uq_page_outbox_page"),
    )
    op.create_index("ix_page_outbox_state", "page_outbox", ["state"])


def downgrade() -> None:
    op.drop_index("ix_page_outbox_state", table_name="page_outbox")
    op.drop_table("page_outbox")

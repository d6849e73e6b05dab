"""paper form pages of approved records (issue 16)

Revision ID: 0005
Revises: 0004

- paper_page_blobs: each page image once, by SHA-256;
- paper_pages: page n of a stored record version, UNIQUE(record_id, version, page_no).

Taken only when the server is started with --accept-paper-pages (the bank's choice); empty otherwise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "paper_page_blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "paper_pages",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("page_no", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("paper_page_blobs.sha256"), nullable=False),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("record_id", "version", "page_no", name="uq_paper_pages_record_page"),
    )


def downgrade() -> None:
    op.drop_table("paper_pages")
    op.drop_table("paper_page_blobs")

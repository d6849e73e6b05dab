"""paper pages: scanned pages of a record's paper form (deduplicated blobs, page sets) and form-number claims

Revision ID: 0009
Revises: 0008

- page_blobs: one row per distinct page image (SHA-256 of its pixels), its encoded image and thumbnail;
- paper_pages: page `page_no` of set `set_no` of a record, pointing at a blob; earlier sets are kept;
- form_numbers: the record holding each paper form serial number (unique per workstation).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "paper_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("set_no", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["page_blobs.sha256"]),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "set_no", "page_no", name="uq_paper_page"),
    )
    op.create_index("ix_paper_pages_sha", "paper_pages", ["sha256"], unique=False)
    op.create_table(
        "form_numbers",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["claimed_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_index("ix_form_numbers_record", "form_numbers", ["record_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_form_numbers_record", table_name="form_numbers")
    op.drop_table("form_numbers")
    op.drop_index("ix_paper_pages_sha", table_name="paper_pages")
    op.drop_table("paper_pages")
    op.drop_table("page_blobs")

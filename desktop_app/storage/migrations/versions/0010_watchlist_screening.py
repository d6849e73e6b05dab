"""watchlist screening: imported list versions and their entries, hits on customers, background re-screening runs

Revision ID: 0010
Revises: 0009

- watchlist_versions: one row per imported list file (the UN consolidated list, a bank's own list), never
  replaced: the newest of each list name is the one screened against;
- watchlist_entries: the entries of a version (names, birth dates, nationalities, documents as JSON);
- screening_hits: a record that may be a listed entry, with the supervisor's decision (cleared, escalated) and
  its reason; keyed by the screened values' and the entry's fingerprints, so a cleared hit is not raised again
  for the same values and the same entry;
- screening_runs: re-screening of the approved customers after an import, with its cursor (resumable).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlist_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=64), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_watchlist_versions_name", "watchlist_versions", ["list_name", "id"], unique=False)
    op.create_table(
        "watchlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["watchlist_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_watchlist_entries_version", "watchlist_entries", ["version_id"], unique=False)
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("entry_ref", sa.String(length=64), nullable=False),
        sa.Column("subject_digest", sa.String(length=32), nullable=False),
        sa.Column("entry_digest", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("found_by", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["list_version_id"], ["watchlist_versions.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_screening_hits_record", "screening_hits", ["record_id", "status"], unique=False)
    op.create_index("ix_screening_hits_status", "screening_hits", ["status", "id"], unique=False)
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.String(length=36), nullable=False, server_default=""),
        sa.Column("screened", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("hits", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["list_version_id"], ["watchlist_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("screening_runs")
    op.drop_index("ix_screening_hits_status", table_name="screening_hits")
    op.drop_index("ix_screening_hits_record", table_name="screening_hits")
    op.drop_table("screening_hits")
    op.drop_index("ix_watchlist_entries_version", table_name="watchlist_entries")
    op.drop_table("watchlist_entries")
    op.drop_index("ix_watchlist_versions_name", table_name="watchlist_versions")
    op.drop_table("watchlist_versions")

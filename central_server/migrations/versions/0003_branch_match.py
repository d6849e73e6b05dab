"""cross-branch duplicate query (issue 15)

Revision ID: 0003
Revises: 0002

- match_keys: the hashed keys (desktop_app.domain.branch_match) of the latest stored version of each record;
- match_queries: every query a device made (the audit, and what the per-device rate limit counts).

Records stored before this revision have no keys until a new version of them arrives.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "match_keys",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("workstation_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_match_keys_digest", "match_keys", ["digest"])
    op.create_index("ix_match_keys_record", "match_keys", ["record_id"])
    op.create_table(
        "match_queries",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=True),
        sa.Column("keys", sa.Integer, nullable=False),
        sa.Column("answered", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_match_queries_device_at", "match_queries", ["device_id", "at"])


def downgrade() -> None:
    op.drop_table("match_queries")
    op.drop_table("match_keys")

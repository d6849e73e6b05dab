"""index the status timeline by actor, for per-clerk statistics

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
    op.create_index("ix_status_events_actor", "status_events", ["actor_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_status_events_actor", table_name="status_events")

"""a likely match in another branch found after approval is seen by a supervisor; a screening list version
imported with fewer entries on purpose (issue 15)

Revision ID: 0013
Revises: 0012

- branch_match_checks.seen_at, seen_by: when a supervisor marked as seen the answer to a question asked at sync
  about a record already approved (offline at approval: "a match is reported back at sync"). NULL until then.
- watchlist_versions.accepted_fewer: the administrator confirmed a version with far fewer entries than the list
  had; later versions are held to it, not to the larger ones before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("branch_match_checks") as batch:
        batch.add_column(sa.Column("seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("seen_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("watchlist_versions") as batch:
        batch.add_column(sa.Column("accepted_fewer", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("watchlist_versions") as batch:
        batch.drop_column("accepted_fewer")
    with op.batch_alter_table("branch_match_checks") as batch:
        batch.drop_column("seen_by")
        batch.drop_column("seen_at")

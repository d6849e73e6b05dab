"""sync enrolment pin: the trust anchor kept with the enrolment, and which enrolment acknowledged each outbox row

Revision ID: 0006
Revises: 0005

- sync_state.ca_pem: the CA certificate(s) the central server's certificate is checked against, read from the
  CA file at enrolment and kept here (public material), so that a later change of the file or of the setting
  cannot change whom the workstation trusts; its SHA-256 is pinned with the device credential in the OS
  credential store;
- outbox.acked_by: the device id (enrolment) whose credential received the acknowledgement. Rows acknowledged
  before this revision are left NULL: retention does not purge them until the enrolled server has confirmed them
  again (the next sync resends them; the server answers "duplicate"). Rows whose payload retention already
  purged cannot be resent, so they are marked with a fixed note instead of being scanned by every sync;
- an index on (state, acked_by) for that resend.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
PURGED_DATA = '{"__purged__":true}'
PURGED_BEFORE_PIN = "(purged before 0006)"


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: the outbox is referenced by nothing, but a copy would be slow on a big one.
    op.add_column("sync_state", sa.Column("ca_pem", sa.Text(), nullable=True))
    op.add_column("outbox", sa.Column("acked_by", sa.String(length=128), nullable=True))
    op.create_index("ix_outbox_acked_by", "outbox", ["state", "acked_by"], unique=False)
    # Straight to the driver: op.execute would read the ":true" inside the marker as a bind parameter.
    op.get_bind().exec_driver_sql(
        "UPDATE outbox SET acked_by = ? WHERE state = 'acked' AND payload = ?", (PURGED_BEFORE_PIN, PURGED_DATA)
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_acked_by", table_name="outbox")
    op.drop_column("outbox", "acked_by")  # SQLite's own DROP COLUMN (3.35+)
    op.drop_column("sync_state", "ca_pem")

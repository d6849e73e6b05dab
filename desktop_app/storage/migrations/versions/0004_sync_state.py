"""sync state: the server's answers on outbox rows, the workstation's standing with the server, retention purge

Revision ID: 0004
Revises: 0003

- outbox.reasons / outbox.central: why the server refused a version, the central copy on a version conflict;
- sync_state: device id, last success and error, the audit head the server confirmed (one row);
- records.purged_at, and the record_versions UPDATE trigger re-created so that the one change it allows is
  replacing the values of a version of a record in status 'synced' (acknowledged by the server) with the fixed
  purged marker, every other column unchanged: retention can remove personal data, nothing can rewrite it;
- status_events.actor_id nullable: the background sync job moves records approved -> synced with no user.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
PURGED_DATA = '{"__purged__":true}'

_VERSIONS_NO_UPDATE_0001 = """CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
       BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END"""

# A fixed literal, not input: nothing here comes from outside the program.
_VERSIONS_NO_UPDATE_BUT_PURGE = f"""CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
       WHEN NOT (
           NEW.data = '{PURGED_DATA}'
           AND NEW.record_id = OLD.record_id AND NEW.version = OLD.version AND NEW.kind = OLD.kind
           AND NEW.base_version IS OLD.base_version AND NEW.created_by = OLD.created_by
           AND NEW.created_at = OLD.created_at
           AND (SELECT status FROM records WHERE id = OLD.record_id) = 'synced'
       )
       BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END"""  # noqa: S608

_STATUS_EVENT_TRIGGERS = (
    """CREATE TRIGGER status_events_no_update BEFORE UPDATE ON status_events
       BEGIN SELECT RAISE(ABORT, 'the status timeline is append-only'); END""",
    """CREATE TRIGGER status_events_no_delete BEFORE DELETE ON status_events
       BEGIN SELECT RAISE(ABORT, 'the status timeline is append-only'); END""",
)


def _status_event_actor(nullable: bool) -> None:
    # SQLite cannot change a column in place: batch mode copies the table, which drops its triggers with it.
    op.execute("DROP TRIGGER IF EXISTS status_events_no_update")
    op.execute("DROP TRIGGER IF EXISTS status_events_no_delete")
    with op.batch_alter_table("status_events", recreate="always") as batch_op:
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=nullable)
    for trigger in _STATUS_EVENT_TRIGGERS:
        op.execute(trigger)


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: records is the parent of several foreign keys, so it is never copied.
    op.add_column("outbox", sa.Column("reasons", sa.Text(), nullable=True))
    op.add_column("outbox", sa.Column("central", sa.Text(), nullable=True))
    op.create_index("ix_outbox_record", "outbox", ["record_id", "version"], unique=False)
    op.add_column("records", sa.Column("purged_at", sa.DateTime(), nullable=True))
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=128), nullable=True),
        sa.Column("server_url", sa.String(length=500), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_code", sa.String(length=64), nullable=True),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.Column("audit_anchored_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("DROP TRIGGER record_versions_no_update")
    # Straight to the driver: op.execute would read the ":true" inside the marker as a bind parameter.
    op.get_bind().exec_driver_sql(_VERSIONS_NO_UPDATE_BUT_PURGE)
    _status_event_actor(nullable=True)


def downgrade() -> None:
    _status_event_actor(nullable=False)
    op.execute("DROP TRIGGER record_versions_no_update")
    op.execute(_VERSIONS_NO_UPDATE_0001)
    op.drop_table("sync_state")
    op.drop_column("records", "purged_at")  # SQLite's own DROP COLUMN (3.35+): no copy of a parent table
    op.drop_index("ix_outbox_record", table_name="outbox")
    op.drop_column("outbox", "central")
    op.drop_column("outbox", "reasons")

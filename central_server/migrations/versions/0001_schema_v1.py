"""schema version 1: the tables as the server made them before Alembic

Revision ID: 0001
Revises:

A database made by a server of schema version 1 (create_all, `schema_version` = 1) is stamped with this revision
at start and upgraded from here; an empty database runs it like any other.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("workstation_id", sa.String(100), nullable=False),
        sa.Column("credential_hash", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_devices_workstation_id", "devices", ["workstation_id"])
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.Column("used_by_device", sa.String(36), sa.ForeignKey("devices.id"), nullable=True),
    )
    op.create_table(
        "records",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("idempotency_key", sa.String(80), nullable=False, unique=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("workstation_id", sa.String(100), nullable=False),
        sa.Column("customer_key", sa.String(64), nullable=False),
        sa.Column("base_version", sa.Integer, nullable=True),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("record_id", "version", name="uq_records_record_version"),
    )
    op.create_index("ix_records_device_id", "records", ["device_id"])
    op.create_index("ix_records_customer_key", "records", ["customer_key"])
    op.create_table(
        "customers",
        sa.Column("customer_key", sa.String(64), primary_key=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("workstation_id", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "refusals",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("central", sa.Text, nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_refusals_device_id", "refusals", ["device_id"])
    op.create_table(
        "audit_entries",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("ts", sa.String(40), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("device_id", "seq", name="uq_audit_entries_device_seq"),
    )
    op.create_table(
        "audit_heads",
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_alerts",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_alerts_device_at", "audit_alerts", ["device_id", "at"])
    schema_version = sa.table(
        "schema_version",
        sa.column("id", sa.Integer),
        sa.column("version", sa.Integer),
        sa.column("created_at", sa.DateTime),
    )
    # UTC without a zone, as the server's UtcDateTime columns keep it
    op.bulk_insert(schema_version, [{"id": 1, "version": 1, "created_at": datetime.now(UTC).replace(tzinfo=None)}])


def downgrade() -> None:
    for table in (
        "audit_alerts", "audit_heads", "audit_entries", "refusals", "customers", "records", "enrolment_codes",
        "devices", "schema_version",
    ):  # fmt: skip
        op.drop_table(table)

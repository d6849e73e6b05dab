"""workstation identity, re-enrolment, normalised customer keys, claim releases (issue 14)

Revision ID: 0002
Revises: 0001

- workstations: a workstation id and its current device, filled from the devices enrolled so far (the latest
  active device of each id; earlier devices of an id stay as they are: `devices` lists them for an administrator
  to revoke);
- devices.replaces_device_id, devices.audit_base_seq: a re-enrolment's predecessor and the audit head it took over;
- enrolment_codes.workstation_id: the workstation a code is issued for (NULL: a new workstation);
- claim_releases: customer claims an administrator released, or merged here;
- customer keys normalised: records.customer_key and the customers table re-keyed with the form's normaliser
  (central_server.customers.customer_key); two claims that turn out to be one customer keep the earlier, and the
  other goes to claim_releases;
- indexes for the per-device rate limits: customers (device_id, claimed_at), refusals (device_id, at);
- schema_version 2, so that a server of version 1 refuses the database.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_devices = sa.table(
    "devices",
    sa.column("id", sa.String),
    sa.column("workstation_id", sa.String),
    sa.column("enrolled_at", sa.DateTime),
    sa.column("revoked_at", sa.DateTime),
)
_workstations = sa.table(
    "workstations", sa.column("workstation_id", sa.String), sa.column("device_id", sa.String),
    sa.column("enrolled_at", sa.DateTime),
)  # fmt: skip
_records = sa.table(
    "records", sa.column("id", sa.Integer), sa.column("record_id", sa.String), sa.column("customer_key", sa.String),
    sa.column("payload", sa.Text),
)  # fmt: skip
_customers = sa.table(
    "customers", sa.column("customer_key", sa.String), sa.column("record_id", sa.String),
    sa.column("workstation_id", sa.String), sa.column("device_id", sa.String), sa.column("claimed_at", sa.DateTime),
)  # fmt: skip
_releases = sa.table(
    "claim_releases", sa.column("customer_key", sa.String), sa.column("record_id", sa.String),
    sa.column("workstation_id", sa.String), sa.column("device_id", sa.String), sa.column("claimed_at", sa.DateTime),
    sa.column("released_at", sa.DateTime), sa.column("reason", sa.String),
)  # fmt: skip


def upgrade() -> None:
    op.add_column("devices", sa.Column("replaces_device_id", sa.String(36), nullable=True))
    op.add_column("devices", sa.Column("audit_base_seq", sa.Integer, nullable=False, server_default="0"))
    op.add_column("enrolment_codes", sa.Column("workstation_id", sa.String(100), nullable=True))
    op.create_table(
        "workstations",
        sa.Column("workstation_id", sa.String(100), primary_key=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("enrolled_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "claim_releases",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("customer_key", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("workstation_id", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
    )
    op.create_index("ix_customers_device_claimed_at", "customers", ["device_id", "claimed_at"])
    op.drop_index("ix_refusals_device_id", table_name="refusals")
    op.create_index("ix_refusals_device_at", "refusals", ["device_id", "at"])
    bind = op.get_bind()
    _fill_workstations(bind)
    _normalise_customer_keys(bind)
    op.execute(sa.text("UPDATE schema_version SET version = 2 WHERE id = 1"))


def _fill_workstations(bind: sa.Connection) -> None:
    first: dict[str, datetime] = {}
    latest: dict[str, str] = {}
    latest_active: dict[str, str] = {}
    for device_id, workstation_id, enrolled_at, revoked_at in bind.execute(
        sa.select(_devices).order_by(_devices.c.enrolled_at, _devices.c.id)
    ):
        first.setdefault(workstation_id, enrolled_at)
        latest[workstation_id] = device_id
        if revoked_at is None:
            latest_active[workstation_id] = device_id
    rows = [
        {"workstation_id": w, "device_id": latest_active.get(w, device), "enrolled_at": first[w]}
        for w, device in latest.items()
    ]
    if rows:
        bind.execute(_workstations.insert(), rows)


def _normalise_customer_keys(bind: sa.Connection) -> None:
    # The server's own function, not a copy: the keys must be the ones it computes from now on.
    from central_server.customers import customer_key
    from desktop_app.domain.form_schema import load_default_form

    form = load_default_form()
    new_keys: dict[tuple[str, str], str] = {}  # (record id, old key) -> new key, where it changes
    changed_rows: list[dict[str, object]] = []
    for row_id, record_id, old_key, payload in bind.execute(sa.select(_records)):
        values = json.loads(payload).get("values")
        key = customer_key(values if isinstance(values, dict) else {}, form)
        if key != old_key:
            new_keys[(record_id, old_key)] = key
            changed_rows.append({"row_id": row_id, "new_key": key})
    if not changed_rows:
        return
    bind.execute(
        _records.update().where(_records.c.id == sa.bindparam("row_id")).values(customer_key=sa.bindparam("new_key")),
        changed_rows,
    )
    claims = [dict(row._mapping) for row in bind.execute(sa.select(_customers))]
    claims.sort(key=lambda c: (c["claimed_at"], c["record_id"]))
    kept: dict[str, dict[str, object]] = {}
    gone: list[dict[str, object]] = []
    for claim in claims:
        key = new_keys.get((claim["record_id"], claim["customer_key"]), claim["customer_key"])
        if key in kept:
            gone.append(claim)
        else:
            kept[key] = {**claim, "new_key": key}
    moved = [c for c in kept.values() if c["new_key"] != c["customer_key"]]
    stale = [c["customer_key"] for c in gone + moved]
    for start in range(0, len(stale), 500):
        bind.execute(_customers.delete().where(_customers.c.customer_key.in_(stale[start : start + 500])))
    if moved:
        bind.execute(
            _customers.insert(),
            [{**{k: v for k, v in c.items() if k != "new_key"}, "customer_key": c["new_key"]} for c in moved],
        )
    if gone:
        now = datetime.now(UTC).replace(tzinfo=None)
        reason = "merged: the same customer once ID numbers were normalised (the earlier claim kept)"
        bind.execute(_releases.insert(), [{**c, "released_at": now, "reason": reason} for c in gone])


def downgrade() -> None:
    op.execute(sa.text("UPDATE schema_version SET version = 1 WHERE id = 1"))
    op.drop_index("ix_refusals_device_at", table_name="refusals")
    op.create_index("ix_refusals_device_id", "refusals", ["device_id"])
    op.drop_index("ix_customers_device_claimed_at", table_name="customers")
    op.drop_table("claim_releases")
    op.drop_table("workstations")
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_column("workstation_id")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("audit_base_seq")
        batch.drop_column("replaces_device_id")

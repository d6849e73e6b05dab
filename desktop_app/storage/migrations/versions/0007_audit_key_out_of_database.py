"""audit key out of the database: the audit chain's HMAC key moves to the key store (issue 14 item 9)

Revision ID: 0007
Revises: 0006

The key that makes the audit trail tamper-evident used to sit in `meta` inside the database it protects, so anyone
who could write the database could also re-hash a rewritten trail. It now lives beside the database key: in the OS
credential store or inside the passphrase wrap, and sealed to the recovery key (storage/keystore.py).

The store hands this migration a callback (`keep_audit_key` in the Alembic config's attributes) that keeps the key
there and saves keystore.json; only after it returned is the row deleted, in the migration's transaction, so a crash
leaves the key in the key store, the database, or both (the next open finishes), never in neither. Without a
callback (the benchmarks' plain reference, which has no key store) the row stays.
"""

from __future__ import annotations

from alembic import context, op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
AUDIT_KEY = "audit_key"
RECOVERY_MAC = "recovery_mac"


def upgrade() -> None:
    bind = op.get_bind()
    row = bind.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (AUDIT_KEY,)).fetchone()
    keep = context.config.attributes.get("keep_audit_key")
    if row is None or keep is None:
        return
    mac_required = bind.exec_driver_sql("SELECT 1 FROM meta WHERE key = ?", (RECOVERY_MAC,)).fetchone() is not None
    keep(bytes.fromhex(str(row[0])), mac_required)
    bind.exec_driver_sql("DELETE FROM meta WHERE key = ?", (AUDIT_KEY,))


def downgrade() -> None:
    # The key stays in the key store: the row cannot be put back from here (tests and support only).
    pass

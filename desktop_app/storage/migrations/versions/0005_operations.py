"""operations: import layouts, validation-failure log, review columns on records

Revision ID: 0005
Revises: 0004

- import_layouts: the column mapping a clerk chose for a spreadsheet layout (keyed by a hash of its header row),
  offered again the next time a file with the same headers is imported;
- validation_failures: one row per field that failed a rule at submit or at import (field, rule code, source,
  user, record id; never the value), for the dashboard;
- records.risk_level / records.id_valid_until: copied from the latest version like the search columns, so the
  periodic-review list is one indexed query; filled here from each record's latest version.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
PURGED_DATA = '{"__purged__":true}'


def upgrade() -> None:
    op.create_table(
        "import_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signature", name="uq_import_layout_signature"),
    )
    op.create_table(
        "validation_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_validation_failures_at", "validation_failures", ["at"], unique=False)
    # Plain ADD COLUMN: records is the parent of several foreign keys, so it is never copied.
    op.add_column("records", sa.Column("risk_level", sa.String(length=16), nullable=False, server_default=""))
    op.add_column("records", sa.Column("id_valid_until", sa.String(length=16), nullable=False, server_default=""))
    op.get_bind().exec_driver_sql(
        f"""UPDATE records SET
              risk_level = coalesce((SELECT json_extract(v.data, '$.risk_level') FROM record_versions v
                                     WHERE v.record_id = records.id AND v.version = records.version
                                       AND v.data != '{PURGED_DATA}'), ''),
              id_valid_until = coalesce((SELECT json_extract(v.data, '$.id_valid_until') FROM record_versions v
                                         WHERE v.record_id = records.id AND v.version = records.version
                                           AND v.data != '{PURGED_DATA}'), '')"""  # noqa: S608 - fixed literal
    )
    op.create_index("ix_records_review", "records", ["status", "checked_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_records_review", table_name="records")
    op.drop_column("records", "id_valid_until")
    op.drop_column("records", "risk_level")
    op.drop_index("ix_validation_failures_at", table_name="validation_failures")
    op.drop_table("validation_failures")
    op.drop_table("import_layouts")

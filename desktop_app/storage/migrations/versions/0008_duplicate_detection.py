"""duplicate detection: the birth date on records, and the supervisor's same/different-person decisions

Revision ID: 0008
Revises: 0007

- records.birth_date: copied from the latest version like the search columns, and indexed: with the ID number and
  the mobile (already indexed) it is how services/duplicates.py finds the few stored customers worth comparing
  with an entry (a blocking key), so the candidate query stays fast on a million customers; filled here from
  each record's latest version;
- duplicate_decisions: a supervisor's decision at approval that a record and a candidate are the same person or
  different people, by whom and when (the audit trail holds it too, without values).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Kept literally here (not imported): a migration must keep meaning what it meant when it was written.
PURGED_DATA = '{"__purged__":true}'
BIRTH_DATE_INDEX = (
    "birth_date", "status", "purged_at", "id", "version", "maker_id",
    "name", "name_pinyin", "id_type", "id_number", "mobile",
)  # fmt: skip


def upgrade() -> None:
    # Plain ADD COLUMN: records is the parent of several foreign keys, so it is never copied.
    op.add_column("records", sa.Column("birth_date", sa.String(length=16), nullable=False, server_default=""))
    op.get_bind().exec_driver_sql(
        f"""UPDATE records SET
              birth_date = coalesce((SELECT json_extract(v.data, '$.birth_date') FROM record_versions v
                                     WHERE v.record_id = records.id AND v.version = records.version
                                       AND v.data != '{PURGED_DATA}'), '')"""  # noqa: S608 - fixed literal
    )
    # Covering: the duplicate query's birth-date block (a few dozen customers per day on a million) is answered
    # from the index pages alone, never a table page per customer.
    op.create_index("ix_records_birth_date", "records", list(BIRTH_DATE_INDEX), unique=False)
    op.create_table(
        "duplicate_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_duplicate_decisions_record", "duplicate_decisions", ["record_id", "version"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_duplicate_decisions_record", table_name="duplicate_decisions")
    op.drop_table("duplicate_decisions")
    op.drop_index("ix_records_birth_date", table_name="records")
    op.drop_column("records", "birth_date")

"""match keys for every stored record, the paper form number among them (issues 15 and 16)

Revision ID: 0004
Revises: 0003

Records stored before revision 0003 had no match keys until a new version of them arrived, and the keys gained a
kind (form_number: the paper form's serial, unique centrally). The keys of the newest stored version of every
record are made again with this release's definition (central_server.branch_matches.reindex_all). No schema
change; downgrading leaves the keys as they are (revision 0003 reads them alike).
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from central_server.branch_matches import reindex_all

    reindex_all(op.get_bind())


def downgrade() -> None:
    pass  # the keys stay; revision 0003 uses them as they are

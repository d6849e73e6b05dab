"""Schema migrations with Alembic, applied when a store opens, after an automatic backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from desktop_app.storage.errors import NewerSchema

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest revision, so that opening an up-to-date store need not load the migration scripts
#: (a test checks it against the scripts' head).
HEAD = "0013"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of the program knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The schema revision recorded in the database, None for an empty database."""
    return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(conn: Connection) -> bool:
    """True when the database is behind this program's schema; NewerSchema when it is ahead of it."""
    current = current_revision(conn)
    if current == HEAD:
        return False
    script = ScriptDirectory.from_config(_config())
    if current is not None and not _known(script, current):
        raise NewerSchema(
            f"This database has schema revision {current}, newer than this program knows "
            f"({head_revision()}). Install the newer version of Desktop App; the file was not changed."
        )
    return current != head_revision()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


#: Called by revision 0007 with the audit key it moves out of the database and whether the database requires the
#: recovery key's MAC; it keeps the key in the key store (saved) before the row is deleted.
KeepAuditKey = Callable[[bytes, bool], None]


def upgrade(conn: Connection, keep_audit_key: KeepAuditKey | None = None) -> None:
    """Bring the schema to head on `conn` (the caller commits); `keep_audit_key` for revision 0007."""
    cfg = _config()
    cfg.attributes["connection"] = conn
    if keep_audit_key is not None:
        cfg.attributes["keep_audit_key"] = keep_audit_key
    command.upgrade(cfg, "head")


def downgrade(conn: Connection, revision: str) -> None:
    """Take the schema back to `revision` on `conn` (tests and support only; the caller commits)."""
    cfg = _config()
    cfg.attributes["connection"] = conn
    command.downgrade(cfg, revision)

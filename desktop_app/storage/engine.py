"""The SQLCipher engine: every pooled connection is keyed by its first statement.

The key goes in through the pool's creator, so no connection can exist without it. Each connection then
gets WAL with synchronous=FULL (a committed record survives a power cut), foreign keys and a busy timeout.
Transactions are begun explicitly (deferred for reads, IMMEDIATE for writes) instead of the driver's
implicit ones, so that a writer holds the lock from its first read (the audit chain needs that).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from desktop_app.storage.errors import DatabaseDamaged, StoreBusy, WrongKey
from desktop_app.storage.keystore import sqlcipher_key_literal

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# How long a whole-file operation waits for the database to be free before it refuses: other programs' connections
# stay open for as long as they run, so waiting longer would only delay the refusal.
EXCLUSIVE_WAIT_S = 1.0
# 32 MiB of decrypted pages per connection: index pages stay decrypted in memory between queries,
# which brought reads on 1,000,000 customers level with plain SQLite (benchmarks/bench_store.py).
CACHE_KIB = 32 * 1024
IMMEDIATE = "desktop_app_immediate"

DBAPIConnection = Any


def _apply_pragmas(conn: DBAPIConnection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Deleted content (retention's purged values, a discarded draft) is overwritten, not left in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def open_raw(path: Path, key: bytes, *, must_exist: bool = True) -> DBAPIConnection:
    """A keyed DB-API connection to `path`; WrongKey/DatabaseDamaged when the file will not open."""
    if must_exist and not path.exists():
        raise DatabaseDamaged(f"The database file {path} is missing. Restore it from a backup.")
    conn = sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA key = {sqlcipher_key_literal(key)}")
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher's own log noise stays off stderr
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _apply_pragmas(conn)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _explain_open_error(path, exc) from None
    return conn


def open_exclusive(path: Path, key: bytes) -> DBAPIConnection:
    """A keyed connection that has the database to itself until it is closed, its WAL checkpointed in full.

    StoreBusy (nothing changed) when any other connection, in any process, has the file open or the checkpoint
    cannot complete. Nobody else can read or write the file while this connection is open.
    """
    if not path.exists():
        raise DatabaseDamaged(f"The database file {path} is missing. Restore it from a backup.")
    conn = sqlcipher3.connect(str(path), timeout=EXCLUSIVE_WAIT_S, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA key = {sqlcipher_key_literal(key)}")
        conn.execute("PRAGMA cipher_log_level = NONE")
        # Set before the first read, EXCLUSIVE makes that read take the file's exclusive lock and keep it: every
        # other connection in WAL mode holds a shared lock for as long as it is open, so the read fails while any
        # exists. The WAL index then lives in this connection's memory, not in -shm.
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA synchronous = FULL")  # the checkpoint reaches the disk before anything relies on it
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise StoreBusy(
                f"Another program has the database {path} open (the desktop app, a scheduled sync, a backup or "
                "another command). Nothing was changed; try again when it has finished."
            ) from None
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or (frames >= 0 and frames != copied):  # -1: not in WAL mode, nothing to copy
            raise StoreBusy(
                f"The database {path} could not be checkpointed (another program is using it). Nothing was changed."
            )
        conn.execute("BEGIN EXCLUSIVE")  # in rollback-journal mode the first read took only a shared lock
        conn.execute("COMMIT")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _explain_open_error(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _explain_open_error(path: Path, exc: Exception) -> Exception:
    """Turn SQLCipher's terse open errors into one message that says what is wrong and what to do."""
    size = path.stat().st_size if path.exists() else 0
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"The database {path} is in use by another program that needs it alone (a key rotation, a restore, "
            "or another command holding it). Nothing was changed; try again when it has finished."
        )
    if size == 0 or size % 1024 != 0 or "malformed" in text:
        return DatabaseDamaged(
            f"The database file {path} is damaged or truncated ({size} bytes). "
            "Nothing was changed; restore the latest backup with 'desktop-app restore'."
        )
    return WrongKey(
        f"The database {path} cannot be read with this key: the key is wrong or the file is damaged. "
        "Nothing was changed; if the key was lost, run 'desktop-app recover'; otherwise restore a backup."
    )


def make_engine(path: Path, key: bytes, *, pool_size: int = 5) -> Engine:
    """A pooled SQLAlchemy engine over the SQLCipher file at `path`, keyed with `key`."""

    def creator() -> DBAPIConnection:
        return open_raw(path, key)

    return engine_from_creator(creator, pool_size=pool_size)


def engine_from_creator(creator: Callable[[], DBAPIConnection], *, pool_size: int = 5) -> Engine:
    """An engine with this store's transaction handling over connections made by `creator`."""
    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
        pool_pre_ping=False,
        hide_parameters=True,  # an error message (and so a log line) must never carry customer values
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine

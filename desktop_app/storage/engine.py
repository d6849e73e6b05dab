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

from desktop_app.storage.errors import DatabaseDamaged, WrongKey
from desktop_app.storage.keystore import sqlcipher_key_literal

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# 32 MiB of decrypted pages per connection: index pages stay decrypted in memory between queries,
# which brought reads on 1,000,000 customers level with plain SQLite (benchmarks/bench_store.py).
CACHE_KIB = 32 * 1024
IMMEDIATE = "desktop_app_immediate"

DBAPIConnection = Any


def _apply_pragmas(conn: DBAPIConnection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
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


def _explain_open_error(path: Path, exc: Exception) -> Exception:
    """Turn SQLCipher's terse open errors into one message that says what is wrong and what to do."""
    size = path.stat().st_size if path.exists() else 0
    text = str(exc)
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

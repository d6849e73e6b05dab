"""The server's database: engines for SQLite (the default, one file) and PostgreSQL (for several processes), the
schema brought up to date at start (Alembic), and transactions that are retried when the database says "try
again".
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from platformdirs import user_data_path
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from central_server.models import SchemaVersion

log = logging.getLogger("central_server.database")

ENV_DATABASE_URL = "DESKTOP_APP_SERVER_DB"
APP_NAME = "desktop-app-server"

# SQLite: how long a writer waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 5

# Any constant works; it only has to be the same in every server process sharing the database.
_SCHEMA_LOCK_ID = 0x6B79_6373  # "kycs"

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"  # schema version 1, as servers made it before Alembic

T = TypeVar("T")


class SchemaMismatch(RuntimeError):
    """The database was made by another version of the server."""


def default_database_url() -> str:
    """The SQLite file in the per-user data directory (created when missing), unless the environment names one."""
    from_env = os.environ.get(ENV_DATABASE_URL)
    if from_env:
        return from_env
    directory = user_data_path(APP_NAME, appauthor=False)
    return f"sqlite:///{directory / 'central-server.sqlite3'}"


def normalise_url(url: str) -> str:
    """A database URL as SQLAlchemy wants it: a bare path means a SQLite file, and "postgresql://" uses psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine for `url`; its errors never quote statement parameters (they hold personal data).

    SQLite: WAL, a busy timeout, and BEGIN IMMEDIATE for writes, so that two processes writing at once queue up
    instead of failing on a lock upgrade."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pool_pre_ping: a PostgreSQL restart must not cost the first request after it.
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)
    database = parsed.database or ""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that the "begin" hook below decides how to begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode across an application crash
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("central_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _retryable(error: DBAPIError) -> bool:
    """A deadlock or serialisation failure (PostgreSQL) or a lock wait that ran out (SQLite): run it again."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if code in ("40001", "40P01"):
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


class Database:
    """Sessions on one engine: short reads, and write transactions that commit before returning."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(engine.execution_options(central_write=True), expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; rolled back at the end."""
        with self._reads() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction and commit; run it again (a few times) when the database asks for it.

        `work` must do nothing but database work, since it may run more than once."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._writes() as session, session.begin():
                    return work(session)
            except DBAPIError as error:
                if attempt == WRITE_ATTEMPTS or not _retryable(error):
                    raise
                log.info("transaction retried after %s (attempt %d)", type(error.orig).__name__, attempt)
                time.sleep(random.uniform(0.005, 0.05) * attempt)  # noqa: S311 - jitter, not a secret
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def ensure_schema(engine: Engine) -> None:
    """Bring the database to this server's schema (the Alembic migrations in central_server/migrations), in one
    transaction; SchemaMismatch for a database newer than this server.

    A database made before Alembic (schema version 1, no revision) is taken as revision 0001 and upgraded from
    there. Several server processes may start at once: PostgreSQL serialises them with an advisory lock, SQLite
    with BEGIN IMMEDIATE."""
    with engine.execution_options(central_write=True).begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID})
        config = _alembic(connection)
        scripts = ScriptDirectory.from_config(config)
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None and inspect(connection).has_table(SchemaVersion.__tablename__):
            version = connection.execute(select(SchemaVersion.version).where(SchemaVersion.id == 1)).scalar()
            if version != 1:
                raise SchemaMismatch(
                    f"the database has schema version {version} without a migration revision: this server "
                    "cannot tell what it holds; use the server release that made it"
                )
            command.stamp(config, FIRST_REVISION)
            current = FIRST_REVISION
        if current is not None and not _known_revision(scripts, current):
            raise SchemaMismatch(
                f"the database has schema revision {current}, newer than this server knows "
                f"({scripts.get_current_head()}): use the server release that matches the database"
            )
        if current != scripts.get_current_head():
            log.info("database schema: %s -> %s", current or "empty", scripts.get_current_head())
            command.upgrade(config, "head")


def _known_revision(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False


def open_database(url: str) -> Database:
    """An engine on `url` with the schema in place."""
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    except Exception:
        engine.dispose()
        raise
    return Database(engine)


def insert_new(session: Session, table: Any, rows: list[dict[str, Any]], returning: Any = None) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING of `rows` into the Core `table` (the ORM's bookkeeping is not needed);
    the `returning` column of the rows actually inserted.

    One statement executed with many parameter sets: SQLAlchemy compiles it once and sends the rows in
    multi-row pages ("insertmanyvalues")."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    statement: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    else:  # pragma: no cover - make_engine accepts only these two
        raise RuntimeError(f"unsupported database: {dialect}")
    connection = session.connection()
    if returning is None:
        connection.execute(statement, rows)
        return []
    return list(connection.execute(statement.returning(returning), rows).scalars())

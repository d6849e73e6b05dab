"""The workstation store: one encrypted SQLCipher file, its key, its schema and its audit chain.

Store.create makes a new store (and never touches an existing one); Store.open opens an existing one,
finishing or undoing an interrupted key rotation and migrating the schema after a backup.

Whole-file operations (key rotation, recovery, settling an interrupted rotation, a schema upgrade) run under the
data directory's app lock (storage/app_lock.py), so never under a running desktop app; a key rotation also has the
database to itself (engine.open_exclusive), so never under another program's open connection.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy.exc
import sqlcipher3
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from desktop_app.storage import app_lock, audit_chain, backup_file, durable, migrate, session_guard
from desktop_app.storage.data_dir import DataDir
from desktop_app.storage.durable import fsync_path
from desktop_app.storage.engine import IMMEDIATE, make_engine, open_exclusive, open_raw
from desktop_app.storage.errors import (
    AlreadyInitialised,
    DatabaseDamaged,
    NotInitialised,
    StoreBusy,
    StoreError,
    WrongKey,
)
from desktop_app.storage.keystore import KeyMethod, KeyStore, key_check, new_key, sqlcipher_key_literal
from desktop_app.storage.models import AuditEntry, Meta, SyncState

log = logging.getLogger(__name__)

#: session.info key under which a write transaction collects the audit actions it wrote
_AUDITED = "audited_actions"

PassphraseSource = Callable[[], str]
#: Key-store temporary files (keystore.py's save): a leftover when found under the app lock.
KEYSTORE_TEMP_GLOB = ".keystore-*"
REKEY_SUFFIX = ".rekey"  # the re-encrypted copy beside the database while a key rotation writes it
# In meta: keystore.json's recovery public key must carry its MAC under the database key. Kept in the database, which
# nobody changes without the key, so that stripping the MAC from the file is not taken for a file from before MACs.
RECOVERY_MAC = "recovery_mac"


#: The triggers that refuse UPDATE and DELETE on the append-only tables (migrations 0001 and 0004); `verify` says
#: when one is missing.
PROTECTIVE_TRIGGERS = (
    "audit_log_no_update",
    "audit_log_no_delete",
    "record_versions_no_update",
    "record_versions_no_delete",
    "status_events_no_update",
    "status_events_no_delete",
)


@dataclass(frozen=True)
class IntegrityReport:
    """What `verify` found: SQLCipher's page check, SQLite's integrity check and the audit chain."""

    cipher_ok: bool
    cipher_problems: tuple[str, ...]
    sqlite_ok: bool
    sqlite_problems: tuple[str, ...]
    audit: audit_chain.ChainReport
    #: The protective triggers (no update or delete of audit entries, versions, status events) that are missing.
    missing_triggers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.cipher_ok and self.sqlite_ok and self.audit.ok and not self.missing_triggers

    def failed_checks(self) -> list[str]:
        """Each failed check in words, for an administrator ([] when all passed)."""
        failed = []
        if not self.cipher_ok:
            failed.append(f"SQLCipher's page check found {len(self.cipher_problems)} damaged or altered page(s)")
        if not self.sqlite_ok:
            failed.append("SQLite's integrity check found errors in the database structure")
        if not self.audit.ok:
            failed.append(
                f"the audit chain is broken: the first bad audit entry is {self.audit.first_bad_seq}"
                if self.audit.first_bad_seq is not None
                else self.audit.problem
            )
        if self.missing_triggers:
            failed.append(
                "the triggers that keep the audit trail and record history from being changed or deleted are "
                f"missing ({', '.join(self.missing_triggers)}): someone with the database key removed them"
            )
        return failed


def export_encrypted(conn: Any, target: Path, key: bytes) -> None:
    """Write a consistent, encrypted copy of the open database `conn` to `target` (which must not exist)."""
    if target.exists():
        raise StoreError(f"{target} already exists; choose another file name.")
    # Made owner-only before SQLite opens it: the journal it writes beside it while copying takes its mode from it
    # (left 0644 by the umask otherwise, and kept after a crash mid-copy).
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn.execute(f"ATTACH DATABASE ? AS export KEY {sqlcipher_key_literal(key)}", (str(target),))
    try:
        conn.execute("SELECT sqlcipher_export('export')")
    finally:
        conn.execute("DETACH DATABASE export")
    # Owner-only like the store itself: a rekeyed store, a backup and a pre-migration copy are all made here.
    with contextlib.suppress(OSError):  # a file system without modes (a Windows share) keeps its own
        os.chmod(target, 0o600)
    fsync_path(target)


def replace_held_file(conn: Any, new: Path, db: Path) -> None:
    """Rename `new` over `db` while `conn` holds `db` exclusively, and fsync the folder.

    A program that opened the old file before the rename and waits for the lock would, once it is released, read
    and write a file that no longer has a name; its first page is overwritten first, so it fails instead.
    """
    if durable.WINDOWS:  # Windows renames over no open file; and a file that has no name cannot be opened there
        conn.close()
        os.replace(new, db)
        fsync_path(db.parent)
        return
    old = os.open(db, os.O_RDWR)
    try:
        os.replace(new, db)
        fsync_path(db.parent)
        if os.fstat(old).st_nlink == 0:  # not if someone keeps a hard link to it
            os.pwrite(old, bytes(1024), 0)
        conn.close()  # before `old`: closing any descriptor of a file drops this process's POSIX locks on it
    finally:
        os.close(old)


#: Pre-migration copies kept: the way back after the last few updates; older ones go (each holds every record).
KEEP_PRE_MIGRATION = 3


def prune_pre_migration(folder: Path, keep: int = KEEP_PRE_MIGRATION) -> list[Path]:
    """Delete all but the newest `keep` pre-migration copies (and their manifests) in `folder`; returns those
    deleted. Their names carry a UTC stamp, so the name order is their age order."""
    copies = sorted(folder.glob("pre-migration-*.db"), key=lambda p: p.name.rsplit("-", 1)[-1])
    gone = copies[: max(0, len(copies) - keep)]
    for old in gone:
        old.unlink(missing_ok=True)
        backup_file.manifest_path(old).unlink(missing_ok=True)
    return gone


class Store:
    """An open workstation store. Sessions never cross threads: open one per unit of work."""

    def __init__(self, data_dir: DataDir, keystore: KeyStore | None, key: bytes, engine: Engine) -> None:
        """Wrap an open engine; `keystore` is None only for the benchmarks' plain-SQLite reference."""
        self.data_dir = data_dir
        self.keystore = keystore
        self._key = key
        self.engine = engine
        self._commit_listeners: list[Callable[[tuple[str, ...]], None]] = []
        with self.read() as session:
            meta = {m.key: m.value for m in session.scalars(select(Meta))}
        try:
            self.store_id = meta["store_id"]
            self.workstation_id = meta["workstation_id"]
        except KeyError as exc:
            raise DatabaseDamaged(
                f"The database is missing its {exc.args[0]} entry. Restore the latest backup."
            ) from None
        # The audit chain's key is kept beside the database key, never in the database it protects (issue 14 item 9);
        # only the benchmarks' plain reference, which has no key store, keeps it in `meta`.
        audit_key = keystore.read_audit_key() if keystore is not None else None
        if audit_key is None and keystore is None and "audit_key" in meta:
            audit_key = bytes.fromhex(meta["audit_key"])
        if audit_key is None:
            raise DatabaseDamaged(
                "The key of the audit trail is missing from keystore.json. Restore keystore.json from the workstation "
                "backup, or run 'desktop-app recover' with the recovery code."
            )
        self.audit_key = audit_key
        if keystore is not None and RECOVERY_MAC not in meta:
            self._authenticate_recovery_once(keystore)

    def _authenticate_recovery_once(self, keystore: KeyStore) -> None:
        """A store made before the recovery public key was MACed: MAC it now, once, and note in the database that it
        is required from now on (a file whose MAC is later missing or wrong is then refused for new keys)."""
        if keystore.pending is not None:
            return  # settled first, at this open or the next
        if not keystore.recovery_authenticated(self._key):
            try:
                with app_lock.hold(self.data_dir.root):  # like every key-store write (see _leftovers)
                    keystore.authenticate_recovery(self._key)
                    keystore.save()
            except app_lock.AppLocked:
                return  # done at an open that has the store alone
        with self.write() as session:
            if session.get(Meta, RECOVERY_MAC) is None:
                session.add(Meta(key=RECOVERY_MAC, value="required"))
        log.info("the recovery public key in keystore.json is now authenticated under the database key")

    # --- making and opening ----------------------------------------------------------------------------
    @staticmethod
    def refuse_existing(root: Path) -> None:
        """AlreadyInitialised when `root` already holds a store (its database or its key file)."""
        data_dir = DataDir(root)
        if data_dir.database.exists() or data_dir.keystore.exists():
            raise AlreadyInitialised(
                f"{root} already holds a workstation store; nothing was changed. "
                "Use another --data-dir, or open the existing one."
            )

    @classmethod
    def create(cls, root: Path, method: KeyMethod, passphrase: str | None = None) -> tuple[Store, str]:
        """Make a new store in `root`; returns it with the one-time recovery code.

        Refuses (AlreadyInitialised) if a database or key file is already there: nothing is overwritten.
        """
        cls.refuse_existing(root)
        data_dir = DataDir(root)
        data_dir.ensure()
        key = new_key()
        keystore, code = KeyStore.create(data_dir.keystore, key, method, passphrase)
        try:
            conn = open_raw(data_dir.database, key, must_exist=False)
            conn.close()
            os.chmod(data_dir.database, 0o600)
            engine = make_engine(data_dir.database, key)
            with engine.connect() as conn2:
                migrate.upgrade(conn2)
                conn2.commit()
            with Session(engine) as session, session.begin():
                now = datetime.now(UTC).isoformat()
                for k, v in {
                    "store_id": keystore.store_id,
                    "workstation_id": str(uuid.uuid4()),
                    "created_at": now,
                    RECOVERY_MAC: "required",
                }.items():
                    session.add(Meta(key=k, value=v))
            keystore.save()
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(str(data_dir.database) + suffix).unlink(missing_ok=True)
            raise
        return cls(data_dir, keystore, key, engine), code

    @classmethod
    def open(cls, root: Path, passphrase: PassphraseSource | None = None) -> Store:
        """Open the store in `root`, or raise a StoreError that says what is wrong and what to do."""
        try:
            return cls._open(root, passphrase)
        except sqlalchemy.exc.DatabaseError:
            # The file opened with its key, but a page the opening reads (the schema's version, the store's own
            # entries) is damaged: an independent check found it ended in "an unexpected problem".
            database = DataDir(root).database
            raise DatabaseDamaged(
                f"The database file {database} is damaged: a page read when the store opens cannot be read. "
                "Nothing was changed; restore the latest backup with 'desktop-app restore'."
            ) from None

    @classmethod
    def _open(cls, root: Path, passphrase: PassphraseSource | None = None) -> Store:
        data_dir = DataDir(root)
        if not data_dir.database.exists() and not data_dir.keystore.exists():
            raise NotInitialised(
                f"No workstation store in {root}. Run 'desktop-app init --admin NAME' first "
                "(or set --data-dir / DESKTOP_APP_DATA_DIR to the right folder)."
            )
        if not data_dir.database.exists():
            raise DatabaseDamaged(
                f"The database file {data_dir.database} is missing but its key file is there. "
                "Restore the database from a backup with 'desktop-app restore'; nothing was created."
            )
        keystore = KeyStore.load(data_dir.keystore)
        cached: dict[str, str] = {}

        def once() -> str:  # the passphrase is asked at most once per open
            if "p" not in cached:
                if passphrase is None:
                    raise WrongKey("This workstation's key is protected by a passphrase: type it to open.")
                cached["p"] = passphrase()
            return cached["p"]

        source = once if keystore.method is KeyMethod.PASSPHRASE else None
        if keystore.pending is None:
            key = keystore.read_key(source)
            try:
                engine = cls._checked_engine(data_dir, key)
            except WrongKey:
                now = KeyStore.load(data_dir.keystore)
                if (now.check, now.pending) == (keystore.check, keystore.pending):
                    raise
                return cls._open(root, once)  # a key rotation went on meanwhile: once more with what it wrote
            cls._drop_stale_copy(data_dir)
            return cls.from_engine(data_dir, keystore, key, engine, once)
        with cls._whole_file(root, "a key rotation is under way (or was interrupted while the desktop app is open)"):
            keystore = KeyStore.load(data_dir.keystore)  # as it is now that nobody else can change it
            key, engine, finished = cls._settle_rotation(data_dir, keystore, source)
            store = cls.from_engine(data_dir, keystore, key, engine, once)
        if finished:
            with store.write() as session:
                store.audit(
                    session,
                    action="key.rotate",
                    actor_id=None,
                    actor_name="workstation",
                    details={"finished": "at the next open, after an interruption"},
                )
        return store

    @staticmethod
    @contextlib.contextmanager
    def _whole_file(root: Path, why: str) -> Iterator[None]:
        """The app lock for an operation on the whole store at open; StoreBusy saying `why` when it is held."""
        try:
            with app_lock.hold(root):
                yield
        except app_lock.AppLocked:
            raise StoreBusy(
                f"The store in {root} cannot be opened now: {why}. Close the desktop app, or wait for the other "
                "command to finish, and try again. Nothing was changed."
            ) from None

    @staticmethod
    def _leftovers(data_dir: DataDir) -> list[Path]:
        """What a killed key rotation or key-store write can leave beside the database: the re-encrypted copy, the
        journal SQLite wrote beside it while copying, and key-store temporary files (one may hold the pending
        section: both keys wrapped). Every key-store write holds the app lock, so under it a temporary file is a
        leftover, and keystore.json (written by rename) the complete copy."""
        copy = data_dir.database.with_name(data_dir.database.name + REKEY_SUFFIX)
        journal = copy.with_name(copy.name + "-journal")
        temps = list(data_dir.keystore.parent.glob(KEYSTORE_TEMP_GLOB))
        return [p for p in (copy, journal) if p.exists()] + temps

    @staticmethod
    def _drop_stale_copy(data_dir: DataDir) -> None:
        """Delete what an interrupted rotation left beside the database (the re-encrypted copy, its journal, key
        store temporary files) when no rotation is under way any more (keystore.json names no pending key), once the
        database has opened with the current key: the database and keystore.json are then the complete copies and
        the leftovers useless ones (the temporary files still holding a key the rotation forgot). Under the app lock
        only (left for the next open while someone else holds it, who may be rotating)."""
        if not Store._leftovers(data_dir):
            return
        try:
            with app_lock.hold(data_dir.root):
                if KeyStore.load(data_dir.keystore).pending is not None:
                    return  # a rotation began meanwhile: settled under its own rules at the next open
                leftovers = Store._leftovers(data_dir)
                for path in leftovers:
                    path.unlink(missing_ok=True)
                fsync_path(data_dir.root)
        except app_lock.AppLocked:
            return
        if leftovers:
            log.warning("removed %d file(s) an interrupted key rotation left beside the database", len(leftovers))

    @classmethod
    def from_engine(
        cls,
        data_dir: DataDir,
        keystore: KeyStore | None,
        key: bytes,
        engine: Engine,
        passphrase: PassphraseSource | None = None,
    ) -> Store:
        """Finish opening over a working engine: migrate (after a backup) when the schema is behind.

        `passphrase` (passphrase storage) lets the upgrade that moves the audit key out of the database wrap it."""
        keep: migrate.KeepAuditKey | None = None
        if keystore is not None:

            def keep(audit_key: bytes, mac_required: bool) -> None:
                words = passphrase() if passphrase is not None and keystore.method is KeyMethod.PASSPHRASE else None
                keystore.adopt_audit_key(audit_key, key, words, first_mac=not mac_required)

        try:
            cls._migrate_if_needed(data_dir, key, engine, keystore, keep)
            return cls(data_dir, keystore, key, engine)
        except BaseException:
            engine.dispose()
            raise

    @staticmethod
    def _checked_engine(data_dir: DataDir, key: bytes) -> Engine:
        """An engine whose first connection has proved the key (WrongKey / DatabaseDamaged otherwise)."""
        engine = make_engine(data_dir.database, key)
        try:
            engine.connect().close()  # the connection goes back to the pool for the first real use
        except BaseException:
            engine.dispose()
            raise
        return engine

    @classmethod
    def _settle_rotation(
        cls, data_dir: DataDir, keystore: KeyStore, passphrase: PassphraseSource | None
    ) -> tuple[bytes, Engine, bool]:
        """The key that opens the database, completing or abandoning a key rotation a crash interrupted (under
        the app lock). Returns it with the engine, and whether the rotation was completed.

        The database says which side of the rename the crash came: until the re-encrypted copy replaced it, the
        file is complete under the old key (rekey copies it only once it has it alone, WAL checkpointed), so the
        copy is dropped; after, it opens only with the pending key, which becomes current.
        """
        tmp = data_dir.database.with_name(data_dir.database.name + REKEY_SUFFIX)
        key = keystore.read_key(passphrase)
        try:
            engine = cls._checked_engine(data_dir, key)
        except WrongKey:
            pending = keystore.read_pending_key(passphrase)
            if pending is None:
                raise
            engine = cls._checked_engine(data_dir, pending)
            keystore.finish_rotation(pending, passphrase() if passphrase else None)
            log.warning("finished an interrupted key rotation")
            for path in cls._leftovers(data_dir):  # keystore.json is complete again: the rest is leftovers
                path.unlink(missing_ok=True)
            return pending, engine, True
        if keystore.pending is not None:
            tmp.unlink(missing_ok=True)
            keystore.abandon_rotation()
            for path in cls._leftovers(data_dir):
                path.unlink(missing_ok=True)
            log.warning("abandoned an interrupted key rotation; the old key stays in use")
        return key, engine, False

    @classmethod
    def recover(cls, root: Path, code: str, method: KeyMethod, passphrase: str | None = None) -> Store:
        """Restore access with the recovery code and keep the key again by `method`; returns the open store.

        Every key the code unseals (the current one and, after a crash in a rotation, the pending one) is tried
        against the database, and the one that opens it is kept. Under the app lock: AppLocked while the desktop
        app is open. WrongKey when the code is wrong or none of its keys opens the database.
        """
        data_dir = DataDir(root)
        with app_lock.hold(root):
            keystore = KeyStore.load(data_dir.keystore)
            for key in keystore.recover_keys(code):
                try:
                    open_raw(data_dir.database, key).close()
                except WrongKey:
                    continue
                break
            else:
                raise WrongKey(
                    "The recovery code is right, but none of the keys it unlocks opens the database. Restore the "
                    "latest backup with 'desktop-app restore'."
                )
            data_dir.database.with_name(data_dir.database.name + REKEY_SUFFIX).unlink(missing_ok=True)
            keystore.rehome(key, method, passphrase, code)
            return cls.open(root, (lambda: passphrase or "") if method is KeyMethod.PASSPHRASE else None)

    @classmethod
    def _migrate_if_needed(
        cls,
        data_dir: DataDir,
        key: bytes,
        engine: Engine,
        keystore: KeyStore | None = None,
        keep: migrate.KeepAuditKey | None = None,
    ) -> None:
        with engine.connect() as conn:
            if not migrate.needs_upgrade(conn):
                return
        if not key:  # the benchmarks' plain reference: no workstation, nothing to lock
            cls._migrate(data_dir, key, engine)
            return
        with cls._whole_file(data_dir.root, "its data must be upgraded to this version, which needs it alone"):
            cls._migrate(data_dir, key, engine, keystore, keep)

    @staticmethod
    def _migrate(
        data_dir: DataDir,
        key: bytes,
        engine: Engine,
        keystore: KeyStore | None = None,
        keep: migrate.KeepAuditKey | None = None,
    ) -> None:
        with engine.connect() as conn:
            if not migrate.needs_upgrade(conn):  # upgraded meanwhile by whoever held the lock
                return
            current = migrate.current_revision(conn) or "empty"
            conn.rollback()  # ATTACH (the backup) cannot run inside a transaction
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            target = data_dir.backups / f"pre-migration-{current}-{stamp}.db"
            serial = 1
            while target.exists():  # a restore migrated again within the same second: keep both copies
                serial += 1
                # the serial after the stamp keeps the names in age order for prune_pre_migration
                target = data_dir.backups / f"pre-migration-{current}-{stamp}{serial:02d}.db"
            data_dir.ensure()
            if key:  # the plain benchmark reference has no key and no backup
                export_encrypted(conn.connection.driver_connection, target, key)
                log.info("backed up the database before migrating from schema %s", current)
                try:  # with a manifest, `desktop-app restore` takes it like any backup (the way back after an update)
                    keystore = keystore or KeyStore.load(data_dir.keystore)
                    audit_key = keystore.read_audit_key()  # None while the copy still holds it in its database
                    recovery = keystore.recovery_copy(key, audit_key)
                    backup_file.seal(
                        target,
                        key,
                        taken_by="workstation",
                        reason="pre-migration",
                        created=datetime.now(UTC),
                        recovery=recovery,
                        audit_key=audit_key,
                    )
                except (StoreError, OSError) as exc:  # the copy stays; only the manifest is missing
                    log.warning("the pre-migration backup %s has no manifest: %s", target.name, exc)
                prune_pre_migration(data_dir.backups)
            migrate.upgrade(conn, keep)
            conn.commit()

    # --- sessions ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session in a read transaction (a consistent snapshot); nothing it does is committed."""
        session_guard.enter()
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
                session.rollback()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in an IMMEDIATE write transaction, committed on success and rolled back on error.

        After a commit, the commit listeners hear the audit actions it wrote (see add_commit_listener).
        """
        session_guard.enter()
        with self.engine.connect() as conn:
            conn.execution_options(**{IMMEDIATE: True})
            with Session(bind=conn, expire_on_commit=False) as session:
                with session.begin():
                    yield session
                actions = tuple(session.info.pop(_AUDITED, ()))
        if actions:
            for listener in tuple(self._commit_listeners):
                try:
                    listener(actions)
                except Exception as exc:  # a listener never undoes or fails a committed write
                    log.warning("a commit listener failed: %s", exc.__class__.__name__)

    def add_commit_listener(self, listener: Callable[[tuple[str, ...]], None]) -> Callable[[], None]:
        """Call `listener(actions)` after each committed write that audited something, with the audit actions it
        wrote (on the committing thread). Returns the function that removes it."""
        self._commit_listeners.append(listener)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._commit_listeners.remove(listener)

        return remove

    def audit(
        self,
        session: Session,
        *,
        action: str,
        actor_id: int | None,
        actor_name: str,
        record_id: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> AuditEntry:
        """Append an audit entry in `session`'s write transaction."""
        session.info.setdefault(_AUDITED, []).append(action)
        return audit_chain.append(
            session,
            self.audit_key,
            action=action,
            actor_id=actor_id,
            actor_name=actor_name,
            record_id=record_id,
            details=details,
        )

    # --- maintenance -------------------------------------------------------------------------------------
    def verify(self) -> IntegrityReport:
        """SQLCipher's cipher_integrity_check, SQLite's integrity_check and the audit-chain check."""
        session_guard.enter()
        raw = open_raw(self.data_dir.database, self._key)
        try:
            cipher = tuple(str(r[0]) for r in raw.execute("PRAGMA cipher_integrity_check").fetchall())
            sqlite = tuple(str(r[0]) for r in raw.execute("PRAGMA integrity_check").fetchall())
        except sqlcipher3.DatabaseError as exc:
            cipher, sqlite = (str(exc),), (str(exc),)
        finally:
            raw.close()
        sqlite_ok = sqlite == ("ok",)
        missing: tuple[str, ...] = ()
        try:
            with self.read() as session:
                chain = audit_chain.verify(session, self.audit_key)
                state = session.get(SyncState, 1)
                if state is not None:  # the head the central server confirmed at the last sync
                    chain = audit_chain.check_anchor(session, chain, state.audit_seq or 0, state.audit_hash or "")
                present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
                missing = tuple(name for name in PROTECTIVE_TRIGGERS if name not in present)
        except Exception as exc:  # a damaged table is a failed check, not a crash; the driver's text (SQL) is logged
            log.warning("the audit trail cannot be read: %s", exc.__class__.__name__)
            chain = audit_chain.unreadable()
        return IntegrityReport(not cipher, cipher, sqlite_ok, () if sqlite_ok else sqlite, chain, missing)

    def export_copy(self, target: Path) -> None:
        """A consistent encrypted copy of the database, under the same key, at `target`."""
        session_guard.enter()
        raw = open_raw(self.data_dir.database, self._key)
        try:
            export_encrypted(raw, target, self._key)
        finally:
            raw.close()

    def rekey(self, passphrase: str | None = None, *, audit: Callable[[Session], None] | None = None) -> None:
        """Re-encrypt the database under a new random key and keep that key; the old key is forgotten.

        Refused with nothing changed while the desktop app is open (AppLocked) or another program has the database
        open (StoreBusy). `audit` writes its entry in the re-encrypted database before the new key is made current.
        A crash at any point leaves every committed record and a store that opens: see _settle_rotation.
        """
        if self.keystore is None:
            raise StoreError("This store has no key store; it cannot be re-keyed.")
        if self.keystore.method is KeyMethod.PASSPHRASE:
            if not passphrase:
                raise WrongKey("Type the passphrase to rotate the key.")
            self.keystore.read_key(lambda: passphrase)  # a wrong passphrase stops here, before any change
        db = self.data_dir.database
        tmp = db.with_name(db.name + REKEY_SUFFIX)
        with app_lock.hold(self.data_dir.root):
            self.engine.dispose()  # this store's own connections; the engine stays usable if we stop here
            conn = open_exclusive(db, self._key)  # every committed record is in the file now, and nobody else is
            try:
                keystore = KeyStore.load(self.data_dir.keystore)  # as it is now that nobody else can change it
                if keystore.check != key_check(self._key):
                    raise StoreError("The key was changed by another command since this store was opened; reopen it.")
                new = new_key()
                tmp.unlink(missing_ok=True)
                keystore.begin_rotation(new, passphrase, self._key, self.audit_key)
                try:
                    export_encrypted(conn, tmp, new)  # written and fsynced beside the database
                except BaseException:
                    tmp.unlink(missing_ok=True)
                    keystore.abandon_rotation()
                    raise
                try:
                    replace_held_file(conn, tmp, db)
                except BaseException:
                    if tmp.exists():  # the rename did not happen: the old file and key stay
                        tmp.unlink()
                        keystore.abandon_rotation()
                    raise  # else it did: the next open finishes the rotation
            finally:
                conn.close()
            self.keystore = keystore
            self._key = new
            self.engine = make_engine(db, new)
            try:
                if audit is not None:
                    with self.write() as session:
                        audit(session)
            finally:
                keystore.finish_rotation(new, passphrase)

    @property
    def key_check(self) -> str:
        """The public check value of the current key (recorded in backup manifests; reveals nothing of the key)."""
        return key_check(self._key)

    def seal_copy(self, path: Path, *, taken_by: str, reason: str, created: datetime) -> backup_file.Manifest:
        """Check a copy made by export_copy and write its manifest (backup_file.seal, under the current key)."""
        recovery = self.keystore.recovery_copy(self._key, self.audit_key) if self.keystore is not None else None
        return backup_file.seal(
            path,
            self._key,
            taken_by=taken_by,
            reason=reason,
            created=created,
            recovery=recovery,
            audit_key=self.audit_key,
        )

    def inspect_copy(self, path: Path) -> backup_file.BackupContents:
        """Check a copy made by export_copy (a backup) read-only under the current key; the key stays in here."""
        return backup_file.inspect(path, self._key, self.audit_key)

    def raw_key_for_tests(self) -> bytes:
        """The database key (tests open the file with the independent sqlcipher shell with it)."""
        return self._key

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def count(self, sql: str) -> int:
        """A scalar count from a fixed SQL statement (maintenance and reports)."""
        with self.read() as session:
            return int(session.execute(text(sql)).scalar_one())

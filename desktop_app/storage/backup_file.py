"""Backup files on disk: their names, the JSON manifest beside each, atomic writing and read-only inspection.

A backup is two files in one folder: `backup-<ws>-<UTC yyyymmddThhmmssZ>.db` (an encrypted SQLCipher copy made by
Store.export_copy) and the manifest `….json`, written after the database file. Both are written atomically
(temporary file in the same folder, fsync, rename, fsync of the folder), so a crash leaves either nothing under
the final name or a database without a manifest, which counts as incomplete and is never offered for restore.
Only files matching the app's own naming pattern are ever deleted by retention. No permissions here: the
services decide who may call this.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from desktop_app import __version__
from desktop_app.storage import audit_chain, migrate
from desktop_app.storage.durable import fsync_path
from desktop_app.storage.errors import DatabaseDamaged, NewerSchema, StoreError, WrongKey
from desktop_app.storage.keystore import key_check, sqlcipher_key_literal

MANIFEST_FORMAT = 1
STAMP = "%Y%m%dT%H%M%SZ"
PREFIX = "backup-"
# The app's own names: backup-<8 hex of the workstation id>-<UTC stamp>[-n].db. Retention deletes only these.
NAME = re.compile(r"^backup-(?P<ws>[0-9a-f]{8})-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d{1,3}))?\.db$")
PARTIAL = re.compile(r"^\.backup-[0-9a-f]{8}-\d{8}T\d{6}Z(?:-\d{1,3})?\.(?:db|json)\.[0-9a-f]{8}\.partial$")
_CHUNK = 1 << 20


class BackupFileError(StoreError):
    """A backup file or its manifest is missing, incomplete or unreadable; the message says which and why."""


@dataclass(frozen=True)
class Manifest:
    """What the JSON sidecar of a backup records. No personal data: counts, ids, hashes and who took it."""

    file: str
    created_at: str  # ISO 8601, UTC, with a Z
    workstation_id: str
    store_id: str
    records: int
    schema_revision: str
    sha256: str
    size: int
    app_version: str
    taken_by: str
    reason: str
    key_check: str  # keystore.key_check of the key the backup is encrypted under (tells an earlier key apart)
    format: int = MANIFEST_FORMAT
    # KeyStore.recovery_copy: the key sealed to the recovery code, with its salt and parameters, so that a backup
    # opens on a new machine with the code alone (None in backups made before backups carried it).
    recovery: dict[str, Any] | None = None

    @property
    def created(self) -> datetime:
        """created_at as an aware UTC datetime."""
        return datetime.fromisoformat(self.created_at.replace("Z", "+00:00")).astimezone(UTC)

    def to_json(self) -> str:
        """The manifest's one JSON form."""
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse and check a manifest; ValueError says what is wrong with it."""
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        if raw.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"unknown manifest format {raw.get('format')!r}")
        fields: dict[str, Any] = {}
        for name, kind in (
            ("file", str),
            ("created_at", str),
            ("workstation_id", str),
            ("store_id", str),
            ("records", int),
            ("schema_revision", str),
            ("sha256", str),
            ("size", int),
            ("app_version", str),
            ("taken_by", str),
            ("reason", str),
            ("key_check", str),
        ):
            value = raw.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError(f"'{name}' is missing or not a {kind.__name__}")
            fields[name] = value
        if not re.fullmatch(r"[0-9a-f]{64}", fields["sha256"]):
            raise ValueError("'sha256' is not a SHA-256 digest")
        recovery = raw.get("recovery")
        if recovery is not None:
            fields["recovery"] = _recovery_copy(recovery)
        manifest = cls(**fields)
        manifest.created  # noqa: B018 - raises ValueError for a malformed time
        return manifest


def _recovery_copy(raw: object) -> dict[str, Any]:
    """A manifest's recovery copy with the shape KeyStore.open_recovery_copy reads; ValueError otherwise."""
    if not isinstance(raw, dict) or not isinstance(raw.get("sealed"), dict) or not isinstance(raw.get("params"), dict):
        raise ValueError("'recovery' is not a recovery copy")
    texts = [raw.get("store_id"), raw.get("salt")] + [raw["sealed"].get(k) for k in ("ephemeral", "nonce", "wrapped")]
    audit = raw.get("audit_sealed")
    if audit is not None:
        texts += [audit.get(k) for k in ("ephemeral", "nonce", "wrapped")] if isinstance(audit, dict) else [None]
    if not all(isinstance(text, str) for text in texts):
        raise ValueError("'recovery' is not a recovery copy")
    return raw


def utc_stamp(when: datetime) -> str:
    """The UTC time stamp used in backup file names."""
    return when.astimezone(UTC).strftime(STAMP)


def manifest_path(db_path: Path) -> Path:
    """The manifest beside a backup database file."""
    return db_path.with_suffix(".json")


def new_backup_path(folder: Path, workstation_id: str, when: datetime) -> Path:
    """A free file name of the app's pattern in `folder` (a suffix -1, -2... when two fall in one second)."""
    short = workstation_id.replace("-", "")[:8].lower()
    base = f"{PREFIX}{short}-{utc_stamp(when)}"
    # After the highest suffix ever used in this second, not the first free one: retention may have deleted an
    # earlier name of this second, and a reused name would sort as older than it is and be pruned at once.
    taken = [-1] + [
        backup_order(entry.with_suffix(".db"))[1]  # a database or its manifest
        for entry in (folder.iterdir() if folder.is_dir() else ())
        if entry.name.startswith(base) and NAME.match(entry.with_suffix(".db").name)
    ]
    n = max(taken) + 1
    if n >= 1000:
        raise BackupFileError(f"Too many backups in one second in {folder}; try again.")
    return folder / (f"{base}.db" if n == 0 else f"{base}-{n}.db")


def is_app_backup(path: Path, workstation_id: str | None = None) -> bool:
    """True for a file name of the app's backup pattern (of this workstation, when one is given)."""
    found = NAME.match(path.name)
    if found is None:
        return False
    return workstation_id is None or found["ws"] == workstation_id.replace("-", "")[:8].lower()


def backup_order(path: Path) -> tuple[str, int]:
    """Sort key of an app-named backup by time: its UTC stamp, then its same-second suffix."""
    found = NAME.match(path.name)
    return ("", 0) if found is None else (found["stamp"], int(found["n"] or 0))


def name_time(path: Path) -> datetime | None:
    """The UTC time in an app-named backup's file name (for one whose manifest is missing)."""
    found = NAME.match(path.name)
    return None if found is None else datetime.strptime(found["stamp"], STAMP).replace(tzinfo=UTC)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- writing --------------------------------------------------------------------------------------------------


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")


def write_atomically(target: Path, produce: Callable[[Path], None]) -> None:
    """Have `produce(tmp)` create a file in `target`'s folder, then fsync it and rename it to `target`.

    On any failure the temporary file is removed and nothing appears under `target`. Refuses an existing target.
    """
    if target.exists():
        raise BackupFileError(f"{target} already exists; nothing was written. Choose another file name.")
    tmp = _partial_name(target)
    try:
        produce(tmp)
        fsync_path(tmp)
        os.chmod(tmp, 0o600)
        if target.exists():  # checked again: os.replace would silently overwrite it
            raise BackupFileError(f"{target} appeared while the backup was written; nothing was replaced.")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_path(target.parent)


def write_manifest(db_path: Path, manifest: Manifest) -> Path:
    """Write the manifest beside `db_path` atomically (after the database file, which it describes)."""
    target = manifest_path(db_path)

    def produce(tmp: Path) -> None:
        with tmp.open("x", encoding="utf-8") as fh:
            fh.write(manifest.to_json())
            fh.flush()

    write_atomically(target, produce)
    return target


def read_manifest(db_path: Path) -> Manifest:
    """The manifest of a backup; BackupFileError when it is missing or invalid (the backup is incomplete)."""
    path = manifest_path(db_path)
    try:
        manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupFileError(
            f"{db_path.name} has no manifest ({path.name}): the backup is incomplete and cannot be restored."
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupFileError(f"The manifest {path.name} is invalid ({exc}); the backup cannot be restored.") from None
    if manifest.file != db_path.name:
        raise BackupFileError(f"The manifest {path.name} describes {manifest.file}, not {db_path.name}.")
    return manifest


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to the new file `target` and fsync it (the caller renames it into place)."""
    with source.open("rb") as src, target.open("xb") as dst:
        shutil.copyfileobj(src, dst, _CHUNK)
        dst.flush()
        os.fsync(dst.fileno())


def prune(folder: Path, workstation_id: str, keep: int) -> list[Path]:
    """Delete this workstation's app-named backups beyond the newest `keep` (database and manifest); returns
    the database files deleted. Nothing else in the folder is touched, not even other workstations' backups."""
    ours = sorted(
        (p for p in folder.iterdir() if p.is_file() and is_app_backup(p, workstation_id)),
        key=backup_order,
        reverse=True,
    )
    deleted = []
    stale = datetime.now(UTC).timestamp() - 24 * 3600
    short = workstation_id.replace("-", "")[:8].lower()
    for leftover in folder.iterdir():  # temporary files of a backup a crash interrupted, a day old or more
        if PARTIAL.match(leftover.name) and leftover.name[8:16] == short and leftover.stat().st_mtime < stale:
            leftover.unlink(missing_ok=True)
    for old in ours[max(keep, 1) :]:
        manifest_path(old).unlink(missing_ok=True)
        old.unlink(missing_ok=True)
        deleted.append(old)
    if deleted:
        fsync_path(folder)
    return deleted


# --- reading a backup -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds and how its checks went (everything read-only; the file is never written)."""

    cipher_problems: tuple[str, ...]
    integrity_problems: tuple[str, ...]
    audit: audit_chain.ChainReport
    workstation_id: str
    store_id: str
    schema_revision: str
    records: int
    newer_schema: bool


def open_readonly(path: Path, key: bytes) -> Any:
    """A keyed, read-only connection to a backup file that never writes to it (no journal, no WAL files).

    WrongKey when the key does not open it, DatabaseDamaged when it is not a database at all.
    """
    if not path.is_file():
        raise BackupFileError(f"The backup file {path} does not exist.")
    # immutable=1: SQLite takes no locks and makes no -wal/-shm beside the file, so checking a backup (on a share,
    # read-only media...) cannot change it and its SHA-256 stays valid.
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = {sqlcipher_key_literal(key)}")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        size = path.stat().st_size
        if size == 0 or size % 1024:
            raise DatabaseDamaged(f"The backup {path.name} is damaged or truncated ({size} bytes).") from None
        raise WrongKey(
            f"The backup {path.name} cannot be read with this workstation's key: it was made under an earlier key "
            "(before a key rotation) or by another workstation, or it is damaged."
        ) from None
    return conn


@contextlib.contextmanager
def _session_over(conn: Any) -> Iterator[Session]:
    engine = create_engine("sqlite+pysqlite://", module=sqlcipher3.dbapi2, creator=lambda: conn, poolclass=StaticPool)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def inspect(path: Path, key: bytes, audit_key: bytes | None = None) -> BackupContents:
    """Open a backup read-only with `key` and run every check: SQLCipher's page check, SQLite's integrity check,
    the audit chain (with `audit_key`, kept outside the database; None: the key a backup made before it moved out
    still holds inside), the schema revision and the record count."""
    conn = open_readonly(path, key)
    try:
        try:
            cipher = tuple(str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall())
            sqlite = tuple(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
        except sqlcipher3.DatabaseError as exc:
            cipher, sqlite = (str(exc),), (str(exc),)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            revision_row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        except sqlcipher3.DatabaseError as exc:
            raise DatabaseDamaged(f"The backup {path.name} cannot be read: {exc}.") from None
        if "workstation_id" not in meta or revision_row is None:
            raise DatabaseDamaged(f"The backup {path.name} is not a complete workstation store.")
        if audit_key is None and "audit_key" not in meta:
            raise WrongKey(f"The backup {path.name} cannot be checked without the key of its audit trail.")
        chain_key = audit_key if audit_key is not None else bytes.fromhex(meta["audit_key"])
        revision = str(revision_row[0])
        with _session_over(conn) as session:
            try:
                chain = audit_chain.verify(session, chain_key)
            except Exception:  # a damaged table is a failed check, not a crash
                chain = audit_chain.unreadable()
            try:
                newer = False
                migrate.needs_upgrade(session.connection())
            except NewerSchema:
                newer = True
    finally:
        conn.close()
    return BackupContents(
        cipher_problems=cipher,
        integrity_problems=() if sqlite == ("ok",) else sqlite,
        audit=chain,
        workstation_id=meta["workstation_id"],
        store_id=meta.get("store_id", ""),
        schema_revision=revision,
        records=records,
        newer_schema=newer,
    )


def seal(
    path: Path,
    key: bytes,
    *,
    taken_by: str,
    reason: str,
    created: datetime,
    recovery: dict[str, Any] | None = None,
    audit_key: bytes | None = None,
) -> Manifest:
    """Check a freshly written copy under `key` and write its manifest beside it, with `recovery` (the key sealed to
    the recovery code: KeyStore.recovery_copy); BackupFileError (no manifest written) when the copy fails a check.
    The one place a manifest is made: backups and pre-migration copies."""
    contents = inspect(path, key, audit_key)
    if contents.cipher_problems or contents.integrity_problems or not contents.audit.ok:
        raise BackupFileError(f"the copy {path.name} failed its checks")
    manifest = Manifest(
        file=path.name,
        created_at=created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        workstation_id=contents.workstation_id,
        store_id=contents.store_id,
        records=contents.records,
        schema_revision=contents.schema_revision,
        sha256=sha256_of(path),
        size=path.stat().st_size,
        app_version=__version__,
        taken_by=taken_by,
        reason=reason,
        key_check=key_check(key),
        recovery=recovery,
    )
    write_manifest(path, manifest)
    return manifest

"""The encrypted store on a real SQLCipher file: opening, refusing, recovering, rotating, migrating."""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from sqlalchemy import text

from desktop_app.storage import migrate
from desktop_app.storage.backup_file import read_manifest
from desktop_app.storage.engine import make_engine, open_raw
from desktop_app.storage.errors import (
    AlreadyInitialised,
    DatabaseDamaged,
    KeyUnavailable,
    NewerSchema,
    NotInitialised,
    UnsafeKeyring,
    WrongKey,
)
from desktop_app.storage.keystore import KEYRING_SERVICE, KeyMethod, KeyStore, new_key
from desktop_app.storage.models import Meta
from desktop_app.storage.store import Store
from tests.support.shell import run_shell

MARKER = "示例标记-PLAINTEXT-CANARY-3141592653"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path: Path):
    s, _ = Store.create(tmp_path / "data", KeyMethod.KEYRING)
    yield s
    s.close()


def _files_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_file_holds_no_plaintext_and_is_not_sqlite(store: Store) -> None:
    with store.write() as s:
        s.add(Meta(key="canary", value=MARKER))
    store.close()
    blob = _files_bytes(store.data_dir.root)
    assert MARKER.encode() not in blob
    assert "示例标记".encode() not in blob
    assert not store.data_dir.database.read_bytes().startswith(b"SQLite format 3")


def test_independent_sqlcipher_shell_reads_it_with_the_same_key(store: Store) -> None:
    with store.write() as s:
        s.add(Meta(key="canary", value=MARKER))
    key = store.raw_key_for_tests()
    store.close()
    out = run_shell(store.data_dir.database, key, "SELECT value FROM meta WHERE key = 'canary';")
    assert MARKER in out.stdout, out.stderr
    wrong = run_shell(store.data_dir.database, new_key(), "SELECT value FROM meta WHERE key = 'canary';")
    assert MARKER not in wrong.stdout


def test_wrong_key_is_refused_with_a_message_and_the_file_is_untouched(store: Store, memory_keyring) -> None:
    root = store.data_dir.root
    store.close()
    before = _digest(store.data_dir.database)
    user = f"store-{store.keystore.store_id}"
    memory_keyring.set_password(KEYRING_SERVICE, user, new_key().hex())
    with pytest.raises(WrongKey, match="recover"):
        Store.open(root)
    with pytest.raises(WrongKey, match="key is wrong"):
        open_raw(store.data_dir.database, new_key())
    assert _digest(store.data_dir.database) == before


def test_missing_key_in_the_credential_store_points_to_recovery(store: Store, memory_keyring) -> None:
    store.close()
    memory_keyring.secrets.clear()
    with pytest.raises(KeyUnavailable, match="recover"):
        Store.open(store.data_dir.root)


def test_truncated_and_corrupt_files_are_reported_and_never_recreated(store: Store) -> None:
    root, db = store.data_dir.root, store.data_dir.database
    store.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 100])
    with pytest.raises(DatabaseDamaged, match="damaged or truncated"):
        Store.open(root)
    assert db.stat().st_size == len(data) // 2 + 100
    db.write_bytes(b"\0" * 100)
    with pytest.raises(DatabaseDamaged):
        Store.open(root)
    assert db.read_bytes() == b"\0" * 100


def test_database_missing_beside_its_key_file_is_not_recreated(store: Store) -> None:
    store.close()
    store.data_dir.database.unlink()
    with pytest.raises(DatabaseDamaged, match="restore"):
        Store.open(store.data_dir.root)
    assert not store.data_dir.database.exists()


def test_empty_directory_says_to_run_init(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="desktop-app init"):
        Store.open(tmp_path / "nothing")


def test_init_never_overwrites_an_existing_store(store: Store) -> None:
    store.close()
    before = _digest(store.data_dir.database), _digest(store.data_dir.keystore)
    with pytest.raises(AlreadyInitialised):
        Store.create(store.data_dir.root, KeyMethod.KEYRING)
    assert (_digest(store.data_dir.database), _digest(store.data_dir.keystore)) == before


def test_a_database_from_a_newer_schema_is_refused_untouched(store: Store) -> None:
    with store.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    before = _digest(store.data_dir.database)
    with pytest.raises(NewerSchema, match="newer"):
        Store.open(store.data_dir.root)
    assert _digest(store.data_dir.database) == before


def test_an_older_schema_is_backed_up_then_migrated(store: Store) -> None:
    key = store.raw_key_for_tests()
    store.close()
    engine = make_engine(store.data_dir.database, key)
    with engine.connect() as conn:
        migrate.downgrade(conn, "0001")
        conn.commit()
    engine.dispose()
    reopened = Store.open(store.data_dir.root)
    with reopened.read() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == migrate.head_revision()
    backups = list(reopened.data_dir.backups.glob("pre-migration-0001-*.db"))
    assert len(backups) == 1
    manifest = read_manifest(backups[0])  # sealed like any backup, so `desktop-app restore` takes it
    assert (manifest.reason, manifest.schema_revision) == ("pre-migration", "0001")
    assert manifest.sha256 == hashlib.sha256(backups[0].read_bytes()).hexdigest()
    conn = open_raw(backups[0], key)  # the backup is encrypted under the same key and readable
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    conn.close()
    reopened.close()


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring, keyring.backends.null.Keyring])
def test_fake_keyring_backends_are_refused(tmp_path: Path, backend) -> None:
    keyring.set_keyring(backend())
    with pytest.raises(UnsafeKeyring, match="passphrase"):
        Store.create(tmp_path / "data", KeyMethod.KEYRING)
    assert not (tmp_path / "data" / "workstation.db").exists()
    assert not (tmp_path / "data" / "keystore.json").exists()


def test_passphrase_wrapped_key_opens_with_the_passphrase_only(tmp_path: Path) -> None:
    root = tmp_path / "data"
    s, _ = Store.create(root, KeyMethod.PASSPHRASE, "a long branch passphrase 7")
    s.close()
    assert "a long branch passphrase" not in (root / "keystore.json").read_text()
    Store.open(root, lambda: "a long branch passphrase 7").close()
    with pytest.raises(WrongKey, match="passphrase is wrong"):
        Store.open(root, lambda: "a wrong passphrase")


def test_recovery_code_restores_access_after_the_keyring_is_lost(tmp_path: Path, memory_keyring) -> None:
    root = tmp_path / "data"
    s, code = Store.create(root, KeyMethod.KEYRING)
    with s.write() as ses:
        ses.add(Meta(key="canary", value=MARKER))
    s.close()
    memory_keyring.secrets.clear()
    keystore = KeyStore.load(root / "keystore.json")
    with pytest.raises(WrongKey, match="recovery code is wrong"):
        keystore.recover_key("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    key = keystore.recover_key(code.lower().replace("-", " "))
    keystore.rehome(key, KeyMethod.KEYRING, None, code)
    reopened = Store.open(root)
    with reopened.read() as ses:
        assert ses.get(Meta, "canary").value == MARKER
    reopened.close()


def test_rekey_keeps_data_forgets_the_old_key_and_recovery_still_works(tmp_path: Path) -> None:
    root = tmp_path / "data"
    s, code = Store.create(root, KeyMethod.KEYRING)
    with s.write() as ses:
        ses.add(Meta(key="canary", value=MARKER))
        s.audit(ses, action="test", actor_id=None, actor_name="t")
    old = s.raw_key_for_tests()
    s.rekey()
    new = s.raw_key_for_tests()
    assert new != old
    s.close()
    with pytest.raises(WrongKey):
        open_raw(root / "workstation.db", old)
    reopened = Store.open(root)
    with reopened.read() as ses:
        assert ses.get(Meta, "canary").value == MARKER
    assert reopened.verify().ok
    reopened.close()
    assert KeyStore.load(root / "keystore.json").recover_key(code) == new
    assert (
        run_shell(root / "workstation.db", new, "SELECT value FROM meta WHERE key='canary';").stdout.strip() == MARKER
    )


def test_rotation_interrupted_before_the_swap_keeps_the_old_key(tmp_path: Path) -> None:
    root = tmp_path / "data"
    s, _ = Store.create(root, KeyMethod.KEYRING)
    old = s.raw_key_for_tests()
    s.keystore.begin_rotation(new_key(), None, old)  # the crash comes before the re-encrypted copy replaces the file
    s.close()
    reopened = Store.open(root)
    assert reopened.raw_key_for_tests() == old
    assert KeyStore.load(root / "keystore.json").pending is None
    reopened.close()


def test_rotation_interrupted_after_the_swap_finishes_at_next_open(tmp_path: Path) -> None:
    root = tmp_path / "data"
    s, _ = Store.create(root, KeyMethod.KEYRING)
    new = new_key()
    s.keystore.begin_rotation(new, None, s.raw_key_for_tests())
    tmp = root / "workstation.db.rekey"
    raw = open_raw(root / "workstation.db", s.raw_key_for_tests())
    from desktop_app.storage.store import export_encrypted

    export_encrypted(raw, tmp, new)
    raw.close()
    s.close()
    tmp.replace(root / "workstation.db")  # the crash comes before the key store is updated
    reopened = Store.open(root)
    assert reopened.raw_key_for_tests() == new
    assert KeyStore.load(root / "keystore.json").pending is None
    reopened.close()


def test_every_connection_is_keyed_and_durable(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")


def test_the_head_revision_constant_matches_the_migration_scripts() -> None:
    assert migrate.head_revision() == migrate.HEAD

"""Issue 14 item 9 (the workstation's half): the audit chain's HMAC key is kept outside the database it protects,
beside the database key (the OS credential store, or the passphrase wrap), sealed to the recovery key, and carried
by key rotation, recovery, backups and a restore on a wiped machine. Real SQLCipher files, the in-memory keyring."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.backups import restore_backup
from desktop_app.services.workstation import Workstation
from desktop_app.storage import audit_chain, backup_file, migrate
from desktop_app.storage.engine import make_engine, open_raw
from desktop_app.storage.keystore import KEYRING_SERVICE, KeyMethod
from desktop_app.storage.models import Meta
from desktop_app.storage.store import Store
from tests.conftest import PASSWORD
from tests.support.keyrings import MemoryKeyring

PASSPHRASE = "a long passphrase for the audit key 7"


def _meta(root: Path, key: bytes) -> dict[str, str]:
    conn = open_raw(root / "workstation.db", key)
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()


def _source(method: KeyMethod):  # type: ignore[no-untyped-def]
    return (lambda: PASSPHRASE) if method is KeyMethod.PASSPHRASE else None


def _branch(root: Path, method: KeyMethod = KeyMethod.KEYRING) -> tuple[str, bytes, Path]:
    """A store with records and a backup on the branch's backup disk: the recovery code, the audit key, the backup."""
    ws, code, admin = Workstation.initialise(root, "admin", PASSWORD, method, PASSPHRASE)
    try:
        ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
        teller, _ = ws.auth.login("teller", PASSWORD)
        ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
        teller, _ = ws.auth.login("teller", PASSWORD + "x")
        for customer in generate_customers(3, seed=9):
            ws.records.create(teller, customer)
        info = ws.backups.create(admin, folder=root.parent / "backup-disk")
        return code, ws.store.audit_key, info.path
    finally:
        ws.close()


@pytest.mark.parametrize("method", [KeyMethod.KEYRING, KeyMethod.PASSPHRASE])
def test_the_audit_key_is_not_in_the_database_it_protects(
    tmp_path: Path, memory_keyring: MemoryKeyring, method: KeyMethod
) -> None:
    """Issue 14 item 9: the audit HMAC key sat in `meta`, inside the database it protects, so whoever could write
    the database could re-hash a rewritten trail. Now neither the database nor a backup holds it; keystore.json
    holds only its check value and wrapped copies, and the chain still verifies."""
    root = tmp_path / "data"
    _code, audit_key, backup = _branch(root, method)
    store = Store.open(root, _source(method))
    try:
        key = store.raw_key_for_tests()
        assert store.audit_key == audit_key and store.verify().ok
    finally:
        store.close()
    meta = _meta(root, key)
    assert "audit_key" not in meta and audit_key.hex() not in meta.values()
    conn = backup_file.open_readonly(backup, key)
    try:
        assert audit_key.hex() not in dict(conn.execute("SELECT key, value FROM meta").fetchall()).values()
    finally:
        conn.close()
    text = (root / "keystore.json").read_text(encoding="utf-8")
    assert audit_key.hex() not in text and "audit" in json.loads(text)
    in_keyring = {user for (service, user) in memory_keyring.secrets if service == KEYRING_SERVICE}
    assert any(user.endswith("-audit") for user in in_keyring) == (method is KeyMethod.KEYRING)


@pytest.mark.parametrize("method", [KeyMethod.KEYRING, KeyMethod.PASSPHRASE])
def test_an_older_store_moves_its_audit_key_out_and_rekey_recover_and_restore_carry_it(
    tmp_path: Path, memory_keyring: MemoryKeyring, method: KeyMethod
) -> None:
    """Issue 14 item 9: a store from before the move (the key in `meta`, none in keystore.json) has it moved out at
    its next open by migration 0007 and removed from the database; a key rotation, a recovery with the code (after
    the credential store is lost) and a restore of the pre-migration copy all keep a chain that verifies."""
    root = tmp_path / "data"
    code, audit_key, _backup = _branch(root, method)
    # As an older version left it: the key in the database, keystore.json and the credential store without it.
    store = Store.open(root, _source(method))
    key = store.raw_key_for_tests()
    store.close()
    engine = make_engine(root / "workstation.db", key)
    with engine.connect() as conn:
        migrate.downgrade(conn, "0006")
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('audit_key', ?)", (audit_key.hex(),))
        conn.commit()
    engine.dispose()
    raw = json.loads((root / "keystore.json").read_text(encoding="utf-8"))
    raw.pop("audit")
    for name in ("audit_nonce", "audit_wrapped"):
        (raw["passphrase"] or {}).pop(name, None)
    (root / "keystore.json").write_text(json.dumps(raw), encoding="utf-8")
    for entry in [e for e in memory_keyring.secrets if e[1].endswith("-audit")]:
        del memory_keyring.secrets[entry]

    store = Store.open(root, _source(method))  # migrates: the key moves out
    try:
        assert store.audit_key == audit_key and store.verify().ok
        assert "audit_key" not in _meta(root, store.raw_key_for_tests())
    finally:
        store.close()

    # The pre-migration copy still holds the key in its own database; restoring it moves it out again.
    pre = sorted((root / "backups").glob("pre-migration-0006-*.db"))[-1]
    restore_backup(root, pre, admin_user="admin", admin_password=PASSWORD, passphrase=_source(method))
    store = Store.open(root, _source(method))
    try:
        assert store.audit_key == audit_key and store.verify().ok
        assert "audit_key" not in _meta(root, store.raw_key_for_tests())
        store.rekey(PASSPHRASE if method is KeyMethod.PASSPHRASE else None)
        assert store.verify().ok
    finally:
        store.close()
    store = Store.open(root, _source(method))
    try:
        assert store.audit_key == audit_key and store.verify().ok
        with store.write() as session:
            store.audit(session, action="test.after_rekey", actor_id=None, actor_name="test")
    finally:
        store.close()

    memory_keyring.secrets.clear()  # the credential store is lost: the recovery code brings both keys back
    store = Store.recover(root, code, KeyMethod.KEYRING)
    try:
        assert store.audit_key == audit_key and store.verify().ok
        with store.read() as session:
            assert session.get(Meta, "audit_key") is None
            assert audit_chain.verify(session, audit_key).ok
    finally:
        store.close()


def test_a_backup_restored_on_a_wiped_machine_verifies_its_audit_chain(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """Issue 14 item 9 with item 5: the backup carries the audit key sealed to the recovery code beside the database
    key, so a restore on a wiped machine with the code alone checks the chain and goes on with it."""
    root = tmp_path / "data"
    code, audit_key, backup = _branch(root)
    manifest = json.loads(backup_file.manifest_path(backup).read_text(encoding="utf-8"))
    assert "audit_sealed" in manifest["recovery"] and audit_key.hex() not in json.dumps(manifest)
    shutil.rmtree(root)
    memory_keyring.secrets.clear()

    restore_backup(
        root, backup, admin_user="admin", admin_password=PASSWORD, recovery_code=code, key_storage=KeyMethod.KEYRING
    )
    store = Store.open(root)
    try:
        assert store.audit_key == audit_key
        report = store.verify()
        assert report.ok and report.audit.entries > 5
    finally:
        store.close()

"""Restoring a backup on a new machine with the recovery code alone (issue 14 item 5), and a restore refused while
another program has the database open."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app import cli
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.backups import RestoreRefused, restore_backup
from desktop_app.services.workstation import Workstation
from desktop_app.storage import backup_file
from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store
from tests.conftest import PASSWORD
from tests.support.keyrings import MemoryKeyring

NEW_PASSPHRASE = "the new machine's key passphrase 9"


def _cli(monkeypatch, capsys, root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(["--data-dir", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _branch(root: Path) -> tuple[str, Path, set[str]]:
    """A store with a teller's records and a backup taken outside the data directory (on the branch's backup disk):
    the recovery code, the backup file and the record ids."""
    ws, code, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.KEYRING)
    try:
        ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
        teller, _ = ws.auth.login("teller", PASSWORD)
        ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
        teller, _ = ws.auth.login("teller", PASSWORD + "x")
        ids = {ws.records.create(teller, c).record_id for c in generate_customers(7, seed=5)}
        info = ws.backups.create(admin, folder=root.parent / "backup-disk")
    finally:
        ws.close()
    return code, info.path, ids


def test_a_backup_restores_on_a_wiped_machine_with_the_recovery_code(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """Issue 14 item 5: a backup cannot be restored on a new machine. Backup, wipe the data directory (and the
    credential store), `desktop-app restore --recovery-code-stdin`, verify: every record is back and the same
    recovery code still opens the new store."""
    root = tmp_path / "data"
    code, backup, ids = _branch(root)
    manifest = json.loads(backup_file.manifest_path(backup).read_text(encoding="utf-8"))
    assert code.replace("-", "") not in json.dumps(manifest)  # the manifest holds wrapped material only
    shutil.rmtree(root)  # the disk is lost: database, keystore.json, backups folder, logs
    memory_keyring.secrets.clear()  # and with it the OS credential store

    monkeypatch.setenv(cli.ENV_PASSPHRASE, NEW_PASSPHRASE)
    status, out, err = _cli(
        monkeypatch,
        capsys,
        root,
        "restore",
        str(backup),
        "--user",
        "admin",
        "--password-stdin",
        "--recovery-code-stdin",
        "--key-storage",
        "passphrase",
        stdin=f"{PASSWORD}\n{code.lower()}\n",
    )
    assert (status, err) == (0, ""), err
    assert "7 records" in out

    status, out, err = _cli(monkeypatch, capsys, root, "verify")
    assert status == 0 and "audit chain: ok" in out, out + err
    ws = Workstation.open(root, lambda: NEW_PASSPHRASE)
    try:
        with ws.store.read() as session:
            assert set(session.scalars(select(Record.id))) == ids
        ws.auth.login("teller", PASSWORD + "x")
    finally:
        ws.close()
    monkeypatch.delenv(cli.ENV_PASSPHRASE)
    # The recovery code of the lost machine stays the code of the restored one.
    Store.recover(root, code, KeyMethod.KEYRING).close()
    Workstation.open(root).close()


def test_a_restore_with_the_recovery_code_refuses_a_wrong_code_and_an_existing_key_file(tmp_path: Path) -> None:
    """Issue 14 item 5: a wrong recovery code, or a data directory that still has its keystore.json, is refused
    with nothing written."""
    root = tmp_path / "data"
    code, backup, _ = _branch(root)
    with pytest.raises(RestoreRefused, match="already holds a key file"):
        restore_backup(
            root, backup, admin_user="admin", admin_password=PASSWORD, recovery_code=code, key_storage=KeyMethod.KEYRING
        )
    shutil.rmtree(root)
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    with pytest.raises(RestoreRefused, match="recovery code does not open"):
        restore_backup(
            root,
            backup,
            admin_user="admin",
            admin_password=PASSWORD,
            recovery_code=wrong,
            key_storage=KeyMethod.KEYRING,
        )
    assert not (root / "keystore.json").exists() and not (root / "workstation.db").exists()
    with pytest.raises(RestoreRefused, match="administrator name or password"):
        restore_backup(
            root,
            backup,
            admin_user="admin",
            admin_password="Wrong-pass-1",
            recovery_code=code,
            key_storage=KeyMethod.KEYRING,
        )
    assert not (root / "keystore.json").exists() and not (root / "workstation.db").exists()


def test_a_restore_is_refused_while_another_program_has_the_database_open(tmp_path: Path) -> None:
    """Issue 14 item 5 (restore after a rekey): the database is taken alone (engine.open_exclusive) before it is
    replaced, so a restore never renames a file away under another program's open connection."""
    root = tmp_path / "data"
    _code, backup, _ = _branch(root)
    ws = Workstation.open(root)
    key = ws.store.raw_key_for_tests()
    ws.close()
    other = open_raw(root / "workstation.db", key)  # a scheduled sync, say, in another process
    try:
        inode = (root / "workstation.db").stat().st_ino
        with pytest.raises(RestoreRefused, match="Another program has the workstation's database open"):
            restore_backup(root, backup, admin_user="admin", admin_password=PASSWORD)
        assert (root / "workstation.db").stat().st_ino == inode
        assert not (root / "replaced").exists()
    finally:
        other.close()
    result = restore_backup(root, backup, admin_user="admin", admin_password=PASSWORD)
    assert result.records == 7 and result.kept is not None and result.kept.exists()

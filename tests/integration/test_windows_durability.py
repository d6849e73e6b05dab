"""The durable-write helpers with the Windows branch forced (issue 14 item 12): init, backups, rekey, restore and
exports must work where a directory cannot be opened as a file and fsync needs a handle open for writing."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.backups import restore_backup
from desktop_app.services.workstation import Workstation
from desktop_app.storage import durable
from desktop_app.storage.durable import fsync_path
from desktop_app.storage.keystore import KeyMethod
from tests.conftest import PASSWORD

PASSPHRASE = "windows branch key passphrase 3"


@pytest.fixture
def windows_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' file semantics on this machine: os.open of a directory raises PermissionError, and os.fsync of a
    descriptor opened read-only fails (FlushFileBuffers needs write access); and the code's Windows branch is on."""
    real_open, real_fsync = os.open, os.fsync

    def windows_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.path.isdir(path):
            raise PermissionError(errno.EACCES, "Access is denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def windows_fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")
        real_fsync(fd)

    monkeypatch.setattr(os, "open", windows_open)
    monkeypatch.setattr(os, "fsync", windows_fsync)
    monkeypatch.setattr(durable, "WINDOWS", True, raising=False)  # raising=False: today's code has no switch


def test_fsync_path_on_windows_skips_directories_and_flushes_files(tmp_path: Path, windows_files: None) -> None:
    """Issue 14 item 12: directory fsync raised PermissionError on Windows; it is skipped there, and a file is
    opened for writing to be flushed."""
    target = tmp_path / "file.bin"
    target.write_bytes(b"data")
    fsync_path(tmp_path)
    fsync_path(target)
    assert target.read_bytes() == b"data"


def test_init_backup_rekey_restore_and_export_work_on_the_windows_branch(tmp_path: Path, windows_files: None) -> None:
    """Issue 14 item 12: with the Windows branch forced, `init`, a backup, a key rotation, a restore and an export
    all complete (each failed on today's code with PermissionError from a directory fsync)."""
    from desktop_app.services.records import SearchQuery

    root = tmp_path / "data"
    ws, _code, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
    try:
        ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
        ws.users.add(admin, "boss", PASSWORD, {Role.SUPERVISOR})
        teller, _ = ws.auth.login("teller", PASSWORD)
        ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
        teller, _ = ws.auth.login("teller", PASSWORD + "x")
        for customer in generate_customers(3, seed=12):
            ws.records.create(teller, customer)
        ws.maintenance.rekey(admin, PASSPHRASE)
        backup = ws.backups.create(admin).path
        boss, _ = ws.auth.login("boss", PASSWORD)
        ws.auth.change_password(boss, PASSWORD, PASSWORD + "x")
        boss, _ = ws.auth.login("boss", PASSWORD + "x")
        exported = ws.exports.export(boss, SearchQuery(), tmp_path / "out.csv")
        assert exported.count == 3 and exported.path.exists()
    finally:
        ws.close()
    result = restore_backup(root, backup, admin_user="admin", admin_password=PASSWORD, passphrase=lambda: PASSPHRASE)
    assert result.records == 3
    Workstation.open(root, lambda: PASSPHRASE).close()

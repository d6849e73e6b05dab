"""A backup restored on a wiped machine with the recovery code alone (issue 14 item 5), for both key storages.

Each probe makes a store with records, takes a backup to a folder outside the data directory, then wipes the data
directory and the credential store (a lost disk), and restores with `desktop-app restore --recovery-code-stdin`
(the service under it). The restored store must open, pass verify, hold every record, and still open with the same
recovery code; a wrong code must be refused with nothing written.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import keyring

from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.backups import RestoreRefused, restore_backup
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.store import Store
from probes.result import ProbeResult
from tests.support.keyrings import MemoryKeyring

TITLE = "Restore on a wiped machine with the recovery code (issue 14 item 5)"
PASSWORD = "Correct-Horse-42"  # noqa: S105 - the probe's own throw-away account
PASSPHRASE = "a long branch passphrase for the probe 7"  # noqa: S105 - a throw-away store's
RECORDS = 25


def run(quick: bool) -> list[ProbeResult]:
    """Every probe of this module; `quick`: the keyring storage only."""
    previous = keyring.get_keyring()
    store = MemoryKeyring()  # never the machine's own credential store
    keyring.set_keyring(store)
    try:
        with tempfile.TemporaryDirectory(prefix="probe-restore-") as folder:
            methods = [KeyMethod.KEYRING] if quick else [KeyMethod.KEYRING, KeyMethod.PASSPHRASE]
            results = [_wiped(Path(folder) / m.value, m, store) for m in methods]
            results.append(_wrong_code(Path(folder) / "wrong-code", store))
            return results
    finally:
        keyring.set_keyring(previous)


def _branch(root: Path, method: KeyMethod) -> tuple[str, Path]:
    passphrase = PASSPHRASE if method is KeyMethod.PASSPHRASE else None
    ws, code, admin = Workstation.initialise(root, "admin", PASSWORD, method, passphrase)
    try:
        _key_records(ws, admin)  # an admin keys no records: a teller does
        info = ws.backups.create(admin, folder=root.parent / f"{root.name}-backups")
    finally:
        ws.close()
    return code, info.path


def _key_records(ws: Workstation, admin: object) -> None:
    from desktop_app.domain.roles import Role

    ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})  # type: ignore[arg-type]
    teller, _ = ws.auth.login("teller", PASSWORD)
    ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
    teller, _ = ws.auth.login("teller", PASSWORD + "x")
    for customer in generate_customers(RECORDS, seed=14):
        ws.records.create(teller, customer)


def _wipe(root: Path, store: MemoryKeyring) -> None:
    shutil.rmtree(root)
    store.secrets.clear()


def _wiped(root: Path, method: KeyMethod, store: MemoryKeyring) -> ProbeResult:
    probe = f"backup, wipe, restore with the code ({method.value})"
    expected = f"opens; verify ok; {RECORDS} records; the same code recovers it"
    code, backup = _branch(root, method)
    _wipe(root, store)
    passphrase = PASSPHRASE if method is KeyMethod.PASSPHRASE else None
    try:
        restore_backup(
            root,
            backup,
            admin_user="admin",
            admin_password=PASSWORD,
            recovery_code=code,
            key_storage=method,
            new_passphrase=passphrase,
        )
        ws = Workstation.open(root, (lambda: PASSPHRASE) if passphrase else None)
        try:
            report = ws.store.verify()
            records = ws.store.count("SELECT count(*) FROM records")
        finally:
            ws.close()
        Store.recover(root, code, method, passphrase).close()
    except Exception as exc:
        return ProbeResult(probe, expected, f"{exc.__class__.__name__}: {exc}", False)
    ok = report.ok and records == RECORDS
    return ProbeResult(probe, expected, f"verify {'ok' if report.ok else 'FAILED'}; {records} records", ok)


def _wrong_code(root: Path, store: MemoryKeyring) -> ProbeResult:
    probe = "restore on a wiped machine with a wrong code"
    expected = "refused; nothing written"
    code, backup = _branch(root, KeyMethod.KEYRING)
    _wipe(root, store)
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    try:
        restore_backup(
            root,
            backup,
            admin_user="admin",
            admin_password=PASSWORD,
            recovery_code=wrong,
            key_storage=KeyMethod.KEYRING,
        )
    except RestoreRefused:
        written = [p.name for p in (root / "keystore.json", root / "workstation.db") if p.exists()]
        return ProbeResult(probe, expected, f"refused; written: {written or 'nothing'}", not written)
    return ProbeResult(probe, expected, "restored with a wrong code", False)

"""Encrypted backups and restore on real SQLCipher stores: round trip, concurrent writes, atomicity, tampering,
other workstations, retention, key rotation, the schedule and the command line."""

from __future__ import annotations

import io
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop_app import cli
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.backups import BackupFailed, RestoreRefused, restore_backup
from desktop_app.services.workstation import Workstation
from desktop_app.storage import backup_file
from desktop_app.storage.app_lock import AppLock, AppLocked
from desktop_app.storage.engine import open_raw
from desktop_app.storage.models import AuditEntry, Meta, Record
from tests.conftest import PASSWORD, Staff

CLERK_PW = PASSWORD + "x"  # staff other than the admin changed their password at first login (conftest)


def _customers(n: int, seed: int) -> list[dict[str, str]]:
    return list(generate_customers(n, seed=seed))


def _count(ws: Workstation) -> int:
    return ws.store.count("SELECT count(*) FROM records")


def _status(ws: Workstation, record_id: str) -> str:
    with ws.store.read() as s:
        return str(s.get(Record, record_id).status)  # type: ignore[union-attr]


def _last_audit(root: Path) -> tuple[str, dict[str, object]]:
    ws = Workstation.open(root)
    try:
        with ws.store.read() as s:
            entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert entry is not None
            return entry.action, json.loads(entry.details)
    finally:
        ws.close()


def test_round_trip_brings_everything_back_and_audits_the_restore(staff: Staff) -> None:
    ws = staff.ws
    ids = [ws.records.create(staff.teller, c).record_id for c in _customers(12, 1)]
    info = ws.backups.create(staff.supervisor)
    assert info.verified and info.manifest is not None and info.records == 12
    manifest = json.loads(backup_file.manifest_path(info.path).read_text(encoding="utf-8"))
    assert manifest["workstation_id"] == ws.store.workstation_id and manifest["taken_by"] == "supervisor"
    assert manifest["reason"] == "manual" and manifest["schema_revision"] and len(manifest["sha256"]) == 64
    # Change the data after the backup: a record discarded, others added.
    ws.records.discard(staff.teller, ids[0], None)
    for c in _customers(5, 2):
        ws.records.create(staff.teller, c)
    assert _count(ws) == 17 and _status(ws, ids[0]) == "discarded"
    key = ws.store.raw_key_for_tests()
    ws.close()

    result = restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD)

    assert result.records == 12 and not result.forced and not result.other_workstation
    assert result.kept is not None and result.kept.exists() and result.kept.parent.name == "replaced"
    assert result.pre_restore_backup is not None and result.pre_restore_backup.exists()
    back = Workstation.open(staff.root)
    try:
        assert _count(back) == 12 and _status(back, ids[0]) == "draft"
        with back.store.read() as s:
            assert set(s.scalars(select(Record.id))) == set(ids)
        assert back.store.verify().ok
        with back.store.read() as s:
            entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert entry is not None and entry.action == "backup.restore" and entry.actor_name == "admin"
            details = json.loads(entry.details)
        assert details["file"] == info.path.name and details["sha256"] == info.sha256
        assert details["forced"] is False and details["replaced"] == result.kept.name
    finally:
        back.close()
    # The replaced file is kept whole: it still holds the 17 records.
    conn = open_raw(result.kept, key)
    try:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 17
    finally:
        conn.close()


def test_backup_during_continuous_writes_is_a_consistent_snapshot(staff: Staff) -> None:
    ws = staff.ws
    stop = threading.Event()
    written: list[int] = []
    customers = iter(_customers(5000, 3))

    def writer() -> None:
        while not stop.is_set():
            ws.records.create(staff.teller, next(customers))
            written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:  # the writer is going before the backup starts
            threading.Event().wait(0.01)
        info = ws.backups.create(staff.admin)
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert during > 20 or len(written) > 20
    report = ws.backups.verify(staff.admin, info.path)
    assert report.ok, report.problems
    assert report.contents is not None and report.contents.records == info.records
    assert report.contents.audit.ok
    # A snapshot: every record in it has its first version and status event (no half-copied transaction).
    conn = backup_file.open_readonly(info.path, ws.store.raw_key_for_tests())
    try:
        orphans = conn.execute(
            "SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM record_versions v WHERE v.record_id = r.id)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0


def test_a_failure_mid_write_leaves_no_file_under_the_final_name(staff: Staff, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = staff.ws
    folder = ws.backups.folder(staff.admin)
    real_export = ws.store.export_copy

    def half_then_fail(target: Path) -> None:
        target.write_bytes(b"\0" * 4096)  # a partial file, as a full disk would leave
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ws.store, "export_copy", half_then_fail)
    with pytest.raises(BackupFailed):
        ws.backups.create(staff.admin)
    assert list(folder.iterdir()) == []

    monkeypatch.setattr(ws.store, "export_copy", real_export)

    def manifest_fails(db_path: Path, manifest: object) -> Path:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(backup_file, "write_manifest", manifest_fails)
    with pytest.raises(OSError, match="I/O error"):
        ws.backups.create(staff.admin)
    assert list(folder.iterdir()) == []  # the checked copy is removed with its manifest unwritten
    assert ws.backups.list(staff.admin) == []


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_tampered_backup_is_refused_and_the_live_store_is_untouched(staff: Staff) -> None:
    ws = staff.ws
    for c in _customers(3, 4):
        ws.records.create(staff.teller, c)
    info = ws.backups.create(staff.admin)
    ws.records.create(staff.teller, _customers(1, 5)[0])
    _flip_byte(info.path, info.size // 2)
    report = ws.backups.verify(staff.admin, info.path)
    assert not report.ok and "SHA-256" in report.messages("en")[0]
    assert not ws.backups.list(staff.admin)[0].verified
    ws.close()
    live_before = (staff.root / "workstation.db").stat().st_ino
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD)
    assert "nothing was changed" in refused.value.message_text.en and "SHA-256" in refused.value.message_text.en
    assert refused.value.message_text.zh.startswith("未恢复备份")
    assert (staff.root / "workstation.db").stat().st_ino == live_before
    assert not (staff.root / "replaced").exists()
    assert not list(staff.root.glob(".restore-*"))
    # Someone who also rewrites the manifest's checksum is stopped by SQLCipher's page MACs.
    manifest = backup_file.read_manifest(info.path)
    forged = backup_file.Manifest(
        **{**manifest.__dict__, "sha256": backup_file.sha256_of(info.path)}  # type: ignore[arg-type]
    )
    backup_file.manifest_path(info.path).write_text(forged.to_json(), encoding="utf-8")
    with pytest.raises(RestoreRefused):
        restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD)
    reopened = Workstation.open(staff.root)
    try:
        assert _count(reopened) == 4
    finally:
        reopened.close()


def _other_workstation_backup(staff: Staff, tmp_path: Path) -> Path:
    """A backup of a clone of this store (same key, as when a data directory was copied) with its own id."""
    other = tmp_path / "other"
    other.mkdir()
    staff.ws.store.export_copy(other / "workstation.db")
    (other / "keystore.json").write_bytes((staff.root / "keystore.json").read_bytes())
    clone = Workstation.open(other)
    try:
        with clone.store.write() as s:
            s.execute(update(Meta).where(Meta.key == "workstation_id").values(value=str(uuid.uuid4())))
        clone.close()
        clone = Workstation.open(other)
        return clone.backups.create(staff.admin).path
    finally:
        clone.close()


def test_another_workstations_backup_needs_an_admins_force(staff: Staff, tmp_path: Path) -> None:
    backup = _other_workstation_backup(staff, tmp_path)
    assert not [i for i in staff.ws.backups.list(staff.admin) if i.path == backup]  # not in this folder
    staff.ws.close()
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(staff.root, backup, admin_user="admin", admin_password=PASSWORD)
    assert (
        "another workstation" in refused.value.message_text.en
        and "--force-other-workstation" in refused.value.message_text.en
    )
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(
            staff.root, backup, admin_user="supervisor", admin_password=CLERK_PW, force_other_workstation=True
        )
    assert "administrator" in refused.value.message_text.en
    with pytest.raises(RestoreRefused):
        restore_backup(staff.root, backup, admin_user="admin", admin_password="wrong", force_other_workstation=True)
    result = restore_backup(
        staff.root, backup, admin_user="admin", admin_password=PASSWORD, force_other_workstation=True
    )
    assert result.forced and result.other_workstation
    action, details = _last_audit(staff.root)
    assert action == "backup.restore" and details["forced"] is True


def test_retention_keeps_the_newest_and_never_touches_other_files(staff: Staff) -> None:
    ws = staff.ws
    ws.settings.set(staff.admin, "backup_keep", 2)
    folder = ws.backups.folder(staff.admin)
    folder.mkdir(parents=True, exist_ok=True)
    strangers = [
        folder / "notes.txt",
        folder / "backup-deadbeef-20200101T000000Z.db",  # another workstation's, in a shared folder
        folder / "backup-by-hand.db",
        folder / "pre-migration-0004-20200101T000000Z.db",
    ]
    for p in strangers:
        p.write_bytes(b"keep me")
    made = [ws.backups.create(staff.supervisor).path for _ in range(4)]
    ours = sorted(p for p in folder.iterdir() if backup_file.is_app_backup(p, ws.store.workstation_id))
    assert ours == sorted(made[-2:])
    assert all(backup_file.manifest_path(p).exists() for p in ours)
    assert not backup_file.manifest_path(made[0]).exists()
    assert all(p.read_bytes() == b"keep me" for p in strangers)


def test_a_backup_after_a_key_rotation_needs_the_old_key(staff: Staff) -> None:
    ws = staff.ws
    old = ws.backups.create(staff.admin)
    ws.maintenance.rekey(staff.admin)
    report = ws.backups.verify(staff.admin, old.path)
    assert not report.ok and "earlier key" in report.messages("en")[0]
    assert "较早的密钥" in report.messages("zh_CN")[0]
    fresh = ws.backups.create(staff.admin, reason="rekey")
    assert ws.backups.verify(staff.admin, fresh.path).ok
    ws.close()
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(staff.root, old.path, admin_user="admin", admin_password=PASSWORD)
    assert "earlier key" in refused.value.message_text.en


def test_list_and_due(staff: Staff) -> None:
    ws = staff.ws
    tz = timezone(timedelta(hours=8))
    now = datetime.now(tz)
    assert ws.backups.due(staff.supervisor, now)
    first = ws.backups.create(staff.supervisor)
    folder = first.path.parent
    (folder / "backup-0000aaaa-20200101T000000Z.db").write_bytes(b"incomplete")  # no manifest
    second = ws.backups.create(staff.admin, reason="daily")
    listed = ws.backups.list(staff.supervisor)
    assert [i.path for i in listed[:2]] == [second.path, first.path]
    incomplete = [i for i in listed if i.manifest is None]
    assert len(incomplete) == 1 and not incomplete[0].verified and "incomplete" in incomplete[0].problem("en")
    assert not ws.backups.due(staff.supervisor, now)
    assert ws.backups.due(staff.supervisor, now + timedelta(days=1))
    ws.settings.set(staff.admin, "backup_schedule", "off")
    assert not ws.backups.due(staff.supervisor, now + timedelta(days=1))


def test_an_incomplete_backup_is_never_restored(staff: Staff) -> None:
    info = staff.ws.backups.create(staff.admin)
    backup_file.manifest_path(info.path).unlink()
    staff.ws.close()
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD)
    assert "no manifest" in refused.value.message_text.en


# --- the command line -------------------------------------------------------------------------------------------


def _cli(monkeypatch, capsys, root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(["--data-dir", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_backup_list_and_restore(staff: Staff, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    for c in _customers(4, 6):
        staff.ws.records.create(staff.teller, c)
    target = tmp_path / "offsite" / "branch.db"
    target.parent.mkdir()
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "backup", str(target), "--user", "supervisor", "--password-stdin",
        stdin=CLERK_PW + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert str(target) in out and "4 records" in out and backup_file.sha256_of(target) in out
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "backup", "--user", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0, err
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "backups", "--user", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0 and "verified" in out and "4" in out
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "backup", str(target), "--user", "teller", "--password-stdin", stdin=CLERK_PW
    )
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err

    staff.ws.records.create(staff.teller, _customers(1, 7)[0])
    staff.ws.close()
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "restore", str(target), "--user", "supervisor", "--password-stdin",
        stdin=CLERK_PW,
    )  # fmt: skip
    assert code == 1 and "administrator" in err and len(err.strip().splitlines()) == 1
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "restore", str(target), "--user", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0, err
    assert "replaced" in out and "4 records" in out
    back = Workstation.open(staff.root)
    try:
        assert _count(back) == 4
    finally:
        back.close()
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "restore", str(tmp_path / "missing.db"), "--user", "admin",
        "--password-stdin", stdin=PASSWORD,
    )  # fmt: skip
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err


def test_cli_rekey_takes_a_fresh_backup(staff: Staff, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    staff.ws.close()
    code, out, err = _cli(
        monkeypatch, capsys, staff.root, "rekey", "--user", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0, err
    assert "fresh backup" in out
    ws = Workstation.open(staff.root)
    try:
        listed = ws.backups.list(staff.admin)
        assert len(listed) == 1 and listed[0].verified and listed[0].manifest is not None
        assert listed[0].manifest.reason == "rekey"
    finally:
        ws.close()


def test_manifest_times_are_utc(staff: Staff) -> None:
    info = staff.ws.backups.create(staff.admin)
    assert info.created_at is not None and info.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - info.created_at).total_seconds()) < 3600
    assert info.path.name.endswith("Z.db")


def test_a_name_retention_freed_is_not_reused_in_the_same_second(tmp_path: Path) -> None:
    """A reused earlier name would sort as the oldest backup and be pruned at once: the newest backup lost."""
    when = datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC)
    workstation = "0123abcd-0000-0000-0000-000000000000"
    first = backup_file.new_backup_path(tmp_path, workstation, when)
    first.write_bytes(b"")
    second = backup_file.new_backup_path(tmp_path, workstation, when)
    second.write_bytes(b"")
    first.unlink()  # retention deleted the oldest
    third = backup_file.new_backup_path(tmp_path, workstation, when)
    assert backup_file.backup_order(first) < backup_file.backup_order(second) < backup_file.backup_order(third)


def test_no_restore_while_the_app_has_the_store_open(staff: Staff) -> None:
    """The desktop app holds the data directory's lock: a restore under it is refused and changes nothing; once the
    app is closed the same restore goes through."""
    ws = staff.ws
    ws.records.create(staff.teller, _customers(1, 9)[0])
    info = ws.backups.create(staff.supervisor)
    ws.records.create(staff.teller, _customers(1, 10)[0])
    ws.close()
    before = staff.root.joinpath("workstation.db").read_bytes()
    with AppLock.acquire(staff.root):  # what run_gui holds while the app is open
        with pytest.raises(RestoreRefused) as refused:
            restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD)
        assert "quit the app" in refused.value.message_text.en and refused.value.message_text.zh
        assert staff.root.joinpath("workstation.db").read_bytes() == before
        assert not staff.root.joinpath("replaced").exists()
        with pytest.raises(AppLocked):  # and a second app on the same data directory is refused too
            AppLock.acquire(staff.root)
    assert restore_backup(staff.root, info.path, admin_user="admin", admin_password=PASSWORD).records == 1

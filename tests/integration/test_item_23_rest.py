"""Issue 14 item 23 (the rest): purged values leave no trace in free pages, old pre-migration copies are pruned,
and starting a change on another teller's customer is audited as the reveal it is."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from sqlalchemy import text

from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.audit_log import AuditFilter
from desktop_app.storage.backup_file import manifest_path
from desktop_app.storage.store import prune_pre_migration
from tests.conftest import Staff


def test_issue_14_item_23_deleted_content_is_overwritten_not_left_in_free_pages(staff: Staff) -> None:
    """Issue 14 item 23: every connection runs with secure_delete, so a purge or a deletion zeroes the content."""
    with staff.ws.store.read() as s:
        assert s.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_issue_14_item_23_old_pre_migration_copies_are_pruned(tmp_path: Path) -> None:
    """Issue 14 item 23: each full copy holds every record; only the newest three stay, with their manifests."""
    folder = tmp_path / "backups"
    folder.mkdir()
    stamps = ["20260101T000000Z", "20260301T000000Z", "20260201T000000Z", "20260501T000000Z", "20260401T000000Z"]
    for n, stamp in enumerate(stamps):
        (folder / f"pre-migration-000{n}-{stamp}.db").write_bytes(b"x")
        manifest_path(folder / f"pre-migration-000{n}-{stamp}.db").write_text("{}")
    (folder / "backup-20260101T000000Z.db").write_bytes(b"a backup of another kind stays")
    gone = prune_pre_migration(folder)
    assert sorted(p.name.rsplit("-", 1)[-1] for p in gone) == ["20260101T000000Z.db", "20260201T000000Z.db"]
    left = sorted(p.name for p in folder.glob("pre-migration-*.db"))
    assert sorted(name.rsplit("-", 1)[-1] for name in left) == [
        "20260301T000000Z.db",
        "20260401T000000Z.db",
        "20260501T000000Z.db",
    ]
    assert (folder / "backup-20260101T000000Z.db").exists()
    assert not any(manifest_path(p).exists() for p in gone) and all(manifest_path(folder / n).exists() for n in left)


def test_issue_14_item_23_a_change_on_another_tellers_customer_is_audited_as_a_reveal(staff: Staff) -> None:
    """Issue 14 item 23: start_change opens every value to the teller who starts it; the masked ones are audited
    as revealed (which fields, never the values)."""
    values = generate_customer(random.Random(2301), date.today())
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    record_id = staff.ws.records.create(staff.teller, values).record_id
    staff.ws.records.submit(staff.teller, record_id, None)
    staff.ws.approvals.approve(staff.supervisor, record_id, None)
    before = staff.ws.records.get(staff.teller2, record_id)
    assert "id_number" in before.masked
    staff.ws.records.start_change(staff.teller2, record_id)
    [entry] = staff.ws.audit.entries(staff.auditor, AuditFilter(action="record.reveal", record_id=record_id, limit=5))
    assert entry.actor == "teller2" and "id_number" in entry.details["fields"] and entry.details["via"] == "change"
    assert values["id_number"] not in str(entry.details)


def test_a_rekeyed_store_stays_owner_only(staff: Staff) -> None:
    """Found by the independent trial: after a rekey workstation.db was 0644 (the data directory is 0700)."""
    import stat

    database = staff.ws.store.data_dir.database
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    staff.ws.maintenance.rekey(staff.admin)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600

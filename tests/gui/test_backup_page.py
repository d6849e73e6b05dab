"""The Backups page and the daily scheduler, offscreen: "Back up now" (button and Ctrl+B) runs the backup off the
GUI thread and the list refreshes; "Verify" reports the checks; the restore command is shown; the scheduler takes
one backup a day as the workstation's own job, whoever is signed in."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import PermissionDenied
from desktop_app.ui.operations.backup_page import BackupPage
from desktop_app.ui.operations.backup_scheduler import BackupScheduler
from tests.conftest import Staff

WAIT_MS = 20_000


def _page(qtbot, staff: Staff) -> BackupPage:  # type: ignore[no-untyped-def]
    page = BackupPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    qtbot.waitUntil(lambda: "No backup yet" in page.age.text(), timeout=WAIT_MS)
    return page


def test_back_up_now_runs_off_the_gui_thread_and_refreshes_the_list(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, staff)
    assert page.table.rowCount() == 0
    threads: list[threading.Thread] = []
    real_create = staff.ws.backups.create

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_create(*args, **kwargs)

    staff.ws.backups.create = spy  # type: ignore[method-assign]
    with qtbot.waitSignal(page.backed_up, timeout=WAIT_MS):
        qtbot.mouseClick(page.backup_now, Qt.MouseButton.LeftButton)
        assert not page.backup_now.isEnabled() and page.busy.isVisible()
    assert threads and threads[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    assert page.backup_now.isEnabled() and not page.busy.isVisible()
    assert page.table.item(0, 3).text() == "Verified"
    assert "Last backup" in page.age.text()

    with qtbot.waitSignal(page.backed_up, timeout=WAIT_MS):
        qtbot.keyClick(page, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)

    page.table.selectRow(1)
    assert "restore" in page.restore_help.text() and page.backups[1].path.name in page.restore_help.text()
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as report:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert report.args[0].ok
    assert "passed every check" in page.result.text()


def test_the_scheduler_takes_one_backup_a_day(qtbot, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    scheduler = BackupScheduler(staff.ws, first_check_ms=0)
    with qtbot.waitSignal(scheduler.backed_up, timeout=WAIT_MS) as taken:
        pass
    assert taken.args[0].manifest.reason == "daily"
    scheduler.check()  # already taken today: nothing more
    qtbot.waitUntil(lambda: scheduler._running is None, timeout=WAIT_MS)
    assert len(staff.ws.backups.list(staff.supervisor)) == 1
    scheduler.stop()


def test_a_teller_only_day_still_gets_its_daily_backup(qtbot, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    """The daily backup is the workstation's job, not the signed-in user's (the scheduler takes no user): it is
    audited with no user, and a teller still may not take backups."""
    scheduler = BackupScheduler(staff.ws, first_check_ms=0)
    failures: list[object] = []
    scheduler.failed.connect(failures.append)
    with qtbot.waitSignal(scheduler.backed_up, timeout=WAIT_MS) as taken:
        pass
    assert failures == [] and taken.args[0].manifest.reason == "daily"
    entries = staff.ws.audit.entries(staff.auditor, AuditFilter(action="backup.create"))
    assert [(e.actor, e.details["reason"]) for e in entries] == [("workstation", "daily")]
    with pytest.raises(PermissionDenied):
        staff.ws.backups.create(staff.teller)
    scheduler.stop()

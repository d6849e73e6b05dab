"""Lists that stay fresh (issue 13 item 11): one "data changed" event, from what each commit audited, reaches every
page that shows that kind of data, whoever made the change (this window, a background import, the daily backup)."""

from __future__ import annotations

import threading
from datetime import datetime

from desktop_app.services.changes import Changed, kinds_changed
from desktop_app.ui.operations.backup_page import BackupPage
from desktop_app.ui.records.customer_list import CustomerList
from desktop_app.ui.session.main_window import MainWindow
from desktop_app.ui.supervision.audit_page import AuditPage
from tests.conftest import Staff
from tests.gui.test_dual_entry_screens import awaiting_approval


def test_audit_actions_map_to_the_kinds_of_data_they_changed() -> None:
    """Writes change their kind and the trail; audited reads change only the trail."""
    assert kinds_changed(["record.create"]) == {Changed.RECORDS, Changed.AUDIT}
    assert kinds_changed(["record.status"]) == {Changed.RECORDS, Changed.SYNC, Changed.AUDIT}
    assert kinds_changed(["import.run", "record.import"]) == {Changed.RECORDS, Changed.AUDIT}
    assert kinds_changed(["backup.create"]) == {Changed.BACKUPS, Changed.AUDIT}
    assert kinds_changed(["user.add"]) == {Changed.USERS, Changed.AUDIT}
    assert kinds_changed(["record.view", "record.search", "record.reveal", "audit.export"]) == {Changed.AUDIT}
    assert kinds_changed([]) == frozenset()


def test_item_11_a_record_written_elsewhere_appears_in_my_drafts_without_f5(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 11: a draft written off the GUI thread (as an import does) shows in My drafts at once."""
    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    drafts = window.show_page("drafts")
    assert isinstance(drafts, CustomerList)
    drafts.refresh()
    qtbot.waitUntil(lambda: not drafts.model.loading if hasattr(drafts.model, "loading") else True, timeout=3000)
    before = drafts.model.rowCount()
    worker = threading.Thread(target=lambda: staff.ws.records.create(staff.teller, {"name": "测试刷新"}))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: drafts.model.rowCount() == before + 1, timeout=5000)
    window.idle.pause()


def test_item_11_a_hidden_list_reads_again_when_shown(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 11: a change while another page is on screen is there when the list is shown next."""
    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    customers = window.show_page("customers")
    assert isinstance(customers, CustomerList)
    customers.refresh()
    qtbot.waitUntil(lambda: customers.model.rowCount() == 0, timeout=3000)
    window.show_page("entry")
    staff.ws.records.create(staff.teller, {"name": "测试隐藏"})
    qtbot.waitUntil(lambda: customers in window._stale, timeout=3000)
    window.show_page("customers")
    qtbot.waitUntil(lambda: customers.model.rowCount() == 1, timeout=5000)
    window.idle.pause()


def test_item_11_the_audit_log_shows_an_approval_without_f5(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 11: the supervisor's approval appears in the open audit log."""
    record_id = awaiting_approval(staff, 71)
    window = MainWindow(staff.ws, staff.auditor)
    qtbot.addWidget(window)
    window.show()
    audit = window.show_page("audit")
    assert isinstance(audit, AuditPage)
    audit.refresh()
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=5000)
    before = audit.model.rowCount()
    staff.ws.approvals.approve(staff.supervisor, record_id, None)
    qtbot.waitUntil(lambda: audit.model.rowCount() > before, timeout=5000)
    window.idle.pause()


def test_item_11_the_backups_page_lists_the_daily_backup_when_it_is_taken(
    qtbot, staff: Staff, english, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 11: the Backups page no longer says "no backups" after the daily backup ran."""
    staff.ws.settings.set(staff.admin, "backup_folder", str(tmp_path / "backups"))
    window = MainWindow(staff.ws, staff.admin)
    qtbot.addWidget(window)
    window.show()
    window.backup_scheduler.stop()
    page = window.show_page("backups")
    assert isinstance(page, BackupPage)
    page.refresh()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    taken = threading.Thread(target=lambda: staff.ws.backups.take_daily(datetime.now()))
    taken.start()
    taken.join()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    window.idle.pause()


def test_the_customer_lists_status_filter_filters(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Found by the independent trial: choosing any status in the filter showed "Something went wrong" (the combo
    box hands back the status as a plain string)."""
    from desktop_app.domain.lifecycle import Status

    staff.ws.records.create(staff.teller, {"name": "测试状态"})
    listing = CustomerList(staff.ws, staff.teller)
    qtbot.addWidget(listing)
    listing.show()
    index = listing.status.findData(Status.DRAFT)
    assert index > 0
    failures: list[Exception] = []
    listing.model.failed.connect(failures.append)
    listing.status.setCurrentIndex(index)
    listing.refresh()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1 or bool(failures), timeout=5000)
    assert not failures
    listing.status.setCurrentIndex(listing.status.findData(Status.APPROVED))
    listing.refresh()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 0 or bool(failures), timeout=5000)
    assert not failures


def test_too_many_exact_searches_are_said_in_the_list_not_a_dialog_per_pause(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 6, found by an independent check: past the search limit every pause in typing stacked another
    modal box (217 of them) and the list stayed on "searching…". The refusal is said where the count stands."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.domain.synthetic import generate_customers
    from desktop_app.services.search_budget import LIMIT

    numbers = [c["id_number"] for c in generate_customers(LIMIT + 3, seed=43)]
    listing = CustomerList(staff.ws, staff.teller)
    qtbot.addWidget(listing)
    listing.show()
    for number in numbers:
        listing.search.setText(number)
        listing.refresh()
        qtbot.waitUntil(lambda: listing.count.text() != "searching…", timeout=5000)
    assert listing.count.text() == "Too many searches: paused"
    assert "Try again in about" in listing.count.toolTip()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

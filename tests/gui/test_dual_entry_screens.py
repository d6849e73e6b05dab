"""The dual-entry screens, driven by key presses offscreen: the blind second entry, settling a difference,
approving and returning from the supervisor's queue, the statistics page, and which role sees which page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.validation import validate_record
from desktop_app.ui.records.reconciliation import ReconciliationDialog, ReconciliationPage
from desktop_app.ui.records.second_entry import SecondEntryPage
from desktop_app.ui.session.main_window import MainWindow
from desktop_app.ui.supervision.approval_page import ApprovalPage
from desktop_app.ui.supervision.stats_page import StatsPage
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.gui.test_desktop import _type, key_form
from tests.support.customers import resident

OTHER_MOBILE = "13912345678"


def clean_customer(staff: Staff, seed: int) -> dict[str, str]:
    """A generated resident-ID customer with no warning (a warning would open the confirm dialog)."""
    while True:
        values = resident(seed)
        if not validate_record(staff.ws.form, values, date.today()) and values["mobile"] != OTHER_MOBILE:
            return values
        seed += 1000


def keyed_by_teller(staff: Staff, seed: int) -> tuple[str, dict[str, str]]:
    """The first entry, keyed and submitted by `teller` through the services (policy: both)."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    values = clean_customer(staff, seed)
    saved = staff.ws.records.create(staff.teller, values)
    result = staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    assert result.status is Status.AWAITING_SECOND_ENTRY
    return saved.record_id, values


def status_of(staff: Staff, record_id: str) -> Status:
    return staff.ws.records.get(staff.teller, record_id).status


def second_entry_with_a_different_mobile(qtbot, staff: Staff, record_id: str, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """teller2 opens the record from the queue with Enter, keys the paper again (one mobile differs), Ctrl+Enter."""
    page = SecondEntryPage(staff.ws, staff.teller2)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert [item.record_id for item in page.items] == [record_id]
    assert page.table.item(0, 1).text() == record_id[:8] and page.table.item(0, 2).text() == "teller"
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentIndex() == 1 and page.form.target_id == record_id
    assert not any(page.form.values().values()), "the blind form must start empty"
    key_form(qtbot, page.form, dict(values, mobile=OTHER_MOBILE))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.form.editors["name"].focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.stack.currentIndex() == 0
    assert "1 field(s) differ" in page.message.text() and "reconciliation" in page.message.text()
    assert page.items == []


def test_second_clerk_keys_blind_and_a_difference_goes_to_reconciliation(qtbot, staff: Staff, english) -> None:
    record_id, values = keyed_by_teller(staff, 11)
    second_entry_with_a_different_mobile(qtbot, staff, record_id, values)
    assert status_of(staff, record_id) is Status.AWAITING_RECONCILIATION


def test_matching_second_entry_goes_straight_to_approval(qtbot, staff: Staff, english) -> None:
    record_id, values = keyed_by_teller(staff, 12)
    page = SecondEntryPage(staff.ws, staff.teller2)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    page.open_row(0)
    qtbot.keyClicks(page.form.editors["mobile"].focus_widget(), "139")
    with qtbot.waitSignal(page.loaded, timeout=5000):  # Esc: back to the queue, the typing is dropped
        qtbot.keyClick(page.form.editors["mobile"].focus_widget(), Qt.Key.Key_Escape)
    assert page.stack.currentIndex() == 0 and [item.record_id for item in page.items] == [record_id]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    assert page.stack.currentIndex() == 1 and not any(page.form.values().values())
    key_form(qtbot, page.form, values)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(
            page.form.editors["mobile"].focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert "entries match" in page.message.text()
    assert status_of(staff, record_id) is Status.AWAITING_APPROVAL


def test_the_first_clerk_never_sees_their_own_record_in_the_second_entry_queue(qtbot, staff: Staff, english) -> None:
    record_id, _ = keyed_by_teller(staff, 13)
    page = SecondEntryPage(staff.ws, staff.teller)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert record_id not in [item.record_id for item in page.items] and page.table.rowCount() == 0


def test_the_first_clerk_settles_the_difference_with_the_keyboard(qtbot, staff: Staff, english) -> None:
    staff.ws.settings.set(staff.admin, "reconciliation_resolver", "first_clerk")
    record_id, values = keyed_by_teller(staff, 14)
    second_entry_with_a_different_mobile(qtbot, staff, record_id, values)

    listing = ReconciliationPage(staff.ws, staff.teller)
    qtbot.addWidget(listing)
    with qtbot.waitSignal(listing.loaded, timeout=5000):
        listing.show()
    assert [s.record_id for s in listing.summaries] == [record_id]
    others = ReconciliationPage(staff.ws, staff.teller2)
    qtbot.addWidget(others)
    with qtbot.waitSignal(others.loaded, timeout=5000):
        others.show()
    assert others.summaries == []  # the branch's resolver is the first clerk

    listing.table.setFocus()
    qtbot.keyClick(listing.table, Qt.Key.Key_Return)  # the differences are read off the GUI thread, then shown
    qtbot.waitUntil(lambda: listing.dialog is not None and listing.dialog.isVisible(), timeout=5000)
    dialog = listing.dialog
    assert isinstance(dialog, ReconciliationDialog) and dialog.isVisible()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == staff.ws.form.field("mobile").label("en")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # nothing decided yet: refused, stays open
    assert "Decide every row" in dialog.message.text() and dialog.isVisible()
    assert status_of(staff, record_id) is Status.AWAITING_RECONCILIATION
    qtbot.keyClick(dialog.table, Qt.Key.Key_2)
    assert OTHER_MOBILE in dialog.table.item(0, 3).text()
    with qtbot.waitSignal(listing.loaded, timeout=5000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert not dialog.isVisible() and listing.summaries == []
    settled = staff.ws.records.get(staff.teller, record_id)
    assert settled.status is Status.AWAITING_APPROVAL and settled.values["mobile"] == OTHER_MOBILE


def test_a_typed_third_value_needs_a_reason(qtbot, staff: Staff, english) -> None:
    record_id, values = keyed_by_teller(staff, 15)
    staff.ws.dual_entry.submit(staff.teller2, record_id, dict(values, mobile=OTHER_MOBILE))
    dialog = ReconciliationDialog(
        staff.ws, staff.teller, record_id, reconciliation=staff.ws.dual_entry.reconciliation(staff.teller, record_id)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.setFocus()
    dialog.other.setFocus()  # Tab from the table
    qtbot.keyClicks(dialog.other, "13700000001")
    qtbot.keyClick(dialog.other, Qt.Key.Key_Return)  # on to the reason
    dialog.confirm()
    assert "reason" in dialog.message.text() and dialog.isVisible()
    _type(qtbot, dialog.reason, "纸质表单为13700000001")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # back to the table
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # settled off the GUI thread
    assert staff.ws.records.get(staff.teller, record_id).values["mobile"] == "13700000001"
    decision = staff.ws.approvals.detail(staff.supervisor, record_id).decisions[0]
    assert decision.choice == "other" and decision.reason == "纸质表单为13700000001"


def awaiting_approval(staff: Staff, seed: int) -> str:
    record_id, values = keyed_by_teller(staff, seed)
    result = staff.ws.dual_entry.submit(staff.teller2, record_id, values)
    assert result.status is Status.AWAITING_APPROVAL
    return record_id


def test_supervisor_approves_with_a_and_returns_with_r(qtbot, staff: Staff, english) -> None:
    first, second = awaiting_approval(staff, 21), awaiting_approval(staff, 22)
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)  # the selected record's detail is read off the GUI thread
    page.activateWindow()
    assert [item.record_id for item in page.items] == [first, second]  # oldest first
    assert page.detail is not None and page.detail.record_id == first
    assert "teller2" in page.history_label.text()
    page.queue.setFocus()
    qtbot.keyClick(page.queue, Qt.Key.Key_A)  # A asks; a stray A approves nothing
    assert page.confirm_box is not None and page.confirm_box.isVisible()
    assert status_of(staff, first) is Status.AWAITING_APPROVAL
    # Space, the queue's check key, presses no button of the box, even the one the box gave the focus to
    for button in page.confirm_box.buttons():
        button.setFocus()  # as the box itself does with its default button on a real display
        qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.keyClick(page.confirm_box, Qt.Key.Key_Space)
    settle(qtbot)
    assert status_of(staff, first) is Status.AWAITING_APPROVAL and page.confirm_box.isVisible()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.confirm_box, Qt.Key.Key_Return)  # Enter confirms
    assert status_of(staff, first) is Status.APPROVED
    # the offscreen platform has no window manager to give the page back its activation when the box closes
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    settle(qtbot)
    assert [item.record_id for item in page.items] == [second] and page.detail.record_id == second

    qtbot.keyClick(page.queue, Qt.Key.Key_R)
    dialog = page.reject_dialog
    assert dialog is not None and dialog.isVisible()
    for _ in range(5):  # down to "Other", which needs text
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Down)
    assert dialog.code() == "other"
    qtbot.keyClick(dialog.reasons, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    settle(qtbot)  # the service's refusal comes back from the store's thread
    assert dialog.isVisible() and dialog.message.text()  # refused without text
    assert status_of(staff, second) is Status.AWAITING_APPROVAL
    dialog.reasons.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Up)
    assert dialog.code() == "missing_information"
    dialog.text.setFocus()
    _type(qtbot, dialog.text, "请补充职业信息")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert page.reject_dialog is None  # gone, not only hidden
    returned = staff.ws.records.get(staff.teller, second)
    assert returned.status is Status.REJECTED
    assert "Information missing" in (returned.reject_reason or "") and "请补充职业信息" in (
        returned.reject_reason or ""
    )
    assert page.items == [] and page.detail is None


def test_bulk_approval_of_the_checked_records(qtbot, staff: Staff, english) -> None:
    ids = [awaiting_approval(staff, 31), awaiting_approval(staff, 32)]
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)
    page.activateWindow()
    page.queue.setFocus()
    qtbot.keyClick(page.queue, Qt.Key.Key_Space)
    qtbot.keyClick(page.queue, Qt.Key.Key_Down)
    qtbot.keyClick(page.queue, Qt.Key.Key_Space)
    assert page.checked_ids() == ids
    qtbot.keyClick(page.queue, Qt.Key.Key_B)
    assert page.confirm_box is not None and "2 record(s)" in page.confirm_box.text()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.confirm_box, Qt.Key.Key_Return)
    assert "2 record(s) approved" in page.message.text()
    assert all(status_of(staff, rid) is Status.APPROVED for rid in ids)


def test_the_supervisor_sees_records_they_took_part_in_greyed(qtbot, staff: Staff, english) -> None:
    staff.ws.settings.set(staff.admin, "reconciliation_resolver", "supervisor")
    record_id, values = keyed_by_teller(staff, 41)
    staff.ws.dual_entry.submit(staff.teller2, record_id, dict(values, mobile=OTHER_MOBILE))
    dialog = ReconciliationDialog(
        staff.ws,
        staff.supervisor,
        record_id,
        reconciliation=staff.ws.dual_entry.reconciliation(staff.supervisor, record_id),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.table, Qt.Key.Key_1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    settle(qtbot)
    assert status_of(staff, record_id) is Status.AWAITING_APPROVAL
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert page.items[0].involved and "you keyed or reconciled this" in page.queue.item(0, 4).text()


def test_statistics_load_in_the_background(qtbot, staff: Staff, english) -> None:
    record_id, values = keyed_by_teller(staff, 51)
    staff.ws.dual_entry.submit(staff.teller2, record_id, dict(values, mobile=OTHER_MOBILE))
    page = StatsPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    clerks = {page.clerks.item(r, 0).text() for r in range(page.clerks.rowCount())}
    assert clerks == {"teller", "teller2"}
    mobile = staff.ws.form.field("mobile").label("en")
    assert page.fields.item(0, 0).text() == mobile and page.fields.item(0, 2).text() == "1"
    assert page.days.rowCount() == 1


def test_each_role_gets_its_dual_entry_pages(qtbot, staff: Staff, english) -> None:
    teller = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(teller)
    assert isinstance(teller.page("second_entry"), SecondEntryPage)
    assert isinstance(teller.page("reconciliation"), ReconciliationPage)
    names = [teller.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(teller.nav.count())]
    assert names[:4] == ["entry", "drafts", "second_entry", "reconciliation"]
    supervisor = MainWindow(staff.ws, staff.supervisor)
    qtbot.addWidget(supervisor)
    assert isinstance(supervisor.page("approvals"), ApprovalPage)
    assert isinstance(supervisor.page("reconciliation"), ReconciliationPage)
    assert isinstance(supervisor.page("stats"), StatsPage)
    auditor = MainWindow(staff.ws, staff.auditor)
    qtbot.addWidget(auditor)
    assert isinstance(auditor.page("stats"), StatsPage)
    for window in (teller, supervisor, auditor):
        window.idle.pause()
        QApplication.instance().removeEventFilter(window.idle)


def test_item_13_the_second_clerk_matches_the_sheet_by_its_form_number(qtbot, staff: Staff, english) -> None:
    """Issue 13 item 13: the queues show the paper form's number (no customer value); the blind form shows it and
    does not ask for it again."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    values = dict(clean_customer(staff, 81), form_number="KYC-2026-000123")
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    [item] = staff.ws.dual_entry.queue(staff.teller2)
    assert item.form_number == "KYC-2026-000123"
    page = SecondEntryPage(staff.ws, staff.teller2)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert page.table.item(0, 0).text() == "KYC-2026-000123"
    shown = {page.table.item(0, c).text() for c in range(page.table.columnCount())}
    assert not shown & {values["name"], values["id_number"], values["mobile"]}
    page.open_row(0)
    assert page.form.values()["form_number"] == "KYC-2026-000123"
    assert not page.form.editors["form_number"].isEnabled()
    assert page.form.values()["name"] == ""  # blind: nothing else of the first entry
    assert "KYC-2026-000123" in page.form.title.text()

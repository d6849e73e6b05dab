"""Keyboard everywhere (issue 13, items 6, 7, 10 and 12), on the real widgets offscreen: tabs that keys reach, the
keyboard in the page after sign-in and Alt+N, the focused field's help in view, the summary's chosen problem, and
required fields flagged only once the clerk has been through them."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.ui.operations.sync_page import SyncPage
from desktop_app.ui.records.customer_list import CustomerList
from desktop_app.ui.records.entry_form import EntryForm, SummaryDialog
from desktop_app.ui.session.main_window import MainWindow
from desktop_app.ui.supervision.approval_page import ApprovalPage
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.gui.test_desktop import key_form
from tests.gui.test_dual_entry_screens import awaiting_approval


def test_item_6_the_approval_tabs_answer_letters_and_ctrl_tab(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 6: after S (the scan) there is a way back: V, D, C and Ctrl+Tab / Ctrl+PgDn reach every tab."""
    awaiting_approval(staff, 61)
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)  # the selected record's detail is read off the GUI thread
    page.activateWindow()
    page.queue.setFocus()
    qtbot.keyClick(page.queue, Qt.Key.Key_S)
    assert page.tabs.currentWidget() is page.scans
    qtbot.keyClick(page.queue, Qt.Key.Key_V)
    assert page.tabs.currentIndex() == 0
    qtbot.keyClick(page.queue, Qt.Key.Key_D)
    assert page.tabs.currentIndex() == 1
    assert not page.tabs.isTabEnabled(2)  # a new customer: no changes
    qtbot.keyClick(page.queue, Qt.Key.Key_C)
    assert page.tabs.currentIndex() == 1  # a greyed-out tab is never selected, by its letter or by Ctrl+Tab
    qtbot.keyClick(page.queue, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == 3
    for _ in range(page.tabs.count() - 3):  # on through the later tabs (the likely duplicates, issue 15)
        qtbot.keyClick(page.queue, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == 0  # round again
    qtbot.keyClick(page.queue, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.tabs.count() - 1
    qtbot.keyClick(page.queue, Qt.Key.Key_U)
    assert page.tabs.currentWidget() is page.duplicates
    keys = {0: "(V)", 1: "(D)", 2: "(C)", 3: "(S)"}
    for index, key in keys.items():  # each label shows its key, with the record's count beside it
        assert key in page.tabs.tabText(index), page.tabs.tabText(index)
    assert page.tabs.tabText(1).endswith("· 0")


def test_item_6_sync_now_has_a_key_shown_on_its_button(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 6: "Sync now" is reachable from the keyboard (F9), and the button says so."""
    page = SyncPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    keys = {s.key().toString() for s in page.findChildren(QShortcut)}
    assert "F9" in keys and "F9" in page.sync_button.text()


def test_item_7_after_sign_in_the_keyboard_is_in_the_first_field_and_alt_n_goes_into_the_page(
    qtbot, staff: Staff, english
) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 7: no Tab, Tab to reach the form; Alt+N puts the keyboard in the page it shows."""
    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    assert window.entry is not None
    first = window.entry.editors[window.entry.schema.fields[0].key].focus_widget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=3000)
    customers = window.page("customers")
    row = next(r for r in range(window.nav.count()) if window.pages.widget(r) is customers)
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + row), Qt.KeyboardModifier.AltModifier)
    assert window.pages.currentWidget() is customers
    focused = QApplication.focusWidget()
    assert isinstance(customers, CustomerList) and focused is not None and customers.isAncestorOf(focused)
    window.idle.pause()


def test_item_7_the_focused_fields_help_is_shown_in_the_form(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 7: the schema's help is in view for the focused field, not only in a tooltip."""
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    form.editors["name_pinyin"].focus_widget().setFocus()
    qtbot.waitUntil(lambda: "ZHANG SANFENG" in form.help_line.text(), timeout=2000)
    form.editors["name"].focus_widget().setFocus()
    qtbot.waitUntil(lambda: "As printed on the ID document" in form.help_line.text(), timeout=2000)


def test_item_10_enter_on_a_chosen_problem_goes_to_that_field_and_a_new_form_is_marked(
    qtbot, staff: Staff, english
) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 10: Enter on the third problem of the summary goes to the third field, not the first; a form
    never saved shows its problems at the fields."""
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    key_form(qtbot, form, {"name": "测试摘要"})
    chosen: list[str] = []

    def pick_third() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SummaryDialog) and w.isVisible())
        dialog.listing.setCurrentRow(2)
        chosen.append(dialog._fields[2])
        qtbot.keyClick(dialog.listing, Qt.Key.Key_Return)

    QTimer.singleShot(50, pick_third)
    form.submit()
    assert chosen and chosen[0] != "name"
    form.activateWindow()  # the offscreen platform has no window manager to give it back when the dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=2000)
    focused = QApplication.focusWidget()
    assert focused is form.editors[chosen[0]].focus_widget() or form.editors[chosen[0]].isAncestorOf(focused)
    assert form.messages[chosen[0]].isVisibleTo(form)  # marked at the field, though the form was never saved


def test_item_12_a_saved_draft_does_not_turn_every_empty_field_red(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 12: after the first Ctrl+S only the fields the clerk has been through are flagged."""
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    key_form(qtbot, form, {"name": "测试草稿"})
    assert form.save_draft()
    form.validate()
    flagged = [k for k, label in form.messages.items() if label.isVisibleTo(form)]
    assert "id_number" not in flagged and "address" not in flagged
    assert len(flagged) <= 2, flagged


def test_every_tab_widget_of_the_record_view_takes_ctrl_tab(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 6: every tab widget takes Ctrl+Tab / Ctrl+PgDn (the record view's too)."""
    from tests.gui.settle import open_record

    record_id = staff.ws.records.create(staff.teller, {"name": "测试标签"}).record_id
    view = open_record(qtbot, staff.ws, staff.teller, record_id)
    keys = {s.key() for s in view.findChildren(QShortcut)}
    assert QKeySequence("Ctrl+Tab") in keys and QKeySequence("Ctrl+PgDown") in keys
    assert isinstance(view, QWidget)


def test_item_9_home_and_end_pick_the_first_and_last_choice_as_in_a_fixed_combo(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 9: in 职业, "End, Up, Up" silently left the field blank; End is the last choice, Up steps back."""
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    combo = form.editors["occupation"].combo
    combo.setFocus()
    last = combo.itemData(combo.count() - 1)
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert form.editors["occupation"].value() == last
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert form.editors["occupation"].value() == combo.itemData(combo.count() - 3)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert form.editors["occupation"].value() == combo.itemData(1) != ""

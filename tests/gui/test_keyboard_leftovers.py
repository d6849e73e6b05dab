"""Keyboard leftovers found by the independent check of issue 13 (items 6 and 12): the record view's Tab reaches its
buttons, Enter presses a focused button on a page of the main window, the settings page saves with Ctrl+S, and after
a submit the form is back at its top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from desktop_app.ui.admin.admin_pages import SettingsPage, UsersPage
from desktop_app.ui.common import enter_clicks
from desktop_app.ui.records.entry_form import EntryForm
from tests.conftest import Staff
from tests.gui.settle import open_record, settle
from tests.gui.test_dual_entry_screens import awaiting_approval


def _tab_until(qtbot, start: QWidget, wanted, limit: int = 60) -> QWidget | None:  # type: ignore[no-untyped-def]
    """Press Tab from `start` until `wanted(focused)` holds; the widget reached, or None."""
    start.setFocus()
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is not None and wanted(focused):
            return focused
        qtbot.keyClick(focused or start, Qt.Key.Key_Tab)
    return None


def test_tab_in_the_record_view_reaches_its_buttons_through_every_tab(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    record_id = awaiting_approval(staff, 71)
    view = open_record(qtbot, staff.ws, staff.supervisor, record_id)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    tabs = view.findChild(QWidget, "record_tabs")
    for index in range(tabs.count()):  # on every tab, tables included, Tab leaves for the buttons
        tabs.setCurrentIndex(index)
        reached = _tab_until(qtbot, tabs.tabBar(), lambda w: w.objectName() == "close_record")
        assert reached is not None, f"Tab never left tab {tabs.tabText(index)!r} for the buttons"
    audit = view.findChild(QWidget, "record_audit")
    assert audit is not None
    words = [audit.item(r, 3).text() for r in range(audit.rowCount())]
    assert all("." not in w for w in words), words  # actions in words, not codes like record.create


def test_enter_on_a_focused_button_of_a_page_presses_it(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    enter_clicks.install(QApplication.instance())  # as the app does at start
    page = UsersPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    qtbot.waitUntil(page.isActiveWindow, timeout=3000)
    settle(qtbot)
    pressed: list[str] = []
    button = next(b for b in page.findChildren(QPushButton) if "Add user" in b.text().replace("&", ""))
    button.clicked.disconnect()
    button.clicked.connect(lambda: pressed.append("add"))
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pressed == ["add"], timeout=2000)
    qtbot.keyClick(button, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: pressed == ["add", "add"], timeout=2000)
    assert "&" in button.text()  # and each button has its Alt+letter, underlined in its label


def test_ctrl_s_saves_the_settings_page(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    qtbot.waitUntil(page.save_button.isEnabled, timeout=5000)
    assert "Ctrl+S" in page.save_button.text()
    page.idle.setValue(page.idle.value() + 1)
    wanted = page.idle.value()
    page.idle.setFocus()
    qtbot.keyClick(page.idle, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: staff.ws.settings.all(staff.admin).get("idle_lock_minutes") == wanted, timeout=5000)


def test_after_a_submit_the_form_is_back_at_its_top(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.resize(900, 300)  # short: the form scrolls
    form.show()
    qtbot.waitExposed(form)
    bar = form._scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    form.load_new()  # what a submit ends with
    assert bar.value() == 0
    first = form.editors[form.schema.fields[0].key].focus_widget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=2000)

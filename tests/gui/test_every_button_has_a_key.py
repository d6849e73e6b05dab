"""Issue 13 item 6: "every action in every page has a key, shown in its label or tooltip". A walk over every page
of the main window for each role, and over the dialogs opened from them, so that a new button without a key fails
here (the independent check found the audit page's Filter, Clear and Export and the import dialog's buttons)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from desktop_app.services.records import SearchQuery
from desktop_app.ui.records.export_dialog import ExportDialog
from desktop_app.ui.records.import_dialog import ImportDialog
from desktop_app.ui.records.paper_pages_dialog import PaperPagesDialog
from desktop_app.ui.session.main_window import MainWindow
from tests.conftest import Staff
from tests.gui.settle import settle

KEY = re.compile(r"\((Ctrl|Alt|Shift|F\d{1,2}|Enter|Esc|Space|Del|[A-Z0-9])[^)]*\)|（(Ctrl|Alt|F\d{1,2}|[A-Z])")


def _shows_key(button: QPushButton) -> bool:
    text = button.text().replace("&&", "")
    return "&" in text or bool(KEY.search(text)) or bool(KEY.search(button.toolTip()))


def _keyless(root: QWidget) -> list[str]:
    return sorted(
        f"{type(root).__name__}: {b.text()!r} ({b.objectName() or 'no name'})"
        for b in root.findChildren(QPushButton)
        if not b.isHidden() and b.text() and not _shows_key(b)
    )


def test_every_button_of_every_page_shows_its_key(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    found: list[str] = []
    for actor in (staff.teller, staff.supervisor, staff.auditor, staff.admin):
        window = MainWindow(staff.ws, actor)
        qtbot.addWidget(window)
        window.show()
        for row in range(window.nav.count()):
            if row < 9:  # the page list shows each page's Alt+number
                assert window.nav.item(row).toolTip() == f"Alt+{row + 1}"
            window.nav.setCurrentRow(row)
            settle(qtbot)
            page = window.pages.currentWidget()
            assert page is not None
            found += [f"{actor.username} {item}" for item in _keyless(page)]
        window.idle.pause()
        window.close()
    assert not found, "buttons without a key in their label or tooltip:\n" + "\n".join(sorted(set(found)))


def test_every_button_of_the_dialogs_shows_its_key(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    rid = staff.ws.records.create(staff.teller, {"name": "测试按键"}).record_id
    dialogs: list[QWidget] = [
        ImportDialog(staff.ws, staff.teller),
        ExportDialog(staff.ws, staff.supervisor, SearchQuery()),
        PaperPagesDialog(staff.ws, staff.teller, rid),
    ]
    found: list[str] = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot)
        found += _keyless(dialog)
        dialog.close()
    QApplication.processEvents()
    assert not found, "buttons without a key in their label or tooltip:\n" + "\n".join(found)

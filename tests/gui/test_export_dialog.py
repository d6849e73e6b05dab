"""The customer list's export, offscreen: the button and Ctrl+E only for roles that may export, the dialog takes
the list's query, offers "unmasked" only to a supervisor (with its warning), writes the file in the background
with the count in its message, swaps the suffix with the format, cancels without leaving a file, and shows a
bad path as a plain error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.actor import Actor
from desktop_app.services.exports import ExportCancelled, ExportResult
from desktop_app.services.records import SearchQuery
from desktop_app.ui.records.customer_list import CustomerList
from desktop_app.ui.records.export_dialog import ExportDialog
from tests.conftest import Staff
from tests.support.customers import resident

WAIT_MS = 10_000


def capture_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs are recorded instead of shown modally: the text the user would read."""
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: texts.append(box.text()) or 0)
    return texts


def drafts(staff: Staff, n: int) -> list[str]:
    return [staff.ws.records.create(staff.teller, resident(300 + i)).record_id for i in range(n)]


def open_dialog(qtbot, staff: Staff, actor: Actor, query: SearchQuery | None = None) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(staff.ws, actor, query or SearchQuery())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.counted, timeout=WAIT_MS):
        dialog.show()
    return dialog


def test_the_list_offers_export_only_to_roles_that_may(qtbot, staff: Staff, english) -> None:
    drafts(staff, 2)
    teller = CustomerList(staff.ws, staff.teller)
    qtbot.addWidget(teller)
    assert not hasattr(teller, "export_button")
    supervisor = CustomerList(staff.ws, staff.supervisor)
    qtbot.addWidget(supervisor)
    with qtbot.waitExposed(supervisor):
        supervisor.show()
    supervisor.activateWindow()
    with qtbot.waitSignal(supervisor.model.loaded, timeout=WAIT_MS):
        supervisor.search.setText("ZHANG")
    supervisor.view.setFocus()
    qtbot.keyClick(supervisor.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = supervisor.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.query.text == "ZHANG" and dialog.query == supervisor.current_query()
    qtbot.waitUntil(lambda: "to export: 0" in dialog.matching.text(), timeout=WAIT_MS)  # no ZHANG was keyed
    dialog.close()
    assert supervisor.export_button.text().replace("&", "").startswith("Export")


def test_unmasked_is_offered_only_to_a_supervisor_with_a_warning(qtbot, staff: Staff, english) -> None:
    auditor = open_dialog(qtbot, staff, staff.auditor)
    assert auditor.unmasked.isHidden() and "masked" in auditor.masking_note.text()
    supervisor = open_dialog(qtbot, staff, staff.supervisor)
    assert not supervisor.unmasked.isHidden()
    supervisor.unmasked.setChecked(True)
    assert "audit log as unmasked" in supervisor.masking_note.text()


def test_the_dialog_writes_the_file_in_the_background_and_says_how_many(
    qtbot, staff: Staff, english, tmp_path: Path
) -> None:
    drafts(staff, 3)
    dialog = open_dialog(qtbot, staff, staff.supervisor)
    assert "3" in dialog.matching.text()
    assert dialog.path.text().endswith(".xlsx") and "customers-" in dialog.path.text()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.path.text().endswith(".csv")
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    dialog.path.setText(str(tmp_path / "list.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert isinstance(result, ExportResult) and result.count == 3 and result.masked
    assert "Exported 3 record(s), masked" in dialog.message.text()
    assert openpyxl.load_workbook(tmp_path / "list.xlsx").worksheets[0].max_row == 4
    assert not dialog.running and dialog.export_button.isEnabled()


def test_cancel_stops_a_running_export_off_the_gui_thread(
    qtbot, staff: Staff, english, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, threads = threading.Event(), []

    def slow_export(
        actor: Actor,
        query: SearchQuery,
        path: Path,
        *,
        unmasked: bool = False,
        fields: object = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ExportResult:
        assert progress is not None and cancelled is not None
        threads.append(threading.current_thread())
        progress(1, 10)
        started.set()
        waited = threading.Event()
        for _ in range(500):
            if cancelled():
                raise ExportCancelled("cancelled", "已取消")
            waited.wait(0.02)
        return ExportResult(10, path, True)

    monkeypatch.setattr(staff.ws.exports, "export", slow_export)
    dialog = open_dialog(qtbot, staff, staff.auditor)
    dialog.path.setText(str(tmp_path / "slow.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    assert threads[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 10, timeout=WAIT_MS)
    assert dialog.running and not dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Cancel"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert "cancelled" in dialog.message.text() and not (tmp_path / "slow.csv").exists()
    assert dialog.isVisible(), "Cancel stops the export; a second press closes"


def test_a_bad_file_name_is_a_plain_error(qtbot, staff: Staff, english, tmp_path: Path, monkeypatch) -> None:
    texts = capture_dialogs(monkeypatch)
    dialog = open_dialog(qtbot, staff, staff.supervisor)
    dialog.path.setText(str(tmp_path / "list.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(texts), timeout=WAIT_MS)
    assert ".xlsx or .csv" in texts[0] and "Traceback" not in texts[0]
    assert not dialog.running and dialog.export_button.isEnabled()

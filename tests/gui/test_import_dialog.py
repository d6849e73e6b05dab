"""The import dialog: preview with the guessed mapping, import in the background, report shown and exported, the
layout remembered for the next file with the same headers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.services.importer import ImportReport
from desktop_app.ui.records.import_dialog import IGNORE, ImportDialog
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.support.spreadsheets import chinese_headers, column, customer_rows, with_bad_rows, write_csv, write_xlsx

WAIT_MS = 30_000


def _open(qtbot, staff: Staff, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(staff.ws, staff.teller, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.open_file(path)
    return dialog


def test_a_file_is_previewed_imported_and_its_report_exported(qtbot, staff: Staff, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = with_bad_rows(customer_rows(120, seed=41), every=20)
    path = write_xlsx(tmp_path / "customers.xlsx", chinese_headers(), bad.rows)
    dialog = _open(qtbot, staff, path)
    assert dialog.mapping_table.rowCount() == len(chinese_headers())
    assert dialog.combo(column("name")).currentData() == "name"
    assert dialog.combo(column("id_number")).currentData() == "id_number"
    assert "guessed" in dialog.note.text()
    assert dialog.preview_table.rowCount() == 20
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert done.args == [bad.good]
    report = dialog.report
    assert isinstance(report, ImportReport)
    assert report.accepted == bad.good and report.rejected == len(bad.expected)
    shown_rows = {int(dialog.report_table.item(r, 0).text()) for r in range(dialog.report_table.rowCount())}
    assert shown_rows == set(bad.expected)
    assert str(report.rejected) in dialog.summary.text()
    assert dialog.export_button.isEnabled()

    out = tmp_path / "report.csv"
    dialog.export_report(out)
    settle(qtbot)  # written off the GUI thread
    assert out.exists() and "report.csv" in dialog.summary.text()


def test_required_field_left_without_a_column_blocks_the_import(qtbot, staff: Staff, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "c.csv", chinese_headers(), customer_rows(3, seed=43), "gbk")
    dialog = _open(qtbot, staff, path)
    combo = dialog.combo(column("name"))
    combo.setCurrentIndex(combo.findData(IGNORE))
    assert not dialog.import_button.isEnabled()
    assert "Full name" in dialog.summary.text()
    combo.setCurrentIndex(combo.findData("name"))
    assert dialog.import_button.isEnabled()


def test_the_saved_mapping_is_offered_for_the_same_layout(qtbot, staff: Staff, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    headers = chinese_headers()
    first = write_xlsx(tmp_path / "one.xlsx", headers, customer_rows(2, seed=45))
    dialog = _open(qtbot, staff, first)
    notes = dialog.combo(column("notes"))
    notes.setCurrentIndex(notes.findData(IGNORE))  # the clerk chooses not to import the notes
    with qtbot.waitSignal(dialog.finished_report, timeout=WAIT_MS):
        dialog.start()
    second = write_csv(tmp_path / "two.csv", headers, customer_rows(2, seed=47), "utf-8")
    again = _open(qtbot, staff, second)
    assert "saved" in again.note.text()
    assert again.combo(column("notes")).currentData() == IGNORE
    assert column("notes") not in again.mapping()


def test_the_dialog_speaks_chinese(qtbot, staff: Staff, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.common import i18n

    i18n.install("zh_CN")
    try:
        path = write_xlsx(tmp_path / "c.xlsx", chinese_headers(), customer_rows(2, seed=49))
        dialog = _open(qtbot, staff, path)
        assert dialog.combo(column("name")).currentText().startswith("姓名")
    finally:
        i18n.install("en")


def test_the_main_window_opens_it_and_a_lock_closes_an_import_not_started(  # type: ignore[no-untyped-def]
    qtbot, staff: Staff, english, tmp_path: Path
) -> None:
    """Ctrl+I opens the import; the lock closes a previewed import that has not started (its sample rows go,
    nothing is imported) and after the unlock Ctrl+I opens a fresh one. A running import is only hidden: it goes on."""
    from desktop_app.services.records import SearchQuery
    from desktop_app.ui.session.main_window import MainWindow
    from tests.conftest import PASSWORD

    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    dialog = window.import_spreadsheet()
    path = write_csv(tmp_path / "c.csv", chinese_headers(), customer_rows(3, seed=47), "utf-8")
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
        dialog.open_file(path)
    assert dialog.isVisible()
    window.lock()
    assert window.is_locked() and not dialog.isVisible()
    settle(qtbot)
    qtbot.keyClicks(window.lock_screen.password, PASSWORD + "x")
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=5000)  # checked off the GUI thread
    assert not window.is_locked() and not dialog.isVisible()
    assert staff.ws.records.count(staff.teller, SearchQuery()) == 0
    again = window.import_spreadsheet()
    assert again.isVisible() and again.preview is None
    again.reject()
    window.idle.pause()
    window.close()

"""The audit viewer, offscreen: newest first, filters by user, action (a group too), record and local days with
Enter applying them and Ctrl+F reaching them, the details pane pretty-prints the selected entry, "Verify the
chain" runs off the GUI thread and says what it found (and is not offered to a supervisor), and "Export…" writes
every matching entry in the background."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from desktop_app.services.actor import Actor
from desktop_app.storage.audit_chain import ChainReport
from desktop_app.ui.supervision.audit_page import COLUMNS, AuditPage
from tests.conftest import Staff
from tests.support.customers import resident

WAIT_MS = 10_000


def some_records(staff: Staff) -> list[str]:
    ids = []
    for seed, maker in ((1, staff.teller), (2, staff.teller2)):
        rid = staff.ws.records.create(maker, resident(seed)).record_id
        staff.ws.records.get(staff.supervisor, rid)
        ids.append(rid)
    return ids


def open_page(qtbot, staff: Staff, actor: Actor | None = None) -> AuditPage:  # type: ignore[no-untyped-def]
    page = AuditPage(staff.ws, actor or staff.auditor)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    with qtbot.waitSignals([page.loaded, page.counted], timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.user.count() > 1, timeout=WAIT_MS)  # the lists of users and actions are in
    return page


def column(page: AuditPage, name: str) -> list[str]:
    c = COLUMNS.index(name)
    return [page.model.data(page.model.index(r, c)) for r in range(page.model.rowCount())]


def apply_with_enter(qtbot, page: AuditPage, widget) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_entries_newest_first_and_filtered_by_user_action_and_record(qtbot, staff: Staff, english) -> None:
    ids = some_records(staff)
    page = open_page(qtbot, staff)
    seqs = [int(s) for s in column(page, "seq")]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) > 4
    assert page.action.findData("record.create") >= 0 and page.action.findText("record.*") >= 0
    assert page.action.findText("record created") == page.action.findData("record.create")
    assert page.user.findText("teller2") >= 0

    page.user.setEditText("teller2")
    apply_with_enter(qtbot, page, page.user_text)
    assert set(column(page, "actor")) == {"teller2"}

    page.user.setEditText("")
    page.action.setEditText("record.*")
    apply_with_enter(qtbot, page, page.action_text)
    assert set(column(page, "action")) == {"record created", "record viewed"}

    page.action.setCurrentIndex(page.action.findData("record.create"))  # a label chosen filters by its code
    apply_with_enter(qtbot, page, page.action_text)
    assert set(column(page, "action")) == {"record created"}
    page.action.setEditText("record.*")

    page.record.setText(ids[0][:8])
    apply_with_enter(qtbot, page, page.record)
    assert set(column(page, "record")) == {ids[0]} and len(column(page, "record")) == 2
    assert page.count.text() == "2 entries"


def test_a_date_range_in_local_days(qtbot, staff: Staff, english) -> None:
    some_records(staff)
    page = open_page(qtbot, staff)
    everything = page.model.rowCount()
    today = QDate.currentDate()
    page.use_from.setChecked(True)
    page.date_from.setDate(today)
    page.use_to.setChecked(True)
    page.date_to.setDate(today)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.apply()
    assert page.model.rowCount() >= everything  # the 'To' day is today, included whole
    page.date_to.setDate(today.addDays(-1))
    page.date_from.setDate(today.addDays(-3))
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.apply()
    assert page.model.rowCount() == 0 and page.count.text() == "0 entries"
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.clear()
    assert page.model.rowCount() >= everything


def test_ctrl_f_reaches_the_filter_and_f5_reads_again(qtbot, staff: Staff, english) -> None:
    page = open_page(qtbot, staff)
    before = page.model.rowCount()
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() in (page.user, page.user_text)
    some_records(staff)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert page.model.rowCount() > before


def test_the_details_pane_shows_the_selected_entry_as_key_value_lines(qtbot, staff: Staff, english) -> None:
    ids = some_records(staff)
    page = open_page(qtbot, staff)
    page.record.setText(ids[1])
    page.action.setEditText("record.create")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.apply()
    page.table.setCurrentIndex(page.model.index(0, 0))
    text = page.details.toPlainText()
    assert text.endswith("\n\nform: Personal customer information\nversion: 1") and "{" not in text  # its title
    assert ids[1] in text and "teller2" in text and "record created" in text


def test_verify_runs_off_the_gui_thread_and_reports(qtbot, staff: Staff, english, monkeypatch) -> None:
    page = open_page(qtbot, staff)
    assert page.verify_button.isVisible()
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as real:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    report = real.args[0]
    assert isinstance(report, ChainReport) and report.ok
    assert f"intact: {report.entries} entries checked" in page.result.text()

    threads: list[threading.Thread] = []
    release = threading.Event()

    def slow_verify(actor: Actor) -> ChainReport:
        threads.append(threading.current_thread())
        release.wait(WAIT_MS / 1000)
        return ChainReport(False, 41, 42, "entry 42 was altered")

    monkeypatch.setattr(staff.ws.audit, "verify_chain", slow_verify)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    assert threads[0] is not threading.main_thread()
    assert not page.verify_button.isEnabled() and page.result.text() == "Verifying…"
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):  # the page stays usable meanwhile
        page.apply()
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS):
        release.set()
    assert "BROKEN at entry 42" in page.result.text() and "41 entries" in page.result.text()
    assert page.verify_button.isEnabled()


def test_a_supervisor_reads_but_is_not_offered_verify(qtbot, staff: Staff, english) -> None:
    page = open_page(qtbot, staff, staff.supervisor)
    assert page.model.rowCount() > 0 and page.verify_button.isHidden()
    page.verify()  # a stray call does nothing
    assert page.result.text() == ""


def test_export_writes_every_matching_entry(qtbot, staff: Staff, english, tmp_path: Path) -> None:
    ids = some_records(staff)
    page = open_page(qtbot, staff, staff.supervisor)
    page.record.setText(ids[0])
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.apply()
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS) as done:
        page.export_to(tmp_path / "audit.csv")
    assert done.args[0] == 2 and "Exported 2 entries" in page.result.text()
    with (tmp_path / "audit.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 3 and {r[4] for r in rows[1:]} == {ids[0]}
    page.record.clear()
    page.action.setEditText("audit.export")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.apply()
    assert column(page, "actor") == ["supervisor"]

"""Sync in the client, offscreen: the Sync page lists the outbox with what the server said, the status bar shows
the sync state to whoever may see it (and nothing of it to a teller), "Sync now" runs in the background with
progress and Cancel while the page stays usable, Retry goes through the service, the client's own background
sync runs off the GUI thread, and an admin enrols from Settings with errors in plain Chinese or English; one
test enrols against a real central server process and syncs from the page."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.sync import SyncBusy, SyncNotConfigured, SyncStatus, SyncSummary
from desktop_app.services.workstation import Workstation
from desktop_app.storage.engine import open_raw
from desktop_app.storage.models import OutboxItem, Setting, SyncState
from desktop_app.sync.outbox import OutboxState
from desktop_app.ui.admin.admin_pages import SettingsPage
from desktop_app.ui.common import i18n
from desktop_app.ui.operations.sync_page import COLUMNS, SyncPage
from desktop_app.ui.operations.sync_status import SyncMonitor
from desktop_app.ui.session.main_window import MainWindow
from tests.conftest import Staff
from tests.support import central
from tests.support.central import ServerProcess, TestCA
from tests.support.customers import resident

# The central server's fixtures, by name (a fresh TLS server on a fresh database for the one test that needs it).
test_ca = central.test_ca
sqlite_server = central.sqlite_server

WAIT_MS = 10_000


def approve(staff: Staff, n: int, seed: int = 700) -> list[str]:
    """n customers keyed by the teller and approved by the supervisor through the services (each queued)."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    ids = []
    for i in range(n):
        saved = staff.ws.records.create(staff.teller, resident(seed + i))
        staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
        staff.ws.records.approve(staff.supervisor, saved.record_id, None)
        ids.append(saved.record_id)
    return ids


def open_page(qtbot, staff: Staff, actor: Actor | None = None) -> SyncPage:  # type: ignore[no-untyped-def]
    return open_page_of(qtbot, staff.ws, actor or staff.supervisor)  # type: ignore[arg-type]


def open_page_of(qtbot, ws: Workstation, actor: Actor) -> SyncPage:  # type: ignore[no-untyped-def]
    page = SyncPage(ws, actor)
    qtbot.addWidget(page)
    page.resize(1176, 640)
    with qtbot.waitSignals([page.loaded, page.status_shown], timeout=WAIT_MS):
        page.show()
    return page


def shown_ids(page: SyncPage) -> list[str]:
    return [row.record_id for row in page.model.rows]


def cell(page: SyncPage, row: int, column: str) -> str:
    return str(page.model.data(page.model.index(row, COLUMNS.index(column))))


def select_rows(page: SyncPage, rows: list[int]) -> None:
    selection = page.view.selectionModel()
    for row in rows:
        selection.select(
            page.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    selection.setCurrentIndex(page.model.index(rows[-1], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def capture_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs are recorded instead of shown modally: the text the user would read."""
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: texts.append(box.text()) or 0)
    return texts


def set_outbox(staff: Staff, record_id: str, **columns: object) -> None:
    """Put an outbox row into the state a server answer would have left it in (the UI only reads it)."""
    with staff.ws.store.write() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.record_id == record_id)).one()
        for name, value in columns.items():
            setattr(row, name, value)


def a_status(**changes: object) -> SyncStatus:
    values: dict[str, object] = {
        "configured": True,
        "server_url": "https://kyc-central.example.cn:8443",
        "insecure_http": False,
        "device_id": "dev-1",
        "pending": 3,
        "refused": 0,
        "conflicts": 0,
        "key_conflicts": 0,
        "acked": 0,
        "purged": 0,
        "last_attempt": None,
        "last_success": None,
        "last_error": None,
        "last_error_code": None,
        "next_attempt_at": None,
        "audit_anchored_seq": 0,
        "audit_local_seq": 10,
        "running": False,
    }
    values.update(changes)
    return SyncStatus(**values)  # type: ignore[arg-type]


def close_window(window: MainWindow) -> None:
    window.idle.pause()
    QApplication.instance().removeEventFilter(window.idle)  # type: ignore[union-attr]
    window.close()


# --- the page ------------------------------------------------------------------------------------------------------


def test_the_page_lists_approved_records_as_pending_with_a_summary(qtbot, staff: Staff, english) -> None:
    ids = approve(staff, 3)
    page = open_page(qtbot, staff)
    assert sorted(shown_ids(page)) == sorted(ids)
    assert {cell(page, r, "state") for r in range(3)} == {"Pending"}
    assert {cell(page, r, "version") for r in range(3)} == {"1"}
    assert "Pending: 3" in page.summary.text() and "Refused: 0" in page.summary.text()
    assert "not enrolled" in page.server.text()
    assert page.count.text() == "3 row(s)"

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.filter.setCurrentIndex(page.filter.findData(OutboxState.REFUSED))
    assert page.model.rowCount() == 0


def test_the_summary_tells_where_the_paper_pages_stand_only_when_there_are_any(qtbot, staff: Staff, english) -> None:
    page = open_page(qtbot, staff)
    page.show_status(a_status())
    assert "Paper pages" not in page.summary.text()
    page.show_status(a_status(pages={"pending": 2, "sent": 5, "not_taken": 3, "refused": 1}))
    text = page.summary.text()
    assert "Paper pages waiting: 2 / sent: 5" in text
    assert "Pages the server does not take (they go once it does): 3" in text and "Pages refused: 1" in text


def test_refused_and_conflicting_rows_are_highlighted_with_the_servers_reasons(qtbot, staff: Staff, english) -> None:
    refused, conflicting, _pending = approve(staff, 3)
    reasons = [
        {"code": "approver_is_maker", "en": "The approver keyed this record.", "zh": "审批人是录入人。", "field": None},
        {
            "code": "mobile_landline",
            "en": "A landline is not a mobile.",
            "zh": "固定电话不是手机号码。",
            "field": "mobile",
        },
    ]
    set_outbox(staff, refused, state="refused", attempts=1, reasons=json.dumps(reasons, ensure_ascii=False))
    central_copy = {"record_id": "c0ffee00-0000-4000-8000-000000000001", "version": 2, "workstation_id": "ws-9"}
    set_outbox(staff, conflicting, state="conflict", attempts=1, central=json.dumps(central_copy))
    page = open_page(qtbot, staff)
    assert "Refused: 1" in page.summary.text() and "Conflicts: 1" in page.summary.text()

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.filter.setCurrentIndex(page.filter.findData(OutboxState.REFUSED))
    assert shown_ids(page) == [refused]
    assert cell(page, 0, "state") == "Refused"
    mobile = staff.ws.form.field("mobile").label("en")
    assert cell(page, 0, "problem") == f"The approver keyed this record.; {mobile}: A landline is not a mobile."
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.filter.setCurrentIndex(page.filter.findData(OutboxState.CONFLICT))
    assert shown_ids(page) == [conflicting]
    select_rows(page, [0])
    assert "c0ffee00-0000-4000-8000-000000000001" in page.detail.text() and "version 2" in page.detail.text()
    assert "ws-9" in page.detail.text()
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None

    i18n.install("zh_CN")  # the server's reasons in the UI language
    chinese = SyncPage(staff.ws, staff.supervisor)
    qtbot.addWidget(chinese)
    with qtbot.waitSignal(chinese.loaded, timeout=WAIT_MS):
        chinese.show()
    with qtbot.waitSignal(chinese.loaded, timeout=WAIT_MS):
        chinese.filter.setCurrentIndex(chinese.filter.findData(OutboxState.REFUSED))
    assert "审批人是录入人。" in cell(chinese, 0, "problem") and "固定电话不是手机号码。" in cell(chinese, 0, "problem")


def test_sync_now_without_enrolment_says_so_in_plain_words(qtbot, staff: Staff, english, monkeypatch) -> None:
    approve(staff, 1)
    dialogs = capture_dialogs(monkeypatch)
    page = open_page(qtbot, staff)
    with qtbot.waitSignal(page.run_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert isinstance(done.args[0], SyncNotConfigured)
    assert len(dialogs) == 1 and "not enrolled with a central server" in dialogs[0]
    assert "Traceback" not in dialogs[0]
    assert page.sync_button.isEnabled() and not page.progress.isVisible()


def test_retry_selected_goes_through_the_service(qtbot, staff: Staff, english, monkeypatch) -> None:
    refused, *_ = approve(staff, 3)
    set_outbox(staff, refused, state="refused", attempts=1, last_error="refused by the central server: x")
    calls: list[tuple[Actor, list[int]]] = []
    real_retry = staff.ws.sync.retry

    def spy(actor: Actor, ids: list[int]) -> int:
        calls.append((actor, list(ids)))
        return real_retry(actor, ids)

    monkeypatch.setattr(staff.ws.sync, "retry", spy)
    page = open_page(qtbot, staff)
    assert not page.retry_button.isEnabled()  # nothing selected yet
    refused_row = shown_ids(page).index(refused)
    refused_outbox_id = page.model.rows[refused_row].id
    select_rows(page, [refused_row])
    assert page.retry_button.isEnabled()
    page.activateWindow()
    page.view.setFocus()
    with qtbot.waitSignal(page.retried, timeout=WAIT_MS) as retried:
        qtbot.keyClick(page.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert retried.args == [1]
    assert calls == [(staff.supervisor, [refused_outbox_id])]
    assert "1 row(s) will be sent again at the next sync." in page.message.text()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == 3, timeout=WAIT_MS)
    assert staff.ws.sync.status(staff.supervisor).pending == 3


def test_the_page_stays_usable_while_a_slow_sync_runs_and_cancel_stops_it(
    qtbot, staff: Staff, english, monkeypatch
) -> None:
    approve(staff, 2)
    started, threads = threading.Event(), []

    def slow_run(
        actor: Actor | None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncSummary:
        assert progress is not None and cancelled is not None
        threads.append(threading.current_thread())
        for batch in range(5):
            progress(batch, 5)
            started.set()
            waited = threading.Event()
            for _ in range(500):  # until the page cancels; at most about 10 s per batch
                if cancelled():
                    return SyncSummary(batch, batch, 0, 0, 0, cancelled=True)
                waited.wait(0.02)
        return SyncSummary(5, 5, 0, 0, 0)

    monkeypatch.setattr(staff.ws.sync, "run_once", slow_run)
    page = open_page(qtbot, staff)
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.progress.maximum() == 5, timeout=WAIT_MS)
    assert threads[0] is not threading.main_thread()
    assert page.progress.isVisible() and page.cancel_button.isEnabled() and not page.sync_button.isEnabled()

    # The GUI thread is free: the filter and F5 load and show while the run goes on.
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.filter.setCurrentIndex(page.filter.findData(OutboxState.PENDING))
    assert page.model.rowCount() == 2
    page.activateWindow()
    page.view.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(page.view, Qt.Key.Key_F5)
    assert page.running

    with qtbot.waitSignal(page.run_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert isinstance(done.args[0], SyncSummary) and done.args[0].cancelled
    assert "cancelled" in page.message.text()
    assert not page.progress.isVisible() and page.sync_button.isEnabled() and not page.running


# --- the status bar and the background sync --------------------------------------------------------------------


def test_the_status_bar_shows_pending_to_a_supervisor_and_nothing_of_it_to_a_teller(
    qtbot, staff: Staff, english
) -> None:
    approve(staff, 3)
    supervisor = MainWindow(staff.ws, staff.supervisor)
    qtbot.addWidget(supervisor)
    qtbot.waitUntil(lambda: supervisor.sync_monitor.status is not None, timeout=WAIT_MS)
    assert supervisor.sync_label.text() == "Sync: not configured"
    assert isinstance(supervisor.page("sync"), SyncPage)

    with staff.ws.store.write() as s:  # enrolled, as far as the status is concerned (the UI only reads it)
        s.merge(Setting(key="sync_server_url", value='"https://kyc.example.cn"', updated_at=utcnow()))
        s.merge(SyncState(id=1, device_id="dev-7", server_url="https://kyc.example.cn", audit_seq=0, audit_hash=""))
    with qtbot.waitSignal(supervisor.sync_monitor.status_changed, timeout=WAIT_MS):
        supervisor.sync_monitor.refresh()
    assert supervisor.sync_label.text() == "Sync: 3 pending · not synced yet"
    assert not supervisor.sync_warning.isVisible()

    teller = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(teller)
    qtbot.waitUntil(lambda: teller.sync_label.text() == "Sync: on", timeout=WAIT_MS)
    assert "pending" not in teller.sync_label.text()
    with pytest.raises(KeyError):
        teller.page("sync")
    for window in (supervisor, teller):
        close_window(window)


def test_the_status_bar_shows_the_last_error_in_the_ui_language_and_warns_of_plain_http(
    qtbot, staff: Staff, english
) -> None:
    status = a_status(
        server_url="http://127.0.0.1:8080",
        insecure_http=True,
        last_error="The central server at 127.0.0.1:8080 cannot be reached (connection refused).",
        last_error_code="unreachable",
    )
    monitor = SyncMonitor(staff.ws, staff.supervisor)
    monitor.show_status(status)
    assert monitor.label.text().startswith("Sync: 3 pending · last error: The central server at 127.0.0.1:8080")
    assert not monitor.warning.isHidden() and "plain HTTP" in monitor.warning.text()
    assert monitor.online.text() == "Offline"
    monitor.show_status(a_status(last_success=datetime(2030, 1, 2, 3, 4)))
    assert "last success" in monitor.label.text() and monitor.warning.isHidden()
    assert monitor.online.text() == "Online"

    i18n.install("zh_CN")
    chinese = SyncMonitor(staff.ws, staff.supervisor)
    chinese.show_status(status)
    assert "无法连接中央服务器" in chinese.label.text()
    assert "cannot be reached" not in chinese.label.text()


def test_the_background_sync_runs_off_the_gui_thread_and_skips_when_busy(
    qtbot, staff: Staff, english, monkeypatch
) -> None:
    calls: list[tuple[Actor | None, threading.Thread]] = []
    answers: list[SyncSummary | Exception] = [SyncSummary(2, 2, 0, 0, 0), SyncBusy("busy", "忙")]

    def run_once(
        actor: Actor | None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncSummary:
        calls.append((actor, threading.current_thread()))
        answer = answers[min(len(calls) - 1, len(answers) - 1)]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(staff.ws.sync, "run_once", run_once)
    with staff.ws.store.write() as s:  # as an enrolment leaves it (only the on/off is read here)
        s.merge(Setting(key="sync_server_url", value='"https://kyc.example.cn"', updated_at=utcnow()))
    monitor = SyncMonitor(staff.ws, staff.teller, refresh_ms=60_000, sync_ms=20)  # a teller's session syncs too
    with qtbot.waitSignal(monitor.background_synced, timeout=WAIT_MS) as synced:
        monitor.start()
    assert synced.args[0].acked == 2
    assert calls[0][0] is None and calls[0][1] is not threading.main_thread()
    qtbot.waitUntil(lambda: len(calls) >= 3 and not monitor.running, timeout=WAIT_MS)  # busy: skipped quietly
    assert monitor.label.text() == "Sync: on" and monitor.online.text() == "Online"
    monitor.stop()


# --- enrolment -------------------------------------------------------------------------------------------------------


def test_enrolment_errors_are_shown_in_the_ui_language(qtbot, staff: Staff, english) -> None:
    page = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "Not enrolled" in page.sync_state.text(), timeout=WAIT_MS)
    dialog = page.open_enrol()
    dialog.url.setText("http://192.0.2.10:8080")
    dialog.code.setText("ABCD-EFGH-JKLM-NPQR")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert "Plain http:// to 192.0.2.10 is refused" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.enrol_button.isEnabled(), timeout=WAIT_MS)

    i18n.install("zh_CN")
    dialog.code.setText("")
    dialog.url.setText("https://127.0.0.1:9")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "请输入中央服务器给出的登记码。"


def test_enrol_from_settings_then_sync_from_the_page_against_a_real_server(
    qtbot, staff: Staff, english, sqlite_server: ServerProcess, test_ca: TestCA
) -> None:
    ids = approve(staff, 3)
    settings = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(settings)
    dialog = settings.open_enrol()
    dialog.url.setText(sqlite_server.url)
    dialog.code.setText(sqlite_server.enrol_code())
    dialog.ca.setText(str(test_ca.ca_cert))
    with qtbot.waitSignal(dialog.enrolled, timeout=30_000) as enrolled:
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    device_id = enrolled.args[0].device_id
    assert device_id in dialog.message.text()
    qtbot.waitUntil(lambda: device_id in settings.sync_state.text(), timeout=WAIT_MS)
    assert settings.sync_url.text() == sqlite_server.url
    # The address and CA are shown, never typed: changing them is a re-enrolment (issue 14 item 2).
    assert settings.sync_url.isReadOnly() and settings.sync_ca.isReadOnly()
    assert settings.sync_ca.text() == str(test_ca.ca_cert.resolve())
    assert settings.enrol_button.text().replace("&", "") == "Re-enrol…"
    assert "Trusted CA: SHA-256" in settings.sync_state.text()

    page = open_page(qtbot, staff)
    assert sqlite_server.url in page.server.text()
    with qtbot.waitSignal(page.run_done, timeout=60_000) as done:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    summary = done.args[0]
    assert isinstance(summary, SyncSummary) and (summary.sent, summary.acked, summary.errors) == (3, 3, 0)
    assert "3 sent, 3 acknowledged" in page.message.text()
    assert sqlite_server.records() == sorted((rid, 1) for rid in ids)
    qtbot.waitUntil(
        lambda: not page.model.loading and {cell(page, r, "state") for r in range(3)} == {"Acknowledged"},
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: "Acknowledged: 3" in page.summary.text(), timeout=WAIT_MS)

    monitor = SyncMonitor(staff.ws, staff.supervisor)
    with qtbot.waitSignal(monitor.status_changed, timeout=WAIT_MS):
        monitor.refresh()
    assert monitor.label.text().startswith("Sync: 0 pending · last success ")
    assert monitor.online.text() == "Online"

    # Settings changed behind the enrolment's back: the run refuses, and the page says what to do.
    with staff.ws.store.write() as s:
        s.merge(Setting(key="sync_server_url", value='"https://127.0.0.1:9"', updated_at=utcnow()))
    with pytest.raises(SyncNotConfigured, match="re-enrols"):
        staff.ws.sync.run_once(staff.supervisor)
    settings.read_sync_state()
    qtbot.waitUntil(lambda: "⚠" in settings.sync_state.text(), timeout=WAIT_MS)
    assert "enrolled with" in settings.sync_state.text() and "re-enrols" in settings.sync_state.text()


def test_the_workstation_id_is_shown_so_the_bank_can_issue_a_re_enrolment_code(
    qtbot, staff: Staff, english, sqlite_server: ServerProcess, test_ca: TestCA
) -> None:
    """Issue 14 item 10 (client): a re-enrolment now needs a code the bank issues for this workstation's id
    (enrol-code --workstation ID), which the branch had no way to read. Settings and the enrol dialog show it; a
    code for a new workstation says so, naming it; and the code the bank makes for the id shown re-enrols."""
    wid = staff.ws.sync.workstation_id
    settings = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(settings)
    qtbot.waitUntil(lambda: "Not enrolled" in settings.sync_state.text(), timeout=WAIT_MS)
    assert f"This workstation's id: {wid}" in settings.sync_state.text()
    first = settings.open_enrol()
    assert first.workstation.text() == wid and first.workstation.isReadOnly()
    first.url.setText(sqlite_server.url)
    first.ca.setText(str(test_ca.ca_cert))
    first.code.setText(sqlite_server.enrol_code())
    with qtbot.waitSignal(first.enrolled, timeout=30_000) as enrolled:
        qtbot.mouseClick(first.enrol_button, Qt.MouseButton.LeftButton)
    old_device = enrolled.args[0].device_id
    first.close()
    qtbot.waitUntil(lambda: old_device in settings.sync_state.text(), timeout=WAIT_MS)
    assert f"This workstation's id: {wid}" in settings.sync_state.text()

    again = settings.open_enrol()
    assert again.workstation.text() == wid and "goes on with the audit trail" in again.previous.text()
    again.code.setText(sqlite_server.enrol_code())  # a code for a new workstation: refused, saying what to ask
    with qtbot.waitSignal(again.failed, timeout=30_000):
        qtbot.mouseClick(again.enrol_button, Qt.MouseButton.LeftButton)
    assert f"enrol-code --workstation {wid}" in again.message.text()
    qtbot.waitUntil(again.enrol_button.isEnabled, timeout=WAIT_MS)

    again.code.setText(sqlite_server.enrol_code(workstation=again.workstation.text()))  # what the bank issues
    with qtbot.waitSignal(again.enrolled, timeout=30_000) as enrolled:
        qtbot.mouseClick(again.enrol_button, Qt.MouseButton.LeftButton)
    new_device = enrolled.args[0].device_id
    assert new_device != old_device and new_device in again.message.text()
    qtbot.waitUntil(lambda: new_device in settings.sync_state.text(), timeout=WAIT_MS)


def test_a_conflict_with_another_branchs_copy_is_told_in_words(
    qtbot, english, sqlite_server: ServerProcess, test_ca: TestCA, tmp_path
) -> None:
    """Issue 14 item 11 (client): a conflict with another branch's copy now comes without the copy's ids (reason
    customer_held_elsewhere or record_held_elsewhere, no `central`). The page words the reason itself, in the UI
    language, and names no central copy (it used to be kept as an empty one, read as "record ?, version ?")."""
    from tests.integration.test_sync import _craft_outbox_row, make_branch

    other, here = make_branch(tmp_path / "other", seed=4), make_branch(tmp_path / "here", seed=4)
    try:
        (taken,) = other.approve(1)
        other.enrol(sqlite_server, test_ca)
        assert other.ws.sync.run_once(other.supervisor).acked == 1
        (same_customer,) = here.approve(1)  # the same seed: the same customer as the other branch's
        crafted = _craft_outbox_row(here, checker="supervisor")
        with here.ws.store.read() as s:
            payload = json.loads(s.scalars(select(OutboxItem.payload).where(OutboxItem.record_id == crafted)).one())
        payload |= {"record_id": taken, "version": 2, "base_version": 1}
        conn = open_raw(here.ws.store.data_dir.database, here.ws.store.raw_key_for_tests())
        try:  # a version 2 of the other branch's record, queued here (a record this store does not hold)
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute(
                "UPDATE outbox SET record_id = ?, version = 2, idempotency_key = ?, payload = ? WHERE record_id = ?",
                (taken, f"{taken}:2", json.dumps(payload, ensure_ascii=False), crafted),
            )
            conn.commit()
        finally:
            conn.close()
        here.enrol(sqlite_server, test_ca)
        summary = here.ws.sync.run_once(here.supervisor)
        assert (summary.conflicts, summary.acked, summary.errors) == (2, 0, 0)
        rows = {r.record_id: r for r in here.ws.sync.outbox(here.supervisor, "conflict")}
        assert rows[same_customer].central is None and rows[taken].central is None
        assert "another branch" in (rows[same_customer].last_error or "")

        page = open_page_of(qtbot, here.ws, here.supervisor)
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
            page.filter.setCurrentIndex(page.filter.findData(OutboxState.CONFLICT))
        problems = {row.record_id: cell(page, i, "problem") for i, row in enumerate(page.model.rows)}
        assert problems[same_customer].startswith("Another branch holds this customer (the same ID type and number)")
        assert problems[taken].startswith("Another branch holds this record centrally.")
        select_rows(page, [0])
        assert "central office resolves it" in page.detail.text()
        assert "?" not in page.detail.text() and "Central copy" not in page.detail.text()

        i18n.install("zh_CN")
        chinese = open_page_of(qtbot, here.ws, here.supervisor)
        with qtbot.waitSignal(chinese.loaded, timeout=WAIT_MS):
            chinese.filter.setCurrentIndex(chinese.filter.findData(OutboxState.CONFLICT))
        shown = {row.record_id: cell(chinese, i, "problem") for i, row in enumerate(chinese.model.rows)}
        assert "其他网点" in shown[same_customer] and "总部" in shown[same_customer]
        assert "其他网点" in shown[taken] and "Another branch" not in shown[taken]
    finally:
        other.ws.close()
        here.ws.close()

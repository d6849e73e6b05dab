"""`make screenshots`: the real client under Xvfb, saving PNGs into docs/screenshots/.

The login window, the entry form showing a validation error, the entry form filled from a scanned ID card (the
real OCR on a generated card) with its values marked for confirmation, the customer list on the benchmark
store's 1,000,000 synthetic customers, a record's version history, and the Sync page of a small branch store
synced with a real central server on loopback. Chinese UI (the users' first language).

`python scripts/screenshots.py scan-id` takes only the named screenshots.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


SHOTS = ("login", "entry-form-validation-error", "scan-id", "customer-list-1m", "record-history", "sync")
# A small demo branch of its own, thrown away after: the operations screens (issue 7).
OPERATIONS = ("dashboard", "due-for-review", "audit-viewer", "backups", "import-report")
# Dual entry and session safety on a small branch of its own (issue 13).
SESSION = ("second-entry-queue", "second-entry-empty", "approval-dual-entry", "lock-screen")
SHOTS = SHOTS + OPERATIONS + SESSION


def main() -> None:
    wanted = set(sys.argv[1:]) or set(SHOTS)
    unknown = wanted - set(SHOTS)
    if unknown:
        sys.exit(f"unknown screenshot(s) {', '.join(sorted(unknown))}; known: {', '.join(SHOTS)}")
    records = int(os.environ.get("SCREENSHOT_RECORDS", "1000000"))
    import keyring

    from tests.support.keyrings import FileKeyring

    keyring.set_keyring(FileKeyring())

    from PySide6.QtWidgets import QApplication, QWidget

    from desktop_app.domain.synthetic import generate_customer
    from desktop_app.services.workstation import Workstation
    from desktop_app.ui.common import i18n
    from desktop_app.ui.records.record_view import RecordView, read_record
    from desktop_app.ui.session.app import use_cjk_font
    from desktop_app.ui.session.login_dialog import LoginDialog
    from desktop_app.ui.session.main_window import MainWindow

    app = QApplication(sys.argv)
    use_cjk_font(app)
    i18n.install("zh_CN")
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(widget: QWidget, name: str) -> None:
        if name not in wanted:
            return
        settle()
        widget.grab().save(str(OUT / f"{name}.png"))
        print(f"saved docs/screenshots/{name}.png")

    if "sync" in wanted:
        sync_page(settle, shot)
    if wanted & set(OPERATIONS):
        operations(settle, shot, wanted)
    if wanted & set(SESSION):
        session_screens(settle, shot, wanted)
    if not wanted - {"sync", *OPERATIONS, *SESSION}:
        app.processEvents()
        os._exit(0)

    from benchmarks import bench_store

    store_dir = bench_store.BENCH_DIR / f"sqlcipher-{records}"
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(bench_store.BENCH_DIR / "bench-keyring.json")
    if not (store_dir / "READY").exists():
        bench_store.BENCH_DIR.mkdir(exist_ok=True)
        bench_store._build("sqlcipher", store_dir, records)
    ws = Workstation.open(store_dir)

    login = LoginDialog(ws, username="teller")
    login.show()
    login.password.setText("secret-typed")
    shot(login, "login")
    login.password.setText(bench_store.PASSWORD)
    login._sign_in()
    deadline = time.monotonic() + 60
    while login.actor is None and time.monotonic() < deadline:  # the sign-in runs off the GUI thread (argon2)
        settle(0.05)
    assert login.actor is not None
    actor = login.actor

    window = MainWindow(ws, actor)
    window.resize(1366, 768)
    window.show()
    form = window.show_page("entry")
    values = generate_customer(random.Random(20261129), date.today())
    values["id_number"] = values["id_number"][:-1] + ("1" if values["id_number"][-1] != "1" else "2")
    values["email"] = "not-an-email"
    for key, editor in form.editors.items():  # type: ignore[attr-defined]
        editor.set_value(values.get(key, ""))
    form._dirty = True  # type: ignore[attr-defined]
    form.validate()  # type: ignore[attr-defined]
    shot(window, "entry-form-validation-error")

    if "scan-id" in wanted:
        scan_id(window, settle)
        shot(window, "scan-id")

    if not wanted & {"customer-list-1m", "record-history"}:
        window.idle.pause()
        window.hide()
        ws.close()
        app.processEvents()
        os._exit(0)

    listing = window.show_page("customers")
    listing.refresh()  # type: ignore[attr-defined]
    model = listing.model  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while (model.rowCount() == 0 or model.summary(0) is None) and time.monotonic() < deadline:
        settle(0.05)
    listing.view.resizeColumnsToContents()  # type: ignore[attr-defined]
    shot(window, "customer-list-1m")

    fixed = generate_customer(random.Random(7), date.today())
    saved = ws.records.create(actor, fixed)
    second = ws.records.save(actor, saved.record_id, dict(fixed, address=fixed["address"] + " 附楼"), 1)
    ws.records.save(
        actor,
        saved.record_id,
        dict(fixed, address=fixed["address"] + " 附楼", email="new@example.com", mobile="13900001234"),
        second.version,
    )
    view = RecordView(ws, actor, saved.record_id, window, data=read_record(ws, actor, saved.record_id))
    tabs = view.findChild(QWidget, "record_tabs")
    tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    view.show()
    shot(view, "record-history")
    view.close()
    window.idle.pause()
    window.hide()
    ws.close()
    app.processEvents()
    os._exit(0)


def scan_id(window: Any, settle: Callable[[float], None]) -> None:
    """A new form filled from a generated resident ID card through Scan ID (nothing is saved)."""
    import tempfile

    from tests.support.id_documents import cn_id_front, synthetic_identity

    form = window.show_page("entry")
    form._dirty = False  # the example typing of the shot before is not kept as an autosave
    form.load_new()
    rng = random.Random(20261130)
    image, _ = cn_id_front(synthetic_identity(rng, "resident"), rng)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.png"
        image.save(path)
        dialog = form.open_scan()
        dialog.start_file(path)
        deadline = time.monotonic() + 120
        while dialog.reading_in_progress and time.monotonic() < deadline:
            settle(0.05)
    dialog.fill()
    settle(0.3)
    marked = form.unconfirmed_fields()
    if len(marked) > 1:  # the teller has accepted the first value with Enter and is on the second
        form.confirm_field(marked[0])
        form.editors[marked[1]].focus_widget().setFocus()


def sync_page(settle: Callable[[float], None], shot: Callable[[Any, str], None]) -> None:
    """The Sync page of a small branch store (thrown away after), synced with a real central server on loopback:
    acknowledged rows, one the server refused, one in version conflict with another branch's copy of the same
    customer, and three still pending; the refused row is selected to show the server's reasons."""
    import itertools
    import json
    import tempfile

    from benchmarks.bench_store import PASSWORD as password
    from desktop_app.domain.roles import Role
    from desktop_app.domain.synthetic import generate_customer
    from desktop_app.services.actor import Actor, utcnow
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod
    from desktop_app.storage.models import OutboxItem, RecordVersion
    from desktop_app.ui.operations.sync_page import SyncPage
    from desktop_app.ui.session.main_window import MainWindow
    from tests.support.central import ServerProcess, make_test_ca

    seeds = itertools.count(31_000)

    def login(ws: Workstation, name: str) -> Actor:
        actor, must_change = ws.auth.login(name, password)
        if must_change:
            ws.auth.change_password(actor, password, password + "x")
            actor, _ = ws.auth.login(name, password + "x")
        return actor

    def branch(root: Path) -> tuple[Workstation, Actor, Actor, Actor]:
        ws, _code, admin = Workstation.initialise(root, "admin", password, KeyMethod.KEYRING)
        ws.settings.set(admin, "dual_entry_policy", "none")
        ws.users.add(admin, "teller", password, {Role.TELLER})
        ws.users.add(admin, "supervisor", password, {Role.SUPERVISOR})
        return ws, admin, login(ws, "teller"), login(ws, "supervisor")

    def approve(ws: Workstation, teller: Actor, supervisor: Actor, values: dict[str, str]) -> str:
        record_id = ws.records.create(teller, values).record_id
        ws.records.submit(teller, record_id, None)
        ws.records.approve(supervisor, record_id, None)
        return record_id

    def customer() -> dict[str, str]:
        return generate_customer(random.Random(next(seeds)), date.today())

    previous_keyring = os.environ.get("DESKTOP_APP_TEST_KEYRING")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["DESKTOP_APP_TEST_KEYRING"] = str(root / "keyring.json")
        ca = make_test_ca(root / "ca")
        with ServerProcess(f"sqlite:///{root / 'central.sqlite3'}", ca) as server:
            ws, admin, teller, supervisor = branch(root / "branch-12")
            other, other_admin, other_teller, other_supervisor = branch(root / "branch-7")
            for _ in range(8):
                approve(ws, teller, supervisor, customer())
            # A row as an older client wrote it: approved by its own maker, a landline as the mobile. The
            # server refuses it with its reasons (the values they quote are not kept).
            draft = ws.records.create(teller, customer()).record_id
            with ws.store.write() as s:
                version = s.get(RecordVersion, (draft, 1))
                assert version is not None
                payload = {
                    "record_id": draft,
                    "version": 1,
                    "base_version": None,
                    "form": ws.form.key,
                    "status": "approved",
                    "values": dict(json.loads(version.data), mobile="01062345678"),
                    "maker": "teller",
                    "checker": "teller",
                    "approved_at": utcnow().isoformat() + "Z",
                    "workstation_id": ws.store.workstation_id,
                }
                s.add(
                    OutboxItem(
                        record_id=draft,
                        version=1,
                        idempotency_key=f"{draft}:1",
                        payload=json.dumps(payload, ensure_ascii=False),
                        state="pending",
                        attempts=0,
                        created_at=utcnow(),
                    )
                )
            # The same customer approved at another branch first: a version conflict here.
            shared = customer()
            other.sync.enrol(other_admin, server.url, server.enrol_code("Branch 7"), str(ca.ca_cert))
            approve(other, other_teller, other_supervisor, shared)
            other.sync.run_once(other_supervisor)
            approve(ws, teller, supervisor, shared)
            ws.sync.enrol(admin, server.url, server.enrol_code("Branch 12"), str(ca.ca_cert))
            ws.sync.run_once(supervisor)
            for _ in range(3):
                approve(ws, teller, supervisor, customer())

            window = MainWindow(ws, supervisor)
            window.resize(1366, 768)
            window.show()
            page = window.show_page("sync")
            assert isinstance(page, SyncPage)
            deadline = time.monotonic() + 30
            while (page.model.loading or page.status is None) and time.monotonic() < deadline:
                settle(0.05)
            while window.sync_monitor.status is None and time.monotonic() < deadline:
                settle(0.05)
            refused = next(r for r, row in enumerate(page.model.rows) if row.record_id == draft)
            page.view.selectRow(refused)
            page.view.setFocus()
            shot(window, "sync")
            window.idle.pause()
            window.close()
            settle(0.2)
            ws.close()
            other.close()
    if previous_keyring is None:
        os.environ.pop("DESKTOP_APP_TEST_KEYRING", None)
    else:
        os.environ["DESKTOP_APP_TEST_KEYRING"] = previous_keyring


def operations(settle: Callable[[float], None], shot: Callable[[Any, str], None], wanted: set[str]) -> None:
    """The operations screens on a demo branch of 3,000 synthetic customers: the supervisor's dashboard, the
    teller's due-for-review list with its reminder, the auditor's audit viewer, the Backups page after a backup,
    and the report of a spreadsheet import with bad rows."""
    import tempfile

    from sqlalchemy import text

    from benchmarks.bench_store import PASSWORD as password
    from desktop_app.domain.roles import Role
    from desktop_app.domain.synthetic import generate_customer
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod

    login, wait, window_for, close = _branch_helpers(settle)

    previous_keyring = os.environ.get("DESKTOP_APP_TEST_KEYRING")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["DESKTOP_APP_TEST_KEYRING"] = str(root / "keyring.json")
        ws, _code, admin = Workstation.initialise(root / "branch", "admin", password, KeyMethod.KEYRING)
        ws.settings.set(admin, "dual_entry_policy", "none")
        for name, role in (("teller", Role.TELLER), ("supervisor", Role.SUPERVISOR), ("auditor", Role.AUDITOR)):
            ws.users.add(admin, name, password, {role})
        teller, supervisor, auditor = login(ws, "teller"), login(ws, "supervisor"), login(ws, "auditor")
        ws.maintenance.seed_demo(admin, 3000, seed=11)
        # Demo data only: a share of the approved customers were last reviewed long ago, so some are due.
        with ws.store.write() as s:
            s.execute(
                text(
                    "UPDATE records SET checked_at = datetime(checked_at, '-2 years') "
                    "WHERE status = 'approved' AND abs(random()) % 5 = 0"
                )
            )
        for seed in range(6):  # a few of the teller's own entries, one refused at submit (dashboard figures)
            values = generate_customer(random.Random(900 + seed), date.today())
            if seed == 0:
                values["mobile"] = "12345"
            rid = ws.records.create(teller, values).record_id
            try:
                ws.records.submit(teller, rid, None)
            except Exception:  # noqa: S112 - the refused submit is the point: it feeds the failures chart
                continue
            if seed % 2:
                ws.records.approve(supervisor, rid, None)

        if "dashboard" in wanted:
            window = window_for(ws, supervisor)
            page = window.show_page("dashboard")
            loaded: list[bool] = []
            page.loaded.connect(lambda: loaded.append(True))  # type: ignore[attr-defined]
            page.refresh()  # type: ignore[attr-defined]
            wait(lambda: bool(loaded))
            shot(window, "dashboard")
            close(window)

        if wanted & {"due-for-review", "import-report"}:
            window = window_for(ws, teller)
            page = window.show_page("reviews")
            rows: list[int] = []
            page.loaded.connect(rows.append)  # type: ignore[attr-defined]
            page.refresh()  # type: ignore[attr-defined]
            wait(lambda: bool(rows))
            wait(lambda: window.reminder is not None and window.reminder.isVisible(), 10)
            shot(window, "due-for-review")
            if "import-report" in wanted:
                import_report(window, ws, teller, root, settle, shot)
            close(window)

        if "audit-viewer" in wanted:
            window = window_for(ws, auditor)
            page = window.show_page("audit")
            counted: list[int] = []
            page.loaded.connect(counted.append)  # type: ignore[attr-defined]
            page.refresh()  # type: ignore[attr-defined]
            wait(lambda: bool(counted))
            page.table.selectRow(0)  # type: ignore[attr-defined]
            shot(window, "audit-viewer")
            close(window)

        if "backups" in wanted:
            ws.backups.create(supervisor)
            window = window_for(ws, supervisor)
            page = window.show_page("backups")
            page.refresh()  # type: ignore[attr-defined]
            wait(lambda: page.table.rowCount() > 0)  # type: ignore[attr-defined]
            settle(1.0)
            shot(window, "backups")
            close(window)
        ws.close()
    if previous_keyring is None:
        os.environ.pop("DESKTOP_APP_TEST_KEYRING", None)


def import_report(
    window: Any, ws: Any, teller: Any, root: Path, settle: Callable[[float], None], shot: Callable[[Any, str], None]
) -> None:
    """The import dialog's report after importing a generated 300-row workbook with Chinese headers and bad rows
    (wrong check digit, missing name, duplicate ID, a formula, a 10,000-character cell, mojibake)."""
    from tests.support.spreadsheets import chinese_headers, customer_rows, with_bad_rows, write_xlsx

    bad = with_bad_rows(customer_rows(300, seed=77), every=40)
    path = write_xlsx(root / "客户导入.xlsx", chinese_headers(), bad.rows)
    dialog = window.import_spreadsheet()
    previewed: list[object] = []
    dialog.previewed.connect(previewed.append)
    dialog.open_file(path)
    deadline = time.monotonic() + 30
    while not previewed and time.monotonic() < deadline:
        settle(0.05)
    finished: list[object] = []
    dialog.finished_report.connect(finished.append)
    dialog.start()
    deadline = time.monotonic() + 60
    while not finished and time.monotonic() < deadline:
        settle(0.05)
    settle(0.5)
    shot(dialog, "import-report")
    dialog.accept()


def session_screens(settle: Callable[[float], None], shot: Callable[[Any, str], None], wanted: set[str]) -> None:
    """Dual entry by paper form number and the lock screen, on a small branch: the second clerk's queue (each
    record with its form number, no values), the first clerk's empty queue, the supervisor's approval page on the
    dual-entry tab of a record whose difference was settled, and the lock screen over the customer list."""
    import tempfile

    from benchmarks.bench_store import PASSWORD as password
    from desktop_app.domain.roles import Role
    from desktop_app.domain.synthetic import generate_customer
    from desktop_app.services.dual_entry import Decision
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod

    login, wait, window_for, close = _branch_helpers(settle)

    previous_keyring = os.environ.get("DESKTOP_APP_TEST_KEYRING")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["DESKTOP_APP_TEST_KEYRING"] = str(root / "keyring.json")
        ws, _code, admin = Workstation.initialise(root / "branch", "admin", password, KeyMethod.KEYRING)
        ws.settings.set(admin, "dual_entry_policy", "both")
        ws.settings.set(admin, "reconciliation_resolver", "first_clerk")
        for name, role in (("teller", Role.TELLER), ("teller2", Role.TELLER), ("supervisor", Role.SUPERVISOR)):
            ws.users.add(admin, name, password, {role})
        teller, teller2, supervisor = login(ws, "teller"), login(ws, "teller2"), login(ws, "supervisor")
        keyed = []
        for n in range(5):
            values = generate_customer(random.Random(700 + n), date.today())
            values["form_number"] = f"KYC-2026-{1041 + n:06d}"
            saved = ws.records.create(teller, values)
            ws.records.submit(teller, saved.record_id, saved.version)
            keyed.append((saved.record_id, values))
        # One goes through second entry with a slip in the mobile number, settled by the first clerk from the paper.
        settled, values = keyed[0]
        ws.dual_entry.submit(teller2, settled, dict(values, mobile=values["mobile"][:-1] + "0"))
        view = ws.dual_entry.reconciliation(teller, settled)
        ws.dual_entry.resolve(teller, settled, {d.field: Decision("first") for d in view.differences})
        ws.dual_entry.submit(teller2, keyed[1][0], keyed[1][1])
        try:
            if {"second-entry-queue", "lock-screen"} & wanted:
                window = window_for(ws, teller2)
                if "second-entry-queue" in wanted:
                    page = window.show_page("second_entry")
                    wait(lambda: page.table.rowCount() == 3)
                    settle(0.3)
                    shot(window, "second-entry-queue")
                if "lock-screen" in wanted:
                    window.show_page("customers")
                    settle(1.0)
                    window.lock()
                    settle(0.3)
                    shot(window, "lock-screen")
                close(window)
            if "second-entry-empty" in wanted:
                window = window_for(ws, teller)
                page = window.show_page("second_entry")
                wait(lambda: page.empty.isVisible())
                settle(0.3)
                shot(window, "second-entry-empty")
                close(window)
            if "approval-dual-entry" in wanted:
                window = window_for(ws, supervisor)
                approvals = window.show_page("approvals")
                wait(lambda: approvals.detail is not None)
                row = next(i for i, item in enumerate(approvals.items) if item.record_id == settled)
                approvals.queue.selectRow(row)
                wait(lambda: approvals.detail is not None and approvals.detail.record_id == settled)
                approvals.tabs.setCurrentIndex(1)
                settle(0.5)
                shot(window, "approval-dual-entry")
                close(window)
        finally:
            ws.close()
            if previous_keyring is None:
                os.environ.pop("DESKTOP_APP_TEST_KEYRING", None)
            else:
                os.environ["DESKTOP_APP_TEST_KEYRING"] = previous_keyring


def _branch_helpers(settle: Callable[[float], None]) -> tuple[Any, Any, Any, Any]:
    """Sign-in, waiting, a window and its closing, for the screenshots of a small branch of their own."""
    from benchmarks.bench_store import PASSWORD as password
    from desktop_app.services.actor import Actor
    from desktop_app.services.workstation import Workstation
    from desktop_app.ui.session.main_window import MainWindow

    def login(ws: Workstation, name: str) -> Actor:
        actor, must_change = ws.auth.login(name, password)
        if must_change:
            ws.auth.change_password(actor, password, password + "x")
            actor, _ = ws.auth.login(name, password + "x")
        return actor

    def wait(condition: Callable[[], bool], seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            settle(0.05)

    def window_for(ws: Workstation, actor: Actor) -> MainWindow:
        window = MainWindow(ws, actor)
        window.resize(1366, 768)
        window.show()
        settle(0.5)
        return window

    def close(window: MainWindow) -> None:
        window.idle.pause()
        window.close()
        settle(0.2)

    return login, wait, window_for, close


if __name__ == "__main__":
    main()

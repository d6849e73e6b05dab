"""The operation runner and the GUI-thread guard (issue 13): one way to run a service call off the GUI thread, and
a guard at the store's door that fails the suite when UI code calls the store on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.errors import PermissionDenied
from desktop_app.ui.common import gui_thread_guard, worker
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.worker import Progress
from tests.conftest import Staff
from tests.gui.settle import settle


def _ui_function(source: str, name: str) -> Callable[..., Any]:
    """A function whose code lives, for the guard, in a module of desktop_app/ui/ (as a page's would)."""
    namespace: dict[str, Any] = {"__name__": "desktop_app.ui.fake_page"}
    exec(compile(source, f"{gui_thread_guard.UI_DIR}/fake_page.py", "exec"), namespace)  # noqa: S102
    return namespace[name]  # type: ignore[no-any-return]


def test_an_op_runs_its_work_off_the_gui_thread_and_its_outcome_on_it(qtbot, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    seen: dict[str, int] = {}
    results: list[Any] = []

    def work() -> list[Any]:
        seen["work"] = threading.get_ident()
        return staff.ws.users.list(staff.admin)

    def success(users: list[Any]) -> None:
        seen["success"] = threading.get_ident()
        results.append(users)

    Op(None, work).success(success).run()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert seen["work"] != gui and seen["success"] == gui
    assert {u.username for u in results[0]} >= {"admin", "teller"}


def test_store_work_runs_one_at_a_time_in_the_order_it_was_asked(qtbot) -> None:  # type: ignore[no-untyped-def]
    running, most, order = [0], [0], []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        threading.Event().wait(0.01)
        with lock:
            running[0] -= 1
        return n

    for n in range(8):
        Op(None, lambda n=n: work(n)).success(order.append).run()
    settle(qtbot)
    assert most[0] == 1 and order == list(range(8))


def test_a_refusal_reaches_the_teller_as_the_error_dialog_without_a_traceback(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    parent = QWidget()
    qtbot.addWidget(parent)

    def refused() -> None:
        raise PermissionDenied("You may not do this.", "您无权执行此操作。")

    Op(parent, refused).success(lambda _r: pytest.fail("no success after a refusal")).run()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["You may not do this."] or shown == ["您无权执行此操作。"]
    assert "Traceback" not in shown[0]


def test_a_long_op_shows_progress_and_stops_when_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    started, stopped, finished = threading.Event(), [], []

    def work(progress: Progress) -> None:
        started.set()
        for done in range(10_000):
            progress(done, 10_000)  # raises Cancelled once the flag is set
            threading.Event().wait(0.005)

    op = Op.tracked(parent, work).with_progress("Working…").cancelled(lambda: stopped.append(True))
    running = op.finally_(lambda: finished.append(True)).run()
    assert started.wait(5)
    running.cancel()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert stopped == [True]


def test_an_outcome_for_a_closed_page_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    gate = threading.Event()
    called: list[object] = []
    Op(parent, lambda: gate.wait(5)).success(called.append).run()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(parent), timeout=5000)
    gate.set()
    settle(qtbot)
    assert called == []


def test_the_guard_fails_ui_code_that_calls_the_store_on_the_gui_thread(staff: Staff) -> None:
    """The GUI suite runs with the guard on (conftest): a page that reads the store on the GUI thread raises, and
    the call is remembered even if the page swallows the error."""
    page_refresh = _ui_function("def refresh(ws, actor):\n    return ws.users.list(actor)\n", "refresh")
    try:
        with pytest.raises(gui_thread_guard.StoreCallOnGuiThread, match="fake_page:refresh"):
            page_refresh(staff.ws, staff.admin)
        assert gui_thread_guard.violations() == ["desktop_app.ui.fake_page:refresh"]
        with gui_thread_guard.allowed():  # a test's set-up through UI helpers may say so
            assert page_refresh(staff.ws, staff.admin)
        assert staff.ws.users.list(staff.admin)  # a test's own call from its body is not the window's
    finally:
        gui_thread_guard.install(strict=True)  # forget the deliberate violation: this test is about it


def test_the_guard_lets_work_on_the_store_thread_through(qtbot, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    page_load = _ui_function(
        "from desktop_app.ui.common.operations import Op\n"
        "def load(ws, actor, shown):\n"
        "    Op(None, lambda: ws.users.list(actor)).success(shown).run()\n",
        "load",
    )
    shown: list[Any] = []
    page_load(staff.ws, staff.admin, shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert gui_thread_guard.violations() == []


def test_in_production_the_guard_logs_the_call_site_once_and_lets_it_run(staff: Staff, caplog) -> None:  # type: ignore[no-untyped-def]
    page_refresh = _ui_function("def refresh(ws, actor):\n    return ws.users.list(actor)\n", "refresh")
    gui_thread_guard.install(strict=False)
    try:
        with caplog.at_level(logging.ERROR, logger="desktop_app.ui.common.gui_thread_guard"):
            assert page_refresh(staff.ws, staff.admin)
            assert page_refresh(staff.ws, staff.admin)
        loud = [r.getMessage() for r in caplog.records if "GUI thread" in r.getMessage()]
        assert len(loud) == 1 and "desktop_app.ui.fake_page:refresh" in loud[0]
    finally:
        gui_thread_guard.install(strict=True)


def test_nothing_is_left_on_the_allowlist() -> None:
    """Every UI call into the store runs through an operation; a call that must stay is named here, with why."""
    assert gui_thread_guard.ALLOWLIST == {}
    assert not worker.busy()

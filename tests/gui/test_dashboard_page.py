"""The dashboard page, offscreen: charts with one bar per status, day and clerk, field and outbox state built from
a snapshot; the snapshot read off the GUI thread on show, on F5 and on a period change; a failed read said quietly
on the page; tables with the exact figures behind each chart."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.domain.lifecycle import Status
from desktop_app.services.actor import Actor
from desktop_app.services.dashboard import (
    ClerkDay,
    DashboardSnapshot,
    FieldCount,
    StatusCount,
    SyncBacklog,
)
from desktop_app.services.dual_entry_stats import ClerkStats, DayStats, DiscrepancyReport, FieldStats
from desktop_app.services.errors import PermissionDenied
from desktop_app.ui.common.charts import bar_values, categories, nice_top
from desktop_app.ui.common.labels import status_label
from desktop_app.ui.supervision.dashboard_page import MAX_FIELDS, REFRESH_MS, DashboardPage
from tests.conftest import Staff

WAIT_MS = 10_000
TODAY = date(2030, 5, 20)
DAYS = tuple(TODAY - timedelta(days=n) for n in range(6, -1, -1))
NOW = datetime(2030, 5, 20, 9, 0)

FIELDS = ("name", "id_number", "mobile", "address", "birth_date", "postal_code", "email", "occupation", "sex")


def snapshot() -> DashboardSnapshot:
    return DashboardSnapshot(
        days=DAYS,
        statuses=tuple(StatusCount(st, n * 3) for n, st in enumerate(Status)),
        entries=(
            ClerkDay(DAYS[0], "alice", 4, 1),
            ClerkDay(DAYS[0], "bob", 2, 0),
            ClerkDay(DAYS[3], "carol", 0, 5),
            ClerkDay(TODAY, "alice", 7, 0),
        ),
        discrepancy=DiscrepancyReport(
            clerks=(ClerkStats("alice", 5, 50, 2), ClerkStats("bob", 2, 20, 0)),
            fields=(FieldStats("mobile", 10, 3), FieldStats("name", 10, 1), FieldStats("email", 10, 0)),
            days=(DayStats(DAYS[0].isoformat(), 10, 4),),
        ),
        failures=tuple(FieldCount(f, 20 - n) for n, f in enumerate(FIELDS)),
        failures_other=6,
        backlog=SyncBacklog(
            pending=4,
            retrying=2,
            refused=1,
            conflict=0,
            key_conflict=0,
            acknowledged=30,
            oldest_pending_at=NOW - timedelta(hours=5, minutes=12),
            last_success_at=NOW - timedelta(hours=1),
            as_of=NOW,
        ),
    )


def drawn(chart) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """{category: value} of a one-set chart."""
    ((_, values),) = bar_values(chart)
    return dict(zip(categories(chart), values, strict=True))


def new_page(qtbot, staff: Staff, actor: Actor | None = None) -> DashboardPage:  # type: ignore[no-untyped-def]
    page = DashboardPage(staff.ws, actor or staff.supervisor)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    return page


def test_each_chart_has_a_bar_per_status_day_clerk_field_and_state(qtbot, staff: Staff, english) -> None:
    page = new_page(qtbot, staff)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show_snapshot(snapshot())

    assert drawn(page.status_card.chart) == {status_label(st): n * 3 for n, st in enumerate(Status)}
    assert page.status_card.table.rowCount() == len(Status)

    entries = dict(bar_values(page.entries_card.chart))
    assert list(entries) == ["alice", "carol", "bob"]  # most entries first
    assert categories(page.entries_card.chart) == [f"{d.month}/{d.day}" for d in DAYS]
    assert entries["alice"] == [5, 0, 0, 0, 0, 0, 7]
    assert entries["carol"] == [0, 0, 0, 5, 0, 0, 0]
    assert entries["bob"] == [2, 0, 0, 0, 0, 0, 0]
    assert page.entries_card.table.rowCount() == 4
    assert page.entries_card.chart.legend().isVisible()

    rates = drawn(page.discrepancy_card.chart)
    assert rates == pytest.approx({"Mobile number": 30.0, "Full name": 10.0, "Email": 0.0})
    assert page.discrepancy_card.table.rowCount() == 3 + 2  # fields, then clerks

    failures = drawn(page.failures_card.chart)
    assert len(failures) == MAX_FIELDS
    assert failures["Full name"] == 20 and failures["Other fields"] == sum(range(20 - 8, 20 - 6)) + 6
    assert page.failures_card.table.rowCount() == len(FIELDS) + 1

    backlog = bar_values(page.backlog_card.chart)
    assert [name for name, _ in backlog] == [
        "Pending", "Retrying", "Refused", "Version conflict", "Key conflict", "Acknowledged"
    ]  # fmt: skip
    assert {name: sum(values) for name, values in backlog}["Acknowledged"] == 30
    note = page.backlog_card.note.text()
    assert "5 h 12 min" in note and "1 row(s) need a supervisor" in note


def test_the_tables_hold_the_exact_figures_and_the_toggle_shows_them(qtbot, staff: Staff, english) -> None:
    page = new_page(qtbot, staff)
    page.show_snapshot(snapshot())
    card = page.failures_card
    assert card.stack.currentWidget() is card.view
    card.toggle.click()
    assert card.stack.currentWidget() is card.table
    assert (card.table.item(0, 0).text(), card.table.item(0, 1).text()) == ("Full name", "20")
    assert card.view.accessibleDescription().startswith("Full name, 20")
    card.toggle.click()
    assert card.stack.currentWidget() is card.view


def test_an_empty_period_says_so_instead_of_an_empty_chart(qtbot, staff: Staff, english) -> None:
    page = new_page(qtbot, staff)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()  # a fresh store: nothing keyed, nothing queued
    for card in (page.entries_card, page.discrepancy_card, page.failures_card, page.backlog_card, page.status_card):
        assert card.stack.currentWidget() is card.empty, card.objectName()
        assert card.empty.text()
    assert "Nothing waiting to be sent" in page.backlog_card.note.text()


def test_the_snapshot_is_read_off_the_gui_thread_on_show_f5_and_a_period_change(
    qtbot, staff: Staff, english, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bool, int]] = []
    real = staff.ws.dashboard.snapshot
    gui = QApplication.instance().thread()

    def spy(actor: Actor, today: date | None = None, days: int = 14) -> DashboardSnapshot:
        calls.append((QThread.currentThread() != gui, days))
        return real(actor, today, days)

    assert QThread.currentThread() == gui  # the comparison the spy makes does tell threads apart
    monkeypatch.setattr(staff.ws.dashboard, "snapshot", spy)
    page = new_page(qtbot, staff)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    assert page.timer.isActive() and page.timer.interval() == REFRESH_MS
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(page, Qt.Key.Key_F5)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.period.setCurrentIndex(page.period.findData(30))
    assert calls == [(True, 14), (True, 14), (True, 30)]
    assert page.snapshot is not None and len(page.snapshot.days) == 30
    page.hide()
    assert not page.timer.isActive()  # no reading while nobody looks


def test_the_minute_timer_refreshes_but_never_stacks_reads(qtbot, staff: Staff, english, monkeypatch) -> None:
    page = new_page(qtbot, staff)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    started: list[int] = []
    monkeypatch.setattr(page, "refresh", lambda: started.append(1))
    page._busy = True
    page.timer.timeout.emit()
    assert started == []
    page._busy = False
    page.timer.timeout.emit()
    assert started == [1]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            PermissionDenied("Your role does not allow this.", "您的角色无权执行此操作。"),
            "Your role does not allow this.",
        ),
        (RuntimeError("disk on fire"), "Something went wrong"),
    ],
)
def test_a_failed_refresh_is_said_quietly_on_the_page(
    qtbot, staff: Staff, english, monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    dialogs: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: dialogs.append(box.text()))
    page = new_page(qtbot, staff)
    page.show_snapshot(snapshot())  # what was shown before stays

    def broken(*_args: object, **_kwargs: object) -> DashboardSnapshot:
        raise error

    monkeypatch.setattr(staff.ws.dashboard, "snapshot", broken)
    with qtbot.waitSignal(page.failed, timeout=WAIT_MS) as signal:
        page.show()
    assert expected in signal.args[0] and expected in page.state.text()
    assert "disk on fire" not in page.state.text()
    assert dialogs == []
    assert page.status_card.stack.currentWidget() is page.status_card.view  # the last charts are kept
    assert page.refresh_button.isEnabled()


def test_chinese_labels_for_statuses_and_fields(qtbot, staff: Staff) -> None:
    from desktop_app.ui.common import i18n

    i18n.install("zh_CN")
    try:
        page = new_page(qtbot, staff)
        page.show_snapshot(snapshot())
        assert "草稿" in drawn(page.status_card.chart)
        assert "手机号码" in drawn(page.discrepancy_card.chart)
    finally:
        i18n.install("en")


@pytest.mark.parametrize("peak", [0, 1, 3, 7, 10, 99, 184, 60_000, 46_667])
def test_count_axes_end_at_or_above_the_peak_on_whole_steps(peak: int) -> None:
    top, ticks = nice_top(peak, whole=True)
    step = top / (ticks - 1)
    assert top >= peak and step == int(step) and ticks <= 7


@pytest.mark.parametrize("peak", [0.0, 0.4, 3.3, 30.0, 100.0])
def test_percent_axes_end_at_or_above_the_peak(peak: float) -> None:
    top, ticks = nice_top(peak, whole=False)
    assert top >= peak and top <= max(peak * 2.5, 1.0) and ticks >= 2

"""The periodic-review screens, offscreen: the due list (masked, reasons in words, paged in the background),
a teller starting a review with Enter (a new version, then opened), others opening the record, and the reminder
banner on the teller's start page that hides itself when nobody is due."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import update

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.domain.synthetic import generate_customer, generate_customers
from desktop_app.services.actor import Actor
from desktop_app.services.reviews import utc_start
from desktop_app.storage.models import Record, User
from desktop_app.ui.supervision import review_page
from desktop_app.ui.supervision.review_page import COLUMNS, PAGE, ReviewPage
from desktop_app.ui.supervision.review_reminder import ReviewReminder
from tests.conftest import Staff

WAIT_MS = 10_000
TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=4 * 366)  # every risk rating is due


def approved(staff: Staff, reviewed: date = LONG_AGO, **values: str) -> str:
    """A customer keyed by teller and approved by supervisor, as if that approval was on `reviewed`."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    customer = generate_customer(random.Random(uuid.uuid4().int), TODAY) | values
    rid = staff.ws.records.create(staff.teller, customer).record_id
    staff.ws.records.submit(staff.teller, rid, None)
    staff.ws.records.approve(staff.supervisor, rid, None)
    with staff.ws.store.write() as s:
        s.execute(update(Record).where(Record.id == rid).values(checked_at=utc_start(reviewed) + timedelta(hours=10)))
    return rid


def many_due(staff: Staff, n: int) -> None:
    """`n` approved customers written straight into the store, all due (the list only reads the records table)."""
    with staff.ws.store.write() as s:
        maker_id = s.query(User.id).filter(User.username == "teller").scalar()
        for i, values in enumerate(generate_customers(n, seed=5)):
            at = utc_start(LONG_AGO - timedelta(days=i)) + timedelta(hours=10)
            s.add(
                Record(
                    id=f"due-{i:04d}",
                    form_key="personal_customer",
                    status=Status.APPROVED.value,
                    version=1,
                    approved_version=1,
                    maker_id=maker_id,
                    made_at=at,
                    checked_at=at,
                    name=values["name"],
                    id_type=values["id_type"],
                    id_number=values["id_number"],
                    risk_level="low",
                    id_valid_until=LONG_TERM,
                    created_at=at,
                    updated_at=at,
                )
            )


def open_page(qtbot, staff: Staff, actor: Actor) -> ReviewPage:  # type: ignore[no-untyped-def]
    page = ReviewPage(staff.ws, actor)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: "loading" not in page.count.text() and page.policy.text() != "", timeout=WAIT_MS)
    return page


def cell(page: ReviewPage, row: int, column: str) -> str:
    return str(page.model.data(page.model.index(row, COLUMNS.index(column))))


def capture_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: texts.append(box.text()) or 0)
    return texts


def test_the_list_shows_who_is_due_and_why_masked_for_the_viewer(qtbot, staff: Staff, english) -> None:
    expires = TODAY + timedelta(days=10)
    high = approved(staff, risk_level="high", id_valid_until=LONG_TERM)
    soon = approved(staff, TODAY - timedelta(days=5), risk_level="low", id_valid_until=expires.isoformat())
    approved(staff, TODAY - timedelta(days=5), risk_level="low", id_valid_until=LONG_TERM)  # not due
    page = open_page(qtbot, staff, staff.auditor)
    assert [row.record_id for row in page.model.rows] == [high, soon]  # earliest due first
    assert cell(page, 0, "risk") == "High"
    assert cell(page, 0, "reasons") == "Review period passed"
    assert cell(page, 1, "reasons") == f"ID document expires on {expires.isoformat()}"
    assert cell(page, 1, "last_review") == (TODAY - timedelta(days=5)).isoformat()
    full = staff.ws.records.reveal(staff.supervisor, high, "id_number")
    assert cell(page, 0, "id_number") != full and "*" in cell(page, 0, "id_number")
    assert page.count.text() == "2 customer(s) due"
    assert "every 1 year(s), medium every 2, low every 3" in page.policy.text()
    assert not page.start_button.isVisible()  # only tellers review

    page.view.selectRow(0)
    with qtbot.waitSignal(page.opened, timeout=WAIT_MS) as opened:
        page._activated(page.model.index(0, 0))
    assert opened.args == [high]


def test_a_teller_starts_a_review_with_enter_and_it_leaves_the_list(qtbot, staff: Staff, english, monkeypatch) -> None:
    rid = approved(staff, risk_level="", id_valid_until=LONG_TERM)
    page = open_page(qtbot, staff, staff.teller2)
    assert cell(page, 0, "risk") == "Unrated (as high)"
    assert page.start_button.isVisible() and not page.start_button.isEnabled()  # nothing selected yet
    asked: list[str] = []
    monkeypatch.setattr(review_page, "confirm", lambda parent, title, text: asked.append(text) or True)
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.review_started, timeout=WAIT_MS) as started:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert started.args == [rid] and asked
    view = staff.ws.records.get(staff.teller2, rid)
    assert view.status is Status.DRAFT
    assert staff.ws.records.history(staff.teller2, rid)[-1].kind == "review"
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and not page.model.loading, timeout=WAIT_MS)
    assert "Review started" in page.message.text()


def test_declining_the_confirmation_changes_nothing(qtbot, staff: Staff, english, monkeypatch) -> None:
    rid = approved(staff)
    page = open_page(qtbot, staff, staff.teller)
    monkeypatch.setattr(review_page, "confirm", lambda parent, title, text: False)
    page.view.selectRow(0)
    page.start_selected()
    assert staff.ws.records.get(staff.teller, rid).status is Status.APPROVED


def test_a_refused_start_is_explained_not_raised(qtbot, staff: Staff, english, monkeypatch) -> None:
    rid = approved(staff)
    page = open_page(qtbot, staff, staff.teller)
    staff.ws.reviews.start_review(staff.teller2, rid)  # someone else got there first
    dialogs = capture_dialogs(monkeypatch)
    monkeypatch.setattr(review_page, "confirm", lambda parent, title, text: True)
    page.view.selectRow(0)
    page.start_selected()
    qtbot.waitUntil(lambda: bool(dialogs), timeout=WAIT_MS)
    assert "already under way" in dialogs[0]
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and not page.model.loading, timeout=WAIT_MS)


def test_a_long_list_is_read_a_page_at_a_time(qtbot, staff: Staff, english) -> None:
    many_due(staff, PAGE + 30)
    page = open_page(qtbot, staff, staff.supervisor)
    assert page.model.rowCount() == PAGE
    assert page.count.text() == f"{PAGE} of {PAGE + 30} due (scroll for more)"
    assert page.model.canFetchMore()
    with qtbot.waitSignal(page.model.loaded, timeout=WAIT_MS):
        page.model.fetchMore()
    assert page.model.rowCount() == PAGE + 30 and not page.model.canFetchMore()
    assert len({r.record_id for r in page.model.rows}) == PAGE + 30
    assert page.count.text() == f"{PAGE + 30} customer(s) due"


def test_the_reminder_shows_the_count_and_hides_when_nobody_is_due(qtbot, staff: Staff, english) -> None:
    host = ReviewReminder(staff.ws, staff.teller)
    qtbot.addWidget(host)
    qtbot.waitSignal(host.counted, timeout=WAIT_MS).wait()
    assert host.isHidden() and host.due == 0

    rids = [approved(staff), approved(staff)]
    with qtbot.waitSignal(host.counted, timeout=WAIT_MS):
        host.refresh()
    host.show()
    assert host.due == 2 and host.isVisible()
    assert host.text.text() == "2 customer(s) are due for periodic review."
    with qtbot.waitSignal(host.show_requested, timeout=WAIT_MS):
        host.button.click()
    host.activateWindow()
    qtbot.waitActive(host)
    with qtbot.waitSignal(host.show_requested, timeout=WAIT_MS):
        qtbot.keyClick(host, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)

    for rid in rids:
        staff.ws.reviews.start_review(staff.teller, rid)
    with qtbot.waitSignal(host.counted, timeout=WAIT_MS):
        host.refresh()
    assert host.isHidden()


def test_the_reminder_stays_quiet_for_a_user_who_may_not_see_the_list(qtbot, staff: Staff) -> None:
    approved(staff)
    host = ReviewReminder(staff.ws, staff.admin)  # an administrator has no right to the list
    qtbot.addWidget(host)
    with qtbot.waitSignal(host.counted, timeout=WAIT_MS) as counted:
        host.refresh()
    assert counted.args == [0] and host.isHidden()

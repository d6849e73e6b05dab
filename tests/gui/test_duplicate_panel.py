"""Likely existing customers on screen (issue 15): the maker sees them under the form as they type, the blind
second entry never does, and the supervisor decides "same person" / "different person" on the approval page."""

from __future__ import annotations

import opencc
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop_app.domain.lifecycle import Status
from desktop_app.services.duplicates import Decision
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.record_view import RecordView, open_record_view
from desktop_app.ui.records.second_entry import BlindEntryForm
from desktop_app.ui.supervision.approval_page import ApprovalPage
from tests.conftest import Staff
from tests.gui.test_dual_entry_screens import clean_customer


def _approved(staff: Staff, values: dict[str, str]) -> str:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    staff.ws.records.approve(staff.supervisor, saved.record_id, None)
    return saved.record_id


def _again_from_a_passport(values: dict[str, str]) -> dict[str, str]:
    return dict(
        values,
        name=opencc.OpenCC("s2t").convert(values["name"]),
        id_type="passport",
        id_number="E12345678",
        issuing_authority="中华人民共和国国家移民管理局",
    )


def test_the_maker_sees_a_likely_existing_customer_with_its_reasons(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 31)
    existing = _approved(staff, values)
    form = EntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.show()
    form.set_values(_again_from_a_passport(values))
    form.check_duplicates()
    qtbot.waitUntil(lambda: form.duplicates.candidates != [], timeout=10_000)
    assert [c.record_id for c in form.duplicates.candidates] == [existing]
    text = form.duplicates.text.text()
    assert existing[:8] in text and "another type of ID document" in text and "same birth date" in text
    assert form.duplicates.isVisible()


def test_the_blind_second_entry_shows_no_candidate(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 32)
    _approved(staff, values)
    form = BlindEntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.show()
    form.set_values(values)
    form.check_duplicates()
    qtbot.wait(200)
    assert form.duplicates.candidates == [] and not form.duplicates.isVisible()


def test_the_supervisor_decides_different_person_then_approves(qtbot, staff: Staff, english, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 33)
    existing = _approved(staff, values)
    saved = staff.ws.records.create(staff.teller2, _again_from_a_passport(values))
    staff.ws.records.submit(staff.teller2, saved.record_id, saved.version)
    page = ApprovalPage(staff.ws, staff.supervisor2)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    qtbot.waitUntil(lambda: page.duplicates.candidates != [], timeout=10_000)
    assert page.duplicates.table.item(0, 0).text() == existing[:8]
    assert page.duplicates.table.item(0, 5).text() == "to decide"
    tab = page.tabs.tabText(page.tabs.indexOf(page.duplicates))
    assert tab == "Duplicates (U) · 1 ⚠"  # what waits for a decision shows on the tab (independent check)
    why = page.duplicates.table.item(0, 4)
    assert why.toolTip() == why.text()  # a long reason is read whole
    # "Same person" returns the record at once: it asks first, and No leaves everything as it was
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    page.duplicates.same_button.click()
    qtbot.wait(300)
    assert page.duplicates.table.item(0, 5).text() == "to decide"
    assert staff.ws.records.get(staff.supervisor2, saved.record_id).status is Status.AWAITING_APPROVAL
    with qtbot.waitSignal(page.duplicates.decided, timeout=5000):
        page.duplicates.different_button.click()
    qtbot.waitUntil(lambda: page.duplicates.table.item(0, 5).text() == "different person", timeout=10_000)
    qtbot.waitUntil(lambda: page.tabs.tabText(page.tabs.indexOf(page.duplicates)) == "Duplicates (U)", timeout=5000)
    staff.ws.records.approve(staff.supervisor2, saved.record_id, None)
    assert staff.ws.records.get(staff.teller2, saved.record_id).status is Status.APPROVED


def test_the_strip_is_cleared_for_the_next_customer_after_a_submit(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 34)
    _approved(staff, values)
    form = EntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.show()
    form.set_values(_again_from_a_passport(values))
    form.check_duplicates()
    qtbot.waitUntil(lambda: form.duplicates.candidates != [], timeout=10_000)
    with qtbot.waitSignal(form.submitted, timeout=10_000):
        form.submit()
    qtbot.waitUntil(lambda: form.record_id is None, timeout=5000)
    assert form.duplicates.candidates == [] and not form.duplicates.isVisible()
    assert form.duplicates.text.text() == ""


def test_the_strip_appears_under_the_form_without_moving_a_field(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 35)
    _approved(staff, values)
    form = EntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.resize(1200, 800)
    form.show()
    qtbot.waitExposed(form)
    fields = [form.editors[spec.key].focus_widget() for spec in form.schema.fields[:3]]
    before = [w.mapTo(form, QPoint(0, 0)) for w in fields]
    form.set_values(_again_from_a_passport(values))
    form.check_duplicates()
    qtbot.waitUntil(lambda: form.duplicates.isVisible(), timeout=10_000)
    qtbot.wait(50)  # the layout settles
    assert [w.mapTo(form, QPoint(0, 0)) for w in fields] == before
    strip_top = form.duplicates.mapTo(form, QPoint(0, 0)).y()
    assert all(strip_top > w.mapTo(form, QPoint(0, w.height())).y() for w in fields)


def test_a_record_returned_as_the_same_person_becomes_a_change_of_the_existing_one(
    qtbot, staff: Staff, english
) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 36)
    existing = _approved(staff, values)
    again = _again_from_a_passport(values)
    saved = staff.ws.records.create(staff.teller2, again)
    staff.ws.records.submit(staff.teller2, saved.record_id, saved.version)
    staff.ws.duplicates.decide(staff.supervisor2, saved.record_id, existing, Decision.SAME)
    form = EntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.show()
    # Whoever returned it did not approve it.
    views: list[RecordView] = []
    open_record_view(form, staff.ws, staff.teller2, saved.record_id, views.append)
    qtbot.waitUntil(lambda: views != [], timeout=10_000)
    header = views[0].findChild(QLabel, "record_header")
    assert "returned by supervisor2" in header.text() and "approved by" not in header.text()

    form.load_record(saved.record_id)
    qtbot.waitUntil(lambda: form.duplicates.merge_button.isVisible(), timeout=10_000)
    assert existing[:8] in form.duplicates.returned_text.text()
    form.editors["mobile"].set_value("13911112222")  # a new detail typed on the returned record, not yet saved
    assert form._dirty
    form.duplicates.merge_button.click()
    qtbot.waitUntil(lambda: form.record_id == existing, timeout=10_000)
    qtbot.waitUntil(lambda: form.values().get("id_number") == again["id_number"], timeout=10_000)
    change = staff.ws.records.get(staff.teller2, existing)
    assert change.status is Status.DRAFT
    assert change.values["id_number"] == again["id_number"] and change.values["mobile"] == "13911112222"
    assert staff.ws.records.get(staff.teller2, saved.record_id).status is Status.DISCARDED
    assert not form.duplicates.merge_button.isVisible()

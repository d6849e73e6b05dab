"""Keying from the image (issue 16): the entry form shows the record's paper page beside the fields and zooms to
the focused field's region as the clerk tabs; the blind second clerk sees the page but never the first entry; a
record without pages shows no pane; the keyboard never goes into the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.domain.form_schema import default_form_path, load_default_form
from desktop_app.domain.paper_layout import PaperLayout, layouts_for
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.second_entry import BlindEntryForm
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.support.customers import resident
from tests.support.paper_forms import draw_form


def _layout() -> PaperLayout:
    (found,) = layouts_for(default_form_path().parent, load_default_form())
    return found


def _record_with_paper(staff: Staff, seed: int = 5) -> str:
    layout = _layout()
    values = resident(seed)
    rid = staff.ws.records.create(staff.teller, values).record_id
    for page in draw_form(layout, values, f"{seed:08d}"):
        staff.ws.paper.add_page(staff.teller, rid, page, "file")
    return rid


def _shown(qtbot, form: EntryForm) -> None:  # type: ignore[no-untyped-def]
    form.resize(1366 - 220, 700)  # the entry page in a 1366 px main window, beside its navigation
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    qtbot.waitUntil(form.isActiveWindow, timeout=3000)


def _mark_in_view(form: EntryForm) -> bool:
    """The marked region is whole on screen, its writing large enough to read (a long box at 1366 px lost its last
    digit off the right edge: found by the independent check)."""
    canvas = form.paper_pane.canvas
    seen = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    mark = canvas.mark.rect()
    on_screen_height = mark.height() * canvas.transform().m22()
    return canvas.mark.isVisible() and seen.contains(mark) and on_screen_height >= 39.5


def test_the_page_follows_the_focused_field_as_the_clerk_tabs(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    rid = _record_with_paper(staff)
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    _shown(qtbot, form)
    assert form.paper_pane.isHidden()  # a new customer has no paper yet
    assert form._columns == 2
    form.load_record(rid)
    qtbot.waitUntil(lambda: form.paper_pane.isVisible() and form.paper_pane.paper is not None, timeout=15_000)
    # beside the page the fields are one column, never cut off at the right (found at 1366 px)
    qtbot.waitUntil(lambda: form._columns == 1, timeout=2000)
    assert form._scroll.horizontalScrollBar().maximum() == 0
    pane, layout = form.paper_pane, _layout()
    for key in ("name", "id_number", "mobile", "occupation"):
        form.editors[key].focus_widget().setFocus()
        qtbot.waitUntil(lambda k=key: pane.field == k, timeout=2000)
        region = layout.region(key)
        assert region is not None and pane.page_no == region.page
        page = pane.paper.page(region.page)
        left, top, right, bottom = region.pixels((page.image.width(), page.image.height()), layout.page_size_mm)
        assert pane.canvas.mark.rect().toRect().getCoords() == (left, top, right - 1, bottom - 1)
        assert _mark_in_view(form), key
        assert form.editors[key].focus_widget().hasFocus()  # the keyboard stays in the field
        assert form.schema.field(key).label("en") in pane.caption.text()
    # Tab moves on through the fields, never into the page
    start = form.editors["name"].focus_widget()
    start.setFocus()
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not pane.canvas
    assert pane.canvas.focusPolicy() == Qt.FocusPolicy.NoFocus
    # the pages were opened through the service, so each opening is in the audit trail
    actions = [e.action for e in staff.ws.audit.entries(staff.auditor, _filter(rid))]
    assert actions.count("paper.page_view") >= 2


def _filter(record_id: str):  # type: ignore[no-untyped-def]
    from desktop_app.services.audit_log import AuditFilter

    return AuditFilter(record_id=record_id)


def test_the_blind_second_clerk_keys_from_the_page_and_sees_no_first_entry(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    rid = _record_with_paper(staff, 6)
    staff.ws.records.submit(staff.teller, rid, None)
    form = BlindEntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    _shown(qtbot, form)
    form.start(rid)
    qtbot.waitUntil(lambda: form.paper_pane.paper is not None, timeout=15_000)
    assert form.paper_pane.isVisible()
    assert all(v in ("", None) for k, v in form.values().items() if k != "form_number")
    form.editors["mobile"].focus_widget().setFocus()
    qtbot.waitUntil(lambda: form.paper_pane.page_no == 2, timeout=2000)
    assert _mark_in_view(form)


def test_a_viewer_who_may_not_see_the_paper_gets_no_pane_and_no_error(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    rid = _record_with_paper(staff, 7)
    form = EntryForm(staff.ws, staff.teller2)  # another teller's draft: its paper is not theirs to see
    qtbot.addWidget(form)
    _shown(qtbot, form)
    form.paper_pane.load(rid)
    settle(qtbot)
    qtbot.wait(300)
    assert form.paper_pane.isHidden() and form.paper_pane.paper is None


def test_the_supervisor_tabs_through_values_beside_their_regions(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.records.reconciliation import shown_value
    from desktop_app.ui.supervision.approval_page import ApprovalPage

    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    rid = _record_with_paper(staff, 8)
    staff.ws.records.submit(staff.teller, rid, None)
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.resize(1300, 720)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=3000)
    settle(qtbot)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.record_id == rid, timeout=5000)
    page.queue.setFocus()
    qtbot.keyClick(page.queue, Qt.Key.Key_P)
    assert page.tabs.currentWidget() is page.paper and "(P)" in page.tabs.tabText(page.tabs.currentIndex())
    review = page.paper
    qtbot.waitUntil(lambda: review.pane.paper is not None, timeout=15_000)
    assert review.fields.hasFocus()
    first = review.fields.currentItem().data(Qt.ItemDataRole.UserRole)
    assert review.pane.field == first
    seen = []
    for _ in range(4):
        qtbot.keyClick(review.fields, Qt.Key.Key_Tab)
        key = review.fields.currentItem().data(Qt.ItemDataRole.UserRole)
        assert review.pane.field == key and review.fields.hasFocus()
        seen.append(key)
        value = shown_value(staff.ws, key, staff.ws.approvals.detail(staff.supervisor, rid).values.get(key, ""))
        assert review.fields.currentItem().text().endswith(value)  # the value as the screen shows it
    assert len(set(seen)) == 4
    qtbot.keyClick(review.fields, Qt.Key.Key_Backtab)
    assert review.pane.field == seen[-2]
    # a record without paper says so instead of an empty view
    review.set_record(None, {}, {})
    assert review.empty.isVisible()


def test_the_resolver_sees_the_region_of_each_difference(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.records.reconciliation import ReconciliationDialog

    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    staff.ws.settings.set(staff.admin, "reconciliation_resolver", "supervisor")
    rid = _record_with_paper(staff, 10)
    staff.ws.records.submit(staff.teller, rid, None)
    typed = dict(staff.ws.records.get(staff.teller, rid).values)
    staff.ws.dual_entry.submit(staff.teller2, rid, dict(typed, mobile="13900000000", name_pinyin="SUN X"))
    dialog = ReconciliationDialog(
        staff.ws, staff.supervisor, rid, reconciliation=staff.ws.dual_entry.reconciliation(staff.supervisor, rid)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.paper.paper is not None, timeout=15_000)
    fields = [row.field for row in dialog.rows]
    assert set(fields) == {"mobile", "name_pinyin"}
    assert dialog.paper.field == fields[0] and dialog.paper.canvas.mark.isVisible()
    dialog.table.setCurrentCell(1, 0)
    assert dialog.paper.field == fields[1]
    region = _layout().region(fields[1])
    assert region is not None and dialog.paper.page_no == region.page


def test_paper_warnings_are_in_the_submit_summary_and_on_the_supervisors_tab(  # type: ignore[no-untyped-def]
    qtbot, staff: Staff, english, monkeypatch
) -> None:
    """Independent check of issue 16: a form with its second page missing went through submit and approval
    unwarned (the checks were only in the paper dialog)."""
    from desktop_app.ui.records.entry_form import SummaryDialog
    from desktop_app.ui.supervision.approval_page import ApprovalPage

    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    layout, values = _layout(), resident(11)
    rid = staff.ws.records.create(staff.teller, values).record_id
    staff.ws.paper.add_page(staff.teller, rid, draw_form(layout, values, "00000111")[0], "file")  # page 1 of 2
    seen: list[list[str]] = []

    def summary_exec(dialog: SummaryDialog) -> int:
        seen.append([dialog.listing.item(i).text() for i in range(dialog.listing.count())])
        return 1  # "submit anyway"

    monkeypatch.setattr(SummaryDialog, "exec", summary_exec)
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    _shown(qtbot, form)
    form.load_record(rid)
    qtbot.waitUntil(lambda: form.record_id == rid, timeout=5000)
    with qtbot.waitSignal(form.submitted, timeout=15_000):
        form.submit()
    assert seen and any(line.startswith("⚠ Paper form:") for line in seen[0]), seen

    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.record_id == rid, timeout=5000)
    qtbot.waitUntil(lambda: page.paper.warnings.isVisibleTo(page.paper), timeout=15_000)
    assert "page" in page.paper.warnings.text().lower()

"""The approval page's Duplicates tab shows the central server's answer about other branches (issue 15, "Across
branches") as one warning line: the branch and the kinds of key, in the UI language; nothing when not enrolled."""

from __future__ import annotations

from datetime import datetime

from desktop_app.domain.branch_match import BranchMatch, MatchKind
from desktop_app.services.branch_matches import BranchCheck, CheckState
from desktop_app.ui.common import worker
from desktop_app.ui.supervision.approval_page import ApprovalPage
from tests.conftest import Staff
from tests.gui.test_dual_entry_screens import clean_customer


def test_the_duplicates_tab_names_the_other_branch_and_why(qtbot, staff: Staff, english) -> None:  # type: ignore[no-untyped-def]
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    saved = staff.ws.records.create(staff.teller, clean_customer(staff, 41))
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    panel = page.duplicates
    qtbot.waitUntil(lambda: panel.record_id == saved.record_id, timeout=10_000)
    qtbot.waitUntil(lambda: not worker.busy(), timeout=10_000)
    assert panel.branch_note.isHidden()  # this workstation is not enrolled: no one to ask

    match = BranchMatch("ws-a", "Branch <A>", (MatchKind.ID_DOCUMENT, MatchKind.MOBILE))
    panel.show_branch_check(BranchCheck(CheckState.ANSWERED, (match,), datetime(2026, 1, 1), 1))
    text = panel.branch_note.text()
    assert not panel.branch_note.isHidden()
    assert "Branch &lt;A&gt;" in text and "same ID document" in text and "same mobile number" in text
    panel.show_branch_check(BranchCheck(CheckState.PENDING))
    assert "next sync" in panel.branch_note.text()
    panel.show_branch_check(BranchCheck(CheckState.ANSWERED, (), datetime(2026, 1, 1), 1))
    assert panel.branch_note.text() == "No likely match in other branches."


def test_a_match_found_at_sync_after_approval_is_shown_until_a_supervisor_marks_it_seen(  # type: ignore[no-untyped-def]
    qtbot, staff: Staff, english
) -> None:
    """Independent check: a match the sync found for a record approved offline reached the audit trail only."""
    import json

    from desktop_app.services.actor import utcnow
    from desktop_app.storage.models import BranchMatchCheck
    from desktop_app.ui.supervision.late_branch_matches import LateMatchesDialog

    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    saved = staff.ws.records.create(staff.teller, clean_customer(staff, 42) | {"form_number": "PC-9"})
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    staff.ws.records.approve(staff.supervisor, saved.record_id, None)
    match = BranchMatch("ws-a", "Branch A", (MatchKind.NAME_AND_BIRTH,))
    with staff.ws.store.write() as s:  # what a sync run keeps for a question queued at approval
        now = utcnow()
        s.add(
            BranchMatchCheck(
                record_id=saved.record_id, version=2, requested_at=now, checked_at=now,
                matches=json.dumps([match.to_json()]),
            )
        )  # fmt: skip
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.show()
    banner = page.late_matches
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10_000)
    assert "1 approved record(s) turned out at sync to have a likely match in another branch" in banner.text.text()
    dialog = banner.open_dialog()
    assert isinstance(dialog, LateMatchesDialog)
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[:4] == [saved.record_id[:8], "PC-9", "Approved", "Branch A (same name and birth date)"]
    dialog.mark_selected()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10_000)
    dialog.accept()
    qtbot.waitUntil(lambda: banner.isHidden(), timeout=10_000)

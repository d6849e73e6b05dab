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

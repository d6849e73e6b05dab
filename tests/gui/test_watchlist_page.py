"""Watchlist screening on screen (issue 15): the administrator imports a list, the approved customers are re-screened
in the background, and the supervisor clears a hit with a reason on the approval page's Watchlist tab."""

from __future__ import annotations

from pathlib import Path

from desktop_app.services.watchlist import HitStatus
from desktop_app.ui.supervision.approval_page import ApprovalPage
from desktop_app.ui.supervision.watchlist_page import HitTable, WatchlistPage
from tests.conftest import Staff
from tests.gui.test_dual_entry_screens import clean_customer
from tests.integration.test_watchlist import _list_with, _listing


def _approved(staff: Staff, values: dict[str, str]) -> str:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    staff.ws.records.approve(staff.supervisor, saved.record_id, None)
    return saved.record_id


def test_an_import_rescreens_approved_customers_in_the_background(qtbot, staff: Staff, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 61)
    record_id = _approved(staff, values)
    list_file = tmp_path / "consolidated.xml"
    list_file.write_bytes(_list_with(_listing(values)))
    page = WatchlistPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    assert page.import_button.isVisible() and not page.hits.isVisible()
    page.import_file(list_file)
    qtbot.waitUntil(lambda: page.versions.rowCount() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: "re-screened: 1" in page.progress.text(), timeout=15_000)
    assert "hits: 1" in page.progress.text()
    # The supervisor's page lists the hit found by the re-screen.
    supervising = WatchlistPage(staff.ws, staff.supervisor)
    qtbot.addWidget(supervising)
    supervising.show()
    qtbot.waitUntil(lambda: len(supervising.hits.hits) == 1, timeout=10_000)
    assert supervising.hits.hits[0].record_id == record_id and not supervising.import_button.isVisible()


def test_a_refused_list_file_says_why(qtbot, staff: Staff, english, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for where in ("desktop_app.ui.common.operations", "desktop_app.ui.supervision.watchlist_page"):
        monkeypatch.setattr(f"{where}.show_error", lambda _parent, exc: shown.append(exc.message("en")))
    broken = tmp_path / "consolidated.xml"
    broken.write_bytes(b"<CONSOLIDATED_LIST><INDIVIDUALS>")
    page = WatchlistPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.import_file(broken)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "not well-formed" in shown[0] and "previous list version" in shown[0]


def test_the_supervisor_clears_a_hit_on_the_approval_page(qtbot, staff: Staff, english, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = clean_customer(staff, 62)
    staff.ws.watchlist.import_list(staff.admin, _list_with(_listing(values)), "consolidated.xml")
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    monkeypatch.setattr(HitTable, "ask_reason", lambda _self, _decision: "not the same person: photo differs")
    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    tab = page.watchlist_hits
    qtbot.waitUntil(lambda: len(tab.hits) == 1, timeout=15_000)
    assert tab.clear_button.isEnabled() and "TST.LISTED" in tab.table.item(0, 2).text()
    tab.decide(HitStatus.CLEARED)
    qtbot.waitUntil(lambda: bool(tab.hits) and tab.hits[0].status is HitStatus.CLEARED, timeout=10_000)
    assert not tab.clear_button.isEnabled()
    staff.ws.records.approve(staff.supervisor, saved.record_id, None)


def test_a_list_that_lost_most_entries_is_imported_only_when_confirmed(  # type: ignore[no-untyped-def]
    qtbot, staff: Staff, english, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.support.watchlists import listed_people, un_xml

    full, few = tmp_path / "full.xml", tmp_path / "few.xml"
    full.write_bytes(_list_with(_listing(clean_customer(staff, 63))))
    few.write_bytes(un_xml([e for e, _ in listed_people(3)]))
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    page = WatchlistPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    page.import_file(full)
    qtbot.waitUntil(lambda: page.versions.rowCount() == 1, timeout=15_000)
    page.import_file(few)
    qtbot.waitUntil(lambda: bool(asked), timeout=15_000)
    assert "up to 43" in asked[0] and asked[0].endswith("Import it anyway?")
    qtbot.wait(300)
    assert page.versions.rowCount() == 1  # No: the current version stays
    answer[0] = QMessageBox.StandardButton.Yes
    page.import_file(few)
    qtbot.waitUntil(lambda: page.versions.rowCount() == 2, timeout=15_000)

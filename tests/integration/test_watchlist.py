"""Watchlist screening (issue 15): list import and its versions, a hit blocking approval, the supervisor's decision,
and the re-screen of approved customers after an import; on a real encrypted store, through the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.watchlist import EntryKind, WatchlistEntry
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import InvalidRequest, PermissionDenied, ValidationFailed
from desktop_app.services.watchlist import HitStatus, ListShrinks
from desktop_app.services.watchlist_files import WatchlistFileRefused
from tests.conftest import Staff
from tests.support.customers import resident
from tests.support.spreadsheets import chinese_headers, customer_rows, display_row, write_xlsx
from tests.support.watchlists import bank_csv, listed_people, un_xml


def _listing(values: dict[str, str], ref: str = "TST.LISTED") -> WatchlistEntry:
    """An entry for this (synthetic) customer as a UN list gives it: pinyin first, the Han name as written."""
    return WatchlistEntry(
        ref, EntryKind.INDIVIDUAL, (values["name_pinyin"].upper(), values["name"]), (values["birth_date"],)
    )


def _list_with(*entries: WatchlistEntry) -> bytes:
    return un_xml([*entries, *(e for e, _ in listed_people(40))])


def _homophone(name: str) -> str:
    """The name with its last character replaced by a homophone the matcher knows (伟/玮 style)."""
    swaps = {"明": "铭", "伟": "玮", "华": "桦", "芳": "方", "军": "君", "丽": "莉", "强": "墙"}
    for i in range(len(name) - 1, 0, -1):
        if name[i] in swaps:
            return name[:i] + swaps[name[i]] + name[i + 1 :]
    return name[:-1] + {"试": "式", "例": "利", "示": "事"}.get(name[-1], name[-1])


def _submitted(staff: Staff, values: dict[str, str]) -> str:
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    return saved.record_id


def test_a_malformed_list_is_refused_with_a_clear_error_and_the_previous_version_stays(staff: Staff) -> None:
    wl = staff.ws.watchlist
    listed = resident(41)
    first = wl.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    broken = _list_with(_listing(resident(42)))[:-40]  # cut off mid-element, as a failed download is
    with pytest.raises(WatchlistFileRefused) as refused:
        wl.import_list(staff.admin, broken, "consolidated.xml")
    assert "not well-formed" in refused.value.message("en") and "previous list version" in refused.value.message("en")
    assert "上一版名单" in refused.value.message("zh_CN")
    bad_csv = b"ref,surname\nX1,WANG\n"
    with pytest.raises(WatchlistFileRefused) as refused:
        wl.import_list(staff.admin, bad_csv, "own-list.csv")
    assert "name" in refused.value.message("en")
    bad_date = b"ref,name,birth_date\nX1,TEST PERSON,1970-13\n"
    with pytest.raises(WatchlistFileRefused, match="line 2"):
        wl.import_list(staff.admin, bad_date, "own-list.csv")
    # an impossible date of the right shape, in the bank's list and the UN's (found by the independent check)
    with pytest.raises(WatchlistFileRefused, match="line 2"):
        wl.import_list(staff.admin, b"ref,name,birth_date\nX1,TEST PERSON,1970-13-45\n", "own-list.csv")
    with pytest.raises(WatchlistFileRefused, match="not a date"):
        wl.import_list(
            staff.admin,
            un_xml([WatchlistEntry("TST.BAD", EntryKind.INDIVIDUAL, ("TEST PERSON",), ("1970-02-30",))]),
            "consolidated.xml",
        )
    versions = wl.versions(staff.admin)
    assert [(v.id, v.current) for v in versions] == [(first.id, True)]
    # The kept version still screens: the listed customer is a hit.
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    record_id = _submitted(staff, listed)
    assert [h.entry_ref for h in wl.hits_for(staff.supervisor, record_id)] == ["TST.LISTED"]
    refusals = staff.ws.audit.entries(staff.auditor, AuditFilter(action="watchlist.import_refused"))
    assert len(refusals) == 5


def test_a_version_that_loses_most_entries_or_every_person_needs_confirming(staff: Staff) -> None:
    """A well-formed list with no persons replaced one of five, silently (independent check): a truncated or wrong
    export would become the list every customer is screened against."""
    wl = staff.ws.watchlist
    first = wl.import_list(staff.admin, _list_with(_listing(resident(46))), "consolidated.xml")  # 41 persons
    only_entity = b"<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES><ENTITY><FIRST_NAME>TEST ENTITY</FIRST_NAME>"
    only_entity += b"<REFERENCE_NUMBER>TSe.1</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    few = un_xml([e for e, _ in listed_people(10)])
    for data in (only_entity, few):
        with pytest.raises(ListShrinks) as refused:
            wl.import_list(staff.admin, data, "consolidated.xml")
        assert "up to 43 entries (41 persons)" in refused.value.message("en")
        assert "导出不完整" in refused.value.message("zh_CN")
        assert [v.id for v in wl.versions(staff.admin) if v.current] == [first.id]
    confirmed = wl.import_list(staff.admin, few, "consolidated.xml", accept_fewer=True)
    assert [v.id for v in wl.versions(staff.admin) if v.current] == [confirmed.id]
    # a list of another name is not held to this one, and an ordinary update passes
    assert wl.import_list(staff.admin, bank_csv([_listing(resident(47), "BANK.1")]), "own.csv").entries == 1
    assert wl.import_list(staff.admin, un_xml([e for e, _ in listed_people(8)]), "c.xml").entries == 10  # 2 entities
    # Halving step by step is held to the largest version since the last confirmed one (independent re-check: six
    # imports took 63 persons to 1 without a question).
    with pytest.raises(ListShrinks):
        wl.import_list(staff.admin, un_xml([e for e, _ in listed_people(3)]), "d.xml")  # 5 of the 12 confirmed
    # a CSV under the UN list's name would replace that list: refused, whatever its size
    with pytest.raises(WatchlistFileRefused, match="a UN consolidated list"):
        wl.import_list(staff.admin, bank_csv([_listing(resident(48), "BANK.2")]), "own.csv", "un", accept_fewer=True)
    # ...in any case, and the other way round for the name the bank's own list is imported under from the page
    with pytest.raises(WatchlistFileRefused, match="a UN consolidated list"):
        wl.import_list(staff.admin, bank_csv([_listing(resident(48), "BANK.2")]), "own.csv", "UN")
    with pytest.raises(WatchlistFileRefused, match="a CSV list"):
        wl.import_list(staff.admin, un_xml([e for e, _ in listed_people(20)]), "x.xml", "Bank")


@pytest.mark.parametrize(
    "payload",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&b;</FIRST_NAME>"
        b"<REFERENCE_NUMBER>X</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        # XXE
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&x;</FIRST_NAME>"
        b"<REFERENCE_NUMBER>X</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    ],
    ids=["billion-laughs", "xxe"],
)
def test_a_list_declaring_entities_is_refused_not_expanded(staff: Staff, payload: bytes) -> None:
    with pytest.raises(WatchlistFileRefused, match="entities"):
        staff.ws.watchlist.import_list(staff.admin, payload, "list.xml")
    assert staff.ws.watchlist.versions(staff.admin) == []


def test_each_import_is_a_new_version_and_entities_are_kept(staff: Staff) -> None:
    wl = staff.ws.watchlist
    first = wl.import_list(staff.admin, _list_with(_listing(resident(43))), "a.xml")
    own = wl.import_list(staff.admin, bank_csv([_listing(resident(44), "BANK.1")]), "own.csv")
    second = wl.import_list(staff.admin, _list_with(_listing(resident(45))), "b.xml")
    assert (first.list_name, own.list_name, second.list_name) == ("un", "bank", "un")
    assert first.entries == 43  # 41 individuals and the generator's 2 entities
    current = {v.id for v in wl.versions(staff.admin) if v.current}
    assert current == {own.id, second.id}
    trail = staff.ws.audit.entries(staff.auditor, AuditFilter(action="watchlist.import"))
    assert {t.details["version"] for t in trail} == {first.id, own.id, second.id}


def test_a_hit_blocks_approval_until_cleared_and_the_reason_is_audited(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    wl = staff.ws.watchlist
    listed = resident(46)
    wl.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    # Keyed with a homophone in the name: still the listed person's name, same birth date.
    record_id = _submitted(staff, dict(listed, name=_homophone(listed["name"])))
    hits = wl.hits_for(staff.supervisor, record_id)
    assert [(h.entry_ref, h.status, h.found_by) for h in hits] == [("TST.LISTED", HitStatus.OPEN, "submit")]
    with pytest.raises(ValidationFailed) as refused:
        staff.ws.records.approve(staff.supervisor, record_id, None)
    assert "watchlist_hit" in {p.code for p in refused.value.problems}
    # Clearing needs a reason; a teller cannot clear.
    with pytest.raises(InvalidRequest):
        wl.clear(staff.supervisor, hits[0].id, "  ")
    with pytest.raises(PermissionDenied):
        wl.clear(staff.teller2, hits[0].id, "not the same person: different ID photo")
    cleared = wl.clear(staff.supervisor, hits[0].id, "not the same person: passport photo and place of birth differ")
    assert cleared.status is HitStatus.CLEARED and cleared.decided_by == "supervisor"
    staff.ws.records.approve(staff.supervisor, record_id, None)
    trail = staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id, action="watchlist.hit_clear"))
    assert trail[0].details["reason"].startswith("not the same person") and trail[0].details["entry"] == "TST.LISTED"
    found = staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id, action="watchlist.hit"))
    assert found and listed["name"] not in str(found[0].details) and listed["birth_date"] not in str(found[0].details)


def test_an_escalated_hit_keeps_approval_blocked_until_another_supervisor_clears_it(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    wl = staff.ws.watchlist
    listed = resident(47)
    wl.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    record_id = _submitted(staff, listed)
    (hit,) = wl.hits_for(staff.supervisor, record_id)
    wl.escalate(staff.supervisor, hit.id, "same name and birth date: to compliance")
    with pytest.raises(ValidationFailed):
        staff.ws.records.approve(staff.supervisor2, record_id, None)
    with pytest.raises(PermissionDenied):
        wl.clear(staff.supervisor, hit.id, "I escalated it and now clear it myself")
    wl.clear(staff.supervisor2, hit.id, "compliance: the listed person is someone else")
    staff.ws.records.approve(staff.supervisor2, record_id, None)
    assert staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id, action="watchlist.hit_escalate"))


def test_someone_with_the_same_name_but_another_birth_date_is_no_hit(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    listed = resident(48)
    staff.ws.watchlist.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    stranger = dict(resident(49), name=listed["name"], name_pinyin=listed["name_pinyin"])
    assert stranger["birth_date"][:4] != listed["birth_date"][:4]
    record_id = _submitted(staff, stranger)
    assert staff.ws.watchlist.hits_for(staff.supervisor, record_id) == []
    staff.ws.records.approve(staff.supervisor, record_id, None)


def test_a_new_list_version_rescreens_approved_customers_resumably(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    wl = staff.ws.watchlist
    customers = [resident(50 + i) for i in range(4)]
    ids = []
    for values in customers:
        record_id = _submitted(staff, values)
        staff.ws.records.approve(staff.supervisor, record_id, None)
        ids.append(record_id)
    assert wl.rescreen_pending(staff.supervisor) is None
    wl.import_list(staff.admin, _list_with(_listing(customers[2])), "consolidated.xml")
    pending = wl.rescreen_pending(staff.supervisor)
    assert pending is not None and (pending.screened, pending.total) == (0, 4)
    # One customer per step, as if the application were closed between steps: the cursor is in the store.
    progress = wl.rescreen_step(staff.supervisor, batch=1)
    assert (progress.screened, progress.finished) == (1, False)
    while not progress.finished:
        progress = wl.rescreen_step(staff.supervisor, batch=1)
    assert progress.screened == 4 and progress.hits == 1 and wl.rescreen_pending(staff.supervisor) is None
    (hit,) = wl.open_hits(staff.supervisor)
    assert hit.record_id == ids[2] and hit.found_by == "rescreen"
    # A change to that customer cannot be approved while the hit is open.
    change = staff.ws.records.start_change(staff.teller2, ids[2])
    staff.ws.records.submit(staff.teller2, ids[2], change.version)
    with pytest.raises(ValidationFailed):
        staff.ws.records.approve(staff.supervisor, ids[2], None)
    done = staff.ws.audit.entries(staff.auditor, AuditFilter(action="watchlist.rescreen_done"))
    assert done[0].details["screened"] == 4 and done[0].details["hits"] == 1


def test_only_an_administrator_imports_a_list(staff: Staff) -> None:
    with pytest.raises(PermissionDenied):
        staff.ws.watchlist.import_list(staff.supervisor, _list_with(), "consolidated.xml")


def test_a_hit_found_at_approval_is_stored_audited_and_clearable(staff: Staff) -> None:
    # Submitted before the list arrived, so screened against nothing: the approval screening is the first to find it.
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    wl = staff.ws.watchlist
    listed = resident(60)
    record_id = _submitted(staff, listed)
    assert wl.hits_for(staff.supervisor, record_id) == []
    wl.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    with pytest.raises(ValidationFailed) as refused:
        staff.ws.records.approve(staff.supervisor, record_id, None)
    # The refusal rolled approval back, but not the hit: it is listed, audited, and the refusal cites it.
    (hit,) = wl.open_hits(staff.supervisor)
    assert (hit.record_id, hit.status, hit.found_by) == (record_id, HitStatus.OPEN, "approval")
    assert f"watchlist hit {hit.id}" in " ".join(p.message("en") for p in refused.value.problems)
    found = staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id, action="watchlist.hit"))
    assert [h["hit"] for e in found for h in e.details["hits"]] == [hit.id]
    # A second attempt finds the same hit, stores no other.
    with pytest.raises(ValidationFailed):
        staff.ws.records.approve(staff.supervisor, record_id, None)
    assert [h.id for h in wl.hits_for(staff.supervisor, record_id)] == [hit.id]
    wl.clear(staff.supervisor, hit.id, "not the same person: ID photo differs")
    assert staff.ws.records.approve(staff.supervisor, record_id, None).status.value == "approved"


def test_rows_imported_for_approval_are_screened_as_they_enter(staff: Staff, tmp_path: Path) -> None:
    wl = staff.ws.watchlist
    listed = resident(61)
    wl.import_list(staff.admin, _list_with(_listing(listed)), "consolidated.xml")
    staff.ws.settings.set(staff.admin, "import_target_status", "awaiting_approval")
    path = write_xlsx(tmp_path / "a.xlsx", chinese_headers(), [display_row(listed), *customer_rows(5, seed=61)])
    mapping = dict(staff.ws.imports.preview(staff.teller, path).mapping)
    report = staff.ws.imports.run(staff.teller, path, mapping)
    assert report.accepted == 6
    (hit,) = wl.open_hits(staff.supervisor)
    assert hit.record_id == report.record_ids[0] and hit.entry_ref == "TST.LISTED"
    assert staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=hit.record_id, action="watchlist.hit"))
    with pytest.raises(ValidationFailed):
        staff.ws.records.approve(staff.supervisor, hit.record_id, None)

"""The audit viewer's service: filters by user, action (exact or prefix), record (whole or partial id) and local
calendar days return the right entries, newest first and paged; the lists of known actions and users; the export
of every matching entry (not one page) read back from xlsx and csv, itself audited with the filter and count."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from desktop_app.services.audit_log import EXPORT_PAGE, AuditFilter, local_day_bounds
from desktop_app.services.errors import InvalidRequest
from tests.conftest import Staff
from tests.support.customers import resident


@pytest.fixture
def trail(staff: Staff) -> list[str]:
    """Two drafts by the teller, one by teller2, each viewed by the supervisor; returns the record ids."""
    ids = []
    for seed, maker in ((1, staff.teller), (2, staff.teller), (3, staff.teller2)):
        rid = staff.ws.records.create(maker, resident(seed)).record_id
        staff.ws.records.get(staff.supervisor, rid)
        ids.append(rid)
    return ids


def test_filters_by_user_action_and_record(staff: Staff, trail: list[str]) -> None:
    audit, auditor = staff.ws.audit, staff.auditor
    created = audit.entries(auditor, AuditFilter(actor="teller", action="record.create"))
    assert [e.record_id for e in created] == [trail[1], trail[0]], "newest first"
    assert {e.action for e in audit.entries(auditor, AuditFilter(actor="supervisor", action="record.*"))} == {
        "record.view"
    }
    by_record = audit.entries(auditor, AuditFilter(record_id=trail[2]))
    assert {e.action for e in by_record} == {"record.create", "record.view"}
    assert all(e.record_id == trail[2] for e in by_record)
    partial = audit.entries(auditor, AuditFilter(record_id=trail[2][:8]))
    assert {e.record_id for e in partial} == {trail[2]}
    assert audit.entries(auditor, AuditFilter(action="record.")) == [], "without * the action is matched exactly"
    everything_record = audit.entries(auditor, AuditFilter(action="record.*"))
    assert len(everything_record) == 6 and all(e.action.startswith("record.") for e in everything_record)
    assert audit.count(auditor, AuditFilter(action="record.*", limit=1)) == 6, "the count ignores the page"


def test_paging_newest_first_with_before_seq(staff: Staff, trail: list[str]) -> None:
    audit, auditor = staff.ws.audit, staff.auditor
    everything = audit.entries(auditor, AuditFilter(limit=1000))
    pages, before = [], None
    while True:
        page = audit.entries(auditor, AuditFilter(limit=4, before_seq=before))
        if not page:
            break
        pages.extend(page)
        before = page[-1].seq
    assert [e.seq for e in pages] == [e.seq for e in everything] == sorted((e.seq for e in everything), reverse=True)


def _utc(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ")


def test_a_date_range_of_local_days_includes_the_whole_last_day(staff: Staff, trail: list[str]) -> None:
    audit, auditor = staff.ws.audit, staff.auditor
    views = audit.entries(auditor, AuditFilter(action="record.view"))
    first = _utc(views[-1].ts)
    today = first.replace(tzinfo=UTC).astimezone().date()  # the local day the entries were written
    since, until = local_day_bounds(today, today)
    assert since is not None and until is not None
    assert since == datetime.combine(today, datetime.min.time()).astimezone().astimezone(UTC).replace(tzinfo=None)
    assert since <= first < until and until - since in (timedelta(hours=h) for h in (23, 24, 25))
    same_day = audit.entries(auditor, AuditFilter(action="record.view", since=since, until=until))
    assert [e.seq for e in same_day] == [e.seq for e in views]
    assert audit.entries(auditor, AuditFilter(until=local_day_bounds(None, today - timedelta(days=1))[1])) == []
    assert audit.entries(auditor, AuditFilter(since=local_day_bounds(today + timedelta(days=1), None)[0])) == []
    # since is inclusive and until exclusive, to the microsecond
    middle = views[1]
    at = _utc(middle.ts)
    assert middle.seq in {e.seq for e in audit.entries(auditor, AuditFilter(action="record.view", since=at))}
    assert middle.seq not in {e.seq for e in audit.entries(auditor, AuditFilter(action="record.view", until=at))}
    aware = at.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=8)))
    assert [
        e.seq
        for e in audit.entries(
            auditor, AuditFilter(action="record.view", since=aware, until=aware + timedelta(microseconds=1))
        )
    ] == [middle.seq], "an aware datetime is read in its own time zone"


def test_known_actions_and_users(staff: Staff, trail: list[str]) -> None:
    actions = staff.ws.audit.actions(staff.auditor)
    assert actions == sorted(set(actions)) and {"record.create", "record.view"} <= set(actions)
    users = staff.ws.audit.actors(staff.supervisor)
    assert {"teller", "teller2", "supervisor"} <= set(users) and users == sorted(users)


def _read_xlsx(path: Path) -> list[list[str]]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]


def test_export_writes_every_matching_entry_and_is_audited(staff: Staff, trail: list[str], tmp_path: Path) -> None:
    audit, auditor = staff.ws.audit, staff.auditor
    for _ in range(EXPORT_PAGE // 3 + 5):  # more entries than one export page
        staff.ws.records.get(staff.supervisor, trail[0])
    flt = AuditFilter(action="record.*", limit=5, before_seq=3)  # paging is ignored by an export
    expected = audit.count(auditor, flt)
    assert expected > EXPORT_PAGE // 3
    progress: list[tuple[int, int]] = []
    count = audit.export(auditor, flt, tmp_path / "audit.xlsx", progress=lambda d, t: progress.append((d, t)))
    assert count == expected and progress[-1] == (expected, expected)
    table = _read_xlsx(tmp_path / "audit.xlsx")
    assert table[0][0].endswith("(seq)") and table[0][-1].endswith("(details)")
    seqs = [int(r[0]) for r in table[1:]]
    assert len(seqs) == expected and seqs == sorted(seqs, reverse=True)
    assert all(r[3].startswith("record.") for r in table[1:])
    assert json.loads(table[1][5])["version"] == 1

    csv_count = audit.export(staff.supervisor, AuditFilter(record_id=trail[2]), tmp_path / "one.csv")
    with (tmp_path / "one.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert csv_count == len(rows) == 2 and {r[4] for r in rows} == {trail[2]}

    logged = audit.entries(auditor, AuditFilter(action="audit.export"))
    assert [e.actor for e in logged] == ["supervisor", "auditor"]
    assert logged[1].details == {
        "filter": {"actor": None, "action": "record.*", "record_id": None, "since": None, "until": None},
        "count": expected,
        "format": "xlsx",
        "file": "audit.xlsx",
    }
    assert logged[0].details["count"] == 2 and logged[0].details["filter"]["record_id"] == trail[2]  # type: ignore[index]


def test_a_bad_export_path_is_refused_and_not_audited(staff: Staff, trail: list[str], tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as refused:
        staff.ws.audit.export(staff.auditor, AuditFilter(), tmp_path / "audit.txt")
    assert ".xlsx" in refused.value.message_text.en and "文件名" in refused.value.message_text.zh
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(InvalidRequest):
        staff.ws.audit.export(staff.auditor, AuditFilter(), blocker / "audit.csv")
    assert staff.ws.audit.entries(staff.auditor, AuditFilter(action="audit.export")) == []

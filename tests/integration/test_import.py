"""Spreadsheet import on a real encrypted store: every bad row refused with its own reason, nothing half-saved,
records enter the normal flow (draft or awaiting approval), layouts remembered, cancel keeps whole rows."""

from __future__ import annotations

import csv
import queue
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.domain.lifecycle import Status
from desktop_app.services.errors import InvalidRequest, PermissionDenied, ValidationFailed
from desktop_app.services.importer import CHUNK_ROWS, ImportReport, RowOutcome
from desktop_app.storage.models import AuditEntry, Record, RecordVersion, StatusEvent, ValidationFailure
from tests.conftest import Staff
from tests.support.customers import resident
from tests.support.spreadsheets import (
    chinese_headers,
    column,
    customer_rows,
    display_row,
    with_bad_rows,
    write_csv,
    write_xlsx,
)

# The code each kind of bad row must be refused with (a wrong checksum may bring cross-check errors along).
CODES = {
    "checksum": "checksum",
    "required": "required",
    "duplicate_in_file": "duplicate_in_file",
    "formula": "formula",
    "cell_too_long": "cell_too_long",
    "wrong_encoding": "wrong_encoding",
}


def _mapping(staff: Staff, path: Path) -> dict[int, str]:
    return dict(staff.ws.imports.preview(staff.teller, path).mapping)  # type: ignore[attr-defined]


def _run(staff: Staff, path: Path, **kwargs: Any) -> ImportReport:
    return staff.ws.imports.run(staff.teller, path, _mapping(staff, path), **kwargs)  # type: ignore[attr-defined]


def _store_matches_report(staff: Staff, report: ImportReport, status: Status) -> None:
    """The store holds exactly the accepted rows: each a whole record, one import version, status events."""
    store = staff.ws.store  # type: ignore[attr-defined]
    with store.read() as s:
        records = list(s.scalars(select(Record)))
        assert sorted(r.id for r in records) == sorted(report.record_ids)
        assert {r.status for r in records} <= {status.value}
        assert all(r.maker_id == staff.teller.user_id and r.version == 1 for r in records)  # type: ignore[attr-defined]
        kinds = Counter(s.scalars(select(RecordVersion.kind)))
        assert kinds == Counter({"import": len(records)} if records else {})
        events = s.scalar(select(func.count()).select_from(StatusEvent))
        per_record = 1 if status is Status.DRAFT else 2
        assert events == per_record * len(records)
        imported = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "record.import")))
        audited = [rid for entry in imported for rid in __import__("json").loads(entry.details)["record_ids"]]
        assert sorted(audited) == sorted(report.record_ids)
    assert store.verify().audit.ok


def test_bad_rows_in_a_10000_row_xlsx_are_each_refused_with_their_reason(staff: Staff, tmp_path: Path) -> None:
    bad = with_bad_rows(customer_rows(10_000), every=450)
    path = write_xlsx(tmp_path / "客户.xlsx", chinese_headers(), bad.rows)
    report = _run(staff, path)

    assert set(bad.expected.values()) == set(CODES)
    assert report.read == 10_000 and report.skipped == 0
    rejected = report.rejected_rows()
    assert set(rejected) == set(bad.expected)
    for row, kind in bad.expected.items():
        codes = {line.code for line in rejected[row]}
        assert CODES[kind] in codes, (row, kind, codes)
        assert all(line.reason_text.zh and line.reason_text.en for line in rejected[row])
    assert report.accepted == bad.good == 10_000 - len(bad.expected)
    assert report.rejected == len(bad.expected)
    assert report.duplicates == sum(1 for k in bad.expected.values() if k == "duplicate_in_file")
    # No cell value reaches the report (it may be handed around).
    name = bad.rows[0][column("name")]
    assert not any(name in line.reason_text.zh or name in line.reason_text.en for line in report.lines)
    _store_matches_report(staff, report, Status.DRAFT)
    with staff.ws.store.read() as s:  # type: ignore[attr-defined]
        logged = Counter(s.scalars(select(ValidationFailure.code).where(ValidationFailure.source == "import")))
    assert logged["formula"] == sum(1 for k in bad.expected.values() if k == "formula")


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gbk", False)])
def test_csv_in_utf8_or_gbk_with_a_row_in_the_other_encoding(
    staff: Staff, tmp_path: Path, encoding: str, bom: bool
) -> None:
    bad = with_bad_rows(customer_rows(1_200, seed=3), every=200, csv_encoding_row=True)
    path = write_csv(
        tmp_path / "customers.csv", chinese_headers(), bad.rows, encoding, bom=bom, other_encoding_rows=bad.encoded_rows
    )
    preview = staff.ws.imports.preview(staff.teller, path)  # type: ignore[attr-defined]
    assert preview.headers[0] == "姓名*" and preview.mapping[0] == "name"
    assert preview.encoding == ("gb18030" if encoding == "gbk" else "utf-8-sig" if bom else "utf-8")
    report = _run(staff, path)
    rejected = report.rejected_rows()
    assert set(rejected) == set(bad.expected)
    for row, kind in bad.expected.items():
        assert CODES[kind] in {line.code for line in rejected[row]}, (row, kind)
    assert report.accepted == bad.good
    _store_matches_report(staff, report, Status.DRAFT)


def test_imported_rows_await_approval_when_the_setting_says_so(staff: Staff, tmp_path: Path) -> None:
    staff.ws.settings.set(staff.admin, "import_target_status", "awaiting_approval")  # type: ignore[attr-defined]
    path = write_xlsx(tmp_path / "a.xlsx", chinese_headers(), customer_rows(30, seed=5))
    report = _run(staff, path)
    assert report.accepted == 30 and report.target_status is Status.AWAITING_APPROVAL
    _store_matches_report(staff, report, Status.AWAITING_APPROVAL)
    # The normal flow from there: another user approves.
    result = staff.ws.records.approve(staff.supervisor, report.record_ids[0], None)  # type: ignore[attr-defined]
    assert result.status is Status.APPROVED


def test_a_customer_already_in_the_store_is_refused_and_empty_rows_skipped(staff: Staff, tmp_path: Path) -> None:
    rows = customer_rows(10, seed=9)
    first = write_xlsx(tmp_path / "first.xlsx", chinese_headers(), rows[:4])
    assert _run(staff, first).accepted == 4
    second = write_xlsx(tmp_path / "second.xlsx", chinese_headers(), [rows[2], [""] * len(rows[0]), *rows[4:]])
    report = _run(staff, second)
    assert report.skipped == 1 and report.accepted == 6 and report.rejected == 1
    (line,) = report.rejected_rows()[2]
    assert line.code == "duplicate_existing" and report.duplicates == 1
    with staff.ws.store.read() as s:  # type: ignore[attr-defined]
        assert s.scalar(select(func.count()).select_from(Record)) == 10


def test_warnings_are_reported_but_the_row_is_accepted(staff: Staff, tmp_path: Path) -> None:
    rows = customer_rows(40, seed=13)
    resident = next(r for r in rows if r[column("id_type")] == "居民身份证" and r[column("id_valid_until")] != "长期")
    # A resident ID valid for 7 years: not one of the legal terms, a warning only.
    start = resident[column("id_valid_from")]
    resident[column("id_valid_until")] = f"{int(start[:4]) + 7}{start[4:]}"
    report = _run(staff, write_xlsx(tmp_path / "w.xlsx", chinese_headers(), [resident]))
    assert report.accepted == 1 and report.warnings == 1
    assert {line.severity for line in report.lines} == {"warning"}


def test_cancel_midway_leaves_only_whole_rows(staff: Staff, tmp_path: Path) -> None:
    rows = customer_rows(CHUNK_ROWS * 2 + 500, seed=17)
    path = write_csv(tmp_path / "c.csv", chinese_headers(), rows, "utf-8")
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > CHUNK_ROWS + 700  # in the middle of the second chunk

    report = _run(staff, path, cancelled=cancelled)
    assert report.cancelled
    assert report.read == CHUNK_ROWS + 700 and report.last_row == CHUNK_ROWS + 701
    assert report.accepted == CHUNK_ROWS + 700  # the rows read before the cancel, written whole
    _store_matches_report(staff, report, Status.DRAFT)
    with staff.ws.store.read() as s:  # type: ignore[attr-defined]
        run = s.scalars(select(AuditEntry).where(AuditEntry.action == "import.run")).one()
        assert '"cancelled":true' in run.details.replace(" ", "")


def test_an_xlsx_cancelled_or_previewed_leaves_no_reading_process_behind(staff: Staff, tmp_path: Path) -> None:
    """An xlsx is read by a child process (the second core): a cancel stops it, and so does closing a preview."""
    import multiprocessing

    rows = customer_rows(CHUNK_ROWS * 2 + 500, seed=23)
    path = write_xlsx(tmp_path / "x.xlsx", chinese_headers(), rows)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > CHUNK_ROWS + 10

    report = _run(staff, path, cancelled=cancelled)
    assert report.cancelled and report.accepted == CHUNK_ROWS + 10
    _store_matches_report(staff, report, Status.DRAFT)
    preview = staff.ws.imports.preview(staff.teller, path)  # type: ignore[attr-defined]
    assert len(preview.rows) == 20
    assert not [p for p in multiprocessing.active_children() if p.name == "xlsx-reader"]


def test_progress_is_reported_per_chunk(staff: Staff, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", chinese_headers(), customer_rows(CHUNK_ROWS + 10, seed=19), "gbk")
    seen: list[tuple[int, int]] = []
    _run(staff, path, progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == CHUNK_ROWS and seen[-1] == (CHUNK_ROWS + 10, CHUNK_ROWS + 10)


def test_saved_layout_is_offered_for_the_same_headers_in_another_file(staff: Staff, tmp_path: Path) -> None:
    headers = ["客户编号", *chinese_headers()]  # an extra column the guess ignores
    rows = [["X1", *r] for r in customer_rows(3, seed=21)]
    first = write_xlsx(tmp_path / "one.xlsx", headers, rows)
    preview = staff.ws.imports.preview(staff.teller, first)  # type: ignore[attr-defined]
    assert not preview.saved_layout and 0 not in preview.mapping
    mapping = dict(preview.mapping)
    mapping[24 - 1] = mapping.pop(23)  # the clerk moves "notes" to another column, say
    staff.ws.imports.save_layout(staff.teller, preview.signature, preview.headers, mapping)  # type: ignore[attr-defined]
    # The same layout in a csv, its headers spaced and marked differently: the saved choice comes back.
    other = write_csv(tmp_path / "two.csv", [h.replace("*", "") + " " for h in headers], rows, "gbk")
    again = staff.ws.imports.preview(staff.teller, other)  # type: ignore[attr-defined]
    assert again.saved_layout and dict(again.mapping) == mapping and again.signature == preview.signature


def test_required_fields_without_a_column_are_refused_before_reading(staff: Staff, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", chinese_headers(), customer_rows(3))
    mapping = _mapping(staff, path)
    del mapping[column("name")]
    with pytest.raises(InvalidRequest, match="Full name"):
        staff.ws.imports.run(staff.teller, path, mapping)  # type: ignore[attr-defined]
    with pytest.raises(InvalidRequest):
        staff.ws.imports.run(staff.teller, path, {**mapping, 99: "name"})  # type: ignore[attr-defined]


def test_an_unreadable_file_is_refused_with_what_to_do(staff: Staff, tmp_path: Path) -> None:
    fake = tmp_path / "not.xlsx"
    fake.write_text("this is no workbook")
    with pytest.raises(InvalidRequest, match=r"save it as \.xlsx"):
        staff.ws.imports.preview(staff.teller, fake)  # type: ignore[attr-defined]
    with pytest.raises(InvalidRequest, match=r"\.xlsx or \.csv"):
        staff.ws.imports.preview(staff.teller, tmp_path / "x.txt")  # type: ignore[attr-defined]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidRequest, match="empty"):
        staff.ws.imports.preview(staff.teller, empty)  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_report_export_reads_back(staff: Staff, tmp_path: Path, suffix: str) -> None:
    bad = with_bad_rows(customer_rows(60, seed=23), every=10)
    report = _run(staff, write_xlsx(tmp_path / "r.xlsx", chinese_headers(), bad.rows))
    out = tmp_path / f"report.{suffix}"
    count = staff.ws.imports.export_report(staff.teller, report, out)  # type: ignore[attr-defined]
    assert count == len(report.lines)
    if suffix == "xlsx":
        sheet = load_workbook(out, read_only=True).worksheets[0]
        table = [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        with out.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    assert table[0][0] == "行号 Row" and len(table) == count + 1
    refused = {int(r[0]) for r in table[1:] if r[1].endswith(RowOutcome.REJECTED.value)}
    assert refused == set(bad.expected)
    formula_rows = [r for r in table[1:] if r[5] == "formula"]
    assert formula_rows and all(not cell.startswith("=") for r in formula_rows for cell in r)
    with pytest.raises(InvalidRequest):
        staff.ws.imports.export_report(staff.teller, report, tmp_path / "r.txt")  # type: ignore[attr-defined]


def test_only_tellers_import(staff: Staff, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", chinese_headers(), customer_rows(2))
    for actor in (staff.supervisor, staff.auditor, staff.admin):
        with pytest.raises(PermissionDenied):
            staff.ws.imports.preview(actor, path)  # type: ignore[attr-defined]
        with pytest.raises(PermissionDenied):
            staff.ws.imports.run(actor, path, {0: "name"})  # type: ignore[attr-defined]


# --- issue 14: the independent security review -------------------------------------------------------------------


def test_issue_14_item_7_a_blind_record_is_neither_matched_nor_named_by_import_or_approval(
    staff: Staff, tmp_path: Path
) -> None:
    """Issue 14 item 7: a record awaiting another clerk's blind second entry stays out of the import's duplicate
    check (refusing the row, let alone naming the record, would tell the importing clerk, perhaps its second
    clerk, the ID document keyed in it), as it stays out of the record service's; the approval that then refuses
    the imported duplicate does not name the blind record either."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")  # type: ignore[attr-defined]
    staff.ws.settings.set(staff.admin, "import_target_status", "awaiting_approval")  # type: ignore[attr-defined]
    values = resident(31)
    saved = staff.ws.records.create(staff.teller, values)  # type: ignore[attr-defined]
    blind = saved.record_id
    submitted = staff.ws.records.submit(staff.teller, blind, saved.version)  # type: ignore[attr-defined]
    assert submitted.status is Status.AWAITING_SECOND_ENTRY

    path = write_xlsx(tmp_path / "same-customer.xlsx", chinese_headers(), [display_row(values)])
    report = staff.ws.imports.run(staff.teller2, path, _mapping(staff, path))  # type: ignore[attr-defined]
    assert report.accepted == 1 and report.rejected == 0 and report.duplicates == 0
    assert blind not in repr(report)

    (imported,) = report.record_ids
    with pytest.raises(ValidationFailed) as refused:  # two records of one ID document are never both approved
        staff.ws.approvals.approve(staff.supervisor, imported, None)  # type: ignore[attr-defined]
    assert [p.code for p in refused.value.problems if p.severity == "error"] == ["duplicate"]
    said = [refused.value.message_text.en, refused.value.message_text.zh]
    said += [text for p in refused.value.problems for text in (p.message_text.en, p.message_text.zh)]
    assert not any(blind in text for text in said)
    bulk = staff.ws.approvals.bulk_approve(staff.supervisor, [imported])  # type: ignore[attr-defined]
    assert bulk.approved == () and blind not in repr(bulk.skipped)

    # Its maker sees the blind record, so their own import still refuses the customer as a duplicate.
    again = _run(staff, path)
    assert again.accepted == 0 and again.duplicates == 1


def _resident_rows(count: int, seed: int) -> list[list[str]]:
    residents = [r for r in customer_rows(count * 4, seed=seed) if r[column("id_type")] == "居民身份证"]
    assert len(residents) >= count
    return residents[:count]


def test_issue_14_item_8_report_reasons_quote_no_cell_value(staff: Staff, tmp_path: Path) -> None:
    """Issue 14 item 8: the import report promises no cell values, but the form's rules quote the value they
    refuse ("Email 'x@@y' is not a valid email address"). Its reasons are rebuilt from each rule's code and the
    field's label, on screen and in the exported report."""
    rows = _resident_rows(10, seed=29)
    birth = rows[6][column("birth_date")].replace("-", "")
    unknown_region = "999999" + birth + "123"
    bad = {  # field: a value one of its rules refuses with a message that, today, quotes it
        "email": "qq7319@@example",
        "postal_code": "73192",
        "mobile": "12345678901",
        "birth_date": "1888-07-19",
        "id_valid_until": "2001-07-19",
        "tax_jurisdictions": "ZZQ",
        "id_number": unknown_region + gb11643_check_char(unknown_region),
    }
    secret: dict[int, set[str]] = {}  # spreadsheet row: the values of that row no reason may show
    quoted_fields = ("name", "id_number", "birth_date", "id_valid_from", "id_valid_until", "mobile", "email")
    for index, (key, value) in enumerate(bad.items()):
        row = rows[index]
        secret[index + 2] = {value} | {row[column(k)] for k in quoted_fields if row[column(k)]}
        row[column(key)] = value
    report = _run(staff, write_csv(tmp_path / "bad.csv", chinese_headers(), rows, "utf-8"))

    rejected = report.rejected_rows()
    assert set(rejected) == set(secret)
    for row, values in secret.items():
        for line in rejected[row]:
            assert line.reason_text.zh and line.reason_text.en, line
            shown = [v for v in values if v in line.reason_text.zh or v in line.reason_text.en]
            assert not shown, (row, line.code, shown)
    out = tmp_path / "report.csv"
    staff.ws.imports.export_report(staff.teller, report, out)  # type: ignore[attr-defined]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        reasons = " ".join(r[6] + " " + r[7] for r in list(csv.reader(handle))[1:])
    assert not [v for values in secret.values() for v in values if v in reasons]


_MIB = 1024 * 1024
BOMB_UNPACKED = 600 * _MIB  # far more than any import reads; the file on disk is under 3 MB


def _zip_bomb(path: Path, rows: int) -> Path:
    """A real workbook whose sheet, after its first `rows` customers, holds BOMB_UNPACKED bytes of blanks (valid
    XML between two rows): small on disk, a long parse for openpyxl."""
    plain = write_xlsx(path.with_name("plain.xlsx"), chinese_headers(), customer_rows(rows, seed=37))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                blanks = b" " * _MIB
                for _ in range(BOMB_UNPACKED // _MIB):
                    sheet.write(blanks)
                sheet.write(b"</sheetData>" + tail)
    return path


def test_issue_14_item_21_zip_bombs_and_oversized_csv_are_refused_before_parsing(
    staff: Staff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 item 21: an .xlsx that unpacks to far more than any import (a "zip bomb") is refused from its
    zip directory before openpyxl opens it, in the client process and in the process that reads the rows; a csv
    over the size cap is refused without being read."""
    from desktop_app.services import spreadsheet_read

    bomb = _zip_bomb(tmp_path / "bomb.xlsx", rows=25)
    assert bomb.stat().st_size < 3 * _MIB
    with pytest.raises(InvalidRequest, match="unpacks to"):
        staff.ws.imports.preview(staff.teller, bomb)  # type: ignore[attr-defined]

    def opened(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a file that should have been refused")

    monkeypatch.setattr("openpyxl.load_workbook", opened)  # loaded where it is used, from openpyxl
    with pytest.raises(InvalidRequest, match="unpacks to"):
        staff.ws.imports.run(staff.teller, bomb, {0: "name"})  # type: ignore[attr-defined]
    # The reading process checks again (the file may be replaced after the client's check): run here in-process.
    answers: queue.Queue[tuple[str, Any]] = queue.Queue()
    spreadsheet_read._read_data_rows(str(bomb), answers)
    kind, payload = answers.get_nowait()
    assert kind == "refused" and "unpacks to" in payload[0]
    assert spreadsheet_read.MAX_XLSX_UNPACKED < BOMB_UNPACKED

    oversized = 129 * _MIB
    big = write_csv(tmp_path / "big.csv", chinese_headers(), customer_rows(25, seed=41), "utf-8")
    with big.open("r+b") as handle:
        handle.truncate(oversized)  # sparse: nothing is written to disk
    with pytest.raises(InvalidRequest, match="more than the"):
        staff.ws.imports.preview(staff.teller, big)  # type: ignore[attr-defined]
    assert oversized > spreadsheet_read.MAX_CSV_BYTES


def test_the_import_is_no_oracle_for_another_clerks_customers(staff: Staff, tmp_path: Path) -> None:
    """Found by the independent trial (issue 14 item 1): a file of every ID number consistent with what a teller
    sees came back naming the row that exists. The import matches only the importing clerk's own records in
    progress; a duplicate of another's customer is refused where a person looks at one record (submit, approval)."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")  # type: ignore[attr-defined]
    rows = customer_rows(6, seed=77)
    first = write_xlsx(tmp_path / "first.xlsx", chinese_headers(), rows[:1])
    (theirs,) = _run(staff, first).record_ids  # keyed by `teller`
    staff.ws.records.submit(staff.teller, theirs, None)  # type: ignore[attr-defined]
    staff.ws.approvals.approve(staff.supervisor, theirs, None)  # type: ignore[attr-defined]
    probe = write_xlsx(tmp_path / "probe.xlsx", chinese_headers(), rows)  # row 2 is that customer
    report = staff.ws.imports.run(staff.teller2, probe, _mapping(staff, probe))  # type: ignore[attr-defined]
    assert report.accepted == 6 and report.rejected == 0 and report.duplicates == 0
    assert theirs not in repr(report)
    imported = report.record_ids[0]
    with pytest.raises(ValidationFailed):  # one record at a time, by a person, audited: refused at submit
        staff.ws.records.submit(staff.teller2, imported, None)  # type: ignore[attr-defined]


def test_form_numbers_in_a_column_are_registered_and_held_by_one_live_record(staff: Staff, tmp_path: Path) -> None:
    """Issue 16: a spreadsheet's form-number column claims the numbers as keying does - unique in the file, against
    live records, shown in the customer list, listed in the import's audit entry; a discarded record's is free."""
    from desktop_app.services.records import SearchQuery

    keyed = staff.ws.records.create(staff.teller, resident(61) | {"form_number": "F-0001"}).record_id  # type: ignore[attr-defined]
    gone = staff.ws.records.create(staff.teller, resident(62) | {"form_number": "F-0002"}).record_id  # type: ignore[attr-defined]
    staff.ws.records.discard(staff.teller, gone, None)  # type: ignore[attr-defined]
    rows = customer_rows(5, seed=21)
    numbers = ["F-0001", "F-0002", "F-0003", "F-0003", ""]  # held live; held by a discarded record; twice; none
    path = write_xlsx(
        tmp_path / "forms.xlsx", [*chinese_headers(), "表单编号"], [[*r, n] for r, n in zip(rows, numbers, strict=True)]
    )
    mapping = _mapping(staff, path)
    assert mapping.get(len(rows[0])) == "form_number"
    report = staff.ws.imports.run(staff.teller, path, mapping)  # type: ignore[attr-defined]

    rejected = report.rejected_rows()
    assert set(rejected) == {2, 5}  # rows are numbered from the header: row 2 is the first customer
    assert [line.code for line in rejected[2]] == ["duplicate_form_number"] and keyed in rejected[2][0].reason_text.en
    assert [line.code for line in rejected[5]] == ["duplicate_form_number"] and "row 4" in rejected[5][0].reason_text.en
    assert report.accepted == 3 and report.duplicates == 2
    listed = staff.ws.records.search(staff.teller, SearchQuery(limit=20))  # type: ignore[attr-defined]
    by_id = {r.id: r.form_number for r in listed}
    assert sorted(by_id[rid] for rid in report.record_ids) == ["", "F-0002", "F-0003"]
    with staff.ws.store.read() as s:  # type: ignore[attr-defined]
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "record.import"))
        claims = __import__("json").loads(entry.details)["form_numbers"]
    assert sorted(claims.values()) == ["F-0002", "F-0003"] and set(claims) <= set(report.record_ids)
    # The same numbers imported again are refused: each is now held.
    again = write_xlsx(
        tmp_path / "again.xlsx", [*chinese_headers(), "表单编号"], [[*customer_rows(1, seed=22)[0], "F-0003"]]
    )
    assert staff.ws.imports.run(staff.teller, again, mapping).rejected == 1  # type: ignore[attr-defined]
    # A keyed draft with an imported number is told so, as with a keyed one.
    typed = staff.ws.records.create(staff.teller, resident(63) | {"form_number": "F-0002"})  # type: ignore[attr-defined]
    assert any(p.code == "duplicate_form_number" for p in typed.problems)

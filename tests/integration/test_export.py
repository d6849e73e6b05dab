"""Export of a filtered customer list: read back with openpyxl and csv, the values are masked exactly as the
record view masks them for the exporting role (unmasked only for a supervisor who asks), formulas come back as
inert text, blind records never leave, purged ones keep their id, the audit entry holds the filter and the count
and no personal data, and a bad path is refused in both languages with nothing half-written."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import InvalidRequest, PermissionDenied
from desktop_app.services.exports import EXPORT_PAGE, FIXED_COLUMNS, ExportCancelled, column_header
from desktop_app.services.records import SearchQuery
from desktop_app.storage.models import Record, RecordVersion
from desktop_app.sync.retention import purge_records
from tests.conftest import Staff
from tests.integration.matrix_exports import UNMASKED_ROLES
from tests.support.customers import resident

FORMULAS = {
    "employer": '=HYPERLINK("http://example.invalid","x")',
    "notes": "+SUM(1,2)",
    "address": "@示例省演示市 cmd|' /C calc'!A0",  # masked, it still opens with @
}


def approved(staff: Staff, values: dict[str, str]) -> str:
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    staff.ws.records.approve(staff.supervisor2, saved.record_id, None)
    return saved.record_id


@pytest.fixture
def customers(staff: Staff) -> dict[str, str]:
    """Three approved customers (one with formula-like text) and a draft; returns record id -> name."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    made = {}
    for seed in (11, 12, 13):
        values = resident(seed)
        if seed == 12:
            values.update(FORMULAS)
        made[approved(staff, values)] = values["name"]
    draft = resident(14)
    made[staff.ws.records.create(staff.teller, draft).record_id] = draft["name"]
    return made


def read_xlsx(path: Path) -> tuple[list[str], list[dict[str, object]], list[list[str]]]:
    """(headers, rows as key -> value, data types per row) of the first sheet."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    table = list(sheet.iter_rows())
    headers = [str(c.value) for c in table[0]]
    keys = [h.rsplit("(", 1)[1].rstrip(")") for h in headers]
    rows = [{k: ("" if c.value is None else c.value) for k, c in zip(keys, row, strict=True)} for row in table[1:]]
    types = [[c.data_type for c in row] for row in table[1:]]
    return headers, rows, types


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    keys = [h.rsplit("(", 1)[1].rstrip(")") for h in table[0]]
    return [dict(zip(keys, row, strict=True)) for row in table[1:]]


def exports(staff: Staff) -> list[dict[str, object]]:
    return [e.details for e in staff.ws.audit.entries(staff.auditor, AuditFilter(action="record.export"))]


@pytest.mark.parametrize(("who", "unmasked"), [("supervisor", False), ("supervisor", True), ("auditor", False)])
def test_the_export_holds_what_the_record_view_shows_that_role(
    staff: Staff, customers: dict[str, str], tmp_path: Path, who: str, unmasked: bool
) -> None:
    actor: Actor = getattr(staff, who)
    result = staff.ws.exports.export(actor, SearchQuery(), tmp_path / "out.xlsx", unmasked=unmasked)
    headers, rows, types = read_xlsx(result.path)
    assert result.count == len(rows) == 4 and result.masked is not unmasked
    schema = staff.ws.form
    assert headers[: len(FIXED_COLUMNS)] == [column_header(*c) for c in FIXED_COLUMNS]
    assert headers[len(FIXED_COLUMNS) :] == [
        column_header(f.key, f.label_text.zh, f.label_text.en) for f in schema.fields
    ]
    assert all(
        t == "s" for row, kinds in zip(rows, types, strict=True) for t, v in zip(kinds, row.values(), strict=True) if v
    ), "every cell is text, none a formula"
    for row in rows:
        rid = str(row["record_id"])
        view = staff.ws.records.get(actor, rid)
        assert row["status"] == view.status.value and row["version"] == str(view.version)
        assert row["maker"] == "teller"
        for spec in schema.fields:
            if unmasked:
                expected = (
                    staff.ws.records.reveal(actor, rid, spec.key) if spec.key in view.masked else view.values[spec.key]
                )
            else:
                expected = view.values[spec.key]
            if expected[:1] in ("=", "+", "-", "@"):
                expected = "'" + expected
            assert row[spec.key] == expected, (spec.key, row[spec.key], expected)
    names = {str(r["record_id"]): str(r["name"]) for r in rows}
    if unmasked:
        assert names == customers
    else:  # a supervisor sees names (not ID numbers), an auditor neither
        assert all(("*" in str(r["id_number"])) for r in rows)
        assert (names == customers) is (who == "supervisor")


def test_formula_like_values_come_back_as_text_with_an_apostrophe(
    staff: Staff, customers: dict[str, str], tmp_path: Path
) -> None:
    xlsx = staff.ws.exports.export(staff.supervisor, SearchQuery(), tmp_path / "f.xlsx", unmasked=True)
    cv = staff.ws.exports.export(staff.supervisor, SearchQuery(), tmp_path / "f.csv", unmasked=True)
    _, rows, types = read_xlsx(xlsx.path)
    (index,) = [i for i, r in enumerate(rows) if r["employer"] == "'" + FORMULAS["employer"]]
    assert rows[index]["notes"] == "'" + FORMULAS["notes"] and rows[index]["address"] == "'" + FORMULAS["address"]
    assert {kind for kind, value in zip(types[index], rows[index].values(), strict=True) if value} == {"s"}
    (row,) = [r for r in read_csv(cv.path) if r["employer"].startswith("'=")]
    assert row["employer"] == "'" + FORMULAS["employer"] and row["notes"] == "'" + FORMULAS["notes"]
    assert row["address"] == "'" + FORMULAS["address"]
    masked = staff.ws.exports.export(staff.auditor, SearchQuery(), tmp_path / "m.xlsx")
    _, rows, _ = read_xlsx(masked.path)
    assert any(str(r["address"]).startswith("'@") for r in rows), "a masked value that starts a formula is inert"


def test_the_audit_entry_has_the_filter_and_count_and_no_personal_data(
    staff: Staff, customers: dict[str, str], tmp_path: Path
) -> None:
    rid, name = next(iter(customers.items()))
    id_number = staff.ws.records.reveal(staff.supervisor, rid, "id_number")
    since = utcnow() - timedelta(days=1)
    query = SearchQuery(text=name, statuses=(Status.APPROVED,), updated_from=since)
    result = staff.ws.exports.export(staff.supervisor, query, tmp_path / "named.csv", unmasked=True)
    assert result.count == 1
    staff.ws.exports.export(staff.auditor, SearchQuery(text=id_number[:10]), tmp_path / "by-number.xlsx")
    by_number, named = exports(staff)
    assert named["count"] == 1 and named["format"] == "csv" and named["unmasked"] is True
    assert named["file"] == "named.csv"
    flt = named["filter"]
    assert isinstance(flt, dict)
    assert flt["text"] == "given (name)" and flt["statuses"] == ["approved"]
    assert flt["updated_from"] == since.isoformat()
    assert by_number["filter"]["text"] == "given (number)" and by_number["unmasked"] is False  # type: ignore[index]
    trail = json.dumps([e.details for e in staff.ws.audit.entries(staff.auditor, AuditFilter(limit=1000))])
    for secret in (name, id_number, id_number[:10]):
        assert secret not in json.dumps([by_number, named], ensure_ascii=False)
        assert secret not in json.loads(json.dumps(trail))


def test_unmasked_export_needs_its_own_right(staff: Staff, customers: dict[str, str], tmp_path: Path) -> None:
    assert {r for r in Role if Permission.EXPORT_UNMASKED in permissions_of({r})} == UNMASKED_ROLES
    with pytest.raises(PermissionDenied) as refused:
        staff.ws.exports.export(staff.auditor, SearchQuery(), tmp_path / "u.xlsx", unmasked=True)
    assert refused.value.message_text.zh and refused.value.message_text.en != refused.value.message_text.zh
    for actor in (staff.teller, staff.admin):
        for unmasked in (False, True):
            with pytest.raises(PermissionDenied):
                staff.ws.exports.export(actor, SearchQuery(), tmp_path / "u.xlsx", unmasked=unmasked)
    assert not (tmp_path / "u.xlsx").exists() and exports(staff) == []


def test_blind_records_never_leave_and_purged_ones_keep_only_their_id(
    staff: Staff, customers: dict[str, str], tmp_path: Path
) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    blind = staff.ws.records.create(staff.teller, resident(40))
    staff.ws.records.submit(staff.teller, blind.record_id, blind.version)
    assert staff.ws.records.get(staff.supervisor, blind.record_id).hidden
    purged = next(iter(customers))
    with staff.ws.store.write() as s:  # as retention leaves a record the central server acknowledged
        s.execute(update(Record).where(Record.id == purged).values(status=Status.SYNCED.value))
        purge_records(s, [purged], utcnow())
    for actor, unmasked in ((staff.supervisor, True), (staff.auditor, False)):
        result = staff.ws.exports.export(actor, SearchQuery(statuses=()), tmp_path / "b.xlsx", unmasked=unmasked)
        _, rows, _ = read_xlsx(result.path)
        ids = [r["record_id"] for r in rows]
        assert blind.record_id not in ids and result.count == 4
        (gone,) = [r for r in rows if r["record_id"] == purged]
        assert gone["status"] == "synced" and gone["version"] == "1"
        assert all(gone[f.key] == "" for f in staff.ws.form.fields)


def test_filters_and_fields_are_honoured(staff: Staff, customers: dict[str, str], tmp_path: Path) -> None:
    result = staff.ws.exports.export(
        staff.auditor, SearchQuery(statuses=(Status.DRAFT,)), tmp_path / "d.csv", fields=["risk_level", "name"]
    )
    rows = read_csv(result.path)
    assert result.count == 1 and list(rows[0]) == [
        "record_id",
        "status",
        "version",
        "updated",
        "maker",
        "risk_level",
        "name",
    ]
    assert rows[0]["status"] == "draft"
    with pytest.raises(InvalidRequest):
        staff.ws.exports.export(staff.auditor, SearchQuery(), tmp_path / "x.csv", fields=["no_such_field"])


@pytest.mark.parametrize(
    ("name", "words"),
    [("out.pdf", (".xlsx or .csv", ".xlsx 或 .csv")), ("folder.csv", ("folder", "文件夹"))],
)
def test_a_bad_path_is_refused_in_both_languages(
    staff: Staff, customers: dict[str, str], tmp_path: Path, name: str, words: tuple[str, str]
) -> None:
    target = tmp_path / name
    if name == "folder.csv":
        target.mkdir()
    with pytest.raises(InvalidRequest) as refused:
        staff.ws.exports.export(staff.supervisor, SearchQuery(), target)
    assert words[0] in refused.value.message_text.en and words[1] in refused.value.message_text.zh
    assert exports(staff) == []


def test_an_unwritable_folder_is_refused_and_leaves_nothing(
    staff: Staff, customers: dict[str, str], tmp_path: Path
) -> None:
    # A "folder" that is a file cannot be written into, whoever runs the test (root ignores permission bits).
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    with pytest.raises(InvalidRequest) as refused:
        staff.ws.exports.export(staff.supervisor, SearchQuery(), not_a_folder / "out.xlsx")
    assert "Choose a folder" in refused.value.message_text.en and "文件夹" in refused.value.message_text.zh
    assert not_a_folder.read_text() == "x" and exports(staff) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notes.txt"]


def many(staff: Staff, n: int) -> None:
    """n approved-looking records written straight to the store (the services would take minutes for this)."""
    import uuid

    from desktop_app.domain.synthetic import generate_customers
    from desktop_app.services.records import _dump

    now = utcnow()
    with staff.ws.store.write() as s:
        for i, values in enumerate(generate_customers(n, seed=5)):
            rid = str(uuid.uuid4())
            at = now - timedelta(seconds=i % 7)  # ties in the sort column: the keyset must still page exactly
            s.add(
                Record(
                    id=rid,
                    form_key=staff.ws.form.key,
                    status="approved",
                    version=1,
                    approved_version=1,
                    maker_id=staff.teller.user_id,
                    made_at=at,
                    created_at=at,
                    updated_at=at,
                    **{c: values.get(c, "") for c in ("name", "name_pinyin", "id_type", "id_number", "mobile")},
                )
            )
            s.add(
                RecordVersion(
                    record_id=rid,
                    version=1,
                    data=_dump(values),
                    kind="create",
                    created_by=staff.teller.user_id,
                    created_at=at,
                )
            )


@pytest.mark.parametrize("sort", ["updated", "name"])
def test_a_long_list_is_read_in_pages_every_row_once_with_progress(staff: Staff, tmp_path: Path, sort: str) -> None:
    n = EXPORT_PAGE * 2 + 37
    many(staff, n)
    seen: list[tuple[int, int]] = []
    result = staff.ws.exports.export(
        staff.auditor,
        SearchQuery(sort=sort, descending=sort == "updated"),
        tmp_path / "long.csv",
        progress=lambda done, total: seen.append((done, total)),
    )
    rows = read_csv(result.path)
    assert result.count == n == len({r["record_id"] for r in rows})
    assert seen == [(EXPORT_PAGE, n), (EXPORT_PAGE * 2, n), (n, n)]


def test_cancel_leaves_no_file_and_no_audit(staff: Staff, tmp_path: Path) -> None:
    many(staff, EXPORT_PAGE + 1)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    pages: list[int] = []
    cancel: Callable[[], bool] = lambda: bool(pages)  # noqa: E731 - after the first page
    with pytest.raises(ExportCancelled):
        staff.ws.exports.export(
            staff.auditor, SearchQuery(), tmp_path / "c.xlsx", progress=lambda d, t: pages.append(d), cancelled=cancel
        )
    assert list(tmp_path.iterdir()) == [] and exports(staff) == []

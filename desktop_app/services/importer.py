"""Spreadsheet import (xlsx, csv in UTF-8 or GBK): column mapping per layout, validation, report; rows
become drafts or await approval.

Every row is checked like a submit: its mapped cells (refused first when a cell holds a formula, is oversized or
is wrongly encoded), normalised by the one normaliser and validated by the form's rules; an ID document already
in the file or in a record the clerk may see refuses the row (not one awaiting another clerk's blind second entry:
refusing would confirm its ID document; approval refuses that duplicate instead). Accepted rows become records of
the importing clerk at the status the `import_target_status` setting names (draft or awaiting_approval; never
approved), version kind "import".

Rows are read, checked and written in chunks of CHUNK_ROWS, each chunk one transaction (records, versions,
status events, the failure log and one audit entry), so a record is always whole. Cancel is checked before each
row: the rows already read are written (at most one chunk), nothing after them is read, and the report says which
rows were processed. The report holds row numbers, fields and rules, never a cell's value: the reasons of the
form's rules are rebuilt from their codes (domain/import_reasons.py), since the rules' own messages quote values.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FORM_NUMBER, FormSchema
from desktop_app.domain.import_cells import cell_problem
from desktop_app.domain.import_columns import (
    column_name,
    guess_mapping,
    layout_signature,
    mapping_problems,
    trimmed_headers,
    unmapped_required,
)
from desktop_app.domain.import_reasons import value_free
from desktop_app.domain.lifecycle import Status, check_transition
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import NO_TEXT, Text
from desktop_app.domain.validation import Problem, Severity, validate_record
from desktop_app.services import form_numbers
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest
from desktop_app.services.records import RecordService, _dump, search_columns
from desktop_app.services.settings import read_setting
from desktop_app.services.spreadsheet_read import SpreadsheetFile
from desktop_app.services.table_file import output_format, write_table
from desktop_app.services.validation_log import log_failures
from desktop_app.storage.models import ImportLayout, Record, RecordVersion, StatusEvent
from desktop_app.storage.store import Store

log = logging.getLogger(__name__)

#: Rows per transaction: large enough for bulk inserts to be fast, small enough that cancel answers quickly.
CHUNK_ROWS = 2_000
VERSION_KIND = "import"
TARGETS = (Status.DRAFT, Status.AWAITING_APPROVAL)


class RowOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ReportLine:
    """One line of the import report: a row's outcome, or one problem of a row (no cell values)."""

    row: int  # as the spreadsheet numbers it: the header is row 1
    outcome: RowOutcome
    record_id: str = ""
    field: str = ""
    code: str = ""
    reason_text: Text = NO_TEXT
    severity: str = ""  # "error", "warning", or "" for an accepted row without remarks

    def reason(self, lang: str) -> str:
        """The reason in `lang` (see `Text.render`)."""
        return self.reason_text.render(lang)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, and per row its outcome and reasons. May be handed around (no values)."""

    import_id: str
    file_name: str
    format: str
    encoding: str | None
    signature: str
    target_status: Status
    read: int  # data rows read, empty ones included
    accepted: int
    rejected: int
    warnings: int  # accepted rows with at least one warning
    skipped: int  # empty rows
    duplicates: int  # rejected rows whose ID document was already in the file or in the store
    cancelled: bool
    last_row: int  # the last spreadsheet row processed; rows after it were not read
    lines: tuple[ReportLine, ...]

    @property
    def record_ids(self) -> tuple[str, ...]:
        """The records created, in row order."""
        seen: dict[str, None] = {}
        for line in self.lines:
            if line.record_id:
                seen.setdefault(line.record_id, None)
        return tuple(seen)

    def rejected_rows(self) -> dict[int, list[ReportLine]]:
        """The rejected rows and their problems, by row number."""
        found: dict[int, list[ReportLine]] = {}
        for line in self.lines:
            if line.outcome is RowOutcome.REJECTED:
                found.setdefault(line.row, []).append(line)
        return found


@dataclass(frozen=True)
class ImportPreview:
    """The first rows of a file and the mapping proposed for it (saved for its layout, or guessed)."""

    file_name: str
    format: str
    encoding: str | None
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    mapping: Mapping[int, str]
    signature: str
    saved_layout: bool
    row_estimate: int


@dataclass
class _Accepted:
    row: int
    values: dict[str, str]
    key: tuple[str, str]
    warnings: list[Problem]


@dataclass
class _Chunk:
    accepted: list[_Accepted] = field(default_factory=list)
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.accepted) + len(self.rejected)


@dataclass
class _Tally:
    read: int = 0
    skipped: int = 0
    accepted: int = 0
    rejected: int = 0
    warnings: int = 0
    duplicates: int = 0
    last_row: int = 1
    lines: list[ReportLine] = field(default_factory=list)


_DUPLICATE_CODES = frozenset({"duplicate_in_file", "duplicate_existing", "duplicate_form_number"})


def _in_file_duplicate(first_row: int) -> Problem:
    return Problem(
        field="id_number",
        code="duplicate_in_file",
        message_text=Text(
            zh=f"与第 {first_row} 行的证件相同（同一证件类型和号码），本行未导入。",
            en=f"Same ID document as row {first_row} (same type and number); this row was not imported.",
        ),
    )


def _form_number_in_file(first_row: int) -> Problem:
    return Problem(
        field=FORM_NUMBER,
        code="duplicate_form_number",
        message_text=Text(
            zh=f"与第 {first_row} 行的表单编号相同，本行未导入。一份纸质表单只录入一次：请核对表单上的编号。",
            en=f"Same form number as row {first_row}; this row was not imported. A paper form is keyed once: check "
            "the number printed on the sheet.",
        ),
    )


def _existing_duplicate(record_id: str) -> Problem:
    return Problem(
        field="id_number",
        code="duplicate_existing",
        message_text=Text(
            zh=f"您已录入过使用此证件的客户（记录 {record_id}，尚未审批）。请打开该记录修改，而不是重复导入。",
            en=f"You have already keyed a customer with this ID document (record {record_id}, not yet approved). "
            "Open that record and change it instead of importing it again.",
        ),
    )


class ImportService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    # --- mapping and layouts -----------------------------------------------------------------------------
    def _checked_mapping(
        self, schema: FormSchema, headers: Sequence[str], mapping: Mapping[int, str]
    ) -> dict[int, str]:
        clean = {int(index): str(key) for index, key in mapping.items() if key}
        wrong = mapping_problems(schema, len(trimmed_headers(headers)), clean)
        if wrong:
            raise InvalidRequest(
                "The column mapping cannot be used: " + "; ".join(wrong) + ". Choose the field for each column again.",
                "列与字段的对应关系无法使用：" + "；".join(wrong) + "。请重新为各列选择字段。",
            )
        return clean

    def preview(self, actor: Actor, path: Path, max_rows: int = 20) -> ImportPreview:
        """The file's headers, its first `max_rows` rows and a proposed mapping: the one saved for this layout,
        otherwise a guess from the headers. Reads nothing else of the file."""
        schema = self._records.form()
        with self._store.read() as s:
            authorise(s, actor, Permission.IMPORT)
        with SpreadsheetFile(Path(path)) as sheet:
            headers = tuple(trimmed_headers(sheet.headers))
            sample: list[tuple[str, ...]] = []
            for row in sheet.rows():
                if len(sample) >= max_rows:
                    break
                if any(c.strip() for c in row.cells):
                    sample.append(row.cells)
            signature = layout_signature(headers)
            with self._store.read() as s:
                saved = s.scalars(select(ImportLayout).where(ImportLayout.signature == signature)).first()
                saved_mapping = json.loads(saved.mapping) if saved is not None else None
            mapping: dict[int, str] = {}
            if saved_mapping is not None:
                # Fields the form no longer has drop out; the rest of the saved choice still stands.
                candidate = {int(i): str(k) for i, k in saved_mapping.items() if k in schema.keys}
                mapping = candidate if not mapping_problems(schema, len(headers), candidate) else {}
            return ImportPreview(
                file_name=Path(path).name,
                format=sheet.format,
                encoding=sheet.encoding,
                headers=headers,
                rows=tuple(sample),
                mapping=mapping if saved_mapping is not None else guess_mapping(schema, headers),
                signature=signature,
                saved_layout=saved_mapping is not None,
                row_estimate=sheet.row_estimate,
            )

    def save_layout(self, actor: Actor, signature: str, headers: Sequence[str], mapping: Mapping[int, str]) -> None:
        """Keep `mapping` for the layout of `headers` (replacing what was kept for it); offered by preview."""
        schema = self._records.form()
        headers = trimmed_headers(headers)
        if layout_signature(headers) != signature:
            raise InvalidRequest(
                "The headers do not belong to this layout; open the file again.", "列标题与该格式不符，请重新打开文件。"
            )
        clean = self._checked_mapping(schema, headers, mapping)
        with self._store.write() as s:
            authorise(s, actor, Permission.IMPORT)
            row = s.scalars(select(ImportLayout).where(ImportLayout.signature == signature)).first()
            if row is None:
                row = ImportLayout(signature=signature)
                s.add(row)
            row.headers = json.dumps(list(headers), ensure_ascii=False)
            row.mapping = json.dumps({str(i): k for i, k in sorted(clean.items())}, ensure_ascii=False)
            row.updated_by = actor.user_id
            row.updated_at = utcnow()
            self._store.audit(
                s,
                action="import.layout",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"signature": signature, "columns": len(headers), "mapped": sorted(clean.values())},
            )

    # --- the import ---------------------------------------------------------------------------------------
    def run(
        self,
        actor: Actor,
        path: Path,
        mapping: Mapping[int, str],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import every row of the file with `mapping` ({column index: field key}); returns the report.

        Safe to call from a worker thread (it opens its own sessions). `progress(done, total)` is called after
        each chunk (total is an estimate until the end); `cancelled()` is asked before each row.
        """
        schema = self._records.form()
        path = Path(path)
        with self._store.read() as s:
            authorise(s, actor, Permission.IMPORT)
            target = Status(str(read_setting(s, "import_target_status")))
        if target not in TARGETS:  # the setting's catalogue allows only these; a record never enters approved here
            raise InvalidRequest(
                f"Imported rows cannot go to '{target.value}'.", f"导入的记录不能直接进入“{target.value}”状态。"
            )
        import_id = str(uuid.uuid4())
        tally = _Tally()
        stopped = False
        failed = True
        with SpreadsheetFile(path) as sheet:
            clean_mapping = self._checked_mapping(schema, sheet.headers, mapping)
            missing = unmapped_required(schema, clean_mapping)
            if missing:
                en = ", ".join(schema.field(k).label_text.en for k in missing)
                zh = "、".join(schema.field(k).label_text.zh for k in missing)
                raise InvalidRequest(
                    f"No column is mapped to these required fields: {en}. Map them (or add the columns) and import "
                    "again.",
                    f"以下必填字段没有对应的列：{zh}。请为其选择对应的列（或在文件中补充）后重新导入。",
                )
            signature = layout_signature(sheet.headers)
            try:
                stopped = self._import_rows(
                    actor, schema, sheet, clean_mapping, target, import_id, tally, progress, cancelled
                )
                failed = False
            finally:
                self._audit_run(actor, import_id, path.name, signature, target, tally, stopped, failed)
        if progress is not None:
            progress(tally.read, tally.read)
        tally.lines.sort(key=lambda line: line.row)  # stable: a row's lines keep their order
        return ImportReport(
            import_id=import_id,
            file_name=path.name,
            format=sheet.format,
            encoding=sheet.encoding,
            signature=signature,
            target_status=target,
            read=tally.read,
            accepted=tally.accepted,
            rejected=tally.rejected,
            warnings=tally.warnings,
            skipped=tally.skipped,
            duplicates=tally.duplicates,
            cancelled=stopped,
            last_row=tally.last_row,
            lines=tuple(tally.lines),
        )

    def _import_rows(
        self,
        actor: Actor,
        schema: FormSchema,
        sheet: SpreadsheetFile,
        mapping: Mapping[int, str],
        target: Status,
        import_id: str,
        tally: _Tally,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> bool:
        """Read, check and write the rows in chunks; True when stopped by `cancelled` before the end."""
        today = date.today()
        stopped = False
        columns = [(index, key, column_name(index)) for index, key in sorted(mapping.items())]
        # Fields without a column take the form's default (nationality CHN); mapped cells are taken as typed.
        defaults = {
            spec.key: spec.default for spec in schema.fields if spec.default and spec.key not in mapping.values()
        }
        seen: dict[tuple[str, str], int] = {}  # ID document → the first accepted row holding it
        seen_forms: dict[str, int] = {}  # form number → the first accepted row holding it
        chunk = _Chunk()
        for row in sheet.rows():
            if cancelled is not None and cancelled():
                stopped = True
                break
            tally.read += 1
            tally.last_row = row.number
            cells = row.cells
            if not any(c.strip() for c in cells):
                tally.skipped += 1
                continue
            problems: list[Problem] = []
            values = dict(defaults)
            width = len(cells)
            for index, field_key, column in columns:
                text = cells[index] if index < width else ""
                if text:
                    found = cell_problem(field_key, column, text)
                    if found is not None:
                        problems.append(found)
                        continue
                values[field_key] = text
            if not problems:
                values = normalise_record(schema, values)
                problems = [value_free(schema, p) for p in validate_record(schema, values, today)]
            errors = [p for p in problems if p.severity is Severity.ERROR]
            if errors:
                chunk.rejected.append((row.number, errors))
            else:
                document = (values.get("id_type", ""), values.get("id_number", ""))
                first = seen.get(document)
                form_number = values.get(FORM_NUMBER, "")
                first_form = seen_forms.get(form_number) if form_number else None
                if first is not None:
                    chunk.rejected.append((row.number, [_in_file_duplicate(first)]))
                elif first_form is not None:
                    chunk.rejected.append((row.number, [_form_number_in_file(first_form)]))
                else:
                    seen[document] = row.number
                    if form_number:
                        seen_forms[form_number] = row.number
                    chunk.accepted.append(_Accepted(row.number, values, document, problems))
            if len(chunk) >= CHUNK_ROWS:
                self._write_chunk(actor, schema, target, import_id, chunk, tally)
                chunk = _Chunk()
                if progress is not None:
                    progress(tally.read, max(sheet.row_estimate, tally.read))
        if len(chunk):  # on cancel too: the rows already read are written whole, as the report says
            self._write_chunk(actor, schema, target, import_id, chunk, tally)
        return stopped

    def _existing(self, session: Session, actor: Actor, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The importing clerk's own records in progress (not discarded, not yet approved) that hold any of these ID
        documents: one query per chunk, so a file imported twice is caught.

        Only those: the clerk sees them in full anyway. Matching every customer of the branch would make the import
        an oracle for masked ID numbers (a file of every number consistent with what the clerk sees - region,
        birth-date range, sex - comes back naming the row that exists: the independent trial rebuilt a full
        number that way in one run). A duplicate of anyone else's customer is refused where a person looks at
        one record: at submit and at approval.
        """
        wanted = set(keys)
        numbers = sorted({number for _, number in wanted if number})
        if not numbers:
            return {}
        done = [Status.DISCARDED.value, Status.APPROVED.value, Status.SYNCED.value]
        rows = session.execute(
            select(Record.id, Record.id_type, Record.id_number).where(
                Record.id_number.in_(numbers), Record.maker_id == actor.user_id, Record.status.not_in(done)
            )
        )
        return {(t, n): rid for rid, t, n in rows if (t, n) in wanted}

    def _write_chunk(
        self, actor: Actor, schema: FormSchema, target: Status, import_id: str, chunk: _Chunk, tally: _Tally
    ) -> None:
        """One transaction: the chunk's accepted rows as whole records, the failure log, one audit entry."""
        with self._store.write() as s:
            # A role removed mid-import stops it at the next chunk; a lock does not: the import began unlocked.
            authorise(s, actor, Permission.IMPORT, continuing=True)
            # Inside the write transaction, so a record another clerk saved meanwhile is seen.
            existing = self._existing(s, actor, (a.key for a in chunk.accepted))
            # A form number another live record holds is refused as at submit (one record per paper form).
            form_holders = form_numbers.holders(s, (a.values.get(FORM_NUMBER, "") for a in chunk.accepted))
            claims: dict[str, str] = {}  # record id -> form number, registered with the records
            warned = 0  # rows written with warnings
            rejected = list(chunk.rejected)
            records: list[dict[str, object]] = []
            versions: list[dict[str, object]] = []
            events: list[dict[str, object]] = []
            lines: list[ReportLine] = []
            values_of: dict[str, dict[str, str]] = {}  # record id -> values, for the submit hooks
            now = utcnow()
            if target is not Status.DRAFT:
                check_transition(Status.DRAFT, target)
            for item in chunk.accepted:
                other = existing.get(item.key)
                if other is not None:
                    rejected.append((item.row, [_existing_duplicate(other)]))
                    continue
                form_number = item.values.get(FORM_NUMBER, "")
                holding = form_holders.get(form_number) if form_number else None
                if holding is not None:
                    rejected.append((item.row, [form_numbers.duplicate_problem(holding, as_error=True)]))
                    continue
                rid = str(uuid.uuid4())
                values_of[rid] = item.values
                if form_number:
                    claims[rid] = form_number
                records.append(
                    {
                        "id": rid,
                        "form_key": schema.key,
                        "status": target.value,
                        "version": 1,
                        "approved_version": None,
                        "base_version": None,
                        "maker_id": actor.user_id,
                        "made_at": now,
                        "created_at": now,
                        "updated_at": now,
                        **search_columns(item.values),
                    }
                )
                versions.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "data": _dump(item.values),
                        "kind": VERSION_KIND,
                        "base_version": None,
                        "created_by": actor.user_id,
                        "created_at": now,
                    }
                )
                events.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "from_status": None,
                        "to_status": Status.DRAFT.value,
                        "actor_id": actor.user_id,
                        "at": now,
                        "reason": "imported",
                    }
                )
                if target is not Status.DRAFT:
                    events.append(
                        {
                            "record_id": rid,
                            "version": 1,
                            "from_status": Status.DRAFT.value,
                            "to_status": target.value,
                            "actor_id": actor.user_id,
                            "at": now,
                            "reason": "imported for approval",
                        }
                    )
                warnings = item.warnings
                if warnings:
                    warned += 1
                    lines.extend(
                        ReportLine(item.row, RowOutcome.ACCEPTED, rid, p.field, p.code, p.message_text, "warning")
                        for p in warnings
                    )
                else:
                    lines.append(ReportLine(item.row, RowOutcome.ACCEPTED, rid))
            if records:
                s.execute(insert(Record), records)
                s.execute(insert(RecordVersion), versions)
                s.execute(insert(StatusEvent), events)
                form_numbers.register_imported(s, actor, claims)
                if target is Status.AWAITING_APPROVAL:
                    # Sent on as if submitted: what submit does (watchlist screening) is done here, in this chunk.
                    for record in s.scalars(select(Record).where(Record.id.in_(list(values_of)))):
                        self._records.run_submit_hooks(s, actor, record, values_of[record.id])
                self._store.audit(
                    s,
                    action="record.import",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={
                        "import_id": import_id,
                        "rows": len(records),
                        "record_ids": [r["id"] for r in records],
                        # The forms' serial numbers (not customer values), so a claim can be traced as when keyed.
                        "form_numbers": claims,
                    },
                )
            failures = [p for _, problems in rejected for p in problems]
            log_failures(s, failures, source="import", user_id=actor.user_id, record_id=None)
        # Only once the transaction committed does the report count the chunk.
        tally.accepted += len(records)
        tally.warnings += warned
        tally.rejected += len(rejected)
        for row, problems in rejected:
            if any(p.code in _DUPLICATE_CODES for p in problems):
                tally.duplicates += 1
            lines.extend(
                ReportLine(row, RowOutcome.REJECTED, "", p.field, p.code, p.message_text, "error") for p in problems
            )
        tally.lines.extend(lines)

    def _audit_run(
        self,
        actor: Actor,
        import_id: str,
        file_name: str,
        signature: str,
        target: Status,
        tally: _Tally,
        cancelled: bool,
        failed: bool,
    ) -> None:
        details = {
            "import_id": import_id,
            "file": file_name,
            "signature": signature,
            "target": target.value,
            "read": tally.read,
            "accepted": tally.accepted,
            "rejected": tally.rejected,
            "skipped": tally.skipped,
            "last_row": tally.last_row,
            "cancelled": cancelled,
            "failed": failed,
        }
        try:
            with self._store.write() as s:
                self._store.audit(
                    s, action="import.run", actor_id=actor.user_id, actor_name=actor.username, details=details
                )
        except Exception as exc:  # never hide the error that stopped the import behind this one
            if not failed:
                raise
            log.error("could not audit the end of failed import %s: %s", import_id, type(exc).__name__)

    # --- the report ------------------------------------------------------------------------------------------
    def export_report(self, actor: Actor, report: ImportReport, path: Path) -> int:
        """Write the report to `path` (.xlsx or .csv): one line per row outcome or problem, reasons in Chinese and
        English, no cell values. Audited; returns the number of lines written."""
        path = Path(path)
        fmt = output_format(path)
        with self._store.read() as s:
            authorise(s, actor, Permission.IMPORT)
        outcome_zh = {RowOutcome.ACCEPTED: "已导入", RowOutcome.REJECTED: "未导入"}
        headers = (
            "行号 Row",
            "结果 Outcome",
            "记录编号 Record",
            "字段 Field",
            "级别 Severity",
            "代码 Code",
            "原因",
            "Reason",
        )
        rows = (
            (
                str(line.row),
                f"{outcome_zh[line.outcome]} {line.outcome.value}",
                line.record_id,
                line.field,
                line.severity,
                line.code,
                line.reason_text.zh,
                line.reason_text.en,
            )
            for line in report.lines
        )
        try:
            count = write_table(path, headers, rows, sheet="import report")
        except OSError as exc:
            raise InvalidRequest(
                f"Cannot write '{path.name}' ({exc.strerror}). Choose another folder.",
                f"无法写入“{path.name}”，请选择其他文件夹。",
            ) from None
        with self._store.write() as s:
            authorise(s, actor, Permission.IMPORT)
            self._store.audit(
                s,
                action="import.report_export",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"import_id": report.import_id, "lines": count, "format": fmt},
            )
        return count

"""Export of a filtered customer list to xlsx or csv, masked per role, audited with the filter and the count.

Decisions (one place for each):
- The values are those of each record's CURRENT (latest) version, the same ones RecordService.get shows, masked
  by the same rule (RecordService._mask): the list a supervisor exports is the list they see.
- Records hidden from the actor (blind second entry, for anyone but the maker) are never exported, also
  unmasked; purged records keep their id, status, version, time and maker, with empty values.
- Headers are bilingual, "中文 / English (key)", so either reader understands them and the field key stays
  discoverable for a program or an import mapping.
- The query's offset and limit are ignored: the export is every record the query matches, read in keyset pages
  of EXPORT_PAGE inside one read snapshot (so 100,000 rows never sit in memory and none is missed or repeated
  while others write), and written through table_file.write_table (atomic, every cell neutralised).
- A free-text search may be a customer's name or ID number: the audit entry says only that text was given and
  of which kind, never the text. It matches as in the customer list (RecordService._search_filter): a field the
  exporter sees masked only by its exact full value, and the rows are in the list's order (_sort_column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, literal, select, tuple_
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FieldSpec, FormSchema
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.domain.visibility import values_hidden
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.errors import InvalidRequest, PermissionDenied, ServiceError
from desktop_app.services.records import RecordService, SearchQuery, _decode, search_kind
from desktop_app.services.table_file import output_format, write_table
from desktop_app.storage.models import Record, RecordVersion, User
from desktop_app.storage.store import Store

EXPORT_PAGE = 500

#: The fixed columns before the form's fields: key, Chinese and English header.
FIXED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("record_id", "记录编号", "Record id"),
    ("status", "状态", "Status"),
    ("version", "版本", "Version"),
    ("updated", "更新时间（UTC）", "Updated (UTC)"),
    ("maker", "录入人", "Maker"),
)


class ExportCancelled(ServiceError):
    """The caller cancelled the export; no file was written and nothing was audited."""

    code = "cancelled"


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: how many records, where, and whether values were masked."""

    count: int
    path: Path
    masked: bool


def column_header(key: str, zh: str, en: str) -> str:
    """The header of one exported column: both languages and the key, e.g. "姓名 / Name (name)"."""
    return f"{zh} / {en} ({key})"


def filter_details(query: SearchQuery) -> dict[str, object]:
    """The query as the audit may keep it: filters in full, the free text only as 'given (kind)'."""
    kind = search_kind(query.text)
    return {
        "text": f"given ({kind})" if kind else None,
        "statuses": [Status(s).value for s in query.statuses],
        "exclude": [Status(s).value for s in query.exclude],
        "updated_from": query.updated_from.isoformat() if query.updated_from else None,
        "updated_to": query.updated_to.isoformat() if query.updated_to else None,
        "mine_only": query.mine_only,
        "sort": query.sort,
        "descending": query.descending,
    }


def _utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class ExportService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def export(
        self,
        actor: Actor,
        query: SearchQuery,
        path: Path,
        *,
        unmasked: bool = False,
        fields: Sequence[str] | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ExportResult:
        """Write every record `query` matches (ignoring its page) to `path` (.xlsx or .csv), masked per role
        unless `unmasked` (which needs EXPORT_UNMASKED); the export is audited with the filter and the count.

        `fields` picks form fields (in that order; all by default). `progress(done, total)` is called per page;
        `cancelled()` is checked per page and, when true, ExportCancelled is raised with no file left behind.
        """
        path = Path(path)
        with self._store.read() as s:
            # One read transaction: a consistent snapshot of the whole list, whatever is written meanwhile.
            _, roles = authorise(s, actor, Permission.EXPORT)
            if unmasked and Permission.EXPORT_UNMASKED not in permissions_of(roles):
                raise PermissionDenied(
                    "Your role may export masked values only. Untick 'unmasked', or ask a supervisor.",
                    "您的角色只能导出遮蔽后的资料。请取消“不遮蔽”，或请主管导出。",
                )
            fmt = output_format(path)
            schema = self._records.form()
            specs = _pick_fields(schema, fields)
            headers = [column_header(*c) for c in FIXED_COLUMNS] + [
                column_header(f.key, f.label_text.zh, f.label_text.en) for f in specs
            ]
            rows = self._rows(s, actor, roles, schema, specs, query, unmasked, progress, cancelled)
            count = _write(path, headers, rows)
        try:
            with self._store.write() as s:
                self._store.audit(
                    s,
                    action="record.export",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={
                        "filter": filter_details(query),
                        "count": count,
                        "format": fmt,
                        "unmasked": unmasked,
                        "fields": None if fields is None else [f.key for f in specs],
                        "file": path.name,
                    },
                )
        except BaseException:
            path.unlink(missing_ok=True)  # an export that is not in the audit trail is not handed out
            raise
        return ExportResult(count, path, not unmasked)

    def _rows(
        self,
        s: Session,
        actor: Actor,
        roles: frozenset[Role],
        schema: FormSchema,
        specs: Sequence[FieldSpec],
        query: SearchQuery,
        unmasked: bool,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> Iterator[list[str]]:
        terms, by_name = self._records._search_filter(actor, query, roles)
        total = int(s.scalar(select(func.count()).select_from(Record).where(*terms)) or 0) if progress else 0
        sort_column, descending = self._records._sort_column(query, by_name, roles)
        base = (
            select(
                Record.id,
                Record.status,
                Record.version,
                Record.updated_at,
                Record.maker_id,
                Record.purged_at,
                sort_column,
                User.username,
                RecordVersion.data,
            )
            .join(User, User.id == Record.maker_id)
            .join(
                RecordVersion,
                and_(RecordVersion.record_id == Record.id, RecordVersion.version == Record.version),
            )
            .where(*terms)
        )
        if descending:
            base = base.order_by(sort_column.desc(), Record.id.desc())
        else:
            base = base.order_by(sort_column, Record.id)
        last: tuple[Any, str] | None = None
        done = 0
        while True:
            if cancelled is not None and cancelled():
                raise ExportCancelled("The export was cancelled; no file was written.", "导出已取消，未写入文件。")
            stmt = base
            if last is not None:  # keyset paging: the next page starts after the last row of this one
                after = tuple_(sort_column, Record.id)
                bound = tuple_(literal(last[0], sort_column.type), literal(last[1], Record.id.type))
                stmt = stmt.where(after < bound if descending else after > bound)
            page = s.execute(stmt.limit(EXPORT_PAGE)).all()
            if not page:
                return
            for rid, status_value, version, updated_at, maker_id, purged_at, _key, maker, data in page:
                status = Status(status_value)
                is_maker = maker_id == actor.user_id
                if values_hidden(status=status, is_maker=is_maker):
                    continue  # the query already leaves these out; never export one whatever the query
                values = {} if purged_at is not None else _decode(data)
                if not unmasked:
                    values, _ = self._records._mask(schema, values, roles, is_maker=is_maker, status=status)
                yield [rid, status.value, str(version), _utc_text(updated_at), maker] + [
                    values.get(f.key, "") for f in specs
                ]
            done += len(page)
            last = (page[-1][6], page[-1][0])
            if progress is not None:
                progress(done, max(total, done))


def _pick_fields(schema: FormSchema, fields: Sequence[str] | None) -> list[FieldSpec]:
    if fields is None:
        return list(schema.fields)
    by_key = {f.key: f for f in schema.fields}
    unknown = [k for k in fields if k not in by_key]
    if unknown:
        names = ", ".join(unknown)
        raise InvalidRequest(
            f"The form has no field {names}; choose fields of the form.",
            f"表单中没有字段 {names}，请选择表单中的字段。",
        )
    return [by_key[k] for k in dict.fromkeys(fields)]


def _write(path: Path, headers: Sequence[str], rows: Iterator[Sequence[str]]) -> int:
    """write_table, with a folder that cannot be written turned into a zh/en error (nothing is left behind)."""
    try:
        return write_table(path, headers, rows, sheet="customers")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidRequest(
            f"Cannot write the file in '{path.parent}' ({reason}). Choose a folder you may write to, "
            "such as your Documents folder, and try again.",
            f"无法在“{path.parent}”中写入文件（{reason}）。请选择您有权写入的文件夹（例如“文档”）后重试。",
        ) from exc

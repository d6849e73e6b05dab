"""Reading, exporting and verifying the audit trail (auditors and supervisors read and export it; verify and
export are audited too).

Filter semantics (AuditFilter): `actor` is the user name exactly; `action` is exact, or a prefix when it ends in
"*" ("record.*" is every record action); `record_id` is exact for a whole id and a prefix for part of one;
`since` is inclusive and `until` exclusive, both UTC (naive, as the store keeps times; an aware datetime is
converted). local_day_bounds turns a from/to pair of local calendar days into that range, the 'to' day
included whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.errors import InvalidRequest, ServiceError
from desktop_app.services.table_file import output_format, write_table
from desktop_app.storage.audit_chain import ChainReport as ChainReport  # re-exported: the UI shows it
from desktop_app.storage.models import AuditEntry, User
from desktop_app.storage.store import IntegrityReport, Store

EXPORT_PAGE = 1000
RECORD_ID_LENGTH = 36  # a UUID: a shorter record id filter is a prefix
EXPORT_HEADERS = (
    "序号 / Seq (seq)",
    "时间（UTC） / Time (UTC) (ts)",
    "用户 / User (actor)",
    "操作 / Action (action)",
    "记录编号 / Record id (record_id)",
    "详情 / Details (details)",
)


class AuditExportCancelled(ServiceError):
    """The caller cancelled the audit export; no file was written and nothing was audited."""

    code = "cancelled"


@dataclass(frozen=True)
class AuditItem:
    seq: int
    ts: str
    actor: str
    action: str
    record_id: str | None
    details: dict[str, object]


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    record_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    before_seq: int | None = None  # paging: newest first, entries older than this seq
    limit: int = 200


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """(since, until) in naive UTC for the local calendar days `first` to `last`, both included whole."""

    def utc_midnight(day: date) -> datetime:
        local = datetime.combine(day, time()).astimezone()  # the machine's time zone, as the branch reads days
        return local.astimezone(UTC).replace(tzinfo=None)

    since = utc_midnight(first) if first else None
    until = utc_midnight(last + timedelta(days=1)) if last else None
    return since, until


def filter_details(flt: AuditFilter) -> dict[str, object]:
    """The filter as an audit entry records it (user names, actions, record ids and times: no customer data)."""
    return {
        "actor": flt.actor or None,
        "action": flt.action or None,
        "record_id": flt.record_id or None,
        "since": _iso(flt.since) if flt.since else None,
        "until": _iso(flt.until) if flt.until else None,
    }


def _where(stmt: Select[Any], flt: AuditFilter) -> Select[Any]:
    """The filter's terms (not its paging) on a select of AuditEntry."""
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor_name == flt.actor)
    if flt.action.endswith("*"):
        prefix = flt.action[:-1]
        if prefix:
            stmt = stmt.where(AuditEntry.action >= prefix, AuditEntry.action < prefix + "\U0010ffff")
    elif flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.record_id:
        if len(flt.record_id) >= RECORD_ID_LENGTH:
            stmt = stmt.where(AuditEntry.record_id == flt.record_id)
        else:
            stmt = stmt.where(
                AuditEntry.record_id >= flt.record_id, AuditEntry.record_id < flt.record_id + "\U0010ffff"
            )
    if flt.since:
        stmt = stmt.where(AuditEntry.ts >= _iso(flt.since))
    if flt.until:
        stmt = stmt.where(AuditEntry.ts < _iso(flt.until))
    return stmt


def _item(e: AuditEntry) -> AuditItem:
    return AuditItem(e.seq, e.ts, e.actor_name, e.action, e.record_id, json.loads(e.details))


class AuditService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(self, actor: Actor, flt: AuditFilter) -> list[AuditItem]:
        """Audit entries matching the filter, newest first, one page."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VIEW)
            stmt = _where(select(AuditEntry), flt)
            if flt.before_seq is not None:
                stmt = stmt.where(AuditEntry.seq < flt.before_seq)
            stmt = stmt.order_by(AuditEntry.seq.desc()).limit(max(1, min(flt.limit, 1000)))
            return [_item(e) for e in s.scalars(stmt)]

    def actions(self, actor: Actor) -> list[str]:
        """Every action name the trail holds, sorted (for the viewer's action filter)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VIEW)
            # A skip scan over the action index: one short lookup per distinct action, not a walk of the trail.
            found: list[str] = []
            while True:
                nxt = s.scalar(
                    select(func.min(AuditEntry.action)).where(AuditEntry.action > (found[-1] if found else ""))
                )
                if nxt is None:
                    return found
                found.append(nxt)

    def actors(self, actor: Actor) -> list[str]:
        """The user names of every account that appears in the trail, sorted (for the viewer's user filter)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VIEW)
            ids: list[int] = []
            while True:  # a skip scan over the actor index, as in actions()
                nxt = s.scalar(
                    select(func.min(AuditEntry.actor_id)).where(AuditEntry.actor_id > (ids[-1] if ids else -1))
                )
                if nxt is None:
                    break
                ids.append(int(nxt))
            names = set(s.scalars(select(User.username).where(User.id.in_(ids)))) if ids else set()
            if s.scalar(select(AuditEntry.seq).where(AuditEntry.actor_id.is_(None)).limit(1)) is not None:
                names.add("system")
            return sorted(names)

    def count(self, actor: Actor, flt: AuditFilter) -> int:
        """How many entries match the filter (its paging ignored)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VIEW)
            return int(s.scalar(_where(select(func.count()).select_from(AuditEntry), flt)) or 0)

    def export(
        self,
        actor: Actor,
        flt: AuditFilter,
        path: Path,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Write every entry matching the filter (newest first; its paging ignored) to `path` (.xlsx or .csv);
        returns how many. The export is audited as 'audit.export' with the filter and the count."""
        path = Path(path)
        with self._store.read() as s:  # one snapshot: entries appended meanwhile are not half in the file
            authorise(s, actor, Permission.AUDIT_VIEW)
            fmt = output_format(path)
            total = int(s.scalar(_where(select(func.count()).select_from(AuditEntry), flt)) or 0) if progress else 0
            rows = _export_rows(s, replace(flt, before_seq=None), total, progress, cancelled)
            try:
                count = write_table(path, EXPORT_HEADERS, rows, sheet="audit")
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise InvalidRequest(
                    f"Cannot write the file in '{path.parent}' ({reason}). Choose a folder you may write to and "
                    "try again.",
                    f"无法在“{path.parent}”中写入文件（{reason}）。请选择您有权写入的文件夹后重试。",
                ) from exc
        try:
            with self._store.write() as s:
                self._store.audit(
                    s,
                    action="audit.export",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"filter": filter_details(flt), "count": count, "format": fmt, "file": path.name},
                )
        except BaseException:
            path.unlink(missing_ok=True)  # an export missing from the trail it copies is not handed out
            raise
        return count

    def verify_chain(self, actor: Actor) -> ChainReport:
        """Check the audit chain (auditor or admin); the check itself is audited."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VERIFY)
        report = self._store.verify().audit
        self._record_check(actor, report.ok, report.first_bad_seq)
        return report

    def verify_store(self, actor: Actor | None) -> IntegrityReport:
        """The full check: pages, SQLite structure and audit chain. None = the workstation's own account."""
        if actor is not None:
            with self._store.read() as s:
                authorise(s, actor, Permission.AUDIT_VERIFY)
        report = self._store.verify()
        self._record_check(actor, report.ok, report.audit.first_bad_seq)
        return report

    def _record_check(self, actor: Actor | None, ok: bool, first_bad: int | None) -> None:
        try:
            with self._store.write() as s:
                self._store.audit(
                    s,
                    action="store.verify",
                    actor_id=actor.user_id if actor else None,
                    actor_name=actor.username if actor else "system",
                    details={"ok": ok, "first_bad": first_bad},
                )
        except Exception:  # noqa: S110 - a damaged store may refuse the write; the report still stands
            pass


def _export_rows(
    s: Session,
    flt: AuditFilter,
    total: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[list[str]]:
    """The matching entries as text rows, newest first, read in keyset pages (the session is emptied per page)."""
    before: int | None = None
    done = 0
    while True:
        if cancelled is not None and cancelled():
            raise AuditExportCancelled("The export was cancelled; no file was written.", "导出已取消，未写入文件。")
        stmt = _where(select(AuditEntry), flt)
        if before is not None:
            stmt = stmt.where(AuditEntry.seq < before)
        page = list(s.scalars(stmt.order_by(AuditEntry.seq.desc()).limit(EXPORT_PAGE)))
        if not page:
            return
        for e in page:
            yield [str(e.seq), e.ts, e.actor_name, e.action, e.record_id or "", e.details]
        done += len(page)
        before = page[-1].seq
        s.expunge_all()
        if progress is not None:
            progress(done, max(total, done))

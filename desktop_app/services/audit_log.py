"""Reading and verifying the audit trail (auditors and supervisors read it; verify is audited too)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise
from desktop_app.storage.audit_chain import ChainReport
from desktop_app.storage.models import AuditEntry
from desktop_app.storage.store import IntegrityReport, Store


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
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AuditService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(self, actor: Actor, flt: AuditFilter) -> list[AuditItem]:
        """Audit entries matching the filter, newest first, one page."""
        with self._store.read() as s:
            authorise(s, actor, Permission.AUDIT_VIEW)
            stmt = select(AuditEntry)
            if flt.actor:
                stmt = stmt.where(AuditEntry.actor_name == flt.actor)
            if flt.action:
                stmt = stmt.where(AuditEntry.action == flt.action)
            if flt.record_id:
                stmt = stmt.where(AuditEntry.record_id == flt.record_id)
            if flt.since:
                stmt = stmt.where(AuditEntry.ts >= _iso(flt.since))
            if flt.until:
                stmt = stmt.where(AuditEntry.ts < _iso(flt.until))
            if flt.before_seq is not None:
                stmt = stmt.where(AuditEntry.seq < flt.before_seq)
            stmt = stmt.order_by(AuditEntry.seq.desc()).limit(max(1, min(flt.limit, 1000)))
            return [
                AuditItem(e.seq, e.ts, e.actor_name, e.action, e.record_id, json.loads(e.details))
                for e in s.scalars(stmt)
            ]

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

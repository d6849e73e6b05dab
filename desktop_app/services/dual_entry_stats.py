"""Dual-entry statistics for supervisors: discrepancy rates per clerk, per field and per day — which fields
are keyed wrong most, which clerks need help. Exportable as CSV (the export is audited)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop_app.domain.comparison import compare_entries
from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.records import RecordService, _usernames
from desktop_app.storage.models import ReconciliationDecision, Record, RecordVersion, SecondEntry
from desktop_app.storage.store import Store


@dataclass(frozen=True)
class _Entry:
    record_id: str
    version: int
    clerk_id: int
    data: str
    created_at: datetime


@dataclass(frozen=True)
class ClerkStats:
    clerk: str
    entries: int  # forms keyed, as first or second clerk, that were compared
    fields: int  # fields compared in those forms
    errors: int  # fields the reconciliation found this clerk keyed wrong

    @property
    def rate(self) -> float:
        return self.errors / self.fields if self.fields else 0.0


@dataclass(frozen=True)
class FieldStats:
    field: str
    compared: int
    differing: int

    @property
    def rate(self) -> float:
        return self.differing / self.compared if self.compared else 0.0


@dataclass(frozen=True)
class DayStats:
    day: str
    compared: int
    with_differences: int

    @property
    def rate(self) -> float:
        return self.with_differences / self.compared if self.compared else 0.0


@dataclass(frozen=True)
class DiscrepancyReport:
    clerks: tuple[ClerkStats, ...]
    fields: tuple[FieldStats, ...]
    days: tuple[DayStats, ...]


class DualEntryStatsService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def report(self, actor: Actor, since: datetime | None = None, until: datetime | None = None) -> DiscrepancyReport:
        """Discrepancy rates over the second entries made in [since, until)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.STATS_VIEW)
            stmt = (
                select(SecondEntry, RecordVersion, Record.form_key)
                .join(
                    RecordVersion,
                    (RecordVersion.record_id == SecondEntry.record_id) & (RecordVersion.version == SecondEntry.version),
                )
                .join(Record, Record.id == SecondEntry.record_id)
            )
            if since is not None:
                stmt = stmt.where(SecondEntry.created_at >= since)
            if until is not None:
                stmt = stmt.where(SecondEntry.created_at < until)
            rows = [
                (_Entry(e.record_id, e.version, e.clerk_id, e.data, e.created_at), v.created_by, v.data, form_key)
                for e, v, form_key in s.execute(stmt)
            ]
            decided: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
            ids = {entry.record_id for entry, _, _, _ in rows}
            if ids:
                for d in s.scalars(select(ReconciliationDecision).where(ReconciliationDecision.record_id.in_(ids))):
                    decided[(d.record_id, d.version)][d.field] = d.choice
            clerk_ids = {e.clerk_id for e, _, _, _ in rows} | {first for _, first, _, _ in rows}
            names = _usernames(s, list(clerk_ids))
        entries: Counter[int] = Counter()
        fields_keyed: Counter[int] = Counter()
        errors: Counter[int] = Counter()
        field_compared: Counter[str] = Counter()
        field_differing: Counter[str] = Counter()
        day_compared: Counter[str] = Counter()
        day_differing: Counter[str] = Counter()
        for entry, first_clerk, first_data, form_key in rows:
            schema = self._records.form(form_key)
            dual = [f.key for f in schema.fields if f.dual_entry]
            differences = compare_entries(schema, json.loads(first_data), json.loads(entry.data))
            second_clerk = entry.clerk_id
            for clerk in (first_clerk, second_clerk):
                entries[clerk] += 1
                fields_keyed[clerk] += len(dual)
            for choice in decided.get((entry.record_id, entry.version), {}).values():
                if choice in ("second", "other"):
                    errors[first_clerk] += 1
                if choice in ("first", "other"):
                    errors[second_clerk] += 1
            for key in dual:
                field_compared[key] += 1
            for diff in differences:
                field_differing[diff.field] += 1
            day = entry.created_at.strftime("%Y-%m-%d")
            day_compared[day] += 1
            day_differing[day] += 1 if differences else 0
        clerks = sorted(
            (ClerkStats(names.get(c, str(c)), entries[c], fields_keyed[c], errors[c]) for c in entries),
            key=lambda c: (-c.rate, c.clerk),
        )
        fields = sorted(
            (FieldStats(k, field_compared[k], field_differing[k]) for k in field_compared),
            key=lambda f: (-f.rate, f.field),
        )
        days = sorted((DayStats(d, day_compared[d], day_differing[d]) for d in day_compared), key=lambda d: d.day)
        return DiscrepancyReport(tuple(clerks), tuple(fields), tuple(days))

    def export_csv(self, actor: Actor, since: datetime | None = None, until: datetime | None = None) -> str:
        """The report as CSV text (three sections); the export is audited."""
        report = self.report(actor, since, until)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "key", "count", "differing_or_errors", "rate"])
        for c in report.clerks:
            writer.writerow(["clerk", c.clerk, c.fields, c.errors, f"{c.rate:.4f}"])
        for f in report.fields:
            writer.writerow(["field", f.field, f.compared, f.differing, f"{f.rate:.4f}"])
        for d in report.days:
            writer.writerow(["day", d.day, d.compared, d.with_differences, f"{d.rate:.4f}"])
        with self._store.write() as s:
            self._store.audit(
                s,
                action="stats.export",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={
                    "since": since.isoformat() if since else None,
                    "until": until.isoformat() if until else None,
                    "rows": len(report.clerks) + len(report.fields) + len(report.days),
                },
            )
        return out.getvalue()

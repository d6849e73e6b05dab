"""The dashboard's figures: counts by status, entries per clerk per day, discrepancy rates, validation
failures by field, sync backlog.

One `snapshot()` reads everything the dashboard shows in one read transaction (plus the dual-entry report,
which the statistics service already computes) with SQL aggregates, so it stays quick on a large store. Only
staff usernames, field keys and counts leave here: never a customer value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.dual_entry_stats import DiscrepancyReport, DualEntryStatsService
from desktop_app.services.errors import InvalidRequest
from desktop_app.services.records import RecordService, _usernames
from desktop_app.storage.models import OutboxItem, Record, RecordVersion, SecondEntry, SyncState, ValidationFailure
from desktop_app.storage.store import Store
from desktop_app.sync.outbox import OutboxState

#: The periods the dashboard offers; any from 1 to MAX_DAYS is accepted.
PERIODS: tuple[int, ...] = (7, 14, 30)
MAX_DAYS = 366
#: How many fields the validation-failure chart lists (the rest are summed in `failures_other`).
TOP_FIELDS = 10
#: Version kinds that are a first entry of a customer: keyed on a new form, or imported from a spreadsheet.
FIRST_ENTRY_KINDS: tuple[str, ...] = ("create", "import")


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class ClerkDay:
    """What one clerk keyed on one local day: first entries (new forms and imported rows) and second entries."""

    day: date
    clerk: str
    first: int
    second: int

    @property
    def total(self) -> int:
        return self.first + self.second


@dataclass(frozen=True)
class FieldCount:
    field: str  # a form field key; the UI shows the form's label for it
    count: int


@dataclass(frozen=True)
class SyncBacklog:
    """The outbox by state, as of `as_of` (naive UTC). `pending` rows were never tried; `retrying` rows failed
    to send at least once and wait for their next attempt; both are still to go."""

    pending: int
    retrying: int
    refused: int
    conflict: int
    key_conflict: int
    acknowledged: int
    oldest_pending_at: datetime | None
    last_success_at: datetime | None
    as_of: datetime

    @property
    def waiting(self) -> int:
        """Rows not yet at the central server (to send, or to act on)."""
        return self.pending + self.retrying + self.refused + self.conflict + self.key_conflict

    @property
    def oldest_pending_age(self) -> timedelta | None:
        """How long the oldest row still to send (pending or retrying) has waited."""
        return None if self.oldest_pending_at is None else max(self.as_of - self.oldest_pending_at, timedelta(0))


@dataclass(frozen=True)
class DashboardSnapshot:
    """Everything the dashboard draws, for the local days `days` (oldest first, today last)."""

    days: tuple[date, ...]
    statuses: tuple[StatusCount, ...]  # every lifecycle status, in lifecycle order, zeros included
    entries: tuple[ClerkDay, ...]  # only (day, clerk) pairs with an entry, by day then clerk
    discrepancy: DiscrepancyReport  # second entries made in the period
    failures: tuple[FieldCount, ...]  # the TOP_FIELDS fields that failed most in the period
    failures_other: int  # failures on the fields beyond the top ones
    backlog: SyncBacklog

    @property
    def clerks(self) -> tuple[str, ...]:
        """The clerks with an entry in the period, by most entries first."""
        totals: dict[str, int] = {}
        for e in self.entries:
            totals[e.clerk] = totals.get(e.clerk, 0) + e.total
        return tuple(sorted(totals, key=lambda c: (-totals[c], c)))

    @property
    def failures_total(self) -> int:
        return sum(f.count for f in self.failures) + self.failures_other


def local_midnight_utc(day: date) -> datetime:
    """The start of a local day as naive UTC, the way the store keeps times."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).replace(tzinfo=None)


def _local_day(column: ColumnElement[datetime] | object) -> ColumnElement[str]:
    # SQLite's 'localtime' modifier applies the same time zone rules as Python's local time, per row (so a
    # period across a daylight-saving change still puts each entry on its own local day).
    return func.date(column, "localtime")


class DashboardService:
    def __init__(self, store: Store, records: RecordService, stats: DualEntryStatsService) -> None:
        self._store = store
        self._records = records
        self._stats = stats

    def snapshot(self, actor: Actor, today: date | None = None, days: int = 14) -> DashboardSnapshot:
        """The dashboard's figures for the `days` local days ending with `today` (default: the local date)."""
        if not 1 <= days <= MAX_DAYS:
            raise InvalidRequest(
                f"The dashboard period must be from 1 to {MAX_DAYS} days, not {days}.",
                f"统计期间须为 1 至 {MAX_DAYS} 天，而不是 {days} 天。",
            )
        today = today or date.today()
        period = tuple(today - timedelta(days=n) for n in range(days - 1, -1, -1))
        since, until = local_midnight_utc(period[0]), local_midnight_utc(today + timedelta(days=1))
        with self._store.read() as s:
            authorise(s, actor, Permission.STATS_VIEW)
            statuses = self._statuses(s)
            entries = self._entries(s, since, until)
            failures, other = self._failures(s, since, until)
            backlog = self._backlog(s)
        # The statistics service authorises on its own and already does the comparison: reused, not redone.
        discrepancy = self._stats.report(actor, since=since, until=until)
        return DashboardSnapshot(period, statuses, entries, discrepancy, failures, other, backlog)

    @staticmethod
    def _statuses(s: Session) -> tuple[StatusCount, ...]:
        counts = {str(st): int(n) for st, n in s.execute(select(Record.status, func.count()).group_by(Record.status))}
        return tuple(StatusCount(st, counts.get(st.value, 0)) for st in Status)

    @staticmethod
    def _entries(s: Session, since: datetime, until: datetime) -> tuple[ClerkDay, ...]:
        # Every entry in the period changed its record's updated_at to a time in the period, so the indexed
        # updated_at range finds the few records to look at without scanning all versions (which have no
        # time index); the join then reads each one's first version (or second entry) by its key.
        recent = Record.updated_at >= since
        first_day = _local_day(RecordVersion.created_at)
        firsts = s.execute(
            select(first_day, RecordVersion.created_by, func.count())
            .select_from(Record)
            .join(RecordVersion, (RecordVersion.record_id == Record.id) & (RecordVersion.version == 1))
            .where(
                recent,
                RecordVersion.kind.in_(FIRST_ENTRY_KINDS),
                RecordVersion.created_at >= since,
                RecordVersion.created_at < until,
            )
            .group_by(first_day, RecordVersion.created_by)
        ).all()
        second_day = _local_day(SecondEntry.created_at)
        seconds = s.execute(
            select(second_day, SecondEntry.clerk_id, func.count())
            .select_from(Record)
            .join(SecondEntry, SecondEntry.record_id == Record.id)
            .where(recent, SecondEntry.created_at >= since, SecondEntry.created_at < until)
            .group_by(second_day, SecondEntry.clerk_id)
        ).all()
        tally: dict[tuple[str, int], list[int]] = {}
        for column, rows in ((0, firsts), (1, seconds)):
            for day, clerk, n in rows:
                tally.setdefault((str(day), int(clerk)), [0, 0])[column] += int(n)
        names = _usernames(s, sorted({clerk for _, clerk in tally}))
        out = [
            ClerkDay(date.fromisoformat(day), names.get(clerk, str(clerk)), first, second)
            for (day, clerk), (first, second) in tally.items()
        ]
        return tuple(sorted(out, key=lambda e: (e.day, e.clerk)))

    @staticmethod
    def _failures(s: Session, since: datetime, until: datetime) -> tuple[tuple[FieldCount, ...], int]:
        n = func.count().label("n")
        rows = s.execute(
            select(ValidationFailure.field, n)
            .where(ValidationFailure.at >= since, ValidationFailure.at < until)
            .group_by(ValidationFailure.field)
            .order_by(n.desc(), ValidationFailure.field)
        ).all()
        counts = [FieldCount(str(field), int(count)) for field, count in rows]
        return tuple(counts[:TOP_FIELDS]), sum(c.count for c in counts[TOP_FIELDS:])

    @staticmethod
    def _backlog(s: Session) -> SyncBacklog:
        # Counted on the (state, next_attempt_at) index; only the pending rows are read for their attempts.
        counts = {
            str(state): int(n)
            for state, n in s.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state))
        }
        pending = OutboxItem.state == OutboxState.PENDING.value
        retrying = int(
            s.scalar(select(func.count()).select_from(OutboxItem).where(pending, OutboxItem.attempts > 0)) or 0
        )
        oldest = s.scalar(select(func.min(OutboxItem.created_at)).where(pending))
        state = s.get(SyncState, 1)
        return SyncBacklog(
            pending=counts.get(OutboxState.PENDING.value, 0) - retrying,
            retrying=retrying,
            refused=counts.get(OutboxState.REFUSED.value, 0),
            conflict=counts.get(OutboxState.CONFLICT.value, 0),
            key_conflict=counts.get(OutboxState.KEY_CONFLICT.value, 0),
            acknowledged=counts.get(OutboxState.ACKED.value, 0),
            oldest_pending_at=oldest,
            last_success_at=state.last_success_at if state else None,
            as_of=utcnow(),
        )

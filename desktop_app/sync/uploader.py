"""Upload the outbox: due rows in batches, oldest first, each row marked by the server's answer for it.

Exactly-once rests on two rules, so that a crash, a lost answer or a second runner never loses or doubles a
record:
- a row is marked only after the server's answer for it has been read, in one transaction per batch (a kill
  before that commit leaves the rows pending, and they are simply sent again);
- sending again is harmless: the server keys each version by "<record uuid>:<version>" and answers "duplicate"
  (acknowledged) for a payload it already stored.

Each acknowledgement is marked with the device id whose credential received it (`acked_by`); retention purges
only such rows. Rows acknowledged before that was recorded are sent once more after the pending ones, so that
the enrolled server confirms them (it answers "duplicate", or stores what it never had).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.lifecycle import Status, check_transition
from desktop_app.domain.sync_protocol import MAX_BATCH_ITEMS, ItemResult, ItemStatus, UploadItem
from desktop_app.storage.models import PURGED_DATA, OutboxItem, Record, StatusEvent
from desktop_app.storage.store import Store
from desktop_app.sync.errors import RateLimited, RequestRejected, SyncTransportError
from desktop_app.sync.outbox import OutboxState, central_json, reasons_json, refusal_summary, upload_item, utcnow
from desktop_app.sync.retry_policy import DEFAULT_POLICY, RetryPolicy
from desktop_app.sync.transport import Transport

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class _Due:
    """An outbox row about to be sent, read out of its session."""

    id: int
    idempotency_key: str
    record_id: str
    version: int
    payload: str


@dataclass
class RecordsReport:
    """What one pass over the outbox did. `errors` are the transport failures (the last one stopped it, unless
    it was a rejected batch); `retry_at` is when the server said to send again, after a rate limit."""

    sent: int = 0
    acked: int = 0
    refused: int = 0
    conflicts: int = 0
    key_conflicts: int = 0
    unanswered: int = 0
    batches: int = 0
    cancelled: bool = False
    errors: list[SyncTransportError] = field(default_factory=list)
    retry_at: datetime | None = None


def _preload(s: Session, rows: Sequence[_Due]) -> list[OutboxItem]:
    """Load these outbox rows in one query, so that each session.get() after finds them in the identity map.
    The caller keeps the returned list: the identity map holds unmodified objects only weakly."""
    if not rows:
        return []
    return list(s.scalars(select(OutboxItem).where(OutboxItem.id.in_([row.id for row in rows]))))


def _values_of(item: UploadItem) -> Mapping[str, Any]:
    values = item.payload.get("values")
    return values if isinstance(values, Mapping) else {}


class Uploader:
    """Sends due outbox rows through one transport and marks them; one instance per sync run."""

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        actor_id: int | None,
        actor_name: str,
        policy: RetryPolicy = DEFAULT_POLICY,
        batch_size: int = MAX_BATCH_ITEMS,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._transport = transport
        self._actor_id = actor_id
        self._actor_name = actor_name
        self._policy = policy
        self._batch_size = max(1, min(batch_size, MAX_BATCH_ITEMS))
        self._clock = clock
        self._rng = rng

    # --- reading -----------------------------------------------------------------------------------------------
    def _due(self, force: bool) -> list[ColumnElement[bool]]:
        terms: list[ColumnElement[bool]] = [OutboxItem.state == OutboxState.PENDING.value]
        if not force:
            terms.append(or_(OutboxItem.next_attempt_at.is_(None), OutboxItem.next_attempt_at <= self._clock()))
        return terms

    @staticmethod
    def _unconfirmed() -> list[ColumnElement[bool]]:
        """Rows acknowledged before the acknowledging enrolment was recorded (migration 0006), not purged yet."""
        return [
            OutboxItem.state == OutboxState.ACKED.value,
            OutboxItem.acked_by.is_(None),
            OutboxItem.payload != PURGED_DATA,
        ]

    def due_count(self, *, force: bool) -> int:
        """How many rows this pass would send (for progress)."""
        with self._store.read() as s:
            return sum(
                int(s.scalar(select(func.count()).select_from(OutboxItem).where(*terms)) or 0)
                for terms in (self._due(force), self._unconfirmed())
            )

    def _next_batch(self, after_id: int, terms: Sequence[ColumnElement[bool]]) -> list[_Due]:
        with self._store.read() as s:  # plain values out: the read session's objects expire when it ends
            query = (
                select(
                    OutboxItem.id,
                    OutboxItem.idempotency_key,
                    OutboxItem.record_id,
                    OutboxItem.version,
                    OutboxItem.payload,
                )
                .where(OutboxItem.id > after_id, *terms)
                .order_by(OutboxItem.id)
                .limit(self._batch_size)
            )
            return [_Due(*row) for row in s.execute(query)]

    # --- the pass --------------------------------------------------------------------------------------------
    def upload_pending(
        self, *, force: bool = False, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> RecordsReport:
        """Send every due row, batch by batch, then the acknowledged rows still to be confirmed by the enrolled
        server; stops at the first failure that a later try could mend.

        `force` sends rows whose backoff has not run out yet (someone pressed "sync now"). `cancelled` is
        asked between batches: a batch in flight is always finished and marked.
        """
        report = RecordsReport()
        total = self.due_count(force=force)
        done = 0
        if progress:
            progress(0, total)
        phases = [self._due(force), self._unconfirmed()]
        after_id = 0  # keyset paging: a row is looked at once per pass, even if it stays pending
        while phases:
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            rows = self._next_batch(after_id, phases[0])
            if not rows:
                phases.pop(0)
                after_id = 0
                continue
            after_id = rows[-1].id
            items, unreadable = self._items(rows)
            if unreadable:
                self._mark_failed(unreadable, "the stored payload cannot be read; it was not sent")
            if not items:
                continue
            sent_rows = [r for r in rows if r not in unreadable]
            report.batches += 1
            try:
                results = self._transport.upload_batch(items)
            except RequestRejected as exc:  # this batch cannot go as it is; later ones may
                log.error("the central server rejected a batch of %d outbox rows: %s", len(items), exc.message)
                report.sent += len(items)  # it reached the server, which answered for it
                self._mark_failed(sent_rows, exc.message)
                report.errors.append(exc)
                continue
            except RateLimited as exc:  # every later batch would be refused the same way until the wait is over
                log.warning("the central server rate-limits this device for %d s", exc.retry_after)
                report.retry_at = self._mark_limited(sent_rows, exc)
                report.errors.append(exc)
                break
            except SyncTransportError as exc:
                if exc.retryable:
                    self._mark_failed(sent_rows, exc.message)
                report.errors.append(exc)  # a credential or address problem leaves the rows as they were
                break
            # Counted once the server answered for the batch: a request refused before it was taken (a revoked
            # device, an untrusted certificate, a rate limit, no answer) sent nothing the summary may count.
            report.sent += len(items)
            self._mark_results(sent_rows, items, results, report)
            done += len(items)
            total = max(total, done)  # rows approved during the run are sent too
            if progress:
                progress(done, total)
        return report

    @staticmethod
    def _items(rows: Sequence[_Due]) -> tuple[list[UploadItem], list[_Due]]:
        items: list[UploadItem] = []
        unreadable: list[_Due] = []
        for row in rows:
            try:
                items.append(upload_item(row.idempotency_key, row.record_id, row.version, row.payload))
            except (ValueError, TypeError):
                unreadable.append(row)
        return items, unreadable

    # --- marking ---------------------------------------------------------------------------------------------
    def _mark_failed(self, rows: Sequence[_Due], message: str) -> None:
        """No usable answer: count the attempt and schedule the next one (backoff with jitter)."""
        now = self._clock()
        with self._store.write() as s:
            loaded = _preload(s, rows)  # noqa: F841 - kept alive for the session's identity map
            for stale in rows:
                row = s.get(OutboxItem, stale.id)
                if row is None or row.state != OutboxState.PENDING.value:
                    continue  # another runner got an answer for it meanwhile
                row.attempts += 1
                row.next_attempt_at = self._policy.next_attempt_at(now, row.attempts, self._rng)
                row.last_error = message[:1000]

    def _mark_limited(self, rows: Sequence[_Due], error: RateLimited) -> datetime:
        """The server takes no batch from this device for `error.retry_after` seconds: this batch's rows count
        the attempt, and no pending row is due before then (the others are not counted: they were not sent).
        Returns when the rows are due again."""
        now = self._clock()
        until = now + timedelta(seconds=error.retry_after)
        with self._store.write() as s:
            loaded = _preload(s, rows)  # noqa: F841 - kept alive for the session's identity map
            for stale in rows:
                row = s.get(OutboxItem, stale.id)
                if row is None or row.state != OutboxState.PENDING.value:
                    continue
                row.attempts += 1
                row.next_attempt_at = until
                row.last_error = error.message[:1000]
            s.execute(
                update(OutboxItem)
                .where(
                    OutboxItem.state == OutboxState.PENDING.value,
                    or_(OutboxItem.next_attempt_at.is_(None), OutboxItem.next_attempt_at < until),
                )
                .values(next_attempt_at=until)
                .execution_options(synchronize_session=False)
            )
        return until

    def _mark_results(
        self, rows: Sequence[_Due], items: Sequence[UploadItem], results: Sequence[ItemResult], report: RecordsReport
    ) -> None:
        """Mark each row by the server's answer for it, in one transaction with one audit entry for the batch.

        Acknowledged rows, nearly all of them, are marked with a few bulk statements: an ORM object per row made
        marking a 500-row batch take about as long as the server took to store it. The other answers (refusals,
        conflicts) go through the ORM row by row, as they are few and each needs its own text."""
        now = self._clock()
        ids = {row.idempotency_key: row.id for row in rows}
        by_id = {row.id: row for row in rows}
        values = {item.idempotency_key: _values_of(item) for item in items}
        answered: set[int] = set()
        counts = {"acked": 0, "refused": 0, "conflicts": 0, "key_conflicts": 0}
        with self._store.write() as s:
            # A row acknowledged through an enrolment is done; one acknowledged before that was recorded is
            # being confirmed, and is marked by this answer like a pending one.
            current: dict[int, str] = {
                row_id: state
                for row_id, state, acked_by in s.execute(
                    select(OutboxItem.id, OutboxItem.state, OutboxItem.acked_by).where(OutboxItem.id.in_(by_id))
                )
                if not (state == OutboxState.ACKED.value and acked_by is not None)
            }
            acked: list[int] = []
            others: list[tuple[int, ItemResult]] = []
            for result in results:
                row_id = ids.get(result.idempotency_key)
                if row_id is None or row_id in answered:
                    log.warning("the central server answered for a key that was not in the batch")
                    continue
                answered.add(row_id)
                if row_id not in current:
                    continue
                if result.acknowledged:
                    acked.append(row_id)
                else:
                    others.append((row_id, result))
            if acked:
                # No ORM object of these rows is in the session: nothing to synchronise.
                s.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(acked))
                    .values(
                        state=OutboxState.ACKED.value,
                        attempts=OutboxItem.attempts + 1,
                        next_attempt_at=None,
                        acked_at=now,
                        acked_by=self._transport.device_id,
                        last_error=None,
                        reasons=None,
                        central=None,
                    )
                    .execution_options(synchronize_session=False)
                )
                self._records_synced(s, [(by_id[i].record_id, by_id[i].version) for i in acked], now)
                counts["acked"] = len(acked)
            unanswered = [row for row in rows if row.id not in answered]
            loaded = _preload(s, [by_id[row_id] for row_id, _ in others] + unanswered)  # noqa: F841 - identity map
            for row_id, result in others:
                row = s.get(OutboxItem, row_id)
                if row is None:
                    continue
                row.attempts += 1
                row.next_attempt_at = None
                row.reasons = reasons_json(result, values.get(result.idempotency_key, {}))
                row.last_error = refusal_summary(result)
                if result.status is ItemStatus.REFUSED:
                    row.state = OutboxState.REFUSED.value
                    counts["refused"] += 1
                elif result.status is ItemStatus.VERSION_CONFLICT:
                    row.state = OutboxState.CONFLICT.value
                    row.central = central_json(result.central)
                    counts["conflicts"] += 1
                else:  # KEY_CONFLICT: never applied by the server; kept here and flagged for people to look at
                    row.state = OutboxState.KEY_CONFLICT.value
                    counts["key_conflicts"] += 1
                    log.error("key conflict on outbox row %d (record %s v%d)", row.id, row.record_id, row.version)
            for stale in unanswered:
                row = s.get(OutboxItem, stale.id)
                if row is None or row.state != OutboxState.PENDING.value:
                    continue
                row.attempts += 1
                row.next_attempt_at = self._policy.next_attempt_at(now, row.attempts, self._rng)
                row.last_error = "the central server's answer did not mention this record version"
            self._store.audit(
                s,
                action="sync.batch",
                actor_id=self._actor_id,
                actor_name=self._actor_name,
                details={"items": len(rows), **counts, "unanswered": len(unanswered)},
            )
        report.acked += counts["acked"]
        report.refused += counts["refused"]
        report.conflicts += counts["conflicts"]
        report.key_conflicts += counts["key_conflicts"]
        report.unanswered += len(unanswered)

    def _records_synced(self, s: Session, versions: Sequence[tuple[str, int]], now: datetime) -> None:
        """approved -> synced for each acknowledged (record, version) that is still the record's current one."""
        heads = {
            record_id: [status, version]
            for record_id, status, version in s.execute(
                select(Record.id, Record.status, Record.version).where(Record.id.in_({rid for rid, _ in versions}))
            )
        }
        changed: list[str] = []
        events: list[dict[str, Any]] = []
        for record_id, version in versions:
            head = heads.get(record_id)
            if head is None or head[0] != Status.APPROVED.value or head[1] != version:
                continue  # a change was started since: the record's own status says where it is
            check_transition(Status.APPROVED, Status.SYNCED)
            head[0] = Status.SYNCED.value
            # updated_at stays: an acknowledgement is not a change to the customer's data, and the list sorts by it.
            changed.append(record_id)
            events.append(
                {
                    "record_id": record_id,
                    "version": version,
                    "from_status": Status.APPROVED.value,
                    "to_status": Status.SYNCED.value,
                    "actor_id": self._actor_id,
                    "at": now,
                    "reason": "acknowledged by the central server",
                }
            )
        if changed:
            s.execute(
                update(Record)
                .where(Record.id.in_(changed))
                .values(status=Status.SYNCED.value)
                .execution_options(synchronize_session=False)  # no ORM object of these records is loaded
            )
            s.execute(insert(StatusEvent), events)  # bulk INSERT: one executemany

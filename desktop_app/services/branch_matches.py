"""Is the person on a record awaiting approval likely a customer of another branch? The central server's answer
(domain/branch_match.py: hashed keys out, branch names and kinds of key back), asked from the approval screen.

Online, `check` asks at once and keeps the answer. Offline (the server cannot be reached, or is rate-limiting
this device) the question is queued and asked by the next sync run that reaches the server (SyncService's
after-run work); the answer is kept and the approval screen shows it from `stored` as a warning. A workstation
that is not enrolled has no one to ask: nothing is queued.

A match is a warning for the supervisor, not a block: the other branch's record is not seen here, and the
central office settles a customer held by two branches (customer claims on the server).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.branch_match import BranchMatch, match_keys
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission
from desktop_app.services import form_numbers
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import NotFound
from desktop_app.services.records import RecordService
from desktop_app.services.sync import SyncNotConfigured, SyncService
from desktop_app.storage.models import BranchMatchCheck, Record, StatusEvent
from desktop_app.storage.store import Store
from desktop_app.sync.errors import SyncTransportError
from desktop_app.sync.transport import Transport

log = logging.getLogger(__name__)

#: Seconds the approval screen waits for the server before the question is queued for the next sync.
ONLINE_TIMEOUT_S = 5.0
#: Queued questions asked per sync run (the server limits queries per device and hour).
PER_RUN = 100
BACKGROUND = "background sync"
#: An answer for the same version of a record is shown again for this long without asking.
REUSE_FOR = timedelta(minutes=15)


class CheckState(StrEnum):
    ANSWERED = "answered"  # the server answered (matches may be empty)
    PENDING = "pending"  # queued: asked at the next sync
    NOT_ENROLLED = "not_enrolled"  # no central server to ask


@dataclass(frozen=True)
class BranchCheck:
    """What is known of a record's likely matches in other branches."""

    state: CheckState
    matches: tuple[BranchMatch, ...] = ()
    checked_at: datetime | None = None
    version: int | None = None  # the record's version the answer is for


@dataclass(frozen=True)
class LateMatch:
    """A likely match in another branch found at sync for a record no longer awaiting approval (it was approved
    offline): reported to the supervisors until one marks it seen. No value of the customer's."""

    record_id: str
    form_number: str
    status: Status
    matches: tuple[BranchMatch, ...]
    checked_at: datetime


class BranchMatchService:
    def __init__(self, store: Store, records: RecordService, sync: SyncService) -> None:
        self._store = store
        self._records = records
        self._sync = sync
        sync.add_after_run(self.run_pending)

    def check(self, actor: Actor, record_id: str) -> BranchCheck:
        """Ask the central server now about a record awaiting approval; queued (PENDING) when it cannot be reached,
        NOT_ENROLLED when there is no server. Audited when it answers (branch ids and kinds, never values)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._records._record(s, record_id)
            version = record.version
            awaiting = record.status == Status.AWAITING_APPROVAL.value
        kept = self.stored(actor, record_id)
        if not awaiting:
            return kept or BranchCheck(CheckState.PENDING, version=version)
        if (
            kept is not None
            and kept.version == version
            and kept.checked_at is not None
            and utcnow() - kept.checked_at < REUSE_FOR
        ):
            return kept  # the supervisor moving between records does not ask the server again each time
        try:
            transport = self._sync.connect(actor, timeout=ONLINE_TIMEOUT_S)
        except SyncNotConfigured:
            return BranchCheck(CheckState.NOT_ENROLLED)
        try:
            with transport:
                return self._ask(transport, record_id, actor)
        except SyncTransportError as exc:
            log.info("branch match query for %s queued: %s", record_id, exc.code)
            now = utcnow()
            with self._store.write() as s:
                row = s.get(BranchMatchCheck, record_id)
                if row is None:
                    s.add(BranchMatchCheck(record_id=record_id, version=version, requested_at=now))
                else:
                    row.version, row.requested_at, row.checked_at, row.matches = version, now, None, None
            return BranchCheck(CheckState.PENDING, version=version)

    def stored(self, actor: Actor, record_id: str) -> BranchCheck | None:
        """The last answer kept for this record (or PENDING while queued); None when it was never asked about."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            row = s.get(BranchMatchCheck, record_id)
            if row is None:
                return None
            if row.checked_at is None:
                return BranchCheck(CheckState.PENDING, version=row.version)
            return BranchCheck(CheckState.ANSWERED, _matches(row), row.checked_at, row.version)

    def found_after_approval(self, actor: Actor) -> list[LateMatch]:
        """The matches a sync found for records already approved (asked offline at approval), not yet marked seen,
        newest first: "offline, the check runs later and a match is reported back at sync"."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            approved_at = (
                select(func.max(StatusEvent.at))
                .where(StatusEvent.record_id == Record.id, StatusEvent.to_status == Status.APPROVED.value)
                .scalar_subquery()
            )
            rows = s.execute(
                select(BranchMatchCheck, Record.status)
                .join(Record, Record.id == BranchMatchCheck.record_id)
                .where(
                    BranchMatchCheck.checked_at.is_not(None),
                    BranchMatchCheck.seen_at.is_(None),
                    BranchMatchCheck.matches.is_not(None),
                    BranchMatchCheck.matches != "[]",
                    # approved: a record returned or discarded meanwhile is asked again if it comes back
                    Record.status.in_((Status.APPROVED.value, Status.SYNCED.value)),
                    # answered after the approval: an answer the supervisor had on the Duplicates tab when approving
                    # is not news (found by the independent check)
                    BranchMatchCheck.checked_at > approved_at,
                )
                .order_by(BranchMatchCheck.checked_at.desc())
                .limit(200)
            ).all()
            numbers = form_numbers.numbers_of(s, (row.record_id for row, _ in rows))
            found = []
            for row, status in rows:
                assert row.checked_at is not None
                found.append(
                    LateMatch(
                        row.record_id, numbers.get(row.record_id, ""), Status(status), _matches(row), row.checked_at
                    )
                )
            return found

    def mark_seen(self, actor: Actor, record_id: str) -> None:
        """A supervisor has seen a match found after approval (audited, with the branches and kinds)."""
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            row = s.get(BranchMatchCheck, record_id)
            if row is None or row.checked_at is None or row.seen_at is not None:
                raise NotFound(
                    "This record has no match in another branch left to see (another supervisor may have seen it).",
                    "该记录没有待查看的其他网点可能匹配（可能已由其他主管查看）。",
                )
            row.seen_at, row.seen_by = utcnow(), actor.user_id
            matches = _matches(row)
            self._store.audit(
                s,
                action="duplicate.branch_match_seen",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record_id,
                details={"version": row.version, "branches": {m.workstation_id: list(m.kinds) for m in matches}},
            )

    def run_pending(self, transport: Transport) -> int:
        """Ask the queued questions through a sync run's transport; how many were answered. A record no longer
        awaiting approval is asked all the same: its answer is kept for the record's history of warnings."""
        with self._store.read() as s:
            ids = list(
                s.scalars(
                    select(BranchMatchCheck.record_id)
                    .where(BranchMatchCheck.checked_at.is_(None))
                    .order_by(BranchMatchCheck.requested_at)
                    .limit(PER_RUN)
                )
            )
        for record_id in ids:
            self._ask(transport, record_id, None)
        return len(ids)

    def _ask(self, transport: Transport, record_id: str, actor: Actor | None) -> BranchCheck:
        with self._store.read() as s:
            record = self._records._record(s, record_id)
            version = record.version
            keys = match_keys(self._records._values(s, record), self._records.form(record.form_key))
        matches = tuple(transport.match_customer(keys, record_id)) if keys else ()
        now = utcnow()
        with self._store.write() as s:
            _keep(s, record_id, version, now, matches)
            if matches:
                self._store.audit(
                    s,
                    action="duplicate.branch_match",
                    actor_id=actor.user_id if actor else None,
                    actor_name=actor.username if actor else BACKGROUND,
                    record_id=record_id,
                    details={"version": version, "branches": {m.workstation_id: list(m.kinds) for m in matches}},
                )
        log.info("branch match query for %s: %d branches", record_id, len(matches))
        return BranchCheck(CheckState.ANSWERED, matches, now, version)


def _matches(row: BranchMatchCheck) -> tuple[BranchMatch, ...]:
    """The matches kept in a check's answer (JSON: [BranchMatch.to_json()])."""
    return tuple(BranchMatch.from_json(m) for m in json.loads(row.matches or "[]"))


def _keep(s: Session, record_id: str, version: int, now: datetime, matches: tuple[BranchMatch, ...]) -> None:
    row = s.get(BranchMatchCheck, record_id)
    if row is None:
        row = BranchMatchCheck(record_id=record_id, version=version, requested_at=now)
        s.add(row)
    row.version, row.checked_at, row.seen_at, row.seen_by = version, now, None, None  # a new answer, to be seen
    row.matches = json.dumps([m.to_json() for m in matches], ensure_ascii=False)

"""The dashboard's figures, against a store set up through the services with known numbers.

Days are set by a clock fixture that moves the services' `utcnow` (the time they stamp rows with) to noon of a
chosen local day, and the snapshot is asked for a period ending on a chosen `today`: no real clock is changed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import update

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Role
from desktop_app.services.dashboard import TOP_FIELDS, ClerkDay, FieldCount, local_midnight_utc
from desktop_app.services.errors import InvalidRequest, PermissionDenied, ValidationFailed
from desktop_app.storage.models import OutboxItem, SyncState, ValidationFailure
from tests.conftest import Staff
from tests.support.customers import resident

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)
CLOCKED = (
    "desktop_app.services.records",
    "desktop_app.services.dual_entry",
    "desktop_app.services.validation_log",
)


def noon(day: date) -> datetime:
    """Local noon of `day`, as the naive UTC the store keeps."""
    return datetime.combine(day, time(12)).astimezone().astimezone(UTC).replace(tzinfo=None)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = noon(TODAY)
        for module in CLOCKED:
            monkeypatch.setattr(f"{module}.utcnow", lambda: self.now)

    def on(self, day: date) -> Clock:
        self.now = noon(day)
        return self


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _policy(staff: Staff, policy: str) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", policy)


def test_counts_by_status_cover_every_lifecycle_status_in_order_with_zeros(staff: Staff) -> None:
    ws = staff.ws
    _policy(staff, "none")
    drafts = [ws.records.create(staff.teller, resident(n)).record_id for n in range(3)]
    ws.records.discard(staff.teller, drafts[0], None)
    waiting = [ws.records.create(staff.teller2, resident(10 + n)).record_id for n in range(2)]
    for rid in waiting:
        ws.records.submit(staff.teller2, rid, None)
    ws.records.approve(staff.supervisor, waiting[0], None)

    snap = ws.dashboard.snapshot(staff.supervisor)

    assert [(c.status, c.count) for c in snap.statuses] == [
        (Status.DRAFT, 2),
        (Status.AWAITING_SECOND_ENTRY, 0),
        (Status.AWAITING_RECONCILIATION, 0),
        (Status.AWAITING_APPROVAL, 1),
        (Status.APPROVED, 1),
        (Status.SYNCED, 0),
        (Status.REJECTED, 0),
        (Status.DISCARDED, 1),
    ]


def test_entries_per_clerk_per_day_count_first_and_second_entries_in_the_period(staff: Staff, clock: Clock) -> None:
    ws = staff.ws
    clock.on(TODAY - timedelta(days=20))
    ws.records.create(staff.teller, resident(99))  # before the period: not counted
    clock.on(YESTERDAY)
    for n in range(2):
        ws.records.create(staff.teller, resident(n))
    ws.records.create(staff.teller2, resident(2))
    clock.on(TODAY)
    values = resident(3)
    rid = ws.records.create(staff.teller, values).record_id
    ws.records.submit(staff.teller, rid, None)  # policy "both" (the default): waits for a second entry
    ws.dual_entry.submit(staff.teller2, rid, values)

    snap = ws.dashboard.snapshot(staff.supervisor, today=TODAY, days=14)

    assert snap.days[0] == TODAY - timedelta(days=13) and snap.days[-1] == TODAY and len(snap.days) == 14
    assert snap.entries == (
        ClerkDay(YESTERDAY, "teller", 2, 0),
        ClerkDay(YESTERDAY, "teller2", 1, 0),
        ClerkDay(TODAY, "teller", 1, 0),
        ClerkDay(TODAY, "teller2", 0, 1),
    )
    assert snap.clerks == ("teller", "teller2")
    # a period that ends yesterday sees yesterday's entries only
    earlier = ws.dashboard.snapshot(staff.auditor, today=YESTERDAY, days=7)
    assert {(e.day, e.clerk, e.total) for e in earlier.entries} == {(YESTERDAY, "teller", 2), (YESTERDAY, "teller2", 1)}
    # 21 days back includes the old record
    assert sum(e.first for e in ws.dashboard.snapshot(staff.auditor, today=TODAY, days=21).entries) == 5


def test_discrepancy_rates_are_the_statistics_report_for_the_period(staff: Staff, clock: Clock) -> None:
    ws = staff.ws
    clock.on(TODAY - timedelta(days=30))
    old = resident(40)
    rid = ws.records.create(staff.teller, old).record_id
    ws.records.submit(staff.teller, rid, None)
    ws.dual_entry.submit(staff.teller2, rid, dict(old, postal_code="100001"))  # outside a 7-day period
    clock.on(TODAY)
    for n, changed in enumerate(({"mobile": "13900000000"}, {})):
        values = resident(50 + n)
        rid = ws.records.create(staff.teller, values).record_id
        ws.records.submit(staff.teller, rid, None)
        ws.dual_entry.submit(staff.teller2, rid, dict(values, **changed))

    snap = ws.dashboard.snapshot(staff.supervisor, today=TODAY, days=7)

    expected = ws.stats.report(staff.supervisor, since=local_midnight_utc(snap.days[0]), until=datetime.max)
    assert snap.discrepancy == expected
    rates = {f.field: (f.compared, f.differing) for f in snap.discrepancy.fields}
    assert rates["mobile"] == (2, 1) and rates.get("postal_code", (2, 0)) == (2, 0)
    assert {c.clerk for c in snap.discrepancy.clerks} == {"teller", "teller2"}


def test_validation_failures_logged_by_refused_submits_are_counted_by_field(staff: Staff, clock: Clock) -> None:
    ws = staff.ws
    clock.on(TODAY - timedelta(days=10))
    rid = ws.records.create(staff.teller, dict(resident(60), name="")).record_id
    with pytest.raises(ValidationFailed):
        ws.records.submit(staff.teller, rid, None)  # 10 days ago: outside a 7-day period
    clock.on(TODAY)
    for n in range(3):
        broken = dict(resident(70 + n), name="")
        if n == 0:
            broken["mobile"] = ""
        rid = ws.records.create(staff.teller, broken).record_id
        with pytest.raises(ValidationFailed):
            ws.records.submit(staff.teller, rid, None)

    snap = ws.dashboard.snapshot(staff.supervisor, today=TODAY, days=7)

    assert snap.failures == (FieldCount("name", 3), FieldCount("mobile", 1))
    assert snap.failures_other == 0 and snap.failures_total == 4
    assert sum(f.count for f in ws.dashboard.snapshot(staff.supervisor, today=TODAY, days=14).failures) == 5


def test_only_the_top_fields_are_listed_and_the_rest_summed(staff: Staff) -> None:
    with staff.ws.store.write() as s:
        for n in range(TOP_FIELDS + 3):
            s.add_all(
                ValidationFailure(
                    at=noon(TODAY), user_id=None, source="import", record_id=None, field=f"f{n:02}", code="x"
                )
                for _ in range(n + 1)
            )
    snap = staff.ws.dashboard.snapshot(staff.auditor)
    assert [f.field for f in snap.failures] == [f"f{n:02}" for n in range(TOP_FIELDS + 2, 2, -1)]
    assert snap.failures_other == 1 + 2 + 3


def test_sync_backlog_counts_the_outbox_by_state_with_the_oldest_pending_and_last_success(
    staff: Staff, clock: Clock
) -> None:
    ws = staff.ws
    _policy(staff, "none")
    approved = []
    for n, day in enumerate([TODAY - timedelta(days=3)] + [TODAY] * 6):
        clock.on(day)
        rid = ws.records.create(staff.teller, resident(80 + n)).record_id
        ws.records.submit(staff.teller, rid, None)
        ws.records.approve(staff.supervisor, rid, None)  # enqueued whether or not a server is set up
        approved.append(rid)
    empty = ws.dashboard.snapshot(staff.supervisor).backlog
    assert (empty.pending, empty.retrying, empty.acknowledged, empty.waiting) == (7, 0, 0, 7)
    assert empty.oldest_pending_at == noon(TODAY - timedelta(days=3))
    assert empty.oldest_pending_age is not None and empty.oldest_pending_age >= timedelta(days=2)
    assert empty.last_success_at is None

    # The server's answers, as a sync run would leave them (no server in this test).
    success = noon(YESTERDAY)
    with ws.store.write() as s:
        for rid, state, attempts in zip(
            approved,
            ["acked", "refused", "conflict", "key_conflict", "pending", "acked"],
            [1, 1, 1, 1, 2, 1],
            strict=False,
        ):
            s.execute(update(OutboxItem).where(OutboxItem.record_id == rid).values(state=state, attempts=attempts))
        state_row = s.get(SyncState, 1) or SyncState(id=1, audit_seq=0, audit_hash="")
        state_row.last_success_at = success
        s.add(state_row)

    backlog = ws.dashboard.snapshot(staff.supervisor).backlog
    assert (backlog.pending, backlog.retrying, backlog.refused, backlog.conflict, backlog.key_conflict) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert backlog.acknowledged == 2 and backlog.waiting == 5
    assert backlog.oldest_pending_at == noon(TODAY)  # the oldest row is acknowledged now
    assert backlog.last_success_at == success


def test_the_snapshot_holds_no_customer_data(staff: Staff) -> None:
    ws = staff.ws
    _policy(staff, "none")
    values = resident(90)
    rid = ws.records.create(staff.teller, values).record_id
    ws.records.submit(staff.teller, rid, None)
    ws.records.approve(staff.supervisor, rid, None)
    text = repr(ws.dashboard.snapshot(staff.supervisor))
    for key in ("name", "name_pinyin", "id_number", "mobile", "address"):
        assert values[key] not in text
    assert rid not in text


@pytest.mark.parametrize("days", [0, -1, 367])
def test_an_impossible_period_is_refused_with_a_clear_message(staff: Staff, days: int) -> None:
    with pytest.raises(InvalidRequest, match="1 to 366 days") as err:
        staff.ws.dashboard.snapshot(staff.supervisor, days=days)
    assert "统计期间" in err.value.message_text.zh


@pytest.mark.parametrize("who", ["teller", "admin"])
def test_tellers_and_admins_may_not_see_the_dashboard(staff: Staff, who: str) -> None:
    with pytest.raises(PermissionDenied):
        staff.ws.dashboard.snapshot(getattr(staff, who))


def test_supervisors_and_auditors_may(staff: Staff) -> None:
    for actor in (staff.supervisor, staff.auditor):
        assert len(staff.ws.dashboard.snapshot(actor, days=7).days) == 7
    assert Role.AUDITOR in staff.auditor.roles

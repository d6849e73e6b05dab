"""Periodic review against a real encrypted store: who is due by risk rating and ID expiry as time passes, the
query and the pure rule agreeing on generated records, a review going through the normal flow, masking per role."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.domain.review_policy import Reason, ReviewPolicy, add_years, review_due
from desktop_app.domain.synthetic import generate_customer, generate_customers
from desktop_app.services.errors import Conflict, NotFound, PermissionDenied
from desktop_app.services.records import SearchQuery
from desktop_app.services.reviews import ReviewItem, local_date, utc_start
from desktop_app.storage.models import AuditEntry, Record, RecordVersion, User
from tests.conftest import Staff

TODAY = date.today()


def _approved(staff: Staff, **values: str) -> str:
    """A customer keyed by teller, approved by supervisor today, with these values."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    customer = generate_customer(random.Random(uuid.uuid4().int), TODAY) | values
    rid = staff.ws.records.create(staff.teller, customer).record_id
    staff.ws.records.submit(staff.teller, rid, None)
    staff.ws.records.approve(staff.supervisor, rid, None)
    return rid


def _reviewed_on(staff: Staff, rid: str, day: date) -> None:
    """Pretend the record's current version was approved on `day` (local noon)."""
    with staff.ws.store.write() as s:
        moment = utc_start(day) + timedelta(hours=12)
        s.execute(update(Record).where(Record.id == rid).values(checked_at=moment))


def _due_ids(staff: Staff, today: date, actor: object | None = None) -> set[str]:
    return {item.record_id for item in staff.ws.reviews.due(actor or staff.teller, today=today, limit=500)}


def test_customers_fall_due_by_risk_rating_as_the_years_pass(staff: Staff) -> None:
    ids = {risk: _approved(staff, risk_level=risk, id_valid_until=LONG_TERM) for risk in ("high", "medium", "low", "")}
    reviews = staff.ws.reviews
    assert _due_ids(staff, TODAY) == set()
    assert _due_ids(staff, add_years(TODAY, 1) - timedelta(days=1)) == set()
    assert _due_ids(staff, add_years(TODAY, 1)) == {ids["high"], ids[""]}  # unrated is reviewed as high risk
    assert _due_ids(staff, add_years(TODAY, 2)) == {ids["high"], ids[""], ids["medium"]}
    assert _due_ids(staff, add_years(TODAY, 3)) == set(ids.values())
    assert reviews.count_due(staff.teller, add_years(TODAY, 2)) == 3

    items = {i.record_id: i for i in reviews.due(staff.teller, today=add_years(TODAY, 3))}
    assert items[ids["low"]].reasons == (Reason.PERIODIC,)
    assert items[ids["low"]].due_date == add_years(TODAY, 3)
    assert items[ids["low"]].last_review == TODAY
    assert items[ids[""]].risk_level == ""
    assert items[ids["high"]].maker == "teller"
    # earliest due first
    assert [i.due_date for i in reviews.due(staff.teller, today=add_years(TODAY, 3))] == sorted(
        i.due_date for i in items.values()
    )


def test_the_policy_in_the_settings_decides(staff: Staff) -> None:
    rid = _approved(staff, risk_level="low", id_valid_until=LONG_TERM)
    assert rid not in _due_ids(staff, add_years(TODAY, 1))
    staff.ws.settings.set(staff.admin, "review_years_low", 1)
    assert rid in _due_ids(staff, add_years(TODAY, 1))
    assert staff.ws.reviews.policy(staff.auditor) == ReviewPolicy(1, 2, 1, 30)


def test_a_customer_falls_due_when_the_id_document_nears_its_end(staff: Staff) -> None:
    expires = TODAY + timedelta(days=100)
    rid = _approved(staff, risk_level="low", id_valid_until=expires.isoformat())
    reviews = staff.ws.reviews
    assert rid not in _due_ids(staff, expires - timedelta(days=31))
    (item,) = [i for i in reviews.due(staff.teller, today=expires - timedelta(days=30)) if i.record_id == rid]
    assert item.reasons == (Reason.ID_EXPIRING,) and item.id_expires == expires
    assert item.due_date == expires - timedelta(days=30)
    (item,) = [i for i in reviews.due(staff.teller, today=expires + timedelta(days=1)) if i.record_id == rid]
    assert item.reasons == (Reason.ID_EXPIRED,)

    staff.ws.settings.set(staff.admin, "review_id_expiry_days", 0)
    assert rid not in _due_ids(staff, expires - timedelta(days=1))
    assert rid in _due_ids(staff, expires)


def test_a_review_is_a_new_version_through_the_normal_flow_and_leaves_the_list(staff: Staff) -> None:
    rid = _approved(staff, risk_level="high", id_valid_until=LONG_TERM)
    _reviewed_on(staff, rid, TODAY - timedelta(days=400))
    reviews, records = staff.ws.reviews, staff.ws.records
    assert rid in _due_ids(staff, TODAY)
    before = records.get(staff.supervisor, rid)

    started = reviews.start_review(staff.teller2, rid)
    assert started.status is Status.DRAFT and started.version == before.version + 1
    history = records.history(staff.teller2, rid)
    assert history[-1].kind == "review" and history[-1].base_version == before.version
    with staff.ws.store.read() as s:
        actions = [a for (a,) in s.query(AuditEntry.action).filter(AuditEntry.record_id == rid)]
    assert "record.review_start" in actions

    # under way: not due, and not startable twice (neither as a review nor as a change)
    assert rid not in _due_ids(staff, TODAY)
    assert reviews.count_due(staff.teller, TODAY) == 0
    with pytest.raises(Conflict) as refused:
        reviews.start_review(staff.teller, rid)
    assert "under way" in refused.value.message("en") and "进行中" in refused.value.message("zh")
    with pytest.raises(Conflict):
        records.start_change(staff.teller, rid)

    # the reviewer confirms the values (or edits them), submits; another user approves (four eyes)
    records.submit(staff.teller2, rid, started.version)
    with pytest.raises(PermissionDenied):
        records.approve(staff.teller2, rid, None)
    records.approve(staff.supervisor2, rid, None)
    assert rid not in _due_ids(staff, TODAY)
    assert rid in _due_ids(staff, add_years(TODAY, 1))  # and due again a period after this review


def test_any_approved_record_may_be_reviewed_but_nothing_else(staff: Staff) -> None:
    rid = _approved(staff, risk_level="low", id_valid_until=LONG_TERM)  # not due
    assert staff.ws.reviews.start_review(staff.teller, rid).status is Status.DRAFT
    draft = staff.ws.records.create(staff.teller, generate_customer(random.Random(7), TODAY)).record_id
    with pytest.raises(Conflict):
        staff.ws.reviews.start_review(staff.teller, draft)
    with pytest.raises(NotFound):
        staff.ws.reviews.start_review(staff.teller, str(uuid.uuid4()))
    with pytest.raises(PermissionDenied):
        staff.ws.reviews.start_review(staff.supervisor, _approved(staff))


def test_purged_records_are_left_to_the_central_server(staff: Staff) -> None:
    rid = _approved(staff, risk_level="high", id_valid_until=LONG_TERM)
    assert rid in _due_ids(staff, add_years(TODAY, 1))
    with staff.ws.store.write() as s:
        s.execute(update(Record).where(Record.id == rid).values(purged_at=datetime.now()))
    assert rid not in _due_ids(staff, add_years(TODAY, 1))
    assert staff.ws.reviews.count_due(staff.teller, add_years(TODAY, 1)) == 0


def test_the_list_is_masked_per_role_like_the_customer_list(staff: Staff) -> None:
    rid = _approved(staff, risk_level="high", id_valid_until=LONG_TERM)
    later = add_years(TODAY, 1)
    for actor in (staff.teller, staff.teller2, staff.supervisor, staff.auditor):
        (item,) = staff.ws.reviews.due(actor, today=later)
        (summary,) = [s for s in staff.ws.records.search(actor, SearchQuery()) if s.id == rid]
        assert (item.name, item.id_type, item.id_number) == (summary.name, summary.id_type, summary.id_number)
        assert "*" in item.id_number or "＊" in item.id_number
    full = staff.ws.records.reveal(staff.supervisor, rid, "name")
    assert staff.ws.reviews.due(staff.supervisor, today=later)[0].name == full  # supervisors see names
    assert staff.ws.reviews.due(staff.teller, today=later)[0].name != full


# --- the query and the pure rule agree ----------------------------------------------------------------------------
def _insert_generated(staff: Staff, n: int, seed: int) -> list[Record]:
    """`n` records written straight into the store with random review columns, statuses and times."""
    rng = random.Random(seed)
    base = date(2020, 1, 1)
    leap_days = [date(2020, 2, 29), date(2024, 2, 29)]
    rows: list[Record] = []
    with staff.ws.store.write() as s:
        maker_id = s.query(User.id).filter(User.username == "teller").scalar()
        for i, values in enumerate(generate_customers(n, seed=seed, today=base)):
            day = rng.choice(leap_days) if rng.random() < 0.1 else base + timedelta(days=rng.randrange(6 * 365))
            # near local midnight too: the last review is the local calendar day of the approval
            at = utc_start(day) + timedelta(seconds=rng.choice([0, 1, 43200, 86399]))
            status = rng.choices(
                [Status.APPROVED, Status.SYNCED, Status.DRAFT, Status.AWAITING_APPROVAL, Status.REJECTED],
                [5, 3, 1, 1, 1],
            )[0]
            valid_until = rng.choice(
                [LONG_TERM, "", (base + timedelta(days=rng.randrange(8 * 365))).isoformat(), values["id_valid_until"]]
            )
            record = Record(
                id=f"gen-{seed}-{i:05d}",
                form_key="personal_customer",
                status=status.value,
                version=1,
                approved_version=1,
                maker_id=maker_id,
                made_at=at,
                checked_at=at if status in (Status.APPROVED, Status.SYNCED) else None,
                id_type=values["id_type"],
                id_number=values["id_number"],
                name=values["name"],
                name_pinyin=values.get("name_pinyin", ""),
                mobile=values["mobile"],
                risk_level=rng.choice(["high", "medium", "low", ""]),
                id_valid_until=valid_until,
                created_at=at,
                updated_at=at,
                purged_at=at if rng.random() < 0.05 else None,
            )
            s.add(record)
            s.add(
                RecordVersion(
                    record_id=record.id,
                    version=1,
                    data="{}",
                    kind="create",
                    base_version=None,
                    created_by=maker_id,
                    created_at=at,
                )
            )
            rows.append(record)
    return rows


def _all_due(staff: Staff, today: date) -> list[ReviewItem]:
    items: list[ReviewItem] = []
    while page := staff.ws.reviews.due(staff.auditor, today=today, offset=len(items), limit=37):
        items.extend(page)
    return items


def test_the_query_and_the_pure_rule_agree_on_generated_records(staff: Staff) -> None:
    rows = _insert_generated(staff, 400, seed=11)
    staff.ws.settings.set(staff.admin, "review_years_medium", 2)
    staff.ws.settings.set(staff.admin, "review_years_low", 4)
    staff.ws.settings.set(staff.admin, "review_id_expiry_days", 45)
    policy = staff.ws.reviews.policy(staff.auditor)
    reviewed = [r for r in rows if r.checked_at is not None and r.purged_at is None]
    seen: set[Reason] = set()
    sizes: list[int] = []
    for today in (date(2021, 2, 28), date(2022, 3, 1), date(2024, 2, 29), date(2025, 2, 28), date(2026, 6, 15)):
        expected = {
            r.id: found
            for r in reviewed
            if (found := review_due(policy, local_date(r.checked_at), r.risk_level, r.id_valid_until, today))
        }
        items = _all_due(staff, today)
        assert {i.record_id for i in items} == set(expected), today
        assert len(items) == len(expected)  # pages neither overlap nor skip
        assert staff.ws.reviews.count_due(staff.teller, today) == len(expected)
        for item in items:
            found = expected[item.record_id]
            assert (item.due_date, item.reasons) == (found.due_date, found.reasons)
        seen |= {reason for found in expected.values() for reason in found.reasons}
        sizes.append(len(expected))
        # sorted in SQL by the same due date the rule computes
        assert [i.due_date for i in items] == sorted(i.due_date for i in items)
    assert seen == set(Reason) and min(sizes) > 0 and max(sizes) < len(reviewed)  # every branch was exercised


def test_utc_start_and_local_date_are_inverse() -> None:
    for day in (date(2024, 2, 29), date(2025, 1, 1), date(2025, 12, 31)):
        assert local_date(utc_start(day)) == day
        assert local_date(utc_start(day) - timedelta(microseconds=1)) == day - timedelta(days=1)


def test_roles_allowed_to_see_the_list(staff: Staff) -> None:
    for actor in (staff.teller, staff.supervisor, staff.auditor):
        staff.ws.reviews.count_due(actor)
    with pytest.raises(PermissionDenied):
        staff.ws.reviews.due(staff.admin)


def _put(staff: Staff, rid: str, reviewed: date, risk: str = "high", valid_until: str = LONG_TERM) -> None:
    """One approved record written straight into the store, last reviewed on `reviewed` (local noon)."""
    at = utc_start(reviewed) + timedelta(hours=12)
    with staff.ws.store.write() as s:
        maker_id = s.query(User.id).filter(User.username == "teller").scalar()
        s.add(
            Record(
                id=rid,
                form_key="personal_customer",
                status=Status.APPROVED.value,
                version=1,
                approved_version=1,
                maker_id=maker_id,
                made_at=at,
                checked_at=at,
                risk_level=risk,
                id_valid_until=valid_until,
                created_at=at,
                updated_at=at,
            )
        )


def test_a_leap_day_review_is_due_on_28_february_in_the_list_order_too(staff: Staff) -> None:
    _put(staff, "a-reviewed-1-march", date(2024, 3, 1))
    _put(staff, "z-reviewed-leap-day", date(2024, 2, 29))
    _put(staff, "zz-reviewed-28-february", date(2024, 2, 28))
    items = staff.ws.reviews.due(staff.teller, today=date(2025, 3, 1))
    assert [(i.record_id, i.due_date) for i in items] == [
        ("z-reviewed-leap-day", date(2025, 2, 28)),
        ("zz-reviewed-28-february", date(2025, 2, 28)),
        ("a-reviewed-1-march", date(2025, 3, 1)),
    ]
    assert {i.record_id for i in staff.ws.reviews.due(staff.teller, today=date(2025, 2, 28))} == {
        "z-reviewed-leap-day",
        "zz-reviewed-28-february",
    }

"""Periodic review: which approved customers are due, and starting a review (a new version through the normal flow).

The last review of a customer is the approval of its current approved version (records.checked_at; the approval
of a review sets it again, so a reviewed customer leaves the list). The rule lives in domain/review_policy.py: the
list is one query over the thresholds `cutoffs` gives, sorted and paged in SQL, and each row's due date and
reasons come from `review_due`, the same rule.

Out of scope: a record with a change or review under way (it is being reviewed), and a record whose personal data
retention purged here (the central server holds it and reviews it there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.lifecycle import FINAL, Status
from desktop_app.domain.review_policy import (
    Reason,
    ReviewCutoffs,
    ReviewPolicy,
    RiskLevel,
    cutoffs,
    review_due,
)
from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.errors import Conflict, NotFound
from desktop_app.services.records import MAX_PAGE, RecordService, SaveResult
from desktop_app.services.settings import read_setting
from desktop_app.storage.models import Record, User
from desktop_app.storage.store import Store

POLICY_SETTINGS = ("review_years_high", "review_years_medium", "review_years_low", "review_id_expiry_days")
_ISO_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


@dataclass(frozen=True)
class ReviewItem:
    """A customer due for review, masked for the viewer like the customer list."""

    record_id: str
    status: Status
    name: str
    id_type: str
    id_number: str
    risk_level: str  # as rated: high, medium, low; "" when unrated (reviewed as high)
    last_review: date  # local date of the approval of the current version
    due_date: date
    reasons: tuple[Reason, ...]
    id_expires: date | None  # the ID document's last valid day, when it has one
    maker: str  # who keyed the current approved version


def policy_of(session: Session) -> ReviewPolicy:
    """The branch's review policy, from the settings."""
    return ReviewPolicy.from_settings({key: read_setting(session, key) for key in POLICY_SETTINGS})


def local_date(moment: datetime) -> date:
    """The local calendar day of a stored (naive UTC) time: the day the branch saw it happen."""
    return moment.replace(tzinfo=UTC).astimezone().date()


def utc_start(day: date) -> datetime:
    """The stored (naive UTC) time at which the local calendar `day` begins."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC).replace(tzinfo=None)


def _due_terms(cut: ReviewCutoffs) -> list[ColumnElement[bool]]:
    """WHERE terms selecting exactly the records `review_due` finds due on cut.today (the tests hold them to it)."""

    def reviewed_by(day: date) -> ColumnElement[bool]:  # last review (a local day) on or before `day`
        return Record.checked_at < utc_start(day + timedelta(days=1))

    rated = [RiskLevel.MEDIUM.value, RiskLevel.LOW.value]  # anything else is reviewed as high risk
    periodic = or_(
        and_(Record.risk_level == RiskLevel.MEDIUM.value, reviewed_by(cut.last_review[RiskLevel.MEDIUM])),
        and_(Record.risk_level == RiskLevel.LOW.value, reviewed_by(cut.last_review[RiskLevel.LOW])),
        and_(Record.risk_level.not_in(rated), reviewed_by(cut.last_review[RiskLevel.HIGH])),
    )
    # ISO dates compare as strings; 长期 (long term) and empty values fail the pattern.
    expiring = and_(Record.id_valid_until.op("GLOB")(_ISO_GLOB), Record.id_valid_until <= cut.id_valid_until)
    return [
        Record.status.in_([s.value for s in FINAL]),
        Record.purged_at.is_(None),
        Record.checked_at.is_not(None),
        reviewed_by(cut.today),
        or_(periodic, expiring),
    ]


def _due_page_ids(cut: ReviewCutoffs, policy: ReviewPolicy, offset: int, limit: int) -> Select[Any]:
    """Ids of one page of due records, earliest due first: next_review() in SQL (SQLite date arithmetic)."""
    # The local day of the last review is computed once per due record (a materialised CTE): the 'localtime'
    # conversion is the costly part, and the due-date expression below refers to it several times.
    due = (
        select(
            Record.id, func.date(Record.checked_at, "localtime").label("last"), Record.risk_level, Record.id_valid_until
        )
        .where(*_due_terms(cut))
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    last = due.c.last

    def anniversary(years: int) -> ColumnElement[Any]:
        plain = func.date(last, f"+{years} years")
        # SQLite rolls 29 February on to 1 March in a common year; add_years says 28 February.
        leap_day = and_(func.strftime("%m-%d", last) == "02-29", func.strftime("%m-%d", plain) == "03-01")
        return case((leap_day, func.date(plain, "-1 day")), else_=plain)

    periodic = case(
        (due.c.risk_level == RiskLevel.MEDIUM.value, anniversary(policy.years(RiskLevel.MEDIUM))),
        (due.c.risk_level == RiskLevel.LOW.value, anniversary(policy.years(RiskLevel.LOW))),
        else_=anniversary(policy.years(RiskLevel.HIGH)),
    )
    window = func.max(last, func.date(due.c.id_valid_until, f"-{policy.id_expiry_days} days"))
    by_id = case((due.c.id_valid_until.op("GLOB")(_ISO_GLOB), window), else_=literal(None, String))
    due_date = func.min(periodic, func.coalesce(by_id, periodic))
    return select(due.c.id).order_by(due_date, due.c.id).offset(offset).limit(limit)


class ReviewService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def policy(self, actor: Actor) -> ReviewPolicy:
        """The branch's review policy (years per risk rating, ID expiry window)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_VIEW)
            return policy_of(s)

    def due(self, actor: Actor, today: date | None = None, offset: int = 0, limit: int = 50) -> list[ReviewItem]:
        """One page of the customers due for review on `today` (default: the local date), earliest due first,
        masked per role; never loads more than `limit` rows."""
        day = today or date.today()
        limit = max(1, min(limit, MAX_PAGE))
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            policy = policy_of(s)
            ids = list(s.scalars(_due_page_ids(cutoffs(policy, day), policy, max(0, offset), limit)))
            # then the page's rows, read by primary key, in the order of the page
            rows = s.execute(
                select(Record, User.username).join(User, User.id == Record.maker_id).where(Record.id.in_(ids))
            )
            by_id = {record.id: (record, maker) for record, maker in rows}
            page = [by_id[i] for i in ids if i in by_id]
            schema = self._records.form()
            items: list[ReviewItem] = []
            for record, maker in page:
                if record.checked_at is None:  # cannot happen: the query selects approved records only
                    continue
                last = local_date(record.checked_at)
                found = review_due(policy, last, record.risk_level, record.id_valid_until, day)
                if found is None:  # cannot happen either: the query applies the same rule
                    continue
                summary = self._records._summary(schema, record, maker, roles, actor)
                items.append(
                    ReviewItem(
                        record_id=record.id,
                        status=Status(record.status),
                        name=summary.name,
                        id_type=summary.id_type,
                        id_number=summary.id_number,
                        risk_level=record.risk_level,
                        last_review=last,
                        due_date=found.due_date,
                        reasons=found.reasons,
                        id_expires=found.id_expires,
                        maker=maker,
                    )
                )
            return items

    def count_due(self, actor: Actor, today: date | None = None) -> int:
        """How many customers are due for review on `today` (default: the local date); one indexed count."""
        day = today or date.today()
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_VIEW)
            terms = _due_terms(cutoffs(policy_of(s), day))
            return int(s.scalar(select(func.count()).select_from(Record).where(*terms)) or 0)

    def start_review(self, actor: Actor, record_id: str) -> SaveResult:
        """Start the review of an approved customer (due or not): a new draft version of kind "review" made from
        the approved one, keyed by `actor`, which then goes through the normal flow (submit, second entry by
        policy, approval by someone else). Refused while a change or review of the record is under way."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_CREATE)
            record = s.get(Record, record_id)
            if record is None:
                raise NotFound(f"No record {record_id}.", f"没有记录 {record_id}。")
            if record.approved_version is not None and Status(record.status) not in FINAL:
                raise Conflict(
                    f"A change or review of record {record_id} is already under way (status {record.status}). "
                    "Finish that one: it is the review.",
                    f"记录 {record_id} 已有进行中的变更或复核，请完成该变更或复核，无需重复发起。",
                )
        # start_change checks again inside its own transaction: it is the one that counts.
        return self._records.start_change(actor, record_id, kind="review")

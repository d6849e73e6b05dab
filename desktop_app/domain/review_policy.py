"""Periodic review of approved customers: when a customer is due, and why.

A customer is due for review when the years the policy sets for the customer's risk rating have passed since
the last review (the approval of the current version), or when the ID document expires within the policy's
window (or has expired). Unrated customers are reviewed as high risk.

One rule, two uses: `review_due` decides for one customer (the list shows its due date and reasons), and
`cutoffs` turns the same rule into thresholds a database query can compare against, so the list of all due
customers is one indexed query. The tests check that the two agree.

Dates are plain calendar dates (years 1000 to 9000 are more than enough here; nothing guards the ends).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from desktop_app.domain.normaliser import LONG_TERM

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RiskLevel(StrEnum):
    """The customer risk rating of the form's `risk_level` field."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Reason(StrEnum):
    """Why a customer is due: the review period passed, or the ID document expires soon or has expired."""

    PERIODIC = "periodic"
    ID_EXPIRING = "id_expiring"
    ID_EXPIRED = "id_expired"


def effective_risk(risk_level: str) -> RiskLevel:
    """The rating a customer is reviewed at: unrated (or anything unknown) is reviewed as high risk."""
    try:
        return RiskLevel(risk_level)
    except ValueError:
        return RiskLevel.HIGH


def id_expiry(id_valid_until: str) -> date | None:
    """The ID document's last valid day, or None for a long-term (长期), empty or unreadable value."""
    if id_valid_until == LONG_TERM or not _ISO_DATE.fullmatch(id_valid_until):
        return None
    try:
        return date.fromisoformat(id_valid_until)
    except ValueError:
        return None


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes 28 February in a common
    year: the earlier of the two candidates, so a review period is never stretched past its length."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # only 29 February in a common year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ReviewPolicy:
    """Years between reviews per risk rating, and how many days before an ID document expires its customer is due.

    Built from the settings review_years_high/medium/low and review_id_expiry_days."""

    years_high: int = 1
    years_medium: int = 2
    years_low: int = 3
    id_expiry_days: int = 30

    def __post_init__(self) -> None:
        for name in ("years_high", "years_medium", "years_low"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.id_expiry_days < 0:
            raise ValueError("id_expiry_days must not be negative")

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> ReviewPolicy:
        """The policy from the review_* settings (keys missing from `settings` keep their defaults)."""
        default = cls()

        def value(key: str, fallback: int) -> int:
            raw = settings.get(key, fallback)
            return int(raw) if isinstance(raw, int | str) else fallback

        return cls(
            years_high=value("review_years_high", default.years_high),
            years_medium=value("review_years_medium", default.years_medium),
            years_low=value("review_years_low", default.years_low),
            id_expiry_days=value("review_id_expiry_days", default.id_expiry_days),
        )

    def years(self, risk: RiskLevel) -> int:
        """Years between reviews at this rating. A higher risk is never reviewed less often than a lower one,
        even if the settings say so by mistake (the shorter period wins)."""
        if risk is RiskLevel.LOW:
            return self.years_low
        if risk is RiskLevel.MEDIUM:
            return min(self.years_medium, self.years_low)
        return min(self.years_high, self.years_medium, self.years_low)


@dataclass(frozen=True)
class ReviewDue:
    """A customer due for review: since when, and why."""

    due_date: date
    reasons: tuple[Reason, ...]
    risk: RiskLevel  # the rating reviewed at (unrated: high)
    years: int  # the review period of that rating
    id_expires: date | None  # the document's last valid day, when it has one


def next_review(policy: ReviewPolicy, last_review: date, risk_level: str, id_valid_until: str) -> date:
    """The day the customer becomes due: the review anniversary, or earlier the day the ID document enters the
    expiry window; never before the last review."""
    due = add_years(last_review, policy.years(effective_risk(risk_level)))
    expires = id_expiry(id_valid_until)
    if expires is not None:
        # A document already inside the window at the last review makes the customer due that same day.
        due = min(due, max(last_review, expires - timedelta(days=policy.id_expiry_days)))
    return due


def review_due(
    policy: ReviewPolicy, last_review: date, risk_level: str, id_valid_until: str, today: date
) -> ReviewDue | None:
    """The customer's due date and reasons when due on `today` (today >= due date), else None."""
    due = next_review(policy, last_review, risk_level, id_valid_until)
    if today < due:
        return None
    risk = effective_risk(risk_level)
    years = policy.years(risk)
    reasons: list[Reason] = []
    if today >= add_years(last_review, years):
        reasons.append(Reason.PERIODIC)
    expires = id_expiry(id_valid_until)
    if expires is not None:
        if expires < today:  # the "valid until" day itself is still valid
            reasons.append(Reason.ID_EXPIRED)
        elif expires <= today + timedelta(days=policy.id_expiry_days):
            reasons.append(Reason.ID_EXPIRING)
    return ReviewDue(due, tuple(reasons), risk, years, expires)


@dataclass(frozen=True)
class ReviewCutoffs:
    """The rule of `review_due` as thresholds for a query. A customer last reviewed on L is due on `today` iff
    L <= today and (L <= last_review[risk] or its ID document's ISO date <= id_valid_until)."""

    today: date
    last_review: Mapping[RiskLevel, date]  # reviewed on or before this day: the period has passed
    id_valid_until: str  # ISO date: a document valid until this day or earlier is in the window (or expired)


def periodic_cutoff(years: int, today: date) -> date:
    """The latest last-review day whose anniversary `years` later is on or before `today`."""
    cutoff = add_years(today, -years)
    # add_years maps both 28 and 29 February to 28 February in a common year, so the day after the plain
    # subtraction may qualify too (today 28 Feb 2025, one year: reviewed 29 Feb 2024 is due).
    following = cutoff + timedelta(days=1)
    return following if add_years(following, years) <= today else cutoff


def cutoffs(policy: ReviewPolicy, today: date) -> ReviewCutoffs:
    """The thresholds of the review rule on `today`, for selecting every due customer in one query."""
    return ReviewCutoffs(
        today=today,
        last_review={risk: periodic_cutoff(policy.years(risk), today) for risk in RiskLevel},
        id_valid_until=(today + timedelta(days=policy.id_expiry_days)).isoformat(),
    )

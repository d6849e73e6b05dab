"""Property tests for the review-due computation (domain/review_policy.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.domain.review_policy import (
    Reason,
    ReviewPolicy,
    RiskLevel,
    add_years,
    cutoffs,
    effective_risk,
    next_review,
    periodic_cutoff,
    review_due,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
years = st.integers(min_value=1, max_value=10)
windows = st.integers(min_value=0, max_value=365)
policies = st.builds(ReviewPolicy, years, years, years, windows)
ordered_policies = st.builds(
    lambda a, b, c, d: ReviewPolicy(*sorted((a, b, c)), d),
    years,
    years,
    years,
    windows,  # high <= medium <= low
)
risks = st.sampled_from(["high", "medium", "low", ""])
documents = st.one_of(days.map(date.isoformat), st.just(LONG_TERM), st.just(""))
leap_days = st.sampled_from([date(y, 2, 29) for y in range(1992, 2090, 4)])


def due_by_cutoffs(policy: ReviewPolicy, last: date, risk: str, document: str, today: date) -> bool:
    """The rule as the service's query applies it (ReviewCutoffs' docstring)."""
    cut = cutoffs(policy, today)
    expiring = bool(document) and document != LONG_TERM and document <= cut.id_valid_until
    return last <= today and (last <= cut.last_review[effective_risk(risk)] or expiring)


@given(policies, days, risks, documents)
def test_the_due_date_is_never_before_the_last_review(policy, last, risk, document) -> None:
    assert next_review(policy, last, risk, document) >= last


@given(policies, days, risks, documents, days)
def test_due_exactly_when_today_is_on_or_after_the_due_date(policy, last, risk, document, today) -> None:
    found = review_due(policy, last, risk, document, today)
    due_date = next_review(policy, last, risk, document)
    assert (found is not None) == (today >= due_date)
    if found is not None:
        assert found.due_date == due_date and found.reasons  # a due customer always has a reason shown


@given(policies, days, risks, documents, days)
def test_the_query_thresholds_and_the_rule_agree(policy, last, risk, document, today) -> None:
    assert (review_due(policy, last, risk, document, today) is not None) == due_by_cutoffs(
        policy, last, risk, document, today
    )


@given(ordered_policies, days, documents)
def test_a_higher_risk_is_never_due_later_than_a_lower_one(policy, last, document) -> None:
    high, medium, low = (next_review(policy, last, r, document) for r in ("high", "medium", "low"))
    assert high <= medium <= low


@given(policies, days, documents)
def test_a_higher_risk_is_never_due_later_even_when_the_settings_are_in_the_wrong_order(policy, last, document) -> None:
    high, medium, low = (next_review(policy, last, r, document) for r in ("high", "medium", "low"))
    assert high <= medium <= low


@given(policies, days, st.sampled_from(["", "unknown", "HIGH"]), documents, days)
def test_unrated_customers_are_reviewed_as_high_risk(policy, last, risk, document, today) -> None:
    assert review_due(policy, last, risk, document, today) == review_due(policy, last, "high", document, today)


@given(policies, days, risks, st.integers(min_value=1, max_value=4000))
def test_reviewed_today_with_a_document_valid_beyond_the_window_is_not_due(policy, today, risk, beyond) -> None:
    document = (today + timedelta(days=policy.id_expiry_days + beyond)).isoformat()
    assert review_due(policy, today, risk, document, today) is None
    assert review_due(policy, today, risk, LONG_TERM, today) is None


@given(policies, days, risks, days, days)
def test_the_id_reason_appears_exactly_when_the_document_expires_within_the_window(
    policy, last, risk, expires, today
) -> None:
    assume(last <= today)
    found = review_due(policy, last, risk, expires.isoformat(), today)
    in_window = expires <= today + timedelta(days=policy.id_expiry_days)
    reasons = set(found.reasons) if found else set()
    assert bool(reasons & {Reason.ID_EXPIRING, Reason.ID_EXPIRED}) == in_window
    assert (Reason.ID_EXPIRED in reasons) == (expires < today)
    assert not {Reason.ID_EXPIRING, Reason.ID_EXPIRED} <= reasons  # one or the other


@given(policies, days, risks, days)
def test_long_term_and_missing_documents_never_trigger_the_id_reason(policy, last, risk, today) -> None:
    for document in (LONG_TERM, "", "not a date", "2024-02-30"):
        found = review_due(policy, last, risk, document, today)
        assert found is None or found.reasons == (Reason.PERIODIC,)
        assert next_review(policy, last, risk, document) == add_years(last, policy.years(effective_risk(risk)))


@given(policies, days, risks, documents, days, st.integers(min_value=0, max_value=5000))
def test_once_due_a_customer_stays_due_until_reviewed(policy, last, risk, document, today, later) -> None:
    if review_due(policy, last, risk, document, today) is not None:
        assert review_due(policy, last, risk, document, today + timedelta(days=later)) is not None


@given(policies, days, risks, documents)
def test_the_periodic_reason_comes_on_the_anniversary(policy, last, risk, document) -> None:
    anniversary = add_years(last, policy.years(effective_risk(risk)))
    on_the_day = review_due(policy, last, risk, document, anniversary)
    assert on_the_day is not None and Reason.PERIODIC in on_the_day.reasons
    day_before = review_due(policy, last, risk, document, anniversary - timedelta(days=1))
    assert day_before is None or Reason.PERIODIC not in day_before.reasons


@given(leap_days, years)
def test_a_leap_day_review_falls_due_on_28_february_in_a_common_year(last, n) -> None:
    due = add_years(last, n)
    leap = (last.year + n) % 4 == 0 and ((last.year + n) % 100 != 0 or (last.year + n) % 400 == 0)
    assert due == date(last.year + n, 2, 29 if leap else 28)


@given(years, days, days)
def test_the_periodic_cutoff_is_the_latest_review_day_already_due(n, last, today) -> None:
    assert (add_years(last, n) <= today) == (last <= periodic_cutoff(n, today))


@given(st.integers(min_value=1, max_value=10), days)
def test_the_cutoff_around_leap_days(n, today) -> None:
    """The cutoff has no later day that is also due (checked by brute force around it)."""
    cut = periodic_cutoff(n, today)
    assert add_years(cut, n) <= today
    assert add_years(cut + timedelta(days=1), n) > today


def test_examples_in_words() -> None:
    policy = ReviewPolicy(years_high=1, years_medium=2, years_low=3, id_expiry_days=30)
    last = date(2024, 2, 29)
    # reviewed on a leap day: high risk is due on 28 February of the next (common) year
    assert next_review(policy, last, "high", LONG_TERM) == date(2025, 2, 28)
    assert review_due(policy, last, "high", LONG_TERM, date(2025, 2, 27)) is None
    found = review_due(policy, last, "high", LONG_TERM, date(2025, 2, 28))
    assert found is not None and found.reasons == (Reason.PERIODIC,) and found.risk is RiskLevel.HIGH
    # low risk waits three years, unless the ID document runs out first
    assert next_review(policy, last, "low", "2030-01-01") == date(2027, 2, 28)
    assert next_review(policy, last, "low", "2026-06-30") == date(2026, 5, 31)
    found = review_due(policy, last, "low", "2026-06-30", date(2026, 7, 1))
    assert found is not None and found.reasons == (Reason.ID_EXPIRED,) and found.id_expires == date(2026, 6, 30)


def test_the_policy_comes_from_the_settings_and_refuses_nonsense() -> None:
    policy = ReviewPolicy.from_settings(
        {"review_years_high": 2, "review_years_medium": 4, "review_years_low": 6, "review_id_expiry_days": 0}
    )
    assert policy == ReviewPolicy(2, 4, 6, 0)
    assert ReviewPolicy.from_settings({}) == ReviewPolicy(1, 2, 3, 30)
    with pytest.raises(ValueError, match="years_low"):
        ReviewPolicy(1, 2, 0, 30)
    with pytest.raises(ValueError, match="id_expiry_days"):
        ReviewPolicy(1, 2, 3, -1)

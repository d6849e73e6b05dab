"""The retry policy: exponential backoff with full jitter, capped, so a branch network does not retry in step."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.sync.retry_policy import RetryPolicy

POLICY = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=10))


def test_the_bound_doubles_from_the_base_until_the_cap() -> None:
    bounds = [POLICY.bound(n).total_seconds() for n in range(1, 10)]
    assert bounds[:7] == [5, 10, 20, 40, 80, 160, 320]
    assert bounds[7:] == [600, 600]  # 640 and 1280 are capped at ten minutes


def test_a_huge_attempt_count_stays_at_the_cap() -> None:
    assert POLICY.bound(10_000) == POLICY.cap


def test_no_failure_yet_counts_as_the_first() -> None:
    assert POLICY.bound(0) == POLICY.bound(-3) == POLICY.base


@given(attempts=st.integers(min_value=-2, max_value=200), seed=st.integers(min_value=0, max_value=2**32))
def test_every_delay_lies_between_zero_and_the_bound(attempts: int, seed: int) -> None:
    delay = POLICY.delay(attempts, random.Random(seed))
    assert timedelta(0) <= delay <= POLICY.bound(attempts) <= POLICY.cap


@given(attempts=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**32))
def test_the_next_attempt_is_never_before_now_nor_after_the_cap(attempts: int, seed: int) -> None:
    now = datetime(2026, 11, 29, 8, 0, 0)
    when = POLICY.next_attempt_at(now, attempts, random.Random(seed))
    assert now <= when <= now + POLICY.cap


def test_full_jitter_spreads_retries_over_the_whole_window() -> None:
    rng = random.Random(20261129)
    bound = POLICY.bound(4).total_seconds()  # 40 s
    delays = [POLICY.delay(4, rng).total_seconds() for _ in range(2000)]
    assert min(delays) < 0.05 * bound and max(delays) > 0.95 * bound
    # Every eighth of the window gets its share: workstations that failed together do not come back together.
    counts = [0] * 8
    for d in delays:
        counts[min(int(d / bound * 8), 7)] += 1
    assert all(180 <= c <= 320 for c in counts), counts


def test_two_workstations_that_failed_together_do_not_retry_in_step() -> None:
    a, b = random.Random(1), random.Random(2)
    pairs = [(POLICY.delay(3, a), POLICY.delay(3, b)) for _ in range(50)]
    assert sum(1 for x, y in pairs if x == y) == 0

"""When to try an outbox row again after a failed upload: exponential backoff with full jitter, capped.

Full jitter (a uniformly random wait between zero and the exponential bound) spreads the retries of a whole
branch network that lost the server at the same moment, so they do not all come back in the same second.
The chosen time is stored on the row (outbox.next_attempt_at), so a restart keeps the schedule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

_MAX_EXPONENT = 30  # 2**30 base delays is far beyond any cap; keeps the arithmetic small


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff bounds: the first retry waits up to `base`, each later one up to twice as long, never beyond `cap`."""

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=10)

    def bound(self, attempts: int) -> timedelta:
        """The longest wait after `attempts` failed attempts (1 = the first failure)."""
        exponent = min(max(attempts, 1) - 1, _MAX_EXPONENT)
        grown: timedelta = self.base * (2**exponent)
        return min(self.cap, grown)

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """A random wait in [0, bound(attempts)] (full jitter)."""
        bound = self.bound(attempts).total_seconds()
        # Not for security: jitter only spreads load; random.Random is the right tool.
        fraction = (rng or _RNG).random()
        return timedelta(seconds=bound * fraction)

    def next_attempt_at(self, now: datetime, attempts: int, rng: random.Random | None = None) -> datetime:
        """When a row that has failed `attempts` times may be sent again."""
        return now + self.delay(attempts, rng)


_RNG = random.Random()  # noqa: S311 - jitter, not a secret

DEFAULT_POLICY = RetryPolicy()

"""Rate limits: failed enrolment attempts per client address, and the customers claimed and items refused per
device.

Per device the limits are counted in the database (the rows of the last hour), so every server process sharing
it applies the same budget. Per address they are counted in the process (a token bucket each), so that a flood of
wrong codes costs neither a database write nor, once the bucket is empty, a read; with --workers N an address
gets N buckets, which is still a handful of guesses against 80 random bits. (A wrong device credential costs one
read by primary key and no body: there is nothing to guess in 256 random bits, and limiting it per address would
let one bad client behind a branch's NAT lock out the good ones.)
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central_server.models import CustomerClaim, Refusal, utcnow

DEVICE_WINDOW = timedelta(hours=1)
ENROL_WINDOW_S = 600.0
_ENV_PREFIX = "DESKTOP_APP_SERVER_"


@dataclass(frozen=True)
class Limits:
    """The server's rate limits; 0 turns one off. Passed to every worker process through the environment."""

    claims_per_hour: int = 2000  # new customers one device may claim in an hour
    refusals_per_hour: int = 1000  # items of one device the server may refuse in an hour
    enrol_failures: int = 10  # failed enrolment attempts from one address per 10 minutes
    match_queries_per_hour: int = 600  # cross-branch duplicate queries one device may make in an hour
    # Not a rate: the bank's choice whether this server takes the paper form pages of approved records (1) or not
    # (0); carried with the limits because every worker process must know it the same way.
    paper_pages: int = 0

    def to_env(self) -> dict[str, str]:
        """The environment variables that make from_env() give these limits."""
        return {_ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits named in the environment (the defaults for the others)."""
        env = os.environ if environ is None else environ
        given = {
            f.name: int(env[_ENV_PREFIX + f.name.upper()]) for f in fields(cls) if _ENV_PREFIX + f.name.upper() in env
        }
        return cls(**given)


class AttemptLimiter:
    """A token bucket per client address: `burst` attempts, given back evenly over `window_s` seconds.

    Written here rather than taken from a library: it is twenty lines, and it must stay in memory (no write per
    attempt). At most `max_addresses` are remembered; the least recently seen go first."""

    def __init__(self, burst: int, window_s: float, max_addresses: int = 10_000) -> None:
        self.burst = burst
        self.rate = burst / window_s if burst else 0.0
        self.max_addresses = max_addresses
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address -> (tokens, at)
        self._lock = threading.Lock()  # the event loop checks, the endpoint's threads charge

    def _tokens(self, address: str, now: float) -> float:
        tokens, at = self._buckets.get(address, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.rate)

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None when it may now."""
        if not self.burst:
            return None
        with self._lock:
            tokens = self._tokens(address, time.monotonic())
        return None if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) / self.rate))

    def charge(self, address: str) -> None:
        """Count one failed attempt from `address`."""
        if not self.burst:
            return
        with self._lock:
            now = time.monotonic()
            self._buckets[address] = (max(0.0, self._tokens(address, now) - 1.0), now)
            self._buckets.move_to_end(address)
            while len(self._buckets) > self.max_addresses:
                self._buckets.popitem(last=False)


@dataclass(frozen=True)
class DeviceActivity:
    """What a device did in the last hour, against its limits."""

    claims: int
    refusals: int
    retry_after: int | None  # seconds until it may upload again; None: it may now


def device_activity(session: Session, device_id: str, limits: Limits, now: datetime | None = None) -> DeviceActivity:
    """The customers this device claimed and the items refused to it in the last hour, and whether it is over
    either limit (then, at the earliest, when the oldest of those leaves the window)."""
    now = now or utcnow()
    since = now - DEVICE_WINDOW
    waits: list[datetime] = []
    counts: list[int] = []
    for column, device_column, limit in (
        (CustomerClaim.claimed_at, CustomerClaim.device_id, limits.claims_per_hour),
        (Refusal.at, Refusal.device_id, limits.refusals_per_hour),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(column)).where(device_column == device_id, column >= since)
        ).one()
        counts.append(int(count))
        if limit and count >= limit and oldest is not None:
            waits.append(oldest)
    retry = None
    if waits:
        retry = max(1, math.ceil((max(waits) + DEVICE_WINDOW - now).total_seconds()))
    return DeviceActivity(counts[0], counts[1], retry)

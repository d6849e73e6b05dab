"""How many exact searches on masked fields one user may make: the rate limit that keeps exact search from being an
oracle for a masked value.

A viewer who sees a field masked can still find a record by its exact full value (records.py): that is how a
teller finds a customer by ID number. Unlimited, it is a guessing oracle: the birth date hidden in a masked ID
number is one of some 36,000 days (fewer with the check digit), so a few thousand exact searches rebuild it. Each
user may make `LIMIT` distinct such searches in any `WINDOW`, whatever the role; a text searched again within the
window (the list's page and count of one query, a refresh) costs nothing more. The budget is kept in the store
(the `meta` table, one row per user), so that a new process, a restart or a second client on the same data
directory does not renew it; the texts are kept there only as keyed digests under a random key of this store,
never the text. Signing in again does not renew it either.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from desktop_app.storage.models import Meta
from desktop_app.storage.store import Store

LIMIT = 20
WINDOW = timedelta(minutes=10)

#: The meta rows: the digest key of this store, and each user's searches in the window.
_KEY = "search_budget_key"
_USER = "search_budget:{}"


class SearchBudget:
    """A sliding window of distinct exact searches on masked fields, per user, kept in the store (so that it
    holds across processes); thread-safe (searches run in background workers)."""

    def __init__(self, store: Store, limit: int = LIMIT, window: timedelta = WINDOW, kind: str = "search") -> None:
        """`kind` names the budget: each kind is counted apart ("search": the customer list's exact searches,
        "duplicate": the entry form's check for an existing customer)."""
        self.limit = limit
        self.window = window
        self._store = store
        self._lock = threading.Lock()
        self._row = _USER if kind == "search" else f"{kind}_budget:{{}}"
        # Per user, until when the last refusal said the budget is spent: a refusal after that is a new one.
        self._refused_until: dict[int, datetime] = {}

    @staticmethod
    def _key(session: Session) -> bytes:
        row = session.get(Meta, _KEY)
        if row is None:  # made once per store: digests mean nothing without the database
            row = Meta(key=_KEY, value=secrets.token_hex(32))
            session.add(row)
        return bytes.fromhex(row.value)

    def _seen(self, session: Session, user_id: int, now: datetime) -> list[tuple[datetime, str]]:
        """The user's searches still inside the window at `now`, oldest first."""
        row = session.get(Meta, self._row.format(user_id))
        try:
            pairs = [(datetime.fromisoformat(at), digest) for at, digest in json.loads(row.value)] if row else []
        except (ValueError, TypeError):  # a damaged row counts as a full budget, never as a fresh one
            return [(now, "")] * self.limit
        return sorted(p for p in pairs if p[0] > now - self.window)

    def take(self, user_id: int, text: str, now: datetime) -> bool:
        """Spend one search of `user_id` on `text` at `now`; False (nothing spent) when the budget is used up.
        A text already searched within the window is free."""
        with self._lock, self._store.write() as session:
            digest = hmac.new(self._key(session), text.encode("utf-8"), hashlib.sha256).hexdigest()
            seen = self._seen(session, user_id, now)
            if any(hmac.compare_digest(d, digest) for _, d in seen):
                return True
            if len(seen) >= self.limit:
                return False
            seen.append((now, digest))
            value = json.dumps([[at.isoformat(), d] for at, d in seen])
            row = session.get(Meta, self._row.format(user_id))
            if row is None:
                session.add(Meta(key=self._row.format(user_id), value=value))
            else:
                row.value = value
            return True

    def refusal(self, user_id: int, now: datetime, *others: SearchBudget) -> tuple[datetime, bool]:
        """A refused search of `user_id` at `now`: when the user may search again (the latest of this budget and
        `others` spent with it), and whether this is the first refusal since the budget last had room, the one to
        audit (the rest come at every pause in typing and add nothing)."""
        free = max(budget.next_free(user_id, now) for budget in (self, *others))
        with self._lock:
            first = self._refused_until.get(user_id, now) <= now
            self._refused_until[user_id] = free
        return free, first

    def next_free(self, user_id: int, now: datetime) -> datetime:
        """When `user_id` may search again (now, when the budget is not used up)."""
        with self._store.read() as session:
            seen = self._seen(session, user_id, now)
        if len(seen) < self.limit:
            return now
        return seen[0][0] + self.window

"""What a committed change touched, in words every screen understands: one "data changed" event for the client.

The store tells its listeners the audit actions each commit wrote (every change that matters is audited); this
module turns them into kinds of data, so that a list refreshes when its kind changed, whoever changed it (this
window, a background import, the daily backup, a sync) — and no page polls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

from desktop_app.storage.store import Store


class Changed(StrEnum):
    """Kinds of data a screen shows."""

    RECORDS = "records"
    USERS = "users"
    SETTINGS = "settings"
    BACKUPS = "backups"
    SYNC = "sync"
    AUDIT = "audit"


# Audited reads: they add to the audit trail and change nothing else.
_READS = (".view", ".export", ".report_export", "record.search", "record.lookup", "record.reveal", "record.history")
_BY_PREFIX: tuple[tuple[str, frozenset[Changed]], ...] = (
    ("record.status", frozenset({Changed.RECORDS, Changed.SYNC})),  # an approval puts a row in the outbox
    ("record.", frozenset({Changed.RECORDS})),
    ("second_entry.", frozenset({Changed.RECORDS})),
    ("reconciliation.", frozenset({Changed.RECORDS})),
    ("attachment.", frozenset({Changed.RECORDS})),
    ("demo.", frozenset({Changed.RECORDS})),
    ("import.run", frozenset({Changed.RECORDS})),
    ("user.", frozenset({Changed.USERS})),
    ("password.", frozenset({Changed.USERS})),
    ("login.lockout", frozenset({Changed.USERS})),
    ("settings.", frozenset({Changed.SETTINGS})),
    ("backup.", frozenset({Changed.BACKUPS})),
    ("sync.enrol", frozenset({Changed.SYNC, Changed.SETTINGS})),
    ("sync.purge", frozenset({Changed.SYNC, Changed.RECORDS})),
    ("sync.", frozenset({Changed.SYNC})),
)


def kinds_changed(actions: Iterable[str]) -> frozenset[Changed]:
    """The kinds of data that audit `actions` changed; the audit trail itself changed whenever there is one."""
    found: set[Changed] = set()
    for action in actions:
        found.add(Changed.AUDIT)
        if action.endswith(_READS) or action in _READS:
            continue
        for prefix, kinds in _BY_PREFIX:
            if action.startswith(prefix):
                found |= kinds
                break
    return frozenset(found)


def listen(store: Store, listener: Callable[[frozenset[Changed]], None]) -> Callable[[], None]:
    """Call `listener(kinds)` after every commit that changed something (on the committing thread, which may be a
    worker's). Returns the function that stops it."""

    def heard(actions: tuple[str, ...]) -> None:
        kinds = kinds_changed(actions)
        if kinds:
            listener(kinds)

    return store.add_commit_listener(heard)

"""The status lifecycle of a customer record version, and the transitions allowed between statuses.

draft -> awaiting_second_entry -> awaiting_reconciliation -> awaiting_approval -> approved -> synced
A rejected record goes back to its maker (rejected -> draft or straight to resubmission); a draft never
approved may be discarded. A change to an approved (or synced) record starts a new version at draft, while
the approved version stays as it was.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    AWAITING_SECOND_ENTRY = "awaiting_second_entry"
    AWAITING_RECONCILIATION = "awaiting_reconciliation"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    SYNCED = "synced"
    REJECTED = "rejected"
    DISCARDED = "discarded"


class DualEntryPolicy(StrEnum):
    """When a second, blind entry by another clerk is required (a branch setting)."""

    NONE = "none"
    NEW = "new"
    CHANGES = "changes"
    BOTH = "both"

    def requires(self, *, is_change: bool) -> bool:
        """True when a version that is (or is not) a change to an approved record needs a second entry."""
        if self is DualEntryPolicy.BOTH:
            return True
        if self is DualEntryPolicy.NEW:
            return not is_change
        if self is DualEntryPolicy.CHANGES:
            return is_change
        return False


S = Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.DRAFT: frozenset({S.AWAITING_SECOND_ENTRY, S.AWAITING_APPROVAL, S.DISCARDED}),
    S.AWAITING_SECOND_ENTRY: frozenset({S.AWAITING_RECONCILIATION, S.AWAITING_APPROVAL}),
    S.AWAITING_RECONCILIATION: frozenset({S.AWAITING_APPROVAL}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.REJECTED}),
    S.REJECTED: frozenset({S.DRAFT, S.AWAITING_SECOND_ENTRY, S.AWAITING_APPROVAL, S.DISCARDED}),
    S.APPROVED: frozenset({S.SYNCED, S.DRAFT}),
    S.SYNCED: frozenset({S.DRAFT}),
    S.DISCARDED: frozenset(),
}

#: Statuses in which the maker may still save changes (each save is a new immutable version).
EDITABLE: frozenset[Status] = frozenset({S.DRAFT, S.REJECTED})

#: Statuses of a version that has been approved; such a version is immutable.
FINAL: frozenset[Status] = frozenset({S.APPROVED, S.SYNCED})


class TransitionError(ValueError):
    """Raised for a status change the lifecycle does not allow."""


def check_transition(current: Status, target: Status) -> None:
    """Raise TransitionError unless current -> target is an allowed step."""
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"a record in status '{current.value}' cannot move to '{target.value}'")


def after_submit(policy: DualEntryPolicy, *, is_change: bool) -> Status:
    """The status a submitted version moves to under the branch's dual-entry policy."""
    return S.AWAITING_SECOND_ENTRY if policy.requires(is_change=is_change) else S.AWAITING_APPROVAL

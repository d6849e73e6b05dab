"""Roles, permissions and the rule for which roles one person may hold together.

Role combination rule (segregation of duties):
- auditor stands alone: an auditor reviews everyone's work and holds no other role;
- admin may not be combined with teller or supervisor: who manages accounts does not process customer records;
- teller and supervisor may be combined (small branches), because the four-eyes rule is enforced per record:
  nobody approves a record they keyed, second-keyed or reconciled.

Sync: supervisors and admins run it and see the outbox (record ids and states, never values); only an admin
enrols the workstation with the central server and purges acknowledged records by the retention setting.
Tellers do not operate sync: approved records leave the branch under a supervisor's or the background job's run.

Operations: tellers import spreadsheets (rows enter the normal flow as their drafts or awaiting approval, never
approved); supervisors and auditors export filtered lists, masked; only a supervisor may export unmasked (and it
is audited as such). Supervisors and admins take backups; only an admin restores one.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    TELLER = "teller"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    RECORD_CREATE = "record.create"
    RECORD_EDIT = "record.edit"
    RECORD_VIEW = "record.view"
    RECORD_SECOND_ENTRY = "record.second_entry"
    RECORD_RECONCILE = "record.reconcile"
    RECORD_APPROVE = "record.approve"
    PII_REVEAL = "pii.reveal"
    AUDIT_VIEW = "audit.view"
    AUDIT_VERIFY = "audit.verify"
    USER_ADMIN = "user.admin"
    SETTINGS_ADMIN = "settings.admin"
    KEY_ROTATE = "key.rotate"
    BACKUP = "backup"
    IMPORT = "import"
    EXPORT = "export"
    EXPORT_UNMASKED = "export.unmasked"
    RESTORE = "restore"  # replace the store with a backup
    SYNC_OPERATE = "sync.operate"  # run a sync, see its status and the outbox, retry refused rows
    SYNC_ADMIN = "sync.admin"  # enrol the workstation with the central server, purge by the retention setting
    DEMO_SEED = "demo.seed"
    STATS_VIEW = "stats.view"
    SESSION_OVERRIDE = "session.override"


_P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.TELLER: frozenset(
        {
            _P.RECORD_CREATE,
            _P.RECORD_EDIT,
            _P.RECORD_VIEW,
            _P.RECORD_SECOND_ENTRY,
            _P.RECORD_RECONCILE,
            _P.PII_REVEAL,
            _P.IMPORT,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            _P.RECORD_VIEW,
            _P.RECORD_RECONCILE,
            _P.RECORD_APPROVE,
            _P.PII_REVEAL,
            _P.AUDIT_VIEW,
            _P.EXPORT,
            _P.EXPORT_UNMASKED,
            _P.SYNC_OPERATE,
            _P.STATS_VIEW,
            _P.BACKUP,
            _P.SESSION_OVERRIDE,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            _P.RECORD_VIEW,
            _P.PII_REVEAL,
            _P.AUDIT_VIEW,
            _P.AUDIT_VERIFY,
            _P.EXPORT,
            _P.STATS_VIEW,
        }
    ),
    Role.ADMIN: frozenset(
        {
            _P.USER_ADMIN,
            _P.SETTINGS_ADMIN,
            _P.KEY_ROTATE,
            _P.AUDIT_VERIFY,
            _P.BACKUP,
            _P.RESTORE,
            _P.SYNC_OPERATE,
            _P.SYNC_ADMIN,
            _P.DEMO_SEED,
        }
    ),
}

_FORBIDDEN_PAIRS: tuple[tuple[Role, Role, str], ...] = (
    (Role.AUDITOR, Role.TELLER, "an auditor must be independent of the work audited"),
    (Role.AUDITOR, Role.SUPERVISOR, "an auditor must be independent of the work audited"),
    (Role.AUDITOR, Role.ADMIN, "an auditor must be independent of who manages accounts"),
    (Role.ADMIN, Role.TELLER, "who manages accounts must not key customer records"),
    (Role.ADMIN, Role.SUPERVISOR, "who manages accounts must not approve customer records"),
)


class RoleCombinationError(ValueError):
    """Raised when a set of roles breaks the segregation-of-duties rule; `pair` names the two roles that may
    not be held together (None when no role was given), so a screen can say it in its own language."""

    def __init__(self, message: str, pair: tuple[Role, Role] | None = None) -> None:
        super().__init__(message)
        self.pair = pair


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Roles from their names; raises ValueError naming an unknown role."""
    roles: set[Role] = set()
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise ValueError(f"unknown role '{raw}': use one of {known}") from None
    return frozenset(roles)


def check_role_combination(roles: Iterable[Role]) -> None:
    """Raise RoleCombinationError if these roles may not be held by one person."""
    held = set(roles)
    if not held:
        raise RoleCombinationError("a user needs at least one role")
    for a, b, why in _FORBIDDEN_PAIRS:
        if a in held and b in held:
            raise RoleCombinationError(f"roles {a.value} and {b.value} cannot be combined: {why}", (a, b))


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    """Every permission granted by any of the roles."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)

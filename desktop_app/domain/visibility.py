"""Who sees which customer values unmasked, and when a record's values are hidden altogether.

- PII classes shown unmasked by role, without an explicit (audited) reveal: see UNMASKED_BY_ROLE.
- The maker sees the values of their own record until it is approved (they keyed them from the paper).
- Blind second entry: while a record awaits its second entry, nobody but its maker sees its values, in any
  form (not masked, not in search results, not through a duplicate warning).
- A viewer who sees a field masked finds a record by it only with its exact full value (services/records.py):
  a prefix search would answer, digit by digit, what the mask hides.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.domain.form_schema import FieldSpec, PiiClass
from desktop_app.domain.lifecycle import EDITABLE, Status
from desktop_app.domain.roles import Role

UNMASKED_BY_ROLE: dict[Role, frozenset[PiiClass]] = {
    Role.TELLER: frozenset({PiiClass.NONE}),
    Role.SUPERVISOR: frozenset({PiiClass.NONE, PiiClass.NAME}),
    Role.AUDITOR: frozenset({PiiClass.NONE}),
    Role.ADMIN: frozenset({PiiClass.NONE}),
}

#: Statuses in which a record's values are hidden from everyone except its maker.
BLIND: frozenset[Status] = frozenset({Status.AWAITING_SECOND_ENTRY})

#: Statuses in which the maker still sees their own values in full (their work in progress, until approval).
MAKER_SEES: frozenset[Status] = EDITABLE | {
    Status.AWAITING_SECOND_ENTRY,
    Status.AWAITING_RECONCILIATION,
    Status.AWAITING_APPROVAL,
}


def values_hidden(*, status: Status, is_maker: bool) -> bool:
    """True when the viewer may not see this record's values at all (blind second entry)."""
    return status in BLIND and not is_maker


def field_unmasked(field: FieldSpec, roles: Iterable[Role], *, is_maker: bool, status: Status) -> bool:
    """True when the viewer sees this field's value in full without revealing it."""
    if is_maker and status in MAKER_SEES:
        return True
    return role_sees(field, roles)


def role_sees(field: FieldSpec, roles: Iterable[Role]) -> bool:
    """True when these roles see the field in full on every record, whoever keyed it."""
    return field.pii is PiiClass.NONE or any(field.pii in UNMASKED_BY_ROLE[role] for role in roles)

"""What the audit trail keeps of failed sign-ins and password changes (issue 14 items 16 and 23)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.domain.password_policy import MAX_FAILED_LOGINS
from desktop_app.services.auth import UNKNOWN_NAME
from desktop_app.services.errors import AccountLocked, AuthenticationFailed
from desktop_app.storage.models import AuditEntry
from tests.conftest import PASSWORD, Staff


def _trail(staff: Staff) -> list[tuple[str, str, int | None, str, str | None]]:
    """(action, actor_name, actor_id, details, record_id) of every entry, in order."""
    with staff.ws.store.read() as s:  # type: ignore[attr-defined]
        return [
            (e.action, e.actor_name, e.actor_id, e.details, e.record_id)
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]


def test_a_failed_sign_in_keeps_the_typed_name_only_when_it_names_an_account(staff: Staff) -> None:
    """Issue 14 item 16: a password typed into the name field was stored in the trail (and anchored centrally);
    now a name that names no account is kept as a placeholder, and a real account's name as before."""
    ws = staff.ws
    typed = "My-Secret-Pw-2024"
    with pytest.raises(AuthenticationFailed):
        ws.auth.login(typed, "")  # type: ignore[attr-defined]
    with pytest.raises(AuthenticationFailed):
        ws.auth.login(" teller ", "wrong password 1")  # type: ignore[attr-defined]
    failures = [e for e in _trail(staff) if e[0] == "login.failure"]
    assert [(e[1], e[2] is None) for e in failures] == [(UNKNOWN_NAME, True), ("teller", False)]
    for entry in _trail(staff):
        assert typed.lower() not in str(entry).lower()


def test_wrong_current_passwords_in_change_password_count_toward_the_lockout(staff: Staff) -> None:
    """Issue 14 item 23: a wrong current password in change-password was not counted toward the lockout (and its
    audit entry was rolled back with the refusal); now the fifth locks the account and ends the session."""
    ws = staff.ws
    teller = staff.teller
    for attempt in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationFailed):
            ws.auth.change_password(teller, f"wrong current {attempt}", "A-new-password-77")  # type: ignore[attr-defined]
    with pytest.raises(AccountLocked):
        ws.auth.change_password(teller, "wrong current last", "A-new-password-77")  # type: ignore[attr-defined]
    assert teller.session.ended  # type: ignore[attr-defined]
    actions = [e[0] for e in _trail(staff)]
    assert actions.count("password.change_refused") == MAX_FAILED_LOGINS and "login.lockout" in actions
    with pytest.raises(AccountLocked):
        ws.auth.login("teller", PASSWORD + "x")  # type: ignore[attr-defined]

"""The log of validation failures by field (submit and import), for the dashboard. Field and rule, never values."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from desktop_app.domain.validation import Problem, Severity
from desktop_app.services.actor import utcnow
from desktop_app.storage.models import ValidationFailure


def log_failures(
    session: Session, problems: Iterable[Problem], *, source: str, user_id: int | None, record_id: str | None
) -> int:
    """Add one row per error (warnings are not failures) in the caller's transaction; returns how many."""
    now = utcnow()
    rows = [
        ValidationFailure(at=now, user_id=user_id, source=source, record_id=record_id, field=p.field, code=p.code)
        for p in problems
        if p.severity is Severity.ERROR
    ]
    session.add_all(rows)
    return len(rows)

"""Errors services raise for requests they refuse; each carries a stable code and messages in zh_CN and en."""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.domain.password_policy import PasswordProblem
from desktop_app.domain.text import Text, join
from desktop_app.domain.validation import Problem
from desktop_app.storage.errors import StoreError, WrongKey

# The store's own errors reach the UI through here (it imports services, never storage).
__all__ = [
    "AccountLocked",
    "AuthenticationFailed",
    "Conflict",
    "InvalidRequest",
    "NotFound",
    "PasswordChangeRequired",
    "PasswordRejected",
    "PermissionDenied",
    "ServiceError",
    "SessionEnded",
    "SessionLocked",
    "StoreError",
    "ValidationFailed",
    "WrongKey",
]


class ServiceError(Exception):
    """A refused request. `code` is stable for the UI; the messages say what is wrong and what to do."""

    code = "error"

    def __init__(self, message_en: str, message_zh: str = "") -> None:
        super().__init__(message_en)
        self.message_text = Text(en=message_en, zh=message_zh or message_en)

    def message(self, lang: str) -> str:
        """The message in the UI language ("zh_CN" or "en")."""
        return self.message_text.render(lang)


class PermissionDenied(ServiceError):
    code = "permission_denied"


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"


class AccountLocked(ServiceError):
    code = "account_locked"


class PasswordChangeRequired(ServiceError):
    code = "password_change_required"


class SessionLocked(ServiceError):
    """The session's screen is locked: nothing acts for it until the same user unlocks."""

    code = "session_locked"


class SessionEnded(ServiceError):
    """The session was signed out (or ended by a supervisor): its Actor acts no more."""

    code = "session_ended"


class PasswordRejected(ServiceError):
    code = "password_rejected"

    @classmethod
    def listing(cls, problems: Sequence[PasswordProblem]) -> PasswordRejected:
        """The refusal of a proposed password (or passphrase), naming each of its problems."""
        text = join(p.message_text for p in problems)
        return cls(text.en, text.zh)


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    """The record changed since the caller read it (or the request does not fit its current state)."""

    code = "conflict"


class InvalidRequest(ServiceError):
    code = "invalid_request"


_FIELDS_TO_CORRECT = Text(
    en="{count} field(s) need correcting before this can go on: ", zh="有 {count} 处需要更正后才能继续："
)
_FIELD_PROBLEM = Text(en="{field}: {message}", zh="{field}：{message}")


class ValidationFailed(ServiceError):
    """The values break the form's rules; `problems` lists each one."""

    code = "validation_failed"

    def __init__(self, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        listed = join(
            (_FIELD_PROBLEM.format(field=p.field, message=p.message_text) for p in errors[:5]), en="; ", zh="；"
        )
        summary = _FIELDS_TO_CORRECT.format(count=len(errors)) + listed
        super().__init__(summary.en, summary.zh)
        self.problems = tuple(problems)

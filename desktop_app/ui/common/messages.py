"""Errors reach the user as a plain-language dialog that says what to do next; the detail goes to the log."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.redacted_log import log_failure
from desktop_app.services.errors import ServiceError, SessionEnded, SessionLocked, StoreError, ValidationFailed
from desktop_app.ui.common.i18n import lang

log = logging.getLogger(__name__)


def explain(exc: BaseException) -> str:
    """The message for the person at the keyboard: never a traceback."""
    if isinstance(exc, ValidationFailed):
        return "\n".join(p.message(lang()) for p in exc.problems if p.severity == "error")
    if isinstance(exc, ServiceError):
        return exc.message(lang())
    if isinstance(exc, StoreError):
        return str(exc)
    log_failure(log, "unexpected error shown to the user", exc)
    return QCoreApplication.translate(
        "Messages",
        "Something went wrong and the action was not completed. Nothing already saved was lost. "
        "Try again; if it happens again, tell IT support (details are in the log file).",
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """A modal error dialog with what to do next; none for a call refused because the session is locked or
    ended (the lock screen or the sign-in box already says so, and nothing may open over them)."""
    if isinstance(exc, SessionLocked | SessionEnded):
        log.info("a call for a %s session was refused", "locked" if isinstance(exc, SessionLocked) else "ended")
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QCoreApplication.translate("Messages", "Cannot continue"))
    box.setText(explain(exc))
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask yes/no; True for yes."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes

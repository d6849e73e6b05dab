"""Enter presses the focused button everywhere. Qt gives Enter to a focused push button only inside a dialog
(autoDefault); on a page of the main window (the admin pages, Sync, Backups) a teller who tabbed to a button and
pressed Enter got nothing, and only Space worked (issue 13 item 6). One application-wide filter closes the gap."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QDialog, QRadioButton

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterClicksButtons(QObject):
    """Enter (without modifiers) on a focused, enabled push or tool button outside a dialog clicks it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QAbstractButton):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        if key_event.key() not in _ENTER or key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if isinstance(watched, (QCheckBox, QRadioButton)) or isinstance(watched.window(), QDialog):
            return False  # a check box is toggled by Space; in a dialog Qt's own default-button rule holds
        if not (watched.isEnabled() and watched.hasFocus()):
            return False
        watched.animateClick()
        return True


_FILTER: EnterClicksButtons | None = None


def install(app: QApplication) -> None:
    global _FILTER
    if _FILTER is None:
        _FILTER = EnterClicksButtons(app)
        app.installEventFilter(_FILTER)

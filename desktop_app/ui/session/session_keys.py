"""Ctrl+L (lock) and Ctrl+Shift+Q (switch user) from anywhere in the program, a dialog included.

A modal dialog (a record view, an import, a question) blocks the main window's shortcuts, so a teller who steps
away with one open could not lock the screen by hand. This filter, installed on the application, sees those two
keys first while a modal dialog is up; otherwise the main window's own actions take them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


class SessionKeys(QObject):
    """`lock_requested` on Ctrl+L and `sign_out_requested` on Ctrl+Shift+Q while a modal dialog has the keyboard."""

    lock_requested = Signal()
    sign_out_requested = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if QApplication.activeModalWidget() is None:
            return False  # the window's actions have the keys
        modifiers = event.modifiers() & (_CTRL | _SHIFT | Qt.KeyboardModifier.AltModifier)
        if event.key() == Qt.Key.Key_L and modifiers == _CTRL:
            self.lock_requested.emit()
            return True
        if event.key() == Qt.Key.Key_Q and modifiers == _CTRL | _SHIFT:
            self.sign_out_requested.emit()
            return True
        return False

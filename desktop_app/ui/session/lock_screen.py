"""The lock screen: hides every customer value until the same user signs in again (or a supervisor ends
the session, audited)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.actor import Actor
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op, wait_cursor_while


class LockScreen(QWidget):
    """`unlocked` when the same user's password is given; `ended` when the session is given up."""

    unlocked = Signal()
    ended = Signal()

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self._checking = False
        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._unlock)
        self.password.installEventFilter(self)
        self.message = QLabel()
        self.message.setObjectName("unlock_message")
        self.message.setStyleSheet("color: #b00020;")
        unlock = QPushButton(self.tr("Unlock"))
        unlock.clicked.connect(self._unlock)
        switch = QPushButton(self.tr("Switch user"))
        switch.setObjectName("switch_user")
        switch.clicked.connect(self.ended)
        override = QPushButton(self.tr("Supervisor override…"))
        override.setObjectName("supervisor_override")
        override.clicked.connect(self._override)
        title = QLabel(
            self.tr("<h2>Screen locked</h2><p>%1 stepped away. Customer data is hidden.</p>").replace(
                "%1", actor.username
            )
        )
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        form = QFormLayout()
        form.addRow(self.tr("Password for %1").replace("%1", actor.username), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(unlock)
        buttons.addWidget(switch)
        buttons.addWidget(override)
        box = QWidget()
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Alt+letter in the password is a menu key the lock has turned off: swallowed, not typed as the letter.
        Ctrl+Alt is AltGr on Windows (it types @, € … on some keyboards), so it still types."""
        if watched is self.password and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mods = event.modifiers()
            if mods & Qt.KeyboardModifier.AltModifier and not mods & Qt.KeyboardModifier.ControlModifier:
                return True
        return super().eventFilter(watched, event)

    def activate(self) -> None:
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        if not self.password.text():  # an empty Enter is no attempt: it must not count toward the lockout
            self.message.setText(self.tr("Type your password, then press Enter."))
            return
        if self._checking:
            return  # the last attempt is still being checked
        typed = self.password.text()
        self._checking = True
        op = Op(self, lambda: self.ws.auth.unlock(self.actor, typed))
        op.success(lambda _none: self._unlocked()).failure(self._refused).finally_(self._idle)
        wait_cursor_while(op.run())

    def _idle(self) -> None:
        self._checking = False

    def _unlocked(self) -> None:
        self.password.clear()
        self.unlocked.emit()

    def _refused(self, exc: BaseException) -> None:
        self.password.clear()
        if not isinstance(exc, ServiceError):
            show_error(self, exc)
            return
        if exc.code == "session_ended":
            self.ended.emit()
            return
        # A lockout is said here, on the lock screen, which stays: the session stays locked until the lockout
        # ends or a supervisor ends it; the teller is never dropped silently into someone else's sign-in box.
        self.message.setText(exc.message(lang()))

    def _override(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Supervisor override"))
        user, password = QLineEdit(), QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel(
            self.tr("Ends %1's session; unsaved typing is kept as an autosave. This is audited.").replace(
                "%1", self.actor.username
            )
        )
        note.setWordWrap(True)
        error = QLabel()
        error.setStyleSheet("color: #b00020;")
        form = QFormLayout(dialog)
        form.addRow(note)
        form.addRow(self.tr("Supervisor"), user)
        form.addRow(self.tr("Password"), password)
        form.addRow(error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form.addRow(buttons)
        buttons.rejected.connect(dialog.reject)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, ServiceError):
                error.setText(exc.message(lang()))
            else:
                show_error(dialog, exc)

        def accept() -> None:
            name, typed = user.text(), password.text()
            buttons.setEnabled(False)
            op = Op(dialog, lambda: self.ws.auth.supervisor_override(name, typed, self.actor))
            op.success(lambda _none: dialog.accept()).failure(refused).finally_(lambda: buttons.setEnabled(True))
            wait_cursor_while(op.run())

        buttons.accepted.connect(accept)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.ended.emit()

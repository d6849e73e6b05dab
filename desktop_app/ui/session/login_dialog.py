"""The sign-in dialog: user, password, a Caps Lock warning and the lockout message."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.actor import Actor
from desktop_app.services.errors import AccountLocked, ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op, wait_cursor_while
from desktop_app.ui.session.password_change import PasswordChangeDialog


def caps_lock_on(event: QKeyEvent) -> bool | None:
    """Whether Caps Lock is on, judged from a typed letter (Qt has no portable Caps Lock query)."""
    text = event.text()
    if len(text) != 1 or not text.isalpha() or text.lower() == text.upper():
        return None
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


class LoginDialog(QDialog):
    """Asks for user and password until the services accept them; `actor` holds the signed-in user."""

    def __init__(
        self, ws: Workstation, parent: QWidget | None = None, *, username: str = "", locked_user: bool = False
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in - Customer information entry"))
        self.setMinimumWidth(420)
        title = QLabel(self.tr("<h2>Customer information entry</h2>"))
        self.user = QLineEdit(username)
        self.user.setObjectName("login_user")
        self.user.setReadOnly(locked_user)
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.installEventFilter(self)
        self.caps = QLabel(self.tr("Caps Lock is on"))
        self.caps.setObjectName("caps_warning")
        self.caps.setStyleSheet("color: #b35c00;")
        self.caps.hide()
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.accepted.connect(self._sign_in)
        buttons.rejected.connect(self.reject)
        self._buttons = buttons
        self._signing_in = False
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.caps)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if username else self.user).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.password and event.type() == QEvent.Type.KeyPress:
            state = caps_lock_on(event)  # type: ignore[arg-type]
            if state is not None:
                self.caps.setVisible(state)
        return super().eventFilter(watched, event)

    def _sign_in(self) -> None:
        if self._signing_in:
            return  # a second Enter while the hash is checked
        self.message.clear()
        self._signing_in = True
        self._buttons.setEnabled(False)
        user, password = self.user.text(), self.password.text()
        op = Op(self, lambda: self.ws.auth.login(user, password)).success(self._signed_in).failure(self._refused)
        wait_cursor_while(op.finally_(self._idle).run())

    def _idle(self) -> None:
        self._signing_in = False
        self._buttons.setEnabled(True)

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, ServiceError):
            show_error(self, exc)
            return
        self.message.setText(exc.message(lang()))
        if not isinstance(exc, AccountLocked):
            self.password.selectAll()
            self.password.setFocus()

    def _signed_in(self, result: tuple[Actor, bool]) -> None:
        actor, must_change = result
        if must_change:
            change = PasswordChangeDialog(self.ws, actor, self.password.text(), self)
            if change.exec() != QDialog.DialogCode.Accepted:
                self.password.clear()
                return
        self.actor = actor
        self.accept()

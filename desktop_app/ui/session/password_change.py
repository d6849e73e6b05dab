"""The forced password change at first login (and a voluntary one)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.services.actor import Actor
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op


class PasswordChangeDialog(QDialog):
    def __init__(self, ws: Workstation, actor: Actor, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.setWindowTitle(self.tr("Change your password"))
        self.current = QLineEdit(current)
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.current, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setObjectName("new_password")
        self.repeat.setObjectName("repeat_password")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Repeat new password"), self.repeat)
        hint = QLabel(self.tr("At least 10 characters, with letters and digits, not containing your user name."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Choose a new password before you go on.")))
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.new if current else self.current).setFocus()

    def _change(self) -> None:
        if self.new.text() != self.repeat.text():
            self.message.setText(self.tr("The two new passwords differ."))
            return
        current, new = self.current.text(), self.new.text()
        self.setEnabled(False)
        op = Op(self, lambda: self.ws.auth.change_password(self.actor, current, new))
        op.success(lambda _none: self.accept()).failure(self._refused).finally_(lambda: self.setEnabled(True)).run()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError):
            self.message.setText(exc.message(lang()))
        else:
            show_error(self, exc)

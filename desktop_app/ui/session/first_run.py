"""The first-run wizard for an empty data directory: the administrator, where the key is kept, and the
one-time recovery code for the branch safe."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.password_policy import password_problems
from desktop_app.services.errors import PasswordRejected, ServiceError, StoreError
from desktop_app.services.workstation import KeyMethod, Workstation, keyring_available
from desktop_app.ui.common.handover_text import HandoverText
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op, wait_cursor_while


class FirstRunWizard(QDialog):
    """Creates the store; `ws` is the open workstation afterwards."""

    def __init__(self, root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.ws: Workstation | None = None
        self.setWindowTitle(self.tr("Set up this workstation"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "This workstation has no customer store yet. Create it and its first administrator.\nData folder: %1"
            ).replace("%1", str(root))
        )
        intro.setWordWrap(True)
        self.admin = QLineEdit("admin")
        self.admin.setObjectName("setup_admin")
        self.password = QLineEdit()
        self.password.setObjectName("setup_password")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("setup_repeat")
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.use_keyring = QRadioButton(self.tr("Keep the key in the system's credential store"))
        self.use_passphrase = QRadioButton(self.tr("Protect the key with a passphrase typed at each start"))
        available = keyring_available()
        self.use_keyring.setEnabled(available)
        (self.use_keyring if available else self.use_passphrase).setChecked(True)
        if not available:
            self.use_keyring.setToolTip(self.tr("No usable credential store on this computer."))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("setup_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_repeat = QLineEdit()
        self.passphrase_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Administrator user name"), self.admin)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat password"), self.repeat)
        form.addRow(self.use_keyring)
        form.addRow(self.use_passphrase)
        form.addRow(self.tr("Key passphrase"), self.passphrase)
        form.addRow(self.tr("Repeat passphrase"), self.passphrase_repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _create(self) -> None:
        if self.password.text() != self.repeat.text():
            self._wrong(self.repeat, self.tr("The two passwords differ."))
            return
        method = KeyMethod.KEYRING if self.use_keyring.isChecked() else KeyMethod.PASSPHRASE
        passphrase = None
        if method is KeyMethod.PASSPHRASE:
            if len(self.passphrase.text()) < 12:
                self._wrong(self.passphrase, self.tr("Use a passphrase of at least 12 characters."))
                return
            if self.passphrase.text() != self.passphrase_repeat.text():
                self._wrong(self.passphrase_repeat, self.tr("The two passphrases differ."))
                return
            passphrase = self.passphrase.text()
        if not self.isEnabled():
            return  # already being created
        root, admin, password = self.root, self.admin.text(), self.password.text()
        self.setEnabled(False)  # the key and the administrator's hash take a moment: off the GUI thread
        op = Op(self, lambda: Workstation.initialise(root, admin, password, method, passphrase))
        op.success(self._created).failure(self._refused).finally_(lambda: self.setEnabled(True))
        wait_cursor_while(op.run())

    def _wrong(self, field: QLineEdit, text: str) -> None:
        """Say what is wrong, and put the keyboard in the field to correct, its text selected."""
        self.message.setText(text)
        field.setFocus()
        field.selectAll()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, PasswordRejected):  # the administrator's password, or the key passphrase: say which
            if password_problems(self.password.text(), username=self.admin.text().strip().lower()):
                field, which = self.password, self.tr("Administrator password: %1")
            else:
                field, which = self.passphrase, self.tr("Key passphrase: %1")
            self._wrong(field, which.replace("%1", exc.message(lang())))
        elif isinstance(exc, ServiceError):
            self.message.setText(exc.message(lang()))
        elif isinstance(exc, StoreError):
            self.message.setText(str(exc))
        else:
            show_error(self, exc)

    def _created(self, created: tuple[Workstation, str, object]) -> None:
        ws, code, _ = created
        RecoveryCodeDialog(code, self).exec()
        self.ws = ws
        self.accept()


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once; closes only when the admin confirms it is written down."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery code"))
        text = QLabel(
            self.tr(
                "Write this code down or print it, and keep it in the branch safe. It is shown only "
                "now. With it, 'desktop-app recover' restores access to the data if the key is lost."
            )
        )
        text.setWordWrap(True)
        self.secret = HandoverText(code, print_title=self.tr("Recovery code of this workstation"), parent=self)
        self.secret.shown.setObjectName("recovery_code")
        self.done_box = QCheckBox(self.tr("I have written the code down or printed it"))
        self.done_box.setObjectName("recovery_code_kept")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.done_box.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        self.note = QLabel()
        self.note.setObjectName("recovery_code_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.secret)
        layout.addWidget(self.done_box)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Escape or the window's close button: the code is shown only now, so the dialog stays until it is kept
        (found by the independent check: Escape closed it and the code was gone)."""
        if self.done_box.isChecked():
            self.accept()
            return
        self.note.setText(self.tr("The code is shown only now: write it down or print it, tick the box, then OK."))
        self.done_box.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() != QDialog.DialogCode.Accepted and not self.done_box.isChecked():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

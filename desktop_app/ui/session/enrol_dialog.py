"""Enrol this workstation with the central server (admin): address, one-time code, CA bundle, and an optional
name; the one place the address and CA are set or changed (a re-enrolment). It shows this workstation's id, which
the bank's administrator names to issue a re-enrolment code. The exchange runs in the background; what went wrong
is shown in the dialog, in the UI language, so the admin can correct it and try again (a code is spent only when
the exchange succeeds)."""

from __future__ import annotations

import html
import socket

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.services.actor import Actor
from desktop_app.services.sync import Enrolled
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import explain
from desktop_app.ui.common.worker import Operation, run_in_background

_RED = "#b00020"


class EnrolDialog(QDialog):
    """`enrolled(Enrolled)` when the workstation has its credential; the dialog then says so and offers Close."""

    enrolled = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        ws: Workstation,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        server_url: str = "",
        ca_bundle: str = "",
        device_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.result_value: Enrolled | None = None
        self._op: Operation | None = None
        self.setWindowTitle(self.tr("Enrol with the central server"))
        self.url = QLineEdit(server_url)
        self.url.setObjectName("enrol_url")
        self.url.setPlaceholderText("https://kyc-central.example.cn:8443")
        self.code = QLineEdit()
        self.code.setObjectName("enrol_code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.ca = QLineEdit(ca_bundle)
        self.ca.setObjectName("enrol_ca")
        self.ca.setPlaceholderText(self.tr("the operating system's trusted certificates"))
        choose = QPushButton(self.tr("Choose…"))
        choose.setObjectName("enrol_choose_ca")
        choose.clicked.connect(self.choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(choose)
        self.name = QLineEdit()
        self.name.setObjectName("enrol_name")
        self.name.setPlaceholderText(socket.gethostname())
        self.workstation = QLineEdit(ws.sync.workstation_id)
        self.workstation.setObjectName("enrol_workstation_id")
        self.workstation.setReadOnly(True)  # shown to be read out or copied, never typed
        self.workstation.setToolTip(
            self.tr(
                "Tell the bank's central administrator this id to re-enrol this workstation: the code is issued "
                "for it (desktop-app-server enrol-code --workstation ID)."
            )
        )
        intro = QLabel(
            self.tr(
                "The central administrator gives you a one-time enrolment code. This workstation exchanges it for "
                "its own credential, kept in the operating system's credential store."
            )
        )
        intro.setWordWrap(True)
        self.previous = QLabel()
        self.previous.setObjectName("enrol_previous")
        self.previous.setWordWrap(True)
        if device_id:
            self.previous.setText(
                self.tr(
                    "Already enrolled as device %1. The server address and CA certificate change only this way: "
                    "enrolling again, with a new code the bank's central administrator issues for this "
                    "workstation's id, replaces the credential and the address and CA it is bound to, is written to "
                    "the audit trail, and the new device goes on with the audit trail from where the previous one "
                    "left it."
                ).replace("%1", device_id)
            )
        self.previous.setVisible(bool(device_id))
        self.message = QLabel()
        self.message.setObjectName("enrol_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Central server address"), self.url)
        form.addRow(self.tr("Enrolment code"), self.code)
        form.addRow(self.tr("CA certificate (PEM)"), ca_row)
        form.addRow(self.tr("Workstation name (optional)"), self.name)
        form.addRow(self.tr("This workstation's id"), self.workstation)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.enrol_button = QPushButton(self.tr("Enrol"))
        self.enrol_button.setObjectName("enrol_button")
        self.enrol_button.setDefault(True)
        self.buttons.addButton(self.enrol_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.enrol_button.clicked.connect(self.enrol)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.previous)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 300)
        (self.code if server_url else self.url).setFocus()

    def choose_ca(self) -> None:
        """Pick the CA bundle the server's certificate is checked against."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("CA certificate"),
            self.ca.text(),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca.setText(path)

    @property
    def busy(self) -> bool:
        return self._op is not None

    def enrol(self) -> None:
        """Exchange the code in the background; the service checks everything before it spends it."""
        if self._op is not None:
            return
        ws, actor = self.ws, self.actor
        url, code, ca, name = self.url.text(), self.code.text(), self.ca.text().strip(), self.name.text().strip()
        self._set_busy(True)
        self.message.setStyleSheet("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setText(self.tr("Enrolling with %1…").replace("%1", url.strip()))
        self._op = run_in_background(
            lambda _p: ws.sync.enrol(actor, url, code, ca or None, name or None), self._done, self._failed
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url, self.code, self.ca, self.name, self.enrol_button):
            widget.setEnabled(not busy)

    def _done(self, enrolled: Enrolled) -> None:
        self._op = None
        if not isValid(self):
            return
        self._set_busy(False)
        self.result_value = enrolled
        text = html.escape(
            self.tr("Enrolled with %1 as device %2. Approved records will now be sent.")
            .replace("%1", enrolled.server_url)
            .replace("%2", enrolled.device_id)
        )
        if enrolled.insecure_http:
            warning = self.tr("Plain HTTP: allowed only to this computer; records are not encrypted on the way.")
            text += f"<br><b style='color:{_RED}'>⚠ {html.escape(warning)}</b>"
        audit_break = enrolled.audit_break(lang())
        if audit_break:
            text += f"<br><b style='color:{_RED}'>⚠ {html.escape(audit_break)}</b>"
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setText(text)
        self.code.clear()
        self.enrolled.emit(enrolled)

    def _failed(self, exc: Exception) -> None:
        self._op = None
        if not isValid(self):
            return
        self._set_busy(False)
        self.message.setStyleSheet(f"color: {_RED};")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setText(explain(exc))
        self.code.setFocus()
        self.failed.emit(exc)

"""The audit log for auditors and supervisors: filter by user, action and record; verify the chain."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.messages import show_error
from desktop_app.ui.worker import run_in_background


class AuditPage(QWidget):
    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("User"))
        self.action = QLineEdit()
        self.action.setPlaceholderText(self.tr("Action (e.g. record.reveal)"))
        self.record = QLineEdit()
        self.record.setPlaceholderText(self.tr("Record id"))
        apply = QPushButton(self.tr("Filter"))
        apply.clicked.connect(self.refresh)
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.setObjectName("verify_chain")
        self.verify_button.setVisible(Permission.AUDIT_VERIFY in permissions_of(actor.roles))
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel()
        self.result.setObjectName("verify_result")
        top = QHBoxLayout()
        for widget in (self.user, self.action, self.record):
            widget.returnPressed.connect(self.refresh)
            top.addWidget(widget)
        top.addWidget(apply)
        top.addWidget(self.verify_button)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("#"),
                self.tr("When (UTC)"),
                self.tr("Who"),
                self.tr("Action"),
                self.tr("Record"),
                self.tr("Details"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        flt = AuditFilter(
            actor=self.user.text().strip(),
            action=self.action.text().strip(),
            record_id=self.record.text().strip(),
            limit=500,
        )
        try:
            entries = self.ws.audit.entries(self.actor, flt)
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            for col, value in enumerate(
                [str(e.seq), e.ts[:19].replace("T", " "), e.actor, e.action, e.record_id or "", str(e.details)]
            ):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("Verifying…"))
        ws, actor = self.ws, self.actor

        def done(report: object) -> None:
            self.verify_button.setEnabled(True)
            ok = getattr(report, "ok", False)
            if ok:
                self.result.setText(
                    self.tr("The audit chain is intact (%1 entries).").replace("%1", str(getattr(report, "entries", 0)))
                )
            else:
                self.result.setText(
                    self.tr("The audit chain is BROKEN at entry %1: %2")
                    .replace("%1", str(getattr(report, "first_bad_seq", "?")))
                    .replace("%2", str(getattr(report, "problem", "")))
                )

        def failed(exc: Exception) -> None:
            self.verify_button.setEnabled(True)
            show_error(self, exc)

        run_in_background(lambda _p: ws.audit.verify_chain(actor), done, failed)

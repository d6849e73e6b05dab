"""The Backups page (supervisors and admins): the backups in the backup folder with their checks, "Back up now"
(Ctrl+B) and "Verify" in the background, the age of the last backup, and how an admin restores one.

Restore is not offered here on purpose: the store being replaced must not be open, so it is an admin's
command-line step with the app closed; the page shows the exact command for the selected backup.
"""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.services.actor import Actor
from desktop_app.services.backups import BackupInfo, VerifyReport
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import actor_label, local_time
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.worker import LatestOnly, Operation, run_in_background


def size_text(size: int) -> str:
    """A file size for people: KiB or MiB."""
    return f"{size / 1_048_576:.1f} MiB" if size >= 1_048_576 else f"{max(size, 0) / 1024:.0f} KiB"


class BackupPage(QWidget):
    """The backup list with "Back up now" and "Verify"; `backed_up(BackupInfo)` after each backup it takes."""

    backed_up = Signal(object)
    verified = Signal(object)  # the VerifyReport of "Verify"

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.backups: list[BackupInfo] = []
        self._loads = LatestOnly()
        self._running: Operation | None = None

        self.age = QLabel()
        self.age.setObjectName("backupAge")
        self.backup_now = QPushButton(self.tr("Back up now (Ctrl+B)"))
        self.backup_now.clicked.connect(self.start_backup)
        self.verify_button = QPushButton(self.tr("&Verify"))
        self.verify_button.clicked.connect(self.verify_selected)
        self.verify_button.setEnabled(False)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.clicked.connect(self.refresh)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy indicator: a backup's length is not known in advance
        self.busy.setMaximumWidth(160)
        self.busy.hide()

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Taken"),
                self.tr("Records"),
                self.tr("Size"),
                self.tr("Check"),
                self.tr("Taken by"),
                self.tr("Reason"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 4, 5):  # the time, count, size, who and why fit their text; the check takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.restore_help = QLabel()
        self.restore_help.setWordWrap(True)
        self.restore_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel()
        self.result.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.age, 1)
        top.addWidget(self.busy)
        top.addWidget(refresh)
        top.addWidget(self.verify_button)
        top.addWidget(self.backup_now)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.restore_help)

        QShortcut(QKeySequence("Ctrl+B"), self, self.start_backup)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self._show_restore_help(None)
        self.refresh()

    # --- words -------------------------------------------------------------------------------------------------
    def reason_label(self, reason: str) -> str:
        """The translated reason a backup was taken."""
        labels = {
            "manual": self.tr("On demand"),
            "daily": self.tr("Daily"),
            "pre-restore": self.tr("Before a restore"),
            "rekey": self.tr("After a key rotation"),
        }
        return labels.get(reason, reason)

    def age_text(self, now: datetime | None = None) -> str:
        """How long ago the newest complete backup was taken."""
        newest = next((b for b in self.backups if b.created_at is not None), None)
        if newest is None or newest.created_at is None:
            return self.tr("No backup yet. Take one now (Ctrl+B).")
        hours = ((now or datetime.now(UTC)) - newest.created_at).total_seconds() / 3600
        if hours < 1:
            age = self.tr("less than an hour ago")
        elif hours < 48:
            age = self.tr("%1 hours ago").replace("%1", str(int(hours)))
        else:
            age = self.tr("%1 days ago").replace("%1", str(int(hours // 24)))
        return self.tr("Last backup: %1 (%2)").replace("%1", local_time(newest.created_at)).replace("%2", age)

    def _show_restore_help(self, info: BackupInfo | None) -> None:
        target = shlex.quote(str(info.path)) if info else self.tr("BACKUP-FILE.db")
        command = (
            f"desktop-app --data-dir {shlex.quote(str(self.ws.store.data_dir.root))} restore {target} --user ADMIN"
        )
        self.restore_help.setText(
            self.tr(
                "To restore a backup, an administrator closes this program and runs on this computer:\n%1\n"
                "The backup is verified first and the replaced database is kept."
            ).replace("%1", command)
        )

    # --- loading -----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the backup list again (in the background: each backup's checksum is checked)."""
        ws, actor = self.ws, self.actor
        self._loads.run(lambda _p: ws.backups.list(actor), self._arrived, self._failed)

    def _arrived(self, backups: list[BackupInfo]) -> None:
        if not isValid(self):
            return
        self.backups = backups
        self.table.setRowCount(len(backups))
        for row, info in enumerate(backups):
            check = self.tr("Verified") if info.verified else info.problem(lang()) or self.tr("Not verified")
            cells = [
                local_time(info.created_at) if info.created_at else "?",
                "?" if info.records is None else f"{info.records:,}",
                size_text(info.size),
                check,
                actor_label(info.manifest.taken_by) if info.manifest else "",
                self.reason_label(info.manifest.reason) if info.manifest else "",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(info.path.name)
                if col == 3 and not info.verified:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.age.setText(self.age_text())
        self._selection_changed()

    def _failed(self, exc: Exception) -> None:
        if isValid(self):
            show_error(self, exc)

    def selected(self) -> BackupInfo | None:
        """The backup selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows and rows[0].row() < len(self.backups) else None

    def _selection_changed(self) -> None:
        info = self.selected()
        self.verify_button.setEnabled(info is not None and self._running is None)
        self._show_restore_help(info)

    # --- actions -----------------------------------------------------------------------------------------------
    def _set_busy(self, op: Operation | None) -> None:
        self._running = op
        self.busy.setVisible(op is not None)
        self.backup_now.setEnabled(op is None)
        self.verify_button.setEnabled(op is None and self.selected() is not None)

    def start_backup(self) -> None:
        """Take a backup off the GUI thread; the list refreshes when it is done."""
        if self._running is not None:
            return
        ws, actor = self.ws, self.actor
        self.result.setText(self.tr("Backing up…"))
        self._set_busy(run_in_background(lambda _p: ws.backups.create(actor), self._backup_done, self._action_failed))

    def _backup_done(self, info: BackupInfo) -> None:
        if not isValid(self):
            return
        self._set_busy(None)
        self.result.setText(
            self.tr("Backup written: %1 (%2 records).")
            .replace("%1", info.path.name)
            .replace("%2", f"{info.records or 0:,}")
        )
        self.backed_up.emit(info)
        self.refresh()

    def verify_selected(self) -> None:
        """Run every check on the selected backup, off the GUI thread."""
        info = self.selected()
        if info is None or self._running is not None:
            return
        ws, actor, path = self.ws, self.actor, Path(info.path)
        self.result.setText(self.tr("Verifying %1…").replace("%1", path.name))
        self._set_busy(
            run_in_background(lambda _p: ws.backups.verify(actor, path), self._verify_done, self._action_failed)
        )

    def _verify_done(self, report: VerifyReport) -> None:
        if not isValid(self):
            return
        self._set_busy(None)
        if report.ok:
            text = self.tr("%1 passed every check (checksum, key, integrity, audit trail).").replace(
                "%1", report.path.name
            )
        else:
            text = (
                self.tr("%1 failed: %2")
                .replace("%1", report.path.name)
                .replace("%2", " ".join(report.messages(lang())))
            )
        self.result.setText(text)
        self.verified.emit(report)

    def _action_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self._set_busy(None)
        self.result.setText("")
        show_error(self, exc)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.age.setText(self.age_text())

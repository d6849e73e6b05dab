"""The export dialog of the customer list: format, file, "unmasked" for those who may, progress and Cancel.

The export itself (masking, neutralising, the audit) is ExportService's; this dialog only asks where and how, and
runs it off the GUI thread.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.roles import Permission, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.exports import ExportCancelled, ExportResult
from desktop_app.services.records import SearchQuery
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.messages import confirm, show_error
from desktop_app.ui.common.worker import Cancelled, Operation, Progress, run_in_background

FORMATS = ("xlsx", "csv")


def default_folder() -> Path:
    """The user's Documents folder when there is one, else the home folder."""
    home = Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def default_path(fmt: str = "xlsx", today: date | None = None) -> Path:
    """customers-<date>.<fmt> in the default folder."""
    return default_folder() / f"customers-{(today or date.today()).isoformat()}.{fmt}"


class ExportDialog(QDialog):
    """Export the customer list's current query. `exported(ExportResult)` when a file was written."""

    exported = Signal(object)
    counted = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, query: SearchQuery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.query = ws, actor, query
        self._op: Operation | None = None
        self.setWindowTitle(self.tr("Export customers"))
        self.setObjectName("export_dialog")

        self.matching = QLabel(self.tr("Counting the records in the list…"))
        self.matching.setObjectName("export_matching")
        self.format = QComboBox()
        self.format.setObjectName("export_format")
        self.format.addItem(self.tr("Excel workbook (.xlsx)"), "xlsx")
        self.format.addItem(self.tr("CSV, UTF-8 (.csv)"), "csv")
        self.path = QLineEdit(str(default_path()))
        self.path.setObjectName("export_path")
        choose = QPushButton(self.tr("&Choose…"))
        choose.setObjectName("export_choose")
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)

        may_unmask = Permission.EXPORT_UNMASKED in permissions_of(actor.roles)
        self.unmasked = QCheckBox(self.tr("Export unmasked values"))
        self.unmasked.setObjectName("export_unmasked")
        self.unmasked.setVisible(may_unmask)
        self.masking_note = QLabel()
        self.masking_note.setObjectName("export_masking_note")
        self.masking_note.setWordWrap(True)
        self.unmasked.toggled.connect(self._show_masking_note)

        self.progress = QProgressBar()
        self.progress.setObjectName("export_progress")
        self.progress.setFormat(self.tr("%v of %m"))
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("export_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton(self.tr("&Export"))
        self.export_button.setObjectName("export_run")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("C&lose"))
        self.cancel_button.setObjectName("export_cancel")
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("File"), file_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.matching)
        layout.addLayout(form)
        layout.addWidget(self.unmasked)
        layout.addWidget(self.masking_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._show_masking_note()
        self.resize(560, self.sizeHint().height())
        self._count()

    # --- inputs ----------------------------------------------------------------------------------------------------
    def _count(self) -> None:
        ws, actor, query = self.ws, self.actor, self.query
        run_in_background(lambda _p: ws.records.count(actor, query), self._counted, lambda _exc: None)

    def _counted(self, total: int) -> None:
        if isValid(self):
            self.matching.setText(self.tr("Records in the list to export: %1").replace("%1", str(total)))
            self.counted.emit(total)

    def _show_masking_note(self) -> None:
        if self.unmasked.isChecked():
            self.masking_note.setText(
                self.tr(
                    "Warning: the file will show names, ID numbers and contact details in full. Keep it safe; "
                    "the export is recorded in the audit log as unmasked."
                )
            )
            self.masking_note.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            self.masking_note.setText(
                self.tr("Values are masked as your role sees them. The export is recorded in the audit log.")
            )
            self.masking_note.setStyleSheet("")

    def _format_changed(self) -> None:
        fmt = str(self.format.currentData())
        text = self.path.text().strip()
        if text:
            current = Path(text)
            if current.suffix.lower() in (".xlsx", ".csv", ""):
                self.path.setText(str(current.with_suffix("." + fmt)))

    def choose_file(self) -> None:
        """Ask for the file with the system's save dialog."""
        fmt = str(self.format.currentData())
        filters = self.tr("Excel workbook (*.xlsx)") if fmt == "xlsx" else self.tr("CSV file (*.csv)")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path.text(), filters)
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() != "." + fmt:
                path = path.with_name(path.name + "." + fmt)
            self.path.setText(str(path))

    # --- running ---------------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._op is not None

    def start(self) -> None:
        """Export to the chosen file in the background (asks before replacing an existing file)."""
        if self.running:
            return
        text = self.path.text().strip()
        if not text:
            self.message.setText(self.tr("Choose the file to export to."))
            return
        path = Path(text).expanduser()
        if path.is_file() and not confirm(
            self, self.tr("Replace file?"), self.tr("%1 already exists. Replace it?").replace("%1", path.name)
        ):
            return
        ws, actor, query, unmasked = self.ws, self.actor, self.query, self.unmasked.isChecked()

        def work(progress: Progress) -> ExportResult:
            def report(done: int, total: int) -> None:
                if not progress.cancelled:  # the service checks `cancelled` itself between pages
                    with contextlib.suppress(Cancelled):
                        progress(done, total)

            try:
                return ws.exports.export(
                    actor, query, path, unmasked=unmasked, progress=report, cancelled=lambda: progress.cancelled
                )
            except ExportCancelled:
                raise Cancelled from None

        self._set_running(True)
        self.message.setText(self.tr("Exporting…"))
        self._op = run_in_background(work, self._done, self._failed, self._progressed, self._cancelled)

    def cancel(self) -> None:
        """Stop the export in progress; nothing is written."""
        if self._op is not None:
            self._op.cancel()
            self.message.setText(self.tr("Cancelling…"))

    def _set_running(self, running: bool) -> None:
        for widget in (self.format, self.path, self.unmasked, self.export_button):
            widget.setEnabled(not running)
        self.cancel_button.setText(self.tr("Cancel") if running else self.tr("C&lose"))
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)

    def _progressed(self, done: int, total: int) -> None:
        if isValid(self):
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _done(self, result: ExportResult) -> None:
        self._op = None
        if not isValid(self):
            return
        self._set_running(False)
        text = (
            self.tr("Exported %1 record(s), masked, to %2.")
            if result.masked
            else self.tr("Exported %1 record(s), UNMASKED, to %2.")
        )
        self.message.setText(text.replace("%1", str(result.count)).replace("%2", str(result.path)))
        self.exported.emit(result)

    def _failed(self, exc: Exception) -> None:
        self._op = None
        if not isValid(self):
            return
        self._set_running(False)
        self.message.setText("")
        show_error(self, exc)

    def _cancelled(self) -> None:
        self._op = None
        if isValid(self):
            self._set_running(False)
            self.message.setText(self.tr("The export was cancelled; no file was written."))

    def _cancel_or_close(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        """Esc or Close: cancels a running export first (the dialog stays until it has stopped)."""
        if self.running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

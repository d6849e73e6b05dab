"""The import dialog (tellers): choose a spreadsheet, check which form field each column holds, import with
progress and Cancel, then read and export the report of rows accepted and rejected.

Reading, checking and writing are ImportService's; the dialog only asks and shows, and runs the preview and the
import off the GUI thread. The mapping is saved for the file's layout when the import starts, and offered the
next time a file with the same headers is opened. Keys: Ctrl+O choose a file, Ctrl+Enter import, Escape cancels
a running import (or closes), Ctrl+E export the report.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.import_columns import column_name, unmapped_required
from desktop_app.services.actor import Actor
from desktop_app.services.importer import ImportPreview, ImportReport, RowOutcome
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.tab_keys import add_tab_keys
from desktop_app.ui.common.worker import Operation, Progress, run_in_background
from desktop_app.ui.operations.sync_status import progress_reporter
from desktop_app.ui.records.export_dialog import default_folder

IGNORE = ""  # the combo box data of "do not import this column"
REPORT_ROWS_SHOWN = 5_000  # the table shows the first problems; the exported report has every line


class ImportDialog(QDialog):
    """Import customers from an .xlsx or .csv file. `imported(int)` with the number of records created."""

    imported = Signal(int)
    previewed = Signal(object)  # ImportPreview, for tests and the lead's wiring
    finished_report = Signal(object)  # ImportReport

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.actor = actor
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self._op: Operation | None = None
        self.setWindowTitle(self.tr("Import customers from a spreadsheet"))
        self.resize(980, 680)

        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.setReadOnly(True)
        self.path.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # shown, not typed into: Tab starts at Choose file
        self.path.setPlaceholderText(self.tr("An .xlsx or .csv file; the first row holds the column headers"))
        self.choose_button = QPushButton(self.tr("&Choose file…"))
        self.choose_button.setObjectName("import_choose")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("File:")))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)

        self.note = QLabel()
        self.note.setObjectName("import_note")
        self.note.setWordWrap(True)

        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("import_mapping")
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Header in the file"), self.tr("Form field")]
        )
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.verticalHeader().setVisible(False)
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.setObjectName("import_preview")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table = QTableWidget(0, 4)
        self.report_table.setObjectName("import_report")
        self.report_table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Outcome"), self.tr("Field"), self.tr("Reason")]
        )
        self.report_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.verticalHeader().setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mapping_table, self.tr("Columns"))
        self.tabs.addTab(self.preview_table, self.tr("First rows"))
        self.tabs.addTab(self.report_table, self.tr("Report"))
        add_tab_keys(self.tabs, self)

        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setVisible(False)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)

        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setObjectName("import_start")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel i&mport"))
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.setToolTip(
            self.tr("Stop after the rows already read; those are kept, the rest is not read.")
        )
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button = QPushButton(self.tr("E&xport report…"))
        self.export_button.setObjectName("import_export_report")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_report)
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_report)
        if path is not None:
            self.open_file(Path(path))
        else:
            self.choose_button.setFocus()  # the first thing to do (Ctrl+O, or Enter here)

    # --- choosing and previewing ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        """Ask for the file to import."""
        if self.running:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the spreadsheet to import"),
            str(default_folder()),
            self.tr("Spreadsheets (*.xlsx *.csv)"),
        )
        if chosen:
            self.open_file(Path(chosen))

    def open_file(self, path: Path) -> None:
        """Read the file's headers and first rows in the background, then show them with the proposed mapping."""
        self.path.setText(str(path))
        self.note.setText(self.tr("Reading the file…"))
        self.import_button.setEnabled(False)
        ws, actor = self.ws, self.actor
        run_in_background(lambda _p: ws.imports.preview(actor, path), self._show_preview, self._preview_failed)

    def _preview_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self.note.setText("")
        show_error(self, exc)

    def _show_preview(self, preview: ImportPreview) -> None:
        if not isValid(self):
            return
        self.preview = preview
        self.report = None
        self.export_button.setEnabled(False)
        self._fill_mapping(preview)
        self._fill_preview(preview)
        detected = preview.format.upper() + (f", {preview.encoding.upper()}" if preview.encoding else "")
        if preview.saved_layout:
            text = self.tr("The column choice saved for this layout of headers was used (%1). Check it, then import.")
        else:
            text = self.tr("The form fields were guessed from the headers (%1). Check each column, then import.")
        self.note.setText(text.replace("%1", detected))
        self.tabs.setCurrentWidget(self.mapping_table)
        self._mapping_changed()
        self.previewed.emit(preview)

    def _fill_mapping(self, preview: ImportPreview) -> None:
        table = self.mapping_table
        table.setRowCount(len(preview.headers))
        current = lang()
        for index, header in enumerate(preview.headers):
            letter = QTableWidgetItem(column_name(index))
            letter.setData(Qt.ItemDataRole.UserRole, index)
            table.setItem(index, 0, letter)
            table.setItem(index, 1, QTableWidgetItem(header))
            combo = QComboBox()
            combo.setObjectName(f"import_field_{index}")
            combo.setAccessibleName(self.tr("Form field for column %1").replace("%1", column_name(index)))
            combo.addItem(self.tr("(do not import)"), IGNORE)
            for spec in self.ws.form.fields:
                combo.addItem(spec.label_text.with_other(current), spec.key)
            chosen = preview.mapping.get(index, IGNORE)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(self._mapping_changed)
            table.setCellWidget(index, 2, combo)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(1)

    def _fill_preview(self, preview: ImportPreview) -> None:
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(preview.headers))
        table.setHorizontalHeaderLabels([f"{column_name(i)} {h}" for i, h in enumerate(preview.headers)])
        table.setRowCount(len(preview.rows))
        for r, row in enumerate(preview.rows):
            for c in range(len(preview.headers)):
                text = row[c] if c < len(row) else ""
                table.setItem(r, c, QTableWidgetItem(text[:200]))

    def combo(self, index: int) -> QComboBox:
        """The field chooser of column `index` (tests and keyboard users)."""
        widget = self.mapping_table.cellWidget(index, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> dict[int, str]:
        """The mapping as chosen in the table: {column index: field key}, ignored columns left out."""
        if self.preview is None:
            return {}
        chosen: dict[int, str] = {}
        for index in range(len(self.preview.headers)):
            key = self.combo(index).currentData()
            if key:
                chosen[index] = str(key)
        return chosen

    def _mapping_changed(self) -> None:
        if self.preview is None:
            return
        mapping = self.mapping()
        keys = list(mapping.values())
        twice = sorted({k for k in keys if keys.count(k) > 1})
        missing = unmapped_required(self.ws.form, mapping)

        def label(key: str) -> str:
            return self.ws.form.field(key).label(lang())

        problems = []
        if twice:
            problems.append(self.tr("Chosen for two columns: %1.").replace("%1", ", ".join(label(k) for k in twice)))
        if missing:
            problems.append(
                self.tr("Required fields without a column: %1.").replace("%1", ", ".join(label(k) for k in missing))
            )
        self.summary.setText(" ".join(problems))
        self.import_button.setEnabled(not problems and not self.running)

    # --- importing ------------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._op is not None

    def start(self) -> None:
        """Save the mapping for this layout, then import the whole file in the background."""
        if self.preview is None or self.running or not self.import_button.isEnabled():
            return
        preview, mapping = self.preview, self.mapping()
        ws, actor, path = self.ws, self.actor, Path(self.path.text())

        def work(progress: Progress) -> ImportReport:
            # The mapping is kept for this layout first: a refusal is shown, and the import does not start.
            ws.imports.save_layout(actor, preview.signature, preview.headers, mapping)
            # The service asks `cancelled` itself before each row and writes what it read: never abandoned half way.
            return ws.imports.run(actor, path, mapping, progress_reporter(progress), lambda: progress.cancelled)

        self._set_running(True)
        self.progress.setRange(0, max(preview.row_estimate, 0))
        self.progress.setValue(0)
        self.summary.setText(self.tr("Importing…"))
        self._op = run_in_background(work, self._done, self._failed, self._progressed)

    def cancel(self) -> None:
        """Stop the import after the rows already read (they are written whole; the report says which)."""
        if self._op is not None:
            self._op.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText(self.tr("Stopping after the rows already read…"))

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.choose_button.setEnabled(not running)
        self.close_button.setEnabled(not running)
        self.mapping_table.setEnabled(not running)
        self.import_button.setEnabled(not running and self.preview is not None)

    def _progressed(self, done: int, total: int) -> None:
        if not isValid(self):
            return
        if self.preview is not None and self.preview.row_estimate:  # else the bar stays busy: no known total
            self.progress.setRange(0, max(total, done))
            self.progress.setValue(done)
        self.summary.setText(self.tr("%1 rows read…").replace("%1", f"{done:,}"))

    def _finish(self) -> None:
        self._op = None
        if isValid(self):
            self._set_running(False)

    def _failed(self, exc: Exception) -> None:
        self._finish()
        if isValid(self):
            self.summary.setText("")
            show_error(self, exc)

    def _done(self, report: ImportReport) -> None:
        self._finish()
        if not isValid(self):
            return
        self.report = report
        self._fill_report(report)
        counts = (
            self.tr("%1 rows read: %2 imported, %3 rejected, %4 imported with warnings, %5 empty rows skipped.")
            .replace("%1", f"{report.read:,}")
            .replace("%2", f"{report.accepted:,}")
            .replace("%3", f"{report.rejected:,}")
            .replace("%4", f"{report.warnings:,}")
            .replace("%5", f"{report.skipped:,}")
        )
        if report.cancelled:
            counts = (
                self.tr("Import cancelled after row %1; the rows after it were not read.").replace(
                    "%1", str(report.last_row)
                )
                + " "
                + counts
            )
        self.summary.setText(counts)
        self.export_button.setEnabled(True)
        # The file is imported: a second Enter must not import it again. Another file (Ctrl+O) enables it anew.
        self.import_button.setEnabled(False)
        self.close_button.setFocus()
        self.tabs.setCurrentWidget(self.report_table)
        self.finished_report.emit(report)
        self.imported.emit(report.accepted)

    def _fill_report(self, report: ImportReport) -> None:
        # Rejected rows and warnings: the lines someone must act on. Accepted rows without remarks are counted only.
        lines = [line for line in report.lines if line.severity][:REPORT_ROWS_SHOWN]
        outcome = {RowOutcome.ACCEPTED: self.tr("Imported"), RowOutcome.REJECTED: self.tr("Rejected")}
        table = self.report_table
        table.setRowCount(len(lines))
        language = lang()
        for r, line in enumerate(lines):
            field = ""
            if line.field:
                with contextlib.suppress(KeyError):
                    field = self.ws.form.field(line.field).label(language)
            text = outcome[line.outcome] + (self.tr(" (warning)") if line.severity == "warning" else "")
            for c, value in enumerate((str(line.row), text, field or line.field, line.reason(language))):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    def export_report(self, path: Path | None = None) -> None:
        """Write the whole report to a file the user chooses (or `path`)."""
        if self.report is None:
            return
        if not path:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the import report"),
                str(default_folder() / f"import-report-{self.report.import_id[:8]}.xlsx"),
                self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        ws, actor, report, target = self.ws, self.actor, self.report, Path(path)

        def written(count: int) -> None:
            self.summary.setText(
                self.tr("Report written: %1 lines to %2.").replace("%1", str(count)).replace("%2", str(target))
            )

        Op(self, lambda: ws.imports.export_report(actor, report, target)).success(written).run()

    # --- closing ----------------------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Escape: cancel a running import first; close otherwise."""
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

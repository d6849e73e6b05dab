"""Dual-entry statistics (双人录入差错统计): discrepancy rates per clerk, per field and per day, loaded in the
background, exportable as CSV."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.actor import Actor
from desktop_app.services.dual_entry_stats import DiscrepancyReport
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.worker import LatestOnly, run_in_background


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:  # numbers line up on the right
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class StatsPage(QWidget):
    """Three tables from the statistics service; Refresh reloads, Export CSV… saves the same report."""

    loaded = Signal()

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.report: DiscrepancyReport | None = None
        self._latest = LatestOnly()
        self.period = QComboBox()
        self.period.setObjectName("stats_period")
        for label, days in (
            (self.tr("Last 30 days"), 30),
            (self.tr("Last 7 days"), 7),
            (self.tr("Last 365 days"), 365),
            (self.tr("All time"), None),
        ):
            self.period.addItem(label, days)
        self.period.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.setObjectName("stats_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("E&xport CSV…"))
        self.export_button.setObjectName("stats_export")
        self.export_button.clicked.connect(self.export)
        self.state = QLabel()
        self.state.setObjectName("stats_state")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period:")))
        top.addWidget(self.period)
        top.addWidget(self.state, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        self.clerks = _table(
            [self.tr("Clerk"), self.tr("Forms"), self.tr("Fields"), self.tr("Keying errors"), self.tr("Error rate")],
            "stats_clerks",
        )
        self.fields = _table(
            [self.tr("Field"), self.tr("Compared"), self.tr("Differing"), self.tr("Difference rate")], "stats_fields"
        )
        self.days = _table(
            [self.tr("Day"), self.tr("Forms compared"), self.tr("With differences"), self.tr("Rate")], "stats_days"
        )
        tables = QHBoxLayout()
        for title, table in (
            (self.tr("Per clerk"), self.clerks),
            (self.tr("Per field"), self.fields),
            (self.tr("Per day"), self.days),
        ):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            tables.addWidget(box, 1)
        note = QLabel(
            self.tr(
                "A keying error is a field the reconciliation settled against that clerk's entry. "
                "Rates count only records that had a second entry."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tables, 1)
        layout.addWidget(note)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _since(self) -> datetime | None:
        days = self.period.currentData()
        return None if days is None else datetime.now() - timedelta(days=int(days))

    def refresh(self) -> None:
        """Compute the report in the background; `loaded` when the tables show it."""
        ws, actor, since = self.ws, self.actor, self._since()
        self.state.setText(self.tr("loading…"))
        self.refresh_button.setEnabled(False)
        self._latest.run(lambda _p: ws.stats.report(actor, since=since), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.state.clear()
        show_error(self, exc)

    def _label(self, field: str) -> str:
        return self.ws.form.field(field).label(lang()) if field in self.ws.form.keys else field

    def _show(self, report: DiscrepancyReport) -> None:
        self.report = report
        self.refresh_button.setEnabled(True)
        _fill(
            self.clerks,
            [[c.clerk, str(c.entries), str(c.fields), str(c.errors), _percent(c.rate)] for c in report.clerks],
        )
        _fill(
            self.fields,
            [[self._label(f.field), str(f.compared), str(f.differing), _percent(f.rate)] for f in report.fields],
        )
        _fill(self.days, [[d.day, str(d.compared), str(d.with_differences), _percent(d.rate)] for d in report.days])
        self.state.setText(self.tr("%n form(s) compared", "", sum(d.compared for d in report.days)))
        self.loaded.emit()

    def export(self) -> None:
        """Ask where, then write the CSV in the background (the export is audited by the service)."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export dual-entry statistics"), "dual_entry_statistics.csv", self.tr("CSV files (*.csv)")
        )
        if not path:
            return
        ws, actor, since = self.ws, self.actor, self._since()

        def work(_progress: object) -> str:
            # utf-8-sig: Excel on a Chinese Windows opens it without garbling
            Path(path).write_text(ws.stats.export_csv(actor, since=since), encoding="utf-8-sig")
            return path

        self.export_button.setEnabled(False)
        run_in_background(work, on_result=self._exported, on_error=self._export_failed)

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.state.setText(self.tr("Saved %1").replace("%1", path))

    def _export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        show_error(self, exc)

"""A table of records waiting for someone's work (second entry, reconciliation): record, keyed by, submitted.
Enter or a double-click emits `opened(row)`; the values of the records are never shown here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from desktop_app.services.dual_entry import QueueItem
from desktop_app.ui.common.labels import local_time


class QueueTable(QTableWidget):
    opened = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName(name)
        self.queue: list[QueueItem] = []
        self.setHorizontalHeaderLabels(
            [self.tr("Form number"), self.tr("Record"), self.tr("Keyed by"), self.tr("Submitted")]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((140, 100, 160)):
            self.setColumnWidth(column, width)
        self.activated.connect(lambda index: self.opened.emit(index.row()))
        self.doubleClicked.connect(lambda index: self.opened.emit(index.row()))

    def show_items(self, items: list[QueueItem]) -> None:
        """Show these records (oldest first, as the service orders them) and select the first."""
        self.queue = items
        self.setRowCount(len(items))
        for row, item in enumerate(items):
            shown = (item.form_number or "—", item.record_id[:8], item.maker, local_time(item.made_at))
            for column, text in enumerate(shown):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.record_id)
                self.setItem(row, column, cell)
        if items:
            self.selectRow(0)
            self.setFocus()

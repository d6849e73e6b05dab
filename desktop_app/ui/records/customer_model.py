"""The customer list as a Qt model over the record service: a virtual list of the whole result.

The row count comes from a count query and rows are fetched a page at a time, in the background, when the
view first needs them; at most a few pages are kept. So 1,000,000 records scroll (and jump to row 500,000)
without ever loading all rows.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from shiboken6 import isValid

from desktop_app.services.actor import Actor
from desktop_app.services.records import RecordSummary, SearchQuery
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time, status_label
from desktop_app.ui.common.worker import Operation, run_in_background, store_pool

log = logging.getLogger(__name__)

PAGE = 200
MAX_PAGES = 50
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("name", "name_pinyin", "id_type", "id_number", "mobile", "status", "form_number", "maker", "updated_at")


class CustomerModel(QAbstractTableModel):
    """Rows of RecordSummary for one SearchQuery; `loaded` when the count (and first page) is in."""

    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, ws: Workstation, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.query = SearchQuery(limit=PAGE)
        self._count = 0
        self._pages: OrderedDict[int, list[RecordSummary]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._ops: list[Operation] = []
        schema = ws.form
        self._id_types = {c.value: c for c in schema.field("id_type").choices}
        self.headers = {
            "name": self.tr("Name"),
            "name_pinyin": self.tr("Pinyin"),
            "id_type": self.tr("ID type"),
            "id_number": self.tr("ID number"),
            "mobile": self.tr("Mobile"),
            "status": self.tr("Status"),
            "form_number": self.tr("Form no."),
            "maker": self.tr("Keyed by"),
            "updated_at": self.tr("Updated"),
        }

    # --- loading -------------------------------------------------------------------------------------------
    def set_query(self, query: SearchQuery) -> None:
        """Show the records matching `query` (the count and the first page load in the background)."""
        for op in self._ops:
            op.cancel()
        self._ops.clear()
        self.beginResetModel()
        self._generation += 1
        self.query = replace(query, limit=PAGE, offset=0)
        self._count = 0
        self._pages.clear()
        self._pending.clear()
        self.endResetModel()
        generation, ws, actor, q = self._generation, self.ws, self.actor, self.query
        # the first page shows as soon as it is read; counting a large result comes after, in its own step
        self._ops.append(
            run_in_background(
                lambda _p: ws.records.search(actor, q),
                lambda rows: self._first(generation, rows),
                self._failed,
                pool=store_pool(),
            )
        )

    def _first(self, generation: int, rows: list[RecordSummary]) -> None:
        if not isValid(self) or generation != self._generation:  # the list was closed, or asked again
            return
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._pages[0] = rows
            self._count = len(rows)
            self.endInsertRows()
        if len(rows) < PAGE:
            self.loaded.emit(len(rows))
            return
        ws, actor, q = self.ws, self.actor, self.query
        self._ops.append(
            run_in_background(
                lambda _p: ws.records.count(actor, q),
                lambda n: self._counted(generation, n),
                self._failed,
                pool=store_pool(),
            )
        )

    def _counted(self, generation: int, total: int) -> None:
        if not isValid(self) or generation != self._generation:  # the list was closed, or asked again
            return
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        self.loaded.emit(total)

    def _failed(self, exc: object) -> None:
        if isValid(self):
            self.failed.emit(exc)

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation, ws, actor = self._generation, self.ws, self.actor
        q = replace(self.query, offset=page * PAGE)
        self._ops.append(
            run_in_background(
                lambda _p: ws.records.search(actor, q),
                lambda rows: self._arrived(generation, page, rows),
                self._failed,
                pool=store_pool(),
            )
        )

    def _arrived(self, generation: int, page: int, rows: list[RecordSummary]) -> None:
        if not isValid(self) or generation != self._generation:  # the list was closed, or asked again
            return
        self._pending.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE
        last = min(self._count, first + PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def summary(self, row: int) -> RecordSummary | None:
        """The record at `row`, or None while its page is still loading (the load is then requested)."""
        page, offset = divmod(row, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    # --- Qt model ------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[COLUMNS[section]]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        column = COLUMNS[index.column()]
        if column == "status":
            return status_label(summary.status)
        if column == "updated_at":
            return local_time(summary.updated_at)
        if column == "id_type":
            choice = self._id_types.get(summary.id_type)
            return choice.label(lang()) if choice else summary.id_type
        return getattr(summary, column)

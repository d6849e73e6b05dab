"""A table model read a page at a time in the background as the view scrolls (canFetchMore/fetchMore): the
outbox, the customers due for review and the audit log are lists like that, and share this one copy of it,
and the read-only table view such a list is shown in (list_view).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView
from shiboken6 import isValid

from desktop_app.ui.common.worker import run_in_background, store_pool

RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of one list, read `page_size` at a time off the GUI thread as the view asks for more; never all at once.

    Promises: `rows` holds what is shown, each `row_key` once, in the order read; after `reload()` only the pages
    of that reload are shown, and `loaded(rows shown)` / `failed(exception)` speak only of them; `loading` is true
    while a page is on its way. The display role is `text(row, column)`, the user role is `row_key(row)`.

    A subclass gives `columns`, `headers` (column → title), `page_size`, `page_work` (how the next page is read),
    `row_key`, `text`, and for other roles `cell_data`.
    """

    loaded = Signal(int)
    failed = Signal(object)

    columns: ClassVar[tuple[str, ...]]
    page_size: ClassVar[int]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowT] = []
        self.headers: dict[str, str] = {}
        self._keys: set[Hashable] = set()
        self._offset = 0  # rows the source returned since the first page, duplicates included
        self._more = False
        self._loading = False
        self._generation = 0

    # --- what a subclass gives -----------------------------------------------------------------------------------
    def page_work(self, after: RowT | None, offset: int) -> Callable[[], list[RowT]]:
        """Called on the GUI thread: the read of the next page (at most `page_size` rows), to run off it.

        `after` is the last row shown (for a cursor), `offset` the rows read so far; take what the read needs from
        the model now, as the returned work runs on another thread and must not touch the model."""
        raise NotImplementedError

    def row_key(self, row: RowT) -> Hashable:
        """What tells a row apart (a row read twice, having moved between pages, is shown once)."""
        raise NotImplementedError

    def text(self, row: RowT, column: str) -> str:
        """The text of one cell."""
        raise NotImplementedError

    def cell_data(self, row: RowT, column: str, role: int) -> Any:
        """A cell's data for a role other than display and user; None by default."""
        return None

    # --- loading -------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the first page again (in the background)."""
        self.beginResetModel()
        self._generation += 1
        self.rows, self._keys, self._offset, self._more, self._loading = [], set(), 0, False, False
        self.endResetModel()
        self._load()

    def _load(self) -> None:
        self._loading = True
        # A page of an earlier reload can arrive after a newer reload started (its read was slower); the
        # generation it was asked in tells it apart, and it is dropped rather than mixed into the new list.
        generation = self._generation
        work = self.page_work(self.rows[-1] if self.rows else None, self._offset)
        run_in_background(
            lambda _p: work(),
            lambda rows: self._arrived(generation, rows),
            lambda exc: self._failed(generation, exc),
            pool=store_pool(),
        )

    def _arrived(self, generation: int, rows: list[RowT]) -> None:
        if not isValid(self) or generation != self._generation:  # the page outlived its view, or a reload
            return
        self._loading = False
        self._offset += len(rows)
        self._more = len(rows) == self.page_size
        new = [r for r in rows if self.row_key(r) not in self._keys]  # a row that moved between pages is shown once
        if new:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
            self.rows.extend(new)
            self._keys.update(self.row_key(r) for r in new)
            self.endInsertRows()
        self.loaded.emit(len(self.rows))

    def _failed(self, generation: int, exc: Exception) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self._loading = False
        self.failed.emit(exc)

    @property
    def loading(self) -> bool:
        """True while a page is being read."""
        return self._loading

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load()

    # --- Qt model ------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[self.columns[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return self.row_key(row)
        return self.cell_data(row, column, role)


def list_view(
    model: QAbstractTableModel, name: str, widths: Sequence[int], *, multi_select: bool = False
) -> QTableView:
    """The read-only table view of a paged list: whole-row selection, no editing, no wrapping, compact rows,
    the given column widths (the last column stretches)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi_select
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view

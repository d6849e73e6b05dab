"""The customer list: search by name, pinyin, ID number or mobile; filter by status and date; sort."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.records import SearchLimited, SearchQuery
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.labels import status_label
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.records.customer_model import COLUMNS, CustomerModel
from desktop_app.ui.records.export_dialog import ExportDialog

SEARCH_DELAY_MS = 250


class CustomerList(QWidget):
    """A searchable, lazily paged list of customers; `opened(record_id)` on Enter or double-click."""

    opened = Signal(str)

    def __init__(
        self,
        ws: Workstation,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        mine_only: bool = False,
        statuses: tuple[Status, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.mine_only, self.fixed_statuses = mine_only, statuses
        self.search = QLineEdit()
        self.search.setObjectName("customer_search")
        self.search.setPlaceholderText(self.tr("Search: name, pinyin, ID number or mobile (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("Any status"), None)
        self.model = CustomerModel(ws, actor, self)
        for status in Status:
            if status is not Status.DISCARDED and (not statuses or status in statuses):
                self.status.addItem(status_label(status), status)
        self.period = QComboBox()
        self.period.setObjectName("period_filter")
        for label, days in (
            (self.tr("Any time"), None),
            (self.tr("Today"), 0),
            (self.tr("Last 7 days"), 7),
            (self.tr("Last 30 days"), 30),
            (self.tr("Last 365 days"), 365),
        ):
            self.period.addItem(label, days)
        self.count = QLabel()
        self.count.setObjectName("customer_count")
        self.view = QTableView()
        self.view.setObjectName("customer_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(COLUMNS.index("updated_at"), Qt.SortOrder.DescendingOrder)
        self.view.horizontalHeader().sectionClicked.connect(self._sort)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        # fixed widths: sizing to contents would read rows far beyond the first page
        for column, width in zip(COLUMNS, (110, 150, 150, 180, 120, 120, 110, 120, 140), strict=True):
            self.view.horizontalHeader().resizeSection(COLUMNS.index(column), width)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self._sort_key, self._descending = "updated", True
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.status, 1)
        top.addWidget(self.period, 1)
        top.addWidget(self.count)
        # Export of the list as filtered, for the roles that may export (the service checks it again).
        self.export_dialog: ExportDialog | None = None
        if Permission.EXPORT in permissions_of(actor.roles):
            self.export_button = QPushButton(self.tr("Export… (Ctrl+E)"))
            self.export_button.setObjectName("customer_export")
            self.export_button.clicked.connect(self.export)
            top.addWidget(self.export_button)
            shortcut = QShortcut(QKeySequence("Ctrl+E"), self, self.export)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh = QShortcut(QKeySequence("F5"), self, self.refresh)  # reads the list again (it also follows changes)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._enter_from_search)
        self.status.currentIndexChanged.connect(self.refresh)
        self.period.currentIndexChanged.connect(self.refresh)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        """Too many exact searches: said where the count stands, since every pause in typing asks again (a dialog
        each time stacked up); anything else in a dialog."""
        if isinstance(exc, SearchLimited):
            # Short beside the search box (the whole sentence squeezed it to a sliver), whole in the tooltip.
            self.count.setText(self.tr("Too many searches: paused"))
            self.count.setToolTip(explain(exc))
            return
        show_error(self, exc)

    def current_query(self) -> SearchQuery:
        status = self.status.currentData()
        days = self.period.currentData()
        since = None
        if days is not None:
            today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
            since = today - timedelta(days=days)
        return SearchQuery(
            text=self.search.text(),
            statuses=(Status(status),) if status else self.fixed_statuses,
            updated_from=since,
            sort=self._sort_key,
            descending=self._descending,
            mine_only=self.mine_only,
        )

    def export(self) -> ExportDialog:
        """Open the export dialog for the list's current query (window-modal, not blocking)."""
        self.export_dialog = ExportDialog(self.ws, self.actor, self.current_query(), self)
        self.export_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog.open()
        return self.export_dialog

    def refresh(self) -> None:
        """Run the query again (in the background)."""
        self.count.setText(self.tr("searching…"))
        self.model.set_query(self.current_query())

    def _loaded(self, total: int) -> None:
        self.count.setText(self.tr("%n record(s)", "", total))
        self.count.setToolTip("")

    def _sort(self, section: int) -> None:
        column = COLUMNS[section]
        key = "name" if column in ("name", "name_pinyin") else "updated"
        self._descending = not self._descending if key == self._sort_key else key == "updated"
        self._sort_key = key
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(
            COLUMNS.index("updated_at" if key == "updated" else "name"), order
        )
        self.refresh()

    def _enter_from_search(self) -> None:
        self._timer.stop()
        self.refresh()
        self.view.setFocus()
        self.view.selectRow(0)

    def _open(self, index: QModelIndex) -> None:
        record_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if record_id:
            self.opened.emit(str(record_id))

"""The "Due for review" page: approved customers whose periodic review is due, earliest first, with the reasons.

The list is read a page at a time in the background (canFetchMore/fetchMore), so a branch with many due
customers never loads them all. A teller starts a review with Enter (or "Start review"): a new version of the
customer is made and opened in the entry form, to go through submission and approval like any change. Others
open the record to view it. F5 reads the list again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.review_policy import Reason, ReviewPolicy, RiskLevel
from desktop_app.domain.roles import Role
from desktop_app.services.actor import Actor
from desktop_app.services.records import SaveResult
from desktop_app.services.reviews import ReviewItem
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.messages import confirm, show_error
from desktop_app.ui.common.paged_model import PagedTableModel, list_view
from desktop_app.ui.common.worker import LatestOnly, run_in_background

PAGE = 100

COLUMNS = ("name", "id_number", "risk", "last_review", "due_date", "reasons")
WIDTHS = (140, 190, 130, 100, 100)  # the reasons column takes the rest


class ReviewModel(PagedTableModel[ReviewItem]):
    """The customers due for review on one day, a page at a time. `loaded(rows shown)` after each page."""

    columns = COLUMNS
    page_size = PAGE

    def __init__(self, ws: Workstation, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.today = date.today()
        self.headers = {
            "name": self.tr("Name"),
            "id_number": self.tr("ID number"),
            "risk": self.tr("Risk rating"),
            "last_review": self.tr("Last review"),
            "due_date": self.tr("Due"),
            "reasons": self.tr("Why"),
        }

    # --- words ---------------------------------------------------------------------------------------------------
    def risk_text(self, risk_level: str) -> str:
        """The translated risk rating; unrated customers are reviewed as high risk, and the words say so."""
        labels = {
            RiskLevel.HIGH.value: self.tr("High"),
            RiskLevel.MEDIUM.value: self.tr("Medium"),
            RiskLevel.LOW.value: self.tr("Low"),
        }
        return labels.get(risk_level, self.tr("Unrated (as high)"))

    def reason_text(self, item: ReviewItem, reason: Reason) -> str:
        """One reason in words."""
        expires = item.id_expires.isoformat() if item.id_expires else ""
        if reason is Reason.ID_EXPIRED:
            return self.tr("ID document expired on %1").replace("%1", expires)
        if reason is Reason.ID_EXPIRING:
            return self.tr("ID document expires on %1").replace("%1", expires)
        return self.tr("Review period passed")

    def reasons_text(self, item: ReviewItem) -> str:
        """All the reasons of a row, in words."""
        return "; ".join(self.reason_text(item, r) for r in item.reasons)

    # --- loading -------------------------------------------------------------------------------------------------
    def reload(self, today: date | None = None) -> None:
        """Read the first page again (in the background), for `today` (default: the local date)."""
        self.today = today or date.today()
        super().reload()

    def page_work(self, after: ReviewItem | None, offset: int) -> Callable[[], list[ReviewItem]]:
        ws, actor, today = self.ws, self.actor, self.today
        # From the rows shown, not those read: after a duplicate was dropped the next page starts a row early
        # (and the row read again is dropped again) rather than skip one.
        shown = len(self.rows)
        return lambda: ws.reviews.due(actor, today=today, offset=shown, limit=PAGE)

    def row_key(self, row: ReviewItem) -> str:
        return row.record_id

    # --- Qt model ------------------------------------------------------------------------------------------------
    def text(self, item: ReviewItem, column: str) -> str:
        """The text of one cell."""
        if column == "name":
            return item.name
        if column == "id_number":
            return item.id_number
        if column == "risk":
            return self.risk_text(item.risk_level)
        if column == "last_review":
            return item.last_review.isoformat()
        if column == "due_date":
            return item.due_date.isoformat()
        return self.reasons_text(item)

    def cell_data(self, item: ReviewItem, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == "reasons":
            return self.reasons_text(item)
        return None


class ReviewPage(QWidget):
    """Customers due for review, earliest first; a teller starts a review, anyone allowed may open the record.

    Signals: `loaded(rows shown)`, `review_started(record id)` once a review version exists (open it in the
    entry form), `opened(record id)` to view a record."""

    loaded = Signal(int)
    review_started = Signal(str)
    opened = Signal(str)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.can_review = Role.TELLER in actor.roles
        self._counts = LatestOnly()
        self._total: int | None = None
        self._starting = False
        # Asked before a review version is made; the main window makes it settle the form's unsaved typing.
        self.may_start: Callable[[], bool] = lambda: True

        self.policy = QLabel()
        self.policy.setObjectName("review_policy")
        self.policy.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("review_count")
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.setObjectName("review_refresh")
        refresh.clicked.connect(lambda: self.refresh())

        self.model = ReviewModel(ws, actor, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.view = list_view(self.model, "review_table", WIDTHS)
        self.view.activated.connect(self._activated)  # Enter, or a double-click
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.start_button = QPushButton(self.tr("Start review (Enter)"))
        self.start_button.setObjectName("review_start")
        self.start_button.setToolTip(
            self.tr(
                "Make a new version of the customer from the approved one and open it: check the customer's "
                "documents, correct what changed, then submit it for approval like any change."
            )
        )
        self.start_button.clicked.connect(self.start_selected)
        self.start_button.setVisible(self.can_review)
        self.open_button = QPushButton(self.tr("&View record"))
        self.open_button.setObjectName("review_open")
        self.open_button.clicked.connect(self.open_selected)
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Due for review</b> — approved customers, earliest due first")), 1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        actions = QHBoxLayout()
        actions.addWidget(self.start_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.policy)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)

        shortcut = QShortcut(QKeySequence("F5"), self, self.refresh)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._selection_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # --- reading -------------------------------------------------------------------------------------------------
    def refresh(self, today: date | None = None) -> None:
        """Read the policy, the count and the first page again (in the background); `today` for tests."""
        self.count.setText(self.tr("loading…"))
        self._total = None
        self.model.reload(today)
        ws, actor, day = self.ws, self.actor, self.model.today
        self._counts.run(
            lambda _p: (ws.reviews.policy(actor), ws.reviews.count_due(actor, day)),
            self._counted,
            lambda exc: None,  # the list itself reports a failure; one dialog is enough
        )

    def _counted(self, result: tuple[ReviewPolicy, int]) -> None:
        if not isValid(self):
            return
        policy, self._total = result
        self.policy.setText(self.policy_text(policy))
        self._show_count()

    def policy_text(self, policy: ReviewPolicy) -> str:
        """The policy in words."""
        return (
            self.tr(
                "Policy: high risk (and unrated) every %1 year(s), medium every %2, low every %3; "
                "also when the ID document expires within %4 day(s)."
            )
            .replace("%1", str(policy.years(RiskLevel.HIGH)))
            .replace("%2", str(policy.years(RiskLevel.MEDIUM)))
            .replace("%3", str(policy.years(RiskLevel.LOW)))
            .replace("%4", str(policy.id_expiry_days))
        )

    def _loaded(self, shown: int) -> None:
        self._show_count()
        self._selection_changed()
        self.loaded.emit(shown)

    def _show_count(self) -> None:
        if self.model.loading:
            return
        shown, total = self.model.rowCount(), self._total
        if total is None or total <= shown:
            self.count.setText(self.tr("%n customer(s) due", "", shown))
        else:
            self.count.setText(
                self.tr("%1 of %2 due (scroll for more)").replace("%1", str(shown)).replace("%2", str(total))
            )

    # --- acting on a row -----------------------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        """The record id of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()].record_id

    def _selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        self.start_button.setEnabled(chosen and not self._starting)
        self.open_button.setEnabled(chosen)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.model.rows):
            return
        self.view.selectRow(index.row())
        if self.can_review:
            self.start_selected()
        else:
            self.open_selected()

    def open_selected(self) -> None:
        """Open the selected customer's record to view it."""
        record_id = self.selected_id()
        if record_id:
            self.opened.emit(record_id)

    def start_selected(self) -> None:
        """Start the review of the selected customer (after a confirmation), in the background."""
        record_id = self.selected_id()
        if not self.can_review or record_id is None or self._starting:
            return
        if not confirm(
            self,
            self.tr("Start review"),
            self.tr(
                "Start the periodic review of this customer? A new version is made from the approved one and "
                "opened for you; it goes through submission and approval like any change."
            ),
        ):
            return
        if not self.may_start():  # e.g. unsaved typing in the form the review opens in: saved, or the teller stays
            return
        ws, actor = self.ws, self.actor
        self._starting = True
        self._selection_changed()
        self.message.setText(self.tr("Starting the review…"))
        run_in_background(lambda _p: ws.reviews.start_review(actor, record_id), self._started, self._start_failed)

    def _started(self, result: SaveResult) -> None:
        self._starting = False
        if not isValid(self):
            return
        self.message.setText(
            self.tr("Review started: version %1 of the customer is open as a draft.").replace("%1", str(result.version))
        )
        self.review_started.emit(result.record_id)
        self.refresh(self.model.today)  # the customer is under review now, no longer due

    def _start_failed(self, exc: Exception) -> None:
        self._starting = False
        if not isValid(self):
            return
        self.message.setText("")
        self._selection_changed()
        show_error(self, exc, self.tr("Start review"))
        self.refresh(self.model.today)

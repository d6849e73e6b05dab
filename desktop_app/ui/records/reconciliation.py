"""Settling the differences between two blind entries (核对): one row per differing field, picked with 1 or 2 or
typed anew with a reason; and the list of records waiting for it. The service decides who may settle."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.actor import Actor
from desktop_app.services.dual_entry import Decision, QueueItem, Reconciliation
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.queue_table import QueueTable
from desktop_app.ui.common.worker import LatestOnly
from desktop_app.ui.records.paper_view import PaperPane

FIELD, FIRST, SECOND, CHOSEN, REASON = range(5)
_DECIDED = QColor("#e8f5e9")


def shown_value(ws: Workstation, field: str, value: str) -> str:
    """A stored value as the clerk reads it: a choice code becomes its label."""
    if field not in ws.form.keys:
        return value
    spec = ws.form.field(field)
    choice = spec.choice(value) if spec.choices else None
    if choice is None:
        return value
    return choice.label(lang())


@dataclass
class _Row:
    field: str
    choice: str = ""  # "", first, second, other
    value: str = ""  # the typed third value
    reason: str = ""


class ReconciliationDialog(QDialog):
    """One record's differences. In the table: 1 or 2 picks an entry and moves on, Tab goes to the value and
    reason boxes, Enter (or Ctrl+Enter anywhere) settles the record."""

    def __init__(
        self,
        ws: Workstation,
        actor: Actor,
        record_id: str,
        parent: QWidget | None = None,
        *,
        reconciliation: Reconciliation,
    ) -> None:
        """`reconciliation` is the record's, as read off the GUI thread (ws.dual_entry.reconciliation)."""
        super().__init__(parent)
        self.ws, self.actor, self.record_id = ws, actor, record_id
        self.setWindowTitle(self.tr("Reconcile the two entries"))
        self.resize(1280, 640)  # the page pane shows a field's whole region beside the table
        self.reconciliation = reconciliation
        self.rows = [_Row(d.field) for d in self.reconciliation.differences]
        rec = self.reconciliation

        header = QLabel(
            self.tr("<b>Record %1</b> — entry 1 keyed by %2, entry 2 keyed by %3. %4 field(s) differ.")
            .replace(
                "%1",
                rec.record_id[:8]
                + (" · " + self.tr("form no. %1").replace("%1", rec.form_number) if rec.form_number else ""),
            )
            .replace("%2", rec.first_clerk)
            .replace("%3", rec.second_clerk)
            .replace("%4", str(len(rec.differences)))
        )
        header.setObjectName("reconciliation_header")
        hint = QLabel(
            self.tr(
                "Check the paper form. 1 = entry 1, 2 = entry 2 (moves to the next field); if both are wrong, "
                "Tab to 'Other value', type what the paper says and give a reason. Enter settles the record."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        self.table = QTableWidget(len(self.rows), 5)
        self.table.setObjectName("reconciliation_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Entry 1"), self.tr("Entry 2"), self.tr("Chosen value"), self.tr("Reason")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the value and reason boxes
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, diff in enumerate(rec.differences):
            label = ws.form.field(diff.field).label(lang()) if diff.field in ws.form.keys else diff.field
            for c, text in (
                (FIELD, label),
                (FIRST, "1  " + shown_value(ws, diff.field, diff.first)),
                (SECOND, "2  " + shown_value(ws, diff.field, diff.second)),
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        # long values wrap: the one character that differs in an address must be visible
        self.table.setWordWrap(True)
        for column, width in ((FIELD, 110), (FIRST, 290), (SECOND, 290), (CHOSEN, 250)):
            self.table.setColumnWidth(column, width)
        self.table.installEventFilter(self)

        self.other = QLineEdit()
        self.other.setObjectName("reconciliation_other")
        self.other.setPlaceholderText(self.tr("only when both entries are wrong"))
        self.other.textEdited.connect(self._other_typed)
        self.other.installEventFilter(self)
        self.reason = QLineEdit()
        self.reason.setObjectName("reconciliation_reason")
        self.reason.setPlaceholderText(self.tr("e.g. the paper form says …"))
        self.reason.setMaxLength(500)
        self.reason.textEdited.connect(self._reason_typed)
        self.reason.installEventFilter(self)
        boxes = QFormLayout()
        boxes.addRow(self.tr("Other value (this row)"), self.other)
        boxes.addRow(self.tr("Reason (this row)"), self.reason)

        self.message = QLabel()
        self.message.setObjectName("reconciliation_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.confirm_button = QPushButton(self.tr("Settle and send for approval (Enter)"))
        self.confirm_button.setObjectName("reconciliation_confirm")
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        for button in (self.confirm_button, cancel):
            button.setAutoDefault(False)  # Enter is handled per widget below, not by a default button
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(self.confirm)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)

        # The paper form beside the differences (issue 16): the selected field's region, where the resolver reads
        # what the paper says. Hidden when the record has no pages (or this resolver may not see them).
        self.paper = PaperPane(ws, actor)
        self.paper.set_labels({spec.key: spec.label(lang()) for spec in ws.form.fields})
        self.paper.loaded.connect(lambda _pages: self.paper.show_field(self._current_field()))
        body = QSplitter()
        body.setChildrenCollapsible(False)
        body.addWidget(self.table)
        body.addWidget(self.paper)
        body.setStretchFactor(0, 1)
        body.setSizes([700, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(hint)
        layout.addWidget(body, 1)
        layout.addLayout(boxes)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.other)
        QWidget.setTabOrder(self.other, self.reason)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, self.confirm)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_changed(row))
        for r in range(len(self.rows)):
            self._paint(r)
        if self.rows:
            self.table.setCurrentCell(0, FIELD)
        self.table.setFocus()
        self.paper.load(record_id)

    # --- choosing ---------------------------------------------------------------------------------------------
    def current_row(self) -> int:
        return self.table.currentRow()

    def pick(self, choice: str) -> None:
        """Take entry 1 ('first') or entry 2 ('second') for the current row and move to the next row."""
        row = self.current_row()
        if not 0 <= row < len(self.rows):
            return
        self.rows[row].choice, self.rows[row].value = choice, ""
        self._paint(row)
        self.message.clear()
        if row + 1 < len(self.rows):
            self.table.setCurrentCell(row + 1, FIELD)
        else:
            self._row_changed(row)

    def _other_typed(self, text: str) -> None:
        row = self.current_row()
        if not 0 <= row < len(self.rows):
            return
        entry = self.rows[row]
        entry.value = text
        entry.choice = "other" if text.strip() else ""
        self._paint(row)

    def _reason_typed(self, text: str) -> None:
        row = self.current_row()
        if 0 <= row < len(self.rows):
            self.rows[row].reason = text
            self._paint(row)

    def _current_field(self) -> str | None:
        row = self.table.currentRow()
        return self.rows[row].field if 0 <= row < len(self.rows) else None

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.paper.show_field(self.rows[row].field)
            self.other.setText(self.rows[row].value)
            self.reason.setText(self.rows[row].reason)

    def _paint(self, row: int) -> None:
        entry = self.rows[row]
        diff = self.reconciliation.differences[row]
        if entry.choice == "first":
            chosen = self.tr("entry 1: %1").replace("%1", shown_value(self.ws, diff.field, diff.first))
        elif entry.choice == "second":
            chosen = self.tr("entry 2: %1").replace("%1", shown_value(self.ws, diff.field, diff.second))
        elif entry.choice == "other":
            chosen = self.tr("typed: %1").replace("%1", entry.value)
        else:
            chosen = self.tr("— press 1 or 2 —")
        self.table.setItem(row, CHOSEN, QTableWidgetItem(chosen))
        self.table.setItem(row, REASON, QTableWidgetItem(entry.reason))
        brush = QBrush(_DECIDED) if entry.choice else QBrush()
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is not None:
                item.setBackground(brush)
        self.table.resizeRowToContents(row)

    # --- settling ---------------------------------------------------------------------------------------------
    def confirm(self) -> None:
        """Send every row's decision to the service; refused here while a row is undecided."""
        for row, entry in enumerate(self.rows):
            if not entry.choice:
                self.message.setText(self.tr("Decide every row first: press 1 or 2, or type another value."))
                self.table.setCurrentCell(row, FIELD)
                self.table.setFocus()
                return
            if entry.choice == "other" and not entry.reason.strip():
                self.message.setText(self.tr("A typed value needs a reason: what does the paper form say?"))
                self.table.setCurrentCell(row, FIELD)
                self.reason.setFocus()
                return
        decisions = {
            entry.field: Decision(entry.choice, entry.value if entry.choice == "other" else "", entry.reason)
            for entry in self.rows
        }
        if not self.isEnabled():
            return  # already being settled
        self.setEnabled(False)
        ws, actor, record_id = self.ws, self.actor, self.record_id
        op = Op(self, lambda: ws.dual_entry.resolve(actor, record_id, decisions))
        op.success(lambda _result: self.accept()).failure(self._refused).finally_(lambda: self.setEnabled(True)).run()

    def _refused(self, exc: BaseException) -> None:
        self.message.setText(explain(exc))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key: QKeyEvent = event  # type: ignore[assignment]
        plain = not key.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        enter = key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain
        if watched is self.table:
            if key.key() == Qt.Key.Key_1 and plain:
                self.pick("first")
                return True
            if key.key() == Qt.Key.Key_2 and plain:
                self.pick("second")
                return True
            if enter:
                self.confirm()
                return True
        elif watched is self.other and enter:
            # a typed value still needs its reason; otherwise back to the table
            (self.reason if self.other.text().strip() else self.table).setFocus()
            return True
        elif watched is self.reason and enter:
            row = self.current_row()
            self.table.setFocus()
            if row + 1 < len(self.rows):
                self.table.setCurrentCell(row + 1, FIELD)
            return True
        return False


class ReconciliationPage(QWidget):
    """Records whose two entries differ; Enter or a double-click opens the reconciliation."""

    loaded = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.dialog: ReconciliationDialog | None = None
        self.table = QueueTable("reconciliation_queue")
        self.table.opened.connect(self.open_row)
        self.count = QLabel()
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.clicked.connect(self.refresh)
        hint = QLabel(self.tr("The two entries of these records differ. Enter opens the selected record."))
        hint.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self._latest = LatestOnly()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (in the background); `loaded(rows)` when it is shown."""
        ws, actor = self.ws, self.actor
        self.count.setText(self.tr("loading…"))
        self._latest.run(
            lambda _p: ws.dual_entry.reconciliation_queue(actor),  # the service applies the resolver rule
            on_result=self._show,
            on_error=lambda exc: show_error(self, exc),
        )

    @property
    def summaries(self) -> list[QueueItem]:
        return self.table.queue

    def _show(self, rows: list[QueueItem]) -> None:
        self.table.show_items(rows)
        self.count.setText(self.tr("%n waiting", "", len(rows)))
        self.loaded.emit(len(rows))

    def open_row(self, row: int) -> None:
        """Open the reconciliation of the row's record (window-modal; the list refreshes when it closes)."""
        if not 0 <= row < len(self.summaries):
            return
        ws, actor, record_id = self.ws, self.actor, self.summaries[row].record_id

        def opened(reconciliation: Reconciliation) -> None:
            dialog = ReconciliationDialog(ws, actor, record_id, self, reconciliation=reconciliation)
            self.dialog = dialog
            dialog.finished.connect(lambda _code: self.refresh())
            dialog.open()

        Op(self, lambda: ws.dual_entry.reconciliation(actor, record_id)).success(opened).run()

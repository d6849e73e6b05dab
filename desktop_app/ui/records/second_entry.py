"""The blind second entry (双人录入): a teller's queue of records other clerks keyed, and an empty form to key
the same paper again. The first entry is never shown; the service compares the two and says what follows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.form_schema import FORM_NUMBER
from desktop_app.domain.validation import has_errors
from desktop_app.services.actor import Actor
from desktop_app.services.dual_entry import QueueItem, SecondEntryResult
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.queue_table import QueueTable
from desktop_app.ui.common.worker import LatestOnly
from desktop_app.ui.records.entry_form import EntryForm, SummaryDialog


class BlindEntryForm(EntryForm):
    """EntryForm's editors and checks for a second entry: always starts empty, no drafts, no autosave;
    Ctrl+Enter sends the typing to the dual-entry service and emits `entered(SecondEntryResult)`."""

    entered = Signal(object)
    # The second entry is keyed from the paper form: a value read from the same scan as the first entry's would
    # agree with it whether or not it is right, and dual entry would catch nothing.
    offers_scan = False
    # Blind: the second clerk is never shown a likely existing customer (issue 15).
    offers_duplicates = False

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        self.target_id: str | None = None
        self.form_number = ""
        super().__init__(ws, actor, parent)
        self._autosave_timer.stop()
        self.save_button.hide()  # a second entry is keyed in one sitting: no draft to come back to
        self.new_button.hide()
        self.paper_button.hide()  # the blind clerk keys from the pages the maker kept; they add none
        self.submit_button.setText(self.tr("Send second entry (Ctrl+Enter)"))

    def start(self, record_id: str, form_number: str = "") -> None:
        """An empty form for the second entry of `record_id` (never the first clerk's values, nor defaults); the
        paper form's number, by which the clerk found it, is shown and not keyed again."""
        self.target_id = self.record_id = None
        self.set_values({FORM_NUMBER: form_number} if FORM_NUMBER in self.editors else {})
        self.target_id = record_id
        self.form_number = form_number
        self._dirty = False
        self._set_editable(True)
        if FORM_NUMBER in self.editors:
            self.editors[FORM_NUMBER].setEnabled(False)
        self._show_state()
        self.paper_pane.load(record_id)  # the blind clerk keys from the paper: its pages, never the first entry
        first = next(spec.key for spec in self.schema.fields if spec.key != FORM_NUMBER)
        self.editors[first].focus_widget().setFocus()

    def _show_state(self, extra: str = "") -> None:
        if self.target_id is None:
            self.title.setText("")
        else:
            title = self.tr("<b>Second entry</b> of record %1").replace("%1", self.target_id[:8])
            if self.form_number:
                title += " · " + self.tr("form %1").replace("%1", self.form_number)
            self.title.setText(title)
        self.state.setText(extra)

    def load_new(self) -> None:
        if self.target_id is not None:
            self.start(self.target_id)
        else:
            self.set_values({})
            self.paper_pane.load(None)

    def save_draft(self, then: Callable[[], None] | None = None) -> bool:
        return False

    def autosave(self) -> None:
        return

    def autosave_now(self) -> None:
        return

    def submit(self) -> None:
        """Check the typing, then hand it to the service, which compares it with the first entry."""
        if self.target_id is None:
            return
        problems = self.validate()
        if has_errors(problems):
            SummaryDialog(problems, self, can_submit=False).exec()
            self._focus_first_problem()
            return
        if problems and SummaryDialog(problems, self, can_submit=True).exec() != QDialog.DialogCode.Accepted:
            return
        if self._busy:
            return  # already on its way
        ws, actor, target_id, values = self.ws, self.actor, self.target_id, self.values()

        def entered(result: SecondEntryResult) -> None:
            self._busy = False
            if self.target_id == target_id:
                self.target_id = None
                self.set_values({})
                self.paper_pane.load(None)
                self._dirty = False
            self.entered.emit(result)

        self._busy = True
        Op(self, lambda: ws.dual_entry.submit(actor, target_id, values)).success(entered).failure(self._failed).run()


class SecondEntryPage(QWidget):
    """The second-entry queue; Enter or a double-click opens the blind form, Esc goes back to the queue."""

    loaded = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.table = QueueTable("second_entry_queue")
        self.table.opened.connect(self.open_row)
        self.message = QLabel()
        self.message.setObjectName("second_entry_message")
        self.message.setWordWrap(True)
        self.count = QLabel()
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.clicked.connect(self.refresh)
        hint = QLabel(
            self.tr("Key the paper form again without seeing the first entry. Enter opens the selected record.")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        queue_page = QWidget()
        queue_layout = QVBoxLayout(queue_page)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addLayout(top)
        queue_layout.addWidget(self.message)
        self.empty = QLabel(
            self.tr(
                "Nothing waits for your second entry. Records other clerks submit for dual entry appear here, "
                "with their paper form's number."
            )
        )
        self.empty.setObjectName("second_entry_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; padding: 24px;")
        self.empty.hide()
        queue_layout.addWidget(self.empty)
        queue_layout.addWidget(self.table, 1)

        self.form = BlindEntryForm(ws, actor)
        self.form.setObjectName("second_entry_form")
        self.form.entered.connect(self._entered)
        back = QPushButton(self.tr("Back to the queue (Esc)"))
        back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        back.clicked.connect(self.back_to_queue)
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        back_row = QHBoxLayout()
        back_row.addWidget(back)
        back_row.addStretch(1)
        form_layout.addLayout(back_row)
        form_layout.addWidget(self.form, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(queue_page)
        self.stack.addWidget(form_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        QShortcut(QKeySequence(Qt.Key.Key_F5), queue_page, self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), form_page, self.back_to_queue)
        self._latest = LatestOnly()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentIndex() == 0:
            self.refresh()

    def refresh(self) -> None:
        """Read the queue again (in the background); `loaded(rows)` when it is shown."""
        ws, actor = self.ws, self.actor
        self.count.setText(self.tr("loading…"))
        self._latest.run(
            lambda _p: ws.dual_entry.queue(actor),
            on_result=self._show,
            on_error=lambda exc: show_error(self, exc),
        )

    @property
    def items(self) -> list[QueueItem]:
        return self.table.queue

    def _show(self, items: list[QueueItem]) -> None:
        self.table.show_items(items)
        self.empty.setVisible(not items)
        self.count.setText(self.tr("%n waiting", "", len(items)))
        self.loaded.emit(len(items))

    def open_row(self, row: int) -> None:
        """Open the blind form for the queue's row."""
        if 0 <= row < len(self.items):
            self.open_record(self.items[row].record_id, self.items[row].form_number)

    def open_record(self, record_id: str, form_number: str = "") -> None:
        self.message.clear()
        self.stack.setCurrentIndex(1)
        self.form.start(record_id, form_number)

    def back_to_queue(self) -> None:
        self.form.target_id = None
        self.stack.setCurrentIndex(0)
        self.refresh()

    def _entered(self, result: SecondEntryResult) -> None:
        if result.differences:
            text = self.tr("Record %1: %n field(s) differ: sent for reconciliation.", "", result.differences)
            self.message.setStyleSheet("color: #b26a00; font-weight: bold;")
        else:
            text = self.tr("Record %1: the entries match: sent for approval.")
            self.message.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.stack.setCurrentIndex(0)
        self.message.setText(text.replace("%1", result.record_id[:8]))
        self.refresh()

"""The Sync page (supervisors and admins): the outbox, what the central server said about each row, "Sync now"
with progress and Cancel, and "Retry selected".

Rows the server refused or found in conflict are highlighted and stay listed until someone acts on them; the
detail below the table gives the server's reasons in the UI language, or the central copy of a conflicting
record. The outbox is read a page at a time (canFetchMore/fetchMore) so a large one never loads whole. Keys: F5
refresh, Ctrl+R retry the selected rows, Enter opens the record (for those who may see it).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.sync_protocol import Reason
from desktop_app.domain.text import Text
from desktop_app.services.actor import Actor
from desktop_app.services.sync import (
    CUSTOMER_HELD_ELSEWHERE,
    RECORD_HELD_ELSEWHERE,
    OutboxRow,
    OutboxState,
    SyncStatus,
    SyncSummary,
)
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.paged_model import PagedTableModel, list_view
from desktop_app.ui.common.worker import LatestOnly, Operation, Progress, run_in_background
from desktop_app.ui.operations.sync_status import progress_reporter, short_time

PAGE = 200

COLUMNS = ("record", "version", "state", "attempts", "next_attempt", "created", "acked", "problem")
WIDTHS = (280, 56, 120, 64, 130, 130, 130)  # the problem column takes the rest

_HIGHLIGHT = {
    OutboxState.REFUSED: QColor("#fde2e1"),
    OutboxState.CONFLICT: QColor("#fff3cd"),
    OutboxState.KEY_CONFLICT: QColor("#f8c9c4"),
}
_RED = "#b00020"
_FIELD_REASON = Text(en="{field}: {message}", zh="{field}：{message}")


class OutboxModel(PagedTableModel[OutboxRow]):
    """Outbox rows of one state (or all), a page at a time. `loaded(rows shown)` after each page arrives."""

    columns = COLUMNS
    page_size = PAGE

    def __init__(self, ws: Workstation, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.state: OutboxState | None = None
        self.headers = {
            "record": self.tr("Record"),
            "version": self.tr("Version"),
            "state": self.tr("State"),
            "attempts": self.tr("Attempts"),
            "next_attempt": self.tr("Next attempt"),
            "created": self.tr("Queued"),
            "acked": self.tr("Acknowledged"),
            "problem": self.tr("Last error / the server's reasons"),
        }

    # --- words ---------------------------------------------------------------------------------------------------
    def state_label(self, state: OutboxState) -> str:
        """The translated name of an outbox state."""
        labels = {
            OutboxState.PENDING: self.tr("Pending"),
            OutboxState.ACKED: self.tr("Acknowledged"),
            OutboxState.REFUSED: self.tr("Refused"),
            OutboxState.CONFLICT: self.tr("Version conflict"),
            OutboxState.KEY_CONFLICT: self.tr("Key conflict"),
        }
        return labels.get(state, str(state))

    def _field_label(self, key: str | None) -> str:
        """The form's label for a field the server named; nothing for what is not a form field (the approver,
        the approval time...), whose message says it all."""
        if not key:
            return ""
        try:
            return self.ws.form.field(key).label(lang())
        except KeyError:
            return ""

    def reason_text(self, reason: Reason) -> str:
        """One reason of the server's, in the UI language, with the form's label for its field; a conflict with
        another branch's copy (which the server does not name) in this client's own words."""
        if reason.code == CUSTOMER_HELD_ELSEWHERE:
            return self.tr(
                "Another branch holds this customer (the same ID type and number) centrally, under a record of its "
                "own. Nothing to change here: the central office resolves it."
            )
        if reason.code == RECORD_HELD_ELSEWHERE:
            return self.tr(
                "Another branch holds this record centrally. Nothing to change here: the central office resolves it."
            )
        message = reason.text.render(lang())
        field = self._field_label(reason.field)
        return _FIELD_REASON.format(field=field, message=message).render(lang()) if field else message

    def central_text(self, central: Mapping[str, Any]) -> str | None:
        """Where the central copy of a conflicting record is: record, version and workstation (this workstation's
        own copy; another branch's is not named); None when the server named none."""
        if not central.get("record_id"):
            return None
        return (
            self.tr("Central copy: record %1, version %2, from workstation %3")
            .replace("%1", str(central.get("record_id", "?")))
            .replace("%2", str(central.get("version", "?")))
            .replace("%3", str(central.get("workstation_id", "?")))
        )

    def problem_lines(self, row: OutboxRow) -> list[str]:
        """What is known about why this row is not acknowledged: reasons, the central copy, or the last error."""
        lines = [self.reason_text(r) for r in row.reasons]
        if row.state is OutboxState.KEY_CONFLICT and not lines:
            lines.append(
                self.tr(
                    "The central server holds different content for this record version; nothing was applied. "
                    "Tell the central administrator."
                )
            )
        where = self.central_text(row.central) if row.central else None
        if where:
            lines.append(where)
        if not lines and row.last_error and row.state is not OutboxState.ACKED:
            lines.append(row.last_error)
        return lines

    # --- loading -------------------------------------------------------------------------------------------------
    def set_state(self, state: OutboxState | None) -> None:
        """Show the rows in this state (None: all), from the first page."""
        self.state = state
        self.reload()

    def page_work(self, after: OutboxRow | None, offset: int) -> Callable[[], list[OutboxRow]]:
        ws, actor, state = self.ws, self.actor, self.state
        # Everything, and the acknowledged rows, newest first (what just happened); the rows still to act on
        # (pending, refused, conflicts) oldest first, the order they are sent in.
        newest_first = state in (None, OutboxState.ACKED)
        return lambda: ws.sync.outbox(actor, state, offset, PAGE, newest_first=newest_first)

    def row_key(self, row: OutboxRow) -> int:
        return row.id

    # --- Qt model ------------------------------------------------------------------------------------------------
    def text(self, row: OutboxRow, column: str) -> str:
        """The text of one cell."""
        if column == "record":
            return row.record_id
        if column == "version":
            return str(row.version)
        if column == "state":
            return self.state_label(row.state)
        if column == "attempts":
            return str(row.attempts)
        if column == "next_attempt":
            if row.state is not OutboxState.PENDING:
                return ""
            return local_time(row.next_attempt_at) if row.next_attempt_at else self.tr("next run")
        if column == "created":
            return local_time(row.created_at)
        if column == "acked":
            return local_time(row.acked_at) if row.acked_at else ""
        return "; ".join(self.problem_lines(row))

    def cell_data(self, row: OutboxRow, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == "problem":
            return "\n".join(self.problem_lines(row)) or None
        if role == Qt.ItemDataRole.BackgroundRole and row.state in _HIGHLIGHT:
            return QBrush(_HIGHLIGHT[row.state])
        if role == Qt.ItemDataRole.ForegroundRole and row.state in _HIGHLIGHT:
            return QBrush(QColor("#000000"))  # readable on the highlight in a dark theme too
        if role == Qt.ItemDataRole.FontRole and column == "state" and row.state in _HIGHLIGHT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("version", "attempts"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SyncPage(QWidget):
    """The outbox with a state filter, a summary of the sync state, Sync now (progress, Cancel) and Retry.

    Signals: `loaded(rows shown)`, `status_shown(SyncStatus)`, `run_done(SyncSummary or the error)` when a
    "Sync now" ends, `retried(rows reset)`, `synced()` when a run or a retry changed the outbox (the status bar
    reads again), `opened(record id)` on Enter or a double-click."""

    loaded = Signal(int)
    status_shown = Signal(object)
    run_done = Signal(object)
    retried = Signal(int)
    synced = Signal()
    opened = Signal(str)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.status: SyncStatus | None = None
        self._run: Operation | None = None
        self._status_reads = LatestOnly()
        self._keep_selected: set[int] = set()

        self.filter = QComboBox()
        self.filter.setObjectName("outbox_filter")
        for label, state in (
            (self.tr("All rows"), None),
            (self.tr("Pending"), OutboxState.PENDING),
            (self.tr("Refused"), OutboxState.REFUSED),
            (self.tr("Version conflict"), OutboxState.CONFLICT),
            (self.tr("Key conflict"), OutboxState.KEY_CONFLICT),
            (self.tr("Acknowledged"), OutboxState.ACKED),
        ):
            self.filter.addItem(label, state)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.setObjectName("sync_refresh")
        refresh.clicked.connect(self.refresh)
        self.count = QLabel()
        self.count.setObjectName("outbox_count")

        self.summary = QLabel()
        self.summary.setObjectName("sync_summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.server = QLabel()
        self.server.setObjectName("sync_server")
        self.server.setTextFormat(Qt.TextFormat.RichText)
        self.server.setWordWrap(True)

        self.model = OutboxModel(ws, actor, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.view = list_view(self.model, "outbox_table", WIDTHS, multi_select=True)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._show_detail())
        self.detail = QLabel()
        self.detail.setObjectName("outbox_detail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(48)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.sync_button = QPushButton(self.tr("Sync now (F9)"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setToolTip(
            self.tr("Send every pending row now, also those waiting before their next attempt, then the audit trail.")
        )
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.setToolTip(self.tr("Stop after the batch being sent; the rest stays pending."))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync_progress")
        self.progress.setFormat(self.tr("%v of %m"))
        self.progress.setVisible(False)
        self.retry_button = QPushButton(self.tr("Retry selected (Ctrl+R)"))
        self.retry_button.setObjectName("retry_selected")
        self.retry_button.setToolTip(
            self.tr("Send the selected rows again at the next sync, once what the server objected to is fixed.")
        )
        self.retry_button.setEnabled(False)
        self.retry_button.clicked.connect(self.retry_selected)
        self.message = QLabel()
        self.message.setObjectName("sync_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it carries the server's and the service's words
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Outbox</b> — approved records for the central server")), 1)
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.filter)
        top.addWidget(self.count)
        top.addWidget(refresh)
        actions = QHBoxLayout()
        actions.addWidget(self.sync_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)
        actions.addStretch(0)
        actions.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.server)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        layout.addWidget(self.message)

        for key, slot in (
            ("F5", self.refresh),
            ("Ctrl+R", self.retry_selected),
            ("F9", self.sync_now),
            ("Esc", self.cancel),
        ):
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_detail()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # --- reading -------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the sync state and the first page of the outbox again (in the background)."""
        self._keep_selected = set(self.selected_ids())
        self.count.setText(self.tr("loading…"))
        self.model.reload()
        self.read_status()

    def read_status(self) -> None:
        """Read the sync state in the background and show it in the summary."""
        ws, actor = self.ws, self.actor
        self._status_reads.run(lambda _p: ws.sync.status(actor), self._status_read, self._status_failed)

    def _status_read(self, status: SyncStatus) -> None:
        if isValid(self):
            self.show_status(status)

    def _status_failed(self, exc: Exception) -> None:
        if isValid(self):
            show_error(self, exc)

    def _filter_changed(self) -> None:
        self._keep_selected = set()
        self.count.setText(self.tr("loading…"))
        self.model.set_state(self.filter.currentData())

    def _loaded(self, shown: int) -> None:
        if self._keep_selected:  # the rows selected before a refresh stay selected when they are still listed
            selection = self.view.selectionModel()
            for row, item in enumerate(self.model.rows):
                if item.id in self._keep_selected:
                    selection.select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                    )
            self._keep_selected = set()
        self._show_count()
        self.loaded.emit(shown)

    def _total(self) -> int | None:
        status = self.status
        if status is None:
            return None
        state = self.filter.currentData()
        totals: dict[OutboxState | None, int] = {
            None: status.pending + status.refused + status.conflicts + status.acked,
            OutboxState.PENDING: status.pending,
            OutboxState.REFUSED: status.refused,
            OutboxState.CONFLICT: status.conflicts - status.key_conflicts,
            OutboxState.KEY_CONFLICT: status.key_conflicts,
            OutboxState.ACKED: status.acked,
        }
        return totals.get(state)

    def _show_count(self) -> None:
        if self.model.loading:
            return
        shown, total = self.model.rowCount(), self._total()
        if total is None or total <= shown:
            self.count.setText(self.tr("%n row(s)", "", shown))
        else:
            self.count.setText(
                self.tr("%1 of %2 rows (scroll for more)").replace("%1", str(shown)).replace("%2", str(total))
            )

    def show_status(self, status: SyncStatus) -> None:
        """Show the sync state in the summary lines (also called with what the status bar read)."""
        self.status = status

        def count(label: str, n: int, alarm: bool = False) -> str:
            text = html.escape(label.replace("%1", str(n)))
            return f"<b style='color:{_RED}'>{text}</b>" if alarm and n else text

        parts = [
            count(self.tr("Pending: %1"), status.pending),
            count(self.tr("Refused: %1"), status.refused, alarm=True),
            count(self.tr("Conflicts: %1"), status.conflicts, alarm=True),
            count(self.tr("Acknowledged: %1"), status.acked),
            html.escape(
                self.tr("Last success: %1").replace("%1", short_time(status.last_success))
                if status.last_success
                else self.tr("Last success: never")
            ),
        ]
        if status.pages:  # the paper form pages of approved records (issue 16), only where there are any
            parts.append(
                count(self.tr("Paper pages waiting: %1"), status.pages.get("pending", 0))
                + " / "
                + count(self.tr("sent: %1"), status.pages.get("sent", 0))
            )
            if status.pages.get("not_taken"):
                parts.append(
                    count(
                        self.tr("Pages the server does not take (they go once it does): %1"), status.pages["not_taken"]
                    )
                )
            if status.pages.get("refused"):
                parts.append(count(self.tr("Pages refused: %1"), status.pages["refused"], alarm=True))
        error = status.error_message(lang())
        if error:
            parts.append(
                f"<span style='color:{_RED}'>{html.escape(self.tr('Last error: %1').replace('%1', error))}</span>"
            )
        if status.running:
            parts.append(html.escape(self.tr("A sync is running…")))
        self.summary.setText(" &nbsp;·&nbsp; ".join(parts))
        self.server.setText(self._server_text(status))
        self._show_count()
        self.status_shown.emit(status)

    def _server_text(self, status: SyncStatus) -> str:
        if not status.configured:
            return html.escape(
                self.tr(
                    "This workstation is not enrolled with a central server: records wait here. "
                    "An administrator enrols it under Settings."
                )
            )
        text = html.escape(
            self.tr("Central server %1 · device %2 · audit trail anchored up to entry %3 of %4")
            .replace("%1", status.server_url)
            .replace("%2", status.device_id or "")
            .replace("%3", str(status.audit_anchored_seq))
            .replace("%4", str(status.audit_local_seq))
        )
        if status.insecure_http:
            warning = self.tr(
                "Plain HTTP: records go to this computer unencrypted (allowed only to this computer). "
                "Enrol again with an https:// address for a real server."
            )
            text += f"<br><b style='color:{_RED}'>⚠ {html.escape(warning)}</b>"
        return text

    # --- the selection -------------------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """The outbox ids of the selected rows, in the order shown."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r].id for r in rows if r < len(self.model.rows)]

    def _selection_changed(self) -> None:
        self.retry_button.setEnabled(bool(self.selected_ids()))
        self._show_detail()

    def _show_detail(self) -> None:
        index = self.view.currentIndex()
        row = self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        if row is None:
            self.detail.setText(self.tr("Select a row to see what the central server said about it."))
            return
        head = (
            self.tr("Record %1, version %2: %3")
            .replace("%1", row.record_id)
            .replace("%2", str(row.version))
            .replace("%3", self.model.state_label(row.state))
        )
        lines = [f"<b>{html.escape(head)}</b>"] + [f"• {html.escape(line)}" for line in self.model.problem_lines(row)]
        self.detail.setText("<br>".join(lines))

    def _open(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() < len(self.model.rows):
            self.opened.emit(self.model.rows[index.row()].record_id)

    # --- sync now ------------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a "Sync now" of this page is under way."""
        return self._run is not None

    def sync_now(self) -> None:
        """Run one sync in the background with a progress bar; Cancel stops it between batches."""
        if self._run is not None:
            return
        ws, actor = self.ws, self.actor

        def work(progress: Progress) -> SyncSummary:
            return ws.sync.run_once(actor, progress_reporter(progress), lambda: progress.cancelled)

        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the first report says how many rows are due
        self.progress.setVisible(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Syncing…"))
        self._run = run_in_background(
            work, self._run_result, self._run_failed, self._run_progress, lambda: self._run_ended(None)
        )

    def cancel(self) -> None:
        """Ask the run to stop after the batch being sent."""
        if self._run is not None:
            self._run.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("Cancelling after the batch being sent…"))

    def _run_progress(self, done: int, total: int) -> None:
        if not isValid(self):
            return
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.message.setText(
                self.tr("Syncing: %1 of %2 records sent…").replace("%1", str(done)).replace("%2", str(total))
            )
        else:
            self.message.setText(self.tr("No records due; anchoring the audit trail…"))

    def _run_result(self, summary: SyncSummary) -> None:
        if not isValid(self):
            self._run = None
            return
        counts = (
            self.tr("%1 sent, %2 acknowledged, %3 refused, %4 conflict(s), %5 audit entries anchored.")
            .replace("%1", str(summary.sent))
            .replace("%2", str(summary.acked))
            .replace("%3", str(summary.refused))
            .replace("%4", str(summary.conflicts))
            .replace("%5", str(summary.audit_entries))
        )
        error = summary.message(lang())
        if error:
            text = self.tr("The sync did not finish: %1").replace("%1", error) + " " + counts
        elif summary.cancelled:
            text = self.tr("Sync cancelled; the rest stays pending for the next run.") + " " + counts
        else:
            text = self.tr("Sync finished:") + " " + counts
        if summary.refused or summary.conflicts:
            text += " " + self.tr("Refused and conflicting rows are highlighted below.")
        self.message.setStyleSheet(f"color: {_RED};" if error or summary.refused or summary.conflicts else "")
        self.message.setText(text)
        self._run_ended(summary)

    def _run_failed(self, exc: Exception) -> None:
        if isValid(self):
            self.message.setText("")
        self._run_ended(exc)

    def _run_ended(self, outcome: SyncSummary | Exception | None) -> None:
        """The run is over (result, error or cancel): controls back, lists read again, an error shown."""
        self._run = None
        if not isValid(self):
            return
        self.sync_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.refresh()
        self.synced.emit()
        if isinstance(outcome, Exception):
            show_error(self, outcome, self.tr("Sync"))
        self.run_done.emit(outcome)

    # --- retry ---------------------------------------------------------------------------------------------------
    def retry_selected(self) -> None:
        """Put the selected rows back to pending for the next sync (the service decides which may go again)."""
        ids = self.selected_ids()
        if not ids:
            self.message.setText(self.tr("Select the rows to send again (Shift or Ctrl for several)."))
            return
        ws, actor = self.ws, self.actor
        self.retry_button.setEnabled(False)
        run_in_background(
            lambda _p: ws.sync.retry(actor, ids),
            lambda reset: self._retried(reset, len(ids)),
            self._retry_failed,
        )

    def _retried(self, reset: int, asked: int) -> None:
        if not isValid(self):
            return
        self.message.setStyleSheet("")
        if reset == asked:
            self.message.setText(self.tr("%n row(s) will be sent again at the next sync.", "", reset))
        else:
            self.message.setText(
                self.tr("%1 of %2 selected rows will be sent again at the next sync; the others were left as they are.")
                .replace("%1", str(reset))
                .replace("%2", str(asked))
            )
        self.refresh()
        self.retried.emit(reset)
        self.synced.emit()

    def _retry_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self._selection_changed()
        show_error(self, exc, self.tr("Retry"))

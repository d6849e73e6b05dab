"""The supervisor's approval queue (审批): oldest first, the selected record's values, checks, dual-entry history,
change diff and scanned ID document beside it; A approves, R returns to the maker with a reason, B approves the
checked records in bulk (those with a warning are skipped by the service), S shows the scan."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.reject_reasons import REJECT_REASONS
from desktop_app.services.actor import Actor
from desktop_app.services.approvals import ApprovalDetail, ApprovalItem, BulkResult
from desktop_app.services.attachments import ScanInfo
from desktop_app.services.dual_entry import ScanOpinion
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.tab_keys import add_tab_keys
from desktop_app.ui.common.worker import LatestOnly, run_in_background
from desktop_app.ui.records.duplicate_panel import DuplicateDecisions
from desktop_app.ui.records.paper_view import PaperReview
from desktop_app.ui.records.reconciliation import shown_value
from desktop_app.ui.records.scan_panel import AttachedScans
from desktop_app.ui.supervision.late_branch_matches import LateMatchesBanner
from desktop_app.ui.supervision.watchlist_page import RecordHits

_GREY = QColor("#8a8a8a")


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the queue
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], widest: int = 220) -> None:
    """Fill a detail table; long values (addresses) wrap instead of hiding the very character that differs."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        table.setColumnWidth(column, min(table.columnWidth(column), widest))
    table.resizeRowsToContents()


class _NoSpace(QObject):
    """Eats Space on the buttons it watches: a button is pressed by Space's release, so both go."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent):
            return event.key() == Qt.Key.Key_Space
        return False


class RejectDialog(QDialog):
    """Return a record to its maker: a reason from the list (arrow keys) and free text; Enter confirms.
    The service checks the choice ('Other' needs text); its refusal is shown here."""

    def __init__(self, ws: Workstation, actor: Actor, record_id: str, version: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.record_id, self.version = ws, actor, record_id, version
        self.setWindowTitle(self.tr("Return to maker"))
        self.reasons = QListWidget()
        self.reasons.setObjectName("reject_reasons")
        for reason in REJECT_REASONS:
            item = QListWidgetItem(reason.label(lang()))
            item.setData(Qt.ItemDataRole.UserRole, reason.code)
            self.reasons.addItem(item)
        self.reasons.setCurrentRow(0)
        self.text = QLineEdit()
        self.text.setObjectName("reject_text")
        self.text.setMaxLength(500)
        self.text.setPlaceholderText(self.tr("What the maker should correct (required for 'Other')"))
        self.message = QLabel()
        self.message.setObjectName("reject_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Return to maker"))
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        self.reasons.activated.connect(lambda _index: self.text.setFocus())
        self.text.returnPressed.connect(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Record %1 — reason (↑/↓, then Tab):").replace("%1", record_id[:8])))
        layout.addWidget(self.reasons)
        layout.addWidget(QLabel(self.tr("Details (the maker sees them):")))
        layout.addWidget(self.text)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 360)
        self.reasons.setFocus()

    def code(self) -> str:
        item = self.reasons.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def confirm(self) -> None:
        """Return the record with the chosen reason; stays open and says why when the service refuses."""
        if not self.isEnabled():
            return  # already being returned
        code, text = self.code(), self.text.text()
        self.setEnabled(False)
        op = Op(self, lambda: self.ws.approvals.reject(self.actor, self.record_id, self.version, code, text))
        op.success(lambda _none: self.accept()).failure(self._refused).finally_(lambda: self.setEnabled(True)).run()

    def _refused(self, exc: BaseException) -> None:
        self.message.setText(explain(exc))
        self.text.setFocus()


class ApprovalPage(QWidget):
    """The approval queue and the selected record's detail. Keys: A approve, R return to maker,
    Space check/uncheck, B approve the checked (or selected) records in bulk, S the scanned document, F5 refresh."""

    loaded = Signal(int)
    changed = Signal()  # a record was approved or returned

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.items: list[ApprovalItem] = []
        self.detail: ApprovalDetail | None = None
        self.reject_dialog: RejectDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._keep_row = 0
        self._latest = LatestOnly()
        self._details = LatestOnly(self)  # the record shown is the one selected last

        # the queue
        self.queue = QTableWidget(0, 5)
        self.queue.setObjectName("approval_queue")
        self.queue.setHorizontalHeaderLabels(
            ["", self.tr("Record"), self.tr("Keyed by"), self.tr("Submitted"), self.tr("Note")]
        )
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.queue.verticalHeader().setVisible(False)
        self.queue.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((28, 170, 80, 110)):  # the record column holds the form number too
            self.queue.setColumnWidth(column, width)
        self.queue.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.count = QLabel()
        self.count.setObjectName("approval_count")
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.clicked.connect(self.refresh)
        self.approve_button = QPushButton(self.tr("Approve… (A)"))
        self.approve_button.setObjectName("approve")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button = QPushButton(self.tr("Return to maker… (R)"))
        self.reject_button.setObjectName("reject")
        self.reject_button.clicked.connect(self.open_reject)
        self.bulk_button = QPushButton(self.tr("Approve checked… (B)"))
        self.bulk_button.setObjectName("bulk_approve")
        self.bulk_button.setToolTip(self.tr("Records with a warning are skipped: approve those one by one."))
        self.bulk_button.clicked.connect(self.bulk_approve)
        for button in (refresh, self.approve_button, self.reject_button, self.bulk_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the queue
        self.message = QLabel()
        self.message.setObjectName("approval_message")
        self.message.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Awaiting approval</b> (oldest first)")), 1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        actions = QHBoxLayout()
        actions.addWidget(self.approve_button)
        actions.addWidget(self.reject_button)
        actions.addWidget(self.bulk_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.queue, 1)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.message)

        # the detail
        self.header = QLabel()
        self.header.setObjectName("approval_header")
        self.header.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("approval_problems")
        self.problems.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problems.setMaximumHeight(90)
        self.values_host = QWidget()
        self.values_form = QFormLayout(self.values_host)
        self.values_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        values_scroll = QScrollArea()
        values_scroll.setWidgetResizable(True)
        values_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        values_scroll.setWidget(self.values_host)
        self.history_label = QLabel()
        self.history_label.setObjectName("dual_entry_summary")
        self.history_label.setWordWrap(True)
        self.decisions = _table(
            [
                self.tr("Field"),
                self.tr("Entry 1"),
                self.tr("Entry 2"),
                self.tr("Chosen"),
                self.tr("Reason"),
                self.tr("Resolver"),
            ],
            "approval_decisions",
        )
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.history_label)
        history_layout.addWidget(self.decisions, 1)
        self.changes = _table([self.tr("Field"), self.tr("Approved value"), self.tr("Proposed value")], "approval_diff")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("approval_tabs")
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(values_scroll, self.tr("Values (V)"))
        self.tabs.addTab(history, self.tr("Dual entry (D)"))
        self.tabs.addTab(self.changes, self.tr("Changes (C)"))
        self.scans = AttachedScans(ws, actor)
        self.tabs.addTab(self.scans, self.tr("Scan (S)"))
        # Likely existing customers and the same/different decision on each (issue 15).
        self.duplicates = DuplicateDecisions(ws, actor)
        self.duplicates.decided.connect(self._duplicate_decided)
        self.tabs.addTab(self.duplicates, self.tr("Duplicates (U)"))
        # Watchlist hits and the supervisor's Clear / Escalate (issue 15).
        self.watchlist_hits = RecordHits(ws, actor)
        self.tabs.addTab(self.watchlist_hits, self.tr("Watchlist (W)"))
        # What waits for a decision shows on the tab, as dual entry's differences do (a hit was easy to miss until
        # Approve was refused: independent check).
        self.duplicates.counted.connect(lambda n: self._count_tab(self.duplicates, self.tr("Duplicates (U)"), n))
        self.watchlist_hits.counted.connect(lambda n: self._count_tab(self.watchlist_hits, self.tr("Watchlist (W)"), n))
        # The paper form, each value beside its region (issue 16): P, then Tab or Up/Down from field to field.
        self.paper = PaperReview(ws, actor)
        self.tabs.addTab(self.paper, self.tr("Paper (P)"))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.problems)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 760])
        # Matches in other branches a sync found for records approved offline (issue 15), until one is seen.
        self.late_matches = LateMatchesBanner(ws, actor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.late_matches)
        layout.addWidget(splitter, 1)

        for key, slot in (
            ("A", self.approve),
            ("R", self.open_reject),
            ("B", self.bulk_approve),
            ("Space", self.toggle_check),
            ("S", self.show_scan),
            ("V", lambda: self._to_tab(0)),
            ("D", lambda: self._to_tab(1)),
            ("C", lambda: self._to_tab(2)),
            ("U", lambda: self._to_tab(self.tabs.indexOf(self.duplicates))),
            ("W", lambda: self._to_tab(self.tabs.indexOf(self.watchlist_hits))),
            ("P", self.show_paper),
            ("F5", self.refresh),
        ):
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add_tab_keys(self.tabs, self)
        self._show_detail(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # --- the queue ----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the queue again (in the background) and select the row kept from before (the next record)."""
        ws, actor = self.ws, self.actor
        self.late_matches.refresh()
        self.count.setText(self.tr("loading…"))
        self._latest.run(
            lambda _p: ws.approvals.queue(actor),
            on_result=self._show_queue,
            on_error=lambda exc: show_error(self, exc),
        )

    def _show_queue(self, items: list[ApprovalItem]) -> None:
        checked = set(self.checked_ids())
        self.items = items
        self.queue.blockSignals(True)
        self.queue.setRowCount(len(items))
        involved_note = self.tr("you keyed or reconciled this")
        change_note = self.tr("change")
        for row, item in enumerate(items):
            box = QTableWidgetItem()
            box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            box.setCheckState(Qt.CheckState.Checked if item.record_id in checked else Qt.CheckState.Unchecked)
            note = ", ".join(n for n, on in ((change_note, item.is_change), (involved_note, item.involved)) if on)
            cells = [box] + [
                QTableWidgetItem(text)
                for text in (
                    f"{item.form_number} · {item.record_id[:8]}" if item.form_number else item.record_id[:8],
                    item.maker,
                    local_time(item.made_at),
                    note,
                )
            ]
            for column, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, item.record_id)
                if item.involved:
                    cell.setForeground(QBrush(_GREY))
                    cell.setToolTip(self.tr("Four eyes: someone else must approve a record you took part in."))
                self.queue.setItem(row, column, cell)
        self.queue.blockSignals(False)
        self.count.setText(self.tr("%n waiting", "", len(items)))
        if items:
            row = min(self._keep_row, len(items) - 1)
            self.queue.setCurrentCell(row, 1)
            self.queue.selectRow(row)
            self._select(row)
            self.queue.setFocus()
        else:
            self._show_detail(None)
        self.loaded.emit(len(items))

    def current(self) -> ApprovalItem | None:
        row = self.queue.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def checked_ids(self) -> list[str]:
        ids = []
        for row in range(self.queue.rowCount()):
            box = self.queue.item(row, 0)
            if box is not None and box.checkState() == Qt.CheckState.Checked:
                ids.append(str(box.data(Qt.ItemDataRole.UserRole)))
        return ids

    def toggle_check(self) -> None:
        """Space: check or uncheck the current record for a bulk approval."""
        row = self.queue.currentRow()
        box = self.queue.item(row, 0) if row >= 0 else None
        if box is not None:
            on = box.checkState() == Qt.CheckState.Checked
            box.setCheckState(Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            self._show_detail(None)
            return
        record_id = self.items[row].record_id

        def failed(exc: BaseException) -> None:
            self._show_detail(None)
            self.message.setText(explain(exc))

        def read(_progress: object) -> tuple[ApprovalDetail, list[ScanInfo]]:
            detail = self.ws.approvals.detail(self.actor, record_id)
            try:
                return detail, self.ws.attachments.list_scans(self.actor, record_id)
            except ServiceError:  # scans not shown to this user: the detail shows without them
                return detail, []

        self._details.run(read, lambda found: self._show_detail(*found), failed)

    # --- the detail ---------------------------------------------------------------------------------------------
    def _show_detail(self, detail: ApprovalDetail | None, scan_list: list[ScanInfo] | None = None) -> None:
        self.detail = detail
        self.duplicates.set_record(detail.record_id if detail is not None else None)
        self.watchlist_hits.set_record(detail.record_id if detail is not None else None)
        if detail is None:
            self.paper.set_record(None, {}, {})
        else:
            values = dict(detail.values)
            self.paper.set_record(detail.record_id, values, {k: shown_value(self.ws, k, v) for k, v in values.items()})
            self.paper.mark({d.field for d in detail.decisions} | {f for f, _, _ in detail.changes})
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(detail is not None)
        while self.values_form.rowCount():
            self.values_form.removeRow(0)
        self.problems.clear()
        if detail is None:
            self.header.setText(self.tr("Nothing selected."))
            self.problems.hide()
            _fill(self.decisions, [])
            _fill(self.changes, [])
            self.history_label.clear()
            self.scans.set_record(None)
            self._tab_texts(None)
            return
        item = self.current()
        words = (self.tr("version"), self.tr("keyed by"))
        kind = self.tr("Change to an approved record") if detail.changes else self.tr("New customer")
        involved = self.tr("you keyed or reconciled this: another supervisor approves it")
        self.header.setText(
            f"<b>{detail.record_id}</b> &nbsp; {words[0]} {detail.version} &nbsp;·&nbsp; {words[1]} {detail.maker}"
            f" &nbsp;·&nbsp; {kind}"
            + (f"<br><span style='color:#8a8a8a'>{involved}</span>" if item and item.involved else "")
        )
        style = self.style()
        for problem in detail.problems:
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if problem.severity == "error"
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            label = self._label(problem.field)
            self.problems.addItem(QListWidgetItem(icon, f"{label}: {problem.message(lang())}"))
        self.problems.setVisible(bool(detail.problems))
        changed = {field for field, _, _ in detail.changes}
        for spec in self.ws.form.fields:
            value = QLabel(shown_value(self.ws, spec.key, detail.values.get(spec.key, "")))
            value.setObjectName(f"approval_value_{spec.key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            if spec.key in changed:
                value.setStyleSheet("background: #fff3cd;")
            self.values_form.addRow(spec.label(lang()), value)
        if detail.second_clerk:
            summary = self.tr("Second entry keyed by %1.").replace("%1", detail.second_clerk)
            if detail.reconciler:
                summary += " " + self.tr("Differences settled by %1.").replace("%1", detail.reconciler)
            else:
                summary += " " + self.tr("The two entries matched.")
        else:
            summary = self.tr("No second entry (not required by the branch's policy).")
        self.history_label.setText(summary)
        choice_words = {"first": self.tr("entry 1"), "second": self.tr("entry 2"), "other": self.tr("typed")}
        _fill(
            self.decisions,
            [
                [
                    self._label(d.field),
                    shown_value(self.ws, d.field, d.first),
                    shown_value(self.ws, d.field, d.second),
                    f"{shown_value(self.ws, d.field, d.chosen)} ({choice_words.get(d.choice, d.choice)})",
                    d.reason,
                    d.resolver,
                ]
                for d in detail.decisions
            ],
            widest=160,
        )
        _fill(
            self.changes,
            [
                [self._label(f), shown_value(self.ws, f, before), shown_value(self.ws, f, after)]
                for f, before, after in detail.changes
            ],
        )
        scans = self.scans.set_record(detail.record_id, scan_list or [])
        self._tab_texts(detail, scans)
        if scan_list:  # the scan as a third opinion: read again off the store's thread (seconds), then one line
            rid = detail.record_id

            def opinion(_p: object) -> ScanOpinion:
                return self.ws.dual_entry.scan_opinion(self.actor, rid)

            run_in_background(opinion, self._show_opinion, lambda _e: None)  # no opinion is no warning
        if detail.changes:
            self.tabs.setCurrentIndex(2)
        elif self.tabs.currentIndex() == 2:
            self.tabs.setCurrentIndex(0)

    def _tab_texts(self, detail: ApprovalDetail | None, scans: int = 0) -> None:
        """Each tab's label keeps its key; the counts of the record shown follow it (none while nothing is)."""
        counted = [
            (1, self.tr("Dual entry (D)"), len(detail.decisions) if detail else None),
            (2, self.tr("Changes (C)"), len(detail.changes) if detail else None),
            (3, self.tr("Scan (S)"), scans if detail else None),
        ]
        for index, label, count in counted:
            self.tabs.setTabText(index, label if count is None else f"{label} · {count}")
        self.tabs.setTabEnabled(2, bool(detail and detail.changes))
        if self.tabs.currentIndex() == 2 and not self.tabs.isTabEnabled(2):
            self.tabs.setCurrentIndex(0)

    def _count_tab(self, tab: QWidget, label: str, waiting: int) -> None:
        """`label`, and "· n ⚠" while n things on the tab wait for the supervisor's decision."""
        self.tabs.setTabText(self.tabs.indexOf(tab), f"{label} · {waiting} ⚠" if waiting else label)

    def _show_opinion(self, opinion: ScanOpinion) -> None:
        """Add the scan's disagreements with the agreed values to the dual-entry summary (fields only, no values)."""
        if opinion.warnings and self.detail is not None and self.detail.record_id == opinion.record_id:
            fields = self.tr(", ").join(self._label(w.field) for w in opinion.warnings)
            line = self.tr("The scan reads differently: %1. Check these on the paper form.").replace("%1", fields)
            self.paper.mark({w.field for w in opinion.warnings})
            if line not in self.history_label.text():  # a detail shown twice gets its line once
                self.history_label.setText(self.history_label.text() + " " + line)
                self.tabs.setTabText(1, self.tabs.tabText(1) + " ⚠")

    def _label(self, field: str) -> str:
        return self.ws.form.field(field).label(lang()) if field in self.ws.form.keys else field

    def _to_tab(self, index: int) -> None:
        """A tab's letter: that tab, if it is enabled; the keyboard stays in the page (in the queue unless it is
        in the page already), so the next letter works too."""
        if 0 <= index < self.tabs.count() and self.tabs.isTabEnabled(index):
            self.tabs.setCurrentIndex(index)
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused) or not focused.isEnabled():
            self.queue.setFocus()

    def show_paper(self) -> None:
        """P: the paper form, the keyboard in its field list (Tab or Up/Down: the next field and its region)."""
        if self.detail is not None:
            self.tabs.setCurrentWidget(self.paper)
            self.paper.fields.setFocus()

    def show_scan(self) -> None:
        """S: the scanned ID document of the selected record, with the fields the scan filled boxed."""
        if self.detail is not None:
            self.tabs.setCurrentWidget(self.scans)

    # --- actions ------------------------------------------------------------------------------------------------
    def _duplicate_decided(self, returned: object) -> None:
        """ "Same person" returned the record to its maker: the queue moves on."""
        if returned is not None:
            self._after_action(self.tr("Returned to the maker: same person as an existing customer."))

    def _after_action(self, text: str) -> None:
        self._keep_row = max(0, self.queue.currentRow())  # the next record moves up into this row
        self.message.setText(text)
        self.changed.emit()
        self.refresh()

    def _confirm(self, text: str, action: str, on_yes: Callable[[], None]) -> QMessageBox:
        """A confirm step that Enter accepts and Escape cancels: one stray key never approves a record."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Approve"), text, parent=self)
        box.setObjectName("approve_confirm")
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Cancel (Esc)"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        # Space is the queue's check key: in this box it presses no button, whichever has the focus (the box gives
        # it to the default button itself; an independent tester's A then Space approved a record).
        swallow = _NoSpace(box)
        for button in (yes, cancel):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.installEventFilter(swallow)

        def finished() -> None:
            if box.clickedButton() is yes:
                on_yes()

        box.finished.connect(finished)
        box.finished.connect(lambda _result: self.queue.setFocus())  # the keys go back to the queue
        self.confirm_box = box
        box.open()
        return box

    def approve(self) -> None:
        """A: ask, then approve the selected record (four eyes and validation are the service's)."""
        if self.detail is None:
            return
        detail = self.detail
        kind = self.tr("a change to an approved customer") if detail.changes else self.tr("a new customer")
        self._confirm(
            self.tr("Approve record %1 (%2)? It goes to the central server at the next sync.")
            .replace("%1", detail.record_id[:8])
            .replace("%2", kind),
            self.tr("Approve (Enter)"),
            lambda: self._approve(detail),
        )

    def _approve(self, detail: ApprovalDetail) -> None:
        done = self.tr("Record %1 approved.").replace("%1", detail.record_id[:8])
        op = Op(self, lambda: self.ws.approvals.approve(self.actor, detail.record_id, detail.version))
        op.success(lambda _none: self._after_action(done)).run()

    def open_reject(self) -> None:
        """R: ask for the reason and return the selected record to its maker."""
        if self.detail is None:
            return
        detail = self.detail
        dialog = RejectDialog(self.ws, self.actor, detail.record_id, detail.version, self)
        self.reject_dialog = dialog
        dialog.accepted.connect(
            lambda: self._after_action(self.tr("Record %1 returned to its maker.").replace("%1", detail.record_id[:8]))
        )
        # a closed dialog is gone, not only hidden, and the page is drawn again where it was (the independent
        # check saw the greyed-out dialog still drawn on the page after a return, until another page was shown)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: RejectDialog) -> None:
        if self.reject_dialog is dialog:
            self.reject_dialog = None
        dialog.deleteLater()
        self.update()

    def bulk_approve(self) -> None:
        """B: approve the checked records (or, with none checked, the selected ones); report the skipped."""
        ids = self.checked_ids()
        if not ids:
            rows = sorted({index.row() for index in self.queue.selectionModel().selectedRows()})
            ids = [self.items[r].record_id for r in rows if r < len(self.items)]
        if not ids:
            return
        self._confirm(
            self.tr("Approve %n record(s)? Records with a warning are skipped.", "", len(ids)),
            self.tr("Approve (Enter)"),
            lambda: self._bulk_approve(ids),
        )

    def _bulk_approve(self, ids: list[str]) -> None:
        Op(self, lambda: self.ws.approvals.bulk_approve(self.actor, ids)).success(self._bulk_approved).run()

    def _bulk_approved(self, result: BulkResult) -> None:
        text = self.tr("%n record(s) approved.", "", len(result.approved))
        if result.skipped:
            text += " " + self.tr("Skipped: %1").replace(
                "%1", "; ".join(f"{skip.record_id[:8]} ({skip.message(lang())})" for skip in result.skipped)
            )
        self._after_action(text)

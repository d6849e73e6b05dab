"""Likely matches in other branches that a sync found for records already approved (issue 15: "offline, the check
runs later and a match is reported back at sync"): a line above the approval queue while any is unseen, and a
dialog listing them, each openable and marked seen by a supervisor (services/branch_matches.py keeps them and
audits the marking). Shows branch names and kinds of key only, as the server's answer does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.branch_match import KIND_TEXT
from desktop_app.services.actor import Actor
from desktop_app.services.branch_matches import LateMatch
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time, status_label
from desktop_app.ui.common.operations import Op
from desktop_app.ui.records.record_view import open_record_view


def match_words(match: LateMatch) -> str:
    """ "Branch A (same name and birth date); Branch C (same ID document)"."""
    return "; ".join(f"{m.branch} ({', '.join(KIND_TEXT[k].render(lang()) for k in m.kinds)})" for m in match.matches)


class LateMatchesBanner(QWidget):
    """A warning line with a Review button, shown only while a sync has found matches nobody has seen."""

    changed = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.found: list[LateMatch] = []
        self.text = QLabel()
        self.text.setObjectName("late_branch_matches")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("color: #8a4b00;")
        self.review = QPushButton(self.tr("Review… (Alt+O)"))
        self.review.setObjectName("late_branch_matches_review")
        self.review.setShortcut("Alt+O")
        self.review.clicked.connect(self.open_dialog)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.text, 1)
        row.addWidget(self.review)
        # one line's height, never a share of the page (it pushed the approval queue half-way down the screen)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)

    def refresh(self) -> None:
        ws, actor = self.ws, self.actor
        Op(self, lambda: ws.branch_matches.found_after_approval(actor)).success(self.show_found).failure(
            lambda _exc: self.setVisible(False)  # a line only: never a dialog over the approval page
        ).run()

    def show_found(self, found: list[LateMatch]) -> None:
        self.found = found
        self.text.setText(
            "⚠ "
            + self.tr(
                "%n approved record(s) turned out at sync to have a likely match in another branch "
                "(they were approved while the central server could not be asked).",
                "",
                len(found),
            )
        )
        self.setVisible(bool(found))
        self.changed.emit(len(found))

    def open_dialog(self) -> LateMatchesDialog:
        dialog = LateMatchesDialog(self.ws, self.actor, self.found, self)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog


class LateMatchesDialog(QDialog):
    """The matches found after approval: open a record (Enter), mark one seen (Alt+M)."""

    def __init__(self, ws: Workstation, actor: Actor, found: list[LateMatch], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.setWindowTitle(self.tr("Matches in other branches found after approval"))
        self.resize(820, 360)
        intro = QLabel(
            self.tr(
                "These records were approved while the central server could not be asked; the next sync found a "
                "likely match in another branch. Check each with the customer's documents and the other branch, "
                "then mark it seen. Your marking is kept in the audit trail."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("late_branch_matches_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Record"), self.tr("Form no."), self.tr("Status"), self.tr("Other branches"), self.tr("Found")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.open_button = QPushButton(self.tr("&Open record"))
        self.seen_button = QPushButton(self.tr("&Mark as seen"))
        self.seen_button.setObjectName("late_branch_matches_seen")
        close = QPushButton(self.tr("C&lose"))
        self.open_button.clicked.connect(self.open_selected)
        self.seen_button.clicked.connect(self.mark_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.seen_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.show_found(found)

    def show_found(self, found: list[LateMatch]) -> None:
        self.found = found
        self.table.setRowCount(len(found))
        for row, match in enumerate(found):
            words = match_words(match)
            cells = (match.record_id[:8], match.form_number or "—", status_label(match.status), words)
            for column, text in enumerate((*cells, local_time(match.checked_at))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long list of branches is read whole here
                self.table.setItem(row, column, item)
        if found:
            self.table.selectRow(0)
            self.table.setFocus()
        for button in (self.open_button, self.seen_button):
            button.setEnabled(bool(found))

    def _selected(self) -> LateMatch | None:
        row = self.table.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None

    def open_selected(self) -> None:
        match = self._selected()
        if match is not None:
            open_record_view(self, self.ws, self.actor, match.record_id, lambda view: view.open())

    def mark_selected(self) -> None:
        match = self._selected()
        if match is None:
            return
        ws, actor = self.ws, self.actor

        def reload(_result: object = None) -> None:
            Op(self, lambda: ws.branch_matches.found_after_approval(actor)).success(self.show_found).run()

        Op(self, lambda: ws.branch_matches.mark_seen(actor, match.record_id)).success(reload).run()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

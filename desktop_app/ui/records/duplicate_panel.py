"""Likely existing customers (issue 15): a strip under the entry form while the maker types, and a tab on the
approval page where the supervisor decides "same person" or "different person" for each candidate.

Both only show what the duplicate service answers (services/duplicates.py): masked values, reason codes put into
words here, and nothing at all for a blind second entry (that form does not ask, and the service answers nothing).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.branch_match import KIND_TEXT
from desktop_app.domain.duplicate_evidence import reason_text
from desktop_app.services.actor import Actor
from desktop_app.services.branch_matches import BranchCheck, CheckState
from desktop_app.services.duplicates import BLOCKING_FIELDS, Candidate, Decision, DuplicateCheckLimited
from desktop_app.services.errors import ServiceError
from desktop_app.services.records import SaveResult
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op


class _Generation:
    """Counts requests, so that only the answer to the newest one is shown (typing goes on while one is asked)."""

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> int:
        self.value += 1
        return self.value


def _newest(
    owner: QWidget,
    generation: _Generation,
    work: Callable[[], list[Candidate]],
    show: Callable[[list[Candidate]], None],
    paused: Callable[[str], None] | None = None,
) -> None:
    """Run `work` as an Op (dropped if `owner` is closed meanwhile); `show` its answer unless a newer one was asked;
    `paused` the message when the checks are paused for too many of them."""
    mine = generation.bump()

    def deliver(found: list[Candidate]) -> None:
        if mine == generation.value:
            show(found)

    def refused(exc: BaseException) -> None:
        # A read queued behind a write that moved the record on (approved, returned) is refused: that record has
        # no candidates to show any more; not a dialog over the page. Too many checks: said in the strip, never a
        # dialog per pause in typing. Anything else is shown.
        if not isinstance(exc, ServiceError):
            show_error(owner, exc)
        elif mine == generation.value:
            show([])
            if isinstance(exc, DuplicateCheckLimited) and paused is not None:
                paused(explain(exc))

    Op(owner, work).success(deliver).failure(refused).run()


def reasons_in_words(reasons: Sequence[str]) -> str:
    """The reason codes of a candidate in the UI language, joined."""
    return "; ".join(reason_text(code).render(lang()) for code in reasons)


class DuplicateStrip(QFrame):
    """Under the entry form: "this customer may already exist", each candidate with its reasons and a link that
    emits `open_record(record_id)`. Hidden while there is none; `appeared` when it shows.

    On a record returned as "same person" it also says so, with a button that emits `merge_requested(existing id)`:
    the maker's way to key the new details as a change of the existing customer (DuplicateService.merge_into)."""

    open_record = Signal(str)
    appeared = Signal()
    merge_requested = Signal(str)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.candidates: list[Candidate] = []
        self._latest = _Generation()
        self.setObjectName("duplicate_strip")
        self.setStyleSheet("#duplicate_strip { background: #fff6e0; border: 1px solid #e0b040; }")
        self.text = QLabel()
        self.text.setObjectName("duplicate_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.linkActivated.connect(self.open_record.emit)
        self.returned_to: str | None = None
        self.returned_text = QLabel()
        self.returned_text.setObjectName("duplicate_returned")
        self.returned_text.setWordWrap(True)
        self.returned_text.setTextFormat(Qt.TextFormat.RichText)
        self.returned_text.linkActivated.connect(self.open_record.emit)
        self.merge_button = QPushButton(self.tr("&Make this a change of the existing customer"))
        self.merge_button.setObjectName("duplicate_merge")
        self.merge_button.setToolTip(
            self.tr("Your details become a change of the existing customer, to check and submit; this record goes.")
        )
        self.merge_button.clicked.connect(lambda: self.returned_to and self.merge_requested.emit(self.returned_to))
        returned = QHBoxLayout()
        returned.setContentsMargins(0, 0, 0, 0)
        returned.addWidget(self.returned_text, 1)
        returned.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.text)
        layout.addLayout(returned)
        self.show_returned(None)
        self.hide()

    def check(self, values: Mapping[str, str], record_id: str | None) -> None:
        """Ask the service, off the GUI thread, for likely matches of what is typed; only the newest answer shows."""
        if not any(values.get(key, "").strip() for key in BLOCKING_FIELDS):
            self._latest.bump()
            self.show_candidates([])  # nothing to look up by yet: no call at all
            return
        ws, actor, typed = self.ws, self.actor, dict(values)
        _newest(
            self,
            self._latest,
            lambda: ws.duplicates.for_entry(actor, typed, record_id),
            self.show_candidates,
            self.show_paused,
        )

    def show_paused(self, message: str) -> None:
        """The check is paused (too many different values checked): said in the strip, in place of candidates."""
        self.text.setText(html.escape(message))
        self.text.setVisible(True)
        if self.isHidden():
            self.show()
            self.appeared.emit()

    def clear(self) -> None:
        """Nothing shown (another record or a new form): a pending answer is dropped."""
        self._latest.bump()
        self.returned_to = None
        self.show_returned(None)

    def show_returned(self, existing_id: str | None) -> None:
        """The record shown was returned as the same person as `existing_id` (None: it was not)."""
        self.returned_to = existing_id
        self.returned_text.setVisible(existing_id is not None)
        self.merge_button.setVisible(existing_id is not None)
        if existing_id is not None:
            self.returned_text.setText(
                self.tr("<b>Returned: the same person as customer %1.</b>").replace(
                    "%1", f"<a href='{existing_id}'>{existing_id[:8]}</a>"
                )
            )
        self.show_candidates(self.candidates if existing_id is not None else [])

    def show_candidates(self, candidates: list[Candidate]) -> None:
        self.candidates = list(candidates)
        if not candidates:
            self.text.clear()
            self.text.setVisible(False)
            if self.returned_to is None:
                self.hide()
            elif self.isHidden():
                self.show()
                self.appeared.emit()
            return
        self.text.setVisible(True)
        lines = [self.tr("<b>This customer may already exist.</b> Open the record to check before you go on:")]
        for c in candidates:
            lines.append(
                f"<a href='{c.record_id}'>{c.record_id[:8]}</a> {c.name} · {c.id_number} · {c.birth_date}"
                f" — {reasons_in_words(c.reasons)}"
            )
        self.text.setText("<br>".join(lines))
        if self.isHidden():
            self.show()
            self.appeared.emit()


class DuplicateDecisions(QWidget):
    """The approval page's tab: the record's candidates and the supervisor's decision on each.

    `decided(SaveResult | None)` after a decision: a result when "same person" returned the record to its maker."""

    decided = Signal(object)
    counted = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.record_id: str | None = None
        self.candidates: list[Candidate] = []
        self._latest = _Generation()
        self.note = QLabel()
        self.note.setObjectName("duplicate_note")
        self.note.setWordWrap(True)
        # The central server's answer for other branches (services/branch_matches.py): a warning line, no record.
        self.branch_note = QLabel()
        self.branch_note.setObjectName("branch_match_note")
        self.branch_note.setWordWrap(True)
        self.branch_note.setVisible(False)
        self._branch_latest = _Generation()
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("duplicate_candidates")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Record"),
                self.tr("Name"),
                self.tr("ID number"),
                self.tr("Birth date"),
                self.tr("Why"),
                self.tr("Decision"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.same_button = QPushButton(self.tr("Same &person: return to maker"))
        self.same_button.setObjectName("duplicate_same")
        self.same_button.setToolTip(
            self.tr("The maker then keys the new details as a change of the existing customer.")
        )
        self.different_button = QPushButton(self.tr("&Different person"))
        self.different_button.setObjectName("duplicate_different")
        self.same_button.clicked.connect(lambda: self.decide(Decision.SAME))
        self.different_button.clicked.connect(lambda: self.decide(Decision.DIFFERENT))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.different_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.branch_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.show_candidates([])

    def set_record(self, record_id: str | None) -> None:
        """Load the candidates of the record now shown (none when nothing is selected)."""
        self.record_id = record_id
        if record_id is None:
            self._latest.bump()
            self.show_candidates([])
            return
        ws, actor = self.ws, self.actor
        _newest(self, self._latest, lambda: ws.duplicates.for_approval(actor, record_id), self.show_candidates)
        self._check_branches(record_id)

    def _check_branches(self, record_id: str) -> None:
        """Ask the central server about other branches (online; queued for the next sync when not)."""
        ws, actor = self.ws, self.actor
        mine = self._branch_latest.bump()
        self.branch_note.setVisible(False)

        def deliver(check: BranchCheck) -> None:
            if mine == self._branch_latest.value:
                self.show_branch_check(check)

        def refused(_exc: BaseException) -> None:
            # A warning line only: a failed check must not put a dialog over the approval page.
            if mine == self._branch_latest.value:
                self.branch_note.setVisible(False)

        Op(self, lambda: ws.branch_matches.check(actor, record_id)).success(deliver).failure(refused).run()

    def show_branch_check(self, check: BranchCheck) -> None:
        """One line: the likely matches in other branches, a pending check, or nothing when not enrolled."""
        if check.state == CheckState.NOT_ENROLLED:
            self.branch_note.setVisible(False)
            return
        if check.state == CheckState.PENDING:
            text = self.tr("Other branches not checked yet: the check runs at the next sync.")
        elif check.matches:
            found = "; ".join(
                self.tr("likely match in branch %1 (%2)")
                .replace("%1", html.escape(m.branch))
                .replace("%2", ", ".join(KIND_TEXT[k].render(lang()) for k in m.kinds))
                for m in check.matches
            )
            text = "<b>" + self.tr("Another branch may hold this customer:") + "</b> " + found
        else:
            text = self.tr("No likely match in other branches.")
        self.branch_note.setText(text)
        self.branch_note.setVisible(True)

    def show_candidates(self, candidates: list[Candidate]) -> None:
        self.candidates = list(candidates)
        self.table.setRowCount(len(candidates))
        words = {Decision.SAME: self.tr("same person"), Decision.DIFFERENT: self.tr("different person")}
        for row, c in enumerate(candidates):
            cells = [
                c.record_id[:8],
                c.name,
                c.id_number,
                c.birth_date,
                f"{c.score:.2f}: {reasons_in_words(c.reasons)}",
                words[c.decision] if c.decision else self.tr("to decide"),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the reasons are long: whole in the tooltip
                self.table.setItem(row, column, item)
        if candidates:
            self.table.selectRow(0)
            self.note.setText(
                self.tr("Likely existing customers. Decide for each before approving: same person or not.")
            )
        else:
            self.note.setText(self.tr("No likely existing customer."))
        for button in (self.same_button, self.different_button):
            button.setEnabled(bool(candidates))
        self.counted.emit(sum(1 for c in candidates if c.decision is None))

    def decide(self, decision: Decision) -> None:
        row = self.table.currentRow()
        if self.record_id is None or not 0 <= row < len(self.candidates):
            return
        ws, actor, record_id, candidate = self.ws, self.actor, self.record_id, self.candidates[row].record_id
        if decision is Decision.SAME:
            # It returns the record to its maker at once: asked first, as clearing a watchlist hit is (found by the
            # independent check).
            asked = QMessageBox.question(
                self,
                self.tr("Same person"),
                self.tr(
                    "Return record %1 to its maker as the same person as customer %2? The maker then keys the new "
                    "details as a change of the existing customer."
                )
                .replace("%1", record_id[:8])
                .replace("%2", candidate[:8]),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if asked != QMessageBox.StandardButton.Yes:
                return

        def done(result: SaveResult | None) -> None:
            self.decided.emit(result)
            if result is None:
                self.set_record(record_id)

        Op(self, lambda: ws.duplicates.decide(actor, record_id, candidate, decision)).success(done).run()

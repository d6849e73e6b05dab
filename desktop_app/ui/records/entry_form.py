"""The entry form, generated from the form schema: keyboard-first, validated as you type, autosaved.

Scan ID (Ctrl+Shift+S) fills it from a scanned ID document: each value so filled is marked until the teller
confirms it (Enter on the field) or types over it, and the record cannot be submitted before; the scan is kept
with the record when it is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.form_schema import FieldType
from desktop_app.domain.lifecycle import EDITABLE, Status
from desktop_app.domain.normaliser import normalise_record, normalise_value
from desktop_app.domain.paper_layout import PaperProblem
from desktop_app.domain.reject_reasons import reason_in
from desktop_app.domain.validation import Problem, Severity, has_errors, validate_record
from desktop_app.services.actor import Actor
from desktop_app.services.autosave import NEW, AutosaveEntry
from desktop_app.services.errors import ServiceError
from desktop_app.services.records import RecordView, SaveResult
from desktop_app.services.scan_fill import Level, Proposal, ScanReading
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.eliding_label import ElidingLabel
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import status_label
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.records.duplicate_panel import DuplicateStrip
from desktop_app.ui.records.field_widgets import EnterMovesOn, FieldEditor, LongTermDateEditor, make_editor
from desktop_app.ui.records.paper_pages_dialog import PaperPagesDialog
from desktop_app.ui.records.paper_view import PaperPane
from desktop_app.ui.records.record_view import open_record_view
from desktop_app.ui.records.scan_panel import (
    LEVEL_COLOURS,
    LEVEL_TINTS,
    ScanDialog,
    ScanPane,
    badge_text,
    confidence_text,
)

log = logging.getLogger(__name__)

AUTOSAVE_MS = 5000
VALIDATE_DELAY_MS = 150
PAPER_FIELD = "paper"  # the summary's name for the paper form's warnings (no field of the form)


@dataclass(frozen=True)
class PendingScan:
    """A scan whose values were put into the form, to be kept with the record at its next save."""

    image_png: bytes
    meta: dict[str, object]


class FieldKeys(QObject):
    """Watches the fields' widgets for Enter (which confirms a value read from a scan) and for focus (which shows
    its box on the scan). Installed after EnterMovesOn, so it sees Enter before the focus moves on."""

    entered = Signal(QObject)
    focused = Signal(QObject)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit(watched)
        elif event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                popup = isinstance(watched, QComboBox) and watched.view().isVisible()
                if not popup:
                    self.entered.emit(watched)
        return False


class EntryForm(QWidget):
    """Keys one customer record. Ctrl+S saves a draft, Ctrl+Enter submits, Enter moves to the next field,
    Ctrl+Shift+S scans an ID document into the form."""

    saved = Signal(str)
    submitted = Signal(str)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.schema = ws, actor, ws.form
        self.record_id: str | None = None
        self.version: int | None = None
        self.status: Status = Status.DRAFT
        self._dirty = False
        self._autosaved = True
        # Saves run off the GUI thread: `_busy` while one is on its way (no second create), `_edits` counts typing
        # (typed during a save, it stays unsaved), `_generation` counts loads (a late answer for the form before
        # is not applied to the one now shown).
        self._busy = False
        self._edits = 0
        self._generation = 0
        self._passing_note = False  # the state line says "saved" or "submitted …" until the next change
        # Required fields are flagged once the clerk has been through them, or everywhere once they try to submit;
        # never all at once because a draft was saved.
        self._touched: set[str] = set()
        self._focused_key: str | None = None
        self._flag_all_required = False
        self.problems: list[Problem] = []
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, ElidingLabel] = {}
        self.ocr_hosts: dict[str, QFrame] = {}
        self.ocr_badges: dict[str, QLabel] = {}
        self.ocr_marks: dict[str, Proposal] = {}
        self.pending_scans: list[PendingScan] = []
        self.scan_reading: ScanReading | None = None  # the last scan put into the form, shown beside it
        self.scan_dialog: ScanDialog | None = None
        self.ocr_message: QMessageBox | None = None
        self._widget_keys: dict[QObject, str] = {}
        self._enter = EnterMovesOn(self)
        self._field_keys = FieldKeys(self)
        self._field_keys.entered.connect(self._on_enter)
        self._field_keys.focused.connect(self._on_focus)

        self.title = QLabel()
        self.title.setObjectName("form_title")
        self.state = ElidingLabel()  # a long return reason must not widen the window
        self.state.setObjectName("form_state")
        self.state.setStyleSheet("color: #555;")
        self.help_line = QLabel()  # the focused field's help from the schema, always in view (not only a tooltip)
        self.help_line.setObjectName("field_help")
        self.help_line.setStyleSheet("color: #33507a;")
        self.help_line.setWordWrap(False)
        self.help_line.setMinimumHeight(self.help_line.fontMetrics().height() + 4)
        self.save_button = QPushButton(self.tr("Save draft (Ctrl+S)"))
        self.save_button.setObjectName("save_draft")
        self.submit_button = QPushButton(self.tr("Submit (Ctrl+Enter)"))
        self.submit_button.setObjectName("submit")
        self.new_button = QPushButton(self.tr("New form (Ctrl+N)"))
        self.scan_button = QPushButton(self.tr("Scan ID (Ctrl+Shift+S)"))
        self.scan_button.setObjectName("scan_id")
        self.scan_button.setToolTip(
            self.tr("Read the customer's ID card or passport from a scan and fill the form; you confirm each value.")
        )
        # The paper form: scan it, open its file, its number and checks (before, only Ctrl+Shift+P reached it).
        self.paper_button = QPushButton(self.tr("Paper form (Ctrl+Shift+P)"))
        self.paper_button.setObjectName("paper_form")
        self.paper_button.clicked.connect(self.open_paper)
        for button in (self.save_button, self.submit_button, self.new_button, self.scan_button, self.paper_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab walks the fields only
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        self.new_button.clicked.connect(self.new_form)
        self.scan_button.clicked.connect(self.open_scan)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.state, 1)
        top.addWidget(self.scan_button)
        top.addWidget(self.paper_button)
        top.addWidget(self.new_button)
        top.addWidget(self.save_button)
        top.addWidget(self.submit_button)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self._grid = grid
        self._cells: list[tuple[QWidget, QWidget, QWidget]] = []
        previous: QWidget | None = None
        for spec in self.schema.fields:
            label = QLabel(spec.label(lang()) + (" *" if spec.required else ""))
            label.setObjectName(f"label_{spec.key}")
            if spec.required:
                label.setToolTip(self.tr("Required"))
            # the editor sits in a frame that is tinted, with a badge, while it holds a value read from a scan
            host = QFrame(grid_host)
            host.setObjectName(f"ocr_host_{spec.key}")
            host_row = QHBoxLayout(host)
            host_row.setContentsMargins(2, 1, 2, 1)
            host_row.setSpacing(4)
            editor = make_editor(spec, host)
            if spec.type in (FieldType.DATE, FieldType.DATE_OR_LONG_TERM):  # a whole date stays in view
                date_edit = editor.focus_widget()
                date_edit.setMinimumWidth(date_edit.fontMetrics().horizontalAdvance("0000-00-00") + 24)
            badge = QLabel(host)
            badge.setObjectName(f"ocr_badge_{spec.key}")
            badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            badge.hide()
            host_row.addWidget(editor, 1)
            host_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)
            editor.changed.connect(self._on_change)
            editor.changed.connect(lambda key=spec.key: self._field_changed(key))
            label.setBuddy(editor.focus_widget())
            help_text = spec.help(lang())
            if help_text:
                editor.setToolTip(help_text)
            # One line, always the same height, shown or not: a message appearing (or one that would wrap to two
            # lines) never pushes the rows below; a long one ends in "…", and the focused field's messages are
            # shown whole in the help line above the form.
            message = ElidingLabel()
            message.setObjectName(f"message_{spec.key}")
            message.setStyleSheet("color: #b00020; font-size: 11px;")
            kept = message.sizePolicy()
            kept.setRetainSizeWhenHidden(True)
            message.setSizePolicy(kept)
            message.setFixedHeight(message.fontMetrics().height() + 2)
            message.hide()
            self._cells.append((label, host, message))
            self.editors[spec.key] = editor
            self.messages[spec.key] = message
            self.ocr_hosts[spec.key] = host
            self.ocr_badges[spec.key] = badge
            for widget in self._field_widgets(editor):
                widget.installEventFilter(self._enter)
                widget.installEventFilter(self._field_keys)  # after EnterMovesOn: it sees Enter first
                self._widget_keys[widget] = spec.key
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        self._columns = 0
        self._flow(2)
        self._two_columns_need = grid_host.minimumSizeHint().width()
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, never to the frame around them
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        self.scan_pane = ScanPane(self.schema)
        # The paper form beside the fields (issue 16): shown once the record has pages, zoomed to the focused field.
        self.paper_pane = PaperPane(ws, actor)
        self.paper_pane.set_labels({spec.key: spec.label(lang()) for spec in self.schema.fields})
        body = QSplitter()
        body.setObjectName("entry_body")
        body.setChildrenCollapsible(False)
        body.addWidget(scroll)
        body.addWidget(self.scan_pane)
        body.addWidget(self.paper_pane)
        body.setStretchFactor(0, 1)
        body.setSizes([620, 300, 560])  # the page wide enough for a whole 140 mm box at 40 px tall (1366 px screen)

        self._scroll = scroll
        scroll.viewport().installEventFilter(self)  # its width decides one column of fields or two (_flow)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.help_line)
        layout.addWidget(body, 1)
        # Likely existing customers, asked again each time the typing pauses (issue 15). Under the form, so that
        # showing it never moves a field mid-typing: the form's view only gets shorter at the bottom.
        self.duplicates = DuplicateStrip(ws, actor)
        self.duplicates.open_record.connect(self.open_duplicate)
        self.duplicates.appeared.connect(self._keep_focus_in_view)
        self.duplicates.merge_requested.connect(self.merge_into_existing)
        layout.addWidget(self.duplicates)

        QShortcut(QKeySequence.StandardKey.Save, self, self.save_draft)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_form)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.open_scan)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.open_paper)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        self._validate_timer.timeout.connect(self.check_duplicates)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        self.load_new()

    @staticmethod
    def _field_widgets(editor: FieldEditor) -> list[QWidget]:
        """The widgets of a field that take the keyboard, in Tab order: the long-term box of a validity date is one
        (while it is ticked the date cannot be typed, and the value must still be reachable to confirm it)."""
        if isinstance(editor, LongTermDateEditor):
            return [editor.edit, editor.long_term]
        return [editor.focus_widget()]

    # --- values --------------------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """What is typed, field by field (not yet normalised)."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def set_values(self, values: dict[str, str]) -> None:
        for key, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(values.get(key, ""))
            editor.blockSignals(False)
        self.validate()

    @property
    def slot(self) -> str:
        return self.record_id or NEW

    def _on_change(self) -> None:
        if self._passing_note:  # "saved" or "submitted …" no longer holds once the typing goes on
            self._passing_note = False
            self.state.setText(self.tr("changes not saved yet") if self.record_id is not None else "")
        self._dirty = True
        self._autosaved = False
        self._edits += 1
        self._validate_timer.start()

    def _set_editable(self, editable: bool) -> None:
        for editor in self.editors.values():
            editor.set_read_only(not editable)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        self.scan_button.setEnabled(editable)

    def _show_state(self, extra: str = "") -> None:
        if self.record_id is None:
            self.title.setText(self.tr("<b>New customer</b>"))
        else:
            self.title.setText(
                self.tr("<b>Record %1</b> version %2")
                .replace("%1", self.record_id[:8])
                .replace("%2", str(self.version))
            )
        self.state.setText(extra)

    # --- loading -------------------------------------------------------------------------------------------
    def has_unsaved_typing(self) -> bool:
        """Whether the form holds typing that is not saved as a draft (an autosave is not a draft)."""
        return self._dirty and self.save_button.isEnabled()

    def may_leave(self) -> bool:
        """Before the form is emptied or replaced: unsaved typing is saved as a draft or given up only when the
        teller says so. True when the form may be left; False when the teller chose to stay (or the save failed)."""
        if not self.has_unsaved_typing():
            return True
        box = QMessageBox(self)
        box.setObjectName("unsaved_typing")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved typing"))
        box.setText(self.tr("This form has typing that is not saved. Save it as a draft in My drafts?"))
        save = box.addButton(self.tr("&Save draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("&Discard typing"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("&Keep typing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)  # Enter keeps the work
        box.setEscapeButton(stay)  # Escape, or the dialog closed by a lock, loses nothing
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return self.save_draft()
        if clicked is discard:
            ws, actor, slot = self.ws, self.actor, self.slot
            Op(self, lambda: ws.autosave.clear(actor, slot)).failure(_log_failure("clearing the autosave")).run()
            self._dirty = False
            self._autosaved = True
            return True
        return False

    def new_form(self) -> None:
        """Ctrl+N: an empty form, once unsaved typing is saved or given up."""
        if self.may_leave():
            self.load_new()

    def load_new(self) -> None:
        """An empty form for a new customer (defaults from the schema)."""
        self.autosave()
        self._forget_scans()
        self._generation += 1
        self.record_id, self.version, self.status = None, None, Status.DRAFT
        self.duplicates.clear()  # the previous customer's candidates are not this one's
        self._touched.clear()
        self._flag_all_required = False
        self.set_values({spec.key: spec.default for spec in self.schema.fields})
        self._dirty = False
        self._autosaved = True
        self._set_editable(True)
        self._show_state()
        self._to_top()
        self.paper_pane.load(None)
        self.editors[self.schema.fields[0].key].focus_widget().setFocus()

    def _to_top(self) -> None:
        """A new or reopened customer starts at the top of the form (after a submit it stayed scrolled down)."""
        self._scroll.verticalScrollBar().setValue(0)
        self._scroll.horizontalScrollBar().setValue(0)

    def load_record(self, record_id: str, then: Callable[[], None] | None = None) -> None:
        """Reopen a record (read off the GUI thread; `then()` once it is in the form); a draft of one's own opens
        for editing exactly as saved. A refusal is shown, and the form stays as it was."""

        def loaded(view: RecordView) -> None:
            self._show_record(view)
            if then is not None:
                then()

        ws, actor = self.ws, self.actor
        Op(self, lambda: ws.records.get(actor, record_id)).success(loaded).run()

    def _show_record(self, view: RecordView) -> None:
        self._forget_scans()
        self._generation += 1
        self.record_id, self.version, self.status = view.id, view.version, view.status
        self.duplicates.clear()
        self._touched.clear()
        self._flag_all_required = False
        self.set_values(dict(view.values))
        self._dirty = False
        self._autosaved = True
        editable = view.status in EDITABLE and not view.masked.intersection(self.editors) and not view.hidden
        self._set_editable(editable)
        returned = self.tr("returned")
        reason = f" — {returned}: {reason_in(view.reject_reason, lang())}" if view.reject_reason else ""
        self._show_state(status_label(view.status) + reason)
        self._to_top()
        self.paper_pane.load(None if view.hidden else view.id)
        self._ask_returned_as_same()

    def restore(self, entry: AutosaveEntry) -> None:
        """Bring back autosaved typing (after a crash or a lock)."""
        if entry.slot != NEW:
            self.load_record(entry.slot, lambda: self._restored(entry))
        else:
            self.load_new()
            self._restored(entry)

    def _restored(self, entry: AutosaveEntry) -> None:
        self.set_values(dict(entry.values))
        self._dirty = True
        self._autosaved = False
        self._show_state(self.tr("restored unsaved typing"))

    # --- checking ----------------------------------------------------------------------------------------
    def validate(self) -> list[Problem]:
        """Check the typed values with the form's rules and show each problem at its field."""
        clean = normalise_record(self.schema, self.values())
        self.problems = validate_record(self.schema, clean, date.today())
        by_field: dict[str, list[Problem]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(problem)
        for key, editor in self.editors.items():
            found = by_field.get(key, [])
            # an empty required field is only flagged once the clerk has typed something anywhere
            shown = [p for p in found if p.code != "required" or self._flag_required(key)]
            severity = "error" if any(p.severity == "error" for p in shown) else ("warning" if shown else None)
            editor.set_problem(severity)
            message = self.messages[key]
            message.setText("; ".join(p.message(lang()) for p in shown))
            message.setVisible(bool(shown))
        self._show_help(self._focused_key)
        return self.problems

    def _flag_required(self, key: str) -> bool:
        return self._flag_all_required or key in self._touched

    # --- saving --------------------------------------------------------------------------------------------
    def save_draft(self, then: Callable[[], None] | None = None) -> bool:
        """Save what is typed as a new version of the draft (incomplete values are allowed), off the GUI thread;
        `then()` once it is saved and its scans kept. False when no save was started (a read-only form, or a save
        already on its way); a refusal is shown."""
        if not self.save_button.isEnabled() or self._busy:
            return False
        ws, actor, record_id, version, slot = self.ws, self.actor, self.record_id, self.version, self.slot
        values, edits, generation = self.values(), self._edits, self._generation

        def work() -> SaveResult:
            if record_id is None:
                result = ws.records.create(actor, values)
            else:
                result = ws.records.save(actor, record_id, values, version)
            ws.autosave.clear(actor, slot)
            if record_id is None:
                ws.autosave.clear(actor, NEW)
            return result

        def saved(result: SaveResult) -> None:
            self._busy = False
            if generation != self._generation:  # the form moved on: the draft is saved, the form shows another
                self.saved.emit(result.record_id)
                return
            self.record_id, self.version, self.status = result.record_id, result.version, result.status
            if edits == self._edits:  # nothing typed while it was saved
                self._dirty = False
                self._autosaved = True
            self._show_state(self.tr("saved"))
            self._passing_note = True
            self.saved.emit(result.record_id)
            self._attach_pending_scans(lambda _kept: then() if then is not None else None)

        self._busy = True
        Op(self, work).success(saved).failure(self._failed).run()
        return True

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        show_error(self, exc)

    def submit(self) -> None:
        """Save, show a summary of what is still wrong, and send the record on when there are no errors."""
        if not self.submit_button.isEnabled():
            return
        unconfirmed = self.unconfirmed_fields()
        if unconfirmed:
            self._refuse_unconfirmed(unconfirmed)
            return
        if self.record_id is not None and not self._busy:
            # The paper form's checks (pages missing, a blank signature box, a form version this workstation does
            # not know) are warnings of the summary too, read off the GUI thread (issue 16: they were only in the
            # paper dialog, and such records went through unwarned).
            ws, actor, rid = self.ws, self.actor, self.record_id
            Op(self, lambda: ws.paper.checks(actor, rid)).success(self._submit_with_paper).failure(
                lambda _exc: self._submit_with_paper([])
            ).run()
            return
        self._submit_with_paper([])

    def _submit_with_paper(self, paper: list[PaperProblem]) -> None:
        self._flag_all_required = True  # every field is marked now, saved before or not
        problems = self.validate() + [Problem(PAPER_FIELD, p.code.value, p.message, Severity.WARNING) for p in paper]
        if has_errors(problems):
            summary = SummaryDialog(problems, self, can_submit=False)
            summary.exec()
            self._focus_problem(summary.chosen_field)
            return
        if problems:
            summary = SummaryDialog(problems, self, can_submit=True)
            if summary.exec() != QDialog.DialogCode.Accepted:
                self._focus_problem(summary.chosen_field)
                return
        if self._busy:
            return
        if self._dirty or self.record_id is None:
            self.save_draft(then=self._submit_saved)
        elif self.pending_scans:
            self._attach_pending_scans(lambda kept: self._submit_saved() if kept else None)
        else:
            self._submit_saved()

    def _submit_saved(self) -> None:
        """The saved draft goes on (off the GUI thread), once every scan used on it is kept with it."""
        # the scan goes with the record: nothing is sent on without it (a failed attempt has said why)
        if self.pending_scans or self.record_id is None or self._busy:
            return
        ws, actor, record_id, version = self.ws, self.actor, self.record_id, self.version

        def submitted(result: SaveResult) -> None:
            self._busy = False
            self.submitted.emit(result.record_id)
            self.load_new()
            self._show_state(self.tr("submitted %1").replace("%1", result.record_id[:8]))
            self._passing_note = True

        self._busy = True
        Op(self, lambda: ws.records.submit(actor, record_id, version)).success(submitted).failure(self._failed).run()

    def _focus_problem(self, key: str | None) -> None:
        """The field the clerk chose in the summary (Enter on it), else the first with an error; a paper warning
        opens the paper form."""
        if key == PAPER_FIELD:
            self.open_paper()
            return
        if key is not None and key in self.editors:
            self.editors[key].focus_widget().setFocus()
            return
        self._focus_first_problem()

    def _focus_first_problem(self) -> None:
        for spec in self.schema.fields:
            if any(p.field == spec.key and p.severity == "error" for p in self.problems):
                self.editors[spec.key].focus_widget().setFocus()
                return

    # --- likely existing customers (issue 15) -----------------------------------------------------------------
    # The blind second entry sets this False: its clerk is shown no candidate (the service answers none either).
    offers_duplicates = True

    def check_duplicates(self) -> None:
        """Ask for likely existing customers matching what is typed (only while the form is editable)."""
        if self.offers_duplicates and self.submit_button.isEnabled():
            self.duplicates.check(self.values(), self.record_id)
        else:
            self.duplicates.clear()

    def _ask_returned_as_same(self) -> None:
        """On the maker's record returned as "same person", the strip offers the merge into the existing customer."""
        if not (self.offers_duplicates and self.record_id is not None and self.status in EDITABLE):
            return
        ws, actor, record_id, generation = self.ws, self.actor, self.record_id, self._generation

        def shown(existing: str | None) -> None:
            if existing is not None and generation == self._generation:
                self.duplicates.show_returned(existing)

        Op(self, lambda: ws.duplicates.returned_as_same(actor, record_id)).success(shown).run()

    def merge_into_existing(self, existing_id: str) -> None:
        """The strip's button: what is typed here (saved first) becomes a change of the existing customer, opened in
        the form to check and submit; this record is discarded."""
        if self._busy or self.record_id is None:
            return
        ws, actor, record_id = self.ws, self.actor, self.record_id

        def merge() -> None:
            self._busy = True

            def merged(result: SaveResult) -> None:
                self._busy = False
                self.load_record(result.record_id)

            Op(self, lambda: ws.duplicates.merge_into(actor, record_id, existing_id)).success(merged).failure(
                self._failed
            ).run()

        if self._dirty:
            self.save_draft(then=merge)
        else:
            merge()

    def _flow(self, columns: int) -> None:
        """Lay the fields out in `columns` columns, down each column in the form's order (Tab order is set apart
        and never changes). One column when the form's view is too narrow for two: beside the paper page on a
        1366 px screen the second column was cut off and scrolled sideways."""
        if columns == self._columns:
            return
        grid = self._grid
        for label, host, message in self._cells:
            for widget in (label, host, message):
                grid.removeWidget(widget)
        for stretch_column in range(4):
            grid.setColumnStretch(stretch_column, 0)
        for stretch_row in range(grid.rowCount()):
            grid.setRowStretch(stretch_row, 0)
        rows_per_column = (len(self._cells) + columns - 1) // columns
        for index, (label, host, message) in enumerate(self._cells):
            column, row = divmod(index, rows_per_column)
            grid.addWidget(label, row * 2, column * 2, alignment=Qt.AlignmentFlag.AlignRight)
            grid.addWidget(host, row * 2, column * 2 + 1, alignment=Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(message, row * 2 + 1, column * 2 + 1)
        for column in range(columns):
            grid.setColumnStretch(column * 2 + 1, 1)
        grid.setRowStretch(rows_per_column * 2, 1)  # rows pack at the top instead of spreading out
        self._columns = columns

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._scroll.viewport():
            columns = 2 if self._scroll.viewport().width() >= self._two_columns_need else 1
            if columns != self._columns:  # the fields moved: the one being typed in stays in view
                self._flow(columns)
                QTimer.singleShot(0, self._keep_focus_in_view)
        return super().eventFilter(watched, event)

    def _keep_focus_in_view(self) -> None:
        """The strip took the bottom of the form's view: the field being typed in stays visible."""
        focused = self.focusWidget()
        fields = self._scroll.widget()
        if focused is not None and fields is not None and fields.isAncestorOf(focused):
            self._scroll.ensureWidgetVisible(focused)

    def open_duplicate(self, record_id: str) -> None:
        """The link of a candidate: the existing record in its own window."""
        open_record_view(self, self.ws, self.actor, record_id, lambda view: view.open())

    # --- Scan ID ---------------------------------------------------------------------------------------------
    # Forms that key from paper only (the blind second entry) set this False.
    offers_scan = True

    def scan_offered(self) -> bool:
        """Scanning fills a form that is saved as a draft (the scan is kept with it)."""
        return self.offers_scan and not self.save_button.isHidden() and self.save_button.isEnabled()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.scan_button.setVisible(self.offers_scan and not self.save_button.isHidden())

    def open_paper(self) -> PaperPagesDialog | None:
        """Ctrl+Shift+P: the paper form of this saved record (scan, open, its number, the checks)."""
        if not self.offers_scan:
            # The blind second entry keys from the pages the first clerk scanned (found by the independent check:
            # it was told to save a draft it does not have).
            QMessageBox.information(
                self,
                self.tr("Paper form"),
                self.tr("The first clerk scans the paper form; its pages are shown beside the fields as you key."),
            )
            return None
        if self.record_id is None or self._dirty:
            # The pages are kept with a saved draft: save what is typed (even nothing yet), then open the dialog.
            if not self.save_draft(then=self._open_paper_after_save):
                QMessageBox.information(
                    self, self.tr("Paper form"), self.tr("Save the draft first (Ctrl+S), then scan its paper form.")
                )
            return None
        record_id = self.record_id
        dialog = PaperPagesDialog(self.ws, self.actor, record_id, self)
        dialog.changed.connect(lambda: self.load_record(record_id))
        # the page beside the fields follows the pages as they change (pages added without a new version too)
        dialog.pages_changed.connect(lambda: self.paper_pane.load(record_id) if self.record_id == record_id else None)
        dialog.open()
        return dialog

    def _open_paper_after_save(self) -> None:
        self.open_paper()

    def open_scan(self) -> ScanDialog | None:
        """Ctrl+Shift+S: the Scan ID dialog (it keeps its last scan until the form is cleared)."""
        if not self.scan_offered():
            return None
        if self.scan_dialog is None:
            self.scan_dialog = ScanDialog(self.ws, self.actor, self.schema, self.values, self)
            self.scan_dialog.applied.connect(self.apply_scan)
        dialog = self.scan_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if dialog.reading is None and not dialog.reading_in_progress:
            dialog.open_button.setFocus()
        return dialog

    def apply_scan(self, reading: ScanReading, keys: Sequence[str]) -> None:
        """Put the chosen values read from a scan into the form, each marked until the teller confirms it."""
        chosen = [k for k in self.schema.keys if k in keys and k in reading.fill.proposals]
        if not chosen:
            return
        for key in chosen:
            proposal = reading.fill.proposals[key]
            editor = self.editors[key]
            editor.blockSignals(True)
            editor.set_value(proposal.value)
            editor.blockSignals(False)
            self._mark(key, proposal)
        self.pending_scans.append(PendingScan(reading.image_png, dict(reading.meta)))
        self.scan_reading = reading
        image = QImage.fromData(QByteArray(reading.image_png))
        self.scan_pane.show_reading(reading, image)
        self._on_change()
        self.validate()
        self._show_unconfirmed()
        self.window().activateWindow()  # back from the Scan ID window to the form
        self.editors[self._first_to_key(reading, chosen)].focus_widget().setFocus()

    def _first_to_key(self, reading: ScanReading, chosen: Sequence[str]) -> str:
        """Where the teller goes after a fill: the first empty field a note of the scan points to (a Chinese
        passport's name in characters, which its zone does not hold), required ones first; else the first value
        to check."""
        pointed = {note.field for note in reading.fill.notes if note.field in self.editors}
        empty = [k for k in self.schema.keys if k in pointed and not self.editors[k].value().strip()]
        required = [k for k in empty if self.schema.field(k).required]
        return (required or empty or list(chosen))[0]

    def unconfirmed_fields(self) -> list[str]:
        """Fields holding a value read from a scan that the teller has not confirmed yet, in form order."""
        return [k for k in self.schema.keys if k in self.ocr_marks]

    def confirm_field(self, key: str) -> None:
        """The teller checked this value against the document: it is now theirs, the mark goes."""
        if self.ocr_marks.pop(key, None) is None:
            return
        self._unmark(key)
        self._show_unconfirmed()

    def _unmark(self, key: str) -> None:
        self.ocr_hosts[key].setStyleSheet("")
        self.ocr_hosts[key].setToolTip("")
        self.ocr_badges[key].hide()

    def _mark(self, key: str, proposal: Proposal) -> None:
        self.ocr_marks[key] = proposal
        level = proposal.level
        host, badge = self.ocr_hosts[key], self.ocr_badges[key]
        host.setStyleSheet(f"QFrame#{host.objectName()} {{ background: {LEVEL_TINTS[level]}; border-radius: 4px; }}")
        badge.setText(badge_text(proposal.confidence, proposal.verified))
        badge.setStyleSheet(
            f"color: white; background: {LEVEL_COLOURS[level]}; border-radius: 3px; padding: 1px 3px; font-size: 10px;"
        )
        if proposal.verified:
            how = self.tr("confirmed by a check digit or the printed page")
        elif proposal.ocr_field == "document_type":
            how = self.tr("from the document type")
        elif level in (Level.LOW, Level.VERY_LOW):
            how = self.tr("not sure: check it with care")
        else:
            how = self.tr("read clearly")
        tip = (
            self.tr("Read from the scan (%1, %2). Check it against the document: Enter accepts it, typing replaces it.")
            .replace("%1", confidence_text(proposal.confidence, proposal.verified))
            .replace("%2", how)
        )
        host.setToolTip(tip)
        badge.setToolTip(tip)
        badge.show()

    def _field_changed(self, key: str) -> None:
        """Typing over a value read from a scan makes it the teller's own: it no longer needs confirming."""
        proposal = self.ocr_marks.get(key)
        if proposal is None:
            return
        if normalise_value(self.schema.field(key), self.editors[key].value()) != proposal.value:
            self.confirm_field(key)

    def _on_enter(self, widget: QObject) -> None:
        key = self._widget_keys.get(widget)
        if key is not None:
            self.confirm_field(key)

    def _on_focus(self, widget: QObject) -> None:
        key = self._widget_keys.get(widget)
        if self._focused_key is not None and key != self._focused_key:
            self._touched.add(self._focused_key)  # the clerk has been through it: an empty required one is flagged
        self._focused_key = key
        self.scan_pane.view.set_highlight(key)
        self.paper_pane.show_field(key)
        self._show_help(key)
        line = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
        if key is not None and key in self.ocr_marks and isinstance(line, QLineEdit):
            # a value read from a scan is selected, so that typing replaces it instead of appending to it
            QTimer.singleShot(0, line.selectAll)

    def _show_help(self, key: str | None) -> None:
        """The focused field's help, and its problems in full (the line under the field may be cut short)."""
        spec = self.schema.field(key) if key is not None else None
        if spec is None:
            self.help_line.setText("")
            return
        message = self.messages[spec.key]
        problem = message.full_text() if message.isVisibleTo(self) else ""
        text = problem or spec.help(lang())
        self.help_line.setStyleSheet("color: #b00020;" if problem else "color: #33507a;")
        self.help_line.setText(f"{spec.label(lang())}: {text}" if text else "")

    def _labels(self, keys: Sequence[str]) -> list[str]:
        return [self.schema.field(k).label(lang()) for k in keys]

    def _show_unconfirmed(self) -> None:
        unconfirmed = self.unconfirmed_fields()
        self.scan_pane.set_unconfirmed(self._labels(unconfirmed))
        if unconfirmed:
            self.state.setText(self.tr("%n value(s) from the scan to confirm", "", len(unconfirmed)))
        else:
            self.state.setText(self.tr("scan values confirmed"))

    def _refuse_unconfirmed(self, keys: Sequence[str]) -> None:
        """Submitting waits until every value read from a scan is confirmed: say which, and go to the first."""
        text = self.tr(
            "These values were read from the scan and are not confirmed yet: %1.\n\nCheck each against the "
            "document: Tab to it and press Enter to accept it, or correct it. Then submit again."
        ).replace("%1", ", ".join(self._labels(keys)))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Confirm the scanned values"), text, parent=self)
        box.setObjectName("ocr_unconfirmed")
        box.finished.connect(lambda _result: self._focus_first_unconfirmed())
        self.ocr_message = box
        box.open()

    def _focus_first_unconfirmed(self) -> None:
        unconfirmed = self.unconfirmed_fields()
        if unconfirmed:
            self.editors[unconfirmed[0]].focus_widget().setFocus()

    def _attach_pending_scans(self, then: Callable[[bool], None] | None = None) -> None:
        """Keep the scans used on this form with the saved record (off the GUI thread), then `then(all_kept)`; a
        refusal is shown, and the scan is tried again at the next save."""
        if self.record_id is None or not self.pending_scans:
            if then is not None:
                then(self.record_id is not None)
            return
        ws, actor, record_id = self.ws, self.actor, self.record_id
        scans, generation = list(self.pending_scans), self._generation

        def work() -> tuple[int, ServiceError | None]:
            for kept, scan in enumerate(scans):
                try:
                    ws.attachments.attach_scan(actor, record_id, scan.image_png, scan.meta)
                except ServiceError as exc:
                    return kept, exc
            return len(scans), None

        def done(outcome: tuple[int, ServiceError | None]) -> None:
            kept, exc = outcome
            if generation == self._generation:
                del self.pending_scans[:kept]
            if exc is not None:
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    self.tr("Scan not kept"),
                    self.tr("The record was saved, but the scan could not be kept with it: %1").replace(
                        "%1", explain(exc)
                    )
                    + "\n\n"
                    + self.tr("It is tried again at the next save (Ctrl+S)."),
                    parent=self,
                )
                box.open()
            if then is not None:
                then(exc is None)

        Op(self, work).success(done).run()

    def _forget_scans(self) -> None:
        """A new or another record: the marks, the pane and any scan being read belong to the one before."""
        for key in self.ocr_marks:
            self._unmark(key)
        self.ocr_marks.clear()
        self.pending_scans.clear()
        self.scan_reading = None
        self.scan_pane.clear()
        if self.scan_dialog is not None:
            self.scan_dialog.reset()
            self.scan_dialog.hide()

    def autosave(self) -> None:
        """Keep unsaved typing in the background (every few seconds, and before a lock)."""
        if self._autosaved or not self._dirty:
            return
        ws, actor, slot, form_key, values = self.ws, self.actor, self.slot, self.schema.key, self.values()
        self._autosaved = True
        Op(self, lambda: ws.autosave.save(actor, slot, form_key, values)).failure(_log_failure("autosave")).run()

    def autosave_now(self) -> None:
        """Autosave before the screen locks or the window closes: queued on the store's one thread, so it is
        written before the lock or the sign-out that the caller queues next."""
        self.autosave()


def _log_failure(what: str) -> Callable[[BaseException], None]:
    """A failure nobody at the counter can act on: the log says which (the type only, never values)."""
    return lambda exc: log.warning("%s failed: %s", what, type(exc).__name__)


class SummaryDialog(QDialog):
    """What is still wrong before submitting: errors block, warnings may be accepted."""

    def __init__(self, problems: list[Problem], parent: QWidget | None, *, can_submit: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check before submitting"))
        self.chosen_field: str | None = None
        self._fields = [p.field for p in problems]
        listing = QListWidget()
        listing.setObjectName("summary_list")
        listing.setWordWrap(True)  # a long message wraps in the dialog, no sideways scrolling to read it
        listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        listing.setMinimumWidth(520)
        listing.installEventFilter(self)  # Enter on a problem goes to its field (not the dialog's default button)
        listing.itemDoubleClicked.connect(lambda _item: self._go_to(listing.currentRow()))
        self.listing = listing
        form = parent.schema if isinstance(parent, EntryForm) else None
        for problem in problems:
            if problem.field == PAPER_FIELD:
                label = self.tr("Paper form")
            else:
                label = (
                    form.field(problem.field).label(lang()) if form and problem.field in form.keys else problem.field
                )
            marker = "✖" if problem.severity == "error" else "⚠"
            listing.addItem(f"{marker} {label}: {problem.message(lang())}")
        text = (
            self.tr("Correct the errors before submitting.")
            if not can_submit
            else self.tr("Check these warnings against the paper form. Submit anyway?")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            if can_submit
            else QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text))
        layout.addWidget(listing)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _go_to(self, row: int) -> None:
        if 0 <= row < len(self._fields):
            self.chosen_field = self._fields[row]
            self.reject()  # never a submit: the clerk chose to correct this field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.listing
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.listing.currentRow() >= 0
        ):
            self._go_to(self.listing.currentRow())
            return True
        return super().eventFilter(watched, event)

"""The entry form, generated from the form schema: keyboard-first, validated as you type, autosaved."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.lifecycle import EDITABLE, Status
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.validation import Problem, has_errors, validate_record
from desktop_app.services.actor import Actor
from desktop_app.services.autosave import NEW, AutosaveEntry
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.ui.field_widgets import EnterMovesOn, FieldEditor, make_editor
from desktop_app.ui.i18n import lang
from desktop_app.ui.labels import status_label
from desktop_app.ui.messages import show_error
from desktop_app.ui.worker import run_in_background

log = logging.getLogger(__name__)

AUTOSAVE_MS = 5000
VALIDATE_DELAY_MS = 150


class EntryForm(QWidget):
    """Keys one customer record. Ctrl+S saves a draft, Ctrl+Enter submits, Enter moves to the next field."""

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
        self.problems: list[Problem] = []
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self._enter = EnterMovesOn(self)

        self.title = QLabel()
        self.title.setObjectName("form_title")
        self.state = QLabel()
        self.state.setObjectName("form_state")
        self.state.setStyleSheet("color: #555;")
        self.save_button = QPushButton(self.tr("Save draft (Ctrl+S)"))
        self.save_button.setObjectName("save_draft")
        self.submit_button = QPushButton(self.tr("Submit (Ctrl+Enter)"))
        self.submit_button.setObjectName("submit")
        self.new_button = QPushButton(self.tr("New form (Ctrl+N)"))
        for button in (self.save_button, self.submit_button, self.new_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab walks the fields only
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        self.new_button.clicked.connect(self.load_new)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.state)
        top.addWidget(self.new_button)
        top.addWidget(self.save_button)
        top.addWidget(self.submit_button)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        columns = 2
        rows_per_column = (len(self.schema.fields) + columns - 1) // columns
        previous: QWidget | None = None
        for index, spec in enumerate(self.schema.fields):
            column, row = divmod(index, rows_per_column)
            label = QLabel(spec.label(lang()) + (" *" if spec.required else ""))
            label.setObjectName(f"label_{spec.key}")
            if spec.required:
                label.setToolTip(self.tr("Required"))
            editor = make_editor(spec, grid_host)
            editor.changed.connect(self._on_change)
            editor.focus_widget().installEventFilter(self._enter)
            label.setBuddy(editor.focus_widget())
            help_text = spec.help(lang())
            if help_text:
                editor.setToolTip(help_text)
            message = QLabel()
            message.setObjectName(f"message_{spec.key}")
            message.setWordWrap(True)
            message.setStyleSheet("color: #b00020; font-size: 11px;")
            message.hide()
            grid.addWidget(label, row * 2, column * 2, alignment=Qt.AlignmentFlag.AlignRight)
            grid.addWidget(editor, row * 2, column * 2 + 1)
            grid.addWidget(message, row * 2 + 1, column * 2 + 1)
            self.editors[spec.key] = editor
            self.messages[spec.key] = message
            if previous is not None:
                QWidget.setTabOrder(previous, editor.focus_widget())
            previous = editor.focus_widget()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(rows_per_column * 2, 1)  # rows pack at the top instead of spreading out
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        QShortcut(QKeySequence.StandardKey.Save, self, self.save_draft)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+N"), self, self.load_new)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        self.load_new()

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
        self._dirty = True
        self._autosaved = False
        self._validate_timer.start()

    def _set_editable(self, editable: bool) -> None:
        for editor in self.editors.values():
            editor.set_read_only(not editable)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)

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
    def load_new(self) -> None:
        """An empty form for a new customer (defaults from the schema)."""
        self.autosave()
        self.record_id, self.version, self.status = None, None, Status.DRAFT
        self.set_values({spec.key: spec.default for spec in self.schema.fields})
        self._dirty = False
        self._autosaved = True
        self._set_editable(True)
        self._show_state()
        self.editors[self.schema.fields[0].key].focus_widget().setFocus()

    def load_record(self, record_id: str) -> None:
        """Reopen a record; a draft of one's own opens for editing exactly as saved."""
        view = self.ws.records.get(self.actor, record_id)
        self.record_id, self.version, self.status = view.id, view.version, view.status
        self.set_values(dict(view.values))
        self._dirty = False
        self._autosaved = True
        editable = view.status in EDITABLE and not view.masked.intersection(self.editors) and not view.hidden
        self._set_editable(editable)
        returned = self.tr("returned")
        reason = f" — {returned}: {view.reject_reason}" if view.reject_reason else ""
        self._show_state(status_label(view.status) + reason)

    def restore(self, entry: AutosaveEntry) -> None:
        """Bring back autosaved typing (after a crash or a lock)."""
        if entry.slot != NEW:
            self.load_record(entry.slot)
        else:
            self.load_new()
        self.set_values(dict(entry.values))
        self._dirty = True
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
            shown = [p for p in found if p.code != "required" or self._dirty_and_touched(key)]
            severity = "error" if any(p.severity == "error" for p in shown) else ("warning" if shown else None)
            editor.set_problem(severity)
            message = self.messages[key]
            message.setText("\n".join(p.message(lang()) for p in shown))
            message.setVisible(bool(shown))
        return self.problems

    def _dirty_and_touched(self, key: str) -> bool:
        return bool(self.editors[key].value()) or self.record_id is not None

    # --- saving --------------------------------------------------------------------------------------------
    def save_draft(self) -> bool:
        """Save what is typed as a new version of the draft (incomplete values are allowed)."""
        if not self.save_button.isEnabled():
            return False
        try:
            if self.record_id is None:
                result = self.ws.records.create(self.actor, self.values())
            else:
                result = self.ws.records.save(self.actor, self.record_id, self.values(), self.version)
        except ServiceError as exc:
            show_error(self, exc)
            return False
        self.ws.autosave.clear(self.actor, self.slot)
        if self.record_id is None:
            self.ws.autosave.clear(self.actor, NEW)
        self.record_id, self.version, self.status = result.record_id, result.version, result.status
        self._dirty = False
        self._autosaved = True
        self._show_state(self.tr("saved"))
        self.saved.emit(result.record_id)
        return True

    def submit(self) -> None:
        """Save, show a summary of what is still wrong, and send the record on when there are no errors."""
        if not self.submit_button.isEnabled():
            return
        problems = self.validate()
        if has_errors(problems):
            SummaryDialog(problems, self, can_submit=False).exec()
            self._focus_first_problem()
            return
        if problems and SummaryDialog(problems, self, can_submit=True).exec() != QDialog.DialogCode.Accepted:
            return
        if (self._dirty or self.record_id is None) and not self.save_draft():
            return
        assert self.record_id is not None
        try:
            result = self.ws.records.submit(self.actor, self.record_id, self.version)
        except ServiceError as exc:
            show_error(self, exc)
            return
        submitted = result.record_id
        self.submitted.emit(submitted)
        self.load_new()
        self._show_state(self.tr("submitted %1").replace("%1", submitted[:8]))

    def _focus_first_problem(self) -> None:
        for spec in self.schema.fields:
            if any(p.field == spec.key and p.severity == "error" for p in self.problems):
                self.editors[spec.key].focus_widget().setFocus()
                return

    def autosave(self) -> None:
        """Keep unsaved typing in the background (every few seconds, and before a lock)."""
        if self._autosaved or not self._dirty:
            return
        ws, actor, slot, form_key, values = self.ws, self.actor, self.slot, self.schema.key, self.values()
        self._autosaved = True
        run_in_background(
            lambda _p: ws.autosave.save(actor, slot, form_key, values),
            on_error=lambda exc: log.warning("autosave failed: %s", type(exc).__name__),
        )

    def autosave_now(self) -> None:
        """Autosave synchronously (before the screen locks or the window closes)."""
        if self._dirty and not self._autosaved:
            self.ws.autosave.save(self.actor, self.slot, self.schema.key, self.values())
            self._autosaved = True


class SummaryDialog(QDialog):
    """What is still wrong before submitting: errors block, warnings may be accepted."""

    def __init__(self, problems: list[Problem], parent: QWidget | None, *, can_submit: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check before submitting"))
        listing = QListWidget()
        listing.setObjectName("summary_list")
        form = parent.schema if isinstance(parent, EntryForm) else None
        for problem in problems:
            label = form.field(problem.field).label(lang()) if form and problem.field in form.keys else problem.field
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

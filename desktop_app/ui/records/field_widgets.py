"""One editor widget per field type of the form schema, all with the same small interface."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.domain.form_schema import FieldSpec, FieldType
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.ui.common.i18n import lang

_PLACEHOLDERS = {
    FieldType.DATE: "YYYY-MM-DD",
    FieldType.DATE_OR_LONG_TERM: "YYYY-MM-DD",
    FieldType.PHONE: "13800000000",
    FieldType.EMAIL: "name@example.com",
    FieldType.POSTAL_CODE: "100000",
    FieldType.MONEY: "0.00",
    FieldType.PINYIN: "ZHANG SAN",
}


class FieldEditor(QWidget):
    """The editor of one field: value(), set_value(), focus_widget(); `changed` on every edit."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"field_{spec.key}")

    def value(self) -> str:
        raise NotImplementedError

    def set_value(self, value: str) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.focus_widget().setEnabled(not read_only)

    def set_problem(self, severity: str | None) -> None:
        """Outline the editor: red for an error, amber for a warning, none when fine."""
        colour = {"error": "#d32f2f", "warning": "#ef8f00"}.get(severity or "", "")
        widget = self.focus_widget()
        if isinstance(widget, (QLineEdit, QComboBox)) and widget.minimumHeight() != widget.maximumHeight():
            # A style sheet's border gives the editor another size hint than the platform style's: kept at its
            # own height, an outlined field never moves the rows around it (the independent check saw 2-4 px).
            widget.setFixedHeight(widget.sizeHint().height())
        widget.setStyleSheet(f"border: 2px solid {colour}; border-radius: 3px;" if colour else "")


class LineEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"edit_{spec.key}")
        if spec.max_length:
            self.edit.setMaxLength(spec.max_length)
        self.edit.setPlaceholderText(_PLACEHOLDERS.get(spec.type, ""))
        self.edit.textChanged.connect(self.changed)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: str) -> None:
        self.edit.setText(value)

    def focus_widget(self) -> QWidget:
        return self.edit


class LongTermDateEditor(LineEditor):
    """A date, or 长期 (long term) ticked with the box or typed (also 'cq')."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.long_term = QCheckBox(self.tr("Long term (长期)"), self)
        self.long_term.setObjectName(f"longterm_{spec.key}")
        self.long_term.toggled.connect(self._toggled)
        self.row.addWidget(self.long_term)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(not on)
        self.changed.emit()

    def value(self) -> str:
        if self.long_term.isChecked():
            return LONG_TERM
        text = self.edit.text()
        return LONG_TERM if text.strip().lower() == "cq" else text

    def set_value(self, value: str) -> None:
        self.long_term.setChecked(value == LONG_TERM)
        self.edit.setText("" if value == LONG_TERM else value)


class TextAreaEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName(f"edit_{spec.key}")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(56)
        self.edit.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: str) -> None:
        self.edit.setPlainText(value)

    def focus_widget(self) -> QWidget:
        return self.edit


class ChoiceEditor(FieldEditor):
    """A combo box with type-ahead: type part of a label (Chinese or English) or the code, Enter accepts."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"edit_{spec.key}")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # long labels (the CRS choices) must not widen the form past a 1366-pixel screen
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        self.combo.addItem("", "")
        current = lang()
        for choice in spec.choices:
            self.combo.addItem(choice.label_text.with_other(current), choice.value)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.currentIndexChanged.connect(self.changed)
        self.combo.editTextChanged.connect(self.changed)
        self.combo.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Home and End go to the first and the last choice, as in a fixed (non-editable) combo box; in the
        # type-ahead text they only moved the cursor, so "End, Up, Up" left the field blank without a word.
        if (
            watched is self.combo
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End)
            and not self.combo.view().isVisible()
            and self.combo.count() > 1
        ):
            self.combo.setCurrentIndex(1 if event.key() == Qt.Key.Key_Home else self.combo.count() - 1)
            return True
        return super().eventFilter(watched, event)

    def value(self) -> str:
        text = self.combo.currentText().strip()
        if not text:
            return ""
        index = self.combo.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            return str(self.combo.itemData(index))
        return text  # a typed code or label: the normaliser maps labels to values, the validator reports others

    def set_value(self, value: str) -> None:
        index = self.combo.findData(value)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(value)

    def focus_widget(self) -> QWidget:
        return self.combo


def make_editor(spec: FieldSpec, parent: QWidget | None = None) -> FieldEditor:
    """The editor for a field's type."""
    if spec.type is FieldType.CHOICE:
        return ChoiceEditor(spec, parent)
    if spec.type is FieldType.TEXTAREA:
        return TextAreaEditor(spec, parent)
    if spec.type is FieldType.DATE_OR_LONG_TERM:
        return LongTermDateEditor(spec, parent)
    return LineEditor(spec, parent)


class EnterMovesOn(QObject):
    """Enter (without Ctrl) in a field moves to the next field, as on the paper form."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                widget = watched if isinstance(watched, QWidget) else None
                if widget is not None:
                    popup = isinstance(widget, QComboBox) and widget.view().isVisible()
                    if not popup:
                        widget.focusNextChild()
                        return True
        return False

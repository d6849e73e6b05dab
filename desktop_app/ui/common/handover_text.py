"""A secret handed over on paper or by hand (a temporary password, the recovery code): shown large, with Copy and,
where it goes to the branch safe, Print (to a printer or a PDF)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# Characters that read alike on paper or in a small font (l, I, 1; O, 0) are left out of what we generate.
UNAMBIGUOUS_LETTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
UNAMBIGUOUS_DIGITS = "23456789"


class HandoverText(QWidget):
    """The secret in a large fixed-width font, selectable, with Copy (and Print when `title` is given).
    Signals: `copied()`, `printed()`."""

    copied = Signal()
    printed = Signal()

    def __init__(self, text: str, *, print_title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text, self.print_title = text, print_title
        self.shown = QLabel(text)
        self.shown.setObjectName("handover_text")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSize(14)
        self.shown.setFont(font)
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setObjectName("handover_copy")
        self.copy_button.setToolTip(self.tr("Copy to the clipboard (Alt+C)"))
        self.copy_button.clicked.connect(self.copy)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("handover_print")
        self.print_button.setToolTip(self.tr("Print on paper or to a PDF file (Alt+P)"))
        self.print_button.clicked.connect(self.ask_and_print)
        self.print_button.setVisible(bool(print_title))
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.shown)
        layout.addLayout(row)

    def copy(self) -> None:
        """Put the secret on the clipboard."""
        QGuiApplication.clipboard().setText(self.text)
        self.copy_button.setText(self.tr("Copied"))
        self.copied.emit()

    def ask_and_print(self) -> None:
        """The print dialog (a printer or a PDF file), then the page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("handover_print_dialog")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """One page: the title, the secret large, and the date line to fill in by hand."""
        signed = self.tr("Date: ____________    Signed: ____________")
        page = QTextDocument()
        page.setDefaultFont(QFont("sans-serif", 11))
        html = (
            f"<h2>{_escape(self.print_title)}</h2>"
            f"<p style='font-family: monospace; font-size: 20pt;'>{_escape(self.text)}</p>"
            f"<p>{_escape(signed)}</p>"
        )
        page.setHtml(html)
        page.print_(printer)
        self.printed.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HandoverDialog(QDialog):
    """A message and a secret with Copy (and Print): e.g. the temporary password of a new user."""

    def __init__(self, parent: QWidget | None, title: str, message: str, text: str, *, print_title: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        note = QLabel(message)
        note.setWordWrap(True)
        self.secret = HandoverText(text, print_title=print_title, parent=self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.secret)
        layout.addWidget(buttons)
        self.secret.copy_button.setFocus()

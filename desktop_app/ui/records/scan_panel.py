"""Scan ID: the dialog that takes a scan (a file, a drop, the clipboard or the scanner folder's newest file), reads
it off the GUI thread and shows the document with a box round each field it read; the pane beside the entry form
that keeps the document in view while the teller confirms the values; and the attached scans a supervisor or an
auditor looks at. Rules (who may see a scan, what a value may be) are the services'."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QImage,
    QImageWriter,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.services.actor import Actor
from desktop_app.services.attachments import ScanField, ScanInfo
from desktop_app.services.scan_fill import (
    SCAN_SUFFIXES,
    Level,
    Proposal,
    ScanReading,
    conflicts,
    level_of,
    newest_scan,
    read_scan,
)
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time
from desktop_app.ui.common.messages import explain
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.worker import LatestOnly, run_in_background

Box = tuple[int, int, int, int]

#: Box and badge colours: green checked, blue read well, orange and red to check with care.
LEVEL_COLOURS: dict[Level, str] = {
    Level.VERIFIED: "#2e7d32",
    Level.OK: "#1565c0",
    Level.LOW: "#e65100",
    Level.VERY_LOW: "#c62828",
}
#: The tint behind a form field filled from a scan.
LEVEL_TINTS: dict[Level, str] = {
    Level.VERIFIED: "#e6f4e7",
    Level.OK: "#e3effc",
    Level.LOW: "#ffedd9",
    Level.VERY_LOW: "#fde3e3",
}


def document_label(document_type: str | None) -> str:
    """The translated name of a recognised document type."""
    labels = {
        "cn_id_front": QCoreApplication.translate("ScanPanel", "Resident ID card, portrait side"),
        "cn_id_back": QCoreApplication.translate("ScanPanel", "Resident ID card, emblem side"),
        "mrz_td3": QCoreApplication.translate("ScanPanel", "Passport"),
        "mrz_td1": QCoreApplication.translate("ScanPanel", "Identity card (machine-readable zone TD1)"),
        "mrz_td2": QCoreApplication.translate("ScanPanel", "Identity card or visa (machine-readable zone TD2)"),
    }
    if document_type is None:
        return QCoreApplication.translate("ScanPanel", "No document recognised")
    return labels.get(document_type, document_type)


def confidence_text(confidence: float, verified: bool) -> str:
    """ "97%", with a tick when a check digit or cross-check confirmed the value."""
    return f"{round(confidence * 100)}%" + (" ✓" if verified else "")


def badge_text(confidence: float, verified: bool) -> str:
    """The short badge on a form field filled from a scan: "OCR 93%", or "OCR ✓" once a check confirmed it."""
    return "OCR ✓" if verified else f"OCR {round(confidence * 100)}%"


def legend(separator: str = " &nbsp; ") -> str:
    """Rich text naming the box colours (one line; "<br>" as the separator for a narrow place)."""
    parts = (
        (Level.VERIFIED, QCoreApplication.translate("ScanPanel", "confirmed by a check digit or the printed page")),
        (Level.OK, QCoreApplication.translate("ScanPanel", "read clearly")),
        (Level.LOW, QCoreApplication.translate("ScanPanel", "check with care")),
    )
    return separator.join(f"<span style='color:{LEVEL_COLOURS[level]}'>■</span> {text}" for level, text in parts)


@dataclass(frozen=True)
class BoxMark:
    """A box drawn on the document: where the fields are, how sure the reader was, and the tag shown on it."""

    box: Box
    level: Level
    form_fields: tuple[str, ...]
    tag: str


def box_marks(fields: Iterable[ScanField], schema: FormSchema) -> list[BoxMark]:
    """One mark per box (fields read from one line share it), for the fields that filled the form."""
    groups: dict[Box, list[ScanField]] = {}
    for found in fields:
        if found.box is not None and found.form_fields:
            groups.setdefault(found.box, []).append(found)
    marks = []
    for box, group in groups.items():
        keys = tuple(dict.fromkeys(k for f in group for k in f.form_fields if k in schema.keys))
        if not keys:
            continue
        confidence = min(f.confidence for f in group)
        verified = all(f.verified for f in group)
        labels = " / ".join(schema.field(k).label(lang()) for k in keys)
        marks.append(
            BoxMark(box, level_of(confidence, verified), keys, f"{labels} {confidence_text(confidence, verified)}")
        )
    return marks


def shown_value(schema: FormSchema, key: str, value: str) -> str:
    """A proposed value as the teller reads it: a choice by its label alone (never its code), long term in
    words."""
    spec = schema.field(key)
    choice = spec.choice(value) if spec.choices else None
    if choice is not None:
        return choice.label(lang())
    return QCoreApplication.translate("ScanPanel", "long term") if value == LONG_TERM else value


class ScanImageView(QWidget):
    """The document image, scaled to fit, with a coloured box round each field read. The box of the field the
    teller is on is drawn stronger, with its tag; with `all_tags` every box carries its tag."""

    def __init__(self, parent: QWidget | None = None, *, all_tags: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("scan_image")
        self.image: QImage | None = None
        self.marks: list[BoxMark] = []
        self.highlight: str | None = None
        self.all_tags = all_tags
        self.placeholder = self.tr("No scan yet")
        self.setMinimumSize(240, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def hasHeightForWidth(self) -> bool:
        return self.image is not None

    def heightForWidth(self, width: int) -> int:
        if self.image is None:
            return super().heightForWidth(width)
        return round((width - 8) * self.image.height() / max(1, self.image.width())) + 8

    def set_scan(self, image: QImage | None, marks: Sequence[BoxMark] = ()) -> None:
        self.image = image if image is not None and not image.isNull() else None
        self.marks = list(marks)
        self.updateGeometry()
        self.update()

    def set_highlight(self, form_field: str | None) -> None:
        """Draw the box of this form field stronger (None: none)."""
        if form_field != self.highlight:
            self.highlight = form_field
            self.update()

    def image_rect(self) -> QRectF:
        """Where the image is drawn: scaled to fit, centred, its proportions kept."""
        if self.image is None:
            return QRectF()
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        scale = min(area.width() / self.image.width(), area.height() / self.image.height())
        width, height = self.image.width() * scale, self.image.height() * scale
        return QRectF(area.center().x() - width / 2, area.center().y() - height / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#eeeeee"))
        if self.image is None:
            painter.setPen(QColor("#777777"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        target = self.image_rect()
        painter.drawImage(target, self.image)
        scale = target.width() / self.image.width()
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        placed: list[QRectF] = []
        # the highlighted box last, so that it and its tag are on top
        for mark in sorted(self.marks, key=lambda m: self.highlight in m.form_fields):
            left, top, right, bottom = mark.box
            rect = QRectF(
                target.x() + left * scale, target.y() + top * scale, (right - left) * scale, (bottom - top) * scale
            ).adjusted(-2, -2, 2, 2)
            colour = QColor(LEVEL_COLOURS[mark.level])
            strong = self.highlight in mark.form_fields
            fill = QColor(colour)
            fill.setAlpha(70 if strong else 22)
            painter.setPen(QPen(colour, 3 if strong else 1.5))
            painter.setBrush(fill)
            painter.drawRect(rect)
            if not (strong or self.all_tags):
                continue
            width, height = metrics.horizontalAdvance(mark.tag) + 8, metrics.height() + 2
            tag = self._place_tag(rect, target, width, height, [] if strong else placed)
            placed.append(tag)
            painter.fillRect(tag, colour)
            painter.setPen(QColor("white"))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, mark.tag)

    @staticmethod
    def _place_tag(box: QRectF, bounds: QRectF, width: float, height: float, taken: Sequence[QRectF]) -> QRectF:
        """Where a box's tag goes: above it, else below it, else further up, clear of the tags already placed
        (fields on one line of a machine-readable zone sit side by side)."""
        candidates = [box.top() - height - 1, box.bottom() + 1]
        candidates += [box.top() - (height + 1) * step for step in range(2, 8)]
        tag = QRectF(0, 0, width, height)
        for top in candidates:
            tag.moveTopLeft(box.topLeft())
            tag.moveTop(top)
            if tag.right() > bounds.right():
                tag.moveRight(bounds.right())
            if tag.top() >= bounds.top() - height and not any(tag.intersects(other) for other in taken):
                return tag
        tag.moveTop(box.top() - height - 1)
        return tag


def _image_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    return bytes(buffer.data().data())


def _decoded(reading: ScanReading) -> tuple[ScanReading, QImage]:
    """The reading with its image decoded (QImage is safe to build off the GUI thread)."""
    return reading, QImage.fromData(QByteArray(reading.image_png))


class ScanDialog(QDialog):
    """Takes a scan and reads it in the background (the form stays usable); shows the document with its boxes and
    the values read. Space ticks or unticks a value, Enter fills the form: `applied(reading, field keys)`."""

    applied = Signal(object, list)

    def __init__(
        self,
        ws: Workstation,
        actor: Actor,
        schema: FormSchema,
        current_values: Callable[[], Mapping[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.schema = ws, actor, schema
        self._current_values = current_values
        self.reading: ScanReading | None = None
        self.keys: list[str] = []
        self._generation = 0
        self.setObjectName("scan_dialog")
        self.setWindowTitle(self.tr("Scan ID document"))
        self.setModal(False)
        self.setAcceptDrops(True)
        self.resize(1100, 620)

        self.open_button = QPushButton(self.tr("Open file… (Ctrl+O)"))
        self.open_button.setObjectName("scan_open")
        self.paste_button = QPushButton(self.tr("Paste image (Ctrl+V)"))
        self.paste_button.setObjectName("scan_paste")
        self.newest_button = QPushButton(self.tr("Newest from scanner folder (Ctrl+R)"))
        self.newest_button.setObjectName("scan_newest")
        self.open_button.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste)
        self.newest_button.clicked.connect(self.newest)
        hint = QLabel(self.tr("…or drop a scan (image or PDF) on this window."))
        hint.setStyleSheet("color: #555;")
        sources = QHBoxLayout()
        for button in (self.open_button, self.paste_button, self.newest_button):
            sources.addWidget(button)
        sources.addWidget(hint, 1)

        self.busy = QProgressBar()
        self.busy.setObjectName("scan_busy")
        self.busy.setRange(0, 0)  # no steps to count: an indicator that work goes on
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.status = QLabel(
            self.tr("Scan the ID card (each side) or the passport's photo page, then open, paste or drop the scan.")
        )
        self.status.setObjectName("scan_status")
        self.status.setWordWrap(True)

        self.view = ScanImageView()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("scan_values")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Value read"), self.tr("Sure"), self.tr("Note")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._highlight_row(row))
        self.notes = QLabel()
        self.notes.setObjectName("scan_notes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #7a4a00;")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.notes)
        legend_label = QLabel(legend())
        right_layout.addWidget(legend_label)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 520])

        self.fill_button = QPushButton(self.tr("Fill the form (Enter)"))
        self.fill_button.setObjectName("scan_fill")
        self.fill_button.setEnabled(False)
        self.fill_button.clicked.connect(self.fill)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.fill_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(sources)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste)
        QShortcut(QKeySequence("Ctrl+R"), self, self.newest)

    # --- where the scan comes from ---------------------------------------------------------------------------------
    def _with_scanner_folder(self, then: Callable[[str], None]) -> None:
        """Read the scanner folder setting off the GUI thread, then `then(folder)` ("" when not set or unreadable)."""
        ws, actor = self.ws, self.actor
        op = Op(self, lambda: str(ws.settings.get(actor, "scanner_folder") or ""))
        op.success(then).failure(lambda _exc: then("")).run()

    def choose_file(self) -> None:
        """Ctrl+O: pick an image or PDF (starting in the scanner folder)."""
        self._with_scanner_folder(self._choose_file_in)

    def _choose_file_in(self, folder: str) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a scan"),
            folder,
            self.tr("Scans (%1);;All files (*)").replace("%1", " ".join(f"*{s}" for s in sorted(SCAN_SUFFIXES))),
        )
        if name:
            self.start_file(Path(name))

    def paste(self) -> None:
        """Ctrl+V: an image on the clipboard (a screenshot, a copied scan) or a copied file."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.start_image(image)
                return
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime is not None else []
        if files:
            self.start_file(files[0])
            return
        self._say(self.tr("The clipboard holds no image. Copy the scan (or its file) first, then paste."), error=True)

    def newest(self) -> None:
        """Ctrl+R: the newest image or PDF in the scanner folder set by the administrator."""
        self._with_scanner_folder(self._newest_in)

    def _newest_in(self, folder: str) -> None:
        if not folder:
            self._say(
                self.tr("No scanner folder is set for this workstation. An administrator sets it under Settings."),
                error=True,
            )
            return
        self.start(lambda: newest_scan(Path(folder)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if files:
            self.start_file(files[0])
        elif mime.hasImage():
            self.start_image(QImage(mime.imageData()))
        event.acceptProposedAction()

    def start_file(self, path: Path) -> None:
        """Read the scan in this file (image or PDF)."""
        self.start(lambda: path)

    def start_image(self, image: QImage) -> None:
        """Read this image (pasted or dropped)."""
        data = _image_bytes(image)
        self.start(lambda: data)

    # --- reading ---------------------------------------------------------------------------------------------------
    def start(self, source: Callable[[], Path | bytes]) -> None:
        """Read a scan in the background; a newer scan replaces one still being read."""
        self._generation += 1
        generation = self._generation
        schema = self.schema
        self._clear()
        self.busy.show()
        self._say(self.tr("Reading the document… you can go on typing in the form meanwhile."))
        run_in_background(
            lambda _progress: _decoded(read_scan(source(), schema)),
            on_result=lambda result: self._show(generation, result),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def reset(self) -> None:
        """Forget the scan (a new form): a reading still under way is dropped when it arrives."""
        self._generation += 1
        self._clear()
        self.busy.hide()
        self._say(
            self.tr("Scan the ID card (each side) or the passport's photo page, then open, paste or drop the scan.")
        )

    @property
    def reading_in_progress(self) -> bool:
        """True while a scan is being read."""
        return not self.busy.isHidden()

    def _clear(self) -> None:
        self.reading = None
        self.keys = []
        self.view.set_scan(None)
        self.table.setRowCount(0)
        self.notes.clear()
        self.fill_button.setEnabled(False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        self._say(explain(exc), error=True)
        self.open_button.setFocus()

    def _show(self, generation: int, result: tuple[ScanReading, QImage]) -> None:
        if generation != self._generation:
            return
        reading, image = result
        self.busy.hide()
        self.reading = reading
        fill = reading.fill
        self.view.set_scan(image, box_marks(reading.fields, self.schema))
        current = self._current_values()
        typed = set(conflicts(self.schema, fill, current))
        self.keys = list(fill.proposals)
        self.table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            self._fill_row(row, key, fill.proposals[key], key in typed, current.get(key, ""))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 260))  # a long address: the tooltip has it all
        self.table.horizontalHeader().setStretchLastSection(True)
        self.notes.setText("\n".join("• " + note.message(lang()) for note in fill.notes))
        if fill.document_type is None:
            self._say(
                self.tr(
                    "No ID document was recognised on this scan. Check that the whole card (or the passport's photo "
                    "page) is on it, the right way up and sharp, then scan again — or key the values by hand."
                ),
                error=True,
            )
            self.open_button.setFocus()
            return
        if not self.keys:
            self._say(
                self.tr("%1: nothing on it fits the form's fields. Key the values by hand.").replace(
                    "%1", document_label(fill.document_type)
                ),
                error=True,
            )
            self.open_button.setFocus()
            return
        self._say(
            self.tr(
                "%1. Check the values; Space ticks or unticks one; Enter fills the ticked ones into the form."
            ).replace("%1", document_label(fill.document_type))
        )
        self.fill_button.setEnabled(True)
        self.fill_button.setDefault(True)
        self.table.setFocus()
        self.table.setCurrentCell(0, 0)

    def _fill_row(self, row: int, key: str, proposal: Proposal, typed: bool, current: str) -> None:
        spec = self.schema.field(key)
        name = QTableWidgetItem(spec.label(lang()))
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        ticked = proposal.pre_accepted and not typed
        name.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        name.setData(Qt.ItemDataRole.UserRole, key)
        value = QTableWidgetItem(shown_value(self.schema, key, proposal.value))
        sure = QTableWidgetItem(confidence_text(proposal.confidence, proposal.verified))
        sure.setForeground(QColor(LEVEL_COLOURS[proposal.level]))
        if typed:
            note = self.tr("replaces what is typed: %1").replace("%1", shown_value(self.schema, key, current))
        elif proposal.ocr_field == "document_type":
            note = self.tr("from the document type")
        elif proposal.verified:
            note = self.tr("confirmed by a check digit or the printed page")
        elif proposal.level in (Level.LOW, Level.VERY_LOW):
            note = self.tr("check with care")
        else:
            note = ""
        for column, item in enumerate((name, value, sure, QTableWidgetItem(note))):
            if column:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip(item.text())
            self.table.setItem(row, column, item)

    def _highlight_row(self, row: int) -> None:
        self.view.set_highlight(self.keys[row] if 0 <= row < len(self.keys) else None)

    def checked_keys(self) -> list[str]:
        """The fields ticked to be filled in."""
        found = []
        for row, key in enumerate(self.keys):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                found.append(key)
        return found

    def fill(self) -> None:
        """Enter: put the ticked values into the form and close, ready for the next scan (the other side)."""
        if self.reading is None:
            return
        keys = self.checked_keys()
        if not keys:
            self._say(self.tr("Tick at least one value to fill in (Space), or close."), error=True)
            return
        reading = self.reading
        self.reset()  # a scan fills the form once: it is not kept twice
        self._say(self.tr("Filled into the form. Scan the other side or another document, or close."))
        self.applied.emit(reading, keys)
        self.accept()


class ScanPane(QFrame):
    """Beside the entry form: the scanned document with its boxes while the teller confirms the values read."""

    def __init__(self, schema: FormSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.setObjectName("scan_pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setObjectName("scan_pane_title")
        self.title.setWordWrap(True)
        self.view = ScanImageView()
        self.view.setMinimumSize(260, 160)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.view.setSizePolicy(policy)
        self.to_confirm = QLabel()
        self.to_confirm.setObjectName("scan_to_confirm")
        self.to_confirm.setWordWrap(True)
        help_text = QLabel(
            self.tr(
                "Check each marked field against the document: Tab to it, Enter accepts it; typing over it makes it "
                "your own value."
            )
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        legend_label = QLabel(legend("<br>"))
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        layout.addWidget(legend_label)
        layout.addWidget(self.to_confirm)
        layout.addWidget(help_text)
        layout.addStretch(1)
        self.setMinimumWidth(280)
        self.hide()

    def show_reading(self, reading: ScanReading, image: QImage | None) -> None:
        self.title.setText(f"<b>{document_label(reading.fill.document_type)}</b>")
        self.view.set_scan(image, box_marks(reading.fields, self.schema))
        self.show()

    def set_unconfirmed(self, labels: Sequence[str]) -> None:
        if labels:
            self.to_confirm.setText(
                self.tr("Still to confirm (%1): %2").replace("%1", str(len(labels))).replace("%2", ", ".join(labels))
            )
            self.to_confirm.setStyleSheet(f"color: {LEVEL_COLOURS[Level.LOW]}; font-weight: bold;")
        else:
            self.to_confirm.setText(self.tr("Every value from the scan is confirmed."))
            self.to_confirm.setStyleSheet(f"color: {LEVEL_COLOURS[Level.VERIFIED]};")

    def clear(self) -> None:
        self.view.set_scan(None)
        self.hide()


class AttachedScans(QWidget):
    """A record's attached scans, for its maker, a supervisor or an auditor (the service decides). The list is
    read when the record is chosen; an image, whose every viewing is audited, only when this is on screen."""

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.record_id: str | None = None
        self.scans: list[ScanInfo] = []
        self._loaded: tuple[str, int] | None = None
        self._latest = LatestOnly()
        self.setObjectName("attached_scans")
        self.choice = QComboBox()
        self.choice.setObjectName("attached_scan_choice")
        self.choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.choice.currentIndexChanged.connect(lambda _i: self._load_current())
        self.message = QLabel()
        self.message.setObjectName("attached_scan_message")
        self.message.setWordWrap(True)
        self.view = ScanImageView(all_tags=True)
        self.view.placeholder = self.tr("No scan is attached to this record.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(QLabel(legend()))
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)

    def set_record(self, record_id: str | None, scans: Sequence[ScanInfo] = ()) -> int:
        """Show this record's `scans`, as read off the GUI thread with the record (None: none); returns how many
        there are."""
        self.record_id = record_id
        self.scans = list(scans) if record_id is not None else []
        self._loaded = None
        self.message.clear()
        self.view.set_scan(None)
        self.choice.blockSignals(True)
        self.choice.clear()
        by = self.tr("by")
        for number, scan in enumerate(self.scans, start=1):
            self.choice.addItem(
                f"{number}. {document_label(scan.document_type)} · v{scan.version} · {by} {scan.created_by} · "
                f"{local_time(scan.created_at)}"
            )
        self.choice.blockSignals(False)
        self.choice.setVisible(bool(self.scans))
        if self.scans:
            self.choice.setCurrentIndex(len(self.scans) - 1)  # the latest
            self._load_current()
        return len(self.scans)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._load_current()

    def _load_current(self) -> None:
        index = self.choice.currentIndex()
        if not self.isVisible() or self.record_id is None or not 0 <= index < len(self.scans):
            return
        scan = self.scans[index]
        if self._loaded == (self.record_id, scan.id):
            return
        self._loaded = (self.record_id, scan.id)
        ws, actor, record_id = self.ws, self.actor, self.record_id
        self.message.setText(self.tr("loading…"))

        def shown(image: QImage) -> None:
            self.message.clear()
            self.view.set_scan(image, box_marks(scan.fields, ws.form))

        def failed(exc: Exception) -> None:
            self._loaded = None
            self.message.setText(explain(exc))

        self._latest.run(
            lambda _p: QImage.fromData(QByteArray(ws.attachments.scan_image(actor, record_id, scan.id))),
            on_result=shown,
            on_error=failed,
        )

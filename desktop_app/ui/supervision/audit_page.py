"""The audit viewer (auditors and supervisors): filter by user, action, record and local calendar days, newest
first and paged as the table scrolls; the selected entry's details pretty-printed below; "Verify the chain"
(auditors: AUDIT_VERIFY) and "Export…" of every matching entry, both in the background.

Keys: Ctrl+F to the filter, Enter applies it, F5 reads again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.duplicate_evidence import reason_text
from desktop_app.domain.form_schema import FormSchema, load_default_form
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.reject_reasons import reason_in
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.audit_log import (
    AuditExportCancelled,
    AuditFilter,
    AuditItem,
    ChainReport,
    local_day_bounds,
)
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import (
    actor_label,
    audit_action_label,
    detail_key_label,
    local_time_iso,
    role_label,
    setting_label,
    setting_value_label,
    source_label,
    status_label,
)
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.paged_model import PagedTableModel
from desktop_app.ui.common.worker import Cancelled, LatestOnly, Operation, Progress, run_in_background
from desktop_app.ui.records.export_dialog import default_folder

PAGE = 200
COLUMNS = ("seq", "ts", "actor", "action", "record", "details")
WIDTHS = (64, 150, 110, 170, 270)  # details takes the rest


_STATUS_KEYS = frozenset({"status", "from_status", "to_status", "from", "to"})
# details whose values are field keys of the form: shown by the fields' labels
_FIELD_KEYS = frozenset({"changed", "fields", "unmasked", "hidden", "differences", "field", "mapped"})
KEY_STORAGE_WORDS: dict[str, str] = {
    "keyring": str(QT_TRANSLATE_NOOP("AuditDetail", "the system's credential store")),
    "passphrase": str(QT_TRANSLATE_NOOP("AuditDetail", "a passphrase")),
}


@cache
def _form() -> FormSchema:
    return load_default_form()


def field_label(key: str) -> str:
    """A field key of the form by its label in the UI language; an unknown key as it is."""
    form = _form()
    return form.field(key).label(lang()) if key in form.keys else key


def detail_value(key: str, value: object) -> str:
    """One detail's value in words: statuses, roles, fields and the form by their names, lists joined, yes/no
    for flags."""
    if isinstance(value, bool):
        if value:
            return QCoreApplication.translate("AuditDetail", "yes")
        return QCoreApplication.translate("AuditDetail", "no")
    if value is None:
        return "—"
    if key in _STATUS_KEYS and isinstance(value, str) and value in {s.value for s in Status}:
        return status_label(value)
    if key in _FIELD_KEYS and isinstance(value, str):
        return field_label(value)
    if key in {"source", "from"} and isinstance(value, str) and source_label(value) != value:
        return source_label(value)
    if key == "reason" and isinstance(value, str):
        return reason_in(value, lang())
    if key == "form" and value == _form().key:
        return _form().title(lang())
    roles = {role.value for role in Role}
    if isinstance(value, str) and value and all(part.strip() in roles for part in value.split(",")):
        return ", ".join(role_label(part.strip()) for part in value.split(","))  # roles stored as "a,b"
    if key == "roles" and isinstance(value, list):
        return ", ".join(role_label(r) if r in roles else str(r) for r in value)
    if key == "key_storage" and value in KEY_STORAGE_WORDS:
        return QCoreApplication.translate("AuditDetail", KEY_STORAGE_WORDS[str(value)])
    if isinstance(value, list):
        if not value:  # "differences: " with nothing after it read as a fault (the re-check of issue 13)
            return QCoreApplication.translate("AuditDetail", "none")
        return ", ".join(detail_value(key, v) for v in value)
    if key == "decisions" and isinstance(value, dict):  # a reconciliation: which entry each field took
        return ", ".join(f"{field_label(str(k))}: {_choice_label(str(v))}" for k, v in sorted(value.items()))
    if key == "candidates" and isinstance(value, dict):  # record id: why it looks like the same person
        return ", ".join(
            f"{k} ({'; '.join(reason_text(str(c)).render(lang()) for c in v) if isinstance(v, list) else v})"
            for k, v in value.items()
        )
    if isinstance(value, dict):
        return ", ".join(f"{detail_key_label(str(k))}: {detail_value(str(k), v)}" for k, v in sorted(value.items()))
    return str(value)


def _choice_label(choice: str) -> str:
    """A reconciliation decision's code in words (the codes of services/dual_entry.Decision)."""
    words = {
        "first": QCoreApplication.translate("AuditDetail", "entry 1"),
        "second": QCoreApplication.translate("AuditDetail", "entry 2"),
        "other": QCoreApplication.translate("AuditDetail", "a value typed by the resolver"),
    }
    return words.get(choice, choice)


def detail_lines(details: dict[str, object], action: str = "") -> list[str]:
    """The details as "key: value" lines, in words, sorted by key; a setting change names the setting and its
    values as the Settings page does."""
    setting = str(details.get("key", "")) if action == "settings.change" else ""
    lines = []
    for key, value in sorted(details.items(), key=lambda kv: (not setting or kv[0] != "key", kv[0])):
        label = detail_key_label(key)
        if setting and key == "key":
            text = setting_label(setting)
        elif setting and key in {"from", "to"}:
            text = setting_value_label(setting, value) or detail_value("value", value)
        else:
            text = detail_value(key, value)
            if key == "from" and isinstance(value, str) and source_label(value) != value:
                label = detail_key_label("source")  # a form number "from" the barcode: where, not an old value
        lines.append(f"{label}: {text}")
    return lines


def summary(details: dict[str, object], action: str = "") -> str:
    """The details on one line for the table (the pane below shows them in full)."""
    return " · ".join(detail_lines(details, action))


def pretty(details: dict[str, object], action: str = "") -> str:
    """The details as one "key: value" line each, for the details pane."""
    return "\n".join(detail_lines(details, action))


def _code(combo: QComboBox) -> str:
    """What a filter combo stands for: the code behind a chosen label, else the text typed."""
    text = combo.currentText().strip()
    index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    code = combo.itemData(index) if index > 0 else None
    return str(code) if code else text


class AuditModel(PagedTableModel[AuditItem]):
    """Audit entries for one filter, newest first, a page at a time (before_seq). `loaded(rows shown)`."""

    columns = COLUMNS
    page_size = PAGE

    def __init__(self, ws: Workstation, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.filter = AuditFilter(limit=PAGE)
        self.headers = {
            "seq": self.tr("#"),
            "ts": self.tr("When"),
            "actor": self.tr("Who"),
            "action": self.tr("Action"),
            "record": self.tr("Record"),
            "details": self.tr("Details"),
        }

    def set_filter(self, flt: AuditFilter) -> None:
        """Show the entries matching `flt`, from the newest."""
        self.filter = flt
        self.reload()

    def page_work(self, after: AuditItem | None, offset: int) -> Callable[[], list[AuditItem]]:
        flt = AuditFilter(
            actor=self.filter.actor,
            action=self.filter.action,
            record_id=self.filter.record_id,
            since=self.filter.since,
            until=self.filter.until,
            before_seq=after.seq if after is not None else None,
            limit=PAGE,
        )
        ws, actor = self.ws, self.actor
        return lambda: ws.audit.entries(actor, flt)

    def row_key(self, row: AuditItem) -> int:
        return row.seq

    @staticmethod
    def text(item: AuditItem, column: str) -> str:
        """The text of one cell."""
        if column == "seq":
            return str(item.seq)
        if column == "ts":
            return local_time_iso(item.ts)
        if column == "actor":
            return actor_label(item.actor)
        if column == "action":
            return audit_action_label(item.action)
        if column == "record":
            return item.record_id or ""
        return summary(item.details, item.action)

    def cell_data(self, item: AuditItem, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "seq":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AuditPage(QWidget):
    """The audit viewer. Signals: `loaded(rows shown)`, `counted(matching entries)`, `verified(ChainReport or
    the error)`, `exported(entries written or the error)`."""

    loaded = Signal(int)
    counted = Signal(int)
    verified = Signal(object)
    exported = Signal(object)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self._counts = LatestOnly()
        self._verify: Operation | None = None
        self._export: Operation | None = None
        self._total: int | None = None
        held = permissions_of(actor.roles)

        self.user = QComboBox()
        self.user.setObjectName("audit_user")
        self.user.setEditable(True)
        self.user.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.user_text = QLineEdit()
        self.user_text.setPlaceholderText(self.tr("Any user"))
        self.user.setLineEdit(self.user_text)
        self.user.setMinimumWidth(120)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.setEditable(True)
        self.action.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action_text = QLineEdit()
        self.action_text.setPlaceholderText(self.tr("Any action (record.* for a group)"))
        self.action.setLineEdit(self.action_text)
        self.action.setMinimumWidth(200)
        self.record = QLineEdit()
        self.record.setObjectName("audit_record")
        self.record.setPlaceholderText(self.tr("Record id (or its beginning)"))
        self.use_from = QCheckBox(self.tr("From"))
        self.use_from.setObjectName("audit_use_from")
        self.date_from = QDateEdit(QDate.currentDate().addDays(-7))
        self.date_from.setObjectName("audit_from")
        self.use_to = QCheckBox(self.tr("To"))
        self.use_to.setObjectName("audit_use_to")
        self.date_to = QDateEdit(QDate.currentDate())
        self.date_to.setObjectName("audit_to")
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.setToolTip(self.tr("Dates are local calendar days; the 'To' day is included whole."))
        apply = QPushButton(self.tr("&Filter"))
        apply.setObjectName("audit_apply")
        apply.clicked.connect(self.apply)
        clear = QPushButton(self.tr("C&lear"))
        clear.setObjectName("audit_clear")
        clear.clicked.connect(self.clear)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.setObjectName("audit_refresh")
        refresh.clicked.connect(self.refresh)
        self.count = QLabel()
        self.count.setObjectName("audit_count")

        self.model = AuditModel(ws, actor, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.details = QPlainTextEdit()
        self.details.setObjectName("audit_details")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlaceholderText(self.tr("Select an entry to see its details."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.verify_button = QPushButton(self.tr("&Verify the chain"))
        self.verify_button.setObjectName("verify_chain")
        self.verify_button.setToolTip(
            self.tr("Check that no entry of the audit log was changed, removed or reordered.")
        )
        self.verify_button.setVisible(Permission.AUDIT_VERIFY in held)
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel()
        self.result.setObjectName("verify_result")
        self.result.setWordWrap(True)
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.export_button.setObjectName("audit_export")
        self.export_button.setToolTip(self.tr("Write every entry matching the filter to an Excel or CSV file."))
        self.export_button.clicked.connect(self.choose_export)
        self.progress = QProgressBar()
        self.progress.setObjectName("audit_progress")
        self.progress.setFormat(self.tr("%v of %m"))
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.cancel_button.setObjectName("audit_cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_export)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("User")))
        filters.addWidget(self.user, 1)
        filters.addWidget(QLabel(self.tr("Action")))
        filters.addWidget(self.action, 2)
        filters.addWidget(self.record, 2)
        filters.addWidget(self.use_from)
        filters.addWidget(self.date_from)
        filters.addWidget(self.use_to)
        filters.addWidget(self.date_to)
        filters.addWidget(apply)
        filters.addWidget(clear)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.verify_button)
        actions.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.result)

        for line in (self.user_text, self.action_text, self.record):
            line.returnPressed.connect(self.apply)
        for key, slot in (("Ctrl+F", self.focus_filter), ("F5", self.refresh)):
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for edit in (self.date_from, self.date_to):  # Enter in a date applies too
            QShortcut(QKeySequence(Qt.Key.Key_Return), edit, self.apply, context=Qt.ShortcutContext.WidgetShortcut)
            QShortcut(QKeySequence(Qt.Key.Key_Enter), edit, self.apply, context=Qt.ShortcutContext.WidgetShortcut)
        self._load_choices()
        self.apply()

    # --- filter ----------------------------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        """The filter as the fields say (dates as local calendar days, the 'To' day whole)."""
        first: date | None = self.date_from.date().toPython() if self.use_from.isChecked() else None  # type: ignore[assignment]
        last: date | None = self.date_to.date().toPython() if self.use_to.isChecked() else None  # type: ignore[assignment]
        since, until = local_day_bounds(first, last)
        return AuditFilter(
            actor=_code(self.user),
            action=_code(self.action),
            record_id=self.record.text().strip(),
            since=since,
            until=until,
            limit=PAGE,
        )

    def apply(self) -> None:
        """Show the entries matching the filter, newest first (in the background)."""
        flt = self.current_filter()
        self.count.setText(self.tr("loading…"))
        self._total = None
        self.details.clear()
        self.model.set_filter(flt)
        ws, actor = self.ws, self.actor
        self._counts.run(lambda _p: ws.audit.count(actor, flt), self._counted, lambda _exc: None)

    def refresh(self) -> None:
        """Read the entries (and the lists of users and actions) again."""
        self._load_choices()
        self.apply()

    def clear(self) -> None:
        """Clear every filter field and show everything."""
        self.user.setEditText("")
        self.action.setEditText("")
        self.record.clear()
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        self.apply()

    def focus_filter(self) -> None:
        """Ctrl+F: to the first filter field."""
        self.user.setFocus()
        self.user_text.selectAll()

    def _load_choices(self) -> None:
        ws, actor = self.ws, self.actor
        run_in_background(
            lambda _p: (ws.audit.actors(actor), ws.audit.actions(actor)), self._choices, lambda _exc: None
        )

    def _choices(self, choices: tuple[list[str], list[str]]) -> None:
        if not isValid(self):
            return
        users, actions = choices
        groups = sorted({a.split(".", 1)[0] + ".*" for a in actions if "." in a})
        shown = {
            self.user: [(actor_label(u), u) for u in users],
            self.action: [(g, g) for g in groups] + [(audit_action_label(a), a) for a in actions],
        }
        for combo, items in shown.items():
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", "")
            for label, code in items:
                combo.addItem(label, code)
            combo.setEditText(text)
            combo.blockSignals(False)

    def _loaded(self, shown: int) -> None:
        self._show_count()
        self.loaded.emit(shown)

    def _counted(self, total: int) -> None:
        if isValid(self):
            self._total = total
            self._show_count()
            self.counted.emit(total)

    def _show_count(self) -> None:
        if self.model.loading:
            return
        shown, total = self.model.rowCount(), self._total
        if total is None or total <= shown:
            self.count.setText(self.tr("%n entries", "", shown))
        else:
            self.count.setText(
                self.tr("%1 of %2 entries (scroll for more)").replace("%1", str(shown)).replace("%2", str(total))
            )

    def _show_details(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            self.details.clear()
            return
        item = self.model.rows[row]
        head = (
            self.tr("Entry %1 · %2 · %3 · %4")
            .replace("%1", str(item.seq))
            .replace("%2", local_time_iso(item.ts))
            .replace("%3", actor_label(item.actor))
            .replace("%4", audit_action_label(item.action))
        )
        if item.record_id:
            head += "\n" + self.tr("Record: %1").replace("%1", item.record_id)
        self.details.setPlainText(head + "\n\n" + pretty(item.details, item.action))

    # --- verify ----------------------------------------------------------------------------------------------------
    def verify(self) -> None:
        """Check the whole chain in the background and show the result."""
        if self._verify is not None or not self.verify_button.isVisible():
            return
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("Verifying…"))
        ws, actor = self.ws, self.actor
        self._verify = run_in_background(lambda _p: ws.audit.verify_chain(actor), self._verified, self._verify_failed)

    def _verified(self, report: ChainReport) -> None:
        self._verify = None
        if not isValid(self):
            return
        self.verify_button.setEnabled(True)
        if report.ok:
            self.result.setStyleSheet("color: #1b5e20;")
            self.result.setText(
                self.tr("The audit chain is intact: %1 entries checked.").replace("%1", str(report.entries))
            )
        else:
            self.result.setStyleSheet("color: #b00020; font-weight: bold;")
            self.result.setText(
                self.tr("The audit chain is BROKEN at entry %1 (%2 entries checked before it): %3")
                .replace("%1", str(report.first_bad_seq))
                .replace("%2", str(report.entries))
                .replace("%3", report.problem)
            )
        self.verified.emit(report)

    def _verify_failed(self, exc: Exception) -> None:
        self._verify = None
        if not isValid(self):
            return
        self.verify_button.setEnabled(True)
        self.result.setText("")
        self.verified.emit(exc)
        show_error(self, exc)

    # --- export ----------------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        """Ask for the file, then export every matching entry to it."""
        name = str(default_folder() / f"audit-{date.today().isoformat()}.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit log"), name, self.tr("Excel workbook (*.xlsx);;CSV file (*.csv)")
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, path: Path) -> None:
        """Export every entry matching the filter to `path` in the background."""
        if self._export is not None:
            return
        flt, ws, actor = self.current_filter(), self.ws, self.actor

        def work(progress: Progress) -> int:
            def report(done: int, total: int) -> None:
                if not progress.cancelled:  # the service checks `cancelled` itself between pages
                    with contextlib.suppress(Cancelled):
                        progress(done, total)

            try:
                return ws.audit.export(actor, flt, path, progress=report, cancelled=lambda: progress.cancelled)
            except AuditExportCancelled:
                raise Cancelled from None

        self._exporting(True)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Exporting…"))
        self._export = run_in_background(
            work,
            lambda count: self._exported(count, path),
            self._export_failed,
            self._export_progress,
            self._export_cancelled,
        )

    def cancel_export(self) -> None:
        """Stop the export in progress; nothing is written."""
        if self._export is not None:
            self._export.cancel()

    def _exporting(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setRange(0, 0)

    def _export_progress(self, done: int, total: int) -> None:
        if isValid(self):
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _exported(self, count: int, path: Path) -> None:
        self._export = None
        if not isValid(self):
            return
        self._exporting(False)
        self.result.setText(self.tr("Exported %1 entries to %2.").replace("%1", str(count)).replace("%2", str(path)))
        self.exported.emit(count)
        self.apply()  # the export is itself an entry

    def _export_failed(self, exc: Exception) -> None:
        self._export = None
        if not isValid(self):
            return
        self._exporting(False)
        self.result.setText("")
        self.exported.emit(exc)
        show_error(self, exc)

    def _export_cancelled(self) -> None:
        self._export = None
        if isValid(self):
            self._exporting(False)
            self.result.setText(self.tr("The export was cancelled; no file was written."))

"""A record: its current values (masked per role, reveal on request), version history with a field-level
diff, the status timeline, and its audit entries for supervisors and auditors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.lifecycle import EDITABLE, FINAL, Status
from desktop_app.domain.reject_reasons import reason_in
from desktop_app.domain.roles import Permission, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.attachments import ScanInfo
from desktop_app.services.audit_log import AuditFilter, AuditItem
from desktop_app.services.errors import ServiceError
from desktop_app.services.records import RecordView as RecordDetail
from desktop_app.services.records import StatusEventView, VersionView
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import (
    actor_label,
    audit_action_label,
    kind_label,
    local_time,
    local_time_iso,
    status_label,
    status_reason_label,
)
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.tab_keys import add_tab_keys
from desktop_app.ui.records.reconciliation import shown_value
from desktop_app.ui.records.scan_panel import AttachedScans
from desktop_app.ui.supervision.audit_page import summary


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the dialog's buttons; the arrows move within it
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


@dataclass(frozen=True)
class RecordData:
    """Everything the record view shows, read in one go off the GUI thread (read_record)."""

    view: RecordDetail
    versions: list[VersionView]
    timeline: list[StatusEventView]
    audit: list[AuditItem] | None  # None: this user may not read the trail
    scans: list[ScanInfo]


def read_record(ws: Workstation, actor: Actor, record_id: str) -> RecordData:
    """The record, its versions, timeline, audit entries (up to 500) and scans; runs on the store's thread."""
    view = ws.records.get(actor, record_id)
    hidden = view.hidden
    permissions = permissions_of(actor.roles)
    audit = (
        ws.audit.entries(actor, AuditFilter(record_id=record_id, limit=500))
        if Permission.AUDIT_VIEW in permissions
        else None
    )
    scans: list[ScanInfo] = []
    if not hidden:
        try:
            scans = ws.attachments.list_scans(actor, record_id)
        except ServiceError:  # not shown to this user: the view leaves the tab out
            scans = []
    return RecordData(
        view=view,
        versions=[] if hidden else ws.records.history(actor, record_id),
        timeline=ws.records.timeline(actor, record_id),
        audit=audit,
        scans=scans,
    )


def open_record_view(
    parent: QWidget | None, ws: Workstation, actor: Actor, record_id: str, shown: Callable[[RecordView], None]
) -> None:
    """Read the record off the GUI thread, then build its view and hand it to `shown` (errors: the error dialog)."""
    Op(parent, lambda: read_record(ws, actor, record_id)).success(
        lambda data: shown(RecordView(ws, actor, record_id, parent, data=data))
    ).run()


class RecordView(QDialog):
    """One record, from what read_record read; `edit_requested(record_id)` when its maker chooses to edit it."""

    edit_requested = Signal(str)

    def __init__(
        self, ws: Workstation, actor: Actor, record_id: str, parent: QWidget | None = None, *, data: RecordData
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.record_id = ws, actor, record_id
        self.setWindowTitle(self.tr("Customer record"))
        self.resize(980, 640)
        view = data.view
        self.view = view
        permissions = permissions_of(actor.roles)
        schema = ws.form

        words = {
            "version": self.tr("version"),
            "status": self.tr("status"),
            "keyed": self.tr("keyed by"),
            "approved": self.tr("approved by"),
            "returned": self.tr("returned by"),
        }
        # The checker of a returned record (edited since or not) returned it; they approved nothing.
        checked = words["returned"] if view.status is Status.REJECTED or view.reject_reason else words["approved"]
        header = QLabel(
            f"<b>{view.id}</b> &nbsp; {words['version']} {view.version} &nbsp; · &nbsp; "
            f"{words['status']}: {status_label(view.status)} &nbsp; · &nbsp; {words['keyed']} {view.maker}"
            + (f" &nbsp; · &nbsp; {checked} {view.checker}" if view.checker else "")
        )
        header.setObjectName("record_header")
        header.setWordWrap(True)
        tabs = QTabWidget()
        tabs.setObjectName("record_tabs")
        add_tab_keys(tabs, self)

        # current values
        current = QWidget()
        form = QFormLayout(current)
        self.value_labels: dict[str, QLabel] = {}
        if view.hidden:
            form.addRow(QLabel(self.tr("This record is waiting for its blind second entry: its values are hidden.")))
        for spec in schema.fields:
            if view.hidden:
                break
            raw = view.values.get(spec.key, "")
            choice = spec.choice(raw) if spec.choices else None
            shown = choice.label(lang()) if choice else raw
            label = QLabel(shown)
            label.setObjectName(f"value_{spec.key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.value_labels[spec.key] = label
            row = QHBoxLayout()
            row.addWidget(label, 1)
            if spec.key in view.masked and Permission.PII_REVEAL in permissions:
                button = QPushButton(self.tr("&Reveal"))
                button.setObjectName(f"reveal_{spec.key}")
                button.setToolTip(self.tr("Show the full value; this is recorded in the audit trail."))
                button.clicked.connect(lambda _=False, k=spec.key, b=button: self._reveal(k, b))
                row.addWidget(button)
            form.addRow(spec.label(lang()), row)
        if view.problems:
            problems = QListWidget()
            for p in view.problems:
                problems.addItem(("✖ " if p.severity == "error" else "⚠ ") + p.message(lang()))
            form.addRow(self.tr("Checks"), problems)
        if view.reject_reason:
            reason = QLabel(reason_in(view.reject_reason, lang()))
            reason.setWordWrap(True)  # a long reason wraps instead of widening the window
            form.addRow(self.tr("Returned with reason"), reason)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(current)
        tabs.addTab(scroll, self.tr("Current"))

        # history with a field-level diff
        if not view.hidden:
            self.versions = data.versions
            history = QSplitter()
            self.version_list = QListWidget()
            self.version_list.setObjectName("version_list")
            for v in self.versions:
                self.version_list.addItem(
                    f"v{v.version} · {kind_label(v.kind)} · {v.created_by} · {local_time(v.created_at)}"
                )
            self.diff = _table([self.tr("Field"), self.tr("Before"), self.tr("After")])
            self.diff.setObjectName("version_diff")
            history.addWidget(self.version_list)
            history.addWidget(self.diff)
            history.setSizes([280, 680])
            self.version_list.currentRowChanged.connect(self._show_diff)
            tabs.addTab(history, self.tr("History"))
            if self.versions:
                self.version_list.setCurrentRow(len(self.versions) - 1)

        # the scanned ID documents, for those the service shows them to (the tab is left out for the others)
        self.scans = AttachedScans(ws, actor, self)
        count = 0 if view.hidden else self.scans.set_record(record_id, data.scans)
        if count:
            tabs.addTab(self.scans, self.tr("Scan (%1)").replace("%1", str(count)))
        else:
            self.scans.hide()

        # status timeline
        timeline = _table(
            [self.tr("When"), self.tr("Version"), self.tr("From"), self.tr("To"), self.tr("By"), self.tr("Reason")]
        )
        timeline.setObjectName("timeline")
        _fill(
            timeline,
            [
                [
                    local_time(e.at),
                    str(e.version),
                    status_label(e.from_status) if e.from_status else "",
                    status_label(e.to_status),
                    e.actor,
                    status_reason_label(e.reason or ""),
                ]
                for e in data.timeline
            ],
        )
        tabs.addTab(timeline, self.tr("Timeline"))

        # audit entries, for those who may read the trail
        if data.audit is not None:
            audit = _table([self.tr("#"), self.tr("When"), self.tr("Who"), self.tr("Action"), self.tr("Details")])
            audit.setObjectName("record_audit")
            _fill(
                audit,
                [
                    [
                        str(e.seq),
                        local_time_iso(e.ts),
                        actor_label(e.actor),
                        audit_action_label(e.action),
                        summary(e.details, e.action),
                    ]
                    for e in data.audit
                ],
            )
            tabs.addTab(audit, self.tr("Audit trail"))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if view.status in EDITABLE and view.maker == actor.username and Permission.RECORD_EDIT in permissions:
            edit = QPushButton(self.tr("&Edit"))
            edit.setObjectName("edit_record")
            edit.clicked.connect(self._edit)
            buttons.addWidget(edit)
        if view.status in FINAL and Permission.RECORD_CREATE in permissions:
            change = QPushButton(self.tr("Start a &change"))
            change.setObjectName("start_change")
            change.clicked.connect(self._start_change)
            buttons.addWidget(change)
        if view.status is Status.AWAITING_APPROVAL and Permission.RECORD_APPROVE in permissions:
            approve = QPushButton(self.tr("&Approve"))
            approve.setObjectName("approve_record")
            approve.clicked.connect(self._approve)
            reject = QPushButton(self.tr("Re&turn to maker…"))
            reject.setObjectName("reject_record")
            reject.clicked.connect(self._reject)
            buttons.addWidget(approve)
            buttons.addWidget(reject)
        close = QPushButton(self.tr("C&lose"))
        close.setObjectName("close_record")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)

    def _reveal(self, key: str, button: QPushButton) -> None:
        def revealed(value: str) -> None:
            self.value_labels[key].setText(value)
            button.setEnabled(False)

        Op(self, lambda: self.ws.records.reveal(self.actor, self.record_id, key)).success(revealed).run()

    def _show_diff(self, row: int) -> None:
        if row < 0:
            return
        after: VersionView = self.versions[row]
        before = self.versions[row - 1].values if row > 0 else {}
        labels = {spec.key: spec.label(lang()) for spec in self.ws.form.fields}
        rows = [
            [
                labels.get(k, k),
                shown_value(self.ws, k, before.get(k, "")),
                shown_value(self.ws, k, after.values.get(k, "")),
            ]
            for k in labels
            if before.get(k, "") != after.values.get(k, "")
        ]
        _fill(self.diff, rows)

    def _approve(self) -> None:
        version = self.view.version
        Op(self, lambda: self.ws.records.approve(self.actor, self.record_id, version)).success(
            lambda _result: self.accept()
        ).run()

    def _reject(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(
            self, self.tr("Return to maker"), self.tr("Reason (the maker sees it):")
        )
        if not ok:
            return
        version = self.view.version
        Op(self, lambda: self.ws.records.reject(self.actor, self.record_id, version, reason)).success(
            lambda _result: self.accept()
        ).run()

    def _edit(self) -> None:
        self.edit_requested.emit(self.record_id)
        self.accept()

    def _start_change(self) -> None:
        def started(_result: object) -> None:
            self.edit_requested.emit(self.record_id)
            self.accept()

        Op(self, lambda: self.ws.records.start_change(self.actor, self.record_id)).success(started).run()

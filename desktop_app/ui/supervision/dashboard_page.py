"""The dashboard (运营看板) for supervisors and auditors: five charts from one snapshot of the dashboard service —
records by status, entries per clerk per day, dual-entry discrepancy rate by field, validation failures by
field, and the sync backlog.

The snapshot is read off the GUI thread (LatestOnly) when the page is shown, every minute while it stays
visible, on F5 and when the period changes; the GUI thread only builds the charts. Each chart has a table of
the exact figures behind it (the "Table" button) and tooltips on its bars. A failed refresh leaves the last
charts and says so quietly on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QPainter, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.text import is_chinese
from desktop_app.services.actor import Actor
from desktop_app.services.dashboard import PERIODS, DashboardSnapshot, SyncBacklog
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.charts import Bars, bar_chart
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_date, local_time, status_label
from desktop_app.ui.common.messages import explain
from desktop_app.ui.common.worker import LatestOnly

#: How often the page reads the figures again while it is visible.
REFRESH_MS = 60_000
#: The clerks shown each with their own colour in the entries chart; the rest are summed as "Others".
MAX_CLERKS = 8
#: Bars in a by-field chart: more would not leave each label room to show (the tables list every field).
MAX_FIELDS = 8
_RED = "#b00020"


class ChartCard(QGroupBox):
    """One chart with a table of its exact figures behind a "Table" toggle, and a line of notes under it."""

    def __init__(self, title: str, name: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.view = QChartView()
        self.view.setObjectName(f"{name}_chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(320, 260)
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName(f"{name}_table")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #666;")
        self.stack = QStackedWidget()
        for widget in (self.view, self.table, self.empty):
            self.stack.addWidget(widget)
        self.toggle = QPushButton(self.tr("&Table"))
        self.toggle.setObjectName(f"{name}_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip(self.tr("Show the exact figures as a table instead of the chart"))
        self.toggle.toggled.connect(self._switch)
        self.note = QLabel()
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack, 1)
        layout.addLayout(row)
        self._has_data = False

    @property
    def chart(self) -> QChart:
        return self.view.chart()

    def set_chart(self, chart: QChart | None, rows: Sequence[Sequence[str]], empty_text: str) -> None:
        """Show `chart` (None: nothing to draw, `empty_text` instead) with `rows` as its table."""
        old = self.view.chart()
        self.view.setChart(chart if chart is not None else QChart())
        if old is not None and isValid(old):
            old.deleteLater()  # the view does not delete a chart it is given another for
        self._has_data = chart is not None
        self.empty.setText(empty_text)
        self.view.setAccessibleDescription("; ".join(", ".join(r) for r in rows))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:  # numbers line up on the right
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._switch(self.toggle.isChecked())

    def _switch(self, table: bool) -> None:
        self.stack.setCurrentWidget(self.table if table else self.view if self._has_data else self.empty)


class DashboardPage(QWidget):
    """Five charts from `ws.dashboard.snapshot`; `loaded` after the charts show a new snapshot, `failed(text)`
    after a refresh that could not read it (the text is also shown on the page)."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.snapshot: DashboardSnapshot | None = None
        self._latest = LatestOnly()
        self._busy = False
        self.period = QComboBox()
        self.period.setObjectName("dashboard_period")
        for days in PERIODS:
            self.period.addItem(self.tr("Last %1 days").replace("%1", str(days)), days)
        self.period.setCurrentIndex(PERIODS.index(14))
        self.period.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("dashboard_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.state = QLabel()
        self.state.setObjectName("dashboard_state")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Dashboard</b>")))
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Period:")))
        top.addWidget(self.period)
        top.addWidget(self.state, 1)
        top.addWidget(self.refresh_button)

        self.status_card = ChartCard(
            self.tr("Records by status"), "dashboard_status", [self.tr("Status"), self.tr("Records")]
        )
        self.entries_card = ChartCard(
            self.tr("Entries per clerk per day"),
            "dashboard_entries",
            [self.tr("Day"), self.tr("Clerk"), self.tr("First entries"), self.tr("Second entries"), self.tr("Total")],
        )
        self.discrepancy_card = ChartCard(
            self.tr("Dual-entry discrepancy rate by field"),
            "dashboard_discrepancy",
            [self.tr("Field or clerk"), self.tr("Compared"), self.tr("Differing"), self.tr("Rate")],
        )
        self.failures_card = ChartCard(
            self.tr("Validation failures by field"), "dashboard_failures", [self.tr("Field"), self.tr("Failures")]
        )
        self.backlog_card = ChartCard(
            self.tr("Sync backlog"), "dashboard_backlog", [self.tr("Outbox state"), self.tr("Rows")]
        )
        grid = QGridLayout()
        grid.setSpacing(8)
        # The days need the width: the entries chart has a row of its own.
        grid.addWidget(self.entries_card, 0, 0, 1, 2)
        grid.addWidget(self.status_card, 1, 0)
        grid.addWidget(self.backlog_card, 1, 1)
        grid.addWidget(self.discrepancy_card, 2, 0)
        grid.addWidget(self.failures_card, 2, 1)
        grid.addWidget(self._legend_note(), 3, 0, 1, 2)
        for n in range(3):
            grid.setRowStretch(n, 1)
        for n in range(2):
            grid.setColumnStretch(n, 1)
        charts = QWidget()
        charts.setLayout(grid)
        scroll = QScrollArea()
        scroll.setObjectName("dashboard_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(charts)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        shortcut = QShortcut(QKeySequence("F5"), self, self.refresh)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _legend_note(self) -> QLabel:
        note = QLabel(
            self.tr(
                "First entries are new forms keyed or rows imported; second entries are the blind re-keying by "
                "another clerk. A discrepancy is a field where the two entries differed. Validation failures are "
                "the rules a submit or an import refused, by field. The figures are read again every minute "
                "while this page is open (F5: now)."
            )
        )
        note.setObjectName("dashboard_help")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        note.setStyleSheet("color: #555; padding: 8px;")
        return note

    # --- refreshing ----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def _tick(self) -> None:
        if not self._busy:  # a slow read is not stacked up behind another
            self.refresh()

    @property
    def days(self) -> int:
        return int(self.period.currentData())

    def refresh(self) -> None:
        """Read a new snapshot in the background; the charts are rebuilt when it arrives."""
        ws, actor, days = self.ws, self.actor, self.days
        self._busy = True
        self.state.setText(self.tr("loading…"))
        self._latest.run(lambda _p: ws.dashboard.snapshot(actor, days=days), self._arrived, self._failed)

    def _arrived(self, snapshot: DashboardSnapshot) -> None:
        if isValid(self):
            self._busy = False
            self.show_snapshot(snapshot)

    def _failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self._busy = False
        text = self.tr("Could not refresh the dashboard: %1").replace("%1", explain(exc))
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {_RED};")
        self.failed.emit(text)

    # --- drawing -------------------------------------------------------------------------------------------------
    def field_label(self, key: str) -> str:
        """The form's label for a field key, in the UI language (the key itself for what is not a field)."""
        return self.ws.form.field(key).label(lang()) if key in self.ws.form.keys else key

    def show_snapshot(self, snapshot: DashboardSnapshot) -> None:
        """Build the five charts (and their tables) from `snapshot`; emits `loaded`."""
        self.snapshot = snapshot
        self._show_statuses(snapshot)
        self._show_entries(snapshot)
        self._show_discrepancy(snapshot)
        self._show_failures(snapshot)
        self._show_backlog(snapshot.backlog)
        self.state.setStyleSheet("")
        self.state.setText(self.tr("Updated %1").replace("%1", local_time(snapshot.backlog.as_of)))
        self.loaded.emit()

    def _nothing(self) -> str:
        return self.tr("Nothing in this period")

    def _show_statuses(self, snapshot: DashboardSnapshot) -> None:
        labels = [status_label(c.status) for c in snapshot.statuses]
        counts = [c.count for c in snapshot.statuses]
        chart = bar_chart(
            None,
            labels,
            [Bars(self.tr("Records"), counts)],
            value_title=self.tr("Records"),
            horizontal=True,
        )
        total = sum(counts)
        self.status_card.set_chart(
            chart if total else None,
            [[label, f"{n:,}"] for label, n in zip(labels, counts, strict=True)],
            self.tr("No records yet"),
        )
        self.status_card.note.setText(self.tr("%1 records in all").replace("%1", f"{total:,}"))

    def _show_entries(self, snapshot: DashboardSnapshot) -> None:
        clerks = list(snapshot.clerks)
        shown, others = clerks[:MAX_CLERKS], set(clerks[MAX_CLERKS:])
        index = {day: n for n, day in enumerate(snapshot.days)}
        series: dict[str, list[float]] = {c: [0.0] * len(snapshot.days) for c in shown}
        other_name = self.tr("Others")
        if others:
            series[other_name] = [0.0] * len(snapshot.days)
        for e in snapshot.entries:
            series[other_name if e.clerk in others else e.clerk][index[e.day]] += e.total
        # Month/day: short enough for 30 days side by side, and read the same way in Chinese.
        categories = [f"{day.month}/{day.day}" for day in snapshot.days]
        bars = [
            Bars(name, values, "#999999" if name == other_name and others else None) for name, values in series.items()
        ]
        chart = bar_chart(
            None,
            categories,
            bars,
            value_title=self.tr("Entries"),
            stacked=True,
            legend=True,
        )
        self.entries_card.set_chart(
            chart if snapshot.entries else None,
            [
                [
                    local_date(e.day),
                    e.clerk,
                    str(e.first),
                    str(e.second),
                    str(e.total),
                ]
                for e in snapshot.entries
            ],
            self._nothing(),
        )
        firsts = sum(e.first for e in snapshot.entries)
        seconds = sum(e.second for e in snapshot.entries)
        self.entries_card.note.setText(
            self.tr(
                "Each bar is a day, split by clerk: first and second entries together. "
                "In this period: %1 first, %2 second entries."
            )
            .replace("%1", f"{firsts:,}")
            .replace("%2", f"{seconds:,}")
        )

    def _show_discrepancy(self, snapshot: DashboardSnapshot) -> None:
        report = snapshot.discrepancy
        fields = [f for f in report.fields if f.compared]  # by rate, highest first
        labels = [self.field_label(f.field) for f in fields]
        chart = bar_chart(
            None,
            labels[:MAX_FIELDS],
            [Bars(self.tr("Discrepancy rate"), [f.rate * 100 for f in fields[:MAX_FIELDS]])],
            value_title=self.tr("% of second entries that differed"),
            horizontal=True,
            percent=True,
        )
        rows = [
            [label, str(f.compared), str(f.differing), _percent(f.rate)]
            for label, f in zip(labels, fields, strict=True)
        ]
        rows += [
            [self.tr("Clerk %1").replace("%1", c.clerk), str(c.fields), str(c.errors), _percent(c.rate)]
            for c in report.clerks
        ]
        self.discrepancy_card.set_chart(chart if fields else None, rows, self.tr("No second entries in this period"))
        compared = sum(d.compared for d in report.days)
        differing = sum(d.with_differences for d in report.days)
        clerks = ", ".join(f"{c.clerk} {_percent(c.rate)}" for c in report.clerks[:4])
        text = (
            self.tr("%1 forms compared, %2 with a difference.")
            .replace("%1", f"{compared:,}")
            .replace("%2", f"{differing:,}")
        )
        if clerks:
            text += ("" if is_chinese(lang()) else " ") + self.tr("Keying errors by clerk: %1").replace("%1", clerks)
        self.discrepancy_card.note.setText(_escape(text))

    def _show_failures(self, snapshot: DashboardSnapshot) -> None:
        drawn = snapshot.failures if len(snapshot.failures) <= MAX_FIELDS else snapshot.failures[: MAX_FIELDS - 1]
        labels = [self.field_label(f.field) for f in drawn]
        counts = [f.count for f in drawn]
        other = snapshot.failures_total - sum(counts)
        if other:
            labels.append(self.tr("Other fields"))
            counts.append(other)
        chart = bar_chart(
            None,
            labels,
            [Bars(self.tr("Failures"), counts, "#D55E00")],
            value_title=self.tr("Failures"),
            horizontal=True,
        )
        rows = [[self.field_label(f.field), f"{f.count:,}"] for f in snapshot.failures]
        if snapshot.failures_other:
            rows.append([self.tr("Other fields"), f"{snapshot.failures_other:,}"])
        self.failures_card.set_chart(
            chart if counts else None,
            rows,
            self.tr("No validation failures in this period"),
        )
        self.failures_card.note.setText(
            self.tr("%1 failures at submit or import in this period").replace("%1", f"{snapshot.failures_total:,}")
        )

    def _show_backlog(self, backlog: SyncBacklog) -> None:
        states = [
            (self.tr("Pending"), backlog.pending, "#0072B2"),
            (self.tr("Retrying"), backlog.retrying, "#E69F00"),
            (self.tr("Refused"), backlog.refused, _RED),
            (self.tr("Version conflict"), backlog.conflict, "#CC79A7"),
            (self.tr("Key conflict"), backlog.key_conflict, "#7f0000"),
            (self.tr("Acknowledged"), backlog.acknowledged, "#009E73"),
        ]
        labels = [label for label, _, _ in states]
        # One set per state (stacked, so each bar has its own colour and the bars stay full width).
        bars = [
            Bars(label, [n if i == j else 0 for j in range(len(states))], color)
            for i, (label, n, color) in enumerate(states)
        ]
        chart = bar_chart(
            None,
            labels,
            bars,
            value_title=self.tr("Outbox rows"),
            horizontal=True,
            stacked=True,
        )
        total = sum(n for _, n, _ in states)
        self.backlog_card.set_chart(
            chart if total else None,
            [[label, f"{n:,}"] for label, n, _ in states],
            self.tr("Nothing approved yet: the outbox is empty"),
        )
        age = backlog.oldest_pending_age
        waited = (
            self.tr("Oldest row waiting to be sent: %1").replace("%1", self.age_text(age))
            if age is not None
            else self.tr("Nothing waiting to be sent")
        )
        success = (
            self.tr("Last successful sync: %1").replace("%1", local_time(backlog.last_success_at))
            if backlog.last_success_at
            else self.tr("Last successful sync: never")
        )
        alarm = backlog.refused + backlog.conflict + backlog.key_conflict
        parts = [_escape(waited), _escape(success)]
        if alarm:
            parts.append(
                f"<b style='color:{_RED}'>"
                + _escape(self.tr("%1 row(s) need a supervisor (see the Sync page)").replace("%1", f"{alarm:,}"))
                + "</b>"
            )
        self.backlog_card.note.setText("<br>".join(parts))

    def age_text(self, age: timedelta) -> str:
        """A waiting time in days and hours, hours and minutes, or minutes."""
        minutes = int(age.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(mins))
        return self.tr("%1 min").replace("%1", str(mins))


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

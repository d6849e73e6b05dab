"""Sync in the status bar, and the client's own background sync.

`SyncMonitor` owns three status-bar labels: the sync state (pending count, last success or last error), a warning
while the server is reached over plain HTTP (loopback only), and online/offline. It reads `SyncService.status`
in the background every few seconds, and runs `SyncService.run_once(None)` (the workstation's own job, with no
user) in the background every minute. Nothing here runs on the GUI thread but the painting of the labels.

status() needs sync.operate (supervisors, admins). The monitor picks its view by that same permission, and falls
back to it when the service refuses: everyone else sees only whether sync is set up ("Sync: on"/"Sync: off").
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QLocale, QObject, QTime, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.domain.roles import Permission, permissions_of
from desktop_app.services.actor import Actor
from desktop_app.services.errors import PermissionDenied
from desktop_app.services.sync import SyncBusy, SyncNotConfigured, SyncStatus, SyncSummary
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time
from desktop_app.ui.common.worker import Cancelled, LatestOnly, Operation, Progress, run_in_background

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 10_000  # how often the status bar reads the sync state
BACKGROUND_SYNC_MS = 60_000  # how often the client runs the workstation's own sync while someone is signed in
ERROR_CHARS = 70  # the status bar shows this much of an error; the tooltip has all of it

_ERROR_STYLE = "color: #b00020;"
_WARNING_STYLE = "color: #ffffff; background: #b00020; padding: 0 6px; font-weight: bold;"


def short_time(moment: datetime | None) -> str:
    """A stored (naive UTC) time in local time: HH:MM when it is today, else the UI's one date-time format."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone()
    if local.date() == datetime.now().astimezone().date():
        return QLocale().toString(QTime(local.hour, local.minute), "HH:mm")
    return local_time(moment)


def elide(text: str, limit: int = ERROR_CHARS) -> str:
    """The first `limit` characters of one line of text, with "…" when there was more."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def progress_reporter(progress: Progress) -> Callable[[int, int], None]:
    """A progress callback for the sync service that never raises: the service asks `cancelled` itself between
    batches, and a batch that was sent must be marked, not abandoned half way by an exception."""

    def report(done: int, total: int) -> None:
        if not progress.cancelled:
            with contextlib.suppress(Cancelled):
                progress(done, total)

    return report


def _background_run(ws: Workstation, progress: Progress) -> SyncSummary | None:
    """The workstation's own run, then the retention purge (the branch's retention_days setting); None when there
    is nothing to do (not enrolled) or another run is going on."""
    try:
        summary = ws.sync.run_once(None, progress_reporter(progress), lambda: progress.cancelled)
    except (SyncBusy, SyncNotConfigured):
        return None
    if summary.ok and not summary.cancelled:
        ws.sync.purge_acknowledged(None)
    return summary


class SyncMonitor(QObject):
    """The sync part of the status bar and the background sync timer of one signed-in session.

    `status_changed(SyncStatus)` after each read of the status (only for who may see it);
    `background_synced(SyncSummary)` after a background run that happened."""

    status_changed = Signal(object)
    background_synced = Signal(object)

    def __init__(
        self,
        ws: Workstation,
        actor: Actor,
        parent: QObject | None = None,
        *,
        refresh_ms: int = STATUS_REFRESH_MS,
        sync_ms: int = BACKGROUND_SYNC_MS,
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        # Only a display choice: the service refuses status() to anyone else, and that refusal is handled too.
        self.detailed = Permission.SYNC_OPERATE in permissions_of(actor.roles)
        self.status: SyncStatus | None = None
        self.configured: bool | None = None
        self.label = QLabel(self.tr("Sync: …"))
        self.label.setObjectName("status_sync")
        self.warning = QLabel(self.tr("⚠ Sync over plain HTTP (this computer only)"))
        self.warning.setObjectName("status_sync_insecure")
        self.warning.setStyleSheet(_WARNING_STYLE)
        self.warning.setToolTip(
            self.tr(
                "The central server is reached without encryption. This is allowed only to this computer "
                "(tests, or a local TLS proxy); an administrator should enrol with an https:// address."
            )
        )
        self.warning.hide()
        self.online = QLabel(self.tr("Offline"))
        self.online.setObjectName("status_online")
        self._latest = LatestOnly()
        self._run: Operation | None = None
        self._stopped = False
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_ms)
        self.refresh_timer.timeout.connect(self.refresh)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(sync_ms)
        self.sync_timer.timeout.connect(self.run_background)

    def widgets(self) -> list[QWidget]:
        """The labels, in the order they go into the status bar."""
        return [self.label, self.warning, self.online]

    def start(self) -> None:
        """Read the status now, then keep it fresh and sync in the background."""
        self._stopped = False
        self.refresh()
        self.refresh_timer.start()
        self.sync_timer.start()

    def stop(self) -> None:
        """Stop the timers; a background run under way is asked to stop after its current batch."""
        self._stopped = True
        self.refresh_timer.stop()
        self.sync_timer.stop()
        if self._run is not None:
            self._run.cancel()

    @property
    def running(self) -> bool:
        """True while a background run started by this monitor is under way."""
        return self._run is not None

    # --- the status ----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the sync state in the background and show it."""
        if self._stopped:
            return
        ws, actor = self.ws, self.actor
        if self.detailed:
            self._latest.run(lambda _p: ws.sync.status(actor), self._status_read, self._status_failed)
        else:
            self._latest.run(
                lambda _p: bool(ws.settings.get(actor, "sync_server_url")), self._on_off_read, self._status_failed
            )

    def _status_read(self, status: SyncStatus) -> None:
        if not self._stopped:
            self.show_status(status)

    def _on_off_read(self, configured: bool) -> None:
        if self._stopped:
            return
        self.configured = configured
        self.label.setText(self.tr("Sync: on") if configured else self.tr("Sync: off"))
        self.label.setToolTip("")

    def _status_failed(self, exc: Exception) -> None:
        if self._stopped:
            return
        if isinstance(exc, PermissionDenied) and self.detailed:
            self.detailed = False  # the roles changed under this session: show only on/off from now on
            self.refresh()
            return
        self.label.setText(self.tr("Sync: status unavailable"))
        self.label.setToolTip(self.tr("The sync state could not be read; details are in the log file."))

    def show_status(self, status: SyncStatus) -> None:
        """Show this state in the status bar, and pass it on (`status_changed`) to the Sync page's summary."""
        self.status = status
        self.configured = status.configured
        self.label.setText(self.state_text(status))
        error = status.error_message(lang()) if status.configured else None
        self.label.setStyleSheet(_ERROR_STYLE if error or status.refused or status.conflicts else "")
        tip = [status.server_url] if status.server_url else []
        if error:
            tip.append(error)
        if status.last_success is not None:
            tip.append(self.tr("Last success: %1").replace("%1", short_time(status.last_success)))
        self.label.setToolTip("\n".join(tip))
        self.warning.setVisible(status.configured and status.insecure_http)
        online = status.configured and status.last_error_code is None and status.last_success is not None
        self.online.setText(self.tr("Online") if online else self.tr("Offline"))
        self.status_changed.emit(status)

    def state_text(self, status: SyncStatus) -> str:
        """One line for the status bar: not configured, or pending, refused, conflicts and last success or error."""
        if not status.configured:
            return self.tr("Sync: not configured")
        parts = [self.tr("Sync: %n pending", "", status.pending)]
        if status.refused:
            parts.append(self.tr("%n refused", "", status.refused))
        if status.conflicts:
            parts.append(self.tr("%n conflict(s)", "", status.conflicts))
        if status.running:
            parts.append(self.tr("syncing…"))
        error = status.error_message(lang())
        if error:
            parts.append(self.tr("last error: %1").replace("%1", elide(error)))
        elif status.last_success is not None:
            parts.append(self.tr("last success %1").replace("%1", short_time(status.last_success)))
        else:
            parts.append(self.tr("not synced yet"))
        return " · ".join(parts)

    # --- the background run --------------------------------------------------------------------------------------
    def run_background(self) -> None:
        """One run of the workstation's own sync off the GUI thread; skipped while one is under way or when this
        workstation is known not to be enrolled."""
        if self._stopped or self._run is not None or self.configured is False:
            return
        ws = self.ws
        # The callbacks, not the operation's `finished`, end the run: a quick run may finish before a
        # connection made after the start would exist.
        self._run = run_in_background(
            lambda progress: _background_run(ws, progress),
            self._background_done,
            self._background_failed,
            on_cancelled=lambda: self._background_done(None),
        )

    def _background_done(self, summary: SyncSummary | None) -> None:
        self._run = None
        if self._stopped:
            return
        if summary is not None:
            if not self.detailed:  # nobody here sees the details; reachability is all the status bar says
                ok = summary.ok and not summary.cancelled
                self.online.setText(self.tr("Online") if ok else self.tr("Offline"))
            self.background_synced.emit(summary)
        self.refresh()

    def _background_failed(self, exc: Exception) -> None:
        log.warning("the background sync did not run: %s", type(exc).__name__)
        self._background_done(None)

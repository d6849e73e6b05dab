"""The daily backup: checked when the main window opens and then every hour; taken at the first chance each day.

The check and the backup both run off the GUI thread. It is the workstation's own job (BackupService.take_daily,
audited with no user), so it runs in every session: a day on which only tellers sign in still gets its backup.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.services.backups import BackupInfo
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.worker import Operation, Progress, run_in_background

log = logging.getLogger(__name__)

HOUR_MS = 60 * 60 * 1000
FIRST_CHECK_MS = 15_000  # a little after start, so opening the window is not slowed by a backup


class BackupScheduler(QObject):
    """Takes the daily backup (BackupService.take_daily) when one is due. `backed_up(BackupInfo)` after each one,
    `failed(Exception)` when one fails (tried again at the next hourly check)."""

    backed_up = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        ws: Workstation,
        parent: QObject | None = None,
        *,
        interval_ms: int = HOUR_MS,
        first_check_ms: int = FIRST_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._running: Operation | None = None
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(first_check_ms, self, self.check)

    def stop(self) -> None:
        """No more checks (sign-out)."""
        self._stopped = True
        self.timer.stop()

    @property
    def active(self) -> bool:
        return not self._stopped

    def check(self) -> None:
        """Take the daily backup in the background if it is due and none is running."""
        if self._stopped or self._running is not None:
            return
        ws = self.ws

        def work(_progress: Progress) -> BackupInfo | None:
            return ws.backups.take_daily(datetime.now().astimezone())

        self._running = run_in_background(work, self._done, self._failed)

    def _done(self, info: BackupInfo | None) -> None:
        self._running = None
        if info is not None:
            log.info("daily backup taken: %s", info.path.name)
            self.backed_up.emit(info)

    def _failed(self, exc: Exception) -> None:
        self._running = None
        self.failed.emit(exc)

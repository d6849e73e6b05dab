"""A slim banner for the teller's start page: "N customers are due for review — Show (Alt+R)".

Hidden while nobody is due. The count is one cheap query, run in the background when the banner is made, when
`refresh()` is called, and every few minutes while the window is open (a review approved elsewhere, or a new day).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from desktop_app.redacted_log import log_failure
from desktop_app.services.actor import Actor
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.worker import LatestOnly

log = logging.getLogger(__name__)

REFRESH_MS = 10 * 60 * 1000


class ReviewReminder(QFrame):
    """The due-for-review banner. Signals: `show_requested()` on "Show" or Alt+R; `counted(n)` after each count
    (0 when the count failed: then there is nothing to remind of, and the banner stays hidden)."""

    show_requested = Signal()
    counted = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.due = 0
        self.today: date | None = None  # None: the local date at each count (tests set a day)
        self._counts = LatestOnly()
        self.setObjectName("review_reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # a calm amber: a reminder, not an alarm; black text stays readable in a dark theme too
        self.setStyleSheet("#review_reminder { background: #fff3cd; } #review_reminder QLabel { color: #000000; }")
        self.text = QLabel()
        self.text.setObjectName("review_reminder_text")
        self.button = QPushButton(self.tr("Show (Alt+R)"))
        self.button.setObjectName("review_reminder_show")
        self.button.clicked.connect(self.show_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        shortcut = QShortcut(QKeySequence("Alt+R"), self, self.show_requested.emit)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # works from anywhere on the start page
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.setVisible(False)
        self.refresh()

    def refresh(self) -> None:
        """Count the customers due for review again, in the background; the banner shows or hides itself."""
        ws, actor, today = self.ws, self.actor, self.today
        # Beside the store's queue: the count reads every customer (about a second on a million), and the start
        # page's list waited behind it (the cold-start benchmark's first page went from 22 ms to 1.2 s).
        self._counts.run(lambda _p: ws.reviews.count_due(actor, today), self._counted, self._failed, beside=True)

    def _counted(self, due: int) -> None:
        if not isValid(self):
            return
        self.due = due
        self.text.setText(self.tr("%n customer(s) are due for periodic review.", "", due))
        self.setVisible(due > 0)
        self.counted.emit(due)

    def _failed(self, exc: Exception) -> None:
        # A reminder must not interrupt the start page with a dialog: it stays hidden, the log says why.
        log_failure(log, "review reminder count failed", exc, with_frames=False)
        if isValid(self):
            self._counted(0)

"""The client's one "data changed" signal: the workstation's change events, delivered on the GUI thread and
gathered for a moment, so that a bulk import or a sync refreshes each list once, not once a chunk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.services.changes import Changed
from desktop_app.services.workstation import Workstation

GATHER_MS = 150


class DataEvents(QObject):
    """`changed(kinds)` on the GUI thread after data of those kinds changed, whoever changed it."""

    changed = Signal(object)  # frozenset[Changed]
    _heard = Signal(object)  # from any thread; queued to this object's (the GUI) thread

    def __init__(self, ws: Workstation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[Changed] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._deliver)
        self._heard.connect(self._gather)
        self._stop: Callable[[], None] | None = ws.on_change(self._heard.emit)

    def _gather(self, kinds: frozenset[Changed]) -> None:
        self._pending |= kinds
        if not self._timer.isActive():
            self._timer.start()

    def _deliver(self) -> None:
        kinds, self._pending = frozenset(self._pending), set()
        if kinds:
            self.changed.emit(kinds)

    def stop(self) -> None:
        """Stop listening (at sign-out): a closed session's pages hear nothing more."""
        if self._stop is not None:
            self._stop()
            self._stop = None
        self._timer.stop()
        self._pending.clear()

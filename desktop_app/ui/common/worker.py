"""The one way long work leaves the GUI thread: a QRunnable on the global pool with signals for
progress, result and error, and a cancel flag the work checks (like Anki's background operations).

The work function gets a `Progress` it may call with (done, total) and whose `cancelled` it should check.
Results and errors come back on the GUI thread through queued signals. A database session is never shared:
the work opens its own through the services it calls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop_app.redacted_log import log_failure
from desktop_app.services.errors import ServiceError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by work that noticed its cancel flag."""


class Progress:
    """Handed to the work: report progress, and check whether the user cancelled."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self._hooks: list[Callable[[], None]] = []

    def __call__(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._signals.progress.emit(done, total)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
        for hook in list(self._hooks):
            hook()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Call `hook` when the user cancels (at once if they have): for work blocked in a call that a flag
        cannot reach, such as a scanner reading a page (the hook cancels the device)."""
        self._hooks.append(hook)
        if self._cancel.is_set():
            hook()


class _Signals(QObject):
    progress = Signal(int, int)
    result = Signal(object)
    error = Signal(object)
    cancelled = Signal()
    finished = Signal()


class Operation(QRunnable):
    """A unit of background work; connect to .signals before start()."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Python object owns it; Qt must not delete it under us
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # reported to the GUI, which shows a dialog
            log_failure(log, "background operation failed", exc, with_frames=not isinstance(exc, ServiceError))
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(result)
        finally:
            self.signals.finished.emit()

    def cancel(self) -> None:
        self.progress.cancel()


_RUNNING: set[Operation] = set()
_STORE_POOL: QThreadPool | None = None


def store_pool() -> QThreadPool:
    """The serial executor for store work: one thread, so the window's store calls run one at a time, in order
    (a save is never overtaken by the list load that should show it)."""
    global _STORE_POOL
    if _STORE_POOL is None:
        _STORE_POOL = QThreadPool()
        _STORE_POOL.setMaxThreadCount(1)
    return _STORE_POOL


def busy() -> bool:
    """True while any operation has not yet delivered its outcome on the GUI thread (tests wait on it)."""
    return bool(_RUNNING)


def run_in_background(
    work: Callable[[Progress], Any],
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> Operation:
    """Start `work` off the GUI thread; the callbacks run on the GUI thread. Returns the operation (cancel()).

    `pool` defaults to the global pool, for long jobs that keep their own sessions and must not hold up the window's
    short store work (a sync over the network, a backup, an export, an import); ui.operations.Op and LatestOnly
    use the store's serial executor (store_pool)."""
    op = Operation(work)
    if on_result:
        op.signals.result.connect(on_result)
    if on_error:
        op.signals.error.connect(on_error)
    if on_progress:
        op.signals.progress.connect(on_progress)
    if on_cancelled:
        op.signals.cancelled.connect(on_cancelled)
    _RUNNING.add(op)
    op.signals.finished.connect(lambda: _RUNNING.discard(op))
    (pool or QThreadPool.globalInstance()).start(op)
    return op


class LatestOnly:
    """Background loads where only the newest counts: a result that arrives after a newer request is dropped
    (a list refreshed twice must not show the older answer last)."""

    def __init__(self, owner: QObject | None = None) -> None:
        """`owner`: the widget the results are for; a result that arrives after it was deleted is dropped."""
        self._generation = 0
        self._owner = owner

    def run(
        self,
        work: Callable[[Progress], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        *,
        beside: bool = False,
    ) -> Operation:
        """Start `work`; `on_result` runs on the GUI thread only if no newer run was started meanwhile. `beside`:
        on the global pool, beside the store's queue, for a long read that must not hold up the window's store
        calls (a count over a million customers)."""
        self._generation += 1
        generation = self._generation

        def alive() -> bool:
            return self._owner is None or shiboken6.isValid(self._owner)

        def deliver(result: Any) -> None:
            if generation == self._generation and alive():
                on_result(result)

        def failed(exc: Exception) -> None:
            if on_error is not None and alive():
                on_error(exc)

        return run_in_background(work, deliver, failed, pool=QThreadPool.globalInstance() if beside else store_pool())

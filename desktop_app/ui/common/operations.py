"""The one way the window runs a service call: off the GUI thread, one at a time, outcome back on the GUI thread.

In the spirit of Anki's CollectionOp/QueryOp on its task manager: a small builder per call,

    Op(self, lambda: ws.approvals.approve(actor, record_id, version)).success(self._approved).run()

runs the call on the store's serial executor (worker.store_pool: one thread, so the window's store calls never run
at the same time and keep their order), then calls `success(result)` on the GUI thread, or `failure(exc)` — by
default the error dialog that says what to do next (messages.show_error; the traceback goes to the log only).
`with_progress(label)` shows a progress dialog with Cancel for long work, which sees the cancel flag through the
Progress that Op.tracked hands it. An outcome for a widget that was closed meanwhile (the page of a session that
was locked or signed out) is dropped. Lists refresh from the one "data changed" signal (data_events), not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.worker import Operation, Progress, run_in_background, store_pool

T = TypeVar("T")

#: a progress dialog shows only for work that lasts longer than this (a quick save flashes nothing)
PROGRESS_AFTER_MS = 400


def _alive(obj: QObject | None) -> bool:
    return obj is None or shiboken6.isValid(obj)


class Op(Generic[T]):
    """One service call for the window: build it, then run() it once."""

    def __init__(self, parent: QWidget | None, work: Callable[[], T]) -> None:
        """`work` calls the services (it runs on the store's thread and must not touch widgets)."""
        self._parent = parent
        self._work: Callable[[Progress], T] = lambda _progress: work()
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None
        self._on_done: Callable[[], None] | None = None
        self._label: str | None = None
        self._detail: Callable[[int, int], str] | None = None
        self._pool: QThreadPool | None = None
        self.operation: Operation | None = None

    @classmethod
    def tracked(cls, parent: QWidget | None, work: Callable[[Progress], T]) -> Op[T]:
        """An operation whose work reports progress and checks the cancel flag through the Progress it is given."""
        op: Op[T] = cls(parent, lambda: None)  # type: ignore[arg-type,return-value]
        op._work = work
        return op

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        """Call `callback(result)` on the GUI thread when the work returned."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Call `callback(error)` on the GUI thread instead of showing the error dialog."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op[T]:
        """Call `callback()` on the GUI thread when the work stopped because the user cancelled."""
        self._on_cancelled = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Op[T]:
        """Call `callback()` on the GUI thread at any outcome, before the success, failure or cancel callback
        (re-enable a button, so that a success may start the next step)."""
        self._on_done = callback
        return self

    def with_progress(self, label: str, detail: Callable[[int, int], str] | None = None) -> Op[T]:
        """Show `label` in a window-modal progress dialog with Cancel while the work lasts (long work only);
        `detail(done, total)`, when given, is a second line that follows the progress ("page 3")."""
        self._label, self._detail = label, detail
        return self

    def in_parallel(self) -> Op[T]:
        """Run beside the store's queue, not in it: for long jobs that hold no store session while they wait (a
        network round trip), so that the window's reads are not held up behind them."""
        self._pool = QThreadPool.globalInstance()
        return self

    def run(self) -> Operation:
        """Start the work; returns the running operation (its cancel() sets the flag the work checks)."""
        parent = self._parent
        dialog = self._progress_dialog() if self._label is not None else None

        def deliver(callback: Callable[..., None] | None, *args: Any) -> None:
            if dialog is not None and _alive(dialog):
                dialog.reset()
                dialog.deleteLater()
            if not _alive(parent):
                return  # the page is gone (locked, signed out, closed): nothing left to tell
            if self._on_done is not None:  # first: a success that starts the next step finds the page idle
                self._on_done()
            if callback is not None:
                callback(*args)

        def failed(exc: BaseException) -> None:
            if self._on_failure is not None:
                deliver(self._on_failure, exc)
            else:
                deliver(lambda e: show_error(parent if _alive(parent) else None, e), exc)

        op = run_in_background(
            self._work,
            on_result=lambda result: deliver(self._on_success, result),
            on_error=failed,
            on_progress=(lambda d, t: self._progressed(dialog, d, t, self._label, self._detail))
            if dialog is not None
            else None,
            on_cancelled=lambda: deliver(self._on_cancelled),
            pool=self._pool or store_pool(),
        )
        if dialog is not None:
            dialog.canceled.connect(op.cancel)
        self.operation = op
        return op

    def _progress_dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(
            self._label or "",
            QCoreApplication.translate("Operations", "Cancel"),
            0,
            0,  # busy until the work reports a total
            self._parent,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        return dialog

    @staticmethod
    def _progressed(
        dialog: QProgressDialog | None,
        done: int,
        total: int,
        label: str | None = None,
        detail: Callable[[int, int], str] | None = None,
    ) -> None:
        if dialog is not None and _alive(dialog):
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)
            if detail is not None:
                dialog.setLabelText(f"{label or ''}\n{detail(done, total)}")


def wait_cursor_while(op: Operation) -> Operation:
    """Show the busy cursor until `op` has delivered its outcome (short work the user waits on, like sign-in)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    op.signals.finished.connect(QApplication.restoreOverrideCursor)
    return op

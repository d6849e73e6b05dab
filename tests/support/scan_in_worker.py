"""Run by tests/integration/test_paper_scan_threads.py in a process of its own: the window's way of scanning (a Qt
worker thread reading the feeder while the GUI thread runs its event loop and shows progress), ten A4 pages at 300
dpi in colour from SANE's test backend. Prints "pages N cancelled B"; a crash ends the process instead."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop_app.scanning.sane_device import CancelToken, SaneScanner, ScanOutcome, ScanSettings
from desktop_app.ui.common.worker import Progress, run_in_background
from tests.support.sane_test_device import use_test_backend


def main(folder: Path, cancel_after: int | None) -> None:
    use_test_backend(folder)
    app = QApplication(sys.argv)
    dialog = QProgressDialog("scanning", "Cancel", 0, 100)
    dialog.show()
    pages: list[tuple[int, int]] = []

    def work(progress: Progress) -> ScanOutcome:
        token = CancelToken()
        progress.on_cancel(token.cancel)

        def kept(_index: int, image: object) -> None:
            pages.append(getattr(image, "size", (0, 0)))
            if cancel_after is not None and len(pages) == cancel_after:
                operation.cancel()  # as the progress dialog's Cancel does, from the window's side

        with SaneScanner(ScanSettings(device="test:0", dpi=300, mode="color", feeder=True)) as scanner:
            return scanner.scan(
                kept,
                on_progress=lambda done, share: progress(int(done * 100 + share * 100), 1000),
                cancel=token,
            )

    def done(outcome: ScanOutcome) -> None:
        print(f"pages {len(pages)} cancelled {outcome.cancelled}", flush=True)
        app.quit()

    def failed(exc: Exception) -> None:
        print(f"failed {type(exc).__name__}: {exc}", flush=True)
        app.quit()

    def cancelled() -> None:  # the work ended on the cancel (the pages read so far were handed on)
        print(f"pages {len(pages)} cancelled True", flush=True)
        app.quit()

    operation = run_in_background(
        work,
        done,
        failed,
        on_progress=lambda d, t: (dialog.setMaximum(t), dialog.setValue(d)),
        on_cancelled=cancelled,
    )
    QTimer.singleShot(60_000, app.quit)
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)

"""A child process for the GUI benchmark: starts the real client on a benchmark store and reports timings.

Prints lines "NAME milliseconds" (and "rss_mb N"); the parent measures the cold start itself.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()


def _wait(app: object, condition: object, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.001)
        if time.perf_counter() > deadline:
            raise TimeoutError("the GUI did not get there in time")


def main() -> None:
    root, password = Path(sys.argv[1]), sys.argv[2]
    import keyring

    from tests.support.keyrings import FileKeyring

    keyring.set_keyring(FileKeyring())
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.workstation import Workstation
    from desktop_app.ui.common import i18n
    from desktop_app.ui.session.app import use_cjk_font
    from desktop_app.ui.session.login_dialog import LoginDialog
    from desktop_app.ui.session.main_window import MainWindow

    app = QApplication([])
    use_cjk_font(app)
    ws = Workstation.open(root)
    i18n.install(i18n.resolve(ws.settings.language()))
    dialog = LoginDialog(ws)
    dialog.show()
    app.processEvents()
    print(f"LOGIN_SHOWN {(time.perf_counter() - T0) * 1000:.1f}", flush=True)

    t = time.perf_counter()
    dialog.user.setText("teller")
    dialog.password.setText(password)
    dialog._sign_in()
    _wait(app, lambda: dialog.actor is not None)  # the sign-in (argon2) runs off the GUI thread
    assert dialog.actor is not None
    window = MainWindow(ws, dialog.actor)
    window.show()
    app.processEvents()
    print(f"main_window {(time.perf_counter() - t) * 1000:.1f}", flush=True)

    listing = window.show_page("customers")
    t = time.perf_counter()
    listing.refresh()  # type: ignore[attr-defined]
    model = listing.model  # type: ignore[attr-defined]
    _wait(app, lambda: model.rowCount() > 0 and model.summary(0) is not None)
    print(f"list_first_page {(time.perf_counter() - t) * 1000:.1f}", flush=True)
    counted: list[int] = []
    model.loaded.connect(counted.append)
    _wait(app, lambda: bool(counted))
    print(f"list_count {(time.perf_counter() - t) * 1000:.1f}", flush=True)
    print(f"list_rows {model.rowCount()}", flush=True)

    target = min(500_000, model.rowCount() - 1)
    t = time.perf_counter()
    listing.view.scrollTo(model.index(target, 0))  # type: ignore[attr-defined]
    model.summary(target)
    _wait(app, lambda: model.summary(target) is not None)
    print(f"list_jump_500k {(time.perf_counter() - t) * 1000:.1f}", flush=True)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rss_mb {rss_kb / 1024:.1f}", flush=True)
    window.idle.pause()
    ws.close()
    os._exit(0)  # skip Qt's teardown: not part of what is measured


if __name__ == "__main__":
    main()

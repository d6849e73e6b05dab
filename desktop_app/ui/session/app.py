"""Starting the desktop program: set-up or open the store, sign in, and run sessions until it quits."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox

from desktop_app.services.errors import StoreError, WrongKey
from desktop_app.services.workstation import AppLock, AppLocked, DataDir, Workstation
from desktop_app.ui.common import enter_clicks, focus_ring, gui_thread_guard, i18n
from desktop_app.ui.common.messages import show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.worker import store_pool
from desktop_app.ui.session.first_run import FirstRunWizard
from desktop_app.ui.session.login_dialog import LoginDialog
from desktop_app.ui.session.main_window import MainWindow

log = logging.getLogger(__name__)

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei")


def use_cjk_font(app: QApplication) -> None:
    """Render Chinese with a CJK font when one is installed."""
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(max(10, app.font().pointSize()))
            app.setFont(font)
            return


# The storage layer's words for a wrong passphrase (English only, it knows no UI language): said in the UI's.
WRONG_PASSPHRASE = "The passphrase is wrong. Type it again (it is case-sensitive)."  # noqa: S105 - a message


def wrong_key_text(exc: WrongKey) -> str:
    """What a wrong key says, in the UI language where the message is the wrong passphrase's."""
    if str(exc) == WRONG_PASSPHRASE:
        return QApplication.translate("App", "The passphrase is wrong. Type it again (it is case-sensitive).")
    return str(exc)


def open_workstation(root: Path) -> Workstation | None:
    """Open the store, asking for the key passphrase if it has one; None if the user gives up."""
    attempts = 0
    while True:

        def ask() -> str:
            text, ok = QInputDialog.getText(
                None,
                QApplication.translate("App", "Key passphrase"),
                QApplication.translate("App", "Passphrase that protects this workstation's data:"),
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                raise KeyboardInterrupt
            return text

        try:
            return Workstation.open(root, ask)
        except KeyboardInterrupt:
            return None
        except WrongKey as exc:
            attempts += 1
            if "passphrase" not in str(exc) or attempts >= 5:
                QMessageBox.critical(None, QApplication.translate("App", "Cannot open the data"), wrong_key_text(exc))
                return None
            QMessageBox.warning(None, QApplication.translate("App", "Wrong passphrase"), wrong_key_text(exc))
        except StoreError as exc:
            QMessageBox.critical(None, QApplication.translate("App", "Cannot open the data"), str(exc))
            return None


class Session:
    """Runs sign-in → main window → sign-out, again and again, until the user cancels the sign-in."""

    def __init__(self, ws: Workstation) -> None:
        self.ws = ws
        self.window: MainWindow | None = None

    def sign_in(self, language: str | None = None) -> bool:
        """Show the sign-in box in `language` (the setting, read off the GUI thread; None: keep the current one)
        and open the main window for the user who signs in; False when the sign-in was cancelled."""
        # The language setting applies from this sign-in on: the sign-in box and every page are built anew.
        if language is not None:
            i18n.install(i18n.resolve(language))
        dialog = LoginDialog(self.ws)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return False
        self.window = MainWindow(self.ws, dialog.actor)
        self.window.signed_out.connect(self._after_sign_out)
        self.window.show()
        return True

    def _after_sign_out(self) -> None:
        # The old window (already hidden, its dialogs closed) is destroyed before the sign-in box shows, so no
        # page of the previous session, with its values, is left behind it.
        old, self.window = self.window, None
        if old is not None:
            old.deleteLater()
        # The language setting is read on the store's thread, after the sign-out's own writes.
        op = Op(None, self.ws.settings.language).success(
            lambda language: QTimer.singleShot(0, lambda: self._sign_in_again(language))
        )
        op.failure(lambda _exc: QTimer.singleShot(0, lambda: self._sign_in_again(None))).run()

    def _sign_in_again(self, language: str | None) -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if not self.sign_in(language):
            QApplication.quit()


def _unexpected(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An error no screen handled: a plain dialog for the teller, the frames (not the message) to the log."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    exc.__traceback__ = tb
    show_error(None, exc)  # logs it too, without the message


def run_gui(root: Path, argv: list[str] | None = None) -> int:
    """Run the desktop program on the data directory `root`; returns the exit code."""
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    sys.excepthook = _unexpected  # never a traceback in front of a teller
    app.setApplicationName("desktop-app")
    app.setApplicationDisplayName("KYC")
    use_cjk_font(app)
    focus_ring.install(app)
    enter_clicks.install(app)
    i18n.install(i18n.system_language())
    data_dir = DataDir(root)
    # The app lock comes first: the store is opened (and settled or migrated) only by the one app that holds it.
    try:  # one app per data directory, and no restore or rekey under it
        lock = AppLock.acquire(root)
    except AppLocked:
        QMessageBox.information(
            None,
            QApplication.translate("App", "Already open"),
            QApplication.translate(
                "App", "The program is already open on this computer (or a restore is running). Use that window."
            ),
        )
        return 1
    with lock:
        if not data_dir.database.exists() and not data_dir.keystore.exists():
            wizard = FirstRunWizard(root)
            if wizard.exec() != QDialog.DialogCode.Accepted or wizard.ws is None:
                return 0
            ws = wizard.ws
        else:
            opened = open_workstation(root)
            if opened is None:
                return 1
            ws = opened
        language: str | None = None
        with contextlib.suppress(StoreError):  # read before the first window, like the store's opening
            language = ws.settings.language()
        # From the first window on, the window's store calls go through ui.operations.Op: one made on the GUI
        # thread is logged loudly (DESKTOP_APP_STRICT_THREADS=1 makes it an error, for development).
        gui_thread_guard.install(strict=os.environ.get("DESKTOP_APP_STRICT_THREADS") == "1")
        session = Session(ws)  # each sign-in installs the language setting
        try:
            if not session.sign_in(language):
                return 0
            return app.exec()
        finally:
            store_pool().waitForDone()  # the last autosave or sign-out is written before the store closes
            gui_thread_guard.uninstall()
            ws.close()

"""The real program in a real window (issue 13): Xvfb with the openbox window manager, the xcb platform, and real
keystrokes through xdotool, because focus, shortcuts and dialogs behave differently there than offscreen.

One session of a teller, start to end: passphrase, sign-in, Ctrl+L, Ctrl+I over the lock screen (nothing may
open), unlock, typing, Ctrl+N (asked; Enter keeps it as a draft), Ctrl+Shift+Q (the window is gone when the
sign-in box shows), Escape (the program ends). Then the store, opened through the services, says what happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.records import SearchQuery
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "real window passphrase 2026"
TELLER_PASSWORD = PASSWORD + "x"
FORM_NUMBER = "KYC-E2E-000001"

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("openbox") and shutil.which("xdotool")),
    reason="needs Xvfb, openbox and xdotool (make test installs them)",
)


@pytest.fixture
def display() -> Iterator[str]:
    sockets = Path("/tmp/.X11-unix")
    number = next(n for n in range(150, 250) if not (sockets / f"X{n}").exists())
    name = f":{number}"
    server = subprocess.Popen(["Xvfb", name, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
    deadline = time.monotonic() + 15
    while not (sockets / f"X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    manager = subprocess.Popen(
        ["openbox"], env=dict(os.environ, DISPLAY=name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)
    try:
        yield name
    finally:
        for process in (manager, server):
            process.terminate()
            process.wait(timeout=10)


class X:
    """xdotool on one display: find windows by title, press keys, type text."""

    def __init__(self, display: str) -> None:
        self.env = dict(os.environ, DISPLAY=display)

    def _run(self, *args: str, timeout: float = 10) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        return done.stdout.strip()

    def windows(self, title: str) -> list[str]:
        return [w for w in self._run("search", "--onlyvisible", "--name", title).split() if w]

    def wait_for(self, title: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.windows(title)
            if found:
                self._run("windowactivate", "--sync", found[-1])
                time.sleep(0.3)
                return found[-1]
            time.sleep(0.2)
        raise AssertionError(f"no window titled {title!r} within {seconds} s")

    def key(self, *keys: str) -> None:
        for key in keys:
            self._run("key", "--clearmodifiers", key)
            time.sleep(0.25)

    def type(self, text: str) -> None:
        self._run("type", "--delay", "40", text)
        time.sleep(0.2)


def test_a_tellers_session_in_a_real_window(tmp_path: Path, display: str) -> None:
    root = tmp_path / "branch"
    ws, _code, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
    ws.settings.set(admin, "language", "en")
    ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
    teller, _ = ws.auth.login("teller", PASSWORD)
    ws.auth.change_password(teller, PASSWORD, TELLER_PASSWORD)
    ws.close()

    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", LANG="en_US.UTF-8", PYTHONPATH=str(ROOT))
    env.pop("DESKTOP_APP_PASSPHRASE", None)
    app = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(root)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    x = X(display)
    try:
        x.wait_for("Key passphrase")
        x.type(PASSPHRASE)
        x.key("Return")
        x.wait_for("Sign in")
        x.type("teller")
        x.key("Tab")
        x.type(TELLER_PASSWORD)
        x.key("Return")
        x.wait_for("Customer information entry")

        # Ctrl+L, then the reported path: Ctrl+I over the lock screen opens nothing.
        x.key("ctrl+l", "ctrl+i", "ctrl+o")
        time.sleep(1.0)
        assert not x.windows("Import"), "an import dialog opened over the lock screen"
        x.type(TELLER_PASSWORD)
        x.key("Return")
        time.sleep(0.5)

        # After sign-in and unlock the keyboard is in the first field (the form number); then a name.
        x.type(FORM_NUMBER)
        x.key("Tab")
        x.type("E2E TEST")
        x.key("ctrl+n")
        x.wait_for("Unsaved typing", seconds=20)
        x.key("Return")  # Enter: save it as a draft
        time.sleep(1.0)

        x.key("ctrl+shift+q")
        x.wait_for("Sign in")
        assert not x.windows("Customer information entry —"), "the old session's window outlived the sign-out"
        x.key("Escape")
        app.wait(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)
    assert "Traceback" not in (app.stderr.read() if app.stderr else "")

    ws = Workstation.open(root, lambda: PASSPHRASE)
    try:
        teller, _ = ws.auth.login("teller", TELLER_PASSWORD)
        auditor_view = [e.action for e in ws.audit.entries(admin_like(ws), AuditFilter(limit=200))]
        assert "session.lock" in auditor_view and "session.unlock" in auditor_view
        assert "record.import" not in auditor_view and "import.run" not in auditor_view
        assert auditor_view.index("logout") < auditor_view.index("session.unlock")  # newest first
        drafts = ws.records.search(teller, SearchQuery(mine_only=True))
        assert [d.name for d in drafts] == ["E2E TEST"]
        assert ws.records.get(teller, drafts[0].id).values["form_number"] == FORM_NUMBER
    finally:
        ws.close()


def admin_like(ws: Workstation):  # type: ignore[no-untyped-def]
    """An auditor to read the trail with (added after the session, so it is not in the trail being checked)."""
    admin, _ = ws.auth.login("admin", PASSWORD)
    ws.users.add(admin, "auditor", PASSWORD, {Role.AUDITOR})
    auditor, _ = ws.auth.login("auditor", PASSWORD)
    ws.auth.change_password(auditor, PASSWORD, PASSWORD + "y")
    auditor, _ = ws.auth.login("auditor", PASSWORD + "y")
    return auditor

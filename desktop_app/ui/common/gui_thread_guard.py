"""No store call from the GUI thread (issue 13): a check the store runs before every session.

A store call on the GUI thread freezes the window for as long as the query, the argon2 hash or the held write lock
takes; every such call goes through the operation runner (ui/common/operations.py) instead. Installed by the app and by
the GUI test suite: a session opened on the GUI thread by code in desktop_app/ui/ raises in tests (strict, so the
suite fails and a new call cannot slip back) and is logged loudly, with its call site, in production.

Only calls made by the UI count: a test's own set-up that calls a service from its body, or the app's start-up
before the first window, is not the window's work. What cannot move yet is named in ALLOWLIST, in one place.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from desktop_app.services import session_guard

log = logging.getLogger(__name__)

UI_DIR = str(Path(__file__).resolve().parents[1])  # desktop_app/ui, every group below it
_THIS = str(Path(__file__).resolve())

#: UI call sites ("module:qualified function") still allowed to call the store on the GUI thread, each with why.
#: Aim: empty. A site listed here is a known freeze; moving it to an operation removes it from here.
ALLOWLIST: dict[str, str] = {}


class StoreCallOnGuiThread(BaseException):
    """A store session was opened on the GUI thread by UI code (strict mode only).

    A BaseException, like pytest's own failures, so that the UI's `except Exception` error dialogs cannot swallow
    it in a test."""


class _Guard:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.gui_thread = threading.get_ident()
        self.allow_depth = 0
        self.violations: list[str] = []
        self.reported: set[str] = set()

    def __call__(self) -> None:
        if threading.get_ident() != self.gui_thread or self.allow_depth:
            return
        site = ui_call_site(sys._getframe(1))
        if site is None or site in ALLOWLIST:
            return
        self.violations.append(site)
        if self.strict:
            raise StoreCallOnGuiThread(f"{site} called the store on the GUI thread; run it through ui.operations.Op")
        if site not in self.reported:  # once per site and run: loud, not a flood
            self.reported.add(site)
            log.error("store call on the GUI thread from %s: the window froze for it; move it to an Op", site)


_guard: _Guard | None = None


def ui_call_site(frame: FrameType | None) -> str | None:
    """The innermost UI function on the stack ("module:qualname"), or None when no UI code is on it."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(UI_DIR) and filename != _THIS:
            module = frame.f_globals.get("__name__", filename)
            return f"{module}:{frame.f_code.co_qualname}"
        frame = frame.f_back
    return None


def install(*, strict: bool) -> None:
    """Guard the store from the calling thread, which is the GUI thread: raise (strict) or log each UI call."""
    global _guard
    _guard = _Guard(strict)
    session_guard.install(_guard)


def uninstall() -> list[str]:
    """Remove the guard; returns the call sites it caught (in order, with repeats)."""
    global _guard
    found = _guard.violations if _guard is not None else []
    _guard = None
    session_guard.install(None)
    return found


def violations() -> list[str]:
    """The call sites caught so far."""
    return list(_guard.violations) if _guard is not None else []


@contextlib.contextmanager
def allowed() -> Iterator[None]:
    """Let the GUI thread call the store inside this block: a test's set-up that goes through UI helpers, or the
    app's start-up before the first window shows. Not for the window's own work."""
    guard = _guard
    if guard is not None:
        guard.allow_depth += 1
    try:
        yield
    finally:
        if guard is not None:
            guard.allow_depth -= 1

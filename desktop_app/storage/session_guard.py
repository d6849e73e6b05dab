"""A hook at the store's door: every session, integrity check and copy asks it first whether this thread may.

The store knows nothing of windows or threads' roles; the desktop app installs a check that refuses (in tests) or
reports (in production) a store call made from its GUI thread, where a slow query or a held lock freezes the
window. The CLI, the server and the benchmarks install nothing and pay one `None` test per session.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], None]

_check: Check | None = None


def install(check: Check | None) -> Check | None:
    """Make `check` the one called before every store session (None: no check); returns the one it replaces."""
    global _check
    previous, _check = _check, check
    return previous


def enter() -> None:
    """Called by the store before it opens a session; the installed check raises to refuse."""
    check = _check
    if check is not None:
        check()

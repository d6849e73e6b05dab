"""One desktop app per data directory, and no restore under a running one: an OS lock on <data dir>/app.lock.

The lock is the operating system's (flock on Linux and macOS, msvcrt.locking on Windows), so it goes with the
process: a crash never leaves it held and there is no stale lock file to clean up. Only the desktop app and
`restore` take it; the other command-line tools (a scheduled sync, a backup, verify) run beside the app as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from desktop_app.storage.errors import StoreError

LOCK_NAME = "app.lock"


class AppLocked(StoreError):
    """Another process (the desktop app, or a restore) holds this data directory."""


class AppLock:
    """Held from acquire() until release() (or the end of a with-block, or the process)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, root: Path) -> AppLock:
        """Take the lock of data directory `root` without waiting; AppLocked when someone holds it."""
        root.mkdir(parents=True, exist_ok=True)
        path = root / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise AppLocked(
                f"The desktop app is already open on this data directory ({root}), or a restore is running. "
                "Close it (sign out and quit) and try again."
            ) from None
        return cls(fd, path)

    def release(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AppLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte, not waiting; released when the file is closed

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: a second open in one process conflicts too

"""One desktop app per data directory, and no whole-file operation under a running one: an OS lock on app.lock.

The lock is the operating system's (flock on Linux and macOS, msvcrt.locking on Windows), so it goes with the
process: a crash never leaves it held and there is no stale lock file to clean up. The desktop app holds it while it
runs; every operation on the whole store takes it for its duration: restore, key rotation, recovery, and the settling
of an interrupted rotation or a schema upgrade when a store is opened. The other command-line tools (a scheduled
sync, a backup, verify) run beside the app as before.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from desktop_app.storage.errors import StoreError

LOCK_NAME = "app.lock"


class AppLocked(StoreError):
    """Another process (the desktop app, or a restore) holds this data directory."""


class AppLock:
    """Held from acquire() until release() (or the end of a with-block, or the process)."""

    # The data directories whose lock this process holds: an operation run by the app itself goes ahead under the
    # app's lock (a second flock in the same process would conflict with the first).
    _held: dict[Path, AppLock] = {}  # noqa: RUF012 - one registry for the process

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
        lock = cls(fd, path)
        cls._held[_key(root)] = lock
        return lock

    @classmethod
    def held_here(cls, root: Path) -> bool:
        """True when this process holds the lock of data directory `root`."""
        return _key(root) in cls._held

    def release(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        if self._fd is not None:
            if self._held.get(_key(self.path.parent)) is self:
                del self._held[_key(self.path.parent)]
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AppLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


@contextlib.contextmanager
def hold(root: Path) -> Iterator[None]:
    """The app lock for one whole-file operation: already held by this process (the app itself), or taken for the
    block; AppLocked when another process holds it."""
    if AppLock.held_here(root):
        yield
        return
    with AppLock.acquire(root):
        yield


def _key(root: Path) -> Path:
    return root.expanduser().resolve()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte, not waiting; released when the file is closed

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: a second open in one process conflicts too

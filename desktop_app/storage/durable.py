"""Making a write durable: fsync a file or a directory (after a rename) so a power cut keeps it.

Windows differs twice: a directory cannot be opened as a file there (os.open raises PermissionError), and
FlushFileBuffers, behind os.fsync, needs a handle opened for writing. NTFS journals a rename itself, so on Windows a
directory's fsync is skipped and a file is opened for writing to be flushed. `WINDOWS` is the one switch (tests
force it to run the Windows branch everywhere).
"""

from __future__ import annotations

import os
from pathlib import Path

WINDOWS = os.name == "nt"


def fsync_path(path: Path) -> None:
    """fsync the file or directory at `path` (a directory on Windows: nothing to do, the file system journals it)."""
    if WINDOWS:
        if path.is_dir():
            return
        flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    else:
        flags = os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

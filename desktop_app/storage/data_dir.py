"""Where a workstation keeps its files: the default data directory and the names inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "desktop-app"
ENV_DATA_DIR = "DESKTOP_APP_DATA_DIR"


def default_data_dir() -> Path:
    """DESKTOP_APP_DATA_DIR if set, else the per-user data directory of this platform."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataDir:
    """The files of one workstation store."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "workstation.db"

    @property
    def keystore(self) -> Path:
        return self.root / "keystore.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> None:
        """Create the directory tree with owner-only permissions."""
        for path in (self.root, self.backups, self.logs):
            path.mkdir(parents=True, exist_ok=True)
            os.chmod(path, 0o700)

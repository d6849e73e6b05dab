"""GUI fixtures: offscreen Qt, compiled translations, and a workstation with staff and demo customers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """The .qm files the set-up builds; compiled here too when missing or older than their .ts."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for ts in I18N.glob("*.ts"):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)


@pytest.fixture
def english(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from desktop_app.ui import i18n

    i18n.install("en")
    yield
    i18n.install("en")

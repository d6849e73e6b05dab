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
    from desktop_app.ui.common import i18n

    i18n.install("en")
    yield
    i18n.install("en")


@pytest.fixture(autouse=True)
def no_store_calls_on_gui_thread(qtbot, request) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every GUI test runs with the guard that refuses a store call made by UI code on the GUI thread (issue 13):
    such a call raises in the test, and the test fails here even if the UI swallowed it. A test's own set-up that
    calls a service from its body is not UI code and passes; set-up through UI helpers uses gui_thread_guard.allowed().
    """
    from desktop_app.ui.common import gui_thread_guard, worker

    record = os.environ.get("GUI_GUARD_RECORD")
    gui_thread_guard.install(strict=not record)
    try:
        yield
    finally:
        if worker.busy():  # outcomes still on their way are the test's work too (its widgets are still alive)
            qtbot.waitUntil(lambda: not worker.busy(), timeout=10_000)
        found = gui_thread_guard.uninstall()
    if record:
        with open(record, "a", encoding="utf-8") as out:
            out.writelines(f"{request.node.nodeid}\t{site}\n" for site in found)
        return
    assert not found, "store called on the GUI thread by: " + ", ".join(sorted(set(found)))

"""Waiting for the window's background operations in a test: their outcomes arrive later on the GUI thread."""

from __future__ import annotations

from typing import Any

from desktop_app.services.actor import Actor
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common import worker
from desktop_app.ui.records.record_view import RecordView, open_record_view


def settle(qtbot: Any, timeout: int = 10_000) -> None:
    """Wait until every started operation has delivered its outcome (and the slots it ran have returned)."""
    qtbot.waitUntil(lambda: not worker.busy(), timeout=timeout)


def open_record(qtbot: Any, ws: Workstation, actor: Actor, record_id: str) -> RecordView:
    """The record view as the window opens it: read off the GUI thread, then built."""
    shown: list[RecordView] = []
    open_record_view(None, ws, actor, record_id, shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    qtbot.addWidget(shown[0])
    return shown[0]

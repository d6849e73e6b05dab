"""Crash safety: a writer killed with SIGKILL at random moments never loses a committed record."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from desktop_app.domain.roles import Role
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record, RecordVersion
from tests.conftest import PASSWORD

KILLS = 50
ROOT = Path(__file__).resolve().parents[2]


def _read_lines_until(proc: subprocess.Popen[str], deadline: float) -> list[str]:
    """Lines the child printed up to `deadline` (non-blocking reads on its stdout)."""
    assert proc.stdout is not None
    lines: list[str] = []
    fd = proc.stdout.fileno()
    buffer = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        lines.extend(line.decode() for line in complete)
        if lines and lines[0] == "READY" and deadline - time.monotonic() > 5:
            break
    return lines


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_committed_record(tmp_path: Path, file_keyring) -> None:
    root = tmp_path / "data"
    ws, _, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.KEYRING)
    ws.users.add(admin, "writer", PASSWORD, {Role.TELLER})
    actor, _ = ws.auth.login("writer", PASSWORD)
    ws.auth.change_password(actor, PASSWORD, PASSWORD + "w")
    ws.close()

    rng = random.Random(20261129)
    committed: set[str] = set()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for attempt in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_writer", str(root), "writer", PASSWORD + "w", str(attempt)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            env=env,
        )
        lines = _read_lines_until(proc, time.monotonic() + 60)
        assert lines and lines[0] == "READY", f"writer did not start (attempt {attempt})"
        more = _read_lines_until(proc, time.monotonic() + rng.uniform(0.02, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        committed.update(line.split()[1] for line in lines + more if line.startswith("COMMITTED "))

    ws = Workstation.open(root)
    try:
        with ws.store.read() as s:
            present = set(s.scalars(sql_select(Record.id)))
            versions = s.scalar(sql_select(func.count()).select_from(RecordVersion))
        missing = committed - present
        assert not missing, f"{len(missing)} committed records lost"
        assert len(committed) > KILLS  # the writer really wrote between kills
        assert versions is not None and versions >= len(present)
        report = ws.store.verify()
        assert report.ok, report
    finally:
        ws.close()

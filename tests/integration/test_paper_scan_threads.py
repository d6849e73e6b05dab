"""Scanning as the window scans (issue 16; found by the independent check: 6 scans in 8 killed the program with
"Fatal Python error: bool_dealloc"). python-sane runs a progress callback during its read without the interpreter
lock held safely; with the GUI thread running Python the reference counts were corrupted. No Python callback goes
into the read now; a cancel reaches the device through sane_cancel. Each run is a process of its own, so that a
crash is a failed test and not a dead test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tests.support.scan_in_worker", str(tmp_path / "sane"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_a_full_feeder_scanned_from_a_worker_thread_with_the_window_running(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pages 10 cancelled False" in done.stdout, done.stdout + done.stderr[-2000:]


def test_a_cancel_mid_feed_stops_the_scan_and_keeps_the_pages_read(tmp_path: Path) -> None:
    done = _run(tmp_path, "3")  # Cancel pressed once the third sheet is in
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pages 3 cancelled True" in done.stdout, done.stdout + done.stderr[-2000:]

"""Desktop client benchmark on the store benchmark's 1,000,000-customer SQLCipher file.

Cold start to the login window (a new process each time), sign-in to a usable main window, the customer
list's first page and a jump to row 500,000, and the peak memory of the process: offscreen, and on a real X
display (a private Xvfb with the openbox window manager, the xcb platform) where a window is really mapped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks import bench_store
from benchmarks.table import print_table

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


@contextlib.contextmanager
def x_display() -> Iterator[str | None]:
    """A private Xvfb with openbox on a free display number; None when Xvfb is not installed."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    sockets = Path("/tmp/.X11-unix")  # noqa: S108 - the X server's own socket folder, not a temporary file
    number = next(n for n in range(91, 140) if not (sockets / f"X{n}").exists())
    display = f":{number}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
    manager = None
    try:
        deadline = time.monotonic() + 10
        while not (sockets / f"X{number}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if shutil.which("openbox"):
            manager = subprocess.Popen(["openbox"], env=dict(os.environ, DISPLAY=display), stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        yield display
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def _probe(store: Path, platform: str = "offscreen", display: str | None = None) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=platform,
        PYTHONPATH=str(ROOT),
        DESKTOP_APP_TEST_KEYRING=str(bench_store.BENCH_DIR / "bench-keyring.json"),
    )
    if display is not None:
        env["DISPLAY"] = display
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.gui_probe", str(store), bench_store.PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    figures: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        name, value = line.split()
        if name == "LOGIN_SHOWN":
            figures["cold_start"] = (time.perf_counter() - started) * 1000
        else:
            figures[name] = float(value)
    proc.wait(timeout=300)
    return figures


def run(records: int, fresh: bool) -> None:
    store = bench_store.BENCH_DIR / f"sqlcipher-{records}"
    if fresh or not (store / "READY").exists():
        bench_store.run(records, fresh)
    runs = [_probe(store) for _ in range(RUNS)]
    with x_display() as display:
        on_x = [_probe(store, "xcb", display) for _ in range(RUNS)] if display is not None else []

    def med(key: str, of: list[dict[str, float]]) -> str:
        return f"{statistics.median(r[key] for r in of):.0f}" if of else "no Xvfb"

    rows = [
        ["cold start to the login window (ms)", med("cold_start", runs), med("cold_start", on_x), "< 1500"],
        ["sign-in to a usable main window (ms)", med("main_window", runs), med("main_window", on_x), "< 1000"],
        ["customer list, first page (ms)", med("list_first_page", runs), med("list_first_page", on_x), "< 200"],
        ["customer list, row count known (ms)", med("list_count", runs), med("list_count", on_x), ""],
        ["customer list, jump to row 500,000 (ms)", med("list_jump_500k", runs), med("list_jump_500k", on_x), ""],
        [
            "peak RSS (MB)",
            f"{max(r['rss_mb'] for r in runs):.0f}",
            f"{max(r['rss_mb'] for r in on_x):.0f}" if on_x else "no Xvfb",
            "< 300",
        ],
        ["rows in the list", f"{runs[0]['list_rows']:,.0f}", "", ""],
    ]
    print_table(
        f"Desktop client on {records:,} customers (median of {RUNS} runs)",
        ["measure", "offscreen", "X display (Xvfb + openbox, xcb)", "target"],
        rows,
    )

"""Desktop client benchmark on the store benchmark's 1,000,000-customer SQLCipher file.

Cold start to the login window (a new process each time), sign-in to a usable main window, the customer
list's first page and a jump to row 500,000, and the peak memory of the process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import bench_store
from benchmarks.table import print_table

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _probe(store: Path) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        PYTHONPATH=str(ROOT),
        DESKTOP_APP_TEST_KEYRING=str(bench_store.BENCH_DIR / "bench-keyring.json"),
    )
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

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = [
        ["cold start to the login window (ms)", f"{med('cold_start'):.0f}", "< 1500"],
        ["sign-in to a usable main window (ms)", f"{med('main_window'):.0f}", "< 1000"],
        ["customer list, first page (ms)", f"{med('list_first_page'):.0f}", "< 200"],
        ["customer list, row count known (ms)", f"{med('list_count'):.0f}", ""],
        ["customer list, jump to row 500,000 (ms)", f"{med('list_jump_500k'):.0f}", ""],
        ["peak RSS (MB)", f"{max(r['rss_mb'] for r in runs):.0f}", "< 300"],
        ["rows in the list", f"{runs[0]['list_rows']:,.0f}", ""],
    ]
    print_table(
        f"Desktop client on {records:,} customers (median of {RUNS} runs, offscreen)",
        ["measure", "value", "target"],
        rows,
    )

"""Backup benchmark (issue 7): time a backup (export, checks, manifest) and a full verify of a store of N records.

The store is made in a temporary directory with a passphrase-kept key and seeded with ws.maintenance.seed_demo
(synthetic customers in bulk). Each figure is the median of --repeat runs; retention keeps every backup taken.
Run: .venv/bin/python -m benchmarks.bench_backup --records 100000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.table import print_table
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod

PASSWORD = "Bench-Passw0rd-1"
PASSPHRASE = "bench passphrase for backups"


def main(argv: list[str] | None = None) -> None:
    """Seed a store, then time backups and verifications and print a table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks backup")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws, _, admin = Workstation.initialise(Path(tmp) / "data", "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
        try:
            ws.settings.set(admin, "backup_keep", 365)
            started = time.perf_counter()
            ws.maintenance.seed_demo(admin, args.records, seed=7)
            seeded = time.perf_counter() - started
            backups, verifies, size = [], [], 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                info = ws.backups.create(admin)
                backups.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                report = ws.backups.verify(admin, info.path)
                verifies.append(time.perf_counter() - t0)
                assert report.ok, report.problems
                size = info.size
        finally:
            ws.close()
    print_table(
        f"Backups of a store of {args.records:,} records ({size / 1_048_576:.0f} MiB; seeding took {seeded:.0f} s)",
        ["operation", "median s", "MiB/s", "runs"],
        [
            ["backup (export + checks + manifest)", f"{statistics.median(backups):.2f}",
             f"{size / 1_048_576 / statistics.median(backups):.0f}", args.repeat],
            ["verify (sha256 + checks + audit chain)", f"{statistics.median(verifies):.2f}",
             f"{size / 1_048_576 / statistics.median(verifies):.0f}", args.repeat],
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()

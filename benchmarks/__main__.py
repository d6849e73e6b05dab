"""Run the benchmarks: python -m benchmarks [NAME ...] [--records N] [--fresh]."""

from __future__ import annotations

import argparse
import importlib

SUITES = {"store": "benchmarks.bench_store", "gui": "benchmarks.bench_gui", "dual_entry": "benchmarks.bench_dual_entry"}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suites", nargs="*", help=f"which benchmarks: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--records", type=int, default=1_000_000, help="customers in the benchmark store")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark stores")
    args = parser.parse_args()
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}: choose from {', '.join(SUITES)}")
    for name in args.suites or list(SUITES):
        importlib.import_module(SUITES[name]).run(records=args.records, fresh=args.fresh)


if __name__ == "__main__":
    main()

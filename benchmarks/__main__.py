"""Run the benchmarks: python -m benchmarks [NAME ...] [--records N] [--fresh]."""

from __future__ import annotations

import argparse
import importlib

SUITES = {"store": "benchmarks.bench_store"}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suites", nargs="*", choices=[*SUITES, []], help="which benchmarks (default: all)")
    parser.add_argument("--records", type=int, default=1_000_000, help="customers in the benchmark store")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark stores")
    args = parser.parse_args()
    for name in args.suites or list(SUITES):
        importlib.import_module(SUITES[name]).run(records=args.records, fresh=args.fresh)


if __name__ == "__main__":
    main()

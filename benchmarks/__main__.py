"""Run the benchmarks: python -m benchmarks [NAME ...] [--records N] [--fresh]; python -m benchmarks ocr|sync [...]."""

from __future__ import annotations

import argparse
import importlib
import sys

SUITES = {"store": "benchmarks.bench_store", "gui": "benchmarks.bench_gui", "dual_entry": "benchmarks.bench_dual_entry"}
# Run only when named, first and alone, with options of their own (python -m benchmarks ocr --help): the OCR
# benchmark needs the `bench` extra and takes minutes; the sync one starts servers and a PostgreSQL cluster.
STANDALONE = {
    "ocr": "benchmarks.bench_ocr",
    "sync": "benchmarks.bench_sync",
    # Operations (issue 7), each on its own store of --records customers (default 100,000): `make bench-ops`.
    "import": "benchmarks.bench_import",
    "export": "benchmarks.bench_export",
    "backup": "benchmarks.bench_backup",
    "dashboard": "benchmarks.bench_dashboard",
    "reviews": "benchmarks.bench_reviews",
    # Duplicate detection recall, precision and query time (issue 15): `make bench-quality`.
    "quality": "benchmarks.bench_quality",
    # Watchlist screening alone (also the last tables of `make bench-quality`).
    "watchlist": "benchmarks.bench_watchlist",
    # Paper forms (issue 16): scan to stored, form-code read rate, stored pages: `make bench-paper`.
    "paper": "benchmarks.bench_paper",
}


def main() -> None:
    if sys.argv[1:2] and sys.argv[1] in STANDALONE:
        importlib.import_module(STANDALONE[sys.argv[1]]).main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "suites", nargs="*", help=f"which benchmarks: {', '.join(SUITES)} (default: all); or alone: ocr|sync [options]"
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="customers in the benchmark store")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark stores")
    args = parser.parse_args()
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}: choose from {', '.join(SUITES)} "
            f"(or run one of {', '.join(STANDALONE)} alone: python -m benchmarks ocr --help, ... sync --help)"
        )
    for name in args.suites or list(SUITES):
        importlib.import_module(SUITES[name]).run(records=args.records, fresh=args.fresh)


if __name__ == "__main__":
    main()

"""Run the security probes: python -m probes [NAME ...] [--quick]; exit 1 when any probe fails.

A probe module has `TITLE` and `run(quick: bool) -> list[ProbeResult]`; add it to PROBES below to have `make
security` run it and print its table (probe, expected, result).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from benchmarks.table import print_table
from probes.result import ProbeResult

PROBES = {
    "rekey-faults": "probes.rekey_faults",  # issue 14 item 3: key rotation killed at every step, and at random
    "server-abuse": "probes.server_abuse",  # issue 14 items 10, 11, 13, 22: the central server under abuse
    "restore-wiped": "probes.restore_wiped",  # issue 14 item 5: a backup restored on a new machine with the code
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m probes", description=__doc__.splitlines()[0])
    parser.add_argument("probes", nargs="*", help=f"which probes: {', '.join(PROBES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="each probe's short form (what `make test` runs)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # what the store logs while it settles a crash is not the report
    unknown = [name for name in args.probes if name not in PROBES]
    if unknown:
        parser.error(f"unknown probe(s) {', '.join(unknown)}: choose from {', '.join(PROBES)}")
    results: list[ProbeResult] = []
    for name in args.probes or list(PROBES):
        module = importlib.import_module(PROBES[name])
        found = module.run(quick=args.quick)
        print_table(module.TITLE, ("probe", "expected", "result"), [r.row() for r in found])
        results.extend(found)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results)} probes, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

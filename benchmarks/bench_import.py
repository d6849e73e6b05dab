"""Import benchmark: 100,000 synthetic customers from a spreadsheet with Chinese headers into a fresh encrypted
store, in under 60 seconds (reading, per-row validation, duplicate checks and writing, as ImportService.run does).

Per format (csv in UTF-8 with a BOM, csv in GBK, xlsx as openpyxl writes it), the file is generated into a
temporary directory (not timed), then imported by a teller into a new store with the default mapping guess; the
table gives rows, seconds, rows per second and whether the 60-second target was met. Run:
    python -m benchmarks.bench_import [--rows N] [--formats csv-utf8,csv-gbk,xlsx]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import print_table
from desktop_app.domain.roles import Role
from desktop_app.services.actor import Actor
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from tests.support.spreadsheets import chinese_headers, customer_rows, write_csv, write_xlsx

PASSWORD = "Bench-Passw0rd-1"
PASSPHRASE = "bench import passphrase 1"
TARGET_SECONDS = 60.0
TARGET_ROWS = 100_000
FORMATS = ("csv-utf8", "csv-gbk", "xlsx")


@dataclass(frozen=True)
class Outcome:
    format: str
    rows: int
    accepted: int
    seconds: float


def _teller(root: Path) -> tuple[Workstation, Actor]:
    ws, _, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
    ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
    actor, _ = ws.auth.login("teller", PASSWORD)
    ws.auth.change_password(actor, PASSWORD, PASSWORD + "!")
    actor, _ = ws.auth.login("teller", PASSWORD + "!")
    return ws, actor


def _file(kind: str, folder: Path, rows: list[list[str]]) -> Path:
    headers = chinese_headers()
    if kind == "csv-utf8":
        return write_csv(folder / "customers-utf8.csv", headers, rows, "utf-8", bom=True)
    if kind == "csv-gbk":
        return write_csv(folder / "customers-gbk.csv", headers, rows, "gbk")
    return write_xlsx(folder / "customers.xlsx", headers, rows)


def run(rows: int = TARGET_ROWS, formats: Sequence[str] = FORMATS) -> list[Outcome]:
    """Import `rows` customers once per format, each into a fresh store; prints the table and returns it."""
    outcomes: list[Outcome] = []
    data = customer_rows(rows, seed=11)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        for kind in formats:
            path = _file(kind, folder, data)
            ws, teller = _teller(folder / f"store-{kind}")
            try:
                preview = ws.imports.preview(teller, path)
                start = time.perf_counter()
                report = ws.imports.run(teller, path, preview.mapping)
                seconds = time.perf_counter() - start
            finally:
                ws.close()
            outcomes.append(Outcome(kind, report.read, report.accepted, seconds))
            print(f"{kind}: {report.read:,} rows, {report.accepted:,} accepted, {seconds:.1f} s", flush=True)
    print_table(
        f"Spreadsheet import into a fresh encrypted store (target: {TARGET_ROWS:,} rows in {TARGET_SECONDS:.0f} s)",
        ("format", "rows", "accepted", "seconds", "rows/s", "target"),
        [
            (
                o.format,
                f"{o.rows:,}",
                f"{o.accepted:,}",
                f"{o.seconds:.1f}",
                f"{o.rows / o.seconds:,.0f}",
                "MET" if o.seconds * TARGET_ROWS / max(o.rows, 1) < TARGET_SECONDS else "MISSED",
            )
            for o in outcomes
        ],
    )
    return outcomes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_import", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", "--records", type=int, default=TARGET_ROWS, help="customers per file (--records: make bench-ops)"
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated: {', '.join(FORMATS)}")
    args = parser.parse_args(argv)
    kinds = [k for k in args.formats.split(",") if k]
    unknown = sorted(set(kinds) - set(FORMATS))
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}: choose from {', '.join(FORMATS)}")
    run(args.rows, kinds)


if __name__ == "__main__":
    main()

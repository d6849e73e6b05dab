"""Export benchmark: a list of N approved customers exported to xlsx and csv, masked and unmasked, and the audit
trail exported too. Prints time, rows per second and the process's peak memory after each run (the export reads
keyset pages of 500, so the peak should not grow with N).

python -m benchmarks.bench_export [--records N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from benchmarks.table import print_table
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.records import SEARCH_COLUMNS, SearchQuery, _dump
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record, RecordVersion

PASSWORD = "Bench-Passw0rd-1"


def _login(ws: Workstation, name: str) -> Actor:
    actor, must_change = ws.auth.login(name, PASSWORD)
    if must_change:
        ws.auth.change_password(actor, PASSWORD, PASSWORD + "x")
        actor, _ = ws.auth.login(name, PASSWORD + "x")
    return actor


def _fill(ws: Workstation, maker: Actor, n: int) -> None:
    """n approved customers written straight to the store, in chunks (the services would take far longer)."""
    now = utcnow()
    customers = generate_customers(n, seed=1)
    done = 0
    while done < n:
        with ws.store.write() as s:
            for values in (next(customers) for _ in range(min(10_000, n - done))):
                rid, at = str(uuid.uuid4()), now - timedelta(seconds=done)
                s.add(
                    Record(
                        id=rid,
                        form_key=ws.form.key,
                        status="approved",
                        version=1,
                        approved_version=1,
                        maker_id=maker.user_id,
                        made_at=at,
                        created_at=at,
                        updated_at=at,
                        **{c: values.get(c, "") for c in SEARCH_COLUMNS},
                    )
                )
                s.add(
                    RecordVersion(
                        record_id=rid,
                        version=1,
                        data=_dump(values),
                        kind="create",
                        created_by=maker.user_id,
                        created_at=at,
                    )
                )
                done += 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(records: int) -> None:
    """Build a store with `records` customers in a temporary folder and time the exports."""
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        root = Path(tmp)
        ws, _, admin = Workstation.initialise(
            root / "data", "admin", PASSWORD, KeyMethod.PASSPHRASE, "bench passphrase 1"
        )
        for name, role in (("teller", Role.TELLER), ("supervisor", Role.SUPERVISOR), ("auditor", Role.AUDITOR)):
            ws.users.add(admin, name, PASSWORD, {role})
        teller, supervisor, auditor = (_login(ws, n) for n in ("teller", "supervisor", "auditor"))
        started = time.perf_counter()
        _fill(ws, teller, records)
        print(
            f"store with {records} customers built in {time.perf_counter() - started:.1f} s; peak {_peak_mb():.0f} MB"
        )
        rows = []
        for label, actor, unmasked, name in (
            ("auditor, masked", auditor, False, "masked.xlsx"),
            ("supervisor, unmasked", supervisor, True, "unmasked.xlsx"),
            ("auditor, masked", auditor, False, "masked.csv"),
        ):
            started = time.perf_counter()
            result = ws.exports.export(actor, SearchQuery(), root / name, unmasked=unmasked)
            took = time.perf_counter() - started
            size = (root / name).stat().st_size / 1e6
            rows.append(
                [
                    label,
                    name,
                    result.count,
                    f"{took:.1f}",
                    f"{result.count / took:,.0f}",
                    f"{size:.1f}",
                    f"{_peak_mb():.0f}",
                ]
            )
        started = time.perf_counter()
        count = ws.audit.export(auditor, AuditFilter(), root / "audit.csv")
        took = time.perf_counter() - started
        rows.append(
            ["auditor, audit trail", "audit.csv", count, f"{took:.2f}", f"{count / took:,.0f}", "", f"{_peak_mb():.0f}"]
        )
        print_table(
            f"Export of {records} customers (keyset pages of 500, one read snapshot)",
            ["who", "file", "rows", "seconds", "rows/s", "MB", "peak RSS MB"],
            rows,
        )
        ws.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_export")
    parser.add_argument("--records", type=int, default=100_000, help="customers in the benchmark store")
    run(parser.parse_args(argv).records)


if __name__ == "__main__":
    main()

"""Dashboard benchmark: one snapshot (and each of its parts) on an encrypted store with N demo customers.

The store is seeded once (kept in bench-data/): N demo customers over the last year, then, in bulk, a second
entry by one of four clerks for every tenth record, two validation failures for every fifth, and an outbox row
for every approved record in a mix of states. Prints the median and p95 of the snapshot for 7, 14 and 30 days
and of each aggregate on its own.

    python -m benchmarks.bench_dashboard [--records N] [--fresh]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import keyring
from sqlalchemy import insert, select

from benchmarks.table import percentile, print_table
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.actor import utcnow
from desktop_app.services.dashboard import DashboardService, local_midnight_utc
from desktop_app.services.users import new_user
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import OutboxItem, Record, SecondEntry, User, ValidationFailure
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring

BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", Path(__file__).resolve().parents[1] / "bench-data"))
PASSWORD = "Bench-Passw0rd-1"
DEFAULT_RECORDS = 100_000
SAMPLES = 15
CLERKS = ("clerk1", "clerk2", "clerk3", "clerk4")
FIELDS = ("name", "id_number", "mobile", "address", "birth_date", "postal_code", "id_valid_until", "occupation")
OUTBOX_STATES = ("acked",) * 14 + ("pending", "pending", "refused", "conflict")


def _build(root: Path, records: int) -> float:
    """The store with its users, `records` demo customers and the extra rows the dashboard reads."""
    shutil.rmtree(root, ignore_errors=True)
    store, _ = Store.create(root, KeyMethod.KEYRING)
    with store.write() as s:
        for name, roles in (("admin", {Role.ADMIN}), ("supervisor", {Role.SUPERVISOR})):
            new_user(s, name, PASSWORD, roles, "", must_change_password=False)
        for name in CLERKS:
            new_user(s, name, PASSWORD, {Role.TELLER}, "", must_change_password=False)
    ws = Workstation(store)
    admin, _ = ws.auth.login("admin", PASSWORD)
    started = time.perf_counter()
    ws.maintenance.seed_demo(admin, records, seed=1, progress=lambda n: print(f"  {n:,}/{records:,}", end="\r"))
    print()
    with store.write() as s:
        clerks = list(s.scalars(select(User.id).where(User.username.in_(CLERKS))))
        rows = s.execute(select(Record.id, Record.status, Record.created_at).order_by(Record.created_at)).all()
        data = json.dumps(next(generate_customers(1, seed=9, today=date.today())), ensure_ascii=False)
        seconds, failures, outbox = [], [], []
        for i, (rid, status, at) in enumerate(rows):
            if i % 10 == 0:
                seconds.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "clerk_id": clerks[i % len(clerks)],
                        "data": data,
                        "created_at": at,
                    }
                )
            if i % 5 == 0:
                for n in range(2):
                    field = FIELDS[(i // 5 + n * 3) % len(FIELDS)]
                    failures.append(
                        {
                            "at": at,
                            "user_id": clerks[i % len(clerks)],
                            "source": "submit",
                            "record_id": rid,
                            "field": field,
                            "code": "required",
                        }
                    )
            if status == "approved":
                state = OUTBOX_STATES[i % len(OUTBOX_STATES)]
                outbox.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "idempotency_key": f"{rid}:1",
                        "payload": "{}",
                        "state": state,
                        "attempts": i % 3 if state == "pending" else 1,
                        "created_at": at,
                        "acked_at": at if state == "acked" else None,
                    }
                )
        s.execute(insert(SecondEntry), seconds)
        s.execute(insert(ValidationFailure), failures)
        s.execute(insert(OutboxItem), outbox)
    seconds_taken = time.perf_counter() - started
    ws.close()
    (root / "READY").write_text(str(records))
    return seconds_taken


def _timed(fn: Callable[[], object], samples: int = SAMPLES) -> list[float]:
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def run(records: int = DEFAULT_RECORDS, fresh: bool = False) -> None:
    """Build (once) and measure; prints the table."""
    BENCH_DIR.mkdir(exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    root = BENCH_DIR / f"dashboard-{records}"
    ready = root / "READY"
    if fresh or not ready.exists() or ready.read_text() != str(records):
        print(f"building the dashboard store with {records:,} customers (once; kept in {BENCH_DIR})")
        print(f"  seeded in {_build(root, records):.1f} s")
    ws = Workstation(Store.open(root))
    actor, _ = ws.auth.login("supervisor", PASSWORD)
    today = date.today()
    rows: list[list[str]] = []

    def add(label: str, times: list[float]) -> None:
        rows.append([label, f"{percentile(times, 50):.1f}", f"{percentile(times, 95):.1f}"])

    for days in (7, 14, 30):
        snap = ws.dashboard.snapshot(actor, today=today, days=days)
        entries = sum(e.total for e in snap.entries)
        add(f"snapshot, {days} days ({entries:,} entries)", _timed(lambda d=days: ws.dashboard.snapshot(actor, days=d)))
    since = local_midnight_utc(today - timedelta(days=29))
    until = local_midnight_utc(today + timedelta(days=1))
    with ws.store.read() as s:
        parts: dict[str, Callable[[], object]] = {
            "  counts by status": lambda: DashboardService._statuses(s),
            "  entries per clerk per day, 30 days": lambda: DashboardService._entries(s, since, until),
            "  validation failures by field, 30 days": lambda: DashboardService._failures(s, since, until),
            "  sync backlog": lambda: DashboardService._backlog(s),
        }
        for label, fn in parts.items():
            add(label, _timed(fn))
    add("  discrepancy report (statistics service), 30 days", _timed(lambda: ws.stats.report(actor, since, until)))
    ws.close()
    print_table(
        f"Dashboard snapshot, {records:,} customers (SQLCipher; median and p95 of {SAMPLES}; at {utcnow():%Y-%m-%d})",
        ["measure", "p50 (ms)", "p95 (ms)"],
        rows,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dashboard", description=__doc__)
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="customers in the benchmark store")
    parser.add_argument("--fresh", action="store_true", help="build the benchmark store again")
    args = parser.parse_args(argv)
    if args.records < 10:
        parser.error("--records must be at least 10")
    run(args.records, args.fresh)


if __name__ == "__main__":
    main()

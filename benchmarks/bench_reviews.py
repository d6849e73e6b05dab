"""Periodic-review benchmark: the due count (the teller's reminder) and pages of the due list on a store of N
approved customers with spread-out approval dates, risk ratings and ID validity, on several days.

python -m benchmarks.bench_reviews [--records N] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import insert, select

from benchmarks.table import percentile, print_table
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.reviews import utc_start
from desktop_app.services.users import new_user
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record, User
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring

BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", Path(__file__).resolve().parents[1] / "bench-data"))
PASSWORD = "Bench-Passw0rd-1"
DEFAULT_RECORDS = 100_000
SAMPLES = 15
START = date(2019, 1, 1)


def _build(root: Path, records: int) -> None:
    """A store whose records table holds `records` approved customers (the list reads only that table)."""
    shutil.rmtree(root, ignore_errors=True)
    store, _ = Store.create(root, KeyMethod.KEYRING)
    rng = random.Random(3)
    with store.write() as s:
        new_user(s, "teller", PASSWORD, {Role.TELLER}, "", must_change_password=False)
        maker = s.scalar(select(User.id).where(User.username == "teller"))
        rows = []
        for i, values in enumerate(generate_customers(records, seed=3, today=START)):
            at = utc_start(START + timedelta(days=rng.randrange(6 * 365))) + timedelta(hours=10)
            expires = START + timedelta(days=rng.randrange(10 * 365))
            rows.append(
                {
                    "id": f"bench-{i:07d}",
                    "form_key": "personal_customer",
                    "status": "approved" if i % 3 else "synced",
                    "version": 1,
                    "approved_version": 1,
                    "maker_id": maker,
                    "made_at": at,
                    "checked_at": at,
                    "name": values["name"],
                    "id_type": values["id_type"],
                    "id_number": values["id_number"],
                    "risk_level": rng.choice(["high", "medium", "low", "low", ""]),
                    "id_valid_until": LONG_TERM if i % 4 == 0 else expires.isoformat(),
                    "created_at": at,
                    "updated_at": at,
                }
            )
            if len(rows) == 10_000:
                s.execute(insert(Record), rows)
                rows = []
        if rows:
            s.execute(insert(Record), rows)
    store.close()
    (root / "READY").write_text(str(records))


def _time(call: Callable[[], Any]) -> list[float]:
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(records: int = DEFAULT_RECORDS, fresh: bool = False) -> None:
    """Build (or reuse) the benchmark store and print the timings."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    root = BENCH_DIR / f"reviews-{records}"
    ready = root / "READY"
    if fresh or not ready.exists() or ready.read_text() != str(records):
        print(f"building a store of {records:,} approved customers…")
        _build(root, records)
    ws = Workstation(Store.open(root))
    try:
        teller, _ = ws.auth.login("teller", PASSWORD)
        table = []
        for today in (date(2021, 6, 1), date(2023, 6, 1), date(2026, 6, 1)):
            due = ws.reviews.count_due(teller, today)
            for label, call in (
                ("count_due (reminder)", lambda t=today: ws.reviews.count_due(teller, t)),
                ("due: first page of 100", lambda t=today: ws.reviews.due(teller, t, 0, 100)),
                ("due: page at offset 10,000", lambda t=today: ws.reviews.due(teller, t, 10_000, 100)),
            ):
                samples = _time(call)
                table.append(
                    (
                        today.isoformat(),
                        f"{due:,}",
                        label,
                        f"{percentile(samples, 50):.1f}",
                        f"{percentile(samples, 95):.1f}",
                    )
                )
        print_table(
            f"Periodic review on {records:,} approved customers (SQLCipher), ms over {SAMPLES} runs",
            ("today", "due", "call", "p50 ms", "p95 ms"),
            table,
        )
    finally:
        ws.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_reviews")
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)
    run(records=args.records, fresh=args.fresh)


if __name__ == "__main__":
    main()

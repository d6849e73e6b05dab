"""Foundation benchmark: the encrypted store with N seed-demo customers, against plain SQLite.

Measures open time, save-one-record latency (validation + audit entry + commit), lookup by ID number, the
first page of a name-prefix search and of the default customer list, on SQLCipher and on a plain SQLite
file built by the same code (the same sqlcipher3 library, no key), and prints the ratios.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import sqlcipher3
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from benchmarks.table import percentile, print_table
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.actor import Actor
from desktop_app.services.records import SearchQuery
from desktop_app.services.users import new_user
from desktop_app.services.workstation import Workstation
from desktop_app.storage import audit_chain, migrate
from desktop_app.storage.data_dir import DataDir
from desktop_app.storage.engine import _apply_pragmas, engine_from_creator
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Meta, Record
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring

BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", Path(__file__).resolve().parents[1] / "bench-data"))
PASSWORD = "Bench-Passw0rd-1"
SAMPLES = 300


def _open_plain(root: Path) -> Store:
    """A plain (unencrypted) SQLite store made by the same schema and service code: the reference only."""
    data_dir = DataDir(root)
    data_dir.ensure()

    def creator() -> Any:
        conn = sqlcipher3.connect(str(data_dir.database), isolation_level=None, check_same_thread=False)
        _apply_pragmas(conn)
        return conn

    new = not data_dir.database.exists()
    engine = engine_from_creator(creator)
    if new:  # a new reference file: the same schema, then its facts
        with engine.connect() as conn:
            migrate.upgrade(conn)
            conn.commit()
            with Session(bind=conn) as s, s.begin():
                for k, v in {
                    "store_id": "plain",
                    "workstation_id": "plain",
                    "audit_key": audit_chain.derive_audit_key(b"\0" * 32).hex(),
                }.items():
                    s.add(Meta(key=k, value=v))
    return Store.from_engine(data_dir, None, b"", engine)


def _open(kind: str, root: Path) -> Store:
    return Store.open(root) if kind == "sqlcipher" else _open_plain(root)


def _build(kind: str, root: Path, records: int) -> float:
    """Make the store with its users and `records` demo customers; returns the seeding time."""
    shutil.rmtree(root, ignore_errors=True)
    if kind == "sqlcipher":
        store, _ = Store.create(root, KeyMethod.KEYRING)
    else:
        store = _open_plain(root)
    with store.write() as s:
        for name, roles in (("admin", {Role.ADMIN}), ("teller", {Role.TELLER})):
            new_user(s, name, PASSWORD, roles, "", must_change_password=False)
    ws = Workstation(store)
    admin, _ = ws.auth.login("admin", PASSWORD)
    started = time.perf_counter()
    ws.maintenance.seed_demo(
        admin, records, seed=1, progress=lambda n: print(f"  {kind}: {n:,}/{records:,}", end="\r", flush=True)
    )
    seconds = time.perf_counter() - started
    print()
    ws.close()
    (root / "READY").write_text(str(records))
    return seconds


def _timed(fn: Callable[[], object], samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def _measure(kind: str, root: Path, records: int) -> dict[str, list[float]]:
    opens = []
    for _ in range(5):
        t = time.perf_counter()
        store = _open(kind, root)
        with store.read() as s:  # opened means: the first query answers
            s.execute(text("SELECT 1 FROM records LIMIT 1")).all()
        opens.append((time.perf_counter() - t) * 1000)
        store.close()
    ws = Workstation(_open(kind, root))
    teller, _ = ws.auth.login("teller", PASSWORD)
    rng = random.Random(7)
    with ws.store.read() as s:
        max_rowid = s.execute(text("SELECT max(rowid) FROM records")).scalar_one()
        # records another clerk has awaiting blind second entry are invisible to this teller: skip those
        picks = [
            s.execute(
                select(Record.id_type, Record.id_number, Record.name)
                .where(text("rowid >= :r"), Record.status != "awaiting_second_entry")
                .limit(1),
                {"r": rng.randint(1, max_rowid - 1000)},
            ).one()
            for _ in range(SAMPLES)
        ]
    surnames = [name[0] for _, _, name in picks if name]
    it = iter(picks)
    lookup = _timed(lambda: _lookup(ws, teller, next(it)), SAMPLES)
    it_s = iter(surnames * 2)
    name_page = _timed(lambda: ws.records.search(teller, SearchQuery(text=next(it_s), limit=50)), SAMPLES)
    list_page = _timed(lambda: ws.records.search(teller, SearchQuery(limit=50)), 50)
    saves = _timed(lambda: ws.records.create(teller, generate_customer(rng, date.today())), SAMPLES)
    ws.close()
    size = (root / "workstation.db").stat().st_size
    return {"open": opens, "save": saves, "lookup": lookup, "name": name_page, "list": list_page, "size": [size / 1e6]}


def _lookup(ws: Workstation, teller: Actor, pick: Any) -> None:
    found = ws.records.find_by_id_number(teller, pick[0], pick[1])
    assert found, "an existing ID number was not found"


def run(records: int, fresh: bool) -> None:
    BENCH_DIR.mkdir(exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    seeded: dict[str, float | None] = {}
    results = {}
    for kind in ("sqlcipher", "plain"):
        root = BENCH_DIR / f"{kind}-{records}"
        ready = root / "READY"
        seeded[kind] = None
        if fresh or not ready.exists() or ready.read_text() != str(records):
            print(f"building the {kind} store with {records:,} customers (once; kept in {BENCH_DIR})")
            seeded[kind] = _build(kind, root, records)
        results[kind] = _measure(kind, root, records)
    rows = []
    spec = [
        ("open (ms, median of 5)", "open", 50, None),
        ("save one record p50 (ms)", "save", 50, None),
        ("save one record p95 (ms)", "save", 95, "< 20"),
        ("lookup by ID number p50 (ms)", "lookup", 50, "< 5"),
        ("lookup by ID number p95 (ms)", "lookup", 95, None),
        ("name-prefix search, first page p50 (ms)", "name", 50, "< 50"),
        ("name-prefix search, first page p95 (ms)", "name", 95, None),
        ("customer list, first page p50 (ms)", "list", 50, None),
        ("file size (MB)", "size", 50, None),
    ]
    for label, key, pct, target in spec:
        enc, plain = percentile(results["sqlcipher"][key], pct), percentile(results["plain"][key], pct)
        rows.append([label, f"{enc:.2f}", f"{plain:.2f}", f"{enc / plain:.2f}" if plain else "-", target or ""])
    work = ("save", "lookup", "name", "list")
    enc_total = sum(sum(results["sqlcipher"][k]) for k in work)
    plain_total = sum(sum(results["plain"][k]) for k in work)
    rows.append(
        [
            "whole workload: saves + lookups + searches (ms)",
            f"{enc_total:.0f}",
            f"{plain_total:.0f}",
            f"{enc_total / plain_total:.2f}",
            "<= 1.3 (ratio)",
        ]
    )
    if seeded["sqlcipher"] and seeded["plain"]:
        rows.append(
            [
                "seed-demo (s)",
                f"{seeded['sqlcipher']:.1f}",
                f"{seeded['plain']:.1f}",
                f"{seeded['sqlcipher'] / seeded['plain']:.2f}",
                "",
            ]
        )
    print_table(
        f"Encrypted store, {records:,} customers (SQLCipher vs plain SQLite; target ratio <= 1.3)",
        ["measure", "SQLCipher", "plain SQLite", "ratio", "target"],
        rows,
    )

"""Sync benchmark (issue 6): approved records uploaded end to end to the central server, on SQLite and PostgreSQL.

End to end means: pending outbox rows in a real workstation store (SQLCipher) -> the real client (the sync
service's run_once: outbox reader, uploader, httpx transport over HTTPS verified against a test CA) -> a real
server process on loopback (`python -m central_server serve`, tests/support/central.py) -> stored in its
database, each row marked acknowledged (and its record synced) on the workstation. The clock runs from the start
of the sync until its last batch is marked and the audit trail anchored; it excludes the server's start, the
enrolment and copying the store.

The workstation store is built once and kept in bench-data/sync-store-<n>/: <n> synthetic customers
(generate_customers: valid, no two alike) keyed by a teller and approved by a supervisor, inserted in bulk with
the rows approve() writes (record at "approved", its version, the status timeline draft -> awaiting approval ->
approved, the outbox row with the approval's payload). The audit trail gets one entry per 1,000 records instead
of the services' three per record, so that what is measured is the records, not the anchoring of a long trail.
Each setup works on a fresh copy of it and a fresh server database (the server keeps what it stored once).

Setups: the SQLite server with one worker; PostgreSQL (a throw-away cluster, tests/support/central.py: initdb in a
temporary directory, fsync off) with 1 and with 3 server workers, each fed by one client and by --streams client
streams. One client sends one batch at a time, so it cannot keep several server workers busy; a stream is the
real Uploader with its own transport (connection) on a disjoint range of outbox ids, in a thread of the same
process and store, and the sync service's run_once afterwards anchors the audit trail (and sends anything a
stream left). The ratio "3 workers / 1 worker" is taken with the same client on both sides.

Beside the wall clock it prints the CPU time the client process, the server's processes and PostgreSQL's used
during each upload (from /proc, Linux): on a machine shared with other work the rate depends on what else runs,
the CPU per record much less.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import ColumnElement, insert, select

from benchmarks.table import print_table
from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.settings import read_setting
from desktop_app.services.users import new_user
from desktop_app.services.workstation import Workstation
from desktop_app.storage.errors import StoreError
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import OutboxItem, Record, RecordVersion, StatusEvent
from desktop_app.storage.store import Store
from desktop_app.sync import credentials
from desktop_app.sync.outbox import OutboxState
from desktop_app.sync.transport import Transport
from desktop_app.sync.uploader import RecordsReport, Uploader
from tests.support.central import PostgresCluster, ServerProcess, TestCA, make_test_ca, postgres_bin_dir
from tests.support.keyrings import FileKeyring

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", ROOT / "bench-data"))
DEFAULT_RECORDS = 100_000
QUICK_RECORDS = 10_000
DEFAULT_STREAMS = 3
TARGET_PER_S = 2_000
PASSWORD = "Bench-Passw0rd-1"
TELLER, SUPERVISOR = "teller", "supervisor"
CHUNK = 1_000  # records per transaction while building the store


# --- the workstation store -----------------------------------------------------------------------------------


def _dump(value: object) -> str:
    # The services' JSON text for stored values and outbox payloads (records._dump).
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def build_store(root: Path, records: int, seed: int = 1) -> None:
    """A workstation store in `root` with an admin, a teller, a supervisor and `records` approved customers,
    each with a pending outbox row, as approve() leaves them (the key goes to the current keyring)."""
    shutil.rmtree(root, ignore_errors=True)
    ws, _code, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.KEYRING)
    try:
        store = ws.store
        with store.write() as s:
            teller = new_user(s, TELLER, PASSWORD, {Role.TELLER}, "", must_change_password=False)
            supervisor = new_user(s, SUPERVISOR, PASSWORD, {Role.SUPERVISOR}, "", must_change_password=False)
            for user in (teller, supervisor):
                store.audit(
                    s,
                    action="user.add",
                    actor_id=admin.user_id,
                    actor_name=admin.username,
                    details={"user": user.username, "roles": user.roles},
                )
            maker_id, checker_id = teller.id, supervisor.id
        form = load_default_form()
        customers = generate_customers(records, seed=seed, today=date.today())
        done = 0
        while done < records:
            now = utcnow()
            approved_at = now.isoformat() + "Z"
            rows: dict[str, list[dict[str, Any]]] = {"records": [], "versions": [], "events": [], "outbox": []}
            for _ in range(min(CHUNK, records - done)):
                values = normalise_record(form, next(customers))
                rid = str(uuid.uuid4())
                rows["records"].append(
                    {
                        "id": rid,
                        "form_key": form.key,
                        "status": Status.APPROVED.value,
                        "version": 1,
                        "approved_version": 1,
                        "base_version": None,
                        "maker_id": maker_id,
                        "made_at": now,
                        "second_clerk_id": None,
                        "reconciler_id": None,
                        "checker_id": checker_id,
                        "checked_at": now,
                        "reject_reason": None,
                        "id_type": values["id_type"],
                        "id_number": values["id_number"],
                        "name": values["name"],
                        "name_pinyin": values["name_pinyin"],
                        "mobile": values["mobile"],
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                rows["versions"].append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "kind": "create",
                        "base_version": None,
                        "created_by": maker_id,
                        "created_at": now,
                        "data": _dump(values),
                    }
                )
                for source, target, actor_id, reason in (
                    (None, Status.DRAFT, maker_id, None),
                    (Status.DRAFT, Status.AWAITING_APPROVAL, maker_id, "submitted"),
                    (Status.AWAITING_APPROVAL, Status.APPROVED, checker_id, "approved"),
                ):
                    rows["events"].append(
                        {
                            "record_id": rid,
                            "version": 1,
                            "from_status": source.value if source else None,
                            "to_status": target.value,
                            "actor_id": actor_id,
                            "at": now,
                            "reason": reason,
                        }
                    )
                payload = {
                    "record_id": rid,
                    "version": 1,
                    "base_version": None,
                    "form": form.key,
                    "status": Status.APPROVED.value,
                    "values": values,
                    "maker": TELLER,
                    "checker": SUPERVISOR,
                    "approved_at": approved_at,
                    "workstation_id": store.workstation_id,
                }
                rows["outbox"].append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "idempotency_key": f"{rid}:1",
                        "payload": _dump(payload),
                        "state": OutboxState.PENDING.value,
                        "attempts": 0,
                        "created_at": now,
                    }
                )
            with store.write() as s:
                s.execute(insert(Record), rows["records"])
                s.execute(insert(RecordVersion), rows["versions"])
                s.execute(insert(StatusEvent), rows["events"])
                s.execute(insert(OutboxItem), rows["outbox"])
                done += len(rows["records"])
                store.audit(
                    s,
                    action="bench.approved",
                    actor_id=checker_id,
                    actor_name=SUPERVISOR,
                    details={"records": len(rows["records"]), "total": done},
                )
            if done % 10_000 == 0 or done == records:
                print(f"  approved records: {done:,}/{records:,}", end="\r", flush=True)
        print()
    finally:
        ws.close()
    (root / "READY").write_text(str(records))


def _opens(root: Path) -> bool:
    """Whether the store in `root` opens (its key is in the benchmark's keyring file, which may have been reset)."""
    try:
        Store.open(root).close()
    except StoreError as exc:
        print(f"the cached store in {root} does not open ({exc.__class__.__name__}): building it again")
        return False
    return True


def cached_store(records: int, fresh: bool) -> Path:
    """bench-data/sync-store-<records>/, built when missing (or --fresh)."""
    root = BENCH_DIR / f"sync-store-{records}"
    ready = root / "READY"
    if fresh or not ready.exists() or ready.read_text() != str(records) or not _opens(root):
        print(f"building a workstation store with {records:,} approved records (once; kept in {root})")
        started = time.perf_counter()
        build_store(root, records)
        print(f"  built in {time.perf_counter() - started:.0f} s")
    return root


# --- one setup -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """One measured configuration: the server's database and workers, and how many client streams feed it."""

    backend: str  # "sqlite" or "postgresql"
    workers: int
    streams: int

    @property
    def label(self) -> str:
        database = "SQLite" if self.backend == "sqlite" else "PostgreSQL"
        workers = f"{self.workers} worker{'s' if self.workers > 1 else ''}"
        client = "1 client" if self.streams == 1 else f"{self.streams} client streams"
        return f"{database}, {workers}, {client}"


@dataclass(frozen=True)
class Outcome:
    """What one setup measured."""

    setup: Setup
    records: int
    seconds: float
    # CPU seconds spent during the upload by the client process, the server's processes and PostgreSQL's.
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float | None = None  # None for SQLite, which works inside the server's processes

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def _process_table() -> dict[int, tuple[int, float]]:
    """Every process on this machine: pid -> (parent pid, CPU seconds used so far), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    table: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, ...
        table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)  # utime + stime
    return table


def tree_cpu(root: int, *, include_root: bool = True) -> float:
    """CPU seconds used so far by the running descendants of process `root` (and by `root` itself)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, list(children.get(root, []))
    if include_root and root in table:
        total += table[root][1]
    while todo:
        pid = todo.pop()
        total += table[pid][1]
        todo += children.get(pid, [])
    return total


class RangeUploader(Uploader):
    """The real uploader restricted to the outbox ids first..last, so that several can run side by side on
    disjoint rows (the product runs one uploader per workstation; this is how the benchmark feeds more workers)."""

    def __init__(self, *args: Any, first: int, last: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._first, self._last = first, last

    def _due(self, force: bool) -> list[ColumnElement[bool]]:
        return [*super()._due(force), OutboxItem.id.between(self._first, self._last)]


def _ranges(store: Store, streams: int) -> list[tuple[int, int]]:
    """The pending outbox ids cut into `streams` consecutive ranges of about the same size."""
    with store.read() as s:
        pending = select(OutboxItem.id).where(OutboxItem.state == OutboxState.PENDING.value)
        ids = list(s.scalars(pending.order_by(OutboxItem.id)))
    size = -(-len(ids) // streams)
    return [(part[0], part[-1]) for part in (ids[i : i + size] for i in range(0, len(ids), size)) if part]


def _upload_in_streams(ws: Workstation, actor: Actor, streams: int) -> None:
    """Several uploaders at once on disjoint outbox ranges, each in its own thread with its own connection."""
    with ws.store.read() as s:
        url = str(read_setting(s, "sync_server_url"))
        ca_bundle = str(read_setting(s, "sync_ca_bundle") or "") or None
    credential = credentials.load(ws.store.workstation_id)
    reports: list[RecordsReport] = []

    def stream(first: int, last: int) -> None:
        with Transport(url, ca_bundle=ca_bundle, credential=credential) as transport:
            uploader = RangeUploader(
                ws.store, transport, actor_id=actor.user_id, actor_name=actor.username, first=first, last=last
            )
            reports.append(uploader.upload_pending(force=True))

    threads = [threading.Thread(target=stream, args=bounds) for bounds in _ranges(ws.store, streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    problems = [str(e) for report in reports for e in report.errors]
    if problems:
        raise RuntimeError(f"a client stream failed: {problems[0]}")


def measure(
    setup: Setup, store_root: Path, work: Path, ca: TestCA, db_url: str, database_pid: int | None = None
) -> Outcome:
    """Copy the store, start the server on `db_url`, enrol, and time the upload of every pending outbox row.
    `database_pid` is PostgreSQL's postmaster, whose processes' CPU is counted too."""
    client_root = work / "workstation"
    shutil.rmtree(client_root, ignore_errors=True)
    shutil.copytree(store_root, client_root)
    # One device uploading thousands of new customers is what the hourly claim limit is there to stop (issue 14
    # item 11): the benchmark turns it off to measure the upload itself.
    with ServerProcess(db_url, ca, workers=setup.workers, args=("--claims-per-hour", "0")) as server:
        ws = Workstation.open(client_root)
        try:
            admin, _ = ws.auth.login("admin", PASSWORD)
            supervisor, _ = ws.auth.login(SUPERVISOR, PASSWORD)
            ws.sync.enrol(admin, server.url, server.enrol_code(), str(ca.ca_cert), "bench workstation")
            pending = ws.sync.status(supervisor).pending
            cpu = (time.process_time(), tree_cpu(os.getpid(), include_root=False), _database_cpu(database_pid))
            started = time.perf_counter()
            if setup.streams > 1:
                _upload_in_streams(ws, supervisor, setup.streams)
            summary = ws.sync.run_once(supervisor)  # one client: all of it; after streams: the audit trail
            seconds = time.perf_counter() - started
            client_cpu = time.process_time() - cpu[0]
            server_cpu = tree_cpu(os.getpid(), include_root=False) - cpu[1]  # the server is this process's child
            database_cpu = _database_cpu(database_pid)
            if database_cpu is not None and cpu[2] is not None:
                database_cpu -= cpu[2]
            if not summary.ok:
                raise RuntimeError(f"{setup.label}: the sync failed: {summary.error}")
            status = ws.sync.status(supervisor)
        finally:
            ws.close()
        stored = server.count_records()
    if (status.acked, status.pending, stored) != (pending, 0, pending):
        raise RuntimeError(
            f"{setup.label}: {pending} pending before, after: {status.acked} acknowledged, {status.pending} pending, "
            f"{status.refused} refused, {status.conflicts} conflicts; the server holds {stored}"
        )
    return Outcome(setup, pending, seconds, client_cpu, server_cpu, database_cpu)


def _database_cpu(postmaster: int | None) -> float | None:
    return None if postmaster is None else tree_cpu(postmaster)


def postmaster_pid(cluster: PostgresCluster) -> int:
    """The pid of the cluster's postmaster (the first line of postmaster.pid)."""
    return int((cluster.data / "postmaster.pid").read_text().split()[0])


# --- the benchmark -------------------------------------------------------------------------------------------


def setups(streams: int) -> list[Setup]:
    """SQLite with one worker, then PostgreSQL with 1 and 3 workers, each with one client and with `streams`."""
    found = [Setup("sqlite", 1, 1)]
    for client in (1, streams) if streams > 1 else (1,):
        found += [Setup("postgresql", 1, client), Setup("postgresql", 3, client)]
    return found


def run(records: int, *, streams: int = DEFAULT_STREAMS, fresh: bool = False, keep: bool = False) -> list[Outcome]:
    """Build or reuse the store, measure every setup, print the table and the worker ratio."""
    BENCH_DIR.mkdir(exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    store_root = cached_store(records, fresh)
    bin_dir = postgres_bin_dir()
    work = Path(tempfile.mkdtemp(prefix="sync-run-", dir=BENCH_DIR))
    cluster = PostgresCluster(bin_dir) if bin_dir is not None else None
    outcomes: list[Outcome] = []
    try:
        ca = make_test_ca(work / "ca")
        if cluster is not None:
            cluster.start()
        else:
            print("PostgreSQL server binaries not found (run 'make setup'): SQLite only")
        for setup in setups(streams):
            if setup.backend == "postgresql" and cluster is None:
                continue
            run_dir = work / f"{setup.backend}-{setup.workers}w-{setup.streams}s"
            run_dir.mkdir()
            if setup.backend == "sqlite":
                db_url = f"sqlite:///{run_dir / 'central.sqlite3'}"
            else:
                assert cluster is not None
                db_url = cluster.create_database()
            print(f"  {setup.label}: uploading {records:,} records ...", flush=True)
            database_pid = postmaster_pid(cluster) if cluster is not None and setup.backend == "postgresql" else None
            outcome = measure(setup, store_root, run_dir, ca, db_url, database_pid)
            print(f"  {setup.label}: {outcome.seconds:.1f} s, {outcome.per_second:,.0f} records/s", flush=True)
            outcomes.append(outcome)
            if not keep:
                if cluster is not None and setup.backend == "postgresql":
                    cluster.drop_database(db_url)
                shutil.rmtree(run_dir, ignore_errors=True)
    finally:
        if cluster is not None:
            cluster.stop()
        if keep:
            print(f"\nkept the workstation copies and SQLite server databases in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(outcomes)
    return outcomes


def report(outcomes: Sequence[Outcome]) -> None:
    """The table, the PostgreSQL worker ratio for each client, and where the CPU went."""
    rows = [
        [
            o.setup.label,
            f"{o.records:,}",
            f"{o.seconds:.1f}",
            f"{o.per_second:,.0f}",
            "MET" if o.per_second >= TARGET_PER_S else "NOT MET",
        ]
        for o in outcomes
    ]
    print_table(
        "Sync: approved records uploaded end to end over HTTPS on loopback (workstation store -> client -> "
        "server -> stored and acknowledged)",
        ["setup", "records", "seconds", "records/s", f"target >= {TARGET_PER_S:,}"],
        rows,
    )
    by_setup = {(o.setup.backend, o.setup.workers, o.setup.streams): o for o in outcomes}
    for streams in sorted({o.setup.streams for o in outcomes}):
        one, three = by_setup.get(("postgresql", 1, streams)), by_setup.get(("postgresql", 3, streams))
        if one and three:
            client = "1 client" if streams == 1 else f"{streams} client streams"
            print(f"PostgreSQL 3 workers / 1 worker ({client}): {three.per_second / one.per_second:.2f}")
    print_table(
        f"Where the CPU went during the upload (CPU seconds; this machine's {os.cpu_count()} cores give "
        f"{os.cpu_count()} per second)",
        ["setup", "client", "server", "PostgreSQL", "total", "CPU ms per 1,000 records"],
        [
            [
                o.setup.label,
                f"{o.client_cpu:.1f}",
                f"{o.server_cpu:.1f}",
                "-" if o.database_cpu is None else f"{o.database_cpu:.1f}",
                f"{_total_cpu(o):.1f}",
                f"{_total_cpu(o) / o.records * 1000 * 1000:,.0f}",
            ]
            for o in outcomes
        ],
    )


def _total_cpu(outcome: Outcome) -> float:
    return outcome.client_cpu + outcome.server_cpu + (outcome.database_cpu or 0.0)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks sync",
        description="Approved records uploaded end to end to the central server: SQLite, and PostgreSQL with 1 "
        "and 3 server workers.",
    )
    parser.add_argument("--records", type=int, help=f"approved records (default {DEFAULT_RECORDS:,})")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: --records {QUICK_RECORDS:,}")
    parser.add_argument(
        "--streams",
        type=int,
        default=DEFAULT_STREAMS,
        help=f"client streams for the concurrent-client runs (default {DEFAULT_STREAMS}; 1: one client only)",
    )
    parser.add_argument("--fresh", action="store_true", help="build the cached workstation store again")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep each run's workstation copy and SQLite server database (the PostgreSQL cluster always goes)",
    )
    args = parser.parse_args(argv)
    if args.quick and args.records is not None:
        parser.error(f"--quick is --records {QUICK_RECORDS:,}: give one of them")
    records = QUICK_RECORDS if args.quick else args.records or DEFAULT_RECORDS
    if records < 1 or args.streams < 1:
        parser.error("--records and --streams must be at least 1")
    run(records, streams=args.streams, fresh=args.fresh, keep=args.keep)

"""The sync benchmark (benchmarks/bench_sync.py) keeps working: a small store of approved records goes end to end
to a real SQLite server, with one client and with two client streams, each record stored exactly once. No rate is
asserted here: the figures are the benchmark's to print."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmarks import bench_sync
from benchmarks.bench_sync import Outcome, Setup
from desktop_app.storage.models import OutboxItem, Record
from desktop_app.storage.store import Store
from desktop_app.sync.outbox import OutboxState
from tests.support import central
from tests.support.central import TestCA

test_ca = central.test_ca

RECORDS = 200


def _states(root: Path) -> tuple[dict[str, int], dict[str, int]]:
    store = Store.open(root)
    try:
        with store.read() as s:
            by_state = select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
            by_status = select(Record.status, func.count()).group_by(Record.status)
            outbox = {str(state): int(n) for state, n in s.execute(by_state)}
            records = {str(status): int(n) for status, n in s.execute(by_status)}
    finally:
        store.close()
    return outbox, records


@pytest.mark.parametrize("streams", [1, 2])
def test_every_approved_record_reaches_the_server_once_and_the_cached_store_stays_pending(
    tmp_path: Path, test_ca: TestCA, streams: int
) -> None:
    store = tmp_path / "store"
    bench_sync.build_store(store, RECORDS)
    assert _states(store) == ({OutboxState.PENDING.value: RECORDS}, {"approved": RECORDS})

    work = tmp_path / "run"
    work.mkdir()
    setup = Setup("sqlite", workers=1, streams=streams)
    outcome = bench_sync.measure(setup, store, work, test_ca, f"sqlite:///{work / 'central.sqlite3'}")

    # measure() itself refuses a run that left a row unacknowledged or a count on the server that differs.
    assert outcome.records == RECORDS and outcome.seconds > 0
    assert _states(work / "workstation") == ({OutboxState.ACKED.value: RECORDS}, {"synced": RECORDS})
    assert _states(store) == ({OutboxState.PENDING.value: RECORDS}, {"approved": RECORDS})  # reusable


def test_the_table_judges_the_target_and_prints_the_worker_ratio_per_client(capsys: pytest.CaptureFixture[str]) -> None:
    bench_sync.report(
        [
            Outcome(Setup("sqlite", 1, 1), 10_000, 4.0),
            Outcome(Setup("postgresql", 1, 1), 10_000, 8.0),
            Outcome(Setup("postgresql", 3, 1), 10_000, 8.0),
            Outcome(Setup("postgresql", 1, 3), 10_000, 5.0),
            Outcome(Setup("postgresql", 3, 3), 10_000, 4.0),
        ]
    )
    out = capsys.readouterr().out
    rows = {cells[0]: cells[1:] for line in out.splitlines() if len(cells := [c.strip() for c in line.split("|")]) == 5}
    assert rows["SQLite, 1 worker, 1 client"] == ["10,000", "4.0", "2,500", "MET"]
    assert rows["PostgreSQL, 1 worker, 1 client"] == ["10,000", "8.0", "1,250", "NOT MET"]
    assert rows["setup"] == ["records", "seconds", "records/s", "target >= 2,000"]
    assert "PostgreSQL 3 workers / 1 worker (1 client): 1.00" in out
    assert "PostgreSQL 3 workers / 1 worker (3 client streams): 1.25" in out
    assert [s.label for s in bench_sync.setups(3)] == [
        "SQLite, 1 worker, 1 client",
        "PostgreSQL, 1 worker, 1 client",
        "PostgreSQL, 3 workers, 1 client",
        "PostgreSQL, 1 worker, 3 client streams",
        "PostgreSQL, 3 workers, 3 client streams",
    ]

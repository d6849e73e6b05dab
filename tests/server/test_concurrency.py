"""Exactly once under concurrency, and a server that goes down and comes back: several server processes on one
database, two clients racing with the same items."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest

from desktop_app.domain.sync_protocol import BATCH_PATH, ItemResult, ItemStatus
from tests.server.workstations import Workstation, close_databases, customers, enrol, https_client, upload_item
from tests.support.central import ServerProcess

ITEMS = 200
BATCH = 50


def _send_all(server: ServerProcess, credential: str, batches: Sequence[list[dict[str, Any]]]) -> list[ItemResult]:
    results: list[ItemResult] = []
    with https_client(server, credential) as client:
        for batch in batches:
            response = client.post(BATCH_PATH, json={"items": batch})
            assert response.status_code == 200, response.text
            results += [ItemResult.from_json(r) for r in response.json()["results"]]
    return results


def _race(server: ServerProcess, branch: Workstation, items: list[dict[str, Any]]) -> list[list[ItemResult]]:
    """Two clients send the same batches at the same moment (the second with each batch's items in reverse
    order), so that both transactions insert the same keys at once."""
    forwards = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    backwards = [list(reversed(batch)) for batch in forwards]
    start = threading.Barrier(2)
    outcomes: list[list[ItemResult]] = [[], []]
    failures: list[BaseException] = []

    def client(slot: int, batches: list[list[dict[str, Any]]]) -> None:
        try:
            start.wait()
            outcomes[slot] = _send_all(server, branch.credential, batches)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [
        threading.Thread(target=client, args=(0, forwards)),
        threading.Thread(target=client, args=(1, backwards)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    return outcomes


def _assert_exactly_once(server: ServerProcess, items: list[dict[str, Any]], outcomes: list[list[ItemResult]]) -> None:
    by_key: dict[str, list[ItemStatus]] = {}
    for results in outcomes:
        assert len(results) == len(items)
        for result in results:
            by_key.setdefault(result.idempotency_key, []).append(result.status)
    assert len(by_key) == len(items)
    assert all(Counter(statuses) == {ItemStatus.STORED: 1, ItemStatus.DUPLICATE: 1} for statuses in by_key.values())
    assert server.count_records() == len(items)
    assert sorted(server.records()) == sorted((i["record_id"], i["version"]) for i in items)


@pytest.mark.parametrize("postgres_server", [{"workers": 3}], indirect=True)
def test_two_clients_racing_through_three_workers_on_postgresql_store_each_item_once(
    postgres_server: ServerProcess,
) -> None:
    branch = enrol(postgres_server)
    try:
        items = [upload_item(branch.payload(values)) for values in customers(ITEMS)]
        outcomes = _race(postgres_server, branch, items)
    finally:
        branch.close()
        close_databases()
    _assert_exactly_once(postgres_server, items, outcomes)


@pytest.mark.parametrize("postgres_server", [{"workers": 3}], indirect=True)
def test_two_branches_racing_with_the_same_new_customers_get_one_record_each_and_conflicts(
    postgres_server: ServerProcess,
) -> None:
    people = customers(60)
    branches = [enrol(postgres_server, "north"), enrol(postgres_server, "south")]
    start = threading.Barrier(2)
    outcomes: list[list[ItemResult]] = [[], []]
    failures: list[BaseException] = []

    def branch_uploads(slot: int) -> None:
        try:
            branch = branches[slot]
            payloads = [branch.payload(values) for values in people]
            start.wait()
            outcomes[slot] = branch.upload(payloads)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    try:
        threads = [threading.Thread(target=branch_uploads, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for branch in branches:
            branch.close()
        close_databases()
    assert not failures, failures
    for north, south in zip(*outcomes, strict=True):
        assert {north.status, south.status} == {ItemStatus.STORED, ItemStatus.VERSION_CONFLICT}
        loser = north if north.status == ItemStatus.VERSION_CONFLICT else south
        assert loser.central is None and [r.code for r in loser.reasons] == ["customer_held_elsewhere"]
    assert postgres_server.count_records() == len(people)


@pytest.mark.parametrize("sqlite_server", [{"workers": 2}], indirect=True)
def test_two_clients_racing_through_two_workers_on_sqlite_store_each_item_once(sqlite_server: ServerProcess) -> None:
    branch = enrol(sqlite_server)
    try:
        items = [upload_item(branch.payload(values)) for values in customers(ITEMS)]
        outcomes = _race(sqlite_server, branch, items)
    finally:
        branch.close()
        close_databases()
    _assert_exactly_once(sqlite_server, items, outcomes)


def test_a_server_stopped_and_started_again_keeps_its_port_and_its_data(sqlite_server: ServerProcess) -> None:
    branch = enrol(sqlite_server)
    try:
        payloads = [branch.payload(values) for values in customers(3)]
        assert [r.status for r in branch.upload(payloads)] == [ItemStatus.STORED] * 3
        url = sqlite_server.url
        sqlite_server.stop()
        assert not sqlite_server.running
        sqlite_server.start()
        assert sqlite_server.url == url
        assert [r.status for r in branch.upload(payloads)] == [ItemStatus.DUPLICATE] * 3
    finally:
        branch.close()
        close_databases()
    assert sqlite_server.count_records() == 3
    assert f"listening on {url}" in sqlite_server.log_text()

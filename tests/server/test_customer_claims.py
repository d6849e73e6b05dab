"""Customer claims (issue 14 item 11): who a customer is (the ID normalised), an administrator's release, and the
per-device rate limits and report. A real server process over HTTPS, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.domain.sync_protocol import STATUS_PATH, ItemStatus
from tests.server.workstations import close_databases, customers, enrol
from tests.support.central import PostgresCluster, ServerProcess, TestCA, run_server_cli


def _devices(server: ServerProcess) -> dict[str, dict[str, Any]]:
    listed = run_server_cli("devices", "--json", db_url=server.db_url)
    assert listed.returncode == 0, listed.stderr
    return {d["id"]: d for d in json.loads(listed.stdout)}


def _claims(server: ServerProcess, record_id: str) -> int:
    with server.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM customers WHERE record_id = :r"), {"r": record_id}
            ).scalar_one()
        )


def test_the_id_number_is_normalised_before_the_customer_is_looked_up(server: ServerProcess) -> None:
    """Issue 14 item 11: the ID is normalised (the form's one normaliser) before it is hashed, so a number written
    another way by another branch is the same customer, not a second one."""
    north, south = enrol(server, "north"), enrol(server, "south")
    try:
        person = customers(1)[0]
        first = north.payload(person)
        assert north.upload([first])[0].status == ItemStatus.STORED
        spaced = dict(person, id_number=f" {person['id_number']} ")  # the validation reads it as the same number
        [result] = south.upload([south.payload(spaced)])
        assert result.status == ItemStatus.VERSION_CONFLICT, result
        assert [r.code for r in result.reasons] == ["customer_held_elsewhere"]
        assert _claims(server, first["record_id"]) == 1
    finally:
        north.close()
        south.close()


def test_an_administrator_releases_a_claim_and_the_blocked_branch_then_holds_the_customer(
    server: ServerProcess,
) -> None:
    """Issue 14 item 11: a claim is no longer permanent. The administrator releases the claim that blocked a
    branch's record (release-claim --blocked); the blocked record, sent again, holds the customer, and the first
    holder's next version is the conflict now."""
    north, south = enrol(server, "north"), enrol(server, "south")
    try:
        person = customers(1)[0]
        held = north.payload(person)
        assert north.upload([held])[0].status == ItemStatus.STORED
        blocked = south.payload(person)
        assert south.upload([blocked])[0].status == ItemStatus.VERSION_CONFLICT

        released = run_server_cli("release-claim", "--blocked", blocked["record_id"], db_url=server.db_url)
        assert released.returncode == 0, released.stderr
        assert held["record_id"] in released.stdout and "1 claim(s) released" in released.stderr
        again = run_server_cli("release-claim", "--blocked", blocked["record_id"], db_url=server.db_url)
        assert again.returncode == 1 and "no claim blocks" in again.stderr

        assert south.upload([blocked])[0].status == ItemStatus.STORED
        assert _claims(server, blocked["record_id"]) == 1 and _claims(server, held["record_id"]) == 0
        v2 = north.payload(person, record_id=held["record_id"], version=2, base_version=1)
        [result] = north.upload([v2])
        assert result.status == ItemStatus.VERSION_CONFLICT and result.central is None
        with server.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT record_id, workstation_id, reason FROM claim_releases WHERE record_id = :r"),
                {"r": held["record_id"]},
            ).one()
        assert kept.workstation_id == north.workstation_id and "administrator" in kept.reason

        by_record = run_server_cli("release-claim", "--record", blocked["record_id"], db_url=server.db_url)
        assert by_record.returncode == 0 and _claims(server, blocked["record_id"]) == 0
    finally:
        north.close()
        south.close()


def test_an_administrator_releases_every_claim_of_a_device(server: ServerProcess) -> None:
    """Issue 14 item 11: after revoking a device that claimed customers it should not have, one command frees
    them all."""
    rogue = enrol(server, "rogue")
    try:
        payloads = [rogue.payload(values) for values in customers(3)]
        assert [r.status for r in rogue.upload(payloads)] == [ItemStatus.STORED] * 3
    finally:
        rogue.close()
    server.revoke(rogue.device_id)
    released = run_server_cli("release-claim", "--device", rogue.device_id, db_url=server.db_url)
    assert released.returncode == 0 and "3 claim(s) released" in released.stderr
    assert all(_claims(server, p["record_id"]) == 0 for p in payloads)
    assert _devices(server)[rogue.device_id]["claims"] == 0


@pytest.fixture(params=["sqlite", "postgres"])
def limited_server(
    request: pytest.FixtureRequest, test_ca: TestCA, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A server that lets a device claim 3 new customers and have 2 items refused per hour."""
    args = ("--claims-per-hour", "3", "--refusals-per-hour", "2")
    if request.param == "sqlite":
        with ServerProcess(f"sqlite:///{tmp_path_factory.mktemp('limits') / 'c.sqlite3'}", test_ca, args=args) as s:
            yield s
        close_databases()
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    try:
        with ServerProcess(url, test_ca, args=args) as running:
            yield running
    finally:
        close_databases()
        cluster.drop_database(url)


def test_claims_and_refusals_are_rate_limited_and_reported_per_device(limited_server: ServerProcess) -> None:
    """Issue 14 item 11: a device can claim only so many new customers, and have only so many items refused, in
    an hour; past that its batches are answered 429 (the rows wait on the workstation), other devices go on, and
    the administrator's device list reports claims and refusals per device."""
    server = limited_server
    greedy, noisy, quiet = enrol(server, "greedy"), enrol(server, "noisy"), enrol(server, "quiet")
    try:
        first = [greedy.payload(values) for values in customers(3)]
        assert [r.status for r in greedy.upload(first)] == [ItemStatus.STORED] * 3
        more = greedy.post_batch([greedy.payload(customers(1)[0])])
        assert more.status_code == 429 and more.json()["error"] == "rate_limited", more.text
        assert 0 < int(more.headers["Retry-After"]) <= 3600
        assert greedy.client.get(STATUS_PATH).status_code == 200  # still enrolled: only its uploads wait

        refused = [noisy.payload(values, checker="") for values in customers(2)]
        assert [r.status for r in noisy.upload(refused)] == [ItemStatus.REFUSED] * 2
        assert noisy.post_batch([noisy.payload(customers(1)[0])]).status_code == 429

        assert quiet.upload([quiet.payload(customers(1)[0])])[0].status == ItemStatus.STORED
    finally:
        for workstation in (greedy, noisy, quiet):
            workstation.close()
    report = _devices(server)
    assert (report[greedy.device_id]["claims"], report[greedy.device_id]["claims_last_hour"]) == (3, 3)
    assert (report[noisy.device_id]["refusals"], report[noisy.device_id]["refusals_last_hour"]) == (2, 2)
    assert report[quiet.device_id]["claims"] == 1
    table = run_server_cli("devices", db_url=server.db_url)
    assert "CUSTOMERS (1H)" in table.stdout and "3 (3)" in table.stdout
    assert "rate limited" in server.log_text()

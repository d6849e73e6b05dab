"""The server's schema migrations (issue 14 changed the schema for the first time): a database made by a server of
schema version 1 is upgraded at start with its data, and a database newer than the server is refused."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from central_server.database import _alembic, make_engine
from desktop_app.domain.sync_protocol import STATUS_PATH, canonical_json
from tests.server.workstations import approved_payload, customers, https_client, new_code
from tests.support.central import PostgresCluster, ServerProcess, TestCA, run_server_cli


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    try:
        yield url
    finally:
        cluster.drop_database(url)


def _old_key(values: dict[str, str]) -> str:
    """The customer key as a server of schema version 1 made it: the ID as it came."""
    return hashlib.sha256(f"{values['id_type']}:{values['id_number']}".encode()).hexdigest()


def _make_version_1(url: str) -> dict[str, str]:
    """A database as a server of schema version 1 left it (its tables, no migration revision), holding two devices
    of one workstation, one of another, and one customer claimed twice because the ID was written two ways."""
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(_alembic(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
    now = datetime.now(UTC).replace(tzinfo=None)
    person = dict(customers(1)[0], form_number="KYC-PC1-00000042")
    spaced = dict(person, id_number=f" {person['id_number']}", form_number="")
    ids = {"north_old": str(uuid.uuid4()), "north": str(uuid.uuid4()), "south": str(uuid.uuid4())}
    records = {"north": str(uuid.uuid4()), "south": str(uuid.uuid4())}
    with engine.begin() as connection:
        for n, (name, workstation) in enumerate(
            [("north_old", "ws-north"), ("north", "ws-north"), ("south", "ws-south")]
        ):
            connection.execute(
                text(
                    "INSERT INTO devices (id, name, workstation_id, credential_hash, enrolled_at) "
                    "VALUES (:id, :name, :ws, :hash, :at)"
                ),
                {"id": ids[name], "name": name, "ws": workstation, "hash": "0" * 64, "at": now + timedelta(seconds=n)},
            )
        for n, (branch, values) in enumerate([("north", person), ("south", spaced)]):
            payload = approved_payload(values, f"ws-{branch}", record_id=records[branch])
            row = {
                "rid": records[branch], "key": f"{records[branch]}:1", "payload": canonical_json(payload),
                "device": ids[branch], "ws": f"ws-{branch}", "ckey": _old_key(values), "at": now + timedelta(seconds=n),
            }  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO records (record_id, version, idempotency_key, digest, payload, device_id, "
                    "workstation_id, customer_key, base_version, received_at) "
                    "VALUES (:rid, 1, :key, 'd', :payload, :device, :ws, :ckey, NULL, :at)"
                ),
                row,
            )
            connection.execute(
                text(
                    "INSERT INTO customers (customer_key, record_id, workstation_id, device_id, claimed_at) "
                    "VALUES (:ckey, :rid, :ws, :device, :at)"
                ),
                row,
            )
    engine.dispose()
    return {**ids, "north_record": records["north"], "south_record": records["south"]}


def test_a_version_1_database_is_upgraded_with_its_data_at_start(empty_url: str, test_ca: TestCA) -> None:
    """Issue 14 items 10 and 11, on upgrade: the workstations enrolled so far get their owner (the latest active
    device), customer keys are normalised, a customer claimed twice because its ID was written two ways keeps
    the earlier claim (the other kept in claim_releases), and the server then runs on it."""
    made = _make_version_1(empty_url)
    with ServerProcess(empty_url, test_ca) as server:
        with server.engine.connect() as connection:
            owners = dict(connection.execute(text("SELECT workstation_id, device_id FROM workstations")).all())
            claims = connection.execute(text("SELECT customer_key, record_id FROM customers")).all()
            keys = connection.execute(text("SELECT DISTINCT customer_key FROM records")).scalars().all()
            released = connection.execute(text("SELECT record_id, reason FROM claim_releases")).all()
            version = connection.execute(text("SELECT version FROM schema_version")).scalar_one()
            match_kinds = connection.execute(text("SELECT record_id, kind FROM match_keys ORDER BY id")).all()
        assert owners == {"ws-north": made["north"], "ws-south": made["south"]}
        assert [record for _, record in claims] == [made["north_record"]] and keys == [claims[0][0]]
        assert [record for record, _ in released] == [made["south_record"]] and "merged" in released[0][1]
        assert version == 2
        # Revision 0004: the records stored before the cross-branch index got their keys, the form number's too.
        kinds = {
            record: {k for r, k in match_kinds if r == record}
            for record in (made["north_record"], made["south_record"])
        }
        assert kinds[made["north_record"]] == {"id_document", "name_and_birth", "mobile", "form_number"}
        assert kinds[made["south_record"]] == {"id_document", "name_and_birth", "mobile"}
        code = new_code(server, "north", workstation_id="ws-north")
        with https_client(server) as anonymous:
            answer = anonymous.post("/v1/enrol", json={"code": code, "workstation_id": "ws-north"})
        assert answer.status_code == 200, answer.text
        with https_client(server, answer.json()["credential"]) as client:
            assert client.get(STATUS_PATH).status_code == 200
        devices = {d["id"]: d for d in json.loads(run_server_cli("devices", "--json", db_url=empty_url).stdout)}
        assert devices[made["north"]]["revoked_at"] and devices[made["north_old"]]["revoked_at"]
        assert devices[made["south"]]["revoked_at"] is None


def test_a_database_newer_than_the_server_is_refused(empty_url: str) -> None:
    """A server never runs on a database a newer release migrated: one line, exit 1."""
    assert run_server_cli("devices", db_url=empty_url).returncode == 0  # made at the newest revision
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    refused = run_server_cli("devices", db_url=empty_url)
    assert refused.returncode == 1 and "newer than this server knows" in refused.stderr, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

"""A workstation as the server sees it, for the server's tests: approved payloads shaped like the outbox's
(desktop_app.services.records approve()), upload items, an enrolled device speaking HTTPS to a real server."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from central_server.database import Database, open_database
from central_server.enrolment import create_enrolment_code
from desktop_app.domain.sync_protocol import (
    BATCH_PATH,
    ENROL_PATH,
    ItemResult,
    UploadItem,
    idempotency_key,
    payload_digest,
)
from desktop_app.domain.synthetic import generate_customers
from tests.support.central import ServerProcess

# One stream of customers for the whole run: no two tests (or workstations) get the same person by chance.
_CUSTOMERS: Iterator[dict[str, str]] = generate_customers(1_000_000, seed=6)


def customers(n: int) -> list[dict[str, str]]:
    """`n` valid synthetic customers no other test has used."""
    return list(itertools.islice(_CUSTOMERS, n))


def approved_payload(
    values: Mapping[str, str],
    workstation_id: str,
    *,
    record_id: str | None = None,
    version: int = 1,
    base_version: int | None = None,
    status: str = "approved",
    maker: str = "clerk.li",
    checker: str = "supervisor.wang",
) -> dict[str, Any]:
    """An outbox payload as the workstation writes it at approval."""
    return {
        "record_id": record_id or str(uuid.uuid4()),
        "version": version,
        "base_version": base_version,
        "form": "personal_customer",
        "status": status,
        "values": dict(values),
        "maker": maker,
        "checker": checker,
        "approved_at": datetime.now(UTC).replace(tzinfo=None).isoformat() + "Z",
        "workstation_id": workstation_id,
    }


def upload_item(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The upload item for a payload, with its idempotency key and digest."""
    record_id, version = str(payload["record_id"]), int(payload["version"])
    return UploadItem(
        idempotency_key(record_id, version), record_id, version, dict(payload), payload_digest(payload)
    ).to_json()


@dataclass
class Workstation:
    """An enrolled device talking to the server over HTTPS."""

    client: httpx.Client
    workstation_id: str
    device_id: str
    credential: str

    def payload(self, values: Mapping[str, str], **fields: Any) -> dict[str, Any]:
        """An approved payload from this workstation."""
        return approved_payload(values, self.workstation_id, **fields)

    def post_batch(self, payloads: Sequence[Mapping[str, Any]]) -> httpx.Response:
        return self.client.post(BATCH_PATH, json={"items": [upload_item(p) for p in payloads]})

    def upload(self, payloads: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
        """Upload a batch; the per-item results (the HTTP status must be 200)."""
        response = self.post_batch(payloads)
        assert response.status_code == 200, response.text
        return [ItemResult.from_json(r) for r in response.json()["results"]]

    def close(self) -> None:
        self.client.close()


def https_client(server: ServerProcess, credential: str | None = None) -> httpx.Client:
    """An HTTPS client that trusts only the test CA, with the device credential when given."""
    assert server.tls is not None, "these tests speak HTTPS"
    headers = {"Authorization": f"Bearer {credential}"} if credential else {}
    return httpx.Client(base_url=server.url, verify=server.tls.ssl_context(), headers=headers, timeout=60)


_DATABASES: dict[str, Database] = {}


def new_code(
    server: ServerProcess,
    name: str = "branch-test",
    ttl: timedelta = timedelta(hours=1),
    workstation_id: str | None = None,
) -> str:
    """An enrolment code made in-process on the server's database (quicker than the command line, which
    ServerProcess.enrol_code runs; tests of the command line use that): for a new workstation, or for
    `workstation_id`."""
    if server.db_url not in _DATABASES:
        _DATABASES[server.db_url] = open_database(server.db_url)
    return create_enrolment_code(_DATABASES[server.db_url], name, ttl, workstation_id)


def close_databases() -> None:
    """Let go of the connections new_code() opened."""
    for db in _DATABASES.values():
        db.dispose()
    _DATABASES.clear()


def enrol(server: ServerProcess, name: str = "branch-test", workstation_id: str | None = None) -> Workstation:
    """Enrol a new workstation with a fresh code; with `workstation_id`, re-enrol that one with a code issued
    for it."""
    code = new_code(server, name, workstation_id=workstation_id)
    workstation_id = workstation_id or f"ws-{uuid.uuid4().hex[:12]}"
    with https_client(server) as anonymous:
        response = anonymous.post(ENROL_PATH, json={"code": code, "workstation_id": workstation_id, "name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return Workstation(https_client(server, body["credential"]), workstation_id, body["device_id"], body["credential"])

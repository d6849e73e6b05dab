"""What an enrolled device (or anyone) can send that once made the server answer 500 (issue 14 item 13): texts
that are not Unicode scalar values, numbers beyond their columns, `false` for a number, deep nesting. A real
server process over HTTPS, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    STATUS_PATH,
    ItemResult,
    ItemStatus,
    idempotency_key,
    payload_digest,
)
from tests.server.workstations import Workstation, customers, enrol, https_client, new_code, upload_item
from tests.support.central import ServerProcess

LONE_SURROGATE = "\ud800"


@pytest.fixture
def branch(server: ServerProcess) -> Iterator[Workstation]:
    workstation = enrol(server, "branch")
    yield workstation
    workstation.close()


def _post(client: httpx.Client, path: str, body: Any) -> httpx.Response:
    """POST `body` as JSON written by Python's encoder, which spells a lone surrogate as "\\ud800" and keeps any
    integer, as a hostile client would."""
    return client.post(path, content=json.dumps(body).encode("ascii"), headers={"Content-Type": "application/json"})


def _item_with(payload: dict[str, Any], /, **fields: Any) -> dict[str, Any]:
    """The upload item of `payload` with some fields replaced (a digest of zeros: a payload holding a lone
    surrogate has none)."""
    record_id, version = payload["record_id"], payload["version"]
    item = {"idempotency_key": idempotency_key(record_id, version), "record_id": record_id, "version": version}
    return item | {"payload": payload, "digest": "0" * 64} | fields


def _assert_no_server_error(server: ServerProcess) -> None:
    log = server.log_text()
    assert "Traceback" not in log and "internal error" not in log


def test_a_bad_item_is_refused_alone_and_never_fails_its_batch(server: ServerProcess, branch: Workstation) -> None:
    """Issue 14 item 13: a lone surrogate (or a NUL) in a record value, versions beyond 64 bits, `false` or `true`
    for a number, a payload nested too deeply, or not an item at all: each is that item's refusal, the batch is
    answered 200 and its good items are stored."""
    people = customers(2)
    good = [branch.payload(values) for values in people]

    def payload(**fields: Any) -> dict[str, Any]:
        return branch.payload(customers(1)[0], **fields)

    surrogate = payload()
    surrogate["values"]["name_en"] = f"ZHANG {LONE_SURROGATE}"
    surrogate_key = payload()
    surrogate_key["values"][LONE_SURROGATE] = "x"
    nul = payload()  # PostgreSQL cannot hold NUL in a text column
    nul["values"]["address"] = "1 Road\x00"
    true_version = payload()
    true_version["version"] = True
    deep = payload()
    nested: dict[str, Any] = {}
    deep["extra"] = nested
    for _ in range(40):
        nested["n"] = {}
        nested = nested["n"]
    bad: list[tuple[Any, str]] = [
        (_item_with(surrogate), "bad_text"),
        (_item_with(surrogate_key), "bad_text"),
        (_item_with(payload(), record_id=f"{LONE_SURROGATE}x"), "bad_text"),
        (_item_with(nul), "bad_text"),
        (_item_with(payload(), idempotency_key="k\x00"), "bad_text"),
        (_item_with(payload(), version=2**63), "bad_version"),
        (_item_with(payload(), version=10**30), "bad_version"),
        (_item_with(payload(), version=-(2**70)), "bad_version"),
        (_item_with(payload(), version=False), "bad_version"),
        (_item_with(payload(), version=1.0), "bad_version"),
        (_item_with(true_version, version=1, digest=payload_digest(true_version)), "key_mismatch"),
        (_item_with(deep), "bad_payload"),
        (_item_with(payload(), payload=None), "malformed_item"),
        ("not an item", "malformed_item"),
        (None, "malformed_item"),
    ]
    # Each beside a good item (so that each would have failed its batch on its own), then all in one batch.
    for (item, code), values in zip(bad, customers(len(bad)), strict=True):
        fine = branch.payload(values)
        response = _post(branch.client, BATCH_PATH, {"items": [upload_item(fine), item]})
        assert response.status_code == 200, (code, response.text)
        statuses = [(r["status"], [reason["code"] for reason in r["reasons"]]) for r in response.json()["results"]]
        assert statuses == [("stored", []), ("refused", [code])], statuses
    items = [upload_item(good[0]), *(item for item, _ in bad), upload_item(good[1])]
    response = _post(branch.client, BATCH_PATH, {"items": items})
    assert response.status_code == 200, response.text
    results = [ItemResult.from_json(r) for r in response.json()["results"]]
    assert len(results) == len(items)
    assert results[0].status == ItemStatus.STORED and results[-1].status == ItemStatus.STORED
    for result, (_, code) in zip(results[1:-1], bad, strict=True):
        assert result.status == ItemStatus.REFUSED and [r.code for r in result.reasons] == [code], result
    assert LONE_SURROGATE not in response.text and "\\ud800" not in response.text
    assert server.stored_payload(good[0]["record_id"], 1) == good[0]
    with server.engine.connect() as connection:
        refused = connection.execute(
            text("SELECT count(*) FROM refusals WHERE device_id = :device"), {"device": branch.device_id}
        ).scalar_one()
    assert refused == 2 * len(bad)
    assert branch.client.get(STATUS_PATH).json()["records"] == 2 + len(bad)
    _assert_no_server_error(server)


def test_a_surrogate_or_a_number_beyond_its_column_elsewhere_is_a_4xx_not_a_500(
    server: ServerProcess, branch: Workstation
) -> None:
    """Issue 14 item 13: audit sequence numbers beyond their column (2**63, 10**30, -2**70), `false` for one, and a
    lone surrogate or a NUL in an audit entry or an enrolment are answered 422 (an audit upload and an enrolment are one
    thing each, not a batch of items); a request nested beyond the parser is 400."""
    entry = {
        "seq": 1, "ts": "2025-01-01T00:00:00", "actor_name": "clerk.li", "action": "record.view", "record_id": None,
        "details": "{}", "prev_hash": "0" * 64, "hash": "a" * 64,
    }  # fmt: skip
    for seq in (2**63, 10**30, -(2**70), False):
        body = {"entries": [entry | {"seq": seq}], "head_seq": seq, "head_hash": "a" * 64}
        answer = _post(branch.client, AUDIT_PATH, body)
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request", answer.text
    for text_value in (LONE_SURROGATE, "a\x00"):
        unstorable = {"entries": [entry | {"details": text_value}], "head_seq": 1, "head_hash": "a" * 64}
        assert _post(branch.client, AUDIT_PATH, unstorable).status_code == 422
    assert branch.client.get(STATUS_PATH).json()["audit_head_seq"] == 0

    with https_client(server) as anonymous:
        for body in (
            {"code": new_code(server) + LONE_SURROGATE, "workstation_id": "ws-x"},
            {"code": new_code(server), "workstation_id": f"ws-{LONE_SURROGATE}"},
            {"code": new_code(server), "workstation_id": "ws-\x00"},
            {"code": new_code(server), "workstation_id": "ws-y", "name": "a\x00"},
        ):
            assert _post(anonymous, ENROL_PATH, body).status_code == 422
    deep = b'{"items":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    answer = branch.client.post(BATCH_PATH, content=deep, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"] == "malformed_json", answer.text
    _assert_no_server_error(server)


def test_one_item_does_not_poison_a_resend_of_its_batch(server: ServerProcess, branch: Workstation) -> None:
    """Issue 14 item 13: the same batch sent again (the workstation's next run) stores nothing twice and refuses
    the bad item again, alone."""
    good = branch.payload(customers(1)[0])
    bad = _item_with(branch.payload(customers(1)[0]), version=2**63)
    items = [upload_item(good), bad]
    for expected in (ItemStatus.STORED, ItemStatus.DUPLICATE):
        response = _post(branch.client, BATCH_PATH, {"items": items})
        statuses = [r["status"] for r in response.json()["results"]]
        assert statuses == [expected.value, ItemStatus.REFUSED.value], response.text
    assert server.records().count((good["record_id"], 1)) == 1
    assert idempotency_key(good["record_id"], 1) in response.text
    _assert_no_server_error(server)

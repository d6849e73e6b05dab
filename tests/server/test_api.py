"""The central server's API against a real server process over real HTTPS (test CA), on SQLite and PostgreSQL:
enrolment, authentication, exactly-once storage, refusals, version conflicts, audit anchoring, error answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text

from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    MAX_BATCH_ITEMS,
    STATUS_PATH,
    AuditEntryUpload,
    AuditUpload,
    ItemResult,
    ItemStatus,
    canonical_json,
    idempotency_key,
)
from tests.server.workstations import (
    Workstation,
    customers,
    enrol,
    https_client,
    new_code,
    upload_item,
)
from tests.support.central import ServerProcess, run_server_cli


@pytest.fixture
def branch(server: ServerProcess) -> Iterator[Workstation]:
    workstation = enrol(server, "branch")
    yield workstation
    workstation.close()


def _error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == error and body["message"]
    assert "Traceback" not in response.text


# --- enrolment and authentication ----------------------------------------------------------------------------


def test_an_enrolment_code_from_the_command_line_works_once(server: ServerProcess) -> None:
    code = server.enrol_code("branch-42")
    assert len(code) == 19 and code.count("-") == 3
    with https_client(server) as anonymous:
        first = anonymous.post(ENROL_PATH, json={"code": code.lower(), "workstation_id": "ws-a", "name": "A"})
        second = anonymous.post(ENROL_PATH, json={"code": code, "workstation_id": "ws-b", "name": "B"})
    assert first.status_code == 200, first.text
    device_id, credential = first.json()["device_id"], first.json()["credential"]
    assert credential.startswith(f"{device_id}.") and len(credential.split(".", 1)[1]) >= 43
    _error(second, 401, "enrolment_code_used")
    with https_client(server, credential) as client:
        status = client.get(STATUS_PATH)
    assert status.status_code == 200
    assert status.json() == {"device_id": device_id, "records": 0, "audit_head_seq": 0, "paper_pages": False}


def test_expired_and_unknown_enrolment_codes_are_refused(server: ServerProcess) -> None:
    expired = new_code(server, ttl=timedelta(minutes=-1))
    with https_client(server) as anonymous:
        _error(anonymous.post(ENROL_PATH, json={"code": expired, "workstation_id": "w"}), 401, "enrolment_code_expired")
        unknown = {"code": "0000-0000-0000-0000", "workstation_id": "w"}
        _error(anonymous.post(ENROL_PATH, json=unknown), 401, "enrolment_code_unknown")


def test_requests_without_a_valid_credential_are_refused(server: ServerProcess, branch: Workstation) -> None:
    item = {"items": [upload_item(branch.payload(customers(1)[0]))]}
    wrong_secret = branch.device_id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    for credential, error in [
        (None, "missing_credential"),
        (wrong_secret, "invalid_credential"),
        ("not-a-device.secret", "invalid_credential"),
        (branch.device_id, "invalid_credential"),
    ]:
        with https_client(server, credential) as client:
            _error(client.post(BATCH_PATH, json=item), 401, error)
            _error(client.get(STATUS_PATH), 401, error)
    assert branch.client.get(STATUS_PATH).json()["records"] == 0


def test_a_revoked_device_is_refused(server: ServerProcess, branch: Workstation) -> None:
    assert branch.client.get(STATUS_PATH).status_code == 200
    server.revoke(branch.device_id)
    _error(branch.client.get(STATUS_PATH), 403, "device_revoked")
    _error(branch.post_batch([branch.payload(customers(1)[0])]), 403, "device_revoked")


# --- records -------------------------------------------------------------------------------------------------


def test_a_batch_is_stored_once_and_a_resend_is_a_harmless_duplicate(
    server: ServerProcess, branch: Workstation
) -> None:
    payloads = [branch.payload(values) for values in customers(25)]
    keys = {(p["record_id"], 1) for p in payloads}
    before = server.count_records()

    results = branch.upload(payloads)
    assert [r.status for r in results] == [ItemStatus.STORED] * 25
    assert [r.idempotency_key for r in results] == [idempotency_key(p["record_id"], 1) for p in payloads]
    assert keys <= set(server.records()) and server.count_records() == before + 25

    again = branch.upload(payloads)
    assert [r.status for r in again] == [ItemStatus.DUPLICATE] * 25 and all(r.acknowledged for r in again)
    assert server.count_records() == before + 25
    assert server.stored_payload(payloads[0]["record_id"], 1) == payloads[0]
    assert branch.client.get(STATUS_PATH).json()["records"] == 25


def test_the_same_key_with_another_payload_is_a_key_conflict_never_applied(
    server: ServerProcess, branch: Workstation
) -> None:
    original = branch.payload(customers(1)[0])
    assert branch.upload([original])[0].status == ItemStatus.STORED
    changed = json.loads(json.dumps(original))
    changed["values"]["mobile"] = "13900000000"
    [result] = branch.upload([changed])
    assert result.status == ItemStatus.KEY_CONFLICT and not result.acknowledged
    assert result.reasons[0].code == "key_conflict"
    assert server.stored_payload(original["record_id"], 1) == original


def test_a_key_repeated_in_one_batch_is_stored_once(server: ServerProcess, branch: Workstation) -> None:
    good, bad = (branch.payload(values) for values in customers(2))
    bad["checker"] = bad["maker"]
    statuses = [r.status for r in branch.upload([good, bad, good, bad])]
    assert statuses == [ItemStatus.STORED, ItemStatus.REFUSED, ItemStatus.DUPLICATE, ItemStatus.REFUSED]
    assert [v for r, v in server.records() if r in (good["record_id"], bad["record_id"])] == [1]


def test_a_digest_that_does_not_match_the_payload_is_refused(server: ServerProcess, branch: Workstation) -> None:
    payload = branch.payload(customers(1)[0])
    item = upload_item(payload)
    item["digest"] = "0" * 64
    response = branch.client.post(BATCH_PATH, json={"items": [item]})
    [result] = response.json()["results"]
    assert result["status"] == "refused" and result["reasons"][0]["code"] == "digest_mismatch"
    assert server.stored_payload(payload["record_id"], 1) is None


def test_records_that_break_the_rules_are_refused_with_reasons(server: ServerProcess, branch: Workstation) -> None:
    people = customers(4)
    bad_id = dict(people[2])
    number = bad_id["id_number"]
    bad_id["id_number"] = number[:-1] + ("1" if number[-1] != "1" else "2")  # a wrong check digit
    payloads = [
        branch.payload(people[0], status="awaiting_approval"),
        branch.payload(people[1], maker="clerk.li", checker="clerk.li"),
        branch.payload(bad_id),
        branch.payload(people[3], checker=""),
    ]
    results = branch.upload(payloads)
    assert [r.status for r in results] == [ItemStatus.REFUSED] * 4
    codes = [{(reason.field, reason.code) for reason in r.reasons} for r in results]
    assert ("status", "not_approved") in codes[0]
    assert ("checker", "approver_is_maker") in codes[1]
    assert any(field == "id_number" for field, _ in codes[2])
    assert ("checker", "no_approver") in codes[3]
    for result in results:
        for reason in result.reasons:
            assert reason.en and reason.zh
    assert all(server.stored_payload(p["record_id"], 1) is None for p in payloads)
    with server.engine.connect() as connection:
        refused = connection.execute(
            text("SELECT count(*) FROM refusals WHERE device_id = :device"), {"device": branch.device_id}
        ).scalar_one()
    assert refused == 4


def test_a_record_from_another_workstation_is_refused(server: ServerProcess, branch: Workstation) -> None:
    payload = branch.payload(customers(1)[0])
    payload["workstation_id"] = "someone-else"
    [result] = branch.upload([payload])
    assert result.status == ItemStatus.REFUSED and result.reasons[0].code == "wrong_workstation"


def test_a_customer_held_by_another_branch_is_a_version_conflict_that_names_none_of_its_ids(
    server: ServerProcess, branch: Workstation
) -> None:
    """Issue 14 item 11: the conflict answer does not reveal another branch's record id or workstation id; the
    server keeps them with the refusal for the central administrators."""
    person = customers(1)[0]
    first = branch.payload(person)
    assert branch.upload([first])[0].status == ItemStatus.STORED
    other = enrol(server, "other-branch")
    try:
        response = other.post_batch([other.payload(person)])
    finally:
        other.close()
    assert response.status_code == 200, response.text
    [result] = [ItemResult.from_json(r) for r in response.json()["results"]]
    assert result.status == ItemStatus.VERSION_CONFLICT and not result.acknowledged
    assert result.central is None and [r.code for r in result.reasons] == ["customer_held_elsewhere"]
    assert first["record_id"] not in response.text and branch.workstation_id not in response.text
    assert branch.device_id not in response.text
    with server.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT central FROM refusals WHERE device_id = :device"), {"device": other.device_id}
        ).scalar_one()
    assert json.loads(kept) == {"record_id": first["record_id"], "version": 1, "workstation_id": branch.workstation_id}


def test_another_workstations_versions_of_a_record_are_not_named_either(
    server: ServerProcess, branch: Workstation
) -> None:
    """Issue 14 item 11: a record id held by another workstation is a conflict without the other's ids."""
    v1 = branch.payload(customers(1)[0])
    assert branch.upload([v1])[0].status == ItemStatus.STORED
    other = enrol(server, "other-branch")
    try:
        response = other.post_batch([other.payload(v1["values"], record_id=v1["record_id"], version=2, base_version=1)])
    finally:
        other.close()
    [result] = [ItemResult.from_json(r) for r in response.json()["results"]]
    assert result.status == ItemStatus.VERSION_CONFLICT and result.central is None
    assert [r.code for r in result.reasons] == ["record_held_elsewhere"]
    assert branch.workstation_id not in response.text


def test_a_version_not_built_on_the_central_one_is_a_version_conflict(
    server: ServerProcess, branch: Workstation
) -> None:
    person = customers(1)[0]
    v1 = branch.payload(person)
    rid = v1["record_id"]
    v2 = branch.payload(person, record_id=rid, version=2, base_version=1)
    v3_fork = branch.payload(person, record_id=rid, version=3, base_version=1)
    v4 = branch.payload(person, record_id=rid, version=4, base_version=2)
    # Out of order is fine: v4 (built on v2) arrives before v2, and v2 before v1.
    assert [r.status for r in branch.upload([v4])] == [ItemStatus.STORED]
    assert [r.status for r in branch.upload([v2, v1])] == [ItemStatus.STORED, ItemStatus.STORED]
    [result] = branch.upload([v3_fork])
    assert result.status == ItemStatus.VERSION_CONFLICT
    assert result.central == {"record_id": rid, "version": 4, "workstation_id": branch.workstation_id}
    assert [v for r, v in server.records() if r == rid] == [1, 2, 4]


# --- audit anchoring -----------------------------------------------------------------------------------------


def _chain(start_seq: int, prev_hash: str, n: int, salt: str = "") -> list[AuditEntryUpload]:
    """`n` linked entries after (start_seq, prev_hash); the hashes stand in for the workstation's HMACs."""
    import hashlib

    entries = []
    for seq in range(start_seq + 1, start_seq + n + 1):
        digest = hashlib.sha256(f"{salt}{prev_hash}{seq}".encode()).hexdigest()
        details = canonical_json({"n": seq})
        entries.append(AuditEntryUpload(seq, "2025-01-01T00:00:00", "clerk.li", "record.view", None, details,
                                        prev_hash, digest))  # fmt: skip
        prev_hash = digest
    return entries


def _upload(entries: list[AuditEntryUpload], head_seq: int | None = None) -> dict[str, object]:
    last = entries[-1]
    return AuditUpload(tuple(entries), head_seq if head_seq is not None else last.seq, last.hash).to_json()


def test_audit_uploads_extend_the_head_and_a_resend_is_harmless(server: ServerProcess, branch: Workstation) -> None:
    first = _chain(0, "0" * 64, 5)
    response = branch.client.post(AUDIT_PATH, json=_upload(first))
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 5, "head_seq": 5, "head_hash": first[-1].hash}

    second = _chain(5, first[-1].hash, 3)
    assert branch.client.post(AUDIT_PATH, json=_upload(second)).json()["accepted"] == 3
    # The answer to the first upload was lost: sending it (and both) again changes nothing.
    assert branch.client.post(AUDIT_PATH, json=_upload(first)).json() == {
        "accepted": 0,
        "head_seq": 8,
        "head_hash": second[-1].hash,
    }
    assert branch.client.post(AUDIT_PATH, json=_upload(first + second)).json()["accepted"] == 0
    assert branch.client.get(STATUS_PATH).json()["audit_head_seq"] == 8


def test_a_rewritten_audit_trail_is_refused_and_raises_an_alert(server: ServerProcess, branch: Workstation) -> None:
    original = _chain(0, "0" * 64, 4)
    assert branch.client.post(AUDIT_PATH, json=_upload(original)).status_code == 200
    rewritten = _chain(0, "0" * 64, 6, salt="forged")  # the workstation's trail re-made from the start
    _error(branch.client.post(AUDIT_PATH, json=_upload(rewritten)), 409, "audit_chain_break")
    not_linked = _chain(4, "f" * 64, 2)  # entries 5-6 that do not link to entry 4
    _error(branch.client.post(AUDIT_PATH, json=_upload(not_linked)), 409, "audit_chain_break")
    assert branch.client.get(STATUS_PATH).json()["audit_head_seq"] == 4

    alerts = run_server_cli("audit-alerts", "--json", db_url=server.db_url)
    assert alerts.returncode == 0, alerts.stderr
    mine = [a for a in json.loads(alerts.stdout) if a["device_id"] == branch.device_id]
    assert len(mine) == 2 and {"differs" in a["problem"] for a in mine} == {True, False}


# --- the API's edges ---------------------------------------------------------------------------------------


def test_the_openapi_document_is_served(server: ServerProcess) -> None:
    with https_client(server) as client:
        document = client.get("/openapi.json").json()
    assert {ENROL_PATH, BATCH_PATH, AUDIT_PATH, STATUS_PATH} <= set(document["paths"])


def test_errors_are_json_without_tracebacks(server: ServerProcess, branch: Workstation) -> None:
    _error(branch.client.get("/v1/nothing-here"), 404, "not_found")
    _error(branch.client.post(BATCH_PATH, json={"items": {"record_id": 1}}), 422, "invalid_request")
    _error(
        branch.client.post(BATCH_PATH, content=b"{not json", headers={"Content-Type": "application/json"}),
        400,
        "malformed_json",
    )
    too_many = [upload_item(branch.payload(customers(1)[0]))] * (MAX_BATCH_ITEMS + 1)
    _error(branch.client.post(BATCH_PATH, json={"items": too_many}), 413, "batch_too_large")
    huge = b'{"items": [' + b" " * (17 * 1024 * 1024) + b"]}"
    _error(branch.client.post(BATCH_PATH, content=huge, headers={"Content-Type": "application/json"}), 413,
           "request_too_large")  # fmt: skip
    assert "Traceback" not in server.log_text()

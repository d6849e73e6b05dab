"""Who may speak for a workstation (issue 14 items 10 and 9): a code is issued for one workstation id or for a new
one, the first enrolment owns the id, a re-enrolment revokes the previous device and continues the audit trail
from the head that device reached. A real server process over HTTPS, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import uuid

import httpx

from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    ENROL_PATH,
    STATUS_PATH,
    AuditEntryUpload,
    AuditUpload,
    ItemStatus,
)
from tests.server.workstations import customers, enrol, https_client, new_code
from tests.support.central import ServerProcess, run_server_cli

GENESIS = "0" * 64


def _error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error


def _chain(start_seq: int, prev_hash: str, n: int, salt: str = "") -> list[AuditEntryUpload]:
    """`n` linked entries after (start_seq, prev_hash); the hashes stand in for the workstation's HMACs."""
    entries = []
    for seq in range(start_seq + 1, start_seq + n + 1):
        digest = hashlib.sha256(f"{salt}{prev_hash}{seq}".encode()).hexdigest()
        entries.append(
            AuditEntryUpload(seq, "2025-01-01T00:00:00", "clerk.li", "record.view", None, "{}", prev_hash, digest)
        )
        prev_hash = digest
    return entries


def _upload(entries: list[AuditEntryUpload]) -> dict[str, object]:
    return AuditUpload(tuple(entries), entries[-1].seq, entries[-1].hash).to_json()


def _enrol(server: ServerProcess, code: str, workstation_id: str) -> httpx.Response:
    with https_client(server) as anonymous:
        return anonymous.post(ENROL_PATH, json={"code": code, "workstation_id": workstation_id, "name": "impostor"})


def test_a_code_for_a_new_workstation_cannot_take_an_enrolled_id(server: ServerProcess) -> None:
    """Issue 14 item 10: workstation identity is not self-declared. Any code could enrol as another branch's
    workstation and upload new versions of its records; now the first enrolment owns the id, a code for a new
    workstation is refused for it (and stays unspent), and the owner goes on undisturbed."""
    owner = enrol(server, "branch-north")
    try:
        record = owner.payload(customers(1)[0])
        assert owner.upload([record])[0].status == ItemStatus.STORED
        code = new_code(server, "someone else")
        _error(_enrol(server, code, owner.workstation_id), 409, "workstation_already_enrolled")
        # Nor the id in capitals: an independent check enrolled WS-… as a second workstation beside ws-….
        _error(_enrol(server, code, owner.workstation_id.upper()), 409, "workstation_already_enrolled")
        # Nor one that reads the same: spaces, full-width, zero-width or look-alike characters are refused.
        wid = owner.workstation_id
        for lookalike in (f" {wid} ", f"{wid}\t", "ｗ" + wid[1:], f"{wid}\u200b", wid.replace("-", "\u2010")):
            assert _enrol(server, code, lookalike).status_code == 422, repr(lookalike)
        assert owner.client.get(STATUS_PATH).status_code == 200
        # The code was not spent on the refusal: it still enrols a workstation of its own.
        assert _enrol(server, code, f"ws-{uuid.uuid4().hex[:12]}").status_code == 200
    finally:
        owner.close()
    devices = json.loads(run_server_cli("devices", "--json", db_url=server.db_url).stdout)
    assert [d["id"] for d in devices if d["workstation_id"] == owner.workstation_id] == [owner.device_id]


def test_a_code_issued_for_a_workstation_enrols_only_it_and_revokes_its_previous_device(server: ServerProcess) -> None:
    """Issue 14 item 10: a code bound to a workstation (enrol-code --workstation) enrols that workstation only; the
    re-enrolment revokes the device before it, whose credential is refused from then on."""
    old = enrol(server, "branch-south")
    try:
        code = server.enrol_code("branch-south", workstation=old.workstation_id)
        _error(_enrol(server, code, f"ws-{uuid.uuid4().hex[:12]}"), 403, "enrolment_code_for_another_workstation")
        assert old.client.get(STATUS_PATH).status_code == 200
        answer = _enrol(server, code, old.workstation_id)
        assert answer.status_code == 200, answer.text
        _error(old.client.get(STATUS_PATH), 403, "device_revoked")
        _error(old.post_batch([old.payload(customers(1)[0])]), 403, "device_revoked")
    finally:
        old.close()
    new_device = answer.json()["device_id"]
    with https_client(server, answer.json()["credential"]) as client:
        assert client.get(STATUS_PATH).json()["device_id"] == new_device
    devices = {d["id"]: d for d in json.loads(run_server_cli("devices", "--json", db_url=server.db_url).stdout)}
    assert devices[old.device_id]["revoked_at"] is not None
    assert devices[new_device]["revoked_at"] is None and devices[new_device]["replaces"] == old.device_id


def test_a_re_enrolled_workstation_continues_the_audit_trail_its_previous_device_reached(
    server: ServerProcess,
) -> None:
    """Issue 14 item 9 (the server's half): a re-enrolment used to start the new device's audit head at nothing,
    so a workstation whose trail was rewritten could re-enrol and anchor the rewritten trail. Now the new device
    takes over the head the previous one reached: a trail made again from the start is a chain break, resent
    entries are compared with the previous device's, and the trail goes on from there."""
    first = enrol(server, "branch-east")
    try:
        anchored = _chain(0, GENESIS, 5)
        assert first.client.post(AUDIT_PATH, json=_upload(anchored)).status_code == 200
    finally:
        first.close()
    second = enrol(server, "branch-east", workstation_id=first.workstation_id)
    try:
        assert second.client.get(STATUS_PATH).json()["audit_head_seq"] == 5
        rewritten = _chain(0, GENESIS, 7, salt="rewritten")
        _error(second.client.post(AUDIT_PATH, json=_upload(rewritten)), 409, "audit_chain_break")
        changed = [*anchored[:4], _chain(3, anchored[3].hash, 1, salt="changed")[0]]
        _error(second.client.post(AUDIT_PATH, json=_upload(changed)), 409, "audit_chain_break")
        resend = second.client.post(AUDIT_PATH, json=_upload(anchored))
        assert resend.json() == {"accepted": 0, "head_seq": 5, "head_hash": anchored[-1].hash}, resend.text
        more = _chain(5, anchored[-1].hash, 3)
        answer = second.client.post(AUDIT_PATH, json=_upload(anchored + more))
        assert answer.json() == {"accepted": 3, "head_seq": 8, "head_hash": more[-1].hash}, answer.text
    finally:
        second.close()


def test_the_enrolment_answer_names_the_audit_head_to_continue_from(server: ServerProcess) -> None:
    """Issue 14 item 9: the enrolment answer tells the workstation where its trail must go on (0 and the genesis
    hash the first time, the previous device's head on a re-enrolment)."""
    workstation_id = f"ws-{uuid.uuid4().hex[:12]}"
    fresh = _enrol(server, new_code(server, "branch-west"), workstation_id).json()
    assert (fresh["audit_head_seq"], fresh["audit_head_hash"]) == (0, GENESIS)
    entries = _chain(0, GENESIS, 2)
    with https_client(server, fresh["credential"]) as client:
        assert client.post(AUDIT_PATH, json=_upload(entries)).status_code == 200
    again = _enrol(server, new_code(server, "branch-west", workstation_id=workstation_id), workstation_id).json()
    assert (again["audit_head_seq"], again["audit_head_hash"]) == (2, entries[-1].hash)

"""Re-enrolment against the hardened central server (issue 14 items 9, 10 and 22, the client's half): the enrolment
errors say what to ask the bank for, and a re-enrolled workstation goes on with its audit trail from the head its
previous device reached, checking first that the trail here still holds it.

Real components throughout: the central server as a real process on loopback over HTTPS from the test CA (its codes
from its own command line), the workstation's real store, transport and credential store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop_app.services.sync import SyncRefused
from desktop_app.storage.engine import open_raw
from desktop_app.storage.models import AuditEntry
from tests.integration import test_sync
from tests.integration.test_sync import Branch, make_branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA

test_ca = central.test_ca
sqlite_server = central.sqlite_server
branch = test_sync.branch


def _audit(b: Branch, action: str) -> list[dict[str, object]]:
    with b.ws.store.read() as s:
        return [json.loads(e.details) for e in s.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def _server_head(server: ServerProcess, workstation_id: str) -> int:
    """The audit head the server holds for the workstation (its latest device's)."""
    with server.engine.connect() as c:
        seq = c.execute(
            text(
                "SELECT max(h.seq) FROM audit_heads h JOIN devices d ON d.id = h.device_id WHERE d.workstation_id = :w"
            ),
            {"w": workstation_id},
        ).scalar_one()
    return int(seq or 0)


def _devices(server: ServerProcess) -> int:
    with server.engine.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM devices")).scalar_one())


@pytest.fixture
def other_branch(tmp_path: Path) -> Iterator[Branch]:
    b = make_branch(tmp_path / "other-branch", seed=2)
    yield b
    b.ws.close()


def test_enrolment_refusals_say_what_to_ask_the_bank_for(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch, other_branch: Branch
) -> None:
    """Issue 14 item 10 (client): a code for a new workstation on one already enrolled (409), and a code issued for
    another workstation (403), used to read "the enrolment code was refused, ask for a new one", which a new code
    of the same kind would not mend. Each now says what happened, that the code was not spent, and to give the bank
    this workstation's id for a code made for it, in English and Chinese."""
    branch.enrol(sqlite_server, test_ca)
    wid = branch.ws.store.workstation_id

    new_code = sqlite_server.enrol_code()
    with pytest.raises(SyncRefused) as caught:
        branch.ws.sync.enrol(branch.admin, sqlite_server.url, new_code, str(test_ca.ca_cert))
    assert caught.value.reason == "workstation_already_enrolled"
    assert "enrolled" in caught.value.message_text.en and "not used" in caught.value.message_text.en
    assert f"enrol-code --workstation {wid}" in caught.value.message_text.en
    assert "已在中央服务器登记" in caught.value.message_text.zh and f"编号 {wid}" in caught.value.message_text.zh

    for_other = sqlite_server.enrol_code(workstation=other_branch.ws.store.workstation_id)
    with pytest.raises(SyncRefused) as caught:
        branch.ws.sync.enrol(branch.admin, sqlite_server.url, for_other, str(test_ca.ca_cert))
    assert caught.value.reason == "enrolment_code_for_another_workstation"
    assert (
        "another workstation" in caught.value.message_text.en and f"--workstation {wid}" in caught.value.message_text.en
    )
    assert "另一台工作站" in caught.value.message_text.zh and f"编号 {wid}" in caught.value.message_text.zh

    # Neither code was spent: each still enrols the workstation it is for (the second one re-enrols it).
    assert _devices(sqlite_server) == 1
    other_branch.ws.sync.enrol(other_branch.admin, sqlite_server.url, new_code, str(test_ca.ca_cert))
    other_branch.ws.sync.enrol(other_branch.admin, sqlite_server.url, for_other, str(test_ca.ca_cert))
    assert _devices(sqlite_server) == 3
    assert branch.ws.sync.status(branch.admin).workstation_id == wid


def test_too_many_failed_enrolments_say_how_long_to_wait(test_ca: TestCA, branch: Branch, tmp_path: Path) -> None:
    """Issue 14 item 22 (client): after too many failed enrolments from one address the server answers 429
    too_many_attempts with Retry-After. The client used to call that "the central server refused the request: give
    the log to support"; it now says to check the code with the bank and how long to wait, in English and Chinese."""
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    with ServerProcess(db, test_ca, args=("--enrol-attempts", "1")) as server:
        with pytest.raises(SyncRefused) as caught:
            branch.ws.sync.enrol(branch.admin, server.url, "AAAA-BBBB-CCCC-DDDD", str(test_ca.ca_cert))
        assert caught.value.reason == "enrolment_refused"
        good = server.enrol_code()
        with pytest.raises(SyncRefused) as caught:
            branch.ws.sync.enrol(branch.admin, server.url, good, str(test_ca.ca_cert))
        assert caught.value.reason == "too_many_attempts"
        assert "too many failed attempts" in caught.value.message_text.en
        assert "minutes" in caught.value.message_text.en and "check the code" in caught.value.message_text.en.lower()
        assert "登记失败次数过多" in caught.value.message_text.zh and "分钟" in caught.value.message_text.zh
        assert "{" not in caught.value.message_text.zh
        assert _devices(server) == 0  # the good code was not looked at, so not spent
    assert not branch.ws.sync.status(branch.admin).configured


def test_a_re_enrolled_workstation_goes_on_from_the_audit_head_its_previous_device_reached(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 item 9 (client): re-enrolment used to set the workstation's audit position to 0 ("the whole trail
    is anchored again"); the server now continues from the head the previous device reached and says which. The
    workstation keeps that head, finds its own trail holds it, and the next run sends only the entries after it."""
    branch.approve(2)
    old_device = branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).ok
    wid = branch.ws.store.workstation_id
    anchored = _server_head(sqlite_server, wid)
    assert anchored == branch.local_head()[0]

    code = sqlite_server.enrol_code(workstation=wid)
    enrolled = branch.ws.sync.enrol(branch.admin, sqlite_server.url, code, str(test_ca.ca_cert))
    status = branch.ws.sync.status(branch.admin)
    assert status.audit_anchored_seq == anchored and status.last_error is None  # was 0: "anchor it all again"
    assert enrolled.device_id != old_device and enrolled.workstation_id == wid
    assert enrolled.audit_head_seq == anchored and enrolled.audit_break("en") is None
    (_, again) = _audit(branch, "sync.enrol")
    assert again["audit_head_seq"] == anchored
    assert _audit(branch, "sync.audit_chain_break") == []

    branch.approve(1)
    local_before_run = branch.local_head()[0]
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.ok and summary.acked == 1
    assert summary.audit_entries >= local_before_run - anchored  # the entries after the head, not the whole trail
    assert summary.audit_entries < local_before_run
    assert _server_head(sqlite_server, wid) == branch.local_head()[0]


def _rewrite_trail(b: Branch, keep: int) -> None:
    """Someone with the database key cuts the trail after entry `keep` and forges the head to match."""
    conn = open_raw(b.ws.store.data_dir.database, b.ws.store.raw_key_for_tests())
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute("BEGIN")
        conn.execute(f"DELETE FROM audit_log WHERE seq > {keep}")
        conn.execute(f"UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep})")
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_trail_that_no_longer_holds_the_servers_head_is_a_chain_break_found_at_re_enrolment(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 item 9 (client): a trail cut (or rewritten) after it was anchored, then re-enrolled, is reported as
    an audit-chain break by the enrolment itself, before any run sends anything: audited, kept as the sync error
    (English and Chinese), and said by the enrolment. Both ways: a trail here shorter than the server's head, and
    one whose entry at that head is another."""
    branch.approve(2)
    branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).ok
    wid = branch.ws.store.workstation_id
    head = _server_head(sqlite_server, wid)
    records = sqlite_server.count_records()
    _rewrite_trail(branch, head - 4)

    short = branch.ws.sync.enrol(
        branch.admin, sqlite_server.url, sqlite_server.enrol_code(workstation=wid), str(test_ca.ca_cert)
    )
    message = short.audit_break("en")
    assert message and f"up to entry {head}" in message and "verify" in message and "tell security" in message
    assert "审计日志" in (short.audit_break("zh_CN") or "") and f"第 {head} 条" in (short.audit_break("zh_CN") or "")
    (found,) = _audit(branch, "sync.audit_chain_break")
    assert (found["device_id"], found["server_head_seq"], found["local_hash"]) == (short.device_id, head, None)
    status = branch.ws.sync.status(branch.admin)
    assert status.last_error_code == "audit_chain_break" and status.last_error == message
    assert "安全部门" in (status.error_message("zh_CN") or "")

    branch.approve(2)  # the branch works on: the trail here now has other entries where the server's were
    assert branch.local_head()[0] > head
    rewritten = branch.ws.sync.enrol(
        branch.admin, sqlite_server.url, sqlite_server.enrol_code(workstation=wid), str(test_ca.ca_cert)
    )
    message = rewritten.audit_break("en")
    assert message and f"Entry {head} of the audit trail here is not the one" in message
    breaks = _audit(branch, "sync.audit_chain_break")
    assert len(breaks) == 2 and breaks[1]["local_hash"] not in (None, breaks[1]["server_head_hash"])

    # Found before anything was sent: the server holds what it held.
    assert _server_head(sqlite_server, wid) == head and sqlite_server.count_records() == records
    summary = branch.ws.sync.run_once(branch.supervisor)  # records still go; the server refuses the trail
    assert summary.acked == 2 and summary.error_code == "audit_chain_break"
    assert _server_head(sqlite_server, wid) == head

"""Sync against the real central server: a server process on loopback with HTTPS from the test CA, the real
client transport (no mock), and faults injected by a proxy or by killing processes. Every fault test ends with
the server holding every approved record exactly once."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop_app.domain.roles import Role
from desktop_app.domain.sync_protocol import AUDIT_PATH, BATCH_PATH, ItemStatus
from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.errors import Conflict, InvalidRequest
from desktop_app.services.records import SearchQuery
from desktop_app.services.sync import SyncNotConfigured
from desktop_app.services.workstation import Workstation
from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import PURGED_DATA, AuditEntry, AuditHead, OutboxItem, Record, RecordVersion, Setting
from desktop_app.sync import credentials
from desktop_app.sync.outbox import OutboxState, upload_item
from desktop_app.sync.transport import Transport
from tests.conftest import PASSWORD
from tests.support import central
from tests.support.central import ServerProcess, TestCA, make_test_ca, run_server_cli
from tests.support.fault_proxy import FaultProxy, Mode

ROOT = Path(__file__).resolve().parents[2]

# The central server's fixtures, by name (a fresh TLS server on a fresh database for each test).
test_ca = central.test_ca
sqlite_server = central.sqlite_server
postgres_cluster = central.postgres_cluster
postgres_server = central.postgres_server


@dataclass
class Branch:
    """A workstation with an admin, a teller and a supervisor, every record approved by the book."""

    ws: Workstation
    admin: Actor
    teller: Actor
    supervisor: Actor
    root: Path
    seeds: Iterator[int]

    def approve(self, n: int) -> list[str]:
        """n new customers keyed by the teller and approved by the supervisor (each queued in the outbox)."""
        ids = []
        for _ in range(n):
            values = generate_customer(random.Random(next(self.seeds)), date.today())
            rid = self.ws.records.create(self.teller, values).record_id
            self.ws.records.submit(self.teller, rid, None)
            self.ws.records.approve(self.supervisor, rid, None)
            ids.append(rid)
        return ids

    def enrol(self, server: ServerProcess, ca: TestCA, url: str | None = None) -> str:
        """Enrol with `server` (through `url` when a proxy stands between); the device id."""
        enrolled = self.ws.sync.enrol(self.admin, url or server.url, server.enrol_code(), str(ca.ca_cert))
        return enrolled.device_id

    def outbox_states(self) -> dict[str, int]:
        with self.ws.store.read() as s:
            rows = s.execute(text("SELECT state, count(*) FROM outbox GROUP BY state")).all()
        return {str(state): int(n) for state, n in rows}

    def local_head(self) -> tuple[int, str]:
        with self.ws.store.read() as s:
            head = s.get(AuditHead, 1)
            assert head is not None
            return head.seq, head.hash


def _login(ws: Workstation, name: str) -> Actor:
    actor, must_change = ws.auth.login(name, PASSWORD)
    if must_change:
        ws.auth.change_password(actor, PASSWORD, PASSWORD + "x")
        actor, _ = ws.auth.login(name, PASSWORD + "x")
    return actor


def make_branch(root: Path, seed: int = 1) -> Branch:
    ws, _, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.KEYRING)
    ws.settings.set(admin, "dual_entry_policy", "none")
    ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
    ws.users.add(admin, "supervisor", PASSWORD, {Role.SUPERVISOR})
    return Branch(ws, admin, _login(ws, "teller"), _login(ws, "supervisor"), root, itertools.count(seed * 10_000))


@pytest.fixture
def branch(tmp_path: Path) -> Iterator[Branch]:
    b = make_branch(tmp_path / "branch")
    yield b
    b.ws.close()


def _server_head(server: ServerProcess, device_id: str) -> tuple[int, str]:
    with server.engine.connect() as c:
        row = c.execute(text("SELECT seq, hash FROM audit_heads WHERE device_id = :d"), {"d": device_id}).one()
    return int(row[0]), str(row[1])


# --- the happy path ----------------------------------------------------------------------------------------------


def _happy_path(branch: Branch, server: ServerProcess, ca: TestCA, n: int) -> None:
    approved = branch.approve(n)
    device_id = branch.enrol(server, ca)
    status = branch.ws.sync.status(branch.supervisor)
    assert status.configured and not status.insecure_http and status.device_id == device_id
    assert status.pending == n and status.acked == 0

    progress: list[tuple[int, int]] = []
    summary = branch.ws.sync.run_once(branch.supervisor, progress=lambda done, total: progress.append((done, total)))
    assert (summary.sent, summary.acked, summary.refused, summary.conflicts, summary.errors) == (n, n, 0, 0, 0)
    assert progress[0] == (0, n) and progress[-1] == (n, n)
    assert server.count_records() == n
    assert server.records() == sorted((rid, 1) for rid in approved)
    assert branch.outbox_states() == {"acked": n}
    assert all(branch.ws.records.get(branch.supervisor, rid).status == "synced" for rid in approved[:3])

    again = branch.ws.sync.run_once(branch.supervisor)
    assert (again.sent, again.acked, again.errors) == (0, 0, 0)  # nothing resent
    assert server.count_records() == n

    # The audit trail is anchored: the server holds the workstation's head, seq and hash.
    assert _server_head(server, device_id) == branch.local_head()
    status = branch.ws.sync.status(branch.supervisor)
    assert status.last_success is not None and status.last_error is None
    assert status.audit_anchored_seq == status.audit_local_seq == branch.local_head()[0]


def test_approved_records_reach_the_server_exactly_once(sqlite_server: ServerProcess, test_ca: TestCA, branch) -> None:
    _happy_path(branch, sqlite_server, test_ca, 12)
    more = branch.approve(3)
    summary = branch.ws.sync.run_once(None)  # the background job
    assert (summary.sent, summary.acked) == (3, 3)
    assert sqlite_server.count_records() == 15
    assert {rid for rid, _ in sqlite_server.records()} >= set(more)


def test_the_same_happy_path_against_postgresql(postgres_server: ServerProcess, test_ca: TestCA, branch) -> None:
    _happy_path(branch, postgres_server, test_ca, 8)


def test_the_device_credential_is_in_the_os_credential_store_only(
    sqlite_server: ServerProcess, test_ca: TestCA, branch, memory_keyring
) -> None:
    branch.enrol(sqlite_server, test_ca)
    credential = credentials.load(branch.ws.store.workstation_id)
    entry = memory_keyring.secrets[(credentials.keyring_service(branch.ws.store.workstation_id), "device-credential")]
    assert credential and json.loads(entry)["credential"] == credential  # with the address and CA it is bound to
    secret = credential.split(".", 1)[1]
    with branch.ws.store.read() as s:
        stored = [v for (v,) in s.execute(text("SELECT value FROM settings UNION ALL SELECT value FROM meta"))]
        stored += [str(row) for row in s.execute(text("SELECT * FROM sync_state"))]
        stored += [str(row) for row in s.execute(text("SELECT details FROM audit_log"))]
    assert not any(secret in v for v in stored)
    assert not any(
        secret in p.read_text(errors="replace") for p in branch.root.rglob("*") if p.suffix in (".json", ".log")
    )
    with branch.ws.store.read() as s:
        assert json.loads(s.get(Setting, "sync_ca_bundle").value) == str(test_ca.ca_cert)


# --- refusals, conflicts, security ---------------------------------------------------------------------------


def _craft_outbox_row(branch: Branch, values: dict[str, str] | None = None, checker: str = "teller") -> str:
    """A record version queued with an old-format payload, as an older client might have written it: by default
    approved by its own maker, which the server's rules refuse. The record itself is a draft here."""
    rid = branch.ws.records.create(branch.teller, generate_customer(random.Random(next(branch.seeds)), date.today()))
    record_id = rid.record_id
    with branch.ws.store.read() as s:
        stored = json.loads(s.get(RecordVersion, (record_id, 1)).data)
    payload = {
        "record_id": record_id,
        "version": 1,
        "base_version": None,
        "form": branch.ws.form.key,
        "status": "approved",
        "values": values or stored,
        "maker": "teller",
        "checker": checker,
        "approved_at": utcnow().isoformat() + "Z",
        "workstation_id": branch.ws.store.workstation_id,
    }
    with branch.ws.store.write() as s:
        s.add(
            OutboxItem(
                record_id=record_id,
                version=1,
                idempotency_key=f"{record_id}:1",
                payload=json.dumps(payload, ensure_ascii=False),
                state="pending",
                attempts=0,
                created_at=utcnow(),
            )
        )
    return record_id


def test_a_refused_record_stays_refused_with_reasons_and_is_never_dropped(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    branch.approve(2)
    refused_id = _craft_outbox_row(branch)
    branch.enrol(sqlite_server, test_ca)

    summary = branch.ws.sync.run_once(branch.supervisor)
    assert (summary.acked, summary.refused, summary.errors) == (2, 1, 0)
    assert sqlite_server.count_records() == 2

    rows = branch.ws.sync.outbox(branch.supervisor, "refused")
    assert [(r.record_id, r.version, r.state) for r in rows] == [(refused_id, 1, OutboxState.REFUSED)]
    assert "approver_is_maker" in {reason.code for reason in rows[0].reasons}
    assert rows[0].last_error and "approver_is_maker" in rows[0].last_error
    admin_view = branch.ws.sync.outbox(branch.admin)  # an admin sees states and reasons, no customer values
    assert len(admin_view) == 3
    status = branch.ws.sync.status(branch.supervisor)
    assert (status.refused, status.acked, status.pending) == (1, 2, 0)

    # Retried after "a fix" (here: none), it is sent again, refused again, and still kept.
    assert branch.ws.sync.retry(branch.supervisor, [rows[0].id]) == 1
    assert branch.ws.sync.status(branch.supervisor).pending == 1
    again = branch.ws.sync.run_once(branch.supervisor)
    assert (again.sent, again.refused) == (1, 1)
    assert branch.outbox_states() == {"acked": 2, "refused": 1}
    assert branch.ws.sync.retry(branch.supervisor, [r.id for r in admin_view if r.state is OutboxState.ACKED]) == 0


def test_reasons_that_quote_values_are_kept_without_them(sqlite_server: ServerProcess, test_ca: TestCA, branch) -> None:
    rid = _craft_outbox_row(branch, checker="supervisor")
    with branch.ws.store.write() as s:  # a landline where the mobile goes: the validator's message quotes it
        row = s.scalars(select(OutboxItem).where(OutboxItem.record_id == rid)).one()
        payload = json.loads(row.payload)
        payload["values"]["mobile"] = "01062345678"
        row.payload = json.dumps(payload, ensure_ascii=False)
    branch.enrol(sqlite_server, test_ca)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.refused == 1
    (row,) = branch.ws.sync.outbox(branch.supervisor, "refused")
    assert row.record_id == rid and any(r.field == "mobile" for r in row.reasons)
    shown = json.dumps([r.to_json() for r in row.reasons], ensure_ascii=False) + (row.last_error or "")
    assert "01062345678" not in shown and "…" in shown


def test_a_changed_payload_under_a_stored_key_is_a_key_conflict_kept_and_flagged(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    (rid,) = branch.approve(1)
    branch.enrol(sqlite_server, test_ca)
    wid = branch.ws.store.workstation_id
    with Transport(sqlite_server.url, ca_bundle=str(test_ca.ca_cert), credential=credentials.load(wid)) as t:
        with branch.ws.store.read() as s:
            row = s.scalars(select(OutboxItem)).one()
            item = upload_item(row.idempotency_key, row.record_id, row.version, row.payload)
        assert t.upload_batch([item])[0].status is ItemStatus.STORED
    stored = sqlite_server.stored_payload(rid, 1)
    with branch.ws.store.write() as s:  # the local copy now says something else under the same key
        row = s.scalars(select(OutboxItem)).one()
        payload = json.loads(row.payload)
        payload["approved_at"] = (utcnow() - timedelta(hours=1)).isoformat() + "Z"
        row.payload = json.dumps(payload)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.errors == 1 and summary.error_code == "key_conflict" and summary.conflicts == 1
    assert branch.outbox_states() == {"key_conflict": 1}
    status = branch.ws.sync.status(branch.supervisor)
    assert status.key_conflicts == 1 and status.last_error_code == "key_conflict"
    assert sqlite_server.stored_payload(rid, 1) == stored  # never applied
    assert sqlite_server.count_records() == 1


def test_a_revoked_device_gets_a_clear_error_and_the_rows_stay_pending(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    branch.approve(2)
    device_id = branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 2
    branch.approve(3)
    sqlite_server.revoke(device_id)

    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.errors == 1 and summary.error_code == "device_revoked" and summary.acked == 0
    assert summary.error and "revoked" in summary.error and "enrol again" in summary.error
    with branch.ws.store.read() as s:
        pending = s.execute(
            select(OutboxItem.attempts, OutboxItem.next_attempt_at).where(OutboxItem.state == "pending")
        )
        assert sorted(pending) == [(0, None)] * 3  # not counted as attempts: nothing was sent
    status = branch.ws.sync.status(branch.supervisor)
    assert status.last_error_code == "device_revoked" and status.pending == 3
    assert "吊销" in (status.error_message("zh_CN") or "")
    assert sqlite_server.count_records() == 2


def test_a_wrong_or_missing_credential_is_refused(sqlite_server: ServerProcess, test_ca: TestCA, branch) -> None:
    branch.approve(1)
    device_id = branch.enrol(sqlite_server, test_ca)
    wid = branch.ws.store.workstation_id
    stored = credentials.read(wid)
    assert stored is not None
    credentials.save(wid, f"{device_id}.not-the-secret", stored.pin)  # bound as enrolled, but the wrong secret
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.error_code == "not_authenticated" and summary.acked == 0
    credentials.forget(wid)
    with pytest.raises(SyncNotConfigured, match="enrol"):
        branch.ws.sync.run_once(branch.supervisor)
    assert branch.outbox_states() == {"pending": 1} and sqlite_server.count_records() == 0


def test_plain_http_to_another_machine_is_refused_by_the_client(branch) -> None:
    with pytest.raises(InvalidRequest, match="https://"):
        branch.ws.sync.enrol(branch.admin, "http://10.0.0.1:8080", "ABCD-EFGH")
    with pytest.raises(InvalidRequest, match="https://"):
        branch.ws.settings.set(branch.admin, "sync_server_url", "http://10.0.0.1:8080")
    assert not branch.ws.sync.status(branch.admin).configured


def test_an_untrusted_certificate_is_refused(sqlite_server: ServerProcess, test_ca: TestCA, branch, tmp_path) -> None:
    other = make_test_ca(tmp_path / "other-ca")
    with pytest.raises(Exception, match="not trusted") as caught:
        branch.ws.sync.enrol(branch.admin, sqlite_server.url, sqlite_server.enrol_code(), str(other.ca_cert))
    assert getattr(caught.value, "reason", "") == "certificate_untrusted"


# --- faults ------------------------------------------------------------------------------------------------------


def test_server_down_then_up(sqlite_server: ServerProcess, test_ca: TestCA, branch) -> None:
    approved = branch.approve(6)
    branch.enrol(sqlite_server, test_ca)
    sqlite_server.stop()
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.error_code == "unreachable" and summary.acked == 0
    with branch.ws.store.read() as s:
        rows = s.execute(select(OutboxItem.state, OutboxItem.attempts, OutboxItem.next_attempt_at)).all()
    assert len(rows) == 6 and all(state == "pending" and n == 1 and at is not None for state, n, at in rows)
    assert branch.ws.sync.status(branch.supervisor).last_error_code == "unreachable"

    # The background job waits out the backoff; "sync now" does not.
    with branch.ws.store.write() as s:
        s.execute(text("UPDATE outbox SET next_attempt_at = :t"), {"t": utcnow() + timedelta(hours=1)})
    sqlite_server.start()
    assert branch.ws.sync.run_once(None).sent == 0
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert (summary.acked, summary.errors) == (6, 0)
    assert sqlite_server.records() == sorted((rid, 1) for rid in approved)
    assert branch.ws.sync.status(branch.supervisor).last_error is None


@pytest.fixture
def proxied(sqlite_server: ServerProcess, test_ca: TestCA, branch) -> Iterator[FaultProxy]:
    """The branch enrolled through a fault proxy (plain http on loopback) in front of the TLS server."""
    with FaultProxy.to(sqlite_server.url, test_ca.ssl_context()) as proxy:
        branch.enrol(sqlite_server, test_ca, proxy.url)
        assert branch.ws.sync.status(branch.admin).insecure_http
        yield proxy


def test_500_answers_before_and_after_the_server_committed(
    sqlite_server: ServerProcess, branch, proxied: FaultProxy
) -> None:
    branch.approve(10)
    proxied.set_mode(Mode.ERROR_500_AFTER_COMMIT, 1, BATCH_PATH)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.error_code == "server_error" and summary.acked == 0
    assert sqlite_server.count_records() == 10  # committed; the client does not know
    assert branch.outbox_states() == {"pending": 10}

    branch.approve(5)
    proxied.set_mode(Mode.ERROR_500, 1, BATCH_PATH)  # never reaches the server
    assert branch.ws.sync.run_once(branch.supervisor).error_code == "server_error"
    assert sqlite_server.count_records() == 10

    summary = branch.ws.sync.run_once(branch.supervisor)
    assert (summary.sent, summary.acked, summary.errors) == (15, 15, 0)
    assert sqlite_server.count_records() == 15
    assert len(proxied.faults) == 2


def test_connection_closed_after_the_server_committed(
    sqlite_server: ServerProcess, branch, proxied: FaultProxy
) -> None:
    approved = branch.approve(8)
    proxied.set_mode(Mode.DROP_AFTER_COMMIT, 1, BATCH_PATH)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.error_code == "unreachable" and summary.acked == 0
    assert sqlite_server.count_records() == 8 and branch.outbox_states() == {"pending": 8}

    # The audit upload's answer is lost too: the next run starts from the head the server holds, no false break.
    proxied.set_mode(Mode.DROP_AFTER_COMMIT, 1, AUDIT_PATH)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.acked == 8 and summary.error_code == "unreachable"
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.ok and summary.sent == 0
    assert sqlite_server.records() == sorted((rid, 1) for rid in approved)
    device_id = branch.ws.sync.status(branch.admin).device_id
    assert device_id and _server_head(sqlite_server, device_id) == branch.local_head()


def test_duplicated_and_reordered_batches_are_stored_once(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    branch.approve(9)
    branch.enrol(sqlite_server, test_ca)
    with branch.ws.store.read() as s:
        items = [
            upload_item(r.idempotency_key, r.record_id, r.version, r.payload)
            for r in s.scalars(select(OutboxItem).order_by(OutboxItem.id))
        ]
    wid = branch.ws.store.workstation_id
    with Transport(sqlite_server.url, ca_bundle=str(test_ca.ca_cert), credential=credentials.load(wid)) as t:
        first = t.upload_batch(items[5:])  # the later half first
        second = t.upload_batch(list(reversed(items)))  # then everything, in reverse order
        third = t.upload_batch(items)  # and everything again
    assert {r.status for r in first} == {ItemStatus.STORED}
    assert [r.status for r in second].count(ItemStatus.STORED) == 5
    assert {r.status for r in third} == {ItemStatus.DUPLICATE}
    assert [r.idempotency_key for r in second] == [i.idempotency_key for i in reversed(items)]
    assert sqlite_server.count_records() == 9

    summary = branch.ws.sync.run_once(branch.supervisor)  # the client's own resend: duplicates, acknowledged
    assert (summary.acked, summary.errors) == (9, 0)
    assert sqlite_server.count_records() == 9


def test_the_client_killed_mid_batch_then_restarted(
    sqlite_server: ServerProcess, test_ca: TestCA, tmp_path: Path, file_keyring
) -> None:
    b = make_branch(tmp_path / "killed", seed=3)
    try:
        approved = b.approve(30)
        with FaultProxy.to(sqlite_server.url, test_ca.ssl_context()) as proxy:
            b.enrol(sqlite_server, test_ca, proxy.url)
            b.ws.close()
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            command = [sys.executable, "-m", "desktop_app", "--data-dir", str(b.root), "sync"]

            # The server commits the batch; the proxy holds the answer; the client dies before reading it.
            proxy.set_mode(Mode.HOLD, 1, BATCH_PATH)
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            assert proxy.held.wait(60), child.communicate(timeout=5)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
            proxy.release()
            assert sqlite_server.count_records() == 30

            again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            assert again.returncode == 0, again.stderr
            assert "sent 30, acknowledged 30" in again.stdout
        ws = Workstation.open(b.root)
        try:
            with ws.store.read() as s:
                states = {str(st) for (st,) in s.execute(text("SELECT DISTINCT state FROM outbox"))}
            assert states == {"acked"}
            assert ws.store.verify().ok
        finally:
            ws.close()
        assert sqlite_server.records() == sorted((rid, 1) for rid in approved)
    finally:
        b.ws.close()


# --- audit anchoring ---------------------------------------------------------------------------------------------


def test_a_rewritten_local_trail_is_refused_by_the_server_and_records_still_sync(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    branch.approve(3)
    device_id = branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).ok
    seq, _ = branch.local_head()
    assert _server_head(sqlite_server, device_id)[0] == seq

    # Someone with the database key cuts the last entries and forges the head, then the branch works on.
    conn = open_raw(branch.ws.store.data_dir.database, branch.ws.store.raw_key_for_tests())
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("BEGIN")
    conn.execute(f"DELETE FROM audit_log WHERE seq > {seq - 4}")
    conn.execute(f"UPDATE audit_head SET seq = {seq - 4}, hash = (SELECT hash FROM audit_log WHERE seq = {seq - 4})")
    conn.execute("COMMIT")
    conn.close()
    later = branch.approve(3)

    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.acked == 3 and summary.error_code == "audit_chain_break"
    assert summary.error and "audit trail" in summary.error
    status = branch.ws.sync.status(branch.supervisor)
    assert status.last_error_code == "audit_chain_break" and "verify" in (status.last_error or "")
    assert {rid for rid, _ in sqlite_server.records()} >= set(later) and sqlite_server.count_records() == 6
    assert _server_head(sqlite_server, device_id)[0] == seq  # the server kept what it had
    alerts = run_server_cli("audit-alerts", "--json", db_url=sqlite_server.db_url)
    assert alerts.returncode == 0 and device_id in alerts.stdout


# --- retention ---------------------------------------------------------------------------------------------------


def test_retention_purges_personal_data_of_acknowledged_records_only(
    sqlite_server: ServerProcess, test_ca: TestCA, branch
) -> None:
    synced = branch.approve(4)
    branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 4
    (unsent,) = branch.approve(1)
    branch.ws.settings.set(branch.admin, "retention_days", 1)

    assert branch.ws.sync.purge_acknowledged(branch.admin) == 0  # acknowledged today: not yet
    assert branch.ws.sync.purge_acknowledged(None, now=utcnow() + timedelta(days=1, minutes=1)) == 4

    view = branch.ws.records.get(branch.supervisor, synced[0])
    assert view.purged and view.status == "synced" and view.version == 1 and not any(view.values.values())
    assert not view.problems
    assert not branch.ws.records.get(branch.supervisor, unsent).purged
    listed = {r.id: r for r in branch.ws.records.search(branch.supervisor, SearchQuery(limit=50))}
    assert listed[synced[1]].purged and listed[synced[1]].name == "" and not listed[unsent].purged
    assert branch.ws.records.history(branch.supervisor, synced[2])  # no crash on a purged version
    with pytest.raises(Conflict, match="purged"):
        branch.ws.records.start_change(branch.teller, synced[3])

    with branch.ws.store.read() as s:
        purged = s.scalars(select(RecordVersion).where(RecordVersion.record_id.in_(synced))).all()
        assert {v.data for v in purged} == {PURGED_DATA}
        assert all(s.get(Record, rid).id_number == "" for rid in synced)
        payloads = s.scalars(select(OutboxItem.payload).where(OutboxItem.record_id.in_(synced))).all()
        assert set(payloads) == {PURGED_DATA}  # the rows stay (acked), without values
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "sync.purge")).one()
        assert json.loads(entry.details) == {"records": 4, "retention_days": 1}
    assert branch.ws.store.verify().ok
    assert branch.ws.sync.status(branch.admin).purged == 4

    # The triggers still refuse every other change to a version, purged or not.
    conn = open_raw(branch.ws.store.data_dir.database, branch.ws.store.raw_key_for_tests())
    try:
        for sql in (
            f"UPDATE record_versions SET data = '{{}}' WHERE record_id = '{synced[0]}'",
            f"UPDATE record_versions SET kind = 'edit' WHERE record_id = '{synced[0]}'",
            f"UPDATE record_versions SET data = '{PURGED_DATA}' WHERE record_id = '{unsent}'",
            f"DELETE FROM record_versions WHERE record_id = '{synced[0]}'",
        ):
            with pytest.raises(Exception, match="immutable"):
                conn.execute(sql)
    finally:
        conn.close()
    assert sqlite_server.count_records() == 4  # the central copies are untouched


def test_retention_zero_keeps_everything(branch) -> None:
    assert branch.ws.sync.purge_acknowledged(branch.admin, now=utcnow() + timedelta(days=10_000)) == 0


# --- the command line --------------------------------------------------------------------------------------------


def test_the_command_line_enrols_shows_status_and_syncs(
    sqlite_server: ServerProcess, test_ca: TestCA, tmp_path: Path, file_keyring
) -> None:
    b = make_branch(tmp_path / "cli", seed=5)
    b.approve(3)
    workstation_id = b.ws.store.workstation_id
    b.ws.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANG="C.UTF-8")

    def cli(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "desktop_app", "--data-dir", str(b.root), *args]
        return subprocess.run(
            command, input=password + "\n", capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
        )

    code = sqlite_server.enrol_code()
    admin = ("--user", "admin", "--password-stdin", "--code-stdin")
    out = cli("sync-enrol", sqlite_server.url, "--ca", str(test_ca.ca_cert), *admin, password=f"{PASSWORD}\n{code}")
    assert out.returncode == 0, out.stderr
    assert "Enrolled with" in out.stdout

    supervisor = ("--user", "supervisor", "--password-stdin")
    out = cli("sync-status", "--outbox", "pending", *supervisor, password=PASSWORD + "x")
    assert out.returncode == 0, out.stderr
    assert "pending: 3" in out.stdout and out.stdout.count("\tpending\t") == 3
    assert f"workstation id: {workstation_id}" in out.stdout  # issue 14 item 10: the bank needs it to re-enrol

    out = cli("sync", *supervisor, password=PASSWORD + "x")
    assert out.returncode == 0, out.stderr
    assert "sent 3, acknowledged 3, refused 0, conflicts 0" in out.stdout
    assert sqlite_server.count_records() == 3

    sqlite_server.stop()
    out = cli("sync", *supervisor, password=PASSWORD + "x")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "central server" in lines[0]


def test_the_enrolment_code_is_never_taken_as_an_argument(
    sqlite_server: ServerProcess, test_ca: TestCA, tmp_path: Path, file_keyring
) -> None:
    """Issue 14 item 10 (client): `sync-enrol URL CODE` put the code where the process list and the shell's history
    show it. Given as an argument it is refused (usage error, saying how to pass it) and not spent; it is read from
    standard input with --code-stdin (the line after the password), and the command says which workstation id the
    bank issues a re-enrolment code for."""
    b = make_branch(tmp_path / "cli-code", seed=6)
    workstation_id = b.ws.store.workstation_id
    b.ws.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    code = sqlite_server.enrol_code()

    def enrol(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "desktop_app", "--data-dir", str(b.root), "sync-enrol", sqlite_server.url]
        command += [*args, "--ca", str(test_ca.ca_cert), "--user", "admin", "--password-stdin"]
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)

    refused = enrol(code, stdin=PASSWORD + "\n")
    assert refused.returncode == 2, refused.stdout
    assert "--code-stdin" in refused.stderr and "history" in refused.stderr
    assert code not in refused.stderr
    with sqlite_server.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM devices")).scalar_one() == 0  # not spent

    no_code = enrol(stdin=PASSWORD + "\n")  # no terminal to ask on, no --code-stdin
    assert no_code.returncode == 1 and "--code-stdin" in no_code.stderr

    out = enrol("--code-stdin", stdin=f"{PASSWORD}\n{code}\n")
    assert out.returncode == 0, out.stderr
    assert "Enrolled with" in out.stdout
    assert f"Workstation id: {workstation_id}" in out.stdout

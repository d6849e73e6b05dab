"""Issue 14 item 2: the central server's address and trust anchor are fixed at enrolment.

Real components throughout: the enrolled server and the "other" servers are real server processes on loopback over
HTTPS (an other server made to accept this workstation's credential, as a server someone else runs would), the
workstation's real store, transport and credential store. An other server sits behind a recording proxy where the
test must see that not one request reached it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from central_server.devices import secret_hash
from central_server.models import Device
from central_server.models import utcnow as server_now
from desktop_app.services.actor import utcnow
from desktop_app.services.errors import InvalidRequest
from desktop_app.services.sync import SyncEnrolmentChanged, SyncNotConfigured
from desktop_app.services.workstation import Workstation
from desktop_app.storage import migrate
from desktop_app.storage.engine import make_engine
from desktop_app.storage.models import AuditEntry, OutboxItem, Record, Setting
from desktop_app.sync import credentials
from desktop_app.sync.enrolment import anchor_digest, read_trust_anchor
from tests.conftest import PASSWORD
from tests.integration import test_sync
from tests.integration.test_sync import Branch, make_branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA, make_test_ca
from tests.support.fault_proxy import FaultProxy

test_ca = central.test_ca
sqlite_server = central.sqlite_server
branch = test_sync.branch

LATER = timedelta(days=2)  # past a retention of one day


def _accept_credential(server: ServerProcess, credential: str, workstation_id: str) -> None:
    """Make `server` take this workstation's credential although it never enrolled it: a server run by whoever
    wants the data accepts whatever it is sent."""
    device_id, _, secret = credential.partition(".")
    with Session(server.engine) as s, s.begin():
        s.add(
            Device(
                id=device_id,
                name="not the bank",
                workstation_id=workstation_id,
                credential_hash=secret_hash(secret),
                enrolled_at=server_now(),
            )
        )


def _write_setting(b: Branch, key: str, value: str) -> None:
    """Change a setting in the store without the settings service (which refuses it): as a hand-edited store, an
    older client or a restored backup would leave it."""
    with b.ws.store.write() as s:
        row = s.get(Setting, key)
        assert row is not None
        row.value = json.dumps(value)


def _audit(b: Branch, action: str) -> list[dict[str, object]]:
    with b.ws.store.read() as s:
        return [json.loads(e.details) for e in s.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def _purged(b: Branch, record_ids: list[str]) -> int:
    with b.ws.store.read() as s:
        query = select(func.count()).select_from(Record).where(Record.id.in_(record_ids), Record.purged_at.is_not(None))
        return int(s.scalar(query) or 0)


@pytest.fixture
def other_server(tmp_path: Path, test_ca: TestCA) -> Iterator[ServerProcess]:
    """A second real server on loopback, with a certificate from the same CA (so only the address tells it apart)."""
    with ServerProcess(f"sqlite:///{tmp_path / 'other.sqlite3'}", test_ca) as server:
        yield server


def test_sync_never_goes_to_a_server_address_changed_outside_enrolment(
    sqlite_server: ServerProcess, other_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 item 2: an admin cannot point sync at another server. The setting is refused by the settings service;
    changed in the store anyway, every run refuses with a bilingual "re-enrol" error, audited once, and sends
    nothing: the other server sees no request (no credential, no record, no audit entry), and retention keeps the
    records it would have acknowledged."""
    synced = branch.approve(3)
    branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 3
    waiting = branch.approve(2)
    wid = branch.ws.store.workstation_id
    credential = credentials.load(wid)
    assert credential
    _accept_credential(other_server, credential, wid)
    branch.ws.settings.set(branch.admin, "retention_days", 1)

    with FaultProxy.to(other_server.url, test_ca.ssl_context()) as proxy:
        with pytest.raises(InvalidRequest, match="re-enrols with a code from the bank"):
            branch.ws.settings.set(branch.admin, "sync_server_url", proxy.url)
        _write_setting(branch, "sync_server_url", proxy.url)

        for actor in (branch.supervisor, None, branch.supervisor):  # "sync now", the background job, again
            with pytest.raises(SyncEnrolmentChanged) as caught:
                branch.ws.sync.run_once(actor)
            assert caught.value.reason == "server_changed"
            assert isinstance(caught.value, SyncNotConfigured)  # the background job waits quietly
        assert proxy.url in caught.value.message_text.en and sqlite_server.url in caught.value.message_text.en
        assert "re-enrols with a code from the bank" in caught.value.message_text.en
        assert "重新登记" in caught.value.message_text.zh
        branch.ws.sync.purge_acknowledged(None, now=utcnow() + LATER)
        assert proxy.requests == []  # not one request, so never the credential

    assert other_server.count_records() == 0
    with other_server.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit_heads")).scalar_one() == 0
    assert sqlite_server.count_records() == 3
    assert branch.outbox_states() == {"acked": 3, "pending": 2}
    assert _purged(branch, synced) == 3 and _purged(branch, waiting) == 0  # only what the bank acknowledged
    status = branch.ws.sync.status(branch.admin)
    assert status.last_error_code == "server_changed" and status.server_url == sqlite_server.url
    assert "重新登记" in (status.error_message("zh_CN") or "")
    (refused,) = _audit(branch, "sync.refused")  # audited once, not once a minute
    assert refused["reason"] == "server_changed"
    assert (refused["server_set"], refused["server_enrolled"]) == (proxy.url, sqlite_server.url)

    _write_setting(branch, "sync_server_url", sqlite_server.url)  # put back: the enrolled server gets them
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.ok and summary.acked == 2
    assert sqlite_server.count_records() == 5 and branch.ws.sync.status(branch.admin).last_error is None


def test_the_trust_anchor_is_the_ca_read_at_enrolment(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch, tmp_path: Path
) -> None:
    """Issue 14 item 2: the CA is fixed at enrolment. Another CA file in the setting is refused (and sends nothing,
    not even to the enrolled server); the CA file replaced in place and the server's address taken over by a server
    that CA vouches for gets no connection past TLS, so neither the credential nor a record."""
    ca_file = tmp_path / "bank-ca.pem"
    shutil.copy(test_ca.ca_cert, ca_file)
    branch.ws.sync.enrol(branch.admin, sqlite_server.url, sqlite_server.enrol_code(), str(ca_file))
    waiting = branch.approve(2)
    wid = branch.ws.store.workstation_id
    credential = credentials.load(wid)
    assert credential
    rogue_ca = make_test_ca(tmp_path / "rogue-ca")

    with pytest.raises(InvalidRequest, match="re-enrols with a code from the bank"):
        branch.ws.settings.set(branch.admin, "sync_ca_bundle", str(rogue_ca.ca_cert))
    _write_setting(branch, "sync_ca_bundle", str(rogue_ca.ca_cert))
    with pytest.raises(SyncEnrolmentChanged) as caught:
        branch.ws.sync.run_once(branch.supervisor)
    assert caught.value.reason == "trust_anchor_changed" and "重新登记" in caught.value.message_text.zh
    assert sqlite_server.count_records() == 0 and branch.outbox_states() == {"pending": 2}
    assert [d["reason"] for d in _audit(branch, "sync.refused")] == ["trust_anchor_changed"]
    _write_setting(branch, "sync_ca_bundle", str(ca_file))

    ca_file.write_bytes(rogue_ca.ca_cert.read_bytes())
    sqlite_server.stop()
    with ServerProcess(f"sqlite:///{tmp_path / 'rogue.sqlite3'}", rogue_ca, port=sqlite_server.port) as rogue:
        _accept_credential(rogue, credential, wid)
        summary = branch.ws.sync.run_once(branch.supervisor)
        assert summary.error_code == "certificate_untrusted" and summary.acked == 0
        assert "re-enrol" in (summary.error or "")
        assert rogue.count_records() == 0
        with rogue.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM audit_heads")).scalar_one() == 0
    sqlite_server.start()
    summary = branch.ws.sync.run_once(branch.supervisor)  # the CA kept at enrolment still trusts the bank's server
    assert summary.ok and summary.acked == 2
    assert sqlite_server.records() == sorted((rid, 1) for rid in waiting)


def test_re_enrolment_with_a_code_is_how_the_server_changes_and_is_audited(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch, tmp_path: Path
) -> None:
    """Issue 14 item 2: changing the server and its CA is a new enrolment with a code, audited with the enrolment it
    replaces; each acknowledgement records its enrolment, and what the old enrolled server acknowledged is purged
    by retention like what the new one acknowledges."""
    first = branch.approve(3)
    old_device = branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 3
    new_ca = make_test_ca(tmp_path / "new-ca")
    with ServerProcess(f"sqlite:///{tmp_path / 'new.sqlite3'}", new_ca) as new_server:
        enrolled = branch.ws.sync.enrol(branch.admin, new_server.url, new_server.enrol_code(), str(new_ca.ca_cert))
        assert enrolled.ca_sha256 == anchor_digest(read_trust_anchor(str(new_ca.ca_cert)))
        stored = credentials.read(branch.ws.store.workstation_id)
        assert stored and stored.pin
        assert (stored.pin.server_url, stored.pin.device_id) == (new_server.url, enrolled.device_id)
        second = branch.approve(2)
        summary = branch.ws.sync.run_once(branch.supervisor)
        assert summary.ok and (summary.sent, summary.acked) == (2, 2)
        assert new_server.records() == sorted((rid, 1) for rid in second)
        assert sqlite_server.count_records() == 3

    enrolments = _audit(branch, "sync.enrol")
    assert [e["replaces"] for e in enrolments] == [
        None,
        {
            "device_id": old_device,
            "server": sqlite_server.url,
            "ca_sha256": anchor_digest(read_trust_anchor(str(test_ca.ca_cert))),
        },
    ]
    assert (enrolments[1]["server"], enrolments[1]["ca_sha256"]) == (new_server.url, enrolled.ca_sha256)
    with branch.ws.store.read() as s:
        acked_by = dict(s.execute(select(OutboxItem.acked_by, func.count()).group_by(OutboxItem.acked_by)).all())
    assert acked_by == {old_device: 3, enrolled.device_id: 2}
    status = branch.ws.sync.status(branch.admin)
    assert (status.server_url, status.ca_sha256) == (new_server.url, enrolled.ca_sha256)

    branch.ws.settings.set(branch.admin, "retention_days", 1)
    assert branch.ws.sync.purge_acknowledged(None, now=utcnow() + LATER) == 5
    assert _purged(branch, first + second) == 5


def test_a_credential_from_before_pins_is_refused_until_a_re_enrolment_and_never_bound_from_the_store(
    sqlite_server: ServerProcess, test_ca: TestCA, tmp_path: Path
) -> None:
    """Issue 14 item 2, the legacy-credential binding bypass: a credential kept bare (as by a version before pins)
    used to be bound at the next run to the address the store recorded, so whoever had the OS account (the
    credential store) and the database key could write the bare credential back, point the store's enrolment and the
    settings at another server, and have the next run bind the credential there. A bare credential is now refused,
    audited, with nothing sent, whatever the store says; a re-enrolment with a code from the bank binds a new one,
    and rows acknowledged before acknowledgements recorded their enrolment are purged only once it confirmed them."""
    b = make_branch(tmp_path / "older", seed=7)
    try:
        approved = b.approve(3)
        b.enrol(sqlite_server, test_ca)
        assert b.ws.sync.run_once(b.supervisor).acked == 3
        wid = b.ws.store.workstation_id
        credential = credentials.load(wid)
        assert credential
        key, database = b.ws.store.raw_key_for_tests(), b.ws.store.data_dir.database
    finally:
        b.ws.close()
    engine = make_engine(database, key)
    with engine.connect() as conn:
        migrate.downgrade(conn, "0005")
        conn.commit()
    engine.dispose()
    credentials.save(wid, credential)  # as the version before pins kept it: the bare credential

    ws = Workstation.open(b.root)  # migrates to the pinned schema
    try:
        old = Branch(ws, *(ws.auth.login(n, p)[0] for n, p in _ACCOUNTS), b.root, b.seeds)
        ws.settings.set(old.admin, "retention_days", 1)
        assert ws.sync.purge_acknowledged(None, now=utcnow() + LATER) == 0  # not confirmed by the enrolled server

        # The store's enrolment and the settings both name another server: nothing binds the credential to it.
        with ws.store.write() as s:
            s.execute(text("UPDATE sync_state SET server_url = 'https://127.0.0.1:9'"))
        _write_setting(old, "sync_server_url", "https://127.0.0.1:9")
        with pytest.raises(SyncEnrolmentChanged, match="not bound") as refused:
            ws.sync.run_once(old.supervisor)
        assert refused.value.reason == "enrolment_unpinned"
        with ws.store.write() as s:
            s.execute(text("UPDATE sync_state SET server_url = :url"), {"url": sqlite_server.url})
        _write_setting(old, "sync_server_url", sqlite_server.url)
        with pytest.raises(SyncEnrolmentChanged, match="not bound"):  # the enrolled server too: only an enrolment
            ws.sync.run_once(old.supervisor)
        stored = credentials.read(wid)
        assert stored and stored.pin is None and stored.credential == credential
        assert _audit(old, "sync.pin") == []
        assert [d["reason"] for d in _audit(old, "sync.refused")] == ["enrolment_unpinned"]  # once while it lasts
        assert "未发送任何数据" in refused.value.message_text.zh

        ws.sync.enrol(old.admin, sqlite_server.url, sqlite_server.enrol_code(workstation=wid), str(test_ca.ca_cert))
        summary = ws.sync.run_once(old.supervisor)
        assert summary.ok and (summary.sent, summary.acked) == (3, 3)  # confirmed: the server holds them already
        assert sqlite_server.records() == sorted((rid, 1) for rid in approved)
        stored = credentials.read(wid)
        assert stored and stored.pin and stored.credential != credential
        assert (stored.pin.server_url, stored.pin.ca_sha256) == (
            sqlite_server.url,
            anchor_digest(read_trust_anchor(str(test_ca.ca_cert))),
        )
        assert ws.sync.run_once(old.supervisor).sent == 0  # confirmed once
        assert ws.sync.purge_acknowledged(None, now=utcnow() + LATER) == 3
    finally:
        ws.close()


_ACCOUNTS = (("admin", PASSWORD), ("teller", PASSWORD + "x"), ("supervisor", PASSWORD + "x"))

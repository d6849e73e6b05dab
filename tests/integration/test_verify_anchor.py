"""`verify` compares the trail with the head the central server confirmed, and notices a dropped protective trigger
(issue 14, review of items 9 and 15: "verify misses a trail cut back to an older head")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import AuditEntry, AuditHead
from desktop_app.storage.store import PROTECTIVE_TRIGGERS, Store
from desktop_app.sync.audit_anchor import _remember

CUT_AT = 8

_NO_DELETE = """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
   BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"""


def _fill(store: Store, n: int) -> None:
    for i in range(n):
        with store.write() as s:
            store.audit(s, action="record.view", actor_id=1, actor_name="teller", record_id=f"rec-{i}", details={})


@pytest.fixture
def store(tmp_path: Path):
    store, _ = Store.create(tmp_path / "data", KeyMethod.KEYRING)
    yield store
    store.close()


def _cut_back_to_older_head(store: Store) -> None:
    """What the reviewer did with the database key: keep the head row as it was at entry CUT_AT (an older backup
    holds it), let three more entries be anchored by a sync, then delete them and put the old head row back, the
    trigger re-created so that nothing looks touched."""
    _fill(store, CUT_AT)
    with store.read() as s:
        old = s.get(AuditHead, 1)
        assert old is not None and old.seq == CUT_AT
        old_head = (old.seq, old.hash, old.mac)
    _fill(store, 3)
    with store.read() as s:
        seq, digest = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())).first()
    assert seq == CUT_AT + 3
    _remember(store, seq, digest, datetime.now(UTC).replace(tzinfo=None))  # what a sync records
    conn = open_raw(store.data_dir.database, store.raw_key_for_tests())
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (CUT_AT,))
    conn.execute("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1", old_head)
    conn.execute(_NO_DELETE)
    conn.execute("COMMIT")
    conn.close()


def test_a_trail_cut_back_to_an_older_head_fails_verify_against_the_server_anchor(store: Store) -> None:
    """Issue 14 item 9/15 (review): deleting the entries after N and copying the MACed head row of N from an older
    backup made `verify` pass while sync_state said "anchored up to entry N+3". The anchored entry must be in the
    trail with the hash the server confirmed; verify fails and says so in words."""
    _cut_back_to_older_head(store)
    report = store.verify()
    assert not report.ok and not report.audit.ok
    assert report.audit.first_bad_seq == CUT_AT + 1
    assert "central server confirmed" in report.audit.problem and str(CUT_AT + 3) in report.audit.problem
    assert any("audit chain" in f for f in report.failed_checks())


def test_an_entry_rewritten_under_the_anchored_number_fails_verify(store: Store) -> None:
    """Issue 14 item 9/15 (review): a trail cut back and re-grown to the anchored length holds other entries under
    the anchored number; the hash the server confirmed no longer matches."""
    _cut_back_to_older_head(store)
    _fill(store, 5)  # the app goes on writing from the cut head: a consistent chain, past the anchor
    report = store.verify()
    assert not report.audit.ok and report.audit.first_bad_seq == CUT_AT + 3
    assert "not the one the central server confirmed" in report.audit.problem


def test_an_intact_anchored_trail_verifies(store: Store) -> None:
    """The anchor check passes on an untouched trail anchored at its head and then grown."""
    _fill(store, 4)
    with store.read() as s:
        seq, digest = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())).first()
    _remember(store, seq, digest, datetime.now(UTC).replace(tzinfo=None))
    _fill(store, 2)
    report = store.verify()
    assert report.ok, report.failed_checks()


@pytest.mark.parametrize("trigger", PROTECTIVE_TRIGGERS)
def test_a_dropped_protective_trigger_is_reported(store: Store, trigger: str) -> None:
    """Issue 14 item 15 (review): `verify` passed with audit_log_no_update (or another guard) dropped; it now fails
    and names the trigger in words."""
    _fill(store, 2)
    conn = open_raw(store.data_dir.database, store.raw_key_for_tests())
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.close()
    report = store.verify()
    assert not report.ok and report.missing_triggers == (trigger,)
    assert any(trigger in f and "triggers" in f for f in report.failed_checks())

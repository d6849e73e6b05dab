"""Tampering with the audit trail (edit, delete, swap, cut the tail) is detected and the first bad entry named."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.store import Store

ENTRIES = 12


@pytest.fixture
def chained(tmp_path: Path):
    store, _ = Store.create(tmp_path / "data", KeyMethod.KEYRING)
    for i in range(ENTRIES):
        with store.write() as s:
            store.audit(
                s, action="record.view", actor_id=1, actor_name="teller", record_id=f"rec-{i}", details={"i": i}
            )
    assert store.verify().audit.ok
    yield store
    store.close()


def _tamper(store: Store, *statements: str) -> None:
    """What someone holding the database key could do with any SQLite tool: drop the guards and edit."""
    conn = open_raw(store.data_dir.database, store.raw_key_for_tests())
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("BEGIN")
    for sql in statements:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()


def test_untouched_chain_verifies(chained: Store) -> None:
    report = chained.verify().audit
    assert report.ok and report.entries == ENTRIES


def test_edited_entry_is_detected(chained: Store) -> None:
    _tamper(chained, "UPDATE audit_log SET details = '{\"i\":99}' WHERE seq = 5")
    report = chained.verify().audit
    assert not report.ok and report.first_bad_seq == 5 and "altered" in report.problem


def test_edited_actor_is_detected(chained: Store) -> None:
    _tamper(chained, "UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 7")
    assert chained.verify().audit.first_bad_seq == 7


def test_deleted_entry_is_detected(chained: Store) -> None:
    _tamper(chained, "DELETE FROM audit_log WHERE seq = 4")
    report = chained.verify().audit
    assert not report.ok and report.first_bad_seq == 4


def test_swapped_entries_are_detected(chained: Store) -> None:
    _tamper(
        chained,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 6",
        "UPDATE audit_log SET seq = 6 WHERE seq = -1",
    )
    report = chained.verify().audit
    assert not report.ok and report.first_bad_seq == 3


def test_cut_tail_is_detected(chained: Store) -> None:
    _tamper(chained, f"DELETE FROM audit_log WHERE seq > {ENTRIES - 3}")
    report = chained.verify().audit
    assert not report.ok and report.first_bad_seq == ENTRIES - 2


def test_cut_tail_with_a_forged_head_is_detected(chained: Store) -> None:
    _tamper(
        chained,
        f"DELETE FROM audit_log WHERE seq > {ENTRIES - 3}",
        f"UPDATE audit_head SET seq = {ENTRIES - 3}, hash = (SELECT hash FROM audit_log WHERE seq = {ENTRIES - 3})",
    )
    report = chained.verify().audit
    assert not report.ok and "head" in report.problem


def test_the_trail_refuses_updates_and_deletes_through_sql(chained: Store) -> None:
    conn = open_raw(chained.data_dir.database, chained.raw_key_for_tests())
    for sql in ("UPDATE audit_log SET action = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"):
        with pytest.raises(Exception, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert chained.verify().audit.ok

"""`desktop-app verify` says in words which check failed (issue 14 item 15)."""

from __future__ import annotations

import io
import os

import pytest

from desktop_app import cli
from desktop_app.services.workstation import Workstation
from desktop_app.storage.engine import open_raw
from tests.conftest import Staff


def _damage_table(staff: Staff, table: str, *, at: int = 0, length: int | None = None) -> None:
    """Overwrite `length` bytes (the whole page by default) at offset `at` of `table`'s root page with noise, as a
    bad disk sector would, with the store closed."""
    ws: Workstation = staff.ws  # type: ignore[assignment]
    key = ws.store.raw_key_for_tests()
    ws.close()
    conn = open_raw(staff.root / "workstation.db", key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root_page = int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0])
    finally:
        conn.close()
    with (staff.root / "workstation.db").open("r+b") as fh:
        fh.seek((root_page - 1) * page_size + at)
        fh.write(os.urandom(page_size if length is None else length))


def _damage_audit_table(staff: Staff) -> None:
    """The audit table's first page overwritten, once the table owns pages of its own."""
    ws: Workstation = staff.ws  # type: ignore[assignment]
    for i in range(60):
        with ws.store.write() as s:
            ws.store.audit(s, action="test.fill", actor_id=None, actor_name="test", details={"i": i, "pad": "x" * 200})
    _damage_table(staff, "audit_log")


def test_verify_names_the_failed_check_in_words_when_the_audit_table_is_damaged(
    staff: Staff,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """Issue 14 item 15: with a damaged page in the audit table, `verify` printed raw SQL and 'entry None'; it now
    says which checks failed, in words, and what to do."""
    _damage_audit_table(staff)
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status = cli.main(["--data-dir", str(staff.root), "verify"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert status == 1
    assert "None" not in text and "SELECT" not in text.upper() and "[SQL" not in text
    assert "audit trail cannot be read" in out.out
    assert "error: verification failed:" in out.err and "audit trail" in out.err and "restore" in out.err


def test_verify_as_a_user_on_a_damaged_audit_table_still_says_what_failed(
    staff: Staff,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """Found by the independent check of issue 14: with --user, the sign-in's own audit entry could not be written
    to the damaged table and `verify` ended in "an unexpected problem". The checks run all the same, the sign-in
    that could not be recorded is said, and the failed checks are named in words."""
    from tests.conftest import PASSWORD

    _damage_audit_table(staff)
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    status = cli.main(["--data-dir", str(staff.root), "verify", "--user", "admin", "--password-stdin"])
    out = capsys.readouterr()
    assert status == 1
    assert "unexpected problem" not in out.err
    assert "audit trail cannot be read" in out.out
    assert "sign-in could not be recorded" in out.err
    assert "error: verification failed:" in out.err


@pytest.mark.parametrize("table", ["alembic_version", "meta"])
def test_a_page_the_store_reads_when_it_opens_is_damaged_one_clear_line(
    staff: Staff,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
    table: str,
) -> None:
    """Found by the re-check of issue 14: damage on the page of the schema's version or of the store's own entries
    ended `verify` (and every command) in "an unexpected problem"; it is a damaged file, said in one line."""
    _damage_table(staff, table, at=2000, length=32)
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status = cli.main(["--data-dir", str(staff.root), "verify"])
    err = capsys.readouterr().err
    assert status == 1
    assert "unexpected problem" not in err
    assert "damaged" in err and "restore" in err

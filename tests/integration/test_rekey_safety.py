"""Key rotation and recovery on a real store next to a running app, other programs, and crashes at every step.

Issue 14 items 3 and 4. The fault injection kills a child process with SIGKILL just before each step of a rotation
(tests/support/rekey_faults.py), once each here; `make security` runs it for both key storages, several rounds and
random moments (probes/rekey_faults.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from desktop_app import cli
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.storage.app_lock import AppLock, AppLocked
from desktop_app.storage.engine import open_raw
from desktop_app.storage.errors import StoreBusy
from desktop_app.storage.keystore import KeyMethod, KeyStore, new_key, sqlcipher_key_literal
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store, export_encrypted
from tests.support.keyrings import FileKeyring
from tests.support.rekey_faults import (
    AFTER_THE_END,
    PASSWORD,
    REKEY_COPY,
    Workshop,
    check_after_crash,
    commit_record,
    kill_rotation,
    make_workshop,
    rotation_steps,
)
from tests.support.running_app import RunningApp


@pytest.fixture
def shop(tmp_path: Path, file_keyring: FileKeyring) -> Workshop:
    """A keyring-mode store whose credential store is a file, shared with the child processes."""
    return make_workshop(tmp_path / "data", KeyMethod.KEYRING)


def _records(root: Path) -> set[str]:
    store = Store.open(root)
    try:
        with store.read() as session:
            return set(session.scalars(select(Record.id)))
    finally:
        store.close()


def _untouched(shop: Workshop, key_before: bytes) -> None:
    """Nothing of a refused rotation is left: the same key, no pending key, no copy."""
    keystore = KeyStore.load(shop.root / "keystore.json")
    assert keystore.pending is None
    assert not (shop.root / REKEY_COPY).exists()
    open_raw(shop.root / "workstation.db", key_before).close()


def _key(root: Path) -> bytes:
    store = Store.open(root)
    try:
        return store.raw_key_for_tests()
    finally:
        store.close()


def test_rekey_under_the_running_app_is_refused_and_loses_no_record(shop: Workshop) -> None:
    """Issue 14 item 3: `rekey` under a running client is refused (it holds app.lock), in both languages, with
    nothing changed; every record the client committed before and after is in the store."""
    key_before = _key(shop.root)
    ws = Workstation.open(shop.root)
    try:
        admin, _ = ws.auth.login("admin", PASSWORD)
        with RunningApp(shop.root, shop.maker_id) as app:
            app.commit()
            with pytest.raises(ServiceError) as refused:
                ws.maintenance.rekey(admin)
            app.commit()  # the app goes on writing into the one database there is
            app.commit()
    finally:
        ws.close()
    assert "desktop app is open" in refused.value.message("en") and "Nothing was changed" in refused.value.message("en")
    assert "桌面程序仍在运行" in refused.value.message("zh_CN")
    _untouched(shop, key_before)
    assert set(app.committed) <= _records(shop.root)


def test_cli_rekey_under_the_running_app_says_why_in_chinese(
    shop: Workshop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 item 3: the command line's refusal is one line in the user's language, exit 1."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with RunningApp(shop.root, shop.maker_id):
        code = cli.main(["--data-dir", str(shop.root), "rekey", "--user", "admin", "--password-stdin"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and "桌面程序仍在运行" in err and "Traceback" not in err


def test_rekey_is_refused_while_another_program_has_the_database_open(shop: Workshop) -> None:
    """Issue 14 item 3: a rotation needs the database alone. While another program (a scheduled sync, a backup) has
    it open, even idle, or is reading so that a checkpoint could not complete, the rotation is abandoned before
    anything changes, and that program's later commits are kept."""
    key_before = _key(shop.root)
    other = Store.open(shop.root)  # e.g. `desktop-app sync` run by the scheduler
    rotating = Store.open(shop.root)
    try:
        early = commit_record(other, shop.maker_id)
        with pytest.raises(StoreBusy, match="Nothing was changed"):
            rotating.rekey()
        with other.read() as session:  # a read transaction open during the attempt
            session.execute(select(Record.id)).all()
            with pytest.raises(StoreBusy):
                rotating.rekey()
        late = commit_record(other, shop.maker_id)
        commit_record(rotating, shop.maker_id)  # the refused store still works with its key
    finally:
        other.close()
        rotating.close()
    _untouched(shop, key_before)
    assert {early, late} <= _records(shop.root)


def test_a_program_that_opened_the_file_before_the_rotation_cannot_use_the_replaced_one(shop: Workshop) -> None:
    """Issue 14 item 3: a connection made just before the rotation (file open, not yet read, so no lock) would
    otherwise read and write the old file after it lost its name; it fails instead, and nothing is lost."""
    store = Store.open(shop.root)
    rid = commit_record(store, shop.maker_id)
    early = sqlcipher3.connect(str(shop.root / "workstation.db"), isolation_level=None)
    early.execute(f"PRAGMA key = {sqlcipher_key_literal(store.raw_key_for_tests())}")
    try:
        store.rekey()
        with pytest.raises(sqlcipher3.DatabaseError):
            early.execute("INSERT INTO meta (key, value) VALUES ('lost', 'write')")
    finally:
        early.close()
        store.close()
    assert rid in _records(shop.root)


def test_rekey_killed_at_every_step_keeps_every_record_and_a_store_that_opens(shop: Workshop) -> None:
    """Issue 14 item 3: SIGKILL just before each step of a rotation (renames, fsyncs, unlinks, key file and
    credential store writes), records committed before each; every committed record is there afterwards and the
    store opens with the credential store as the crash left it, and with the recovery code."""
    steps = rotation_steps(shop)
    assert steps[-1] == AFTER_THE_END
    assert any("-> workstation.db)" in step for step in steps), steps  # the rename is among the steps
    failures = []
    for n, step in enumerate(steps, start=1):
        run = kill_rotation(shop, kill_at=n, records=2)
        assert run.killed and run.error is None, (step, run)
        assert run.steps[-1] == step, (step, run.steps)  # the run went as the counted one, up to its kill
        problems = check_after_crash(shop)
        if problems:
            failures.append(f"killed before {step}: {'; '.join(problems)}")
    assert not failures, "\n".join(failures)
    assert len(shop.committed) == 2 * len(steps)


def test_killed_while_the_key_switches_the_store_opens_and_recovers(shop: Workshop) -> None:
    """Issue 14 item 4: once the database is under the new key, the key file is written before the credential
    store; killed anywhere in that switch, the store opens with the credential store as it is, and the recovery
    code still unlocks a key that opens it."""
    steps = rotation_steps(shop)
    rename = next(n for n, step in enumerate(steps, start=1) if "-> workstation.db)" in step)
    switch = [n for n, step in enumerate(steps, start=1) if n > rename]
    assert any("keyring" in steps[n - 1] for n in switch) and any("keystore.json" in steps[n - 1] for n in switch)
    for n in switch:
        run = kill_rotation(shop, kill_at=n, records=1)
        assert run.killed, (steps[n - 1], run)
        problems = check_after_crash(shop)
        assert not problems, f"killed before {steps[n - 1]}: {problems}"


def _swapped_but_not_switched(root: Path) -> tuple[bytes, bytes]:
    """A rotation stopped after the re-encrypted copy replaced the database and before the key file named the new
    key: the database opens only with the pending key. Returns (old key, new key)."""
    store = Store.open(root)
    old, new = store.raw_key_for_tests(), new_key()
    assert store.keystore is not None
    store.keystore.begin_rotation(new, None, old)
    raw = open_raw(root / "workstation.db", old)
    export_encrypted(raw, root / REKEY_COPY, new)
    raw.close()
    store.close()
    (root / REKEY_COPY).replace(root / "workstation.db")
    return old, new


def test_recover_tries_every_sealed_copy_against_the_database(shop: Workshop, file_keyring: FileKeyring) -> None:
    """Issue 14 item 4: with the credential store lost in the middle of a rotation, `recover` tries each key the
    recovery code unlocks (the current one and the pending one) against the database and keeps the one that
    opens it, instead of the old key first (which no longer opens it) or refusing the pending key."""
    store = Store.open(shop.root)
    rid = commit_record(store, shop.maker_id)
    store.close()
    _, new = _swapped_but_not_switched(shop.root)
    file_keyring._path().unlink()  # the credential store was reset: no key in it at all
    assert Workstation.recover(shop.root, shop.code, KeyMethod.KEYRING) is KeyMethod.KEYRING
    assert _key(shop.root) == new
    assert KeyStore.load(shop.root / "keystore.json").pending is None
    assert rid in _records(shop.root)
    assert KeyStore.load(shop.root / "keystore.json").recover_keys(shop.code) == [new]


def test_recover_is_refused_while_the_app_runs(shop: Workshop, file_keyring: FileKeyring) -> None:
    """Issue 14 item 3: recovery rewrites the key file and the credential store, so it takes the app lock too."""
    key_before = _key(shop.root)
    keystore_before = (shop.root / "keystore.json").read_bytes()
    with RunningApp(shop.root, shop.maker_id):
        with pytest.raises(ServiceError) as refused:
            Workstation.recover(shop.root, shop.code, KeyMethod.KEYRING)
    assert "desktop app is open" in refused.value.message("en") and "恢复访问" in refused.value.message("zh_CN")
    assert (shop.root / "keystore.json").read_bytes() == keystore_before
    assert _key(shop.root) == key_before


def test_an_interrupted_rotation_is_settled_only_by_whoever_holds_the_app_lock(shop: Workshop) -> None:
    """Issue 14 item 3: a store left mid-rotation is completed or rolled back when it is next opened, but never
    by a program that opens it beside the one holding app.lock (a rotation still running, or the app): that open
    is refused and changes nothing."""
    _, new = _swapped_but_not_switched(shop.root)
    keystore_before = (shop.root / "keystore.json").read_bytes()
    with RunningApp(shop.root, shop.maker_id, open_store=False):  # e.g. the rotation itself, still at work
        with pytest.raises(StoreBusy, match="key rotation is under way"):
            Store.open(shop.root)
        assert (shop.root / "keystore.json").read_bytes() == keystore_before
    assert _key(shop.root) == new  # settled by the first open that could take the lock
    assert check_after_crash(shop) == []


def test_the_process_holding_the_app_lock_opens_and_settles_under_it(shop: Workshop) -> None:
    """Issue 14 (low item, the storage side): the app can take app.lock before it opens (settles, migrates) the store:
    an open in the process that holds the lock goes ahead under it; a second lock in that process is still refused."""
    _, new = _swapped_but_not_switched(shop.root)
    with AppLock.acquire(shop.root):
        store = Store.open(shop.root)
        try:
            assert store.raw_key_for_tests() == new
            assert KeyStore.load(shop.root / "keystore.json").pending is None
        finally:
            store.close()
        with pytest.raises(AppLocked):
            AppLock.acquire(shop.root)
    assert not AppLock.held_here(shop.root)

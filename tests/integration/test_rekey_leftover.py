"""Issue 14 (leftover of item 3): a re-encrypted copy (`workstation.db.rekey`) left half-written by a rotation killed
mid-copy, when keystore.json no longer names the pending key, is cleaned up by the next open, and never when it
could be the only complete copy. A real child process killed with SIGKILL, real SQLCipher files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.storage.app_lock import AppLock
from desktop_app.storage.errors import DatabaseDamaged, WrongKey
from desktop_app.storage.keystore import KeyMethod, KeyStore
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring
from tests.support.rekey_faults import REKEY_COPY, Workshop, kill_rotation, make_workshop, rotation_steps


@pytest.fixture
def shop(tmp_path: Path, file_keyring: FileKeyring) -> Workshop:
    return make_workshop(tmp_path / "data", KeyMethod.KEYRING)


def _killed_mid_copy(shop: Workshop) -> None:
    """A rotation killed after the re-encrypted copy was written and before it was made durable (mid-copy), then
    keystore.json put back without its pending key (the copy of the file from before, or a restore with the
    recovery code into the same folder): a copy is left that no rotation will settle."""
    steps = rotation_steps(shop)
    mid_copy = next(n for n, step in enumerate(steps, start=1) if step == f"os.fsync({REKEY_COPY})")
    run = kill_rotation(shop, kill_at=mid_copy, records=2)
    assert run.killed and (shop.root / REKEY_COPY).exists()
    keystore = KeyStore.load(shop.root / "keystore.json")
    keystore.pending = None
    keystore.save()


def test_the_next_open_removes_a_copy_left_by_a_rotation_killed_mid_copy(shop: Workshop) -> None:
    """Issue 14 item 3 (stale .rekey): the copy stayed beside the database for ever, every committed record in it
    (a plaintext-equivalent second copy under a key nobody tracks). The next open removes it, under the app lock,
    once the database opened with the current key; every committed record is there, and a rotation after it works."""
    _killed_mid_copy(shop)
    store = Store.open(shop.root)
    try:
        assert not (shop.root / REKEY_COPY).exists()
        with store.read() as session:
            assert shop.committed <= set(session.scalars(select(Record.id)))
        assert store.verify().ok
        store.rekey()
        assert store.verify().ok
    finally:
        store.close()


def test_a_leftover_copy_stays_while_another_program_holds_the_lock(shop: Workshop) -> None:
    """Issue 14 item 3 (stale .rekey): an open beside a running app (a scheduled sync) does not touch the copy; the
    next open under the lock does."""
    _killed_mid_copy(shop)
    lock = AppLock.acquire(shop.root)
    try:
        # The lock is per open file: held here in this process, the registry says "held", so hide it to act as
        # another process would see it.
        del AppLock._held[shop.root.resolve()]
        Store.open(shop.root).close()
        assert (shop.root / REKEY_COPY).exists()
    finally:
        lock.release()
    Store.open(shop.root).close()
    assert not (shop.root / REKEY_COPY).exists()


def test_a_copy_that_may_be_the_only_complete_one_is_never_deleted(shop: Workshop) -> None:
    """Issue 14 item 3 (stale .rekey), the guard: when the database is missing, or does not open with the key the
    file names, the copy may be the only complete one: the open refuses with the copy untouched."""
    _killed_mid_copy(shop)
    copy = shop.root / REKEY_COPY
    size = copy.stat().st_size
    database = shop.root / "workstation.db"
    database.rename(shop.root / "elsewhere.db")
    with pytest.raises(DatabaseDamaged):
        Store.open(shop.root)
    assert copy.stat().st_size == size
    os.replace(copy, database)  # a database under a key keystore.json no longer names
    (shop.root / "elsewhere.db").rename(copy)
    with pytest.raises(WrongKey):
        Store.open(shop.root)
    assert copy.exists() and database.exists()
